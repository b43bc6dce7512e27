"""The symbolic tensor: the output of an op in a graph. It has a name
(``"op_name:0"``), a static shape and a dtype, but no value until a Session
runs it. Its operators and methods are the eager Tensor's (ops/methods.py), so
the same Python builds graph nodes.

>>> import tinyflow.compat.v1 as tf
>>> tf.reset_default_graph()
>>> x = tf.placeholder(tf.float32, [None, 3], name="x")
>>> x
<tf.Tensor 'x:0' shape=(?, 3) dtype=float32>
>>> (x * 2).shape
TensorShape([None, 3])
"""
from ..base.defaults import DefaultStack
from ..base.errors import ShapeError
from ..ops.methods import TensorMethods
from ..ops.primitive import SYMBOLIC
from ..ops.shape_rules import fmt

# The session ``t.eval()`` runs in: the innermost ``with tf.Session():``
# (graph/session.py pushes and pops it).
default_sessions = DefaultStack()


class TensorShape:
    """A static shape: dims are ints or None (unknown); the rank may be unknown too.

    >>> TensorShape((None, 784))
    TensorShape([None, 784])
    >>> str(TensorShape((None, 784)))
    '(?, 784)'
    """
    __slots__ = ("dims",)

    def __init__(self, dims):
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
        return self._need_rank()[i]

    def __eq__(self, other):
        if isinstance(other, TensorShape):
            return self.dims == other.dims
        if isinstance(other, (tuple, list)):
            return self.dims is not None and self.dims == tuple(other)
        return NotImplemented

    def __hash__(self):
        return hash(self.dims)

    def __repr__(self):
        return "TensorShape(None)" if self.dims is None else f"TensorShape({list(self.dims)})"

    def __str__(self):
        return fmt(self.dims)


class SymbolicTensor(TensorMethods):
    """A symbolic tensor: the output of an op in a graph. It has a name, a
    static shape and a dtype, but no value until a Session runs it."""
    __slots__ = ("node", "index", "_shape", "dtype", "__weakref__")
    value_kind = SYMBOLIC

    def __init__(self, op, index, shape, dtype):
        self.node = op
        self.index = index
        self._shape = shape          # a tuple with None for unknown dims, or None
        self.dtype = dtype

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
            raise ValueError("eval(): no session given and no default session: use "
                             "`with tf.Session() as sess:` or pass session=")
        return session.run(self, feed_dict)

    def _no_value(self, what):
        return TypeError(f"{what} of the symbolic tensor {self.name}: it has no value while the "
                         f"graph is being built (values exist only when a Session or a "
                         f"tinyflow.function call runs the graph)")

    def __bool__(self):
        raise TypeError(f"using the symbolic tensor {self.name} as a Python bool is not allowed: "
                        f"it has no value while the graph is being built; for a choice that "
                        f"depends on values use tinyflow.where(cond, a, b)")

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

    def __array__(self, dtype=None, copy=None):
        raise TypeError(f"cannot convert the symbolic tensor {self.name} to a numpy array: it has "
                        f"no value until sess.run({self.name!r}) computes one")
