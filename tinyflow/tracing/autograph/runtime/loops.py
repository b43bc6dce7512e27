"""``ag__.while_stmt`` and ``ag__.for_stmt``: a converted loop at trace time.

As for ``if``, the values decide. A ``for`` over a Python list, a ``range``
of Python numbers or an eager tensor is a Python loop: it unrolls, each
iteration's ops added to the graph one after the other. A ``for`` over a
symbolic tensor (or ``range`` of one), and a ``while`` whose test gives a
symbolic tensor, is staged as one ``while_loop`` (staged_loops.py).

A loop that starts in Python must stay in Python: if its test, or its break
flag, turns into a tensor after some iterations (a ``break`` under an ``if``
on a tensor), there is no way to stage the iterations already run -- the
same error as TensorFlow's.

>>> while_stmt(lambda i, s: i < 4, lambda i, s: (i + 1, s + i), (0, 0), ("i", "s"))
(4, 6)
>>> for_stmt([1, 2, 3], None, lambda x, s: (s + x,), (0,), ("s",))
(6,)
"""
from ....ops.primitive import is_symbolic
from .ranges import TensorRange
from .scratch import scratch_graph
from .sites import at, caller_site
from .staged_loops import staged_for, staged_while


def while_stmt(test, body, state, names, options=None):
    """``while test(*state): state = body(*state)``; returns the final state."""
    site = caller_site()
    with scratch_graph():                   # look at the test once, building nothing
        first = test(*state)
    if is_symbolic(first):
        return staged_while(test, body, state, names, options or {}, site)
    if not first:
        return tuple(state)
    state = body(*state)
    while _python_test(test(*state), "while loop", site):
        state = body(*state)
    return tuple(state)


def for_stmt(iterated, extra_test, body, state, names, options=None):
    """``for item in iterated: state = body(item, *state)``, stopping early
    when ``extra_test(*state)`` (a ``break`` flag's test) is false."""
    if isinstance(iterated, TensorRange) or is_symbolic(iterated):
        return staged_for(iterated, extra_test, body, state, names, options or {},
                          caller_site())
    site = None
    for item in iterated:
        if extra_test is not None:
            site = site or caller_site()
            if not _python_test(extra_test(*state), "for loop", site):
                break
        state = body(item, *state)
    return tuple(state)


def _python_test(value, tag, site):
    if is_symbolic(value):
        raise NotImplementedError(at(
            site, f"the condition of a {tag} that started in Python (its test or its iterable "
                  f"held Python values) became a tensor: this happens when variables change "
                  f"type in the loop, or when a break or return inside the loop depends on a "
                  f"tensor. A loop cannot switch from Python to the graph halfway; make it a "
                  f"tensor loop from the start (for example, start its variable as a tensor, "
                  f"i = tinyflow.constant(0), or loop over range(n) with a tensor n).", tag))
    return bool(value)
