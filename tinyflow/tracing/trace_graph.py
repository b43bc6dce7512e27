"""Tracing a function into a graph on example inputs, whose sizes may be left
unknown: what ``tinyflow.jit.trace``, ``saved_model.save`` and
``tinyflow.onnx.export`` share.

>>> import tinyflow as tf
>>> cf = trace_graph(lambda x: x * 2, [tf.ones(3, 2)], ["x"], {"x": [0]})
>>> cf.inputs[0]
<tf.Tensor 'x:0' shape=(?, 2) dtype=float32>
"""
import inspect

import numpy as np

from ..base.nest import flatten
from ..eager.grad_mode import no_grad

from ..graph.api import placeholder
from ..graph.tensor import SymbolicTensor
from ..graph.graph import get_default_graph
from .function import ConcreteFunction
from ..ops.primitive import is_eager


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
    try:
        with no_grad():
            got, want = flatten(concrete(*examples))[0], flatten(fn(*examples))[0]
    except Exception as e:
        raise TracingCheckError(f"the traced graph fails on the example inputs: {e}") from e
    for i, (g, w) in enumerate(zip(got, want)):
        g, w = np.asarray(getattr(g, "array", g)), np.asarray(getattr(w, "array", w))
        if g.shape != w.shape or not np.allclose(g, w, rtol=1e-5, atol=1e-6, equal_nan=True):
            detail = (f"shape {g.shape} instead of {w.shape}" if g.shape != w.shape else
                      f"values differ by up to {np.max(np.abs(g - w)):.3g}")
            raise TracingCheckError(f"the traced graph gives a different output {i} than the "
                                    f"Python code on the example inputs ({detail})")
    return concrete


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
