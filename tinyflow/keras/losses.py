"""``keras.losses``: functions giving one loss per sample, and ``Loss`` classes that
reduce them as Keras does -- by default the *sum over the batch size* (the mean of
the per-sample losses, sample weights included).

Probabilities are clipped to [epsilon, 1 - epsilon] unless ``from_logits=True``;
a softmax (sigmoid) output is recognised and its logits used instead, as in Keras 2.

>>> import numpy as np
>>> from tinyflow import keras
>>> keras.losses.MeanSquaredError()(np.array([[0.0, 1.0]]), np.array([[1.0, 1.0]]))
tensor(0.5000, dtype=tinyflow.float64)
>>> loss = keras.losses.get("sparse_categorical_crossentropy")
>>> loss.__name__
'sparse_categorical_crossentropy'
"""
import numpy as np

from .. import ops
from ..base.errors import InvalidArgumentError
from ..eager.tensor import Tensor
from ..nn import functional as F
from ..ops.primitive import is_symbolic, is_tensor
from . import activations, backend
from .layers.input_spec import shape_of
from .saving.serialization import Registry

REDUCTIONS = ("auto", "none", "sum", "sum_over_batch_size")


def as_tensor(x, dtype=None):
    if not is_tensor(x):
        x = Tensor._wrap(np.asarray(x))
    return ops.cast(x, dtype) if dtype is not None and np.dtype(x.dtype) != np.dtype(dtype) else x


def _fmt(shape):
    return "[" + ",".join("?" if d is None else str(d) for d in shape) + "]"


def align(y_true, y_pred, name):
    """y_true cast to y_pred's dtype, one trailing 1 squeezed where the ranks differ by
    one (Keras's squeeze_or_expand_dimensions), shapes checked to broadcast."""
    y_pred = as_tensor(y_pred)
    y_true = as_tensor(y_true, y_pred.dtype)
    t, p = shape_of(y_true), shape_of(y_pred)
    if len(p) == len(t) + 1 and p[-1] == 1:
        y_pred, p = ops.squeeze(y_pred, -1), p[:-1]
    elif len(t) == len(p) + 1 and t[-1] == 1:
        y_true, t = ops.squeeze(y_true, -1), t[:-1]
    for a, b in zip(reversed(p), reversed(t)):
        if a is not None and b is not None and a != b and 1 not in (a, b):
            raise ValueError(f"Dimensions must be equal, but are {a} and {b} for '{name}' with "
                             f"input shapes: {_fmt(p)}, {_fmt(t)}.")
    return y_true, y_pred


def _logits(output, from_logits, kind):
    logits = activations.logits_of(output, kind)
    return (logits, True) if logits is not None else (output, from_logits)


# --- per-sample losses ---------------------------------------------------------------

def mean_squared_error(y_true, y_pred):
    y_true, y_pred = align(y_true, y_pred, "mean_squared_error")
    return ops.mean(ops.square(y_pred - y_true), -1)


def mean_absolute_error(y_true, y_pred):
    y_true, y_pred = align(y_true, y_pred, "mean_absolute_error")
    return ops.mean(ops.abs(y_pred - y_true), -1)


def huber(y_true, y_pred, delta=1.0):
    y_true, y_pred = align(y_true, y_pred, "huber_loss")
    return ops.mean(F.huber_loss(y_pred, y_true, reduction="none", delta=delta), -1)


def _tuple(shape):
    """A shape as TensorFlow prints a TensorShape: (None, 3), (5,)."""
    return "(" + ", ".join("None" if d is None else str(d) for d in shape) + \
        ("," if len(shape) == 1 else "") + ")"


def binary_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    if _logits(as_tensor(y_pred), from_logits, "sigmoid")[1]:
        # Logits go to sigmoid_cross_entropy_with_logits, which wants equal shapes
        # and says so in its own words (tf_keras's message for a sigmoid output).
        t, p = shape_of(as_tensor(y_true)), shape_of(as_tensor(y_pred))
        if len(t) == len(p) and any(a is not None and b is not None and a != b
                                    for a, b in zip(p, t)):
            raise ValueError(f"`logits` and `labels` must have the same shape, received "
                             f"({_tuple(p)} vs {_tuple(t)}).")
    y_true, y_pred = align(y_true, y_pred, "binary_crossentropy")
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing
    output, from_logits = _logits(y_pred, from_logits, "sigmoid")
    if from_logits:
        per_unit = F.binary_cross_entropy_with_logits(output, y_true, reduction="none")
    else:
        eps = backend.epsilon()
        p = ops.clamp(output, eps, 1.0 - eps)
        per_unit = -(y_true * ops.log(p + eps) + (1.0 - y_true) * ops.log(1.0 - p + eps))
    return ops.mean(per_unit, axis)


def categorical_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    y_pred = as_tensor(y_pred)
    y_true = as_tensor(y_true, y_pred.dtype)
    t, p = shape_of(y_true), shape_of(y_pred)
    if len(t) != len(p) or any(a is not None and b is not None and a != b for a, b in zip(t, p)):
        raise ValueError(f"Shapes {_tuple(t)} and {_tuple(p)} are incompatible")
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + label_smoothing / p[axis]
    output, from_logits = _logits(y_pred, from_logits, "softmax")
    if from_logits:
        return -ops.sum(y_true * ops.log_softmax(output, axis), axis)
    eps = backend.epsilon()
    output = output / ops.sum(output, axis, keepdims=True)
    return -ops.sum(y_true * ops.log(ops.clamp(output, eps, 1.0 - eps)), axis)


def sparse_categorical_crossentropy(y_true, y_pred, from_logits=False, axis=-1):
    y_pred = as_tensor(y_pred)
    y_true = as_tensor(y_true)
    output, from_logits = _logits(y_pred, from_logits, "softmax")
    if not from_logits:
        eps = backend.epsilon()
        output = ops.log(ops.clamp(output, eps, 1.0 - eps))
    p, t = shape_of(output), shape_of(y_true)
    if axis not in (-1, len(p) - 1):
        output = ops.transpose(output, [i for i in range(len(p)) if i != axis % len(p)]
                               + [axis % len(p)])
        p = shape_of(output)
    labels = ops.reshape(ops.cast(y_true, np.int64), (-1,))
    rows = int(np.prod(p[:-1])) if None not in p[:-1] else None
    n_labels = int(np.prod(t)) if None not in t else None
    if rows is not None and n_labels is not None and rows != n_labels:
        if not is_symbolic(output):
            # Eagerly TensorFlow checks the shapes before running the kernel.
            raise ValueError(f"`labels.shape` must equal `logits.shape` except for the last "
                             f"dimension. Received: labels.shape=({n_labels},) and "
                             f"logits.shape={_tuple((rows, p[-1]))}")
        raise InvalidArgumentError(
            f"logits and labels must have the same first dimension, got logits shape "
            f"{_fmt((rows, p[-1]))} and labels shape {_fmt((n_labels,))}")
    losses = ops.sparse_softmax_cross_entropy(ops.reshape(output, (-1, p[-1])), labels)
    return ops.reshape(losses, (-1,) + tuple(p[1:-1])) if len(p) > 2 else losses


def mean_absolute_percentage_error(y_true, y_pred):
    y_true, y_pred = align(y_true, y_pred, "mean_absolute_percentage_error")
    diff = ops.abs((y_true - y_pred) / ops.clamp(ops.abs(y_true), backend.epsilon()))
    return ops.mean(diff, -1) * 100.0


def mean_squared_logarithmic_error(y_true, y_pred):
    y_true, y_pred = align(y_true, y_pred, "mean_squared_logarithmic_error")
    eps = backend.epsilon()
    first = ops.log(ops.clamp(y_pred, eps) + 1.0)
    second = ops.log(ops.clamp(y_true, eps) + 1.0)
    return ops.mean(ops.square(first - second), -1)


def _plus_minus_one(y_true):
    """Labels of 0 and 1 as -1 and 1 (what the hinge losses expect); others kept."""
    binary = ops.logical_or(ops.equal(y_true, 0.0), ops.equal(y_true, 1.0))
    all_binary = ops.equal(ops.sum(ops.cast(ops.logical_not(binary), np.int32)), 0)
    return ops.where(all_binary, y_true * 2.0 - 1.0, y_true)


def hinge(y_true, y_pred):
    y_true, y_pred = align(y_true, y_pred, "hinge")
    return ops.mean(ops.clamp(1.0 - _plus_minus_one(y_true) * y_pred, 0.0), -1)


def squared_hinge(y_true, y_pred):
    y_true, y_pred = align(y_true, y_pred, "squared_hinge")
    return ops.mean(ops.square(ops.clamp(1.0 - _plus_minus_one(y_true) * y_pred, 0.0)), -1)


def categorical_hinge(y_true, y_pred):
    y_true, y_pred = align(y_true, y_pred, "categorical_hinge")
    pos = ops.sum(y_true * y_pred, -1)
    neg = ops.max((1.0 - y_true) * y_pred, -1)
    return ops.clamp(neg - pos + 1.0, 0.0)


def kl_divergence(y_true, y_pred):
    y_true, y_pred = align(y_true, y_pred, "kl_divergence")
    eps = backend.epsilon()
    y_true, y_pred = ops.clamp(y_true, eps, 1.0), ops.clamp(y_pred, eps, 1.0)
    return ops.sum(y_true * ops.log(y_true / y_pred), -1)


def log_cosh(y_true, y_pred):
    """log(cosh(error)), written stably as x + softplus(-2x) - log 2."""
    y_true, y_pred = align(y_true, y_pred, "log_cosh")
    x = y_pred - y_true
    # log 2 rounded to float32 as tf_keras's constant is, whatever the dtype
    return ops.mean(x + ops.softplus(x * -2.0) - float(np.log(np.float32(2.0))), -1)


def poisson(y_true, y_pred):
    y_true, y_pred = align(y_true, y_pred, "poisson")
    return ops.mean(y_pred - y_true * ops.log(y_pred + backend.epsilon()), -1)


def cosine_similarity(y_true, y_pred, axis=-1):
    """Minus the cosine of the angle between the two vectors (so lower is closer)."""
    y_true, y_pred = align(y_true, y_pred, "cosine_similarity")

    def unit(v):
        return v / ops.sqrt(ops.clamp(ops.sum(ops.square(v), axis, keepdims=True), 1e-12))
    return -ops.sum(unit(y_true) * unit(y_pred), axis)


# --- Loss classes ----------------------------------------------------------------------

def compute_weighted_loss(losses, sample_weight=None, reduction="sum_over_batch_size"):
    """Weight, then reduce: 'none', 'sum', or 'sum_over_batch_size' (sum / elements)."""
    if sample_weight is not None:
        sw = as_tensor(sample_weight, losses.dtype)
        ls, ss = shape_of(losses), shape_of(sw)
        while len(ss) > len(ls) and ss[-1] == 1:
            sw, ss = ops.squeeze(sw, -1), ss[:-1]
        while len(ss) < len(ls):
            sw, ss = ops.expand_dims(sw, -1), ss + (1,)
        losses = losses * sw
    if reduction == "none":
        return losses
    total = ops.sum(losses)
    if reduction == "sum":
        return total
    n = int(np.prod(shape_of(losses)))
    return total / np.asarray(max(n, 1), np.dtype(losses.dtype)) if n else total


class Loss:
    """Base class: ``call(y_true, y_pred)`` gives per-sample losses; calling the
    object weights and reduces them."""

    def __init__(self, reduction="auto", name=None):
        if reduction not in REDUCTIONS:
            raise ValueError(f'Invalid Reduction Key: {reduction}. Expected keys are '
                             f'"{REDUCTIONS}"')
        self.reduction, self.name = reduction, name

    def __call__(self, y_true, y_pred, sample_weight=None):
        losses = self.call(y_true, y_pred)
        reduction = "sum_over_batch_size" if self.reduction == "auto" else self.reduction
        return compute_weighted_loss(losses, sample_weight, reduction)

    def call(self, y_true, y_pred):
        raise NotImplementedError("Must be implemented in subclasses.")

    def get_config(self):
        return {"reduction": self.reduction, "name": self.name}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


class LossFunctionWrapper(Loss):
    """A per-sample loss function as a Loss object."""

    def __init__(self, fn, reduction="auto", name=None, **kwargs):
        super().__init__(reduction, name or getattr(fn, "__name__", None))
        self.fn, self._fn_kwargs = fn, kwargs

    def call(self, y_true, y_pred):
        return self.fn(y_true, y_pred, **self._fn_kwargs)

    def get_config(self):
        return {**super().get_config(), **self._fn_kwargs}


def _wrapper(class_name, fn, default_name, params):
    def __init__(self, *args, reduction="auto", name=default_name, **kwargs):
        kw = dict(zip(params, args))
        kw.update(kwargs)
        unknown = set(kw) - set(params)
        if unknown:
            raise TypeError(f"{class_name}.__init__() got an unexpected keyword argument "
                            f"{sorted(unknown)[0]!r}")
        LossFunctionWrapper.__init__(self, fn, reduction, name, **kw)

    @classmethod
    def from_config(cls, config):
        return cls(**config)
    return type(class_name, (LossFunctionWrapper,),
                {"__init__": __init__, "from_config": from_config, "__module__": __name__,
                 "__doc__": f"``{fn.__name__}`` reduced over the batch."})


MeanSquaredError = _wrapper("MeanSquaredError", mean_squared_error, "mean_squared_error", ())
MeanAbsoluteError = _wrapper("MeanAbsoluteError", mean_absolute_error, "mean_absolute_error", ())
Huber = _wrapper("Huber", huber, "huber_loss", ("delta",))
BinaryCrossentropy = _wrapper("BinaryCrossentropy", binary_crossentropy, "binary_crossentropy",
                              ("from_logits", "label_smoothing", "axis"))
CategoricalCrossentropy = _wrapper("CategoricalCrossentropy", categorical_crossentropy,
                                   "categorical_crossentropy",
                                   ("from_logits", "label_smoothing", "axis"))
SparseCategoricalCrossentropy = _wrapper("SparseCategoricalCrossentropy",
                                         sparse_categorical_crossentropy,
                                         "sparse_categorical_crossentropy",
                                         ("from_logits", "axis"))

MeanAbsolutePercentageError = _wrapper("MeanAbsolutePercentageError",
                                       mean_absolute_percentage_error,
                                       "mean_absolute_percentage_error", ())
MeanSquaredLogarithmicError = _wrapper("MeanSquaredLogarithmicError",
                                       mean_squared_logarithmic_error,
                                       "mean_squared_logarithmic_error", ())
Hinge = _wrapper("Hinge", hinge, "hinge", ())
SquaredHinge = _wrapper("SquaredHinge", squared_hinge, "squared_hinge", ())
CategoricalHinge = _wrapper("CategoricalHinge", categorical_hinge, "categorical_hinge", ())
KLDivergence = _wrapper("KLDivergence", kl_divergence, "kl_divergence", ())
LogCosh = _wrapper("LogCosh", log_cosh, "log_cosh", ())
Poisson = _wrapper("Poisson", poisson, "poisson", ())
CosineSimilarity = _wrapper("CosineSimilarity", cosine_similarity, "cosine_similarity",
                            ("axis",))

mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error
mape = MAPE = mean_absolute_percentage_error
msle = MSLE = mean_squared_logarithmic_error
kld = KLD = kullback_leibler_divergence = kl_divergence
logcosh = log_cosh
_FUNCTIONS = {f.__name__: f for f in (
    mean_squared_error, mean_absolute_error, huber, binary_crossentropy,
    categorical_crossentropy, sparse_categorical_crossentropy, mean_absolute_percentage_error,
    mean_squared_logarithmic_error, hinge, squared_hinge, categorical_hinge, kl_divergence,
    log_cosh, poisson, cosine_similarity)}
_CLASSES = {c.__name__: c for c in (
    MeanSquaredError, MeanAbsoluteError, Huber, BinaryCrossentropy, CategoricalCrossentropy,
    SparseCategoricalCrossentropy, MeanAbsolutePercentageError, MeanSquaredLogarithmicError,
    Hinge, SquaredHinge, CategoricalHinge, KLDivergence, LogCosh, Poisson, CosineSimilarity)}
_ALIASES = {"mse": mse, "MSE": mse, "mae": mae, "MAE": mae, "mape": mape, "MAPE": mape,
            "msle": msle, "MSLE": msle, "kld": kld, "KLD": kld,
            "kullback_leibler_divergence": kld, "logcosh": log_cosh, "huber_loss": huber}
_registry = Registry("loss function", {**_FUNCTIONS, **_CLASSES, **_ALIASES,
                                       "LossFunctionWrapper": LossFunctionWrapper})


def get(identifier):
    """A loss from a name ('mse', 'sparse_categorical_crossentropy' -- a function;
    'MeanSquaredError' -- an object), a config dict, or a callable."""
    return _registry.get(identifier)


def serialize(loss):
    return _registry.serialize(loss)


def deserialize(config, custom_objects=None):
    return _registry.get(config, custom_objects)
