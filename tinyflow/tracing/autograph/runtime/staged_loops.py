"""Loops on tensors, staged as one ``while_loop``.

``while_stmt`` and ``for_stmt`` (loops.py) come here when the loop depends
on a symbolic tensor. A ``while`` maps straight onto ``while_loop(test,
body, state)``. A ``for`` over a tensor or a tensor range becomes a
``while_loop`` with one more variable, the position::

    for x in xs: body          ->   while_loop(lambda i, *s: i < len(xs),
                                               lambda i, *s: (i + 1, *body(xs[i], *s)),
                                               (0, *state))
"""
from ....base.nest import flatten
from ....graph.api import identity
from ....graph.build import convert_to_tensor
from ....graph.control_flow import while_loop
from ....graph.graph import get_default_graph
from ....ops import getitem, logical_and, logical_or
from ....ops.primitive import is_symbolic
from ....ops.printing import Assert
from ....ops.shape import shape_of
from ..effects import run_effects_with
from .loop_vars import check_initial, check_iteration, define_undefined, loop_invariants
from .ranges import TensorRange
from .values import checked_condition


def staged_while(test, body, state, names, options, site):
    """``while test(*state): state = body(*state)`` as a ``while_loop``."""
    def run_once(g, inputs):
        return tuple(body(*inputs))

    def loop_test(*values):
        return checked_condition(_as_tensor(test(*values)), "while loop", site)
    return _staged(loop_test, body, state, names, options, site, run_once)


def staged_for(iterated, extra_test, body, state, names, options, site):
    """``for item in iterated: state = body(item, *state)`` as a ``while_loop``
    over the position ``i`` (``extra_test``: the break flag's test, or None)."""
    position, more, item, step = _iteration(iterated)

    def run_once(g, inputs):
        return tuple(body(item(position), *inputs))

    def loop_test(i, *values):
        go = more(i)
        if extra_test is not None:
            extra = extra_test(*values)
            go = logical_and(go, checked_condition(_as_tensor(extra), "for loop", site)) \
                if is_symbolic(extra) else (go if extra else _as_tensor(False))
        return go

    def loop_body(i, *values):
        return (step(i),) + tuple(body(item(i), *values))
    out = _staged(loop_test, loop_body, [position] + list(state), ("<position>",) + tuple(names),
                  options, site, lambda g, inputs: (position,) + run_once(g, inputs[1:]))
    return out[1:]


def _iteration(iterated):
    """(the first position, its test, the item at a position, the next position)."""
    if isinstance(iterated, TensorRange):
        start, limit, delta = iterated.tensors()
        if not is_symbolic(iterated.delta):                    # its sign is known now
            more = (lambda i: i < limit) if iterated.delta > 0 else (lambda i: i > limit)
        else:
            def more(i):
                return logical_or(logical_and(delta > 0, i < limit),
                                  logical_and(delta < 0, i > limit))
        return start, more, (lambda i: i), (lambda i: i + delta)
    xs = iterated
    n = xs._shape[0] if xs._shape is not None and xs._shape and xs._shape[0] is not None \
        else getitem(shape_of(xs), 0)
    if xs._shape == ():
        raise TypeError(f"cannot iterate over the scalar tensor {xs.name}: a for loop over a "
                        f"tensor goes along its first dimension")
    return convert_to_tensor(0), (lambda i: i < n), (lambda i: getitem(xs, i)), (lambda i: i + 1)


def _staged(loop_test, loop_body, state, names, options, site, run_once):
    check_initial(state, names, site)
    init, invariants, undefined = define_undefined(state, names, run_once, site)
    for value, shape in options.get("shape_invariants", ()):
        for k, v in enumerate(state):
            if v is value:
                invariants[k] = [shape]
    n = len(init)
    if not n:                          # a loop with no variables (its effects are the point)
        init, invariants, names = [0], [None], ("<dummy>",)
        test_fn, body_fn = (lambda _: loop_test()), (lambda _: tuple(loop_body()) + (0,))
    else:
        test_fn, body_fn = loop_test, loop_body

    def test(*values):
        return test_fn(*values[:len(names)])

    def body(*values):
        entry = values[:len(names)]
        new = tuple(body_fn(*entry))
        check_iteration(names, entry, new, invariants, site)
        return run_effects_with(new + ((True,) if undefined else ()))   # its prints print
    extra = [False] if undefined else []             # "has it run once?", when that matters
    out = while_loop(test, body, list(init) + extra,
                     shape_invariants=_with_flag(loop_invariants(init, invariants), extra),
                     maximum_iterations=options.get("maximum_iterations"))
    out = list(out)
    if undefined:
        out = _checked_once(out[:-1], out[-1], [names[k] for k in undefined], undefined)
    return tuple(out[:n])


def _with_flag(invariants, extra):
    return invariants if invariants is None or not extra else invariants + [()]


def _checked_once(values, ran, missing, indexes):
    """The variables that started undefined, each read only after a check that
    the loop ran at least once (TensorFlow's runtime error otherwise)."""
    message = f"loop must iterate at least once to initialize {', '.join(missing)}"
    check = Assert(ran, [message])
    with get_default_graph().control_dependencies([check]):
        for k in indexes:
            leaves, rebuild = flatten(values[k])
            values[k] = rebuild([identity(v) for v in leaves])
    return values


def _as_tensor(value):
    return value if is_symbolic(value) else convert_to_tensor(value)
