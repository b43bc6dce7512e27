"""TensorFlow 2's ``tf.print`` and ``tf.debugging.Assert``: ops whose whole
job is an effect -- a line written, or an error raised.

Eagerly they act at once. In a graph they act when a Session runs them; a
``tinyflow.function`` runs every such op it traced, used or not (TF2's
automatic control dependencies), which is why ``tf.print`` is the way to see
values inside a traced function while Python's ``print`` runs only while
tracing. They print as TensorFlow prints: no commas, the first and last
``summarize`` entries of each dimension, Python strings as they are.

>>> import sys, numpy as np, tinyflow as tf
>>> print_("x =", tf.arange(10), [1.5, tf.tensor(2.5)], output_stream=sys.stdout)
x = [0 1 2 ... 7 8 9] [1.5, 2.5]
>>> format_value(np.array([[1.5, 2.0], [3.0, 4.0]], np.float32), 3)
'[[1.5 2]\\n [3 4]]'
"""
import sys

import numpy as np

from ..base.errors import InvalidArgumentError
from ..base.nest import flatten
from .primitive import Primitive, bind, bool_dtype, is_symbolic, is_tensor

# --- how TensorFlow writes values ----------------------------------------------


def format_value(array, summarize):
    """A tensor's value as tf.print writes it (``summarize=-1``: every entry)."""
    a = np.asarray(array)
    if a.ndim == 0:
        return _element(a[()], a.dtype)
    return _nested(a, 0, summarize)


def _nested(a, depth, summarize):
    n = a.shape[0]
    if 0 <= summarize and n > 2 * summarize:
        picked = list(range(summarize)) + [None] + list(range(n - summarize, n))
    else:
        picked = range(n)
    if a.ndim == 1:
        parts = ["..." if i is None else _element(a[i], a.dtype) for i in picked]
        return "[" + " ".join(parts) + "]"
    gap = "\n" * (a.ndim - 1) + " " * (depth + 1)          # blank lines between blocks
    return "[" + gap.join("..." if i is None else _nested(a[i], depth + 1, summarize)
                          for i in picked) + "]"


def _element(v, dtype):
    if dtype.kind == "b":
        return "1" if v else "0"
    if dtype.kind in "iu":
        return str(int(v))
    if dtype.kind in "SUO":
        return '"' + (v.decode() if isinstance(v, bytes) else str(v)) + '"'
    # The shortest of two precisions that gives the value back (TensorFlow's rule).
    short, full = (15, 17) if dtype == np.float64 else (6, 9)
    text = "%.*g" % (short, v)
    if np.isfinite(v) and dtype.type(float(text)) != v:
        text = "%.*g" % (full, v)
    return text


# --- tf.print ---------------------------------------------------------------------

class _Slot:
    """Stands for the k-th tensor inside a printed structure."""

    def __init__(self, k):
        self.k = k

    def __repr__(self):
        return f"\x00{self.k}\x00"


def _template(inputs):
    """(the tensors to print, the text with a slot for each tensor):
    ``"x", [1, t]`` -> ``[t]``, ``["x", "[1, \\x000\\x00]"]``."""
    tensors, pieces = [], []
    for x in inputs:
        if isinstance(x, str):
            pieces.append(x)
            continue
        leaves, rebuild = flatten(x)
        slots = []
        for leaf in leaves:
            if is_tensor(leaf):
                slots.append(_Slot(len(tensors)))
                tensors.append(leaf)
            else:
                slots.append(leaf)
        pieces.append(repr(rebuild(slots)))
    return tensors, pieces


def _print_v2(*values, pieces=(), sep=" ", end="\n", summarize=3, output_stream="stderr"):
    text = sep.join(pieces)
    for k, v in enumerate(values):
        text = text.replace(f"\x00{k}\x00", format_value(v, summarize))
    _write(output_stream, text, end)
    return np.bool_(True)


def _write(stream, text, end):
    if stream in ("stderr", "stdout"):
        stream = getattr(sys, stream)            # looked up now: pytest and Jupyter replace it
    if isinstance(stream, str):                  # "file:///tmp/log.txt"
        with open(stream[len("file://"):], "a") as f:
            f.write(text + end)
    elif hasattr(stream, "write"):
        stream.write(text + end)
        if hasattr(stream, "flush"):
            stream.flush()
    else:                                        # a logging function: logging.info
        stream(text)


_STDERR, _STDOUT = sys.stderr, sys.stdout       # the default argument is this object

PrintV2 = Primitive("PrintV2", _print_v2, lambda *shapes, **attrs: (), dtype=bool_dtype,
                    nondiff=True, family="debug", doc="writes its inputs when it runs")


def print_(*inputs, output_stream=sys.stderr, summarize=3, sep=" ", end="\n", name=None):
    """TensorFlow 2's ``tf.print``: write ``inputs`` (tensors, Python values and
    structures of both) to ``output_stream`` -- standard error by default,
    ``sys.stdout``, a file object, ``"file://path"`` (appended to) or a logging
    function. Tensors print their first and last ``summarize`` entries of
    each dimension (``None``: 3, ``-1``: all). Eagerly it writes now and
    returns None; in a graph it returns the print op."""
    if any(output_stream is s for s in (sys.stderr, sys.__stderr__, _STDERR)):
        output_stream = "stderr"                  # whatever sys.stderr is when it runs
    elif any(output_stream is s for s in (sys.stdout, sys.__stdout__, _STDOUT)):
        output_stream = "stdout"
    elif isinstance(output_stream, str) and not output_stream.startswith("file://"):
        raise ValueError(f"print: output_stream must be sys.stderr, sys.stdout, a file object, a "
                         f"'file://path' string or a logging function, got {output_stream!r}")
    tensors, pieces = _template(inputs)
    out = bind(PrintV2, tensors, {"pieces": tuple(pieces), "sep": sep, "end": end,
                                  "summarize": 3 if summarize is None else int(summarize),
                                  "output_stream": output_stream})
    return out.node if is_symbolic(out) else None


# --- Assert -----------------------------------------------------------------------

def _assert(condition, *values, pieces=(), summarize=3):
    if not np.all(condition):
        text = " ".join(pieces)
        for k, v in enumerate(values):
            text = text.replace(f"\x00{k}\x00", format_value(v, summarize))
        raise InvalidArgumentError(f"assertion failed: [{text}]")
    return np.bool_(True)


AssertOp = Primitive("Assert", _assert, lambda *shapes, **attrs: (), dtype=bool_dtype,
                     nondiff=True, family="debug", doc="raises if its condition is false")


def Assert(condition, data, summarize=None, name=None):
    """TensorFlow's ``tf.debugging.Assert``: raise InvalidArgumentError, showing
    ``data`` (strings and tensors), if ``condition`` is false -- now when eager,
    when the op runs in a graph (then returns the op)."""
    tensors, pieces = _template(list(data))
    out = bind(AssertOp, [condition] + tensors,
               {"pieces": tuple(pieces), "summarize": 3 if summarize is None else int(summarize)})
    return out.node if is_symbolic(out) else None
