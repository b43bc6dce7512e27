"""The transformer pieces without PyTorch: LayerNorm, GroupNorm, RMSNorm and
attention against numpy formulas written out here; gradients against central
differences (float64, through tinyflow.gradcheck); dropout on in training and off
in eval; masks; reprs and parameter names as PyTorch 2.13 prints them; saving;
and a tiny transformer encoder that learns a toy task.
(test_parity_transformer.py compares with PyTorch itself where it is installed.)
"""
import warnings

import numpy as np
import pytest

import tinyflow as tf
import tinyflow.nn as nn
import tinyflow.nn.functional as F


def _p(shape, seed=0, low=-1.0, high=1.0, grad=True):
    return tf.tensor(np.random.default_rng(seed).uniform(low, high, shape), dtype=tf.float64,
                     requires_grad=grad)


def _np(t):
    return t.detach().numpy()


# --- numpy references ---------------------------------------------------------------------

def _layer_norm(x, axes, w=None, b=None, eps=1e-5):
    mu = x.mean(axes, keepdims=True)
    var = ((x - mu) ** 2).mean(axes, keepdims=True)
    y = (x - mu) / np.sqrt(var + eps)
    return y * (1 if w is None else w) + (0 if b is None else b)


def _softmax(s):
    e = np.exp(s - s.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


def _attention(q, k, v, allowed=None, add=None, scale=None):
    """softmax(q k^T * scale + add, blocked where not allowed) v, rows with nothing
    allowed giving zeros."""
    scale = 1 / np.sqrt(q.shape[-1]) if scale is None else scale
    s = q @ np.swapaxes(k, -1, -2) * scale
    if add is not None:
        s = s + add
    if allowed is not None:
        s = np.where(allowed, s, -np.inf)
    dead = np.isneginf(s).all(-1, keepdims=True)
    w = np.where(dead, 0.0, _softmax(np.where(dead, 0.0, s)))
    return w @ v, w


def test_layer_norm_matches_the_formula():
    x = np.random.default_rng(0).normal(3.0, 2.0, (4, 3, 5))
    w, b = np.linspace(0.5, 1.5, 15).reshape(3, 5), np.linspace(-1, 1, 15).reshape(3, 5)
    ours = F.layer_norm(tf.tensor(x), (3, 5), tf.tensor(w), tf.tensor(b), eps=1e-3)
    np.testing.assert_allclose(_np(ours), _layer_norm(x, (1, 2), w, b, 1e-3), rtol=1e-12)
    ln = nn.LayerNorm(5).double()
    np.testing.assert_allclose(_np(ln(tf.tensor(x))), _layer_norm(x, (2,)), rtol=1e-12)
    y = _np(nn.LayerNorm(5)(tf.tensor(x, dtype=tf.float32)))
    assert y.dtype == np.float32
    np.testing.assert_allclose(y.mean(-1), 0, atol=1e-5)
    np.testing.assert_allclose(y.std(-1), 1, atol=1e-3)


def test_group_norm_and_rms_norm_match_the_formulas():
    x = np.random.default_rng(1).normal(1.0, 3.0, (2, 6, 4))
    grouped = _layer_norm(x.reshape(2, 3, 2, 4), (2, 3)).reshape(2, 6, 4)
    w, b = np.arange(1.0, 7.0), np.arange(6.0) / 10
    ours = F.group_norm(tf.tensor(x), 3, tf.tensor(w), tf.tensor(b))
    np.testing.assert_allclose(_np(ours), grouped * w[:, None] + b[:, None], rtol=1e-12)
    rms = x / np.sqrt((x ** 2).mean(-1, keepdims=True) + 1e-6)
    np.testing.assert_allclose(_np(F.rms_norm(tf.tensor(x), (4,), eps=1e-6)), rms, rtol=1e-12)
    eps64 = np.finfo(np.float64).eps
    tiny = np.array([[1e-9, -2e-9]])
    want = tiny / np.sqrt((tiny ** 2).mean() + eps64)
    np.testing.assert_allclose(_np(nn.RMSNorm(2).double()(tf.tensor(tiny))), want, rtol=1e-12)


# --- attention against the formula ----------------------------------------------------------

def test_scaled_dot_product_attention_matches_the_formula_with_every_mask():
    rng = np.random.default_rng(2)
    q, k = rng.normal(size=(2, 3, 4, 5)), rng.normal(size=(2, 3, 6, 5))
    v = rng.normal(size=(2, 3, 6, 7))
    T = tf.tensor
    plain = F.scaled_dot_product_attention(T(q), T(k), T(v))
    np.testing.assert_allclose(_np(plain), _attention(q, k, v)[0], rtol=1e-12)
    allowed = rng.random((4, 6)) > 0.4
    allowed[2] = False                                     # query 2 may attend to nothing
    boolean = F.scaled_dot_product_attention(T(q), T(k), T(v), attn_mask=T(allowed))
    np.testing.assert_allclose(_np(boolean), _attention(q, k, v, allowed)[0], rtol=1e-12)
    np.testing.assert_array_equal(_np(boolean)[:, :, 2], 0.0)
    add = rng.normal(size=(3, 4, 6))
    floating = F.scaled_dot_product_attention(T(q), T(k), T(v), attn_mask=T(add), scale=0.2)
    np.testing.assert_allclose(_np(floating), _attention(q, k, v, add=add, scale=0.2)[0],
                               rtol=1e-12)
    causal = F.scaled_dot_product_attention(T(q), T(k), T(v), is_causal=True)
    tril = np.tril(np.ones((4, 6), bool))                  # top-left aligned, as PyTorch
    np.testing.assert_allclose(_np(causal), _attention(q, k, v, tril)[0], rtol=1e-12)


def test_multi_head_attention_matches_a_per_head_loop():
    rng = np.random.default_rng(3)
    mha = nn.MultiheadAttention(6, 3, kdim=4, vdim=5).double()
    q, k, v = rng.normal(size=(2, 2, 6)), rng.normal(size=(5, 2, 4)), rng.normal(size=(5, 2, 5))
    pad = np.array([[False] * 5, [False, False, False, True, True]])
    out, weights = mha(tf.tensor(q), tf.tensor(k), tf.tensor(v), key_padding_mask=tf.tensor(pad),
                       average_attn_weights=False)
    P = {n: _np(p) for n, p in mha.named_parameters()}
    bq, bk, bv = np.split(P["in_proj_bias"], 3)
    Q, K = q @ P["q_proj_weight"].T + bq, k @ P["k_proj_weight"].T + bk
    V = v @ P["v_proj_weight"].T + bv
    heads, maps = [], []
    for h in range(3):
        cols = slice(2 * h, 2 * h + 2)
        o, w = _attention(Q[..., cols].transpose(1, 0, 2), K[..., cols].transpose(1, 0, 2),
                          V[..., cols].transpose(1, 0, 2), ~pad[:, None, :])
        heads.append(o.transpose(1, 0, 2))
        maps.append(w)
    want = np.concatenate(heads, -1) @ P["out_proj.weight"].T + P["out_proj.bias"]
    np.testing.assert_allclose(_np(out), want, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(_np(weights), np.stack(maps, 1), rtol=1e-12, atol=1e-14)
    averaged = mha(tf.tensor(q), tf.tensor(k), tf.tensor(v), key_padding_mask=tf.tensor(pad))[1]
    np.testing.assert_allclose(_np(averaged), np.stack(maps, 1).mean(1), rtol=1e-12)


def test_bool_and_float_masks_mean_the_same_and_sdpa_reads_bool_the_other_way():
    rng = np.random.default_rng(4)
    x = tf.tensor(rng.normal(size=(4, 2, 6)))
    mha = nn.MultiheadAttention(6, 2).double()
    blocked = np.triu(np.ones((4, 4), bool), 1)
    a = mha(x, x, x, attn_mask=tf.tensor(blocked))[0]
    causal = nn.Transformer.generate_square_subsequent_mask(4, dtype=tf.float64)
    b = mha(x, x, x, attn_mask=causal)[0]
    c = mha(x, x, x, attn_mask=tf.tensor(blocked), is_causal=True, need_weights=False)[0]
    np.testing.assert_allclose(_np(a), _np(b), rtol=1e-12)
    np.testing.assert_allclose(_np(a), _np(c), rtol=1e-12)
    q = tf.tensor(rng.normal(size=(4, 3)))
    sdpa_bool = F.scaled_dot_product_attention(q, q, q, attn_mask=tf.tensor(~blocked))
    sdpa_causal = F.scaled_dot_product_attention(q, q, q, is_causal=True)
    np.testing.assert_allclose(_np(sdpa_bool), _np(sdpa_causal), rtol=1e-12)


def test_generate_square_subsequent_mask():
    m = nn.Transformer.generate_square_subsequent_mask(3)
    assert m.dtype == tf.float32
    np.testing.assert_array_equal(_np(m), [[0, -np.inf, -np.inf], [0, 0, -np.inf], [0, 0, 0]])


# --- gradients against central differences ---------------------------------------------------

def _mask(shape, seed, p=0.3):
    m = np.random.default_rng(seed).random(shape) > p
    m[..., 0] = True
    return tf.tensor(m)


GRADS = [
    ("layer_norm", lambda x, w, b: F.layer_norm(x, (3, 4), w, b),
     lambda: [_p((2, 3, 4)), _p((3, 4), 1, 0.5, 1.5), _p((3, 4), 2)]),
    ("group_norm", lambda x, w, b: F.group_norm(x, 2, w, b),
     lambda: [_p((2, 4, 3)), _p((4,), 1, 0.5, 1.5), _p((4,), 2)]),
    ("rms_norm", lambda x, w: F.rms_norm(x, (4,), w), lambda: [_p((3, 4)), _p((4,), 1, 0.5, 1.5)]),
    ("sdpa", lambda q, k, v: F.scaled_dot_product_attention(q, k, v),
     lambda: [_p((2, 3, 4)), _p((2, 5, 4), 1), _p((2, 5, 2), 2)]),
    ("sdpa bool mask", lambda q, k, v: F.scaled_dot_product_attention(
        q, k, v, attn_mask=_mask((3, 5), 3)),
     lambda: [_p((2, 3, 4)), _p((2, 5, 4), 1), _p((2, 5, 2), 2)]),
    ("sdpa float mask", lambda q, k, v, m: F.scaled_dot_product_attention(q, k, v, attn_mask=m),
     lambda: [_p((2, 3, 4)), _p((2, 5, 4), 1), _p((2, 5, 2), 2), _p((3, 5), 3)]),
    ("sdpa causal", lambda q, k, v: F.scaled_dot_product_attention(q, k, v, is_causal=True),
     lambda: [_p((2, 4, 3)), _p((2, 4, 3), 1), _p((2, 4, 3), 2)]),
    ("mha", lambda q, k, w, b, ow: F.multi_head_attention_forward(
        q, k, k, 4, 2, w, b, None, None, False, 0.0, ow, None,
        key_padding_mask=tf.tensor([[False, False, True], [False] * 3]))[0],
     lambda: [_p((2, 2, 4)), _p((3, 2, 4), 1), _p((12, 4), 2), _p((12,), 3), _p((4, 4), 4)]),
]


@pytest.mark.parametrize("name, fn, make", GRADS, ids=[g[0] for g in GRADS])
def test_gradients_match_central_differences(name, fn, make):
    assert tf.gradcheck(fn, make())


@pytest.mark.parametrize("name, fn, make", GRADS[:4], ids=[g[0] for g in GRADS[:4]])
def test_second_derivatives_match(name, fn, make):
    assert tf.gradgradcheck(fn, make())


@pytest.mark.parametrize("kwargs", [dict(), dict(norm_first=True, activation="gelu"),
                                    dict(batch_first=True, bias=False)],
                         ids=["post-norm", "pre-norm gelu", "batch_first no bias"])
def test_encoder_layer_gradients_match_central_differences(kwargs):
    """The input's gradient by gradcheck; every parameter's, entry by entry (the first
    few entries of each), by central differences of the summed output."""
    tf.manual_seed(0)
    layer = nn.TransformerEncoderLayer(4, 2, 6, **kwargs).double().eval()
    pad = tf.tensor([[False, False, True], [False] * 3])

    def run(x):
        return layer(x, src_key_padding_mask=pad)
    x = _p((2, 3, 4) if kwargs.get("batch_first") else (3, 2, 4))
    assert tf.gradcheck(run, [x])
    layer.zero_grad()
    run(x).sum().backward()
    eps = 1e-6
    for name, p in layer.named_parameters():
        for idx in list(np.ndindex(*p.shape))[:4]:
            old = float(p.data[idx])
            p.data[idx] = old + eps
            up = run(x).sum().item()
            p.data[idx] = old - eps
            down = run(x).sum().item()
            p.data[idx] = old
            assert p.grad[idx].item() == pytest.approx((up - down) / (2 * eps), rel=1e-5,
                                                        abs=1e-7), f"{name}{idx}"


def test_fully_blocked_rows_give_zero_gradients_not_nan():
    q = _p((1, 3, 4))
    allowed = tf.tensor([[True, True, False], [False, False, False], [True, False, False]])
    F.scaled_dot_product_attention(q, q, q, attn_mask=allowed).sum().backward()
    assert np.isfinite(_np(q.grad)).all()


# --- dropout: on in training, off in eval ------------------------------------------------------

def test_attention_dropout_acts_in_training_only():
    tf.manual_seed(0)
    mha = nn.MultiheadAttention(8, 2, dropout=0.5).double()
    x = tf.tensor(np.random.default_rng(5).normal(size=(6, 2, 8)))
    w1, w2 = mha(x, x, x)[1], mha(x, x, x)[1]
    assert not np.allclose(_np(w1), _np(w2))                # a new mask each call
    per_head = _np(mha(x, x, x, average_attn_weights=False)[1])
    kept = per_head[per_head > 0]
    assert (per_head == 0).mean() > 0.3 and kept.sum() / per_head[..., 0].size > 0.5
    mha.eval()
    e1, e2 = mha(x, x, x), mha(x, x, x)
    np.testing.assert_array_equal(_np(e1[0]), _np(e2[0]))
    np.testing.assert_allclose(_np(e1[1]).sum(-1), 1.0, rtol=1e-12)   # rows of a softmax
    with pytest.raises(AssertionError):
        np.testing.assert_allclose(_np(w1).sum(-1), 1.0, rtol=1e-6)


def test_sdpa_dropout_scales_the_kept_weights():
    tf.manual_seed(1)
    q = tf.zeros(1, 1, 4, dtype=tf.float64)
    v = tf.tensor(np.eye(4)[None])
    out = _np(F.scaled_dot_product_attention(q, v, v, dropout_p=0.5))
    assert set(np.round(out.ravel(), 12)) <= {0.0, 0.5}          # 0.25 / (1 - 0.5) or dropped


def test_encoder_is_random_in_training_deterministic_in_eval_and_seeded():
    def run(seed):
        tf.manual_seed(seed)
        layer = nn.TransformerEncoderLayer(8, 2, 16, dropout=0.2)
        enc = nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)
        x = tf.randn(5, 3, 8)
        return enc, x, _np(enc(x))
    enc, x, a = run(0)
    assert not np.allclose(a, _np(enc(x)))
    np.testing.assert_array_equal(a, run(0)[2])           # same seed: same model, same masks
    enc.eval()
    assert all(not m.training for m in enc.modules())
    np.testing.assert_array_equal(_np(enc(x)), _np(enc(x)))


# --- reprs, names, copies, saving ---------------------------------------------------------------

def test_repr_and_parameter_names_are_pytorchs():
    with pytest.warns(UserWarning, match="enable_nested_tensor is True, but self.use_nested_tensor "
                                         "is False because encoder_layer.self_attn.batch_first"):
        enc = nn.TransformerEncoder(nn.TransformerEncoderLayer(8, 2, 16), 2)
    assert repr(enc).splitlines()[:5] == [
        "TransformerEncoder(",
        "  (layers): ModuleList(",
        "    (0-1): 2 x TransformerEncoderLayer(",
        "      (self_attn): MultiheadAttention(",
        "        (out_proj): NonDynamicallyQuantizableLinear(in_features=8, out_features=8, "
        "bias=True)"]
    assert "(norm1): LayerNorm((8,), eps=1e-05, elementwise_affine=True, bias=True)" in repr(enc)
    names = [n for n, _ in enc.named_parameters()]
    assert names[:12] == [f"layers.0.{n}" for n in (
        "self_attn.in_proj_weight", "self_attn.in_proj_bias", "self_attn.out_proj.weight",
        "self_attn.out_proj.bias", "linear1.weight", "linear1.bias", "linear2.weight",
        "linear2.bias", "norm1.weight", "norm1.bias", "norm2.weight", "norm2.bias")]
    assert len(names) == 24 and list(enc.state_dict()) == names
    shapes = {n: tuple(p.shape) for n, p in enc.named_parameters()}
    assert shapes["layers.1.self_attn.in_proj_weight"] == (24, 8)
    assert shapes["layers.1.linear1.weight"] == (16, 8)


def test_multihead_attention_initialization():
    tf.manual_seed(0)
    mha = nn.MultiheadAttention(64, 4)
    w = _np(mha.in_proj_weight)
    bound = np.sqrt(6 / (64 + 3 * 64))                 # xavier_uniform_ on the (192, 64) matrix
    assert np.abs(w).max() <= bound and np.abs(w).max() > 0.95 * bound
    np.testing.assert_array_equal(_np(mha.in_proj_bias), 0.0)
    np.testing.assert_array_equal(_np(mha.out_proj.bias), 0.0)
    assert np.abs(_np(mha.out_proj.weight)).max() <= 1 / 8   # Linear's default U(-1/sqrt(64), ..)
    sep = nn.MultiheadAttention(8, 2, kdim=3, vdim=5, add_bias_kv=True)
    assert [n for n, _ in sep.named_parameters()] == [
        "q_proj_weight", "k_proj_weight", "v_proj_weight", "in_proj_bias", "bias_k", "bias_v",
        "out_proj.weight", "out_proj.bias"]
    assert sep.in_proj_weight is None and tuple(sep.bias_k.shape) == (1, 1, 8)


def test_decoder_layers_keep_an_activation_module():
    """(PyTorch's deep-copied TransformerDecoderLayer falls back to F.relu here; see
    test_parity_transformer.py.)"""
    with pytest.warns(UserWarning, match="enable_nested_tensor"):    # as PyTorch's does
        model = nn.Transformer(8, 2, 1, 2, 16, activation=nn.GELU(approximate="tanh"))
    for layer in list(model.encoder.layers) + list(model.decoder.layers):
        assert isinstance(layer.activation, nn.GELU) and layer.activation.approximate == "tanh"
    assert model.encoder.layers[0].activation_relu_or_gelu == 2


def test_save_and_load_rebuild_the_model(tmp_path):
    tf.manual_seed(0)
    model = nn.Transformer(8, 2, 1, 1, 16, dropout=0.0, activation="gelu",
                           batch_first=True).eval()
    enc = nn.TransformerEncoder(nn.TransformerEncoderLayer(8, 2, 16, batch_first=True), 1,
                                norm=nn.LayerNorm(8))
    for m, args in ((model, (tf.randn(2, 4, 8), tf.randn(2, 3, 8))),
                    (enc.eval(), (tf.randn(2, 3, 8),))):
        tf.save(m, tmp_path / "m.pt")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            back = tf.load(tmp_path / "m.pt")
        assert repr(back) == repr(m) and not back.training
        np.testing.assert_array_equal(_np(back(*args)), _np(m(*args)))


def test_traced_encoder_gives_the_eager_result():
    tf.manual_seed(0)
    layer = nn.TransformerEncoderLayer(8, 2, 16, batch_first=True, norm_first=True)
    enc = nn.TransformerEncoder(layer, 2, enable_nested_tensor=False).eval()
    x = tf.randn(2, 5, 8)
    pad = tf.tensor([[False] * 5, [False, False, False, True, True]])
    mask = tf.tensor(np.triu(np.ones((5, 5), bool), 1))
    traced = tf.function(lambda t, p: enc(t, mask=mask, src_key_padding_mask=p))
    with tf.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("error")                   # the graph runs: no eager fallback
        got = traced(x, pad)
        assert len(traced.get_concrete_function(x, pad).graph.get_operations()) > 100
    np.testing.assert_allclose(_np(got), _np(enc(x, mask=mask, src_key_padding_mask=pad)),
                               rtol=1e-6)


def test_graph_mode_with_an_unknown_batch_size_gives_the_eager_values_and_gradients():
    from tinyflow.compat import v1
    tf.manual_seed(0)
    layer = nn.TransformerEncoderLayer(8, 2, 16, batch_first=True, norm_first=True)
    enc = nn.TransformerEncoder(layer, 2, enable_nested_tensor=False).double().eval()
    xs = np.random.default_rng(0).normal(size=(3, 5, 8))
    pad = np.zeros((3, 5), bool)
    pad[1, 3:] = True
    with v1.Graph().as_default():
        x = v1.placeholder(tf.float64, [None, 5, 8])
        p = v1.placeholder(tf.bool, [None, 5])
        y = enc(x, src_key_padding_mask=p)
        assert tuple(y.shape.as_list()) == (None, 5, 8)
        gx, = v1.gradients(v1.reduce_sum(y * y), [x])
        with v1.Session() as sess:
            got, got_grad = sess.run([y, gx], {x: xs, p: pad})
    xt = tf.tensor(xs, requires_grad=True)
    want = enc(xt, src_key_padding_mask=tf.tensor(pad))
    (want * want).sum().backward()
    np.testing.assert_allclose(got, _np(want), rtol=1e-12)
    np.testing.assert_allclose(got_grad, _np(xt.grad), rtol=1e-12)


# --- errors that name what was wrong -------------------------------------------------------------

@pytest.mark.parametrize("call, error, words", [
    (lambda: nn.MultiheadAttention(10, 3), AssertionError,
     "embed_dim must be divisible by num_heads"),
    (lambda: nn.MultiheadAttention(0, 2), ValueError, "embed_dim and num_heads must be greater"),
    (lambda: nn.MultiheadAttention(8, 2)(tf.zeros(3, 2, 6), tf.zeros(3, 2, 6), tf.zeros(3, 2, 6)),
     AssertionError, "expecting embedding dimension of 8, but got 6"),
    (lambda: nn.MultiheadAttention(8, 2)(tf.zeros(3, 2, 8), tf.zeros(3, 2, 8), tf.zeros(3, 2, 8),
                                         attn_mask=tf.zeros(3, 4)), RuntimeError,
     "2D attn_mask is (3, 4), but should be (3, 3)"),
    (lambda: nn.TransformerEncoderLayer(8, 2)(tf.zeros(3, 2, 8), is_causal=True), RuntimeError,
     "Need attn_mask if specifying the is_causal hint"),
    (lambda: nn.TransformerEncoderLayer(8, 2, activation="tanh"), RuntimeError,
     "activation should be relu/gelu, not tanh"),
    (lambda: nn.LayerNorm(4)(tf.zeros(2, 5)), RuntimeError,
     "layer_norm(): Given normalized_shape=[4], expected input with shape [*, 4]"),
    (lambda: F.layer_norm(tf.zeros(2, 4), 4), TypeError,
     "layer_norm(): argument 'normalized_shape'"),
    (lambda: nn.GroupNorm(3, 4), ValueError,
     "num_channels (4) must be divisible by num_groups (3)"),
    (lambda: F.scaled_dot_product_attention(tf.zeros(2, 3), tf.zeros(2, 3), tf.zeros(2, 3),
                                            attn_mask=tf.zeros(2, 2), is_causal=True),
     RuntimeError, "Explicit attn_mask should not be set when is_causal=True"),
    (lambda: F.scaled_dot_product_attention(tf.zeros(2, 3), tf.zeros(2, 4), tf.zeros(2, 4)),
     RuntimeError, "must have the same last dimension"),
    (lambda: nn.MultiheadAttention(8, 2)(tf.zeros(3, 2, 8), tf.zeros(3, 2, 8), tf.zeros(3, 2, 8),
                                         key_padding_mask=tf.zeros(2, 3, dtype=tf.int64)),
     AssertionError, "MultiheadAttention: only bool and floating types of key_padding_mask"),
])
def test_errors_name_the_function_and_what_was_wrong(call, error, words):
    with pytest.raises(error) as info:
        call()
    assert words in str(info.value)


# --- a tiny transformer learns ------------------------------------------------------------------

class _FirstTokenModel(nn.Module):
    def __init__(self, vocab, length, width):
        super().__init__()
        self.embed = nn.Embedding(vocab, width)
        self.pos = nn.Parameter(tf.randn(length, width) * 0.1)
        layer = nn.TransformerEncoderLayer(width, 2, 2 * width, dropout=0.0, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, 1)
        self.head = nn.Linear(width, vocab)

    def forward(self, tokens, mask):
        return self.head(self.encoder(self.embed(tokens) + self.pos, mask=mask))


def test_a_tiny_transformer_encoder_learns_to_copy_the_first_token():
    """Every position must name the sequence's first token: only attention (through
    a causal mask, which always lets position 0 through) can bring it there."""
    tf.manual_seed(0)
    vocab, length = 6, 5
    model = _FirstTokenModel(vocab, length, 16)
    mask = nn.Transformer.generate_square_subsequent_mask(length)
    opt = tf.optim.Adam(model.parameters(), lr=0.01)
    rng = np.random.default_rng(0)
    losses = []
    for _ in range(120):
        x = rng.integers(0, vocab, (32, length))
        y = np.repeat(x[:, :1], length, 1)
        logits = model(tf.tensor(x), mask).reshape(-1, vocab)
        loss = F.cross_entropy(logits, tf.tensor(y.reshape(-1)))
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    assert losses[-1] < 0.05 < losses[0]
    x = rng.integers(0, vocab, (200, length))
    model.eval()
    predicted = _np(model(tf.tensor(x), mask)).argmax(-1)
    assert (predicted == x[:, :1]).mean() > 0.98
