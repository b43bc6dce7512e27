"""``Saver.save`` is crash-safe: interrupted at any byte it writes, or at any rename,
it raises and leaves the previous checkpoint (values, graph and the folder's
``checkpoint`` list) byte-identical and restorable."""
import errno
import os

import numpy as np
import pytest

import tinyflow.compat.v1 as tf
import tinyflow.io.files as fio

FILES = ("m.npz", "m.meta", "checkpoint")


def _model():
    tf.reset_default_graph()
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    y = tf.layers.dense(x, 4, name="fc")
    return x, y


def _snapshot(folder):
    return {f: (folder / f).read_bytes() for f in FILES}


def _leftovers(folder):
    return [p for p in os.listdir(folder) if p.startswith((".tmp-", ".old-"))]


def _assert_previous_intact(folder, before, x, y, expected):
    assert _snapshot(folder) == before
    assert not _leftovers(folder)
    assert tf.train.latest_checkpoint(str(folder)) == str(folder / "m")
    saver = tf.train.Saver()
    with tf.Session() as sess:                      # restorable, with the first values
        saver.restore(sess, str(folder / "m"))
        np.testing.assert_array_equal(sess.run(y, {x: np.eye(3, dtype=np.float32)}), expected)


@pytest.fixture
def saved(tmp_path):
    """A model saved once at tmp_path/m; then its values change and the graph grows,
    so a second save would change all three files."""
    x, y = _model()
    saver = tf.train.Saver()
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    expected = sess.run(y, {x: np.eye(3, dtype=np.float32)})
    saver.save(sess, str(tmp_path / "m"))
    before = _snapshot(tmp_path)
    for v in tf.global_variables():
        sess.run(v.assign(v + 1.0))
    tf.identity(y, name="grown")                    # the meta graph differs too
    yield tmp_path, before, saver, sess, x, y, expected
    sess.close()


class _DiskFull:
    """Every file the save opens: the write that crosses byte ``limit`` (counted over
    all the files) raises ENOSPC, as a full disk would."""

    def __init__(self, limit):
        self.limit, self.written = limit, 0

    def fdopen(self, real):
        disk = self

        class Limited:
            def __init__(self, f):
                self._f = f

            def write(self, data):
                room = disk.limit - disk.written
                if len(data) > room:
                    self._f.write(bytes(data)[:max(room, 0)])
                    disk.written = disk.limit
                    raise OSError(errno.ENOSPC, "No space left on device")
                disk.written += len(data)
                return self._f.write(data)

            def __enter__(self):
                return self

            def __exit__(self, *exc):
                self._f.close()

            def __getattr__(self, name):
                return getattr(self._f, name)
        return lambda *a, **k: Limited(real(*a, **k))


def _bytes_of_a_save(tmp_path, saver, sess):
    other = tmp_path / "sizes"
    other.mkdir()
    saver.save(sess, str(other / "m"))
    return sum((other / f).stat().st_size for f in FILES)


def test_a_full_disk_at_any_byte_leaves_the_previous_checkpoint(saved, monkeypatch):
    tmp_path, before, saver, sess, x, y, expected = saved
    total = _bytes_of_a_save(tmp_path, saver, sess)
    real = os.fdopen
    limits = sorted(set(range(0, total, max(total // 40, 1))) | {0, 1, total - 1})
    for limit in limits:
        monkeypatch.setattr(fio.os, "fdopen", _DiskFull(limit).fdopen(real))
        with pytest.raises(OSError, match="No space left"):
            saver.save(sess, str(tmp_path / "m"))
        monkeypatch.setattr(fio.os, "fdopen", real)
        assert _snapshot(tmp_path) == before, f"interrupted at byte {limit}"
    _assert_previous_intact(tmp_path, before, x, y, expected)


@pytest.mark.parametrize("failing_call", [1, 2, 3])
def test_a_failed_rename_leaves_the_previous_checkpoint(saved, monkeypatch, failing_call):
    """The three renames (graph, values, checkpoint list): whichever fails, those
    already done are undone."""
    tmp_path, before, saver, sess, x, y, expected = saved
    real, calls = os.replace, []

    def replace(src, dst):
        calls.append(dst)
        if len(calls) == failing_call:
            raise OSError(errno.EIO, "Input/output error")
        return real(src, dst)
    monkeypatch.setattr(fio.os, "replace", replace)
    with pytest.raises(OSError, match="Input/output error"):
        saver.save(sess, str(tmp_path / "m"))
    monkeypatch.setattr(fio.os, "replace", real)
    _assert_previous_intact(tmp_path, before, x, y, expected)


def test_a_failed_fsync_leaves_the_previous_checkpoint(saved, monkeypatch):
    tmp_path, before, saver, sess, x, y, expected = saved

    def fsync(fd):
        raise OSError(errno.EIO, "Input/output error")
    monkeypatch.setattr(fio.os, "fsync", fsync)
    with pytest.raises(OSError):
        saver.save(sess, str(tmp_path / "m"))
    monkeypatch.undo()
    _assert_previous_intact(tmp_path, before, x, y, expected)


def test_a_failed_save_under_a_new_step_adds_nothing_and_deletes_nothing(saved, monkeypatch):
    """With max_to_keep=1 a successful save would delete m.*: a failed one must not,
    nor leave half a new checkpoint behind."""
    tmp_path, before, saver, sess, x, y, expected = saved
    saver.max_to_keep = 1
    real = os.fdopen
    monkeypatch.setattr(fio.os, "fdopen", _DiskFull(100).fdopen(real))
    with pytest.raises(OSError, match="No space left"):
        saver.save(sess, str(tmp_path / "m"), global_step=7)
    monkeypatch.undo()
    assert sorted(os.listdir(tmp_path)) == sorted(FILES)
    _assert_previous_intact(tmp_path, before, x, y, expected)


def test_after_a_failure_the_next_save_succeeds(saved, monkeypatch):
    tmp_path, before, saver, sess, x, y, expected = saved
    monkeypatch.setattr(fio.os, "replace", lambda *a: (_ for _ in ()).throw(OSError("busy")))
    with pytest.raises(OSError, match="busy"):
        saver.save(sess, str(tmp_path / "m"))
    monkeypatch.undo()
    saver.save(sess, str(tmp_path / "m"))
    assert _snapshot(tmp_path)["m.npz"] != before["m.npz"] and not _leftovers(tmp_path)
    with tf.Session() as fresh:
        saver.restore(fresh, str(tmp_path / "m"))
        np.testing.assert_allclose(fresh.run(y, {x: np.eye(3, dtype=np.float32)}),
                                   sess.run(y, {x: np.eye(3, dtype=np.float32)}))
