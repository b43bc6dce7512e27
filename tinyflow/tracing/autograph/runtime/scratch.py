"""A throwaway graph, for tracing something only to look at it.

Before choosing between a Python loop and a ``while_loop``, the runtime
evaluates the loop test once; before staging a loop whose variable has no
value yet, it traces one iteration to learn that variable's dtype and shape.
Those ops must not end up in the user's graph (a drawing would show them, a
``Print`` in them would run), so they go into a scratch graph nested in the
one being built: it may read that graph's tensors (capturing them, as a
cond branch does), and it is dropped afterwards.
"""
import contextlib

from ....graph.control_flow import FunctionGraph
from ....ops.primitive import interpreters


@contextlib.contextmanager
def scratch_graph():
    """Build into a scratch graph (or nowhere special when no graph is being built)."""
    outer = interpreters.building
    if outer is None:
        yield None
        return
    g = FunctionGraph("scratch", outer)
    with g.as_default():
        yield g
