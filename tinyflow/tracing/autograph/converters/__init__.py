"""The converters: each rewrites the syntax tree of a function, in this order.

1. returns.py      ``return`` in the middle -> ``retval_`` (and a ``do_return`` flag)
2. breaks.py       ``break`` -> a ``break_`` flag the loop tests
3. continues.py    ``continue`` -> a ``continue_`` flag guarding the rest of the body
4. expressions.py  ``and`` / ``or`` / ``not`` / ``a if c else b`` -> ``ag__`` calls
5. calls.py        ``helper(x)`` -> ``ag__.converted_call(helper, x)``
6. control_flow.py ``if`` / ``while`` / ``for`` -> functions and ``ag__.if_stmt`` ...

The first three leave no jumps, so that the last can turn every block into a
function with one way in and one way out. Shared tools: names.py (which
names code assigns and reads), liveness.py (which are read later), jumps.py
(guarding the code after a jump), syntax.py (building syntax trees).
"""
from .returns import ReturnLowering
from .breaks import BreakLowering
from .continues import ContinueLowering
from .expressions import LogicalExpressions
from .calls import CallConversion
from .control_flow import ControlFlow

PASSES = (ReturnLowering, BreakLowering, ContinueLowering, LogicalExpressions, CallConversion)

__all__ = ["PASSES", "ControlFlow"]
