"""Adam, as Keras 2 writes it:

    m = m + (g - m) * (1 - beta_1)        v = v + (g**2 - v) * (1 - beta_2)
    alpha = learning_rate * sqrt(1 - beta_2**t) / (1 - beta_1**t)      (t = iterations + 1)
    w = w - alpha * m / (sqrt(v) + epsilon)

(epsilon is added to sqrt(v) after the bias correction is folded into alpha, which
is Keras's epsilon "hat", not PyTorch's; the default is 1e-7.)

>>> import tinyflow as tf
>>> from tinyflow import keras
>>> w = tf.Variable([1.0])
>>> _ = keras.optimizers.Adam(0.1).apply_gradients([(tf.tensor([5.0]), w)])
>>> round(float(w.detach()[0]), 4)                # the first step moves by ~learning_rate
0.9
"""
from ... import ops
from .base import Optimizer, tf_cast


class Adam(Optimizer):
    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7,
                 amsgrad=False, name="Adam", **kwargs):
        super().__init__(learning_rate, name, **kwargs)
        self.beta_1, self.beta_2, self.epsilon, self.amsgrad = beta_1, beta_2, epsilon, amsgrad
        self._momentums, self._velocities, self._velocity_hats = [], [], []

    def build(self, var_list):
        Optimizer.build(self, var_list)        # (not super(): AdamW borrows this method)
        for v in var_list:                      # m and v side by side, in tf_keras's order
            self._momentums.append(self.add_variable_from_reference(v, "m"))
            self._velocities.append(self.add_variable_from_reference(v, "v"))
        if self.amsgrad:
            self._velocity_hats += [self.add_variable_from_reference(v, "vhat") for v in var_list]

    def update_step(self, gradient, variable):
        dtype = variable.array.dtype
        lr = self._lr(variable)
        t = ops.cast(self.iterations + 1, dtype)
        beta_1_power = ops.pow(tf_cast(self.beta_1, dtype), t)
        beta_2_power = ops.pow(tf_cast(self.beta_2, dtype), t)
        alpha = lr * ops.sqrt(1 - beta_2_power) / (1 - beta_1_power)
        m, v = self.slot(self._momentums, variable), self.slot(self._velocities, variable)
        m_new = m + (gradient - m) * (1 - self.beta_1)
        v_new = v + (ops.square(gradient) - v) * (1 - self.beta_2)
        m.assign(m_new)
        v.assign(v_new)
        if self.amsgrad:
            v_hat = self.slot(self._velocity_hats, variable)
            v_new = ops.maximum(v_hat, v_new)
            v_hat.assign(v_new)
        variable.assign_sub((m_new * alpha) / (ops.sqrt(v_new) + self.epsilon))

    def get_config(self):
        return {**super().get_config(), "beta_1": self.beta_1, "beta_2": self.beta_2,
                "epsilon": self.epsilon, "amsgrad": self.amsgrad}
