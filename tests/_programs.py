"""Random small tinyflow programs, for the agreement tests (test_agreement.py).

A program is a list of instructions over SSA registers: registers 0..k-1 are
the float64 inputs, and instruction i writes register k+i from earlier
registers. It ends in a scalar loss, ``sum(r * w)`` over the registers nothing
else reads (fixed weights ``w``), so every value matters to the gradient.

* ``programs()`` is a hypothesis strategy. It keeps every shape valid (it
  asks numpy for each output shape while it builds) and every value tame: each
  register carries an interval that bounds its values, and an op is only
  chosen where it is smooth and finite (``log`` of values >= 0.2, ``exp`` of
  values <= 5, division by values >= 0.3, nothing beyond 1e3).
* ``run(program, inputs, ns)`` interprets a program with any *ops namespace*:
  ``TF`` (tinyflow's own functions, eager or symbolic) or ``NP`` (plain numpy,
  the independent reference).
* ``program.source()`` (and ``repr``) renders it as Python calling tinyflow,
  so a failing example shrinks to code you can paste and run.
* ``kinks(program, inputs)`` reports where the program's non-smooth ops
  (relu, abs, max, maximum, clamp, where...) stand, so a numerical check can
  skip points where a finite difference would straddle a kink.
"""
import math
from itertools import permutations

import numpy as np
from hypothesis import strategies as st

import tinyflow as tf

BOUND = 1e3           # no register may reach beyond +-BOUND
MAX_SIZE = 48         # elements per register
MAX_RANK = 4


# --- ops namespaces --------------------------------------------------------------
# Both namespaces answer the same names; the printer writes ``tf.<name>(...)``,
# which is exactly what TF calls.

class _TF:
    """tinyflow's public functions (work on eager and on symbolic tensors)."""

    def __getattr__(self, name):
        return getattr(tf, name)

    @staticmethod
    def getitem(x, key):
        return x[key]


def _np_softmax(x, dim):
    e = np.exp(x - np.max(x, axis=dim, keepdims=True))
    return e / np.sum(e, axis=dim, keepdims=True)


def _np_logsumexp(x, axis=None, keepdims=False):
    m = np.max(x, axis=axis, keepdims=True)
    out = np.log(np.sum(np.exp(x - m), axis=axis, keepdims=True)) + m
    if keepdims:
        return out
    return np.squeeze(out, axis=axis) if axis is not None else out.reshape(())


class _NP:
    """The same functions written directly in numpy: the reference."""
    neg = staticmethod(np.negative)
    exp = staticmethod(np.exp)
    log = staticmethod(np.log)
    sqrt = staticmethod(np.sqrt)
    sin = staticmethod(np.sin)
    cos = staticmethod(np.cos)
    tanh = staticmethod(np.tanh)
    abs = staticmethod(np.abs)
    add = staticmethod(np.add)
    sub = staticmethod(np.subtract)
    mul = staticmethod(np.multiply)
    div = staticmethod(np.divide)
    pow = staticmethod(np.power)
    maximum = staticmethod(np.maximum)
    minimum = staticmethod(np.minimum)
    greater = staticmethod(np.greater)
    where = staticmethod(np.where)
    matmul = staticmethod(np.matmul)
    concat = staticmethod(lambda xs, axis: np.concatenate(xs, axis))
    stack = staticmethod(lambda xs, axis: np.stack(xs, axis))
    broadcast_to = staticmethod(np.broadcast_to)
    squeeze = staticmethod(np.squeeze)
    expand_dims = staticmethod(np.expand_dims)
    reshape = staticmethod(np.reshape)
    take_along_axis = staticmethod(lambda x, i, axis: np.take_along_axis(x, i, axis))
    reduce_sum = staticmethod(lambda x, axis=None, keepdims=False: np.sum(x, axis, keepdims=keepdims))
    reduce_mean = staticmethod(lambda x, axis=None, keepdims=False: np.mean(x, axis, keepdims=keepdims))
    reduce_max = staticmethod(lambda x, axis=None, keepdims=False: np.max(x, axis, keepdims=keepdims))
    reduce_min = staticmethod(lambda x, axis=None, keepdims=False: np.min(x, axis, keepdims=keepdims))
    reduce_logsumexp = staticmethod(_np_logsumexp)

    @staticmethod
    def square(x):
        return x * x

    @staticmethod
    def sigmoid(x):
        return 1.0 / (1.0 + np.exp(-x))

    @staticmethod
    def softplus(x):
        return np.logaddexp(0.0, x)

    @staticmethod
    def relu(x):
        return np.maximum(x, 0.0)

    @staticmethod
    def clamp(x, min=None, max=None):
        return np.clip(x, min, max)

    @staticmethod
    def transpose(x, perm):
        return np.transpose(x, perm)

    @staticmethod
    def softmax(x, dim):
        return _np_softmax(x, dim)

    @staticmethod
    def log_softmax(x, dim):
        s = x - np.max(x, axis=dim, keepdims=True)
        return s - np.log(np.sum(np.exp(s), axis=dim, keepdims=True))

    @staticmethod
    def getitem(x, key):
        return x[key]


TF = _TF()
NP = _NP()


# --- printing values ---------------------------------------------------------------

def _lit(v):
    """Python source for a constant (exact: floats print with repr)."""
    if isinstance(v, np.ndarray):
        body = repr(v.tolist())
        return f"np.array({body}, dtype=np.{v.dtype.name})"
    if isinstance(v, slice):
        parts = ["" if p is None else repr(p) for p in (v.start, v.stop, v.step)]
        return ":".join(parts[:2]) + (f":{parts[2]}" if v.step is not None else "")
    if v is Ellipsis:
        return "..."
    if isinstance(v, tuple):
        return "(" + ", ".join(_lit(x) for x in v) + ("," if len(v) == 1 else "") + ")"
    return repr(v)


def _key_src(key):
    return ", ".join(_lit(k) for k in key) if key else "()"


# --- the instruction set -----------------------------------------------------------

class Op:
    """One kind of instruction. ``call(ns, *regs)`` runs it, ``src(*names)`` prints
    it, ``bounds(*intervals)`` bounds its values, ``pattern(*values)`` says where
    it stands relative to its kinks (None when it has none)."""

    def __init__(self, name, call, src, bounds, pattern=None):
        self.name, self.call, self.src, self.bounds, self.pattern = name, call, src, bounds, pattern


class Instr:
    def __init__(self, op, args, attrs):
        self.op, self.args, self.attrs = op, tuple(args), dict(attrs)

    def call(self, ns, regs):
        return OPS[self.op].call(ns, *[regs[a] for a in self.args], **self.attrs)

    def source(self, names):
        return OPS[self.op].src(*[names[a] for a in self.args], **self.attrs)


def _iv(lo, hi):
    return (float(lo), float(hi))


def _mag(iv):
    return max(abs(iv[0]), abs(iv[1]))


def _sign(x):
    return np.sign(x).astype(np.int8)


def _unary(name, bounds, pattern=None):
    return Op(name, lambda ns, x: getattr(ns, name)(x), lambda x: f"tf.{name}({x})",
              bounds, pattern)


def _binary(name, bounds, pattern=None):
    return Op(name, lambda ns, a, b: getattr(ns, name)(a, b), lambda a, b: f"tf.{name}({a}, {b})",
              bounds, pattern)


def _sig(x):
    return 1.0 / (1.0 + math.exp(-x))


def _softplus(x):
    return max(x, 0.0) + math.log1p(math.exp(-abs(x)))


def _corners(f, a, b):
    vals = [f(x, y) for x in a for y in b]
    return _iv(min(vals), max(vals))


def _abs_bounds(a):
    lo, hi = a
    if lo <= 0 <= hi:
        return _iv(0.0, max(-lo, hi))
    return _iv(min(abs(lo), abs(hi)), max(abs(lo), abs(hi)))


def _reduced(shape, axis):
    if axis is None:
        return math.prod(shape)
    axes = (axis,) if isinstance(axis, int) else axis
    return math.prod(shape[a] for a in axes) if shape else 1


def _group_pattern(x, axis, extreme):
    """-1/0 per element: 0 where it is the extreme of its group (a tie gives several)."""
    m = extreme(x, axis=axis, keepdims=True)
    return _sign(x - m)


OPS = {}


def _add(op):
    OPS[op.name] = op


for _name, _b in [
        ("neg", lambda a: _iv(-a[1], -a[0])),
        ("exp", lambda a: _iv(math.exp(a[0]), math.exp(a[1]))),
        ("log", lambda a: _iv(math.log(a[0]), math.log(a[1]))),
        ("sqrt", lambda a: _iv(math.sqrt(a[0]), math.sqrt(a[1]))),
        ("sin", lambda a: _iv(-1, 1)),
        ("cos", lambda a: _iv(-1, 1)),
        ("tanh", lambda a: _iv(math.tanh(a[0]), math.tanh(a[1]))),
        ("sigmoid", lambda a: _iv(_sig(a[0]), _sig(a[1]))),
        ("softplus", lambda a: _iv(_softplus(a[0]), _softplus(a[1]))),
        ("square", lambda a: _iv(_abs_bounds(a)[0] ** 2, _mag(a) ** 2))]:
    _add(_unary(_name, _b))
_add(_unary("relu", lambda a: _iv(max(a[0], 0), max(a[1], 0)), lambda x: _sign(x)))
_add(_unary("abs", _abs_bounds, lambda x: _sign(x)))

_add(_binary("add", lambda a, b: _iv(a[0] + b[0], a[1] + b[1])))
_add(_binary("sub", lambda a, b: _iv(a[0] - b[1], a[1] - b[0])))
_add(_binary("mul", lambda a, b: _corners(lambda x, y: x * y, a, b)))
_add(_binary("div", lambda a, b: _corners(lambda x, y: x / y, a, b)))
_add(_binary("pow", lambda a, b: _corners(lambda x, y: x ** y, a, b)))
_add(_binary("maximum", lambda a, b: _iv(max(a[0], b[0]), max(a[1], b[1])),
             lambda a, b: _sign(a - b)))
_add(_binary("minimum", lambda a, b: _iv(min(a[0], b[0]), min(a[1], b[1])),
             lambda a, b: _sign(a - b)))

_add(Op("scale", lambda ns, x, k: ns.mul(x, k), lambda x, k: f"tf.mul({x}, {k!r})",
        lambda a, k: _corners(lambda x, y: x * y, a, (k, k))))
_add(Op("clamp", lambda ns, x, min, max: ns.clamp(x, min=min, max=max),
        lambda x, min, max: f"tf.clamp({x}, min={min!r}, max={max!r})",
        lambda a, min, max: _iv(np.clip(a[0], min, max), np.clip(a[1], min, max)),
        lambda x, min, max: np.stack([_sign(x - (min if min is not None else -np.inf)),
                                      _sign(x - (max if max is not None else np.inf))])))
_add(Op("where", lambda ns, c, x, y: ns.where(ns.greater(c, 0.0), x, y),
        lambda c, x, y: f"tf.where(tf.greater({c}, 0.0), {x}, {y})",
        lambda c, x, y: _iv(min(x[0], y[0]), max(x[1], y[1])),
        lambda c, x, y: _sign(c)))


def _reduction(name, bounds, extreme=None):
    pattern = None
    if extreme is not None:
        def pattern(x, axis=None, keepdims=False):
            return _group_pattern(x, axis, extreme)
    _add(Op(name, lambda ns, x, axis, keepdims: getattr(ns, name)(x, axis=axis, keepdims=keepdims),
            lambda x, axis, keepdims: f"tf.{name}({x}, axis={axis!r}, keepdims={keepdims!r})",
            bounds, pattern))


_reduction("reduce_sum", lambda a, axis, keepdims, n: _iv(n * a[0], n * a[1]))
_reduction("reduce_mean", lambda a, axis, keepdims, n: a)
_reduction("reduce_max", lambda a, axis, keepdims, n: a, np.max)
_reduction("reduce_min", lambda a, axis, keepdims, n: a, np.min)
_reduction("reduce_logsumexp",
           lambda a, axis, keepdims, n: _iv(a[0] + math.log(n), a[1] + math.log(n)))


def _softmax_bounds(a, dim, n):
    return _iv(1.0 / (1.0 + (n - 1) * math.exp(a[1] - a[0])), 1.0)


def _log_softmax_bounds(a, dim, n):
    return _iv(-math.log(1.0 + (n - 1) * math.exp(a[1] - a[0])), 0.0)


_add(Op("softmax", lambda ns, x, dim: ns.softmax(x, dim), lambda x, dim: f"tf.softmax({x}, {dim})",
        _softmax_bounds))
_add(Op("log_softmax", lambda ns, x, dim: ns.log_softmax(x, dim),
        lambda x, dim: f"tf.log_softmax({x}, {dim})", _log_softmax_bounds))

_same = lambda a, *rest, **attrs: a                                        # noqa: E731
_add(Op("reshape", lambda ns, x, shape: ns.reshape(x, shape),
        lambda x, shape: f"tf.reshape({x}, {_lit(shape)})", _same))
_add(Op("transpose", lambda ns, x, perm: ns.transpose(x, perm=perm),
        lambda x, perm: f"tf.transpose({x}, perm={_lit(perm)})", _same))
_add(Op("expand_dims", lambda ns, x, axis: ns.expand_dims(x, axis),
        lambda x, axis: f"tf.expand_dims({x}, {axis})", _same))
_add(Op("squeeze", lambda ns, x, axis: ns.squeeze(x, axis),
        lambda x, axis: f"tf.squeeze({x}, {axis})", _same))
_add(Op("broadcast_to", lambda ns, x, shape: ns.broadcast_to(x, shape),
        lambda x, shape: f"tf.broadcast_to({x}, {_lit(shape)})", _same))
_add(Op("getitem", lambda ns, x, key: ns.getitem(x, key),
        lambda x, key: f"{x}[{_key_src(key)}]", _same))
_add(Op("take_along_axis", lambda ns, x, idx, axis: ns.take_along_axis(x, idx, axis),
        lambda x, idx, axis: f"tf.take_along_axis({x}, {_lit(idx)}, {axis})", _same))
_add(Op("concat", lambda ns, a, b, axis: ns.concat([a, b], axis=axis),
        lambda a, b, axis: f"tf.concat([{a}, {b}], axis={axis})",
        lambda a, b, axis: _iv(min(a[0], b[0]), max(a[1], b[1]))))
_add(Op("stack", lambda ns, a, b, axis: ns.stack([a, b], axis=axis),
        lambda a, b, axis: f"tf.stack([{a}, {b}], axis={axis})",
        lambda a, b, axis: _iv(min(a[0], b[0]), max(a[1], b[1]))))
_add(Op("matmul", lambda ns, a, b: ns.matmul(a, b), lambda a, b: f"tf.matmul({a}, {b})",
        None))


# --- programs ----------------------------------------------------------------------

class Program:
    """Inputs (their values), instructions, and the loss weights of the sinks."""

    def __init__(self, inputs, instrs, sinks, weights):
        self.inputs = [np.asarray(x, dtype=np.float64) for x in inputs]
        self.instrs = list(instrs)
        self.sinks = list(sinks)
        self.weights = list(weights)

    @property
    def n_inputs(self):
        return len(self.inputs)

    def names(self):
        k = self.n_inputs
        return [f"x{i}" for i in range(k)] + [f"r{i}" for i in range(len(self.instrs))]

    def source(self):
        """The program as Python source that runs it with tinyflow."""
        names = self.names()
        args = ", ".join(names[:self.n_inputs])
        lines = ["import numpy as np", "import tinyflow as tf", "", "",
                 f"def program({args}):"]
        for i, ins in enumerate(self.instrs):
            lines.append(f"    {names[self.n_inputs + i]} = {ins.source(names)}")
        for j, (s, w) in enumerate(zip(self.sinks, self.weights)):
            term = f"tf.reduce_sum(tf.mul({names[s]}, {_lit(w)}))"
            lines.append(f"    loss = {term}" if j == 0 else f"    loss = tf.add(loss, {term})")
        lines.append("    return loss")
        lines.append("")
        lines.append("")
        for i, x in enumerate(self.inputs):
            lines.append(f"x{i} = tf.tensor({_lit(x)}, requires_grad=True)")
        lines.append(f"loss = program({args})")
        lines.append("loss.backward()")
        lines.append("print(loss, " + ", ".join(f"x{i}.grad" for i in range(self.n_inputs)) + ")")
        return "\n".join(lines)

    def __repr__(self):
        return "\n" + self.source() + "\n"

    def __len__(self):
        return len(self.instrs)


def run(program, inputs, ns):
    """Interpret ``program`` on ``inputs`` with the ops namespace ``ns``.
    Returns (the values of every instruction, the loss)."""
    regs = list(inputs)
    for ins in program.instrs:
        regs.append(ins.call(ns, regs))
    loss = None
    for s, w in zip(program.sinks, program.weights):
        term = ns.reduce_sum(ns.mul(regs[s], w))
        loss = term if loss is None else ns.add(loss, term)
    return regs[len(inputs):], loss


def kinks(program, inputs):
    """Where each non-smooth op stands (signs against its kinks), as one tuple of
    arrays: equal tuples at x - h*d, x and x + h*d mean no kink was crossed or hit."""
    regs = [np.asarray(x) for x in inputs]
    marks = []
    with np.errstate(all="ignore"):
        for ins in program.instrs:
            op = OPS[ins.op]
            vals = [regs[a] for a in ins.args]
            if op.pattern is not None:
                marks.append(op.pattern(*vals, **ins.attrs))
            regs.append(ins.call(NP, regs))
    return marks


def same_kinks(a, b):
    return len(a) == len(b) and all(np.array_equal(x, y) for x, y in zip(a, b))


# --- generation --------------------------------------------------------------------

class _Reg:
    __slots__ = ("shape", "iv")

    def __init__(self, shape, iv):
        self.shape, self.iv = tuple(shape), iv

    @property
    def lo(self):
        return self.iv[0]

    @property
    def hi(self):
        return self.iv[1]


def _shape_of(op, regs, args, attrs):
    """The output shape numpy gives, or None if numpy refuses."""
    dummies = [np.ones(regs[a].shape) for a in args]
    try:
        with np.errstate(all="ignore"):
            return np.shape(OPS[op].call(NP, *dummies, **attrs))
    except (ValueError, IndexError, TypeError):
        return None


def _broadcastable(*shapes):
    try:
        return np.broadcast_shapes(*shapes)
    except ValueError:
        return None


def _fits(shape):
    return shape is not None and len(shape) <= MAX_RANK and 1 <= math.prod(shape) <= MAX_SIZE


def _pick(draw, items):
    return draw(st.sampled_from(items)) if items else None


def _axis_choice(draw, rank, allow_none=True, allow_tuple=True):
    options = []
    if allow_none:
        options.append(None)
    options += list(range(-rank, rank)) if rank else []
    if allow_tuple and rank >= 2:
        options.append("tuple")
    a = draw(st.sampled_from(options))
    if a == "tuple":
        a = tuple(sorted(draw(st.sets(st.integers(0, rank - 1), min_size=1, max_size=rank))))
    return a


def _gen_unary(name, need):
    def gen(draw, regs):
        cands = [i for i, r in enumerate(regs) if need(r)]
        x = _pick(draw, cands)
        return None if x is None else ((x,), {})
    return gen


def _gen_binary(need_a, need_b):
    def gen(draw, regs):
        a = _pick(draw, [i for i, r in enumerate(regs) if need_a(r)])
        if a is None:
            return None
        cands = [i for i, r in enumerate(regs)
                 if need_b(r) and _fits(_broadcastable(regs[a].shape, r.shape))]
        b = _pick(draw, cands)
        return None if b is None else ((a, b), {})
    return gen


def _any(r):
    return True


def _gen_reduction(draw, regs):
    x = draw(st.integers(0, len(regs) - 1))
    rank = len(regs[x].shape)
    axis = _axis_choice(draw, rank)
    return (x,), {"axis": axis, "keepdims": draw(st.booleans())}


def _gen_softmax(draw, regs):
    x = _pick(draw, [i for i, r in enumerate(regs) if r.shape])
    if x is None:
        return None
    return (x,), {"dim": _axis_choice(draw, len(regs[x].shape), False, False)}


def _factorizations(n, rank):
    if rank == 0:
        return [()] if n == 1 else []
    out = []
    for d in range(1, n + 1):
        if n % d == 0:
            out += [(d,) + rest for rest in _factorizations(n // d, rank - 1)]
    return out


def _gen_reshape(draw, regs):
    x = draw(st.integers(0, len(regs) - 1))
    n = math.prod(regs[x].shape)
    shapes = [s for r in range(0, MAX_RANK + 1) for s in _factorizations(n, r)]
    shape = draw(st.sampled_from(shapes))
    if shape and draw(st.booleans()):
        i = draw(st.integers(0, len(shape) - 1))
        shape = shape[:i] + (-1,) + shape[i + 1:]
    return (x,), {"shape": shape}


def _gen_transpose(draw, regs):
    x = _pick(draw, [i for i, r in enumerate(regs) if len(r.shape) >= 2])
    if x is None:
        return None
    perm = draw(st.sampled_from(list(permutations(range(len(regs[x].shape))))))
    return (x,), {"perm": perm}


def _gen_expand(draw, regs):
    x = _pick(draw, [i for i, r in enumerate(regs) if len(r.shape) < MAX_RANK])
    if x is None:
        return None
    n = len(regs[x].shape)
    return (x,), {"axis": draw(st.integers(-n - 1, n))}


def _gen_squeeze(draw, regs):
    x = _pick(draw, [i for i, r in enumerate(regs) if 1 in r.shape])
    if x is None:
        return None
    shape = regs[x].shape
    ones = [i for i, d in enumerate(shape) if d == 1]
    i = draw(st.sampled_from(ones))
    return (x,), {"axis": draw(st.sampled_from([i, i - len(shape)]))}


def _gen_broadcast(draw, regs):
    x = draw(st.integers(0, len(regs) - 1))
    shape = list(regs[x].shape)
    shape = [draw(st.sampled_from([1, 2, 3])) if d == 1 else d for d in shape]
    if len(shape) < MAX_RANK and draw(st.booleans()):
        shape.insert(0, draw(st.integers(1, 3)))
    return (x,), {"shape": tuple(shape)}


def _gen_index_part(draw, d, have_array):
    kinds = ["all", "int", "slice"] + ([] if have_array else ["array", "mask"])
    kind = draw(st.sampled_from(kinds))
    if kind == "all":
        return slice(None)
    if kind == "int":
        return draw(st.integers(-d, d - 1))
    if kind == "slice":
        start = draw(st.one_of(st.none(), st.integers(-d, d)))
        stop = draw(st.one_of(st.none(), st.integers(-d - 1, d)))
        step = draw(st.sampled_from([None, 1, 2, -1, -2]))
        return slice(start, stop, step)
    if kind == "array":
        n = draw(st.integers(1, 4))
        return np.array(draw(st.lists(st.integers(-d, d - 1), min_size=n, max_size=n)),
                        dtype=np.int64)
    mask = draw(st.lists(st.booleans(), min_size=d, max_size=d))
    return np.array(mask, dtype=bool)


def _gen_getitem(draw, regs):
    x = _pick(draw, [i for i, r in enumerate(regs) if r.shape])
    if x is None:
        return None
    shape = regs[x].shape
    used = draw(st.integers(1, len(shape)))
    key, have_array = [], False
    for d in shape[:used]:
        k = _gen_index_part(draw, d, have_array)
        have_array = have_array or isinstance(k, np.ndarray)
        key.append(k)
    if draw(st.booleans()):                           # a None (new axis) somewhere
        key.insert(draw(st.integers(0, len(key))), None)
    if used < len(shape) and draw(st.booleans()):     # or an Ellipsis before the last ones
        key.insert(0, Ellipsis)
    return (x,), {"key": tuple(key)}


def _gen_take(draw, regs):
    x = _pick(draw, [i for i, r in enumerate(regs) if r.shape])
    if x is None:
        return None
    shape = regs[x].shape
    axis = draw(st.integers(0, len(shape) - 1))
    n = draw(st.integers(1, 3))
    ishape = shape[:axis] + (n,) + shape[axis + 1:]
    size = math.prod(ishape)
    vals = draw(st.lists(st.integers(0, shape[axis] - 1), min_size=size, max_size=size))
    idx = np.array(vals, dtype=np.int64).reshape(ishape)
    return (x,), {"idx": idx, "axis": draw(st.sampled_from([axis, axis - len(shape)]))}


def _gen_join(stack):
    def gen(draw, regs):
        a = _pick(draw, [i for i, r in enumerate(regs) if r.shape or stack])
        if a is None:
            return None
        sa = regs[a].shape
        n = len(sa) + (1 if stack else 0)
        axis = draw(st.integers(-n, n - 1))
        ax = axis % n
        if stack:
            cands = [i for i, r in enumerate(regs) if r.shape == sa]
        else:
            cands = [i for i, r in enumerate(regs) if len(r.shape) == len(sa) and all(
                p == q for j, (p, q) in enumerate(zip(sa, r.shape)) if j != ax)]
        b = _pick(draw, cands)
        return None if b is None else ((a, b), {"axis": axis})
    return gen


def _gen_matmul(draw, regs):
    a = _pick(draw, [i for i, r in enumerate(regs) if r.shape])
    if a is None:
        return None
    k = regs[a].shape[-1]
    cands = [i for i, r in enumerate(regs)
             if r.shape and (r.shape[-2] if len(r.shape) >= 2 else r.shape[0]) == k
             and _fits(_shape_of("matmul", regs, (a, i), {}))]
    b = _pick(draw, cands)
    return None if b is None else ((a, b), {})


def _gen_scale(draw, regs):
    return (draw(st.integers(0, len(regs) - 1)),), {"k": draw(st.sampled_from([0.5, -1.5, 2.0, 0.1]))}


def _gen_clamp(draw, regs):
    lo, hi = draw(st.sampled_from([(-1.0, 1.0), (-0.5, None), (None, 0.5), (0.0, 2.0)]))
    return (draw(st.integers(0, len(regs) - 1)),), {"min": lo, "max": hi}


def _gen_where(draw, regs):
    x = draw(st.integers(0, len(regs) - 1))
    y = _pick(draw, [i for i, r in enumerate(regs) if _fits(_broadcastable(regs[x].shape, r.shape))])
    xy = _broadcastable(regs[x].shape, regs[y].shape)
    c = _pick(draw, [i for i, r in enumerate(regs) if _fits(_broadcastable(xy, r.shape))])
    return (c, x, y), {}


GENERATORS = {
    "neg": _gen_unary("neg", _any),
    "exp": _gen_unary("exp", lambda r: r.hi <= 5),
    "log": _gen_unary("log", lambda r: r.lo >= 0.2),
    "sqrt": _gen_unary("sqrt", lambda r: r.lo >= 0.2),
    "sin": _gen_unary("sin", _any),
    "cos": _gen_unary("cos", _any),
    "tanh": _gen_unary("tanh", _any),
    "sigmoid": _gen_unary("sigmoid", _any),
    "softplus": _gen_unary("softplus", _any),
    "square": _gen_unary("square", lambda r: _mag(r.iv) <= 30),
    "relu": _gen_unary("relu", _any),
    "abs": _gen_unary("abs", _any),
    "add": _gen_binary(_any, _any),
    "sub": _gen_binary(_any, _any),
    "mul": _gen_binary(_any, _any),
    "div": _gen_binary(_any, lambda r: r.lo >= 0.3),
    "pow": _gen_binary(lambda r: r.lo >= 0.3 and r.hi <= 5, lambda r: -2 <= r.lo and r.hi <= 3),
    "maximum": _gen_binary(_any, _any),
    "minimum": _gen_binary(_any, _any),
    "scale": _gen_scale,
    "clamp": _gen_clamp,
    "where": _gen_where,
    "reduce_sum": _gen_reduction,
    "reduce_mean": _gen_reduction,
    "reduce_max": _gen_reduction,
    "reduce_min": _gen_reduction,
    "reduce_logsumexp": _gen_reduction,
    "softmax": _gen_softmax,
    "log_softmax": _gen_softmax,
    "reshape": _gen_reshape,
    "transpose": _gen_transpose,
    "expand_dims": _gen_expand,
    "squeeze": _gen_squeeze,
    "broadcast_to": _gen_broadcast,
    "getitem": _gen_getitem,
    "take_along_axis": _gen_take,
    "concat": _gen_join(False),
    "stack": _gen_join(True),
    "matmul": _gen_matmul,
}
assert set(GENERATORS) == set(OPS)


def _bounds(op, regs, args, attrs, shape):
    ivs = [regs[a].iv for a in args]
    if op == "matmul":
        a, b = (regs[i] for i in args)
        k = a.shape[-1]
        m = k * _mag(a.iv) * _mag(b.iv)
        return _iv(-m, m)
    if op in ("reduce_sum", "reduce_mean", "reduce_max", "reduce_min", "reduce_logsumexp"):
        n = _reduced(regs[args[0]].shape, attrs["axis"])
        return OPS[op].bounds(*ivs, n=n, **attrs)
    if op in ("softmax", "log_softmax"):
        n = regs[args[0]].shape[attrs["dim"]]
        return OPS[op].bounds(*ivs, n=n, **attrs)
    if op == "take_along_axis":
        return ivs[0]
    return OPS[op].bounds(*ivs, **attrs)


def _base_shape(draw):
    rank = draw(st.integers(0, 3))
    return tuple(draw(st.integers(1, 4)) for _ in range(rank))


def _input_shape(draw, base):
    drop = draw(st.integers(0, len(base)))
    shape = base[drop:]
    return tuple(1 if draw(st.integers(0, 3)) == 0 else d for d in shape)


@st.composite
def programs(draw, min_ops=3, max_ops=25, ops=None):
    """A random program of ``min_ops``..``max_ops`` instructions (``ops``: the
    instruction names to use, default all)."""
    names = sorted(ops or OPS)
    seed = draw(st.integers(0, 2 ** 32 - 1))
    rng = np.random.default_rng(seed)
    base = _base_shape(draw)
    n_in = draw(st.integers(1, 3))
    regs, inputs = [], []
    for _ in range(n_in):
        shape = _input_shape(draw, base)
        positive = draw(st.booleans())
        lo, hi = (0.5, 2.0) if positive else (-2.0, 2.0)
        inputs.append(rng.uniform(lo, hi, shape))
        regs.append(_Reg(shape, _iv(lo, hi)))
    n_ops = draw(st.integers(min_ops, max_ops))
    instrs = []
    attempts = 0
    while len(instrs) < n_ops and attempts < 4 * max_ops:
        attempts += 1
        op = draw(st.sampled_from(names))
        made = GENERATORS[op](draw, regs)
        if made is None:
            continue
        args, attrs = made
        shape = _shape_of(op, regs, args, attrs)
        if not _fits(shape):
            continue
        iv = _bounds(op, regs, args, attrs, shape)
        if not (math.isfinite(iv[0]) and math.isfinite(iv[1])) or _mag(iv) > BOUND:
            continue
        instrs.append(Instr(op, args, attrs))
        regs.append(_Reg(shape, iv))
    used = {a for ins in instrs for a in ins.args}
    sinks = [i for i in range(n_in, len(regs)) if i not in used] or [len(regs) - 1]
    weights = [rng.uniform(-1.0, 1.0, regs[s].shape) for s in sinks]
    return Program(inputs, instrs, sinks, weights)
