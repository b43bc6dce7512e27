"""``detect_anomaly``: stop at the first nan or inf, and say which op made it
and on which line of your code.

>>> import tinyflow as tf
>>> x = tf.tensor([-1.0], requires_grad=True)
>>> with tf.detect_anomaly():
...     y = x.log()          # doctest: +ELLIPSIS
Traceback (most recent call last):
...
tinyflow.anomaly.AnomalyError: the output of Log contains nan ...
"""
import functools

from ..config import Config


class detect_anomaly:
    """Inside: every forward value (eager and in a Session) and every eager
    gradient is checked for nan/inf; the error names the op, the tensor and the
    file and line that created the op. Slower: use it to find a bug, then remove it."""

    def __init__(self, check_nan=True):
        self.mode = bool(check_nan)

    def __enter__(self):
        self.prev = Config.anomaly
        Config.anomaly = self.mode
        return self

    def __exit__(self, *exc):
        Config.anomaly = self.prev

    def __call__(self, fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with detect_anomaly(self.mode):
                return fn(*args, **kwargs)
        return wrapper


def set_detect_anomaly(mode):
    """Turn anomaly detection on or off for everything that follows."""
    Config.anomaly = bool(mode)


def is_anomaly_enabled():
    return Config.anomaly
