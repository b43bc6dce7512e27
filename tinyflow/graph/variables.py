"""Graph variables: values that live in a Session and persist across runs.

``Variable(initial_value, name="W")`` adds a ``VariableV2`` op named ``W``
(the variable itself), ``W/initial_value`` and ``W/Assign`` (its
initializer). Each Session holds its own values, so two sessions on one graph
train independently.

>>> import tinyflow.compat.v1 as tf
>>> tf.reset_default_graph()
>>> w = tf.Variable([1.0, 2.0], name="w")
>>> with tf.Session() as sess:
...     sess.run(w.initializer)
...     sess.run(w.assign_add([1.0, 1.0]))
array([2., 3.], dtype=float32)
"""
import numpy as np

from ..base.errors import ShapeError
from ..ops import state as S
from ..ops.shape_rules import fmt
from .tensor import SymbolicTensor, default_sessions
from .feeds import DType, as_dtype
from .graph import get_default_graph, building, building_near
from .build import convert_to_tensor, build
from .api import as_tensor
from ..ops import broadcast_to
from ..ops.primitive import is_eager

GLOBAL_VARIABLES = "variables"
TRAINABLE_VARIABLES = "trainable_variables"
LOCAL_VARIABLES = "local_variables"


class Variable(SymbolicTensor):
    """A graph variable. It *is* the output tensor of its ``VariableV2`` op, so it
    can be used wherever a tensor can; ``initializer`` sets its first value."""
    __slots__ = ("initializer", "initial_value", "trainable")

    @property
    def dtype(self):
        """``float32_ref``, as TensorFlow 1 names a variable's dtype (equal to float32 here)."""
        return DType(self._dtype, ref=True)

    @dtype.setter
    def dtype(self, value):
        self._dtype = value

    def __init__(self, initial_value, trainable=True, name=None, dtype=None, collections=None,
                 validate_shape=True):
        g = get_default_graph()
        with building(g):
            full = g.unique_name(name or "Variable")
            with g.name_scope(full + "/"):
                if callable(initial_value):
                    initial_value = initial_value()
                if is_eager(initial_value):   # an eager tensor: its value now
                    initial_value = np.array(initial_value.array)
                if isinstance(initial_value, SymbolicTensor):
                    init = initial_value
                else:                         # TF's dtypes: Variable(0) is int32, 0.5 float32
                    init = as_tensor(initial_value, dtype, name="initial_value")
                want = None if dtype is None else as_dtype(dtype).base_dtype.dtype
                if want is not None and init.dtype != want:
                    from ..ops import cast
                    init = cast(init, want)
                op = g.create_op(S.VariableV2, (), {"shape": init._shape, "dtype": init.dtype},
                                 init._shape, init.dtype, name=full, exact=True)
                # The op's output is this object.
                SymbolicTensor.__init__(self, op, 0, init._shape, init.dtype)
                op.set_output(self)
                self.initial_value = init
                self.trainable = bool(trainable)
                self.initializer = build(S.Assign, (self, init), {}, name="Assign").node
        for c in collections or ([GLOBAL_VARIABLES] + ([TRAINABLE_VARIABLES] if trainable else [])):
            g.add_to_collection(c, self)

    @classmethod
    def from_op(cls, op, initializer, initial_value, trainable):
        """Wrap an existing VariableV2 op (of a graph imported from a file)."""
        var = cls.__new__(cls)
        SymbolicTensor.__init__(var, op, 0, op.outputs[0]._shape, op.outputs[0].dtype)
        op.graph.replace_tensor(op.outputs[0], var)
        var.initializer = initializer
        var.initial_value = initial_value
        var.trainable = trainable
        return var

    def value(self):
        return self

    def read_value(self):
        return self

    def assign(self, value, use_locking=None, name=None, read_value=True, validate_shape=True):
        """An op that stores ``value`` in the variable when run. The value must have
        the variable's shape, unless ``validate_shape=False`` (then the variable takes
        the value's shape)."""
        with building_near(self.graph):
            value = as_tensor(value, self.dtype.base_dtype)
            if validate_shape:
                value = _checked_shape(self, value, name or "Assign")
                return build(S.Assign, (self, value), {}, name=name or "Assign")
            # the variable takes the value's shape: the op has it (the shape rule would refuse)
            return self.graph.create_op(S.Assign, (self, value), {}, value._shape,
                                        value.dtype, name or "Assign").outputs[0]

    def assign_add(self, delta, use_locking=None, name=None, read_value=True):
        with building_near(self.graph):
            delta = as_tensor(delta, self.dtype.base_dtype)
            return build(S.AssignAdd, (self, delta), {}, name=name or "AssignAdd")

    def assign_sub(self, delta, use_locking=None, name=None, read_value=True):
        with building_near(self.graph):
            delta = as_tensor(delta, self.dtype.base_dtype)
            return build(S.AssignSub, (self, delta), {}, name=name or "AssignSub")

    def load(self, value, session=None):
        """Set the variable's value in ``session`` directly (no op added)."""
        session = session or default_sessions.current()
        if session is None:
            raise ValueError(f"load(): no session given and no default session to hold the value "
                             f"of '{self.name}': pass session= or use `with tf.Session() as sess:`")
        array = np.array(value, dtype=self.dtype).reshape(self.shape.as_list())
        session.load_variables({self.node: array})

    def __repr__(self):
        return f"<tf.Variable '{self.name}' shape={self.shape} dtype={self.dtype.name}>"

    __str__ = __repr__


def _checked_shape(var, value, name):
    """``value`` for an assign to ``var``: of the variable's shape (TensorFlow's
    message), or broadcast to it when the value's shape is only partly known, so a
    wrong size fails when the op runs instead of resizing the variable."""
    want, got = var._shape, value._shape
    if want is None or got is None:
        return value
    where = f" for '{name}' (op: 'Assign') with input shapes: {list(want)}, {list(got)}."
    if len(want) != len(got):
        raise ShapeError(f"Shapes must be equal rank, but are {len(want)} and {len(got)}{where}"
                         .replace("None", "?"))
    for i, (a, b) in enumerate(zip(want, got)):
        if a is not None and b is not None and a != b:
            raise ShapeError(f"Dimension {i} in both shapes must be equal, but are {a} and {b}. "
                             f"Shapes are {fmt(want)} and {fmt(got)}{where}".replace("None", "?"))
    if None in got and None not in want:
        return broadcast_to(value, want)
    return value


def assign(ref, value, validate_shape=None, use_locking=None, name=None):
    """An op that stores ``value`` in ``ref`` (``validate_shape=False`` lets it change shape)."""
    return ref.assign(value, name=name, validate_shape=validate_shape is not False)


def assign_add(ref, value, use_locking=None, name=None):
    return ref.assign_add(value, name=name)


def assign_sub(ref, value, use_locking=None, name=None):
    return ref.assign_sub(value, name=name)


def global_variables(scope=None):
    """Every variable of the default graph."""
    return get_default_graph().get_collection(GLOBAL_VARIABLES, scope)


def trainable_variables(scope=None):
    """The variables that optimizers update by default."""
    return get_default_graph().get_collection(TRAINABLE_VARIABLES, scope)


def local_variables(scope=None):
    """The variables of one session's bookkeeping (streaming metrics' totals and counts):
    not saved, not trained, initialized by ``local_variables_initializer``."""
    return get_default_graph().get_collection(LOCAL_VARIABLES, scope)


def local_variables_initializer():
    """One op that initializes every local variable of the default graph."""
    return variables_initializer(local_variables())


def variables_initializer(var_list, name="init"):
    """One op that runs the initializers of ``var_list``."""
    from .api import group
    return group(*[v.initializer for v in var_list], name=name)


def global_variables_initializer():
    """One op that initializes every variable of the default graph."""
    return variables_initializer(global_variables())


initialize_all_variables = global_variables_initializer
