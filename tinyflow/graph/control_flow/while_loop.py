"""``while_loop``: repeat a function while a condition holds.

Eagerly this is a Python ``while``. In a graph the number of iterations is
not known when the graph is built, so the condition and the body are each
built once into a graph, and one ``While`` op holds both. When a Session
runs the op, it runs the body graph again and again until the condition
graph gives False.

>>> import tinyflow.compat.v1 as tf
>>> tf.reset_default_graph()
>>> n = tf.placeholder(tf.int32, [], name="n")
>>> i, total = tf.while_loop(lambda i, t: i < n, lambda i, t: (i + 1, t + i), [0, 0])
>>> with tf.Session() as sess:
...     print(sess.run(total, {n: 5}))
10

Its gradient (``WhileGrad``) is the body's gradient run once per iteration,
last iteration first -- which needs each iteration's values. So when a
gradient has been built, the ``While`` op keeps, per iteration, the values
its body's gradient reads (TensorFlow 1 pushed them on stacks), and the
gradient op replays the iterations in reverse from them.
"""
import numpy as np

from ...base.nest import flatten
from ...ops import stop_gradient, zeros_like
from ...ops.primitive import Primitive, interpreters, is_symbolic
from ..build import convert_to_tensor
from ..graph import get_default_graph
from .cond import VARIANT, _no_second_order, _out_dtypes, _out_shapes
from .function_graph import Kept, align_inputs, fits, outer_input, trace


def _while(ctx, *inputs, cond, body, n_vars, maximum_iterations, shapes, dtypes):
    """Run the body while the condition holds; keep what the gradient will need."""
    loop_vars = list(inputs[:n_vars])
    captured = list(inputs[n_vars:])
    limit = maximum_iterations
    if limit is not None and not isinstance(limit, int):     # a tensor: its value is an input
        limit = int(captured.pop())
    kept = Kept() if body.saved else None
    k = 0
    while limit is None or k < limit:
        go = cond.call(ctx, loop_vars + captured)[0]
        if not go:
            break
        values = body.call(ctx, loop_vars + captured)
        loop_vars = list(values[:n_vars])
        if kept is not None:
            kept.append(values[n_vars:])
        k += 1
    return (*loop_vars, kept)


While = Primitive("While", _while, _out_shapes, dtype=_out_dtypes, family="control",
                  stateful=True, multi_output=True,
                  doc="run the body graph while the condition graph gives True")


def _while_grad(ctx, kept, *grads, body, n_vars, shapes, dtypes):
    """The iterations' gradients, last iteration first, from the values each kept.

    ``grads``: the gradients of the float loop variables' final values, then
    the captured inputs' values (for zeros of their shapes)."""
    floats = [k for k in range(n_vars) if body.inputs[k].dtype.kind == "f"]
    g_vars = list(grads[:len(floats)])
    captured = grads[len(floats):]
    g_captured = [np.zeros_like(c) for c in captured]
    for saved in reversed(kept):
        g_inputs = body.call_gradient(ctx, saved, g_vars)
        g_vars = [g_inputs[k] for k in floats]
        for j, g in enumerate(g_inputs[n_vars:n_vars + len(captured)]):
            g_captured[j] = g_captured[j] + g
    g_all = [None] * n_vars
    for k, g in zip(floats, g_vars):
        g_all[k] = g
    return (*g_all, *g_captured)


WhileGrad = Primitive("WhileGrad", _while_grad, _out_shapes, dtype=_out_dtypes, family="control",
                      stateful=True, multi_output=True,
                      doc="the gradient of a while loop: the body's gradient, iterations reversed")


def _while_vjp(i, g, *inputs, out, cond, body, n_vars, maximum_iterations, shapes, dtypes):
    return _gradient_op(out[0].node, g)[i]


def _gradient_op(op, g):
    """Build (once per gradient) the WhileGrad op of ``op``: one output per input."""
    made = op.__dict__.setdefault("_gradient_ops", [])
    for g_seen, outs in made:
        if g_seen is g:
            return outs
    body, n_vars = op.attrs["body"], op.attrs["n_vars"]
    body.build_gradient()
    grads = [g[k] if g[k] is not None else zeros_like(op.outputs[k])
             for k in range(n_vars) if op.outputs[k].dtype.kind == "f"]
    n_captured = len(body.inputs) - n_vars
    captured = list(op.inputs[n_vars:n_vars + n_captured])
    wanted = op.inputs[:n_vars + n_captured]
    grad_op = op.graph.create_op(
        WhileGrad, [op.outputs[-1], *grads, *captured],
        {"body": body, "n_vars": n_vars, "shapes": [t._shape for t in wanted],
         "dtypes": [t.dtype for t in wanted]},
        [t._shape for t in wanted], [t.dtype for t in wanted], name=op.name + "_grad", site=False)
    made.append((g, grad_op.outputs))
    return grad_op.outputs


While.defvjp_each(_while_vjp, reads_out=True)  # out names the op whose gradient to build
WhileGrad.defvjp_each(_no_second_order, reads_out=True)


def while_loop(cond, body, loop_vars, shape_invariants=None, parallel_iterations=10,
               back_prop=True, swap_memory=False, maximum_iterations=None, name=None):
    """Repeat ``loop_vars = body(*loop_vars)`` while ``cond(*loop_vars)``, as
    TensorFlow 2's ``tf.while_loop``; returns the final loop variables in the
    structure of ``loop_vars``.

    Eagerly, a plain Python ``while``. In a graph (or a traced function), a
    ``While`` op: the body must return loop variables of the same structure,
    dtypes and shapes (or shapes that fit ``shape_invariants``).
    ``parallel_iterations`` and ``swap_memory`` are accepted and ignored
    (iterations run one after another, in memory).

    >>> import tinyflow as tf
    >>> tf.while_loop(lambda i: i < 10, lambda i: i * 2, [1])
    [16]
    """
    for label, fn in (("cond", cond), ("body", body)):
        if not callable(fn):
            raise TypeError(f"'{label}' must be callable. (while_loop got a "
                            f"{type(fn).__name__})")
    if parallel_iterations < 1:
        raise TypeError("'parallel_iterations' must be a positive integer.")
    if not isinstance(loop_vars, (list, tuple)) or not loop_vars:
        raise ValueError(f"'loop_vars' must be provided. (while_loop needs a non-empty list or "
                         f"tuple of tensors, got {loop_vars!r})")
    leaves, rebuild = flatten(loop_vars)
    if maximum_iterations is not None and not is_symbolic(maximum_iterations):
        if int(maximum_iterations) < 0:
            raise ValueError(f"while_loop: maximum_iterations must be >= 0, got "
                             f"{maximum_iterations}")
    if not _in_graph(leaves, maximum_iterations):
        state = _eager_loop(cond, body, loop_vars, rebuild, maximum_iterations)
        if state is not _SYMBOLIC:
            return state
        # the condition reads a graph tensor (a placeholder): build the loop into its graph
    if shape_invariants is not None:
        shape_invariants = _shapes_like(loop_vars, shape_invariants)
    out = _graph_loop(cond, body, leaves, rebuild, shape_invariants, maximum_iterations,
                      name or "while")
    if not back_prop:                 # no gradient flows back through the loop
        final, rebuild_out = flatten(out)
        out = rebuild_out([stop_gradient(t) for t in final])
    return out


def _shapes_like(loop_vars, shapes):
    """The shapes of ``shape_invariants``, one per loop variable (a shape is a
    tuple or list of sizes itself, so it is matched to ``loop_vars``' nesting)."""
    if isinstance(loop_vars, (list, tuple)):
        if not isinstance(shapes, (list, tuple)) or len(shapes) != len(loop_vars):
            raise ValueError(f"while_loop: shape_invariants must have the structure of "
                             f"loop_vars ({len(loop_vars)} entries), got {shapes!r}")
        return [s for v, sh in zip(loop_vars, shapes) for s in _shapes_like(v, sh)]
    if isinstance(loop_vars, dict):
        return [s for k in loop_vars for s in _shapes_like(loop_vars[k], shapes[k])]
    return [shapes]


def _in_graph(leaves, limit):
    return interpreters.building is not None or any(is_symbolic(v) for v in leaves + [limit])


def _call(fn, structure, rebuild):
    return fn(*structure)


_SYMBOLIC = object()


def _eager_loop(cond, body, loop_vars, rebuild, limit):
    state = loop_vars
    k = 0
    while limit is None or k < int(limit):
        go = _call(cond, state, rebuild)
        if is_symbolic(go):
            if k == 0:
                return _SYMBOLIC
            raise TypeError("while_loop: cond returned a symbolic tensor after an eager "
                            "iteration")
        if not go:
            break
        new = _call(body, state, rebuild)
        state = _same_structure(new, loop_vars, rebuild)
        k += 1
    return state


def _same_structure(new, loop_vars, rebuild):
    """The body's result as loop variables (a single value for a one-variable loop)."""
    leaves, _ = flatten(loop_vars)
    if len(leaves) == 1 and not isinstance(new, (list, tuple, dict)):
        new = [new]
    got, _ = flatten(new)
    if len(got) != len(leaves):
        raise ValueError(f"while_loop: body returned {len(got)} loop variable(s), but loop_vars "
                         f"has {len(leaves)}: the body must return the same structure")
    return rebuild(got)


def _graph_loop(cond, body, leaves, rebuild, shape_invariants, limit, name):
    graph = get_default_graph() if interpreters.building is None else interpreters.building
    init = [outer_input(graph, convert_to_tensor(v, graph)) for v in leaves]
    invariants = _invariants(shape_invariants, init)

    def spec(k):
        return (init[k].dtype, invariants[k])

    def structured(fn):
        return lambda *xs: _call(fn, rebuild(list(xs)), rebuild)

    cond_g = trace(structured(cond), [spec(k) for k in range(len(init))], "cond", graph)
    body_g = trace(lambda *xs: _same_structure(structured(body)(*xs), rebuild(list(leaves)),
                                               rebuild),
                   [spec(k) for k in range(len(init))], "body", graph)
    _check_cond(cond_g)
    _check_body(body_g, init, invariants)
    captured = align_inputs([cond_g, body_g], graph)
    inputs = init + captured
    if is_symbolic(limit):
        inputs.append(outer_input(graph, limit))
    elif limit is not None:
        limit = int(limit)
    shapes = list(invariants)
    dtypes = [t.dtype for t in init]
    with graph.control_dependencies(cond_g.outer_control + body_g.outer_control):
        op = graph.create_op(
            While, inputs,
            {"cond": cond_g, "body": body_g, "n_vars": len(init),
             "maximum_iterations": limit if not is_symbolic(limit) else "input",
             "shapes": shapes + [()], "dtypes": dtypes + [VARIANT]},
            shapes + [()], dtypes + [VARIANT], name=name)
    cond_g.name, body_g.name = f"{op.name}/cond", f"{op.name}/body"
    return rebuild(list(op.outputs[:-1]))


def _invariants(shape_invariants, init):
    if shape_invariants is None:
        return [t._shape for t in init]
    given = shape_invariants
    if len(given) != len(init):
        raise ValueError(f"while_loop: shape_invariants has {len(given)} shapes for "
                         f"{len(init)} loop variables")
    out = []
    for t, s in zip(init, given):
        dims = getattr(s, "dims", s)
        shape = None if dims is None else tuple(None if d is None else int(d) for d in dims)
        if not fits(t._shape, shape):
            raise ValueError(f"while_loop: the shape invariant {shape} does not fit the initial "
                             f"shape {t._shape} of loop variable {t.name}")
        out.append(shape)
    return out


def _check_cond(cond_g):
    out = cond_g.outputs
    if len(out) != 1 or out[0].dtype != np.bool_ or (out[0]._shape not in (None, ())):
        got = ", ".join(f"{t.dtype.name} {t.shape}" for t in out)
        raise TypeError(f"while_loop: cond must return one boolean scalar, got {got}")


def _check_body(body_g, init, invariants):
    for k, (t, new) in enumerate(zip(init, body_g.outputs)):
        if new.dtype != t.dtype:
            raise TypeError(f"while_loop: loop variable {k} enters the loop as {t.dtype.name} "
                            f"but the body returns {new.dtype.name}")
        if not fits(new._shape, invariants[k]):
            raise ValueError(
                f"Input tensor '{t.name}' enters the loop with shape {_fmt(invariants[k])}, but "
                f"has shape {_fmt(new._shape)} after one iteration. To allow the shape to vary "
                f"across iterations, use the `shape_invariants` argument of tf.while_loop to "
                f"specify a less-specific shape.")


def _fmt(shape):
    return "<unknown>" if shape is None else "(" + ", ".join(
        "None" if d is None else str(d) for d in shape) + ("," if len(shape) == 1 else "") + ")"

