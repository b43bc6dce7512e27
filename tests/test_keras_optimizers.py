"""Keras's optimizers, losses and metrics: the numbers tf_keras gives.

The reference numbers in this file were recorded by running the same calls with
real TensorFlow 2.21 + tf_keras 2.21 (Keras 2) in /work/oracles/tf-venv, with
``keras.backend.set_floatx("float64")``; the scripts are quoted beside them. The
optimizers are also checked against their update formulas written out in numpy.
"""
import numpy as np
import pytest

import tinyflow as tf
from tinyflow import keras


@pytest.fixture(autouse=True)
def float64():
    keras.backend.set_floatx("float64")
    yield
    keras.backend.set_floatx("float32")


GRADS = [np.array([0.5, -1.0, 2.0]), np.array([0.1, 0.3, -0.7]), np.array([-0.4, 0.2, 0.9])]
START = np.array([1.0, -2.0, 3.0])

# tf_keras: v = tf.Variable(START); for g in GRADS: opt.apply_gradients([(tf.constant(g), v)])
TF_KERAS = {
    "sgd": [0.998, -1.9949999999999999, 2.978],
    "sgd_momentum": [0.8855000035762787, -1.8060000059604642, 2.50100001168251],
    "sgd_nesterov": [0.8769500059485434, -1.7754000099897382, 2.330900022411346],
    "adam": [0.9981032840299028, -1.9983676568397937, 2.99808868253483],
    "adam_lr": [0.8262322103043566, -1.850356700094388, 2.8173347187864892],
    "rmsprop": [0.9982606977344203, -1.9984466592019867, 2.9965892902753213],
    "rmsprop_momentum_centered": [0.9634821771590897, -1.9724136429564811, 2.9575646911534315],
    "adagrad": [0.999542879365378, -1.99950188091125, 2.9989517041004086],
    "adagrad_lr": [0.9725204137502862, -1.9578220202700454, 2.8996954892275473],
    "sgd_expdecay": [0.962928931415081, -1.931213203072548, 2.804497473314404],
    "sgd_expdecay_stair": [0.9599999994039535, -1.9399999991059305, 2.824999997392297],
}


def _optimizer(name):
    O, S = keras.optimizers, keras.optimizers.schedules
    return {
        "sgd": lambda: O.SGD(),
        "sgd_momentum": lambda: O.SGD(0.1, momentum=0.9),
        "sgd_nesterov": lambda: O.SGD(0.1, momentum=0.9, nesterov=True),
        "adam": lambda: O.Adam(),
        "adam_lr": lambda: O.Adam(0.1, beta_1=0.8, beta_2=0.99, epsilon=1e-3),
        "rmsprop": lambda: O.RMSprop(),
        "rmsprop_momentum_centered": lambda: O.RMSprop(0.01, rho=0.8, momentum=0.5,
                                                       centered=True),
        "adagrad": lambda: O.Adagrad(),
        "adagrad_lr": lambda: O.Adagrad(0.1, initial_accumulator_value=0.5, epsilon=1e-3),
        "sgd_expdecay": lambda: O.SGD(S.ExponentialDecay(0.1, decay_steps=2, decay_rate=0.5)),
        "sgd_expdecay_stair": lambda: O.SGD(S.ExponentialDecay(0.1, decay_steps=2,
                                                               decay_rate=0.5, staircase=True)),
    }[name]()


def _run_eager(opt):
    v = tf.Variable(START.copy())
    for g in GRADS:
        opt.apply_gradients([(tf.tensor(g), v)])
    return v.detach().numpy()


def _run_traced(opt):
    v = tf.Variable(START.copy())

    @tf.function
    def step(g):
        opt.apply_gradients([(g, v)])
    for g in GRADS:
        with tf.no_grad():
            step(tf.tensor(g))
    assert step.tracing_count == 1
    return v.detach().numpy()


@pytest.mark.parametrize("name", sorted(TF_KERAS))
@pytest.mark.parametrize("run", [_run_eager, _run_traced], ids=["eager", "traced"])
def test_updates_equal_tf_keras(name, run):
    tol = 1e-7 if "expdecay" in name else 1e-13    # schedules: float32 pow, numpy's vs TF's
    np.testing.assert_allclose(run(_optimizer(name)), TF_KERAS[name], rtol=tol, atol=tol)


def test_adam_and_sgd_equal_their_formulas_written_in_numpy():
    f32 = lambda x: np.float64(np.float32(x))       # noqa: E731  TF's tf.cast(0.9, float64)
    w, m, v = START.copy(), np.zeros(3), np.zeros(3)
    for t, g in enumerate(GRADS, 1):
        m = m + (g - m) * (1 - 0.9)
        v = v + (g * g - v) * (1 - 0.999)
        alpha = 0.001 * np.sqrt(1 - f32(0.999) ** t) / (1 - f32(0.9) ** t)
        w = w - m * alpha / (np.sqrt(v) + 1e-7)
    np.testing.assert_allclose(_run_eager(keras.optimizers.Adam()), w, rtol=1e-14)
    w, m = START.copy(), np.zeros(3)
    for g in GRADS:
        m = -g * 0.1 + m * f32(0.9)
        w = w + (-g * 0.1 + m * f32(0.9))
    np.testing.assert_allclose(_run_eager(keras.optimizers.SGD(0.1, 0.9, nesterov=True)), w,
                               rtol=1e-14)


def test_keras_defaults():
    O = keras.optimizers
    assert (float(O.SGD().learning_rate.numpy()), O.SGD().momentum, O.SGD().nesterov) == \
        (0.01, 0.0, False)
    adam = O.Adam()
    assert (float(adam.learning_rate.numpy()), adam.beta_1, adam.beta_2, adam.epsilon) == \
        (0.001, 0.9, 0.999, 1e-7)
    rms = O.RMSprop()
    assert (float(rms.learning_rate.numpy()), rms.rho, rms.epsilon) == (0.001, 0.9, 1e-7)
    ada = O.Adagrad()
    assert (ada.initial_accumulator_value, ada.epsilon) == (0.1, 1e-7)
    for name, cls in [("adam", O.Adam), ("sgd", O.SGD), ("rmsprop", O.RMSprop),
                      ("adagrad", O.Adagrad), ("Adam", O.Adam)]:
        assert type(O.get(name)) is cls


def test_learning_rate_is_a_variable_callbacks_can_set():
    opt = keras.optimizers.SGD(0.1)
    opt.learning_rate = 0.5
    assert float(opt.learning_rate.numpy()) == 0.5
    keras.backend.set_value(opt.lr, 0.25)
    assert keras.backend.get_value(opt.learning_rate) == 0.25
    sched = keras.optimizers.SGD(keras.optimizers.schedules.ExponentialDecay(0.1, 2, 0.5))
    with pytest.raises(TypeError, match="not settable"):
        sched.learning_rate = 0.1


def test_schedules_follow_their_formulas():
    S = keras.optimizers.schedules
    steps = np.arange(6)
    np.testing.assert_allclose([float(S.ExponentialDecay(0.1, 2, 0.5)(s)) for s in steps],
                               0.1 * 0.5 ** (steps / 2), rtol=1e-6)
    np.testing.assert_allclose([float(S.ExponentialDecay(0.1, 2, 0.5, staircase=True)(s))
                                for s in steps], 0.1 * 0.5 ** (steps // 2), rtol=1e-6)
    np.testing.assert_allclose([float(S.InverseTimeDecay(0.1, 2, 0.5)(s)) for s in steps],
                               0.1 / (1 + 0.5 * steps / 2), rtol=1e-6)
    np.testing.assert_allclose([float(S.PiecewiseConstantDecay([1, 3], [1.0, 0.5, 0.1])(s))
                                for s in steps], [1.0, 1.0, 0.5, 0.5, 0.1, 0.1])
    np.testing.assert_allclose([float(S.CosineDecay(1.0, 4)(s)) for s in steps],
                               [1.0, 0.853553, 0.5, 0.146447, 0.0, 0.0], atol=1e-6)


def test_minimize_with_a_tape_or_a_loss_function():
    w = tf.Variable(np.array([3.0]))
    opt = keras.optimizers.SGD(0.25)
    with tf.GradientTape() as tape:
        loss = (w * w).sum()
    opt.minimize(loss, [w], tape=tape)                   # w -= 0.25 * 2w
    assert w.detach().numpy()[0] == 1.5
    opt.minimize(lambda: (w * w).sum(), [w])
    assert w.detach().numpy()[0] == 0.75
    assert int(opt.iterations) == 2
    with pytest.raises(ValueError, match="`tape` is required"):
        opt.minimize((w * w).sum(), [w])


def test_clipping_and_missing_gradients():
    w = tf.Variable(np.array([0.0, 0.0]))
    keras.optimizers.SGD(1.0, clipnorm=1.0).apply_gradients([(tf.tensor([3.0, 4.0]), w)])
    np.testing.assert_allclose(w.detach().numpy(), [-0.6, -0.8])
    keras.optimizers.SGD(1.0, clipvalue=0.5).apply_gradients([(tf.tensor([3.0, -0.1]), w)])
    np.testing.assert_allclose(w.detach().numpy(), [-1.1, -0.7])
    with pytest.warns(UserWarning, match="Gradients do not exist"):
        keras.optimizers.SGD().apply_gradients([(None, w)])


# --- losses -----------------------------------------------------------------------------

Y_REG, P_REG = np.array([[0.0, 1.0, 2.0], [1.5, -1.0, 0.5]]), np.array([[0.5, 1.5, 1.0],
                                                                           [1.0, 0.0, 3.0]])
Y_BIN = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
P_BIN = np.array([[0.9, 0.2], [0.3, 0.6], [0.999999999, 0.4]])
LOGITS = np.array([[1.0, -2.0, 0.5], [0.2, 0.1, 3.0]])
ONEHOT, SPARSE, SW = np.array([[0.0, 0.0, 1.0], [0.0, 1.0, 0.0]]), np.array([2, 1]), \
    np.array([0.3, 2.0])

# tf_keras: keras.losses.<Class>(...)(y_true, y_pred[, sample_weight]) with the arrays above
LOSSES = {
    "mse": 1.5, "mse_sw": 2.575, "mse_sum": 3.0, "mae": 1.0,
    "huber": 0.4649999952316284,          # TF casts delta=0.7 to float32
    "bce": 0.3520490951526772, "bce_logits": 0.39520706508230613,
    "bce_smooth": 0.6829784920716845, "cce_probs": 2.0070991834318743,
    "cce_logits": 2.0070991834318743, "cce_smooth": 1.9904325167652077,
    "cce_unnormalized": 1.2606371469794375, "scce_probs": 2.0070991834318743,
    "scce_logits": 2.0070991834318743, "scce_sw": 3.160290999872808,
    "scce_clipped": 8.059047975479157,
}


def _softmax(z):
    e = np.exp(z - z.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


def _loss(name):
    L = keras.losses
    probs = _softmax(LOGITS)
    return {
        "mse": lambda: L.MeanSquaredError()(Y_REG, P_REG),
        "mse_sw": lambda: L.MeanSquaredError()(Y_REG, P_REG, sample_weight=SW),
        "mse_sum": lambda: L.MeanSquaredError(reduction="sum")(Y_REG, P_REG),
        "mae": lambda: L.MeanAbsoluteError()(Y_REG, P_REG),
        "huber": lambda: L.Huber(delta=0.7)(Y_REG, P_REG),
        "bce": lambda: L.BinaryCrossentropy()(Y_BIN, P_BIN),
        "bce_logits": lambda: L.BinaryCrossentropy(from_logits=True)(Y_BIN, P_BIN * 4 - 2),
        "bce_smooth": lambda: L.BinaryCrossentropy(label_smoothing=0.2)(Y_BIN, P_BIN),
        "cce_probs": lambda: L.CategoricalCrossentropy()(ONEHOT, probs),
        "cce_logits": lambda: L.CategoricalCrossentropy(from_logits=True)(ONEHOT, LOGITS),
        "cce_smooth": lambda: L.CategoricalCrossentropy(from_logits=True,
                                                        label_smoothing=0.1)(ONEHOT, LOGITS),
        "cce_unnormalized": lambda: L.CategoricalCrossentropy()(
            ONEHOT, np.array([[0.2, 0.3, 0.9], [0.5, 0.1, 0.2]])),
        "scce_probs": lambda: L.SparseCategoricalCrossentropy()(SPARSE, probs),
        "scce_logits": lambda: L.SparseCategoricalCrossentropy(from_logits=True)(SPARSE, LOGITS),
        "scce_sw": lambda: L.SparseCategoricalCrossentropy(from_logits=True)(SPARSE, LOGITS,
                                                                             sample_weight=SW),
        "scce_clipped": lambda: L.SparseCategoricalCrossentropy()(
            SPARSE, np.array([[0.0, 0.0, 1.0], [0.5, 0.0, 0.5]])),
    }[name]()


@pytest.mark.parametrize("name", sorted(LOSSES))
def test_losses_equal_tf_keras(name):
    tol = 1e-7 if name == "huber" else 1e-12
    np.testing.assert_allclose(float(_loss(name)), LOSSES[name], rtol=tol)


def test_losses_reduce_as_keras():
    per_sample = keras.losses.MeanSquaredError(reduction="none")(Y_REG, P_REG)
    np.testing.assert_allclose(per_sample.numpy(), [0.5, 2.5])      # the mean over the last axis
    with pytest.raises(ValueError, match="Invalid Reduction Key: mean"):
        keras.losses.MeanSquaredError(reduction="mean")


def test_a_softmax_output_is_read_as_its_logits():
    # probabilities of exactly 0 would be clipped to 1e-7 (loss ~16); the logits give the
    # true, finite loss -- what tf_keras does for a softmax output
    logits = tf.tensor(np.array([[0.0, 800.0]]))
    probs = keras.activations.softmax(logits)
    loss = keras.losses.sparse_categorical_crossentropy(np.array([0]), probs)
    np.testing.assert_allclose(loss.numpy(), [800.0])


@pytest.mark.parametrize("trace", [False, True], ids=["eager", "traced"])
def test_any_keras_activation_output_is_read_as_its_logits(trace):
    # tf_keras's _keras_logits: binary crossentropy of a *softmax* output is the sigmoid
    # crossentropy of the softmax's logits, and categorical crossentropy of a sigmoid
    # output the softmax crossentropy of its logits. tf_keras 2.21, these x and y:
    # BinaryCrossentropy()(y, softmax(x)), CategoricalCrossentropy()(y / sums, sigmoid(x))
    x = np.array([[0.5, -1.0, 2.0], [1.0, 0.2, -0.3]])
    y = np.array([[1.0, 0.0, 1.0], [0.0, 1.0, 0.0]])

    def losses(x):
        A = keras.activations
        return (keras.losses.BinaryCrossentropy()(y, A.softmax(x)),
                keras.losses.CategoricalCrossentropy()(y / y.sum(1, keepdims=True),
                                                       A.sigmoid(x)))
    run = tf.function(losses) if trace else losses
    got = [float(v) for v in run(tf.tensor(x))]
    np.testing.assert_allclose(got, [0.5633370806849407, 1.167358419136593], rtol=1e-12)


def test_loss_names_resolve_as_keras():
    get = keras.losses.get
    assert get("mse") is keras.losses.mean_squared_error
    assert get("sparse_categorical_crossentropy").__name__ == "sparse_categorical_crossentropy"
    assert isinstance(get("SparseCategoricalCrossentropy"),
                      keras.losses.SparseCategoricalCrossentropy)
    with pytest.raises(ValueError, match="Unknown loss function: 'nonexistent'. Please ensure"):
        get("nonexistent")


# --- metrics ----------------------------------------------------------------------------

# tf_keras: m = keras.metrics.<Class>(); m.update_state(...); float(m.result())
METRICS = {"acc": 0.75, "bin_acc": 0.8333333333333334, "bin_acc_thr": 0.6666666666666666,
           "cat_acc": 0.0, "sparse_acc": 0.0, "sparse_acc_sw": 0.13043478260869565,
           "mean": 3.0, "mean_sw": 4.75}


def _metric(name):
    M, probs = keras.metrics, _softmax(LOGITS)
    calls = {
        "acc": (M.Accuracy(), ([1, 2, 3, 4], [1, 2, 0, 4]), {}),
        "bin_acc": (M.BinaryAccuracy(), (Y_BIN, P_BIN), {}),
        "bin_acc_thr": (M.BinaryAccuracy(threshold=0.7), (Y_BIN, P_BIN), {}),
        "cat_acc": (M.CategoricalAccuracy(), (ONEHOT, probs), {}),
        "sparse_acc": (M.SparseCategoricalAccuracy(), (SPARSE, probs), {}),
        "sparse_acc_sw": (M.SparseCategoricalAccuracy(), ([0, 1], probs), {"sample_weight": SW}),
        "mean": (M.Mean(), ([1.0, 2.0, 6.0],), {}),
        "mean_sw": (M.Mean(), ([1.0, 2.0, 6.0],), {"sample_weight": [1.0, 0.0, 3.0]}),
    }
    metric, args, kwargs = calls[name]
    metric.update_state(*args, **kwargs)
    return float(metric.result())


@pytest.mark.parametrize("name", sorted(METRICS))
def test_metrics_equal_tf_keras(name):
    np.testing.assert_allclose(_metric(name), METRICS[name], rtol=1e-12)


def test_metrics_accumulate_and_reset():
    m = keras.metrics.Mean()
    assert float(m.result()) == 0.0                        # nothing seen: 0, not nan
    m.update_state([1.0, 2.0])
    m.update_state([6.0])
    assert float(m.result()) == 3.0
    m.reset_state()
    assert float(m.result()) == 0.0
    assert [v.name for v in m.variables] == ["total:0", "count:0"]          # as tf_keras names them
