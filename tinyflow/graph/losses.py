"""``tf.losses``: mean losses over a batch (TensorFlow 1 spellings).

>>> import tinyflow as tf
>>> float(tf.losses.mean_squared_error([1.0, 2.0], [1.0, 4.0]))
2.0
"""
from .. import ops as F
from . import tfnn


def _mean(x):
    return F.mean(x)


def mean_squared_error(labels, predictions, weights=1.0):
    d = tfnn._t(predictions) - labels
    return _mean(d * d * weights) if weights != 1.0 else _mean(d * d)


def absolute_difference(labels, predictions, weights=1.0):
    return _mean(F.abs(tfnn._t(predictions) - labels))


def sparse_softmax_cross_entropy(labels, logits, weights=1.0):
    return _mean(tfnn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits))


def softmax_cross_entropy(onehot_labels, logits, weights=1.0):
    return _mean(tfnn.softmax_cross_entropy_with_logits(labels=onehot_labels, logits=logits))


def sigmoid_cross_entropy(multi_class_labels, logits, weights=1.0):
    return _mean(tfnn.sigmoid_cross_entropy_with_logits(labels=multi_class_labels, logits=logits))
