"""``tf.layers.dense``: a fully connected layer made of graph variables and ops.

``dense(x, 128, activation=tf.nn.relu, name="fc1")`` creates the variables
``fc1/kernel`` (in_features x 128) and ``fc1/bias`` and the ops
``fc1/MatMul``, ``fc1/BiasAdd`` and ``fc1/Relu``.
"""
import warnings

import numpy as np

from ..ops import matmul, bias_add
from ..graph.build import convert_to_tensor
from ..graph.graph import get_default_graph, building
from .tf_initializers import glorot_uniform_initializer, zeros_initializer
from ..graph.variables import Variable


def _initial(init, shape, dtype):
    if init is None:
        return None
    if callable(init):
        return init(shape, dtype)
    value = np.asarray(init, dtype=dtype)
    if value.shape != tuple(shape):
        raise ValueError(f"initial value has shape {value.shape}, expected {tuple(shape)}")
    return value


def _warn_duplicate(g, scope, kernel_shape):
    """A notebook cell re-run adds a second copy of the layer: say so once."""
    base = scope.rstrip("/")
    stem = base.rsplit("_", 1)[0] if base.rsplit("_", 1)[-1].isdigit() else None
    if stem is None:
        return
    try:
        first = g.get_operation_by_name(f"{stem}/kernel")
    except KeyError:
        return
    if first.attrs.get("shape") == tuple(kernel_shape):
        warnings.warn(f"the graph already has a layer '{stem}' of the same shape; this one is "
                      f"named '{base}'. If you re-ran a notebook cell, the graph now holds two "
                      f"copies: call tinyflow.reset_default_graph() at the top of the cell to "
                      f"start fresh.", stacklevel=3)


def dense(inputs, units, activation=None, use_bias=True, kernel_initializer=None,
          bias_initializer=None, name=None, trainable=True):
    """inputs @ kernel + bias, then ``activation`` (TensorFlow 1's tf.layers.dense)."""
    g = get_default_graph()
    with building(g):
        x = convert_to_tensor(inputs)
        n_in = x._shape[-1] if x._shape else None
        if n_in is None:
            raise ValueError(f"dense: the last dimension of the inputs must be known, got shape "
                             f"{x.shape} for {x.name}")
        with g.name_scope(name or "dense") as scope:
            _warn_duplicate(g, scope, (n_in, units))
            kinit = kernel_initializer or glorot_uniform_initializer()
            kernel = Variable(_initial(kinit, (n_in, units), x.dtype), name="kernel",
                              trainable=trainable, dtype=x.dtype)
            y = matmul(x, kernel)
            if use_bias:
                binit = bias_initializer or zeros_initializer()
                bias = Variable(_initial(binit, (units,), x.dtype), name="bias",
                                trainable=trainable, dtype=x.dtype)
                y = bias_add(y, bias)
            if activation is not None:
                y = activation(y)
        return y
