"""tinyflow.nn's recurrent layers and cells against real PyTorch: PyTorch's initial
parameters copied in through load_state_dict (as arrays), then the same outputs, h_n /
c_n and gradients of every parameter, the input and the initial state (float64, 1e-10);
the same reprs, state_dict keys and shapes, warnings, error types and messages.

Needs PyTorch (skipped with the reason where it is missing). test_torch_rnn.py checks
the same layers without it (numpy formulas, numerical gradients, learning).
"""
import warnings

import numpy as np
import pytest

from _parity import import_torch, outcome, torch_twins

torch = import_torch()   # skipped (saying why) where missing; required by make parity

import tinyflow as tf  # noqa: E402
import tinyflow.nn as nn  # noqa: E402

RTOL, ATOL = 1e-10, 1e-12


def _close(ours, theirs):
    theirs = theirs.detach().numpy()
    ours = ours.detach().numpy()
    assert ours.shape == theirs.shape
    np.testing.assert_allclose(ours, theirs, rtol=RTOL, atol=ATOL)


def _twins(kind, **kwargs):
    """(ours, theirs) in float64, ours holding PyTorch's initial parameters."""
    return torch_twins(nn, torch, kind, **kwargs)


def _leaves(shape, seed):
    a = np.random.default_rng(seed).standard_normal(shape)
    return tf.tensor(a, requires_grad=True), torch.tensor(a, requires_grad=True)


def _flat(out):
    """output, h_n / (output, (h_n, c_n)) / h' / (h', c') as a flat list of tensors."""
    if not isinstance(out, tuple):
        return [out]
    return [t for o in out for t in (o if isinstance(o, tuple) else (o,))]


def _same_run(ours, theirs, xs, states):
    """Run both on the same input (and initial state), compare every output, then the
    gradients of sum(w * outputs) for fixed random w: parameters, input and states."""
    ours_args, their_args = [xs[0]], [xs[1]]
    if states:
        pack = tuple if len(states) == 2 else (lambda s: s[0])
        ours_args.append(pack([s[0] for s in states]))
        their_args.append(pack([s[1] for s in states]))
    a, b = _flat(ours(*ours_args)), _flat(theirs(*their_args))
    assert len(a) == len(b)
    for x, y in zip(a, b):
        _close(x, y)
    ws = [np.random.default_rng(50 + i).standard_normal(tuple(y.shape)) for i, y in enumerate(b)]
    sum((x * tf.tensor(w)).sum() for x, w in zip(a, ws)).backward()
    sum((y * torch.tensor(w)).sum() for y, w in zip(b, ws)).backward()
    mine = dict(ours.named_parameters())
    for name, p in theirs.named_parameters():
        _close(mine[name].grad, p.grad)
    for ours_t, their_t in [xs] + list(states):
        _close(ours_t.grad, their_t.grad)


# --- whole sequences ----------------------------------------------------------------------

CONFIGS = [
    dict(),
    dict(num_layers=2),
    dict(bidirectional=True),
    dict(num_layers=2, bidirectional=True),
    dict(batch_first=True),
    dict(num_layers=2, bidirectional=True, batch_first=True, bias=False),
    dict(num_layers=3, dropout=0.5),                 # dropout: evaluation mode does nothing
]


@pytest.mark.parametrize("batched", [True, False], ids=["batched", "unbatched"])
@pytest.mark.parametrize("with_h0", [False, True], ids=["zeros", "h0"])
@pytest.mark.parametrize("config", CONFIGS, ids=lambda c: ",".join(f"{k}={v}" for k, v in
                                                                     c.items()) or "default")
@pytest.mark.parametrize("kind", ["RNN", "LSTM", "GRU"])
def test_sequence_layer_matches_values_states_and_gradients(kind, config, with_h0, batched):
    ours, theirs = _twins(kind, input_size=3, hidden_size=4, **config)
    ours.eval(), theirs.eval()
    L, N = 5, 2
    shape = ((N, L, 3) if config.get("batch_first") else (L, N, 3)) if batched else (L, 3)
    xs = _leaves(shape, 1)
    layers = config.get("num_layers", 1) * (2 if config.get("bidirectional") else 1)
    state_shape = (layers, N, 4) if batched else (layers, 4)
    states = [_leaves(state_shape, 2 + k) for k in range(2 if kind == "LSTM" else 1)] \
        if with_h0 else []
    _same_run(ours, theirs, xs, states)


def test_relu_rnn_matches():
    ours, theirs = _twins("RNN", input_size=3, hidden_size=5, num_layers=2, nonlinearity="relu",
                          bidirectional=True)
    _same_run(ours, theirs, _leaves((6, 3, 3), 3), [_leaves((4, 3, 5), 4)])


@pytest.mark.parametrize("kind", ["RNN", "LSTM", "GRU"])
def test_training_mode_without_dropout_and_a_batch_of_one_match(kind):
    ours, theirs = _twins(kind, input_size=2, hidden_size=3, num_layers=2)
    assert ours.training and theirs.training
    _same_run(ours, theirs, _leaves((4, 1, 2), 5), [])


@pytest.mark.parametrize("kind", ["RNN", "LSTM", "GRU"])
def test_float32_layers_agree_to_float32_precision(kind):
    theirs = getattr(torch.nn, kind)(3, 4, num_layers=2)
    ours = getattr(nn, kind)(3, 4, num_layers=2)
    ours.load_state_dict({k: v.detach().numpy() for k, v in theirs.state_dict().items()})
    x = np.random.default_rng(0).standard_normal((5, 2, 3)).astype(np.float32)
    a, b = _flat(ours(tf.tensor(x))), _flat(theirs(torch.tensor(x)))
    for p, q in zip(a, b):
        assert p.dtype == tf.float32
        np.testing.assert_allclose(p.detach().numpy(), q.detach().numpy(), rtol=1e-5, atol=1e-6)


# --- cells --------------------------------------------------------------------------------

CELLS = [("RNNCell", {}), ("RNNCell", dict(nonlinearity="relu")), ("RNNCell", dict(bias=False)),
         ("LSTMCell", {}), ("LSTMCell", dict(bias=False)), ("GRUCell", {}),
         ("GRUCell", dict(bias=False))]


@pytest.mark.parametrize("batched", [True, False], ids=["batched", "unbatched"])
@pytest.mark.parametrize("with_hx", [False, True], ids=["zeros", "hx"])
@pytest.mark.parametrize("kind,kwargs", CELLS, ids=[f"{k}{v}" for k, v in CELLS])
def test_cell_matches_values_and_gradients(kind, kwargs, with_hx, batched):
    ours, theirs = _twins(kind, input_size=3, hidden_size=4, **kwargs)
    xs = _leaves((2, 3) if batched else (3,), 1)
    states = [_leaves((2, 4) if batched else (4,), 2 + k)
              for k in range(2 if kind == "LSTMCell" else 1)] if with_hx else []
    _same_run(ours, theirs, xs, states)


# --- reprs, parameters, state dicts ----------------------------------------------------------

MODULES = [
    lambda nn: nn.RNN(3, 4),
    lambda nn: nn.RNN(3, 4, nonlinearity="relu"),
    lambda nn: nn.RNN(3, 4, 2, "relu", False, True, 0.5, True),
    lambda nn: nn.LSTM(3, 4),
    lambda nn: nn.LSTM(3, 4, num_layers=2, dropout=0.25, bidirectional=True),
    lambda nn: nn.LSTM(3, 4, 2, False, True, 0.0, True),
    lambda nn: nn.LSTM(3, 4, bidirectional=1),
    lambda nn: nn.LSTM(3, 4, 2, dropout=1),
    lambda nn: nn.GRU(3, 4, batch_first=True),
    lambda nn: nn.GRU(3, 4, num_layers=3, bias=False),
    lambda nn: nn.RNNCell(3, 4),
    lambda nn: nn.RNNCell(3, 4, bias=False, nonlinearity="relu"),
    lambda nn: nn.RNNCell(3, 4, nonlinearity="sigmoid"),      # refused only when it runs
    lambda nn: nn.LSTMCell(3, 4, bias=0),
    lambda nn: nn.LSTMCell(0, 4),
    lambda nn: nn.GRUCell(3, 4, False),
    lambda nn: nn.Sequential(nn.GRU(2, 3), nn.LSTMCell(3, 3)),
]


@pytest.mark.parametrize("make", MODULES, ids=range(len(MODULES)))
def test_repr_state_dict_and_parameters_are_pytorchs(make):
    ours, theirs = make(nn), make(torch.nn)
    assert repr(ours) == repr(theirs)
    assert [(k, tuple(v.shape)) for k, v in ours.state_dict().items()] == \
        [(k, tuple(v.shape)) for k, v in theirs.state_dict().items()]
    assert [n for n, _ in ours.named_parameters()] == [n for n, _ in theirs.named_parameters()]


@pytest.mark.parametrize("make", MODULES[:10], ids=range(10))
def test_attributes_and_all_weights_are_pytorchs(make):
    ours, theirs = make(nn), make(torch.nn)
    for name in ("mode", "input_size", "hidden_size", "num_layers", "bias", "batch_first",
                 "dropout", "bidirectional", "proj_size", "_flat_weights_names", "_all_weights"):
        assert getattr(ours, name) == getattr(theirs, name), name
    assert type(ours.dropout) is type(theirs.dropout)
    assert [[tuple(p.shape) for p in ps] for ps in ours.all_weights] == \
        [[tuple(p.shape) for p in ps] for ps in theirs.all_weights]
    assert ours.flatten_parameters() is None and theirs.flatten_parameters() is None


@pytest.mark.parametrize("kind", ["RNN", "LSTM", "GRU", "RNNCell", "LSTMCell", "GRUCell"])
def test_default_init_has_pytorchs_bounds(kind):
    """Every parameter from U(-1/sqrt(hidden), 1/sqrt(hidden)): the same bound, reached by
    both (the numbers differ: tinyflow draws from its own generator)."""
    tf.manual_seed(0)
    ours, theirs = getattr(nn, kind)(5, 16), getattr(torch.nn, kind)(5, 16)
    for (name, p), (_, q) in zip(ours.named_parameters(), theirs.named_parameters()):
        a, b = np.abs(p.detach().numpy()), np.abs(q.detach().numpy())
        assert a.max() <= 0.25 and b.max() <= 0.25, name
        assert a.max() > 0.2 and abs(a.mean() - 0.125) < 0.03, name


def test_a_state_dict_saved_by_pytorch_loads(tmp_path):
    theirs = torch.nn.LSTM(3, 4, num_layers=2, bidirectional=True)
    torch.save(theirs.state_dict(), tmp_path / "lstm.pt")
    loaded = torch.load(tmp_path / "lstm.pt")
    ours = nn.LSTM(3, 4, num_layers=2, bidirectional=True)
    ours.load_state_dict({k: v.numpy() for k, v in loaded.items()})
    x = np.random.default_rng(0).standard_normal((4, 2, 3)).astype(np.float32)
    for p, q in zip(_flat(ours(tf.tensor(x))), _flat(theirs(torch.tensor(x)))):
        np.testing.assert_allclose(p.detach().numpy(), q.detach().numpy(), rtol=1e-5, atol=1e-6)
    wrong = {k: v.numpy() for k, v in torch.nn.LSTM(3, 5, 2, bidirectional=True)
             .state_dict().items()}
    with pytest.raises(RuntimeError, match="size mismatch for weight_ih_l0"):
        ours.load_state_dict(wrong)


# --- warnings and errors ------------------------------------------------------------------

def test_dropout_with_one_layer_warns_as_pytorch():
    with warnings.catch_warnings(record=True) as ours:
        warnings.simplefilter("always")
        nn.LSTM(3, 4, dropout=0.5)
    with warnings.catch_warnings(record=True) as theirs:
        warnings.simplefilter("always")
        torch.nn.LSTM(3, 4, dropout=0.5)
    assert [(w.category, str(w.message)) for w in ours] == \
        [(w.category, str(w.message)) for w in theirs]


BAD_CONSTRUCTORS = [
    lambda nn: nn.RNN(3, 4, nonlinearity="sigmoid"),
    lambda nn: nn.RNN(3, 4, proj_size=0),
    lambda nn: nn.GRU(3, 4, proj_size=2),
    lambda nn: nn.RNN(3, 4, foo=1),
    lambda nn: nn.LSTM(3),
    lambda nn: nn.LSTM(3, 4, dropout=1.5),
    lambda nn: nn.LSTM(3, 4, 2, dropout=-0.1),
    lambda nn: nn.LSTM(3, 4, 2, dropout=True),
    lambda nn: nn.LSTM(3, 4, 2, dropout="a"),
    lambda nn: nn.LSTM(3, 4, 2, dropout="0.5"),
    lambda nn: nn.LSTM(3, 4, 2, dropout=None),
    lambda nn: nn.LSTM(3, 0),
    lambda nn: nn.LSTM(3, -1),
    lambda nn: nn.LSTM(3, 2.5),
    lambda nn: nn.LSTM(2.5, 3),
    lambda nn: nn.LSTM(0, 3),
    lambda nn: nn.LSTM(3, 3, 0),
    lambda nn: nn.LSTM(3, 3, 1.5),
    lambda nn: nn.LSTM(3, 3, bias=0),
    lambda nn: nn.LSTM(3, 3, batch_first=1),
    lambda nn: nn.LSTM(3, 3, proj_size=-1),
    lambda nn: nn.LSTM(3, 3, proj_size=3),
    lambda nn: nn.GRUCell(3.0, 4),
    lambda nn: nn.LSTMCell(-1, 4),
    lambda nn: nn.RNNCell(3, -1),
    lambda nn: nn.RNNCell(3, 2.5),
]


def _error(case, mod):
    try:
        case(mod)
    except Exception as e:     # noqa: BLE001 -- the error is what is compared
        return e
    raise AssertionError("no error")


@pytest.mark.parametrize("case", BAD_CONSTRUCTORS, ids=range(len(BAD_CONSTRUCTORS)))
def test_bad_constructor_arguments_raise_pytorchs_error_type(case):
    ours, theirs = _error(case, nn), _error(case, torch.nn)
    assert type(ours) is type(theirs), (ours, theirs)


# The messages PyTorch writes itself (not the ones numpy or int() write for it): ours
# says the same after the module's name.
SAME_MESSAGE = [0, 1, 2, 5, 6, 7, 11, 12, 13, 14, 15, 16, 18, 19, 20, 21]


@pytest.mark.parametrize("i", SAME_MESSAGE)
def test_bad_constructor_messages_say_what_pytorchs_say(i):
    ours, theirs = _error(BAD_CONSTRUCTORS[i], nn), _error(BAD_CONSTRUCTORS[i], torch.nn)
    assert str(theirs) in str(ours)


RNN_INPUTS = {"RNN": lambda m: m.RNN(3, 4), "LSTM": lambda m: m.LSTM(3, 4, 2, bidirectional=True),
              "GRU": lambda m: m.GRU(3, 4, batch_first=True)}


def _z(mod, *shape, dtype="float64"):
    return mod.zeros(*shape, dtype=getattr(mod, dtype))


BAD_CALLS = [   # (layer, call, PyTorch writes the message itself)
    ("RNN", lambda m, t: m(_z(t, 3)), True),
    ("RNN", lambda m, t: m(_z(t, 1, 5, 2, 3)), True),
    ("LSTM", lambda m, t: m(_z(t, 3)), True),
    ("GRU", lambda m, t: m(_z(t, 2, 5, 3, 1)), True),
    ("RNN", lambda m, t: m(_z(t, 5, 2, 6)), True),
    ("RNN", lambda m, t: m(_z(t, 5, 6)), True),
    ("LSTM", lambda m, t: m(_z(t, 5, 2, 7)), True),
    ("RNN", lambda m, t: m(_z(t, 5, 2, 3), _z(t, 1, 3, 4)), True),
    ("RNN", lambda m, t: m(_z(t, 5, 2, 3), _z(t, 2, 4)), True),
    ("RNN", lambda m, t: m(_z(t, 5, 3), _z(t, 1, 1, 4)), True),
    ("RNN", lambda m, t: m(_z(t, 5, 3), _z(t, 2, 4)), True),
    ("GRU", lambda m, t: m(_z(t, 2, 5, 3), _z(t, 1, 5, 4)), True),
    ("LSTM", lambda m, t: m(_z(t, 5, 2, 3), (_z(t, 4, 3, 4), _z(t, 4, 2, 4))), True),
    ("LSTM", lambda m, t: m(_z(t, 5, 2, 3), (_z(t, 4, 2, 4), _z(t, 4, 2, 5))), True),
    ("LSTM", lambda m, t: m(_z(t, 5, 2, 3), (_z(t, 4, 4), _z(t, 4, 2, 4))), True),
    ("LSTM", lambda m, t: m(_z(t, 5, 3), (_z(t, 4, 1, 4), _z(t, 4, 1, 4))), True),
    ("LSTM", lambda m, t: m(_z(t, 5, 2, 3), (_z(t, 4, 2, 4),) * 3), True),
    ("LSTM", lambda m, t: m(_z(t, 5, 2, 3), _z(t, 4, 2, 4)), False),
    ("RNN", lambda m, t: m(_z(t, 5, 2, 3, dtype="float32")), True),
    ("RNN", lambda m, t: m(_z(t, 5, 2, 3, dtype="int64")), True),
    ("RNN", lambda m, t: m(_z(t, 5, 2, 3), _z(t, 1, 2, 4, dtype="float32")), False),
    ("RNN", lambda m, t: m(_z(t, 0, 2, 3)), True),
]


@pytest.mark.parametrize("layer,call,same_text", BAD_CALLS, ids=range(len(BAD_CALLS)))
def test_bad_inputs_to_layers_raise_pytorchs_errors(layer, call, same_text):
    ours = _error(lambda _: call(RNN_INPUTS[layer](nn).double(), tf), None)
    theirs = _error(lambda _: call(RNN_INPUTS[layer](torch.nn).double(), torch), None)
    assert type(ours) is type(theirs), (ours, theirs)
    assert str(ours).startswith(layer)                  # ours names the module
    if same_text:
        assert str(theirs).replace("torch.", "tinyflow.") in str(ours)


CELL_CALLS = [
    ("RNNCell", lambda m, t: m(_z(t, 1, 2, 3)), True),
    ("RNNCell", lambda m, t: m(_z(t, 2, 5)), True),
    ("RNNCell", lambda m, t: m(_z(t, 5)), True),
    ("RNNCell", lambda m, t: m(_z(t, 2, 3), _z(t, 3, 4)), True),
    ("RNNCell", lambda m, t: m(_z(t, 2, 3), _z(t, 2, 5)), True),
    ("RNNCell", lambda m, t: m(_z(t, 2, 3), _z(t, 1, 2, 4)), True),
    ("RNNCell", lambda m, t: m(_z(t, 2, 3), _z(t, 4)), False),
    ("RNNCell", lambda m, t: m(_z(t, 3), _z(t, 1, 4)), False),
    ("RNNCell", lambda m, t: m(_z(t, 2, 3, dtype="float32")), False),
    ("RNNCell", lambda m, t: m(_z(t, 2, 3, dtype="int64")), False),
    ("LSTMCell", lambda m, t: m(_z(t, 2, 5)), True),
    ("LSTMCell", lambda m, t: m(_z(t, 2, 3), (_z(t, 2, 5), _z(t, 2, 4))), True),
    ("LSTMCell", lambda m, t: m(_z(t, 2, 3), (_z(t, 2, 4), _z(t, 2, 5))), True),
    ("LSTMCell", lambda m, t: m(_z(t, 2, 3), (_z(t, 2, 4), _z(t, 3, 4))), True),
    ("LSTMCell", lambda m, t: m(_z(t, 2, 3), (_z(t, 1, 2, 4), _z(t, 2, 4))), True),
    ("LSTMCell", lambda m, t: m(_z(t, 1, 2, 3)), True),
    ("GRUCell", lambda m, t: m(_z(t, 2, 5)), True),
    ("GRUCell", lambda m, t: m(_z(t, 2, 3), _z(t, 2, 5)), True),
    ("GRUCell", lambda m, t: m(_z(t, 1, 2, 3)), True),
    ("GRUCell", lambda m, t: m(_z(t, 2, 3), _z(t, 2, 4, dtype="float32")), False),
]


@pytest.mark.parametrize("cell,call,same_text", CELL_CALLS, ids=range(len(CELL_CALLS)))
def test_bad_inputs_to_cells_raise_pytorchs_errors(cell, call, same_text):
    ours = _error(lambda _: call(getattr(nn, cell)(3, 4).double(), tf), None)
    theirs = _error(lambda _: call(getattr(torch.nn, cell)(3, 4).double(), torch), None)
    assert type(ours) is type(theirs), (ours, theirs)
    assert str(ours).startswith(cell)
    if same_text:
        assert str(theirs) in str(ours)


def test_unknown_cell_nonlinearity_is_refused_when_it_runs():
    def case(t):
        return t.nn.RNNCell(3, 4, nonlinearity="sig")(t.zeros(2, 3))
    ours, theirs = _error(case, tf), _error(case, torch)
    assert type(ours) is type(theirs) is RuntimeError
    assert str(theirs) in str(ours)


ACCEPTED = [
    lambda t: t.nn.RNN(3, 4)(t.zeros(5, 0, 3))[0].shape,                 # an empty batch
    lambda t: t.nn.RNNCell(3, 4)(t.zeros(0, 3)).shape,
    lambda t: [tuple(h.shape) for h in t.nn.LSTM(3, 4, 2)(t.zeros(5, 2, 3),
                                                          [t.zeros(2, 2, 4)] * 2)[1]],
    lambda t: t.nn.LSTM(True, 4, True)(t.zeros(2, 1))[0].shape,
    lambda t: t.nn.GRU(3, 4, dtype=t.float64)(t.zeros(2, 3, dtype=t.float64))[1].dtype,
    lambda t: t.nn.LSTMCell(3, 4, device="cpu").weight_hh.shape,
]


@pytest.mark.parametrize("case", ACCEPTED, ids=range(len(ACCEPTED)))
def test_calls_pytorch_accepts_are_accepted_and_agree(case):
    assert outcome(case, tf) == outcome(case, torch)


# --- pad_sequence -------------------------------------------------------------------------

PADS = [
    lambda t, p: p([t.ones(3, 2), 2 * t.ones(1, 2)]),
    lambda t, p: p([t.ones(3, 2), 2 * t.ones(1, 2)], batch_first=True, padding_value=-1),
    lambda t, p: p([t.ones(3, 2), 2 * t.ones(1, 2)], True, 0.0, "left"),
    lambda t, p: p((t.arange(3.0), t.arange(1.0))),
    lambda t, p: p(x for x in [t.ones(1), t.ones(2)]),
    lambda t, p: p(t.ones(2, 3)),
    lambda t, p: p([t.ones(2, dtype=t.int64), t.ones(1)], padding_value=0.5),
    lambda t, p: p([t.ones(0, 2), t.ones(1, 2)]),
    lambda t, p: p([]),
    lambda t, p: p([t.ones(3, 2), t.ones(2, 3)]),
    lambda t, p: p([t.ones(2)], padding_side="middle"),
    lambda t, p: p([[1.0, 2.0], [3.0]]),
    lambda t, p: p([t.tensor(1.0), t.tensor(2.0)]),
]


@pytest.mark.parametrize("case", PADS, ids=range(len(PADS)))
def test_pad_sequence_matches(case):
    from tinyflow.nn.utils.rnn import pad_sequence
    from torch.nn.utils.rnn import pad_sequence as torch_pad
    assert outcome(lambda t: case(t, pad_sequence), tf) == \
        outcome(lambda t: case(t, torch_pad), torch)
