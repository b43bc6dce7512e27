"""Nodes for debugging a graph at run time (they work eagerly too).

>>> import tinyflow as tf
>>> y = tf.debug.Print(tf.ones(2), [tf.ones(2)], "ones: ")
ones: [1 1]
"""
from ..ops import Print, check_numerics, bind
from ..ops import debug as _D
from ..base.source import user_site


def breakpoint(x, name=None):
    """``x`` unchanged, but stop in pdb when this node runs: at once in eager
    mode; at ``Session.run`` time in a graph, with the node's input ``value``,
    its ``node_name`` and the ``site`` (your line that built it) as locals."""
    return bind(_D.Breakpoint, (x,), {"name": name or "breakpoint", "site": user_site()})


def set_breakpoints_enabled(flag):
    """Switch breakpoint nodes on or off (``PYTHONBREAKPOINT=0`` switches them off too)."""
    _D.BREAKPOINTS.enabled = bool(flag)


DEBUG_TYPES = ("Print", "Breakpoint", "CheckNumerics")


def pruned_debug_ops(session):
    """The Print / breakpoint / check_numerics ops that ``session``'s last run
    did NOT execute, because no fetch depended on them."""
    return [op for op in session.last_pruned if op.type in DEBUG_TYPES]
