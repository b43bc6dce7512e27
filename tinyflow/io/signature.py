"""Signatures: which tensors a bundle takes and gives, by key -- as data.

A ``SignatureDef`` maps input and output keys ("x", "y") to ``TensorInfo``
(a tensor's name, dtype and shape), as TensorFlow's does; it is written to
the bundle's JSON and read back from it.

>>> import tinyflow.compat.v1 as tf
>>> tf.reset_default_graph()
>>> x = tf.placeholder(tf.float32, [None, 3], name="x")
>>> sig = predict_signature_def({"x": x}, {"y": x * 2.0})
>>> sig.inputs["x"]
TensorInfo(name='x:0', dtype='float32', shape=[None, 3])
"""
from typing import NamedTuple

import numpy as np

from ..base.errors import CheckpointError
from .saved_model_names import PREDICT_METHOD_NAME


class TensorInfo(NamedTuple):
    name: str            # "x:0"
    dtype: str           # "float32"
    shape: list          # [None, 3] (None: unknown size), or None for an unknown rank


class SignatureDef(NamedTuple):
    inputs: dict         # key -> TensorInfo
    outputs: dict
    method_name: str = PREDICT_METHOD_NAME


def build_tensor_info(tensor):
    """The TensorInfo of a symbolic tensor."""
    shape = None if tensor._shape is None else list(tensor._shape)
    return TensorInfo(tensor.name, np.dtype(tensor.dtype).name, shape)


def build_signature_def(inputs=None, outputs=None, method_name=PREDICT_METHOD_NAME):
    """A SignatureDef from dicts of TensorInfo."""
    return SignatureDef(dict(inputs or {}), dict(outputs or {}), method_name)


def predict_signature_def(inputs, outputs):
    """A predict SignatureDef from dicts of tensors: {"x": x}, {"y": y}."""
    return SignatureDef({k: build_tensor_info(t) for k, t in inputs.items()},
                        {k: build_tensor_info(t) for k, t in outputs.items()},
                        PREDICT_METHOD_NAME)


def get_tensor_from_tensor_info(info, graph):
    return graph.get_tensor_by_name(info.name)


def to_dict(sig):
    return {"inputs": {k: i._asdict() for k, i in sig.inputs.items()},
            "outputs": {k: i._asdict() for k, i in sig.outputs.items()},
            "method_name": sig.method_name}


def from_dict(data, where):
    """A SignatureDef from bundle JSON, checked: anything odd is a CheckpointError."""
    try:
        parts = [{str(k): _info(v) for k, v in data[side].items()}
                 for side in ("inputs", "outputs")]
        method = data.get("method_name", PREDICT_METHOD_NAME)
        if not isinstance(method, str):
            raise TypeError("method_name is not a string")
    except (KeyError, TypeError, AttributeError, ValueError) as e:
        raise CheckpointError(f"{where}: corrupt signature ({type(e).__name__}: {e})") from None
    return SignatureDef(parts[0], parts[1], method)


def _info(v):
    name, dtype, shape = v["name"], v["dtype"], v["shape"]
    if not isinstance(name, str) or not isinstance(dtype, str):
        raise TypeError(f"bad tensor info {v!r}")
    if shape is not None and not all(d is None or isinstance(d, int) for d in shape):
        raise TypeError(f"bad shape {shape!r}")
    return TensorInfo(name, dtype, None if shape is None else list(shape))
