"""The layers and losses as plain functions (``import tinyflow.nn.functional as F``).

Everything here is composed from tinyflow's ops, so gradients come from the
primitive registry; the only numpy is for things with no gradient (dropout's
random mask, BatchNorm's running statistics, label checks).

>>> import tinyflow as tf
>>> import tinyflow.nn.functional as F
>>> F.relu(tf.tensor([-1.0, 2.0]))
tensor([0., 2.])
"""
import warnings

import numbers

import numpy as np

from .. import ops
from ..base import rng
from ..base.args import dim_arg
from ..base.errors import ShapeError
from ..eager.grad_mode import no_grad
from ..eager.tensor import Tensor
from . import checks
from .pool_functions import max_pool2d, avg_pool2d, adaptive_avg_pool2d  # noqa: F401
from .pool1d import max_pool1d, avg_pool1d, adaptive_avg_pool1d  # noqa: F401
from .loss_functions import (mse_loss, l1_loss, smooth_l1_loss, huber_loss,  # noqa: F401
                             binary_cross_entropy, binary_cross_entropy_with_logits, kl_div)
from .class_losses import nll_loss, cross_entropy  # noqa: F401
from .conv_functions import conv1d, conv_transpose1d, conv_transpose2d  # noqa: F401
from .conv_functions import padding_string, same_dtypes
from .interpolate import interpolate  # noqa: F401
from .activation_functions import mish, hardtanh, relu6, softplus  # noqa: F401
from .functional_more import one_hot, pad, cosine_similarity, normalize, silu  # noqa: F401
from .norm_functions import layer_norm, group_norm, rms_norm  # noqa: F401
from .attention_functions import scaled_dot_product_attention  # noqa: F401
from .multihead_functions import multi_head_attention_forward  # noqa: F401
from ..ops.primitive import is_symbolic


# --- activations ----------------------------------------------------------------
# ``inplace=True`` is accepted everywhere PyTorch accepts it; tinyflow computes the
# result out of place and returns it (the input keeps its values).

def relu(x, inplace=False):
    """max(x, 0). ``inplace`` is accepted; the result is computed out of place.

    >>> import tinyflow as tf
    >>> relu(tf.tensor([-1.0, 2.0]), inplace=True)
    tensor([0., 2.])
    """
    return ops.relu(checks.tensor("relu", "input", x))


def tanh(x):
    """The hyperbolic tangent."""
    return ops.tanh(checks.tensor("tanh", "input", x))


def sigmoid(x):
    """1 / (1 + exp(-x))"""
    return ops.sigmoid(checks.tensor("sigmoid", "input", x))


def leaky_relu(x, negative_slope=0.01, inplace=False):
    """x where x > 0, negative_slope * x elsewhere (``inplace``: accepted, computed out of place).

    >>> import tinyflow as tf
    >>> leaky_relu(tf.tensor([-2.0, 3.0]), 0.5)
    tensor([-1.,  3.])
    """
    x = checks.tensor("leaky_relu", "input", x)
    return ops.where(x > 0, x, x * negative_slope)


def elu(x, alpha=1.0, inplace=False):
    """x where x > 0, alpha * (exp(x) - 1) elsewhere (``inplace``: accepted, computed out of place).

    >>> import tinyflow as tf
    >>> elu(tf.tensor([0.0, 2.0]))
    tensor([0., 2.])
    """
    return ops.elu(checks.tensor("elu", "input", x), alpha)


SQRT1_2 = 0.7071067811865476                 # 1 / sqrt(2)
GELU_TANH_BETA = 0.7978845608028654          # sqrt(2 / pi)
GELU_TANH_KAPPA = 0.044715


def gelu(x, approximate="none"):
    """x * Phi(x), Phi the standard normal CDF: 0.5 * x * (1 + erf(x / sqrt(2))); with
    ``approximate='tanh'``, 0.5 * x * (1 + tanh(sqrt(2/pi) * (x + 0.044715 x^3))).

    >>> import tinyflow as tf
    >>> gelu(tf.tensor([0.0, 1.0], dtype=tf.float64))
    tensor([0.0000, 0.8413], dtype=tinyflow.float64)
    """
    if approximate not in ("none", "tanh"):
        raise RuntimeError(f"gelu: approximate argument must be either 'none' or 'tanh', got "
                           f"{approximate!r}")
    x = checks.tensor("gelu", "input", x)
    if approximate == "tanh":
        inner = GELU_TANH_BETA * (x + GELU_TANH_KAPPA * (x * x * x))
        return 0.5 * x * (1 + ops.tanh(inner))
    return x * 0.5 * (1 + ops.erf(x * SQRT1_2))


def _implicit_dim(name, x):
    warnings.warn(f"Implicit dimension choice for {name} has been deprecated. Change the call "
                  f"to include dim=X as an argument.", UserWarning, stacklevel=3)
    return 0 if x.ndim in (0, 1, 3) else 1


def softmax(x, dim=None):
    """exp(x) / sum(exp(x)) along ``dim``. Without ``dim``, PyTorch's old implicit
    choice (0 for 0-, 1- and 3-D inputs, else 1) with its UserWarning.

    >>> import tinyflow as tf
    >>> softmax(tf.zeros(2), dim=0)
    tensor([0.5000, 0.5000])
    """
    x = checks.tensor("softmax", "input", x)
    return ops.softmax(x, _implicit_dim("softmax", x) if dim is None else dim)


def log_softmax(x, dim=None):
    """log(softmax(x)) along ``dim``, computed stably (``dim=None``: as ``softmax``)."""
    x = checks.tensor("log_softmax", "input", x)
    return ops.log_softmax(x, _implicit_dim("log_softmax", x) if dim is None else dim)


# --- layers ---------------------------------------------------------------------

def linear(x, weight, bias=None):
    """x @ weight.T + bias, with weight shaped (out_features, in_features).

    >>> import tinyflow as tf
    >>> linear(tf.ones(1, 2), tf.tensor([[1.0, 2.0]]), tf.tensor([0.5]))
    tensor([[3.5000]])
    """
    x = checks.tensor("linear", "input", x)
    _check_linear(x, weight)
    y = ops.matmul(x, ops.transpose(weight))
    return y if bias is None else y + bias


def _check_linear(x, weight):
    """The mistakes of a first model, said in a layer's words: too many or too few
    features, a 0-d input, integers for a float layer (PyTorch: RuntimeErrors)."""
    if is_symbolic(x) or weight.ndim != 2:
        return
    features = weight.shape[1]
    if x.ndim == 0:
        raise ShapeError(f"linear(): argument 'input' must have at least one dimension (its last "
                         f"holds the {features} features), got a 0-d tensor")
    if x.shape[-1] != features:
        raise ShapeError(f"linear(): argument 'input' has {x.shape[-1]} features in its last "
                         f"dimension (shape {tuple(x.shape)}), but the weight "
                         f"{tuple(weight.shape)} takes {features} (mat1 and mat2 shapes cannot "
                         f"be multiplied)")
    if x.dtype != weight.dtype:
        raise RuntimeError(f"linear(): argument 'input' has dtype {x.dtype} but the weight has "
                           f"dtype {weight.dtype}; they must be the same (mat1 and mat2 must "
                           f"have the same dtype): convert the input, e.g. x.float()")


def conv_padding(owner, padding, kernel, stride, dilation=(1, 1)):
    """'valid', 'same' or ints -> a pair of ints (PyTorch's rules for the strings)."""
    if isinstance(padding, str):
        if padding not in ("valid", "same"):
            raise ValueError(f"Invalid padding string {padding!r}, should be one of "
                             f"{{'valid', 'same'}}")
        if padding == "valid":
            return (0, 0)
        if any(s != 1 for s in stride):
            raise ValueError("padding='same' is not supported for strided convolutions")
        # the kernel's span - 1, split as PyTorch does: an odd one more on the right
        return tuple(after for _, after in padding_string(owner, padding, kernel, stride,
                                                          dilation))
    return checks.ints(owner, "padding", padding)


def conv2d(x, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """2-D convolution of x (N, C, H, W) or (C, H, W) with weight (O, C/groups, kh, kw),
    plus a bias per channel. ``dilation`` spaces the kernel's taps; with ``groups`` G the
    channels split into G groups, output group g seeing input group g only.

    >>> import tinyflow as tf
    >>> conv2d(tf.ones(1, 1, 3, 3), tf.ones(1, 1, 2, 2)).shape
    tinyflow.Size([1, 1, 2, 2])
    """
    x = checks.tensor("conv2d", "input", x)
    dilation = checks.ints("conv2d", "dilation", dilation)
    if any(d <= 0 for d in dilation):
        raise RuntimeError(f"conv2d: dilation should be greater than zero, got dilation="
                           f"{dilation!r}")
    if not isinstance(groups, numbers.Integral) or isinstance(groups, bool) or groups <= 0:
        raise RuntimeError(f"conv2d: non-positive groups is not supported, got groups={groups!r}")
    kernel = tuple(weight.shape[2:])
    stride = checks.ints("conv2d", "stride", stride)
    # 'same' with an even span pads one more zero at the end than at the start: Conv2D
    # pads both sides by the larger amount, and the first output row/column is dropped
    extra = tuple(after - before for before, after in padding_string(
        "conv2d", padding, kernel, stride, dilation)) if padding == "same" else (0, 0)
    padding = conv_padding("conv2d", padding, kernel, stride, dilation)
    checks.window("conv2d", kernel, stride, padding)
    unbatched = checks.image("conv2d", x)
    same_dtypes("conv2d", x, weight, bias)
    if unbatched:
        x = ops.expand_dims(x, 0)
    channels = x.shape[1]
    if channels is not None and channels != weight.shape[1] * groups:
        raise RuntimeError(f"conv2d: Given groups={groups}, weight of size {list(weight.shape)}, expected "
                           f"input{list(x.shape)} to have {weight.shape[1] * groups} channels, "
                           f"but got {channels} channels instead")
    span = [d * (k - 1) + 1 for k, d in zip(kernel, dilation)]   # the dilated kernel's size
    padded = [n + 2 * p if n is not None else None for n, p in zip(x.shape[2:], padding)]
    if any(n is not None and n < k for n, k in zip(padded, span)):
        raise RuntimeError(f"conv2d: calculated padded input size per channel: "
                           f"({padded[0]} x {padded[1]}). Kernel size: ({span[0]} x "
                           f"{span[1]}). Kernel size can't be greater than actual input size "
                           f"(input shape {tuple(x.shape)}, padding {padding})")
    y = ops.conv2d(x, weight, stride, padding, dilation, groups)
    if any(extra):
        y = y[:, :, extra[0]:, extra[1]:]
    if bias is not None:
        y = y + ops.reshape(bias, (-1, 1, 1))
    return ops.squeeze(y, 0) if unbatched else y


def dropout(x, p=0.5, training=True, inplace=False):
    """Zero each element with probability ``p`` and scale the rest by 1 / (1 - p),
    when training; the identity otherwise. The mask comes from tinyflow's generator.
    ``inplace`` is accepted; the result is computed out of place."""
    checks.probability("dropout", p)
    x = checks.tensor("dropout", "input", x)
    if not training or p == 0.0:
        return x
    if x.dtype.kind != "f":
        raise RuntimeError(f"dropout(): argument 'input' must be a floating point tensor when "
                           f"training, got dtype {x.dtype} (result type Float can't be cast to "
                           f"the desired output type)")
    return _masked(x, p, tuple(x.shape))


def _masked(x, p, mask_shape):
    if p == 1.0:
        return x * 0.0
    keep = rng.generator().random(mask_shape) >= p
    return x * (keep.astype(x.dtype) / np.asarray(1.0 - p, dtype=x.dtype))


def dropout2d(x, p=0.5, training=True, inplace=False):
    """Zero whole channels: each (sample, channel) plane of x (N, C, H, W) is dropped
    with probability ``p`` and the rest scaled by 1 / (1 - p). As in PyTorch, a 3-D
    input is read as (N, C, L) (with its UserWarning), other ranks warn too.

    >>> import tinyflow as tf
    >>> y = dropout2d(tf.ones(2, 8, 3, 3))
    >>> sorted({float(v) for v in y.numpy().reshape(16, 9).std(axis=1)})
    [0.0]
    """
    checks.probability("dropout2d", p)
    x = checks.tensor("dropout2d", "input", x)
    if x.ndim not in (3, 4):
        warnings.warn(f"dropout2d: Received a {x.ndim}-D input to dropout2d, which is deprecated "
                      f"and will result in an error in a future release. To retain the behavior "
                      f"and silence this warning, please use dropout instead. Note that dropout2d "
                      f"exists to provide channel-wise dropout on inputs with 2 spatial "
                      f"dimensions, a channel dimension, and an optional batch dimension (i.e. 3D "
                      f"or 4D inputs).", UserWarning, stacklevel=2)
    if x.ndim == 3:
        warnings.warn("dropout2d: Received a 3D input to dropout2d and assuming that channel-wise "
                      "1D dropout behavior is desired - input is interpreted as shape (N, C, L), "
                      "where C is the channel dim. This behavior will change in a future release "
                      "to interpret the input as one without a batch dimension, i.e. shape "
                      "(C, H, W). To maintain the 1D channel-wise dropout behavior, please switch "
                      "to using dropout1d instead.", UserWarning, stacklevel=2)
    if not training or p == 0.0:
        return x
    if x.ndim < 2:
        raise RuntimeError(f"dropout2d: expected an input with a batch and a channel dimension, "
                           f"got shape {tuple(x.shape)}")
    return _masked(x, p, tuple(x.shape[:2]) + (1,) * (x.ndim - 2))


def batch_norm(x, running_mean, running_var, weight=None, bias=None, training=False,
               momentum=0.1, eps=1e-5):
    """Normalize each channel (dimension 1) of x (N, C) or (N, C, L).

    Training: with the batch's mean and (biased) variance, and the running
    statistics updated in place: ``running = (1 - momentum) * running + momentum * batch``
    (the running variance takes the unbiased batch variance). Evaluation: with the
    running statistics.
    """
    x = checks.floating("batch_norm", "input", checks.tensor("batch_norm", "input", x))
    shape = tuple(x.shape)
    if x.ndim < 2:
        raise ValueError(f"batch_norm: expected an input of shape (N, C) or (N, C, L), got {shape}")
    axes = (0,) + tuple(range(2, x.ndim))
    per_channel = (-1,) + (1,) * (x.ndim - 2)        # (C,) -> broadcastable against x
    if training:
        n = x.array.size // shape[1]
        if n <= 1:
            raise ValueError(f"batch_norm: expected more than 1 value per channel when training, "
                             f"got input of shape {shape}")
        mean = x.mean(axes, keepdim=True)
        centered = x - mean
        var = (centered * centered).mean(axes, keepdim=True)
        if running_mean is not None:
            with no_grad():
                running_mean.mul_(1 - momentum).add_(momentum * mean.array.reshape(-1))
                running_var.mul_(1 - momentum).add_(momentum * var.array.reshape(-1) * n / (n - 1))
        y = centered / ops.sqrt(var + eps)
    else:
        if running_mean is None:
            raise ValueError("batch_norm: evaluation needs running_mean and running_var")
        # The buffers themselves (not copies), so a traced model reads them as named inputs.
        mean = ops.cast(ops.reshape(running_mean, per_channel), x.dtype)
        std = ops.sqrt(ops.cast(ops.reshape(running_var, per_channel), x.dtype) + eps)
        y = (x - mean) / std
    if weight is not None:
        y = y * ops.reshape(weight, per_channel)
    if bias is not None:
        y = y + ops.reshape(bias, per_channel)
    return y


def _array(t):
    return t.array if isinstance(t, Tensor) else np.asarray(t)


def embedding(indices, weight, padding_idx=None):
    """Rows of ``weight`` picked by integer ``indices``: the output has shape
    indices.shape + (embedding_dim,). Gradients add up at repeated indices.
    Positions holding ``padding_idx`` give zeros and send no gradient."""
    n = weight.shape[0]
    if is_symbolic(indices):
        idx = indices                    # traced into a graph: the values come at run time
        if idx.dtype.kind not in "iu":
            raise RuntimeError(f"embedding: indices must be integers (e.g. int64), got dtype {idx.dtype}")
    else:
        idx = _array(indices)
        if idx.dtype.kind not in "iu":
            raise RuntimeError(f"embedding: indices must be integers (e.g. int64), got dtype {idx.dtype}")
        if idx.size and (idx.min() < 0 or idx.max() >= n):
            bad = idx.max() if idx.max() >= n else idx.min()
            raise IndexError(f"embedding: index {bad} is out of range for an embedding of "
                             f"{n} rows (argument 'input' must hold indices in 0 .. {n - 1}; "
                             f"index out of range in self)")
    out = weight[idx]
    if padding_idx is not None:
        # Multiplying by a constant 0/1 mask keeps the padding row out of the gradient.
        keep = ops.cast(ops.not_equal(idx, padding_idx % n), weight.dtype)
        out = out * ops.expand_dims(keep, -1)
    return out


def flatten(x, start_dim=1, end_dim=-1):
    """Dimensions start_dim..end_dim of x merged into one."""
    x = checks.tensor("flatten", "input", x)
    n = x.ndim
    start = dim_arg("flatten", "start_dim", start_dim, n)
    end = dim_arg("flatten", "end_dim", end_dim, n)
    if start > end:
        raise RuntimeError(f"flatten(): argument 'start_dim' ({start_dim}) cannot come after "
                           f"'end_dim' ({end_dim}) for a tensor of {n} dimensions "
                           f"(flatten() has invalid args: start_dim cannot come after end_dim)")
    return x.flatten(start, end)
