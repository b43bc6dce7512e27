"""The variables of a staged loop: checked, and given a value if they have none.

A ``while_loop`` carries its variables from one iteration to the next, so
each must have a value before the loop and keep its dtype, nesting and
shape (unless a shape invariant allows it to change). These checks run while
the body is traced and name the variable, with TensorFlow's messages.

A variable first assigned *inside* the loop (``for i in tf.range(n): y =
f(i)`` then ``return y``) has no value before it. As TensorFlow does, the
runtime then traces one iteration in a scratch graph to learn ``y``'s dtype
and shape, starts the loop from zeros of that kind, and adds a check that
the loop ran at least once ("loop must iterate at least once to initialize y").
"""
import numpy as np

from ....base.nest import flatten
from ....graph.build import convert_to_tensor
from ....graph.control_flow.function_graph import fits
from ....ops.primitive import is_symbolic
from .scratch import scratch_graph
from .sites import at
from .values import fmt_shape, stageable, value_dtype, value_shape
from .variables import Undefined, UndefinedReturnValue


def check_initial(state, names, site):
    """What a staged loop cannot start from: a return value, or a non-tensor."""
    for name, value in zip(names, state):
        if isinstance(value, UndefinedReturnValue):
            raise NotImplementedError(at(
                site, "a return statement cannot be placed inside this TensorFlow loop; this may "
                      "happen if a return statement depends on a static Python condition such as "
                      "a hyperparameter (tinyflow, as TensorFlow, cannot return from the middle of "
                      "a while_loop: assign the result to a variable and return it after the "
                      "loop)", "loop"))
        for leaf in flatten(value)[0]:
            if not (leaf is None or isinstance(leaf, Undefined) or stageable(leaf)):
                raise TypeError(at(site, f"'{name}' is a {type(leaf).__name__} before the loop; "
                                         f"the variables of a loop on a tensor can only be "
                                         f"tensors, numbers, arrays or lists, tuples and dicts of "
                                         f"them", "loop"))


def check_iteration(names, entry, exit_, invariants, site):
    """After one traced iteration: same nesting, dtypes and (fitting) shapes."""
    for k, name in enumerate(names):
        a, b = entry[k], exit_[k]
        if b is None:
            raise ValueError(at(site, f"'{name}' is None at the end of the iteration.", "loop"))
        leaves_a, rebuild_a = flatten(a)
        leaves_b, rebuild_b = flatten(b)
        if len(leaves_a) != len(leaves_b) or \
                rebuild_a([0] * len(leaves_a)) != rebuild_b([0] * len(leaves_b)):
            raise TypeError(at(site, f"'{name}' does not have the same nested structure after one "
                                     f"iteration: {rebuild_a(['*'] * len(leaves_a))} before, "
                                     f"{rebuild_b(['*'] * len(leaves_b))} after", "loop"))
        for x, y in zip(leaves_a, leaves_b):
            _check_leaf(name, x, y, invariants[k] is not None, site)


def _check_leaf(name, entry, exit_, has_invariant, site):
    if isinstance(exit_, Undefined):
        exit_.read()
    if value_dtype(entry) != value_dtype(exit_):
        raise TypeError(at(site, f"'{name}' has dtype {value_dtype(entry).name} before the loop, "
                                 f"but dtype {value_dtype(exit_).name} after one iteration",
                           "loop"))
    before, after = value_shape(entry), value_shape(exit_)
    if fits(after, before):
        return
    if has_invariant:
        raise ValueError(at(site, f"'{name}' has shape {fmt_shape(after)} after one iteration, "
                                  f"which does not conform with the shape invariant "
                                  f"{fmt_shape(before)}.", "loop"))
    raise ValueError(at(site, f"'{name}' has shape {fmt_shape(before)} before the loop, but shape "
                              f"{fmt_shape(after)} after one iteration. Use tinyflow.autograph."
                              f"experimental.set_loop_options(shape_invariants=[({name}, shape)]) "
                              f"as the first statement of the loop body to let it change.",
                        "loop"))


def define_undefined(state, names, run_once, site):
    """Starting values for variables that have none (TensorFlow's
    ``_try_handling_undefineds``). ``run_once(g, inputs)`` traces one iteration
    in the scratch graph ``g`` and returns the state after it.

    Returns (the new state, their shape invariants (None: as the value), the
    indexes of the variables that were undefined)."""
    missing = [k for k, v in enumerate(state) if v is None or isinstance(v, Undefined)]
    invariants = [None] * len(state)
    if not missing:
        return list(state), invariants, missing
    first, note = None, ""
    try:
        with scratch_graph() as g:
            inputs = [_placeholders(v, g) for v in state]
            first = run_once(g, inputs)
    except (UnboundLocalError, TypeError, ValueError, KeyError) as e:
        note = (f"\nNote: AutoGraph tried to define it automatically, but ran into a "
                f"{type(e).__name__}: {e}")
    new = list(state)
    for k in missing:
        like = None if first is None else first[k]
        if like is None or isinstance(like, Undefined):
            what = "is not allowed to be None" if state[k] is None else "must be defined"
            raise ValueError(at(site, f"'{names[k]}' {what} before the loop{note}", "loop"))
        new[k], invariants[k] = _zeros_like(like)
    return new, invariants, missing


def _placeholders(value, g):
    """Python numbers and arrays as scratch placeholders (the real loop will
    carry them as tensors); tensors stay (they are captured)."""
    leaves, rebuild = flatten(value)
    return rebuild([g.add_input(value_dtype(v), value_shape(v), "x")
                    if stageable(v) and not is_symbolic(v) else v for v in leaves])


def _zeros_like(like):
    """A starting value shaped as ``like`` (unknown sizes 0), and the shape
    invariants of its tensors (None where the value's own shape will do)."""
    leaves, rebuild = flatten(like)
    values, invariants = [], []
    for v in leaves:
        if isinstance(v, (bool, int, float)):
            values.append(type(v)(0))
            invariants.append(None)
            continue
        shape = value_shape(v)
        dims = () if shape is None else tuple(0 if d is None else d for d in shape)
        values.append(convert_to_tensor(np.zeros(dims, value_dtype(v))))
        invariants.append(UNKNOWN if shape is None else shape if None in shape else None)
    return rebuild(values), (invariants if any(i is not None for i in invariants) else None)


UNKNOWN = "unknown"          # the invariant "any shape at all" (a value of unknown rank)


def loop_invariants(init, invariants):
    """The ``shape_invariants`` argument of ``while_loop`` for these starting
    values: per variable, the given shapes of its tensors or their own."""
    if all(i is None for i in invariants):
        return None
    out = []
    for value, given in zip(init, invariants):
        leaves, rebuild = flatten(value)
        given = given or [None] * len(leaves)
        shapes = [value_shape(v) if g is None else None if g is UNKNOWN else g
                  for v, g in zip(leaves, given)]
        out.append(rebuild(shapes) if len(leaves) > 1 or rebuild([0]) != 0 else shapes[0])
    return out
