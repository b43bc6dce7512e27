"""tinyflow.save / tinyflow.load: data-only checkpoints, atomic writes, whole
models rebuilt from registered classes, and clear refusals of everything else."""
import json
import os
import pickle
import subprocess
import sys
import zipfile
from collections import OrderedDict
from pathlib import Path

import numpy as np
import pytest

import tinyflow as tf
import tinyflow.nn as nn
from tinyflow import optim
from tinyflow.eager.tensor import Tensor
from tinyflow.io import registry
from tinyflow.io.checkpoint import CheckpointError, load, save

ROOT = Path(__file__).resolve().parents[1]


def _cnn():
    return nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Flatten(), nn.BatchNorm1d(64), nn.Dropout(0.1), nn.Linear(64, 10),
                         nn.LogSoftmax(dim=1))


class _Marker:
    """A pickle payload that, if ever unpickled, creates a file."""

    def __init__(self, path):
        self.path = str(path)

    def __reduce__(self):
        return (open, (self.path, "w"))


# --- state ------------------------------------------------------------------------------

def test_state_dict_round_trip(tmp_path):
    model = _cnn()
    model.train()
    model(tf.randn(8, 1, 8, 8))                     # move BatchNorm's running statistics
    path = tmp_path / "weights.pt"
    save(model.state_dict(), path)
    loaded = load(path)
    assert list(loaded) == list(model.state_dict())
    assert all(isinstance(v, Tensor) for v in loaded.values())
    fresh = _cnn()
    fresh.load_state_dict(loaded)
    model.eval(), fresh.eval()
    x = tf.randn(3, 1, 8, 8)
    np.testing.assert_array_equal(model(x).array, fresh(x).array)
    assert fresh[4].num_batches_tracked.item() == 1


def test_nested_data_round_trips_with_its_types(tmp_path):
    obj = {"epoch": 3, "lr": 0.5, "name": "run-1", "done": False, "none": None,
           "nan": float("nan"), "array": np.arange(6, dtype=np.int32).reshape(2, 3),
           "tensor": tf.tensor([1.0, 2.0]), "list": [1, "a", [np.float64(2.5)]],
           "tuple": (1, (2, 3)), "int keys": {0: "a", 7: {"b": 1}}, "$odd": {"$array": 1},
           "scalar": np.float32(1.5), "bools": np.array([True, False])}
    save(obj, tmp_path / "c.npz")
    got = load(tmp_path / "c.npz")
    assert got["epoch"] == 3 and got["lr"] == 0.5 and got["name"] == "run-1"
    assert got["done"] is False and got["none"] is None and np.isnan(got["nan"])
    assert isinstance(got["array"], np.ndarray) and got["array"].dtype == np.int32
    np.testing.assert_array_equal(got["array"], obj["array"])
    assert isinstance(got["tensor"], Tensor) and got["tensor"].tolist() == [1.0, 2.0]
    assert got["list"] == [1, "a", [2.5]] and got["tuple"] == (1, (2, 3))
    assert got["int keys"] == {0: "a", 7: {"b": 1}} and got["$odd"] == {"$array": 1}
    assert got["scalar"] == 1.5 and got["bools"].dtype == np.bool_


def test_the_file_is_an_npz_archive_with_a_json_document(tmp_path):
    save({"w": np.ones(3)}, tmp_path / "c.ckpt")
    assert not (tmp_path / "c.ckpt.npz").exists()
    with np.load(tmp_path / "c.ckpt", allow_pickle=False) as z:
        doc = json.loads(z["__tinyflow__"].tobytes().decode())
        assert doc["format"] == "tinyflow-checkpoint" and doc["version"] == 1
        assert doc["tree"] == {"w": {"$array": "a0"}}
        np.testing.assert_array_equal(z["a0"], np.ones(3))


def test_optimizer_state_round_trip(tmp_path):
    tf.manual_seed(0)
    model = nn.Linear(3, 2)
    opt = optim.Adam(model.parameters(), lr=0.1, betas=(0.8, 0.9))

    def step(m, o):
        o.zero_grad()
        m(tf.ones(4, 3)).pow(2).sum().backward()
        o.step()

    for _ in range(3):
        step(model, opt)
    save({"model": model.state_dict(), "optimizer": opt.state_dict()}, tmp_path / "ckpt.npz")
    ckpt = load(tmp_path / "ckpt.npz")
    assert ckpt["optimizer"]["param_groups"][0]["betas"] == (0.8, 0.9)
    model2 = nn.Linear(3, 2)
    model2.load_state_dict(ckpt["model"])
    opt2 = optim.Adam(model2.parameters(), lr=0.1)
    opt2.load_state_dict(ckpt["optimizer"])
    for _ in range(2):
        step(model, opt)
        step(model2, opt2)
    np.testing.assert_array_equal(model.weight.array, model2.weight.array)


def test_unsupported_objects_are_refused_at_save(tmp_path):
    with pytest.raises(TypeError, match=r"cannot store a set \(at obj\['a'\]\[1\]\)"):
        save({"a": [1, {2}]}, tmp_path / "x.npz")
    with pytest.raises(TypeError, match="dtype object"):
        save(np.array([object()]), tmp_path / "x.npz")
    assert not (tmp_path / "x.npz").exists()


# --- atomic writes -------------------------------------------------------------------------

def test_an_interrupted_save_keeps_the_previous_checkpoint(tmp_path, monkeypatch):
    path = tmp_path / "model.npz"
    save({"w": np.arange(1000.0)}, path)
    before = path.read_bytes()

    def fail_midway(file, *args, **kwargs):
        file.write(b"PK\x03\x04 half an archive")
        raise OSError("No space left on device")

    monkeypatch.setattr(np, "savez", fail_midway)
    with pytest.raises(OSError, match="No space left"):
        save({"w": np.zeros(1000)}, path)
    monkeypatch.undo()
    assert path.read_bytes() == before
    np.testing.assert_array_equal(load(path)["w"], np.arange(1000.0))
    assert os.listdir(tmp_path) == ["model.npz"]          # the temporary file is gone


def test_a_save_replaces_the_old_file_and_fsyncs(tmp_path, monkeypatch):
    path = tmp_path / "model.npz"
    save({"v": 1}, path)
    synced = []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: synced.append(fd) or real_fsync(fd))
    save({"v": 2}, path)
    assert load(path) == {"v": 2} and synced


# --- whole models --------------------------------------------------------------------------

def test_a_whole_model_is_rebuilt_from_its_architecture(tmp_path):
    model = _cnn()
    model(tf.randn(6, 1, 8, 8))
    model.eval()
    save(model, tmp_path / "cnn.npz")
    loaded = load(tmp_path / "cnn.npz")
    assert isinstance(loaded, nn.Sequential) and repr(loaded) == repr(model)
    assert not loaded.training and not loaded[5].training
    x = tf.randn(4, 1, 8, 8)
    np.testing.assert_array_equal(loaded(x).array, model(x).array)
    assert [p.name for p in loaded.parameters()] == [n for n, _ in model.named_parameters()]


def test_named_sequentials_module_lists_and_float64_models(tmp_path):
    model = nn.Sequential(OrderedDict([("emb", nn.Embedding(10, 4, padding_idx=0)),
                                       ("flat", nn.Flatten()),
                                       ("out", nn.Linear(8, 1, bias=False))])).double()
    model.append(nn.Sigmoid())
    save({"model": model, "stack": nn.ModuleList([nn.Tanh(), nn.Linear(2, 2)])},
         tmp_path / "m.npz")
    got = load(tmp_path / "m.npz")
    loaded = got["model"]
    assert [n for n, _ in loaded.named_children()] == ["emb", "flat", "out", "3"]
    assert loaded.emb.weight.dtype == np.float64
    idx = tf.tensor([[1, 0], [3, 9]])
    np.testing.assert_array_equal(loaded(idx).array, model(idx).array)
    assert isinstance(got["stack"], nn.ModuleList) and len(got["stack"]) == 2


def test_custom_modules_must_be_registered(tmp_path):
    class Plain(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(2, 2)

        def forward(self, x):
            return self.fc(x)

    with pytest.raises(TypeError, match="cannot save the architecture of Plain.*not registered.*"
                                        "@tinyflow.nn.register_module"):
        save(Plain(), tmp_path / "p.npz")
    with pytest.raises(TypeError, match="Plain"):
        save(nn.Sequential(nn.ReLU(), Plain()), tmp_path / "p.npz")
    save(Plain().state_dict(), tmp_path / "p.npz")          # weights alone are fine


def test_registered_custom_modules_round_trip(tmp_path, monkeypatch):
    @nn.register_module(name="tests.Residual")
    class Residual(nn.Module):
        def __init__(self, width, inner=None, scale=1.0):
            super().__init__()
            self.fc = nn.Linear(width, width)
            self.inner = inner or nn.Identity()
            self.scale = scale

        def forward(self, x):
            return x + self.scale * self.inner(self.fc(x))

    model = Residual(3, inner=nn.Sequential(nn.Tanh(), nn.Linear(3, 3)), scale=0.5)
    save(model, tmp_path / "r.npz")
    loaded = load(tmp_path / "r.npz")
    assert type(loaded) is Residual and loaded.scale == 0.5
    x = tf.randn(2, 3)
    np.testing.assert_array_equal(loaded(x).array, model(x).array)

    # In a process where the class is not registered, nothing is imported by name.
    monkeypatch.delitem(registry._BY_NAME, "tests.Residual")
    with pytest.raises(CheckpointError, match="class 'tests.Residual', which is not registered"):
        load(tmp_path / "r.npz")


def test_weights_that_do_not_fit_the_rebuilt_class_are_reported(tmp_path):
    @nn.register_module(name="tests.Growing")
    class Growing(nn.Module):
        def __init__(self, n):
            super().__init__()
            self.fc = nn.Linear(n, n)

    model = Growing(2)
    model.fc = nn.Linear(2, 3)                  # changed after construction
    save(model, tmp_path / "g.npz")
    with pytest.raises(CheckpointError, match="(?s)do not fit the rebuilt tests.Growing.*"
                                              "size mismatch for fc.weight"):
        load(tmp_path / "g.npz")


def test_a_saved_model_predicts_identically_in_a_new_process(tmp_path):
    tf.manual_seed(11)
    model = _cnn()
    model(tf.randn(8, 1, 8, 8))
    model.eval()
    x = np.random.default_rng(0).standard_normal((5, 1, 8, 8)).astype(np.float32)
    expected = model(x).array
    save(model, tmp_path / "model.npz")
    np.save(tmp_path / "x.npy", x)
    code = f"""
import numpy as np, tinyflow.io.checkpoint as s
model = s.load({str(tmp_path / 'model.npz')!r})
x = np.load({str(tmp_path / 'x.npy')!r})
np.save({str(tmp_path / 'y.npy')!r}, model(x).detach().numpy())
"""
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120)
    assert out.returncode == 0, out.stderr
    np.testing.assert_array_equal(np.load(tmp_path / "y.npy"), expected)


# --- refusing files --------------------------------------------------------------------------

def test_a_pickle_is_refused_and_never_run(tmp_path):
    marker = tmp_path / "pwned"
    path = tmp_path / "model.pkl"
    path.write_bytes(pickle.dumps({"state": _Marker(marker)}))
    with pytest.raises(CheckpointError, match="is a Python pickle; tinyflow never loads pickles"):
        load(path)
    assert not marker.exists()


def test_a_pickle_inside_a_zip_is_refused_and_never_run(tmp_path):
    marker = tmp_path / "pwned"
    path = tmp_path / "torch_style.pt"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("archive/data.pkl", pickle.dumps(_Marker(marker)))
    with pytest.raises(CheckpointError, match=r"not a tinyflow checkpoint: it holds pickled data "
                                              r"\(archive/data.pkl\)"):
        load(path)
    assert not marker.exists()


def test_a_pickled_array_inside_a_tinyflow_archive_is_refused(tmp_path):
    marker = tmp_path / "pwned"
    path = tmp_path / "evil.npz"
    doc = json.dumps({"format": "tinyflow-checkpoint", "version": 1, "tree": {"$array": "a0"}})
    evil = np.empty(1, dtype=object)
    evil[0] = _Marker(marker)
    np.savez(path, a0=evil, __tinyflow__=np.frombuffer(doc.encode(), np.uint8))
    with pytest.raises(CheckpointError, match="holds something other than plain arrays.*"
                                              "allow_pickle=False"):
        load(path)
    assert not marker.exists()


def test_a_truncated_checkpoint_is_refused(tmp_path):
    path = tmp_path / "model.npz"
    save(_cnn(), path)
    data = path.read_bytes()
    for cut in (len(data) // 2, len(data) - 10, 30):
        path.write_bytes(data[:cut])
        with pytest.raises(CheckpointError, match="is truncated or corrupt"):
            load(path)


def test_other_files_are_refused(tmp_path):
    cases = {
        "empty.npz": (b"", r"not a tinyflow checkpoint \(expected an .npz archive, the file "
                           r"starts with b''\)"),
        "notes.txt": (b"hello, world", r"the file starts with b'hell'"),
        "a.npy": (b"\x93NUMPY\x01\x00", r"the file starts with b'\\x93NUM'"),
    }
    for name, (content, message) in cases.items():
        (tmp_path / name).write_bytes(content)
        with pytest.raises(CheckpointError, match=message):
            load(tmp_path / name)
    np.savez(tmp_path / "plain.npz", w=np.ones(3))
    with pytest.raises(CheckpointError, match=r"an npz archive but not a tinyflow checkpoint: "
                                              r"it holds \['w'\]"):
        load(tmp_path / "plain.npz")
    with pytest.raises(CheckpointError, match="no such file"):
        load(tmp_path / "missing.npz")


def test_damaged_documents_are_refused(tmp_path):
    def write(doc):
        np.savez(tmp_path / "d.npz", __tinyflow__=np.frombuffer(doc.encode(), np.uint8))
        return tmp_path / "d.npz"

    with pytest.raises(CheckpointError, match="JSON document is damaged"):
        load(write("{not json"))
    with pytest.raises(CheckpointError, match="no 'tinyflow-checkpoint' header"):
        load(write('{"format": "other"}'))
    with pytest.raises(CheckpointError, match="version 99 checkpoint; this tinyflow reads "
                                              "version 1"):
        load(write('{"format": "tinyflow-checkpoint", "version": 99, "tree": null}'))
    with pytest.raises(CheckpointError, match="damaged.*KeyError.*a7"):
        load(write('{"format": "tinyflow-checkpoint", "version": 1, "tree": {"$array": "a7"}}'))
    with pytest.raises(CheckpointError, match="rebuilding Linear from its saved constructor "
                                              "arguments failed"):
        load(write('{"format": "tinyflow-checkpoint", "version": 1, "tree": {"$module": '
                   '{"class": "Linear", "args": ["x"], "kwargs": {}, "training": true}}}'))
    assert issubclass(CheckpointError, ValueError)


def test_tinyflow_never_uses_pickle():
    for path in (ROOT / "tinyflow").rglob("*.py"):
        text = path.read_text()
        assert "import pickle" not in text and "allow_pickle=True" not in text, path
