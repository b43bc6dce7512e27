"""Learning rates that change with the step: ``ExponentialDecay``,
``PiecewiseConstantDecay``, ``InverseTimeDecay``, ``CosineDecay``.

A schedule is called with the optimizer's ``iterations`` (the number of updates
so far) and gives the learning rate for the next update. As in TensorFlow, the
arithmetic is float32 (the dtype of a Python float made a tensor), so the rates
equal tf_keras's.

>>> from tinyflow import keras
>>> s = keras.optimizers.schedules.ExponentialDecay(0.1, decay_steps=2, decay_rate=0.5)
>>> [round(float(s(step)), 6) for step in range(4)]
[0.1, 0.070711, 0.05, 0.035355]
"""
import math

import numpy as np

from ... import ops
from ..saving.serialization import Registry

F32 = np.float32


def _step(step):
    return ops.cast(step, F32) if hasattr(step, "dtype") else np.asarray(step, F32)


class LearningRateSchedule:
    """Base class: ``schedule(step) -> learning rate``."""

    def __call__(self, step):
        raise NotImplementedError

    def get_config(self):
        raise NotImplementedError

    @classmethod
    def from_config(cls, config):
        return cls(**config)


class ExponentialDecay(LearningRateSchedule):
    """initial_learning_rate * decay_rate ** (step / decay_steps) (the exponent
    floored when ``staircase``)."""

    def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase=False,
                 name=None):
        if decay_steps <= 0:
            raise ValueError(f"Argument `decay_steps` must be > 0, received: {decay_steps}")
        self.initial_learning_rate, self.decay_steps = initial_learning_rate, decay_steps
        self.decay_rate, self.staircase, self.name = decay_rate, staircase, name

    def __call__(self, step):
        p = _step(step) / F32(self.decay_steps)
        if self.staircase:
            p = ops.floor(p)
        return F32(self.initial_learning_rate) * ops.pow(F32(self.decay_rate), p)

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate,
                "decay_steps": self.decay_steps, "decay_rate": self.decay_rate,
                "staircase": self.staircase, "name": self.name}


class InverseTimeDecay(ExponentialDecay):
    """initial_learning_rate / (1 + decay_rate * step / decay_steps)."""

    def __call__(self, step):
        p = _step(step) / F32(self.decay_steps)
        if self.staircase:
            p = ops.floor(p)
        return F32(self.initial_learning_rate) / (F32(1.0) + F32(self.decay_rate) * p)


class PiecewiseConstantDecay(LearningRateSchedule):
    """values[i] while boundaries[i-1] < step <= boundaries[i]."""

    def __init__(self, boundaries, values, name=None):
        if len(boundaries) != len(values) - 1:
            raise ValueError(f"The length of boundaries should be 1 less than the length of "
                             f"values. Received: boundaries={boundaries} of length "
                             f"{len(boundaries)}, and values={values} of length {len(values)}.")
        self.boundaries, self.values, self.name = list(boundaries), list(values), name

    def __call__(self, step):
        step = _step(step)
        out = np.asarray(self.values[-1], F32)
        for b, v in reversed(list(zip(self.boundaries, self.values))):
            out = ops.where(ops.less_equal(step, F32(b)), np.asarray(v, F32), out)
        return out

    def get_config(self):
        return {"boundaries": self.boundaries, "values": self.values, "name": self.name}


class CosineDecay(LearningRateSchedule):
    """From initial_learning_rate down to alpha * initial_learning_rate along half a
    cosine over ``decay_steps``, then constant."""

    def __init__(self, initial_learning_rate, decay_steps, alpha=0.0, name=None):
        self.initial_learning_rate, self.decay_steps = initial_learning_rate, decay_steps
        self.alpha, self.name = alpha, name

    def __call__(self, step):
        done = ops.minimum(_step(step), F32(self.decay_steps)) / F32(self.decay_steps)
        cosine = F32(0.5) * (F32(1.0) + ops.cos(F32(math.pi) * done))
        return F32(self.initial_learning_rate) * ((F32(1.0) - F32(self.alpha)) * cosine
                                                  + F32(self.alpha))

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate,
                "decay_steps": self.decay_steps, "alpha": self.alpha, "name": self.name}


_registry = Registry("learning rate schedule",
                     {c.__name__: c for c in (ExponentialDecay, InverseTimeDecay,
                                              PiecewiseConstantDecay, CosineDecay)})


def serialize(schedule):
    return _registry.serialize(schedule)


def deserialize(config, custom_objects=None):
    return _registry.get(config, custom_objects)
