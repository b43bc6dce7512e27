"""Graph-building functions with TensorFlow 1 spellings: ``placeholder``,
``constant``, ``zeros``, ``random_normal``, ``group``, ``identity``...

>>> import tinyflow.compat.v1 as tf
>>> tf.reset_default_graph()
>>> x = tf.placeholder(tf.float32, shape=[None, 784], name="x")
>>> x.shape
TensorShape([None, 784])
"""
import numpy as np

from ..base import rng
from ..ops import state as S
from ..ops import elementwise as E
from .tensor import SymbolicTensor
from .graph import get_default_graph, building
from .build import convert_to_tensor, build
from ..ops.primitive import is_eager

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
    dtype = np.dtype(dtype)
    shape = _shape_attr(shape)
    g = get_default_graph()
    return g.create_op(S.Placeholder, (), {"shape": shape, "dtype": dtype}, shape, dtype,
                       name or "Placeholder").outputs[0]


def placeholder_with_default(input, shape, name=None):
    """A placeholder that takes ``input`` when nothing is fed."""
    value = convert_to_tensor(input)
    return identity(value, name=name or "PlaceholderWithDefault")


def constant(value, dtype=None, shape=None, name="Const"):
    """A constant node holding ``value`` (broadcast to ``shape`` if given)."""
    arr = np.asarray(value.array if is_eager(value) else value)
    if dtype is not None:
        arr = arr.astype(dtype)
    elif arr.dtype == np.float64 and not isinstance(value, np.ndarray):
        arr = arr.astype(np.float32)
    if shape is not None:
        arr = np.broadcast_to(arr, _shape_attr(shape)).copy()
    with building():
        return convert_to_tensor(arr, name=name)


def zeros(shape, dtype=_F32, name="zeros"):
    return constant(np.zeros(_shape_attr(shape), dtype), name=name)


def ones(shape, dtype=_F32, name="ones"):
    return constant(np.ones(_shape_attr(shape), dtype), name=name)


def fill(dims, value, name="Fill"):
    return constant(np.full(_shape_attr(dims), value), name=name)


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
    dtype = np.dtype(dtype)
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
