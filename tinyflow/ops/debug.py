"""Debugging primitives: nodes that print, stop in pdb, or check for nan/inf
when they *run*.

Eagerly they act at once (the op runs when you call it). In a graph they act
when a Session runs them -- and only if some fetch needs them: a Print node on
a branch no fetch depends on is pruned, and prints nothing.

>>> import numpy as np
>>> from tinyflow.ops import debug
>>> _ = debug.PrintOp.forward(np.arange(5), np.arange(5), message="x: ", first_n=-1,
...                         summarize=3, counter=debug.Counter())
x: [0 1 2...]
"""
import os
import sys

import numpy as np

from . import shape_rules
from .primitive import Primitive, bind, first_dtype, is_symbolic
from ..base.source import user_site
from ..base.errors import InvalidArgumentError      # check_numerics raises it (TensorFlow's name)


class Counter:
    """How many times a Print node has printed (for ``first_n``)."""
    __slots__ = ("n",)

    def __init__(self, n=0):
        self.n = n

    def __repr__(self):
        return f"Counter({self.n})"


def _summarize(value, n):
    """TensorFlow's tf.Print format: the first n elements, then '...'."""
    a = np.asarray(value).reshape(-1)
    body = " ".join(np.format_float_positional(v, trim="-", precision=6) if a.dtype.kind == "f"
                    else str(v) for v in a[:n])
    return f"[{body}{'...' if a.size > n else ''}]"


def _print(x, *data, message=None, first_n=-1, summarize=3, counter=None):
    if first_n < 0 or counter is None or counter.n < first_n:
        if counter is not None:
            counter.n += 1
        text = (message or "") + "".join(_summarize(d, summarize) for d in data)
        print(text, flush=True)
    return x


PrintOp = Primitive("Print", _print, lambda x, *d, **a: x, dtype=first_dtype, family="debug",
                    doc="x unchanged; prints message and data each time it runs")
PrintOp.defvjp_each(lambda i, g, x, *data, out, **attrs: g if i == 0 else None)


def _enter_pdb(value, node_name, site):
    """Stop here in pdb: ``value``, ``node_name`` and ``site`` are local variables."""
    if os.environ.get("PYTHONBREAKPOINT") == "0" or not BREAKPOINTS.enabled:
        return value
    import pdb
    print(f"tinyflow breakpoint {node_name!r}" + (f", built at {site[0]}:{site[1]}" if site else "")
          + ". Inspect `value`, `node_name`, `site`; `c` continues.", flush=True)
    pdb.Pdb().set_trace(sys._getframe())     # default streams: Jupyter routes them to the cell
    return value


def _breakpoint(x, name=None, site=None):
    return _enter_pdb(x, name, site)


class BREAKPOINTS:
    enabled = True


Breakpoint = Primitive("Breakpoint", _breakpoint, shape_rules.same, family="debug",
                       doc="x unchanged; enters pdb when it runs")
Breakpoint.defvjp(lambda g, x, out, name=None, site=None: g, reads=())


def _check_numerics(x, message="", name=None, site=None):
    a = np.asarray(x)
    if a.dtype.kind == "f" and not np.isfinite(a).all():
        kind = "NaN" if np.isnan(a).any() else "Inf"
        where = [f"op {name!r}"] if name else []
        where += [f"built at {site[0]}:{site[1]}"] if site else []
        raise InvalidArgumentError(f"{message} : Tensor had {kind} values"
                                   + (f" ({', '.join(where)})" if where else ""))
    return x


CheckNumerics = Primitive("CheckNumerics", _check_numerics, shape_rules.same, family="debug",
                          doc="x unchanged; raises if x holds nan or inf")
CheckNumerics.defvjp(lambda g, x, out, message="", name=None, site=None: g, reads=())


def _grad_hook(g, hooks=None, name=None):
    for fn in list(hooks.values()):
        r = fn(g)
        if r is not None:
            g = np.asarray(r.array if hasattr(r, "array") else r)
    return g


GradHook = Primitive("GradHook", _grad_hook, shape_rules.same, family="debug",
                     doc="a gradient, passed through the hooks registered on a symbolic tensor")
GradHook.defvjp(lambda g, x, out, hooks=None, name=None: g, reads=())


# --- the op functions ----------------------------------------------------------

def Print(input_, data, message=None, first_n=-1, summarize=3, name=None):
    """TensorFlow 1's ``tf.Print``: ``input_`` unchanged, printing ``message`` and
    the values of ``data`` (a list of tensors) each time the node runs --
    immediately in eager mode, at ``Session.run`` time in a graph."""
    if not isinstance(data, (list, tuple)):
        data = [data]
    return bind(PrintOp, (input_, *data), {"message": message, "first_n": int(first_n),
                                            "summarize": int(summarize), "counter": Counter()})


def check_numerics(x, message="", name=None):
    """x unchanged, or an error naming ``message`` if x holds nan or inf."""
    out = bind(CheckNumerics, (x,), {"message": message, "name": name, "site": user_site()})
    if name and is_symbolic(out):
        out.graph.rename(out.node, name)
    return out
