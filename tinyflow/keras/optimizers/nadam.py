"""Nadam, Adam with Nesterov momentum, as Keras 2 writes it (t = iterations + 1):

    u_t = beta_1 * (1 - 0.5 * 0.96**t)          (the momentum schedule, Dozat 2016)
    prod_t = u_1 * u_2 * ... * u_t              (kept in a variable, advanced once a step)
    m = m + (g - m) * (1 - beta_1)              v = v + (g**2 - v) * (1 - beta_2)
    m_hat = u_{t+1} * m / (1 - prod_{t+1}) + (1 - u_t) * g / (1 - prod_t)
    v_hat = v / (1 - beta_2**t)
    w = w - learning_rate * m_hat / (sqrt(v_hat) + epsilon)

The momentum decay 0.96 is fixed in Keras 2 (there is no ``momentum_decay``
argument); beta_1, beta_2 and 0.96 are read as float32 constants, as
``tf.cast(0.96, dtype)`` makes them.
"""
import numpy as np

from ... import ops
from ...eager.variable import Variable
from .base import Optimizer, tf_cast


class Nadam(Optimizer):
    """Adam whose momentum looks one step ahead (Nesterov), on a warming-up schedule.

    >>> import tinyflow as tf
    >>> from tinyflow import keras
    >>> w = tf.Variable([1.0])
    >>> _ = keras.optimizers.Nadam(0.1).apply_gradients([(tf.tensor([5.0]), w)])
    >>> round(float(w.detach()[0]), 4)                # tf_keras: 0.8937212
    0.8937
    """

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7,
                 name="Nadam", **kwargs):
        super().__init__(learning_rate, name, **kwargs)
        self.beta_1, self.beta_2, self.epsilon = beta_1, beta_2, epsilon
        self._momentums, self._velocities = [], []
        self._u_product = None

    def build(self, var_list):
        if self._u_product is None and var_list:
            # the product of the u_t so far. tf_keras keeps it outside ``variables``, so
            # a reloaded model restarts it at 1; tinyflow saves it with the others
            self._u_product = Variable(np.ones((), var_list[0].array.dtype),
                                       f"{self.name}/u_product", trainable=False)
            self._variables.append(self._u_product)
        super().build(var_list)
        for v in var_list:
            self._momentums.append(self.add_variable_from_reference(v, "m"))
            self._velocities.append(self.add_variable_from_reference(v, "v"))

    def _u(self, step, dtype):
        return tf_cast(self.beta_1, dtype) * (1.0 - 0.5 * ops.pow(tf_cast(0.96, dtype), step))

    def _begin_step(self, variables):
        """Advance the product once for all the variables of this step."""
        dtype = self._u_product.array.dtype
        t = ops.cast(self.iterations + 1, dtype)
        self._u_t, self._u_next = self._u(t, dtype), self._u(t + 1, dtype)
        self._u_prod_t = self._u_product * self._u_t
        self._u_prod_next = self._u_prod_t * self._u_next
        self._u_product.assign(self._u_prod_t)

    def update_step(self, gradient, variable):
        dtype = variable.array.dtype
        cast = lambda x: ops.cast(x, dtype)       # noqa: E731  (a no-op for one dtype)
        u_t, u_next = cast(self._u_t), cast(self._u_next)
        prod_t, prod_next = cast(self._u_prod_t), cast(self._u_prod_next)
        beta_1, beta_2 = tf_cast(self.beta_1, dtype), tf_cast(self.beta_2, dtype)
        beta_2_power = ops.pow(beta_2, ops.cast(self.iterations + 1, dtype))
        m, v = self.slot(self._momentums, variable), self.slot(self._velocities, variable)
        m_new = m + (gradient - m) * (1 - beta_1)
        v_new = v + (ops.square(gradient) - v) * (1 - beta_2)
        m.assign(m_new)
        v.assign(v_new)
        m_hat = u_next * m_new / (1 - prod_next) + (1 - u_t) * gradient / (1 - prod_t)
        v_hat = v_new / (1 - beta_2_power)
        variable.assign_sub((m_hat * self._lr(variable)) /
                            (ops.sqrt(v_hat) + np.asarray(self.epsilon, dtype)))

    def get_config(self):
        return {**super().get_config(), "beta_1": self.beta_1, "beta_2": self.beta_2,
                "epsilon": self.epsilon}
