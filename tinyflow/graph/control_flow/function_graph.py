"""Function graphs: the graphs *inside* a control-flow op.

A ``cond`` op holds two small graphs (its branches), a ``while_loop`` op two
more (its condition and its body). Each is a ``FunctionGraph``: a Graph with
placeholders for its inputs and a list of outputs, built once by calling the
user's Python function on those placeholders -- so the function runs once, at
build time, however many times the graph later runs it.

A function graph may use tensors of the graph around it (a weight, a
placeholder): building such an op *captures* the outer tensor, giving the
function graph one more input placeholder, and the control-flow op one more
input. So every value reaches a branch or a body through the op's inputs, and
the op is an ordinary node of the outer graph.

For gradients, ``build_gradient`` adds the function's gradient to the same
graph (with one more placeholder per output gradient) and lists the forward
values that gradient reads: the op keeps those values when it runs (per
iteration, in a while loop), and the gradient op replays from them.

>>> import tinyflow.compat.v1 as tf
>>> tf.reset_default_graph()
>>> w = tf.constant(3.0, name="w")
>>> f = trace(lambda x: x * w, [tf.constant(2.0)], "times_w")
>>> [t.name for t in f.inputs], [t.op.type for t in f.outputs]
(['x:0', 'capture:0'], ['Mul'])
"""
import contextlib

import numpy as np

from ...base.config import Config, notify
from ...base.nest import flatten
from ...ops import state as S
from ...ops.primitive import is_eager
from ..build import convert_to_tensor
from ..graph import Graph
from ..tensor import SymbolicTensor


class Kept(list):
    """The values a cond or while op keeps for its gradient: for a cond, those of
    the branch it took; for a loop, one tuple of values per iteration (what
    TensorFlow 1 pushed on its stacks). It is the op's last output."""

    def __init__(self, values=(), branch=None):
        super().__init__(values)
        self.branch = branch           # a cond's: 0 (false) or 1 (true); None for a loop

    def describe(self):
        if self.branch is not None:
            return f"values kept for the gradient of the {('false', 'true')[self.branch]} branch"
        return f"values kept for the gradient: {len(self)} iteration(s)"


class FunctionGraph(Graph):
    """The graph of a branch, a loop condition or a loop body.

    ``inputs``: its placeholders (the arguments, then one per captured tensor);
    ``captures``: {outer tensor: its placeholder here}; ``outputs``: its results.
    """

    def __init__(self, name, outer):
        super().__init__(name)
        self.outer = outer
        self.inputs = []
        self.captures = {}
        self.outputs = []
        self.outer_control = []       # outer ops that its ops were asked to wait for
        self.collections = outer.collections        # variables made inside are the model's
        self.saved = ()               # forward values its gradient reads (build_gradient)
        self.gradient = None          # (output-gradient placeholders, input gradients)

    # --- what comes from outside ---
    def encloses(self, graph):
        """Is ``graph`` this graph or one around it?"""
        g = self
        while g is not None:
            if g is graph:
                return True
            g = getattr(g, "outer", None)
        return False

    @property
    def outermost(self):
        return self.outer.outermost

    def capture(self, t):
        """The placeholder standing for the outer tensor ``t`` inside this graph."""
        inner = self.captures.get(t)
        if inner is None:
            inner = self.add_input(t.dtype, t._shape, "capture")
            self.captures[t] = inner
        return inner

    def add_input(self, dtype, shape, name):
        t = self.create_op(S.Placeholder, (), {"shape": shape, "dtype": dtype}, shape, dtype,
                           name, site=False).outputs[0]
        self.inputs.append(t)
        return t

    @contextlib.contextmanager
    def control_dependencies(self, control_inputs):
        """As Graph's; but an op of an outer graph cannot run in here: the
        control-flow op being built waits for it instead."""
        own = None if control_inputs is None else []
        for c in control_inputs or ():
            op = c.node if isinstance(c, SymbolicTensor) else c
            g = getattr(op, "graph", None)
            if g is not None and g is not self and self.encloses(g):
                self.outer_control.append(op)
            else:
                own.append(c)
        with super().control_dependencies(own):
            yield

    def next_op_seed(self):
        return self.outer.next_op_seed()       # random ops seeded as the whole model's

    # --- running it ---
    def call(self, ctx, values, fetches=None):
        """Run it in the session of ``ctx`` with ``values`` for its inputs:
        returns the values of ``fetches`` (default: its outputs, then the
        forward values its gradient will need)."""
        if fetches is None:
            fetches = self.outputs + list(self.saved)
        if Config.observers:           # (the stepping session names inner steps after it)
            notify("function_call", graph=self, gradient=False)
        return ctx.session.call(fetches, self.inputs, values, self)

    # --- its gradient ---
    def build_gradient(self):
        """Add the gradient of its float outputs with respect to its inputs (once).
        Returns (the placeholders for the outputs' gradients, the inputs' gradients
        -- None where an input does not matter)."""
        if self.gradient is not None:
            return self.gradient
        from ..gradients import gradients          # the graph gradients of this same layer
        ys = [t for t in self.outputs if t.dtype.kind == "f"]
        xs = list(self.inputs)
        first = len(self._ops)
        with self.as_default():
            grad_ys = [self.add_input(t.dtype, t._shape, "grad_output") for t in ys]
            self.inputs = xs                        # grad_output placeholders are not inputs
            grads = gradients(ys, xs, grad_ys) if ys else [None] * len(xs)
        made = set(self._ops[first:])
        # The forward values that gradient reads: every input (their shapes give the
        # zeros for an input with no gradient), then whatever the gradient ops use.
        saved = list(xs)
        seen = set(saved) | set(grad_ys)
        for op in self._ops[first:]:
            for t in op.inputs:
                if t.node not in made and t not in seen and t.graph is self:
                    seen.add(t)
                    saved.append(t)
        self.saved = tuple(saved)
        self.gradient = (grad_ys, grads)
        return self.gradient

    def call_gradient(self, ctx, saved_values, output_grads):
        """The gradients of its inputs, from the values kept when it ran forward."""
        grad_ys, grads = self.gradient
        fetches = [g for g in grads if g is not None]
        if Config.observers:
            notify("function_call", graph=self, gradient=True)
        got = iter(ctx.session.call(fetches, list(self.saved) + grad_ys,
                                    list(saved_values) + list(output_grads), self))
        return [np.zeros_like(saved_values[i]) if g is None else next(got)
                for i, g in enumerate(grads)]


def trace(fn, args, name, outer=None, arg_names=None):
    """Build ``fn``'s graph: call it once on placeholders shaped like ``args``
    (tensors, or (dtype, shape) pairs). Returns the FunctionGraph, with its
    outputs flattened and ``structure(values)`` nesting values as fn returned them."""
    from ..graph import get_default_graph
    outer = outer or get_default_graph()
    fg = FunctionGraph(name, outer)
    with fg.as_default():
        placeholders = []
        for k, a in enumerate(args):
            dtype, shape = (a.dtype, a._shape) if isinstance(a, SymbolicTensor) else a
            label = arg_names[k] if arg_names else "x"
            placeholders.append(fg.add_input(dtype, shape, label))
        result = fn(*placeholders)
        # Inside tinyflow.function (TF2's automatic control dependencies) a branch's or
        # body's prints and updates run whenever it runs: tracing/function.py sets the hook.
        must_run = getattr(fg.outermost, "run_effects_with", None)
        if must_run is not None:
            result = must_run(result)
        leaves, fg.structure = flatten(result)
        fg.outputs = [_inside(fg, v, name) for v in leaves]
    fg.n_args = len(args)
    return fg


def _inside(fg, value, name):
    """A result of the function, as a tensor of its graph."""
    if isinstance(value, SymbolicTensor):
        return value if value.graph is fg else fg.capture(value)
    if value is None:
        raise TypeError(f"{name}: the function returned None where a tensor was expected "
                        f"(did it forget a `return`?)")
    if is_eager(value) or isinstance(value, (int, float, bool, np.ndarray, np.generic, list)):
        with fg.as_default():
            return convert_to_tensor(value, fg)
    raise TypeError(f"{name}: the function returned a {type(value).__name__}, which is not a "
                    f"tensor (return tensors, numbers or arrays)")


def outer_input(graph, t):
    """``t`` as an input of an op built in ``graph``: itself, or its capture there."""
    if t.graph is graph:
        return t
    if isinstance(graph, FunctionGraph) and graph.encloses(t.graph):
        return graph.capture(t)
    raise ValueError(f"Tensor {t.name} must be from the same graph as the other inputs")


def align_inputs(graphs, outer):
    """Give every function graph the same captured tensors, in the same order,
    as the inputs after its arguments; returns those outer tensors (as inputs
    of the op built in ``outer``)."""
    union = {}                  # (a dict: tensors compare by identity only as keys)
    for fg in graphs:
        for t in fg.captures:
            union.setdefault(t, None)
    for fg in graphs:
        args = fg.inputs[:fg.n_args]
        for t in union:
            fg.capture(t)
        fg.inputs = args + [fg.captures[t] for t in union]
    return [outer_input(outer, t) for t in union]


def merged_shape(a, b):
    """The shape both a and b fit (None where they differ)."""
    if a is None or b is None or len(a) != len(b):
        return None
    return tuple(x if x == y else None for x, y in zip(a, b))


def fits(shape, invariant):
    """Does ``shape`` fit the (possibly less specific) ``invariant``?"""
    if invariant is None:
        return True
    if shape is None or len(shape) != len(invariant):
        return False
    return all(i is None or i == s for s, i in zip(shape, invariant))


