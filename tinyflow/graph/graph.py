"""Graphs: define the computation first, run it later in a Session.

A ``Graph`` holds ``Operation`` nodes. Each op is one primitive of the registry
(the same ``MatMul`` the eager tape runs) with its inputs, attributes and a
static shape; its output is a ``SymbolicTensor`` named ``"op_name:0"``. Ops
get unique names, prefixed by the name scopes they were built in.

>>> import tinyflow as tf
>>> g = tf.Graph()
>>> with g.as_default():
...     x = tf.placeholder(tf.float32, [None, 3], name="x")
...     y = tf.matmul(x, tf.ones([3, 2]))
>>> y
<tf.Tensor 'MatMul:0' shape=(?, 2) dtype=float32>
"""
import contextlib
import re

from ..autodiff import next_seq
from ..base import display
from ..base.config import Config, notify
from ..base.defaults import DefaultStack
from ..base.hooks import RemovableHandle
from ..base.source import user_site
from ..ops.primitive import interpreters
from .tensor import SymbolicTensor, default_sessions


class Operation:
    """A node of a graph: a primitive, its input tensors and attributes."""

    def __init__(self, graph, prim, name, inputs, attrs, shape, dtype, control_inputs=()):
        self.graph = graph
        self.prim = prim
        self.name = name
        self.inputs = tuple(inputs)
        self.attrs = attrs
        self.control_inputs = tuple(control_inputs)
        if prim.name == "NoOp":
            self.outputs = ()
        elif prim.multi_output:             # cond, while_loop: one tensor per output
            self.outputs = tuple(SymbolicTensor(self, i, s, d)
                                 for i, (s, d) in enumerate(zip(shape, dtype)))
        else:
            self.outputs = (SymbolicTensor(self, 0, shape, dtype),)
        self.site = None          # the user's line that built it
        self.hooks = None         # debug hooks fired when a session runs it
        self.seq = next_seq()     # creation order: a topological order of the graph

    @property
    def type(self):
        return self.prim.name

    def _add_hook(self, kind, fn):
        if self.hooks is None:
            self.hooks = {}
        self.graph.mark_hooked()
        return RemovableHandle(self.hooks.setdefault(kind, {}), fn)

    def set_output(self, tensor):
        """Make ``tensor`` this op's output (a Variable is its VariableV2 op's output)."""
        self.outputs = (tensor,)

    def replace_input(self, old, new):
        if any(t is old for t in self.inputs):
            self.inputs = tuple(new if t is old else t for t in self.inputs)

    def register_forward_pre_hook(self, hook):
        """``hook(op, input_values)`` is called when a Session is about to run this op."""
        return self._add_hook("pre", hook)

    def register_forward_hook(self, hook):
        """``hook(op, input_values, output_value)`` after a Session ran this op; a
        returned value replaces the output."""
        return self._add_hook("post", hook)

    def __repr__(self):
        return f"<tf.Operation '{self.name}' type={self.type}>"

    def run(self, feed_dict=None, session=None):
        session = session or default_sessions.current()
        if session is None:
            raise ValueError(f"run(): no session given and no default session to run "
                             f"'{self.name}' in: use `with tf.Session() as sess:` or pass session=")
        session.run(self, feed_dict)


_NAME_RE = re.compile(r"^[A-Za-z0-9.][A-Za-z0-9_.\-/]*$")


class Graph:
    """A TensorFlow-1 style graph: ops with unique names, built now, run later.

    >>> import tinyflow.compat.v1 as tf
    >>> g = Graph()
    >>> with g.as_default():
    ...     a = tf.constant(1.0, name="a")
    >>> g.get_tensor_by_name("a:0") is a
    True
    """

    def __init__(self, name=None):
        self.name = name          # a traced function's graph is named after it
        self._ops = []
        self._by_name = {}
        self._names_used = {}
        self._scope = ""
        self._control = []
        self.collections = {}
        self.seed = None
        self._version = 0
        self._captures = {}
        self._hooked = False      # an op has debug hooks: sessions run their plans step by step
        self._random_ops = 0
        self._stores = {}         # key -> what a higher layer keeps with this graph (``store``)

    # --- building ---
    @contextlib.contextmanager
    def as_default(self):
        """Make this the default graph; ops built inside go into it."""
        prev = interpreters.building
        interpreters.building = self
        try:
            with default_graphs.pushed(self):
                yield self
        finally:
            interpreters.building = prev

    def unique_name(self, name, mark_as_used=True):
        """``name`` inside the current scope, with ``_1``, ``_2``... if taken."""
        full = f"{self._scope}{name}" if self._scope else name
        key = full.lower()
        n = self._names_used.get(key, 0)
        unique = full
        if n:
            while f"{full}_{n}".lower() in self._names_used:
                n += 1
            unique = f"{full}_{n}"
        if mark_as_used:
            self._names_used[key] = n + 1
            self._names_used.setdefault(unique.lower(), 1)
        return unique

    @contextlib.contextmanager
    def name_scope(self, name):
        """Prefix op names with ``name/`` (uniquified: a second "fc" is "fc_1")."""
        old = self._scope
        if name is None or name == "":
            self._scope = ""
        elif name.endswith("/"):
            self._scope = name
        else:
            self._scope = self.unique_name(name) + "/"
        try:
            yield self._scope
        finally:
            self._scope = old

    @contextlib.contextmanager
    def control_dependencies(self, control_inputs):
        """Ops built inside run only after ``control_inputs``."""
        if control_inputs is None:
            saved, self._control = self._control, []
            try:
                yield
            finally:
                self._control = saved
            return
        ops = [c.node if isinstance(c, SymbolicTensor) else c for c in control_inputs]
        self._control.append(ops)
        try:
            yield
        finally:
            self._control.pop()

    def create_op(self, prim, inputs, attrs, shape, dtype, name=None, site=True, exact=False):
        """Add an op. ``name`` is made unique within the current scope, unless
        ``exact`` (an already unique, absolute name)."""
        base = name or prim.name
        if not _NAME_RE.match(base):
            raise ValueError(f"'{base}' is not a valid op name (letters, digits, '_', '.', '-', '/')")
        if exact:
            if base in self._by_name:
                raise ValueError(f"an op named '{base}' already exists in this graph")
            unique = base
            self._names_used.setdefault(base.lower(), 1)
        else:
            unique = self.unique_name(base)
        control = [op for group in self._control for op in group]
        op = Operation(self, prim, unique, inputs, attrs, shape, dtype, control)
        if site:
            op.site = user_site()
        self._ops.append(op)
        self._by_name[unique] = op
        self._version += 1
        if Config.observers:
            notify("graph_op", op=op)
        return op

    def encloses(self, graph):
        """May ops built here use tensors of ``graph``? (Its own; a function graph
        -- a cond branch, a loop body -- also those of the graphs around it.)"""
        return graph is self

    @property
    def outermost(self):
        """The graph a Session runs: this one (a function graph's is its outer graph's)."""
        return self

    def mark_hooked(self):
        """An op got a debug hook: sessions then run plans with the step-by-step loop."""
        self._hooked = True

    def next_op_seed(self):
        """The seed of a new random op without one of its own: from the graph seed
        (``set_random_seed``) and a count of the graph's random ops, so each op
        differs; without a graph seed, None."""
        if self.seed is None:
            return None
        self._random_ops += 1
        return (self.seed * 1_000_003 + self._random_ops) % 2 ** 31

    def replace_tensor(self, old, new):
        """Make ``new`` the output of ``old``'s op, and every input that was ``old``
        ``new`` (a Variable wrapping the output of its VariableV2 op)."""
        old.node.set_output(new)
        for op in self._ops:
            op.replace_input(old, new)

    def rename(self, op, name):
        """Give the op just built the name the user asked for (TF's ``name=``)."""
        if op.graph is not self or self._by_name.get(op.name) is not op:
            return op
        del self._by_name[op.name]
        op.name = self.unique_name(name)
        self._by_name[op.name] = op
        return op

    # --- looking things up ---
    def get_operations(self):
        return list(self._ops)

    def get_operation_by_name(self, name):
        try:
            return self._by_name[name]
        except KeyError:
            raise KeyError(f"The name '{name}' refers to an Operation not in the graph.") from None

    def get_tensor_by_name(self, name):
        if ":" not in name:
            raise ValueError(f"The name '{name}' looks like an Operation name, not a Tensor name; "
                             f"tensor names look like '{name}:0'")
        op_name, _, index = name.rpartition(":")
        op = self._by_name.get(op_name)
        if op is None or not index.isdigit() or int(index) >= len(op.outputs):
            raise KeyError(f"The name '{name}' refers to a Tensor which does not exist. "
                           f"The operation, '{op_name}', does not exist in the graph."
                           if op is None else f"The name '{name}' refers to a Tensor which does "
                           f"not exist: '{op_name}' has {len(op.outputs)} output(s).")
        return op.outputs[int(index)]

    def as_graph_element(self, obj):
        """A name string, tensor, op or Variable -> the tensor or op it names."""
        if isinstance(obj, str):
            return self.get_tensor_by_name(obj) if ":" in obj else self.get_operation_by_name(obj)
        if isinstance(obj, (SymbolicTensor, Operation)):
            if obj.graph is not self:
                raise ValueError(f"{obj.name} is not an element of this graph")
            return obj
        raise TypeError(f"Can not convert a {type(obj).__name__} into a Tensor or Operation.")

    def add_to_collection(self, name, value):
        self.collections.setdefault(name, []).append(value)

    def get_collection(self, name, scope=None):
        items = self.collections.get(name, [])
        if scope:
            items = [v for v in items if v.name.startswith(scope)]
        return list(items)

    def store(self, key, make):
        """The object a higher layer keeps with this graph under ``key``, made by
        ``make()`` the first time it is asked for. (``tf.variable_scope`` keeps its
        scopes and variables here: they live and die with the graph, and the graph
        knows nothing of what they are.)

        >>> g = Graph()
        >>> g.store("notes", list) is g.store("notes", list)
        True
        """
        found = self._stores.get(key)
        if found is None:
            found = self._stores[key] = make()
        return found

    def __len__(self):
        return len(self._ops)

    def __bool__(self):          # an empty graph is still a graph (``graph or default`` idioms)
        return True

    def __repr__(self):
        return f"<tinyflow.Graph with {len(self._ops)} ops>"

    def _repr_mimebundle_(self, include=None, exclude=None):
        return display.mimebundle(self, include, exclude)      # drawn, once viz is loaded


# The graph ops go into: the innermost ``with g.as_default():``, else the global one.
default_graphs = DefaultStack(global_default=Graph)


def get_default_graph():
    """The graph ops go into: the innermost ``as_default()`` one, or the global default."""
    return default_graphs.current()


def reset_default_graph():
    """Start over with an empty default graph (a notebook cell that builds a model
    should begin with this, so re-running it does not add a second copy)."""
    if default_graphs.entered:
        raise AssertionError("reset_default_graph() cannot be called inside a "
                             "`with graph.as_default():` block")
    default_graphs.reset_global()
    default_sessions.clear()


@contextlib.contextmanager
def building(graph=None):
    """Build into ``graph`` (default: the default graph) even outside ``as_default``."""
    g = graph or get_default_graph()
    prev = interpreters.building
    interpreters.building = g
    try:
        yield g
    finally:
        interpreters.building = prev


def building_near(graph):
    """Build into the graph being built if it may use ``graph``'s tensors (``graph``
    itself, or a cond branch or loop body inside it), else into ``graph``:
    ``v.assign(1)`` inside a loop body is an op of the body."""
    current = interpreters.building
    return building(current if current is not None and current.encloses(graph) else graph)


def name_scope(name):
    """Prefix the names of ops built inside with ``name/``."""
    return get_default_graph().name_scope(name)


def control_dependencies(control_inputs):
    return get_default_graph().control_dependencies(control_inputs)
