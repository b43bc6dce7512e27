"""TensorFlow 1's streaming metrics (``tf.metrics.accuracy`` and friends).

Each returns ``(value, update_op)``. The running totals live in *local* variables
(collections ``LOCAL_VARIABLES`` and ``METRIC_VARIABLES``: not saved, not trained,
not in ``global_variables()``): ``sess.run(tf.local_variables_initializer())``
starts (or restarts) them, each run of ``update_op`` adds a batch and returns the
metric so far, and ``value`` reads it without changing anything. Reading them
before the initializer ran is TF1's FailedPreconditionError.

>>> import tinyflow.compat.v1 as tf
>>> tf.reset_default_graph()
>>> labels = tf.placeholder(tf.int64, [None])
>>> acc, update = tf.metrics.accuracy(labels, tf.constant([1, 0, 1], tf.int64))
>>> with tf.Session() as sess:
...     sess.run(tf.local_variables_initializer())
...     first = sess.run(update, {labels: [1, 1, 1]})
...     both = sess.run(update, {labels: [1, 0, 1]})
>>> round(float(first), 4), round(float(both), 4), acc.name
(0.6667, 0.8333, 'accuracy/value:0')
"""
import numpy as np

from .. import ops as F
from ..graph.api import as_tensor, name_op
from ..graph.graph import get_default_graph
from ..graph.variables import LOCAL_VARIABLES, Variable
from .tf_variable_scope import variable_scope

METRIC_VARIABLES = "metric_variables"


def metric_variable(shape, dtype=np.float32, name=None):
    """A local variable starting at zeros, for a metric's running total."""
    return Variable(np.zeros(shape, dtype), trainable=False, name=name,
                    collections=[LOCAL_VARIABLES, METRIC_VARIABLES])


def _named(t, name):
    return name_op(t, name)


def _add_to(collections, t):
    for key in collections or ():
        get_default_graph().add_to_collection(key, t)


def _div_no_nan(total, count, name):
    """total / count, and 0 where count is 0 (no batch seen yet)."""
    safe = F.where(count > 0, count, F.ones_like(count))
    return _named(F.where(count > 0, total / safe, F.zeros_like(total)), name)


def mean(values, weights=None, metrics_collections=None, updates_collections=None, name=None):
    """The running (weighted) mean of ``values`` over every batch run so far."""
    values = F.cast(as_tensor(values), np.float32)
    with variable_scope(name, "mean"):
        total = metric_variable([], name="total")
        count = metric_variable([], name="count")
        if weights is None:
            batch_total, batch_count = F.sum(values), F.cast(F.reduced_size(values), np.float32)
        else:
            w = F.cast(as_tensor(weights), np.float32) * F.ones_like(values)
            batch_total, batch_count = F.sum(values * w), F.sum(w)
        update_total = total.assign_add(batch_total)
        update_count = count.assign_add(batch_count)
        value = _div_no_nan(total, count, "value")
        update_op = _div_no_nan(update_total, update_count, "update_op")
    _add_to(metrics_collections, value)
    _add_to(updates_collections, update_op)
    return value, update_op


def accuracy(labels, predictions, weights=None, metrics_collections=None,
             updates_collections=None, name=None):
    """How often ``predictions`` equal ``labels``, over every batch run so far."""
    labels, predictions = as_tensor(labels), as_tensor(predictions)
    if predictions.dtype != labels.dtype:
        predictions = F.cast(predictions, labels.dtype)
    hits = F.cast(F.equal(predictions, labels), np.float32)
    return mean(hits, weights, metrics_collections, updates_collections, name or "accuracy")


def _count(condition, weights, name):
    """A local counter of where ``condition`` holds (weighted), and its update op."""
    with variable_scope(None, name):
        count = metric_variable([], name="count")
        hits = F.cast(condition, np.float32)
        if weights is not None:
            hits = hits * F.cast(as_tensor(weights), np.float32)
        return count, count.assign_add(F.sum(hits))


def _ratio(labels, predictions, weights, name, default_name, other, other_name,
           metrics_collections, updates_collections):
    """tp / (tp + other): precision (other: false positives) or recall (false negatives)."""
    labels = F.cast(as_tensor(labels), bool)
    predictions = F.cast(as_tensor(predictions), bool)
    with variable_scope(name, default_name):
        tp, tp_update = _count(F.logical_and(labels, predictions), weights, "true_positives")
        wrong, wrong_update = _count(other(labels, predictions), weights, other_name)
        value = _div_no_nan(tp, tp + wrong, "value")
        update_op = _div_no_nan(tp_update, tp_update + wrong_update, "update_op")
    _add_to(metrics_collections, value)
    _add_to(updates_collections, update_op)
    return value, update_op


def precision(labels, predictions, weights=None, metrics_collections=None,
              updates_collections=None, name=None):
    """true positives / (true positives + false positives), over every batch so far
    (labels and predictions are booleans: is it the positive class?)."""
    return _ratio(labels, predictions, weights, name, "precision",
                  lambda y, p: F.logical_and(F.logical_not(y), p), "false_positives",
                  metrics_collections, updates_collections)


def recall(labels, predictions, weights=None, metrics_collections=None,
           updates_collections=None, name=None):
    """true positives / (true positives + false negatives), over every batch so far."""
    return _ratio(labels, predictions, weights, name, "recall",
                  lambda y, p: F.logical_and(y, F.logical_not(p)), "false_negatives",
                  metrics_collections, updates_collections)
