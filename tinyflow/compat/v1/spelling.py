"""How TensorFlow 1 spells a call, turned into tinyflow's: every function of
``tinyflow.compat.v1`` builds nodes in the default graph (as TF1 always did)
and takes TF1's ``name=``; Python values become tensors by TensorFlow's rules
(``1`` is int32); binary ops want both operands of one dtype; reductions take
``reduction_indices`` and ``keep_dims`` (TF1's older names) beside ``axis`` and
``keepdims``.

Nothing here computes: each function hands its arguments to an op of
``tinyflow.ops``.

>>> import tinyflow.compat.v1 as tf
>>> tf.reset_default_graph()
>>> tf.reduce_sum([[1.0, 2.0]], reduction_indices=1, name="total")
<tf.Tensor 'total:0' shape=(1,) dtype=float32>
"""
import builtins
import functools

from ...graph.api import as_tensor, binary as _binary, name_op
from ...graph.feeds import as_dtype
from ...graph.graph import building
from ...ops import cast
from ...ops.primitive import is_tensor


def in_graph(fn):
    """``fn`` building into the default graph, with TF's ``name=`` for its op."""
    @functools.wraps(fn)
    def wrapper(*args, name=None, **kwargs):
        with building():
            out = fn(*args, **kwargs)
        return name_op(out, name)
    return wrapper


def of_tensor(fn):
    """``fn(x, ...)`` with its first argument made a graph tensor first (TF1 functions
    take Python lists and numpy arrays where a tensor goes)."""
    @functools.wraps(fn)
    def wrapper(x, *args, **kwargs):
        return fn(as_tensor(x), *args, **kwargs)
    return in_graph(wrapper)


def reduction(f):
    """A TF1 reduction: ``reduce_sum(input_tensor, axis=None, keepdims=None,
    reduction_indices=None, keep_dims=None)``."""
    def reduce(input_tensor, axis=None, keepdims=None, reduction_indices=None, keep_dims=None):
        if axis is None:
            axis = reduction_indices
        keep = keepdims if keepdims is not None else builtins.bool(keep_dims)
        return f(as_tensor(input_tensor), axis, keep)
    reduce.__name__ = "reduce_" + f.__name__
    reduce.__doc__ = f"TensorFlow 1's tf.reduce_{f.__name__}: {f.__doc__}"
    return in_graph(reduce)


def binary(prim, default_name):
    """A TF1 binary op, ``tf.add(x, y)``: an op named ``default_name`` (or ``name=``)
    whose operands have one dtype (a Python number takes the tensor's)."""
    def op(x, y, name=None):
        if not (is_tensor(x) or is_tensor(y)):
            x = as_tensor(x)
        with building():
            return _binary(prim, x, y, name or default_name)
    op.__name__ = default_name.lower()
    op.__doc__ = f"TensorFlow 1's tf.{op.__name__}: {prim.doc} (an op named {default_name!r})."
    return op


def arg_extreme(f):
    """TF1's ``argmax(input, axis=None, dimension=None, output_type=tf.int64)``: axis 0
    when none is given."""
    def arg(input, axis=None, dimension=None, output_type=None):
        axis = dimension if axis is None else axis
        out = f(as_tensor(input), 0 if axis is None else axis)
        if output_type is not None and as_dtype(output_type) != out.dtype:
            out = cast(out, as_dtype(output_type).dtype)
        return out
    arg.__name__ = f.__name__
    arg.__doc__ = f"TensorFlow 1's tf.{f.__name__}: {f.__doc__}"
    return in_graph(arg)


def many(f):
    """``f(values, axis)`` with each of ``values`` made a graph tensor (concat, stack)."""
    def joined(values, axis=0):
        return f([as_tensor(v) for v in values], axis)
    joined.__name__ = f.__name__
    joined.__doc__ = f.__doc__
    return in_graph(joined)

