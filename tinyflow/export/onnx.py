"""Export to ONNX, the exchange format that onnxruntime (and most deployment
tools) run. Needs the optional extra: ``pip install 'tinyflow-lab[onnx]'``.

>>> import numpy as np, tinyflow as tf, tinyflow.nn as nn
>>> net = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 10))
>>> model = tf.onnx.export(net, tf.zeros(4, 64), "mlp.onnx",
...                        dynamic_axes={"x": {0: "batch"}})         # doctest: +SKIP
>>> tf.onnx.run("mlp.onnx", {"x": np.ones((7, 64), np.float32)})[0].shape  # doctest: +SKIP
(7, 10)

What can be exported (see endpoints.py):

* ``export(module, example_inputs, path)``: the module is traced in evaluation
  mode; its parameters become initializers named after them ("fc1.weight").
* ``export(fn, example_inputs, path)`` for a ``tinyflow.function``, and
  ``export(traced, path=...)`` for a ``tinyflow.jit.trace`` result.
* graph mode: ``export(sess, path=..., inputs=[x], outputs=[y])`` (or dicts
  {name: tensor}); the session supplies the variables' values. A ``Graph``
  without variables works the same way. Placeholder dimensions that are None
  stay dynamic.

Input names default to the forward function's parameter names ("x") or the
placeholders' names; output names to ``output_0``, ``output_1``...
``dynamic_axes={"x": {0: "batch"}}`` leaves those sizes open (torch's spelling).
"""
import os

from ..io.files import atomic_write
from ..tracing.endpoints import endpoints
from .onnx_build import to_model, require_onnx
from .onnx_ops import UnsupportedOpError, CONVERTERS  # noqa: F401  (re-exported)

MIN_OPSET = 13


def export(model, example_inputs=None, path=None, input_names=None, output_names=None,
           dynamic_axes=None, opset=17, *, inputs=None, outputs=None):
    """Write ``model`` as an ONNX file at ``path`` (if given); returns the
    checked ``onnx.ModelProto``. An op with no ONNX mapping raises
    ``UnsupportedOpError`` naming it."""
    require_onnx()
    if int(opset) < MIN_OPSET:
        raise ValueError(f"opset {opset} is too old: tinyflow exports opset {MIN_OPSET} or newer "
                         f"(Softmax changed meaning in 13); 17 is the default")
    e = endpoints(model, example_inputs, input_names, output_names, inputs, outputs,
                  dynamic_axes)
    name = getattr(e.graph, "name", None) or "tinyflow"
    proto = to_model(e.inputs, e.outputs, e.values, e.dims, int(opset), name=name)
    if path is not None:
        data = proto.SerializeToString()
        atomic_write(os.fspath(path), lambda f: f.write(data))
    return proto


def run(model_or_path, feeds, runtime="onnxruntime"):
    """Run an exported model: ``feeds`` maps input names to arrays; returns the
    outputs as a list of arrays. ``runtime="reference"`` uses onnx's pure-Python
    ReferenceEvaluator instead of onnxruntime."""
    onnx = require_onnx()
    model = model_or_path
    if not hasattr(model, "SerializeToString"):
        model = onnx.load(os.fspath(model_or_path))
    if runtime == "reference":
        from onnx.reference import ReferenceEvaluator
        return ReferenceEvaluator(model).run(None, feeds)
    if runtime != "onnxruntime":
        raise ValueError(f"runtime must be 'onnxruntime' or 'reference', got {runtime!r}")
    try:
        import onnxruntime
    except ImportError:
        raise ImportError("running ONNX models needs the optional 'onnx' extra: "
                          "pip install 'tinyflow-lab[onnx]'") from None
    session = onnxruntime.InferenceSession(model.SerializeToString(),
                                           providers=["CPUExecutionProvider"])
    return session.run(None, feeds)
