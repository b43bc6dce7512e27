"""TensorFlow 1's global step and learning-rate schedules: graph tensors computed
from the ``global_step`` variable that ``minimize(loss, global_step=...)`` counts.

>>> import tinyflow.compat.v1 as tf
>>> tf.reset_default_graph()
>>> step = tf.train.get_or_create_global_step()
>>> lr = tf.train.exponential_decay(0.1, step, decay_steps=10, decay_rate=0.5, staircase=True)
>>> with tf.Session() as sess:
...     sess.run(tf.global_variables_initializer())
...     _ = sess.run(step.assign(25))
...     round(float(sess.run(lr)), 6)
0.025
"""
import numpy as np

from .. import ops as F
from ..graph.api import as_tensor, name_op
from ..graph.graph import building, get_default_graph
from ..graph.variables import GLOBAL_VARIABLES, Variable

GLOBAL_STEP = "global_step"


def get_global_step(graph=None):
    """The graph's global step variable (its collection, or the variable named
    ``global_step``), or None."""
    g = graph or get_default_graph()
    found = g.get_collection(GLOBAL_STEP)
    if len(found) > 1:
        raise TypeError("There are multiple items in collection global_step. There should "
                        "be only one.")
    if found:
        return found[0]
    named = [v for v in g.get_collection(GLOBAL_VARIABLES) if v.node.name == "global_step"]
    return named[0] if named else None


def create_global_step(graph=None):
    """A new int64 ``global_step`` variable starting at 0 (an error if there is one)."""
    g = graph or get_default_graph()
    if get_global_step(g) is not None:
        raise ValueError('"global_step" already exists.')
    with building(g), g.name_scope(None):
        return Variable(np.zeros((), np.int64), trainable=False, name="global_step",
                        collections=[GLOBAL_VARIABLES, GLOBAL_STEP])


def get_or_create_global_step(graph=None):
    """The graph's global step, made (int64, 0) the first time."""
    return get_global_step(graph) or create_global_step(graph)


def _named(t, name):
    return name_op(t, name)


def exponential_decay(learning_rate, global_step, decay_steps, decay_rate, staircase=False,
                      name=None):
    """learning_rate * decay_rate ** (global_step / decay_steps) (the exponent floored
    with ``staircase``), in the learning rate's dtype (float32 for a number)."""
    if global_step is None:
        raise ValueError("global_step is required for exponential_decay.")
    with building():
        lr = as_tensor(learning_rate)
        if np.dtype(lr.dtype).kind != "f":
            lr = F.cast(lr, np.float32)
        dtype = np.dtype(lr.dtype)
        p = F.cast(as_tensor(global_step), dtype) / np.asarray(decay_steps, dtype)
        if staircase:
            p = F.floor(p)
        return _named(lr * F.pow(as_tensor(np.asarray(decay_rate, dtype)), p),
                      name or "ExponentialDecay")


def piecewise_constant(x, boundaries, values, name=None):
    """values[0] while x <= boundaries[0], values[i] while x <= boundaries[i], and the
    last value beyond the last boundary."""
    if len(values) != len(boundaries) + 1:
        raise ValueError(f"piecewise_constant: the length of values ({len(values)}) must be "
                         f"one more than the length of boundaries ({len(boundaries)})")
    with building():
        x = as_tensor(x)
        vals = [as_tensor(v) for v in values]
        out = vals[-1]
        for b, v in reversed(list(zip(boundaries, vals[:-1]))):
            out = F.where(F.less_equal(x, np.asarray(b, x.dtype)), v, out)
        return _named(out, name or "PiecewiseConstant")
