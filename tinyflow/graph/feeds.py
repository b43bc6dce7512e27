"""What goes into a graph, checked before anything runs: the fetches of
``Session.run`` (tensors, ops, their names, nested in lists, tuples and dicts),
its feeds (a value for a placeholder must have its dtype and fit its shape), and
Python values turned into arrays as TensorFlow converts them (``as_array``:
Python ints are int32, floats float32, strings bytes), with TensorFlow's messages;
and TensorFlow's ``DType`` objects (``tf.float32``, ``tf.string``, ``as_dtype``).

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

_INT32 = np.iinfo(np.int32)


class DType:
    """TensorFlow's dtype object (``tf.float32``): it prints as TensorFlow prints it,
    answers TensorFlow's questions, equals numpy's dtype (and its name) and numpy
    takes it wherever it takes a dtype. Graph tensors hold numpy's dtypes, except
    string tensors (``tf.string``, numpy's object arrays of bytes) and variables
    (``float32_ref``, equal here to ``float32``).

    >>> f32 = DType("float32")
    >>> f32, str(f32), f32.is_floating, f32 == np.float32, f32.as_numpy_dtype
    (tf.float32, "<dtype: 'float32'>", True, True, <class 'numpy.float32'>)
    """
    __slots__ = ("_np", "_ref")

    def __init__(self, numpy_dtype, ref=False):
        self._np = np.dtype(numpy_dtype)
        self._ref = ref

    @property
    def dtype(self):
        """numpy's dtype: what numpy reads when it is handed this object."""
        return self._np

    @property
    def name(self):
        base = "string" if self._np.kind == "O" else self._np.name
        return base + "_ref" if self._ref else base

    @property
    def base_dtype(self):
        return DType(self._np) if self._ref else self

    def as_numpy_dtype(self):
        return object if self._np.kind == "O" else self._np.type

    as_numpy_dtype = property(as_numpy_dtype)
    # strings are bytes (kind "S"), though numpy holds them in object arrays
    kind = property(lambda self: "S" if self._np.kind == "O" else self._np.kind)
    is_floating = property(lambda self: self._np.kind == "f")
    is_integer = property(lambda self: self._np.kind in "iu")
    is_unsigned = property(lambda self: self._np.kind in "ub")
    is_bool = property(lambda self: self._np.kind == "b")
    is_complex = property(lambda self: self._np.kind == "c")
    size = property(lambda self: self._np.itemsize)

    @property
    def min(self):
        return np.finfo(self._np).min if self.is_floating else np.iinfo(self._np).min

    @property
    def max(self):
        return np.finfo(self._np).max if self.is_floating else np.iinfo(self._np).max

    def is_compatible_with(self, other):
        return self == other

    def __getattr__(self, name):            # .kind, .itemsize... as numpy's dtype has them
        if name.startswith("__") or name in DType.__slots__:
            raise AttributeError(name)
        return getattr(self._np, name)

    def __eq__(self, other):
        if isinstance(other, DType):
            return self._np == other._np
        if isinstance(other, str) and other.removesuffix("_ref") == "string":
            return self._np.kind == "O"
        try:
            return self._np == np.dtype(other)
        except TypeError:
            return NotImplemented

    def __ne__(self, other):
        eq = self.__eq__(other)
        return eq if eq is NotImplemented else not eq

    def __hash__(self):
        return hash(self._np)               # numpy's: either finds a dict entry

    def __repr__(self):
        return f"tf.{self.name}"

    def __str__(self):
        return f"<dtype: '{self.name}'>"

    def __reduce__(self):
        return DType, (self._np.str, self._ref)


STRING = DType(object)      # tf.string: numpy object arrays holding bytes
# TensorFlow's names that are not numpy's ("float" is float32 there, float64 in numpy)
_TF_NAMES = {"float": "float32", "double": "float64", "half": "float16", "string": object}
_NOT_DTYPES = {"int", "long", "str", "unicode", "object", "bytes"}


def as_dtype(type_value):
    """TensorFlow's ``tf.as_dtype``: a DType from a DType, a TensorFlow or numpy name
    (``"float"`` is float32, ``"double"`` float64), a numpy type, or Python's
    ``float`` (float32) and ``bool``.

    >>> as_dtype("float"), as_dtype("double"), as_dtype(np.int64), as_dtype(float)
    (tf.float32, tf.float64, tf.int64, tf.float32)
    """
    if isinstance(type_value, DType):
        return type_value
    if type_value is float or type_value is bool:
        return DType(np.float32 if type_value is float else np.bool_)
    if isinstance(type_value, str):
        name = type_value.removesuffix("_ref")
        if name in _TF_NAMES or name not in _NOT_DTYPES:
            try:
                return DType(_TF_NAMES.get(name, name), ref=name != type_value)
            except TypeError:
                pass
    elif type_value is object or not isinstance(type_value, type) or \
            issubclass(type_value, np.generic):
        try:
            return DType(type_value)
        except TypeError:
            pass
    raise TypeError(f"Cannot convert the argument `type_value`: {type_value!r} to a TensorFlow "
                    f"DType.")


def graph_dtype(type_value):
    """What a graph tensor of this dtype holds as its dtype: numpy's dtype, or
    tf.string (whose numpy dtype, object, would print as 'object')."""
    d = as_dtype(type_value)
    return STRING if d == STRING else d.dtype


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
    if value.__class__ is np.ndarray and value.dtype == t.dtype and t.dtype != STRING:
        arr = value
    else:
        if is_eager(value):
            value = value.array
        if value is None:
            raise ValueError(f"Cannot feed None for Tensor '{t.name}', which has dtype "
                             f"{t.dtype.name} and shape '{fmt(t._shape)}': feed a number or an "
                             f"array (did the variable holding this batch stay None?)")
        if isinstance(value, (SymbolicTensor, Operation)):
            raise TypeError(f"The value of a feed cannot be a tf.Tensor object ({value.name} fed "
                            f"for '{t.name}'). Acceptable feed values include Python scalars, "
                            f"strings, lists, numpy ndarrays: run it first, then feed its value")
        try:
            arr = _strings(value) if t.dtype == STRING else np.asarray(value, dtype=t.dtype)
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


def infer_array(value):
    """``value`` as TensorFlow converts it when no dtype is given: Python bools are
    bool, ints int32 (int64 if one does not fit), floats float32, strings tf.string
    (numpy object arrays of bytes); numpy arrays and scalars keep their dtype.

    >>> [str(infer_array(v).dtype) for v in (1, 2 ** 40, [1, 2.5], np.float64(1), True)]
    ['int32', 'int64', 'float32', 'float64', 'bool']
    >>> infer_array(["a", "bc"])
    array([b'a', b'bc'], dtype=object)
    """
    if isinstance(value, (np.ndarray, np.generic)):
        arr = np.asarray(value)
        return _strings(arr) if arr.dtype.kind in "USO" else arr
    arr = np.asarray(value)
    kind = arr.dtype.kind
    if kind in "USO":
        return _strings(arr)
    if kind == "f":
        return arr.astype(np.float32)
    if kind in "iu" and arr.size and _INT32.min <= arr.min() and arr.max() <= _INT32.max:
        return arr.astype(np.int32)
    return arr


def as_array(value, dtype=None, op="Const", arg="value"):
    """``value`` as an array of ``dtype`` (inferred as ``infer_array`` does when None),
    refusing what TensorFlow refuses: a Python float where an integer or bool goes.

    >>> as_array(3, np.float32)
    array(3., dtype=float32)
    >>> as_array(2.5, np.int32, "Mul", "y")
    Traceback (most recent call last):
    ...
    TypeError: Expected int32 passed to parameter 'y' of op 'Mul', got 2.5 of type 'float' instead.
    """
    if dtype is None:
        return infer_array(value)
    if dtype == STRING:
        return _strings(value)
    dtype = np.dtype(dtype)
    if not isinstance(value, (np.ndarray, np.generic)):
        arr = np.asarray(value)
        if dtype.kind in "iub" and arr.dtype.kind in ("f" if dtype.kind != "b" else "fiu") \
                or arr.dtype.kind in "USO":
            raise TypeError(f"Expected {dtype.name} passed to parameter '{arg}' of op '{op}', "
                            f"got {value!r:.60} of type '{type(value).__name__}' instead.")
    return np.asarray(value).astype(dtype, copy=False)


def _strings(value):
    """Strings as TensorFlow holds them: an object array of bytes (str encoded as UTF-8)."""
    arr = np.asarray(value, dtype=object)
    flat = arr.reshape(-1)
    for i, v in enumerate(flat):
        if isinstance(v, str):
            flat[i] = v.encode("utf-8")
        elif isinstance(v, np.bytes_):
            flat[i] = bytes(v)
        elif not isinstance(v, bytes):
            raise TypeError(f"Expected string, got {v!r} of type '{type(v).__name__}' instead.")
    return flat.reshape(arr.shape)
