"""tinyflow: a small numpy autograd engine for learning how deep-learning
frameworks work -- the same ops run eagerly on a tape (PyTorch, TF2) or as a
graph executed by a Session (TensorFlow 1).

>>> import tinyflow as tf
>>> x = tf.tensor([1.0, 2.0, 3.0], requires_grad=True)
>>> (x ** 2).sum().backward()
>>> x.grad
tensor([2., 4., 6.])
"""
import warnings as _warnings

import numpy as _np

# log(-1) gives nan and 1/0 gives inf silently, as in PyTorch and TensorFlow; numpy's
# RuntimeWarnings from inside tinyflow's own code would only point at engine lines.
# Use tinyflow.detect_anomaly() to find where a nan or inf first appears.
_warnings.filterwarnings("ignore", category=RuntimeWarning, module=r"tinyflow(\.|$)")

# A speed trick for every mode: freed arrays stay with malloc for the next step instead
# of going back to the OS (about 40% of a small MLP step; base/allocator.py says more,
# and how to switch it off).
from .base.allocator import keep_freed_memory as _keep_freed_memory
_keep_freed_memory()

from .ops import ShapeError, PRIMITIVES
from .eager import *  # noqa: F401,F403
from .eager import Tensor, no_grad, enable_grad, set_grad_enabled, is_grad_enabled, grad
from .compat.functions import *  # noqa: F401,F403
from .compat.tensor_functions import *  # noqa: F401,F403  (gather, scatter, einsum, norm...)
from .base.rng import manual_seed
from .base.errors import AnomalyError
from .base.hooks import RemovableHandle
from .eager.gradcheck import gradcheck, gradgradcheck, GradcheckError
from .graph import (Graph, Session, InteractiveSession, get_default_graph, reset_default_graph,
                    name_scope, control_dependencies, placeholder, assign, assign_add, assign_sub,
                    group, global_variables_initializer, variables_initializer,
                    trainable_variables, global_variables, gradients, stop_gradient,
                    truncated_normal, set_random_seed, get_default_session)
from .nn import tf_layers as layers, tf_losses as losses
from .tracing.function import function
from .graph.control_flow import cond, case, while_loop, map_fn, scan   # TF2's control flow
from .base.errors import FailedPreconditionError
from .eager.gradient_tape import GradientTape
from .tracing.bridge import Variable, constant, random_normal, random_uniform
from . import random
from .ops import Print, check_numerics
from . import debug
from . import summary
from . import viz
from .viz import draw
from . import nn, optim, data, train
from . import distributed   # torch.distributed spellings on MPI
from . import distribute    # tf.distribute spellings: MirroredStrategy, MultiWorkerMirroredStrategy
from .io.checkpoint import save, load
from . import jit           # torch.jit spellings: jit.trace(module, example)
from . import saved_model
from . import keras           # tf.keras: layers, models, compile and fit (TF2's third way)
from . import onnx        # tinyflow.onnx.export; the onnx package itself loads only when exporting
from .debug import detect_anomaly, set_detect_anomaly
from .base.device import device
from .base.dtypes import get_default_dtype, set_default_dtype
from .compat.torch import cuda, accelerator, backends  # PyTorch's hardware questions: CPU only
from .compat.torch import linalg  # torch.linalg's norms
from . import autograd      # torch.autograd spellings: Function, grad, functional.jacobian
from . import autograph     # tf.autograph: to_code, to_graph (the converter: tracing/autograph)
from .ops.printing import print_ as print  # noqa: A001  (TF2's tf.print: to stderr; runs in functions)
from . import utils         # torch.utils.data spellings (the code is tinyflow.data)
from .base.rng import Generator, default_generator, initial_seed

__version__ = "0.1.0"

from .base.dtypes import (dtype, float16, float32, float64, int8, int16, int32,  # noqa: E402
                          int64, uint8, bool_ as bool)  # noqa: A001  (tinyflow.bool, as torch.bool)
float = float32           # noqa: A001
double = float64
half = float16
long = int64
int = int32               # noqa: A001
short = int16
