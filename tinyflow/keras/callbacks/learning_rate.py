"""Callbacks that change the optimizer's learning rate between epochs:
``LearningRateScheduler(schedule)`` sets it from a function of the epoch, and
``ReduceLROnPlateau`` multiplies it by ``factor`` when the monitored value has
not improved for ``patience`` epochs. The rate is a variable the traced train
step reads, so the graph need not be traced again.

>>> from tinyflow import keras
>>> cb = keras.callbacks.LearningRateScheduler(lambda epoch, lr: lr * 0.5)
>>> cb.schedule(0, 0.1)
0.05
"""
import warnings

import numpy as np

from .. import backend
from .base import Callback
from ..utils.progbar import print_msg


def _lr(model):
    return float(backend.get_value(model.optimizer.learning_rate))


class LearningRateScheduler(Callback):
    """``schedule(epoch, lr) -> new lr`` (or ``schedule(epoch)``), called before each epoch."""

    def __init__(self, schedule, verbose=0):
        super().__init__()
        self.schedule, self.verbose = schedule, verbose

    def on_epoch_begin(self, epoch, logs=None):
        if not hasattr(self.model.optimizer, "learning_rate"):
            raise ValueError('Optimizer must have a "learning_rate" attribute.')
        try:
            lr = self.schedule(epoch, _lr(self.model))
        except TypeError:                               # a schedule of the epoch alone
            lr = self.schedule(epoch)
        lr = getattr(lr, "array", lr)
        if not isinstance(lr, (float, int, np.floating, np.ndarray)) or np.ndim(lr):
            raise ValueError(f'The output of the "schedule" function should be float. Got: {lr}')
        lr = float(lr)
        self.model.optimizer.learning_rate = lr
        if self.verbose > 0:
            print_msg(f"\nEpoch {epoch + 1}: LearningRateScheduler setting learning rate to "
                      f"{lr}.\n")

    def on_epoch_end(self, epoch, logs=None):
        if logs is not None:
            logs["lr"] = _lr(self.model)


class ReduceLROnPlateau(Callback):
    """lr = max(lr * factor, min_lr) after ``patience`` epochs without improvement."""

    def __init__(self, monitor="val_loss", factor=0.1, patience=10, verbose=0, mode="auto",
                 min_delta=1e-4, cooldown=0, min_lr=0, **kwargs):
        super().__init__()
        if factor >= 1.0:
            raise ValueError(f"ReduceLROnPlateau does not support a factor >= 1.0. Got "
                             f"{factor}")
        self.monitor, self.factor, self.patience, self.verbose = monitor, factor, patience, verbose
        self.min_delta, self.cooldown, self.min_lr = min_delta, cooldown, min_lr
        if mode not in ("auto", "min", "max"):
            warnings.warn(f"Learning rate reduction mode {mode} is unknown, fallback to auto "
                          f"mode.", stacklevel=2)
            mode = "auto"
        self.mode = mode
        self._reset()

    def _reset(self):
        if self.mode == "min" or (self.mode == "auto" and "acc" not in self.monitor):
            self.monitor_op = lambda a, b: np.less(a, b - self.min_delta)
            self.best = np.inf
        else:
            self.monitor_op = lambda a, b: np.greater(a, b + self.min_delta)
            self.best = -np.inf
        self.cooldown_counter = self.wait = 0

    def on_train_begin(self, logs=None):
        self._reset()

    def on_epoch_end(self, epoch, logs=None):
        logs = logs if logs is not None else {}
        logs["lr"] = _lr(self.model)
        current = logs.get(self.monitor)
        if current is None:
            warnings.warn(f"Learning rate reduction is conditioned on metric `{self.monitor}` "
                          f"which is not available. Available metrics are: {','.join(logs)}",
                          stacklevel=2)
            return
        if self.cooldown_counter > 0:
            self.cooldown_counter -= 1
            self.wait = 0
        if self.monitor_op(current, self.best):
            self.best, self.wait = current, 0
        elif self.cooldown_counter <= 0:
            self.wait += 1
            if self.wait >= self.patience:
                old = _lr(self.model)
                if old > np.float32(self.min_lr):
                    new = max(old * self.factor, self.min_lr)
                    self.model.optimizer.learning_rate = new
                    if self.verbose > 0:
                        print_msg(f"\nEpoch {epoch + 1}: ReduceLROnPlateau reducing learning "
                                  f"rate to {new}.\n")
                    self.cooldown_counter, self.wait = self.cooldown, 0
