"""``Bidirectional``: a recurrent layer run forwards and backwards, outputs merged.

>>> import numpy as np
>>> from tinyflow import keras
>>> keras.backend.clear_session()
>>> bi = keras.layers.Bidirectional(keras.layers.LSTM(2, return_sequences=True))
>>> bi(np.ones((1, 3, 4))).shape
tinyflow.Size([1, 3, 4])
>>> [w.name for w in bi.weights][:1]
['bidirectional/forward_lstm/lstm_cell/kernel:0']
"""
from ... import ops
from ..saving.model_config import layer_config, layer_from_config
from .base import Layer
from .input_spec import InputSpec

_MODES = ("sum", "mul", "ave", "concat", None)


class Bidirectional(Layer):
    """Runs a copy of ``layer`` forwards ('forward_lstm') and one with ``go_backwards``
    flipped ('backward_lstm'), reverses the backward sequence back into time order,
    and merges the two by ``merge_mode``: 'concat' (last axis), 'sum', 'mul', 'ave',
    or None (a list of both). With ``return_state`` the forward states follow the
    output, then the backward ones. Weights: the forward layer's, then the backward's.

    >>> import numpy as np
    >>> from tinyflow import keras
    >>> bi = keras.layers.Bidirectional(keras.layers.GRU(3), merge_mode="sum")
    >>> bi(np.ones((2, 4, 5))).shape, len(bi.weights)
    (tinyflow.Size([2, 3]), 6)
    """

    def __init__(self, layer, merge_mode="concat", weights=None, backward_layer=None, **kwargs):
        if not isinstance(layer, Layer):
            raise ValueError(f"Please initialize `Bidirectional` layer with a "
                             f"`tf.keras.layers.Layer` instance. Received: {layer}")
        if not hasattr(layer, "go_backwards"):
            raise ValueError(f"Bidirectional wraps a recurrent layer (SimpleRNN, LSTM, GRU); "
                             f"received {type(layer).__name__}.")
        if merge_mode not in _MODES:
            raise ValueError(f"Invalid merge mode. Received: {merge_mode}. Merge mode should "
                             f'be one of {{"sum", "mul", "ave", "concat", None}}')
        super().__init__(**kwargs)
        self.forward_layer = self._copy(layer, "forward_", layer.go_backwards)
        if backward_layer is None:
            self.backward_layer = self._copy(layer, "backward_", not layer.go_backwards)
        else:
            if backward_layer.go_backwards == layer.go_backwards:
                raise ValueError("Forward layer and backward layer should have different "
                                 "`go_backwards` value.")
            self.backward_layer = self._copy(backward_layer, "backward_",
                                             backward_layer.go_backwards)
        self.layer = layer
        self.merge_mode = merge_mode
        self.return_sequences = layer.return_sequences
        self.return_state = layer.return_state
        self._initial_weights = weights
        self.input_spec = InputSpec(ndim=3)

    @staticmethod
    def _copy(layer, prefix, go_backwards):
        config = dict(layer.get_config(), name=prefix + layer.name, go_backwards=go_backwards)
        return type(layer).from_config(config)

    def _sublayers(self):
        return [self.forward_layer, self.backward_layer]

    def build(self, input_shape):
        self.forward_layer.build_in_scope(self.name, input_shape)
        self.backward_layer.build_in_scope(self.name, input_shape)
        self.built = True

    def call(self, inputs, training=None):
        forward, backward = self.forward_layer(inputs), self.backward_layer(inputs)
        states = []
        if self.return_state:
            states = list(forward[1:]) + list(backward[1:])
            forward, backward = forward[0], backward[0]
        if self.return_sequences:
            backward = backward[:, ::-1]
        if self.merge_mode == "concat":
            output = ops.concat([forward, backward], axis=-1)
        elif self.merge_mode == "sum":
            output = forward + backward
        elif self.merge_mode == "mul":
            output = forward * backward
        elif self.merge_mode == "ave":
            output = (forward + backward) * 0.5
        else:
            output = [forward, backward]
        if not self.return_state:
            return output
        return (output if isinstance(output, list) else [output]) + states

    def get_config(self):
        config = {**super().get_config(), "layer": layer_config(self.layer),
                  "merge_mode": self.merge_mode}
        config["layer"].pop("name", None)
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        layer = layer_from_config(config.pop("layer"))
        return cls(layer, **config)
