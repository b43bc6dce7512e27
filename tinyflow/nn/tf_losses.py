"""``tf.losses``: mean losses over a batch (TensorFlow 1 spellings).

>>> import tinyflow as tf
>>> float(tf.losses.mean_squared_error([1.0, 2.0], [1.0, 4.0]))
2.0
"""
from .. import ops as F
from . import tf_nn as tfnn
from ..eager.tensor import operand


def compute_weighted_loss(losses, weights=1.0):
    """TensorFlow 1's default reduction (SUM_BY_NONZERO_WEIGHTS): the sum of
    ``weights * losses`` over the number of nonzero weights (0 if there are none);
    with the default weights of 1.0, the mean."""
    if _unweighted(weights):
        return F.mean(losses)
    weighted = losses * weights
    present = F.sum(F.cast(F.not_equal(weights * F.ones_like(losses), 0), weighted.dtype))
    return F.sum(weighted) / F.maximum(present, 1)


def _unweighted(weights):
    return isinstance(weights, (int, float)) and weights == 1


def mean_squared_error(labels, predictions, weights=1.0):
    d = operand(predictions) - operand(labels)      # TF converts lists, as here
    return compute_weighted_loss(d * d, weights)


def absolute_difference(labels, predictions, weights=1.0):
    return compute_weighted_loss(F.abs(operand(predictions) - operand(labels)), weights)


def sparse_softmax_cross_entropy(labels, logits, weights=1.0):
    """The mean of -log softmax(logits)[label] over the batch (weighted as
    compute_weighted_loss); unweighted, it is one fused op with a one-op gradient."""
    if _unweighted(weights):
        return tfnn._sparse_xent(labels, logits, "mean")
    return compute_weighted_loss(tfnn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits),
                                 weights)


def softmax_cross_entropy(onehot_labels, logits, weights=1.0):
    return compute_weighted_loss(tfnn.softmax_cross_entropy_with_logits(labels=onehot_labels,
                                                                        logits=logits), weights)


def sigmoid_cross_entropy(multi_class_labels, logits, weights=1.0):
    return compute_weighted_loss(tfnn.sigmoid_cross_entropy_with_logits(labels=multi_class_labels,
                                                                        logits=logits), weights)
