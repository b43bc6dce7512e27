"""What ``Session.run`` is given, checked before anything runs: the fetches
(tensors, ops, their names, nested in lists, tuples and dicts) and the feeds
(a value for a placeholder must have its dtype and fit its shape), with
TensorFlow's messages.

>>> import tinyflow.compat.v1 as tf
>>> tf.reset_default_graph()
>>> x = tf.placeholder(tf.float32, [None, 2], name="x")
>>> check_feed(x, [[1, 2, 3]])
Traceback (most recent call last):
...
ValueError: Cannot feed value of shape (1, 3) for Tensor 'x:0', which has shape '(?, 2)'
"""
import numpy as np

from ..base.nest import flatten
from ..ops.primitive import is_eager
from ..ops.shape_rules import fmt
from .graph import Operation
from .tensor import SymbolicTensor


def flatten_fetches(fetches, graph):
    """Nested fetches -> (a flat list of tensors and ops, ``rebuild(results)``
    giving results the same nesting)."""
    if fetches.__class__ in (list, tuple) and all(
            isinstance(f, (SymbolicTensor, Operation)) and f.graph is graph for f in fetches):
        kind = fetches.__class__          # the common case: a flat list of them, quickly
        return list(fetches), kind
    leaves, rebuild = flatten(fetches)
    return [_as_fetch(f, graph) for f in leaves], rebuild


def _as_fetch(f, graph):
    if isinstance(f, (SymbolicTensor, Operation)):
        if f.graph is not graph:
            raise ValueError(f"Fetch argument {f.name!r} is not an element of this session's graph")
        return f
    if isinstance(f, str):
        return graph.as_graph_element(f)
    if hasattr(f, "_as_graph_tensor"):
        return f._as_graph_tensor()
    if f is None:
        raise TypeError("Fetch argument None has invalid type <class 'NoneType'>")
    raise TypeError(f"Fetch argument {f!r} has invalid type {type(f).__name__}: fetch a tensor, "
                    f"an op, or their name")


def feed_key(key, graph):
    """The placeholder (or other tensor) that a feed_dict key names."""
    if isinstance(key, SymbolicTensor):
        if key.graph is not graph:
            raise ValueError(f"Cannot feed {key.name}: it is not an element of this session's graph")
        return key
    if isinstance(key, str):
        if ":" not in key:
            raise TypeError(f"Cannot interpret feed_dict key as Tensor: The name '{key}' refers "
                            f"to an Operation, not a Tensor. Tensor names must be of the form "
                            f"\"<op_name>:<output_index>\".")
        return graph.get_tensor_by_name(key)
    if hasattr(key, "_as_graph_tensor"):
        return key._as_graph_tensor()
    raise TypeError(f"Cannot interpret feed_dict key as Tensor: a {type(key).__name__} "
                    f"({key!r}) is not a tensor of the graph; feed_dict keys are placeholders "
                    f"(or their names, like 'x:0')")


def check_feed(t, value):
    """``value`` as an array of ``t``'s dtype, checked against ``t``'s static shape."""
    if value.__class__ is np.ndarray and value.dtype == t.dtype:
        arr = value
    else:
        if is_eager(value):
            value = value.array
        try:
            arr = np.asarray(value, dtype=t.dtype)
        except (ValueError, TypeError) as e:
            raise TypeError(f"Cannot feed value for Tensor '{t.name}' of dtype {t.dtype.name}: "
                            f"{e}") from None
    want = t._shape
    if want is not None:
        ok = len(want) == arr.ndim and all(w is None or w == d for w, d in zip(want, arr.shape))
        if not ok:
            raise ValueError(f"Cannot feed value of shape {arr.shape} for Tensor '{t.name}', which "
                             f"has shape '{fmt(want)}'")
    return arr
