"""``cond``: run one of two functions, chosen by a tensor.

Eagerly this is a Python ``if``: the predicate has a value, so only the
chosen function runs (and the tape records what it does). In a graph the
predicate has no value yet, so both functions are *built* -- each into a
branch graph -- and one ``If`` op holds them. When a Session runs the op,
it looks at the predicate's value and runs only that branch: a ``Print`` in
the other one never fires.

>>> import tinyflow.compat.v1 as tf
>>> tf.reset_default_graph()
>>> x = tf.placeholder(tf.float32, [], name="x")
>>> y = tf.cond(x > 0, lambda: x * 10, lambda: -x)
>>> y
<tf.Tensor 'cond:0' shape=() dtype=float32>
>>> with tf.Session() as sess:
...     print(sess.run(y, {x: 2.0}), sess.run(y, {x: -3.0}))
20.0 3.0

Its gradient is another op, ``IfGrad``: the gradient of the branch that ran,
computed from the values that branch kept when it ran forward.
"""
import numpy as np

from ...base.errors import InvalidArgumentError
from ...ops import zeros_like
from ...ops.primitive import Primitive, bool_dtype, interpreters, is_symbolic
from ..build import convert_to_tensor
from ..graph import get_default_graph
from .function_graph import Kept, align_inputs, merged_shape, outer_input, trace

VARIANT = np.dtype(object)     # the kept values of a branch: a Python object (TF's DT_VARIANT)


def _out_shapes(*input_shapes, shapes, **attrs):
    return shapes


def _out_dtypes(*input_dtypes, dtypes, **attrs):
    return dtypes


def _if(ctx, pred, *inputs, branches, shapes, dtypes):
    """Run the branch that ``pred`` picks; also return what its gradient will need."""
    taken = 1 if pred else 0
    branch = branches[taken]
    values = branch.call(ctx, inputs)
    n = len(branch.outputs)
    kept = Kept(values[n:], branch=taken) if branch.saved else None
    return (*values[:n], kept)


If = Primitive("If", _if, _out_shapes, dtype=_out_dtypes, family="control", stateful=True,
               multi_output=True, doc="run the true or the false branch graph")


def _if_grad(ctx, kept, *output_grads, branches, shapes, dtypes):
    """The inputs' gradients: the taken branch's gradient, from the values it kept."""
    return tuple(branches[kept.branch].call_gradient(ctx, kept, output_grads))


IfGrad = Primitive("IfGrad", _if_grad, _out_shapes, dtype=_out_dtypes, family="control",
                   stateful=True, multi_output=True,
                   doc="the gradient of a cond: the taken branch's gradient graph")


def _if_vjp(i, g, pred, *rest, out, branches, shapes, dtypes):
    if i == 0:
        return None                       # the predicate is not differentiable
    return _gradient_op(out[0].node, g)[i - 1]


def _gradient_op(op, g):
    """Build (once per gradient) the IfGrad op of ``op``; its outputs, one per input."""
    made = op.__dict__.setdefault("_gradient_ops", [])
    for g_seen, outs in made:
        if g_seen is g:
            return outs
    branches = op.attrs["branches"]
    for b in branches:
        b.build_gradient()
    graph = op.graph
    grads = []
    for k, t in enumerate(op.outputs[:-1]):
        if t.dtype.kind == "f":
            gk = g[k]
            grads.append(gk if gk is not None else zeros_like(t))
    inputs = op.inputs[1:]
    grad_op = graph.create_op(IfGrad, [op.outputs[-1], *grads],
                              {"branches": branches, "shapes": [t._shape for t in inputs],
                               "dtypes": [t.dtype for t in inputs]},
                              [t._shape for t in inputs], [t.dtype for t in inputs],
                              name=op.name + "_grad", site=False)
    made.append((g, grad_op.outputs))
    return grad_op.outputs


def _exclusive(*preds):
    if np.count_nonzero(preds) > 1:
        raise InvalidArgumentError(f"case: exclusive=True: more than 1 conditions evaluated as "
                                   f"True: {[bool(p) for p in preds]}")
    return np.asarray(preds[0])


Exclusive = Primitive("ExclusiveCheck", _exclusive, lambda *shapes: (), dtype=bool_dtype,
                      nondiff=True, family="control",
                      doc="the first of some predicates, checked that at most one is true")


def bind_exclusive(preds):
    return Exclusive.bind(*preds)


def _no_second_order(i, g, *args, out, **attrs):
    raise NotImplementedError(f"the gradient of {out[0].node.type} (a gradient of a control-flow "
                              f"op) is not implemented: tinyflow differentiates cond and "
                              f"while_loop once, not twice")


If.defvjp_each(_if_vjp, reads_out=True)      # out names the op whose gradient to build
IfGrad.defvjp_each(_no_second_order, reads_out=True)


def _in_graph(*values):
    return interpreters.building is not None or any(is_symbolic(v) for v in values)


def cond(pred, true_fn=None, false_fn=None, name=None):
    """``true_fn()`` if ``pred`` else ``false_fn()``, as TensorFlow 2's ``tf.cond``.

    Eagerly, a plain Python ``if``. In a graph (or a traced function), an
    ``If`` op holding both branches; the session runs only the taken one. Both
    functions must return the same structure of tensors with the same dtypes.

    >>> import tinyflow as tf
    >>> float(tf.cond(tf.constant(2.0) > 0, lambda: tf.constant(1.0), lambda: tf.constant(-1.0)))
    1.0
    """
    for label, fn in (("true_fn", true_fn), ("false_fn", false_fn)):
        if fn is None:
            raise TypeError(f"cond(): '{label}' argument required")
        if not callable(fn):
            raise TypeError(f"'{label}' must be callable. (cond got a {type(fn).__name__})")
    if not _in_graph(pred):
        return true_fn() if _truth(pred) else false_fn()
    graph = get_default_graph() if interpreters.building is None else interpreters.building
    pred = outer_input(graph, convert_to_tensor(pred, graph))
    if pred.dtype != np.bool_ or (pred._shape is not None and len(pred._shape) != 0):
        raise TypeError(f"cond: pred must be a scalar boolean tensor, got a {pred.dtype.name} "
                        f"tensor of shape {pred.shape}") if pred.dtype != np.bool_ else \
            ValueError(f"cond: pred must be a scalar (shape ()), got shape {pred.shape}")
    name = name or "cond"
    branches = (trace(_returning(false_fn, "false_fn"), [], "false_fn", graph),
                trace(_returning(true_fn, "true_fn"), [], "true_fn", graph))
    false_b, true_b = branches
    _check_same_structure(true_b, false_b)
    inputs = align_inputs(branches, graph)
    shapes = [merged_shape(a._shape, b._shape) for a, b in zip(true_b.outputs, false_b.outputs)]
    dtypes = [t.dtype for t in true_b.outputs]
    with graph.control_dependencies(true_b.outer_control + false_b.outer_control):
        op = graph.create_op(If, [pred, *inputs],
                             {"branches": branches, "shapes": shapes + [()],
                              "dtypes": dtypes + [VARIANT]},
                             shapes + [()], dtypes + [VARIANT], name=name)
    for b, label in zip(branches, ("false", "true")):
        b.name = f"{op.name}/{label}"
    return true_b.structure(op.outputs[:-1])


def _returning(fn, label):
    def branch():
        out = fn()
        if out is None:
            raise ValueError(f"'{label}' must have a return value. (cond: the function "
                             f"returned None; did it forget a `return`?)")
        return out
    return branch


def _truth(pred):
    try:
        return bool(pred)
    except (TypeError, ValueError) as e:
        raise ValueError(f"cond: pred must be a single boolean value, got {pred!r} ({e})") from None


def _check_same_structure(true_b, false_b):
    a, b = true_b.outputs, false_b.outputs
    if len(a) != len(b) or true_b.structure(range(len(a))) != false_b.structure(range(len(b))):
        raise ValueError(f"cond: true_fn and false_fn arguments to tf.cond must have the same "
                         f"number, type, and overall structure of return values: true_fn "
                         f"returned {true_b.structure(['T'] * len(a))}, false_fn returned "
                         f"{false_b.structure(['T'] * len(b))}")
    for k, (x, y) in enumerate(zip(a, b)):
        if x.dtype != y.dtype:
            raise TypeError(f"cond: true_fn and false_fn must return the same dtypes: output {k} "
                            f"is {x.dtype.name} in true_fn and {y.dtype.name} in false_fn")


def case(pred_fn_pairs, default=None, exclusive=False, strict=False, name="case"):
    """The function of the first true predicate, as TensorFlow's ``tf.case``:
    a chain of ``cond``s (with ``exclusive=True``, also checks that at most one
    predicate is true).

    >>> import tinyflow as tf
    >>> x = tf.constant(5.0)
    >>> float(tf.case([(x < 0, lambda: x * 0), (x < 10, lambda: x * 2)], default=lambda: x))
    10.0
    """
    pairs = list(pred_fn_pairs.items()) if isinstance(pred_fn_pairs, dict) else \
        list(pred_fn_pairs)
    for p in pairs:
        if not isinstance(p, tuple) or len(p) != 2 or not callable(p[1]):
            raise TypeError(f"case: pred_fn_pairs must be a list of (predicate, callable) pairs, "
                            f"got {p!r}")
    if not pairs:
        if default is None:
            raise ValueError("case: pred_fn_pairs is empty and there is no default")
        return default()
    if default is None:                       # TF: the last function is the default
        *pairs, (_, default) = pairs
    if exclusive:                            # the first predicate, checked with the others
        first = bind_exclusive([p for p, _ in pairs])
        pairs = [(first, pairs[0][1])] + pairs[1:]

    def chain(k):
        if k == len(pairs):
            return default()
        pred, fn = pairs[k]
        return cond(pred, fn, lambda: chain(k + 1), name=name if k == 0 else None)
    return chain(0)
