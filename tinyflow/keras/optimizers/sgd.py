"""Stochastic gradient descent, with Keras 2's momentum (and Nesterov's).

    m = momentum * m - learning_rate * g
    w = w + m                                     (nesterov: w + momentum * m - learning_rate * g)

>>> import tinyflow as tf
>>> from tinyflow import keras
>>> w = tf.Variable([1.0])
>>> opt = keras.optimizers.SGD(0.1, momentum=0.9)
>>> for _ in range(2):
...     _ = opt.apply_gradients([(tf.tensor([1.0]), w)])
>>> round(float(w.detach()[0]), 4)                 # 1 - 0.1 - (0.09 + 0.1)
0.71
"""
from .base import Optimizer, tf_cast


class SGD(Optimizer):
    def __init__(self, learning_rate=0.01, momentum=0.0, nesterov=False, name="SGD", **kwargs):
        super().__init__(learning_rate, name, **kwargs)
        if not 0 <= momentum <= 1:
            raise ValueError("`momentum` must be between [0, 1].")
        self.momentum, self.nesterov = momentum, bool(nesterov)
        self.momentums = []

    def build(self, var_list):
        super().build(var_list)
        if self.momentum:
            self.momentums += [self.add_variable_from_reference(v, "m") for v in var_list]

    def update_step(self, gradient, variable):
        lr = self._lr(variable)
        if not self.momentum:
            variable.assign_add(-gradient * lr)
            return
        m = self.slot(self.momentums, variable)
        momentum = tf_cast(self.momentum, variable.array.dtype)
        m_new = -gradient * lr + m * momentum
        m.assign(m_new)
        variable.assign_add(-gradient * lr + m_new * momentum if self.nesterov else m_new)

    def get_config(self):
        return {**super().get_config(), "momentum": self.momentum, "nesterov": self.nesterov}
