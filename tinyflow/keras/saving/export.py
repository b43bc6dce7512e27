"""``model.export(path)``: the model as an inference artifact that needs no Keras --
a SavedModel bundle (``tinyflow.saved_model.load``) or an ONNX file
(``format="onnx"``; ``tinyflow.onnx.run`` or onnxruntime runs it).

The model is traced once in inference mode (``training=False``) on an example
batch, with the batch dimension left open, and the trace is checked against
the Python on that example before anything is written.

>>> import os, tempfile, numpy as np
>>> from tinyflow import keras, saved_model
>>> model = keras.Sequential([keras.layers.Dense(2, input_shape=(3,))])
>>> path = os.path.join(tempfile.mkdtemp(), "served")
>>> model.export(path)
>>> saved_model.load(path)(np.ones((5, 3), "float32")).shape
(5, 2)
"""
import os

import numpy as np

from ...tracing.endpoints import endpoints, write_bundle
from ...tracing.trace_graph import trace_graph


def example_inputs(model, example_input=None):
    """Example batches of one sample (zeros) in the shapes the model was built for."""
    if example_input is not None:
        xs = example_input if isinstance(example_input, (list, tuple)) else [example_input]
        return [np.asarray(getattr(x, "array", x)) for x in xs]
    net = getattr(model, "_network", None)
    if net is not None:
        return [np.zeros((1,) + tuple(x._symbolic._shape[1:]), np.dtype(x.dtype))
                for x in net.inputs]
    shape = model._build_input_shape
    if shape is None:
        raise ValueError(f"export: the model {model.name!r} has not been called yet, so its "
                         f"input shape is unknown; call it on data first or pass example_input=")
    shapes = shape if isinstance(shape, list) and shape and isinstance(shape[0], (list, tuple)) \
        else [shape]
    return [np.zeros((1,) + tuple(s[1:]), model.dtype) for s in shapes]


def serving_function(model, example_input=None):
    """The model traced for inference, its inputs named after the model's inputs."""
    examples = example_inputs(model, example_input)
    names = model.input_names if getattr(model, "_network", None) is not None else \
        ["inputs" if len(examples) == 1 else f"inputs_{i}" for i in range(len(examples))]
    names = [n.replace("/", "_") for n in names]

    def serve(*xs):
        return model(list(xs) if len(xs) > 1 else xs[0], training=False)
    return trace_graph(serve, examples, names, {n: [0] for n in names}, model.name), names


def export_model(model, filepath, format="tf_saved_model", example_input=None):
    filepath = os.fspath(filepath)
    cf, names = serving_function(model, example_input)
    outputs = getattr(model, "output_names", None) if getattr(model, "_network", None) else None
    if format in ("tf_saved_model", "saved_model"):
        e = endpoints(cf, input_names=names, output_names=outputs)
        write_bundle(e, filepath, overwrite=True)
        return None
    if format == "onnx":
        from ...export.onnx import export        # onnx itself loads only when exporting
        dims = {n: {0: "batch"} for n in names}
        return export(cf, path=filepath, input_names=names, output_names=outputs,
                           dynamic_axes=dims)
    raise ValueError(f"Unrecognized format={format}: expected 'tf_saved_model' or 'onnx'")
