"""TensorFlow 1's recurrent cells and their unrolling: ``tf.nn.rnn_cell.BasicLSTMCell``,
``GRUCell``, ``tf.nn.static_rnn`` (a list of time steps) and ``tf.nn.dynamic_rnn``
(a [batch, time, features] tensor).

A cell is one time step written with ordinary ops. Unrolling calls it once per step:
the graph holds a copy of the step's ops for each time step, all reading the same
variables, made on the first call in the cell's variable scope under ``rnn``
(``rnn/basic_lstm_cell/kernel``), as TensorFlow names them. (TensorFlow's
dynamic_rnn builds a while loop instead; the values are the same. tinyflow unrolls a
known number of time steps, and builds the while loop for an unknown one.)

>>> import tinyflow.compat.v1 as tf
>>> tf.reset_default_graph()
>>> x = tf.placeholder(tf.float32, [None, 4, 3])
>>> cell = tf.nn.rnn_cell.BasicLSTMCell(5)
>>> outputs, state = tf.nn.dynamic_rnn(cell, x, dtype=tf.float32)
>>> outputs.shape, type(state).__name__, [v.name for v in tf.trainable_variables()]
(TensorShape([None, 4, 5]), 'LSTMStateTuple', ['rnn/basic_lstm_cell/kernel:0', 'rnn/basic_lstm_cell/bias:0'])
"""
import collections

import numpy as np

from .. import ops as F
from ..base.nest import flatten
from ..graph.api import as_tensor
from ..graph.control_flow import while_loop
from ..graph.graph import building, get_default_graph
from .tf_array import unstack
from .tf_initializers import constant_initializer, zeros_initializer
from .tf_variable_scope import get_variable, variable_scope

LSTMStateTuple = collections.namedtuple("LSTMStateTuple", ["c", "h"])
LSTMStateTuple.__module__ = "tinyflow.nn.rnn_cell"


class RNNCell:
    """One time step: ``output, new_state = cell(inputs, state)``."""
    scope_name = "rnn_cell"

    def __init__(self, num_units, activation=None, reuse=None, name=None, dtype=None):
        self.num_units = int(num_units)
        self.activation = activation or F.tanh
        self._name = name
        self._variables = None          # made on the first call, shared by every step

    @property
    def output_size(self):
        return self.num_units

    def zero_state(self, batch_size, dtype):
        """Zeros shaped like the state, for ``batch_size`` examples (an int, or a tensor
        such as ``tf.shape(x)[0]``): ``initial_state = cell.zero_state(batch, tf.float32)``."""
        from ..graph.api import zeros
        sizes, rebuild = flatten(self.state_size)
        return rebuild([zeros([batch_size, n], dtype) for n in sizes])

    def zero_state_like(self, x):
        """Zeros shaped like the state, with the batch size of ``x`` (one time step)."""
        sizes, rebuild = flatten(self.state_size)
        return rebuild([F.zeros_like(x[:, :1]) + np.zeros(n, np.dtype(x.dtype)) for n in sizes])

    def __call__(self, inputs, state, scope=None):
        x = as_tensor(inputs)
        if self._variables is None:
            n_in = x._shape[-1] if x._shape else None
            if n_in is None:
                raise ValueError(f"{type(self).__name__}: the last dimension of the inputs "
                                 f"must be known, got shape {x.shape} for {x.name}")
            with variable_scope(scope or self._name or self.scope_name):
                self._variables = self.build(n_in, x.dtype)
        return self.step(x, state, *self._variables)


class BasicLSTMCell(RNNCell):
    """The LSTM step of TF1's BasicLSTMCell: one kernel for the four gates, in the order
    i (input), j (new input), f (forget), o (output); ``forget_bias`` added to f.

        c' = c * sigmoid(f + forget_bias) + sigmoid(i) * tanh(j)
        h' = tanh(c') * sigmoid(o)
    """
    scope_name = "basic_lstm_cell"

    def __init__(self, num_units, forget_bias=1.0, state_is_tuple=True, activation=None,
                 reuse=None, name=None, dtype=None):
        super().__init__(num_units, activation, reuse, name, dtype)
        if not state_is_tuple:
            raise NotImplementedError("BasicLSTMCell(state_is_tuple=False) is deprecated in "
                                      "TensorFlow 1 and not supported: use the (c, h) tuple")
        self.forget_bias = float(forget_bias)

    @property
    def state_size(self):
        return LSTMStateTuple(self.num_units, self.num_units)

    def build(self, n_in, dtype):
        n = self.num_units
        kernel = get_variable("kernel", [n_in + n, 4 * n], dtype)
        bias = get_variable("bias", [4 * n], dtype, zeros_initializer())
        return kernel, bias

    def step(self, x, state, kernel, bias):
        c, h = state
        n = self.num_units
        gates = F.bias_add(F.matmul(F.concat([x, h], 1), kernel), bias)
        i, j, f, o = (gates[:, k * n:(k + 1) * n] for k in range(4))
        new_c = c * F.sigmoid(f + self.forget_bias) + F.sigmoid(i) * self.activation(j)
        new_h = self.activation(new_c) * F.sigmoid(o)
        return new_h, LSTMStateTuple(new_c, new_h)


class GRUCell(RNNCell):
    """The GRU step of TF1's GRUCell: gates r (reset) and u (update) from one kernel
    (bias starting at 1), then the candidate from the reset state.

        r, u = sigmoid([x, h] @ gates/kernel + gates/bias)
        c    = tanh([x, r * h] @ candidate/kernel + candidate/bias)
        h'   = u * h + (1 - u) * c
    """
    scope_name = "gru_cell"

    @property
    def state_size(self):
        return self.num_units

    def build(self, n_in, dtype):
        n = self.num_units
        with variable_scope("gates"):
            gk = get_variable("kernel", [n_in + n, 2 * n], dtype)
            gb = get_variable("bias", [2 * n], dtype, constant_initializer(1.0))
        with variable_scope("candidate"):
            ck = get_variable("kernel", [n_in + n, n], dtype)
            cb = get_variable("bias", [n], dtype, zeros_initializer())
        return gk, gb, ck, cb

    def step(self, x, h, gk, gb, ck, cb):
        n = self.num_units
        gates = F.sigmoid(F.bias_add(F.matmul(F.concat([x, h], 1), gk), gb))
        r, u = gates[:, :n], gates[:, n:]
        c = self.activation(F.bias_add(F.matmul(F.concat([x, r * h], 1), ck), cb))
        new_h = u * h + (1 - u) * c
        return new_h, new_h


def static_rnn(cell, inputs, initial_state=None, dtype=None, sequence_length=None,
               scope=None):
    """Unroll ``cell`` over ``inputs`` (a list of [batch, features] tensors, one per time
    step). Returns (the list of outputs, the final state). With ``sequence_length`` (one
    length per example), an example's outputs past its length are zeros and its state
    stops changing there, so the final state is the one at its last step."""
    if not isinstance(inputs, (list, tuple)) or not inputs:
        raise TypeError(f"static_rnn: inputs must be a non-empty list of tensors (one per "
                        f"time step, e.g. tf.unstack(x, timesteps, 1)), got "
                        f"{type(inputs).__name__}")
    g = get_default_graph()
    with building(g), variable_scope(scope or "rnn"):
        xs = [as_tensor(x) for x in inputs]
        lengths = None if sequence_length is None else as_tensor(sequence_length)
        state = initial_state if initial_state is not None else cell.zero_state_like(xs[0])
        outputs = []
        for t, x in enumerate(xs):
            out, state = _step(cell, t, x, state, lengths)
            outputs.append(out)
    return outputs, state


def _step(cell, t, x, state, lengths):
    """One time step; past an example's length (t >= its sequence_length), a zero
    output and the state it had."""
    out, new_state = cell(x, state)
    if lengths is None:
        return out, new_state
    alive = F.expand_dims(F.greater(lengths, t), 1)         # [batch, 1]
    out = F.where(alive, out, F.zeros_like(out))
    news, rebuild = flatten(new_state)
    return out, rebuild([F.where(alive, n, o) for n, o in zip(news, flatten(state)[0])])


def dynamic_rnn(cell, inputs, sequence_length=None, initial_state=None, dtype=None,
                parallel_iterations=None, swap_memory=False, time_major=False, scope=None):
    """Run ``cell`` over ``inputs`` [batch, time, features] (``time_major``: [time,
    batch, features]). Returns (outputs shaped like the inputs but with
    ``cell.output_size`` features, the final state); ``sequence_length`` as in
    ``static_rnn``. A known number of time steps is unrolled; an unknown one (a
    placeholder of shape [None, None, features]) becomes a while loop."""
    x = as_tensor(inputs)
    if x._shape is not None and len(x._shape) != 3:
        raise ValueError(f"dynamic_rnn: inputs must be 3-D ([batch, time, features]), got "
                         f"shape {x.shape}")
    axis = 0 if time_major else 1
    steps = x._shape[axis] if x._shape is not None else None
    with building(get_default_graph()):
        if steps is not None:
            outputs, state = static_rnn(cell, unstack(x, steps, axis), initial_state, dtype,
                                        sequence_length, scope)
            return F.stack(outputs, axis), state
        with variable_scope(scope or "rnn"):
            return _rnn_loop(cell, x, axis, initial_state, sequence_length)


def _rnn_loop(cell, x, axis, initial_state, sequence_length):
    """dynamic_rnn over an unknown number of time steps, as TensorFlow builds it: a
    while loop over t, each iteration one step, the outputs gathered along the time
    axis. The first step runs before the loop (it makes the cell's variables, and
    starts the outputs with a known number of features)."""
    xt = (lambda t: x[t]) if axis == 0 else (lambda t: x[:, t])
    lengths = None if sequence_length is None else as_tensor(sequence_length)
    state = initial_state if initial_state is not None else cell.zero_state_like(xt(0))
    out, state = _step(cell, 0, xt(0), state, lengths)
    states, rebuild = flatten(state)

    def body(t, outputs, *states):
        out, new_state = _step(cell, t, xt(t), rebuild(list(states)), lengths)
        return (t + 1, F.concat([outputs, F.expand_dims(out, axis)], axis),
                *flatten(new_state)[0])

    grown = (None, None, cell.output_size)          # the time axis grows; batch may be unknown
    loop = while_loop(lambda t, *_: t < F.shape_of(x)[axis], body,
                      [1, F.expand_dims(out, axis), *states],
                      shape_invariants=[(), grown, *[s._shape for s in states]], name="while")
    return loop[1], rebuild(list(loop[2:]))
