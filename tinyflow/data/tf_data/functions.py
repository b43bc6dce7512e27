"""The user's functions in a pipeline -- ``map``, ``filter``, ``reduce`` -- run
as TensorFlow runs them: traced once into a graph.

When the dataset is built, the function is called once, on symbolic
placeholders shaped like the element (``element_spec``): every op it calls adds
a node to a graph (the machinery of ``tinyflow.function``, tracing/function.py)
and Python code around the ops -- a ``print``, appending to a list -- runs
that once. Each element then only runs the graph. The function therefore sees
symbolic tensors (``Tensor("arg0:0", shape=(), dtype=int64)``), and the
shapes of its results are known before any data is read.

Some Python cannot be traced: ``x.numpy()``, ``if x > 0:`` on a tensor. Then
the function runs *eagerly*, on each element's eager tensors, with a warning
naming the reason; ``tf.data.experimental.enable_debug_mode()`` asks for that
on purpose (to use ``print`` or pdb inside the function). Eagerly, Python
side effects happen for every element, and the element_spec is read from a
trace (or, when tracing fails, from the result of the first element).

>>> from tinyflow.data.tf_data import Dataset
>>> seen = []
>>> ds = Dataset.range(3).map(lambda x: seen.append(x) or x * 2)
>>> [x.tolist() for x in ds.as_numpy_iterator()], [x.tolist() for x in ds.as_numpy_iterator()]
([0, 2, 4], [0, 2, 4])
>>> seen                        # the function ran once, on a placeholder
[<tf.Tensor 'arg0:0' shape=() dtype=int64>]
"""
import inspect
import warnings

import numpy as np

from ...eager.grad_mode import no_grad
from ...graph.api import placeholder
from ...ops.primitive import is_symbolic
from ...tracing.function import ConcreteFunction
from .spec import TensorSpec, spec_of
from .structure import leaves, normalize, to_tensors
from .dtypes import infer_array


class _Debug:
    eager = False           # tf.data.experimental.enable_debug_mode() sets it


def enable_debug_mode():
    """Run the functions of map, filter and reduce eagerly, element by element
    (TensorFlow's ``tf.data.experimental.enable_debug_mode``)."""
    _Debug.eager = True


def call(fn, element):
    """TensorFlow's calling rule: a tuple element is spread over the arguments
    (``map(lambda x, y: ...)``); a dict or a named tuple comes as one argument."""
    if type(element) is tuple:
        return fn(*element)
    return fn(element)


def check_arity(fn, spec, where):
    """Refuse, when the dataset is built, a function taking the wrong number of arguments."""
    n = len(spec) if type(spec) is tuple else 1
    try:
        inspect.signature(fn).bind(*range(n))
    except TypeError as e:
        raise TypeError(f"{where}: the function {_name(fn)} cannot take the element as "
                        f"{n} positional argument{'s' * (n != 1)} ({e}); a tuple element is "
                        f"spread over the arguments, element_spec={spec}") from None
    except ValueError:
        pass                    # a builtin without a signature: let the call decide


def _name(fn):
    return getattr(fn, "__name__", type(fn).__name__)


class _SpecTrace(ConcreteFunction):
    """A ConcreteFunction whose placeholders come from TensorSpecs, so a size unknown
    in the element_spec (None) is unknown in the graph too."""

    def _symbolic(self, spec, name):
        p = placeholder(spec.dtype.dtype, tuple(spec.shape), name=name)
        self._inputs.append(p)
        return p


def _output_spec(value):
    if is_symbolic(value):
        return TensorSpec(value.shape.as_list(), value.dtype)
    return spec_of(infer_array(value))


class Traced:
    """``fn`` traced once over elements of ``input_spec``; calling it runs the graph on
    one element (numpy arrays) and gives the result as an element."""

    def __init__(self, fn, input_spec, where, name):
        self.where = where
        flat, rebuild = leaves(input_spec)
        self.graph_function = _SpecTrace(lambda *ph: call(fn, rebuild(list(ph))), flat, {}, name)
        self.output_spec = normalize(self.graph_function.structured_outputs, "tuple", where,
                                     leaf=_output_spec)

    def __call__(self, element):
        return normalize(self.graph_function(*leaves(element)[0]), "tuple", self.where)


class Eager:
    """``fn`` run on each element's eager tensors (recording no gradients)."""

    def __init__(self, fn, where):
        self.fn, self.where = fn, where

    def __call__(self, element):
        with no_grad():
            return normalize(call(self.fn, to_tensors(element)), "tuple", self.where)


def prepare(fn, input, where, name):
    """(a callable from element to element, the spec of its results) for ``fn``
    over the elements of dataset ``input``: traced, or eager when asked or needed."""
    if not callable(fn):
        raise TypeError(f"{where}: expected a function, got {fn!r} of type {type(fn).__name__}")
    spec = input.element_spec
    check_arity(fn, spec, where)
    try:
        traced = Traced(fn, spec, where, name)
    except Exception as e:            # noqa: BLE001 -- any failure: the eager path may work
        if not _Debug.eager:
            warnings.warn(f"{where}: could not trace {_name(fn)} into a graph ({type(e).__name__}: "
                          f"{e}); it runs eagerly on each element instead, so its Python side "
                          f"effects happen for every element. To keep it traced, use ops that "
                          f"work on symbolic tensors (tf.where, not `if`; no .numpy()); to run "
                          f"eagerly on purpose, call tf.data.experimental.enable_debug_mode().",
                          stacklevel=4)
        eager = Eager(fn, where)
        first = next(input._elements(), None)
        if first is None:             # nothing to learn the result's shape from
            raise
        return eager, normalize(eager(first), "tuple", where, leaf=spec_of)
    if _Debug.eager:
        return Eager(fn, where), traced.output_spec
    return traced, traced.output_spec


def scalar_bool(spec):
    """Is this the spec of a predicate's result?"""
    return isinstance(spec, TensorSpec) and spec.shape == () and spec.dtype == np.bool_
