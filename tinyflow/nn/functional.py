"""The layers and losses as plain functions (``import tinyflow.nn.functional as F``).

Everything here is composed from tinyflow's ops, so gradients come from the
primitive registry; the only numpy is for things with no gradient (dropout's
random mask, BatchNorm's running statistics, label checks).

>>> import tinyflow as tf
>>> import tinyflow.nn.functional as F
>>> F.relu(tf.tensor([-1.0, 2.0]))
tensor([0., 2.])
"""
import numpy as np

from .. import ops
from ..base import rng
from ..eager.grad_mode import no_grad
from ..eager.tensor import Tensor, operand
from .loss_functions import (mse_loss, l1_loss, cross_entropy, nll_loss,  # noqa: F401
                             binary_cross_entropy_with_logits)
from ..ops.primitive import is_symbolic


# --- activations ----------------------------------------------------------------

def relu(x):
    """max(x, 0)"""
    return ops.relu(operand(x))


def tanh(x):
    return ops.tanh(operand(x))


def sigmoid(x):
    """1 / (1 + exp(-x))"""
    return ops.sigmoid(operand(x))


def softmax(x, dim=-1):
    """exp(x) / sum(exp(x)) along ``dim``."""
    return ops.softmax(operand(x), dim)


def log_softmax(x, dim=-1):
    """log(softmax(x)) along ``dim``, computed stably."""
    return ops.log_softmax(operand(x), dim)


# --- layers ---------------------------------------------------------------------

def linear(x, weight, bias=None):
    """x @ weight.T + bias, with weight shaped (out_features, in_features).

    >>> import tinyflow as tf
    >>> linear(tf.ones(1, 2), tf.tensor([[1.0, 2.0]]), tf.tensor([0.5]))
    tensor([[3.5]])
    """
    y = ops.matmul(operand(x), ops.transpose(weight))
    return y if bias is None else y + bias


def conv2d(x, weight, bias=None, stride=1, padding=0):
    """2-D convolution of x (N, C, H, W) with weight (O, C, kh, kw), plus a bias per channel."""
    y = ops.conv2d(operand(x), weight, stride, padding)
    return y if bias is None else y + ops.reshape(bias, (-1, 1, 1))


def max_pool2d(x, kernel_size, stride=None, padding=0):
    """The largest value of each window; the stride defaults to the kernel size."""
    return ops.max_pool2d(operand(x), kernel_size, stride, padding)


def dropout(x, p=0.5, training=True):
    """Zero each element with probability ``p`` and scale the rest by 1 / (1 - p),
    when training; the identity otherwise. The mask comes from tinyflow's generator."""
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    x = operand(x)
    if not training or p == 0.0:
        return x
    if p == 1.0:
        return x * 0.0
    keep = rng.generator().random(x.shape) >= p
    return x * (keep.astype(x.dtype) / np.asarray(1.0 - p, dtype=x.dtype))


def batch_norm(x, running_mean, running_var, weight=None, bias=None, training=False,
               momentum=0.1, eps=1e-5):
    """Normalize each channel (dimension 1) of x (N, C) or (N, C, L).

    Training: with the batch's mean and (biased) variance, and the running
    statistics updated in place: ``running = (1 - momentum) * running + momentum * batch``
    (the running variance takes the unbiased batch variance). Evaluation: with the
    running statistics.
    """
    x = operand(x)
    shape = tuple(x.shape)
    if x.ndim < 2:
        raise ValueError(f"batch_norm: expected an input of shape (N, C) or (N, C, L), got {shape}")
    axes = (0,) + tuple(range(2, x.ndim))
    per_channel = (-1,) + (1,) * (x.ndim - 2)        # (C,) -> broadcastable against x
    if training:
        n = x.data.size // shape[1]
        if n <= 1:
            raise ValueError(f"batch_norm: expected more than 1 value per channel when training, "
                             f"got input of shape {shape}")
        mean = x.mean(axes, keepdim=True)
        centered = x - mean
        var = (centered * centered).mean(axes, keepdim=True)
        if running_mean is not None:
            with no_grad():
                running_mean.mul_(1 - momentum).add_(momentum * mean.data.reshape(-1))
                running_var.mul_(1 - momentum).add_(momentum * var.data.reshape(-1) * n / (n - 1))
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
    return t.data if isinstance(t, Tensor) else np.asarray(t)


def embedding(indices, weight, padding_idx=None):
    """Rows of ``weight`` picked by integer ``indices``: the output has shape
    indices.shape + (embedding_dim,). Gradients add up at repeated indices.
    Positions holding ``padding_idx`` give zeros and send no gradient."""
    n = weight.shape[0]
    if is_symbolic(indices):
        idx = indices                    # traced into a graph: the values come at run time
        if idx.dtype.kind not in "iu":
            raise TypeError(f"embedding: indices must be integers (e.g. int64), got dtype {idx.dtype}")
    else:
        idx = _array(indices)
        if idx.dtype.kind not in "iu":
            raise TypeError(f"embedding: indices must be integers (e.g. int64), got dtype {idx.dtype}")
        if idx.size and (idx.min() < -n or idx.max() >= n):
            bad = idx.max() if idx.max() >= n else idx.min()
            raise IndexError(f"embedding: index {bad} is out of range for an embedding of "
                             f"{n} rows")
    out = weight[idx]
    if padding_idx is not None:
        # Multiplying by a constant 0/1 mask keeps the padding row out of the gradient.
        keep = ops.cast(ops.not_equal(idx, padding_idx % n), weight.dtype)
        out = out * ops.expand_dims(keep, -1)
    return out


def flatten(x, start_dim=1, end_dim=-1):
    return operand(x).flatten(start_dim, end_dim)
