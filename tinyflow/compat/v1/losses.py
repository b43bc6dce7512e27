"""``tf.losses`` as TensorFlow 1 spells it: mean losses over a batch, weighted
(``nn/tf_losses.py``). Each result is named as TensorFlow names it --
``value`` in a name scope named after the loss (``mean_squared_error/value:0``) --
and added to the LOSSES collection; ``sparse_softmax_cross_entropy`` is one fused op
(type ``SparseSoftmaxCrossEntropyWithLogits``) named ``value`` in that scope.

>>> import tinyflow.compat.v1 as tf
>>> tf.reset_default_graph()
>>> loss = tf.losses.mean_squared_error([1.0, 2.0], [1.0, 4.0])
>>> loss.name, tf.get_collection(tf.GraphKeys.LOSSES) == [loss], float(tf.Session().run(loss))
('mean_squared_error/value:0', True, 2.0)
"""
import functools

import numpy as np

from ...graph.api import as_tensor, identity, name_op
from ...graph.graph import building, get_default_graph
from ...nn import tf_losses as _losses

LOSSES = "losses"


def _loss(fn, scope_name, fused=False):
    @functools.wraps(fn)
    def loss(*args, scope=None, loss_collection=LOSSES, reduction=None, **kwargs):
        g = get_default_graph()
        with building(g):
            args = [_tensor(a) for a in args]
            kwargs = {k: _tensor(v) for k, v in kwargs.items()}
            with g.name_scope(scope or scope_name):
                out = fn(*args, **kwargs)
                # TF names the loss `value` in the loss's scope; a fused op takes the name
                out = name_op(out, "value") if fused else identity(out, name="value")
        if loss_collection:
            g.add_to_collection(loss_collection, out)
        return out
    return loss


def _tensor(v):
    """Lists and arrays as tensors (TF's dtypes); numbers (weights=1.0) stay numbers."""
    return as_tensor(v) if isinstance(v, (list, tuple, np.ndarray)) else v


mean_squared_error = _loss(_losses.mean_squared_error, "mean_squared_error")
absolute_difference = _loss(_losses.absolute_difference, "absolute_difference")
# tinyflow's one fused op (type SparseSoftmaxCrossEntropyWithLogits), named as TF1 names
# the result: sparse_softmax_cross_entropy_loss/value
sparse_softmax_cross_entropy = _loss(_losses.sparse_softmax_cross_entropy,
                                     "sparse_softmax_cross_entropy_loss", fused=True)
softmax_cross_entropy = _loss(_losses.softmax_cross_entropy, "softmax_cross_entropy_loss")
sigmoid_cross_entropy = _loss(_losses.sigmoid_cross_entropy, "sigmoid_cross_entropy_loss")
compute_weighted_loss = _loss(_losses.compute_weighted_loss, "weighted_loss")


def get_losses(scope=None, loss_collection=LOSSES):
    """The losses built so far (the LOSSES collection)."""
    return get_default_graph().get_collection(loss_collection, scope)


def get_regularization_losses(scope=None):
    return get_default_graph().get_collection("regularization_losses", scope)


def get_total_loss(add_regularization_losses=True, name="total_loss", scope=None):
    """The sum of every loss (and regularization loss) in the collections."""
    from ...nn.tf_array import add_n
    items = get_losses(scope) + (get_regularization_losses(scope)
                                 if add_regularization_losses else [])
    if not items:
        raise ValueError("No losses were built (tf.losses.* adds them to tf.GraphKeys.LOSSES)")
    with building():
        return name_op(add_n([as_tensor(t) for t in items]), name)
