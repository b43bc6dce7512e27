"""Adamax, Adam with the infinity norm, as Keras 2 writes it:

    m = m + (g - m) * (1 - beta_1)                 u = max(beta_2 * u, |g|)
    w = w - learning_rate * m / ((1 - beta_1**t) * (u + epsilon))      (t = iterations + 1)

(the bias correction ``1 - beta_1**t`` reads beta_1 as a float32 constant, as
``tf.cast(beta_1, dtype)`` does; the moment updates read it as a Python float.)
"""
import numpy as np

from ... import ops
from .base import Optimizer, tf_cast


class Adamax(Optimizer):
    """Adam whose second moment is the largest recent |gradient| (``u``).

    >>> import tinyflow as tf
    >>> from tinyflow import keras
    >>> w = tf.Variable([1.0])
    >>> _ = keras.optimizers.Adamax(0.1).apply_gradients([(tf.tensor([5.0]), w)])
    >>> round(float(w.detach()[0]), 4)                # the first step moves by ~learning_rate
    0.9
    """

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7,
                 name="Adamax", **kwargs):
        super().__init__(learning_rate, name, **kwargs)
        self.beta_1, self.beta_2, self.epsilon = beta_1, beta_2, epsilon
        self._m, self._u = [], []

    def build(self, var_list):
        super().build(var_list)
        for v in var_list:
            self._m.append(self.add_variable_from_reference(v, "m"))
            self._u.append(self.add_variable_from_reference(v, "u"))

    def update_step(self, gradient, variable):
        dtype = variable.array.dtype
        c = lambda x: np.asarray(x, dtype)        # noqa: E731  a number in the weight's dtype
        t = ops.cast(self.iterations + 1, dtype)
        beta_1_power = ops.pow(tf_cast(self.beta_1, dtype), t)
        m, u = self.slot(self._m, variable), self.slot(self._u, variable)
        m_new = m + (gradient - m) * c(1 - self.beta_1)
        u_new = ops.maximum(u * c(self.beta_2), ops.abs(gradient))
        m.assign(m_new)
        u.assign(u_new)
        variable.assign_sub((self._lr(variable) * m_new) /
                            ((c(1) - beta_1_power) * (u_new + c(self.epsilon))))

    def get_config(self):
        return {**super().get_config(), "beta_1": self.beta_1, "beta_2": self.beta_2,
                "epsilon": self.epsilon}
