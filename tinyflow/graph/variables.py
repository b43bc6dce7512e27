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

from ..ops import state as S
from .tensor import SymbolicTensor, default_sessions
from .graph import get_default_graph, building
from .build import convert_to_tensor, build
from ..ops.primitive import is_eager

GLOBAL_VARIABLES = "variables"
TRAINABLE_VARIABLES = "trainable_variables"


class Variable(SymbolicTensor):
    """A graph variable. It *is* the output tensor of its ``VariableV2`` op, so it
    can be used wherever a tensor can; ``initializer`` sets its first value."""
    __slots__ = ("initializer", "initial_value", "trainable")

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
                init = convert_to_tensor(initial_value, g, dtype=None, name="initial_value")
                if dtype is not None and init.dtype != np.dtype(dtype):
                    from ..ops import cast
                    init = cast(init, dtype)
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

    def assign(self, value, name=None):
        """An op that stores ``value`` in the variable when run."""
        with building(self.graph):
            return build(S.Assign, (self, value), {}, name=name or "Assign")

    def assign_add(self, delta, name=None):
        with building(self.graph):
            return build(S.AssignAdd, (self, delta), {}, name=name or "AssignAdd")

    def assign_sub(self, delta, name=None):
        with building(self.graph):
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


def assign(ref, value, name=None):
    return ref.assign(value, name)


def assign_add(ref, value, name=None):
    return ref.assign_add(value, name)


def assign_sub(ref, value, name=None):
    return ref.assign_sub(value, name)


def global_variables(scope=None):
    """Every variable of the default graph."""
    return get_default_graph().get_collection(GLOBAL_VARIABLES, scope)


def trainable_variables(scope=None):
    """The variables that optimizers update by default."""
    return get_default_graph().get_collection(TRAINABLE_VARIABLES, scope)


def variables_initializer(var_list, name="init"):
    """One op that runs the initializers of ``var_list``."""
    from .api import group
    return group(*[v.initializer for v in var_list], name=name)


def global_variables_initializer():
    """One op that initializes every variable of the default graph."""
    return variables_initializer(global_variables())


initialize_all_variables = global_variables_initializer
