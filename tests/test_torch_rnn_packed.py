"""Packed sequences without PyTorch: packing and padding against the same batches
built with numpy here, nn.RNN / nn.LSTM / nn.GRU on a packed batch against running
each sequence alone through the same module, gradients checked numerically
(tinyflow.gradcheck, float64), and the errors. (test_parity_rnn_packed.py compares
with PyTorch itself where it is installed.)
"""
import numpy as np
import pytest

import tinyflow as tf
import tinyflow.nn as nn
from tinyflow.nn.utils.rnn import (PackedSequence, pack_padded_sequence, pack_sequence,
                                   pad_packed_sequence, unpack_sequence, unpad_sequence)

LENGTHS = [([2, 5, 1, 3], False), ([5, 3, 2, 1], True), ([3, 5, 3, 1], False), ([4], True)]


def _t(shape, seed=0, requires_grad=False):
    return tf.tensor(np.random.default_rng(seed).uniform(-1.0, 1.0, shape), dtype=tf.float64,
                     requires_grad=requires_grad)


def _np(t):
    return t.detach().numpy()


def _numpy_pack(a, lengths, batch_first):
    """What packing must give, the slow way: longest first (ties in batch order), then
    step by step every sequence still running."""
    a = a.transpose(1, 0, *range(2, a.ndim)) if batch_first else a
    order = sorted(range(len(lengths)), key=lambda b: -lengths[b])
    rows, batch_sizes = [], []
    for t in range(max(lengths)):
        running = [b for b in order if lengths[b] > t]
        batch_sizes.append(len(running))
        rows.extend(a[t, b] for b in running)
    return np.stack(rows), np.array(batch_sizes), np.array(order)


# --- packing and padding --------------------------------------------------------------------

@pytest.mark.parametrize("batch_first", [False, True])
@pytest.mark.parametrize("lengths,enforce_sorted", LENGTHS)
def test_pack_matches_numpy_and_pads_back(lengths, enforce_sorted, batch_first):
    steps, batch = max(lengths) + 1, len(lengths)
    x = _t((batch, steps, 2) if batch_first else (steps, batch, 2), 1)
    packed = pack_padded_sequence(x, lengths, batch_first, enforce_sorted)
    data, batch_sizes, order = _numpy_pack(_np(x), lengths, batch_first)
    assert isinstance(packed, PackedSequence) and isinstance(packed, tuple)
    np.testing.assert_array_equal(_np(packed.data), data)
    np.testing.assert_array_equal(packed.batch_sizes.numpy(), batch_sizes)
    assert packed.batch_sizes.dtype == tf.int64
    if enforce_sorted:
        assert packed.sorted_indices is None and packed.unsorted_indices is None
    else:
        np.testing.assert_array_equal(packed.sorted_indices.numpy(), order)
        np.testing.assert_array_equal(packed.unsorted_indices.numpy()[order], np.arange(batch))
    padded, got_lengths = pad_packed_sequence(packed, batch_first, padding_value=7.0,
                                              total_length=steps + 1)
    want = np.full((steps + 1, batch, 2), 7.0)
    a = _np(x).transpose(1, 0, 2) if batch_first else _np(x)
    for b, n in enumerate(lengths):
        want[:n, b] = a[:n, b]
    np.testing.assert_array_equal(_np(padded), want.transpose(1, 0, 2) if batch_first else want)
    np.testing.assert_array_equal(got_lengths.numpy(), lengths)
    assert got_lengths.dtype == tf.int64


def test_lengths_may_be_a_tensor_and_gradients_reach_only_the_steps_kept():
    x = _t((4, 3, 2), 2, requires_grad=True)
    packed = pack_padded_sequence(x, tf.tensor([4, 1, 2]), enforce_sorted=False)
    (packed.data * 2.0).sum().backward()
    mask = np.arange(4)[:, None] < np.array([4, 1, 2])[None, :]
    np.testing.assert_array_equal(_np(x.grad), np.where(mask[..., None], 2.0, 0.0) * np.ones(2))


def test_pack_sequence_and_unpack_round_trip():
    seqs = [_t((n, 3), i) for i, n in enumerate([2, 4, 1])]
    packed = pack_sequence(seqs, enforce_sorted=False)
    np.testing.assert_array_equal(packed.batch_sizes.numpy(), [3, 2, 1, 1])
    for a, b in zip(unpack_sequence(packed), seqs):
        np.testing.assert_array_equal(_np(a), _np(b))
    padded = nn.utils.rnn.pad_sequence(seqs)
    for a, b in zip(unpad_sequence(padded, [2, 4, 1]), seqs):
        np.testing.assert_array_equal(_np(a), _np(b))


def test_packed_sequence_by_hand_and_conversions():
    p = PackedSequence(tf.ones(3), tf.tensor([2, 1]), tf.tensor([1, 0]))
    assert p._fields == ("data", "batch_sizes", "sorted_indices", "unsorted_indices")
    assert p.unsorted_indices.tolist() == [1, 0]
    assert PackedSequence((tf.ones(3), tf.tensor([2, 1]))).sorted_indices is None
    d = p.double()
    assert d.data.dtype == tf.float64 and d.batch_sizes is p.batch_sizes
    assert p.to(tf.float32) is p and not p.is_cuda and not p.is_pinned() and p.cpu() is p


@pytest.mark.parametrize("call,error,words", [
    (lambda x: pack_padded_sequence(x, [2, 4, 1]), RuntimeError, "sorted in decreasing order"),
    (lambda x: pack_padded_sequence(x, [4, 2, 0]), RuntimeError, "greater than 0"),
    (lambda x: pack_padded_sequence(x, [0, 4, 2], enforce_sorted=False), RuntimeError,
     "greater than 0"),
    (lambda x: pack_padded_sequence(x, [4, 2]), RuntimeError, "batch_size=3"),
    (lambda x: pack_padded_sequence(x, [5, 2, 1]), RuntimeError, "longer than"),
    (lambda x: pack_padded_sequence(x, [[4, 2, 1]]), RuntimeError, "1D CPU int64"),
    (lambda x: pack_padded_sequence(x, "ab"), TypeError, "lengths"),
    (lambda x: pack_padded_sequence(tf.ones(4), [4]), IndexError, "batch dimension"),
    (lambda x: pad_packed_sequence(pack_padded_sequence(x, [4, 2, 1]), total_length=3),
     ValueError, "total_length=3"),
    (lambda x: pack_sequence([]), RuntimeError, "empty list"),
    (lambda x: nn.GRU(2, 3)(pack_padded_sequence(x, [4, 2, 1]), tf.zeros(1, 2, 3)),
     RuntimeError, r"Expected hidden size \(1, 3, 3\)"),
    (lambda x: nn.LSTM(3, 3)(pack_padded_sequence(x, [4, 2, 1])), RuntimeError,
     "Expected 3, got 2"),
    (lambda x: nn.GRU(1, 3)(pack_sequence([tf.ones(3), tf.ones(2)])), RuntimeError,
     "input must have 2 dimensions, got 1"),
])
def test_bad_calls_say_what_is_wrong(call, error, words):
    with pytest.raises(error, match=words):
        call(tf.zeros(4, 3, 2))


# --- recurrent layers on packed batches -----------------------------------------------------

CONFIGS = [dict(), dict(num_layers=2), dict(bidirectional=True),
           dict(num_layers=2, bidirectional=True), dict(bidirectional=True, batch_first=True),
           dict(num_layers=2, bidirectional=True, bias=False)]


def _module(kind, **config):
    tf.manual_seed(3)
    return getattr(nn, kind)(2, 3, **config).double()


def _hidden(kind, out):
    return list(out[1]) if kind == "LSTM" else [out[1]]


@pytest.mark.parametrize("with_h0", [False, True], ids=["zeros", "h0"])
@pytest.mark.parametrize("config", CONFIGS, ids=lambda c: ",".join(f"{k}={v}" for k, v in
                                                                     c.items()) or "default")
@pytest.mark.parametrize("kind", ["RNN", "LSTM", "GRU"])
def test_packed_batch_equals_each_sequence_alone(kind, config, with_h0):
    module = _module(kind, **config)
    lengths = [3, 5, 1, 4]
    batch_first = config.get("batch_first", False)
    seqs = [_t((n, 2), 10 + i) for i, n in enumerate(lengths)]
    layers = config.get("num_layers", 1) * (2 if config.get("bidirectional") else 1)
    h0 = [_t((layers, 4, 3), 20 + k) for k in range(2 if kind == "LSTM" else 1)]
    hx = (tuple(h0) if kind == "LSTM" else h0[0]) if with_h0 else None
    padded = nn.utils.rnn.pad_sequence(seqs, batch_first)
    output, hidden = module(pack_padded_sequence(padded, lengths, batch_first, False), hx)
    assert isinstance(output, PackedSequence)
    outs, out_lengths = pad_packed_sequence(output, batch_first=True)
    assert out_lengths.tolist() == lengths
    hidden = hidden if kind == "LSTM" else (hidden,)
    for b, seq in enumerate(seqs):
        one = seq[None] if batch_first else seq[:, None]         # a batch of one, full length
        alone_hx = None
        if with_h0:
            states = [h[:, b:b + 1] for h in h0]
            alone_hx = tuple(states) if kind == "LSTM" else states[0]
        alone = module(one, alone_hx)
        alone_out = _np(alone[0])[0] if batch_first else _np(alone[0])[:, 0]
        np.testing.assert_allclose(_np(outs)[b, :lengths[b]], alone_out, rtol=1e-12, atol=1e-13)
        assert not _np(outs)[b, lengths[b]:].any()
        for h, h_alone in zip(hidden, _hidden(kind, alone)):
            np.testing.assert_allclose(_np(h)[:, b], _np(h_alone)[:, 0], rtol=1e-12, atol=1e-13)


@pytest.mark.parametrize("config", [dict(), dict(num_layers=2, bidirectional=True)],
                         ids=["one_layer", "two_layers_bidirectional"])
@pytest.mark.parametrize("kind", ["RNN", "LSTM", "GRU"])
def test_packed_gradients_are_numerically_right(kind, config):
    module = _module(kind, **config)
    lengths = [2, 3, 1]
    layers = config.get("num_layers", 1) * (2 if config.get("bidirectional") else 1)
    x = _t((3, 3, 2), 5, requires_grad=True)
    h0 = [_t((layers, 3, 3), 6 + k, requires_grad=True) for k in range(2 if kind == "LSTM" else 1)]

    def fn(x, *rest):
        hx = tuple(rest[:2]) if kind == "LSTM" else rest[0]
        out, hidden = module(pack_padded_sequence(x, lengths, enforce_sorted=False), hx)
        return (out.data,) + (tuple(hidden) if kind == "LSTM" else (hidden,))

    params = list(module.parameters())
    assert tf.autograd.gradcheck(fn, [x] + h0 + params, eps=1e-6, atol=1e-7, rtol=1e-5)


class _Tagger(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(2, 3, num_layers=2, bidirectional=True)

    def forward(self, x):
        out, (h, _) = self.lstm(pack_padded_sequence(x, [3, 1, 2], enforce_sorted=False))
        return pad_packed_sequence(out, total_length=4)[0], h


def test_a_packed_model_traces_with_a_fixed_shape():
    model, x = _Tagger(), _t((4, 3, 2), 8).float()
    traced = tf.jit.trace(model, x, dynamic_batch=False)
    for a, b in zip(traced(x), model(x)):
        np.testing.assert_allclose(_np(a), _np(b), rtol=1e-6, atol=1e-7)
    with pytest.raises(ValueError, match="dynamic_batch=False"):
        tf.jit.trace(model, x)


def test_a_packed_lstm_learns_from_the_last_step_of_each_sequence():
    """Predict each sequence's sum from h_n: only a packed run (or a mask) reads it at
    the sequence's own end."""
    tf.manual_seed(0)
    rng = np.random.default_rng(0)
    lstm, head = nn.LSTM(1, 8), nn.Linear(8, 1)
    opt = tf.optim.Adam(list(lstm.parameters()) + list(head.parameters()), lr=0.03)
    lengths = [5, 2, 4, 1, 3, 5, 2, 3]
    a = rng.uniform(-1, 1, (5, 8, 1)).astype(np.float32)
    target = np.array([a[:n, b, 0].sum() for b, n in enumerate(lengths)], np.float32)[:, None]
    losses = []
    for _ in range(200):
        opt.zero_grad()
        _, (h_n, _) = lstm(pack_padded_sequence(tf.tensor(a), lengths, enforce_sorted=False))
        loss = ((head(h_n[0]) - tf.tensor(target)) ** 2).mean()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    assert losses[-1] < 0.05 * losses[0]
