"""``keras.metrics.AUC``: the area under the ROC (or precision-recall) curve, as
Keras 2 computes it -- approximately, from counts at ``num_thresholds`` fixed
thresholds, so that it can run batch by batch inside ``fit``.

The state is four vectors, one count per threshold: true and false positives,
true and false negatives (weighted by ``sample_weight``). A batch adds to them
all at once: compare every prediction with every threshold (a thresholds x
predictions table of booleans), weight, and sum over the predictions.
``result()`` then reads the curve off the counts at the thresholds (recall
against false-positive rate for ROC, precision against recall for PR) and adds
up the area between successive points.

Evenly spaced thresholds (the default) are read as tf_keras reads them: a
prediction p (clipped to [0, 1]) counts as positive at threshold i when
``ceil(p * (num_thresholds - 1)) - 1 >= i`` -- its bucket -- which is ``p >
threshold`` except where the product rounds up past a whole number.

>>> from tinyflow import keras
>>> auc = keras.metrics.AUC()
>>> auc.update_state([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
>>> round(float(auc.result()), 4)                  # tf_keras: 0.75
0.75
>>> auc.reset_state(); float(auc.result())
0.0
"""
import numpy as np

from .. import ops
from ..base.errors import InvalidArgumentError
from . import backend
from .layers.input_spec import shape_of
from .losses import as_tensor
from .metrics import Metric, _weights_like

_CURVES = {"pr": "PR", "PR": "PR", "roc": "ROC", "ROC": "ROC", "pr_gain": "PR_GAIN",
           "prgain": "PR_GAIN", "PR_GAIN": "PR_GAIN", "PRGAIN": "PR_GAIN"}
_SUMMATIONS = {"interpolation": "interpolation", "Interpolation": "interpolation",
               "majoring": "majoring", "Majoring": "majoring", "minoring": "minoring",
               "Minoring": "minoring"}


def _divide_no_nan(a, b):
    """a / b, and 0 where b is 0 (TensorFlow's divide_no_nan)."""
    zero = ops.equal(b, 0)
    return ops.where(zero, ops.zeros_like(a), a / ops.where(zero, ops.ones_like(b), b))


class AUC(Metric):
    """Approximate AUC of the ROC or PR curve, accumulated over batches.

    ``AUC()`` (ROC) or ``AUC(curve="PR")``; ``from_logits=True`` applies a sigmoid
    first; ``multi_label=True`` gives each column its own curve and averages the
    areas (weighted by ``label_weights``); otherwise every prediction is one sample.

    >>> from tinyflow import keras
    >>> pr = keras.metrics.AUC(curve="PR", name="pr_auc")
    >>> pr.update_state([0, 1, 1, 0], [0.2, 0.9, 0.6, 0.7], sample_weight=[1, 1, 2, 1])
    >>> pr.name, round(float(pr.result()), 4)     # tf_keras: 0.76895...
    ('pr_auc', 0.769)
    """

    def __init__(self, num_thresholds=200, curve="ROC", summation_method="interpolation",
                 name=None, dtype=None, thresholds=None, multi_label=False, num_labels=None,
                 label_weights=None, from_logits=False):
        if curve not in _CURVES:
            raise ValueError(f'Invalid AUC curve value: "{curve}". Expected values are '
                             f'["PR", "ROC", "PR_GAIN"]')
        if summation_method not in _SUMMATIONS:
            raise ValueError(f'Invalid AUC summation method value: "{summation_method}". '
                             f'Expected values are ["interpolation", "majoring", "minoring"]')
        self._init_from_thresholds = thresholds is not None
        if thresholds is not None:
            thresholds = sorted(float(t) for t in thresholds)
            self.num_thresholds = len(thresholds) + 2
            even = np.arange(self.num_thresholds, dtype=np.float32) / (self.num_thresholds - 1)
            self._evenly = self.num_thresholds >= 3 and np.allclose(
                [0.0] + thresholds + [1.0], even, atol=backend.epsilon())
        else:
            if num_thresholds <= 1:
                raise ValueError(f"Argument `num_thresholds` must be an integer > 1. "
                                 f"Received: num_thresholds={num_thresholds}")
            self.num_thresholds = num_thresholds
            thresholds = [(i + 1) * 1.0 / (num_thresholds - 1) for i in range(num_thresholds - 2)]
            self._evenly = True
        # the ends sit just outside [0, 1], so every prediction passes the first
        self._thresholds = np.array([0.0 - backend.epsilon()] + thresholds +
                                    [1.0 + backend.epsilon()])
        self.curve, self.summation_method = _CURVES[curve], _SUMMATIONS[summation_method]
        super().__init__(name or backend.unique_object_name("auc"), dtype)
        self.multi_label, self.num_labels = multi_label, num_labels
        self.label_weights = None
        if label_weights is not None:
            self.label_weights = np.asarray(label_weights, self.dtype)
            if (self.label_weights < 0).any():
                raise InvalidArgumentError(f"All values of `label_weights` must be "
                                           f"non-negative. Received: label_weights="
                                           f"{list(label_weights)}")
        self._from_logits = from_logits
        self._built = False
        if multi_label and num_labels:
            self._build((None, num_labels))
        elif not multi_label:
            if num_labels:
                raise ValueError("`num_labels` is needed only when `multi_label` is True.")
            self._build(None)

    @property
    def thresholds(self):
        """The thresholds, including the two just outside [0, 1]."""
        return list(self._thresholds)

    def _build(self, shape):
        if self.multi_label:
            if len(shape) != 2:
                raise ValueError(f"`y_pred` must have rank 2 when `multi_label=True`. Found "
                                 f"rank {len(shape)}. Full shape received for `y_pred`: "
                                 f"{tuple(shape)}")
            self._num_labels = shape[1]
            counts_shape = (self.num_thresholds, self._num_labels)
        else:
            counts_shape = (self.num_thresholds,)
        self.true_positives = self.add_weight("true_positives", counts_shape)
        self.true_negatives = self.add_weight("true_negatives", counts_shape)
        self.false_positives = self.add_weight("false_positives", counts_shape)
        self.false_negatives = self.add_weight("false_negatives", counts_shape)
        self._built = True

    # --- accumulating the counts -------------------------------------------------------
    def update_state(self, y_true, y_pred, sample_weight=None):
        """Add this batch's weighted counts at every threshold."""
        y_true, y_pred = as_tensor(y_true, self.dtype), as_tensor(y_pred, self.dtype)
        y_true, y_pred = _same_shape(y_true, y_pred)
        if not self._built:
            self._build(shape_of(y_pred))
        if self.multi_label and shape_of(y_pred)[1:] != (self._num_labels,):
            raise ValueError(f"AUC.update_state: y_pred has shape {shape_of(y_pred)}, but this "
                             f"multi_label AUC counts {self._num_labels} labels")
        if self._from_logits:
            y_pred = ops.sigmoid(y_pred)
        weights = ops.ones_like(y_pred)
        if sample_weight is not None:
            weights = ops.broadcast_to(_weights_like(sample_weight, y_pred, self.dtype),
                                       shape_of(y_pred))
        if self.label_weights is not None and not self.multi_label:
            weights = weights * self.label_weights
        if not self.multi_label:                    # every prediction is one sample
            y_true, y_pred, weights = (ops.reshape(t, (-1,)) for t in (y_true, y_pred, weights))
        positive = self._above_thresholds(y_pred)   # (thresholds, samples[, labels])
        is_true = ops.cast(ops.not_equal(y_true, 0), self.dtype)
        true_w, false_w = is_true * weights, (1.0 - is_true) * weights
        tp = ops.sum(positive * true_w, 1)
        fp = ops.sum(positive * false_w, 1)
        self.true_positives.assign_add(tp)
        self.false_positives.assign_add(fp)
        self.false_negatives.assign_add(ops.sum(true_w, 0) - tp)
        self.true_negatives.assign_add(ops.sum(false_w, 0) - fp)

    def _above_thresholds(self, y_pred):
        """1.0 where a prediction counts as positive at a threshold, else 0.0."""
        extra = (1,) * len(shape_of(y_pred))          # thresholds along a new first axis
        y_pred = ops.expand_dims(y_pred, 0)
        if self._evenly:                              # tf_keras's buckets (see the top)
            steps = self.num_thresholds - 1
            clipped = ops.clamp(y_pred, 0.0, 1.0)
            bucket = ops.relu(ops.ceil(clipped * np.asarray(steps, self.dtype)) - 1.0)
            index = np.arange(self.num_thresholds, dtype=self.dtype).reshape((-1,) + extra)
            return ops.cast(ops.greater_equal(bucket, index), self.dtype)
        thresholds = self._thresholds.astype(self.dtype).reshape((-1,) + extra)
        return ops.cast(ops.greater(y_pred, thresholds), self.dtype)

    # --- reading the area off the counts -----------------------------------------------
    def result(self):
        """The area so far (0.0 before any update)."""
        if not self._built:
            return ops.identity(np.asarray(0.0, self.dtype))
        tp, fp = self.true_positives, self.false_positives
        tn, fn = self.true_negatives, self.false_negatives
        if self.curve == "PR" and self.summation_method == "interpolation":
            return self._average(self._interpolate_pr_auc())
        recall = _divide_no_nan(tp, tp + fn)
        if self.curve == "ROC":
            x, y = _divide_no_nan(fp, fp + tn), recall
        elif self.curve == "PR":
            x, y = recall, _divide_no_nan(tp, tp + fp)
        else:                                          # PR_GAIN
            scale = _divide_no_nan(tp + fn, fp + tn)
            no_tp = ops.equal(tp, 0.0)
            recall_gain = ops.where(no_tp, ops.zeros_like(tp),
                                    1.0 - scale * _divide_no_nan(fn, tp))
            x = ops.maximum(recall_gain, ops.zeros_like(recall_gain))
            y = ops.where(no_tp, ops.ones_like(tp), 1.0 - scale * _divide_no_nan(fp, tp))
        if self.summation_method == "interpolation":
            heights = (y[:-1] + y[1:]) / 2.0
        elif self.summation_method == "minoring":
            heights = ops.minimum(y[:-1], y[1:])
        else:
            heights = ops.maximum(y[:-1], y[1:])
        return self._average(ops.sum((x[:-1] - x[1:]) * heights, 0))

    def _interpolate_pr_auc(self):
        """Davis & Goadrich's interpolation of precision between thresholds: within
        each interval TP and P = TP + FP vary linearly, which integrates in closed form."""
        tp, fp, fn = self.true_positives, self.false_positives, self.false_negatives
        dtp = tp[:-1] - tp[1:]
        p = tp + fp
        dp = p[:-1] - p[1:]
        slope = _divide_no_nan(dtp, ops.maximum(dp, ops.zeros_like(dp)))
        intercept = tp[1:] - slope * p[1:]
        both = ops.logical_and(ops.greater(p[:-1], 0.0), ops.greater(p[1:], 0.0))
        ratio = ops.where(both, _divide_no_nan(p[:-1], ops.maximum(p[1:], ops.zeros_like(dp))),
                          ops.ones_like(dp))
        positives = tp[1:] + fn[1:]
        return ops.sum(_divide_no_nan(slope * (dtp + intercept * ops.log(ratio)),
                                      ops.maximum(positives, ops.zeros_like(positives))), 0)

    def _average(self, by_label):
        """One area: itself, or the (label-weighted) mean of the labels' areas."""
        if not self.multi_label:
            return by_label
        if self.label_weights is None:
            return ops.mean(by_label)
        return _divide_no_nan(ops.sum(by_label * self.label_weights),
                              ops.identity(np.asarray(self.label_weights.sum(), self.dtype)))

    def reset_state(self):
        if self._built:
            super().reset_state()

    def get_config(self):
        config = {**super().get_config(), "num_thresholds": self.num_thresholds,
                  "curve": self.curve, "summation_method": self.summation_method,
                  "multi_label": self.multi_label, "num_labels": self.num_labels,
                  "label_weights": None if self.label_weights is None
                  else self.label_weights.tolist(), "from_logits": self._from_logits}
        if self._init_from_thresholds:
            config["thresholds"] = self.thresholds[1:-1]
        return config


def _same_shape(y_true, y_pred):
    """Labels and predictions of one shape, up to a trailing axis of 1 (which goes)."""
    ts, ps = shape_of(y_true), shape_of(y_pred)
    if len(ts) == len(ps) + 1 and ts[-1] == 1:
        y_true, ts = ops.squeeze(y_true, -1), ts[:-1]
    elif len(ps) == len(ts) + 1 and ps[-1] == 1:
        y_pred, ps = ops.squeeze(y_pred, -1), ps[:-1]
    if len(ts) != len(ps) or any(a != b and None not in (a, b) for a, b in zip(ts, ps)):
        raise ValueError(f"AUC.update_state: y_true and y_pred must have the same shape, got "
                         f"y_true {ts} and y_pred {ps} (Shapes {ps} and {ts} are incompatible)")
    return y_true, y_pred
