"""Graph mode: build a graph of ops first, then run it in a Session
(TensorFlow 1 style), over the same primitives as eager mode."""
from .graph import (Graph, Operation, get_default_graph, reset_default_graph, name_scope,
                    control_dependencies, building)
from .tensor import SymbolicTensor, TensorShape
from .build import convert_to_tensor
from .api import (placeholder, placeholder_with_default, constant, zeros, ones, fill,
                  random_normal, random_uniform, truncated_normal, set_random_seed, no_op, group,
                  identity, stop_gradient)
from .variables import (Variable, assign, assign_add, assign_sub, global_variables,
                        trainable_variables, variables_initializer, global_variables_initializer,
                        initialize_all_variables)
from .session import Session, InteractiveSession, get_default_session
from .gradients import gradients, hessians

Tensor = SymbolicTensor        # TensorFlow's name for it (tf.Tensor)
