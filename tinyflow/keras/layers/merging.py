"""Layers that join several inputs: ``Concatenate``, ``Add``, ``Subtract``,
``Multiply``, ``Average`` -- for functional models with more than one branch.

>>> import numpy as np
>>> from tinyflow import keras
>>> keras.layers.Concatenate()([np.zeros((2, 3)), np.ones((2, 4))]).shape
tinyflow.Size([2, 7])
"""
import functools

from ... import ops
from .base import Layer


class _Merge(Layer):
    def call(self, inputs):
        if not isinstance(inputs, (list, tuple)) or len(inputs) < 2:
            raise ValueError(f"A merge layer should be called on a list of at least 2 inputs. "
                             f"Got {len(inputs) if isinstance(inputs, (list, tuple)) else 1} "
                             f"inputs.")
        return self._merge(list(inputs))


class Concatenate(_Merge):
    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = int(axis)

    def _merge(self, xs):
        return ops.concat(xs, self.axis % len(xs[0].shape))

    def get_config(self):
        return {**super().get_config(), "axis": self.axis}


class Add(_Merge):
    def _merge(self, xs):
        return functools.reduce(lambda a, b: a + b, xs)


class Subtract(_Merge):
    def _merge(self, xs):
        if len(xs) != 2:
            raise ValueError(f"A `Subtract` layer should be called on exactly 2 inputs. "
                             f"Received: inputs={xs}")
        return xs[0] - xs[1]


class Multiply(_Merge):
    def _merge(self, xs):
        return functools.reduce(lambda a, b: a * b, xs)


class Average(_Merge):
    def _merge(self, xs):
        return functools.reduce(lambda a, b: a + b, xs) * (1.0 / len(xs))
