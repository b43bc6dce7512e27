"""The symbolic tensor: the output of an op in a graph. It has a name
(``"op_name:0"``), a static shape and a dtype, but no value until a Session
runs it. Its methods are the eager Tensor's (ops/methods.py), so the same
Python builds graph nodes; its arithmetic operators follow TensorFlow (ops named
``add``, ``mul``... after ``disable_v2_behavior()``; both operands of one dtype).
Also here: ``TensorShape``, with TF1's ``Dimension``s after ``disable_v2_behavior()``.

>>> import tinyflow.compat.v1 as tf
>>> tf.reset_default_graph()
>>> x = tf.placeholder(tf.float32, [None, 3], name="x")
>>> x
<tf.Tensor 'x:0' shape=(?, 3) dtype=float32>
>>> (x * 2).shape
TensorShape([None, 3])
"""
import sys

from ..base.defaults import DefaultStack
from ..base.source import _PKG
from ..base.errors import ShapeError
from ..ops import elementwise as _E, sorting as _S
from ..ops.methods import TensorMethods
from ..ops.primitive import NO_ATTRS, SYMBOLIC, bind
from ..ops.shape_rules import fmt

# The session ``t.eval()`` runs in: the innermost ``with tf.Session():``
# (graph/session.py pushes and pops it).
default_sessions = DefaultStack()


# TensorFlow 1's behaviour, switched on by ``tf.disable_v2_behavior()`` (every TF1 program
# of the tf.compat.v1 era calls it): ``shape[i]`` is a ``Dimension``, and ``x + y`` makes
# an op named "add" where tinyflow's graphs otherwise name it after its type ("Add").
_V1 = [False]


def disable_v2_behavior():
    """TensorFlow 1's TensorShape (``Dimension``s) and operator op names ("add", "mul")."""
    _V1[0] = True


def enable_v2_behavior():
    """tinyflow's defaults: ``shape[i]`` is an int or None, operators' ops named by type."""
    _V1[0] = False


class Dimension:
    """One dimension of a TensorShape, as TensorFlow 1 gives it: ``value`` is an int
    or None (unknown, printed ``?``); ``int()`` of a known one is its size.

    >>> Dimension(3), str(Dimension(None)), int(Dimension(3)) + 1
    (Dimension(3), '?', 4)
    """
    __slots__ = ("value",)

    def __init__(self, value):
        self.value = None if value is None else int(value)

    def __int__(self):
        if self.value is None:
            raise TypeError("int() of an unknown Dimension (its value is None)")
        return self.value

    __index__ = __int__

    def __eq__(self, other):
        other = getattr(other, "value", other)
        return None if self.value is None or other is None else self.value == other

    def __hash__(self):
        return hash(self.value)

    def _combine(self, other, fn):
        other = getattr(other, "value", other)
        return Dimension(None if self.value is None or other is None else fn(self.value, other))

    def __add__(self, other): return self._combine(other, int.__add__)
    def __sub__(self, other): return self._combine(other, int.__sub__)
    def __mul__(self, other): return self._combine(other, int.__mul__)
    def __floordiv__(self, other): return self._combine(other, int.__floordiv__)
    __radd__, __rmul__ = __add__, __mul__

    def __repr__(self):
        return f"Dimension({self.value})"

    def __str__(self):
        return "?" if self.value is None else str(self.value)


class TensorShape:
    """A static shape: dims are ints or None (unknown); the rank may be unknown too.

    >>> TensorShape((None, 784))
    TensorShape([None, 784])
    >>> str(TensorShape((None, 784)))
    '(?, 784)'
    """
    __slots__ = ("dims",)

    def __init__(self, dims):
        dims = None if dims is None else [getattr(d, "value", d) for d in dims]   # Dimensions too
        self.dims = None if dims is None else tuple(None if d is None else int(d) for d in dims)

    @property
    def rank(self):
        return None if self.dims is None else len(self.dims)

    ndims = rank

    def as_list(self):
        if self.dims is None:
            raise ValueError("as_list() is not defined on an unknown TensorShape")
        return list(self.dims)

    def is_fully_defined(self):
        return self.dims is not None and None not in self.dims

    def _need_rank(self):
        if self.dims is None:
            raise ValueError("this shape has unknown rank")
        return self.dims

    def __iter__(self):
        return iter(self._need_rank())

    def __len__(self):
        return len(self._need_rank())

    def __getitem__(self, i):
        dims = self._need_rank()
        if isinstance(i, slice):
            return TensorShape(dims[i])
        return Dimension(dims[i]) if _V1[0] and not _internal(sys._getframe(1)) else dims[i]

    def __eq__(self, other):
        if isinstance(other, TensorShape):
            return self.dims == other.dims
        if isinstance(other, (tuple, list)):
            return self.dims is not None and self.dims == tuple(other)
        return NotImplemented

    def __hash__(self):
        return hash(self.dims)

    def __repr__(self):
        if self.dims is None:
            return "TensorShape(None)"
        dims = [Dimension(d) for d in self.dims] if _V1[0] else list(self.dims)
        return f"TensorShape({dims})"

    def __str__(self):
        return fmt(self.dims)


class SymbolicTensor(TensorMethods):
    """A symbolic tensor: the output of an op in a graph. It has a name, a
    static shape and a dtype, but no value until a Session runs it."""
    __slots__ = ("node", "index", "_shape", "_dtype", "__weakref__")
    value_kind = SYMBOLIC

    def __init__(self, op, index, shape, dtype):
        self.node = op
        self.index = index
        self._shape = shape          # a tuple with None for unknown dims, or None
        self._dtype = dtype

    @property
    def dtype(self):
        """numpy's dtype; TensorFlow's ``tf.string`` for strings (numpy calls them object)."""
        d = self._dtype
        if d.kind == "O":
            from .feeds import STRING
            return STRING
        return d

    @dtype.setter
    def dtype(self, value):
        self._dtype = value

    @property
    def op(self):
        return self.node

    @property
    def name(self):
        return f"{self.node.name}:{self.index}"

    @property
    def graph(self):
        return self.node.graph

    @property
    def shape(self):
        return TensorShape(self._shape)

    def get_shape(self):
        return self.shape

    def set_shape(self, shape):
        """Tell the graph more about this tensor's static shape (TensorFlow's
        ``set_shape``): known dims fill in unknown ones; a conflict is a ValueError."""
        new = TensorShape(None if shape is None else getattr(shape, "dims", shape)).dims
        old = self._shape
        if new is None:
            return
        if old is not None and (len(old) != len(new) or any(
                a is not None and b is not None and a != b for a, b in zip(old, new))):
            raise ValueError(f"Shapes {fmt(old)} and {fmt(new)} are not compatible")
        self._shape = new if old is None else tuple(a if a is not None else b
                                                    for a, b in zip(old, new))

    def _relax_shape(self, shape):
        """Know less about this tensor's static shape: ``shape`` (a tuple, None for an
        unknown dim) turns known dims unknown, where values of other sizes may come
        (``placeholder_with_default``, which may be fed; ``reshape`` to sizes read
        from tensors). The inverse of ``set_shape``, for tinyflow's op builders: a
        dim it states must agree with the one known, a ValueError otherwise."""
        old = self._shape
        if old is not None and (len(old) != len(shape) or any(
                b is not None and a != b for a, b in zip(old, shape))):
            raise ValueError(f"_relax_shape({self.name}): {fmt(shape)} is not a looser "
                             f"shape than {fmt(old)}")
        self._shape = tuple(shape)

    @property
    def ndim(self):
        if self._shape is None:
            raise ShapeError(f"{self.name} has unknown rank")
        return len(self._shape)

    def register_hook(self, hook):
        """Call ``hook(grad)`` with this tensor's gradient when a Session runs the
        gradient graph (built later by ``gradients``); it may return a replacement."""
        return self.node._add_hook("grad", hook)

    def consumers(self):
        return [op for op in self.graph.get_operations() if self in op.inputs]

    def eval(self, feed_dict=None, session=None):
        """Run this tensor in ``session`` (or the default session)."""
        session = session or default_sessions.current()
        if session is None:
            raise ValueError("Cannot evaluate tensor using `eval()`: No default session is "
                             "registered. Use `with sess.as_default()` or pass an explicit "
                             "session to `eval(session=sess)`")
        return session.run(self, feed_dict)

    def _no_value(self, what):
        return TypeError(f"{what} of the symbolic tensor {self.name}: it has no value while the "
                         f"graph is being built (values exist only when a Session or a "
                         f"tinyflow.function call runs the graph)")

    def __bool__(self):
        # TF1's words: "Using a `tf.Tensor` as a Python `bool` is not allowed..."
        raise TypeError(f"using the symbolic tensor {self.name} as a Python bool is not allowed: "
                        f"it has no value while the graph is being built. Use `if t is not "
                        f"None:` to test whether a tensor is defined, tinyflow.cond (tf.cond) "
                        f"to run one subgraph or another on a tensor's value, or "
                        f"tinyflow.where(cond, a, b) to choose elementwise")

    def item(self):
        raise self._no_value("item()")

    def numpy(self):
        raise self._no_value("numpy()")

    def tolist(self):
        raise self._no_value("tolist()")

    def __float__(self):
        raise self._no_value("float()")

    def __int__(self):
        raise self._no_value("int()")

    def __index__(self):
        raise self._no_value("using as an index")

    def backward(self, *args, **kwargs):
        raise TypeError(f"backward() on the symbolic tensor {self.name}: graphs build their "
                        f"gradients as nodes -- use tinyflow.gradients(y, xs) in a graph, or a "
                        f"GradientTape inside tinyflow.function")

    def __iter__(self):
        raise TypeError(f"the symbolic tensor {self.name} is not iterable while the graph is built")

    def __len__(self):
        if self._shape is None or not self._shape or self._shape[0] is None:
            raise TypeError(f"len() of {self.name} is unknown (shape {fmt(self._shape)})")
        return self._shape[0]

    def __repr__(self):
        return f"<tf.Tensor '{self.name}' shape={fmt(self._shape)} dtype={self.dtype.name}>"

    def __str__(self):
        shape = "" if self._shape is None else f"shape={fmt(self._shape)}, "
        return f'Tensor("{self.name}", {shape}dtype={self.dtype.name})'

    def __array__(self, dtype=None, copy=None):
        raise TypeError(f"cannot convert the symbolic tensor {self.name} to a numpy array: it has "
                        f"no value until sess.run({self.name!r}) computes one")


# TensorFlow's arithmetic operators: both operands must have one dtype (graph/api.py's
# ``binary``); after disable_v2_behavior(), ``x + y`` is an op named "add" as in TF1.
_TF_OPERATORS = {"add": _E.Add, "sub": _E.Sub, "mul": _E.Mul, "truediv": _E.Div,
                 "floordiv": _S.FloorDiv, "mod": _S.Mod, "pow": _E.Pow,
                 "and": _E.LogicalAnd, "or": _E.LogicalOr}


def _internal(frame):
    """Is the caller tinyflow's own code? (It keeps ints for sizes and the registry's
    promotion rules -- g * (x > 0) in a vjp -- where users get TensorFlow's.)"""
    return frame.f_code.co_filename.startswith(_PKG)


def _tf_operator(prim, name, reflected):
    def operator(self, other):
        if _internal(sys._getframe(1)):
            # tinyflow's own code (vjp rules: g * (x > 0)) keeps the registry's promotion
            return bind(prim, (other, self) if reflected else (self, other), NO_ATTRS)
        from .api import binary          # api.py builds on this module
        op_name = name if _V1[0] else None
        return binary(prim, other, self, op_name) if reflected else \
            binary(prim, self, other, op_name)
    operator.__doc__ = prim.doc
    return operator


for _name, _prim in _TF_OPERATORS.items():
    setattr(SymbolicTensor, f"__{_name}__", _tf_operator(_prim, _name, False))
    setattr(SymbolicTensor, f"__r{_name}__", _tf_operator(_prim, _name, True))
