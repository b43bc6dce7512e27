"""The ONNX mapping of tinyflow's primitives: one small converter per op type.

A converter ``convert(b, op, xs, out)`` gets the builder ``b`` (see
onnx_build.py), the tinyflow ``op``, the ONNX names of its inputs ``xs`` and the
name its result must have, ``out``; it adds one ONNX node, or a few. ONNX
ops want their inputs of one dtype where numpy promotes, so converters cast
inputs to the dtype tinyflow computed (``b.cast``).

>>> from tinyflow.export.onnx_ops import CONVERTERS
>>> "MatMul" in CONVERTERS, "Im2Col" in CONVERTERS
(True, False)
"""
import numpy as np

from ..ops.indexing import Arg

CONVERTERS = {}
INT64_MAX, INT64_MIN = 2 ** 63 - 1, -2 ** 63


class UnsupportedOpError(NotImplementedError):
    """A tinyflow op type that has no ONNX mapping."""


def converts(*names):
    def register(fn):
        for name in names:
            CONVERTERS[name] = fn
        return fn
    return register


def _out_dtype(op):
    return op.outputs[0].dtype


def _cast_all(b, op, xs, dtype):
    return [b.cast(x, t.dtype, dtype) for x, t in zip(xs, op.inputs)]


# --- one ONNX op, inputs in the output's dtype ---------------------------------------

SAME = {
    "Add": "Add", "Sub": "Sub", "Mul": "Mul", "RealDiv": "Div", "Pow": "Pow",
    "Maximum": "Max", "Minimum": "Min", "BiasAdd": "Add",
    "Neg": "Neg", "Exp": "Exp", "Log": "Log", "Sqrt": "Sqrt", "Sin": "Sin", "Cos": "Cos",
    "Tanh": "Tanh", "Sign": "Sign", "Abs": "Abs", "Sigmoid": "Sigmoid", "Relu": "Relu",
    "Softplus": "Softplus", "Identity": "Identity", "StopGradient": "Identity",
}


def _same(onnx_type):
    def convert(b, op, xs, out):
        b.add(onnx_type, _cast_all(b, op, xs, _out_dtype(op)), out)
    return convert


for _name, _onnx in SAME.items():
    CONVERTERS[_name] = _same(_onnx)


@converts("Print", "CheckNumerics", "Breakpoint", "GradHook")
def _debug(b, op, xs, out):
    # Debugging ops pass their first input through; printing is not part of a model.
    b.add("Identity", xs[:1], out)


# --- comparisons and logic -----------------------------------------------------------

COMPARE = {"Equal": "Equal", "Less": "Less", "LessEqual": "LessOrEqual",
           "Greater": "Greater", "GreaterEqual": "GreaterOrEqual"}


def _compare(onnx_type):
    def convert(b, op, xs, out):
        common = np.result_type(*[t.dtype for t in op.inputs])
        b.add(onnx_type, _cast_all(b, op, xs, common), out)
    return convert


for _name, _onnx in COMPARE.items():
    CONVERTERS[_name] = _compare(_onnx)


@converts("NotEqual")
def _not_equal(b, op, xs, out):
    common = np.result_type(*[t.dtype for t in op.inputs])
    b.add("Not", [b.add("Equal", _cast_all(b, op, xs, common))], out)


@converts("LogicalAnd", "LogicalOr", "LogicalNot")
def _logical(b, op, xs, out):
    onnx_type = {"LogicalAnd": "And", "LogicalOr": "Or", "LogicalNot": "Not"}[op.type]
    b.add(onnx_type, _cast_all(b, op, xs, np.dtype(bool)), out)


@converts("IsFinite")
def _is_finite(b, op, xs, out):
    have = op.inputs[0].dtype
    x = b.cast(xs[0], have, have if have.kind == "f" else np.dtype(np.float64))
    b.add("Not", [b.add("Or", [b.add("IsInf", [x]), b.add("IsNaN", [x])])], out)


# --- other elementwise ops -------------------------------------------------------------

@converts("Cast")
def _cast(b, op, xs, out):
    b.add("Cast", xs, out, to=b.onnx_dtype(op.attrs["dtype"]))


@converts("ClipByValue")
def _clip(b, op, xs, out):
    dtype = _out_dtype(op)
    bound = [("" if v is None else b.const(np.asarray(v, dtype), f"{op.name}/{k}"))
             for k, v in (("min", op.attrs.get("min")), ("max", op.attrs.get("max")))]
    b.add("Clip", [b.cast(xs[0], op.inputs[0].dtype, dtype)] + bound, out)


@converts("Select")
def _where(b, op, xs, out):
    dtype = _out_dtype(op)
    cond = b.cast(xs[0], op.inputs[0].dtype, np.dtype(bool))
    b.add("Where", [cond] + [b.cast(x, t.dtype, dtype) for x, t in zip(xs[1:], op.inputs[1:])],
          out)


@converts("OnesLike", "ZerosLike")
def _fill_like(b, op, xs, out):
    value = np.ones(1, _out_dtype(op)) if op.type == "OnesLike" else np.zeros(1, _out_dtype(op))
    b.add("ConstantOfShape", [b.add("Shape", xs)], out, value=b.tensor(value))


# --- reductions ----------------------------------------------------------------------

def _reduce(onnx_type, axes_input_since):
    def convert(b, op, xs, out):
        axis, keep = op.attrs.get("axis"), bool(op.attrs.get("keepdims", False))
        x = b.cast(xs[0], op.inputs[0].dtype, _out_dtype(op))
        if axis == ():                       # reduce over no axes: nothing changes
            return b.add("Identity", [x], out)
        inputs, attrs = [x], {"keepdims": int(keep)}
        if axis is not None:                 # None: ONNX's default, every axis
            if b.opset >= axes_input_since:
                inputs.append(b.int64s(axis, f"{op.name}/axes"))
            else:
                attrs["axes"] = list(axis)
        b.add(onnx_type, inputs, out, **attrs)
    return convert


# ReduceSum takes its axes as an input from opset 13, the others from opset 18.
CONVERTERS["Sum"] = _reduce("ReduceSum", 13)
CONVERTERS["Mean"] = _reduce("ReduceMean", 18)
CONVERTERS["Max"] = _reduce("ReduceMax", 18)
CONVERTERS["Min"] = _reduce("ReduceMin", 18)
CONVERTERS["LogSumExp"] = _reduce("ReduceLogSumExp", 18)


@converts("ArgMax", "ArgMin")
def _arg(b, op, xs, out):
    axis, keep = op.attrs.get("axis"), bool(op.attrs.get("keepdims", False))
    x = xs[0]
    if axis is None:                         # numpy: the index into the flattened tensor
        x, axis = b.add("Reshape", [x, b.int64s([-1], f"{op.name}/flat")]), 0
        if keep:
            rank = len(op.inputs[0]._shape)
            flat = b.add(op.type, [x], keepdims=0, axis=0)
            return b.add("Reshape", [flat, b.int64s([1] * rank, f"{op.name}/shape")], out)
    b.add(op.type, [x], out, axis=int(axis), keepdims=int(keep))


# --- shapes ------------------------------------------------------------------------------

@converts("Reshape")
def _reshape(b, op, xs, out):
    shape = op.attrs["shape"]
    # ONNX reads 0 as "copy this dimension" unless allowzero=1; numpy means an empty one.
    attrs = {"allowzero": 1} if 0 in shape else {}
    b.add("Reshape", [xs[0], b.int64s(shape, f"{op.name}/shape")], out, **attrs)


@converts("ReshapeLike")
def _reshape_like(b, op, xs, out):
    b.add("Reshape", [xs[0], b.add("Shape", [xs[1]])], out)


@converts("BroadcastLike")
def _broadcast_like(b, op, xs, out):
    b.add("Expand", [xs[0], b.add("Shape", [xs[1]])], out)


@converts("BroadcastTo")
def _broadcast_to(b, op, xs, out):
    b.add("Expand", [xs[0], b.int64s(op.attrs["shape"], f"{op.name}/shape")], out)


@converts("MatMul")
def _matmul(b, op, xs, out):
    # ONNX's MatMul has no transpose attributes: a transposed operand gets a Transpose node.
    xs = _cast_all(b, op, xs, _out_dtype(op))
    for i, flag in enumerate((op.attrs.get("transpose_a"), op.attrs.get("transpose_b"))):
        if flag:
            n = len(op.inputs[i].shape)
            xs[i] = b.add("Transpose", [xs[i]], perm=[*range(n - 2), n - 1, n - 2])
    b.add("MatMul", xs, out)


@converts("Transpose")
def _transpose(b, op, xs, out):
    b.add("Transpose", xs, out, perm=list(op.attrs["axes"]))


@converts("ExpandDims", "Squeeze")
def _squeeze(b, op, xs, out):
    axes = op.attrs["axis"]
    if not axes:
        return b.add("Identity", xs, out)
    onnx_type = "Unsqueeze" if op.type == "ExpandDims" else "Squeeze"
    b.add(onnx_type, [xs[0], b.int64s(axes, f"{op.name}/axes")], out)


@converts("ConcatV2")
def _concat(b, op, xs, out):
    b.add("Concat", _cast_all(b, op, xs, _out_dtype(op)), out, axis=int(op.attrs["axis"]))


@converts("GatherElements")
def _gather_elements(b, op, xs, out):
    idx = b.cast(xs[1], op.inputs[1].dtype, np.dtype(np.int64))
    b.add("GatherElements", [xs[0], idx], out, axis=int(op.attrs["axis"]))


@converts("GetItem")
def _getitem(b, op, xs, out):
    key, shape = op.attrs["key"], op.inputs[0]._shape
    if shape is None:
        raise UnsupportedOpError(f"ONNX export: GetItem '{op.name}' needs an input of known rank")
    if any(isinstance(k, Arg) and k.mask for k in key):
        raise UnsupportedOpError(f"ONNX export: GetItem '{op.name}' with a boolean mask index "
                                 f"has no ONNX mapping")
    full = _expand_ellipsis(key, len(shape))
    arrays = [i for i, k in enumerate(full) if isinstance(k, Arg)]
    if arrays:
        return _gather(b, op, xs, out, full, arrays)
    return _basic_index(b, op, xs, out, full)


def _expand_ellipsis(key, rank):
    """The key with ``...`` (or the implied trailing one) spelled out as full slices."""
    rest = [slice(None)] * (rank - sum(k is not None and k is not Ellipsis for k in key))
    if Ellipsis not in key:
        return list(key) + rest
    at = key.index(Ellipsis)
    return list(key[:at]) + rest + list(key[at + 1:])


def _gather(b, op, xs, out, full, arrays):
    """x[..., idx, ...] with one integer array and full slices elsewhere: Gather."""
    others_plain = all(k == slice(None) for i, k in enumerate(full) if i not in arrays)
    if len(arrays) != 1 or not others_plain:
        raise UnsupportedOpError(f"ONNX export: GetItem '{op.name}' mixes an index array with "
                                 f"other indices; only x[idx] along one axis maps to ONNX Gather")
    axis = arrays[0]
    idx = b.cast(xs[1 + full[axis].k], op.inputs[1 + full[axis].k].dtype, np.dtype(np.int64))
    b.add("Gather", [xs[0], idx], out, axis=axis)


def _basic_index(b, op, xs, out, full):
    """Slices, integers and None: one Slice, then Squeeze the integers, Unsqueeze the Nones."""
    starts, ends, axes, step_sizes, squeeze, unsqueeze = [], [], [], [], [], []
    dim = pos = 0
    for k in full:
        if k is None:
            unsqueeze.append(pos)
            pos += 1
            continue
        if isinstance(k, slice):
            step = 1 if k.step is None else k.step
            if k != slice(None):
                starts.append(k.start if k.start is not None else (0 if step > 0 else -1))
                ends.append(k.stop if k.stop is not None else
                            (INT64_MAX if step > 0 else INT64_MIN))
                axes.append(dim)
                step_sizes.append(step)
            pos += 1
        else:                                # an integer: a slice of one, squeezed away
            starts.append(k)
            ends.append(INT64_MAX if k == -1 else k + 1)
            axes.append(dim)
            step_sizes.append(1)
            squeeze.append(dim)
        dim += 1
    steps = []
    if axes:
        steps.append(("Slice", [b.int64s(v, f"{op.name}/{n}") for n, v in (
            ("starts", starts), ("ends", ends), ("axes", axes), ("steps", step_sizes))]))
    if squeeze:
        steps.append(("Squeeze", [b.int64s(squeeze, f"{op.name}/squeeze")]))
    if unsqueeze:
        steps.append(("Unsqueeze", [b.int64s(unsqueeze, f"{op.name}/unsqueeze")]))
    y = xs[0]
    for i, (onnx_type, extra) in enumerate(steps or [("Identity", [])]):
        y = b.add(onnx_type, [y] + extra, out if i == max(len(steps), 1) - 1 else None)


# --- neural-network ops ---------------------------------------------------------------

@converts("Softmax", "LogSoftmax")
def _softmax(b, op, xs, out):
    # Since opset 13 Softmax is a true per-axis softmax (before, it flattened to 2-D).
    b.add(op.type, xs, out, axis=int(op.attrs["axis"]))


def conv_attrs(op):
    """Conv's attributes from a Conv2D op (kernel size from the weight's shape)."""
    ph, pw = op.attrs["padding"]
    attrs = {"strides": list(op.attrs["stride"]), "pads": [ph, pw, ph, pw],
             "dilations": list(op.attrs.get("dilation", (1, 1))),
             "group": int(op.attrs.get("groups", 1))}
    w = op.inputs[1]._shape
    kernel = None if w is None else (w[:2] if _nhwc(op) else w[2:])
    if kernel is not None and None not in kernel:
        attrs["kernel_shape"] = list(kernel)
    return attrs


def _nhwc(op):
    return op.attrs.get("data_format", "NCHW") == "NHWC"


def _in_onnx_layout(b, op, xs, out, emit):
    """ONNX's image ops are (N, C, H, W) only: a TensorFlow-layout op (data_format
    "NHWC", ops/layout.py) is exported between Transposes (its filter (kh, kw, C, O)
    made (O, C, kh, kw))."""
    if not _nhwc(op):
        return emit(xs, out)
    xs = [b.add("Transpose", [xs[0]], perm=[0, 3, 1, 2])] + \
        [b.add("Transpose", [w], perm=[3, 2, 0, 1]) for w in xs[1:]]
    b.add("Transpose", [emit(xs, None)], out, perm=[0, 2, 3, 1])


@converts("Conv2D")
def _conv(b, op, xs, out):
    _in_onnx_layout(b, op, _cast_all(b, op, xs, _out_dtype(op)), out,
                    lambda xs, out: b.add("Conv", xs, out, **conv_attrs(op)))


@converts("MaxPool")
def _max_pool(b, op, xs, out):
    # tinyflow pads with -inf, and ONNX's MaxPool ignores padded cells: the same result.
    ph, pw = op.attrs["padding"]
    _in_onnx_layout(b, op, xs, out, lambda xs, out: b.add(
        "MaxPool", xs, out, kernel_shape=list(op.attrs["kernel"]),
        strides=list(op.attrs["stride"]), pads=[ph, pw, ph, pw],
        dilations=list(op.attrs.get("dilation", (1, 1))),
        ceil_mode=int(op.attrs.get("ceil_mode", False))))


@converts("AvgPool")
def _avg_pool(b, op, xs, out):
    # ONNX's AveragePool takes the same window, stride, padding and divisor choice.
    if op.attrs.get("divisor_override"):
        raise UnsupportedOpError(f"ONNX export: AvgPool (node '{op.name}') with "
                                 f"divisor_override has no ONNX equivalent")
    ph, pw = op.attrs["padding"]
    _in_onnx_layout(b, op, xs, out, lambda xs, out: b.add(
        "AveragePool", xs, out, kernel_shape=list(op.attrs["kernel"]),
        strides=list(op.attrs["stride"]), pads=[ph, pw, ph, pw],
        ceil_mode=int(op.attrs.get("ceil_mode", False)),
        count_include_pad=int(op.attrs.get("count_include_pad", True))))
