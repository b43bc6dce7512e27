"""Saving Keras models: .keras files (a zip of JSON and npz, never pickle) that a
fresh process loads and predicts with; custom layers found by their registered
name or through custom_objects; weights files; inference exports."""
import os
import pickle
import subprocess
import sys
import textwrap
import zipfile

import numpy as np
import pytest

import tinyflow as tf
from tinyflow import keras
from tinyflow.base.errors import CheckpointError

L = keras.layers
ROOT = os.path.join(os.path.dirname(__file__), "..")


@pytest.fixture(autouse=True)
def fresh_names():
    keras.backend.clear_session()
    yield
    keras.backend.set_floatx("float32")


@pytest.fixture
def no_pickle(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("pickle was used")
    for name in ("dump", "dumps", "load", "loads"):
        monkeypatch.setattr(pickle, name, refuse)


def _trained_cnn():
    tf.manual_seed(0)
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(32, 6, 6, 1)).astype("float32"), rng.integers(0, 3, 32)
    model = keras.Sequential([
        L.Conv2D(4, 3, padding="same", activation="relu", input_shape=(6, 6, 1)),
        L.BatchNormalization(), L.MaxPooling2D(), L.Flatten(), L.Dropout(0.2),
        L.Dense(3, activation="softmax", kernel_regularizer="l2")])
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    model.fit(x, y, epochs=2, batch_size=8, verbose=0)
    return model, x, y


def test_save_and_load_model_round_trip(tmp_path, no_pickle):
    model, x, y = _trained_cnn()
    path = tmp_path / "cnn.keras"
    model.save(path)
    with zipfile.ZipFile(path) as z:
        assert sorted(z.namelist()) == ["config.json", "metadata.json", "model.weights.npz"]
    loaded = keras.models.load_model(path)
    assert [type(l).__name__ for l in loaded.layers] == [type(l).__name__ for l in model.layers]
    for a, b in zip(loaded.get_weights(), model.get_weights()):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))
    # compiled as it was, with the optimizer's state: training goes on identically
    assert type(loaded.optimizer).__name__ == "Adam"
    loaded.evaluate(x, y, verbose=0)           # Keras builds the metrics on first use
    assert loaded.metrics_names == ["loss", "accuracy"]
    assert int(loaded.optimizer.iterations) == int(model.optimizer.iterations) == 8
    # Eagerly, Dropout draws from the seeded generator. (A traced train step's random
    # ops keep their own sequences across set_seed calls, as TF2 documents.)
    model.run_eagerly = loaded.run_eagerly = True
    tf.manual_seed(5)
    a = model.fit(x, y, epochs=1, batch_size=8, verbose=0, shuffle=False).history["loss"]
    tf.manual_seed(5)
    b = loaded.fit(x, y, epochs=1, batch_size=8, verbose=0, shuffle=False).history["loss"]
    np.testing.assert_allclose(a, b, rtol=1e-6)


def test_a_fresh_process_loads_and_predicts(tmp_path):
    model, x, _ = _trained_cnn()
    model.save(tmp_path / "m.keras")
    np.save(tmp_path / "x.npy", x)
    np.save(tmp_path / "want.npy", model.predict(x, verbose=0))
    code = textwrap.dedent(f"""
        import numpy as np, pickle
        pickle.loads = pickle.load = None          # loading must not need pickle
        from tinyflow import keras
        model = keras.models.load_model({str(tmp_path / 'm.keras')!r})
        got = model.predict(np.load({str(tmp_path / 'x.npy')!r}), verbose=0)
        np.testing.assert_allclose(got, np.load({str(tmp_path / 'want.npy')!r}), rtol=1e-6)
        print("ok", got.shape)
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT, timeout=300)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok (32, 3)"


@keras.utils.register_keras_serializable(package="Tests")
class ScaledDense(L.Dense):
    """A custom layer: a Dense times a constant from its config."""

    def __init__(self, units, scale=1.0, **kwargs):
        super().__init__(units, **kwargs)
        self.scale = scale

    def call(self, inputs):
        return super().call(inputs) * self.scale

    def get_config(self):
        return {**super().get_config(), "scale": self.scale}


class Unregistered(L.Layer):
    def call(self, x):
        return x * 2.0


def test_custom_layers_by_registered_name_or_custom_objects(tmp_path):
    x = keras.Input((3,))
    model = keras.Model(x, Unregistered()(ScaledDense(2, scale=3.0)(x)))
    model.save(tmp_path / "custom.keras")
    with pytest.raises(ValueError, match="Unknown layer: 'Unregistered'. Please ensure you are "
                                         "using a `keras.utils.custom_object_scope`"):
        keras.models.load_model(tmp_path / "custom.keras")
    loaded = keras.models.load_model(tmp_path / "custom.keras",
                                     custom_objects={"Unregistered": Unregistered})
    assert type(loaded.layers[1]) is ScaledDense and loaded.layers[1].scale == 3.0
    data = np.ones((2, 3), "float32")
    np.testing.assert_array_equal(loaded.predict(data, verbose=0), model.predict(data, verbose=0))
    with keras.utils.custom_object_scope({"Unregistered": Unregistered}):
        keras.models.load_model(tmp_path / "custom.keras")


@keras.utils.register_keras_serializable(package="Tests")
class Subclassed(keras.Model):
    def __init__(self, hidden=4, **kwargs):
        super().__init__(**kwargs)
        self.hidden = hidden
        self.d1, self.d2 = L.Dense(hidden, activation="relu"), L.Dense(1)

    def call(self, x, training=None):
        return self.d2(self.d1(x))

    def get_config(self):
        return {"hidden": self.hidden, "name": self.name}


def test_a_registered_subclassed_model_round_trips(tmp_path):
    model = Subclassed(hidden=5)
    model.compile(optimizer="sgd", loss="mse")
    model.fit(np.ones((4, 3)), np.ones((4, 1)), verbose=0)
    model.save(tmp_path / "sub.keras")
    loaded = keras.models.load_model(tmp_path / "sub.keras")
    assert type(loaded) is Subclassed and loaded.hidden == 5
    data = np.arange(6.0).reshape(2, 3)
    np.testing.assert_allclose(loaded.predict(data, verbose=0), model.predict(data, verbose=0))


def test_save_and_load_weights(tmp_path, no_pickle):
    model, x, _ = _trained_cnn()
    model.save_weights(tmp_path / "w.weights.npz")
    keras.backend.clear_session()
    twin = keras.models.clone_model(model)
    twin.load_weights(tmp_path / "w.weights.npz")
    np.testing.assert_array_equal(twin.predict(x, verbose=0), model.predict(x, verbose=0))
    other = keras.Sequential([L.Dense(2, input_shape=(3,))])
    with pytest.raises(ValueError, match="Weight count mismatch"):
        other.load_weights(tmp_path / "w.weights.npz")


def test_bad_files_are_refused_before_anything_runs(tmp_path):
    junk = tmp_path / "junk.keras"
    junk.write_bytes(b"not a zip at all")
    with pytest.raises(CheckpointError, match="not a .keras file"):
        keras.models.load_model(junk)
    pickled = tmp_path / "evil.keras"
    with zipfile.ZipFile(pickled, "w") as z:
        z.writestr("config.json", '{"class_name": "Sequential", "config": {"layers": []}}')
        z.writestr("model.weights.npz", pickle.dumps({"w": 1}))
    with pytest.raises(CheckpointError, match="pickle"):
        keras.models.load_model(pickled)
    with pytest.raises(FileNotFoundError):
        keras.models.load_model(tmp_path / "missing.keras")
    with pytest.raises(ValueError, match="`.keras` extension"):
        keras.Sequential([L.Dense(1, input_shape=(2,))]).save(tmp_path / "model.h5")


def test_export_to_a_saved_model_bundle(tmp_path):
    from tinyflow import saved_model
    model, x, _ = _trained_cnn()
    model.export(tmp_path / "served")
    loaded = saved_model.load(tmp_path / "served")
    np.testing.assert_allclose(loaded(x[:5]), model.predict(x[:5], verbose=0), rtol=1e-5)


def test_export_to_onnx(tmp_path):
    pytest.importorskip("onnx")
    pytest.importorskip("onnxruntime")
    from tinyflow.export import onnx
    model, x, _ = _trained_cnn()
    model.export(tmp_path / "cnn.onnx", format="onnx")
    name = model.input_names[0]
    got = onnx.run(str(tmp_path / "cnn.onnx"), {name: x[:7]})[0]
    np.testing.assert_allclose(got, model.predict(x[:7], verbose=0), rtol=1e-4, atol=1e-6)


def _two_in_two_out():
    """A functional model with an image and a token input, a class and a value output,
    through most of the listed layers (SAME average pooling included)."""
    tf.manual_seed(0)
    image = keras.Input(shape=(6, 6, 2), name="image")
    tokens = keras.Input(shape=(5,), dtype="int64", name="tokens")
    a = L.Conv2D(4, 3, padding="same", activation="relu")(image)
    a = L.BatchNormalization()(a)
    a = L.AveragePooling2D(padding="same", pool_size=3, strides=2)(a)
    a = L.MaxPooling2D(padding="valid")(L.Reshape((3, 3, 4))(a))
    a = L.GlobalAveragePooling2D()(a)
    b = L.Reshape((15,))(L.Flatten()(L.Embedding(10, 3)(tokens)))
    h = L.Dropout(0.3)(L.Concatenate()([a, b]))
    cls = L.Dense(3, activation="softmax", name="cls")(h)
    value = L.Activation("tanh", name="value")(L.Dense(1)(h))
    model = keras.Model([image, tokens], [cls, value])
    rng = np.random.default_rng(0)
    model.set_weights([rng.normal(size=w.shape) * 0.5 + (1.0 if "variance" in w.name else 0.0)
                       for w in model.weights])
    return model, [rng.normal(size=(7, 6, 6, 2)).astype("float32"), rng.integers(0, 10, (7, 5))]


def test_a_functional_model_with_two_inputs_and_outputs_exports(tmp_path):
    pytest.importorskip("onnx")
    onnxruntime = pytest.importorskip("onnxruntime")
    from tinyflow import saved_model
    model, xs = _two_in_two_out()
    want = model.predict(xs, verbose=0)
    model.export(tmp_path / "m.onnx", format="onnx")
    session = onnxruntime.InferenceSession(str(tmp_path / "m.onnx"))
    assert [(i.name, i.shape) for i in session.get_inputs()] == [
        ("image", ["batch", 6, 6, 2]), ("tokens", ["batch", 5])]
    assert [o.name for o in session.get_outputs()] == ["cls", "value"]
    got = session.run(None, {"image": xs[0], "tokens": xs[1]})
    for g, w in zip(got, want):
        np.testing.assert_allclose(g, w, rtol=1e-5, atol=1e-6)
    model.export(tmp_path / "served")
    served = saved_model.load(tmp_path / "served")(*xs)
    np.testing.assert_allclose(served["cls"], want[0], rtol=1e-6)
    np.testing.assert_allclose(served["value"], want[1], rtol=1e-6)


def test_a_functional_model_with_two_inputs_and_outputs_round_trips(tmp_path, no_pickle):
    model, xs = _two_in_two_out()
    model.compile(optimizer="adam", loss={"cls": "sparse_categorical_crossentropy",
                                          "value": "mse"}, metrics={"cls": ["accuracy"]})
    model.save(tmp_path / "m.keras")
    loaded = keras.models.load_model(tmp_path / "m.keras")
    assert loaded.input_names == ["image", "tokens"] and loaded.output_names == ["cls", "value"]
    for got, want in zip(loaded.predict(xs, verbose=0), model.predict(xs, verbose=0)):
        np.testing.assert_array_equal(got, want)
    y = [np.arange(7) % 3, np.zeros((7, 1))]
    assert loaded.evaluate(xs, y, verbose=0) == model.evaluate(xs, y, verbose=0)
