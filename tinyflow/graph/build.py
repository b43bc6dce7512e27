"""Building: the graph interpreter of the primitive registry.

Where the eager tape runs a primitive now, ``build`` checks its shapes and
dtypes *now* -- at the line that wrote the op -- and adds a node to the graph.
Its arguments become symbolic tensors first: numbers and arrays as ``Const``
nodes, eager tensors as ``Capture`` nodes that read their value when the
graph runs. Nothing is computed until ``Session.run``.

>>> import tinyflow.compat.v1 as tf
>>> tf.reset_default_graph()
>>> x = tf.placeholder(tf.float32, [None, 3], name="x")
>>> tf.matmul(x, tf.ones([4, 2]))       # doctest: +ELLIPSIS
Traceback (most recent call last):
...
tinyflow.ShapeError: MatMul: cannot multiply shapes (?, 3) and (4, 2): ...
"""
import numpy as np

from ..base.errors import ShapeError
from ..base.source import user_site
from ..ops import state as S
from ..ops.primitive import interpreters, is_eager
from .graph import get_default_graph
from .tensor import SymbolicTensor


def _graph_of(args):
    g = interpreters.building
    for a in args:
        if isinstance(a, SymbolicTensor):
            if g is None:
                g = a.graph
            elif not g.encloses(a.graph):
                raise ValueError(f"Tensor {a.name} must be from the same graph as the other inputs "
                                 f"(it belongs to another Graph; did you call reset_default_graph() "
                                 f"after building it?)")
    return g


def _const_dtype(value, hint):
    arr = np.asarray(value)
    if isinstance(value, (bool, int, float)) and not isinstance(value, np.generic):
        if hint is not None and np.result_type(hint, value) == hint:
            return arr.astype(hint)          # 2.0 next to a float32 tensor is float32
    if not isinstance(value, (np.ndarray, np.generic)):
        # Python numbers (and lists of them) as TensorFlow makes them: floats are float32,
        # ints int32 (int64 only when they do not fit).
        if arr.dtype == np.float64:
            return arr.astype(np.float32)
        if arr.dtype == np.int64 and (arr.size == 0 or np.abs(arr).max() < 2 ** 31):
            return arr.astype(np.int32)
    return arr


def convert_to_tensor(value, graph=None, dtype=None, name=None):
    """A symbolic tensor for ``value``: tensors pass through, eager tensors are
    captured (read when the graph runs), anything else becomes a Const."""
    if isinstance(value, SymbolicTensor):
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
    # a tf.Variable's path ("dense/kernel"; its name has TensorFlow's ":0"), a
    # parameter's name ("fc1.weight"), or none
    name = (getattr(eager, "path", None) or eager.name or "captured").replace(".", "_")
    with graph.name_scope(None):
        dtype = eager.array.dtype                 # numpy's dtype: graphs keep numpy's (TF's) dtypes
        shape = tuple(eager.shape)
        op = graph.create_op(S.Capture, (), {"tensor": eager, "dtype": dtype, "shape": shape},
                             shape, dtype, name)
    cache[key] = (eager, op.outputs[0])
    return op.outputs[0]


def build(prim, args, attrs, name=None):
    """Add a node for ``prim`` applied to ``args`` to the graph being built."""
    g = _graph_of(args)
    if g is None:
        g = get_default_graph()
    hint = None                   # the dtype a Python number beside a tensor takes
    for a in args:
        if isinstance(a, SymbolicTensor) or is_eager(a):
            hint = np.dtype(a.array.dtype) if is_eager(a) else a.dtype
            break
    inputs = []
    for i, a in enumerate(args):
        if isinstance(a, SymbolicTensor):
            if a.graph is not g and i not in prim.ref_inputs:
                a = g.capture(a)      # a tensor of the graph around a cond branch or loop body
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


def _build_unnamed(prim, args, attrs):
    return build(prim, args, attrs)


interpreters.register(graph=_build_unnamed)
