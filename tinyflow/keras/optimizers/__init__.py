"""``keras.optimizers``: SGD, Adam, RMSprop and Adagrad with Keras 2's formulas and
defaults (checked against tf_keras in tests/test_keras_optimizers.py), learning
rate ``schedules``, and ``get("adam")``.

>>> from tinyflow import keras
>>> opt = keras.optimizers.get("adam")
>>> type(opt).__name__, float(opt.learning_rate.numpy()), opt.beta_1, opt.epsilon
('Adam', 0.0010000000474974513, 0.9, 1e-07)
"""
from ..saving.serialization import Registry
from . import schedules
from .base import Optimizer
from .sgd import SGD
from .adam import Adam
from .rmsprop import RMSprop
from .adagrad import Adagrad

_registry = Registry("optimizer", {"SGD": SGD, "Adam": Adam, "RMSprop": RMSprop,
                                   "Adagrad": Adagrad, "sgd": SGD, "adam": Adam,
                                   "rmsprop": RMSprop, "adagrad": Adagrad})


def get(identifier, **kwargs):
    """An optimizer from a name ('adam', 'sgd'...), a config dict or an instance."""
    if isinstance(identifier, Optimizer):
        return identifier
    return _registry.get(identifier)


def serialize(optimizer):
    return _registry.serialize(optimizer)


def deserialize(config, custom_objects=None):
    return _registry.get(config, custom_objects)


__all__ = ["Optimizer", "SGD", "Adam", "RMSprop", "Adagrad", "schedules", "get", "serialize",
           "deserialize"]
