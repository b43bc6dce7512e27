"""Symbolic gradients: ``gradients(ys, xs)`` adds gradient nodes to the graph.

It is the same reverse walk as eager backward (``tinyflow.autodiff``) with
the same vjp rules; here the rules receive symbolic tensors, so each rule
*builds* its part of the gradient graph instead of computing numbers. The
result is ordinary graph nodes: run them in a Session, draw them, or
differentiate them again.

>>> import tinyflow.compat.v1 as tf
>>> tf.reset_default_graph()
>>> x = tf.placeholder(tf.float64, [], name="x")
>>> dy, = tf.gradients(x ** 3, [x])
>>> with tf.Session() as sess:
...     float(sess.run(dy, {x: 2.0}))
12.0
"""
import numpy as np

from ..autodiff import Walk, reverse_walk, topo_order
from ..ops import cast, sum_to, ones_like
from ..ops.primitive import interpreters
from .graph import Operation, building
from .tensor import SymbolicTensor
from .build import convert_to_tensor


class _SizeSources:
    """Where each unknown size of a tensor comes from, so that the walk knows when
    a gradient has its input's shape although the static shapes hold ``?``.

    Equal static shapes are not enough: ``x + y`` with both ``(?, ?)`` may add a
    ``(1, 1)`` x to a ``(2, 1)`` y, and x's gradient must then be summed back. But
    in ``w * x * x`` both factors have x's size, and no ``SumTo`` is needed.

    Each unknown size gets a token: the placeholder (or op) dimension it comes from.
    An op's output inherits an input's token when its shape rule, tried with a
    distinct stand-in size for each token, passes that size through (``tanh(x)``,
    ``x * 2``, ``broadcast_like(g, x)``, ``x @ W`` rows...); any other unknown size
    is a new token. A gradient with the same tokens as its input has its shape."""

    _FIRST, _STRIDE = 1000003, 1009      # stand-in sizes no real rule produces by chance

    def __init__(self):
        self.memo = {}                   # op -> one token (or known int) per output dim

    def of(self, t):
        memo = self.memo
        stack = [t.node]
        while stack:                     # no recursion: a 10,000-op chain is fine
            op = stack[-1]
            if op in memo:
                stack.pop()
                continue
            if op.prim.multi_output:     # cond, while_loop: each unknown size a new token
                memo[op] = tuple(None if u._shape is None else
                                 tuple((op, u.index, p) if d is None else d
                                       for p, d in enumerate(u._shape)) for u in op.outputs)
                stack.pop()
                continue
            out = op.outputs[0]._shape if op.outputs else None
            if out is None or None not in out:
                memo[op] = out
                stack.pop()
                continue
            todo = [u.node for u in op.inputs if u.node not in memo]
            if todo:
                stack.extend(todo)
                continue
            memo[op] = self._derive(op, out)
            stack.pop()
        return self._tokens(t)

    def _tokens(self, t):
        tokens = self.memo[t.node]
        return tokens[t.index] if t.node.prim.multi_output else tokens

    def _derive(self, op, shape):
        size_of, token_of, probe = {}, {}, []
        for u in op.inputs:
            tokens = self._tokens(u)
            if tokens is None:
                probe = None
                break
            dims = []
            for tok in tokens:
                if not isinstance(tok, tuple):       # a known size
                    dims.append(tok)
                    continue
                n = size_of.get(tok)
                if n is None:
                    n = size_of[tok] = self._FIRST + self._STRIDE * len(size_of)
                    token_of[n] = tok
                dims.append(n)
            probe.append(tuple(dims))
        out = None
        if probe is not None:
            try:
                out = op.prim.shape_rule(*probe, **op.attrs)
            except Exception:            # noqa: BLE001 -- a refused probe: new tokens, always safe
                out = None
        if out is None or len(out) != len(shape):
            out = (None,) * len(shape)
        return tuple(d if d is not None else token_of.get(o, (op, p))
                     for p, (d, o) in enumerate(zip(shape, out)))


class OutputGrads:
    """The gradients of an op with several outputs (cond, while_loop), one entry
    per output (None where none arrived). The walk collects a gradient per node
    and adds contributions with ``+``: this adds them output by output."""
    __slots__ = ("grads",)

    def __init__(self, grads):
        self.grads = grads

    @classmethod
    def one(cls, t, g):
        """The gradient ``g`` of the output ``t``, nothing for the op's others."""
        grads = [None] * len(t.node.outputs)
        grads[t.index] = g
        return cls(grads)

    def __add__(self, other):
        return OutputGrads([b if a is None else a if b is None else a + b
                            for a, b in zip(self.grads, other.grads)])

    def __getitem__(self, i):
        return self.grads[i]

    def __len__(self):
        return len(self.grads)


def _for_output(t, g):
    """g as what the walk collects for t's op: itself, or one entry of an OutputGrads."""
    return OutputGrads.one(t, g) if t.node.prim.multi_output else g


class GraphWalk(Walk):
    """The graph's answers to the reverse walk's questions."""

    def __init__(self, relevant, targets):
        self.relevant = relevant          # ops between xs and ys: only they get gradients
        self.targets = targets            # {op: x} for each x we differentiate with respect to
        self.captured = {}
        self.sizes = _SizeSources()

    node_class = Operation

    def key(self, t):
        return t.node

    def begin(self, op, g):
        if op.prim.multi_output:         # its vjp takes the OutputGrads and all its outputs
            if op in self.targets:
                self.captured[op] = g
            keys = [t.node if t.node in self.relevant and t.dtype.kind == "f" else None
                    for t in op.inputs]
            return g, keys, op.inputs, op.outputs
        if op.hooks and op.hooks.get("grad"):
            # Hooks on a symbolic tensor run when the session computes its gradient.
            from ..ops.debug import GradHook
            from .build import build
            g = build(GradHook, (g,), {"hooks": op.hooks["grad"], "name": op.name})
        if op in self.targets:
            self.captured[op] = g
        # Remember whose gradient this is (StepSession and drawings show it).
        op.graph.__dict__.setdefault("_grad_of", {})[g.node] = op
        relevant = self.relevant
        keys = [t.node if t.node in relevant and t.dtype.kind == "f" else None for t in op.inputs]
        return g, keys, op.inputs, op.outputs[0]

    def fit(self, g, op, i):
        t = op.inputs[i]
        if not self._same_shape(g, t):
            g = sum_to(g, t)
        if g.dtype != t.dtype:
            g = cast(g, t.dtype)
        return _for_output(t, g)

    def _same_shape(self, g, t):
        """Will g have t's shape when the graph runs (so no SumTo is needed)?"""
        a, b = g._shape, t._shape
        if a is None or b is None or a != b:
            return False
        return None not in b or self.sizes.of(g) == self.sizes.of(t)


def gradients(ys, xs, grad_ys=None, name="gradients", stop_gradients=None):
    """Build the gradient of ``sum(ys)`` with respect to each of ``xs``.

    Returns a list with one symbolic tensor per x (None where y does not depend
    on x), like ``tf.gradients``.
    """
    ys = _as_list(ys)
    xs = _as_list(xs)
    g = ys[0].graph
    for t in ys + xs:
        if not isinstance(t, SymbolicTensor):
            raise TypeError(f"gradients: expected symbolic tensors, got {type(t).__name__}")
        if t.graph is not g:
            raise ValueError(f"gradients: {t.name} is in a different graph")
    stops = {t.node for t in _as_list(stop_gradients or [])}
    relevant = _between(ys, xs, stops)
    with building(g), g.name_scope(name):
        if grad_ys is None:
            seeds = [(y, _ones(y, g)) for y in ys]
        else:
            seeds = [(y, convert_to_tensor(gy, g, dtype=y.dtype))
                     for y, gy in zip(ys, _as_list(grad_ys))]
        seeds = [(y, _for_output(y, gy)) for y, gy in seeds]
        targets = {x.node: x for x in xs}
        walk = GraphWalk(relevant, targets)
        reverse_walk(seeds, walk)
    return [_of_output(x, walk.captured.get(x.node)) for x in xs]


def _of_output(x, g):
    """What the walk collected for x's op, as x's own gradient."""
    return g[x.index] if isinstance(g, OutputGrads) else g


def _ones(y, graph):
    """The seed dy/dy: a constant when y's shape is known (the usual scalar loss)."""
    if y._shape is not None and None not in y._shape:
        return convert_to_tensor(np.ones(y._shape, y.dtype), graph, name="grad_ys")
    return ones_like(y)


def _as_list(x):
    return list(x) if isinstance(x, (list, tuple)) else [x]


def _between(ys, xs, stops):
    """The ops on some path from an x to a y: only they carry gradients."""
    x_ops = {x.node for x in xs}
    order = topo_order([y.node for y in ys],
                       lambda op: [] if op in x_ops or op in stops else [t.node for t in op.inputs])
    reaches = set()
    for op in order:                       # inputs come first, so one pass suffices
        if op in x_ops or (op not in stops and any(t.node in reaches for t in op.inputs)):
            reaches.add(op)
    return reaches


def hessians(ys, xs, name="hessians"):
    """Second derivatives of sum(ys) with respect to each x (flattened x)."""
    out = []
    for x, dx in zip(_as_list(xs), gradients(ys, xs)):
        if dx is None:
            out.append(None)
            continue
        from ..ops import reshape, getitem, stack
        n = int(np.prod(x.shape.as_list()))
        flat = reshape(dx, (-1,))
        rows = [gradients(getitem(flat, i), x)[0] for i in range(n)]
        out.append(reshape(stack(rows), tuple(x.shape.as_list()) * 2))
    return out


def tape_gradients(targets, sources, output_gradients=None):
    """What a ``GradientTape`` traced by ``tinyflow.function`` computes: the
    gradient nodes of ``targets`` with respect to ``sources`` (eager ones are
    captured into the graph)."""
    g = targets[0].graph
    return gradients(targets, [convert_to_tensor(s, g) for s in sources], grad_ys=output_gradients)


interpreters.register(graph_gradients=tape_gradients)
