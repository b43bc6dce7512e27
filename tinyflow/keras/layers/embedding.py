"""``Embedding``: integer ids -> rows of a trainable (input_dim, output_dim) table.

>>> import numpy as np
>>> from tinyflow import keras
>>> emb = keras.layers.Embedding(10, 4)
>>> emb(np.array([[1, 2, 3]])).shape
tinyflow.Size([1, 3, 4])
"""
import warnings

import numpy as np

from ... import ops
from ...nn import functional as F
from ...eager.tensor import Tensor
from ...ops.primitive import is_tensor
from .. import initializers, regularizers
from .base import Layer


class Embedding(Layer):
    """Looks up each id's row; gradients add up at repeated ids."""

    def __init__(self, input_dim, output_dim, embeddings_initializer="uniform",
                 embeddings_regularizer=None, activity_regularizer=None,
                 embeddings_constraint=None, mask_zero=False, input_length=None, **kwargs):
        if input_length is not None and "input_shape" not in kwargs:
            lengths = input_length if isinstance(input_length, (list, tuple)) else [input_length]
            kwargs["input_shape"] = tuple(lengths)
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        if input_dim <= 0 or output_dim <= 0:
            raise ValueError(f"Both `input_dim` and `output_dim` should be positive, Received "
                             f"input_dim = {input_dim} and output_dim = {output_dim}")
        self.input_dim, self.output_dim = int(input_dim), int(output_dim)
        self.embeddings_initializer = initializers.get(embeddings_initializer)
        self.embeddings_regularizer = regularizers.get(embeddings_regularizer)
        self.mask_zero, self.input_length = bool(mask_zero), input_length
        if self.mask_zero:
            warnings.warn("Embedding(mask_zero=True): tinyflow's Keras does not propagate masks "
                          "yet, so the layers after this one (recurrent layers, pooling, the "
                          "loss) treat the padded steps as data, where tf_keras skips them; "
                          "results differ from tf_keras for padded sequences", UserWarning,
                          stacklevel=2)

    def build(self, input_shape):
        self.embeddings = self.add_weight("embeddings", (self.input_dim, self.output_dim),
                                          initializer=self.embeddings_initializer,
                                          regularizer=self.embeddings_regularizer)
        self.built = True

    def _convert(self, inputs):
        """Ids stay integers (a float array of ids is cast, as Keras does)."""
        if not is_tensor(inputs):
            inputs = Tensor._wrap(np.asarray(inputs))
        if np.dtype(inputs.dtype).kind not in "iu":
            inputs = ops.cast(inputs, np.int64)
        return inputs

    def call(self, inputs):
        return F.embedding(inputs, self.embeddings)

    def get_config(self):
        return {**super().get_config(), "input_dim": self.input_dim,
                "output_dim": self.output_dim,
                "embeddings_initializer": initializers.serialize(self.embeddings_initializer),
                "embeddings_regularizer": regularizers.serialize(self.embeddings_regularizer),
                "mask_zero": self.mask_zero, "input_length": self.input_length}
