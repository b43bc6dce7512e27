"""A tinyflow graph -> an ONNX ModelProto: the ONNX renderer of the registry.

``to_model`` walks the ops the outputs need (the same walk a Session does),
turns placeholders into graph inputs, parameters and constants into
initializers, and every other op into ONNX nodes through the tables in
onnx_ops.py, onnx_math.py, onnx_shapes.py and onnx_control_flow.py (which
primitives are refused, and why: onnx_coverage.py). Nothing is computed:
values come from the ops themselves (``Const``), the eager tensors a trace
captured (``Capture``) or a session (``VariableV2``).
"""
import numpy as np

from ..autodiff import topo_order
from . import onnx_fuse
from .onnx_control_flow import MULTI_CONVERTERS
from .onnx_coverage import INPUT_OPS, refuse
from .onnx_ops import CONVERTERS


def require_onnx():
    """The ``onnx`` package, or an ImportError that names the extra to install."""
    try:
        import onnx
    except ImportError as e:
        raise ImportError("ONNX export needs the optional 'onnx' extra: "
                          "pip install 'tinyflow-lab[onnx]' (the onnx and onnxruntime "
                          f"packages) ({e})") from None
    return onnx


class Builder:
    """Collects ONNX nodes and initializers, handing out unique value names."""

    def __init__(self, onnx, opset):
        self.helper, self.numpy_helper = onnx.helper, onnx.numpy_helper
        self.opset = opset
        self.nodes, self.initializers = [], []
        self.names = set()
        self.scope = ""          # the op being converted: helper nodes are named after it

    def fresh(self, hint):
        name, i = hint, 1
        while name in self.names:
            name, i = f"{hint}_{i}", i + 1
        self.names.add(name)
        return name

    def add(self, op_type, inputs, out=None, **attrs):
        """One ONNX node; returns the name of its output."""
        out = out or self.fresh(f"{self.scope}/{op_type}" if self.scope else op_type)
        self.nodes.append(self.helper.make_node(op_type, list(inputs), [out], name=out, **attrs))
        return out

    def const(self, array, hint):
        """An initializer holding ``array``; returns its name."""
        name = self.fresh(hint)
        self.initializers.append(self.numpy_helper.from_array(np.asarray(array), name))
        return name

    def int64s(self, values, hint):
        return self.const(np.asarray(values, np.int64), hint)

    def tensor(self, array):
        """A TensorProto for a node attribute (ConstantOfShape's value)."""
        return self.numpy_helper.from_array(np.asarray(array))

    def onnx_dtype(self, dtype):
        return self.helper.np_dtype_to_tensor_dtype(np.dtype(dtype))

    def cast(self, name, have, want):
        """``name`` converted to ``want`` (a no-op when it already is)."""
        if np.dtype(have) == np.dtype(want):
            return name
        return self.add("Cast", [name], to=self.onnx_dtype(want))


def to_model(inputs, outputs, values=None, dims=None, opset=17, name="tinyflow"):
    """Build and check an ONNX model.

    ``inputs`` and ``outputs`` are lists of (ONNX name, symbolic tensor);
    ``values`` maps VariableV2 ops to their arrays; ``dims`` names the unknown
    dimensions: {input or output name: {axis: dim name}}.
    """
    onnx = require_onnx()
    b = Builder(onnx, opset)
    dims = dims or {}
    for n, _ in inputs + outputs:
        if n in b.names:
            raise ValueError(f"ONNX export: the name {n!r} is used for two inputs or outputs")
        b.names.add(n)
    value = {t: n for n, t in inputs}            # tinyflow tensor -> ONNX name
    wanted = {}
    for n, t in outputs:
        wanted.setdefault(t, n)
    _emit_all(b, [t for _, t in outputs], value, values or {}, wanted)
    for n, t in outputs:                         # an output that is an input, or listed twice
        if value[t] != n:
            b.add("Identity", [value[t]], n)
    graph = b.helper.make_graph(
        b.nodes, name, [_value_info(b, n, t, dims.get(n), default=True) for n, t in inputs],
        [_value_info(b, n, t, dims.get(n)) for n, t in outputs], initializer=b.initializers)
    opsets = [b.helper.make_opsetid("", opset)]
    # onnx stamps its newest IR version by default, which runtimes may not read yet:
    # ask for the oldest one that supports this opset (8 for opset 17).
    model = b.helper.make_model(graph, opset_imports=opsets, producer_name="tinyflow",
                                ir_version=b.helper.find_min_ir_version_for(opsets))
    onnx.checker.check_model(model, full_check=True)
    return model


def _emit_all(b, outputs, value, values, wanted=None):
    """Add the ops that ``outputs`` need to ``b``, given the ONNX names of the
    tensors in ``value`` (updated with every tensor emitted)."""
    ops = topo_order([t.node for t in outputs],
                     lambda op: [t.node for t in op.inputs if t not in value])
    ops = [op for op in ops if not (op.outputs and op.outputs[0] in value)]
    uses = _uses(ops, outputs)
    fused, absorbed = onnx_fuse.plan(ops, uses)
    wanted = wanted or {}
    for op in ops:
        if op in absorbed:
            continue
        if op.prim.multi_output:                # cond, while_loop: ONNX If and Loop
            def emit(fetches, outer):           # a branch or body, inside the same builder
                inner = dict(value)
                inner.update((t, outer[id(t)]) for t in _placeholders(fetches) if id(t) in outer)
                return _emit_all(b, fetches, inner, values)
            b.scope = op.name
            if op.type not in MULTI_CONVERTERS:
                refuse(op)
            names = MULTI_CONVERTERS[op.type](b, op, [value[t] for t in op.inputs], emit)
            value.update(zip(op.outputs, names))
            continue
        t = op.outputs[0]
        value[t] = _emit(b, op, value, wanted.get(t), values, fused)
    return [value[t] for t in outputs]


def _placeholders(fetches):
    """The Placeholder outputs that ``fetches`` depend on (a branch's inputs)."""
    ops = topo_order([t.node for t in fetches], lambda op: [t.node for t in op.inputs])
    return [op.outputs[0] for op in ops if op.type == "Placeholder"]


def _uses(ops, outputs):
    uses = {}
    for op in ops:
        for t in op.inputs:
            uses[t] = uses.get(t, 0) + 1
    for t in outputs:
        uses[t] = uses.get(t, 0) + 1
    return uses


def _emit(b, op, value, out, values, fused):
    """Add ``op`` to the model; returns the ONNX name of its result."""
    b.scope = op.name
    if op.type in INPUT_OPS:
        return _leaf(b, op, out, values)
    if op in fused:
        name = out or b.fresh(op.name)
        fused[op](b, value, name)
        return name
    convert = CONVERTERS.get(op.type)
    if convert is None:
        refuse(op)
    name = out or b.fresh(op.name)
    convert(b, op, [value[t] for t in op.inputs], name)
    return name


def _leaf(b, op, out, values):
    """A constant, a captured parameter or a variable becomes an initializer."""
    if op.type == "Placeholder":
        raise ValueError(f"ONNX export: the outputs depend on the placeholder '{op.name}', "
                         f"which is not one of the inputs")
    if op.type == "Const":
        array, hint = op.attrs["value"], op.name
    elif op.type == "Capture":
        tensor = op.attrs["tensor"]
        array, hint = np.array(tensor.array), tensor.name or op.name   # "fc1.weight"
    else:
        if op not in values:
            raise ValueError(f"ONNX export: the variable '{op.name}' has no value: export the "
                             f"Session that holds it (export(sess, ...)), after initializing it")
        array, hint = values[op], op.name
    name = b.const(np.asarray(array, op.outputs[0].dtype), hint)
    if out is not None:                        # a constant that is itself an output
        b.add("Identity", [name], out)
        return out
    return name


def _value_info(b, name, t, dims, default=False):
    """An input's or output's type and shape; unknown dimensions get names."""
    dims = dims or {}
    shape = t._shape
    if shape is not None:
        shape = [d if d is not None else dims.get(i, f"{name}_dim{i}" if default else None)
                 for i, d in enumerate(shape)]
    return b.helper.make_tensor_value_info(name, b.onnx_dtype(t.dtype), shape)
