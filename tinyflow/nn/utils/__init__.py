"""``nn.utils``: gradient clipping and flattening parameters into one vector,
as in ``torch.nn.utils``; ``nn.utils.rnn`` pads and packs sequences of different
lengths.

Clipping works on ``p.grad`` in place, after ``backward`` and before the
optimizer's ``step``; nothing is recorded for autograd.

>>> import tinyflow as tf, tinyflow.nn as nn
>>> from tinyflow.nn.utils import clip_grad_norm_
>>> w = nn.Parameter(tf.zeros(2))
>>> (w * tf.tensor([3.0, 4.0])).sum().backward()
>>> clip_grad_norm_([w], max_norm=1.0)
tensor(5.)
>>> w.grad.numpy().round(4)
array([0.6, 0.8], dtype=float32)
"""
import math
import types
import warnings

import numpy as np

from ... import ops
from ...eager.grad_mode import no_grad
from ...eager.tensor import Tensor
from . import rnn  # noqa: F401  (nn.utils.rnn: pad_sequence, pack_padded_sequence...)


def _tensors(parameters):
    if isinstance(parameters, Tensor):
        return [parameters]
    is_generator = isinstance(parameters, types.GeneratorType)
    parameters = list(parameters)
    if is_generator and not parameters:
        warnings.warn("`parameters` is an empty generator, no gradient clipping will occur.",
                      UserWarning, stacklevel=3)
    return parameters


def _vector_norm(a, p):
    """The p-norm of an array seen as one vector (p may be inf, -inf or 0)."""
    a = np.abs(a.reshape(-1))
    if p == math.inf:
        return a.max(initial=0)
    if p == -math.inf:
        return a.min() if a.size else np.asarray(math.inf, a.dtype)
    if p == 0:
        return np.asarray(np.count_nonzero(a), a.dtype)
    if p == 1:
        return a.sum()
    if p == 2:
        return np.sqrt(np.dot(a, a))
    return np.sum(a ** p) ** (1.0 / p)


def get_total_norm(tensors, norm_type=2.0, error_if_nonfinite=False, foreach=None):
    """The ``norm_type``-norm of all ``tensors`` together, as if they were one vector
    (the norm of their norms), as a 0-d tensor.

    >>> import tinyflow as tf
    >>> get_total_norm([tf.tensor([3.0]), tf.tensor([4.0])])
    tensor(5.)
    """
    tensors = [tensors] if isinstance(tensors, Tensor) else list(tensors)
    norm_type = float(norm_type)
    if not tensors:
        return Tensor(np.array(0.0, np.float32))
    arrays = [t.array if isinstance(t, Tensor) else np.asarray(t) for t in tensors]
    dtype = np.result_type(*arrays)
    norms = np.array([_vector_norm(a, norm_type) for a in arrays], dtype=dtype)
    total = np.asarray(_vector_norm(norms, norm_type), dtype=dtype)
    if error_if_nonfinite and not np.isfinite(total):
        raise RuntimeError(f"The total norm of order {norm_type} for gradients from "
                           f"`parameters` is non-finite, so it cannot be clipped. To disable "
                           f"this error and scale the gradients by the non-finite norm anyway, "
                           f"set `error_if_nonfinite=False`")
    return Tensor(total)


def clip_grads_with_norm_(parameters, max_norm, total_norm, foreach=None):
    """Scale every gradient by min(1, max_norm / (total_norm + 1e-6)), in place."""
    parameters = [parameters] if isinstance(parameters, Tensor) else list(parameters)
    grads = [p.grad for p in parameters if p.grad is not None]
    if not grads:
        return
    total = total_norm.array if isinstance(total_norm, Tensor) else np.asarray(total_norm)
    coef = np.minimum(float(max_norm) / (total + 1e-6), 1.0)
    with no_grad():
        for g in grads:
            g.mul_(coef.astype(g.dtype))


def clip_grad_norm_(parameters, max_norm, norm_type=2.0, error_if_nonfinite=False, foreach=None):
    """Rescale the gradients of ``parameters`` (a tensor or an iterable of them) in
    place so that their total ``norm_type``-norm (``float('inf')``: the largest
    absolute value) is at most ``max_norm``. Returns the total norm *before*
    clipping, as a 0-d tensor."""
    max_norm = float(max_norm)          # as PyTorch: a ValueError for a string that is no number
    parameters = _tensors(parameters)
    grads = [p.grad for p in parameters if p.grad is not None]
    total = get_total_norm(grads, norm_type, error_if_nonfinite, foreach)
    clip_grads_with_norm_(parameters, max_norm, total, foreach)
    return total


def clip_grad_value_(parameters, clip_value, foreach=None):
    """Clamp every gradient of ``parameters`` to [-clip_value, clip_value], in place.

    >>> import tinyflow as tf, tinyflow.nn as nn
    >>> w = nn.Parameter(tf.zeros(2))
    >>> (w * tf.tensor([-3.0, 0.5])).sum().backward()
    >>> clip_grad_value_(w, 1.0); w.grad
    tensor([-1.0000,  0.5000])
    """
    parameters = [parameters] if isinstance(parameters, Tensor) else list(parameters)
    clip_value = float(clip_value)
    for p in parameters:
        if p.grad is not None:
            with no_grad():
                p.grad.copy_(np.clip(p.grad.array, -clip_value, clip_value))


def parameters_to_vector(parameters):
    """All ``parameters`` flattened and joined into one 1-D tensor (on the tape:
    gradients flow back to the parameters).

    >>> import tinyflow.nn as nn
    >>> parameters_to_vector(nn.Linear(3, 2).parameters()).shape
    tinyflow.Size([8])
    """
    flat = [ops.reshape(p, (-1,)) for p in parameters]
    if not flat:
        raise RuntimeError("parameters_to_vector: expected a non-empty iterable of tensors")
    return ops.concat(flat, 0)


def vector_to_parameters(vec, parameters):
    """Copy consecutive slices of the 1-D tensor ``vec`` into ``parameters`` (each
    parameter's data becomes a view of its slice, as in PyTorch).

    >>> import tinyflow as tf, tinyflow.nn as nn
    >>> lin = nn.Linear(2, 1)
    >>> vector_to_parameters(tf.tensor([1.0, 2.0, 3.0]), lin.parameters())
    >>> lin.weight, lin.bias
    (Parameter containing:
    tensor([[1., 2.]], requires_grad=True), Parameter containing:
    tensor([3.], requires_grad=True))
    """
    if not isinstance(vec, Tensor):
        raise TypeError(f"vector_to_parameters: expected a tinyflow.Tensor for vec, but got: "
                        f"{type(vec).__name__}")
    data = vec.array.reshape(-1)
    pointer = 0
    for p in parameters:
        n = p.numel()
        if pointer + n > data.size:
            raise RuntimeError(f"vector_to_parameters: vec has {data.size} elements, too few "
                               f"for the parameters (at least {pointer + n} needed)")
        p.array = data[pointer:pointer + n].reshape(p.shape)
        pointer += n
