"""What ``compile(loss=..., metrics=...)`` turns into: the loss of every output
(plus the layers' regularization penalties) and the metrics, resolved against
the first batch -- as Keras does, 'accuracy' becomes binary, categorical or
sparse categorical accuracy from the shapes of the labels and the predictions.

>>> import numpy as np
>>> from tinyflow import keras
>>> metrics = CompiledMetrics(["accuracy"], None, ["dense"])
>>> metrics.update_state(np.array([0, 1]), np.array([[0.9, 0.1], [0.2, 0.8]]))
>>> [(type(m).__name__, m.name, float(m.result())) for m in metrics.metrics]
[('MeanMetricWrapper', 'accuracy', 1.0)]
"""
import numpy as np

from .. import ops
from ..ops.primitive import interpreters
from ..base.nest import flatten
from . import losses as losses_mod, metrics as metrics_mod
from .layers.input_spec import shape_of


def _update(metric, *args, **kwargs):
    """``metric.update_state``; in a traced step its ops are named after the metric
    ("accuracy/AssignAddVariableOp"), as a layer's are after the layer."""
    graph = interpreters.building
    if graph is None:
        return metric.update_state(*args, **kwargs)
    with graph.name_scope(metric.name):
        return metric.update_state(*args, **kwargs)


def _per_output(spec, output_names, what):
    """A loss or metric spec (one for all, a list in output order, or a dict by
    output name) -> a list with one entry per output."""
    n = len(output_names)
    if isinstance(spec, dict):
        unknown = [k for k in spec if k not in output_names]
        if unknown:
            raise ValueError(f"Found unexpected {what} keys {unknown}: expected keys from "
                             f"{output_names}")
        return [spec.get(name) for name in output_names]
    if isinstance(spec, (list, tuple)) and n > 1 and len(spec) == n and what == "losses":
        return list(spec)
    if what == "metrics" and isinstance(spec, (list, tuple)) and n > 1 and len(spec) == n and \
            all(isinstance(s, (list, tuple)) for s in spec):
        return list(spec)
    return [spec] * n


def _loss_object(loss):
    if loss is None:
        return None
    obj = losses_mod.get(loss)
    if isinstance(obj, losses_mod.Loss):
        return obj
    name = loss if isinstance(loss, str) else getattr(obj, "__name__", "loss")
    return losses_mod.LossFunctionWrapper(obj, name=name)


class CompiledLoss:
    """The total loss: each output's loss (times its weight) plus the penalties."""

    def __init__(self, loss, loss_weights=None, output_names=("output_1",)):
        self.output_names = list(output_names)
        self._losses = [_loss_object(l) for l in _per_output(loss, self.output_names, "losses")]
        if loss_weights is None:
            self._weights = [1.0] * len(self.output_names)
        elif isinstance(loss_weights, dict):
            self._weights = [loss_weights.get(n, 1.0) for n in self.output_names]
        else:
            self._weights = list(loss_weights)
        self.loss_tracker = metrics_mod.Mean(name="loss")
        self._built = False
        many = len([l for l in self._losses if l is not None]) > 1
        self._trackers = [metrics_mod.Mean(name=f"{n}_loss") if many and l is not None else None
                          for n, l in zip(self.output_names, self._losses)]

    @property
    def metrics(self):
        """The loss trackers -- none before the first batch (so ``model.metrics_names``
        is [] until the model has trained or evaluated, as in Keras)."""
        if not self._built:
            return []
        return [self.loss_tracker] + [t for t in self._trackers if t is not None]

    def __call__(self, y_true, y_pred, sample_weight=None, regularization_losses=None):
        self._built = True
        ys_true = _as_list(y_true, len(self.output_names))
        ys_pred = flatten(y_pred)[0]
        sws = _as_list(sample_weight, len(self.output_names))
        batch = shape_of(ys_pred[0])[0] if ys_pred else None
        total = None
        for loss, w, t, p, sw, tracker in zip(self._losses, self._weights, ys_true, ys_pred,
                                              sws, self._trackers):
            if loss is None or t is None:
                continue
            t, p, sw = match_dtype_and_rank(t, p, sw)
            value = loss(t, p, sw)
            if tracker is not None:
                _update(tracker, value, sample_weight=batch)
            value = value * w if w != 1.0 else value
            total = value if total is None else total + value
        if total is None:
            raise ValueError("No loss found. You may have forgotten to provide a `loss` "
                             "argument in the `compile()` method.")
        for penalty in regularization_losses or ():
            total = total + penalty
        _update(self.loss_tracker, total, sample_weight=batch)
        return total


def match_dtype_and_rank(y_true, y_pred, sample_weight):
    """Keras's step before a loss or metric: 1-D labels (and weights) of a 2-D
    prediction get a trailing axis; labels take the prediction's dtype when both
    are floats (or both integers)."""
    from .losses import as_tensor
    y_true, y_pred = as_tensor(y_true), as_tensor(y_pred)
    rank_p = len(shape_of(y_pred))
    if len(shape_of(y_true)) == 1 and rank_p == 2:
        y_true = ops.expand_dims(y_true, -1)
    if sample_weight is not None:
        sample_weight = as_tensor(sample_weight)
        if len(shape_of(sample_weight)) == 1 and rank_p == 2:
            sample_weight = ops.expand_dims(sample_weight, -1)
        sample_weight = ops.cast(sample_weight, y_pred.dtype)
    kt, kp = np.dtype(y_true.dtype).kind, np.dtype(y_pred.dtype).kind
    if (kt == kp == "f" or (kt in "iu" and kp in "iu")) and \
            np.dtype(y_true.dtype) != np.dtype(y_pred.dtype):
        y_true = ops.cast(y_true, y_pred.dtype)
    return y_true, y_pred, sample_weight


def _as_list(structure, n):
    if structure is None:
        return [None] * n
    if isinstance(structure, dict):
        return list(structure.values())
    if isinstance(structure, (list, tuple)) and n > 1:
        return list(structure)
    return [structure]


class CompiledMetrics:
    """The compiled metrics of every output, built on the first batch."""

    def __init__(self, metrics, weighted_metrics=None, output_names=("output_1",)):
        self.output_names = list(output_names)
        self._specs = _per_output(metrics or [], self.output_names, "metrics")
        self._weighted = _per_output(weighted_metrics or [], self.output_names, "metrics")
        for spec in self._specs + self._weighted:
            for m in flatten(spec)[0]:
                if isinstance(m, str) and m.lower() not in ("accuracy", "acc", "crossentropy",
                                                             "ce"):
                    metrics_mod.get(m)            # an unknown name fails now, at compile
        self._built = None                          # [(output index, metric, weighted)]

    @property
    def metrics(self):
        return [m for _, m, _ in self._built or []]

    def build(self, ys_true, ys_pred):
        built, many = [], len(self.output_names) > 1
        for i, (specs, weighted) in enumerate(zip(self._specs, self._weighted)):
            # (an output missing from a dict of metrics has None: no metrics)
            for spec, is_weighted in [(s, False) for s in flatten(specs)[0] if s is not None] + \
                                     [(s, True) for s in flatten(weighted)[0] if s is not None]:
                m = metric_object(spec, ys_true[i], ys_pred[i])
                if many:
                    m.name = f"{self.output_names[i]}_{m.name}"
                if is_weighted:
                    m.name = f"weighted_{m.name}" if not many else m.name
                built.append((i, m, is_weighted))
        self._built = built

    def update_state(self, y_true, y_pred, sample_weight=None):
        ys_pred = flatten(y_pred)[0]
        ys_true = _as_list(y_true, len(ys_pred))
        sws = _as_list(sample_weight, len(ys_pred))
        if self._built is None:
            self.build(ys_true, ys_pred)
        for i, metric, weighted in self._built:
            if ys_true[i] is None:
                continue
            t, p, sw = match_dtype_and_rank(ys_true[i], ys_pred[i], sws[i])
            _update(metric, t, p, sw if weighted else None)

    def reset_state(self):
        for m in self.metrics:
            m.reset_state()


def metric_object(spec, y_true, y_pred):
    """A Metric for ``spec``; 'accuracy' and 'crossentropy' by the shapes, as Keras."""
    if isinstance(spec, metrics_mod.Metric):
        return spec
    if isinstance(spec, str) and spec.lower() in ("accuracy", "acc", "crossentropy", "ce"):
        t, p = shape_of(y_true) or (), shape_of(y_pred)
        is_binary = p[-1] == 1
        is_sparse = len(t) < len(p) or (bool(t) and t[-1] == 1 and p[-1] > 1)
        if spec.lower() in ("accuracy", "acc"):
            fn = metrics_mod.binary_accuracy if is_binary else (
                metrics_mod.sparse_categorical_accuracy if is_sparse
                else metrics_mod.categorical_accuracy)
        else:
            fn = losses_mod.binary_crossentropy if is_binary else (
                losses_mod.sparse_categorical_crossentropy if is_sparse
                else losses_mod.categorical_crossentropy)
        return metrics_mod.MeanMetricWrapper(fn, name=spec)
    obj = metrics_mod.get(spec)
    if isinstance(obj, type):
        obj = obj()
    if isinstance(obj, metrics_mod.Metric):
        return obj
    name = spec if isinstance(spec, str) else getattr(obj, "__name__", None)
    if name is None:
        raise ValueError(f"Metric should be a callable, received: {spec}")
    return metrics_mod.MeanMetricWrapper(obj, name=name)

