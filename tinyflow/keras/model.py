"""``keras.Model``: a layer that trains. Two ways to make one:

* functional: ``Model(inputs, outputs)`` from ``keras.Input`` and layer calls
  (several inputs and outputs allowed); ``call`` replays the recorded graph;
* subclassing: define ``__init__`` (create layers) and ``call(self, x,
  training=None)``; weights are made on the first call.

Both get ``compile``/``fit``/``evaluate``/``predict`` (training.py), ``summary()``,
``save``/``load_weights`` (saving/).

>>> import numpy as np
>>> from tinyflow import keras
>>> keras.backend.clear_session()
>>> inputs = keras.Input(shape=(4,))
>>> outputs = keras.layers.Dense(2)(keras.layers.Dense(8, activation="relu")(inputs))
>>> model = keras.Model(inputs, outputs, name="mlp")
>>> model(np.ones((3, 4))).shape, model.count_params()
(tinyflow.Size([3, 2]), 58)
>>> class MLP(keras.Model):
...     def __init__(self):
...         super().__init__()
...         self.hidden = keras.layers.Dense(8, activation="relu")
...         self.out = keras.layers.Dense(2)
...     def call(self, x, training=None):
...         return self.out(self.hidden(x))
>>> sub = MLP()
>>> sub(np.ones((3, 4))).shape, sub.name, len(sub.weights)
(tinyflow.Size([3, 2]), 'mlp', 4)
"""
from ..base.nest import flatten
from . import backend
from .layers import input_spec as specs
from .functional import Network, run
from .keras_tensor import placeholder_for, scratch_graph
from .layers.base import Layer
from .training import Trainer


class Model(Trainer, Layer):
    """A Keras model (see the module docstring)."""

    def __init__(self, *args, **kwargs):
        inputs = kwargs.pop("inputs", args[0] if len(args) > 0 else None)
        outputs = kwargs.pop("outputs", args[1] if len(args) > 1 else None)
        name = kwargs.pop("name", None)
        if name is None and inputs is not None and type(self).__name__ in ("Model", "Functional"):
            name = backend.unique_object_name("model")
        Layer.__init__(self, name=name, trainable=kwargs.pop("trainable", True),
                       dtype=kwargs.pop("dtype", None), **kwargs)
        self._network = None
        self._init_training()
        if inputs is not None:
            if outputs is None:
                raise ValueError("If you pass `inputs` to a Model, also pass `outputs` (a "
                                 "functional model maps its inputs to its outputs).")
            self._init_network(inputs, outputs)

    def _init_network(self, inputs, outputs):
        self._network = Network(inputs, outputs)
        self.inputs, self.outputs = self._network.inputs, self._network.outputs
        self.input_spec = self._network.input_specs()
        self._call_takes_training = True
        self.built = True
        self._build_input_shape = [tuple(x._symbolic._shape) for x in self.inputs]

    # --- calling ---
    def call(self, inputs, training=None, mask=None):
        if self._network is None:
            raise NotImplementedError(
                "Unimplemented `tf.keras.Model.call()`: if you intend to create a `Model` with "
                "the Functional API, please provide `inputs` and `outputs` arguments. "
                "Otherwise, subclass `Model` with an overridden `call()` method.")
        return run(self._network, inputs, training)

    def build(self, input_shape):
        """Make the weights of a subclassed model by calling it on placeholders of
        ``input_shape`` (the batch size may be None)."""
        if self._network is not None:
            self.built = True
            return
        if isinstance(input_shape, list) and input_shape and isinstance(input_shape[0],
                                                                        (tuple, list)):
            x = [placeholder_for(s, self.dtype, f"input_{i}") for i, s in enumerate(input_shape)]
        else:
            x = placeholder_for(tuple(input_shape), self.dtype, "input")
        with scratch_graph().as_default():
            self.call(x) if not self._call_takes_training else self.call(x, training=False)
        self._build_input_shape = input_shape
        self.built = True

    def _build_from(self, inputs):
        if type(self).build is not Model.build:
            return Layer._build_from(self, inputs)       # the subclass builds itself
        # A subclassed model makes its weights in ``call`` (its layers build themselves);
        # remember the input shape, batch left open, for saving.
        shapes = [(None,) + tuple(specs.shape_of(x)[1:]) for x in flatten(inputs)[0]]
        self._build_input_shape = shapes[0] if len(shapes) == 1 else shapes
        self.built = True

    # --- what it holds ---
    def _sublayers(self):
        return self._network.layers if self._network is not None else self._layers

    @property
    def layers(self):
        return list(self._sublayers())

    @property
    def weights(self):
        """Layer by layer, each layer's weights (trainable, then not): Keras's model
        order, which ``get_weights``/``set_weights`` and saved files use."""
        if not self.trainable:
            return self.non_trainable_weights
        out = [w for layer in self._sublayers() for w in layer.weights] + self._own_weights
        seen = set()
        return [w for w in out if not (id(w) in seen or seen.add(id(w)))]

    variables = weights

    def get_layer(self, name=None, index=None):
        """A layer by name or by position in ``layers``."""
        if index is not None and name is not None:
            raise ValueError(f"Provide only a layer name or a layer index. Received: "
                             f"index={index}, name={name}.")
        if index is not None:
            if len(self.layers) <= index:
                raise ValueError(f"Was asked to retrieve layer at index {index} but model only "
                                 f"has {len(self.layers)} layers.")
            return self.layers[index]
        for layer in self.layers:
            if layer.name == name:
                return layer
        raise ValueError(f"No such layer: {name}. Existing layers are: "
                         f"{[l.name for l in self.layers]}.")

    @property
    def output_shape(self):
        if self._network is None:
            return Layer.output_shape.fget(self)
        shapes = [tuple(y._symbolic._shape) for y in self._network.outputs]
        return shapes[0] if len(shapes) == 1 else shapes

    @property
    def input_shape(self):
        if self._network is None:
            return Layer.input_shape.fget(self)
        shapes = [tuple(x._symbolic._shape) for x in self._network.inputs]
        return shapes[0] if len(shapes) == 1 else shapes

    @property
    def input_names(self):
        return [x.node.layer.name for x in self.inputs] if self._network else None

    @property
    def output_names(self):
        return self._output_names()

    def summary(self, line_length=None, positions=None, print_fn=None, expand_nested=False,
                show_trainable=False, layer_range=None):
        """Print the table of layers, output shapes and parameter counts (Keras's layout)."""
        from .summary import print_summary
        if not self.built:
            raise ValueError("This model has not yet been built. Build the model first by "
                             "calling `build()` or by calling the model on a batch of data.")
        print_summary(self, line_length, positions, print_fn, show_trainable)

    # --- saving (saving/) ---
    def save(self, filepath, overwrite=True, save_format=None, **kwargs):
        """Write the model -- config, weights, compile settings -- to a ``.keras`` file."""
        from .saving.keras_file import save_model
        save_model(self, filepath, overwrite=overwrite)

    def save_weights(self, filepath, overwrite=True, save_format=None, options=None):
        """Write the weights (an npz, atomically)."""
        from .saving.weights import save_weights
        save_weights(self, filepath, overwrite)

    def load_weights(self, filepath, skip_mismatch=False, by_name=False, options=None):
        from .saving.weights import load_weights
        load_weights(self, filepath)

    def export(self, filepath, format="tf_saved_model", example_input=None):
        """An inference bundle: a SavedModel (``tinyflow.saved_model.load`` reads it)
        or, with ``format="onnx"``, an ONNX file (``tinyflow.onnx.run`` runs it)."""
        from .saving.export import export_model
        return export_model(self, filepath, format, example_input)

    def get_config(self):
        if self._network is not None:
            from .saving.model_config import functional_config
            return functional_config(self)
        return {"name": self.name, "trainable": self.trainable}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        if "layers" in config and "input_layers" in config:
            from .saving.model_config import functional_from_config
            return functional_from_config(cls, config, custom_objects)
        return cls(**config)

    def to_json(self, **kwargs):
        import json
        from .saving.serialization import get_registered_name
        return json.dumps({"class_name": get_registered_name(type(self)),
                           "config": self.get_config()}, **kwargs)

    def __repr__(self):
        return f"<tinyflow.keras.{type(self).__name__} name={self.name}, built={self.built}>"


Functional = Model
