"""TensorFlow 1 optimizers: ``minimize(loss)`` = ``compute_gradients`` (symbolic
gradients of the loss) + ``apply_gradients`` (assign ops that update each
variable). Running the returned op in a Session does one training step.

The graph is laid out as TensorFlow 1 lays it out: slot variables beside their
variable (``w/Momentum``, ``w/Adam_1``), the updates under ``GradientDescent/update_w``,
and the returned op named after the optimizer (a NoOp grouping the updates, or,
with a ``global_step``, the AssignAdd that counts the step, run after them).

>>> import tinyflow.compat.v1 as tf
>>> tf.reset_default_graph()
>>> w = tf.Variable(3.0, name="w")
>>> step = tf.train.GradientDescentOptimizer(0.25).minimize(w * w)
>>> step
<tf.Operation 'GradientDescent' type=NoOp>
>>> with tf.Session() as sess:
...     sess.run(tf.global_variables_initializer())
...     _ = sess.run(step)
...     float(sess.run(w))
1.5
"""
import numpy as np

from ..base import replica
from ..ops import cast, sqrt
from ..ops import state as S
from ..graph.graph import building
from ..graph.gradients import gradients
from ..graph.tensor import SymbolicTensor
from ..graph.variables import Variable, trainable_variables

TRAIN_OP = "train_op"


class Optimizer:
    """Base class: subclasses say which slots a variable needs (``_create_slots``)
    and how it is updated from its gradient (``_apply_dense``)."""
    GATE_NONE, GATE_OP, GATE_GRAPH = 0, 1, 2
    _float32_hyper = False    # hyper-parameters rounded to float32 first, as TF1 stores them

    def __init__(self, learning_rate, use_locking=False, name=None):
        if learning_rate is None:
            raise ValueError(f"{type(self).__name__}(): argument 'learning_rate' must be a "
                             f"number or a scalar tensor, got None")
        self.learning_rate = learning_rate
        self._name = name or type(self).__name__.replace("Optimizer", "")
        self._slots = {}                 # slot name -> {variable op: slot variable}

    def get_name(self):
        return self._name

    # --- the public steps ---
    def compute_gradients(self, loss, var_list=None, gate_gradients=GATE_OP,
                          aggregation_method=None, colocate_gradients_with_ops=False,
                          grad_loss=None):
        """[(gradient, variable)] for every trainable variable (gradient None if unused)."""
        if not isinstance(loss, SymbolicTensor):
            raise TypeError(f"{type(self).__name__}.compute_gradients(): argument 'loss' must "
                            f"be a Tensor (the value to minimize, built from the variables), "
                            f"got {type(loss).__name__} {loss!r:.60}")
        if np.dtype(loss.dtype).kind != "f":
            raise ValueError(f"Invalid type {loss.dtype.name} for {loss.name}, expected: "
                             f"[float16, float32, float64].")
        if var_list is None:
            var_list = trainable_variables()
        var_list = list(var_list)
        if not var_list:
            raise ValueError("No variables to optimize.")
        for v in var_list:
            if not isinstance(v, Variable):
                raise TypeError(f"{type(self).__name__}: var_list must hold Variables, got "
                                f"{v!r:.80}")
        grads = gradients(loss, var_list, grad_ys=grad_loss)
        return list(zip(grads, var_list))

    def apply_gradients(self, grads_and_vars, global_step=None, name=None):
        """An op that updates each variable from its gradient (and then adds 1 to
        ``global_step``, if given)."""
        pairs = _checked_pairs(grads_and_vars)
        var_list = [v for g, v in pairs if g is not None]
        if not var_list:
            raise ValueError(f"No gradients provided for any variable: "
                             f"{[str(v) for _, v in pairs]}.")
        context = replica.current()     # inside strategy.run: sum the replicas', apply once
        if context is not None:
            return context.sum_and_apply(pairs, lambda summed: self.apply_gradients(
                summed, global_step, name))
        g0 = var_list[0].graph
        with building(g0):
            self._create_slots(var_list)
            with g0.name_scope(name or self._name) as scope:
                updates = []
                for grad, var in pairs:
                    if grad is None:
                        continue
                    with g0.name_scope("update_" + var.node.name):
                        done = self._apply_dense(grad, var)      # one update, or a list
                        updates.extend(done if isinstance(done, list) else [done])
                finish = self._finish(updates, scope.rstrip("/") if global_step is None
                                      else "update", exact=global_step is None)
                if global_step is None:
                    apply = finish
                else:
                    with g0.control_dependencies([finish]):
                        apply = _exact_op(g0, S.AssignAdd, (global_step, _one(global_step)),
                                          global_step, scope.rstrip("/"))
            g0.add_to_collection(TRAIN_OP, apply)
        return apply

    def minimize(self, loss, global_step=None, var_list=None, gate_gradients=GATE_OP,
                 aggregation_method=None, colocate_gradients_with_ops=False, name=None,
                 grad_loss=None):
        """compute_gradients + apply_gradients: one op that does a training step."""
        pairs = self.compute_gradients(loss, var_list, grad_loss=grad_loss)
        if all(g is None for g, _ in pairs):
            raise ValueError(f"No gradients provided for any variable, check your graph for ops "
                             f"that do not support gradients, between variables "
                             f"{[str(v) for _, v in pairs]} and loss {loss}.")
        return self.apply_gradients(pairs, global_step, name)

    # --- slots ---
    def get_slot_names(self):
        return sorted(self._slots)

    def get_slot(self, var, name):
        return self._slots.get(name, {}).get(var.node)

    def variables(self):
        return [v for slots in self._slots.values() for v in slots.values()]

    def _slot(self, var, slot_name, init=0.0):
        """The ``slot_name`` variable of ``var`` (made the first time): a variable of
        its shape and dtype named ``var/OptimizerName`` (``_1``, ``_2`` for more)."""
        slots = self._slots.setdefault(slot_name, {})
        if var.node not in slots:
            g = var.graph
            with g.name_scope(None), g.name_scope(var.node.name + "/"):
                slots[var.node] = Variable(np.full(var.shape.as_list(), init, var.dtype),
                                           trainable=False, name=self._name)
        return slots[var.node]

    def _create_slots(self, var_list):
        pass

    def _finish(self, update_ops, name, exact=False):
        g = update_ops[0].graph
        with g.control_dependencies([u.node if isinstance(u, SymbolicTensor) else u
                                     for u in update_ops]):
            if exact:
                return g.create_op(S.NoOp, (), {}, (), np.dtype(bool), name=name, exact=True)
            return g.create_op(S.NoOp, (), {}, (), np.dtype(bool), name=name)

    def _hyper(self, value, var):
        """A hyper-parameter for ``var``'s update, in ``var``'s dtype (a tensor cast,
        a number rounded to float32 first where TF1 does that)."""
        dtype = var.dtype.base_dtype.dtype
        if isinstance(value, SymbolicTensor):
            return value if value.dtype == dtype else cast(value, dtype)
        if callable(value):
            return self._hyper(value(), var)
        return np.asarray(np.float32(value) if self._float32_hyper else value, dtype)

    def _apply_dense(self, grad, var):
        raise NotImplementedError


def _checked_pairs(grads_and_vars):
    try:
        pairs = [tuple(p) for p in grads_and_vars]
    except TypeError:
        raise TypeError(f"apply_gradients(): argument 'grads_and_vars' must be a list of "
                        f"(gradient, variable) pairs, got {grads_and_vars!r:.80}") from None
    if not pairs:
        raise ValueError("No variables provided.")
    for p in pairs:
        if len(p) != 2 or not isinstance(p[1], Variable):
            raise TypeError(f"apply_gradients(): each entry of 'grads_and_vars' must be a "
                            f"(gradient, Variable) pair, got {p!r:.80}")
    return pairs


def _one(var):
    return np.ones((), var.dtype.base_dtype.dtype)


def _exact_op(g, prim, inputs, like, name):
    """An op named exactly ``name`` (the optimizer's scope name, at the top level)."""
    from ..graph.build import convert_to_tensor
    ins = tuple(convert_to_tensor(v, g) for v in inputs)
    return g.create_op(prim, ins, {}, like._shape, like.dtype.base_dtype.dtype, name=name,
                       exact=True)


class GradientDescentOptimizer(Optimizer):
    """var -= learning_rate * grad"""

    def __init__(self, learning_rate, use_locking=False, name="GradientDescent"):
        super().__init__(learning_rate, use_locking, name)

    def _apply_dense(self, grad, var):
        return var.assign_sub(self._hyper(self.learning_rate, var) * grad)


class MomentumOptimizer(Optimizer):
    """accum = momentum * accum + grad; var -= learning_rate * accum
    (nesterov: var -= learning_rate * (grad + momentum * accum))."""

    def __init__(self, learning_rate, momentum, use_locking=False, name="Momentum",
                 use_nesterov=False):
        super().__init__(learning_rate, use_locking, name)
        self.momentum = momentum
        self.use_nesterov = use_nesterov

    def _create_slots(self, var_list):
        for v in var_list:
            self._slot(v, "momentum")

    def _apply_dense(self, grad, var):
        lr, mom = self._hyper(self.learning_rate, var), self._hyper(self.momentum, var)
        acc = self.get_slot(var, "momentum")
        new_acc = acc.assign(mom * acc + grad)
        step = grad + mom * new_acc if self.use_nesterov else new_acc
        return var.assign_sub(lr * step)


class AdamOptimizer(Optimizer):
    """Kingma & Ba's Adam, in TensorFlow 1's form:
    lr_t = lr * sqrt(1 - beta2^t) / (1 - beta1^t); m += (g - m) (1 - b1);
    v += (g^2 - v) (1 - b2); var -= lr_t * m / (sqrt(v) + epsilon)."""

    def __init__(self, learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-8,
                 use_locking=False, name="Adam"):
        super().__init__(learning_rate, use_locking, name)
        self.beta1, self.beta2, self.epsilon = beta1, beta2, epsilon
        self._powers = None

    def _create_slots(self, var_list):
        if self._powers is None:
            g, dtype = var_list[0].graph, var_list[0].dtype.base_dtype.dtype
            with g.name_scope(None):
                self._powers = (Variable(np.asarray(self.beta1, dtype), trainable=False,
                                         name="beta1_power"),
                                Variable(np.asarray(self.beta2, dtype), trainable=False,
                                         name="beta2_power"))
        for v in var_list:
            self._slot(v, "m")
            self._slot(v, "v")

    def _apply_dense(self, grad, var):
        # the ApplyAdam kernel's arithmetic, in the variable's dtype
        lr, eps = self._hyper(self.learning_rate, var), self._hyper(self.epsilon, var)
        b1, b2 = self._hyper(self.beta1, var), self._hyper(self.beta2, var)
        b1p, b2p = self._powers
        m, v = self.get_slot(var, "m"), self.get_slot(var, "v")
        alpha = lr * sqrt(1 - b2p) / (1 - b1p)
        m_new = m.assign(m + (grad - m) * (1 - b1))
        v_new = v.assign(v + (grad * grad - v) * (1 - b2))
        return var.assign_sub((m_new * alpha) / (sqrt(v_new) + eps))

    def _finish(self, update_ops, name, exact=False):
        # The powers advance after every variable has used them (control dependencies).
        b1p, b2p = self._powers
        g = b1p.graph
        with g.control_dependencies([u.node for u in update_ops]):
            powers = [b1p.assign(b1p * self.beta1), b2p.assign(b2p * self.beta2)]
        return super()._finish(update_ops + powers, name, exact)
