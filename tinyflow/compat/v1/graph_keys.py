"""``tf.GraphKeys`` and the graph's collections: named lists a graph keeps (its
variables, its summaries, the update ops of batch normalization...), and
``tf.control_dependencies`` with its inputs checked.

>>> import tinyflow.compat.v1 as tf
>>> tf.reset_default_graph()
>>> w = tf.Variable(1.0, name="w")
>>> tf.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES)
[<tf.Variable 'w:0' shape=() dtype=float32_ref>]
>>> tf.control_dependencies([5])
Traceback (most recent call last):
...
TypeError: Can not convert a int into a Tensor or Operation.
"""
from ...graph.graph import Operation, get_default_graph
from ...graph.tensor import SymbolicTensor
from ...graph.variables import GLOBAL_VARIABLES, LOCAL_VARIABLES, TRAINABLE_VARIABLES


class GraphKeys:
    """The names of the standard collections (TensorFlow's strings)."""
    GLOBAL_VARIABLES = GLOBAL_VARIABLES
    VARIABLES = GLOBAL_VARIABLES
    TRAINABLE_VARIABLES = TRAINABLE_VARIABLES
    LOCAL_VARIABLES = LOCAL_VARIABLES
    METRIC_VARIABLES = "metric_variables"
    MODEL_VARIABLES = "model_variables"
    SUMMARIES = "summaries"
    UPDATE_OPS = "update_ops"
    LOSSES = "losses"
    REGULARIZATION_LOSSES = "regularization_losses"
    GLOBAL_STEP = "global_step"
    TRAIN_OP = "train_op"


def get_collection(key, scope=None):
    """The items of collection ``key`` in the default graph (a new list)."""
    return get_default_graph().get_collection(key, scope)


def get_collection_ref(key):
    """The collection ``key`` itself: appending to it adds to the graph's collection."""
    return get_default_graph().collections.setdefault(key, [])


def add_to_collection(name, value):
    get_default_graph().add_to_collection(name, value)


def control_dependencies(control_inputs):
    """Ops built inside run only after ``control_inputs`` (tensors or ops; None clears)."""
    if control_inputs is not None:
        for c in control_inputs:
            if not isinstance(c, (SymbolicTensor, Operation)):
                raise TypeError(f"Can not convert a {type(c).__name__} into a Tensor or "
                                f"Operation.")
    return get_default_graph().control_dependencies(control_inputs)
