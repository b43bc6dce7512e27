"""``keras.metrics.AUC`` and ``keras.callbacks.CSVLogger``: what tf_keras gives.

The reference values were recorded by running the scripts quoted beside them
with real TensorFlow 2.21 + tf_keras 2.21 (Keras 2) in /work/oracles/tf-venv,
float64 unless said; tinyflow's tests never import TensorFlow.
"""
import csv
import io
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import tinyflow as tf
from tinyflow import keras
from tinyflow.compat.v2 import errors

M = keras.metrics


@pytest.fixture(autouse=True)
def _float64(float64_throughout):
    """Every test here runs in float64, as the tf_keras numbers were recorded."""


Y = np.array([0, 0, 1, 1, 0, 1, 1, 0, 1, 0, 1, 0], "float64")
P = np.array([0.1, 0.4, 0.35, 0.8, 0.0, 1.0, 0.5, 0.5, 13 / 199, 0.9, 0.62, 0.3])
SW = np.array([1.0, 0.5, 2.0, 1.0, 0.0, 3.0, 1.5, 0.25, 1.0, 2.0, 0.7, 1.2])
LOGITS = np.array([-2.0, 0.3, -0.1, 1.5, -4.0, 3.0, 0.0, 0.2, -1.2, 2.2, 0.4, -0.6])
Y2 = np.array([[0, 1, 0], [1, 0, 0], [0, 0, 1], [0, 1, 0], [1, 0, 0], [0, 1, 1]], "float64")
P2 = np.array([[0.2, 0.7, 0.1], [0.6, 0.3, 0.1], [0.3, 0.3, 0.4], [0.5, 0.45, 0.05],
               [0.1, 0.8, 0.1], [0.05, 0.6, 0.35]])
SW2 = np.array([1.0, 2.0, 0.5, 1.0, 1.5, 0.3])

CASES = {
    "roc": (lambda: M.AUC(), (Y, P), {}),
    "roc_sw": (lambda: M.AUC(), (Y, P), {"sample_weight": SW}),
    "pr": (lambda: M.AUC(curve="PR"), (Y, P), {}),
    "pr_sw": (lambda: M.AUC(curve="PR"), (Y, P), {"sample_weight": SW}),
    "roc_logits": (lambda: M.AUC(from_logits=True), (Y, LOGITS), {}),
    "pr_logits_sw": (lambda: M.AUC(curve="PR", from_logits=True), (Y, LOGITS),
                     {"sample_weight": SW}),
    "roc_minoring_7": (lambda: M.AUC(num_thresholds=7, summation_method="minoring"), (Y, P), {}),
    "roc_majoring_7": (lambda: M.AUC(num_thresholds=7, summation_method="majoring"), (Y, P), {}),
    "pr_majoring_11": (lambda: M.AUC(num_thresholds=11, curve="PR",
                                     summation_method="majoring"), (Y, P), {"sample_weight": SW}),
    "pr_gain": (lambda: M.AUC(curve="PR_GAIN"), (Y, P), {}),
    "thresholds_uneven": (lambda: M.AUC(thresholds=[0.8, 0.1, 0.35]), (Y, P), {}),
    "thresholds_even": (lambda: M.AUC(thresholds=[0.25, 0.5, 0.75]), (Y, P),
                        {"sample_weight": SW}),
    "column": (lambda: M.AUC(), (Y[:, None], P[:, None]), {"sample_weight": SW}),
    "flat_2d": (lambda: M.AUC(), (Y2, P2), {}),
    "flat_2d_sw": (lambda: M.AUC(curve="PR"), (Y2, P2), {"sample_weight": SW2}),
    "label_weights": (lambda: M.AUC(label_weights=[1.0, 2.0, 0.5]), (Y2, P2), {}),
    "multi_label": (lambda: M.AUC(multi_label=True), (Y2, P2), {}),
    "multi_label_sw": (lambda: M.AUC(multi_label=True, curve="PR", num_labels=3), (Y2, P2),
                       {"sample_weight": SW2}),
    "multi_label_weights": (lambda: M.AUC(multi_label=True, label_weights=[1.0, 2.0, 0.5]),
                            (Y2, P2), {}),
}
# tf_keras 2.21, float64, the arrays above and M = keras.metrics:
#   for name, (make, args, kw) in CASES.items():
#       m = make(); m.update_state(*args, **kw)
#       print(f'"{name}": {float(m.result())!r},')
TF_KERAS_AUC = {
    "roc": 0.6805555555555556, "roc_sw": 0.6258783487044356, "pr": 0.6887400494331574,
    "pr_sw": 0.7908159595862483, "roc_logits": 0.6666666666666667,
    "pr_logits_sw": 0.7872989272306513, "roc_minoring_7": 0.5833333333333334,
    "roc_majoring_7": 0.7777777777777778, "pr_majoring_11": 0.8077083883783841,
    "pr_gain": 0.4058333333333334, "thresholds_uneven": 0.5833333333333334,
    "thresholds_even": 0.5550614844093105, "column": 0.6258783487044356,
    "flat_2d": 0.7857142857142857, "flat_2d_sw": 0.49755144744002766,
    "label_weights": 0.7337962962962963, "multi_label": 0.763888888888889,
    "multi_label_sw": 0.7294312339803453, "multi_label_weights": 0.7023809523809524,
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_auc_equals_tf_keras(name):
    make, args, kwargs = CASES[name]
    metric = make()
    metric.update_state(*args, **kwargs)
    np.testing.assert_allclose(float(metric.result()), TF_KERAS_AUC[name], rtol=1e-13)


def test_auc_counts_by_tf_keras_buckets():
    # tf_keras 2.21: m = M.AUC(); m.update_state(Y, P)
    #   print(m.true_positives.numpy()[[0, 1, 12, 13, 14, 98, 99, 100, 198, 199]].tolist())
    #   (and m.false_positives). 13/199 * 199 rounds up past 13: bucket 13, so the
    #   prediction 13/199 counts as positive at the threshold 13/199 itself.
    m = M.AUC()
    m.update_state(Y, P)
    at = [0, 1, 12, 13, 14, 98, 99, 100, 198, 199]
    assert m.true_positives.detach().numpy()[at].tolist() == [6, 6, 6, 6, 5, 4, 4, 3, 1, 0]
    assert m.false_positives.detach().numpy()[at].tolist() == [6, 5, 5, 5, 5, 2, 2, 1, 0, 0]
    tp, fn = m.true_positives.detach().numpy(), m.false_negatives.detach().numpy()
    np.testing.assert_array_equal(tp + fn, np.full(200, 6.0))


def test_auc_accumulates_over_batches_and_resets():
    # tf_keras 2.21: m = M.AUC(); m.update_state(Y[:5], P[:5], sample_weight=SW[:5])
    #   m.update_state(Y[5:], P[5:], sample_weight=SW[5:]) -> 0.6258783487044356
    #   m.reset_state() -> 0.0;  M.AUC().result(), M.AUC(curve="PR").result() -> 0.0, 0.0
    m = M.AUC()
    assert float(m.result()) == 0.0 and float(M.AUC(curve="PR").result()) == 0.0
    m.update_state(Y[:5], P[:5], sample_weight=SW[:5])
    m.update_state(Y[5:], P[5:], sample_weight=SW[5:])
    np.testing.assert_allclose(float(m.result()), 0.6258783487044356, rtol=1e-13)
    m.reset_state()
    assert float(m.result()) == 0.0
    # tf_keras 2.21: [v.name for v in M.AUC().variables]
    assert [v.name for v in m.variables] == ["true_positives:0", "true_negatives:0",
                                             "false_positives:0", "false_negatives:0"]


def test_auc_in_float32():
    # tf_keras 2.21, floatx float32: M.AUC() with (Y, P, SW) -> 0.6258783340454102, float32
    keras.backend.set_floatx("float32")
    m = M.AUC()
    m.update_state(Y, P, sample_weight=SW)
    assert m.result().dtype == tf.float32
    np.testing.assert_allclose(float(m.result()), 0.6258783340454102, rtol=1e-7)


@pytest.mark.parametrize("trace", [False, True], ids=["eager", "traced"])
def test_auc_updates_inside_a_traced_function(trace):
    m = M.AUC(curve="PR")

    def update(y, p, w):
        m.update_state(y, p, sample_weight=w)
        return m.result()
    run = tf.function(update) if trace else update
    for part in (slice(0, 5), slice(5, 12)):
        with tf.no_grad():
            result = run(tf.tensor(Y[part]), tf.tensor(P[part]), tf.tensor(SW[part]))
    np.testing.assert_allclose(float(result), TF_KERAS_AUC["pr_sw"], rtol=1e-13)


# tf_keras 2.21 (a fresh session):
#   M.AUC().name, M.AUC().name, M.AUC(name="x").name -> auc auc_1 x
#   print(M.AUC().get_config()), print(M.AUC(thresholds=[0.3, 0.1, 0.7]).get_config())
#   print(M.AUC(num_thresholds=4).thresholds)
def test_auc_names_config_and_thresholds():
    assert (M.AUC().name, M.AUC().name, M.AUC(name="x").name) == ("auc", "auc_1", "x")
    config = M.AUC(name="auc").get_config()
    assert config == {"name": "auc", "dtype": "float64", "num_thresholds": 200, "curve": "ROC",
                      "summation_method": "interpolation", "multi_label": False,
                      "num_labels": None, "label_weights": None, "from_logits": False}
    config = M.AUC(thresholds=[0.3, 0.1, 0.7], name="t").get_config()
    assert config["num_thresholds"] == 5 and config["thresholds"] == [0.1, 0.3, 0.7]
    assert M.AUC(num_thresholds=4).thresholds == [-1e-07, 0.3333333333333333,
                                                  0.6666666666666666, 1.0000001]
    again = M.deserialize(M.serialize(M.AUC(curve="PR", from_logits=True, name="pr")))
    assert type(again) is M.AUC and again.get_config()["curve"] == "PR" and again.name == "pr"
    assert again.get_config() == M.AUC(curve="PR", from_logits=True, name="pr").get_config()


# tf_keras 2.21: each call's exception type and message
AUC_ERRORS = [
    (lambda: M.AUC(num_thresholds=1), ValueError,
     "Argument `num_thresholds` must be an integer > 1. Received: num_thresholds=1"),
    (lambda: M.AUC(curve="foo"), ValueError,
     'Invalid AUC curve value: "foo". Expected values are ["PR", "ROC", "PR_GAIN"]'),
    (lambda: M.AUC(summation_method="foo"), ValueError,
     'Invalid AUC summation method value: "foo". Expected values are ["interpolation", '
     '"majoring", "minoring"]'),
    (lambda: M.AUC(num_labels=3), ValueError,
     "`num_labels` is needed only when `multi_label` is True."),
    (lambda: M.AUC(label_weights=[-1.0, 1.0]), errors.InvalidArgumentError,
     "All values of `label_weights` must be non-negative."),
    (lambda: M.AUC().update_state([1.0, 0.0, 1.0], [0.3, 0.2]), ValueError,
     "AUC.update_state: y_true and y_pred must have the same shape, got y_true (3,) and "
     "y_pred (2,)"),
    (lambda: M.AUC(multi_label=True).update_state(np.array([1.0, 0.0]), np.array([0.3, 0.2])),
     ValueError, "`y_pred` must have rank 2 when `multi_label=True`. Found rank 1."),
]


@pytest.mark.parametrize("i", range(len(AUC_ERRORS)))
def test_auc_errors(i):
    make, error, message = AUC_ERRORS[i]
    with pytest.raises(error) as info:
        make()
    assert str(info.value).startswith(message)


# --- AUC in compile and fit -----------------------------------------------------------

X = np.linspace(-1, 1, 24).reshape(12, 2)
YF = np.array([0, 1, 1, 0, 1, 0, 0, 1, 1, 0, 1, 1], "float64")


def _model(metrics=None, lr=0.5, run_eagerly=False):
    model = keras.Sequential([keras.layers.Dense(1, activation="sigmoid", input_shape=(2,))])
    model.set_weights([np.array([[0.5], [-1.0]]), np.array([0.1])])
    model.compile(optimizer=keras.optimizers.SGD(lr), loss="binary_crossentropy",
                  metrics=metrics, run_eagerly=run_eagerly)
    return model


# tf_keras 2.21, float64, X and YF as above, _model as here (keras for tinyflow):
#   m = _model([M.AUC(), M.AUC(curve="PR", name="pr_auc")])
#   h = m.fit(X, YF, epochs=2, batch_size=5, shuffle=False, verbose=0,
#             validation_data=(X[:7], YF[:7]))
#   print(h.history); print(m.evaluate(X, YF, verbose=0, sample_weight=np.linspace(0.5, 2, 12)))
FIT_HISTORY = {
    "auc": [0.37142857142857144, 0.4714285714285714],
    "loss": [0.7327676600928145, 0.6817143106407304],
    "pr_auc": [0.5054621588014391, 0.5553223654583873],
    "val_auc": [0.3333333333333333, 0.3333333333333333],
    "val_loss": [0.7251947464193718, 0.7436481732401269],
    "val_pr_auc": [0.3257484395622901, 0.324224819819726]}
EVALUATE = [0.7965075967496436, 0.6285714285714286, 0.7551282023588338]   # unweighted AUCs


@pytest.mark.parametrize("run_eagerly", [False, True], ids=["traced", "eager"])
def test_auc_in_fit_equals_tf_keras(run_eagerly):
    model = _model([M.AUC(), M.AUC(curve="PR", name="pr_auc")], run_eagerly=run_eagerly)
    history = model.fit(X, YF, epochs=2, batch_size=5, shuffle=False, verbose=0,
                        validation_data=(X[:7], YF[:7]))
    assert sorted(history.history) == sorted(FIT_HISTORY)
    for key, values in FIT_HISTORY.items():
        np.testing.assert_allclose(history.history[key], values, rtol=1e-12, err_msg=key)
    got = model.evaluate(X, YF, verbose=0, sample_weight=np.linspace(0.5, 2, 12))
    np.testing.assert_allclose(got, EVALUATE, rtol=1e-12)


def test_auc_by_name_in_compile():
    # tf_keras 2.21 (after making M.AUC() five times): compile(metrics=["AUC"]) -> history
    #   ['auc', 'loss', 'val_auc', 'val_loss']; metrics=[M.AUC(), M.AUC(curve="PR")] in a
    #   fresh session -> 'auc', 'auc_1'. keras.metrics.get("auc") is not a metric there
    #   (it returns the string, and fit fails); tinyflow says so at compile.
    for _ in range(5):
        M.AUC()
    model = _model(["AUC"])
    history = model.fit(X, YF, epochs=1, verbose=0, validation_split=0.25)
    assert sorted(history.history) == ["auc", "loss", "val_auc", "val_loss"]
    assert isinstance(M.get("AUC"), M.AUC)
    keras.backend.clear_session()
    history = _model([M.AUC(), M.AUC(curve="PR")]).fit(X, YF, epochs=1, verbose=0)
    assert sorted(history.history) == ["auc", "auc_1", "loss"]
    with pytest.raises(ValueError, match="Unknown metric function: 'auc'"):
        _model(["auc"])


# --- CSVLogger --------------------------------------------------------------------------

# tf_keras 2.21, float64, _model(["accuracy"], lr=0.1) as above; show(path) printed
# repr(open(path, newline="").read()):
#   a: fit(X, YF, epochs=2, batch_size=4, shuffle=False, callbacks=[CSVLogger(path)])
#   b: the same with validation_data=(X, YF) and CSVLogger(path, separator=";")
#   c: epochs=3, validation_data=(X, YF), validation_freq=2
#   d: cb = CSVLogger(path, append=True); fit(epochs=2, callbacks=[cb]); on the same
#      model fit(epochs=3, initial_epoch=2, callbacks=[cb]); then a new model and a new
#      CSVLogger(path, append=True), fit(epochs=1)
#   e: open(path, "w").close(), then a CSVLogger(path, append=True), fit(epochs=1)
#   f: cb = CSVLogger(path); fit(epochs=1, callbacks=[cb]); on the same model,
#      fit(epochs=1, validation_data=(X, YF), callbacks=[cb])
E0 = "0.4166666666666667,0.7339852098183135"
E1 = "0.3333333333333333,0.725402138557087"
E2 = "0.3333333333333333,0.7177601259992935"
V0, V1 = "0.3333333333333333,0.7255339901113992", "0.3333333333333333,0.7178255488795683"
HEAD = "epoch,accuracy,loss,val_accuracy,val_loss\r\n"
CSV = {
    "a": f"{HEAD}0,{E0},NA,NA\r\n1,{E1},NA,NA\r\n",
    "b": (f"{HEAD}0,{E0},{V0}\r\n1,{E1},{V1}\r\n").replace(",", ";"),
    "c": f"{HEAD}0,{E0},NA,NA\r\n1,{E1},{V1}\r\n2,{E2},NA,NA\r\n",
    "d": f"{HEAD}0,{E0},NA,NA\r\n1,{E1},NA,NA\r\n2,{E2},NA,NA\r\n0,{E0},NA,NA\r\n",
    "e": f"{HEAD}0,{E0},NA,NA\r\n",
    "f": f"{HEAD}0,{E1},{V1}\r\n",
}


def _fit(model, cb, epochs=1, **kwargs):
    model.fit(X, YF, epochs=epochs, batch_size=4, shuffle=False, verbose=0, callbacks=[cb],
              **kwargs)


def _write(case, path):
    L = keras.callbacks.CSVLogger
    new = lambda: _model(["accuracy"], lr=0.1)       # noqa: E731
    if case == "a":
        _fit(new(), L(path), 2)
    elif case == "b":
        _fit(new(), L(path, separator=";"), 2, validation_data=(X, YF))
    elif case == "c":
        _fit(new(), L(path), 3, validation_data=(X, YF), validation_freq=2)
    elif case == "d":
        model, cb = new(), L(path, append=True)
        _fit(model, cb, 2)
        _fit(model, cb, 3, initial_epoch=2)
        _fit(new(), L(path, append=True), 1)
    elif case == "e":
        open(path, "w").close()
        _fit(new(), L(path, append=True), 1)
    else:
        model, cb = new(), L(path)
        _fit(model, cb, 1)
        _fit(model, cb, 1, validation_data=(X, YF))


def _cells(text, sep):
    return [row for row in csv.reader(io.StringIO(text, newline=""), delimiter=sep)]


@pytest.mark.parametrize("case", sorted(CSV))
def test_csv_logger_writes_what_tf_keras_writes(case, tmp_path):
    path = tmp_path / "log.csv"
    _write(case, path)
    text = open(path, newline="").read()
    want = CSV[case]
    # the same lines, columns and words; numbers to the last few bits (tinyflow's mean
    # of the batch losses may round differently in the 16th digit)
    assert text.count("\r\n") == want.count("\r\n") and "\n" not in text.replace("\r\n", "")
    sep = ";" if case == "b" else ","
    got_rows, want_rows = _cells(text, sep), _cells(want, sep)
    assert [len(r) for r in got_rows] == [len(r) for r in want_rows]
    assert got_rows[0] == want_rows[0]
    for got, row in zip(got_rows[1:], want_rows[1:]):
        assert [g == "NA" for g in got] == [w == "NA" for w in row] and got[0] == row[0]
        np.testing.assert_allclose([float(g) for g in got[1:] if g != "NA"],
                                   [float(w) for w in row[1:] if w != "NA"], rtol=1e-12)


def test_csv_logger_rows_are_on_disk_as_each_epoch_ends(tmp_path):
    path = tmp_path / "log.csv"
    seen = []
    reader = keras.callbacks.LambdaCallback(
        on_epoch_end=lambda epoch, logs: seen.append(open(path, newline="").read().count("\r\n")))
    _model(["accuracy"]).fit(X, YF, epochs=3, verbose=0,
                             callbacks=[keras.callbacks.CSVLogger(path), reader])
    assert seen == [2, 3, 4]                 # the header and every finished epoch


def test_csv_logger_keeps_every_finished_epoch_when_the_process_dies(tmp_path):
    path = tmp_path / "log.csv"
    script = textwrap.dedent(f"""
        import os, numpy as np
        from tinyflow import keras
        model = keras.Sequential([keras.layers.Dense(1, input_shape=(2,))])
        model.compile(optimizer="sgd", loss="mse")
        die = keras.callbacks.LambdaCallback(
            on_epoch_end=lambda epoch, logs: os._exit(3) if epoch == 2 else None)
        model.fit(np.ones((8, 2)), np.zeros(8), epochs=10, verbose=0,
                  callbacks=[keras.callbacks.CSVLogger({str(path)!r}), die])
    """)
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    done = subprocess.run([sys.executable, "-c", script], cwd=root, timeout=120,
                          env={**os.environ, "PYTHONPATH": root}, capture_output=True)
    assert done.returncode == 3, done.stderr.decode()[-2000:]
    rows = open(path, newline="").read().split("\r\n")
    assert rows[0] == "epoch,loss,val_loss" and [r.split(",")[0] for r in rows[1:-1]] == \
        ["0", "1", "2"] and rows[-1] == ""


def test_csv_logger_errors(tmp_path):
    cb = keras.callbacks.CSVLogger(tmp_path / "missing" / "log.csv")
    with pytest.raises(FileNotFoundError, match="CSVLogger: cannot write filename=.*the folder "
                                                ".*missing' does not exist"):
        _model().fit(X, YF, epochs=1, verbose=0, callbacks=[cb])
    with pytest.raises(TypeError, match="CSVLogger: argument 'separator' must be a "
                                        "1-character string, got '; '"):
        keras.callbacks.CSVLogger(tmp_path / "log.csv", separator="; ")
    with pytest.raises(TypeError, match="CSVLogger.*'filename' must be a path"):
        keras.callbacks.CSVLogger(5)
