"""TensorFlow 1's ``get_variable``: a variable found or made by name, with a
default initializer, as ``tf.layers`` and hand-written TF1 models make theirs.

>>> import tinyflow.compat.v1 as tf
>>> tf.reset_default_graph()
>>> w = tf.get_variable("w", shape=[2, 3])
>>> w.name, w.shape
('w:0', TensorShape([2, 3]))
>>> tf.get_variable("w") is w           # the same name: the same variable
True
"""
import numpy as np

from ..graph.graph import get_default_graph
from ..graph.variables import Variable
from .tf_initializers import glorot_uniform_initializer


def get_variable(name, shape=None, dtype=np.float32, initializer=None, trainable=True):
    """The variable ``name`` in the current scope: the one already made, or a new
    one with ``initializer`` (default: glorot_uniform, TF1's default)."""
    g = get_default_graph()
    full = f"{g._scope}{name}"
    try:
        return g.get_operation_by_name(full).outputs[0]
    except KeyError:
        pass
    init = initializer or glorot_uniform_initializer()
    value = init(shape, dtype) if callable(init) else np.asarray(init, dtype)
    return Variable(value, name=name, trainable=trainable, dtype=dtype)
