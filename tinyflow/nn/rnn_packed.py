"""``nn.RNN`` / ``nn.LSTM`` / ``nn.GRU`` on a ``PackedSequence``: the helpers rnn.py
calls when its input is packed.

The packed batch is padded back to (T, B, features), the sequences kept longest
first (sorted order), and the layers walk every time step as for a padded batch,
with one difference: a step past a sequence's own length keeps its state as it was
(``where(mask[t], new, old)``). So the forward direction's last state is each
sequence's state at its own last step, and the reverse direction, walking from
step T-1 down, holds the initial state until it reaches the sequence's last
element, then runs the sequence backwards from there. The outputs are packed again
(one gather); h_n (and c_n) go back to the original batch order with
``unsorted_indices``. Everything is ordinary ops, so gradients are the registry's.

>>> import tinyflow as tf, tinyflow.nn as nn
>>> from tinyflow.nn.utils.rnn import pack_sequence
>>> packed = pack_sequence([tf.ones(2, 3), tf.ones(4, 3)], enforce_sorted=False)
>>> output, h_n = nn.GRU(3, 5)(packed)
>>> output.data.shape, output.batch_sizes, h_n.shape
(tinyflow.Size([6, 5]), tensor([2, 2, 1, 1]), tinyflow.Size([1, 2, 5]))
"""
import numpy as np

from .. import ops
from .utils.rnn import PackedSequence, packed_rows, sorted_lengths


def padded(owner, packed):
    """(x, masks): the packed data padded with zeros to (T, B, features), sequences in
    sorted order (longest first), and masks[t], a (B, 1) bool array: is step t within
    the sequence?"""
    data = packed.data
    if data.ndim != 2:
        raise RuntimeError(f"{owner}: input must have 2 dimensions, got {data.ndim} (a packed "
                           f"input's data is (total steps, input_size))")
    bs = np.asarray(packed.batch_sizes.numpy(), np.int64)
    steps, batch = len(bs), int(bs[0])
    t, s = packed_rows(bs)
    rows = np.full((steps, batch), len(t))             # the zero row, unless a step is there
    rows[t, s] = np.arange(len(t))
    zero = np.zeros((1, data.shape[1]), data.dtype)
    x = ops.concat([data, zero], 0)[rows]
    lengths = sorted_lengths(bs)
    masks = [(k < lengths)[:, None] for k in range(steps)]
    return x, masks


def keep(mask, new, old):
    """The new state where the step is within the sequence, the old one past its end
    (a tuple (h, c) for LSTM)."""
    if mask.all():
        return new
    if isinstance(new, tuple):
        return tuple(ops.where(mask, n, o) for n, o in zip(new, old))
    return ops.where(mask, new, old)


def sort_states(states, packed):
    """The user's initial states (original batch order) in the packed, sorted order."""
    if packed.sorted_indices is None:
        return states
    order = np.asarray(packed.sorted_indices.numpy(), np.int64)
    return [s[:, order] for s in states]


def repack(output, hidden, packed):
    """(output as a PackedSequence like the input, h_n in the original batch order)."""
    bs = np.asarray(packed.batch_sizes.numpy(), np.int64)
    t, s = packed_rows(bs)
    flat = ops.reshape(output, (output.shape[0] * output.shape[1], output.shape[2]))
    data = flat[t * output.shape[1] + s]
    out = PackedSequence(data, packed.batch_sizes, packed.sorted_indices, packed.unsorted_indices)
    if packed.unsorted_indices is None:
        return out, hidden
    order = np.asarray(packed.unsorted_indices.numpy(), np.int64)
    if isinstance(hidden, tuple):
        return out, tuple(h[:, order] for h in hidden)
    return out, hidden[:, order]
