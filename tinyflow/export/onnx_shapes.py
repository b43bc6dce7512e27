"""The ONNX mapping of the primitives about orders and shapes: ``ArgSort``
(ops/sorting.py), ``Shape`` (ops/shape.py), ``ReducedSize`` and ``SumTo``
(ops/reduce.py).

``ArgSort`` is ONNX's ``TopK`` with k = the length of the axis. tinyflow's
argsort is stable (equal values keep their order, ascending and descending
alike) and puts NaN last; TopK breaks ties by the lower index, and with
``largest=0`` puts NaN last as well (onnxruntime and the ReferenceEvaluator,
checked). So the export sorts tinyflow's own key ascending: ``x``, or for a
descending sort what ``_argsort`` sorts, ``-x`` (``~x`` for bools, ``-x`` in
float64 for unsigned integers). ``TopK(largest=1)`` would not do: it puts NaN
first. onnxruntime's TopK has no kernel for bool or uint16 to uint64, so bool
keys go in as uint8 and uint16, uint32 as int64; an ascending uint64 key stays
uint64 (valid ONNX, which the ReferenceEvaluator runs and onnxruntime 1.32
cannot).

>>> from tinyflow.export.onnx_ops import CONVERTERS
>>> all(name in CONVERTERS for name in ("ArgSort", "Shape", "ReducedSize", "SumTo"))
True
"""
import numpy as np

from .onnx_ops import UnsupportedOpError, converts


@converts("ArgSort")
def _argsort(b, op, xs, out):
    x, dtype = xs[0], op.inputs[0].dtype
    axis = int(op.attrs.get("axis", -1))
    if op.attrs.get("descending"):            # the key tinyflow sorts (ops/sorting.py)
        if dtype.kind == "b":
            x = b.add("Not", [x])
        elif dtype.kind == "u":
            x, dtype = b.add("Neg", [b.cast(x, dtype, np.float64)]), np.dtype(np.float64)
        else:
            x = b.add("Neg", [x])
    if dtype.kind == "b":
        x = b.cast(x, dtype, np.uint8)
    elif dtype in (np.uint16, np.uint32):
        x = b.cast(x, dtype, np.int64)
    b.nodes.append(b.helper.make_node(
        "TopK", [x, _axis_length(b, op, xs[0], axis)], [b.fresh(f"{op.name}/sorted"), out],
        name=b.fresh(f"{op.name}/TopK"), axis=axis, largest=0, sorted=1))


def _axis_length(b, op, x, axis):
    """K for TopK: the axis' length, a constant when the graph knows it."""
    shape = op.inputs[0]._shape
    if shape is not None and shape[axis] is not None:
        return b.int64s([shape[axis]], f"{op.name}/k")
    return b.add("Gather", [b.add("Shape", [x]), b.int64s([axis], f"{op.name}/axis")])


@converts("Shape")
def _shape(b, op, xs, out):
    b.add("Cast", [b.add("Shape", xs)], out, to=b.onnx_dtype(op.outputs[0].dtype))


@converts("ReducedSize")
def _reduced_size(b, op, xs, out):
    axis = op.attrs.get("axis")
    if axis is None:
        n = b.add("Size", xs)
    elif len(axis) == 0:
        n = b.int64s(1, f"{op.name}/one")
    else:
        dims = b.add("Gather", [b.add("Shape", xs), b.int64s(list(axis), f"{op.name}/axes")])
        n = b.add("ReduceProd", [dims], keepdims=0)
    b.add("Cast", [n], out, to=b.onnx_dtype(op.outputs[0].dtype))


@converts("SumTo")
def _sum_to(b, op, xs, out):
    """numpy's sum_to_shape: sum the leading axes away, and every axis where
    ``like`` has length 1 (keeping it); then take ``like``'s shape."""
    x_shape, like = op.inputs[0]._shape, op.inputs[1]._shape
    if x_shape is None or like is None:
        raise UnsupportedOpError(f"ONNX export: SumTo (node '{op.name}') needs inputs of "
                                 f"known rank")
    lead = len(x_shape) - len(like)
    target = b.add("Shape", [xs[1]])
    if None not in like:                       # which axes to sum is known now
        axes = list(range(lead)) + [lead + i for i, d in enumerate(like) if d == 1]
        summed = b.add("ReduceSum", [xs[0], b.int64s(axes, f"{op.name}/axes")], keepdims=1) \
            if axes else xs[0]
    else:                                      # ... or only when the graph runs
        padded = b.add("Concat", [b.int64s([1] * lead, f"{op.name}/lead"), target], axis=0)
        ones = b.add("Equal", [padded, b.int64s(1, f"{op.name}/one")])
        axes = b.add("Reshape", [b.add("NonZero", [ones]), b.int64s([-1], f"{op.name}/flat")])
        summed = b.add("ReduceSum", [xs[0], axes], keepdims=1, noop_with_empty_axes=1)
    # a length-0 axis in ``like`` means 0 (allowzero), not "copy the input's"
    b.add("Reshape", [summed, target], out, **({"allowzero": 1} if b.opset >= 14 else {}))
