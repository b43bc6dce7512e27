"""``ModelCheckpoint``: save the model (or only its weights) after each epoch --
or only when the monitored value improves (``save_best_only=True``), so the file
always holds the best model seen. ``filepath`` may name the epoch and any log:
``"ckpt/{epoch:02d}-{val_loss:.2f}.keras"``. Files are written atomically.

>>> from tinyflow import keras
>>> cb = keras.callbacks.ModelCheckpoint("best.keras", save_best_only=True)
>>> cb.monitor, cb.best
('val_loss', inf)
"""
import os
import warnings

import numpy as np

from .base import Callback
from .early_stopping import monitor_op
from ..utils.progbar import print_msg


class ModelCheckpoint(Callback):
    def __init__(self, filepath, monitor="val_loss", verbose=0, save_best_only=False,
                 save_weights_only=False, mode="auto", save_freq="epoch",
                 initial_value_threshold=None, **kwargs):
        super().__init__()
        self.filepath = os.fspath(filepath)
        self.monitor, self.verbose = monitor, verbose
        self.save_best_only, self.save_weights_only = save_best_only, save_weights_only
        if save_freq != "epoch" and not isinstance(save_freq, int):
            raise ValueError(f"Unrecognized save_freq: {save_freq}. Expected save_freq are "
                             f'"epoch" or integer values')
        self.save_freq = save_freq
        self.monitor_op = monitor_op(monitor, mode, "ModelCheckpoint")
        self.best = initial_value_threshold if initial_value_threshold is not None else (
            np.inf if self.monitor_op == np.less else -np.inf)
        self._batches_seen = 0
        self._epoch = 0

    def on_epoch_begin(self, epoch, logs=None):
        self._epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        if isinstance(self.save_freq, int):
            self._batches_seen += 1
            if self._batches_seen % self.save_freq == 0:
                self._save(self._epoch, batch, logs)

    def on_epoch_end(self, epoch, logs=None):
        if self.save_freq == "epoch":
            self._save(epoch, None, logs)

    def _path(self, epoch, batch, logs):
        try:
            if batch is None or "batch" in logs:
                return self.filepath.format(epoch=epoch + 1, **logs)
            return self.filepath.format(epoch=epoch + 1, batch=batch + 1, **logs)
        except KeyError as e:
            raise KeyError(f'Failed to format this callback filepath: "{self.filepath}". '
                           f'Reason: {e}') from None

    def _save(self, epoch, batch, logs):
        logs = logs or {}
        path = self._path(epoch, batch, logs)
        if os.path.isdir(path):
            raise IOError(f"Please specify a non-directory filepath for ModelCheckpoint. "
                          f"Filepath used is an existing directory: {path}")
        if self.save_best_only:
            current = logs.get(self.monitor)
            if current is None:
                warnings.warn(f"Can save best model only with {self.monitor} available, "
                              f"skipping.", stacklevel=2)
                return
            if not self.monitor_op(current, self.best):
                if self.verbose > 0:
                    print_msg(f"\nEpoch {epoch + 1}: {self.monitor} did not improve from "
                              f"{self.best:.5f}\n")
                return
            if self.verbose > 0:
                print_msg(f"\nEpoch {epoch + 1}: {self.monitor} improved from {self.best:.5f} "
                          f"to {current:.5f}, saving model to {path}\n")
            self.best = current
        elif self.verbose > 0:
            print_msg(f"\nEpoch {epoch + 1}: saving model to {path}\n")
        if self.save_weights_only:
            self.model.save_weights(path, overwrite=True)
        else:
            self.model.save(path, overwrite=True)
