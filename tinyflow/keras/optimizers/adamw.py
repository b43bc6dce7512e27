"""AdamW: Adam with decoupled weight decay (Loshchilov & Hutter), as Keras 2 writes it.

Each step first shrinks every weight, then takes Adam's step (adam.py):

    w = w - w * weight_decay * learning_rate       (weight_decay read as float32)
    w = w - alpha * m / (sqrt(v) + epsilon)        (Adam's step, unchanged)

The decay is not added to the gradient, so it does not pass through ``m`` and
``v`` (that is what "decoupled" means, and what Adam with an L2 penalty is not).
``exclude_from_weight_decay(var_names=["bias"])`` leaves some weights alone.
"""
from .adam import Adam
from .base import Optimizer


class AdamW(Optimizer):
    """Adam plus ``weight_decay`` (required; 0.004 by default).

    >>> import tinyflow as tf
    >>> from tinyflow import keras
    >>> w = tf.Variable([1.0])
    >>> opt = keras.optimizers.AdamW(learning_rate=0.1, weight_decay=0.5)
    >>> _ = opt.apply_gradients([(tf.tensor([0.0]), w)])    # no gradient: only the decay
    >>> round(float(w.detach()[0]), 4)                        # 1 - 1 * 0.5 * 0.1
    0.95
    """

    def __init__(self, learning_rate=0.001, weight_decay=0.004, beta_1=0.9, beta_2=0.999,
                 epsilon=1e-7, amsgrad=False, name="AdamW", **kwargs):
        super().__init__(learning_rate, name, **kwargs)
        if weight_decay is None:
            raise ValueError("Missing value of `weight_decay` which is required and must be a "
                             "float value. Received: weight_decay=None (AdamW's default is "
                             "0.004; for no decay at all, use Adam)")
        self.weight_decay = weight_decay       # applied by Optimizer.apply_gradients
        self.beta_1, self.beta_2, self.epsilon, self.amsgrad = beta_1, beta_2, epsilon, amsgrad
        self._momentums, self._velocities, self._velocity_hats = [], [], []

    # Adam's slots and step (not a subclass: in Keras, an AdamW is not an Adam)
    build = Adam.build
    update_step = Adam.update_step

    def get_config(self):
        return {**super().get_config(), "beta_1": self.beta_1, "beta_2": self.beta_2,
                "epsilon": self.epsilon, "amsgrad": self.amsgrad}
