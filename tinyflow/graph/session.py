"""The Session: runs the part of a graph that the fetches need.

``sess.run(fetches, feed_dict)`` does three things:

1. checks the feeds (each placeholder gets a value of its dtype and shape);
2. finds the *plan* for these fetches and feeds: the ops they need, in order,
   everything else pruned (plan.py; made once per (fetches, feeds) and cached,
   so a training loop pays for it only on its first step);
3. runs the plan: the loop in ``_interpret`` below calls each op's numpy
   forward on the values of its inputs, one op after another.

Step 3 is usually done by the plan compiled to straight-line Python
(compile.py), which runs the same forwards in the same order, faster.
A Session also holds the values of the graph's variables: two sessions on one
graph hold separate values.

>>> import tinyflow.compat.v1 as tf
>>> tf.reset_default_graph()
>>> x = tf.placeholder(tf.float32, [None], name="x")
>>> y = x * 2
>>> with tf.Session() as sess:
...     sess.run(y, feed_dict={x: [1, 2, 3]})
array([2., 4., 6.], dtype=float32)
"""
import functools
import re
from collections import OrderedDict
from collections.abc import Mapping

import numpy as np

from ..base.anomaly import check as _anomaly_check
from ..base.config import Config, notify
from ..base.errors import FailedPreconditionError, InvalidArgumentError
from . import compile as _compile
from .feeds import check_feed, feed_key, flatten_fetches
from .graph import Graph, get_default_graph
from .plan import make_plan
from .tensor import default_sessions
from ..ops.shape_rules import fmt

PLAN_CACHE_SIZE = 64      # distinct (fetches, feed keys) pairs remembered per session (LRU)


def get_default_session():
    """The innermost session entered with ``with``, or None."""
    return default_sessions.current()


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


class Session:
    """Runs graphs, and holds the values of their variables.

    >>> import tinyflow.compat.v1 as tf
    >>> sess = tf.Session(); sess.close()
    """

    def __init__(self, target="", graph=None, config=None):
        if graph is not None and not isinstance(graph, Graph):
            raise TypeError(f"Argument `graph` must be a tf.Graph, but got "
                            f'"{type(graph).__name__}"')
        self.graph = graph or get_default_graph()
        self._vars = {}                  # variable op -> its current array
        self._rngs = {}
        self._plans = OrderedDict()
        self._closed = False
        self._last_plan = None

    # --- running ---
    def run(self, fetches, feed_dict=None, options=None, run_metadata=None):
        """Compute ``fetches`` (a tensor, an op, a name, or nested lists, tuples
        and dicts of them); the result has the same structure."""
        plan, start, rebuild = self.prepare(fetches, feed_dict)
        return rebuild(self._results(self._execute(plan, start, self.graph)))

    def _execute(self, plan, start, graph):
        if Config.compile_plans and not self._watched(graph):
            return _compile.run_compiled(plan, start, _run_error)
        return self._interpret(plan, start)

    def call(self, fetches, feeds, values, graph):
        """Run a function graph of a control-flow op (a branch of a cond, the body
        of a while loop): the values of ``fetches`` given ``values`` for the
        tensors ``feeds``. Its plan is made once and cached like any run's."""
        plan = self._plan(fetches, feeds, remember=False)
        return self._execute(plan, values, graph)

    def _interpret(self, plan, feed_values):
        """The interpreter: every step of the plan, in order."""
        values = plan.start(feed_values)
        for step in plan.steps:
            self.run_step(step, values)
        return plan.fetched(values)

    def run_step(self, step, values):
        """Run one op of a plan: read its inputs from ``values``, call its forward
        (and its hooks), store its output. Returns (input values, output)."""
        op = step.op
        args = [values[i] for i in step.inputs]
        hooks = op.hooks or {}
        for h in list(hooks.get("pre", {}).values()):
            h(op, args)
        try:
            value = step.fn(*args, **step.attrs)
        except Exception as e:
            raise _run_error(op, e) from None
        for h in list(hooks.get("post", {}).values()):
            r = h(op, args, value)
            if r is not None:
                value = np.asarray(r)
        out = step.output
        if out.__class__ is tuple:         # several outputs (cond, while_loop)
            for k, (slot, v) in enumerate(zip(out, value)):
                if Config.anomaly and isinstance(v, np.ndarray):
                    _anomaly_check(v, f"the output '{op.name}:{k}'", op.type, op.site)
                values[slot] = v
        elif out is not None:
            if Config.anomaly and value is not None:
                _anomaly_check(value, f"the output '{op.name}:0'", op.type, op.site)
            values[out] = value
        for i in step.free:
            values[i] = None
        if Config.observers:
            notify("op", prim=op.prim, op=op, inputs=args, output=value, node=op,
                   mode="session", session=self)
        return args, value

    def _watched(self, graph):
        """Do hooks, observers or anomaly mode want to see every op? (Then the loop runs.)"""
        return graph._hooked or Config.observers or Config.anomaly

    def prepare(self, fetches, feed_dict=None):
        """What a run needs before its first op: (the plan, the fed values, and
        ``rebuild(results)`` giving the fetches' structure back)."""
        if self._closed:
            raise RuntimeError("Attempted to use a closed Session.")
        flat, rebuild = flatten_fetches(fetches, self.graph)
        keys, values = self._feeds(feed_dict)
        return self._plan(flat, keys), values, rebuild

    def _feeds(self, feed_dict):
        if feed_dict is not None and not isinstance(feed_dict, Mapping):
            raise TypeError(f"Session.run(): argument 'feed_dict' must be a dictionary "
                            f"{{placeholder: value}}, got {type(feed_dict).__name__}")
        if not feed_dict:
            return (), ()
        keys, values = [], []
        for key, value in feed_dict.items():
            t = feed_key(key, self.graph)
            keys.append(t)
            values.append(check_feed(t, value))
        return tuple(keys), tuple(values)

    def _plan(self, fetches, feed_keys, remember=True):
        key = (tuple(map(id, fetches)), tuple(map(id, feed_keys)))
        plan = self._plans.get(key)
        if plan is not None:
            self._plans.move_to_end(key)
        else:
            plan = make_plan(fetches, feed_keys, self._bind_stateful)
            self._plans[key] = plan
            if len(self._plans) > PLAN_CACHE_SIZE:
                self._plans.popitem(last=False)
        if remember:                 # (``last_pruned`` is about the user's last run)
            self._last_plan = plan
        return plan

    def _bind_stateful(self, op):
        return functools.partial(op.prim.forward, RunContext(self, op))

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

    def _random(self, op):
        g = self._rngs.get(op)
        if g is None:
            g = self._rngs[op] = np.random.default_rng(op.attrs.get("seed"))
        return g

    # --- variables ---
    def variable_value(self, op):
        """The current array of the variable made by ``op``, or None before it is initialized."""
        return self._vars.get(op)

    def variable_values(self):
        """{variable op: its current array}, for every initialized variable."""
        return dict(self._vars)

    def load_variables(self, values):
        """Set variables directly, {variable op: array} (restoring a checkpoint)."""
        self._vars.update(values)

    # --- looking at it ---
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
        plan = self.prepare(fetches, feed_dict)[0]
        return _compile.compiled(plan).source

    @property
    def last_pruned(self):
        """The ops of the graph that the last run did not execute (pruned, or fed)."""
        if self._last_plan is None:
            return []
        needed = self._last_plan.needed
        return [op for op in self.graph.get_operations() if op not in needed]

    # --- as a context manager, and the default session ---
    def __enter__(self):
        default_sessions.push(self)
        return self

    def __exit__(self, *exc):
        default_sessions.remove(self)
        self.close()

    def as_default(self):
        """``with sess.as_default():`` makes it the default (``t.eval()`` runs in it)
        without closing it afterwards."""
        return default_sessions.pushed(self)

    def close(self):
        self._closed = True
        self._plans.clear()


class InteractiveSession(Session):
    """A session that makes itself the default on creation (for notebooks)."""

    def __init__(self, target="", graph=None, config=None):
        super().__init__(target, graph, config)
        default_sessions.push(self)

    def close(self):
        super().close()
        default_sessions.remove(self)


def _scalar(v):
    # TensorFlow hands back numpy scalars for 0-d results (prints as 0.5, not array(0.5)).
    if isinstance(v, np.ndarray) and v.ndim == 0:
        return v.tobytes() if v.dtype.kind == "S" else v[()]   # bytes keep trailing NULs
    return v


def _run_error(op, err):
    """An op's failure, naming the op and the user's line that built it. TensorFlow's
    errors also get what TF's ``OpError`` has: ``message``, ``op``, ``node_def``."""
    if isinstance(err, FailedPreconditionError) and str(err).startswith(_UNINITIALIZED):
        err = _uninitialized(op)
    elif op.type == "SparseSoftmaxCrossEntropyWithLogits" and isinstance(err, IndexError):
        err = _label_rows(op, err)
    if isinstance(err, (FailedPreconditionError, InvalidArgumentError)):
        err.message, err.op, err.node_def = str(err), op, None    # already say what and where
        return err
    where = f"\nThe op was built at:\n  {op.site}" if op.site else ""
    return type(err)(f"{err}\n  while running op '{op.name}' ({op.type}){where}") \
        if isinstance(err, (ValueError, TypeError, IndexError, RuntimeError)) else err


_UNINITIALIZED = "Attempting to use uninitialized value"


def _uninitialized(op):
    """TensorFlow's message for a variable read (or updated) before its initializer ran:
    the variable's name alone on the first line, then what to do."""
    var = op if op.type == "VariableV2" else op.inputs[0].node
    local = var.outputs and any(v is var.outputs[0]
                                for v in var.graph.get_collection("local_variables"))
    init = "tf.local_variables_initializer()" if local else "tf.global_variables_initializer()"
    where = f"\nThe variable was made at:\n  {var.site}" if var.site else ""
    return FailedPreconditionError(f"{_UNINITIALIZED} {var.name}\n\t [[node {op.name}]]\n"
                                   f"Run its initializer first: sess.run({init}){where}")


_LABEL = re.compile(r"target label (-?\d+) is out of range for (\d+) classes")


def _label_rows(op, err):
    """The fused loss reports a label it cannot pick as out of range; when the label is
    in range, the labels outnumber the logits' rows: TensorFlow's message says so."""
    m = _LABEL.search(str(err))
    if m is None or not 0 <= int(m.group(1)) < int(m.group(2)):
        return err
    z, y = (fmt(t._shape) for t in op.inputs[:2])
    return InvalidArgumentError(f"logits and labels must have the same first dimension, got "
                                f"more labels than logits rows (logits {op.inputs[0].name} of "
                                f"shape {z}, labels {op.inputs[1].name} of shape {y})\n\t "
                                f"[[node {op.name}]]")
