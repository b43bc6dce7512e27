"""Which of tinyflow's primitives the ONNX export translates, and why it
refuses the others.

Every primitive in the registry (``ops/primitive.py``'s ``PRIMITIVES``) is one
of three kinds here:

* an input: ``Placeholder`` becomes a graph input; ``Const``, ``Capture`` (a
  parameter a trace captured) and ``VariableV2`` become initializers;
* translated: a converter in ``CONVERTERS`` (onnx_ops.py, onnx_math.py,
  onnx_shapes.py, onnx_tensor_ops.py) or ``MULTI_CONVERTERS`` (onnx_control_flow.py: cond and
  while_loop as ONNX If and Loop);
* refused, for the reason ``REFUSED`` gives. An exported model is a pure
  function computing forward values: ops that change state, print, raise,
  draw random numbers from tinyflow's generator, read a data pipeline, write
  summaries or compute gradients have no faithful ONNX meaning.

A new primitive must be one of the three (tests/test_onnx_ops_extra.py checks
that ``unexportable()`` is exactly ``REFUSED``).

>>> "Erf" in REFUSED, "Assign" in REFUSED
(False, True)
"""
from ..ops.primitive import PRIMITIVES
from . import onnx_math, onnx_shapes, onnx_tensor_ops  # noqa: F401  (they add converters)
from .onnx_control_flow import MULTI_CONVERTERS
from .onnx_ops import CONVERTERS, UnsupportedOpError

INPUT_OPS = ("Const", "Capture", "VariableV2", "Placeholder")

_GRADIENT = ("a gradient op, which only the reverse walk makes; ONNX models are exported "
             "forward only (export the forward ops and train in tinyflow)")
_STATE = ("it changes a variable, and an ONNX model has no state to change: export the ops "
          "that compute the value, not the update")
_RANDOM = ("it draws from tinyflow's seeded generator; ONNX's Random ops draw from the "
           "runtime's own (and have no truncated normal), so the numbers could not match: "
           "make the random numbers an input")
_RAISES = "it raises an error at run time, which an ONNX graph cannot do"
_SUMMARY = "a TensorBoard summary (a serialized protobuf), not part of a model"
_ITERATOR = ("it reads a tf.data pipeline while a session runs; an ONNX model takes its data "
             "as inputs: export with a placeholder in place of get_next()")

REFUSED = {
    "Assign": _STATE, "AssignAdd": _STATE, "AssignSub": _STATE,
    "AssignVariableOp": _STATE, "AssignAddVariableOp": _STATE, "AssignSubVariableOp": _STATE,
    "NoOp": "it groups control dependencies and has no value: export the tensors it waits for",
    "RandomStandardNormal": _RANDOM, "RandomUniform": _RANDOM, "TruncatedNormal": _RANDOM,
    "MakeIterator": _ITERATOR, "IteratorGetNext": _ITERATOR,
    "PrintV2": ("tf.print writes to a stream, a side effect an ONNX model cannot have "
                "(tf.Print, which passes its input through, exports as Identity)"),
    "Assert": _RAISES,
    "ExclusiveCheck": _RAISES + " (case(..., exclusive=True)): use exclusive=False",
    "ScalarSummary": _SUMMARY, "HistogramSummary": _SUMMARY, "MergeSummary": _SUMMARY,
    "SparseSoftmaxCrossEntropyWithLogits": (
        "a training loss: tinyflow rejects a label outside 0..C-1 with an IndexError, which "
        "an ONNX graph cannot do (GatherElements reads label -1 as the last class): export "
        "the logits and compute the loss outside the model"),
    "ScatterElements": ("ONNX's ScatterElements leaves the order of writes to a repeated "
                        "index undefined, where tinyflow's (and PyTorch's) scatter keeps the "
                        "last: export scatter_add (a sum), or compute the scatter outside"),
    "CumProd": ("ONNX has no running product (and its gradient is tinyflow's only): "
                "compute it outside the model"),
    "Im2Col": ("tinyflow's lowering of a convolution to a matrix product, kept for the "
               "lessons; ONNX has no Im2Col. conv2d and nn.Conv2d are the Conv2D op, which "
               "exports as Conv"),
    "Col2Im": ("Im2Col's adjoint, which a transposed convolution (nn.ConvTranspose1d/2d, "
               "F.conv_transpose2d) is built on; the export does not yet turn it into ONNX's "
               "ConvTranspose, so models with a transposed convolution cannot be exported"),
    "AvgPoolGrad": _GRADIENT, "MaxPoolGrad": _GRADIENT, "MaxPoolGradGrad": _GRADIENT,
    "GatherElementsGrad": _GRADIENT, "GetItemGrad": _GRADIENT,
    "SparseSoftmaxCrossEntropyGrad": _GRADIENT,
    "IfGrad": _GRADIENT + " (of a cond)", "WhileGrad": _GRADIENT + " (of a while_loop)",
}


def exportable(op_type):
    """Whether the export translates (or takes as an input) ops of this type."""
    return op_type in CONVERTERS or op_type in MULTI_CONVERTERS or op_type in INPUT_OPS


def unexportable():
    """The registered primitives the export refuses, sorted."""
    return sorted(name for name in PRIMITIVES if not exportable(name))


def refuse(op):
    """Raise the UnsupportedOpError for ``op``: its type, its name and the reason."""
    why = REFUSED.get(op.type)
    raise UnsupportedOpError(f"ONNX export: tinyflow op type '{op.type}' (node '{op.name}') "
                             f"has no ONNX mapping" + (f": {why}" if why else ""))
