"""``tinyflow.function``: trace eager Python into a graph, then run the graph.

The first call with a new input signature (shapes and dtypes of the tensor
arguments, values of the Python ones) runs the Python function once with
symbolic placeholders in place of the tensors: every op it calls adds a node
instead of computing. Later calls with that signature only run the graph.

What is traced is the function as AutoGraph rewrites it (``autograph=True``,
the default, as in TensorFlow 2): its ``if``/``while``/``for`` on tensors
become ``cond``/``while_loop`` ops (see ``tinyflow.autograph.to_code``).

>>> import tinyflow as tf
>>> @tf.function
... def f(x):
...     return (x * x).sum()
>>> f(tf.ones(3))
tensor(3.)
>>> f(tf.ones(5)); f.tracing_count
tensor(5.)
2
"""
import functools
import warnings

import numpy as np

from ..base import display
from ..base.config import Config
from ..base.nest import flatten
from ..graph.graph import Graph
from ..graph.tensor import SymbolicTensor
from ..graph.api import placeholder
from ..graph.session import Session
from ..ops.primitive import is_eager
from .autograph.effects import all_operations, has_effect, run_effects_with
from .autograph.runtime.calls import converted
from .autograph.runtime.variables import Undefined


def _is_eager(x):
    return is_eager(x)


def _signature(args, kwargs):
    def one(a):
        if _is_eager(a) or isinstance(a, np.ndarray):
            return ("T", tuple(a.shape), np.dtype(a.dtype).str)
        if isinstance(a, (list, tuple)):
            return (type(a).__name__,) + tuple(one(x) for x in a)
        return ("V", a if isinstance(a, (int, float, str, bool, type(None))) else id(a))
    return tuple(one(a) for a in args) + tuple((k, one(v)) for k, v in sorted(kwargs.items()))


class ConcreteFunction:
    """One traced graph: placeholders in, structured outputs out."""

    def __init__(self, fn, args, kwargs, name):
        self.graph = Graph(name)
        # Every branch and loop body traced in this graph waits for its own prints and
        # updates (graph/control_flow/function_graph.py asks for this hook), as TF2 does.
        self.graph.run_effects_with = run_effects_with
        self._inputs = []
        with self.graph.as_default():
            sym_args = [self._symbolic(a, f"arg{i}") for i, a in enumerate(args)]
            sym_kwargs = {k: self._symbolic(v, k) for k, v in kwargs.items()}
            self.structured_outputs = fn(*sym_args, **sym_kwargs)
        flat, self._rebuild = flatten(self.structured_outputs)
        for t in flat:
            if isinstance(t, Undefined):
                t.read()                   # a variable returned that no path assigned
        self.outputs = flat
        # Prints and updates run though nothing fetches them (TF2): see autograph/effects.py
        effects = [op for op in self.graph.get_operations() if has_effect(op)]
        self._fetch = [t for t in flat if isinstance(t, SymbolicTensor)] + effects
        self._session = Session(graph=self.graph)
        # What _records asks on every call, worked out once (the graph never changes).
        # Branches and loop bodies count: an update or a captured tensor may sit only there.
        ops = list(all_operations(self.graph))
        self.has_updates = any(op.type.endswith("VariableOp") for op in ops)
        self.captured = [op.attrs["tensor"] for op in ops if op.type == "Capture"]

    @property
    def inputs(self):
        """The placeholders that the tensor arguments are fed into, in order."""
        return list(self._inputs)

    def _symbolic(self, a, name):
        if _is_eager(a) or isinstance(a, np.ndarray):
            p = placeholder(a.dtype, tuple(a.shape), name=name)
            self._inputs.append(p)
            return p
        if isinstance(a, (list, tuple)):
            return type(a)(self._symbolic(x, f"{name}_{i}") for i, x in enumerate(a))
        return a

    def _feeds(self, args, kwargs):
        values = []

        def collect(a):
            if _is_eager(a):
                values.append(a.array)
            elif isinstance(a, np.ndarray):
                values.append(a)
            elif isinstance(a, (list, tuple)):
                for x in a:
                    collect(x)
        for a in args:
            collect(a)
        for k in sorted(kwargs):
            collect(kwargs[k])
        return dict(zip(self._inputs, values))

    def __call__(self, *args, **kwargs):
        from ..eager.tensor import Tensor
        results = self._session.run(self._fetch, self._feeds(args, kwargs))
        n = len([t for t in self.outputs if isinstance(t, SymbolicTensor)])
        values = iter(results[:n])
        out = [Tensor._wrap(np.asarray(next(values))) if isinstance(t, SymbolicTensor) else t
               for t in self.outputs]
        return self._rebuild(out)

    def _repr_mimebundle_(self, include=None, exclude=None):
        return display.mimebundle(self.graph, include, exclude)

    def __repr__(self):
        return f"<ConcreteFunction {self.graph.name} ({len(self.graph)} ops)>"


class Function:
    """A Python function traced into graphs, one per input signature."""

    def __init__(self, fn, name=None, autograph=True):
        self.python_function = fn
        self.name = name or getattr(fn, "__name__", "function")
        self.autograph = bool(autograph)
        self._converted = None
        self._concrete = {}
        self.tracing_count = 0
        self._warned = False
        functools.update_wrapper(self, fn)

    @property
    def concrete_functions(self):
        """Every graph traced so far, in tracing order."""
        return list(self._concrete.values())

    def get_concrete_function(self, *args, **kwargs):
        """The traced graph for these arguments (tracing now if it is new)."""
        key = _signature(args, kwargs)
        cf = self._concrete.get(key)
        if cf is None:
            try:
                cf = ConcreteFunction(self._traced_function(), args, kwargs,
                                      f"{self.name}_{len(self._concrete)}")
            except TypeError as e:
                if not self.autograph and "as a Python bool is not allowed" in str(e):
                    e.args = (f"{e}\n(AutoGraph is off: tinyflow.function({self.name}, "
                              f"autograph=False) runs Python's if/while as plain Python; with "
                              f"autograph=True, the default, they become cond / while_loop ops)",)
                raise
            self._concrete[key] = cf
            self.tracing_count += 1
        return cf

    def _traced_function(self):
        """What tracing runs: the function as AutoGraph converts it (once), or
        as it is with ``autograph=False`` (or when it cannot be converted)."""
        if not self.autograph:
            return self.python_function
        if self._converted is None:
            self._converted = converted(self.python_function)
        return self._converted

    def __call__(self, *args, **kwargs):
        cf = self.get_concrete_function(*args, **kwargs)
        if Config.grad_enabled and _records(cf, args, kwargs):
            # The tape is recording through this call: run the Python so gradients flow.
            if not self._warned:
                self._warned = True
                warnings.warn(f"tinyflow.function {self.name!r}: gradients are being recorded "
                              f"through this call, so it runs the Python eagerly (the traced "
                              f"graph is not differentiated). Call it under tinyflow.no_grad() "
                              f"to run the graph, or trace the whole training step with a "
                              f"GradientTape inside.", stacklevel=2)
            return self.python_function(*args, **kwargs)
        return cf(*args, **kwargs)

    def __get__(self, obj, objtype=None):
        if obj is None:
            return self
        return functools.partial(self.__call__, obj)

    def __repr__(self):
        return f"<tinyflow.function {self.name} ({len(self._concrete)} traced)>"

    def _repr_mimebundle_(self, include=None, exclude=None):
        """In Jupyter: the drawing of the latest trace (or just the text before any)."""
        if not self._concrete:
            return {"text/plain": repr(self)}
        return display.mimebundle(self, include, exclude, text=repr(self))


def _records(cf, args, kwargs):
    """Would running eagerly record anything on the tape?"""
    def any_grad(a):
        if _is_eager(a):
            return a.requires_grad
        if isinstance(a, (list, tuple)):
            return any(any_grad(x) for x in a)
        return False
    if any(any_grad(a) for a in args) or any(any_grad(v) for v in kwargs.values()):
        return True
    return not cf.has_updates and any(t.requires_grad for t in cf.captured)


def function(fn=None, input_signature=None, name=None, autograph=True):
    """Decorator: trace ``fn`` into a graph per input signature (TF2's tf.function).
    ``autograph=False`` traces the Python as written: no if/while conversion."""
    if fn is None:
        return lambda f: Function(f, name, autograph)
    return Function(fn, name, autograph)
