"""FTRL-Proximal ("Follow The Regularized Leader", McMahan et al. 2013), as Keras 2
writes it. Each weight keeps an accumulator ``n`` of squared gradients (starting
at ``initial_accumulator_value``, read as float32) and a linear term ``z``;
with p = -learning_rate_power (0.5 by default):

    g2 = g + 2 * l2_shrinkage * w                        (shrinkage: only in z)
    z = z + g2 - ((n + g**2)**p - n**p) / learning_rate * w
    n = n + g**2
    q = n**p / learning_rate + 2 * (l2 + beta / (2 * learning_rate))
    w = (clip(z, -l1, l1) - z) / q                       (0 wherever |z| <= l1)

The L1 term makes weights exactly zero, which is why FTRL is used for sparse
models (click-through prediction). learning_rate_power=0 keeps the step size fixed.
"""
import numpy as np

from ... import ops
from .base import Optimizer, tf_cast

_NON_NEGATIVE = ("initial_accumulator_value", "l1_regularization_strength",
                 "l2_regularization_strength", "l2_shrinkage_regularization_strength")


class Ftrl(Optimizer):
    """Per-coordinate adaptive steps with L1 (sparsity) and L2 penalties.

    >>> import tinyflow as tf
    >>> from tinyflow import keras
    >>> w = tf.Variable([1.0, 1.0])
    >>> opt = keras.optimizers.Ftrl(0.5, l1_regularization_strength=0.3)
    >>> _ = opt.apply_gradients([(tf.tensor([0.1, 2.0]), w)])
    >>> w.detach()                                       # |z| <= l1 for the first: exactly 0
    tensor([0.0000, 0.2759])
    """

    def __init__(self, learning_rate=0.001, learning_rate_power=-0.5,
                 initial_accumulator_value=0.1, l1_regularization_strength=0.0,
                 l2_regularization_strength=0.0, l2_shrinkage_regularization_strength=0.0,
                 beta=0.0, name="Ftrl", **kwargs):
        super().__init__(learning_rate, name, **kwargs)
        values = dict(initial_accumulator_value=initial_accumulator_value,
                      l1_regularization_strength=l1_regularization_strength,
                      l2_regularization_strength=l2_regularization_strength,
                      l2_shrinkage_regularization_strength=l2_shrinkage_regularization_strength)
        for key in _NON_NEGATIVE:
            if values[key] < 0.0:
                raise ValueError(f"`{key}` needs to be positive or zero. Received: "
                                 f"{key}={values[key]}.")
        if learning_rate_power > 0.0:
            raise ValueError(f"`learning_rate_power` needs to be negative or zero. Received: "
                             f"learning_rate_power={learning_rate_power}.")
        self.learning_rate_power = learning_rate_power
        self.initial_accumulator_value = initial_accumulator_value
        self.l1_regularization_strength = l1_regularization_strength
        self.l2_regularization_strength = l2_regularization_strength
        self.l2_shrinkage_regularization_strength = l2_shrinkage_regularization_strength
        self.beta = beta
        self._accumulators, self._linears = [], []

    def build(self, var_list):
        super().build(var_list)
        for v in var_list:
            # tf.fill(shape, 0.1) is float32, then cast: 0.1 starts as 0.10000000149
            start = np.full(v.array.shape, tf_cast(self.initial_accumulator_value, v.array.dtype))
            self._accumulators.append(self.add_variable_from_reference(v, "accumulator", start))
            self._linears.append(self.add_variable_from_reference(v, "linear"))

    def update_step(self, gradient, variable):
        dtype = variable.array.dtype
        c = lambda x: np.asarray(x, dtype)        # noqa: E731  a number in the weight's dtype
        lr = self._lr(variable)
        power = c(-self.learning_rate_power)
        l1 = self.l1_regularization_strength
        l2 = c(self.l2_regularization_strength) + c(self.beta) / (c(2.0) * lr)
        n, z = self.slot(self._accumulators, variable), self.slot(self._linears, variable)
        g2 = gradient + c(2 * self.l2_shrinkage_regularization_strength) * variable
        n_new = n + ops.pow(gradient, c(2))
        z_new = z + (g2 - (ops.pow(n_new, power) - ops.pow(n, power)) / lr * variable)
        z.assign(z_new)
        quadratic = ops.pow(n_new, power) / lr + c(2) * l2
        z_clipped = ops.clamp(z_new, -l1, l1)
        variable.assign((z_clipped - z_new) / quadratic)
        n.assign(n_new)

    def get_config(self):
        return {**super().get_config(), "learning_rate_power": self.learning_rate_power,
                "initial_accumulator_value": self.initial_accumulator_value,
                "l1_regularization_strength": self.l1_regularization_strength,
                "l2_regularization_strength": self.l2_regularization_strength,
                "l2_shrinkage_regularization_strength":
                    self.l2_shrinkage_regularization_strength,
                "beta": self.beta}
