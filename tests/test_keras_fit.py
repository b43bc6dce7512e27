"""``compile``/``fit``/``evaluate``/``predict``: the training loop gives the numbers a
hand-written GradientTape loop gives (float64, 1e-10) -- traced into a graph, and
with ``run_eagerly=True`` -- and the numbers real tf_keras gives. The tf_keras
numbers were recorded with TensorFlow 2.21 + tf_keras 2.21 in /work/oracles/tf-venv
running the same model, data and initial weights (the scripts are described beside
them)."""
import numpy as np
import pytest

import tinyflow as tf
from tinyflow import keras

L = keras.layers


@pytest.fixture(autouse=True)
def float64():
    keras.backend.clear_session()
    keras.backend.set_floatx("float64")
    yield
    keras.backend.set_floatx("float32")


def _data():
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(20, 4)), rng.integers(0, 3, 20)
    w = [rng.normal(size=(4, 5)) * 0.5, rng.normal(size=5) * 0.1, rng.normal(size=(5, 3)) * 0.5,
         rng.normal(size=3) * 0.1]
    return x, y, w


def _mlp(w, softmax=True):
    model = keras.Sequential([L.Dense(5, activation="tanh", input_shape=(4,)),
                              L.Dense(3, activation="softmax" if softmax else None)])
    model.set_weights(w)
    return model


@pytest.mark.parametrize("run_eagerly", [False, True], ids=["graph", "eager"])
def test_fit_equals_a_hand_written_gradient_tape_loop(run_eagerly):
    x, y, w = _data()
    model = _mlp(w, softmax=False)
    model.compile(optimizer=keras.optimizers.Adam(0.05),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"], run_eagerly=run_eagerly)
    history = model.fit(x, y, batch_size=8, epochs=3, shuffle=False, verbose=0)

    params = [tf.Variable(a.copy()) for a in w]
    m, v = [np.zeros_like(a) for a in w], [np.zeros_like(a) for a in w]
    f32 = lambda z: np.float64(np.float32(z))               # noqa: E731  TF's tf.cast(0.9)
    losses = []
    for epoch in range(3):
        total = hits = 0.0
        for start in range(0, 20, 8):
            xb, yb = tf.tensor(x[start:start + 8]), y[start:start + 8]
            with tf.GradientTape() as tape:
                logits = tf.tanh(xb @ params[0] + params[1]) @ params[2] + params[3]
                loss = tf.ops.sparse_softmax_cross_entropy(logits, tf.tensor(yb)).mean()
            grads = tape.gradient(loss, params)
            t = 3 * epoch + start // 8 + 1
            for i, (p, g) in enumerate(zip(params, grads)):
                g = g.numpy()
                m[i] = m[i] + (g - m[i]) * (1 - 0.9)
                v[i] = v[i] + (g * g - v[i]) * (1 - 0.999)
                alpha = 0.05 * np.sqrt(1 - f32(0.999) ** t) / (1 - f32(0.9) ** t)
                p.array[...] -= m[i] * alpha / (np.sqrt(v[i]) + 1e-7)
            total += loss.item() * len(yb)                 # Keras weights each batch's loss by
            hits += (logits.detach().numpy().argmax(1) == yb).sum()          # its size
        losses.append((total / 20, hits / 20))
    np.testing.assert_allclose(history.history["loss"], [l for l, _ in losses], rtol=1e-10)
    np.testing.assert_allclose(history.history["accuracy"], [a for _, a in losses], rtol=1e-10)
    for got, want in zip(model.get_weights(), params):
        np.testing.assert_allclose(got, want.detach().numpy(), rtol=1e-10, atol=1e-12)


# tf_keras: model = the _mlp above (softmax output) with set_weights(w);
# compile(optimizer, loss="sparse_categorical_crossentropy", metrics=["accuracy"]);
# h = fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0, validation_split=0.25);
# h.history, and per weight array: its sum and its sum of squares.
TF_KERAS_FIT = {
    "sgd_momentum": ({"loss": [1.2409680482113588, 1.1168367829239085], "accuracy": [0.4, 1 / 3],
                      "val_loss": [1.4548665013544098, 1.330150263388444],
                      "val_accuracy": [0.2, 0.4]},
                     [-1.71150476835003, 0.058685149999351344, 0.005293377918964726,
                      -0.04159120511923069],
                     [4.736435084810075, 0.023106542318782036, 2.9432686040742353,
                      0.007666868361942218]),
    "adam": ({"loss": [1.2407145296228848, 1.1906129566882842], "accuracy": [0.4, 0.4],
              "val_loss": [1.5218525985001077, 1.4979873783427275], "val_accuracy": [0.2, 0.2]},
             [-1.7266443988700313, 0.10595154258971373, 0.08412449851018733,
              -0.015703444014436373],
             [4.7877571779251955, 0.017646828028598953, 3.1043689813664637,
              0.006687463892353698]),
    "rmsprop": ({"loss": [1.2585161560400153, 1.1427718040649757], "accuracy": [0.4, 1 / 3],
                 "val_loss": [1.5133343976685567, 1.4763444931527197],
                 "val_accuracy": [0.2, 0.2]},
                [-1.4859521594448777, 0.15640044503249015, 0.19549459039515893,
                 0.038768756227335055],
                [4.694726349288886, 0.03259309489911886, 3.0106898893097314,
                 0.0022284788696472074]),
    "adagrad": ({"loss": [1.2552985202155773, 1.1035219382603896], "accuracy": [0.4, 1 / 3],
                 "val_loss": [1.3742103164881907, 1.3181299033057452],
                 "val_accuracy": [0.2, 0.4]},
                [-1.6940173675202934, 0.049526597658770516, 0.08761684209502041,
                 -0.0006322909192207071],
                [4.695303313145334, 0.03422075321316643, 2.877657201534399,
                 0.009858389327859245]),
}


def _opt(name):
    O = keras.optimizers
    return {"sgd_momentum": lambda: O.SGD(0.1, momentum=0.9), "adam": lambda: O.Adam(0.01),
            "rmsprop": lambda: O.RMSprop(0.01), "adagrad": lambda: O.Adagrad(0.1)}[name]()


@pytest.mark.parametrize("name", sorted(TF_KERAS_FIT))
@pytest.mark.parametrize("run_eagerly", [False, True], ids=["graph", "eager"])
def test_fit_equals_tf_keras(name, run_eagerly):
    x, y, w = _data()
    model = _mlp(w)
    model.compile(optimizer=_opt(name), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"], run_eagerly=run_eagerly)
    history = model.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0,
                        validation_split=0.25)
    want, sums, squares = TF_KERAS_FIT[name]
    assert sorted(history.history) == sorted(want)
    for key in want:
        np.testing.assert_allclose(history.history[key], want[key], rtol=1e-10)
    np.testing.assert_allclose([a.sum() for a in model.get_weights()], sums, rtol=1e-10,
                               atol=1e-12)
    np.testing.assert_allclose([(a * a).sum() for a in model.get_weights()], squares, rtol=1e-10)


def _cnn():
    return keras.Sequential([
        L.Conv2D(3, 3, strides=2, padding="same", activation="relu", input_shape=(7, 6, 2)),
        L.BatchNormalization(),
        L.MaxPooling2D(pool_size=2, strides=1, padding="same"),
        L.Conv2D(4, (2, 3), padding="same"),
        L.AveragePooling2D(pool_size=3, strides=2, padding="same"),
        L.Conv2D(4, 2, padding="valid", activation="elu"),
        L.GlobalAveragePooling2D(),
        L.Dense(3, activation="softmax")])


# tf_keras, the same _cnn(): rng = np.random.default_rng(1); x = rng.normal(size=(12, 7, 6, 2));
# y = rng.integers(0, 3, 12); the weights drawn from rng in model.weights order (normal * 0.5,
# moving means normal, moving variances |normal| + 0.5); predict(x[:3]); then
# compile(Adam(0.01), "sparse_categorical_crossentropy", ["accuracy"]) and
# fit(x, y, batch_size=5, epochs=2, shuffle=False): history, weights' sums and squares.
CNN_PREDICT = [[0.9495329921818645, 0.00017345345952156504, 0.05029355435861389],
               [0.5995658472654338, 0.008501789328350214, 0.39193236340621596],
               [0.6477631081861962, 0.006421911485418861, 0.345814980328385]]
CNN_HISTORY = {"loss": [1.6513697589417775, 1.2787827168292605], "accuracy": [0.5, 0.5]}
CNN_SUMS = [-2.5522592365906944, 0.04512002604538412, -0.7759114749984117, 0.014236475738763354,
            1.331611327699004, 3.5906776592596747, 4.162584334254662, -1.3502446176430796,
            -1.6145475762166228, 0.26505949760717024, 1.472771965001738, -0.7711570877967222]
CNN_SQUARES = [16.350498023990408, 0.46331361698351076, 0.4621619981263373, 0.20754411312096202,
               2.562378805259987, 4.587674810822793, 12.92865772878717, 1.0319327655501855,
               18.287528833329713, 0.7439130560791831, 4.858724109425229, 0.6451694582932629]


@pytest.mark.parametrize("run_eagerly", [False, True], ids=["graph", "eager"])
def test_a_cnn_with_same_padding_and_batch_norm_trains_as_tf_keras(run_eagerly):
    rng = np.random.default_rng(1)
    x, y = rng.normal(size=(12, 7, 6, 2)), rng.integers(0, 3, 12)
    model = _cnn()
    model.set_weights([rng.normal(size=v.shape) * 0.5 if "moving" not in v.name else
                       (np.abs(rng.normal(size=v.shape)) + 0.5 if "variance" in v.name
                        else rng.normal(size=v.shape)) for v in model.weights])
    np.testing.assert_allclose(model.predict(x[:3], verbose=0), CNN_PREDICT, rtol=1e-10)
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"], run_eagerly=run_eagerly)
    history = model.fit(x, y, batch_size=5, epochs=2, shuffle=False, verbose=0)
    for key in CNN_HISTORY:
        np.testing.assert_allclose(history.history[key], CNN_HISTORY[key], rtol=1e-10)
    np.testing.assert_allclose([a.sum() for a in model.get_weights()], CNN_SUMS, rtol=1e-10)
    np.testing.assert_allclose([(a * a).sum() for a in model.get_weights()], CNN_SQUARES,
                               rtol=1e-10)


def test_the_graph_fit_runs_can_be_drawn_and_run_eagerly_runs_python():
    x, y, w = _data()
    model = _mlp(w)
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(x, y, batch_size=10, epochs=1, verbose=0)
    fn = model.train_function
    assert repr(fn) == "<tinyflow.function train_function (1 traced)>"  # 2 full batches
    source = tf.draw(fn).source
    for seen in ("kernel", "sequential", "dense_1", "loss", "accuracy", "SGD"):
        assert seen in source, seen                 # weights, layer scopes, loss, optimizer
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy", run_eagerly=True)
    model.fit(x, y, batch_size=10, epochs=1, verbose=0)
    assert model.run_eagerly and not hasattr(model.train_function, "concrete_functions")


@pytest.mark.parametrize("run_eagerly", [False, True], ids=["graph", "eager"])
def test_call_sees_eager_tensors_only_with_run_eagerly(run_eagerly):
    # with run_eagerly=True a breakpoint in call() stops with real numbers to look at
    from tinyflow.ops.primitive import is_eager
    seen = []

    class Probe(keras.Model):
        def __init__(self):
            super().__init__()
            self.dense = L.Dense(3)

        def call(self, x, training=None):
            seen.append(is_eager(x))
            return self.dense(x)

    x, y, _ = _data()
    model = Probe()
    model.compile(optimizer="sgd", loss=keras.losses.SparseCategoricalCrossentropy(
        from_logits=True), run_eagerly=run_eagerly)
    model.fit(x, y, batch_size=10, epochs=2, verbose=0)
    assert seen == ([True] * 4 if run_eagerly else [False])     # traced once, run 4 times


def test_two_outputs_with_loss_weights_train_as_tf_keras():
    # tf_keras 2.21, float32, this model and data: model.weights are set to
    # linspace(-1, 1) each; evaluate, train_on_batch (SGD), evaluate again
    keras.backend.set_floatx("float32")
    a, b = keras.Input(shape=(4,), name="a"), keras.Input(shape=(2,), name="b")
    h = L.Concatenate()([L.Dense(3)(a), b])
    model = keras.Model([a, b], [L.Dense(3, activation="softmax", name="cls")(h),
                                 L.Dense(1, name="value")(h)])
    assert [w.name for w in model.weights] == ["dense/kernel:0", "dense/bias:0", "cls/kernel:0",
                                               "cls/bias:0", "value/kernel:0", "value/bias:0"]
    model.set_weights([np.linspace(-1, 1, int(np.prod(w.shape))).reshape(tuple(w.shape))
                       for w in model.weights])
    model.compile("sgd", loss={"cls": "sparse_categorical_crossentropy", "value": "mse"},
                  metrics={"cls": ["accuracy"]}, loss_weights={"cls": 1.0, "value": 0.5})
    assert model.metrics_names == []                    # Keras: none until the first batch
    rng = np.random.default_rng(0)
    xs = [rng.normal(size=(10, 4)), rng.normal(size=(10, 2))]
    ys = [np.arange(10) % 3, rng.normal(size=(10, 1))]
    np.testing.assert_allclose(model.evaluate(xs, ys, verbose=0)[:3], [
        3.0097880363464355, 1.8207995891571045, 2.377976655960083], rtol=1e-6)
    assert model.metrics_names == ["loss", "cls_loss", "value_loss", "cls_accuracy"]
    model.train_on_batch(xs, ys)
    logs = model.evaluate({"a": xs[0], "b": xs[1]}, {"cls": ys[0], "value": ys[1]}, verbose=0,
                          return_dict=True)
    np.testing.assert_allclose([logs["loss"], logs["cls_loss"], logs["value_loss"]], [
        2.9576833248138428, 1.7990691661834717, 2.317228317260742], rtol=1e-6)
