"""More of TensorFlow 1's recurrent toolkit: ``BasicRNNCell``, ``LSTMCell``,
``MultiRNNCell`` (cells stacked: each one's output is the next one's input),
``DropoutWrapper`` and ``tf.nn.bidirectional_dynamic_rnn`` (one pass forward, one
backward over each sequence's own length, the outputs side by side).

>>> import tinyflow.compat.v1 as tf
>>> tf.reset_default_graph()
>>> x = tf.placeholder(tf.float32, [None, 5, 3])
>>> cell = tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.LSTMCell(4), tf.nn.rnn_cell.BasicRNNCell(2)])
>>> outputs, state = tf.nn.dynamic_rnn(cell, x, dtype=tf.float32)
>>> outputs.shape, [v.name for v in tf.trainable_variables()][-1]
(TensorShape([None, 5, 2]), 'rnn/multi_rnn_cell/cell_1/basic_rnn_cell/bias:0')
"""
import numpy as np

from .. import ops as F
from ..graph.api import as_tensor
from ..graph.graph import building, get_default_graph
from .tf_initializers import zeros_initializer
from .tf_nn import dropout
from .tf_rnn import BasicLSTMCell, RNNCell, dynamic_rnn
from .tf_variable_scope import get_variable, variable_scope


class BasicRNNCell(RNNCell):
    """The plain recurrent step: h' = activation([x, h] @ kernel + bias) (tanh)."""
    scope_name = "basic_rnn_cell"

    @property
    def state_size(self):
        return self.num_units

    def build(self, n_in, dtype):
        kernel = get_variable("kernel", [n_in + self.num_units, self.num_units], dtype)
        return kernel, get_variable("bias", [self.num_units], dtype, zeros_initializer())

    def step(self, x, h, kernel, bias):
        new_h = self.activation(F.bias_add(F.matmul(F.concat([x, h], 1), kernel), bias))
        return new_h, new_h


class LSTMCell(BasicLSTMCell):
    """TF1's LSTMCell without peepholes or a projection: BasicLSTMCell's step, its
    variables under ``lstm_cell``, ``initializer`` for the kernel. (``use_peepholes``,
    ``num_proj`` and ``cell_clip`` are refused.)"""
    scope_name = "lstm_cell"

    def __init__(self, num_units, use_peepholes=False, cell_clip=None, initializer=None,
                 num_proj=None, proj_clip=None, num_unit_shards=None, num_proj_shards=None,
                 forget_bias=1.0, state_is_tuple=True, activation=None, reuse=None, name=None,
                 dtype=None):
        if use_peepholes or cell_clip is not None or num_proj is not None:
            raise NotImplementedError("LSTMCell: use_peepholes, cell_clip and num_proj are not "
                                      "supported by tinyflow; use the plain LSTMCell")
        super().__init__(num_units, forget_bias, state_is_tuple, activation, reuse, name, dtype)
        self.initializer = initializer

    def build(self, n_in, dtype):
        n = self.num_units
        kernel = get_variable("kernel", [n_in + n, 4 * n], dtype, self.initializer)
        return kernel, get_variable("bias", [4 * n], dtype, zeros_initializer())


class MultiRNNCell(RNNCell):
    """Cells stacked in layers: cell i's output is cell i+1's input; the state is the
    tuple of the cells' states. Variables go under ``multi_rnn_cell/cell_i``."""
    scope_name = "multi_rnn_cell"

    def __init__(self, cells, state_is_tuple=True):
        if not cells:
            raise ValueError("Must specify at least one cell for MultiRNNCell.")
        if not state_is_tuple:
            raise NotImplementedError("MultiRNNCell(state_is_tuple=False) is deprecated in "
                                      "TensorFlow 1 and not supported: use the tuple state")
        self.cells = list(cells)
        self._name = None

    @property
    def state_size(self):
        return tuple(c.state_size for c in self.cells)

    @property
    def output_size(self):
        return self.cells[-1].output_size

    def __call__(self, inputs, state, scope=None):
        out, new_states = inputs, []
        with variable_scope(scope or self.scope_name):
            for i, (cell, s) in enumerate(zip(self.cells, state)):
                with variable_scope(f"cell_{i}"):
                    out, s = cell(out, s)
                new_states.append(s)
        return out, tuple(new_states)


class DropoutWrapper(RNNCell):
    """Dropout on a cell's inputs and outputs (``keep_prob``s may be placeholders, to
    switch it off when evaluating). The state passes unchanged (``state_keep_prob``
    below 1 is refused)."""

    def __init__(self, cell, input_keep_prob=1.0, output_keep_prob=1.0, state_keep_prob=1.0,
                 variational_recurrent=False, input_size=None, dtype=None, seed=None):
        if variational_recurrent or (not hasattr(state_keep_prob, "dtype")
                                     and float(state_keep_prob) != 1.0):
            raise NotImplementedError("DropoutWrapper: state_keep_prob and "
                                      "variational_recurrent are not supported by tinyflow")
        self.cell, self.seed = cell, seed
        self.input_keep_prob, self.output_keep_prob = input_keep_prob, output_keep_prob

    state_size = property(lambda self: self.cell.state_size)
    output_size = property(lambda self: self.cell.output_size)

    def _drop(self, x, keep):
        if not hasattr(keep, "dtype") and float(keep) == 1.0:
            return x
        return dropout(x, keep_prob=keep, seed=self.seed)

    def __call__(self, inputs, state, scope=None):
        out, new_state = self.cell(self._drop(as_tensor(inputs), self.input_keep_prob), state,
                                   scope)
        return self._drop(out, self.output_keep_prob), new_state


def _reverse_sequence(x, lengths, steps):
    """x [time, batch, features] with each example's first ``length`` steps in reverse
    order (TensorFlow's reverse_sequence); ``lengths`` None reverses every step. Each
    output step picks its input step by a one-hot over the (known) time steps."""
    if lengths is None:
        return x[::-1]
    t = np.arange(steps)[:, None]                                       # [time, 1]
    lengths = F.cast(F.expand_dims(lengths, 0), np.int64)               # [1, batch]
    source = F.where(t < lengths, lengths - 1 - t, F.zeros_like(lengths) + t)   # [time, batch]
    pick = F.cast(F.equal(F.expand_dims(source, -1), np.arange(steps)), x.dtype)
    return F.einsum("tbs,sbf->tbf", pick, x)


def bidirectional_dynamic_rnn(cell_fw, cell_bw, inputs, sequence_length=None,
                              initial_state_fw=None, initial_state_bw=None, dtype=None,
                              parallel_iterations=None, swap_memory=False, time_major=False,
                              scope=None):
    """``cell_fw`` over each sequence, ``cell_bw`` over it backwards (within its own
    ``sequence_length``). Returns ((outputs_fw, outputs_bw), (state_fw, state_bw)),
    the backward outputs put back in time order. Variables go under
    ``bidirectional_rnn/fw`` and ``bidirectional_rnn/bw``."""
    x = as_tensor(inputs)
    axis = 0 if time_major else 1
    steps = x._shape[axis] if x._shape is not None and len(x._shape) == 3 else None
    with building(get_default_graph()), variable_scope(scope or "bidirectional_rnn"):
        lengths = None if sequence_length is None else as_tensor(sequence_length)
        if lengths is not None and steps is None:
            raise ValueError("bidirectional_dynamic_rnn: with sequence_length, tinyflow needs "
                             "the number of time steps known when the graph is built")
        out_fw, state_fw = dynamic_rnn(cell_fw, x, lengths, initial_state_fw, dtype,
                                       time_major=time_major, scope="fw")
        x_tm = x if time_major else F.transpose(x, (1, 0, 2))
        backwards = _reverse_sequence(x_tm, lengths, steps)
        out_bw, state_bw = dynamic_rnn(cell_bw, backwards, lengths, initial_state_bw, dtype,
                                       time_major=True, scope="bw")
        out_bw = _reverse_sequence(out_bw, lengths, steps)
        if not time_major:
            out_bw = F.transpose(out_bw, (1, 0, 2))
        return (out_fw, out_bw), (state_fw, state_bw)


__all__ = ["BasicRNNCell", "LSTMCell", "MultiRNNCell", "DropoutWrapper",
           "bidirectional_dynamic_rnn"]
