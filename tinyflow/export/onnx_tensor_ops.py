"""The ONNX mapping of PyTorch's running sums and einsum, and of TensorFlow's
``Fill``: ``CumSum`` (ONNX's ``CumSum``, with its ``reverse`` attribute),
``Einsum`` (ONNX's ``Einsum``: tinyflow keeps the equation in the plain form ONNX
reads, one letter per dimension and the output spelled out), ``Fill`` (ONNX's
``Expand`` of the value to the shape) and ``Range`` (ONNX's ``Range``).

>>> from tinyflow.export.onnx_ops import CONVERTERS
>>> "CumSum" in CONVERTERS and "Einsum" in CONVERTERS and "Fill" in CONVERTERS
True
"""
import numpy as np


from .onnx_ops import converts


@converts("CumSum")
def _cumsum(b, op, xs, out):
    dtype = op.outputs[0].dtype
    x = b.cast(xs[0], op.inputs[0].dtype, dtype)
    axis = b.const(np.int64(op.attrs["axis"]), f"{op.name}/axis")      # a 0-d tensor
    b.add("CumSum", [x, axis], out,
          reverse=int(bool(op.attrs.get("reverse", False))))


@converts("Einsum")
def _einsum(b, op, xs, out):
    dtype = op.outputs[0].dtype
    inputs = [b.cast(x, t.dtype, dtype) for x, t in zip(xs, op.inputs)]
    b.add("Einsum", inputs, out, equation=str(op.attrs["equation"]))




@converts("Fill")
def _fill(b, op, xs, out):
    dims = b.cast(xs[0], op.inputs[0].dtype, np.dtype(np.int64))
    value = b.cast(xs[1], op.inputs[1].dtype, op.outputs[0].dtype)
    b.add("Expand", [value, dims], out)


@converts("Range")
def _range(b, op, xs, out):
    dtype = op.outputs[0].dtype
    b.add("Range", [b.cast(x, t.dtype, dtype) for x, t in zip(xs, op.inputs)], out)
