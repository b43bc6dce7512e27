"""The Keras optimizer: ``apply_gradients(zip(grads, vars))`` and ``minimize``.

``apply_gradients`` is the one place where gradients change weights: it updates
the learning rate from its schedule, makes the optimizer's own variables (slots
such as Adam's ``m`` and ``v``) the first time it sees a weight, clips, lets
``aggregate_gradients`` combine gradients (the hook a distribution strategy
replaces to sum the replicas' gradients), runs ``update_step`` for each weight
and counts ``iterations``. The updates are ``assign`` ops: eagerly they write
into the weights now; traced by ``tinyflow.function`` they become graph ops
that update the captured weights each time the graph runs.

>>> import tinyflow as tf
>>> from tinyflow import keras
>>> w = tf.Variable([1.0, 2.0])
>>> opt = keras.optimizers.SGD(learning_rate=0.5)
>>> with tf.GradientTape() as tape:
...     loss = (w * w).sum()
>>> _ = opt.apply_gradients(zip(tape.gradient(loss, [w]), [w]))
>>> w.detach(), int(opt.iterations)
(tensor([0., 0.]), 1)
"""
import re
import warnings

import numpy as np

from ... import ops
from ...base import replica
from ...eager.gradient_tape import GradientTape
from ...eager.grad_mode import no_grad
from ...ops.primitive import interpreters, is_eager
from .. import backend
from ...eager.variable import Variable
from .schedules import LearningRateSchedule, deserialize as _schedule

_COMMON = ("name", "weight_decay", "clipnorm", "clipvalue", "global_clipnorm", "use_ema",
           "ema_momentum", "ema_overwrite_frequency", "jit_compile", "is_legacy_optimizer")


def tf_cast(value, dtype):
    """A Python number as TensorFlow's ``tf.cast(number, dtype)`` makes it: first a
    float32 constant, then cast. Keras 2 reads SGD's momentum and Adam's betas this
    way, so 0.9 acts as 0.8999999762 on float64 weights; tinyflow does the same, so
    its updates equal tf_keras's."""
    return np.asarray(np.float32(value), np.dtype(dtype))



class CallableList(list):
    """A list that returns itself when called: ``opt.variables`` and ``opt.variables()``."""

    def __call__(self):
        return self

class Optimizer:
    """Base class: subclasses define ``build(var_list)`` and ``update_step(g, var)``."""

    def __init__(self, learning_rate, name, weight_decay=None, clipnorm=None, clipvalue=None,
                 global_clipnorm=None, use_ema=False, ema_momentum=0.99,
                 ema_overwrite_frequency=None, jit_compile=True, **kwargs):
        for k in kwargs:
            if k not in ("is_legacy_optimizer",):
                raise TypeError(f"{k} is not a valid argument, kwargs should be empty  for "
                                f"`optimizer_experimental.Optimizer`.")
        if clipnorm is not None and global_clipnorm is not None:
            raise ValueError(f"At most one of `clipnorm` and `global_clipnorm` can be set. "
                             f"Received: clipnorm={clipnorm}, global_clipnorm={global_clipnorm}.")
        self.name = name
        self.weight_decay, self.clipnorm, self.clipvalue = weight_decay, clipnorm, clipvalue
        self.global_clipnorm = global_clipnorm
        self.use_ema, self.ema_momentum = use_ema, ema_momentum
        # tf_keras switches XLA off when there is no GPU: tinyflow never has one
        self.ema_overwrite_frequency, self.jit_compile = ema_overwrite_frequency, False
        self.iterations = Variable(np.int64(0), "iteration", trainable=False,   # "iteration:0"
                                   path=f"{name}/iteration")
        self._variables = [self.iterations]
        self._index = {}                 # id(model variable) -> its position in the slots
        self._no_decay_ids, self._no_decay_names = set(), []
        self._built = False
        self._learning_rate = self._build_learning_rate(learning_rate)

    # --- the learning rate: a variable (so callbacks can change it), or a schedule ---
    def _build_learning_rate(self, learning_rate):
        if isinstance(learning_rate, dict):
            learning_rate = _schedule(learning_rate)
        if isinstance(learning_rate, LearningRateSchedule):
            first = learning_rate(0)
            value = np.asarray(getattr(first, "array", first))
            self._current_learning_rate = Variable(value, f"{self.name}/current_learning_rate",
                                                   trainable=False)
            return learning_rate
        return Variable(np.asarray(learning_rate, backend.floatx()),
                        f"{self.name}/learning_rate", trainable=False)

    @property
    def learning_rate(self):
        if isinstance(self._learning_rate, LearningRateSchedule):
            return self._current_learning_rate
        return self._learning_rate

    @learning_rate.setter
    def learning_rate(self, value):
        if isinstance(value, LearningRateSchedule):
            self._learning_rate = value
            return
        if isinstance(self._learning_rate, LearningRateSchedule):
            raise TypeError("This optimizer was created with a `LearningRateSchedule` object as "
                            "its `learning_rate` constructor argument, hence its learning rate "
                            "is not settable. If you need the learning rate to be settable, you "
                            "should instantiate the optimizer with a float `learning_rate` "
                            "argument.")
        backend.set_value(self._learning_rate, getattr(value, "array", value))

    lr = learning_rate

    def _compute_current_learning_rate(self):
        if isinstance(self._learning_rate, LearningRateSchedule):
            self._current_learning_rate.assign(
                ops.cast(self._learning_rate(self.iterations),
                         self._current_learning_rate.array.dtype))

    # --- the optimizer's own variables ---
    @property
    def variables(self):
        """The optimizer's variables: ``iterations``, then the slots. A list that can
        also be called, as in tf_keras (``opt.variables()`` is the older spelling)."""
        return CallableList(self._variables)

    def add_variable_from_reference(self, model_variable, variable_name, initial_value=None):
        """A slot shaped like ``model_variable`` (zeros unless ``initial_value``)."""
        value = np.zeros_like(model_variable.array) if initial_value is None else initial_value
        of = getattr(model_variable, "path", None) or model_variable.name or "variable"
        v = Variable(value, f"{self.name}/{variable_name}/{of}",      # "Adam/m/dense/kernel:0"
                     trainable=False, dtype=model_variable.array.dtype)
        self._variables.append(v)
        return v

    def build(self, var_list):
        """Remember the model variables' order (the optimizer is then built: a saved model
        keeps its state); subclasses make their slots after this."""
        for v in var_list:
            self._index.setdefault(id(v), len(self._index))
        self._built = True

    def exclude_from_weight_decay(self, var_list=None, var_names=None):
        """Leave these variables (or those whose name contains one of ``var_names``, a
        regular expression) out of ``weight_decay``; call it before the first step."""
        if self._built:
            raise ValueError("`exclude_from_weight_decay()` can only be configued before the "
                             "optimizer is built.")
        self._no_decay_ids = {id(v) for v in var_list or ()}
        self._no_decay_names = list(var_names or ())

    def _use_weight_decay(self, variable):
        return id(variable) not in self._no_decay_ids and not any(
            re.search(name, variable.name or "") for name in self._no_decay_names)

    def slot(self, slots, variable):
        return slots[self._index[id(variable)]]

    # --- computing and applying gradients ---
    def compute_gradients(self, loss, var_list, tape=None):
        if tape is None:
            if not callable(loss):
                raise ValueError(f"`tape` is required when a `Tensor` loss is passed. Received: "
                                 f"loss={loss}, tape={tape}.")
            with GradientTape() as tape:
                loss = loss()
        var_list = var_list() if callable(var_list) else list(var_list)
        return list(zip(tape.gradient(loss, var_list), var_list))

    def minimize(self, loss, var_list, tape=None):
        """Gradients of ``loss`` (a tensor recorded on ``tape``, or a function of no
        arguments) for ``var_list``, then ``apply_gradients``."""
        return self.apply_gradients(self.compute_gradients(loss, var_list, tape))

    def aggregate_gradients(self, grads_and_vars):
        """Combine gradients before they are applied: the identity here; a
        distribution strategy replaces it to sum the replicas' gradients."""
        return grads_and_vars

    def apply_gradients(self, grads_and_vars, name=None, skip_gradients_aggregation=False):
        """Apply each gradient to its variable; returns ``iterations``."""
        pairs = list(grads_and_vars)
        if not pairs:
            return self.iterations
        missing = [v.name for g, v in pairs if g is None]
        if missing:
            warnings.warn(f"Gradients do not exist for variables {missing} when minimizing the "
                          f"loss. If you're using `model.compile()`, did you forget to provide "
                          f"a `loss` argument?", stacklevel=2)
        pairs = [(g, v) for g, v in pairs if g is not None]
        if not pairs:
            return self.iterations
        for _, v in pairs:
            if not is_eager(v):
                raise TypeError(f"apply_gradients: expected (gradient, variable) pairs whose "
                                f"variables are eager tensors (Keras weights, tf.Variable), "
                                f"got a {type(v).__name__}")
        new = [v for _, v in pairs if id(v) not in self._index]
        if new:
            self.build(new)
        context = replica.current()     # inside strategy.run: sum the replicas', apply once
        if context is not None and not skip_gradients_aggregation:
            context.sum_and_apply(pairs, lambda summed: self.apply_gradients(summed, name, True))
            return self.iterations
        if not skip_gradients_aggregation:
            pairs = list(self.aggregate_gradients(pairs))
        with _updating(self.name):
            self._compute_current_learning_rate()
            grads = self._clip_gradients([g for g, _ in pairs])
            self._begin_step([v for _, v in pairs])
            for (_, v), g in zip(pairs, grads):
                if self.weight_decay is not None and self._use_weight_decay(v):
                    # decoupled weight decay, before the step: w = w - w * wd * lr
                    v.assign_sub(v * tf_cast(self.weight_decay, v.array.dtype) * self._lr(v))
                self.update_step(g, v)
            self.iterations.assign_add(np.int64(1))
            for _, v in pairs:
                constraint = v._meta.get("constraint") if v._meta else None
                if constraint is not None:
                    v.assign(constraint(v))
        return self.iterations

    def _clip_gradients(self, grads):
        if self.clipnorm:
            grads = [g * (self.clipnorm / ops.maximum(ops.sqrt(ops.sum(ops.square(g))),
                                                      self.clipnorm)) for g in grads]
        if self.global_clipnorm:
            norm = ops.sqrt(sum(ops.sum(ops.square(g)) for g in grads))
            grads = [g * (self.global_clipnorm / ops.maximum(norm, self.global_clipnorm))
                     for g in grads]
        if self.clipvalue:
            grads = [ops.clamp(g, -self.clipvalue, self.clipvalue) for g in grads]
        return grads

    def _begin_step(self, variables):
        """Work shared by all the variables of one step (Nadam's momentum schedule)."""

    def update_step(self, gradient, variable):
        raise NotImplementedError

    def _lr(self, variable):
        return ops.cast(self.learning_rate, variable.array.dtype)

    # --- config ---
    def get_config(self):
        lr = self._learning_rate
        return {"name": self.name, **{k: getattr(self, k) for k in _COMMON[1:-1]},
                "is_legacy_optimizer": False, "learning_rate": _lr_config(lr)}

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        config.pop("is_legacy_optimizer", None)
        return cls(**config)

    def __repr__(self):
        return f"<tinyflow.keras.optimizers.{type(self).__name__} name={self.name}>"


def _lr_config(lr):
    if isinstance(lr, LearningRateSchedule):
        return {"class_name": type(lr).__name__, "config": lr.get_config()}
    return float(lr.array)


class _updating:
    """Eagerly, updates are not recorded on the tape; a graph being traced records
    them, named after the optimizer ("SGD/AssignSubVariableOp"), as tf_keras's are."""

    def __init__(self, name):
        self.name = name

    def __enter__(self):
        graph = interpreters.building
        self._guard = no_grad() if graph is None else graph.name_scope(self.name)
        self._guard.__enter__()

    def __exit__(self, *exc):
        self._guard.__exit__(*exc)
