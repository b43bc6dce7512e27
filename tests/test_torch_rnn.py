"""nn.RNN, nn.LSTM, nn.GRU and their cells without PyTorch: one step against the
formulas written out in numpy here, the layers against their own cells run step by
step, gradients checked numerically (float64, central differences), dropout between
layers, a small sequence model that learns, state dicts, reprs and errors.
(test_parity_rnn.py compares with PyTorch itself where it is installed.)
"""
import warnings

import numpy as np
import pytest

import tinyflow as tf
import tinyflow.nn as nn
import tinyflow.optim as optim


def _t(shape, seed=0, requires_grad=False):
    return tf.tensor(np.random.default_rng(seed).uniform(-1.0, 1.0, shape), dtype=tf.float64,
                     requires_grad=requires_grad)


def _np(t):
    return t.detach().numpy()


def _sigmoid(a):
    return 1 / (1 + np.exp(-a))


# --- one step against numpy -----------------------------------------------------------------

def _numpy_step(cell, x, h, c=None):
    """The step each cell should take, written out with numpy from its parameters."""
    w_ih, w_hh = _np(cell.weight_ih), _np(cell.weight_hh)
    b_ih = _np(cell.bias_ih) if cell.bias else 0.0
    b_hh = _np(cell.bias_hh) if cell.bias else 0.0
    gi, gh = x @ w_ih.T + b_ih, h @ w_hh.T + b_hh
    n = cell.hidden_size
    if isinstance(cell, nn.LSTMCell):
        i, f, g, o = (gi[:, k * n:(k + 1) * n] + gh[:, k * n:(k + 1) * n] for k in range(4))
        c = _sigmoid(f) * c + _sigmoid(i) * np.tanh(g)
        return _sigmoid(o) * np.tanh(c), c
    if isinstance(cell, nn.GRUCell):
        r = _sigmoid(gi[:, :n] + gh[:, :n])
        z = _sigmoid(gi[:, n:2 * n] + gh[:, n:2 * n])
        candidate = np.tanh(gi[:, 2 * n:] + r * gh[:, 2 * n:])     # r times (W_hn h + b_hn)
        return (1 - z) * candidate + z * h
    a = gi + gh
    return np.tanh(a) if cell.nonlinearity == "tanh" else np.maximum(a, 0)


CELLS = [lambda: nn.RNNCell(3, 4), lambda: nn.RNNCell(3, 4, nonlinearity="relu"),
         lambda: nn.RNNCell(3, 4, bias=False), lambda: nn.LSTMCell(3, 4),
         lambda: nn.LSTMCell(3, 4, bias=False), lambda: nn.GRUCell(3, 4),
         lambda: nn.GRUCell(3, 4, bias=False)]


@pytest.mark.parametrize("make", CELLS, ids=range(len(CELLS)))
def test_one_step_is_the_formula(make):
    tf.manual_seed(1)
    cell = make().double()
    x, h, c = _t((2, 3), 1), _t((2, 4), 2), _t((2, 4), 3)
    if isinstance(cell, nn.LSTMCell):
        got = cell(x, (h, c))
        want = _numpy_step(cell, _np(x), _np(h), _np(c))
        for g, w in zip(got, want):
            np.testing.assert_allclose(_np(g), w, rtol=1e-12, atol=1e-14)
    else:
        np.testing.assert_allclose(_np(cell(x, h)), _numpy_step(cell, _np(x), _np(h)),
                                   rtol=1e-12, atol=1e-14)


def test_gru_reset_gate_multiplies_the_hidden_bias_too():
    """PyTorch's GRU puts b_hn inside r * (W_hn h + b_hn): with h = 0 and r = 0 the
    candidate ignores b_hn entirely."""
    cell = nn.GRUCell(1, 1).double()
    state = {"weight_ih": np.zeros((3, 1)), "weight_hh": np.zeros((3, 1)),
             "bias_ih": np.array([-50.0, 0.0, 0.0]), "bias_hh": np.array([0.0, 0.0, 2.0])}
    cell.load_state_dict(state)
    out = cell(tf.zeros(1, 1, dtype=tf.float64))
    assert abs(out.item()) < 1e-12             # tanh(0 + sigmoid(-50) * 2) * 0.5 ~ 0


def test_cells_take_unbatched_inputs_and_zeros_for_a_missing_state():
    tf.manual_seed(0)
    for cell in (nn.RNNCell(3, 4), nn.GRUCell(3, 4)):
        x = _t(3, 1).float()
        np.testing.assert_allclose(_np(cell(x)), _np(cell(x[None], tf.zeros(1, 4)))[0])
        assert cell(x).shape == (4,)
    lstm = nn.LSTMCell(3, 4)
    h, c = lstm(_t(3, 1).float())
    assert h.shape == c.shape == (4,)


# --- layers against their cells ------------------------------------------------------------

def _cell_for(layer, suffix):
    """A cell holding one layer/direction's parameters."""
    kind = {"LSTM": nn.LSTMCell, "GRU": nn.GRUCell}.get(layer.mode)
    cell = kind(1, layer.hidden_size, layer.bias) if kind else nn.RNNCell(
        1, layer.hidden_size, layer.bias, nonlinearity=layer.nonlinearity)
    names = ["weight_ih", "weight_hh"] + (["bias_ih", "bias_hh"] if layer.bias else [])
    for name in names:
        cell.register_parameter(name, getattr(layer, f"{name}_{suffix}"))
    return cell


def _by_cells(layer, x, states):
    """The layer's output and final states, computed with its cells one step at a time."""
    directions = 2 if layer.bidirectional else 1
    finals = []
    for lay in range(layer.num_layers):
        outs = []
        for d in range(directions):
            k = lay * directions + d
            cell = _cell_for(layer, f"l{lay}" + ("_reverse" if d else ""))
            state = tuple(s[k] for s in states) if layer.mode == "LSTM" else states[0][k]
            hs = [None] * len(x)
            for t in (range(len(x)) if d == 0 else reversed(range(len(x)))):
                cell.input_size = x.shape[-1]
                state = cell(x[t], state)
                hs[t] = state[0] if layer.mode == "LSTM" else state
            outs.append(tf.stack(hs))
            finals.append(state)
        x = tf.cat(outs, 2)
    return x, finals


@pytest.mark.parametrize("kind", ["RNN", "LSTM", "GRU"])
@pytest.mark.parametrize("kwargs", [dict(), dict(num_layers=2, bidirectional=True),
                                    dict(num_layers=2, bias=False)], ids=["1", "2bi", "nobias"])
def test_layer_is_its_cell_run_over_the_sequence(kind, kwargs):
    tf.manual_seed(2)
    layer = getattr(nn, kind)(3, 4, **kwargs).double()
    directions = 2 if layer.bidirectional else 1
    x = _t((5, 2, 3), 4)
    states = [_t((layer.num_layers * directions, 2, 4), 5 + k)
              for k in range(2 if kind == "LSTM" else 1)]
    out, hidden = layer(x, tuple(states) if kind == "LSTM" else states[0])
    want_out, finals = _by_cells(layer, x, states)
    np.testing.assert_allclose(_np(out), _np(want_out), rtol=1e-12, atol=1e-14)
    got = hidden if kind == "LSTM" else (hidden,)
    for i, h in enumerate(got):
        want = np.stack([_np(f[i] if kind == "LSTM" else f) for f in finals])
        np.testing.assert_allclose(_np(h), want, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("kind", ["RNN", "LSTM", "GRU"])
def test_batch_first_and_unbatched_inputs_give_the_same_numbers(kind):
    tf.manual_seed(3)
    layer = getattr(nn, kind)(3, 4, num_layers=2, bidirectional=True).double()
    first = getattr(nn, kind)(3, 4, num_layers=2, bidirectional=True, batch_first=True).double()
    first.load_state_dict(layer.state_dict())
    x = _t((6, 2, 3), 1)
    out, hidden = layer(x)
    out_bf, hidden_bf = first(x.transpose(0, 1))
    np.testing.assert_allclose(_np(out_bf.transpose(0, 1)), _np(out), rtol=1e-13)
    one, one_hidden = layer(x[:, 0])                 # unbatched (L, input_size)
    np.testing.assert_allclose(_np(one), _np(out[:, 0]), rtol=1e-13)
    h, one_h = (hidden[0], one_hidden[0]) if kind == "LSTM" else (hidden, one_hidden)
    assert one.shape == (6, 8) and one_h.shape == (4, 4)
    np.testing.assert_allclose(_np(one_h), _np(h[:, 0]), rtol=1e-13)


# --- gradients ------------------------------------------------------------------------------

@pytest.mark.parametrize("make", CELLS, ids=range(len(CELLS)))
def test_cell_gradients_are_numerically_right(make):
    tf.manual_seed(4)
    cell = make().double()
    x, h, c = _t((2, 3), 1, True), _t((2, 4), 2, True), _t((2, 4), 3, True)
    params = list(cell.parameters())
    if isinstance(cell, nn.LSTMCell):
        assert tf.gradcheck(lambda x, h, c, *p: cell(x, (h, c)), [x, h, c] + params)
    else:
        assert tf.gradcheck(lambda x, h, *p: cell(x, h), [x, h] + params)


@pytest.mark.parametrize("kind", ["RNN", "LSTM", "GRU"])
def test_layer_gradients_are_numerically_right(kind):
    tf.manual_seed(5)
    layer = getattr(nn, kind)(2, 2, num_layers=2, bidirectional=True, batch_first=True).double()
    x = _t((2, 3, 2), 1, True)
    states = [_t((4, 2, 2), 2 + k, True) for k in range(2 if kind == "LSTM" else 1)]

    def run(x, *rest):
        hx = tuple(rest[:2]) if kind == "LSTM" else rest[0]
        out, hidden = layer(x, hx)
        return (out,) + (hidden if kind == "LSTM" else (hidden,))
    assert tf.gradcheck(run, [x] + states + list(layer.parameters()))


def test_second_derivatives_flow_through_an_lstm():
    tf.manual_seed(6)
    layer = nn.LSTM(2, 2).double()
    x = _t((3, 1, 2), 1, True)
    assert tf.gradgradcheck(lambda x: layer(x)[0], [x])


# --- traced into a graph --------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["RNN", "LSTM", "GRU", "LSTMCell"])
def test_traced_layers_run_on_other_batch_sizes(kind):
    tf.manual_seed(10)
    if kind == "LSTMCell":
        layer, x, other = nn.LSTMCell(3, 4), _t((2, 3), 1).float(), _t((6, 3), 2).float()
    else:
        layer = getattr(nn, kind)(3, 4, num_layers=2, bidirectional=True, batch_first=True)
        x, other = _t((2, 5, 3), 1).float(), _t((6, 5, 3), 2).float()

    def first(x):
        return layer(x)[0]
    traced = tf.jit.trace(first, (x,))               # the batch size is left unknown
    np.testing.assert_allclose(_np(traced(other)), _np(first(other)), rtol=1e-6, atol=1e-7)


def test_time_first_input_with_an_unknown_length_cannot_be_unrolled():
    gru = nn.GRU(3, 4)
    with pytest.raises(ValueError, match="sequence length must be known"):
        tf.jit.trace(lambda x: gru(x)[0], (tf.zeros(5, 2, 3),))
    traced = tf.jit.trace(lambda x: gru(x)[0], (tf.zeros(5, 2, 3),), dynamic_batch=False)
    assert traced(tf.ones(5, 2, 3)).shape == (5, 2, 4)


# --- dropout between layers -----------------------------------------------------------------

def test_dropout_acts_between_layers_only_while_training():
    tf.manual_seed(7)
    layer = nn.GRU(3, 5, num_layers=2, dropout=0.5)
    x = _t((4, 2, 3), 1).float()
    layer.eval()
    a, b = layer(x)[0], layer(x)[0]
    assert np.array_equal(_np(a), _np(b))           # evaluation: no dropout
    layer.train()
    tf.manual_seed(11)
    c = layer(x)[0]
    tf.manual_seed(11)
    d = layer(x)[0]
    assert np.array_equal(_np(c), _np(d))           # seeded through tinyflow's generator
    assert not np.allclose(_np(c), _np(a))
    full = nn.GRU(3, 5, num_layers=2, dropout=1.0).train()
    out, h_n = full(x)                              # everything dropped before layer 1
    layer1 = nn.GRU(5, 5)
    layer1.load_state_dict({k.replace("l1", "l0"): v for k, v in full.state_dict().items()
                            if k.endswith("l1")})
    np.testing.assert_allclose(_np(out), _np(layer1(tf.zeros(4, 2, 5))[0]), rtol=1e-6)


def test_dropout_with_one_layer_warns():
    with pytest.warns(UserWarning, match="non-zero dropout expects num_layers greater than 1"):
        nn.LSTM(3, 4, dropout=0.2)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        nn.LSTM(3, 4, num_layers=2, dropout=0.2)


# --- a model that learns --------------------------------------------------------------------

class Averager(nn.Module):
    """Read a sequence, answer the mean of its values (all of them must be carried)."""

    def __init__(self, kind):
        super().__init__()
        self.rnn = getattr(nn, kind)(1, 16, batch_first=True)
        self.out = nn.Linear(16, 1)

    def forward(self, x):
        output, _ = self.rnn(x)
        return self.out(output[:, -1])


@pytest.mark.parametrize("kind", ["RNN", "LSTM", "GRU"])
def test_a_small_sequence_model_learns(kind):
    tf.manual_seed(0)
    rng = np.random.default_rng(0)
    model = Averager(kind)
    opt = optim.Adam(model.parameters(), lr=0.02)
    losses = []
    for _ in range(100):
        x = rng.uniform(-1, 1, (32, 6, 1)).astype(np.float32)
        loss = nn.MSELoss()(model(tf.tensor(x)), tf.tensor(x.mean(1)))
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    # the mean of 6 draws from U(-1, 1) has variance 1/18: guessing 0 scores 0.056
    assert np.mean(losses[:10]) > 0.03 and np.mean(losses[-10:]) < 0.003, losses[::10]


# --- parameters, state dicts, reprs ---------------------------------------------------------

def test_parameter_names_shapes_and_order_are_pytorchs():
    lstm = nn.LSTM(3, 4, num_layers=2, bidirectional=True)
    assert [(n, tuple(p.shape)) for n, p in lstm.named_parameters()][:8] == [
        ("weight_ih_l0", (16, 3)), ("weight_hh_l0", (16, 4)), ("bias_ih_l0", (16,)),
        ("bias_hh_l0", (16,)), ("weight_ih_l0_reverse", (16, 3)),
        ("weight_hh_l0_reverse", (16, 4)), ("bias_ih_l0_reverse", (16,)),
        ("bias_hh_l0_reverse", (16,))]
    assert lstm.weight_ih_l1.shape == (16, 8)       # layer 1 reads both directions
    assert [tuple(p.shape) for p in nn.GRU(3, 5, bias=False).parameters()] == [(15, 3), (15, 5)]
    assert lstm.all_weights[3][0] is lstm.weight_ih_l1_reverse
    assert lstm.flatten_parameters() is None


def test_default_init_is_uniform_within_one_over_sqrt_hidden_and_seeded():
    tf.manual_seed(3)
    a = nn.LSTM(10, 25, num_layers=2)
    tf.manual_seed(3)
    b = nn.LSTM(10, 25, num_layers=2)
    for (name, p), q in zip(a.named_parameters(), b.parameters()):
        assert np.array_equal(_np(p), _np(q)), name
        assert np.abs(_np(p)).max() <= 0.2 and np.abs(_np(p)).max() > 0.19, name
        assert p.dtype == tf.float32


def test_state_dict_round_trips_through_a_file(tmp_path):
    tf.manual_seed(8)
    model = nn.LSTM(3, 4, num_layers=2, bidirectional=True)
    tf.save(model.state_dict(), tmp_path / "lstm.pt")
    other = nn.LSTM(3, 4, num_layers=2, bidirectional=True)
    assert repr(other.load_state_dict(tf.load(tmp_path / "lstm.pt"))) == \
        "<All keys matched successfully>"
    x = _t((5, 2, 3), 1).float()
    np.testing.assert_array_equal(_np(model(x)[0]), _np(other(x)[0]))
    tf.save(model, tmp_path / "whole.pt")          # the architecture as data, then the weights
    again = tf.load(tmp_path / "whole.pt")
    assert repr(again) == repr(model)
    np.testing.assert_array_equal(_np(again(x)[1][1]), _np(model(x)[1][1]))


def test_reprs():
    assert repr(nn.LSTM(3, 4)) == "LSTM(3, 4)"
    assert repr(nn.RNN(3, 4, 2, "relu", False, True, 0.5, True)) == \
        "RNN(3, 4, num_layers=2, bias=False, batch_first=True, dropout=0.5, bidirectional=True)"
    assert repr(nn.GRU(3, 4, dropout=0)) == "GRU(3, 4)"
    assert repr(nn.RNNCell(3, 4, bias=False, nonlinearity="relu")) == \
        "RNNCell(3, 4, bias=False, nonlinearity=relu)"
    assert repr(nn.LSTMCell(3, 4)) == "LSTMCell(3, 4)"


def test_float64_parameters_on_request():
    gru = nn.GRU(3, 4, dtype=tf.float64)
    assert gru.weight_ih_l0.dtype == tf.float64
    assert gru(tf.zeros(2, 3, dtype=tf.float64))[0].dtype == tf.float64


# --- errors ---------------------------------------------------------------------------------

def test_unsupported_features_say_so():
    with pytest.raises(NotImplementedError, match="proj_size=2"):
        nn.LSTM(3, 4, proj_size=2)
    # (PackedSequence inputs are supported: test_torch_rnn_packed.py)


@pytest.mark.parametrize("call,error,words", [
    (lambda: nn.LSTM(3, 4)(tf.zeros(3)), ValueError, "LSTM: Expected input to be 2D or 3D"),
    (lambda: nn.GRU(3, 4)(tf.zeros(5, 2, 6)), RuntimeError, "Expected 3, got 6"),
    (lambda: nn.RNN(3, 4)(tf.zeros(5, 2, 3), tf.zeros(1, 3, 4)), RuntimeError,
     r"Expected hidden size \(1, 2, 4\), got \[1, 3, 4\]"),
    (lambda: nn.LSTM(3, 4)(tf.zeros(5, 2, 3), tf.zeros(1, 2, 4)), RuntimeError,
     "two hidden states"),
    (lambda: nn.GRU(3, 4)(tf.zeros(5, 2, 3), (tf.zeros(1, 2, 4),)), TypeError,
     "only LSTM takes a tuple"),
    (lambda: nn.LSTM(3, 4)(tf.zeros(5, 2, 3, dtype=tf.float64)), ValueError,
     r"input.to\(tinyflow.float32\)"),
    (lambda: nn.RNN(3, 4)(tf.zeros(0, 2, 3)), RuntimeError, "sequence length"),
    (lambda: nn.LSTMCell(3, 4)(tf.zeros(2, 3), (tf.zeros(2, 4), tf.zeros(2, 5))), RuntimeError,
     "LSTMCell: hidden1 has inconsistent hidden_size: got 5, expected 4"),
    (lambda: nn.GRUCell(3, 4)(tf.zeros(2, 3), tf.zeros(4)), RuntimeError, "hidden0 has 1"),
    (lambda: nn.RNNCell(3, 4)(tf.zeros(2, 3, dtype=tf.float64)), RuntimeError,
     "RNNCell: the input has dtype tinyflow.float64"),
    (lambda: nn.RNN(3, 4, nonlinearity="gelu"), ValueError, "Unknown nonlinearity 'gelu'"),
    (lambda: nn.LSTM(3, 4, num_layers=0), ValueError, "num_layers must be greater than zero"),
    (lambda: nn.LSTM(3.0, 4), TypeError, "input_size should be of type int, got: float"),
    (lambda: nn.GRU(3, 4, dropout=2), ValueError, "dropout should be a number in range"),
    (lambda: nn.RNNCell(3, -2), RuntimeError, "hidden_size must be >= 0"),
])
def test_bad_input_is_pytorchs_error_naming_the_module(call, error, words):
    with pytest.raises(error, match=words):
        call()


# --- pad_sequence ---------------------------------------------------------------------------

def test_pad_sequence_pads_stacks_and_passes_gradients_back():
    from tinyflow.nn.utils.rnn import pad_sequence
    a, b = _t((3, 2), 1, True), _t((1, 2), 2, True)
    out = pad_sequence([a, b])
    want = np.zeros((3, 2, 2))
    want[:, 0], want[:1, 1] = _np(a), _np(b)
    np.testing.assert_array_equal(_np(out), want)
    left = pad_sequence([a, b], batch_first=True, padding_value=-1.0, padding_side="left")
    np.testing.assert_array_equal(_np(left[1]), [[-1, -1], [-1, -1], _np(b)[0]])
    assert tf.gradcheck(lambda a, b: pad_sequence([a, b], True, 0.5, "left"), [a, b])


def test_padded_sequences_run_through_an_lstm():
    from tinyflow.nn.utils.rnn import pad_sequence
    tf.manual_seed(9)
    lstm = nn.LSTM(2, 3, batch_first=True).double()
    a, b = _t((4, 2), 1), _t((2, 2), 2)
    out, _ = lstm(pad_sequence([a, b], batch_first=True))
    alone, _ = lstm(b)                                # b's steps do not see the padding after
    np.testing.assert_allclose(_np(out[1, :2]), _np(alone), rtol=1e-13)


@pytest.mark.parametrize("call,error", [
    (lambda p: p([]), RuntimeError),
    (lambda p: p([tf.ones(2, 3), tf.ones(2, 4)]), RuntimeError),
    (lambda p: p([tf.ones(2)], padding_side="middle"), RuntimeError),
    (lambda p: p([[1.0, 2.0]]), TypeError),
    (lambda p: p([tf.tensor(1.0)]), RuntimeError),
])
def test_pad_sequence_refuses_what_pytorch_refuses(call, error):
    from tinyflow.nn.utils.rnn import pad_sequence
    with pytest.raises(error, match="pad_sequence"):
        call(pad_sequence)
