"""``map_fn`` and ``scan``: a function applied along the first axis.

Eagerly, Python loops over the rows. In a graph, each is a ``while_loop``
whose body reads row ``i`` and appends the function's result to an
accumulator, one row per iteration -- which is how TensorFlow builds them
(with TensorArrays where tinyflow concatenates), so their gradients are the
while loop's.

>>> import tinyflow as tf
>>> tf.map_fn(lambda x: x * x, tf.constant([1.0, 2.0, 3.0]))
tensor([1., 4., 9.])
>>> tf.scan(lambda total, x: total + x, tf.constant([1, 2, 3, 4]))
tensor([ 1,  3,  6, 10])
"""
import numpy as np

from ...base.nest import flatten
from ...ops import concat, expand_dims, getitem, stack
from ...ops.primitive import interpreters, is_symbolic
from ...ops.shape import shape_of
from ..build import convert_to_tensor
from ..graph import get_default_graph
from .function_graph import trace
from .while_loop import while_loop


def map_fn(fn, elems, dtype=None, parallel_iterations=None, back_prop=True, swap_memory=False,
           infer_shape=True, name=None, fn_output_signature=None):
    """``stack([fn(x) for x in elems])``, as TensorFlow's ``tf.map_fn``: ``elems``
    may be a nested structure of tensors with the same first dimension, and
    ``fn`` gets a structure of rows; it may return a structure too.
    (``dtype``/``fn_output_signature`` are accepted; the result's dtypes are
    those ``fn`` returns.)"""
    _check_fn("map_fn", fn)
    leaves, rebuild = flatten(elems)
    _check_elems("map_fn", leaves)
    if not _in_graph(leaves):
        n = _rows(leaves)
        results = [fn(rebuild([getitem(x, i) for x in leaves])) for i in range(n)]
        return _stacked(results)
    graph = _graph()
    leaves = [convert_to_tensor(x, graph) for x in leaves]
    return _graph_accumulate(lambda state, row: (fn(rebuild(row)),) * 2, None, leaves,
                             name or "map", False)[1]


def scan(fn, elems, initializer=None, parallel_iterations=10, back_prop=True,
         swap_memory=False, infer_shape=True, reverse=False, name=None):
    """The running results of ``a = fn(a, x)`` over the rows of ``elems``, as
    TensorFlow's ``tf.scan``. Without ``initializer``, ``a`` starts as the first
    row (which is then the first result); ``reverse=True`` goes last row first
    (results stay in the rows' order)."""
    _check_fn("scan", fn)
    leaves, rebuild = flatten(elems)
    _check_elems("scan", leaves)
    if not _in_graph(leaves + flatten(initializer)[0]):
        n = _rows(leaves)
        order = list(range(n))[::-1] if reverse else list(range(n))
        results = []
        if initializer is None:
            state = rebuild([getitem(x, order[0]) for x in leaves])
            results.append(state)
            order = order[1:]
        else:
            state = initializer
        for i in order:
            state = fn(state, rebuild([getitem(x, i) for x in leaves]))
            results.append(state)
        return _stacked(results[::-1] if reverse else results)
    graph = _graph()
    leaves = [convert_to_tensor(x, graph) for x in leaves]
    if reverse:
        leaves = [getitem(x, slice(None, None, -1)) for x in leaves]
    first = None
    if initializer is None:
        first = rebuild([getitem(x, 0) for x in leaves])
        init = first
    else:
        init = initializer
    state, out = _graph_accumulate(lambda a, row: (fn(a, rebuild(row)),) * 2, init, leaves,
                                   name or "scan", first is not None, first)
    if reverse:
        out = _map(lambda t: getitem(t, slice(None, None, -1)), out)
    return out


def _graph_accumulate(step, state, leaves, name, skip_first, first=None):
    """The while loop of map_fn and scan: ``state, y = step(state, row)`` for each
    row; returns (the final state, the ys stacked). With ``skip_first``, the
    first row is not stepped: ``first`` is its result."""
    graph = _graph()
    n = leaves[0]._shape[0] if leaves[0]._shape and leaves[0]._shape[0] is not None \
        else getitem(shape_of(leaves[0]), 0)
    state_leaves, state_rebuild = flatten(state) if state is not None else ([], None)
    state_leaves = [convert_to_tensor(s, graph) for s in state_leaves]

    # What does one step return? Build it once on the side to learn dtypes and shapes.
    def probe(*args):
        s = state_rebuild(list(args[:len(state_leaves)])) if state_rebuild else None
        return step(s, list(args[len(state_leaves):]))[1]
    row_specs = [(x.dtype, None if x._shape is None else x._shape[1:]) for x in leaves]
    side = trace(probe, state_leaves + row_specs, name + "_probe", graph)
    ys = side.outputs
    y_structure = side.structure
    start = 1 if skip_first else 0
    if skip_first:
        accs = [expand_dims(convert_to_tensor(v, graph), 0) for v in flatten(first)[0]]
    else:
        accs = [_empty(y, graph) for y in ys]

    def body(i, *vars_):
        s_leaves, accs = vars_[:len(state_leaves)], vars_[len(state_leaves):]
        s = state_rebuild(list(s_leaves)) if state_rebuild else None
        new_state, y = step(s, [getitem(x, i) for x in leaves])
        y_leaves = flatten(y)[0]
        new_s = flatten(new_state)[0] if state_rebuild else []
        return (i + 1, *new_s[:len(state_leaves)],
                *[concat([a, expand_dims(v, 0)], 0) for a, v in zip(accs, y_leaves)])

    invariants = [()] + [s._shape for s in state_leaves] + \
        [None if y._shape is None else (None,) + tuple(y._shape) for y in ys]
    out = while_loop(lambda i, *rest: i < n, body, [start, *state_leaves, *accs],
                     shape_invariants=invariants, name=name)
    final_state = out[1:1 + len(state_leaves)]
    stacked = y_structure(list(out[1 + len(state_leaves):]))
    return final_state, stacked


def _empty(y, graph):
    """An accumulator with no rows yet, for results shaped like ``y``."""
    if y._shape is None or None in y._shape:
        raise ValueError(f"map_fn/scan: the function's result has shape {y.shape}, not fully "
                         f"known while the graph is built; give the elements a known shape "
                         f"(all but the first dimension)")
    return convert_to_tensor(np.zeros((0,) + tuple(y._shape), y.dtype), graph)


def _graph():
    return get_default_graph() if interpreters.building is None else interpreters.building


def _in_graph(values):
    return interpreters.building is not None or any(is_symbolic(v) for v in values)


def _rows(leaves):
    sizes = {len(x) for x in leaves}
    if len(sizes) != 1:
        raise ValueError(f"elems must have the same first dimension, got sizes {sorted(sizes)}")
    n = sizes.pop()
    if n == 0:
        raise ValueError("elems must have at least one row")
    return n


def _stacked(results):
    leaves = [flatten(r)[0] for r in results]
    rebuild = flatten(results[0])[1]
    return rebuild([stack([row[j] for row in leaves]) for j in range(len(leaves[0]))])


def _map(f, structure):
    leaves, rebuild = flatten(structure)
    return rebuild([f(x) for x in leaves])


def _check_fn(name, fn):
    if not callable(fn):
        raise TypeError(f"{name}: fn must be callable, got {type(fn).__name__}")


def _check_elems(name, leaves):
    if not leaves:
        raise ValueError(f"{name}: elems must be a tensor or a structure of tensors, got none")
