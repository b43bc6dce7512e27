"""Saver and meta graphs: JSON + npz, atomic, clear errors, restorable in a fresh process."""
import os
import pickle
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import tinyflow.compat.v1 as tf
from tinyflow.base.errors import CheckpointError


def _model():
    tf.reset_default_graph()
    x = tf.placeholder(tf.float64, [None, 4], name="x")
    h = tf.layers.dense(x, 8, activation=tf.nn.relu, name="fc1")
    y = tf.layers.dense(h, 3, name="fc2")
    return x, y


def test_save_restore_and_rebuild_in_a_fresh_process(tmp_path):
    x, y = _model()
    saver = tf.train.Saver()
    xs = np.random.default_rng(0).standard_normal((5, 4))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        expected = sess.run(y, {x: xs})
        prefix = saver.save(sess, str(tmp_path / "model"), global_step=3)
    assert os.path.exists(prefix + ".npz") and os.path.exists(prefix + ".meta")
    assert tf.train.latest_checkpoint(str(tmp_path)) == prefix
    np.save(tmp_path / "xs.npy", xs)
    script = textwrap.dedent(f"""
        import numpy as np
        import tinyflow.compat.v1 as tf
        saver = tf.train.import_meta_graph({prefix + '.meta'!r})
        g = tf.get_default_graph()
        y = g.get_tensor_by_name("fc2/BiasAdd:0")
        with tf.Session() as sess:
            saver.restore(sess, tf.train.latest_checkpoint({str(tmp_path)!r}))
            out = sess.run(y, {{"x:0": np.load({str(tmp_path / 'xs.npy')!r})}})
        np.save({str(tmp_path / 'out.npy')!r}, out)
    """)
    subprocess.run([sys.executable, "-c", script], check=True, timeout=120)
    np.testing.assert_array_equal(np.load(tmp_path / "out.npy"), expected)


def test_restore_errors_leave_the_session_unchanged(tmp_path):
    x, y = _model()
    saver = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        before = {k: v.copy() for k, v in sess._vars.items()}
        with pytest.raises(CheckpointError, match="no such file"):
            saver.restore(sess, str(tmp_path / "missing"))
        (tmp_path / "junk.npz").write_bytes(b"PK\x03\x04 truncated")
        with pytest.raises(CheckpointError, match="truncated or corrupt"):
            saver.restore(sess, str(tmp_path / "junk"))
        (tmp_path / "p.npz").write_bytes(pickle.dumps({"fc1/kernel": 1}))
        with pytest.raises(CheckpointError, match="pickle"):
            saver.restore(sess, str(tmp_path / "p"))
        other = {k: np.zeros((2, 2)) for k in ("fc1/kernel", "fc1/bias", "fc2/kernel", "fc2/bias")}
        np.savez(tmp_path / "shape.npz", **other)
        with pytest.raises(CheckpointError, match="fc1/kernel has shape"):
            saver.restore(sess, str(tmp_path / "shape"))
        np.savez(tmp_path / "few.npz", **{"fc1/kernel": np.zeros((4, 8))})
        with pytest.raises(tf.errors.NotFoundError, match="Key fc1/bias not found"):
            saver.restore(sess, str(tmp_path / "few"))
        for k, v in before.items():
            np.testing.assert_array_equal(sess._vars[k], v)


def test_meta_graph_with_unknown_op_type_is_refused(tmp_path):
    _model()
    data = tf.train.export_meta_graph()
    data["nodes"][2]["op"] = "os.system"
    tf.reset_default_graph()
    with pytest.raises(CheckpointError, match="unknown op type 'os.system'"):
        tf.train.import_meta_graph(data)
    assert len(tf.get_default_graph()) == 0      # nothing half-imported


def test_saving_does_not_destroy_the_previous_checkpoint_when_interrupted(tmp_path, monkeypatch):
    x, y = _model()
    saver = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        prefix = saver.save(sess, str(tmp_path / "m"))
        good = (tmp_path / "m.npz").read_bytes()
        import tinyflow.io.files as fio

        def boom(*a, **k):
            raise OSError("disk full")
        monkeypatch.setattr(fio.os, "replace", boom)
        with pytest.raises(OSError, match="disk full"):
            saver.save(sess, str(tmp_path / "m"))
    assert (tmp_path / "m.npz").read_bytes() == good
    assert not [p for p in os.listdir(tmp_path) if p.startswith(".tmp-")]
