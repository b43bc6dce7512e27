"""TensorFlow 1's adaptive optimizers -- RMSProp, Adagrad, Adadelta -- with TF1's
update rules (the ``ApplyRMSProp``, ``ApplyAdagrad`` and ``ApplyAdadelta`` kernels),
defaults, slot names and initial slot values. As in TF1 their hyper-parameters are
float32 numbers cast to the variable's dtype (with float64 variables, 0.9 acts as
0.89999998).

>>> import tinyflow.compat.v1 as tf
>>> tf.reset_default_graph()
>>> w = tf.Variable([1.0, -2.0], name="w")
>>> opt = tf.train.RMSPropOptimizer(0.01)
>>> step = opt.minimize(tf.reduce_sum(w * w))
>>> opt.get_slot_names(), opt.get_slot(w, "rms").name
(['momentum', 'rms'], 'w/RMSProp:0')
>>> with tf.Session() as sess:
...     sess.run(tf.global_variables_initializer())
...     sess.run(opt.get_slot(w, "rms"))           # TF1 starts the mean square at ones
array([1., 1.], dtype=float32)
"""
from ..ops import sqrt, rsqrt
from .tf_optimizers import Optimizer


class RMSPropOptimizer(Optimizer):
    """ms = ms + (g^2 - ms) (1 - decay); mom = momentum mom + lr g / sqrt(ms + epsilon);
    var -= mom. ``centered``: also mg = mg + (g - mg) (1 - decay), and the square root of
    ms - mg^2 + epsilon. The mean square ``ms`` starts at ones (slot "rms")."""
    _float32_hyper = True

    def __init__(self, learning_rate, decay=0.9, momentum=0.0, epsilon=1e-10,
                 use_locking=False, centered=False, name="RMSProp"):
        super().__init__(learning_rate, use_locking, name)
        self.decay, self.momentum, self.epsilon = decay, momentum, epsilon
        self.centered = centered

    def _create_slots(self, var_list):
        for v in var_list:
            self._slot(v, "rms", 1.0)
            if self.centered:
                self._slot(v, "mg")
            self._slot(v, "momentum")

    def _apply_dense(self, grad, var):
        lr, rho = self._hyper(self.learning_rate, var), self._hyper(self.decay, var)
        momentum, eps = self._hyper(self.momentum, var), self._hyper(self.epsilon, var)
        ms, mom = self.get_slot(var, "rms"), self.get_slot(var, "momentum")
        ms_new = ms.assign(ms + (grad * grad - ms) * (1 - rho))
        denom = ms_new + eps
        if self.centered:
            mg = self.get_slot(var, "mg")
            mg_new = mg.assign(mg + (grad - mg) * (1 - rho))
            denom = ms_new - mg_new * mg_new + eps
        mom_new = mom.assign(mom * momentum + lr * grad / sqrt(denom))
        return var.assign_sub(mom_new)


class AdagradOptimizer(Optimizer):
    """accum += g^2; var -= lr g / sqrt(accum), the accumulator starting at
    ``initial_accumulator_value`` (0.1; slot "accumulator")."""
    _float32_hyper = True

    def __init__(self, learning_rate, initial_accumulator_value=0.1, use_locking=False,
                 name="Adagrad"):
        if initial_accumulator_value <= 0.0:
            raise ValueError(f"initial_accumulator_value must be positive: "
                             f"{initial_accumulator_value}")
        super().__init__(learning_rate, use_locking, name)
        self.initial_accumulator_value = initial_accumulator_value

    def _create_slots(self, var_list):
        for v in var_list:
            self._slot(v, "accumulator", self.initial_accumulator_value)

    def _apply_dense(self, grad, var):
        lr = self._hyper(self.learning_rate, var)
        acc = self.get_slot(var, "accumulator")
        acc_new = acc.assign_add(grad * grad)
        return var.assign_sub(grad * lr * rsqrt(acc_new))


class AdadeltaOptimizer(Optimizer):
    """Zeiler's Adadelta: accum = rho accum + (1 - rho) g^2;
    update = sqrt(accum_update + eps) / sqrt(accum + eps) g; var -= lr update;
    accum_update = rho accum_update + (1 - rho) update^2 (slots "accum", "accum_update")."""
    _float32_hyper = True

    def __init__(self, learning_rate=0.001, rho=0.95, epsilon=1e-8, use_locking=False,
                 name="Adadelta"):
        super().__init__(learning_rate, use_locking, name)
        self.rho, self.epsilon = rho, epsilon

    def _create_slots(self, var_list):
        for v in var_list:
            self._slot(v, "accum")
            self._slot(v, "accum_update")

    def _apply_dense(self, grad, var):
        lr, rho = self._hyper(self.learning_rate, var), self._hyper(self.rho, var)
        eps = self._hyper(self.epsilon, var)
        accum, accum_update = self.get_slot(var, "accum"), self.get_slot(var, "accum_update")
        accum_new = accum.assign(accum * rho + grad * grad * (1 - rho))
        update = sqrt(accum_update + eps) * rsqrt(accum_new + eps) * grad
        var_new = var.assign_sub(update * lr)
        return [var_new, accum_update.assign(accum_update * rho + update * update * (1 - rho))]
