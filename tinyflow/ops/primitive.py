"""The registry of primitive ops: the one place where an op's math lives.

A primitive is defined exactly once, by

* ``forward(*arrays, **attrs) -> ndarray`` -- plain, vectorized numpy;
* one vjp rule per differentiable input, ``vjp(g, *inputs, out, **attrs)``,
  written with tinyflow's own ops, so the same rule works on raw arrays
  (ordinary backward), on eager Tensors (``create_graph=True``) and on
  symbolic tensors (graph-mode ``gradients``);
* a static shape rule and a dtype rule, used when a graph is built.

Every execution mode is an *interpreter* of these objects. ``bind`` picks the
interpreter from the arguments: raw numpy in, raw numpy out; an eager
``Tensor`` in, the tape records a node; a symbolic tensor in (or a graph being
built), a graph node is added.

>>> from tinyflow.ops import elementwise
>>> float(elementwise.Exp.forward(0.0))
1.0
"""
import numpy as np

PRIMITIVES = {}
NO_ATTRS = {}            # the attrs of an op that has none (shared, never edited)


class Primitive:
    """One op: its numpy forward, its vjp rules, its shape and dtype rules."""

    __slots__ = ("name", "forward", "plain_forward", "fast_forward", "vjps", "shape_rule",
                 "dtype_rule",
                 "reads_out", "unread", "differentiable", "stateful", "ref_inputs", "doc", "family",
                 "promotion", "multi_output", "__weakref__")

    def __init__(self, name, forward, shape, dtype=None, nondiff=False, family=None, doc=None,
                 stateful=False, ref_inputs=(), register=True, promotion=None,
                 multi_output=False):
        if register and name in PRIMITIVES:
            raise ValueError(f"primitive {name!r} is already registered")
        self.name = name
        self.forward = forward              # what runs: the plain one, or a faster one (fast.py)
        self.plain_forward = forward        # the definition
        self.fast_forward = None            # the same result, sooner (ops/fast.py)
        self.shape_rule = shape
        self.dtype_rule = dtype or result_dtype
        # None: no rule defined yet. () with nondiff: never differentiable (comparisons, argmax).
        self.vjps = () if nondiff else None
        self.differentiable = not nondiff   # comparisons, argmax...: outputs never need grad
        self.stateful = stateful            # forward(ctx, ...): needs the session (state.py)
        self.ref_inputs = ref_inputs        # inputs passed as the variable itself, not its value
        self.reads_out = False              # a vjp rule uses ``out``: see defvjp
        self.unread = ()                    # inputs no vjp rule reads: see defvjp
        self.family = family
        # How the eager tape (PyTorch's rules: eager/promotion.py) treats mixed dtypes:
        # "arith", "divide", "where", "float" (integers become floats), "same", "float_only".
        self.promotion = promotion
        # A graph op with several outputs (cond, while_loop): forward returns a tuple,
        # the shape and dtype rules return one entry per output.
        self.multi_output = multi_output
        self.doc = doc or (forward.__doc__ or "")
        if register:                        # a custom autograd.Function's primitive is not
            PRIMITIVES[name] = self

    def defvjp(self, *rules, reads_out=False, reads=None):
        """Give one vjp rule per input (``None`` for an input with no gradient).
        ``reads_out``: some rule uses the op's output ``out`` (exp's ``g * out``),
        so changing the output in place before backward would give wrong
        gradients: eager mode refuses that, as PyTorch does.
        ``reads``: the positions of the inputs whose values some rule uses (None:
        all of them). The eager tape keeps only those, as PyTorch saves only what
        backward needs: of the others it keeps the shape and dtype, and changing
        one in place before backward is no error (``a + b`` reads neither)."""
        self.vjps = rules
        self.reads_out = reads_out
        self.unread = () if reads is None else tuple(i for i in range(len(rules))
                                                     if i not in reads)
        return self

    def defvjp_each(self, rule, reads_out=False):
        """For a primitive with any number of inputs: ``rule(i, g, *inputs, out,
        **attrs)`` gives the gradient for input ``i`` (None for none)."""
        self.vjps = _EachInput(rule)
        self.reads_out = reads_out
        return self

    def bind(self, *args, **attrs):
        return bind(self, args, attrs)

    def speed_up(self, fast_forward):
        """Give a faster forward that computes what the plain one does (ops/fast.py)."""
        self.fast_forward = fast_forward
        self.forward = fast_forward

    def use_fast_forward(self, on):
        """Run the fast forward (if there is one) or the plain definition."""
        self.forward = self.fast_forward if on and self.fast_forward else self.plain_forward

    def names(self, fn):
        """``fn``, named and documented after this primitive: for an op function
        made by a factory (``exp``, ``sum``...), so ``help(tinyflow.exp)`` says what it is."""
        fn.__name__ = self.name.lower()
        fn.__doc__ = self.doc
        return fn

    def __repr__(self):
        return f"<primitive {self.name}>"


class _EachInput:
    """vjp rules for every input position, from one rule that takes the index."""
    __slots__ = ("rule",)

    def __init__(self, rule):
        self.rule = rule

    def __getitem__(self, i):
        rule = self.rule
        # called as rule(g, *inputs, out, **attrs): out is the last positional argument
        return lambda g, *xs, **kw: rule(i, g, *xs[:-1], out=xs[-1], **kw)


# ---------------------------------------------------------------------------
# What kind of value is this? Raw (a number or a numpy array), an eager Tensor
# (it has a value now) or a symbolic tensor (a node of a graph: a value later).
# Each tensor class says which it is in ``value_kind``.

RAW, EAGER, SYMBOLIC = 0, 1, 2    # ordered: a symbolic input makes a graph op, then an eager one a tape op

_kinds = {}        # class -> its value_kind, so dispatch costs one dict lookup per argument


def kind_of(x):
    """RAW, EAGER or SYMBOLIC."""
    k = _kinds.get(x.__class__)
    if k is None:
        k = _kinds[x.__class__] = getattr(x.__class__, "value_kind", RAW)
    return k


def is_eager(x):
    """Is x an eager Tensor?"""
    return kind_of(x) == EAGER


def is_symbolic(x):
    """Is x a symbolic tensor (an op's output in a graph)?"""
    return kind_of(x) == SYMBOLIC


def is_tensor(x):
    """Is x a tinyflow tensor of either kind?"""
    return kind_of(x) != RAW


# ---------------------------------------------------------------------------
# Dispatch. Upper layers plug their interpreters in here, so this module never
# imports them: eager/tape.py registers "eager", graph/build.py "graph" (and
# the reverse walks of each mode register themselves the same way).

class Interpreters:
    """Who runs a primitive on eager tensors, who builds it into a graph, and
    who walks each kind of tensor back for gradients."""
    eager = None               # apply(prim, args, attrs) -> eager Tensor (eager/tape.py)
    graph = None               # build(prim, args, attrs) -> symbolic tensor (graph/build.py)
    eager_backward = None      # backward(tensor, gradient, ...) (eager/backward.py)
    graph_gradients = None     # gradients(ys, xs, grad_ys) as graph nodes (graph/gradients.py)
    building = None            # the Graph being built right now, or None (graph/graph.py)

    def register(self, **interpreters):
        """Plug interpreters in: ``register(eager=apply)``."""
        for name, fn in interpreters.items():
            if not hasattr(Interpreters, name) or name == "building":
                raise ValueError(f"register: unknown interpreter {name!r}")
            setattr(self, name, fn)


interpreters = Interpreters()


def bind(prim, args, attrs):
    """Run ``prim`` on ``args`` with the interpreter the arguments call for:
    a graph is being built, or an argument is symbolic -> a graph node; an
    argument is an eager Tensor -> the tape; otherwise numpy, right now."""
    __tracebackhide__ = True     # IPython: show the user's line, not the engine's
    if interpreters.building is not None:
        return interpreters.graph(prim, args, attrs)
    kind = RAW
    for a in args:
        k = _kinds.get(a.__class__)
        if k is None:
            k = kind_of(a)
        if k > kind:
            kind = k
    if kind == RAW:
        return prim.forward(*args, **attrs) if attrs else prim.forward(*args)
    if kind == EAGER:
        return interpreters.eager(prim, args, attrs)
    return interpreters.graph(prim, args, attrs)


# ---------------------------------------------------------------------------
# dtype rules

def result_dtype(*dtypes, **attrs):
    """numpy's promotion, with Python numbers weak (float32 * 2.0 is float32)."""
    return np.result_type(*dtypes)


def bool_dtype(*dtypes, **attrs):
    return np.dtype(bool)


def int64_dtype(*dtypes, **attrs):
    return np.dtype(np.int64)


def first_dtype(*dtypes, **attrs):
    d = dtypes[0]
    return d if isinstance(d, np.dtype) else np.result_type(d)
