"""``keras.Sequential``: layers applied one after the other.

Given the input shape (``input_shape=`` on the first layer, or a ``keras.Input``
/ ``InputLayer`` first), it is a functional model at once -- built, with a
``summary()``. Otherwise it is built on its first call (or ``fit``), from the
shape of that data.

>>> import numpy as np
>>> from tinyflow import keras
>>> keras.backend.clear_session()
>>> model = keras.Sequential(name="mlp")
>>> model.add(keras.layers.Dense(16, activation="relu", input_shape=(8,)))
>>> model.add(keras.layers.Dense(3))
>>> model.built, [l.name for l in model.layers], model.output_shape
(True, ['dense', 'dense_1'], (None, 3))
>>> lazy = keras.Sequential([keras.layers.Dense(2)])
>>> lazy.built, lazy(np.ones((1, 5))).shape, lazy.built
(False, tinyflow.Size([1, 2]), True)
"""
import numpy as np

from .keras_tensor import KerasTensor
from .layers.base import Layer
from .layers.input_layer import Input, InputLayer
from .layers.input_spec import shape_of
from .model import Model


class Sequential(Model):
    """A stack of layers: each one's output is the next one's input."""

    def __init__(self, layers=None, name=None, **kwargs):
        Model.__init__(self, name=name, **kwargs)
        self._stack = []                  # the layers, without the InputLayer
        self._input = None                # the keras.Input the graph starts from, if known
        for layer in layers or []:
            self.add(layer)

    def add(self, layer):
        """Append a layer (a ``keras.Input`` tensor as the first item sets the input shape)."""
        if isinstance(layer, KerasTensor):
            if self._stack or self._input is not None:
                raise ValueError("A keras.Input can only be the first item of a Sequential")
            self._input = layer
            self._rebuild()
            return
        if not isinstance(layer, Layer):
            raise TypeError(f"The added layer must be an instance of class Layer. Received: "
                            f"layer={layer} of type {type(layer)}.")
        if any(layer.name == l.name for l in self._stack):
            raise ValueError(f'All layers added to a Sequential model should have unique names. '
                             f'Name "{layer.name}" is already the name of a layer in this '
                             f'model. Update the `name` argument to pass a unique name.')
        if isinstance(layer, InputLayer):
            self._input = layer.output
        else:
            if not self._stack and self._input is None and layer._batch_input_shape is not None:
                shape = layer._batch_input_shape
                self._input = Input(batch_shape=shape, dtype=layer.dtype,
                                    name=f"{layer.name}_input")
            self._stack.append(layer)
            if self._network is not None:         # extend the graph by this one layer
                self._init_network(self._input, layer(self._network.outputs[0]))
                return
        self._rebuild()

    def pop(self):
        """Remove the last layer."""
        if not self._stack:
            raise TypeError("There are no layers in the model.")
        self._stack.pop()
        self._rebuild()

    def _rebuild(self):
        self._network = None
        self.built = False
        self.input_spec = None
        if self._input is not None and self._stack:
            x = self._input
            for layer in self._stack:
                x = layer(x)
            self._init_network(self._input, x)

    def _build_from(self, inputs):
        """Called on data before knowing its input shape: take the shape from the data."""
        shape = (None,) + tuple(shape_of(inputs)[1:])
        kind = np.dtype(inputs.dtype).kind
        self._input = Input(batch_shape=shape, dtype=np.dtype(inputs.dtype) if
                            kind in "iub" else self.dtype,
                            name=f"{self._stack[0].name}_input" if self._stack else None)
        self._rebuild()

    def build(self, input_shape=None):
        if input_shape is None and self._input is None:
            raise ValueError("You must provide an `input_shape` argument.")
        if input_shape is not None and self._network is None:
            self._input = Input(batch_shape=tuple(input_shape), dtype=self.dtype,
                                name=f"{self._stack[0].name}_input" if self._stack else None)
            self._rebuild()

    def call(self, inputs, training=None, mask=None):
        if self._network is None:
            if not self._stack:
                return inputs
            self._build_from(inputs)
        return Model.call(self, inputs, training, mask)

    def _sublayers(self):
        return self._stack

    @property
    def layers(self):
        return list(self._stack)

    @property
    def input_shape(self):
        return tuple(self._input._symbolic._shape) if self._input is not None else None

    @property
    def output_shape(self):
        if self._network is None:
            raise AttributeError("The layer has never been called and thus has no defined "
                                 "output shape.")
        return tuple(self._network.outputs[0]._symbolic._shape)

    def get_config(self):
        from .saving.model_config import layer_config
        layers = [layer_config(l) for l in self._stack]
        if self._input is not None:
            layers.insert(0, layer_config(self._input.node.layer))
        return {"name": self.name, "layers": layers}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from .saving.model_config import layer_from_config
        model = cls(name=config.get("name"))
        for item in config["layers"]:
            model.add(layer_from_config(item, custom_objects))
        return model
