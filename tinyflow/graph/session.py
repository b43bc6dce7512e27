"""The Session: runs the part of a graph that the fetches need.

``run(fetches, feed_dict)`` finds the ops the fetches depend on (pruning
everything else), orders them, and runs their numpy forwards once each. The
plan for a given (fetches, feeds) pair is compiled once and replayed: a
training loop pays for pruning and ordering only on its first step. Compiling
ends in straight-line Python, one line per op (``Session.plan_source`` shows
it), so replaying a plan costs the numpy calls and little else.

>>> import tinyflow.compat.v1 as tf
>>> tf.reset_default_graph()
>>> x = tf.placeholder(tf.float32, [None], name="x")
>>> y = x * 2
>>> with tf.Session() as sess:
...     sess.run(y, feed_dict={x: [1, 2, 3]})
array([2., 4., 6.], dtype=float32)
"""
import functools
from collections import OrderedDict
from itertools import islice

import numpy as np

from ..base.anomaly import check as _anomaly_check
from ..autodiff import topo_order
from ..base.config import Config, notify
from ..ops.shape_rules import fmt
from ..base.errors import FailedPreconditionError
from ..base.errors import InvalidArgumentError
from .core import Tensor, Operation, get_default_graph
from ..ops.primitive import is_eager

_default_sessions = []
PLAN_CACHE_SIZE = 64      # distinct (fetches, feed keys) pairs remembered per session (LRU)


def get_default_session():
    """The innermost session entered with ``with``, or None."""
    return _default_sessions[-1] if _default_sessions else None


class RunContext:
    """What a stateful op sees when it runs: the session's variables, itself,
    and its random generator."""
    __slots__ = ("session", "variables", "op")

    def __init__(self, session, op):
        self.session = session
        self.variables = session._vars
        self.op = op

    def random(self, op):
        return self.session._random(op)


class Plan:
    """The compiled form of one (fetches, feeds) pair: ops in run order."""

    def __init__(self, ops, steps, n_slots, feed_slots, fetch_slots):
        self.ops = ops                 # the ops that run, in order
        self.steps = steps             # (fn, input slots, output slot, attrs, op, slots to free)
        self.n_slots = n_slots
        self.feed_slots = feed_slots
        self.fetch_slots = fetch_slots
        self.template = None           # per slot: its constant (or variable op), else None
        self.n_feeds = len(feed_slots)
        self.run = None                # run(feed values) -> fetched values: see _codegen
                                       # (written on the first fast run: stepping never needs it)
        self.source = None             # the Python text of run
        self.line_step = {}            # line of source -> index of its step

    def compiled(self):
        """``run``, written and compiled on first use (see _codegen)."""
        return self.run or _codegen(self)

    def fetched(self, vals):
        """The fetched values out of a full list of slot values (the slow path's)."""
        return [None if s is None else vals[s] for s in self.fetch_slots]

    def step_at(self, tb):
        """The step whose line of ``run`` raised (from the exception's traceback), or None."""
        code = self.run.__code__
        while tb is not None:
            if tb.tb_frame.f_code is code:
                k = self.line_step.get(tb.tb_lineno)
                return None if k is None else self.steps[k]
            tb = tb.tb_next
        return None


class Session:
    """Runs graphs. Holds variable values: two sessions on one graph hold separate values.

    >>> import tinyflow.compat.v1 as tf
    >>> sess = tf.Session(); sess.close()
    """

    def __init__(self, target="", graph=None, config=None):
        self.graph = graph or get_default_graph()
        self._vars = {}
        self._rngs = {}
        self._plans = OrderedDict()
        self._closed = False
        self._last_plan = None

    # --- context manager ---
    def __enter__(self):
        _default_sessions.append(self)
        return self

    def __exit__(self, *exc):
        if _default_sessions and _default_sessions[-1] is self:
            _default_sessions.pop()
        self.close()

    def as_default(self):
        return _DefaultSession(self)

    def close(self):
        self._closed = True
        self._plans.clear()

    def plan_source(self, fetches, feed_dict=None):
        """The Python that ``run(fetches, feed_dict)`` executes: one line per op,
        in run order, with a ``del`` after each value's last use. (A tinyflow
        addition, for seeing what "compiling a graph" means.)

        >>> import tinyflow.compat.v1 as tf
        >>> g = tf.Graph()
        >>> with g.as_default():
        ...     x = tf.placeholder(tf.float32, [None], name="x")
        ...     y = tf.exp(x, name="y")
        >>> print(tf.Session(graph=g).plan_source(y, {x: [0.0]}))
        def run(feeds):
            v0, = feeds
            v1 = f0(v0)              # y (Exp)
            del v0
            return (v1, )
        <BLANKLINE>
        """
        flat, _ = _flatten(fetches, self.graph)
        keys, _ = self._feeds(feed_dict)
        plan = self._plan(flat, keys)
        plan.compiled()
        return plan.source

    @property
    def last_pruned(self):
        """The ops of the graph that the last run did not execute (pruned, or fed)."""
        if self._last_plan is None:
            return []
        needed = self._last_plan.needed
        return [op for op in self.graph.get_operations() if op not in needed]

    # --- running ---
    def run(self, fetches, feed_dict=None, options=None, run_metadata=None):
        """Compute ``fetches`` (a tensor, an op, a name, or nested lists, tuples
        and dicts of them); the result has the same structure."""
        if self._closed:
            raise RuntimeError("Attempted to use a closed Session.")
        flat, rebuild = _flatten(fetches, self.graph)
        keys, values = self._feeds(feed_dict)
        plan = self._plan(flat, keys)
        results = self._execute(plan, values)
        return rebuild(iter(results))

    def _feeds(self, feed_dict):
        if not feed_dict:
            return (), ()
        keys, values = [], []
        for key, value in feed_dict.items():
            t = self._feed_key(key)
            keys.append(t)
            values.append(_check_feed(t, value))
        return tuple(keys), tuple(values)

    def _feed_key(self, key):
        if isinstance(key, Tensor):
            if key.graph is not self.graph:
                raise ValueError(f"Cannot feed {key.name}: it is not an element of this session's graph")
            return key
        if isinstance(key, str):
            if ":" not in key:
                raise TypeError(f"Cannot interpret feed_dict key as Tensor: The name '{key}' refers "
                                f"to an Operation, not a Tensor. Tensor names must be of the form "
                                f"\"<op_name>:<output_index>\".")
            return self.graph.get_tensor_by_name(key)
        if hasattr(key, "_as_graph_tensor"):
            return key._as_graph_tensor()
        raise TypeError(f"Cannot interpret feed_dict key as Tensor: a {type(key).__name__} "
                        f"({key!r}) is not a tensor of the graph; feed_dict keys are placeholders "
                        f"(or their names, like 'x:0')")

    def _plan(self, fetches, feed_keys):
        key = (tuple(map(id, fetches)), tuple(map(id, feed_keys)))
        plan = self._plans.get(key)
        if plan is not None:
            self._plans.move_to_end(key)
        else:
            plan = self._compile(fetches, feed_keys)
            self._plans[key] = plan
            if len(self._plans) > PLAN_CACHE_SIZE:
                self._plans.popitem(last=False)
        self._last_plan = plan
        return plan

    def _compile(self, fetches, feed_keys):
        fed = set(feed_keys)

        def parents(op):
            refs = op.prim.ref_inputs
            deps = [t.node for i, t in enumerate(op.inputs) if i not in refs and t not in fed]
            return deps + list(op.control_inputs)

        targets = [f.node if isinstance(f, Tensor) else f for f in fetches]
        ops = [op for op in topo_order(targets, parents)
               if not (op.outputs and op.outputs[0] in fed)]
        slot = {}
        for t in feed_keys:
            slot[t] = len(slot)
        for op in ops:
            for t in op.outputs:
                slot[t] = len(slot)
        # Constants need no step: their values are in place before the run starts.
        # So are the variables that assign ops update (passed as the op itself).
        consts = {slot[op.outputs[0]]: op.attrs["value"] for op in ops if op.type == "Const"}
        steps = []
        for op in ops:
            if op.type == "Const":
                continue
            prim = op.prim
            ins = []
            for i, t in enumerate(op.inputs):
                if i in prim.ref_inputs:
                    consts[len(slot)] = t.node
                    slot[("ref", op, i)] = len(slot)
                    ins.append(len(slot) - 1)
                else:
                    ins.append(slot[t])
            if prim.stateful:
                fn = functools.partial(prim.forward, RunContext(self, op))
            else:
                fn = prim.forward
            out = slot[op.outputs[0]] if op.outputs else None
            steps.append([fn, tuple(ins), out, op.attrs, op, ()])
        for t in fetches:
            if isinstance(t, Tensor) and t not in slot:
                slot[t] = len(slot)
        fetch_slots = [slot[f] if isinstance(f, Tensor) else None for f in fetches]
        _free_after_last_use(steps, set(fetch_slots) | set(consts))
        steps = [tuple(s) for s in steps]
        plan = Plan(ops, steps, len(slot), list(range(len(feed_keys))), fetch_slots)
        plan.template = [consts.get(i) for i in range(len(slot))]
        plan.needed = set(ops)
        return plan

    def _execute(self, plan, feed_values):
        if self.graph._hooked or Config.observers or Config.anomaly:
            fetched = self._execute_observed(plan, feed_values)
        else:
            try:
                fetched = plan.compiled()(feed_values)
            except Exception as e:
                step = plan.step_at(e.__traceback__)
                if step is None:
                    raise
                raise _run_error(step[4], e) from None
        return self._results(fetched)

    def _results(self, fetched):
        """The fetched values, never aliasing a variable's storage (updated in place)."""
        stored = None
        out = []
        for v in fetched:
            if v.__class__ is np.ndarray:
                if v.base is None and stored is None:
                    stored = {id(a) for a in self._vars.values()}
                if v.base is not None or id(v) in stored:
                    v = v.copy()
                v = _scalar(v)
            out.append(v)
        return out

    def _execute_observed(self, plan, feed_values):
        """The plan's steps one by one, telling hooks, observers and anomaly mode
        about each op (the slow path; ``plan.run`` is the fast one)."""
        vals = plan.template.copy()
        vals[:len(feed_values)] = feed_values
        for step in plan.steps:
            self._run_step(step, vals)
        return plan.fetched(vals)

    def _run_step(self, step, vals):
        """Run one op of a plan (with its hooks); returns (input values, output)."""
        fn, ins, out, attrs, op, free = step
        args = [vals[i] for i in ins]
        hooks = op.hooks or {}
        for h in list(hooks.get("pre", {}).values()):
            h(op, args)
        try:
            value = fn(*args, **attrs)
        except Exception as e:
            raise _run_error(op, e) from None
        for h in list(hooks.get("post", {}).values()):
            r = h(op, args, value)
            if r is not None:
                value = np.asarray(r)
        if Config.anomaly and out is not None and value is not None:
            _anomaly_check(value, f"the output '{op.name}:0'", op.type, op.site)
        if out is not None:
            vals[out] = value
        for i in free:
            vals[i] = None
        if Config.observers:
            notify("op", prim=op.prim, op=op, inputs=args, output=value, node=op,
                   mode="session", session=self)
        return args, value

    def _random(self, op):
        g = self._rngs.get(op)
        if g is None:
            g = self._rngs[op] = np.random.default_rng(op.attrs.get("seed"))
        return g


def _codegen(plan):
    """Write the plan as one straight-line Python function and compile it.

    Each op becomes a line ``v7 = f3(v5, v6)`` (``f3`` is its numpy forward,
    ``v5`` a value slot); a ``del`` follows the last use of each value, so
    numpy can reuse its memory. Constants and variable references are the
    function's globals. Running it avoids an interpreter loop over the steps
    (list building and indexing, about half a microsecond per op)::

        def run(feeds):
            v0, v1, = feeds
            v2 = f0(**a0)            # fc1/kernel (VariableV2)
            v3 = f1(v0, v2)          # fc1/MatMul (MatMul)
            del v2
            ...
            return (None, v17, )
    """
    env = {"__name__": __name__}         # numpy warnings from it count as tinyflow's own
    lines = ["def run(feeds):"]
    n_feeds = plan.n_feeds
    if n_feeds:
        lines.append("    " + "".join(f"v{i}, " for i in range(n_feeds)) + "= feeds")
    local = set(range(n_feeds))

    def name(i):
        if i not in local:                # a constant or a variable reference
            env[f"v{i}"] = plan.template[i]
        return f"v{i}"

    for k, (fn, ins, out, attrs, op, free) in enumerate(plan.steps):
        env[f"f{k}"] = fn
        args = [name(i) for i in ins]
        if attrs:
            env[f"a{k}"] = attrs
            args.append(f"**a{k}")
        call = f"f{k}({', '.join(args)})"
        code = call if out is None else f"v{out} = {call}"
        if op.type == "NoOp":             # nothing to compute: it only orders its control inputs
            code = "pass"
        label = " ".join(f"{op.name} ({op.type})".split())
        lines.append(f"    {code:<24} # {label}")
        plan.line_step[len(lines)] = k
        if out is not None:
            local.add(out)
        dead = [f"v{i}" for i in free if i in local]
        if dead:
            lines.append(f"    del {', '.join(dead)}")
    fetched = ["None" if s is None else name(s) for s in plan.fetch_slots]
    lines.append(f"    return ({''.join(f + ', ' for f in fetched)})")
    plan.source = "\n".join(lines) + "\n"
    exec(compile(plan.source, f"<tinyflow plan: {len(plan.steps)} ops>", "exec"), env)
    plan.run = env["run"]
    return plan.run


def _free_after_last_use(steps, keep):
    """Give each step the value slots that no later step reads (fetches are kept)."""
    last = {}
    for k, step in enumerate(steps):
        for i in step[1]:
            last[i] = k
    for i, k in last.items():
        if i not in keep:
            steps[k][5] += (i,)


def _scalar(v):
    # TensorFlow hands back numpy scalars for 0-d results (prints as 0.5, not array(0.5)).
    if isinstance(v, np.ndarray) and v.ndim == 0:
        return v.tobytes() if v.dtype.kind == "S" else v[()]   # bytes keep trailing NULs
    return v


def _run_error(op, err):
    if isinstance(err, (FailedPreconditionError, InvalidArgumentError)):
        return err                       # already say what and where
    where = f"\nThe op was built at:\n  {op.site}" if op.site else ""
    return type(err)(f"{err}\n  while running op '{op.name}' ({op.type}){where}") \
        if isinstance(err, (ValueError, TypeError, IndexError, RuntimeError)) else err


def _check_feed(t, value):
    if value.__class__ is np.ndarray and value.dtype == t.dtype:
        arr = value
    else:
        if is_eager(value):
            value = value.data
        try:
            arr = np.asarray(value, dtype=t.dtype)
        except (ValueError, TypeError) as e:
            raise TypeError(f"Cannot feed value for Tensor '{t.name}' of dtype {t.dtype.name}: "
                            f"{e}") from None
    want = t._shape
    if want is not None:
        ok = len(want) == arr.ndim and all(w is None or w == d for w, d in zip(want, arr.shape))
        if not ok:
            raise ValueError(f"Cannot feed value of shape {arr.shape} for Tensor '{t.name}', which "
                             f"has shape '{fmt(want)}'")
    return arr


def _flatten(fetches, graph):
    """Nested fetches -> a flat list of tensors/ops, and a function that puts
    results back into the same nesting."""
    if fetches.__class__ in (list, tuple) and all(
            isinstance(f, (Tensor, Operation)) and f.graph is graph for f in fetches):
        kind, n = fetches.__class__, len(fetches)      # the common case: a flat list of them
        return list(fetches), lambda it: kind(islice(it, n))
    if isinstance(fetches, (list, tuple)) and not _is_leaf(fetches):
        parts = [_flatten(f, graph) for f in fetches]
        flat = [x for p, _ in parts for x in p]
        is_named = hasattr(fetches, "_fields")

        def rebuild(it):
            items = [r(it) for _, r in parts]
            return type(fetches)(*items) if is_named else type(fetches)(items)
        return flat, rebuild
    if isinstance(fetches, dict):
        keys = list(fetches)
        parts = [_flatten(fetches[k], graph) for k in keys]
        flat = [x for p, _ in parts for x in p]

        def rebuild(it):
            return type(fetches)((k, r(it)) for k, (_, r) in zip(keys, parts))
        return flat, rebuild
    leaf = _as_fetch(fetches, graph)
    return [leaf], lambda it: next(it)


def _is_leaf(x):
    return False


def _as_fetch(f, graph):
    if isinstance(f, (Tensor, Operation)):
        if f.graph is not graph:
            raise ValueError(f"Fetch argument {f.name!r} is not an element of this session's graph")
        return f
    if isinstance(f, str):
        return graph.as_graph_element(f)
    if hasattr(f, "_as_graph_tensor"):
        return f._as_graph_tensor()
    if f is None:
        raise TypeError("Fetch argument None has invalid type <class 'NoneType'>")
    raise TypeError(f"Fetch argument {f!r} has invalid type {type(f).__name__}: fetch a tensor, "
                    f"an op, or their name")


class _DefaultSession:
    def __init__(self, session):
        self.session = session

    def __enter__(self):
        _default_sessions.append(self.session)
        return self.session

    def __exit__(self, *exc):
        _default_sessions.remove(self.session)


class InteractiveSession(Session):
    """A session that makes itself the default on creation (for notebooks)."""

    def __init__(self, target="", graph=None, config=None):
        super().__init__(target, graph, config)
        _default_sessions.append(self)

    def close(self):
        super().close()
        if self in _default_sessions:
            _default_sessions.remove(self)
