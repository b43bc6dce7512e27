"""RMSprop, as Keras 2 writes it:

    v = rho * v + (1 - rho) * g**2                  (centered: a = rho * a + (1 - rho) * g)
    step = learning_rate * g / sqrt(v + epsilon)     (centered: sqrt(v - a**2 + epsilon))
    w = w - step                                     (momentum: m = momentum * m + step; w -= m)

Note epsilon is inside the square root (PyTorch adds it outside).

>>> import tinyflow as tf
>>> from tinyflow import keras
>>> w = tf.Variable([1.0])
>>> _ = keras.optimizers.RMSprop(0.01).apply_gradients([(tf.tensor([2.0]), w)])
>>> round(float(w.detach()[0]), 4)            # 1 - 0.01 * 2 / sqrt(0.1 * 4)
0.9684
"""
import numpy as np

from ... import ops
from .base import Optimizer


class RMSprop(Optimizer):
    def __init__(self, learning_rate=0.001, rho=0.9, momentum=0.0, epsilon=1e-7,
                 centered=False, name="RMSprop", **kwargs):
        kwargs.setdefault("ema_overwrite_frequency", 100)
        super().__init__(learning_rate, name, **kwargs)
        self.rho, self.momentum, self.epsilon, self.centered = rho, momentum, epsilon, centered
        self._velocities, self._momentums, self._average_gradients = [], [], []

    def build(self, var_list):
        super().build(var_list)
        self._velocities += [self.add_variable_from_reference(v, "velocity") for v in var_list]
        if self.momentum > 0:
            self._momentums += [self.add_variable_from_reference(v, "momentum") for v in var_list]
        if self.centered:
            self._average_gradients += [self.add_variable_from_reference(v, "average_gradient")
                                        for v in var_list]

    def update_step(self, gradient, variable):
        lr = self._lr(variable)
        # numbers as arrays of the weight's dtype: a bare Python float next to an eager
        # tensor becomes a float32 constant in a traced graph (graph/build.py's rule)
        dtype = variable.array.dtype
        rho, one_minus_rho = np.asarray(self.rho, dtype), np.asarray(1 - self.rho, dtype)
        velocity = self.slot(self._velocities, variable)
        v_new = rho * velocity + one_minus_rho * ops.square(gradient)
        velocity.assign(v_new)
        if self.centered:
            average = self.slot(self._average_gradients, variable)
            a_new = rho * average + one_minus_rho * gradient
            average.assign(a_new)
            denominator = v_new - ops.square(a_new) + self.epsilon
        else:
            denominator = v_new + self.epsilon
        increment = lr * gradient * ops.rsqrt(denominator)
        if self.momentum > 0:
            momentum = self.slot(self._momentums, variable)
            m_new = np.asarray(self.momentum, dtype) * momentum + increment
            momentum.assign(m_new)
            variable.assign_add(-m_new)
        else:
            variable.assign_add(-increment)

    def get_config(self):
        return {**super().get_config(), "rho": self.rho, "momentum": self.momentum,
                "epsilon": self.epsilon, "centered": self.centered}
