"""Activation functions by name, as Keras resolves ``activation="relu"``.

Each is tinyflow's own op or function (``tinyflow.ops``, ``nn.functional``), so it
runs eagerly, traces into graphs and differentiates like any other op.
``softmax`` and ``sigmoid`` remember their input: a crossentropy given their
output with ``from_logits=False`` uses those logits instead (exactly, and stably),
as Keras 2 does -- whichever of the two made them (tf_keras's ``_keras_logits``:
binary_crossentropy of a softmax output is the sigmoid crossentropy of its logits).

>>> import tinyflow as tf
>>> from tinyflow import keras
>>> keras.activations.get("relu")(tf.tensor([-1.0, 2.0]))
tensor([0., 2.])
>>> keras.activations.serialize(keras.activations.get(None))
'linear'
"""
import numpy as np

from .. import ops
from ..nn import functional as F
from ..ops.primitive import is_eager
from .saving.serialization import Registry, get_registered_name

SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946


def linear(x):
    """The identity: what ``activation=None`` means."""
    return x


def relu(x, alpha=0.0, max_value=None, threshold=0.0):
    """max(x, 0); with ``alpha`` a leaky slope below ``threshold``, with
    ``max_value`` a cap (Keras's ``relu`` arguments)."""
    if alpha == 0.0 and max_value is None and threshold == 0.0:
        return ops.relu(x)
    y = ops.where(ops.greater(x, threshold), x, (x - threshold) * alpha if alpha else x * 0.0)
    return y if max_value is None else ops.minimum(y, max_value)


def sigmoid(x):
    """1 / (1 + exp(-x)); the logits are kept for binary_crossentropy."""
    return _keep_logits(ops.sigmoid(x), x, "sigmoid")


def tanh(x):
    return ops.tanh(x)


def softmax(x, axis=-1):
    """exp(x) / sum(exp(x)) along ``axis``; the logits are kept for the losses."""
    if len(x.shape) <= 1:
        raise ValueError(f"Cannot apply softmax to a tensor that is 1D. Received input: {x}")
    return _keep_logits(ops.softmax(x, axis), x, "softmax")


def _keep_logits(out, logits, kind):
    """Remember on ``out`` the logits it came from, for the crossentropies."""
    if is_eager(out):
        out._set_meta("keras_logits", (kind, logits))
    elif getattr(out, "node", None) is not None:
        out.node.keras_logits = logits     # a graph tensor keeps no extras: its op does
    return out


def log_softmax(x, axis=-1):
    return ops.log_softmax(x, axis)


def elu(x, alpha=1.0):
    return ops.elu(x, alpha)


def selu(x):
    """SCALE * elu(x, ALPHA), the self-normalizing constants."""
    return ops.elu(x, SELU_ALPHA) * SELU_SCALE


def softplus(x):
    return ops.softplus(x)


def softsign(x):
    return x / (ops.abs(x) + 1.0)


def swish(x):
    """x * sigmoid(x) (also called silu)."""
    return x * ops.sigmoid(x)


def gelu(x, approximate=False):
    return F.gelu(x, "tanh" if approximate else "none")


def exponential(x):
    return ops.exp(x)


def hard_sigmoid(x):
    """A piecewise-linear sigmoid: clip(0.2 x + 0.5, 0, 1) (Keras 2's slope; Keras 3
    uses 1/6)."""
    return ops.clamp(x * 0.2 + 0.5, 0.0, 1.0)


def relu6(x):
    """min(max(x, 0), 6)."""
    return ops.clamp(x, 0.0, 6.0)


def leaky_relu(x, negative_slope=0.2):
    """x above 0, ``negative_slope * x`` below (Keras's default slope 0.2)."""
    return ops.where(ops.greater(x, 0.0), x, x * negative_slope)


def mish(x):
    """x * tanh(softplus(x))."""
    return x * ops.tanh(ops.softplus(x))


_OP_TYPES = {"softmax": "Softmax", "sigmoid": "Sigmoid"}


def logits_of(output, kind="softmax"):
    """The logits a softmax (or sigmoid) output was computed from, or None. A tensor
    made by this module remembers them -- whichever activation made it, as tf_keras's
    ``_keras_logits`` -- otherwise a graph op of the ``kind`` has them as its input."""
    if is_eager(output):
        kept = output._meta.get("keras_logits") if output._meta else None
        return kept[1] if kept is not None else None
    node = getattr(output, "node", None)
    if getattr(node, "keras_logits", None) is not None:
        return node.keras_logits
    if node is not None and getattr(node, "type", None) == _OP_TYPES[kind]:
        return node.inputs[0]
    return None


silu = swish
_BUILTIN = {f.__name__: f for f in (linear, relu, sigmoid, tanh, softmax, log_softmax, elu,
                                    selu, softplus, softsign, swish, gelu, exponential,
                                    hard_sigmoid, relu6, leaky_relu, mish)}
_BUILTIN["silu"] = swish
_registry = Registry("activation function", _BUILTIN, instantiate_classes=False)


def get(identifier):
    """A function from a name ('relu'), None (linear) or a callable."""
    if identifier is None:
        return linear
    if isinstance(identifier, str):
        try:
            return _registry.lookup(identifier)
        except ValueError:
            raise ValueError(f"Unknown activation function '{identifier}' cannot be "
                             f"deserialized.") from None
    if isinstance(identifier, dict):
        return _registry.get(identifier)
    if callable(identifier):
        return identifier
    raise TypeError(f"Could not interpret activation function identifier: {identifier!r}")


def serialize(activation):
    """The name saved for an activation ('relu'; a registered one by its registered name)."""
    if activation is None:
        return "linear"
    if hasattr(activation, "get_config"):          # a layer used as an activation
        return _registry.serialize(activation)
    name = getattr(activation, "__name__", None)
    if name in _BUILTIN and _BUILTIN[name] is activation:
        return name
    return get_registered_name(activation)


def deserialize(config, custom_objects=None):
    if isinstance(config, str):
        obj = _registry.lookup(config, custom_objects) if config not in _BUILTIN else _BUILTIN[config]
        return obj
    return _registry.get(config, custom_objects)


__all__ = list(_BUILTIN) + ["get", "serialize", "deserialize"]
del np
