"""``EarlyStopping``: stop when the monitored value stops improving, and (with
``restore_best_weights=True``) end with the weights of the best epoch -- Keras 2's
rules, including that the best weights are restored when training ends, whether
or not it stopped early.

>>> from tinyflow import keras
>>> stop = keras.callbacks.EarlyStopping(monitor="val_accuracy", patience=2)
>>> stop.monitor_op.__name__                  # accuracy: higher is better
'greater'
"""
import warnings

import numpy as np

from .base import Callback
from ..utils.progbar import print_msg


def monitor_op(monitor, mode, who):
    if mode not in ("auto", "min", "max"):
        warnings.warn(f"{who} mode {mode} is unknown, fallback to auto mode.", stacklevel=3)
        mode = "auto"
    if mode == "min":
        return np.less
    if mode == "max":
        return np.greater
    higher = monitor.endswith(("acc", "accuracy", "auc")) if who == "EarlyStopping" else \
        ("acc" in monitor or monitor.startswith("fmeasure"))
    return np.greater if higher else np.less


class EarlyStopping(Callback):
    def __init__(self, monitor="val_loss", min_delta=0, patience=0, verbose=0, mode="auto",
                 baseline=None, restore_best_weights=False, start_from_epoch=0):
        super().__init__()
        self.monitor, self.patience, self.verbose = monitor, patience, verbose
        self.baseline, self.restore_best_weights = baseline, restore_best_weights
        self.start_from_epoch = start_from_epoch
        self.monitor_op = monitor_op(monitor, mode, "EarlyStopping")
        self.min_delta = abs(min_delta) * (1 if self.monitor_op == np.greater else -1)
        self.wait = self.stopped_epoch = 0
        self.best_weights = None

    def on_train_begin(self, logs=None):
        self.wait = self.stopped_epoch = 0
        self.best = np.inf if self.monitor_op == np.less else -np.inf
        self.best_weights, self.best_epoch = None, 0

    def on_epoch_end(self, epoch, logs=None):
        current = (logs or {}).get(self.monitor)
        if current is None:
            warnings.warn(f"Early stopping conditioned on metric `{self.monitor}` which is not "
                          f"available. Available metrics are: {','.join(logs or {})}",
                          stacklevel=2)
            return
        if epoch < self.start_from_epoch:
            return
        if self.restore_best_weights and self.best_weights is None:
            self.best_weights, self.best_epoch = self.model.get_weights(), epoch
        self.wait += 1
        if self._is_improvement(current, self.best):
            self.best, self.best_epoch = current, epoch
            if self.restore_best_weights:
                self.best_weights = self.model.get_weights()
            if self.baseline is None or self._is_improvement(current, self.baseline):
                self.wait = 0
            return
        if self.wait >= self.patience and epoch > 0:
            self.stopped_epoch = epoch
            self.model.stop_training = True

    def on_train_end(self, logs=None):
        if self.stopped_epoch > 0 and self.verbose > 0:
            print_msg(f"Epoch {self.stopped_epoch + 1}: early stopping\n")
        if self.restore_best_weights and self.best_weights is not None:
            if self.verbose > 0:
                print_msg(f"Restoring model weights from the end of the best epoch: "
                          f"{self.best_epoch + 1}.\n")
            self.model.set_weights(self.best_weights)

    def _is_improvement(self, value, reference):
        return self.monitor_op(value - self.min_delta, reference)
