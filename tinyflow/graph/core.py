"""Graphs: define the computation first, run it later in a Session.

A ``Graph`` holds ``Operation`` nodes. Each op is one primitive of the registry
(the same ``MatMul`` the eager tape runs) with its inputs, attributes and a
static shape; its output is a symbolic ``Tensor`` named ``"op_name:0"``.

Building is the graph interpreter of the registry: ``build`` checks shapes and
dtypes *now*, at the line that wrote the op, and adds a node. Nothing is
computed until ``Session.run``.

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

import numpy as np

from ..autodiff import next_seq
from ..base.config import Config
from ..ops import state as S
from ..ops.methods import TensorMethods
from ..ops.primitive import SYMBOLIC, interpreters, is_eager
from ..base.errors import ShapeError
from ..ops.shape_rules import fmt
from ..base.source import user_site


class TensorShape:
    """A static shape: dims are ints or None (unknown); the rank may be unknown too.

    >>> TensorShape((None, 784))
    TensorShape([None, 784])
    >>> str(TensorShape((None, 784)))
    '(?, 784)'
    """
    __slots__ = ("dims",)

    def __init__(self, dims):
        self.dims = None if dims is None else tuple(None if d is None else int(d) for d in dims)

    @property
    def rank(self):
        return None if self.dims is None else len(self.dims)

    ndims = rank

    def as_list(self):
        if self.dims is None:
            raise ValueError("as_list() is not defined on an unknown TensorShape")
        return list(self.dims)

    def is_fully_defined(self):
        return self.dims is not None and None not in self.dims

    def _need_rank(self):
        if self.dims is None:
            raise ValueError("this shape has unknown rank")
        return self.dims

    def __iter__(self):
        return iter(self._need_rank())

    def __len__(self):
        return len(self._need_rank())

    def __getitem__(self, i):
        return self._need_rank()[i]

    def __eq__(self, other):
        if isinstance(other, TensorShape):
            return self.dims == other.dims
        if isinstance(other, (tuple, list)):
            return self.dims is not None and self.dims == tuple(other)
        return NotImplemented

    def __hash__(self):
        return hash(self.dims)

    def __repr__(self):
        return "TensorShape(None)" if self.dims is None else f"TensorShape({list(self.dims)})"

    def __str__(self):
        return fmt(self.dims)


class Tensor(TensorMethods):
    """A symbolic tensor: the output of an op in a graph. It has a name, a
    static shape and a dtype, but no value until a Session runs it."""
    __slots__ = ("node", "index", "_shape", "dtype", "__weakref__")
    value_kind = SYMBOLIC

    def __init__(self, op, index, shape, dtype):
        self.node = op
        self.index = index
        self._shape = shape          # a tuple with None for unknown dims, or None
        self.dtype = dtype

    @property
    def op(self):
        return self.node

    @property
    def name(self):
        return f"{self.node.name}:{self.index}"

    @property
    def graph(self):
        return self.node.graph

    @property
    def shape(self):
        return TensorShape(self._shape)

    def get_shape(self):
        return self.shape

    @property
    def ndim(self):
        if self._shape is None:
            raise ShapeError(f"{self.name} has unknown rank")
        return len(self._shape)

    def register_hook(self, hook):
        """Call ``hook(grad)`` with this tensor's gradient when a Session runs the
        gradient graph (built later by ``gradients``); it may return a replacement."""
        return self.node._add_hook("grad", hook)

    def consumers(self):
        return [op for op in self.graph.get_operations() if self in op.inputs]

    def eval(self, feed_dict=None, session=None):
        """Run this tensor in ``session`` (or the default session)."""
        from .session import get_default_session
        session = session or get_default_session()
        if session is None:
            raise ValueError("eval(): no session given and no default session: use "
                             "`with tf.Session() as sess:` or pass session=")
        return session.run(self, feed_dict)

    def _no_value(self, what):
        return TypeError(f"{what} of the symbolic tensor {self.name}: it has no value while the "
                         f"graph is being built (values exist only when a Session or a "
                         f"tinyflow.function call runs the graph)")

    def __bool__(self):
        raise TypeError(f"using the symbolic tensor {self.name} as a Python bool is not allowed: "
                        f"it has no value while the graph is being built; for a choice that "
                        f"depends on values use tinyflow.where(cond, a, b)")

    def item(self):
        raise self._no_value("item()")

    def numpy(self):
        raise self._no_value("numpy()")

    def tolist(self):
        raise self._no_value("tolist()")

    def __float__(self):
        raise self._no_value("float()")

    def __int__(self):
        raise self._no_value("int()")

    def __index__(self):
        raise self._no_value("using as an index")

    def backward(self, *args, **kwargs):
        raise TypeError(f"backward() on the symbolic tensor {self.name}: graphs build their "
                        f"gradients as nodes -- use tinyflow.gradients(y, xs) in a graph, or a "
                        f"GradientTape inside tinyflow.function")

    def __iter__(self):
        raise TypeError(f"the symbolic tensor {self.name} is not iterable while the graph is built")

    def __len__(self):
        if self._shape is None or not self._shape or self._shape[0] is None:
            raise TypeError(f"len() of {self.name} is unknown (shape {fmt(self._shape)})")
        return self._shape[0]

    def __repr__(self):
        return f"<tf.Tensor '{self.name}' shape={fmt(self._shape)} dtype={self.dtype.name}>"

    def __array__(self, dtype=None, copy=None):
        raise TypeError(f"cannot convert the symbolic tensor {self.name} to a numpy array: it has "
                        f"no value until sess.run({self.name!r}) computes one")


class Operation:
    """A node of a graph: a primitive, its input tensors and attributes."""

    def __init__(self, graph, prim, name, inputs, attrs, shape, dtype, control_inputs=()):
        self.graph = graph
        self.prim = prim
        self.name = name
        self.inputs = tuple(inputs)
        self.attrs = attrs
        self.control_inputs = tuple(control_inputs)
        self.outputs = () if prim.name == "NoOp" else (Tensor(self, 0, shape, dtype),)
        self.site = None          # the user's line that built it
        self.hooks = None         # debug hooks fired when a session runs it
        self.seq = next_seq()     # creation order: a topological order of the graph

    @property
    def type(self):
        return self.prim.name

    def _add_hook(self, kind, fn):
        from ..base.hooks import RemovableHandle
        if self.hooks is None:
            self.hooks = {}
        self.graph._hooked = True          # sessions switch to the loop that calls hooks
        return RemovableHandle(self.hooks.setdefault(kind, {}), fn)

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
        from .session import get_default_session
        (session or get_default_session()).run(self, feed_dict)


_NAME_RE = re.compile(r"^[A-Za-z0-9.][A-Za-z0-9_.\-/]*$")


class Graph:
    """A TensorFlow-1 style graph: ops with unique names, built now, run later.

    >>> g = Graph()
    >>> with g.as_default():
    ...     a = constant(1.0, name="a")
    >>> g.get_tensor_by_name("a:0") is a
    True
    """

    def __init__(self):
        self._ops = []
        self._by_name = {}
        self._names_used = {}
        self._scope = ""
        self._control = []
        self.collections = {}
        self.seed = None
        self._version = 0
        self._captures = {}
        self._hooked = False

    # --- building ---
    @contextlib.contextmanager
    def as_default(self):
        """Make this the default graph; ops built inside go into it."""
        _stack.append(self)
        prev = interpreters.building
        interpreters.building = self
        try:
            yield self
        finally:
            interpreters.building = prev
            _stack.pop()

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
        ops = [c.node if isinstance(c, Tensor) else c for c in control_inputs]
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
            from ..base.config import notify
            notify("graph_op", op=op)
        return op

    def _rename(self, op, name):
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
        if isinstance(obj, (Tensor, Operation)):
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

    def __len__(self):
        return len(self._ops)

    def __bool__(self):          # an empty graph is still a graph (``graph or default`` idioms)
        return True

    def __repr__(self):
        return f"<tinyflow.Graph with {len(self._ops)} ops>"

    def _repr_mimebundle_(self, include=None, exclude=None):
        from ..viz import draw
        return draw(self)._repr_mimebundle_(include, exclude)


_stack = []
_default = [Graph()]


def get_default_graph():
    """The graph ops go into: the innermost ``as_default()`` one, or the global default."""
    return _stack[-1] if _stack else _default[0]


def reset_default_graph():
    """Start over with an empty default graph (a notebook cell that builds a model
    should begin with this, so re-running it does not add a second copy)."""
    if _stack:
        raise AssertionError("reset_default_graph() cannot be called inside a "
                             "`with graph.as_default():` block")
    _default[0] = Graph()
    from . import session
    session._default_sessions.clear()


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


def name_scope(name):
    """Prefix the names of ops built inside with ``name/``."""
    return get_default_graph().name_scope(name)


def control_dependencies(control_inputs):
    return get_default_graph().control_dependencies(control_inputs)


# --- the graph interpreter ------------------------------------------------------

def _graph_of(args):
    g = interpreters.building
    for a in args:
        if isinstance(a, Tensor):
            if g is None:
                g = a.graph
            elif a.graph is not g:
                raise ValueError(f"Tensor {a.name} must be from the same graph as the other inputs "
                                 f"(it belongs to another Graph; did you call reset_default_graph() "
                                 f"after building it?)")
    return g


def _const_dtype(value, hint):
    arr = np.asarray(value)
    if isinstance(value, (bool, int, float)) and not isinstance(value, np.generic):
        if hint is not None and np.result_type(hint, value) == hint:
            return arr.astype(hint)          # 2.0 next to a float32 tensor is float32
    if arr.dtype == np.float64 and not isinstance(value, (np.ndarray, np.generic)):
        return arr.astype(np.float32)        # Python floats (and lists of them) are float32, as in TF
    return arr


def convert_to_tensor(value, graph=None, dtype=None, name=None):
    """A symbolic tensor for ``value``: tensors pass through, eager tensors are
    captured (read when the graph runs), anything else becomes a Const."""
    if isinstance(value, Tensor):
        if dtype is not None and value.dtype != np.dtype(dtype):
            raise ValueError(f"Tensor conversion requested dtype {np.dtype(dtype).name} for "
                             f"{value.name}, which has dtype {value.dtype.name}")
        return value
    graph = graph or get_default_graph()
    if is_eager(value):          # an eager tensor
        return capture(value, graph)
    if hasattr(value, "_as_graph_tensor"):
        return value._as_graph_tensor()
    arr = _const_dtype(value, None if dtype is None else np.dtype(dtype))
    if dtype is not None:
        arr = arr.astype(dtype)
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"cannot convert {type(value).__name__} of dtype {arr.dtype} to a tensor")
    op = graph.create_op(S.Const, (), {"value": arr, "dtype": arr.dtype, "shape": arr.shape},
                         arr.shape, arr.dtype, name or "Const")
    return op.outputs[0]


def capture(eager, graph):
    """An eager tensor used in a graph: a ``Capture`` node that reads its value
    when the graph runs (so trained parameters stay current)."""
    cache = graph._captures
    key = id(eager)
    hit = cache.get(key)
    if hit is not None and hit[0] is eager:
        return hit[1]
    name = (eager.name or "captured").replace(".", "_")
    with graph.name_scope(None):
        op = graph.create_op(S.Capture, (), {"tensor": eager, "dtype": eager.dtype,
                                             "shape": eager.shape}, eager.shape, eager.dtype, name)
    cache[key] = (eager, op.outputs[0])
    return op.outputs[0]


def build(prim, args, attrs, name=None):
    """Add a node for ``prim`` applied to ``args`` to the graph being built."""
    g = _graph_of(args)
    if g is None:
        g = get_default_graph()
    hint = None
    for a in args:
        if isinstance(a, Tensor):
            hint = a.dtype
            break
    inputs = []
    for a in args:
        if isinstance(a, Tensor):
            inputs.append(a)
        elif is_eager(a):
            inputs.append(capture(a, g))
        else:
            inputs.append(convert_to_tensor(_const_dtype(a, hint), g))
    try:
        shape = prim.shape_rule(*[t._shape for t in inputs], **attrs)
        dtype = np.dtype(prim.dtype_rule(*[t.dtype for t in inputs], **attrs))
    except ShapeError as e:
        site = user_site()
        where = f"\n  in op '{g.unique_name(name or prim.name, mark_as_used=False)}'" + \
                (f", built at:\n  {site}" if site else "")
        raise ShapeError(f"{e}{where}") from None
    return g.create_op(prim, inputs, attrs, shape, dtype, name).outputs[0]


def _apply(prim, args, attrs):
    return build(prim, args, attrs)


interpreters.graph = _apply
