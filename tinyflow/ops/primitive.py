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
>>> elementwise.Exp.forward(0.0)
1.0
"""
import numpy as np

PRIMITIVES = {}


class Primitive:
    """One op: its numpy forward, its vjp rules, its shape and dtype rules."""

    __slots__ = ("name", "forward", "vjps", "shape_rule", "dtype_rule", "saves_out",
                 "differentiable", "stateful", "ref_inputs", "doc", "family", "__weakref__")

    def __init__(self, name, forward, shape, dtype=None, nondiff=False, family=None, doc=None):
        if name in PRIMITIVES:
            raise ValueError(f"primitive {name!r} is already registered")
        self.name = name
        self.forward = forward
        self.shape_rule = shape
        self.dtype_rule = dtype or result_dtype
        # None: no rule defined yet. () with nondiff: never differentiable (comparisons, argmax).
        self.vjps = () if nondiff else None
        self.differentiable = not nondiff   # comparisons, argmax...: outputs never need grad
        self.stateful = False               # forward(ctx, ...): needs the session (state.py)
        self.ref_inputs = ()                # inputs passed as the variable itself, not its value
        self.saves_out = False
        self.family = family
        self.doc = doc or (forward.__doc__ or "")
        PRIMITIVES[name] = self

    def defvjp(self, *rules):
        """Give one vjp rule per input (``None`` for an input with no gradient)."""
        self.vjps = rules
        # Does any rule read ``out``? Then overwriting the output in place breaks backward.
        self.saves_out = any(r is not None and _reads(r, "out") for r in rules)
        return self

    def defvjp_each(self, rule):
        """For a primitive with any number of inputs: ``rule(i, g, *inputs, out,
        **attrs)`` gives the gradient for input ``i`` (None for none)."""
        self.vjps = _EachInput(rule)
        self.saves_out = _reads(rule, "out")
        return self

    def bind(self, *args, **attrs):
        return bind(self, args, attrs)

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


def _reads(fn, name):
    import dis
    return any(i.opname.startswith("LOAD_") and i.argval == name for i in dis.get_instructions(fn))


# ---------------------------------------------------------------------------
# Dispatch. Upper layers plug their interpreters in here, so this module never
# imports them: eager/ sets EAGER, graph/ sets GRAPH.

class _Interpreters:
    eager = None      # apply(prim, args, attrs) -> eager Tensor
    graph = None      # apply(prim, args, attrs) -> symbolic tensor
    building = None   # the Graph being built right now, or None


interpreters = _Interpreters()


def bind(prim, args, attrs):
    """Run ``prim`` on ``args`` with the interpreter the arguments call for.

    Each tensor class carries ``_kind``: 1 for eager tensors, 2 for symbolic
    ones; raw numpy arrays and Python numbers have none (0).
    """
    __tracebackhide__ = True     # IPython: show the user's line, not the engine's
    if interpreters.building is not None:
        return interpreters.graph(prim, args, attrs)
    kind = 0
    for a in args:
        k = _kinds.get(a.__class__)
        if k is None:
            k = kind_of(a)
        if k > kind:
            kind = k
    if kind == 0:
        return prim.forward(*args, **attrs) if attrs else prim.forward(*args)
    if kind == 1:
        return interpreters.eager(prim, args, attrs)
    return interpreters.graph(prim, args, attrs)


_kinds = {}        # class -> its _kind, so dispatch costs one dict lookup per argument


def kind_of(x):
    """0 for raw values, 1 for an eager tensor, 2 for a symbolic one."""
    k = _kinds.get(x.__class__)
    if k is None:
        k = _kinds[x.__class__] = getattr(x.__class__, "_kind", 0)
    return k


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
