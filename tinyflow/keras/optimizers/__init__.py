"""``keras.optimizers``: SGD, Adam, RMSprop, Adagrad, Adamax, Nadam, AdamW and Ftrl
with Keras 2's formulas and defaults (checked against tf_keras in
tests/test_keras_optimizers.py and tests/test_keras_optimizers_extra.py), learning
rate ``schedules``, and ``get("adam")``. Names are read as tf_keras reads them,
in any case: "adam", "Adam" and "ADAM" are one optimizer.

>>> from tinyflow import keras
>>> opt = keras.optimizers.get("adam")
>>> type(opt).__name__, float(opt.learning_rate.numpy()), opt.beta_1, opt.epsilon
('Adam', 0.0010000000474974513, 0.9, 1e-07)
>>> type(keras.optimizers.get("NAdam")).__name__
'Nadam'
"""
from ..saving.serialization import Registry
from . import schedules
from .base import Optimizer
from .sgd import SGD
from .adam import Adam
from .rmsprop import RMSprop
from .adagrad import Adagrad
from .adamax import Adamax
from .nadam import Nadam
from .adamw import AdamW
from .ftrl import Ftrl

_CLASSES = (SGD, Adam, RMSprop, Adagrad, Adamax, Nadam, AdamW, Ftrl)
_BY_LOWER_NAME = {cls.__name__.lower(): cls.__name__ for cls in _CLASSES}
_registry = Registry("optimizer", {cls.__name__: cls for cls in _CLASSES})


def _class_name(name):
    """tf_keras's deserialize lower-cases a built-in optimizer's name before looking it up."""
    return _BY_LOWER_NAME.get(name.lower(), name)


def get(identifier, **kwargs):
    """An optimizer from a name ('adam', 'nadam'...), a config dict or an instance."""
    if isinstance(identifier, Optimizer):
        return identifier
    if isinstance(identifier, str):
        identifier = _class_name(identifier)
    elif isinstance(identifier, dict) and isinstance(identifier.get("class_name"), str):
        identifier = {**identifier, "class_name": _class_name(identifier["class_name"])}
    return _registry.get(identifier)


def serialize(optimizer):
    return _registry.serialize(optimizer)


def deserialize(config, custom_objects=None):
    if isinstance(config, dict) and isinstance(config.get("class_name"), str):
        config = {**config, "class_name": _class_name(config["class_name"])}
    return _registry.get(config, custom_objects)


__all__ = ["Optimizer", "SGD", "Adam", "RMSprop", "Adagrad", "Adamax", "Nadam", "AdamW", "Ftrl",
           "schedules", "get", "serialize", "deserialize"]
