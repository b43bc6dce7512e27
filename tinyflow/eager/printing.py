"""How a tensor prints: PyTorch's format (four decimals, scientific notation
when the values span too many orders of magnitude, the dtype shown when it is
not the default), so a PyTorch program prints what it printed under PyTorch.

>>> import numpy as np
>>> body(np.array([1.0, 2.5], np.float32))
'[1.0000, 2.5000]'
>>> body(np.array([1.0, -2.0], np.float32))
'[ 1., -2.]'
>>> body(np.array([1e-5, 1.0]))
'[1.0000e-05, 1.0000e+00]'
"""
import numpy as np

from ..base.dtypes import get_default_dtype

PRECISION = 4          # PyTorch's print options: torch.set_printoptions
THRESHOLD = 1000       # more elements than this: summarized with "..."
EDGE_ITEMS = 3
LINE_WIDTH = 80


def _float_format(a):
    """The format of each element of a float array, PyTorch's way."""
    finite = a[np.isfinite(a)]
    nonzero = np.abs(finite[finite != 0])
    if nonzero.size == 0:
        return "{:.0f}."
    lo, hi = nonzero.min(), nonzero.max()
    if np.all(np.ceil(nonzero) == nonzero):                  # whole numbers: "1.", "2."
        if hi / lo > 1000 or hi > 1e8:
            return "{:." + str(PRECISION) + "e}"
        return "{:.0f}."
    if hi / lo > 1000 or hi > 1e8 or lo < 1e-4:
        return "{:." + str(PRECISION) + "e}"
    return "{:." + str(PRECISION) + "f}"


def _element_formatter(a):
    """A function formatting one element, every element padded to the same width."""
    if a.dtype.kind == "f":
        fmt = _float_format(a.astype(np.float64))

        def one(x):
            return fmt.format(x) if np.isfinite(x) else str(x).replace("np.float", "")
    elif a.dtype.kind == "b":
        def one(x):
            return str(bool(x))
    else:
        def one(x):
            return str(int(x))
    shown = a if a.size <= THRESHOLD else _edges(a)
    if a.dtype.kind == "f":          # as PyTorch: the width of the nonzero finite values
        shown = shown[np.isfinite(shown) & (shown != 0)]
    width = max((len(one(x)) for x in shown.ravel()), default=0)
    return lambda x: one(x).rjust(width)


def _edges(a):
    """The elements a summarized print shows: EDGE_ITEMS at each end of each axis."""
    for axis in range(a.ndim):
        if a.shape[axis] > 2 * EDGE_ITEMS:
            a = np.concatenate([np.take(a, range(EDGE_ITEMS), axis),
                                np.take(a, range(-EDGE_ITEMS, 0), axis)], axis)
    return a


def body(a, prefix="tensor("):
    """The bracketed values of an array, as PyTorch prints them after ``prefix``."""
    if a.size == 0:
        return "[]"
    if a.ndim == 0:
        return _element_formatter(a.reshape(1))(a.reshape(1)[0])
    fmt = _element_formatter(a)
    kind = "float_kind" if a.dtype.kind == "f" else "bool" if a.dtype.kind == "b" else "int"
    return np.array2string(a, separator=", ", prefix=prefix, formatter={kind: fmt},
                           threshold=THRESHOLD, edgeitems=EDGE_ITEMS, max_line_width=LINE_WIDTH)


def tensor_repr(t):
    """``tensor([...], dtype=..., grad_fn=<...>)`` for an eager tensor."""
    a = t.array
    extra = []
    if a.size == 0 and a.ndim != 1:
        extra.append(f"size={tuple(a.shape)}")
    shown_dtype = a.dtype not in (np.dtype(get_default_dtype()), np.int64, np.bool_)
    if shown_dtype or (a.size == 0 and a.dtype != np.dtype(get_default_dtype())):
        extra.append(f"dtype={t.dtype}")
    if t.node is not None:
        extra.append(f"grad_fn=<{t.node.name()}>")
    elif t.requires_grad:
        extra.append("requires_grad=True")
    return "tensor(" + body(a) + "".join(", " + e for e in extra) + ")"
