"""``keras.Input(shape)``: where a functional model starts.

``Input(shape=(64,))`` makes an ``InputLayer`` and returns its output, a
KerasTensor of shape (None, 64): the batch size stays open. A ``Sequential``
whose first layer got ``input_shape=`` makes one for you, named after that layer
("dense_input").

>>> from tinyflow import keras
>>> x = keras.Input(shape=(8, 8, 1), name="image")
>>> x.shape, x._keras_history[0]
(TensorShape([None, 8, 8, 1]), <tinyflow.keras.layers.InputLayer name=image, built=True>)
"""
import numpy as np

from .. import backend
from ..keras_tensor import KerasTensor, Node, placeholder_for
from .base import Layer


class InputLayer(Layer):
    """The layer behind ``keras.Input``: it passes its input through."""

    def __init__(self, input_shape=None, batch_size=None, dtype=None, name=None,
                 batch_input_shape=None, sparse=False, ragged=False, **kwargs):
        if name is None:
            name = backend.unique_object_name("input")
            if name == "input":                      # Keras counts inputs from 1: input_1, input_2
                name = backend.unique_object_name("input")
        super().__init__(name=name, dtype=dtype)
        if batch_input_shape is None:
            if input_shape is None:
                raise ValueError("Please provide to Input a `shape` or a `tensor` or a "
                                 "`type_spec` argument. Note that `shape` does not include "
                                 "the batch dimension.")
            batch_input_shape = (batch_size,) + tuple(input_shape)
        self._batch_input_shape = tuple(None if d is None else int(d) for d in batch_input_shape)
        self.built = True
        ph = placeholder_for(self._batch_input_shape, np.dtype(self.dtype), self.name)
        self.output = KerasTensor(ph, name=self.name)
        Node(self, [], (), {}, self.output)

    @property
    def output_shape(self):
        return [self._batch_input_shape]          # Keras shows an input's shape in a list

    def get_config(self):
        return {"batch_input_shape": list(self._batch_input_shape), "dtype": self.dtype,
                "sparse": False, "ragged": False, "name": self.name}


def Input(shape=None, batch_size=None, name=None, dtype=None, sparse=None, tensor=None,
          ragged=None, batch_shape=None, **kwargs):
    """A symbolic input of ``shape`` (without the batch dimension) for the functional API."""
    if shape is not None and isinstance(shape, int):
        shape = (shape,)
    layer = InputLayer(input_shape=shape, batch_size=batch_size, name=name, dtype=dtype,
                       batch_input_shape=batch_shape)
    return layer.output
