"""``tinyflow.jit.trace``: run a Module once on symbolic inputs and keep the
graph it builds -- a callable you can draw, save and export.

>>> import tinyflow as tf, tinyflow.nn as nn
>>> _ = tf.manual_seed(0)
>>> net = nn.Sequential(nn.Linear(4, 3), nn.ReLU())
>>> traced = tf.jit.trace(net, tf.zeros(2, 4))
>>> traced(tf.ones(5, 4)).shape                 # the batch dimension is not fixed
tinyflow.Size([5, 3])
>>> [op.name for op in traced.graph.get_operations()][:4]
['x', '0_weight', '0/Transpose', '0/MatMul']

What a trace is, and is not:

* It is traced in **evaluation mode** (Dropout is the identity, BatchNorm uses
  its running statistics); the module's own modes are restored afterwards.
* Each sub-module's ops are grouped under its name ("0/MatMul", "fc1/Add").
* Calling it always runs the graph, even while gradients are recorded (unlike
  ``tinyflow.function``, which then falls back to Python): a trace is for
  inference, and its outputs carry no gradient. Train the module itself; the
  trace reads the parameters' current values on every call, so it follows.
* By default the first dimension of every input is unknown ("batch"), so any
  batch size runs; ``dynamic_batch=False`` fixes every shape to the example's.

It reuses ``tinyflow.function``'s machinery: the trace is a ``ConcreteFunction``
whose placeholders may have unknown dimensions.
"""
import numpy as np

from ..graph.tensor import SymbolicTensor
from .endpoints import endpoints, write_bundle
from .trace_graph import TracingCheckError, as_examples, input_names, output_names, trace_graph  # noqa: F401


class TracedModule:
    """A module traced into a graph: call it, draw ``.graph``, ``.save`` it as a
    bundle (``tinyflow.saved_model.load`` reads it), or ``tinyflow.onnx.export`` it."""

    def __init__(self, module, concrete, input_names, output_names, dynamic_axes):
        self.module = module
        self.concrete_function = concrete
        self.input_names = list(input_names)
        self.output_names = list(output_names)
        self.dynamic_axes = dynamic_axes        # {input name: {axis: dim name}}

    @property
    def graph(self):
        return self.concrete_function.graph

    def __call__(self, *args):
        return self.concrete_function(*args)

    def save(self, export_dir, overwrite=False):
        """Write a SavedModel-style bundle (see ``tinyflow.saved_model.save``)."""
        write_bundle(endpoints(self), export_dir, overwrite=overwrite)

    def _repr_mimebundle_(self, include=None, exclude=None):
        return self.concrete_function._repr_mimebundle_(include, exclude)

    def __repr__(self):
        name = type(self.module).__name__
        return (f"<TracedModule of {name}: ({', '.join(self.input_names)}) -> "
                f"({', '.join(self.output_names)}), {len(self.graph)} ops>")


def trace(module, example_inputs, dynamic_batch=True):
    """Trace ``module`` (or a plain function) on ``example_inputs`` (a tensor, an
    array, or a tuple of them) into a graph-backed ``TracedModule``."""
    examples = as_examples(example_inputs)
    target = module.forward if hasattr(module, "named_modules") else module
    names = input_names(target, len(examples))
    dims = {n: {0: "batch"} for n, x in zip(names, examples) if dynamic_batch and x.ndim}
    name = type(module).__name__ if hasattr(module, "named_modules") else \
        getattr(module, "__name__", "trace")
    try:
        concrete = trace_graph(module, examples, names, dims, name)
    except (TypeError, ValueError) as e:
        if not dims:
            raise
        try:                        # does a fixed batch fix it? Only then say so.
            trace_graph(module, examples, names, {}, name)
        except (TypeError, ValueError):
            raise e from None
        raise type(e)(f"{e}\n(while tracing with an unknown batch size; "
                      f"trace(..., dynamic_batch=False) fixes it to the example's)") from e
    flat = [t for t in concrete.outputs if isinstance(t, SymbolicTensor)]
    if len(flat) != len(concrete.outputs):
        raise TypeError("trace: the module must return tensors (or a tuple/dict of tensors)")
    outs = output_names(concrete.structured_outputs, len(flat))
    return TracedModule(module, concrete, names, outs, dims)
