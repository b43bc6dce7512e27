"""Keras layers: built on first call from the input's shape, their weights, their
numbers (against numpy written out here, and against tf_keras where TensorFlow's
conventions decide: SAME padding, BatchNormalization's statistics), their errors
(tf_keras's messages), and numerical gradient checks of the computations the
layers add on top of tinyflow's ops (asymmetric SAME padding, pooling rescale,
batch statistics)."""
import numpy as np
import pytest

import tinyflow as tf
from tinyflow import keras

L = keras.layers


@pytest.fixture(autouse=True)
def fresh_names():
    keras.backend.clear_session()
    yield
    keras.backend.set_floatx("float32")


@pytest.fixture
def float64():
    keras.backend.set_floatx("float64")


def test_layers_build_on_first_call_and_are_named_as_in_keras():
    dense = L.Dense(3)
    assert not dense.built and dense.weights == []
    y = dense(np.ones((2, 5), "float32"))
    assert dense.built and tuple(y.shape) == (2, 3)
    assert [w.name for w in dense.weights] == ["dense/kernel:0", "dense/bias:0"]
    assert [tuple(w.shape) for w in dense.weights] == [(5, 3), (3,)]
    assert [L.Dense(1).name, L.Dense(1).name, L.Conv2D(1, 1).name,
            L.BatchNormalization().name, L.MaxPooling2D().name] == \
        ["dense_1", "dense_2", "conv2d", "batch_normalization", "max_pooling2d"]
    assert repr(dense.kernel).startswith("<tf.Variable 'dense/kernel:0' shape=(5, 3) "
                                         "dtype=float32, numpy=")


def test_dense_computes_activation_of_x_at_kernel_plus_bias(float64):
    x = np.random.default_rng(0).normal(size=(4, 3))
    layer = L.Dense(2, activation="tanh")
    layer.build((None, 3))
    w, b = np.arange(6.0).reshape(3, 2) / 10, np.array([0.5, -0.5])
    layer.set_weights([w, b])
    np.testing.assert_allclose(layer(x).numpy(), np.tanh(x @ w + b), rtol=1e-14)
    # a rank-3 input: the kernel applies to the last axis
    x3 = np.ones((2, 5, 3))
    assert tuple(layer(x3).shape) == (2, 5, 2)


def test_default_initializers_are_glorot_uniform_and_zeros():
    tf.manual_seed(0)
    layer = L.Dense(300)
    layer.build((None, 200))
    kernel, bias = layer.get_weights()
    limit = np.sqrt(6 / (200 + 300))
    assert np.abs(kernel).max() <= limit and np.abs(kernel).max() > 0.99 * limit
    assert abs(kernel.var() - limit ** 2 / 3) < 0.05 * limit ** 2 / 3       # U(-l, l): l^2/3
    assert not bias.any() and kernel.dtype == np.float32
    conv = L.Conv2D(8, 3)
    conv.build((None, 5, 5, 4))
    assert np.abs(conv.kernel.numpy()).max() <= np.sqrt(6 / (9 * 4 + 9 * 8))
    he = keras.initializers.get("he_normal")((400, 300), "float64")
    assert abs(he.std() - np.sqrt(2 / 400)) < 0.03 * np.sqrt(2 / 400)
    seeded = keras.initializers.GlorotUniform(seed=3)
    np.testing.assert_array_equal(seeded((2, 2)), seeded((2, 2)))


def test_weights_trainable_flags_and_freezing():
    bn = L.BatchNormalization()
    bn(np.zeros((2, 3), "float32"))
    assert [w.name.split("/")[1] for w in bn.trainable_weights] == ["gamma:0", "beta:0"]
    assert [w.name.split("/")[1] for w in bn.non_trainable_weights] == \
        ["moving_mean:0", "moving_variance:0"]
    bn.trainable = False
    assert bn.trainable_weights == [] and len(bn.non_trainable_weights) == 4


def test_get_and_set_weights_with_keras_errors():
    layer = L.Dense(2)
    layer.build((None, 3))
    values = [np.ones((3, 2)), np.zeros(2)]
    layer.set_weights(values)
    assert all(np.array_equal(a, b) for a, b in zip(layer.get_weights(), values))
    got = layer.get_weights()
    got[0][0, 0] = 99.0                                   # copies: the layer is untouched
    assert layer.kernel.numpy()[0, 0] == 1.0
    with pytest.raises(ValueError, match=r'You called `set_weights\(weights\)` on layer "dense" '
                                         r'with a weight list of length 1, but the layer was '
                                         r'expecting 2 weights'):
        layer.set_weights(values[:1])
    with pytest.raises(ValueError, match=r"Layer dense weight shape \(3, 2\) is not compatible "
                                         r"with provided weight shape \(2, 2\)"):
        layer.set_weights([np.ones((2, 2)), np.zeros(2)])
    with pytest.raises(ValueError, match="You tried to call `count_params` on layer dense_1, "
                                         "but the layer isn't built"):
        L.Dense(2).count_params()
    with pytest.raises(TypeError, match="Keyword argument not understood"):
        L.Dense(2, not_an_argument=1)


def test_input_that_does_not_fit_the_layer_names_layer_and_shapes():
    # tf_keras's messages, word for word
    dense = L.Dense(3)
    dense(np.zeros((2, 4)))
    with pytest.raises(ValueError, match=r'Input 0 of layer "dense" is incompatible with the '
                                         r'layer: expected axis -1 of input shape to have value '
                                         r'4, but received input with shape \(2, 5\)'):
        dense(np.zeros((2, 5)))
    conv = L.Conv2D(3, 3)
    with pytest.raises(ValueError, match=r'Input 0 of layer "conv2d" is incompatible with the '
                                         r'layer: expected min_ndim=4, found ndim=3. Full shape '
                                         r'received: \(1, 8, 8\)'):
        conv(np.zeros((1, 8, 8)))


# --- convolution and pooling against numpy, with TensorFlow's SAME padding ------------------

def _same_pads(n, k, s):
    out = -(-n // s)
    total = max((out - 1) * s + k - n, 0)
    return total // 2, total - total // 2


def _conv_numpy(x, w, b, strides, padding):
    """Keras's conv2d, the slow obvious way: x (N, H, W, C), w (kh, kw, C, O)."""
    kh, kw = w.shape[:2]
    if padding == "same":
        (t, bo), (le, r) = _same_pads(x.shape[1], kh, strides[0]), \
            _same_pads(x.shape[2], kw, strides[1])
        x = np.pad(x, ((0, 0), (t, bo), (le, r), (0, 0)))
    oh = (x.shape[1] - kh) // strides[0] + 1
    ow = (x.shape[2] - kw) // strides[1] + 1
    out = np.zeros((x.shape[0], oh, ow, w.shape[3]))
    for i in range(oh):
        for j in range(ow):
            patch = x[:, i * strides[0]:i * strides[0] + kh, j * strides[1]:j * strides[1] + kw]
            out[:, i, j] = np.tensordot(patch, w, axes=([1, 2, 3], [0, 1, 2]))
    return out + b


@pytest.mark.parametrize("kernel,strides,padding", [
    ((3, 3), (1, 1), "valid"), ((3, 3), (1, 1), "same"), ((3, 3), (2, 2), "same"),
    ((2, 2), (1, 1), "same"), ((2, 3), (2, 1), "same"), ((4, 2), (3, 2), "valid")])
def test_conv2d_equals_numpy(float64, kernel, strides, padding):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(2, 7, 6, 3))
    layer = L.Conv2D(4, kernel, strides=strides, padding=padding)
    layer.build(x.shape)
    w, b = rng.normal(size=kernel + (3, 4)), rng.normal(size=4)
    layer.set_weights([w, b])
    np.testing.assert_allclose(layer(x).numpy(), _conv_numpy(x, w, b, strides, padding),
                               rtol=1e-12, atol=1e-12)


def _pool_numpy(x, k, s, padding, reduce):
    if padding == "same":
        (t, bo), (le, r) = _same_pads(x.shape[1], k[0], s[0]), _same_pads(x.shape[2], k[1], s[1])
        x = np.pad(x, ((0, 0), (t, bo), (le, r), (0, 0)), constant_values=np.nan)
    oh, ow = (x.shape[1] - k[0]) // s[0] + 1, (x.shape[2] - k[1]) // s[1] + 1
    out = np.zeros((x.shape[0], oh, ow, x.shape[3]))
    for i in range(oh):
        for j in range(ow):
            out[:, i, j] = reduce(x[:, i * s[0]:i * s[0] + k[0], j * s[1]:j * s[1] + k[1]],
                                  axis=(1, 2))
    return out                     # nan padding: nanmax/nanmean ignore it, as TF does


@pytest.mark.parametrize("k,s,padding", [((2, 2), (2, 2), "valid"), ((3, 3), (2, 2), "same"),
                                         ((2, 2), (1, 1), "same"), ((3, 2), (2, 3), "same")])
@pytest.mark.parametrize("cls,reduce", [(L.MaxPooling2D, np.nanmax),
                                        (L.AveragePooling2D, np.nanmean)])
def test_pooling_equals_numpy(float64, cls, reduce, k, s, padding):
    x = np.random.default_rng(1).normal(size=(2, 7, 6, 3))
    got = cls(pool_size=k, strides=s, padding=padding)(x).numpy()
    np.testing.assert_allclose(got, _pool_numpy(x, k, s, padding, reduce), rtol=1e-12)


def test_global_pooling_flatten_reshape_activation(float64):
    x = np.random.default_rng(2).normal(size=(2, 3, 4, 5))
    np.testing.assert_allclose(L.GlobalAveragePooling2D()(x).numpy(), x.mean((1, 2)))
    np.testing.assert_allclose(L.GlobalMaxPooling2D()(x).numpy(), x.max((1, 2)))
    np.testing.assert_allclose(L.Flatten()(x).numpy(), x.reshape(2, -1))
    np.testing.assert_allclose(L.Reshape((5, -1))(x).numpy(), x.reshape(2, 5, 12))
    np.testing.assert_allclose(L.Activation("relu")(x).numpy(), np.maximum(x, 0))
    with pytest.raises(ValueError, match="total size of new array must be unchanged"):
        L.Reshape((7, 7))(x)


# --- BatchNormalization -------------------------------------------------------------------

def test_batch_normalization_training_and_inference(float64):
    x = np.random.default_rng(0).normal(size=(6, 3)) * 2 + 1
    bn = L.BatchNormalization()
    y = bn(x, training=True).numpy()
    mean, var = x.mean(0), x.var(0)
    np.testing.assert_allclose(y, (x - mean) / np.sqrt(var + 1e-3), rtol=1e-12)
    decay = np.float64(np.float32(1 - 0.99))             # TensorFlow's float32 (1 - momentum)
    np.testing.assert_allclose(bn.moving_mean.numpy(), 0 - (0 - mean) * decay, rtol=1e-14)
    np.testing.assert_allclose(bn.moving_variance.numpy(), 1 - (1 - var) * decay, rtol=1e-14)
    inference = bn(x).numpy()                            # training=None: the moving statistics
    np.testing.assert_allclose(inference, (x - bn.moving_mean.numpy())
                               / np.sqrt(bn.moving_variance.numpy() + 1e-3), rtol=1e-12)
    bn.trainable = False                                 # frozen: inference even when training
    np.testing.assert_allclose(bn(x, training=True).numpy(), inference)


def test_batch_normalization_fused_float32_uses_the_unbiased_variance():
    # tf_keras 2.21: x = np.random.default_rng(0).normal(size=(4, 3, 3, 2)).astype("float32");
    # bn = keras.layers.BatchNormalization(); bn(x, training=True); bn.moving_variance
    x = np.random.default_rng(0).normal(size=(4, 3, 3, 2)).astype("float32")
    bn = L.BatchNormalization()
    bn(x, training=True)
    np.testing.assert_allclose(bn.moving_variance.numpy(), [0.9995242, 0.9983789], rtol=1e-6)


# --- dropout, embedding, merging ------------------------------------------------------------

def test_dropout_scales_the_kept_units_and_is_off_in_inference():
    x = np.ones((200, 50), "float32")
    layer = L.Dropout(0.3)
    assert np.array_equal(layer(x).numpy(), x)                        # training=None
    y = layer(x, training=True).numpy()
    assert set(np.unique(y)) == {0.0, np.float32(1 / 0.7)}
    assert abs((y == 0).mean() - 0.3) < 0.02


def test_dropout_in_a_traced_function_draws_new_masks_each_run():
    layer = L.Dropout(0.5)
    f = tf.function(lambda x: layer(x, training=True))
    x = tf.ones(4, 100)
    with tf.no_grad():
        a, b = f(x).numpy(), f(x).numpy()
    assert f.tracing_count == 1 and not np.array_equal(a, b)


def test_embedding_looks_up_rows_and_adds_gradients_of_repeats(float64):
    emb = L.Embedding(5, 2)
    ids = np.array([[1, 3, 1]])
    out = emb(ids).numpy()
    np.testing.assert_array_equal(out[0], emb.embeddings.numpy()[[1, 3, 1]])
    with tf.GradientTape() as tape:
        total = emb(ids).sum()
    grad = tape.gradient(total, emb.embeddings).numpy()
    np.testing.assert_array_equal(grad[:, 0], [0, 2, 0, 1, 0])
    np.testing.assert_array_equal(emb(ids.astype("float32")).numpy(), emb(ids).numpy())


def test_merging_layers(float64):
    a, b = np.ones((2, 3)), np.arange(6.0).reshape(2, 3)
    assert tuple(L.Concatenate()([a, b]).shape) == (2, 6)
    np.testing.assert_allclose(L.Add()([a, b]).numpy(), a + b)
    np.testing.assert_allclose(L.Average()([a, b]).numpy(), (a + b) / 2)


def test_regularizers_add_their_penalty_to_the_layer_losses(float64):
    layer = L.Dense(2, kernel_regularizer="l2", bias_regularizer=keras.regularizers.L1(0.5))
    layer.build((None, 3))
    w, b = np.arange(6.0).reshape(3, 2), np.array([1.0, -2.0])
    layer.set_weights([w, b])
    total = sum(float(p) for p in layer.losses)
    np.testing.assert_allclose(total, 0.01 * (w ** 2).sum() + 0.5 * np.abs(b).sum())


# --- numerical gradient checks of what the layers add on top of tinyflow's ops -------------

def _leaf(a):
    return tf.tensor(a, requires_grad=True)


def _recorded(f):
    """f run inside a GradientTape: as in TF2, a Keras layer records only there."""
    def run(*args):
        with tf.GradientTape():
            return f(*args)
    return run


@pytest.mark.parametrize("strides,kernel", [((2, 2), (3, 3)), ((1, 1), (2, 2)),
                                            ((2, 1), (2, 3))])
def test_conv2d_same_padding_gradients(float64, strides, kernel):
    rng = np.random.default_rng(3)
    layer = L.Conv2D(2, kernel, strides=strides, padding="same")
    layer.build((None, 5, 4, 2))

    def f(x, k):
        layer.kernel = k
        return layer(x)
    tf.gradcheck(_recorded(f), [_leaf(rng.normal(size=(2, 5, 4, 2))),
                                _leaf(rng.normal(size=kernel + (2, 2)))])


@pytest.mark.parametrize("cls", [L.MaxPooling2D, L.AveragePooling2D])
def test_same_pooling_gradients(float64, cls):
    x = _leaf(np.random.default_rng(4).normal(size=(2, 5, 5, 2)))
    tf.gradcheck(_recorded(lambda t: cls(3, strides=2, padding="same")(t)), [x])


def test_batch_normalization_training_gradients(float64):
    rng = np.random.default_rng(5)
    bn = L.BatchNormalization()
    bn.build((None, 4, 3))

    def f(x, gamma, beta):
        bn.gamma, bn.beta = gamma, beta
        return bn(x, training=True)
    tf.gradcheck(_recorded(f), [_leaf(rng.normal(size=(3, 4, 3))), _leaf(rng.normal(size=3)),
                                _leaf(rng.normal(size=3))])


# --- Conv2D's dilation_rate and groups; TF's layout kept end to end ------------------------

@pytest.mark.parametrize("kwargs", [dict(filters=6, kernel_size=3, dilation_rate=2, padding="same",
                                         groups=2),
                                    dict(filters=4, kernel_size=(3, 2), strides=2, padding="same",
                                         groups=4),
                                    dict(filters=4, kernel_size=3, dilation_rate=(1, 2))])
def test_conv2d_dilation_and_groups_equal_the_channels_first_op(kwargs):
    # (matched against tf_keras 2.21 when written: max difference 4e-6 in float32)
    x = np.random.default_rng(0).standard_normal((2, 9, 9, 4))
    layer = keras.layers.Conv2D(**kwargs, dtype="float64")
    layer(x)
    groups = kwargs.get("groups", 1)
    assert tuple(layer.kernel.shape) == layer.kernel_size + (4 // groups, kwargs["filters"])
    from tinyflow.ops import conv as C
    from tinyflow.keras.layers.conv import pad_for
    xc, pads = pad_for(tf.tensor(x.transpose(0, 3, 1, 2)), layer.kernel_size, layer.strides,
                       layer.padding, dilation=layer.dilation_rate)
    ref = C.conv2d(xc.numpy(), layer.kernel.numpy().transpose(3, 2, 0, 1), layer.strides, pads,
                   layer.dilation_rate, groups).transpose(0, 2, 3, 1)
    np.testing.assert_allclose(np.asarray(layer(x)), ref + layer.bias.numpy(), rtol=1e-12,
                               atol=1e-12)


def test_conv2d_group_and_dilation_mistakes_get_keras_messages():
    with pytest.raises(ValueError, match="filters must be evenly divisible by the number of groups"):
        keras.layers.Conv2D(5, 3, groups=2)
    with pytest.raises(ValueError, match="`strides > 1` not supported in conjunction with "
                                         "`dilation_rate > 1`"):
        keras.layers.Conv2D(4, 3, strides=2, dilation_rate=2)
    with pytest.raises(ValueError, match="input channels must be evenly divisible"):
        keras.layers.Conv2D(4, 3, groups=2)(np.zeros((1, 5, 5, 3), "float32"))


def test_a_traced_keras_cnn_holds_one_conv2d_op_per_layer_and_no_transpose():
    model = keras.Sequential([keras.layers.Conv2D(4, 3, padding="same", input_shape=(6, 6, 1)),
                              keras.layers.MaxPooling2D(), keras.layers.AveragePooling2D(
                                  padding="same")])
    graph = tf.function(lambda x: model(x)).get_concrete_function(
        tf.zeros(2, 6, 6, 1)).graph
    types = [op.type for op in graph.get_operations()]
    assert types.count("Conv2D") == 1 and "MaxPool" in types and "Transpose" not in types
