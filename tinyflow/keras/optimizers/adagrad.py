"""Adagrad, as Keras 2 writes it (accumulators start at 0.1):

    a = a + g**2
    w = w - learning_rate * g / sqrt(a + epsilon)

>>> import tinyflow as tf
>>> from tinyflow import keras
>>> w = tf.Variable([1.0])
>>> _ = keras.optimizers.Adagrad(0.1).apply_gradients([(tf.tensor([1.0]), w)])
>>> round(float(w.detach()[0]), 4)            # 1 - 0.1 / sqrt(1.1)
0.9047
"""
import numpy as np

from ... import ops
from .base import Optimizer


class Adagrad(Optimizer):
    def __init__(self, learning_rate=0.001, initial_accumulator_value=0.1, epsilon=1e-7,
                 name="Adagrad", **kwargs):
        super().__init__(learning_rate, name, **kwargs)
        self.initial_accumulator_value, self.epsilon = initial_accumulator_value, epsilon
        self._accumulators = []

    def build(self, var_list):
        super().build(var_list)
        self._accumulators += [
            self.add_variable_from_reference(
                v, "accumulator", np.full_like(v.array, self.initial_accumulator_value))
            for v in var_list]

    def update_step(self, gradient, variable):
        accumulator = self.slot(self._accumulators, variable)
        a_new = accumulator + gradient * gradient
        accumulator.assign(a_new)
        variable.assign_sub(self._lr(variable) * gradient / ops.sqrt(a_new + self.epsilon))

    def get_config(self):
        return {**super().get_config(),
                "initial_accumulator_value": self.initial_accumulator_value,
                "epsilon": self.epsilon}
