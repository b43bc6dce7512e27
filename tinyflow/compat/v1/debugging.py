"""``tf.Print`` and ``tf.debugging`` as TensorFlow 1 spells them.

TF1's ``tf.Print`` is an identity op that writes its message and data to the
process's standard error when it runs (and, pruned, never runs if nothing needs
its output). Here it is tinyflow's ``Print`` primitive (ops/debug.py: the same
forward, format and gradient) with that forward's output sent to standard error.

>>> import tinyflow.compat.v1 as tf
>>> tf.reset_default_graph()
>>> x = tf.placeholder(tf.float32, [None], name="x")
>>> y = tf.Print(x, [x, tf.shape(x)], message="x: ")
>>> y.op.type, y.name
('Print', 'Print:0')
"""
import contextlib
import sys

from ... import ops as _F
from ...graph.api import as_tensor
from ...graph.build import build
from ...graph.graph import building
from ...ops.debug import Counter, PrintOp
from ...ops.primitive import Primitive
from .spelling import in_graph


def _to_stderr(*args, **attrs):
    with contextlib.redirect_stdout(sys.stderr):
        return PrintOp.forward(*args, **attrs)


# The registry's Print, writing where TF1 writes (not registered again: a saved graph
# names "Print", and loads as the registry's own).
StderrPrint = Primitive("Print", _to_stderr, PrintOp.shape_rule, dtype=PrintOp.dtype_rule,
                        family="debug", doc=PrintOp.doc + " (to standard error, as TF1)",
                        register=False)
StderrPrint.vjps = PrintOp.vjps


def Print(input_, data, message=None, first_n=None, summarize=None, name=None):
    """``input_`` unchanged; when the op runs, ``message`` and the first ``summarize``
    (default 3) values of each of ``data`` go to standard error, the first ``first_n``
    times (every time by default)."""
    x = as_tensor(input_)
    data = [as_tensor(d) for d in (data if isinstance(data, (list, tuple)) else [data])]
    attrs = {"message": message, "first_n": -1 if first_n is None else int(first_n),
             "summarize": 3 if summarize is None else int(summarize), "counter": Counter()}
    with building(x.graph):
        return build(StderrPrint, (x, *data), attrs, name=name or "Print")


check_numerics = in_graph(_F.check_numerics)
