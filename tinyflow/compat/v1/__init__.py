"""TensorFlow 1, spelled the TensorFlow 1 way: ``import tinyflow.compat.v1 as tf``.

Every function here builds nodes in the default graph (as TF1 always did),
so TF1 code runs with only its import line changed. This package holds names
only: each one is an op, a graph function or a model piece of the layers below,
adapted to TF1's arguments by ``spelling.py``; ``tf.nn``, ``tf.train``,
``tf.layers``, ``tf.losses``... are its modules of the same names.

>>> import tinyflow.compat.v1 as tf
>>> tf.reset_default_graph()
>>> x = tf.placeholder(tf.float32, [None, 2], name="x")
>>> y = tf.reduce_sum(tf.square(x), axis=1)
>>> with tf.Session() as sess:
...     sess.run(y, feed_dict={x: [[1, 2], [3, 4]]})
array([ 5., 25.], dtype=float32)
"""
from ...base.errors import FailedPreconditionError, InvalidArgumentError  # noqa: F401
from ...graph import (Graph, Operation, Tensor, TensorShape, get_default_graph,  # noqa: F401
                      reset_default_graph, name_scope, placeholder, placeholder_with_default,
                      constant, zeros, ones, fill, random_normal, random_uniform,
                      truncated_normal, set_random_seed, no_op, group, identity, stop_gradient,
                      Variable, assign, assign_add, assign_sub, global_variables,
                      trainable_variables, variables_initializer, global_variables_initializer,
                      initialize_all_variables, Session, InteractiveSession,
                      get_default_session, gradients, hessians)
from ...graph.api import as_tensor as convert_to_tensor  # noqa: F401
from ...graph.api import range  # noqa: F401,A004  (tf.range)
from ...graph.tensor import Dimension, disable_v2_behavior as _v1_behavior  # noqa: F401
from ...graph.variables import local_variables, local_variables_initializer  # noqa: F401
from ...nn.tf_variable_scope import (get_variable, variable_scope,  # noqa: F401
                                     get_variable_scope, VariableScope, AUTO_REUSE)
from ...nn.tf_initializers import (glorot_uniform_initializer,  # noqa: F401
                                   glorot_normal_initializer, zeros_initializer,
                                   ones_initializer, constant_initializer,
                                   random_normal_initializer, random_uniform_initializer,
                                   truncated_normal_initializer)
from ...saved_model import v1 as saved_model  # noqa: F401  (builder, loader, tag_constants...)
from . import (nn, train, layers, losses, initializers, debugging, errors, metrics,  # noqa: F401
               summary, data)
from .control_flow import cond, case, while_loop, map_fn, scan  # noqa: F401
from . import distribute  # noqa: F401  (tf.compat.v1.distribute: the strategies)
from .dtypes import *  # noqa: F401,F403  (float32 ... string, DType, as_dtype)
from .dtypes import bool  # noqa: F401,A004
from .math_ops import *  # noqa: F401,F403  (add ... argmax, cast, reduce_sum)
from .math_ops import abs, pow, round  # noqa: F401,A004
from .array_ops import *  # noqa: F401,F403  (shape, reshape, unstack, one_hot...)
from .graph_keys import (GraphKeys, get_collection, get_collection_ref,  # noqa: F401
                          add_to_collection, control_dependencies)
from .debugging import Print, check_numerics  # noqa: F401


def __getattr__(name):
    if name in ("Summary", "Event", "HistogramProto"):      # protos: tensorboardX, on first use
        return getattr(summary, name)
    raise AttributeError(f"module 'tinyflow.compat.v1' has no attribute {name!r}")


def executing_eagerly():
    """False: compat.v1 always builds graphs."""
    return False


def disable_eager_execution():
    """Nothing to do: compat.v1 always builds graphs."""


def disable_v2_behavior():
    """TensorFlow 1's behaviour where it differs: TensorShape entries are
    ``Dimension``s, and ``x + y`` makes an op named "add" (graph/tensor.py)."""
    _v1_behavior()
