"""Switching gradient recording on and off: ``no_grad``, ``enable_grad``,
``set_grad_enabled`` (usable as context managers and as decorators).

>>> import tinyflow as tf
>>> w = tf.ones(2, requires_grad=True)
>>> with tf.no_grad():
...     y = w * 2
>>> y.requires_grad
False
"""
import functools

from ..base.config import Config, using_config


class _GradMode:
    """Sets ``Config.grad_enabled`` to ``mode`` inside a ``with`` block and puts the
    previous value back after it, as PyTorch's grad modes do. (Flipped here directly
    rather than through ``using_config``: every optimizer step enters one, and this
    costs a third as much.)"""
    mode = True

    def __enter__(self):
        self.prev = Config.grad_enabled
        Config.grad_enabled = self.mode
        return self

    def __exit__(self, *exc):
        Config.grad_enabled = self.prev

    def __call__(self, fn):
        mode = self.mode

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with using_config(grad_enabled=mode):
                return fn(*args, **kwargs)
        return wrapper


class _NoArgGradMode(_GradMode):
    """Also usable as a bare decorator, ``@no_grad``, as in PyTorch."""

    def __new__(cls, fn=None):
        if fn is None:
            return super().__new__(cls)
        if not callable(fn):
            raise TypeError(f"{cls.__name__}() takes no arguments (use it as `with "
                            f"tinyflow.{cls.__name__}():` or as a decorator), got {fn!r}")
        return cls()(fn)


class no_grad(_NoArgGradMode):
    """Nothing inside is recorded on the tape (weight updates, evaluation)."""
    mode = False


class enable_grad(_NoArgGradMode):
    """Recording is on inside, even within ``no_grad``."""
    mode = True


class set_grad_enabled(_GradMode):
    """``set_grad_enabled(False)`` turns recording off now, or inside a ``with``,
    or inside a function it decorates."""

    def __init__(self, mode):
        self.mode = bool(mode)
        self.prev = Config.grad_enabled
        Config.grad_enabled = self.mode

    def __enter__(self):
        return self                           # already switched, in __init__

    def __call__(self, fn):
        Config.grad_enabled = self.prev      # as a decorator it changes nothing until called
        return super().__call__(fn)


class inference_mode:
    """PyTorch's faster ``no_grad`` for inference: ``with inference_mode():`` or
    ``@inference_mode()``. In tinyflow it is ``no_grad`` (nothing is recorded);
    ``inference_mode(False)`` changes nothing."""

    def __init__(self, mode=True):
        self.on = bool(mode)
        self._block = None

    def __enter__(self):
        _inference.append(self.on)
        if self.on:
            self._block = using_config(grad_enabled=False)
            self._block.__enter__()
        return self

    def __exit__(self, *exc):
        if self._block is not None:
            self._block.__exit__(*exc)
            self._block = None
        _inference.pop()

    def __call__(self, fn):
        on = self.on

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with inference_mode(on):
                return fn(*args, **kwargs)
        return wrapper


_inference = []


def is_inference_mode_enabled():
    return bool(_inference and _inference[-1])


def is_grad_enabled():
    return Config.grad_enabled
