"""tinyflow's ops, as plain functions over any kind of tensor.

Each family file holds its primitives and, beside them, the functions that
bind them (as JAX's autodidax puts ``mul_p`` next to ``def mul``); this file
only gathers the names. The same call works on a numpy array (returns a numpy
array: this is what ordinary backward uses, at numpy speed), on an eager
``Tensor`` (recorded on the tape when gradients are on) and on a symbolic
tensor (adds a node to the graph).

>>> import numpy as np
>>> from tinyflow import ops as F
>>> F.sum(np.ones((2, 3)), axis=1)
array([3., 3.])
"""
from .primitive import PRIMITIVES, Primitive, bind, interpreters  # noqa: F401
from ..base.errors import ShapeError  # noqa: F401
from .shape_rules import AxisError  # noqa: F401  (a ShapeError and an IndexError)
from .elementwise import (add, sub, mul, div, pow, maximum, minimum, neg, exp, log, sqrt,  # noqa: F401
                          sin, cos, tanh, abs, sign, sigmoid, relu, softplus, identity,
                          logical_not, isfinite, clamp, cast, where, equal, not_equal, less,
                          less_equal, greater, greater_equal, logical_and, logical_or,
                          ones_like, zeros_like, stop_gradient, square, reciprocal, rsqrt)
from .reduce import (sum, mean, max, min, logsumexp, argmax, argmin, var, std,  # noqa: F401
                     sum_to, broadcast_like, reduced_size)
from .shape import (reshape, reshape_like, transpose, expand_dims, squeeze,  # noqa: F401
                    broadcast_to, concat, stack, shape_of)
from .indexing import getitem, getitem_grad, take_along_axis, one_hot  # noqa: F401
from .linalg import matmul  # noqa: F401
from .nn import softmax, log_softmax, bias_add, sparse_softmax_cross_entropy  # noqa: F401
from .conv import conv2d, im2col, col2im  # noqa: F401
from .debug import Print, check_numerics  # noqa: F401
from . import state  # noqa: F401  (graph-only primitives: placeholders, variables, random ops)
from . import fast  # noqa: F401  (faster forwards for a few hot primitives; see fast.py)
from .activation import erf, elu, log1p  # noqa: F401
from .pool import max_pool2d, avg_pool2d, adaptive_avg_pool2d  # noqa: F401
from .sorting import (round, floor, ceil, trunc, floor_divide, remainder,  # noqa: F401
                      argsort, sort, topk, unique)
from .gather_scatter import gather, scatter, scatter_add  # noqa: F401,E402
from .cumulative import cumsum, cumprod  # noqa: F401,E402
from .einsum_op import einsum  # noqa: F401,E402
from .rearrange import (split, chunk, repeat, repeat_interleave, flip, roll,  # noqa: F401,E402
                        tril, triu, masked_fill)
from .norms import vector_norm, matrix_norm, linalg_norm, norm, bmm  # noqa: F401,E402
from .closeness import isclose  # noqa: F401,E402
