"""TensorFlow 1 optimizers: ``minimize(loss)`` = ``compute_gradients`` (symbolic
gradients of the loss) + ``apply_gradients`` (assign ops that update each
variable). Running the returned op in a Session does one training step.

>>> import tinyflow.compat.v1 as tf
>>> tf.reset_default_graph()
>>> w = tf.Variable(3.0, name="w")
>>> step = tf.train.GradientDescentOptimizer(0.25).minimize(w * w)
>>> with tf.Session() as sess:
...     sess.run(tf.global_variables_initializer())
...     _ = sess.run(step)
...     float(sess.run(w))
1.5
"""
import numpy as np

from ..ops import sqrt
from ..graph.api import group
from ..graph.graph import building
from ..graph.gradients import gradients
from ..graph.variables import Variable, trainable_variables


class Optimizer:
    """Base class: subclasses say how one variable is updated from its gradient."""

    def __init__(self, learning_rate, use_locking=False, name=None):
        self.learning_rate = learning_rate
        self.name = name or type(self).__name__.replace("Optimizer", "")
        self._slots = {}

    def compute_gradients(self, loss, var_list=None):
        """[(gradient, variable)] for every trainable variable (gradient None if unused)."""
        if var_list is None:
            var_list = trainable_variables()
        if not var_list:
            raise ValueError("No variables to optimize: create tf.Variable(...)s or pass var_list")
        grads = gradients(loss, list(var_list))
        return list(zip(grads, var_list))

    def apply_gradients(self, grads_and_vars, global_step=None, name=None):
        """An op that updates each variable from its gradient."""
        pairs = [(g, v) for g, v in grads_and_vars if g is not None]
        if not pairs:
            raise ValueError(f"No gradients provided for any variable: check that the loss depends "
                             f"on {[v.name for _, v in grads_and_vars]}")
        g0 = pairs[0][1].graph
        with building(g0), g0.name_scope(name or self.name):
            updates = [self._apply(g, v) for g, v in pairs]
            updates += self._finish()
            if global_step is not None:
                updates.append(global_step.assign_add(1))
            return group(*updates, name="update" if name is None else name)

    def minimize(self, loss, global_step=None, var_list=None, name=None):
        """compute_gradients + apply_gradients: one op that does a training step."""
        return self.apply_gradients(self.compute_gradients(loss, var_list), global_step, name)

    def _slot(self, var, kind, init=0.0):
        """An extra variable per trainable variable (momentum, Adam's moments)."""
        key = (var.node, kind)
        if key not in self._slots:
            g = var.graph
            with g.name_scope(None), g.name_scope(var.node.name + "/"):
                self._slots[key] = Variable(np.full(var.shape.as_list(), init, var.dtype),
                                            trainable=False, name=kind)
        return self._slots[key]

    def get_slot(self, var, name):
        return self._slots.get((var.node, name))

    def _finish(self):
        return []

    def _apply(self, grad, var):
        raise NotImplementedError


class GradientDescentOptimizer(Optimizer):
    """var -= learning_rate * grad"""

    def _apply(self, grad, var):
        return var.assign_sub(self.learning_rate * grad)


class MomentumOptimizer(Optimizer):
    """accum = momentum * accum + grad; var -= learning_rate * accum
    (nesterov: var -= learning_rate * (grad + momentum * accum))."""

    def __init__(self, learning_rate, momentum, use_locking=False, name="Momentum",
                 use_nesterov=False):
        super().__init__(learning_rate, name=name)
        self.momentum = momentum
        self.use_nesterov = use_nesterov

    def _apply(self, grad, var):
        acc = self._slot(var, "Momentum")
        new_acc = acc.assign(self.momentum * acc + grad)
        step = grad + self.momentum * new_acc if self.use_nesterov else new_acc
        return var.assign_sub(self.learning_rate * step)


class AdamOptimizer(Optimizer):
    """Kingma & Ba's Adam, in TensorFlow 1's form:
    lr_t = lr * sqrt(1 - beta2^t) / (1 - beta1^t); m = b1 m + (1 - b1) g;
    v = b2 v + (1 - b2) g^2; var -= lr_t * m / (sqrt(v) + epsilon)."""

    def __init__(self, learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-8,
                 use_locking=False, name="Adam"):
        super().__init__(learning_rate, name=name)
        self.beta1, self.beta2, self.epsilon = beta1, beta2, epsilon
        self._powers = None

    def _apply(self, grad, var):
        if self._powers is None:
            g = var.graph
            with g.name_scope(None):
                self._powers = (Variable(np.asarray(self.beta1, var.dtype), trainable=False,
                                         name="beta1_power"),
                                Variable(np.asarray(self.beta2, var.dtype), trainable=False,
                                         name="beta2_power"))
        b1p, b2p = self._powers
        m = self._slot(var, "Adam")
        v = self._slot(var, "Adam_1")
        lr_t = self.learning_rate * sqrt(1 - b2p) / (1 - b1p)
        m_new = m.assign(self.beta1 * m + (1 - self.beta1) * grad)
        v_new = v.assign(self.beta2 * v + (1 - self.beta2) * grad * grad)
        return var.assign_sub(lr_t * m_new / (sqrt(v_new) + self.epsilon))

    def _finish(self):
        # The powers advance after every variable has used them (control dependencies).
        b1p, b2p = self._powers
        return [b1p.assign(b1p * self.beta1), b2p.assign(b2p * self.beta2)]

    def apply_gradients(self, grads_and_vars, global_step=None, name=None):
        pairs = [(g, v) for g, v in grads_and_vars if g is not None]
        if not pairs:
            return super().apply_gradients(grads_and_vars, global_step, name)
        g0 = pairs[0][1].graph
        with building(g0), g0.name_scope(name or self.name):
            updates = [self._apply(g, v) for g, v in pairs]
            with g0.control_dependencies(updates):
                finish = self._finish()
            if global_step is not None:
                finish.append(global_step.assign_add(1))
            return group(*updates, *finish, name="update")
