"""``ag__.if_stmt`` and ``ag__.if_exp``: a converted ``if`` at trace time.

The condition decides. A Python value (a bool, a number, a list, an eager
tensor) is Python's business: run the branch it picks, as plain Python would
-- so ``if training:`` on a Python flag builds only that branch's ops. A
symbolic tensor has no value until the graph runs, so both branches are
traced into a ``cond``, and the variables they assign are its outputs.

>>> from tinyflow.tracing.autograph.runtime.variables import Undefined
>>> if_stmt(True, lambda y: (1,), lambda y: (2,), (Undefined("y"),), ("y",))
(1,)
"""
from ....base.nest import flatten
from ....graph.control_flow import cond
from ....ops.primitive import is_symbolic
from ..effects import run_effects_with
from .sites import at, caller_site
from .values import checked_condition, stageable, value_dtype
from .variables import Undefined, UndefinedReturnValue


def if_stmt(condition, body, orelse, state, names):
    """``body(*state)`` if ``condition`` else ``orelse(*state)``: each branch
    returns the new values of the variables named ``names``."""
    if not is_symbolic(condition):
        return body(*state) if condition else orelse(*state)
    site = caller_site()
    pred = checked_condition(condition, "if statement", site)
    done = {}

    def staged(branch, label):
        def traced():
            values = tuple(branch(*state))
            _check_branch(values, names, label, site)
            done[label] = values
            if len(done) == 2:
                _check_agree(done["main"], done["else"], names, site)
            # A statement that assigns nothing still gets one output (TensorFlow's dummy 0),
            # for the branch's prints to hang on.
            return run_effects_with(values or (0,))
        return traced
    return tuple(cond(pred, staged(body, "main"), staged(orelse, "else")))[:len(names)]


def if_exp(condition, if_true, if_false):
    """``if_true() if condition else if_false()``: a cond for a tensor condition."""
    if not is_symbolic(condition):
        return if_true() if condition else if_false()
    pred = checked_condition(condition, "if expression", caller_site())
    return cond(pred, if_true, if_false)


def _check_branch(values, names, label, site):
    """Every output defined, and something a cond can output (TensorFlow's messages)."""
    for name, value in zip(names, values):
        if isinstance(value, UndefinedReturnValue):
            raise ValueError(at(site, f"the {label} branch must also have a return statement.",
                                "if statement"))
        if isinstance(value, Undefined):
            raise ValueError(at(site, f"'{name}' must also be initialized in the {label} branch",
                                "if statement"))
        if value is None:
            raise ValueError(at(site, f"'{name}' is None at the end of the {label} branch.",
                                "if statement"))
        for leaf in flatten(value)[0]:
            if not stageable(leaf):
                raise TypeError(at(site, f"'{name}' is a {type(leaf).__name__} at the end of the "
                                         f"{label} branch; an if statement on a tensor becomes a "
                                         f"cond, whose outputs can only be tensors, numbers, "
                                         f"arrays or lists, tuples and dicts of them",
                                   "if statement"))


def _check_agree(main, orelse, names, site):
    """Both branches give each variable the same structure and dtypes."""
    for name, a, b in zip(names, main, orelse):
        leaves_a, rebuild_a = flatten(a)
        leaves_b, rebuild_b = flatten(b)
        marks = ["*"] * len(leaves_a)
        if len(leaves_a) != len(leaves_b) or rebuild_a(marks) != rebuild_b(["*"] * len(leaves_b)):
            raise TypeError(at(site, f"'{name}' must have the same nested structure in the main "
                                     f"and else branches: {rebuild_a(marks)} and "
                                     f"{rebuild_b(['*'] * len(leaves_b))}", "if statement"))
        for x, y in zip(leaves_a, leaves_b):
            if value_dtype(x) != value_dtype(y):
                raise TypeError(at(site, f"'{name}' has dtype {value_dtype(x).name} in the main "
                                         f"branch, but dtype {value_dtype(y).name} in the else "
                                         f"branch", "if statement"))
