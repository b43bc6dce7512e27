"""Helpers for batches of sequences of different lengths (PyTorch's
``torch.nn.utils.rnn``): ``pad_sequence`` pads them to the longest one and stacks
them into one tensor; ``pack_padded_sequence`` / ``pack_sequence`` pack them into a
``PackedSequence`` that ``nn.RNN`` / ``nn.LSTM`` / ``nn.GRU`` read without the
padding, and ``pad_packed_sequence`` pads a packed batch back.

A packed batch holds the time steps one after the other, each with the sequences
still running at that step, longest sequence first: ``batch_sizes[t]`` of them.
Packing and padding are one gather each (indexing with an integer array), so
gradients flow through both.

>>> import tinyflow as tf
>>> pad_sequence([tf.tensor([1.0, 2.0, 3.0]), tf.tensor([4.0])], batch_first=True)
tensor([[1., 2., 3.],
        [4., 0., 0.]])
>>> packed = pack_sequence([tf.tensor([1.0, 2.0, 3.0]), tf.tensor([4.0])])
>>> packed.data, packed.batch_sizes
(tensor([1., 4., 2., 3.]), tensor([2, 1, 1]))
"""
from collections import namedtuple

import numpy as np

from ... import ops
from ...eager.tensor import Tensor
from .. import checks


def pad_sequence(sequences, batch_first=False, padding_value=0.0, padding_side="right"):
    """Sequences shaped (L_i, *) padded with ``padding_value`` to the longest length T
    and stacked: (T, B, *), or (B, T, *) with ``batch_first``. ``padding_side='left'``
    puts the padding before each sequence. The result has the first sequence's dtype;
    gradients flow back into every sequence.

    >>> import tinyflow as tf
    >>> pad_sequence([tf.ones(2, 1), tf.ones(1, 1)], padding_value=-1.0).shape
    tinyflow.Size([2, 2, 1])
    """
    if padding_side not in ("left", "right"):
        raise RuntimeError(f"pad_sequence: Expected padding_side to be one of left or right, but "
                           f"got {padding_side}.")
    sequences = list(sequences)
    if not sequences:
        raise RuntimeError("pad_sequence: received an empty list of sequences (expected a list "
                           "of tensors shaped (length, *))")
    for i, s in enumerate(sequences):
        if not isinstance(s, Tensor):
            raise TypeError(f"pad_sequence: expected Tensor as element {i} in argument 0, but got "
                            f"{type(s).__name__}")
        if s.ndim == 0:
            raise RuntimeError(f"pad_sequence: element {i} is a 0-d tensor; each sequence needs a "
                               f"length dimension, shaped (length, *)")
    first = sequences[0]
    rest = tuple(first.shape[1:])
    for i, s in enumerate(sequences):
        if tuple(s.shape[1:]) != rest:
            raise RuntimeError(f"pad_sequence: every sequence must have the same trailing "
                               f"dimensions: element 0 has shape {tuple(first.shape)}, element "
                               f"{i} has shape {tuple(s.shape)}")
    longest = max(len(s) for s in sequences)
    padded = []
    for s in sequences:
        if s.dtype != first.dtype:
            s = ops.cast(s, first.dtype)
        if len(s) < longest:
            pad = np.full((longest - len(s),) + rest, padding_value, dtype=first.dtype)
            s = ops.concat([s, pad] if padding_side == "right" else [pad, s], 0)
        padded.append(s)
    return ops.stack(padded, 0 if batch_first else 1)


# --- packed sequences -----------------------------------------------------------------------

def _ints(t):
    return Tensor(np.asarray(t, np.int64))


def _invert(permutation):
    inverse = np.empty_like(permutation)
    inverse[permutation] = np.arange(len(permutation))
    return inverse


class PackedSequence(namedtuple("PackedSequence_", "data batch_sizes sorted_indices "
                                                   "unsorted_indices")):
    """A packed batch, as PyTorch's: ``data`` (sum of the lengths, *) holds the time
    steps one after the other, at each step the sequences still running, longest
    first; ``batch_sizes`` (int64) how many run at each step; ``sorted_indices`` the
    batch positions of the sequences longest first (None when they came sorted), and
    ``unsorted_indices`` its inverse. Make one with ``pack_padded_sequence`` or
    ``pack_sequence`` rather than by hand.

    >>> import tinyflow as tf
    >>> p = PackedSequence(tf.ones(3), tf.tensor([2, 1]), tf.tensor([1, 0]))
    >>> p.unsorted_indices, p.is_cuda
    (tensor([1, 0]), False)
    """
    __slots__ = ()

    def __new__(cls, data, batch_sizes=None, sorted_indices=None, unsorted_indices=None):
        if batch_sizes is None:                   # PackedSequence((data, batch_sizes))
            data, batch_sizes = data
        if unsorted_indices is None and sorted_indices is not None:
            unsorted_indices = _ints(_invert(np.asarray(sorted_indices.numpy(), np.int64)))
        return super().__new__(cls, data, batch_sizes, sorted_indices, unsorted_indices)

    def to(self, *args, **kwargs):
        """The same batch with ``data.to(*args, **kwargs)`` (a dtype; the device is
        the CPU); self when nothing changes."""
        data = self.data.to(*args, **kwargs)
        return self if data is self.data else type(self)(data, *self[1:])

    def cpu(self):
        return self

    def double(self):
        return type(self)(self.data.double(), *self[1:])

    def float(self):
        return type(self)(self.data.float(), *self[1:])

    @property
    def is_cuda(self):
        return False

    def is_pinned(self):
        return False


def packed_rows(batch_sizes):
    """(T, B) positions of each packed row in a (T, B) grid, the sequences in sorted
    order: row k of data is at time t, batch position s. Returns (t, s) arrays."""
    bs = np.asarray(batch_sizes, np.int64)
    t = np.repeat(np.arange(len(bs)), bs)
    s = np.concatenate([np.arange(b) for b in bs]) if len(bs) else np.zeros(0, np.int64)
    return t, s


def sorted_lengths(batch_sizes):
    """Each sequence's length, longest first, from the batch sizes."""
    bs = np.asarray(batch_sizes, np.int64)
    return (bs[None, :] > np.arange(bs[0])[:, None]).sum(1)


def _lengths(lengths):
    """PyTorch's ``torch.as_tensor(lengths, dtype=torch.int64)``: a 1-D int64 array."""
    if isinstance(lengths, Tensor):
        a = lengths.numpy()
        if a.ndim != 1:
            raise RuntimeError(f"'lengths' argument should be a 1D CPU int64 tensor, but got "
                               f"{a.ndim}D cpu {a.dtype} tensor")
    else:
        a = np.asarray(lengths)
        if a.dtype.kind not in "biuf":
            raise TypeError(f"pack_padded_sequence: lengths must be a list of ints or an int64 "
                            f"tensor, got {lengths!r}")
        if a.ndim != 1:
            raise RuntimeError(f"'lengths' argument should be a 1D CPU int64 tensor, but got "
                               f"{a.ndim}D cpu Long tensor")
    return a.astype(np.int64)


def pack_padded_sequence(input, lengths, batch_first=False, enforce_sorted=True):
    """Pack a padded batch (T, B, *), or (B, T, *) with ``batch_first``, whose sequence
    b has ``lengths[b]`` steps (a list or a 1-D int64 tensor; each > 0). With
    ``enforce_sorted`` the lengths must be in decreasing order (RuntimeError), else
    the sequences are sorted here and ``sorted_indices`` remembers how.

    >>> import tinyflow as tf
    >>> x = tf.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 0.0]])      # batch_first, lengths 3, 2
    >>> pack_padded_sequence(x, [3, 2], batch_first=True).data
    tensor([1., 4., 2., 5., 3.])
    >>> pack_padded_sequence(x, [2, 3], batch_first=True, enforce_sorted=False).sorted_indices
    tensor([1, 0])
    """
    x = checks.tensor("pack_padded_sequence", "input", input)
    lengths = _lengths(lengths)
    if x.ndim < 2:
        raise IndexError(f"pack_padded_sequence: input must have a time and a batch dimension "
                         f"(T, B, *), got shape {tuple(x.shape)}")
    steps, batch = (x.shape[1], x.shape[0]) if batch_first else (x.shape[0], x.shape[1])
    if steps is None or batch is None:
        raise ValueError(f"pack_padded_sequence: the time and batch sizes must be known to "
                         f"pack, got an input of shape {tuple(x.shape)}: trace with a fixed "
                         f"shape (dynamic_batch=False)")
    if len(lengths) != batch:
        raise RuntimeError(f"Expected `len(lengths)` to be equal to batch_size, but got "
                           f"{len(lengths)} (batch_size={batch})")
    order = np.arange(batch) if enforce_sorted else np.argsort(-lengths, kind="stable")
    ordered = lengths[order]
    if batch and ordered[-1] <= 0:
        raise RuntimeError("Length of all samples has to be greater than 0, but found an "
                           "element in 'lengths' that is <= 0")
    if np.any(np.diff(ordered) > 0):
        raise RuntimeError("`lengths` array must be sorted in decreasing order when "
                           "`enforce_sorted` is True. You can pass `enforce_sorted=False` to "
                           "pack_padded_sequence and/or pack_sequence to sidestep this "
                           "requirement if you do not need ONNX exportability.")
    if batch and ordered[0] > steps:
        raise RuntimeError(f"pack_padded_sequence: a length ({ordered[0]}) is longer than the "
                           f"padded input's {steps} time steps")
    batch_sizes = (ordered[None, :] > np.arange(ordered[0] if batch else 0)[:, None]).sum(1)
    t, s = packed_rows(batch_sizes)
    b = order[s]
    flat = ops.reshape(x, (steps * batch,) + tuple(x.shape[2:]))
    data = flat[b * steps + t if batch_first else t * batch + b]
    if enforce_sorted:
        return PackedSequence(data, _ints(batch_sizes))
    return PackedSequence(data, _ints(batch_sizes), _ints(order), _ints(_invert(order)))


def pad_packed_sequence(sequence, batch_first=False, padding_value=0.0, total_length=None):
    """The inverse of ``pack_padded_sequence``: (padded, lengths), padded (T, B, *) --
    (B, T, *) with ``batch_first`` -- in the original batch order, ``padding_value``
    past each sequence's end, T the longest length or ``total_length``; lengths an
    int64 tensor.

    >>> import tinyflow as tf
    >>> p = pack_sequence([tf.tensor([1.0]), tf.tensor([2.0, 3.0])], enforce_sorted=False)
    >>> pad_packed_sequence(p, batch_first=True, padding_value=-1.0, total_length=3)
    (tensor([[ 1., -1., -1.],
            [ 2.,  3., -1.]]), tensor([1, 2]))
    """
    bs = np.asarray(sequence.batch_sizes.numpy(), np.int64)
    longest = len(bs)
    if total_length is not None:
        if total_length < longest:
            raise ValueError(f"Expected total_length to be at least the length of the longest "
                             f"sequence in input, but got total_length={total_length} and max "
                             f"sequence length being {longest}")
        longest = int(total_length)
    data = sequence.data
    unsorted = (np.arange(bs[0]) if sequence.unsorted_indices is None
                else np.asarray(sequence.unsorted_indices.numpy(), np.int64))
    lengths = sorted_lengths(bs)
    offsets = np.concatenate([[0], np.cumsum(bs)[:-1]])
    t = np.arange(longest)[:, None]
    s = unsorted[None, :]
    valid = t < lengths[s]
    rows = np.where(valid, offsets[np.minimum(t, len(bs) - 1)] + s, len(data))   # (T, B)
    pad = np.full((1,) + tuple(data.shape[1:]), padding_value, dtype=data.dtype)
    padded = ops.concat([data, pad], 0)[rows.T if batch_first else rows]
    return padded, _ints(lengths[unsorted])


def pack_sequence(sequences, enforce_sorted=True):
    """Pack a list of sequences (L_i, *) directly: ``pad_sequence`` then
    ``pack_padded_sequence`` with their lengths.

    >>> import tinyflow as tf
    >>> pack_sequence([tf.ones(1), tf.ones(3)], enforce_sorted=False).batch_sizes
    tensor([2, 1, 1])
    """
    lengths = [len(s) for s in sequences]
    return pack_padded_sequence(pad_sequence(sequences), lengths, enforce_sorted=enforce_sorted)


def unpad_sequence(padded_sequences, lengths, batch_first=False):
    """The list of sequences in a padded batch, each cut to its length.

    >>> import tinyflow as tf
    >>> [s.shape for s in unpad_sequence(tf.zeros(4, 2, 3), [4, 1])]
    [tinyflow.Size([4, 3]), tinyflow.Size([1, 3])]
    """
    x = padded_sequences if batch_first else ops.transpose(
        padded_sequences, (1, 0) + tuple(range(2, padded_sequences.ndim)))
    return [x[b, :int(n)] for b, n in enumerate(_lengths(lengths))]


def unpack_sequence(packed_sequences):
    """The list of sequences in a packed batch, in the original order.

    >>> import tinyflow as tf
    >>> [s.tolist() for s in unpack_sequence(pack_sequence([tf.ones(1), tf.ones(2)], False))]
    [[1.0], [1.0, 1.0]]
    """
    padded, lengths = pad_packed_sequence(packed_sequences, batch_first=True)
    return unpad_sequence(padded, lengths, batch_first=True)
