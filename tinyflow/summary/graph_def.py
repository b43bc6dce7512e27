"""A tinyflow graph as TensorBoard's ``GraphDef``: one ``NodeDef`` per op.

TensorBoard draws a graph from a ``GraphDef`` protocol buffer (TensorFlow's
format). Each node has a name (``/`` in names makes collapsible boxes), an op
type, its inputs by name (``"^name"`` for control inputs) and attributes:
``T``/``dtype``, ``shape`` and ``_output_shapes`` (the labels on the edges).
An op's ``.type`` already is TensorFlow's name (``MatMul``, ``BiasAdd``...);
the few tinyflow-only ops get the nearest TensorFlow type, and keep their own
name in the attribute ``_tinyflow_type``.

>>> import tinyflow.compat.v1 as tf
>>> tf.reset_default_graph()
>>> x = tf.placeholder(tf.float32, [None, 3], name="x")
>>> y = tf.layers.dense(x, 2, name="fc")
>>> [(n.name, n.op, list(n.input)) for n in as_graph_def(tf.get_default_graph()).node][-1]
('fc/BiasAdd', 'BiasAdd', ['fc/MatMul', 'fc/bias'])
"""
from types import SimpleNamespace

import numpy as np

INSTALL = "pip install 'tinyflow-lab[tensorboard]'"

# tinyflow-only op types -> the TensorFlow op that does the same job
TF_TYPES = {
    "Capture": "VarHandleOp",           # an eager tensor read by the graph: a resource variable
    "SumTo": "Sum",                     # gradient of broadcasting: sum back to a shape
    "BroadcastLike": "BroadcastTo",
    "ReshapeLike": "Reshape",
    "ReducedSize": "Size",
    "GetItem": "StridedSlice",
    "GetItemGrad": "StridedSliceGrad",
    "GradHook": "Identity",
    "Breakpoint": "Identity",
}

_DTYPES = {
    "float32": "DT_FLOAT", "float64": "DT_DOUBLE", "float16": "DT_HALF",
    "int8": "DT_INT8", "int16": "DT_INT16", "int32": "DT_INT32", "int64": "DT_INT64",
    "uint8": "DT_UINT8", "uint16": "DT_UINT16", "uint32": "DT_UINT32", "uint64": "DT_UINT64",
    "bool": "DT_BOOL", "complex64": "DT_COMPLEX64", "complex128": "DT_COMPLEX128",
}
_SOURCES = ("Placeholder", "VariableV2", "Const", "Capture")    # nodes TF gives dtype and shape
_CONST_VALUE_BYTES = 1024    # larger constants are left out of the drawing (as TensorBoard does)


_protos = None


def protos():
    """tensorboardX's protocol buffer classes, imported on first use.

    tensorboardX is an optional extra; without it this raises an ImportError
    that says how to install it.
    """
    global _protos
    if _protos is None:
        try:
            import tensorboardX  # noqa: F401  (fails first if it is missing)
            from google.protobuf.message import DecodeError
            from tensorboardX.event_file_writer import EventsWriter
            from tensorboardX.proto import (attr_value_pb2, event_pb2, graph_pb2, node_def_pb2,
                                            summary_pb2, tensor_pb2, tensor_shape_pb2, types_pb2,
                                            versions_pb2)
        except ImportError as e:
            raise ImportError(f"tinyflow.summary writes TensorBoard files with tensorboardX, "
                              f"which is not installed. Install it with: {INSTALL}") from e
        _protos = SimpleNamespace(
            tensorboardX=tensorboardX, EventsWriter=EventsWriter, DecodeError=DecodeError,
            AttrValue=attr_value_pb2.AttrValue, Event=event_pb2.Event, GraphDef=graph_pb2.GraphDef,
            NodeDef=node_def_pb2.NodeDef, Summary=summary_pb2.Summary,
            TensorProto=tensor_pb2.TensorProto, TensorShapeProto=tensor_shape_pb2.TensorShapeProto,
            VersionDef=versions_pb2.VersionDef, types=types_pb2)
    return _protos


def tf_dtype(dtype):
    """numpy dtype -> TensorFlow's DataType number (DT_FLOAT...), DT_INVALID if none."""
    types = protos().types
    d = np.dtype(dtype)
    if d.kind in "SO":                       # bytes, or tf.string's object arrays of bytes
        return types.DT_STRING
    return types.DataType.Value(_DTYPES.get(d.name, "DT_INVALID"))


def shape_proto(shape):
    """A static shape (None for unknown rank or dims) -> TensorShapeProto, -1 for unknown."""
    S = protos().TensorShapeProto
    if shape is None:
        return S(unknown_rank=True)
    return S(dim=[S.Dim(size=-1 if d is None else int(d)) for d in shape])


def as_graph_def(graph):
    """The ``GraphDef`` proto TensorBoard draws for a tinyflow ``Graph``."""
    p = protos()
    return p.GraphDef(node=[node_def(op) for op in graph.get_operations()],
                      versions=p.VersionDef(producer=22))


def node_def(op):
    """One op as a ``NodeDef``: name, TF op type, inputs and attributes."""
    p = protos()
    node = p.NodeDef(name=op.name, op=TF_TYPES.get(op.type, op.type))
    node.input.extend(_input_name(t) for t in op.inputs)
    node.input.extend("^" + c.name for c in op.control_inputs)
    attrs = node.attr
    for key, value in op.attrs.items():
        a = _attr(key, value)
        if a is not None:
            attrs[key].CopyFrom(a)
    if op.inputs and "T" not in attrs:
        attrs["T"].type = tf_dtype(op.inputs[0].dtype)
    if op.outputs:
        out = op.outputs[0]
        if op.type in _SOURCES or op.type.startswith("Random"):
            attrs["dtype"].type = tf_dtype(out.dtype)
            attrs["shape"].shape.CopyFrom(shape_proto(out._shape))
        attrs["_output_shapes"].list.shape.extend(shape_proto(t._shape) for t in op.outputs)
    if op.type == "Const":
        value = _const_value(op.attrs.get("value"))
        if value is not None:
            attrs["value"].tensor.CopyFrom(value)
    if node.op != op.type:
        attrs["_tinyflow_type"].s = op.type.encode()
    return node


def _input_name(t):
    # TensorFlow writes output 0 as just the op's name, others as "name:i"
    return t.node.name if t.index == 0 else f"{t.node.name}:{t.index}"


def _attr(key, v):
    """A Python attribute -> AttrValue, or None for what TensorBoard cannot show."""
    A = protos().AttrValue
    if key == "value":
        return None                          # Const values: see _const_value
    if key == "shape" and (v is None or isinstance(v, (tuple, list))):
        return A(shape=shape_proto(v))
    if isinstance(v, np.dtype) or (isinstance(v, type) and issubclass(v, np.generic)):
        return A(type=tf_dtype(v))
    if isinstance(v, (bool, np.bool_)):
        return A(b=bool(v))
    if isinstance(v, (int, np.integer)):
        return A(i=int(v))
    if isinstance(v, (float, np.floating)):
        return A(f=float(v))
    if isinstance(v, str):
        return A(s=v.encode())
    if isinstance(v, (tuple, list)) and all(isinstance(x, (int, np.integer)) for x in v):
        return A(list=A.ListValue(i=[int(x) for x in v]))
    if isinstance(v, (tuple, list)) and all(isinstance(x, (int, float, np.number)) for x in v):
        return A(list=A.ListValue(f=[float(x) for x in v]))
    return None


def _const_value(value):
    if not isinstance(value, np.ndarray) or value.nbytes > _CONST_VALUE_BYTES:
        return None
    dt = tf_dtype(value.dtype)
    if dt == protos().types.DT_INVALID or value.dtype.kind in "SO":
        return None
    return protos().TensorProto(dtype=dt, tensor_shape=shape_proto(value.shape),
                                tensor_content=np.ascontiguousarray(value).tobytes())
