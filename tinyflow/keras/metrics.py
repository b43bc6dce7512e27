"""``keras.metrics``: running averages over an epoch. A metric's state is a few
non-trainable variables (``total``, ``count``) that ``update_state`` adds to --
in place eagerly, or by assign ops inside the traced train step -- and
``result()`` divides; ``fit`` resets them at the start of every epoch.

>>> import numpy as np
>>> from tinyflow import keras
>>> m = keras.metrics.SparseCategoricalAccuracy()
>>> m.update_state(np.array([0, 1]), np.array([[0.9, 0.1], [0.8, 0.2]]))
>>> m.update_state(np.array([1]), np.array([[0.3, 0.7]]))
>>> round(float(m.result()), 4), m.name
(0.6667, 'sparse_categorical_accuracy')
"""
import numpy as np

from .. import ops
from . import backend, losses
from .layers.input_spec import shape_of
from .losses import as_tensor
from .saving.serialization import Registry
from ..eager.variable import Variable


class Metric:
    """Base class: ``update_state(...)``, ``result()``, ``reset_state()``."""

    def __init__(self, name=None, dtype=None):
        self.name = name or backend.to_snake_case(type(self).__name__)
        self.dtype = np.dtype(dtype or backend.floatx()).name
        self._variables = []

    def add_weight(self, name, shape=(), initializer="zeros", dtype=None):
        v = Variable(np.zeros(shape, dtype or self.dtype), name, trainable=False,  # "total:0"
                     path=f"{self.name}/{name}")
        self._variables.append(v)
        return v

    @property
    def variables(self):
        return list(self._variables)

    weights = variables

    def reset_state(self):
        for v in self._variables:
            v.array[...] = 0
            v.increment_version()

    reset_states = reset_state

    def update_state(self, *args, **kwargs):
        raise NotImplementedError

    def result(self):
        raise NotImplementedError

    def __call__(self, *args, **kwargs):
        """Update with this batch, then give the result so far."""
        self.update_state(*args, **kwargs)
        return self.result()

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        return f"<tinyflow.keras.metrics.{type(self).__name__} name={self.name}>"


class Sum(Metric):
    def __init__(self, name="sum", dtype=None):
        super().__init__(name, dtype)
        self.total = self.add_weight("total")

    def update_state(self, values, sample_weight=None):
        values = as_tensor(values, self.dtype)
        if sample_weight is not None:
            values = values * _weights_like(sample_weight, values, self.dtype)
        self.total.assign_add(ops.sum(values))

    def result(self):
        return ops.identity(self.total)


class Mean(Metric):
    """The (weighted) mean of everything it was given."""

    def __init__(self, name="mean", dtype=None):
        super().__init__(name, dtype)
        self.total = self.add_weight("total")
        self.count = self.add_weight("count")

    def update_state(self, values, sample_weight=None):
        values = as_tensor(values, self.dtype)
        if sample_weight is None:
            n = int(np.prod(shape_of(values)))
            self.total.assign_add(ops.sum(values))
            self.count.assign_add(np.asarray(n, self.dtype))
            return
        w = ops.broadcast_to(_weights_like(sample_weight, values, self.dtype), shape_of(values))
        self.total.assign_add(ops.sum(values * w))
        self.count.assign_add(ops.sum(w))

    def result(self):
        # total / count, and 0 before any update (TensorFlow's divide_no_nan)
        safe = ops.where(ops.equal(self.count, 0), ops.ones_like(self.count), self.count)
        return ops.where(ops.equal(self.count, 0), ops.zeros_like(self.total), self.total / safe)


def _weights_like(sample_weight, values, dtype):
    w = as_tensor(sample_weight, dtype)
    ws, vs = shape_of(w), shape_of(values)
    while len(ws) > len(vs) and ws[-1] == 1:
        w, ws = ops.squeeze(w, -1), ws[:-1]
    while len(ws) < len(vs):
        w, ws = ops.expand_dims(w, -1), ws + (1,)
    return w


class MeanMetricWrapper(Mean):
    """The mean of ``fn(y_true, y_pred)`` over every sample seen."""

    def __init__(self, fn, name=None, dtype=None, **kwargs):
        super().__init__(name or fn.__name__, dtype)
        self._fn, self._fn_kwargs = fn, kwargs

    def update_state(self, y_true, y_pred, sample_weight=None):
        super().update_state(self._fn(y_true, y_pred, **self._fn_kwargs), sample_weight)

    def get_config(self):
        return {**super().get_config(), **self._fn_kwargs}


# --- the functions the accuracy metrics average -----------------------------------------

def accuracy(y_true, y_pred):
    """1.0 where y_pred equals y_true exactly, else 0.0."""
    y_true, y_pred = losses.align(y_true, y_pred, "accuracy")
    return ops.cast(ops.equal(y_true, y_pred), backend.floatx())


def binary_accuracy(y_true, y_pred, threshold=0.5):
    """1.0 where (y_pred > threshold) matches the 0/1 label, averaged over the last axis."""
    y_true, y_pred = losses.align(y_true, y_pred, "binary_accuracy")
    hit = ops.equal(y_true, ops.cast(ops.greater(y_pred, threshold), y_pred.dtype))
    return ops.mean(ops.cast(hit, backend.floatx()), -1)


def categorical_accuracy(y_true, y_pred):
    """1.0 where the largest prediction is at the one-hot label's 1."""
    y_pred, y_true = as_tensor(y_pred), as_tensor(y_true)
    return ops.cast(ops.equal(ops.argmax(y_true, -1), ops.argmax(y_pred, -1)), backend.floatx())


def sparse_categorical_accuracy(y_true, y_pred):
    """1.0 where the largest prediction is at the integer label."""
    y_pred, y_true = as_tensor(y_pred), as_tensor(y_true)
    if len(shape_of(y_true)) == len(shape_of(y_pred)):
        y_true = ops.squeeze(y_true, -1)
    predicted = ops.argmax(y_pred, -1)
    if np.dtype(y_true.dtype) != np.dtype(predicted.dtype):
        predicted = ops.cast(predicted, y_true.dtype)
    return ops.cast(ops.equal(y_true, predicted), backend.floatx())


def _in_top_k(target_score, y_pred, k):
    """1.0 where fewer than ``k`` predictions beat the target's (ties count as in,
    as TensorFlow's in_top_k)."""
    beaten_by = ops.sum(ops.cast(ops.greater(y_pred, target_score), np.int32), -1)
    return ops.cast(ops.less(beaten_by, k), backend.floatx())


def top_k_categorical_accuracy(y_true, y_pred, k=5):
    """1.0 where the one-hot label's class is among the ``k`` largest predictions."""
    y_pred = as_tensor(y_pred)
    y_true = as_tensor(y_true, y_pred.dtype)
    target = ops.sum(y_pred * ops.one_hot(ops.argmax(y_true, -1), shape_of(y_pred)[-1],
                                          dtype=y_pred.dtype), -1, keepdims=True)
    return _in_top_k(target, y_pred, k)


def sparse_top_k_categorical_accuracy(y_true, y_pred, k=5):
    """1.0 where the integer label's class is among the ``k`` largest predictions."""
    y_pred, y_true = as_tensor(y_pred), as_tensor(y_true)
    if len(shape_of(y_true)) == len(shape_of(y_pred)):
        y_true = ops.squeeze(y_true, -1)
    hot = ops.one_hot(ops.cast(y_true, np.int64), shape_of(y_pred)[-1], dtype=y_pred.dtype)
    return _in_top_k(ops.sum(y_pred * hot, -1, keepdims=True), y_pred, k)


class _Confusion(Metric):
    """Counts of true and false positives (or negatives) at a threshold on y_pred."""

    def __init__(self, thresholds=None, top_k=None, class_id=None, name=None, dtype=None):
        super().__init__(name, dtype)
        if top_k is not None or isinstance(thresholds, (list, tuple)):
            raise NotImplementedError(f"{type(self).__name__}: only one threshold, without "
                                      f"top_k, in tinyflow")
        self.thresholds, self.class_id = 0.5 if thresholds is None else thresholds, class_id
        self.true_positives = self.add_weight("true_positives")
        self.false_ones = self.add_weight(self._false_name)

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_pred = as_tensor(y_pred, self.dtype)
        y_true = as_tensor(y_true, self.dtype)
        if self.class_id is not None:
            y_true, y_pred = y_true[..., self.class_id], y_pred[..., self.class_id]
        predicted = ops.cast(ops.greater(y_pred, self.thresholds), self.dtype)
        actual = ops.cast(ops.greater(y_true, 0.5), self.dtype)
        w = 1.0 if sample_weight is None else ops.broadcast_to(
            _weights_like(sample_weight, predicted, self.dtype), shape_of(predicted))
        self.true_positives.assign_add(ops.sum(predicted * actual * w))
        self.false_ones.assign_add(ops.sum(self._false(predicted, actual) * w))

    def result(self):
        found = self.true_positives + self.false_ones       # 0 / 0 is 0 (divide_no_nan)
        safe = ops.where(ops.equal(found, 0), ops.ones_like(found), found)
        return ops.where(ops.equal(found, 0), ops.zeros_like(found), self.true_positives / safe)

    def get_config(self):
        return {**super().get_config(), "thresholds": self.thresholds,
                "class_id": self.class_id}


class Precision(_Confusion):
    """Of the samples predicted positive (y_pred > threshold), the fraction that are."""
    _false_name = "false_positives"

    @staticmethod
    def _false(predicted, actual):
        return predicted * (1.0 - actual)


class Recall(_Confusion):
    """Of the positive samples, the fraction predicted positive."""
    _false_name = "false_negatives"

    @staticmethod
    def _false(predicted, actual):
        return (1.0 - predicted) * actual


def _wrapper(class_name, fn, default_name, params=()):
    def __init__(self, *args, name=default_name, dtype=None, **kwargs):
        kw = dict(zip(params, args))
        kw.update(kwargs)
        MeanMetricWrapper.__init__(self, fn, name, dtype, **kw)

    @classmethod
    def from_config(cls, config):
        return cls(**config)
    return type(class_name, (MeanMetricWrapper,), {"__init__": __init__, "__module__": __name__,
                                                   "from_config": from_config,
                                                   "__doc__": f"The mean of ``{fn.__name__}``."})


Accuracy = _wrapper("Accuracy", accuracy, "accuracy")
BinaryAccuracy = _wrapper("BinaryAccuracy", binary_accuracy, "binary_accuracy", ("threshold",))
CategoricalAccuracy = _wrapper("CategoricalAccuracy", categorical_accuracy,
                               "categorical_accuracy")
SparseCategoricalAccuracy = _wrapper("SparseCategoricalAccuracy", sparse_categorical_accuracy,
                                     "sparse_categorical_accuracy")
MeanSquaredError = _wrapper("MeanSquaredError", losses.mean_squared_error, "mean_squared_error")
MeanAbsoluteError = _wrapper("MeanAbsoluteError", losses.mean_absolute_error,
                             "mean_absolute_error")

TopKCategoricalAccuracy = _wrapper("TopKCategoricalAccuracy", top_k_categorical_accuracy,
                                   "top_k_categorical_accuracy", ("k",))
SparseTopKCategoricalAccuracy = _wrapper("SparseTopKCategoricalAccuracy",
                                         sparse_top_k_categorical_accuracy,
                                         "sparse_top_k_categorical_accuracy", ("k",))
BinaryCrossentropy = _wrapper("BinaryCrossentropy", losses.binary_crossentropy,
                              "binary_crossentropy", ("from_logits", "label_smoothing"))
CategoricalCrossentropy = _wrapper("CategoricalCrossentropy", losses.categorical_crossentropy,
                                   "categorical_crossentropy", ("from_logits", "label_smoothing"))
SparseCategoricalCrossentropy = _wrapper("SparseCategoricalCrossentropy",
                                         losses.sparse_categorical_crossentropy,
                                         "sparse_categorical_crossentropy", ("from_logits",))

from .metrics_auc import AUC  # noqa: E402  (after Metric, which it builds on)

_FUNCTIONS = {f.__name__: f for f in (
    accuracy, binary_accuracy, categorical_accuracy, sparse_categorical_accuracy,
    top_k_categorical_accuracy, sparse_top_k_categorical_accuracy, losses.binary_crossentropy,
    losses.categorical_crossentropy, losses.sparse_categorical_crossentropy)}
_FUNCTIONS.update({"mean_squared_error": losses.mean_squared_error, "mse": losses.mse,
                   "mean_absolute_error": losses.mean_absolute_error, "mae": losses.mae,
                   "acc": accuracy})
_CLASSES = {c.__name__: c for c in (
    Sum, Mean, MeanMetricWrapper, Accuracy, BinaryAccuracy, CategoricalAccuracy,
    SparseCategoricalAccuracy, MeanSquaredError, MeanAbsoluteError, TopKCategoricalAccuracy,
    SparseTopKCategoricalAccuracy, BinaryCrossentropy, CategoricalCrossentropy,
    SparseCategoricalCrossentropy, Precision, Recall, AUC)}
_registry = Registry("metric function", {**_FUNCTIONS, **_CLASSES})


def get(identifier):
    """A metric function or object from a name, a config dict or a callable."""
    if identifier == "AUC":      # tf_keras makes it inside fit's traced step, where names
        return AUC(name="auc")   # restart: "auc", however many AUC() were made before
    return _registry.get(identifier)


def serialize(metric):
    return _registry.serialize(metric)


def deserialize(config, custom_objects=None):
    return _registry.get(config, custom_objects)
