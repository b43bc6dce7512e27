"""TF2's ``tf.random`` spellings: ``tinyflow.random.normal``, ``uniform``, ``set_seed``.

>>> import tinyflow as tf
>>> tf.random.set_seed(0)
>>> tf.random.normal([2, 3]).shape
tinyflow.Size([2, 3])
"""
from .tracing.bridge import random_normal as normal, random_uniform as uniform
from .base.rng import manual_seed as set_seed

__all__ = ["normal", "uniform", "set_seed"]
