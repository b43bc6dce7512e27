"""The recurrent layers ``SimpleRNN``, ``LSTM`` and ``GRU``, as tf_keras 2 has them.

Each one runs a Python loop over the time steps, built from tinyflow's ops
(matmul, sigmoid, tanh, getitem, stack), so gradients come from the registry.
``x @ kernel`` is computed once for all steps; each step adds ``h @ recurrent_kernel``.
Weights are named as tf_keras names them ('lstm/lstm_cell/kernel:0'), with
tf_keras's shapes and gate layouts (LSTM: i, f, c, o; GRU: z, r, h).

In a traced graph (``model.fit``, ``keras.Input``) the loop is unrolled, so the
number of time steps must be known: ``keras.Input((None, 3))`` is refused.
Not supported (NotImplementedError): ``dropout``, ``recurrent_dropout``,
``stateful``, ``time_major`` and ``mask`` (tinyflow's Embedding makes no masks).
``unroll`` is accepted and changes nothing: the loop is always unrolled.

>>> import numpy as np
>>> from tinyflow import keras
>>> keras.backend.clear_session()
>>> lstm = keras.layers.LSTM(4, return_sequences=True)
>>> lstm(np.ones((2, 5, 3))).shape
tinyflow.Size([2, 5, 4])
>>> [w.name for w in lstm.weights]
['lstm/lstm_cell/kernel:0', 'lstm/lstm_cell/recurrent_kernel:0', 'lstm/lstm_cell/bias:0']
"""
import numpy as np

from ... import ops
from .. import activations, initializers, regularizers
from .base import Layer
from .input_spec import InputSpec, shape_of


def _config_of(obj, module):
    return module.serialize(obj) if obj is not None else None


class _Recurrent(Layer):
    """What the three layers share: options, weights, the loop over time steps."""

    _CELL = ""        # the cell's name in the weight names ("lstm_cell")
    _GATES = 1        # kernel columns per unit

    def __init__(self, units, activation="tanh", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", kernel_regularizer=None, recurrent_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
                 recurrent_constraint=None, bias_constraint=None, dropout=0.0,
                 recurrent_dropout=0.0, return_sequences=False, return_state=False,
                 go_backwards=False, stateful=False, unroll=False, time_major=False, **kwargs):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        if not isinstance(units, (int, np.integer)) or isinstance(units, bool) or units <= 0:
            raise ValueError(f"Received an invalid value for argument `units`, expected a "
                             f"positive integer, got {units}.")
        for flag, value in (("dropout", dropout), ("recurrent_dropout", recurrent_dropout)):
            if value:
                raise NotImplementedError(f"tinyflow's {type(self).__name__} has no {flag} "
                                          f"(got {flag}={value}); use a Dropout layer instead.")
        for flag, value in (("stateful", stateful), ("time_major", time_major)):
            if value:
                raise NotImplementedError(f"tinyflow's {type(self).__name__} does not support "
                                          f"{flag}=True.")
        self.units = int(units)
        self._init_kernel_and_bias(activation, use_bias, kernel_initializer, bias_initializer,
                                   kernel_regularizer, bias_regularizer, kernel_constraint,
                                   bias_constraint)
        self.recurrent_initializer = initializers.get(recurrent_initializer)
        self.recurrent_regularizer = regularizers.get(recurrent_regularizer)
        self.recurrent_constraint = recurrent_constraint
        self.dropout, self.recurrent_dropout = float(dropout), float(recurrent_dropout)
        self.return_sequences, self.return_state = bool(return_sequences), bool(return_state)
        self.go_backwards, self.stateful = bool(go_backwards), bool(stateful)
        self.unroll, self.time_major = bool(unroll), bool(time_major)
        self.input_spec = InputSpec(ndim=3)
        self._scope = None

    # --- weights ---
    def build_in_scope(self, scope, input_shape):
        """Build with weight names under ``scope`` ('bidirectional/forward_lstm/...'),
        as a wrapper (Bidirectional) does."""
        self._scope = scope
        self._build_from_shape(input_shape)

    def build(self, input_shape):
        self._build_from_shape(input_shape)

    def _build_from_shape(self, input_shape):
        features = input_shape[-1]
        if features is None:
            raise ValueError(f"The last dimension of the inputs to {type(self).__name__} "
                             f"should be defined. Found None. Full input shape: {input_shape}")
        name, n = self.name, self._GATES * self.units
        if self._scope:
            self.name = f"{self._scope}/{name}"      # only while the weights are made
        try:
            self.kernel = self.add_weight(f"{self._CELL}/kernel", (features, n),
                                          initializer=self.kernel_initializer,
                                          regularizer=self.kernel_regularizer,
                                          constraint=self.kernel_constraint)
            self.recurrent_kernel = self.add_weight(
                f"{self._CELL}/recurrent_kernel", (self.units, n),
                initializer=self.recurrent_initializer, regularizer=self.recurrent_regularizer,
                constraint=self.recurrent_constraint)
            self.bias = self.add_weight(
                f"{self._CELL}/bias", self._bias_shape(), initializer=self._bias_init(),
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint) if self.use_bias else None
        finally:
            self.name = name
        self.input_spec = InputSpec(ndim=3, axes={-1: features})
        self.built = True

    def _bias_shape(self):
        return (self._GATES * self.units,)

    def _bias_init(self):
        return self.bias_initializer

    # --- the loop ---
    def call(self, inputs, initial_state=None, mask=None, training=None):
        if mask is not None:
            raise NotImplementedError(f"tinyflow's {type(self).__name__} does not support "
                                      f"masks.")
        steps = shape_of(inputs)[1]
        if steps is None:
            raise ValueError(f"{type(self).__name__} unrolls its loop over the time steps, so "
                             f"their number must be known; got inputs of shape "
                             f"{shape_of(inputs)}. Give keras.Input a fixed sequence length.")
        states = self._initial_states(inputs, initial_state)
        projected = ops.matmul(inputs, self.kernel)          # x @ kernel, all steps at once
        order = range(steps - 1, -1, -1) if self.go_backwards else range(steps)
        outputs = []
        for t in order:
            out, states = self._step(projected[:, t], states)
            outputs.append(out)
        output = ops.stack(outputs, axis=1) if self.return_sequences else outputs[-1]
        return [output] + list(states) if self.return_state else output

    def _initial_states(self, inputs, initial_state):
        count = self._state_count()
        if initial_state is None:
            zero = inputs[:, 0, :1] * 0.0 * np.zeros((1, self.units), np.dtype(self.dtype))
            return [zero] * count
        given = list(initial_state) if isinstance(initial_state, (list, tuple)) \
            else [initial_state]
        if len(given) != count:
            raise ValueError(f"An `initial_state` was passed that is not compatible with "
                             f"`cell.state_size`. Received `state_spec`={len(given)} states; "
                             f"however `cell.state_size` is {[self.units] * count}")
        return [self._convert(s) for s in given]

    def _state_count(self):
        return 1

    def _plus_bias(self, z, bias):
        return z + bias if bias is not None else z

    def get_config(self):
        return {**super().get_config(), "return_sequences": self.return_sequences,
                "return_state": self.return_state, "go_backwards": self.go_backwards,
                "stateful": self.stateful, "unroll": self.unroll, "time_major": self.time_major,
                "units": self.units, "activation": activations.serialize(self.activation),
                **self._extra_config(), "use_bias": self.use_bias,
                "kernel_initializer": initializers.serialize(self.kernel_initializer),
                "recurrent_initializer": initializers.serialize(self.recurrent_initializer),
                "bias_initializer": initializers.serialize(self.bias_initializer),
                "kernel_regularizer": _config_of(self.kernel_regularizer, regularizers),
                "recurrent_regularizer": _config_of(self.recurrent_regularizer, regularizers),
                "bias_regularizer": _config_of(self.bias_regularizer, regularizers),
                "dropout": self.dropout, "recurrent_dropout": self.recurrent_dropout}

    def _extra_config(self):
        return {}


class SimpleRNN(_Recurrent):
    """``h = activation(x @ kernel + h @ recurrent_kernel + bias)`` at each step.

    >>> import numpy as np
    >>> from tinyflow import keras
    >>> rnn = keras.layers.SimpleRNN(2, return_state=True)
    >>> out, h = rnn(np.ones((1, 3, 4)))
    >>> out.shape, bool((out.numpy() == h.numpy()).all())
    (tinyflow.Size([1, 2]), True)
    """

    _CELL, _GATES = "simple_rnn_cell", 1

    def _step(self, xk, states):
        h = self.activation(self._plus_bias(xk + ops.matmul(states[0], self.recurrent_kernel),
                                            self.bias))
        return h, [h]


class LSTM(_Recurrent):
    """Long short-term memory; the kernel's columns are the gates i, f, c, o, and the
    states are [h, c]. ``unit_forget_bias`` starts the forget gate's bias at 1.

    >>> import numpy as np
    >>> from tinyflow import keras
    >>> lstm = keras.layers.LSTM(3, return_state=True)
    >>> [tuple(t.shape) for t in lstm(np.ones((2, 4, 5)))]
    [(2, 3), (2, 3), (2, 3)]
    >>> lstm.bias.numpy().tolist()
    [0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]
    """

    _CELL, _GATES = "lstm_cell", 4

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid",
                 unit_forget_bias=True, implementation=2, **kwargs):
        super().__init__(units, activation=activation, **kwargs)
        self.recurrent_activation = activations.get(recurrent_activation)
        self.unit_forget_bias, self.implementation = bool(unit_forget_bias), implementation

    def _bias_init(self):
        if not self.unit_forget_bias:
            return self.bias_initializer
        init, u = self.bias_initializer, self.units

        def forget_ones(shape, dtype=None):
            return np.concatenate([np.asarray(init((u,), dtype)), np.ones(u, dtype),
                                   np.asarray(init((2 * u,), dtype))])
        return forget_ones

    def _state_count(self):
        return 2

    def _step(self, xk, states):
        h, c = states
        u, act, gate = self.units, self.activation, self.recurrent_activation
        z = self._plus_bias(xk + ops.matmul(h, self.recurrent_kernel), self.bias)
        i, f = gate(z[:, :u]), gate(z[:, u:2 * u])
        c = f * c + i * act(z[:, 2 * u:3 * u])
        h = gate(z[:, 3 * u:]) * act(c)
        return h, [h, c]

    def _extra_config(self):
        return {"recurrent_activation": activations.serialize(self.recurrent_activation),
                "unit_forget_bias": self.unit_forget_bias,
                "implementation": self.implementation}


class GRU(_Recurrent):
    """Gated recurrent unit; the kernel's columns are the gates z, r, h.
    ``reset_after=True`` (the default, cuDNN's form) keeps an input bias and a
    recurrent bias, shape (2, 3 * units), and applies the reset gate after the
    recurrent matmul; ``reset_after=False`` applies it before, bias (3 * units,).

    >>> import numpy as np
    >>> from tinyflow import keras
    >>> gru = keras.layers.GRU(2, return_sequences=True)
    >>> gru(np.ones((1, 3, 4))).shape, tuple(gru.bias.shape)
    (tinyflow.Size([1, 3, 2]), (2, 6))
    """

    _CELL, _GATES = "gru_cell", 3

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid",
                 implementation=2, reset_after=True, **kwargs):
        super().__init__(units, activation=activation, **kwargs)
        self.recurrent_activation = activations.get(recurrent_activation)
        self.implementation, self.reset_after = implementation, bool(reset_after)

    def _bias_shape(self):
        return (2, 3 * self.units) if self.reset_after else (3 * self.units,)

    def _step(self, xk, states):
        h = states[0]
        u, act, gate, kernel = self.units, self.activation, self.recurrent_activation, \
            self.recurrent_kernel
        if self.reset_after:
            bias_x, bias_h = (self.bias[0], self.bias[1]) if self.use_bias else (None, None)
            xk = self._plus_bias(xk, bias_x)
            hk = self._plus_bias(ops.matmul(h, kernel), bias_h)
            z = gate(xk[:, :u] + hk[:, :u])
            r = gate(xk[:, u:2 * u] + hk[:, u:2 * u])
            candidate = act(xk[:, 2 * u:] + r * hk[:, 2 * u:])
        else:
            xk = self._plus_bias(xk, self.bias)
            hk = ops.matmul(h, kernel[:, :2 * u])
            z = gate(xk[:, :u] + hk[:, :u])
            r = gate(xk[:, u:2 * u] + hk[:, u:])
            candidate = act(xk[:, 2 * u:] + ops.matmul(r * h, kernel[:, 2 * u:]))
        h = z * h + (1.0 - z) * candidate
        return h, [h]

    def _extra_config(self):
        return {"recurrent_activation": activations.serialize(self.recurrent_activation),
                "implementation": self.implementation, "reset_after": self.reset_after}
