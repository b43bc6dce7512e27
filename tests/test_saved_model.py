"""SavedModel-style bundles: JSON + npz written by one process, loaded and
served by another; TF1's builder/loader; tampered bundles refused."""
import json
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import tinyflow as tf
import tinyflow.compat.v1 as tf1
import tinyflow.nn as nn
from tinyflow import saved_model
from tinyflow.base.errors import CheckpointError
from tinyflow.tracing.jit import trace
from tinyflow.base.errors import FailedPreconditionError

from _models import cnn, data, eager, mlp

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


SERVE = textwrap.dedent("""
    import sys
    import numpy as np
    from tinyflow import saved_model
    loaded = saved_model.load(sys.argv[1])
    out = loaded.signatures["serving_default"](x=np.load(sys.argv[2]))
    np.save(sys.argv[3], out["logits"])
    print(sorted(out), "loaded" if "test_saved_model" not in sys.modules else "test module!")
""")


@pytest.mark.parametrize("make, shape, dynamic", [(mlp, (64,), True), (cnn, (1, 8, 8), True)])
def test_a_bundle_saved_here_is_served_by_a_fresh_process(tmp_path, make, shape, dynamic):
    model = make()
    traced = trace(model, tf.zeros(4, *shape), dynamic_batch=dynamic)
    saved_model.save(traced, tmp_path / "bundle", outputs=["logits"])
    assert sorted(os.listdir(tmp_path / "bundle")) == ["graph.json", "saved_model.json",
                                                       "variables.npz"]
    x = data(7 if dynamic else 4, *shape)
    np.save(tmp_path / "x.npy", x)
    script = tmp_path / "serve.py"
    script.write_text(SERVE)
    done = subprocess.run([sys.executable, str(script), str(tmp_path / "bundle"),
                           str(tmp_path / "x.npy"), str(tmp_path / "y.npy")],
                          capture_output=True, text=True, cwd=tmp_path, timeout=60,
                          env=dict(os.environ, PYTHONPATH=REPO))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "['logits'] loaded"
    np.testing.assert_array_equal(np.load(tmp_path / "y.npy"), eager(model, x))


def test_the_weights_live_in_the_npz_not_the_json(tmp_path):
    traced = trace(mlp(), tf.zeros(2, 64))
    traced.save(tmp_path / "m")
    arrays = np.load(tmp_path / "m" / "variables.npz")
    assert sorted(arrays.files) == ["0_bias", "0_weight", "2_bias", "2_weight"]
    assert os.path.getsize(tmp_path / "m" / "graph.json") < 20_000


def test_load_gives_signatures_and_a_callable(tmp_path):
    model = mlp()
    saved_model.save(trace(model, tf.zeros(4, 64)), tmp_path / "m")
    loaded = saved_model.load(tmp_path / "m")
    sig = loaded.signatures["serving_default"]
    assert list(sig.inputs) == ["x"] and list(sig.outputs) == ["output_0"]
    x = data(3, 64)
    np.testing.assert_array_equal(loaded(x), eager(model, x))
    np.testing.assert_array_equal(sig(tf.tensor(x))["output_0"], eager(model, x))
    with pytest.raises(TypeError, match="missing: x"):
        sig()
    with pytest.raises(TypeError, match="unexpected: y"):
        sig(x=x, y=x)
    with pytest.raises(ValueError, match="shape"):
        sig(x=np.zeros((3, 5), np.float32))
    with pytest.raises(RuntimeError, match="tags"):
        saved_model.load(tmp_path / "m", tags=["train"])
    assert saved_model.contains_saved_model(tmp_path / "m")


def test_a_tinyflow_function_saves_once_traced(tmp_path):
    model = mlp()

    @tf.function
    def predict(x):
        return {"probs": tf.softmax(model(x), -1)}

    with pytest.raises(ValueError, match="0 traced signatures"):
        saved_model.save(predict, tmp_path / "a")
    x = data(5, 64)
    want = predict(x)["probs"].detach().numpy()
    saved_model.save(predict, tmp_path / "a")
    np.testing.assert_array_equal(saved_model.load(tmp_path / "a")(x), want)
    with pytest.raises(TypeError, match="jit.trace"):
        saved_model.save(model, tmp_path / "b")


def test_a_graph_mode_session_saves_with_its_variables(tmp_path):
    tf1.reset_default_graph()
    x = tf1.placeholder(tf1.float32, [None, 4], name="x")
    y = tf1.layers.dense(x, 3, name="dense")
    with tf1.Session() as sess:
        sess.run(tf1.global_variables_initializer())
        saved_model.save(sess, tmp_path / "m", inputs={"x": x}, outputs={"y": y})
        xs = data(6, 4)
        want = sess.run(y, {x: xs})
    loaded = saved_model.load(tmp_path / "m")
    np.testing.assert_array_equal(loaded.signatures["serving_default"](x=xs)["y"], want)


def test_an_uninitialized_variable_is_not_saved(tmp_path):
    tf1.reset_default_graph()
    x = tf1.placeholder(tf1.float32, [None, 2], name="x")
    w = tf1.Variable(np.ones((2, 1), np.float32), name="w")
    with tf1.Session() as sess:
        with pytest.raises(FailedPreconditionError, match="'w'"):
            saved_model.save(sess, tmp_path / "m", inputs={"x": x}, outputs={"y": x @ w})


def test_tf1_builder_and_loader(tmp_path):
    tf1.reset_default_graph()
    x = tf1.placeholder(tf1.float32, [None, 2], name="x")
    w = tf1.Variable(np.array([[1.0], [2.0]], np.float32), name="w")
    y = tf1.matmul(x, w, name="y")
    export_dir = str(tmp_path / "model")
    with tf1.Session() as sess:
        sess.run(w.initializer)
        builder = tf1.saved_model.builder.SavedModelBuilder(export_dir)
        sig = tf1.saved_model.signature_def_utils.predict_signature_def(
            inputs={"x": x}, outputs={"y": y})
        builder.add_meta_graph_and_variables(
            sess, [tf1.saved_model.tag_constants.SERVING],
            signature_def_map={
                tf1.saved_model.signature_constants.DEFAULT_SERVING_SIGNATURE_DEF_KEY: sig})
        sess.run(w.assign([[5.0], [5.0]]))            # after the snapshot: not saved
        assert builder.save() == export_dir
    with tf1.Session(graph=tf1.Graph()) as sess:
        meta = tf1.saved_model.loader.load(sess, [tf1.saved_model.tag_constants.SERVING],
                                           export_dir)
        sig = meta.signature_def["serving_default"]
        out = sess.run(sig.outputs["y"].name, {sig.inputs["x"].name: [[1.0, 1.0]]})
        np.testing.assert_array_equal(out, [[3.0]])
        with pytest.raises(ValueError, match="fresh graph"):
            tf1.saved_model.loader.load(sess, ["serve"], export_dir)
    with tf1.Session(graph=tf1.Graph()) as sess:
        with pytest.raises(RuntimeError, match="could not be found"):
            tf1.saved_model.loader.load(sess, ["train"], export_dir)
    with pytest.raises(FileExistsError):
        tf1.saved_model.builder.SavedModelBuilder(export_dir)
    # the same bundle, the TF2 way
    np.testing.assert_array_equal(saved_model.load(export_dir)(np.ones((1, 2), np.float32)),
                                  [[3.0]])


def test_simple_save(tmp_path):
    tf1.reset_default_graph()
    x = tf1.placeholder(tf1.float32, [None], name="x")
    y = tf1.identity(x * 3.0, name="y")
    with tf1.Session() as sess:
        tf1.saved_model.simple_save(sess, str(tmp_path / "s"), {"x": x}, {"y": y})
    assert saved_model.load(tmp_path / "s")(x=np.array([1.0, 2.0], np.float32)).tolist() == [3, 6]


def test_an_existing_directory_needs_overwrite(tmp_path):
    traced = trace(nn.Linear(3, 2), tf.zeros(1, 3))
    traced.save(tmp_path / "m")
    with pytest.raises(FileExistsError, match="overwrite=True"):
        traced.save(tmp_path / "m")
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "notes.txt").write_text("mine")
    with pytest.raises(FileExistsError):
        saved_model.save(traced, tmp_path / "other")
    traced.save(tmp_path / "m", overwrite=True)
    assert saved_model.load(tmp_path / "m")(np.ones((2, 3), np.float32)).shape == (2, 2)


# --- tampered and partial bundles ---------------------------------------------------------------

def _edit_json(path, change):
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data))


def _wrong_shape(d):
    arrays = dict(np.load(d / "variables.npz"))
    arrays["0_weight"] = np.zeros((3, 3), np.float32)
    np.savez(d / "variables.npz", **arrays)


def _extra_variable(d):
    arrays = dict(np.load(d / "variables.npz"))
    arrays["sneaky"] = np.zeros(2, np.float32)
    np.savez(d / "variables.npz", **arrays)


def _unknown_op(d):
    def change(g):
        g["nodes"][-1]["op"] = "os.system"
    _edit_json(d / "graph.json", change)


def _pickled_variables(d):
    import pickle
    (d / "variables.npz").write_bytes(pickle.dumps({"0_weight": 1}))


TAMPERING = {
    "missing manifest": (lambda d: os.remove(d / "saved_model.json"), "no such file"),
    "missing variables": (lambda d: os.remove(d / "variables.npz"), "no such file"),
    "missing graph": (lambda d: os.remove(d / "graph.json"), "no such file"),
    "bad JSON": (lambda d: (d / "graph.json").write_text("{not json"), "not valid JSON"),
    "bad manifest JSON": (lambda d: (d / "saved_model.json").write_text("[1, 2"), "not valid JSON"),
    "wrong format": (lambda d: _edit_json(d / "saved_model.json",
                                          lambda m: m.update(format="other/1")), "format"),
    "variable of the wrong shape": (_wrong_shape, "has shape"),
    "extra variable": (_extra_variable, "sneaky"),
    "unknown op type": (_unknown_op, "unknown op type 'os.system'"),
    "path outside the bundle": (lambda d: _edit_json(d / "saved_model.json",
                                                     lambda m: m.update(graph="../../x")),
                                "plain file name"),
    "absolute path": (lambda d: _edit_json(d / "saved_model.json",
                                           lambda m: m.update(variables="/etc/passwd")),
                      "plain file name"),
    "pickle": (_pickled_variables, "pickle"),
    "signature names a missing tensor": (
        lambda d: _edit_json(d / "saved_model.json", lambda m: m["signatures"]["serving_default"]
                             ["outputs"]["output_0"].update(name="nope:0")), "nope:0"),
    "corrupt signature": (
        lambda d: _edit_json(d / "saved_model.json",
                             lambda m: m["signatures"]["serving_default"].pop("inputs")),
        "corrupt signature"),
}


@pytest.mark.parametrize("how", sorted(TAMPERING))
def test_a_tampered_bundle_fails_to_load_clearly(tmp_path, how):
    tamper, message = TAMPERING[how]
    d = tmp_path / "m"
    trace(nn.Sequential(nn.Linear(3, 2)), tf.zeros(1, 3)).save(d)
    tamper(d)
    with pytest.raises(CheckpointError, match=message):
        saved_model.load(d)


def test_a_folder_that_is_not_a_bundle(tmp_path):
    with pytest.raises(CheckpointError, match="no such directory"):
        saved_model.load(tmp_path / "nowhere")
    with pytest.raises(CheckpointError, match="no such file"):
        saved_model.load(tmp_path)
