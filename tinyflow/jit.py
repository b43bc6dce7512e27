"""``tinyflow.jit.trace``: run a Module once on symbolic inputs and keep the
graph it builds -- a callable you can draw, save and export.

>>> import tinyflow as tf, tinyflow.nn as nn
>>> _ = tf.manual_seed(0)
>>> net = nn.Sequential(nn.Linear(4, 3), nn.ReLU())
>>> traced = tf.jit.trace(net, tf.zeros(2, 4))
>>> traced(tf.ones(5, 4)).shape                 # the batch dimension is not fixed
(5, 3)
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
import inspect

import numpy as np

from .graph.api import placeholder
from .graph.tensor import SymbolicTensor
from .graph.graph import get_default_graph
from .graph.function import ConcreteFunction
from .ops.primitive import is_eager


class Spec:
    """The shape (None for an unknown size), dtype and name of a traced input."""
    __slots__ = ("shape", "dtype", "name")

    def __init__(self, shape, dtype, name):
        self.shape, self.dtype, self.name = tuple(shape), np.dtype(dtype), name

    def __repr__(self):
        return f"Spec({self.name!r}, shape={self.shape}, dtype={self.dtype.name})"


class TracedFunction(ConcreteFunction):
    """A ConcreteFunction traced from ``Spec`` inputs (which may have None dimensions)."""

    def _symbolic(self, a, name):
        if isinstance(a, Spec):
            p = placeholder(a.dtype, a.shape, name=a.name)
            self._inputs.append(p)
            return p
        return super()._symbolic(a, name)


def as_examples(example_inputs):
    """One example or a tuple/list of them -> a tuple of arrays or tensors."""
    xs = example_inputs if isinstance(example_inputs, (tuple, list)) else (example_inputs,)
    out = []
    for x in xs:
        if is_eager(x) or isinstance(x, np.ndarray):
            out.append(x)
        elif isinstance(x, (int, float, list)):
            out.append(np.asarray(x))
        else:
            raise TypeError(f"example inputs must be tensors or numpy arrays, got "
                            f"{type(x).__name__}")
    return tuple(out)


def input_names(fn, n):
    """The names of ``fn``'s first ``n`` positional parameters ("x"), else input_0..."""
    try:
        params = list(inspect.signature(fn).parameters.values())
    except (TypeError, ValueError):
        params = []
    named = [p.name for p in params
             if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    return [named[i] if i < len(named) else f"input_{i}" for i in range(n)]


def output_names(structured, n):
    """A dict's keys when the function returns a dict, else output_0, output_1..."""
    if isinstance(structured, dict) and len(structured) == n:
        return [str(k) for k in structured]
    return [f"output_{i}" for i in range(n)]


def trace_graph(fn, example_inputs, names=None, dynamic=None, name="trace"):
    """Trace ``fn`` (a Module or a function) into a TracedFunction.

    ``dynamic`` maps an input name to the axes whose size stays unknown.
    Modules are traced in evaluation mode, each sub-module under its name.
    """
    examples = as_examples(example_inputs)
    target = fn.forward if hasattr(fn, "named_modules") else fn
    names = list(names) if names else input_names(target, len(examples))
    if len(names) != len(examples):
        raise ValueError(f"{len(names)} input names for {len(examples)} example inputs")
    dynamic = dynamic or {}
    specs = []
    for x, n in zip(examples, names):
        shape = list(x.shape)
        for axis in dynamic.get(n, ()):
            if not -len(shape) <= axis < len(shape):
                raise ValueError(f"dynamic axis {axis} is out of range for input {n!r} of "
                                 f"shape {tuple(x.shape)}")
            shape[axis] = None
        specs.append(Spec(shape, x.dtype, n))
    if not hasattr(fn, "named_modules"):
        return _checked(TracedFunction(fn, specs, {}, name), fn, examples)
    with _eval_mode(fn):
        return _checked(TracedFunction(_scoped(fn), specs, {}, name), fn, examples)


class TracingCheckError(ValueError):
    """The traced graph does not compute what the Python code does (as torch's check_trace)."""


def _checked(concrete, fn, examples):
    """Run the graph and the Python once on the examples and compare, so that a
    trace that baked in something it should not fails now, not in production."""
    from .eager.grad_mode import no_grad
    try:
        with no_grad():
            got, want = _leaves(concrete(*examples)), _leaves(fn(*examples))
    except Exception as e:
        raise TracingCheckError(f"the traced graph fails on the example inputs: {e}") from e
    for i, (g, w) in enumerate(zip(got, want)):
        g, w = np.asarray(getattr(g, "data", g)), np.asarray(getattr(w, "data", w))
        if g.shape != w.shape or not np.allclose(g, w, rtol=1e-5, atol=1e-6, equal_nan=True):
            detail = (f"shape {g.shape} instead of {w.shape}" if g.shape != w.shape else
                      f"values differ by up to {np.max(np.abs(g - w)):.3g}")
            raise TracingCheckError(f"the traced graph gives a different output {i} than the "
                                    f"Python code on the example inputs ({detail})")
    return concrete


def _leaves(x):
    if isinstance(x, (list, tuple)):
        return [leaf for v in x for leaf in _leaves(v)]
    if isinstance(x, dict):
        return [leaf for v in x.values() for leaf in _leaves(v)]
    return [x]


class _eval_mode:
    """Evaluation mode for a module while tracing, each sub-module's mode restored after."""

    def __init__(self, module):
        self.module = module

    def __enter__(self):
        self.modes = [(m, m.training) for m in self.module.modules()]
        self.module.eval()

    def __exit__(self, *exc):
        for m, mode in self.modes:          # parents first: each call fixes its own subtree
            m.train(mode)


def _scoped(module):
    """``module`` called with each sub-module's ops under a name scope ("fc1/MatMul")."""
    def call(*args):
        graph, open_scopes, handles = get_default_graph(), [], []

        def enter(scope):
            def hook(m, args):
                cm = graph.name_scope(scope)
                cm.__enter__()
                open_scopes.append(cm)
            return hook

        def leave(m, args, out):
            open_scopes.pop().__exit__(None, None, None)

        for qualified, m in module.named_modules():
            if qualified:
                scope = qualified.replace(".", "/") + "/"
                handles.append(m.register_forward_pre_hook(enter(scope)))
                handles.append(m.register_forward_hook(leave))
        try:
            return module(*args)
        finally:
            for h in handles:
                h.remove()
    return call


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
        from . import saved_model
        return saved_model.save(self, export_dir, overwrite=overwrite)

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
