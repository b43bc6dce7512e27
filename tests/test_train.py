"""tinyflow.train: fit / evaluate, and the proof that the pieces train real
models: an MLP and a small CNN on the 8x8 digits (accuracy, not time)."""
import contextlib
import sys

import numpy as np
import pytest

import tinyflow as tf
import tinyflow.nn as nn
from tinyflow import optim
from tinyflow.data import DataLoader, TensorDataset, load_digits, make_moons, train_test_split
from tinyflow.train import accuracy, evaluate, fit


@pytest.fixture(scope="module")
def digits():
    """A fixed 80/20 split of the 1,797 digits (360 test images)."""
    X, y = load_digits()
    return train_test_split(X, y, test_size=0.2, seed=0)


@contextlib.contextmanager
def _one_blas_thread():
    """These matrices are tiny: BLAS threads gain nothing, and on a busy 2-core
    machine OpenBLAS's spinning threads made this run ten times slower."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:                      # it comes with scikit-learn (the lab extra)
        yield
        return
    with threadpool_limits(1, user_api="blas"):
        yield


def _train_digits(model, digits, epochs, lr, image=False):
    with _one_blas_thread():
        return _fit_digits(model, digits, epochs, lr, image)


def _fit_digits(model, digits, epochs, lr, image):
    X_train, X_test, y_train, y_test = digits
    shape = (-1, 1, 8, 8) if image else (-1, 64)
    train = TensorDataset(X_train.reshape(shape), y_train)
    test = TensorDataset(X_test.reshape(shape), y_test)
    opt = optim.Adam(model.parameters(), lr=lr)
    history = fit(model, DataLoader(train, batch_size=32, shuffle=True, seed=0),
                  nn.CrossEntropyLoss(), opt, epochs=epochs,
                  scheduler=optim.lr_scheduler.CosineAnnealingLR(opt, T_max=epochs),
                  progress=False)
    result = evaluate(model, DataLoader(test, batch_size=512), nn.CrossEntropyLoss())
    return history, result


def test_mlp_learns_the_digits(digits):
    tf.manual_seed(0)
    model = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 10))
    history, result = _train_digits(model, digits, epochs=30, lr=3e-3)
    assert history["loss"][-1] < history["loss"][0] / 10
    assert result["accuracy"] >= 0.97, result


def test_cnn_learns_the_digits(digits):
    tf.manual_seed(0)
    model = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                          nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                          nn.Flatten(), nn.Linear(32 * 2 * 2, 10))
    _, result = _train_digits(model, digits, epochs=15, lr=5e-3, image=True)
    assert result["accuracy"] >= 0.98, result


# --- fit and evaluate ---------------------------------------------------------------------

def _moons(n=200, seed=0):
    X, y = make_moons(n, noise=0.1, seed=seed)
    return DataLoader(TensorDataset(X, y), batch_size=32, shuffle=True, seed=seed)


def _model():
    return nn.Sequential(nn.Linear(2, 16), nn.Tanh(), nn.Linear(16, 2))


def test_fit_returns_a_history_of_every_epoch():
    model = _model()
    val = DataLoader(TensorDataset(*make_moons(100, noise=0.1, seed=1)), batch_size=50)
    history = fit(model, _moons(), nn.CrossEntropyLoss(), optim.Adam(model.parameters(), lr=0.05),
                  epochs=15, val_loader=val, progress=False)
    assert list(history) == ["loss", "accuracy", "val_loss", "val_accuracy"]
    assert all(len(v) == 15 for v in history.values())
    assert history["loss"][-1] < history["loss"][0]
    assert history["accuracy"][-1] > 0.95 and history["val_accuracy"][-1] > 0.95
    assert model.training


def test_fit_is_reproducible_after_manual_seed():
    def run():
        tf.manual_seed(4)
        model = _model()
        return fit(model, _moons(), nn.CrossEntropyLoss(), optim.SGD(model.parameters(), lr=0.1),
                   epochs=3, progress=False)["loss"]

    assert run() == run()


def test_evaluate_restores_the_mode_and_records_nothing():
    model = nn.Sequential(nn.Linear(2, 8), nn.Dropout(0.5), nn.Linear(8, 2))
    model[1].train()
    result = evaluate(model, _moons(), nn.CrossEntropyLoss())
    assert sorted(result) == ["accuracy", "loss"] and 0 <= result["accuracy"] <= 1
    assert all(m.training for m in model.modules())
    assert all(p.grad is None for p in model.parameters())
    assert evaluate(model, _moons(), metrics=()) == {}


def test_callbacks_see_every_batch_and_epoch_and_can_stop_training():
    epochs_seen, batches = [], []

    class Recorder:
        def on_batch_end(self, step, logs):
            batches.append((step, sorted(logs)))

        def on_epoch_end(self, epoch, logs):
            epochs_seen.append((epoch, sorted(logs)))
            return epoch == 2                      # stop after the third epoch

    model = _model()
    plain = []
    history = fit(model, _moons(), nn.CrossEntropyLoss(), optim.SGD(model.parameters(), lr=0.1),
                  epochs=10, callbacks=[Recorder(), lambda e, logs: plain.append(e)],
                  progress=False)
    assert len(history["loss"]) == 3 and plain == [0, 1, 2]
    assert epochs_seen == [(e, ["accuracy", "loss"]) for e in range(3)]
    assert len(batches) == 3 * 7 and batches[-1][0] == 20


def test_fit_steps_the_scheduler_once_per_epoch():
    model = _model()
    opt = optim.SGD(model.parameters(), lr=1.0)
    sched = optim.lr_scheduler.StepLR(opt, step_size=1, gamma=0.5)
    fit(model, _moons(), nn.CrossEntropyLoss(), opt, epochs=3, scheduler=sched, progress=False)
    assert opt.param_groups[0]["lr"] == 0.125


def test_custom_metrics_and_binary_accuracy():
    def error_rate(out, y):
        return 1 - accuracy(out, y)

    X, y = make_moons(200, noise=0.1, seed=0)
    loader = DataLoader(TensorDataset(X, y.astype(np.float32).reshape(-1, 1)), batch_size=32)
    model = nn.Sequential(nn.Linear(2, 16), nn.Tanh(), nn.Linear(16, 1))
    history = fit(model, loader, nn.BCEWithLogitsLoss(), optim.Adam(model.parameters(), lr=0.05),
                  epochs=20, metrics=["accuracy", error_rate], progress=False)
    assert history["accuracy"][-1] > 0.95
    np.testing.assert_allclose(np.add(history["accuracy"], history["error_rate"]), 1.0)
    assert accuracy(tf.tensor([2.0, -1.0, 0.5]), tf.tensor([1, 0, 0])) == pytest.approx(2 / 3)


def test_progress_bar_and_its_fallback_without_tqdm(monkeypatch, capsys):
    model = _model()
    fit(model, _moons(64), nn.CrossEntropyLoss(), optim.SGD(model.parameters(), lr=0.1),
        epochs=1, progress=True)
    assert "epoch 1/1" in capsys.readouterr().err
    monkeypatch.setitem(sys.modules, "tqdm.auto", None)        # as if tqdm were not installed
    history = fit(model, _moons(64), nn.CrossEntropyLoss(),
                  optim.SGD(model.parameters(), lr=0.1), epochs=1, progress=True)
    assert len(history["loss"]) == 1 and capsys.readouterr().err == ""


def test_fit_errors():
    model = _model()
    opt = optim.SGD(model.parameters(), lr=0.1)
    with pytest.raises(ValueError, match="unknown metric 'f1'"):
        fit(model, _moons(), nn.CrossEntropyLoss(), opt, metrics=["f1"], progress=False)
    loader = DataLoader(TensorDataset(np.zeros((4, 2), np.float32)), batch_size=2)
    with pytest.raises(ValueError, match=r"yield \(inputs, targets\) pairs, got list of length 1"):
        fit(model, loader, nn.CrossEntropyLoss(), opt, progress=False)
