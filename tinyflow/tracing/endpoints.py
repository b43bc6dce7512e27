"""What a model takes and gives, as named tensors of one graph: the common
ground of ONNX export and SavedModel bundles.

``endpoints(model, ...)`` accepts

* an ``nn.Module`` or a ``tinyflow.function``: traced now on ``example_inputs``
  (in evaluation mode), with the axes named in ``dynamic_axes`` left unknown;
* a ``TracedModule`` (``tinyflow.jit.trace``) or a ``ConcreteFunction``;
* a ``Session`` (its variables' values are used) or a ``Graph``, with
  ``inputs`` and ``outputs`` given as lists of tensors (named after their ops)
  or dicts {name: tensor};
* a bundle loaded by ``tinyflow.saved_model.load``: its serving signature.

>>> import tinyflow as tf, tinyflow.nn as nn
>>> e = endpoints(nn.Linear(3, 2), tf.zeros(4, 3), dynamic_axes={"x": {0: "batch"}})
>>> [(n, t.shape) for n, t in e.inputs], [n for n, _ in e.outputs]
([('x', TensorShape([None, 3]))], ['output_0'])
"""
from typing import NamedTuple

from ..graph.graph import Graph
from ..graph.tensor import SymbolicTensor
from .function import ConcreteFunction, Function
from ..graph.session import Session
from . import trace_graph as tracing
from ..io import bundle
from ..io.saved_model_names import SERVING, DEFAULT_SERVING_SIGNATURE_DEF_KEY, PREDICT_METHOD_NAME
from ..io.signature import SignatureDef, build_tensor_info


class Endpoints(NamedTuple):
    graph: Graph
    inputs: list        # [(name, placeholder)]
    outputs: list       # [(name, tensor)]
    values: dict        # {VariableV2 op: array}
    dims: dict          # {input or output name: {axis: dim name}}


def endpoints(model, example_inputs=None, input_names=None, output_names=None,
              inputs=None, outputs=None, dynamic_axes=None):
    """The named inputs and outputs of ``model`` (see the module docstring)."""
    dims = _dims(dynamic_axes)
    if hasattr(model, "named_modules") or isinstance(model, Function):
        if example_inputs is None:
            raise TypeError(f"a {type(model).__name__} is traced on example inputs: pass "
                            f"example_inputs (a tensor or a tuple of tensors)")
        fn = model.python_function if isinstance(model, Function) else model
        target = fn.forward if hasattr(fn, "named_modules") else fn
        examples = tracing.as_examples(example_inputs)
        names = list(input_names or tracing.input_names(target, len(examples)))
        cf = tracing.trace_graph(fn, examples, names, {n: list(d) for n, d in dims.items()},
                             getattr(model, "name", type(model).__name__))
        return _from_concrete(cf, names, output_names, {}, dims)
    if hasattr(model, "concrete_function") and hasattr(model, "dynamic_axes"):   # jit.trace's
        known = {n: dict(d) for n, d in model.dynamic_axes.items()}
        for n, d in dims.items():
            known.setdefault(n, {}).update(d)
        return _from_concrete(model.concrete_function, input_names or model.input_names,
                              output_names or model.output_names, {}, known)
    if isinstance(model, ConcreteFunction):
        names = input_names or [p.node.name for p in model._inputs]
        return _from_concrete(model, names, output_names, {}, dims)
    if hasattr(model, "signatures") and hasattr(model, "session"):
        sig = model.signatures[model.default_signature]
        model, inputs, outputs = model.session, dict(sig.inputs), dict(sig.outputs)
    if isinstance(model, (Session, Graph)):
        graph = model.graph if isinstance(model, Session) else model
        if inputs is None and isinstance(example_inputs, dict):
            inputs = list(example_inputs)
        if inputs is None or outputs is None:
            raise TypeError("a Session or Graph needs inputs=[...] and outputs=[...] "
                            "(tensors, or dicts {name: tensor})")
        ins = _named(graph, inputs, input_names, "input")
        outs = _named(graph, outputs, output_names, "output")
        values = model.variable_values() if isinstance(model, Session) else {}
        return _checked(Endpoints(graph, ins, outs, values, dims))
    raise TypeError(f"cannot export a {type(model).__name__}: expected an nn.Module, a "
                    f"tinyflow.function, a traced module, a Session or a Graph")


def _from_concrete(cf, names, output_names, values, dims):
    names = list(names)
    if len(names) != len(cf._inputs):
        raise ValueError(f"{len(names)} input names for {len(cf._inputs)} inputs")
    flat = cf.outputs
    if not all(isinstance(t, SymbolicTensor) for t in flat):
        raise TypeError("the traced function must return tensors (or a tuple/dict of tensors)")
    outs = list(output_names or tracing.output_names(cf.structured_outputs, len(flat)))
    if len(outs) != len(flat):
        raise ValueError(f"{len(outs)} output names for {len(flat)} outputs")
    return _checked(Endpoints(cf.graph, list(zip(names, cf._inputs)), list(zip(outs, flat)),
                              values, dims))


def _named(graph, tensors, names, what):
    if isinstance(tensors, dict):
        pairs = list(tensors.items())
    else:
        tensors = list(tensors) if isinstance(tensors, (list, tuple)) else [tensors]
        names = list(names) if names else [None] * len(tensors)
        if len(names) != len(tensors):
            raise ValueError(f"{len(names)} {what} names for {len(tensors)} {what}s")
        pairs = list(zip(names, tensors))
    out = []
    for n, t in pairs:
        t = graph.as_graph_element(t) if isinstance(t, str) else t
        if not isinstance(t, SymbolicTensor) or t.graph is not graph:
            raise TypeError(f"{what} {n or t!r} is not a tensor of the model's graph")
        out.append((str(n) if n is not None else t.node.name, t))
    return out


def _dims(dynamic_axes):
    """{name: {axis: dim name}}, from that or from torch's {name: [axes]}."""
    out = {}
    for name, axes in (dynamic_axes or {}).items():
        if isinstance(axes, dict):
            out[name] = {int(a): str(d) for a, d in axes.items()}
        else:
            out[name] = {int(a): f"{name}_dim{int(a)}" for a in axes}
    return out


def _checked(e):
    """Every name in dims is an input or output, and each named axis is unknown."""
    shapes = {n: t._shape for n, t in e.inputs + e.outputs}
    dims = {}
    for name, axes in e.dims.items():
        if name not in shapes:
            raise ValueError(f"dynamic_axes names {name!r}, which is neither an input "
                             f"({', '.join(n for n, _ in e.inputs)}) nor an output "
                             f"({', '.join(n for n, _ in e.outputs)})")
        shape = shapes[name]
        dims[name] = {}
        for axis, dim in axes.items():
            if shape is not None and not -len(shape) <= axis < len(shape):
                raise ValueError(f"dynamic axis {axis} is out of range for {name!r} of shape "
                                 f"{tuple(shape)}")
            axis = axis % len(shape) if shape is not None else axis
            if shape is not None and shape[axis] is not None and name in dict(e.inputs):
                raise ValueError(f"dynamic_axes: dimension {axis} of input {name!r} is fixed to "
                                 f"{shape[axis]} in this graph; build it with None there (or "
                                 f"export the module or function itself, which is traced anew)")
            dims[name][axis] = dim
    return e._replace(dims=dims)


def write_bundle(e, export_dir, tags=(SERVING,), overwrite=False):
    """Write the endpoints ``e`` as a SavedModel-style bundle with one signature,
    "serving_default" (what ``saved_model.save`` and ``TracedModule.save`` do)."""
    sig = SignatureDef({n: build_tensor_info(t) for n, t in e.inputs},
                       {n: build_tensor_info(t) for n, t in e.outputs}, PREDICT_METHOD_NAME)
    data, arrays = bundle.freeze(e.graph, e.values)
    bundle.write(export_dir, data, arrays, list(tags), {DEFAULT_SERVING_SIGNATURE_DEF_KEY: sig},
                 overwrite)
