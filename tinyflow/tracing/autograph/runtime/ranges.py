"""``ag__.range_``: ``range`` in a converted ``for`` statement.

``for i in range(n)`` with a Python ``n`` stays a Python loop (unrolled into
the graph, one copy of the body per iteration). With a symbolic ``n`` there
is nothing Python could count, so ``range_`` returns a ``TensorRange`` and
``for_stmt`` stages a ``while_loop`` over it.

>>> range_(3)
range(0, 3)
"""
import numpy as np

from ....graph.build import convert_to_tensor
from ....ops import cast
from ....ops.primitive import is_eager, is_symbolic


class TensorRange:
    """``range(start, limit, delta)`` with at least one symbolic bound."""

    def __init__(self, start, limit, delta):
        self.start, self.limit, self.delta = start, limit, delta
        kinds = [np.dtype(v.dtype) for v in (start, limit, delta) if is_symbolic(v)]
        self.dtype = max(kinds, key=lambda d: d.itemsize)

    def tensors(self):
        """start, limit, delta as tensors of one integer dtype."""
        def one(v):
            if is_symbolic(v):
                return v if v.dtype == self.dtype else cast(v, self.dtype)
            return convert_to_tensor(int(v), dtype=self.dtype)
        return [one(v) for v in (self.start, self.limit, self.delta)]

    def __repr__(self):
        return f"TensorRange({self.start!r}, {self.limit!r}, {self.delta!r})"


def range_(*args):
    """Python's ``range`` for numbers (and eager tensors); a TensorRange when
    a bound is a symbolic tensor."""
    if len(args) == 1:
        args = (0, args[0], 1)
    elif len(args) == 2:
        args = (args[0], args[1], 1)
    if not any(is_symbolic(a) for a in args):
        return range(*[int(a.item()) if is_eager(a) else a for a in args])
    if not is_symbolic(args[2]) and int(args[2]) == 0:
        raise ValueError("range() arg 3 must not be zero")
    return TensorRange(*args)
