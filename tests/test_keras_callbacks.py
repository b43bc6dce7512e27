"""What ``fit`` does with its data and its callbacks: the validation split, the
progress output (tf_keras's format), History, EarlyStopping, ModelCheckpoint,
TensorBoard, the learning-rate callbacks and LambdaCallback."""
import os
import re

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


def _model(lr=0.1, seed=0):
    tf.manual_seed(seed)
    model = keras.Sequential([L.Dense(8, activation="tanh", input_shape=(4,)), L.Dense(3)])
    model.compile(optimizer=keras.optimizers.SGD(lr),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])
    return model


def _data(n=40):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(n, 4))
    return x, (x[:, 0] > 0).astype(np.int64) + (x[:, 1] > 0)


def test_validation_split_validates_on_the_last_fraction():
    x, y = _data()
    model = _model(lr=0.0)                       # the weights never move: compare with evaluate
    history = model.fit(x, y, validation_split=0.25, epochs=1, batch_size=7, verbose=0)
    train_loss, train_acc = model.evaluate(x[:30], y[:30], verbose=0)
    val_loss, val_acc = model.evaluate(x[30:], y[30:], verbose=0)
    np.testing.assert_allclose(history.history["val_loss"], [val_loss], rtol=1e-12)
    np.testing.assert_allclose(history.history["val_accuracy"], [val_acc], rtol=1e-12)
    np.testing.assert_allclose(history.history["loss"], [train_loss], rtol=1e-12)
    with pytest.raises(ValueError, match="`validation_split` is only supported for Tensors or "
                                         "NumPy arrays"):
        model.fit([(x, y)], validation_split=0.5, verbose=0)


def test_history_epochs_and_initial_epoch():
    x, y = _data()
    model = _model()
    history = model.fit(x, y, epochs=4, initial_epoch=1, verbose=0)
    assert history is model.history and history.epoch == [1, 2, 3]
    assert sorted(history.history) == ["accuracy", "loss"] and len(history.history["loss"]) == 3
    assert all(isinstance(v, float) for v in history.history["loss"])


def test_verbose_2_prints_one_line_per_epoch_as_tf_keras(capsys):
    x, y = _data(20)
    _model().fit(x, y, epochs=2, batch_size=8, verbose=2, validation_data=(x[:5], y[:5]))
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "Epoch 1/2" and lines[2] == "Epoch 2/2" and len(lines) == 4
    time = r"\d+(s|ms|us)"
    assert re.fullmatch(rf"3/3 - \d+s - loss: \d\.\d{{4}} - accuracy: \d\.\d{{4}} - val_loss: "
                        rf"\d\.\d{{4}} - val_accuracy: \d\.\d{{4}} - {time}/epoch - "
                        rf"{time}/step", lines[1]), lines[1]


def test_verbose_1_redraws_a_bar_in_place(capsys):
    x, y = _data(20)
    _model().fit(x, y, epochs=1, batch_size=8, verbose=1)
    out = capsys.readouterr().out
    assert "Epoch" not in out                             # one epoch: no "Epoch 1/1"
    final = out.split("\r")[-1]
    assert re.fullmatch(r"3/3 \[==============================\] - \d+s \d+(s|ms|us)/step - "
                        r"loss: \d\.\d{4} - accuracy: \d\.\d{4}\n", final), repr(final)


def test_predict_runs_in_batches_and_evaluate_returns_keras_shapes():
    x, y = _data(20)
    model = _model()
    sizes = []
    cb = keras.callbacks.LambdaCallback()
    cb.on_predict_batch_end = lambda batch, logs: sizes.append(logs["outputs"].shape[0])
    out = model.predict(x, batch_size=7, verbose=0, callbacks=[cb])
    assert sizes == [7, 7, 6] and out.shape == (20, 3)
    np.testing.assert_allclose(out, model(x).numpy(), rtol=1e-12)
    loss, acc = model.evaluate(x, y, verbose=0)
    logs = model.evaluate(x, y, verbose=0, return_dict=True)
    assert logs == {"loss": loss, "accuracy": acc}
    model.compile(optimizer="sgd", loss="mse")
    assert isinstance(model.evaluate(x, np.zeros((20, 3)), verbose=0), float)


def test_on_batch_methods():
    x, y = _data(8)
    model = _model()
    before = model.test_on_batch(x, y)
    loss, acc = model.train_on_batch(x, y)
    np.testing.assert_allclose(loss, before[0])            # the loss before the update
    assert model.test_on_batch(x, y)[0] < loss
    np.testing.assert_allclose(model.predict_on_batch(x), model(x).numpy())


def test_fit_takes_batches_from_any_iterable():
    from tinyflow.data import DataLoader, TensorDataset
    x, y = _data(24)
    reference = _model()
    reference.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0)
    for source in (DataLoader(TensorDataset(x, y), batch_size=8),
                   [(x[i:i + 8], y[i:i + 8]) for i in range(0, 24, 8)]):
        model = _model()
        model.fit(source, epochs=2, verbose=0)
        for a, b in zip(model.get_weights(), reference.get_weights()):
            np.testing.assert_allclose(a, b, rtol=1e-12)

    def forever():
        while True:
            for i in range(0, 24, 8):
                yield x[i:i + 8], y[i:i + 8]
    model = _model()
    model.fit(forever(), steps_per_epoch=3, epochs=2, verbose=0)
    for a, b in zip(model.get_weights(), reference.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-12)


def test_steps_per_epoch_with_arrays_continues_where_the_last_epoch_stopped():
    x, y = _data(24)
    reference = _model()
    reference.fit(x, y, batch_size=8, epochs=1, shuffle=False, verbose=0)   # batches 1, 2, 3
    model = _model()
    model.fit(x, y, batch_size=8, epochs=3, steps_per_epoch=1, shuffle=False, verbose=0)
    for a, b in zip(model.get_weights(), reference.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-12)


def _opposite_validation():
    """Validation labels that training makes worse: the best epoch is the first."""
    x, y = _data(32)
    return x, y, (x[:16], (y[:16] + 1) % 3)


def test_early_stopping_restores_the_best_weights():
    x, y, val = _opposite_validation()
    model = _model(lr=0.5)
    seen = []
    record = keras.callbacks.LambdaCallback(
        on_epoch_end=lambda epoch, logs: seen.append((logs["val_loss"], model.get_weights())))
    stop = keras.callbacks.EarlyStopping(patience=2, restore_best_weights=True)
    history = model.fit(x, y, epochs=20, validation_data=val, callbacks=[record, stop], verbose=0)
    losses = [l for l, _ in seen]
    best = int(np.argmin(losses))
    assert len(history.epoch) < 20 and stop.stopped_epoch == best + 2
    assert losses[-1] > losses[best]
    for a, b in zip(model.get_weights(), seen[best][1]):
        np.testing.assert_array_equal(a, b)


def test_model_checkpoint_keeps_the_best_file(tmp_path):
    x, y, val = _opposite_validation()
    model = _model(lr=0.5)
    seen = []
    record = keras.callbacks.LambdaCallback(
        on_epoch_end=lambda epoch, logs: seen.append((logs["val_loss"], model.get_weights())))
    path = tmp_path / "best.keras"
    model.fit(x, y, epochs=4, validation_data=val, verbose=0,
              callbacks=[record, keras.callbacks.ModelCheckpoint(path, save_best_only=True)])
    best = int(np.argmin([l for l, _ in seen]))
    saved = keras.models.load_model(path)
    for a, b in zip(saved.get_weights(), seen[best][1]):
        np.testing.assert_array_equal(a, b)
    every = tmp_path / "w-{epoch:02d}.weights.npz"
    model.fit(x, y, epochs=2, verbose=0,
              callbacks=[keras.callbacks.ModelCheckpoint(str(every), save_weights_only=True,
                                                         monitor="loss")])
    assert sorted(p.name for p in tmp_path.glob("w-*")) == ["w-01.weights.npz",
                                                            "w-02.weights.npz"]


def test_tensorboard_writes_real_event_files(tmp_path):
    pytest.importorskip("tensorboardX")
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
    x, y = _data()
    model = _model()
    model.fit(x, y, epochs=3, validation_split=0.25, verbose=0,
              callbacks=[keras.callbacks.TensorBoard(tmp_path, histogram_freq=1)])
    train = EventAccumulator(str(tmp_path / "train"), size_guidance={"scalars": 0})
    train.Reload()
    val = EventAccumulator(str(tmp_path / "validation"), size_guidance={"scalars": 0})
    val.Reload()
    assert {"epoch_loss", "epoch_accuracy"} <= set(train.Tags()["scalars"])
    assert [e.step for e in train.Scalars("epoch_loss")] == [0, 1, 2]
    np.testing.assert_allclose([e.value for e in val.Scalars("epoch_loss")],
                               model.history.history["val_loss"], rtol=1e-6)
    assert "dense/kernel_0/histogram" in train.Tags()["histograms"]     # tf_keras's tag
    assert any(n.name.endswith("MatMul") for n in train.Graph().node)   # the traced step


def test_learning_rate_scheduler_sets_the_rate_the_traced_step_reads():
    x, y = _data()
    model = _model(lr=0.1)
    weights = []
    record = keras.callbacks.LambdaCallback(
        on_epoch_end=lambda epoch, logs: weights.append(model.get_weights()))
    sched = keras.callbacks.LearningRateScheduler(lambda epoch, lr: 0.0 if epoch == 1 else 0.1)
    history = model.fit(x, y, epochs=3, verbose=0, callbacks=[sched, record])
    assert history.history["lr"] == [0.1, 0.0, 0.1]
    for a, b in zip(weights[0], weights[1]):               # epoch 2 (lr 0) changed nothing
        np.testing.assert_array_equal(a, b)
    assert not np.array_equal(weights[1][0], weights[2][0])


def test_reduce_lr_on_plateau_and_lambda_callback_order():
    x, y = _data()
    model = _model(lr=1.0)
    calls = []
    const = keras.callbacks.LambdaCallback(
        on_train_begin=lambda logs: calls.append("train_begin"),
        on_epoch_end=lambda epoch, logs: logs.update(const=1.0) or calls.append(epoch),
        on_train_end=lambda logs: calls.append("train_end"))
    reduce = keras.callbacks.ReduceLROnPlateau(monitor="const", factor=0.5, patience=1)
    history = model.fit(x, y, epochs=3, verbose=0, callbacks=[const, reduce])
    assert calls == ["train_begin", 0, 1, 2, "train_end"]
    assert history.history["lr"] == [1.0, 1.0, 0.5]
    assert float(model.optimizer.learning_rate.numpy()) == 0.25


def test_in_jupyter_the_bar_is_redrawn_live(tmp_path):
    """A real Jupyter kernel runs fit(verbose=1): the bar arrives as it is drawn
    (flushed at each update, the step before redrawn with backspaces and a carriage
    return, as tf_keras writes it) and what Jupyter shows is the finished bar."""
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    code = ("import time, numpy as np\n"
            "from tinyflow import keras\n"
            "x, y = np.random.default_rng(0).normal(size=(20, 4)), np.arange(20) % 3\n"
            "model = keras.Sequential([keras.layers.Dense(3, input_shape=(4,))])\n"
            "model.compile('sgd', keras.losses.SparseCategoricalCrossentropy(from_logits=True))\n"
            "slow = keras.callbacks.LambdaCallback(on_batch_end=lambda batch, logs: time.sleep(0.1))\n"
            "model.fit(x, y, batch_size=8, epochs=2, callbacks=[slow]);")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    nbclient.NotebookClient(nb, timeout=60, kernel_name="python3",
                            resources={"metadata": {"path": os.getcwd()}}).execute()
    streams = [o for o in nb.cells[0].outputs if o.output_type == "stream"]
    text = "".join(o.text for o in streams if o.name == "stdout")
    assert text.count("\r") >= 6 and "\b" in text                  # redrawn at every step
    shown = "\n".join(line.split("\r")[-1] for line in text.split("\n"))  # what Jupyter shows
    lines = shown.splitlines()
    assert lines[0] == "Epoch 1/2" and lines[2] == "Epoch 2/2" and len(lines) == 4
    assert re.fullmatch(r"3/3 \[=+\] - \d+s \d+(s|ms|us)/step - loss: \d\.\d{4}",
                        lines[3]), lines[3]
