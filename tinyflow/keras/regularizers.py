"""Weight penalties added to the loss: ``Dense(10, kernel_regularizer="l2")``.

A regularizer is called on a weight and gives a number; the layer collects
them in ``layer.losses`` and ``fit`` adds their sum to the loss it minimizes,
as Keras does. The names use Keras's default factor 0.01.

>>> import tinyflow as tf
>>> from tinyflow import keras
>>> keras.regularizers.get("l2")(tf.tensor([1.0, 2.0]))
tensor(0.0500)
"""
from .. import ops
from .saving.serialization import Registry


class Regularizer:
    """Base class: ``penalty = regularizer(weight)``."""

    def __call__(self, x):
        return 0.0

    def get_config(self):
        return {}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


class L1L2(Regularizer):
    """l1 * sum(|x|) + l2 * sum(x**2)."""

    def __init__(self, l1=0.0, l2=0.0):
        self.l1, self.l2 = float(l1), float(l2)

    def __call__(self, x):
        total = 0.0
        if self.l1:
            total = total + self.l1 * ops.sum(ops.abs(x))
        if self.l2:
            total = total + self.l2 * ops.sum(ops.square(x))
        return total

    def get_config(self):
        return {"l1": self.l1, "l2": self.l2}


class L1(L1L2):
    def __init__(self, l1=0.01):
        super().__init__(l1=l1)

    def get_config(self):
        return {"l1": self.l1}


class L2(L1L2):
    def __init__(self, l2=0.01):
        super().__init__(l2=l2)

    def get_config(self):
        return {"l2": self.l2}


def l1_l2(l1=0.01, l2=0.01):
    return L1L2(l1, l2)


_registry = Registry("regularizer", {"L1L2": L1L2, "L1": L1, "L2": L2, "l1": L1, "l2": L2,
                                     "l1_l2": l1_l2})


def get(identifier):
    """A regularizer from a name ('l1', 'l2', 'l1_l2'), a config dict or a callable."""
    return _registry.get(identifier)


def serialize(regularizer):
    return _registry.serialize(regularizer)


def deserialize(config, custom_objects=None):
    return _registry.get(config, custom_objects)
