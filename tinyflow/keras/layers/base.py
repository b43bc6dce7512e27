"""``keras.layers.Layer``: weights made on the first call, from the input's shape.

A layer is a Python object with ``build(input_shape)`` (make the weights with
``add_weight``) and ``call(inputs)`` (compute with tinyflow's ops). Calling it
casts floating inputs to the layer's dtype, checks them against ``input_spec``,
builds it once, and runs ``call`` -- on eager tensors (now), on a graph being
traced (``tinyflow.function``: the layer's ops go under its name), or on
``keras.Input`` placeholders (the functional API records the call instead).

>>> import numpy as np
>>> from tinyflow import keras
>>> class Scale(keras.layers.Layer):
...     def build(self, input_shape):
...         self.w = self.add_weight("w", shape=(input_shape[-1],), initializer="ones")
...     def call(self, x):
...         return x * self.w
>>> layer = Scale(name="scale")
>>> layer.built, layer(np.ones((2, 3))).shape, layer.built
(False, tinyflow.Size([2, 3]), True)
>>> [w.name for w in layer.weights], layer.count_params()
(['scale/w:0'], 3)
"""
import inspect

import numpy as np

from ... import ops
from ...base.nest import flatten
from ...ops.primitive import interpreters, is_tensor
from ...eager.tensor import Tensor
from ...eager.grad_mode import no_grad
from ...eager import gradient_tape
from .. import activations, backend, initializers, regularizers
from ...eager.variable import Variable
from . import input_spec as specs

_ALLOWED_KWARGS = {"input_shape", "batch_input_shape", "batch_size", "input_dim", "weights",
                   "activity_regularizer", "autocast", "dynamic"}


class _CallContext:
    """The ``training`` value of the layer call being run, so a layer called inside
    another one's ``call`` without ``training=`` inherits it (as in Keras)."""
    stack = []


def tape_is_recording():
    """Is a GradientTape open? (tinyflow records PyTorch-style everywhere; Keras
    code expects TF2's rule, where only a tape records.)"""
    return bool(gradient_tape._active)


def _accepts(fn, arg):
    try:
        params = inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return False
    return arg in params or any(p.kind == p.VAR_KEYWORD for p in params.values())


class Layer:
    """The base class of every Keras layer and model."""

    def __init__(self, trainable=True, name=None, dtype=None, **kwargs):
        for k in kwargs:
            if k not in _ALLOWED_KWARGS:
                raise TypeError(f"Keyword argument not understood: {k!r} (passed to "
                                f"{type(self).__name__})")
        object.__setattr__(self, "_layers", [])        # sub-layers, in assignment order
        self._own_weights = []
        self._trainable = bool(trainable)
        self.name = name or backend.unique_object_name(backend.to_snake_case(type(self).__name__))
        self._dtype = np.dtype(getattr(dtype, "name", dtype) or backend.floatx()).name
        self.built = False
        self.input_spec = None
        self._regularized = []                          # (regularizer, variable)
        self._call_losses = []
        self._inbound_nodes = []                        # functional API calls (functional.py)
        self._build_input_shape = None
        self._initial_weights = kwargs.get("weights")
        self.activity_regularizer = regularizers.get(kwargs.get("activity_regularizer"))
        shape = kwargs.get("batch_input_shape")
        if shape is None and "input_shape" in kwargs:
            shape = (kwargs.get("batch_size"),) + tuple(kwargs["input_shape"])
        elif shape is None and "input_dim" in kwargs:
            shape = (kwargs.get("batch_size"), kwargs["input_dim"])
        self._batch_input_shape = None if shape is None else tuple(shape)
        self._call_takes_training = _accepts(self.call, "training")

    # --- sub-layers and variables assigned as attributes are tracked ---
    def __setattr__(self, name, value):
        layers = self.__dict__.get("_layers")
        if layers is not None and not name.startswith("_"):
            items = value if isinstance(value, (list, tuple)) else [value]
            for v in items:
                if isinstance(v, Layer) and v is not self and not any(v is l for l in layers):
                    layers.append(v)
                elif isinstance(v, Variable) and not any(v is w for w in self._own_weights):
                    self._own_weights.append(v)
        object.__setattr__(self, name, value)

    # --- what it holds ---
    @property
    def dtype(self):
        """The dtype of the layer's weights and computations ('float32')."""
        return self._dtype

    compute_dtype = variable_dtype = dtype

    @property
    def trainable(self):
        return self._trainable

    @trainable.setter
    def trainable(self, value):
        """Freeze (False) or unfreeze the layer and every layer inside it."""
        self._trainable = bool(value)
        for layer in self._layers:
            layer.trainable = value

    def _sublayers(self):
        return self._layers

    @property
    def trainable_weights(self):
        if not self.trainable:
            return []
        own = [w for w in self._own_weights if w.trainable]
        return _unique(own + [w for l in self._sublayers() for w in l.trainable_weights])

    @property
    def non_trainable_weights(self):
        if not self.trainable:
            return _unique(self._own_weights + [w for l in self._sublayers() for w in l.weights])
        own = [w for w in self._own_weights if not w.trainable]
        return _unique(own + [w for l in self._sublayers() for w in l.non_trainable_weights])

    @property
    def weights(self):
        """Trainable weights first, then the others (Keras's order)."""
        return _unique(self.trainable_weights + self.non_trainable_weights)

    trainable_variables = trainable_weights
    non_trainable_variables = non_trainable_weights
    variables = weights

    def add_weight(self, name=None, shape=(), dtype=None, initializer=None, regularizer=None,
                   trainable=True, constraint=None, **kwargs):
        """Make a weight of ``shape``, initialized now, owned by this layer."""
        dtype = np.dtype(getattr(dtype, "name", dtype) or self.dtype)
        if initializer is None:
            initializer = "glorot_uniform" if dtype.kind == "f" else "zeros"
        init = initializers.get(initializer)
        shape = tuple(int(d) for d in shape)
        var = Variable(init(shape, dtype), f"{self.name}/{name or 'Variable'}",
                       trainable=trainable, dtype=dtype)
        self._own_weights.append(var)
        if regularizer is not None:
            self._regularized.append((regularizers.get(regularizer), var))
        if constraint is not None:
            var._set_meta("constraint", constraint)
        return var

    def _init_kernel_and_bias(self, activation, use_bias, kernel_initializer, bias_initializer,
                              kernel_regularizer, bias_regularizer, kernel_constraint,
                              bias_constraint):
        """Keep the options of a layer with a kernel and a bias (Dense, Conv2D),
        names resolved to objects as Keras does: "relu" -> its function."""
        self.activation = activations.get(activation)
        self.use_bias = bool(use_bias)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint, self.bias_constraint = kernel_constraint, bias_constraint

    def get_weights(self):
        """The weights' values as numpy arrays (copies), in ``weights`` order."""
        return [w.numpy() for w in self.weights]

    def set_weights(self, weights):
        """Write numpy arrays into the weights, in ``weights`` order."""
        params = self.weights
        if len(params) != len(weights):
            raise ValueError(f'You called `set_weights(weights)` on layer "{self.name}" with a '
                             f'weight list of length {len(weights)}, but the layer was expecting '
                             f'{len(params)} weights. Provided weights: {str(weights)[:50]}...')
        for p, w in zip(params, weights):
            w = np.asarray(getattr(w, "array", w))
            if tuple(p.array.shape) != w.shape:
                raise ValueError(f"Layer {self.name} weight shape {tuple(p.array.shape)} is not "
                                 f"compatible with provided weight shape {w.shape}.")
        for p, w in zip(params, weights):
            np.copyto(p.array, np.asarray(getattr(w, "array", w)), casting="unsafe")
            p.increment_version()

    def count_params(self):
        if not self.built:
            raise ValueError(f"You tried to call `count_params` on layer {self.name}, but the "
                             f"layer isn't built. You can build it manually via: "
                             f"`{self.name}.build(batch_input_shape)`.")
        return int(sum(w.array.size for w in self.weights))

    @property
    def losses(self):
        """The penalties to add to the loss: weight regularizers (computed from the
        current weights) and what ``add_loss`` collected in the last call."""
        out = [reg(var) for reg, var in self._regularized] + list(self._call_losses)
        for layer in self._sublayers():
            out += layer.losses
        return out

    def add_loss(self, loss):
        self._call_losses.append(loss)

    # --- building and calling ---
    def build(self, input_shape):
        """Make the weights, knowing the input's shape (override it; call super last)."""
        self.built = True

    def call(self, inputs, *args, **kwargs):
        return inputs

    def __call__(self, inputs, *args, **kwargs):
        from .. import keras_tensor as functional     # the functional API (keras_tensor.py)
        if functional.has_keras_tensors(inputs, args, kwargs):
            return functional.call_on_keras_tensors(self, inputs, args, kwargs)
        outer = not _CallContext.stack
        training = kwargs.pop("training", None)
        if training is None and _CallContext.stack:
            training = _CallContext.stack[-1]
        inputs = self._convert(inputs)
        specs.assert_input_compatibility(self.input_spec, inputs, self.name)
        if not self.built:
            self._build_from(inputs)
            specs.assert_input_compatibility(self.input_spec, inputs, self.name)
        if outer:
            for layer in self._self_and_sublayers():
                layer._call_losses = []
        if self._call_takes_training:
            kwargs["training"] = training
        _CallContext.stack.append(training)
        try:
            graph = interpreters.building
            if graph is not None:
                with graph.name_scope(self.name):       # "dense/MatMul" in a traced graph
                    outputs = self.call(inputs, *args, **kwargs)
            elif outer and not tape_is_recording():
                # TF2's rule: only a GradientTape records, so outside one a layer's
                # output is a plain tensor (``model(x).numpy()`` works, as in Keras)
                with no_grad():
                    outputs = self.call(inputs, *args, **kwargs)
            else:
                outputs = self.call(inputs, *args, **kwargs)
        finally:
            _CallContext.stack.pop()
        if self.activity_regularizer is not None:
            for y in flatten(outputs)[0]:
                self.add_loss(self.activity_regularizer(y) / float(specs.shape_of(y)[0] or 1))
        return outputs

    def _build_from(self, inputs):
        shapes = [specs.shape_of(x) for x in flatten(inputs)[0]]
        shape = shapes[0] if not isinstance(inputs, (list, tuple)) else shapes
        self._build_input_shape = shape
        self.build(shape)
        self.built = True
        if self._initial_weights is not None:
            self.set_weights(self._initial_weights)
            self._initial_weights = None

    def _convert(self, inputs):
        """Arrays and lists become tensors; floating ones get the layer's dtype."""
        def one(x):
            if not is_tensor(x):
                x = np.asarray(x)
                if x.dtype.kind == "f":
                    x = x.astype(self.dtype, copy=False)
                return Tensor._wrap(x)
            if np.dtype(x.dtype).kind == "f" and np.dtype(x.dtype) != np.dtype(self.dtype):
                return ops.cast(x, self.dtype)
            return x
        leaves, rebuild = flatten(inputs)
        return rebuild([one(x) if x is not None else None for x in leaves])

    def _self_and_sublayers(self):
        out, todo = [], [self]
        while todo:
            layer = todo.pop()
            if not any(layer is o for o in out):
                out.append(layer)
                todo.extend(layer._sublayers())
        return out

    def compute_output_shape(self, input_shape):
        """The output shape for ``input_shape`` (None for unknown sizes), found by
        running ``call`` on placeholders of that shape."""
        from .. import keras_tensor as functional
        return functional.output_shape_of(self, input_shape)

    @property
    def output_shape(self):
        """The output shape of the functional calls of this layer (batch None)."""
        return _node_shape(self, "outputs", "output")

    @property
    def input_shape(self):
        return _node_shape(self, "inputs", "input")

    # --- config: how the layer is saved ---
    def get_config(self):
        config = {"name": self.name, "trainable": self.trainable, "dtype": self.dtype}
        if self._batch_input_shape is not None:
            config["batch_input_shape"] = list(self._batch_input_shape)
        return config

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        return f"<{type(self).__module__.split('.')[0]}.keras.layers.{type(self).__name__} " \
               f"name={self.name}, built={self.built}>"


def _node_shape(layer, attr, what):
    nodes = layer._inbound_nodes
    if not nodes:
        raise AttributeError(f'The layer "{layer.name}" has never been called and thus has no '
                             f'defined {what} shape.')
    shapes = []
    for node in nodes:
        leaves, rebuild = flatten(getattr(node, attr))
        shapes.append(rebuild([tuple(t._symbolic._shape) for t in leaves]))
    if any(s != shapes[0] for s in shapes):
        raise AttributeError(f'The layer "{layer.name}" has multiple inbound nodes, with '
                             f'different {what} shapes. Hence the notion of "{what} shape" is '
                             f'ill-defined for the layer.')
    return shapes[0]


def _unique(weights):
    seen, out = set(), []
    for w in weights:
        if id(w) not in seen:
            seen.add(id(w))
            out.append(w)
    return out
