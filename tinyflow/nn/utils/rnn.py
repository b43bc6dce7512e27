"""Helpers for batches of sequences of different lengths (PyTorch's
``torch.nn.utils.rnn``): ``pad_sequence`` pads them to the longest one and stacks
them into one tensor that ``nn.RNN`` / ``nn.LSTM`` / ``nn.GRU`` can read.

(PyTorch's ``PackedSequence`` and ``pack_padded_sequence`` are not in tinyflow: pad
the sequences, and read each one's output at its own last step.)

>>> import tinyflow as tf
>>> from tinyflow.nn.utils.rnn import pad_sequence
>>> pad_sequence([tf.tensor([1.0, 2.0, 3.0]), tf.tensor([4.0])], batch_first=True)
tensor([[1., 2., 3.],
        [4., 0., 0.]])
"""
import numpy as np

from ... import ops
from ...eager.tensor import Tensor


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
