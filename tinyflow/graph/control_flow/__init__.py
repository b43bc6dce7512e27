"""Control flow: ``cond``, ``case``, ``while_loop``, ``map_fn``, ``scan``.

Eagerly each is plain Python control flow. In a graph each is one op holding
small graphs (function_graph.py): a branch, a loop condition, a loop body.
"""
from .function_graph import FunctionGraph  # noqa: F401
from .cond import cond, case, If, IfGrad  # noqa: F401
from .while_loop import while_loop, While, WhileGrad  # noqa: F401
from .map_scan import map_fn, scan  # noqa: F401
