"""Anomaly detection: stop at the first nan or inf, and say which op made it
and on which line of your code.

The interpreters (the eager tape, the Session, backward) call ``check`` on
every value while ``Config.anomaly`` is on; ``detect_anomaly`` turns it on.

>>> import tinyflow as tf
>>> x = tf.tensor([-1.0], requires_grad=True)
>>> with tf.detect_anomaly():
...     y = x.log()          # doctest: +ELLIPSIS
Traceback (most recent call last):
...
tinyflow.AnomalyError: the output of Log contains nan ...
"""
import functools

import numpy as np

from .config import Config, using_config
from .errors import AnomalyError


def check(value, what, op_name, site):
    """Raise AnomalyError if ``value`` holds nan or inf."""
    a = np.asarray(value)
    if a.dtype.kind in "fc" and not np.isfinite(a).all():
        bad = "nan" if np.isnan(a).any() else "inf"
        where = f"\nThe op was created at:\n  {site}" if site else ""
        raise AnomalyError(f"{what} of {op_name} contains {bad} (shape {a.shape}, "
                           f"{int((~np.isfinite(a)).sum())} of {a.size} values).{where}")


class detect_anomaly:
    """Inside: every forward value (eager and in a Session) and every eager
    gradient is checked for nan/inf; the error names the op, the tensor and the
    file and line that created the op. Slower: use it to find a bug, then remove it.

    (PyTorch's ``detect_anomaly`` checks only the values that backward functions
    return; tinyflow checks forward values too, as TF2's
    ``tf.debugging.enable_check_numerics`` does.)"""

    def __init__(self, check_nan=True):
        self.mode = bool(check_nan)
        self._block = None

    def __enter__(self):
        self._block = using_config(anomaly=self.mode)
        self._block.__enter__()
        return self

    def __exit__(self, *exc):
        self._block.__exit__(*exc)

    def __call__(self, fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with using_config(anomaly=self.mode):
                return fn(*args, **kwargs)
        return wrapper


def set_detect_anomaly(mode):
    """Turn anomaly detection on or off for everything that follows."""
    Config.anomaly = bool(mode)


def is_anomaly_enabled():
    return Config.anomaly
