"""Keras layers and initializers that tutorials use: LayerNormalization (values and
gradients against tf_keras 2.21, gradients also checked numerically, training,
saving), Lambda (Sequential and functional, fit, summary, config, and the refusal
to load stored code), and the Orthogonal and Identity initializers.

The expected numbers were printed by tf_keras 2.21 (/work/oracles/tf-venv); each
script is quoted beside its numbers. tinyflow's tests never import TensorFlow."""
import numpy as np
import pytest

import tinyflow as tf
from tinyflow import keras

from _keras import summary_text

L = keras.layers


@pytest.fixture(autouse=True)
def _fresh_names(fresh_names):
    """Every test here starts with fresh layer names (fresh_names: conftest.py)."""


_summary = summary_text


# --- LayerNormalization: forward and gradients against tf_keras ------------------------------
#
# import numpy as np, tensorflow as tf, tf_keras as keras
# keras.backend.set_floatx("float64")
# def run(x, w, **kw):
#     ln = keras.layers.LayerNormalization(**kw)
#     ln.build(x.shape)
#     rng = np.random.default_rng(1)
#     ln.set_weights([rng.normal(size=v.shape) for v in ln.weights])
#     xt = tf.constant(x)
#     with tf.GradientTape() as tape:
#         tape.watch(xt)
#         loss = tf.reduce_sum(ln(xt) * w)
#     grads = tape.gradient(loss, [xt] + ln.trainable_weights)
#     print("y", ln(x).numpy().round(12).tolist())
#     for g in grads:
#         print("grad", g.numpy().round(12).tolist())
# rng = np.random.default_rng(0)
# x = rng.normal(size=(2, 4)) * 2 + 1
# w = rng.normal(size=(2, 4))
# run(x, w)
# x3 = rng.normal(size=(2, 2, 3))
# w3 = rng.normal(size=(2, 2, 3))
# run(x3, w3, axis=(1, 2), epsilon=0.1)
# run(x3, w3, axis=1, center=False)

TF_LAYER_NORM = {
    "default": dict(
        y=[[0.833134967283, -0.475601198649, -0.003666257145, 0.949592611198],
           [0.38154586969, 0.260259226553, -0.164373566696, -0.219946035422]],
        grads=[[[0.335598581847, -0.710873981572, -0.325027484788, 0.700302884513],
                [-0.12214497933, 0.006189991004, -0.496274917659, 0.612229905984]],
               [3.671171262585, 1.469549366902, -2.41070176458, -0.461817402948],
               [-3.028766010446, -1.484213134979, -1.86918540979, -0.690941375356]]),
    "axes_1_2": dict(
        y=[[[-0.917165890116, -0.080262339021, 0.4100969059],
            [-0.950157785736, -0.480204681859, 1.160199249217]],
           [[-0.77311315388, 1.15764572857, 0.844907590053],
            [-0.163154796676, -0.686844278101, 0.085680607788]]],
        grads=[[[[-0.061924080599, 0.335471440519, -0.464287521221],
                 [0.20520239313, -0.11993589042, 0.105473658592]],
                [[-0.493332375555, 0.227881119665, -0.23374983689],
                 [-0.047296298778, 0.339845974119, 0.206651417439]]],
               [[0.356900787937, 0.072113104882, -1.089524422692],
                [-0.245208939572, -0.529919003736, -0.799146723809]],
               [[-0.243066703161, 0.57556783251, -1.663446792957],
                [-0.338789208564, 0.624750460147, 2.034276729907]]]),
    "axis_1_no_center": dict(
        y=[[[-0.345310010954, -0.327504513628, -0.344828573033],
            [0.820966284474, 0.778634140837, 0.819821677342]],
           [[-0.344391275008, 0.345009198094, 0.345376904059],
            [0.818782011757, -0.820251109101, -0.821125321229]]],
        grads=[[[[1.3663332e-05, 0.10641464764, -0.003621184141],
                 [-1.3663332e-05, -0.10641464764, 0.003621184141]],
                [[0.001634458963, -0.00158029833, -0.000954136639],
                 [-0.001634458963, 0.00158029833, 0.000954136639]]],
               [0.74352484885, -2.22461418697]]),
}


def _layer_norm_case(case):
    rng = np.random.default_rng(0)
    x, w = rng.normal(size=(2, 4)) * 2 + 1, rng.normal(size=(2, 4))
    x3, w3 = rng.normal(size=(2, 2, 3)), rng.normal(size=(2, 2, 3))
    return {"default": (x, w, {}),
            "axes_1_2": (x3, w3, dict(axis=(1, 2), epsilon=0.1)),
            "axis_1_no_center": (x3, w3, dict(axis=1, center=False))}[case]


@pytest.mark.parametrize("case", sorted(TF_LAYER_NORM))
def test_layer_normalization_values_and_gradients_equal_tf_keras(float64, case):
    x, w, kwargs = _layer_norm_case(case)
    ln = L.LayerNormalization(**kwargs)
    ln.build(x.shape)
    rng = np.random.default_rng(1)
    ln.set_weights([rng.normal(size=tuple(v.shape)) for v in ln.weights])
    xt = tf.tensor(x)
    with tf.GradientTape() as tape:
        tape.watch(xt)
        loss = tf.reduce_sum(ln(xt) * w)
    grads = tape.gradient(loss, [xt] + ln.trainable_weights)
    want = TF_LAYER_NORM[case]
    np.testing.assert_allclose(ln(x).numpy(), want["y"], rtol=0, atol=1e-11)
    assert len(grads) == len(want["grads"])
    for got, expected in zip(grads, want["grads"]):
        np.testing.assert_allclose(got.numpy(), expected, rtol=0, atol=1e-11)


def test_layer_normalization_float32_agrees_with_tf_keras_fused_kernel():
    # rng = np.random.default_rng(0)
    # x = (rng.normal(size=(2, 4)) * 2 + 1).astype("float32")
    # ln = keras.layers.LayerNormalization(); ln.build(x.shape)
    # ln.set_weights([np.array([0.5, 1.0, 1.5, 2.0], "float32"),
    #                 np.array([0.1, -0.2, 0.3, 0.0], "float32")])
    # print(ln(x).numpy().tolist(), ln(x).dtype)
    want = [[-0.0044910237193107605, -1.3221462965011597, 2.720825433731079,
             -0.5655103325843811],
            [-0.657861590385437, -0.42652300000190735, 1.9913036823272705,
             1.2294204235076904]]
    x = (np.random.default_rng(0).normal(size=(2, 4)) * 2 + 1).astype("float32")
    ln = L.LayerNormalization()
    ln.build(x.shape)
    ln.set_weights([np.array([0.5, 1.0, 1.5, 2.0]), np.array([0.1, -0.2, 0.3, 0.0])])
    y = ln(x).numpy()
    assert y.dtype == np.float32
    np.testing.assert_allclose(y, want, rtol=1e-5, atol=1e-6)


# --- LayerNormalization: gradients checked numerically (float64, central differences) ---------

def _leaf(a):
    return tf.tensor(a, requires_grad=True)


def _recorded(f):
    """f run inside a GradientTape: as in TF2, a Keras layer records only there."""
    def run(*args):
        with tf.GradientTape():
            return f(*args)
    return run


@pytest.mark.parametrize("shape,kwargs", [((3, 5), {}), ((2, 3, 4), dict(axis=(1, 2))),
                                          ((2, 3, 4), dict(axis=1, epsilon=0.5))])
def test_layer_normalization_gradients_numerically(float64, shape, kwargs):
    rng = np.random.default_rng(2)
    ln = L.LayerNormalization(**kwargs)
    ln.build(shape)

    def f(x, gamma, beta):
        ln.gamma, ln.beta = gamma, beta
        return ln(x)
    params = tuple(ln.gamma.shape)
    inputs = [_leaf(rng.normal(size=shape) * 3), _leaf(rng.normal(size=params)),
              _leaf(rng.normal(size=params))]
    assert tf.gradcheck(_recorded(f), inputs)


# Second derivatives are TensorFlow's: tf.nn.moments stops the gradient through the mean
# inside the variance, which changes no first derivative but drops a term of the second.
#
# import numpy as np, tensorflow as tf, tf_keras as keras
# keras.backend.set_floatx("float64")
# rng = np.random.default_rng(2)
# x = tf.constant(rng.normal(size=(2, 4)) * 3)
# v, u = rng.normal(size=(2, 4)), rng.normal(size=(2, 4))
# ln = keras.layers.LayerNormalization()
# ln.build(x.shape)
# ln.set_weights([rng.normal(size=(4,)), rng.normal(size=(4,))])
# with tf.GradientTape(persistent=True) as outer:
#     outer.watch(x)
#     with tf.GradientTape() as inner:
#         inner.watch(x)
#         loss = tf.reduce_sum(ln(x) * v)
#     s = tf.reduce_sum(inner.gradient(loss, x) * u)
# for g in outer.gradient(s, [x, ln.gamma]):
#     print(g.numpy().round(12).tolist())

def test_layer_normalization_second_derivatives_equal_tensorflows(float64):
    rng = np.random.default_rng(2)
    x0 = rng.normal(size=(2, 4)) * 3
    x = tf.constant(x0)
    v, u = rng.normal(size=(2, 4)), rng.normal(size=(2, 4))
    ln = L.LayerNormalization()
    ln.build(tuple(x.shape))
    ln.set_weights([rng.normal(size=(4,)), rng.normal(size=(4,))])
    with tf.GradientTape(persistent=True) as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            loss = tf.reduce_sum(ln(x) * v)
        s = tf.reduce_sum(inner.gradient(loss, x) * u)
    dx, dgamma = outer.gradient(s, [x, ln.gamma])
    np.testing.assert_allclose(dx.numpy(), [[0.020114016762, 0.032452533209, -0.093853734732,
                                             0.030210602972],
                                            [0.004825978504, 0.020068009066, 0.051446986646,
                                             0.028654412736]], rtol=0, atol=1e-11)
    np.testing.assert_allclose(dgamma.numpy(), [-0.005668519698, 0.205594026882, 0.069301562651,
                                                -0.010775678602], rtol=0, atol=1e-11)
    # ... which central differences of the first derivative do not reproduce (the dropped
    # term), while the gradient of gamma alone -- linear in gamma -- checks out
    xs = [_leaf(x0), _leaf(rng.normal(size=4)), _leaf(rng.normal(size=4))]

    def f(x, gamma, beta):
        ln.gamma, ln.beta = gamma, beta
        return ln(x)
    assert not tf.gradgradcheck(_recorded(f), xs, raise_exception=False)
    xs[0] = tf.tensor(x0)
    assert tf.gradgradcheck(_recorded(f), xs)


def test_layer_normalization_is_built_from_registry_ops():
    ln = L.LayerNormalization()
    graph = tf.function(lambda x: ln(x)).get_concrete_function(tf.zeros(2, 3)).graph
    types = {op.type for op in graph.get_operations()}
    assert {"Mean", "StopGradient", "Sqrt", "Mul", "Add"} <= types     # tf.nn.moments + ...
    assert all(op.name.startswith("layer_normalization/") for op in graph.get_operations()
               if op.type != "Placeholder")


# --- LayerNormalization: weights, config, errors -----------------------------------------------

def test_layer_normalization_weights_config_and_defaults():
    ln = L.LayerNormalization()
    assert ln.get_config()["axis"] == -1                  # tf_keras: -1 before build
    ln(np.ones((2, 3, 4), "float32"))
    # tf_keras 2.21: ['layer_normalization/gamma:0', 'layer_normalization/beta:0']
    assert [w.path for w in ln.weights] == ["layer_normalization/gamma",
                                            "layer_normalization/beta"]
    assert [tuple(w.shape) for w in ln.weights] == [(4,), (4,)]
    np.testing.assert_array_equal(ln.gamma.numpy(), np.ones(4))
    np.testing.assert_array_equal(ln.beta.numpy(), np.zeros(4))
    # tf_keras 2.21: LayerNormalization().get_config() after a (2, 3, 4) call
    config = ln.get_config()
    assert config == {"name": "layer_normalization", "trainable": True, "dtype": "float32",
                      "axis": [2], "epsilon": 0.001, "center": True, "scale": True,
                      "beta_initializer": {"class_name": "Zeros", "config": {}},
                      "gamma_initializer": {"class_name": "Ones", "config": {}},
                      "beta_regularizer": None, "gamma_regularizer": None,
                      "beta_constraint": None, "gamma_constraint": None}
    both = L.LayerNormalization(axis=(1, 2))
    both(np.ones((2, 3, 4)))
    assert both.get_config()["axis"] == [1, 2] and tuple(both.gamma.shape) == (3, 4)
    bare = L.LayerNormalization(center=False, scale=False)
    bare(np.ones((2, 3)))
    assert bare.weights == []
    clone = L.LayerNormalization.from_config(config)
    clone(np.ones((5, 3, 4), "float32"))
    assert clone.axis == [2] and clone.epsilon == 1e-3 and tuple(clone.gamma.shape) == (4,)


def test_layer_normalization_regularizers_add_to_the_losses(float64):
    ln = L.LayerNormalization(gamma_regularizer="l2", beta_regularizer=keras.regularizers.L1(0.5),
                              gamma_initializer=keras.initializers.Constant(2.0),
                              beta_initializer="ones")
    ln.build((None, 3))
    np.testing.assert_allclose(sum(float(p) for p in ln.losses), 0.01 * 12 + 0.5 * 3)


def test_layer_normalization_errors_are_tf_keras_errors():
    # tf_keras 2.21's messages, printed by calling the layer as below
    with pytest.raises(TypeError, match="Expected an int or a list/tuple of ints for the "
                                        "argument 'axis', but received: 'a'"):
        L.LayerNormalization(axis="a")
    with pytest.raises(TypeError, match="but received: 1.5"):
        L.LayerNormalization(axis=1.5)
    with pytest.raises(ValueError, match=r"Invalid value for `axis` argument. Expected 0 <= axis "
                                         r"< inputs.rank \(with inputs.rank=2\). Received: "
                                         r"axis=\(3,\)"):
        L.LayerNormalization(axis=3)(np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"inputs.rank=2\). Received: axis=\(-1,\)"):
        L.LayerNormalization(axis=-3)(np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"Duplicate axis: \(1, 1\)"):
        L.LayerNormalization(axis=[1, 1])(np.ones((2, 3)))
    # a size that does not fit gamma: tf_keras fails inside its Mul op (InvalidArgumentError:
    # "Incompatible shapes"); tinyflow says so at the layer's call, a ValueError as well
    ln = L.LayerNormalization(name="ln")
    ln(np.ones((2, 3, 4)))
    with pytest.raises(ValueError, match=r'Input 0 of layer "ln" is incompatible with the layer: '
                                         r'expected axis 2 of input shape to have value 4, but '
                                         r'received input with shape \(2, 3, 5\)'):
        ln(np.ones((2, 3, 5)))


# --- LayerNormalization in a model: training, summary, saving ---------------------------------
#
# import numpy as np, tf_keras as keras
# keras.backend.set_floatx("float64")
# rng = np.random.default_rng(0)
# x, y = rng.normal(size=(8, 3)), rng.normal(size=(8, 1))
# model = keras.Sequential([keras.layers.Dense(4, activation="tanh", input_shape=(3,)),
#                           keras.layers.LayerNormalization(), keras.layers.Dense(1)])
# model.set_weights([np.linspace(-1, 1, w.size).reshape(w.shape) + 0.5
#                    for w in model.get_weights()])
# model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
# h = model.fit(x, y, epochs=3, batch_size=4, shuffle=False, verbose=0)
# print("loss", np.round(h.history["loss"], 12).tolist())
# print("gamma", model.layers[1].gamma.numpy().round(12).tolist())
# print("beta", model.layers[1].beta.numpy().round(12).tolist())
# model.summary()

LN_SUMMARY = """\
Model: "sequential"
_________________________________________________________________
 Layer (type)                Output Shape              Param #
=================================================================
 dense (Dense)               (None, 4)                 16

 layer_normalization (Layer  (None, 4)                 8
 Normalization)

 dense_1 (Dense)             (None, 1)                 5

=================================================================
Total params: 29 (232.00 Byte)
Trainable params: 29 (232.00 Byte)
Non-trainable params: 0 (0.00 Byte)
_________________________________________________________________"""


def _layer_norm_model():
    return keras.Sequential([L.Dense(4, activation="tanh", input_shape=(3,)),
                             L.LayerNormalization(), L.Dense(1)])


def test_training_a_model_with_layer_normalization_equals_tf_keras(float64):
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(8, 3)), rng.normal(size=(8, 1))
    model = _layer_norm_model()
    model.set_weights([np.linspace(-1, 1, w.size).reshape(w.shape) + 0.5
                       for w in model.get_weights()])
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    history = model.fit(x, y, epochs=3, batch_size=4, shuffle=False, verbose=0)
    np.testing.assert_allclose(history.history["loss"],
                               [18.664256235594, 2.698166477234, 0.513358803603], rtol=1e-10)
    np.testing.assert_allclose(model.layers[1].gamma.numpy(),
                               [-0.628613964316, 0.251029451219, 0.154938574519, 0.078509832872],
                               rtol=0, atol=1e-10)
    np.testing.assert_allclose(model.layers[1].beta.numpy(),
                               [-0.40446648275, -0.023406835355, -0.234664730114,
                                -0.576840581174], rtol=0, atol=1e-10)
    assert _summary(model) == LN_SUMMARY


def test_a_model_with_layer_normalization_saves_and_loads(tmp_path):
    tf.manual_seed(0)
    x = np.random.default_rng(3).normal(size=(6, 3)).astype("float32")
    model = _layer_norm_model()
    model.layers[1].set_weights([np.array([1.0, 2.0, 0.5, -1.0]), np.array([0.0, 0.1, 0.2, 0.3])])
    model.compile(optimizer="adam", loss="mse")
    model.fit(x, x[:, :1], epochs=1, verbose=0)
    model.save(tmp_path / "ln.keras")
    loaded = keras.models.load_model(tmp_path / "ln.keras")
    assert type(loaded.layers[1]) is L.LayerNormalization and loaded.layers[1].axis == [1]
    for a, b in zip(loaded.get_weights(), model.get_weights()):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))


# --- Lambda ---------------------------------------------------------------------------------
#
# import numpy as np, tf_keras as keras
# keras.backend.set_floatx("float64")
# model = keras.Sequential([keras.layers.Lambda(lambda t: t * 2.0 - 1.0, input_shape=(3,)),
#                           keras.layers.Dense(1)])
# model.summary()
# model.set_weights([np.array([[0.5], [-0.25], [1.0]]), np.array([0.1])])
# model.compile(optimizer=keras.optimizers.SGD(0.05), loss="mse")
# rng = np.random.default_rng(0)
# x, y = rng.normal(size=(8, 3)), rng.normal(size=(8, 1))
# print("loss", np.round(model.fit(x, y, epochs=3, batch_size=4, shuffle=False,
#                                  verbose=0).history["loss"], 12).tolist())
# print(list(model.layers[0].get_config()))

LAMBDA_SUMMARY = """\
Model: "sequential"
_________________________________________________________________
 Layer (type)                Output Shape              Param #
=================================================================
 lambda (Lambda)             (None, 3)                 0

 dense (Dense)               (None, 1)                 4

=================================================================
Total params: 4 (32.00 Byte)
Trainable params: 4 (32.00 Byte)
Non-trainable params: 0 (0.00 Byte)
_________________________________________________________________"""


def _lambda_model():
    return keras.Sequential([L.Lambda(lambda t: t * 2.0 - 1.0, input_shape=(3,)), L.Dense(1)])


def test_lambda_in_a_sequential_model_fits_as_in_tf_keras(float64):
    model = _lambda_model()
    assert _summary(model) == LAMBDA_SUMMARY
    model.set_weights([np.array([[0.5], [-0.25], [1.0]]), np.array([0.1])])
    model.compile(optimizer=keras.optimizers.SGD(0.05), loss="mse")
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(8, 3)), rng.normal(size=(8, 1))
    history = model.fit(x, y, epochs=3, batch_size=4, shuffle=False, verbose=0)
    np.testing.assert_allclose(history.history["loss"],
                               [3.709597542446, 1.913705663662, 0.653180724512], rtol=1e-10)
    assert list(model.layers[0].get_config()) == [
        "name", "trainable", "dtype", "batch_input_shape", "function", "function_type", "module",
        "output_shape", "output_shape_type", "output_shape_module", "arguments"]
    assert model.layers[0].weights == []


# a, b = keras.Input((3,), name="a"), keras.Input((3,), name="b")
# s = keras.layers.Lambda(lambda t: t[0] + t[1], name="add_them")([a, b])
# keras.Model([a, b], s).summary()
FUNCTIONAL_SUMMARY = """\
Model: "model"
__________________________________________________________________________________________________
 Layer (type)                Output Shape                 Param #   Connected to
==================================================================================================
 a (InputLayer)              [(None, 3)]                  0         []

 b (InputLayer)              [(None, 3)]                  0         []

 add_them (Lambda)           (None, 3)                    0         ['a[0][0]',
                                                                     'b[0][0]']

==================================================================================================
Total params: 0 (0.00 Byte)
Trainable params: 0 (0.00 Byte)
Non-trainable params: 0 (0.00 Byte)
__________________________________________________________________________________________________"""


def test_lambda_in_the_functional_api_takes_a_list_of_inputs():
    a, b = keras.Input((3,), name="a"), keras.Input((3,), name="b")
    total = L.Lambda(lambda t: t[0] + t[1], name="add_them")([a, b])
    model = keras.Model([a, b], total)
    assert _summary(model) == FUNCTIONAL_SUMMARY
    xa, xb = np.arange(6.0).reshape(2, 3), np.ones((2, 3))
    np.testing.assert_allclose(model.predict([xa, xb], verbose=0), xa + xb)
    # the Lambda trains inside a model: the gradient flows through it to the Dense
    x = keras.Input((4,))
    out = L.Dense(1)(L.Lambda(lambda t: tf.concat([t, -t], axis=1))(L.Dense(2)(x)))
    model = keras.Model(x, out)
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    data = np.random.default_rng(0).normal(size=(16, 4)).astype("float32")
    before = [w.copy() for w in model.get_weights()]
    model.fit(data, data[:, :1], epochs=2, verbose=0)
    assert all(not np.array_equal(p, q) for p, q in zip(before, model.get_weights()))


def test_lambda_arguments_training_flag_and_output_shape():
    # tf_keras 2.21: Lambda(lambda t, k: t * k, arguments={"k": 3.0}) -> [[3., 3.]];
    # Lambda(lambda t, training=None: t * (2.0 if training else 1.0)): [[2., 2.]] with
    # training=True, [[1., 1.]] without; compute_output_shape: (None, 7) (5, 7) (None, 2)
    # (None, 9) for the layers below; a declared output_shape does not change the
    # functional output's shape: (None, 3)
    ones = np.ones((1, 2), "float32")
    np.testing.assert_array_equal(L.Lambda(lambda t, k: t * k, arguments={"k": 3.0})(ones),
                                  [[3.0, 3.0]])
    flag = L.Lambda(lambda t, training=None: t * (2.0 if training else 1.0))
    np.testing.assert_array_equal(flag(ones, training=True), [[2.0, 2.0]])
    np.testing.assert_array_equal(flag(ones), [[1.0, 1.0]])
    declared = L.Lambda(lambda t: t * 2, output_shape=(7,))
    assert declared.compute_output_shape((None, 3)) == (None, 7)
    assert declared.compute_output_shape((5, 3)) == (5, 7)
    assert L.Lambda(lambda t: t[:, :2]).compute_output_shape((None, 3)) == (None, 2)
    assert L.Lambda(lambda t: t, output_shape=lambda s: (s[0], 9)).compute_output_shape(
        (None, 3)) == (None, 9)
    assert tuple(declared(keras.Input((3,))).shape) == (None, 3)


def test_lambda_names_count_as_in_keras():
    assert [L.Lambda(abs).name, L.Lambda(abs).name] == ["lambda", "lambda_1"]


def double(x):
    return x * 2


def test_lambda_get_config_names_the_function_as_tf_keras_does():
    # tf_keras 2.21: a lambda and a def are both "lambda" (it stores their bytecode); a
    # builtin is "function", by name; a shape is "raw"
    config = L.Lambda(lambda x: x * 2, output_shape=(3,), arguments={"k": 2.0}).get_config()
    assert (config["function_type"], config["module"]) == ("lambda", __name__)
    assert (config["output_shape"], config["output_shape_type"],
            config["output_shape_module"]) == ((3,), "raw", None)
    assert config["arguments"] == {"k": 2.0}
    assert L.Lambda(double).get_config()["function_type"] == "lambda"
    config = L.Lambda(abs).get_config()
    assert (config["function"], config["function_type"], config["module"]) == \
        ("abs", "function", "builtins")
    assert L.Lambda(lambda x: x, output_shape=lambda s: s).get_config()["output_shape_type"] == \
        "lambda"
    with pytest.raises(TypeError, match=r"unsupported callable: Lambda's `function` must be a "
                                        r"callable .* Received: function=5 \(of type int\)"):
        L.Lambda(5)


class _Scaler:
    def scale(self, x, k):
        return x * k


def test_lambda_array_arguments_survive_a_json_config():
    # tf_keras's from_config reads {"type": "ndarray", "value": [...]} back as an array; its
    # get_config leaves the array itself, which JSON cannot hold (tinyflow writes the dict)
    method = _Scaler().scale                      # a callable, not a Python function: by name
    layer = L.Lambda(method, arguments={"k": np.array([1.0, 2.0])})
    config = layer.get_config()
    assert (config["function"], config["function_type"]) == ("scale", "function")
    assert config["arguments"] == {"k": {"type": "ndarray", "value": [1.0, 2.0]}}
    with keras.utils.custom_object_scope({"scale": method}):
        back = L.Lambda.from_config(config)
    np.testing.assert_array_equal(back(np.ones((1, 2), "float32")), [[1.0, 2.0]])
    assert isinstance(back.arguments["k"], np.ndarray)


LAMBDA_REFUSED = ("Requested the deserialization of a Lambda layer with a Python `lambda` "
                  "inside it")


@pytest.fixture
def no_code_loading(monkeypatch):
    import marshal
    import pickle

    def refuse(*args, **kwargs):
        raise AssertionError("stored code or pickle was loaded")
    monkeypatch.setattr(marshal, "loads", refuse)
    for name in ("load", "loads"):
        monkeypatch.setattr(pickle, name, refuse)


def test_loading_a_model_with_a_lambda_is_refused_and_load_weights_is_the_way(
        tmp_path, no_code_loading):
    # tf_keras 2.21 saves it; load_model (safe mode) and Sequential.from_config and
    # model_from_json raise ValueError("Requested the deserialization of a Lambda layer with
    # a Python `lambda` inside it. ..."), custom_objects or not; safe_mode=False loads it by
    # unmarshalling the bytecode -- which tinyflow never does -- and load_weights("m.keras")
    # fills a model rebuilt in code.
    model = _lambda_model()
    path = tmp_path / "lambda.keras"
    model.save(path)
    for kwargs in [{}, {"custom_objects": {"<lambda>": lambda t: t}}, {"safe_mode": False}]:
        with pytest.raises(ValueError, match=LAMBDA_REFUSED) as info:
            keras.models.load_model(path, **kwargs)
        message = str(info.value)
        assert "layer 'lambda'" in message and "load_weights" in message
    with pytest.raises(ValueError, match=LAMBDA_REFUSED):
        keras.Sequential.from_config(model.get_config())
    with pytest.raises(ValueError, match=LAMBDA_REFUSED):
        keras.models.model_from_json(model.to_json())
    twin = _lambda_model()
    twin.load_weights(path)
    x = np.random.default_rng(0).normal(size=(4, 3)).astype("float32")
    np.testing.assert_array_equal(twin.predict(x, verbose=0), model.predict(x, verbose=0))


def test_a_lambda_of_a_named_callable_loads_through_custom_objects(tmp_path):
    # tf_keras 2.21: Lambda(abs) saved; load_model -> TypeError('unsupported callable');
    # with custom_objects={"abs": abs} it loads
    model = keras.Sequential([L.Dense(3, input_shape=(4,)), L.Lambda(abs, name="magnitude")])
    model.save(tmp_path / "abs.keras")
    with pytest.raises(TypeError, match=r"unsupported callable: the Lambda layer 'magnitude' was "
                                        r"saved with the function 'abs'"):
        keras.models.load_model(tmp_path / "abs.keras")
    loaded = keras.models.load_model(tmp_path / "abs.keras", custom_objects={"abs": abs})
    assert loaded.layers[-1].function is abs
    x = np.random.default_rng(0).normal(size=(2, 4)).astype("float32")
    got = loaded.predict(x, verbose=0)
    assert (got >= 0).all()
    np.testing.assert_array_equal(got, model.predict(x, verbose=0))


# --- Orthogonal and Identity initializers -----------------------------------------------------
#
# import numpy as np, tf_keras as keras
# for shape in [(3, 5), (5, 3), (2, 3, 4), (3, 3, 2, 8)]:
#     q = keras.initializers.Orthogonal(gain=2.0, seed=1)(shape).numpy()
#     m = q.reshape(-1, shape[-1])
#     print(shape, q.dtype, np.allclose(m.T @ m, 4 * np.eye(shape[-1]), atol=1e-5),
#           np.allclose(m @ m.T, 4 * np.eye(m.shape[0]), atol=1e-5))
# -> (3, 5) float32 False True / (5, 3) float32 True False / (2, 3, 4) float32 True False /
#    (3, 3, 2, 8) float32 True False

@pytest.mark.parametrize("shape,columns,rows", [((3, 5), False, True), ((5, 3), True, False),
                                                ((2, 3, 4), True, False),
                                                ((3, 3, 2, 8), True, False),
                                                ((4, 4), True, True)])
def test_orthogonal_has_orthonormal_columns_or_rows_times_gain(shape, columns, rows):
    q = keras.initializers.Orthogonal(gain=2.0, seed=1)(shape)
    assert q.shape == shape and q.dtype == np.float32
    m = q.reshape(-1, shape[-1]).astype(np.float64)
    assert np.allclose(m.T @ m, 4 * np.eye(shape[-1]), atol=1e-5) == columns
    assert np.allclose(m @ m.T, 4 * np.eye(m.shape[0]), atol=1e-5) == rows


def test_orthogonal_seeds_dtypes_and_names():
    init = keras.initializers.Orthogonal(seed=3)
    a = init((6, 6), "float64")
    assert a.dtype == np.float64
    np.testing.assert_allclose(a.T @ a, np.eye(6), atol=1e-12)
    np.testing.assert_array_equal(a, init((6, 6), "float64"))       # a seed repeats itself
    assert not np.allclose(a, keras.initializers.Orthogonal(seed=4)((6, 6), "float64"))
    tf.manual_seed(7)
    b = keras.initializers.Orthogonal()((5, 5))
    tf.manual_seed(7)
    np.testing.assert_array_equal(b, keras.initializers.Orthogonal()((5, 5)))
    get = keras.initializers.get
    assert type(get("orthogonal")) is keras.initializers.Orthogonal
    assert type(get("Orthogonal")) is keras.initializers.Orthogonal
    assert type(get("identity")) is keras.initializers.Identity
    # tf_keras 2.21: serialize(Orthogonal(gain=2.0, seed=5))["config"] == {'gain': 2.0, 'seed': 5}
    config = keras.initializers.serialize(keras.initializers.Orthogonal(gain=2.0, seed=5))
    assert config == {"class_name": "Orthogonal", "config": {"gain": 2.0, "seed": 5}}
    back = keras.initializers.deserialize(config)
    assert (back.gain, back.seed) == (2.0, 5)
    assert keras.initializers.deserialize({"class_name": "Identity",
                                           "config": {"gain": 2.0}}).gain == 2.0
    dense = L.Dense(4, kernel_initializer="orthogonal")
    dense.build((None, 4))
    k = dense.kernel.numpy().astype(np.float64)
    np.testing.assert_allclose(k.T @ k, np.eye(4), atol=1e-5)


def test_identity_is_gain_times_eye():
    # tf_keras 2.21: Identity(gain=3.0)((2, 3)) -> [[3, 0, 0], [0, 3, 0]] (float32);
    # Dense(3, kernel_initializer="identity") built on 3 inputs: np.eye(3)
    got = keras.initializers.Identity(gain=3.0)((2, 3))
    assert got.dtype == np.float32
    np.testing.assert_array_equal(got, [[3, 0, 0], [0, 3, 0]])
    assert keras.initializers.Identity()((2, 2), "float64").dtype == np.float64
    dense = L.Dense(3, kernel_initializer="identity")
    dense.build((None, 3))
    np.testing.assert_array_equal(dense.kernel.numpy(), np.eye(3))


def test_initializer_shape_and_dtype_errors_are_tf_keras_errors():
    # tf_keras 2.21's messages, word for word
    with pytest.raises(ValueError, match=r"^Identity matrix initializer can only be used for 2D "
                                         r"matrices. Received: shape=\(3,\) of rank 1.$"):
        keras.initializers.Identity()((3,))
    with pytest.raises(ValueError, match=r"Received: shape=\(2, 3, 4\) of rank 3.$"):
        keras.initializers.Identity()((2, 3, 4))
    with pytest.raises(ValueError, match=r"Received: shape=\(3, 3, 1, 2\) of rank 4.$"):
        L.Conv2D(2, 3, kernel_initializer="identity")(np.ones((1, 5, 5, 1)))
    with pytest.raises(ValueError, match=r"^The tensor to initialize must be at least "
                                         r"two-dimensional. Received: shape=\(3,\) of rank 1.$"):
        keras.initializers.Orthogonal()((3,))
    with pytest.raises(ValueError, match=r"Received: shape=\(\) of rank 0.$"):
        keras.initializers.Orthogonal()(())
    for init in (keras.initializers.Identity(), keras.initializers.Orthogonal()):
        with pytest.raises(ValueError, match=r"^Expected floating point type, got "
                                             r"<dtype: 'int32'>.$"):
            init((2, 2), "int32")


def test_clone_model_keeps_a_lambdas_function_in_process():
    """tf_keras 2.21: clone_model of a model with a Lambda works (the in-process config
    keeps the function); only loading from a file refuses stored code."""
    double = lambda x: x * 2.0                               # noqa: E731
    seq = keras.Sequential([keras.layers.Lambda(double, input_shape=(2,)), keras.layers.Dense(1)])
    clone = keras.models.clone_model(seq)
    assert clone.layers[0].function is double and clone.layers[0] is not seq.layers[0]
    x = keras.Input((2,))
    fun = keras.Model(x, keras.layers.Dense(1)(keras.layers.Lambda(double, name="twice")(x)))
    twin = keras.models.clone_model(fun)
    np.testing.assert_allclose(twin.get_layer("twice")(np.ones((1, 2), "float32")).numpy(),
                               [[2.0, 2.0]])
