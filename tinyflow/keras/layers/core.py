"""The everyday layers: ``Dense``, ``Activation``, ``Dropout``, ``Flatten``, ``Reshape``,
and ``Lambda`` (any function of the inputs, as a layer).

>>> import numpy as np
>>> from tinyflow import keras
>>> layer = keras.layers.Dense(3, activation="relu")
>>> layer(np.ones((2, 4))).shape
tinyflow.Size([2, 3])
>>> [w.shape for w in layer.weights]
[tinyflow.Size([4, 3]), tinyflow.Size([3])]
>>> keras.layers.Flatten()(np.zeros((2, 3, 4))).shape
tinyflow.Size([2, 12])
"""
import inspect
import types

import numpy as np

from ... import ops
from ...base import rng
from ...ops.primitive import interpreters, is_symbolic
from ...tracing.bridge import random_uniform
from .. import activations, initializers, regularizers
from ..saving.serialization import get_registered_object
from .base import Layer
from .input_spec import InputSpec, shape_of


def _config_of(obj, module):
    return module.serialize(obj) if obj is not None else None


class Dense(Layer):
    """``activation(inputs @ kernel + bias)``, kernel (in, units): Keras's fully connected
    layer (its ops are MatMul and BiasAdd, as in TensorFlow)."""

    def __init__(self, units, activation=None, use_bias=True, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, bias_constraint=None,
                 **kwargs):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        if not isinstance(units, (int, np.integer)) or isinstance(units, bool) or units <= 0:
            raise ValueError(f"Received an invalid value for `units`, expected a positive "
                             f"integer. Received: units={units}")
        self.units = int(units)
        self._init_kernel_and_bias(activation, use_bias, kernel_initializer, bias_initializer,
                                   kernel_regularizer, bias_regularizer, kernel_constraint,
                                   bias_constraint)
        self.input_spec = InputSpec(min_ndim=2)

    def build(self, input_shape):
        last = input_shape[-1]
        if last is None:
            raise ValueError(f"The last dimension of the inputs to a Dense layer should be "
                             f"defined. Found None. Full input shape received: {input_shape}")
        self.kernel = self.add_weight("kernel", (last, self.units), initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint)
        self.bias = self.add_weight("bias", (self.units,), initializer=self.bias_initializer,
                                    regularizer=self.bias_regularizer,
                                    constraint=self.bias_constraint) if self.use_bias else None
        self.input_spec = InputSpec(min_ndim=2, axes={-1: last})
        self.built = True

    def call(self, inputs):
        y = ops.matmul(inputs, self.kernel)
        if self.use_bias:
            y = ops.bias_add(y, self.bias)
        return self.activation(y)

    def get_config(self):
        return {**super().get_config(), "units": self.units,
                "activation": activations.serialize(self.activation), "use_bias": self.use_bias,
                "kernel_initializer": initializers.serialize(self.kernel_initializer),
                "bias_initializer": initializers.serialize(self.bias_initializer),
                "kernel_regularizer": _config_of(self.kernel_regularizer, regularizers),
                "bias_regularizer": _config_of(self.bias_regularizer, regularizers)}


class Activation(Layer):
    """Applies an activation function: ``Activation("softmax")``."""

    def __init__(self, activation, **kwargs):
        super().__init__(**kwargs)
        self.activation = activations.get(activation)

    def call(self, inputs):
        return self.activation(inputs)

    def get_config(self):
        return {**super().get_config(), "activation": activations.serialize(self.activation)}


def keep_mask(shape, rate, dtype, seed=None):
    """1 / (1 - rate) where a unit is kept (probability 1 - rate), 0 elsewhere: drawn
    now from tinyflow's generator eagerly, or by a random op at every run of a
    traced graph (so each step drops different units)."""
    scale = np.asarray(1.0 / (1.0 - rate), dtype)
    if interpreters.building is not None:
        if any(d is None for d in shape):
            raise ValueError(f"Dropout in a traced graph needs a known input shape, got {shape}")
        u = random_uniform(shape, dtype=dtype, seed=seed)
        return ops.cast(ops.greater_equal(u, rate), dtype) * scale
    g = rng.generator() if seed is None else np.random.default_rng(seed)
    return (g.random(shape) >= rate).astype(dtype) * scale


class Dropout(Layer):
    """While training, zero each unit with probability ``rate`` and scale the others
    by 1 / (1 - rate); otherwise the identity."""

    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        super().__init__(**kwargs)
        if not 0 <= rate <= 1:
            raise ValueError(f"Invalid value received for argument `rate`. Expected a float "
                             f"value between 0 and 1. Received: rate={rate}")
        self.rate, self.noise_shape, self.seed = float(rate), noise_shape, seed

    def call(self, inputs, training=None):
        if not training or self.rate == 0:
            return inputs
        shape = shape_of(inputs)
        if self.noise_shape is not None:
            shape = tuple(s if n is None else n for s, n in zip(shape, self.noise_shape))
        if self.rate == 1:
            return inputs * 0.0
        return inputs * keep_mask(shape, self.rate, np.dtype(inputs.dtype), self.seed)

    def get_config(self):
        return {**super().get_config(), "rate": self.rate, "noise_shape": self.noise_shape,
                "seed": self.seed}


class Flatten(Layer):
    """(batch, d1, d2, ...) -> (batch, d1 * d2 * ...)."""

    def __init__(self, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = data_format or "channels_last"
        self.input_spec = InputSpec(min_ndim=1)

    def call(self, inputs):
        shape = shape_of(inputs)
        if self.data_format == "channels_first" and len(shape) > 2:
            inputs = ops.transpose(inputs, (0,) + tuple(range(2, len(shape))) + (1,))
        rest = shape[1:]
        if any(d is None for d in rest):
            raise ValueError(f"Flatten: the input's non-batch dimensions must be known, got "
                             f"shape {shape}")
        return ops.reshape(inputs, (-1, int(np.prod(rest, dtype=np.int64))))

    def get_config(self):
        return {**super().get_config(), "data_format": self.data_format}


class Reshape(Layer):
    """Reshape each sample to ``target_shape`` (the batch dimension is kept; one
    entry may be -1)."""

    def __init__(self, target_shape, **kwargs):
        super().__init__(**kwargs)
        self.target_shape = tuple(int(d) for d in target_shape)

    def _resolved(self, input_shape):
        target = list(self.target_shape)
        size = int(np.prod(input_shape[1:])) if None not in input_shape[1:] else None
        known = int(np.prod([d for d in target if d != -1]))
        if target.count(-1) > 1:
            raise ValueError(f"There must be at most one unknown dimension in output_shape. "
                             f"Received: output_shape={tuple(target)}.")
        if size is not None:
            if -1 in target:
                if known == 0 or size % known:
                    raise ValueError(f"total size of new array must be unchanged, input_shape = "
                                     f"{list(input_shape[1:])}, output_shape = {target}")
                target[target.index(-1)] = size // known
            elif size != known:
                raise ValueError(f"total size of new array must be unchanged, input_shape = "
                                 f"{list(input_shape[1:])}, output_shape = {target}")
        return tuple(target)

    def call(self, inputs):
        return ops.reshape(inputs, (-1,) + self._resolved(shape_of(inputs)))

    def get_config(self):
        return {**super().get_config(), "target_shape": list(self.target_shape)}


class Lambda(Layer):
    """A function of the inputs as a layer: ``Lambda(lambda x: x / 255.0)``. ``call``
    runs ``function(inputs, **arguments)`` (passing ``training=`` and ``mask=`` when
    the function takes them); it has no weights.

    Saving: ``model.save`` writes the function's *name*, never its code, and
    loading such a model is refused (tf_keras refuses it in safe mode; tinyflow
    never runs code stored in a file, so ``safe_mode=False`` does not change
    that). Rebuild the model in code and ``model.load_weights("model.keras")``.
    A callable that is not a Python function (``abs``, a method of an object) is
    saved as ``function_type="function"`` and loaded by name from ``custom_objects``.

    >>> import numpy as np
    >>> from tinyflow import keras
    >>> keras.backend.clear_session()
    >>> model = keras.Sequential([keras.layers.Lambda(lambda x: x / 255.0, input_shape=(2,)),
    ...                           keras.layers.Dense(1, kernel_initializer="ones")])
    >>> model.predict(np.array([[255.0, 510.0]]), verbose=0)
    array([[3.]], dtype=float32)
    >>> config = model.layers[0].get_config()
    >>> config["function"], config["function_type"], config["output_shape_type"]
    ('<lambda>', 'lambda', 'raw')
    """

    def __init__(self, function, output_shape=None, mask=None, arguments=None, **kwargs):
        super().__init__(**kwargs)
        if not callable(function):
            raise TypeError(f"unsupported callable: Lambda's `function` must be a callable that "
                            f"takes the input tensor(s), e.g. Lambda(lambda x: x * 2). Received: "
                            f"function={function!r} (of type {type(function).__name__})")
        self.arguments = arguments or {}
        self.function = function
        self.mask = mask
        self._output_shape = output_shape
        params = _parameter_names(function)
        self._fn_expects_training_arg = "training" in params
        self._fn_expects_mask_arg = "mask" in params

    def call(self, inputs, mask=None, training=None):
        kwargs = dict(self.arguments)
        if self._fn_expects_mask_arg:
            kwargs["mask"] = mask
        if self._fn_expects_training_arg:
            kwargs["training"] = training
        return self.function(inputs, **kwargs)

    def compute_output_shape(self, input_shape):
        """``output_shape`` if given -- a shape without the batch axis, or a function
        of the input shape -- else found by running the function on placeholders."""
        if self._output_shape is None:
            return super().compute_output_shape(input_shape)
        if callable(self._output_shape):
            return self._output_shape(input_shape)
        first = input_shape[0] if input_shape and isinstance(input_shape[0], (list, tuple)) \
            else input_shape
        batch = first[0] if first else None
        shape = self._output_shape
        if shape and all(isinstance(s, (list, tuple)) for s in shape):
            return [(batch,) + tuple(s) for s in shape]
        return (batch,) + tuple(shape)

    def get_config(self):
        function, function_type, module = _function_config(self.function)
        shape, shape_type, shape_module = _function_config(self._output_shape, raw=True)
        config = {"function": function, "function_type": function_type, "module": module,
                  "output_shape": shape, "output_shape_type": shape_type,
                  "output_shape_module": shape_module}
        if self.mask is not None:
            mask, mask_type, mask_module = _function_config(self.mask, raw=True)
            config.update({"mask": mask, "mask_type": mask_type, "mask_module": mask_module})
        config["arguments"] = {k: {"type": "ndarray", "value": v.tolist()}
                               if isinstance(v, np.ndarray) else v
                               for k, v in self.arguments.items()}
        return {**super().get_config(), **config}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        name = config.get("name")
        for attr in ("function", "output_shape", "mask"):
            if attr in config:
                config[attr] = _function_from_config(config, attr, name, custom_objects)
        config["arguments"] = {k: np.array(v["value"]) if isinstance(v, dict) and
                               v.get("type") == "ndarray" else v
                               for k, v in (config.get("arguments") or {}).items()}
        return cls(**config)


def _parameter_names(function):
    try:
        return set(inspect.signature(function).parameters)
    except (TypeError, ValueError):            # some builtins have no signature
        return set()


def _function_config(fn, raw=False):
    """(what is saved, its type, its module), as tf_keras names them. A Python function
    or lambda is "lambda" (tf_keras stores its bytecode; tinyflow its name only), another
    callable is "function" (found by name when loading), a shape is "raw"."""
    if isinstance(fn, types.FunctionType) or callable(fn) and not hasattr(fn, "__name__"):
        return getattr(fn, "__qualname__", type(fn).__name__), "lambda", \
            getattr(fn, "__module__", None)
    if callable(fn):
        return fn.__name__, "function", getattr(fn, "__module__", None)
    if raw:
        return fn, "raw", None
    raise ValueError(f"Invalid input for serialization, type: {type(fn)} ")


LAMBDA_REFUSED = (
    "Requested the deserialization of a Lambda layer with a Python `lambda` inside it: layer "
    "{layer!r} wraps the Python function `{function}` (module {module!r}). Running code stored "
    "in a file carries a risk of arbitrary code execution, and tinyflow never does it, not "
    "even with `safe_mode=False`: it saved the function's name, not its code. To use this "
    "model, rebuild it in code with the same Lambda layers and load the saved weights into "
    "it: `model.load_weights(path)` (the .keras file itself works as the path).")


def _function_from_config(config, attr, layer, custom_objects):
    """The function (or raw value) saved under ``attr``; a Python function is refused."""
    value = config[attr]
    module = config.pop(f"{attr}_module" if attr != "function" else "module", None)
    kind = config.pop(f"{attr}_type", "raw")
    if kind == "lambda":
        raise ValueError(LAMBDA_REFUSED.format(layer=layer, function=value, module=module))
    if kind == "function":
        found = get_registered_object(value, custom_objects)
        if found is None:
            raise TypeError(f"unsupported callable: the Lambda layer {layer!r} was saved with "
                            f"the function {value!r} (module {module!r}), which is not known "
                            f"here. Pass it when loading: custom_objects={{{value!r}: ...}}, or "
                            f"register it with keras.utils.register_keras_serializable().")
        return found
    if kind == "raw":
        return value
    raise TypeError(f"Unsupported value for `function_type` argument. Received: "
                    f"function_type={kind}. Expected one of ['function', 'lambda', 'raw']")
