"""Graph-building functions with TensorFlow 1 spellings: ``placeholder``,
``constant``, ``zeros``, ``random_normal``, ``group``, ``identity``... with
TensorFlow's dtypes: ``"float"`` is float32, ``tf.constant(1)`` is int32, and
the two operands of ``x + y`` must agree (``binary``).

>>> import tinyflow.compat.v1 as tf
>>> tf.reset_default_graph()
>>> x = tf.placeholder("float", shape=[None, 784], name="x")
>>> x.shape, x.dtype.name
(TensorShape([None, 784]), 'float32')
>>> tf.constant(1).dtype.name, tf.constant([1, 2.5]).dtype.name, tf.constant("hi").dtype.name
('int32', 'float32', 'string')
"""
import numpy as np

from ..base import rng
from ..ops import state as S
from ..ops import elementwise as E
from .. import ops as F
from ..ops.fill import Fill, Range
from ..ops.primitive import NO_ATTRS, bind, is_eager
from .tensor import SymbolicTensor
from .feeds import STRING, as_array, graph_dtype
from .graph import get_default_graph, building, building_near
from .build import convert_to_tensor, build

_F32 = np.dtype(np.float32)


def _shape_attr(shape):
    if shape is None:
        return None
    if isinstance(shape, (int, np.integer)):
        return (int(shape),)
    if isinstance(shape, SymbolicTensor):
        raise TypeError("shapes given as symbolic tensors are not supported; pass a list of ints")
    return tuple(None if d is None or d == -1 else int(d) for d in getattr(shape, "dims", shape))


def placeholder(dtype, shape=None, name=None):
    """An input fed at run time: ``sess.run(y, feed_dict={x: value})``.
    ``None`` in ``shape`` means "any size" (typically the batch)."""
    dtype = graph_dtype(dtype)
    shape = _shape_attr(shape)
    g = get_default_graph()
    return g.create_op(S.Placeholder, (), {"shape": shape, "dtype": dtype}, shape, dtype,
                       name or "Placeholder").outputs[0]


def placeholder_with_default(input, shape, name=None):
    """A placeholder that takes ``input`` when nothing is fed."""
    value = as_tensor(input)
    out = identity(value, name=name or "PlaceholderWithDefault")
    shape = _shape_attr(shape)
    if shape is not None and out._shape is not None:
        if len(shape) != len(out._shape) or any(
                s is not None and s != d for s, d in zip(shape, out._shape)):
            raise ValueError(f"placeholder_with_default: the default value has shape "
                             f"{out.shape}, which does not fit the shape {list(shape)} given")
        out._relax_shape(shape)     # looser than the default's: other values may be fed
    return out


def constant(value, dtype=None, shape=None, name="Const", verify_shape=False):
    """A constant node holding ``value`` (broadcast to ``shape`` if given). Without
    ``dtype``, TensorFlow's inference: Python ints int32, floats float32, str bytes."""
    if is_eager(value):
        value = value.array
    arr = as_array(value, None if dtype is None else graph_dtype(dtype))
    if shape is not None:
        arr = np.broadcast_to(arr, _shape_attr(shape)).copy()
    g = get_default_graph()
    if arr.dtype.kind == "O":                # strings: the Const op takes them as they are
        return g.create_op(S.Const, (), {"value": arr, "dtype": STRING, "shape": arr.shape},
                           arr.shape, STRING, name).outputs[0]
    with building(g):
        return convert_to_tensor(arr, name=name)


def name_op(t, name):
    """Give the op that made ``t`` the name ``name`` in the current scope (TF's ``name=``)
    -- unless it already has it -- and return ``t``."""
    if name and isinstance(t, SymbolicTensor):
        g = t.graph
        if t.node.name != g._scope + name:
            g.rename(t.node, name)
    return t


def take_name(t, name):
    """Give the op that made ``t`` exactly the (absolute) name ``name`` -- a name scope's
    own name, as TensorFlow names the output op of a composite built in that scope
    (``MaxPool/...`` inside, ``MaxPool`` the result) -- and return ``t``."""
    g, op = t.graph, t.node
    if name in g._by_name:
        raise ValueError(f"take_name: an op named '{name}' already exists in the graph")
    del g._by_name[op.name]
    op.name = name
    g._by_name[name] = op
    g._names_used.setdefault(name.lower(), 1)
    return t


def as_tensor(value, dtype=None, name=None):
    """A graph tensor for ``value``: tensors pass (their dtype checked against
    ``dtype``), eager tensors are captured, anything else is a ``constant`` made
    with TensorFlow's dtype rules (TF's ``convert_to_tensor``)."""
    if isinstance(value, SymbolicTensor) or is_eager(value) or hasattr(value, "_as_graph_tensor"):
        with building():
            return convert_to_tensor(value, dtype=None if dtype is None else graph_dtype(dtype))
    return constant(value, dtype, name=name or "Const")


def binary(prim, x, y, name=None):
    """``x <op> y`` as TensorFlow 1 builds it: both operands must have one dtype (a
    Python number or a numpy array takes the tensor's, a float never goes into an
    integer tensor); ``/`` of integers divides as floats (TF's truediv). In the graph
    of a traced function (``tinyflow.function``, ``jit.trace``) the eager code's
    promotion rules hold instead."""
    t = x if isinstance(x, SymbolicTensor) else y
    if t.graph.outermost.name is not None:  # a traced function's graph keeps the eager rules
        return bind(prim, (x, y), NO_ATTRS)
    pair = []
    for arg, v in (("x", x), ("y", y)):
        if not isinstance(v, SymbolicTensor) and not is_eager(v):
            v = as_array(v, t.dtype, prim.name, arg)
        elif v.dtype != t.dtype:
            raise TypeError(f"Input 'y' of '{prim.name}' Op has type {_name(y)} that does not "
                            f"match type {_name(x)} of argument 'x'.")
        pair.append(v)
    if prim is E.Div and np.dtype(t.dtype).kind in "iub":
        wide = np.float32 if np.dtype(t.dtype).itemsize <= 2 else np.float64
        pair = [E.cast(v, wide) if isinstance(v, SymbolicTensor) else v.astype(wide)
                for v in pair]
    with building_near(t.graph):
        return build(prim, tuple(pair), NO_ATTRS, name=name)


def _name(v):
    return getattr(v.dtype, "name", str(v.dtype))


def _symbolic_dims(shape):
    """Is ``shape`` (or one of its sizes) a tensor, known only when the graph runs?"""
    return isinstance(shape, SymbolicTensor) or isinstance(shape, (list, tuple)) and any(
        isinstance(d, SymbolicTensor) for d in shape)


def _fill(shape, value, name):
    """A Fill op: ``value`` in the shape the tensor ``shape`` (or list with tensors in
    it) has when the graph runs; the sizes given as ints stay known while building."""
    hint = None
    sizes = [shape] if isinstance(shape, SymbolicTensor) else list(shape)
    graph = next((t.graph for t in sizes + [value] if isinstance(t, SymbolicTensor)),
                 get_default_graph())
    with building_near(graph):
        if not isinstance(shape, SymbolicTensor):
            hint = tuple(None if isinstance(d, SymbolicTensor) else int(d) for d in shape)
            shape = F.stack([E.cast(d, np.int32) if isinstance(d, SymbolicTensor) else
                             np.int32(d) for d in shape])
        return build(Fill, (shape, value), {"shape": hint}, name=name)


def zeros(shape, dtype=_F32, name="zeros"):
    if _symbolic_dims(shape):
        return _fill(shape, np.zeros((), graph_dtype(dtype)), name)
    return constant(np.zeros(_shape_attr(shape), graph_dtype(dtype)), name=name)


def ones(shape, dtype=_F32, name="ones"):
    if _symbolic_dims(shape):
        return _fill(shape, np.ones((), graph_dtype(dtype)), name)
    return constant(np.ones(_shape_attr(shape), graph_dtype(dtype)), name=name)


def range(start, limit=None, delta=1, dtype=None, name="range"):  # noqa: A001
    """TensorFlow's ``tf.range``: like Python's range, int32 for ints and float32 for
    floats (or ``dtype``); any argument may be a tensor (``tf.range(tf.shape(x)[0])``),
    and then the length is known only when the graph runs."""
    if limit is None:
        start, limit = 0, start
    args = [start, limit, delta]
    tensors = [np.dtype(a.dtype) for a in args if isinstance(a, SymbolicTensor)]
    if dtype is None and tensors:                  # Python numbers take the tensors' dtype
        dtype = np.result_type(*tensors)
    elif dtype is None:
        dtype = np.float32 if any(np.asarray(a).dtype.kind == "f" for a in args) else np.int32
    dtype = graph_dtype(dtype)
    if not any(isinstance(a, SymbolicTensor) for a in args):
        return constant(np.arange(start, limit, delta).astype(dtype), name=name)
    graph = next(a.graph for a in args if isinstance(a, SymbolicTensor))
    with building_near(graph):
        args = [E.cast(a, dtype) if isinstance(a, SymbolicTensor) else dtype.type(a)
                for a in args]
        return build(Range, tuple(args), NO_ATTRS, name=name)


def fill(dims, value, name="Fill"):
    if _symbolic_dims(dims) or isinstance(value, SymbolicTensor):
        return _fill(dims, value, name)
    return constant(np.full(_shape_attr(dims), as_array(value)), name=name)


def _seed(seed):
    """An op's seed. None: from the graph seed (set_random_seed) and a count of the
    graph's random ops, so each op differs; without a graph seed, from tinyflow's
    generator, so manual_seed decides."""
    if seed is not None:
        return int(seed)
    seed = get_default_graph().next_op_seed()
    return int(rng.generator().integers(2 ** 31)) if seed is None else seed


def _random(prim, shape, dtype, seed, name, **attrs):
    shape = _shape_attr(shape)
    dtype = graph_dtype(dtype)
    g = get_default_graph()
    attrs = dict(attrs, shape=shape, dtype=dtype, seed=_seed(seed))
    return g.create_op(prim, (), attrs, shape, dtype, name).outputs[0]


def random_normal(shape, mean=0.0, stddev=1.0, dtype=_F32, seed=None, name="random_normal"):
    """Normal samples, drawn anew at every run (seeded: the same sequence per session)."""
    return _random(S.RandomNormal, shape, dtype, seed, name, mean=float(mean), stddev=float(stddev))


def random_uniform(shape, minval=0.0, maxval=1.0, dtype=_F32, seed=None, name="random_uniform"):
    return _random(S.RandomUniform, shape, dtype, seed, name, minval=float(minval),
                   maxval=float(maxval))


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=_F32, seed=None, name="truncated_normal"):
    return _random(S.TruncatedNormal, shape, dtype, seed, name, mean=float(mean),
                   stddev=float(stddev))


def set_random_seed(seed):
    """The graph-level seed that random ops without their own seed derive from."""
    get_default_graph().seed = int(seed)


def no_op(name="NoOp"):
    g = get_default_graph()
    return g.create_op(S.NoOp, (), {}, (), np.dtype(bool), name)


def group(*inputs, name="group_deps"):
    """One op that runs all of ``inputs`` (a train step that does several updates)."""
    g = get_default_graph()
    ops = [t.node if isinstance(t, SymbolicTensor) else t for t in inputs]
    with g.control_dependencies(ops):
        return no_op(name)


def identity(input, name="Identity"):
    """The same values, as a new node (useful with control_dependencies)."""
    with building():
        return build(E.Identity, (convert_to_tensor(input),), {}, name=name)


def stop_gradient(input, name="StopGradient"):
    """Forward: the identity. Backward: nothing flows through."""
    with building():
        return build(E.StopGradient, (convert_to_tensor(input),), {}, name=name)
