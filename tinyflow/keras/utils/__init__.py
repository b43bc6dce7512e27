"""``keras.utils``: registering custom objects by name, ``to_categorical``,
``set_random_seed``, the ``Progbar``.

>>> from tinyflow import keras
>>> keras.utils.to_categorical([0, 2], num_classes=3)
array([[1., 0., 0.],
       [0., 0., 1.]], dtype=float32)
"""
import random

import numpy as np

from ...base.rng import manual_seed
from ..saving.serialization import (register_keras_serializable, get_registered_name,
                                    get_registered_object, custom_object_scope,
                                    CustomObjectScope)
from .progbar import Progbar


def to_categorical(y, num_classes=None, dtype="float32"):
    """Integer labels -> one-hot rows (the last axis of size ``num_classes``)."""
    y = np.array(getattr(y, "array", y), dtype="int64")
    shape = y.shape
    if shape and shape[-1] == 1 and len(shape) > 1:
        shape = shape[:-1]
    y = y.reshape(-1)
    num_classes = int(num_classes or (y.max() + 1 if y.size else 0))
    out = np.zeros((y.size, num_classes), dtype=dtype)
    out[np.arange(y.size), y] = 1
    return out.reshape(shape + (num_classes,))


def set_random_seed(seed):
    """Seed Python's, numpy's and tinyflow's generators (weights, dropout, shuffling)."""
    random.seed(seed)
    np.random.seed(seed)
    manual_seed(seed)


__all__ = ["register_keras_serializable", "get_registered_name", "get_registered_object",
           "custom_object_scope", "CustomObjectScope", "to_categorical", "set_random_seed",
           "Progbar"]
