"""Liveness: which variables the code after a statement may still read.

A converted ``if`` becomes a ``cond`` whose outputs are the variables its
branches assign -- but only those that something reads later. A temporary
assigned in one branch and never read again is no output, so it need not be
assigned in the other branch (AutoGraph's rule, and what makes ordinary code
convert). The same question picks a loop's variables: those its body assigns
that the next iteration, the loop test or the code after the loop may read.

The analysis walks a function's statements backwards, carrying the set of
names live after each one (read later, before being assigned again), and
writes the answer on the compound statements:

* ``if``: ``node.ag_live_out`` (live after it), ``node.ag_live_in`` (before it);
* ``while``/``for``: ``node.ag_live_out`` and ``node.ag_live_head`` (live at
  the top of each iteration, which includes the loop test and what comes after).

>>> import ast
>>> tree = ast.parse('''
... if x > 0:
...     tmp = x * 2
...     y = tmp + 1
... else:
...     y = 0
... print(y)''')
>>> _ = annotate(tree.body)
>>> sorted(tree.body[0].ag_live_out)
['print', 'y']
"""
import ast

from .names import bound, read


def annotate(body):
    """Annotate the if/while/for statements of one function body; return the
    names live at its start."""
    return _block(body, set())


def _block(stmts, live):
    for s in reversed(stmts):
        live = _statement(s, live)
    return live


def _statement(s, live):
    if isinstance(s, ast.If):
        s.ag_live_out = set(live)
        s.ag_live_in = read(s.test) | _block(s.body, live) | _block(s.orelse, live)
        return s.ag_live_in
    if isinstance(s, ast.While):
        after = _block(s.orelse, live)
        return _loop(s, after, read(s.test), set())
    if isinstance(s, ast.For):
        after = _block(s.orelse, live)
        extra = read(s.ag_extra_test) if getattr(s, "ag_extra_test", None) else set()
        return read(s.iter) | _loop(s, after, extra, set(bound([s.target])))
    if isinstance(s, ast.Return):
        return read(s.value) if s.value is not None else set()   # nothing after it runs
    if isinstance(s, ast.With):
        targets = set(bound([i.optional_vars for i in s.items if i.optional_vars]))
        return read([i.context_expr for i in s.items]) | (_block(s.body, live) - targets)
    if isinstance(s, ast.Try):
        final = _block(s.finalbody, live)
        handlers = set()
        for h in s.handlers:
            handlers |= _block(h.body, final) - ({h.name} if h.name else set())
        # an exception may leave the body anywhere: what a handler reads is live throughout
        return _block(s.body, _block(s.orelse, final) | handlers) | handlers | final
    return (live - set(bound([s]))) | read([s])


def _loop(s, after, test_reads, targets):
    """The names live at the top of each iteration: a fixed point, since what
    the body reads at its start is live at the end of the previous iteration."""
    head = test_reads | after
    while True:
        new = test_reads | after | (_block(s.body, head) - targets)
        if new == head:
            break
        head = new
    s.ag_live_out, s.ag_live_head = set(after), head
    return head
