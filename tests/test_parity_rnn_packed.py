"""Packed sequences against real PyTorch: ``nn.utils.rnn``'s PackedSequence,
pack_padded_sequence, pad_packed_sequence and pack_sequence give the same fields,
values and error types; nn.RNN / nn.LSTM / nn.GRU on a packed batch (PyTorch's
parameters copied in through load_state_dict) give the same packed output, h_n / c_n
and gradients of every parameter, the input and the initial state (float64, 1e-10).

Needs PyTorch (skipped with the reason where it is missing). test_torch_rnn_packed.py
checks the same without it.
"""
import numpy as np
import pytest

from _parity import assert_same_outcome, import_torch, torch_twins

torch = import_torch()   # skipped (saying why) where missing; required by make parity

import tinyflow as tf  # noqa: E402
import tinyflow.nn as nn  # noqa: E402

RTOL, ATOL = 1e-10, 1e-12
LENGTHS = {"unsorted": ([2, 5, 1, 3], False), "sorted": ([5, 3, 2, 1], True),
           "ties": ([3, 5, 3, 1], False), "sorted-loose": ([5, 3, 3, 1], False)}


def _close(ours, theirs):
    ours, theirs = ours.detach().numpy(), theirs.detach().numpy()
    assert ours.shape == theirs.shape and ours.dtype == theirs.dtype
    np.testing.assert_allclose(ours, theirs, rtol=RTOL, atol=ATOL)


def _same_packed(ours, theirs):
    assert type(ours).__name__ == "PackedSequence" and ours._fields == theirs._fields
    for a, b in zip(ours, theirs):
        assert (a is None) == (b is None)
        if a is not None:
            _close(a, b)


def _leaves(shape, seed):
    a = np.random.default_rng(seed).standard_normal(shape)
    return tf.tensor(a, requires_grad=True), torch.tensor(a, requires_grad=True)


def _padded(lengths, batch_first, seed=1, features=3):
    steps, batch = max(lengths) + 1, len(lengths)          # one step of padding beyond all
    return _leaves((batch, steps, features) if batch_first else (steps, batch, features), seed)


# --- packing and padding --------------------------------------------------------------------

@pytest.mark.parametrize("batch_first", [False, True], ids=["time_first", "batch_first"])
@pytest.mark.parametrize("case", list(LENGTHS))
def test_pack_and_pad_match_fields_values_and_gradients(case, batch_first):
    lengths, enforce_sorted = LENGTHS[case]
    ours_x, their_x = _padded(lengths, batch_first)
    ours = nn.utils.rnn.pack_padded_sequence(ours_x, lengths, batch_first, enforce_sorted)
    theirs = torch.nn.utils.rnn.pack_padded_sequence(their_x, torch.tensor(lengths),
                                                     batch_first, enforce_sorted)
    _same_packed(ours, theirs)
    for total_length in (None, max(lengths) + 2):
        a, la = nn.utils.rnn.pad_packed_sequence(ours, batch_first, -1.5, total_length)
        b, lb = torch.nn.utils.rnn.pad_packed_sequence(theirs, batch_first, -1.5, total_length)
        _close(a, b)
        _close(la, lb)
    w = np.random.default_rng(9).standard_normal(tuple(b.shape))
    (a * tf.tensor(w)).sum().backward()
    (b * torch.tensor(w)).sum().backward()
    _close(ours_x.grad, their_x.grad)


@pytest.mark.parametrize("enforce_sorted", [True, False])
def test_pack_sequence_and_unpack_match(enforce_sorted):
    shapes = [(4, 2), (3, 2), (1, 2)] if enforce_sorted else [(2, 2), (4, 2), (1, 2), (3, 2)]
    pairs = [_leaves(s, 10 + i) for i, s in enumerate(shapes)]
    ours = nn.utils.rnn.pack_sequence([p[0] for p in pairs], enforce_sorted)
    theirs = torch.nn.utils.rnn.pack_sequence([p[1] for p in pairs], enforce_sorted)
    _same_packed(ours, theirs)
    for a, b in zip(nn.utils.rnn.unpack_sequence(ours), torch.nn.utils.rnn.unpack_sequence(theirs)):
        _close(a, b)
    ours.data.sum().backward()
    theirs.data.sum().backward()
    for a, b in pairs:
        _close(a.grad, b.grad)


def test_packed_sequence_built_by_hand_inverts_the_order():
    ours = nn.utils.rnn.PackedSequence(tf.ones(5), tf.tensor([3, 2]), tf.tensor([2, 0, 1]))
    theirs = torch.nn.utils.rnn.PackedSequence(torch.ones(5), torch.tensor([3, 2]),
                                               torch.tensor([2, 0, 1]))
    _same_packed(ours, theirs)
    assert isinstance(ours, tuple) and len(ours) == 4
    _same_packed(ours.double(), theirs.double())


def _x(mod):
    return mod.arange(24.0).reshape(4, 3, 2)


BAD_CALLS = {
    "unsorted lengths, enforce_sorted": lambda m: m.nn.utils.rnn.pack_padded_sequence(
        _x(m), [2, 4, 1]),
    "a zero length": lambda m: m.nn.utils.rnn.pack_padded_sequence(_x(m), [4, 2, 0]),
    "a zero length, unsorted": lambda m: m.nn.utils.rnn.pack_padded_sequence(
        _x(m), [0, 4, 2], enforce_sorted=False),
    "a negative length": lambda m: m.nn.utils.rnn.pack_padded_sequence(_x(m), [4, 2, -1]),
    "too few lengths": lambda m: m.nn.utils.rnn.pack_padded_sequence(_x(m), [4, 2]),
    "2-D lengths": lambda m: m.nn.utils.rnn.pack_padded_sequence(_x(m), [[4, 2, 1]]),
    "2-D lengths tensor": lambda m: m.nn.utils.rnn.pack_padded_sequence(
        _x(m), m.tensor([[4, 2, 1]])),
    "string lengths": lambda m: m.nn.utils.rnn.pack_padded_sequence(_x(m), "ab"),
    "int32 lengths tensor": lambda m: m.nn.utils.rnn.pack_padded_sequence(
        _x(m), m.tensor([4, 2, 1], dtype=m.int32)),
    "tuple lengths, batch_first": lambda m: m.nn.utils.rnn.pack_padded_sequence(
        _x(m), (3, 3, 2, 1), batch_first=True),
    "total_length too short": lambda m: m.nn.utils.rnn.pad_packed_sequence(
        m.nn.utils.rnn.pack_padded_sequence(_x(m), [4, 2, 1]), total_length=3),
    "pad a tensor": lambda m: m.nn.utils.rnn.pad_packed_sequence(_x(m)),
    "pack no sequences": lambda m: m.nn.utils.rnn.pack_sequence([]),
    "pack unsorted sequences": lambda m: m.nn.utils.rnn.pack_sequence([m.ones(2), m.ones(3)]),
    "pack mismatched features": lambda m: m.nn.utils.rnn.pack_sequence(
        [m.ones(3, 1), m.ones(2, 2)]),
    "hx with the wrong size": lambda m: m.nn.GRU(2, 3)(
        m.nn.utils.rnn.pack_padded_sequence(_x(m), [4, 2, 1]), m.zeros(1, 3, 4)),
    "input_size differs": lambda m: m.nn.LSTM(3, 3)(
        m.nn.utils.rnn.pack_padded_sequence(_x(m), [4, 2, 1])),
    "1-D packed data": lambda m: m.nn.GRU(1, 3)(
        m.nn.utils.rnn.pack_sequence([m.ones(3), m.ones(2)])),
    "3-D packed data": lambda m: m.nn.GRU(2, 3)(
        m.nn.utils.rnn.pack_sequence([m.ones(3, 1, 2), m.ones(2, 1, 2)])),
    "2-D hx": lambda m: m.nn.GRU(2, 3)(
        m.nn.utils.rnn.pack_padded_sequence(_x(m), [4, 2, 1]), m.zeros(1, 3)),
    "dtype differs": lambda m: m.nn.RNN(2, 3)(
        m.nn.utils.rnn.pack_padded_sequence(_x(m).double(), [4, 2, 1])),
}


@pytest.mark.parametrize("name", list(BAD_CALLS))
def test_bad_calls_raise_the_same_error_types(name):
    assert_same_outcome(name, BAD_CALLS[name], torch, tf)


# --- recurrent layers on packed batches -----------------------------------------------------

def _twins(kind, **kwargs):
    return torch_twins(nn, torch, kind, **kwargs)


CONFIGS = [
    dict(),
    dict(num_layers=2),
    dict(bidirectional=True),
    dict(num_layers=2, bidirectional=True),
    dict(batch_first=True, bidirectional=True),
    dict(num_layers=2, bidirectional=True, batch_first=True, bias=False),
]


@pytest.mark.parametrize("with_h0", [False, True], ids=["zeros", "h0"])
@pytest.mark.parametrize("case", ["unsorted", "sorted", "ties"])
@pytest.mark.parametrize("config", CONFIGS, ids=lambda c: ",".join(f"{k}={v}" for k, v in
                                                                     c.items()) or "default")
@pytest.mark.parametrize("kind", ["RNN", "LSTM", "GRU"])
def test_packed_layer_matches_output_states_and_gradients(kind, config, case, with_h0):
    ours, theirs = _twins(kind, input_size=3, hidden_size=4, **config)
    lengths, enforce_sorted = LENGTHS[case]
    batch_first = config.get("batch_first", False)
    ours_x, their_x = _padded(lengths, batch_first)
    args = [[nn.utils.rnn.pack_padded_sequence(ours_x, lengths, batch_first, enforce_sorted)],
            [torch.nn.utils.rnn.pack_padded_sequence(their_x, lengths, batch_first,
                                                     enforce_sorted)]]
    layers = config.get("num_layers", 1) * (2 if config.get("bidirectional") else 1)
    states = [_leaves((layers, len(lengths), 4), 2 + k) for k in range(2 if kind == "LSTM" else 1)]
    if with_h0:
        for i in range(2):
            args[i].append(tuple(s[i] for s in states) if kind == "LSTM" else states[0][i])
    (a, ha), (b, hb) = ours(*args[0]), theirs(*args[1])
    _same_packed(a, b)
    ha, hb = (ha, hb) if kind == "LSTM" else ((ha,), (hb,))
    for x, y in zip(ha, hb):
        _close(x, y)
    ws = [np.random.default_rng(50 + i).standard_normal(tuple(y.shape))
          for i, y in enumerate((b.data,) + tuple(hb))]
    sum((x * tf.tensor(w)).sum() for x, w in zip((a.data,) + tuple(ha), ws)).backward()
    sum((y * torch.tensor(w)).sum() for y, w in zip((b.data,) + tuple(hb), ws)).backward()
    mine = dict(ours.named_parameters())
    for name, p in theirs.named_parameters():
        _close(mine[name].grad, p.grad)
    _close(ours_x.grad, their_x.grad)
    if with_h0:
        for x, y in states:
            _close(x.grad, y.grad)


@pytest.mark.parametrize("kind", ["RNN", "LSTM", "GRU"])
def test_packed_output_pads_back_as_pytorch_does(kind):
    ours, theirs = _twins(kind, input_size=3, hidden_size=2, bidirectional=True)
    lengths = [1, 4, 2]
    ours_x, their_x = _padded(lengths, False)
    a = ours(nn.utils.rnn.pack_padded_sequence(ours_x, lengths, enforce_sorted=False))[0]
    b = theirs(torch.nn.utils.rnn.pack_padded_sequence(their_x, lengths, enforce_sorted=False))[0]
    for total_length in (None, 6):
        pa, la = nn.utils.rnn.pad_packed_sequence(a, True, 0.0, total_length)
        pb, lb = torch.nn.utils.rnn.pad_packed_sequence(b, True, 0.0, total_length)
        _close(pa, pb)
        _close(la, lb)


def test_float32_packed_lstm_agrees_to_float32_precision():
    theirs = torch.nn.LSTM(3, 4, num_layers=2, bidirectional=True)
    ours = nn.LSTM(3, 4, num_layers=2, bidirectional=True)
    ours.load_state_dict({k: v.detach().numpy() for k, v in theirs.state_dict().items()})
    seqs = [np.random.default_rng(i).standard_normal((n, 3)).astype(np.float32)
            for i, n in enumerate([3, 6, 2])]
    a, (h, c) = ours(nn.utils.rnn.pack_sequence([tf.tensor(s) for s in seqs], False))
    b, (hb, cb) = theirs(torch.nn.utils.rnn.pack_sequence([torch.tensor(s) for s in seqs], False))
    for p, q in ((a.data, b.data), (h, hb), (c, cb)):
        assert p.dtype == tf.float32
        np.testing.assert_allclose(p.detach().numpy(), q.detach().numpy(), rtol=1e-5, atol=1e-6)
