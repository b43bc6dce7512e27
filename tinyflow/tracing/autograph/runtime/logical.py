"""``ag__.and_``, ``ag__.or_``, ``ag__.not_``: Python's boolean operators,
or their graph versions when an operand is a symbolic tensor.

Each operand comes as a function, so Python values keep Python's
short-circuit (``x is not None and x.shape[0] > 1`` never reads ``x.shape``
of None). When an operand is a tensor, the rest is staged lazily too, as
TensorFlow does: ``a and b`` is ``cond(a, lambda: b, lambda: a)``.

>>> and_(lambda: 3, lambda: 0), or_(lambda: 0, lambda: [], lambda: "x"), not_(0)
(0, 'x', True)
"""
from ....graph.control_flow import cond
from ....ops import logical_not
from ....ops.primitive import is_symbolic
from .sites import caller_site
from .values import checked_condition


def and_(*operands):
    """``a and b and ...``, each operand a function giving its value."""
    return _chain(operands, stop_on=False)


def or_(*operands):
    """``a or b or ...``, each operand a function giving its value."""
    return _chain(operands, stop_on=True)


def _chain(operands, stop_on):
    value = operands[0]()
    for k in range(1, len(operands)):
        if is_symbolic(value):
            pred = checked_condition(value, "and/or", caller_site(3))
            rest = lambda: _chain(operands[k:], stop_on)          # noqa: E731
            keep = lambda: pred                                    # noqa: E731
            return cond(pred, keep, rest) if stop_on else cond(pred, rest, keep)
        if bool(value) == stop_on:
            return value
        value = operands[k]()
    return value


def not_(value):
    """``not value``: ``logical_not`` for a symbolic tensor."""
    return logical_not(value) if is_symbolic(value) else not value
