"""Every loader against hostile and broken files, and every saver interrupted.

Loaders: ``tinyflow.load``, ``Saver.restore``, ``import_meta_graph``,
``saved_model.load`` (and TF1's ``saved_model.loader.load``). Fed truncated,
bit-flipped and crafted files, each must either load or raise tinyflow's own
``CheckpointError`` (``NotFoundError`` is one) -- never another exception,
never a hang (pytest-timeout), never a large allocation from a size field in
the file (tracemalloc's peak stays small), never run code from the file (a
pickle that would create a marker file), never touch a path outside the
target.

Savers: ``tinyflow.save``, ``Saver.save`` and ``saved_model.save`` failing at
any byte of any write, or at the rename, leave the previous file (bundle)
exactly as it was, loadable, with no temporary files left behind.
"""
import base64
import json
import os
import pickle
import shutil
import tracemalloc
import zipfile

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import tinyflow as tf
import tinyflow.compat.v1 as v1
import tinyflow.nn as nn
from tinyflow.io import files as fileio
from tinyflow import saved_model
from tinyflow.base.errors import CheckpointError
from tinyflow.io.saver import import_meta_graph
from tinyflow.tracing.jit import trace

LONG = os.environ.get("TINYFLOW_LONG", "") not in ("", "0")
FUZZ = settings(max_examples=2000 if LONG else 120, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
PEAK = 32 << 20          # no loader may allocate more than 32 MB for these small files

pytestmark = pytest.mark.timeout(600)


# --- the files -------------------------------------------------------------------------

def _model():
    tf.manual_seed(0)
    return nn.Sequential(nn.Linear(6, 5), nn.ReLU(), nn.Linear(5, 3))


def _graph():
    v1.reset_default_graph()
    v1.set_random_seed(0)
    x = v1.placeholder(v1.float32, [None, 6], name="x")
    h = v1.layers.dense(x, 5, activation=v1.nn.relu, name="fc1")
    y = v1.layers.dense(h, 3, name="fc2")
    return x, y


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """Valid files of every kind, as bytes: what the fuzzer mutates."""
    d = tmp_path_factory.mktemp("valid")
    tf.save(_model(), d / "model.npz")
    tf.save({"step": 3, "w": tf.ones(2, 2), "nested": [np.arange(3), {"k": 1.5}]}, d / "state.npz")
    x, y = _graph()
    with v1.Session() as sess:
        sess.run(v1.global_variables_initializer())
        v1.train.Saver().save(sess, str(d / "ckpt"))
    saved_model.save(trace(_model(), tf.zeros(2, 6)), d / "bundle")
    out = {name: (d / name).read_bytes() for name in ("model.npz", "state.npz", "ckpt.npz",
                                                      "ckpt.meta")}
    for name in os.listdir(d / "bundle"):
        out["bundle/" + name] = (d / "bundle" / name).read_bytes()
    return out


def _load_model(path, tmp):
    return tf.load(path)


def _restore(path, tmp):
    x, y = _graph()
    with v1.Session() as sess:
        v1.train.Saver().restore(sess, str(path))


def _import_meta(path, tmp):
    v1.reset_default_graph()
    import_meta_graph(str(path))


def _load_bundle(path, tmp):
    saved_model.load(path)


def _load_bundle_v1(path, tmp):
    with v1.Session(graph=v1.Graph()) as sess:
        v1.saved_model.loader.load(sess, ["serve"], str(path))


LOADERS = {                    # the file to mutate -> how it is loaded
    "model.npz": [_load_model],
    "state.npz": [_load_model],
    "ckpt.npz": [_restore],
    "ckpt.meta": [_import_meta],
    "bundle/saved_model.json": [_load_bundle, _load_bundle_v1],
    "bundle/graph.json": [_load_bundle, _load_bundle_v1],
    "bundle/variables.npz": [_load_bundle],
}


def _place(files, which, data, tmp):
    """Write the valid files with ``which`` replaced by ``data``; return what to load."""
    if which.startswith("bundle/"):
        d = tmp / "bundle"
        if d.exists():
            shutil.rmtree(d)
        d.mkdir()
        for name, content in files.items():
            if name.startswith("bundle/"):
                (tmp / name).write_bytes(data if name == which else content)
        return d
    path = tmp / which
    path.write_bytes(data)
    return tmp / "ckpt" if which == "ckpt.npz" else path


def expect_clean(load, path, tmp):
    """Loads, or raises CheckpointError; allocates little; runs nothing from the file."""
    tracemalloc.start()
    try:
        load(path, tmp)
    except CheckpointError:
        pass
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert peak < PEAK, f"loading allocated {peak} bytes"


# --- mutations -------------------------------------------------------------------------------

@st.composite
def mutations(draw, n):
    """A way to damage n bytes: truncate, flip bits, overwrite a run, or splice."""
    kind = draw(st.sampled_from(["truncate", "flip", "overwrite", "splice"]))
    if kind == "truncate":
        return kind, draw(st.integers(0, max(n - 1, 0)))
    if kind == "flip":
        return kind, draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, 7)),
                                   min_size=1, max_size=8))
    if kind == "overwrite":
        at = draw(st.integers(0, n - 1))
        return kind, (at, draw(st.binary(min_size=1, max_size=16)))
    at = draw(st.integers(0, n))
    return kind, (at, draw(st.integers(0, 64)), draw(st.binary(max_size=64)))


def mutate(data, how):
    kind, arg = how
    b = bytearray(data)
    if kind == "truncate":
        return bytes(b[:arg])
    if kind == "flip":
        for at, bit in arg:
            b[at] ^= 1 << bit
        return bytes(b)
    if kind == "overwrite":
        at, new = arg
        b[at:at + len(new)] = new
        return bytes(b[:len(data)])
    at, cut, new = arg
    return bytes(b[:at] + new + b[at + cut:])


@pytest.mark.parametrize("which", sorted(LOADERS))
def test_every_loader_survives_damaged_files(files, which, tmp_path):
    data = files[which]

    @FUZZ
    @given(how=mutations(len(data)))
    def check(how):
        path = _place(files, which, mutate(data, how), tmp_path)
        for load in LOADERS[which]:
            expect_clean(load, path, tmp_path)
    check()


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-2 ** 70, 2 ** 70) | st.floats(allow_nan=False)
    | st.text(max_size=8) | st.sampled_from(["x:0", "Const", "float32", "<f8", "../x", "AAAA"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
        st.sampled_from(["array", "dtype", "shape", "tuple", "slice", "arg", "mask", "float",
                         "name", "op", "inputs", "attrs"]) | st.text(max_size=5), inner,
        max_size=3),
    max_leaves=8)


def _paths(tree, prefix=()):
    """Every place in a JSON tree (as a tuple of keys and indices)."""
    yield prefix
    if isinstance(tree, dict):
        for k, v in tree.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(tree, list):
        for i, v in enumerate(tree):
            yield from _paths(v, prefix + (i,))


def _replace(tree, path, value):
    if not path:
        return value
    tree = json.loads(json.dumps(tree))
    node = tree
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return tree


@pytest.mark.parametrize("which", ["ckpt.meta", "bundle/graph.json", "bundle/saved_model.json"])
def test_every_json_loader_survives_structural_damage(files, which, tmp_path):
    """Any value anywhere in the JSON replaced by any other JSON value."""
    tree = json.loads(files[which])
    paths = list(_paths(tree))

    @FUZZ
    @given(where=st.sampled_from(paths), value=JSON_VALUES)
    def check(where, value):
        data = json.dumps(_replace(tree, where, value)).encode()
        path = _place(files, which, data, tmp_path)
        for load in LOADERS[which]:
            expect_clean(load, path, tmp_path)
    check()


@pytest.mark.parametrize("which", sorted(LOADERS))
def test_every_loader_loads_the_undamaged_file(files, which, tmp_path):
    path = _place(files, which, files[which], tmp_path)
    for load in LOADERS[which]:
        load(path, tmp_path)


# --- crafted files: sizes that lie ------------------------------------------------------------

def _npy(shape, dtype="<f8", data=b"\0" * 16):
    """An .npy member whose header claims ``shape`` (the data is what it is)."""
    header = repr({"descr": dtype, "fortran_order": False, "shape": tuple(shape)}).encode()
    header += b" " * (-(len(header) + 11) % 64) + b"\n"
    return b"\x93NUMPY\x01\x00" + len(header).to_bytes(2, "little") + header + data


def _zip(members, compression=zipfile.ZIP_STORED):
    import io
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


HUGE = {"8 TB": (2 ** 40,), "800 MB": (10 ** 8,), "overflowing": (2 ** 32, 2 ** 32),
        "one huge axis of many": (1, 3, 10 ** 9)}


@pytest.mark.parametrize("shape", HUGE.values(), ids=HUGE.keys())
@pytest.mark.parametrize("compression", [zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED],
                         ids=["stored", "deflated"])
def test_an_npy_header_claiming_a_huge_shape_is_refused_without_allocating(tmp_path, shape,
                                                                            compression):
    data = _zip({"w.npy": _npy(shape)}, compression)
    for name, load in [("model.npz", _load_model), ("ckpt.npz", _restore)]:
        path = _place({}, name, data, tmp_path)
        tracemalloc.start()
        with pytest.raises(CheckpointError, match="shape|truncated|corrupt"):
            load(path, tmp_path)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert peak < PEAK


def test_an_npy_header_with_an_object_dtype_is_refused(tmp_path):
    data = _zip({"w.npy": _npy((1,), dtype="|O")})
    with pytest.raises(CheckpointError):
        tf.load(_place({}, "model.npz", data, tmp_path))


def _meta_with_const(files, array_attr):
    meta = json.loads(files["ckpt.meta"])
    const = next(n for n in meta["nodes"] if n["op"] == "Const")
    const["attrs"]["value"] = array_attr
    return json.dumps(meta).encode()


@pytest.mark.parametrize("shape", [[2 ** 40], [2 ** 32, 2 ** 32], [2 ** 62, 4], [-1, -8],
                                   [0, -5], [3, "x"], "ab", None])
def test_a_meta_graph_array_claiming_a_huge_or_bad_shape_is_refused(files, tmp_path, shape):
    attr = {"array": base64.b64encode(b"\0" * 8).decode(), "dtype": "<f8", "shape": shape}
    path = _place(files, "ckpt.meta", _meta_with_const(files, attr), tmp_path)
    tracemalloc.start()
    with pytest.raises(CheckpointError, match="corrupt meta graph"):
        _import_meta(path, tmp_path)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < PEAK


@pytest.mark.parametrize("depth", [10 ** 4, 10 ** 6])
def test_deeply_nested_json_is_refused_clearly(files, tmp_path, depth):
    nested = ("[" * depth + "]" * depth).encode()
    for which, load in [("ckpt.meta", _import_meta), ("bundle/saved_model.json", _load_bundle),
                        ("bundle/graph.json", _load_bundle)]:
        with pytest.raises(CheckpointError):
            load(_place(files, which, nested, tmp_path), tmp_path)
    # and inside a checkpoint's own JSON document
    doc = ('{"format": "tinyflow-checkpoint", "version": 1, "tree": ' + "[" * depth
           + "]" * depth + "}").encode()
    data = _zip({"__tinyflow__.npy": _npy((len(doc),), "|u1", doc)})
    with pytest.raises(CheckpointError):
        tf.load(_place({}, "model.npz", data, tmp_path))


def test_a_meta_graph_node_with_wrong_types_everywhere_is_refused(files, tmp_path):
    meta = json.loads(files["ckpt.meta"])
    for i, node in enumerate(meta["nodes"]):
        for key, bad in [("inputs", 7), ("attrs", [1]), ("control_inputs", {"a": 1}),
                         ("name", ["x"]), ("shape", "(1, 2)"), ("dtype", 3), ("op", None)]:
            broken = json.loads(json.dumps(meta))
            broken["nodes"][i][key] = bad
            path = _place(files, "ckpt.meta", json.dumps(broken).encode(), tmp_path)
            expect_clean(_import_meta, path, tmp_path)
    for bad in [[], {"format": "tinyflow.meta_graph/1"}, {"format": "tinyflow.meta_graph/1",
                                                         "nodes": {"a": 1}}, None, 3, "s"]:
        path = _place(files, "ckpt.meta", json.dumps(bad).encode(), tmp_path)
        with pytest.raises(CheckpointError):
            _import_meta(path, tmp_path)


@pytest.mark.parametrize("dtype", ["<U3", "|S2", "<c16", "|V8", "<M8[s]", "<m8[s]"])
def test_a_checkpoint_value_of_a_foreign_dtype_is_refused(tmp_path, dtype):
    x, y = _graph()
    arrays = {v.node.name: np.zeros(v.shape.as_list(), dtype) for v in v1.global_variables()}
    np.savez(tmp_path / "c.npz", **arrays)
    with v1.Session() as sess, pytest.raises(CheckpointError, match="fc1/kernel|plain arrays"):
        v1.train.Saver().restore(sess, str(tmp_path / "c"))


def test_a_whole_model_asking_for_an_impossible_layer_is_refused(tmp_path):
    """A whole-model checkpoint rebuilds registered classes from saved arguments; one
    asking for a 400 TB layer fails as a CheckpointError (see the README: load state
    dicts, not whole models, from files you do not trust)."""
    doc = json.dumps({"format": "tinyflow-checkpoint", "version": 1, "tree": {"$module": {
        "class": "Linear", "args": [10 ** 7, 10 ** 7], "kwargs": {}, "training": True}}})
    data = _zip({"__tinyflow__.npy": _npy((len(doc),), "|u1", doc.encode())})
    with pytest.raises(CheckpointError, match="rebuilding Linear"):
        tf.load(_place({}, "model.npz", data, tmp_path))


# --- crafted files: code that must not run ----------------------------------------------------------

class _Payload:
    """Unpickling this creates the marker file."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return (open, (self.marker, "w"))


def _pickles(marker):
    payload = pickle.dumps(_Payload(marker))
    obj = np.empty(1, dtype=object)
    obj[0] = _Payload(marker)
    import io
    buf = io.BytesIO()
    np.save(buf, obj, allow_pickle=True)
    return {
        "a pickle file": payload,
        "a pickled object array in an npz": _zip({"w.npy": buf.getvalue(),
                                                   "__tinyflow__.npy": _npy((2,), "|u1", b"{}")}),
        "a torch-style zip": _zip({"archive/data.pkl": payload}),
        "a pickle with a zip header": b"PK\x03\x04" + payload,
    }


@pytest.mark.parametrize("kind", list(_pickles("m")))
def test_a_pickle_payload_never_runs(files, tmp_path, kind):
    marker = tmp_path / "MARKER"
    data = _pickles(marker)[kind]
    for which in ("model.npz", "ckpt.npz", "bundle/variables.npz", "ckpt.meta",
                  "bundle/graph.json"):
        path = _place(files, which, data, tmp_path)
        for load in LOADERS[which]:
            with pytest.raises(CheckpointError):
                load(path, tmp_path)
    assert not marker.exists()


def test_a_pickle_payload_never_runs_when_it_is_a_valid_npz_member(tmp_path):
    """Even alongside a real checkpoint's members: the object array is refused."""
    marker = tmp_path / "MARKER"
    tf.save({"w": np.ones(2)}, tmp_path / "c.npz")
    with zipfile.ZipFile(tmp_path / "c.npz", "a") as z:
        obj = np.empty(1, dtype=object)
        obj[0] = _Payload(marker)
        import io
        buf = io.BytesIO()
        np.save(buf, obj, allow_pickle=True)
        z.writestr("a0.npy", buf.getvalue())            # a second a0: the pickled one
    with pytest.raises(CheckpointError):
        tf.load(tmp_path / "c.npz")
    assert not marker.exists()


# --- paths ---------------------------------------------------------------------------------------

NAMES = st.one_of(st.sampled_from(["../../x", "/etc/passwd", "..", ".", "", "a/b", "a\\b", "~/x",
                                    "..\\x", "x/../../y", "graph.json/..", "\0", "graph.json\0"]),
                  st.text(max_size=12), st.integers(), st.none(), st.lists(st.text(), max_size=2))


def test_a_bundle_naming_a_file_outside_itself_is_refused(files, tmp_path):
    d = _place(files, "bundle/graph.json", files["bundle/graph.json"], tmp_path)
    manifest = json.loads(files["bundle/saved_model.json"])

    @settings(FUZZ, max_examples=200 if LONG else 30)
    @given(field=st.sampled_from(["graph", "variables"]), name=NAMES)
    def check(field, name):
        (d / "saved_model.json").write_text(json.dumps(dict(manifest, **{field: name})))
        if name == manifest[field] or (field == "variables" and name is None):
            try:
                saved_model.load(d)          # the real name; or no variables at all
            except CheckpointError as e:
                assert "variable" in str(e)
            return
        with pytest.raises(CheckpointError):
            saved_model.load(d)
    check()


def test_saving_writes_only_inside_the_target(tmp_path):
    target = tmp_path / "out"
    (tmp_path / "outside.txt").write_text("mine")
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    traced = trace(_model(), tf.zeros(2, 6))
    saved_model.save(traced, target / "bundle")
    saved_model.save(traced, target / "bundle", overwrite=True)
    tf.save(_model(), target / "model.npz")
    x, y = _graph()
    with v1.Session() as sess:
        sess.run(v1.global_variables_initializer())
        saver = v1.train.Saver(max_to_keep=2)
        for step in range(4):
            saver.save(sess, str(target / "ckpt"), global_step=step)
    after = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    for p in after:
        assert p in before or target in p.parents, p
    assert all(after[p] == before[p] for p in before)
    assert not [p for p in after if p.name.startswith(".tmp-")]


# --- interrupted saves -----------------------------------------------------------------------------

class Interrupted(Exception):
    pass


class _Failing:
    """A file whose writes stop with an exception after ``budget`` bytes."""

    def __init__(self, f, budget):
        self._f, self._left = f, budget

    def write(self, data):
        data = bytes(data)
        if len(data) > self._left:
            self._f.write(data[:self._left])
            self._left = 0
            raise Interrupted("the disk filled up")
        self._left -= len(data)
        return self._f.write(data)

    def __getattr__(self, name):
        return getattr(self._f, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return self._f.__exit__(*exc)


def _interrupt(monkeypatch, at_byte=None, at_replace=None, at_fsync=None):
    """Make fileio's writes fail after ``at_byte`` bytes in all, or its
    ``at_replace``-th rename, or its ``at_fsync``-th fsync."""
    real_fdopen, real_replace, real_fsync = os.fdopen, os.replace, os.fsync
    state = {"bytes": at_byte, "replace": at_replace, "fsync": at_fsync}

    def fdopen(fd, *a, **k):
        f = real_fdopen(fd, *a, **k)
        if state["bytes"] is None:
            return f
        wrapped = _Failing(f, state["bytes"])
        original = wrapped.write

        def write(data):
            try:
                return original(data)
            finally:
                state["bytes"] = wrapped._left
        wrapped.write = write
        return wrapped

    def replace(src, dst):
        if state["replace"] is not None:
            state["replace"] -= 1
            if state["replace"] < 0:
                raise Interrupted("killed before the rename")
        return real_replace(src, dst)

    def fsync(fd):
        if state["fsync"] is not None:
            state["fsync"] -= 1
            if state["fsync"] < 0:
                raise Interrupted("power cut during fsync")
        return real_fsync(fd)
    monkeypatch.setattr(fileio.os, "fdopen", fdopen)
    monkeypatch.setattr(fileio.os, "replace", replace)
    monkeypatch.setattr(fileio.os, "fsync", fsync)


def _snapshot(folder):
    return {p.relative_to(folder): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _changed_model():
    m = _model()
    with tf.no_grad():
        for p in m.parameters():
            p += 1.0
    return m


def _save_model(folder):
    tf.save(_changed_model(), folder / "model.npz")


def _check_model(folder):
    return tf.load(folder / "model.npz")(tf.ones(2, 6)).detach().numpy()


def _saver_save(folder, bump=False):
    x, y = _graph()
    with v1.Session() as sess:
        sess.run(v1.global_variables_initializer())
        if bump:
            for v in v1.trainable_variables():
                sess.run(v.assign_add(np.ones(v.shape.as_list(), np.float32)))
        v1.train.Saver().save(sess, str(folder / "ckpt"))


def _check_saver(folder):
    x, y = _graph()
    with v1.Session() as sess:
        v1.train.Saver().restore(sess, str(folder / "ckpt"))
        kernel = sess.run(v1.trainable_variables()[0])
    v1.reset_default_graph()
    import_meta_graph(str(folder / "ckpt.meta"))
    return kernel


def _bundle_save(folder, changed=False):
    saved_model.save(trace(_changed_model() if changed else _model(), tf.zeros(2, 6)),
                     folder / "bundle", overwrite=True)


def _check_bundle(folder):
    return saved_model.load(folder / "bundle")(np.ones((2, 6), np.float32))


SAVERS = {           # first save, second save, what a save holds (read back)
    "tinyflow.save": (lambda f: tf.save(_model(), f / "model.npz"), _save_model, _check_model),
    "Saver.save": (_saver_save, lambda f: _saver_save(f, bump=True), _check_saver),
    "saved_model.save": (_bundle_save, lambda f: _bundle_save(f, changed=True), _check_bundle),
}


def _total_bytes(save, folder, monkeypatch):
    """How many bytes fileio writes for one save (to choose where to cut)."""
    counted = {"n": 0}
    real = os.fdopen

    def fdopen(fd, *a, **k):
        f = real(fd, *a, **k)
        w = f.write

        class Counting:
            def write(self, data):
                counted["n"] += len(bytes(data))
                return w(data)

            def __getattr__(self, name):
                return getattr(f, name)

            def __enter__(self):
                return self

            def __exit__(self, *exc):
                return f.__exit__(*exc)
        return Counting()
    with monkeypatch.context() as m:
        m.setattr(fileio.os, "fdopen", fdopen)
        save(folder)
    return counted["n"]


@pytest.mark.parametrize("name", sorted(SAVERS))
def test_an_interrupted_save_leaves_the_previous_file_intact(name, tmp_path, monkeypatch):
    """Cut the second save at any byte, rename or fsync: the folder holds the first
    save byte for byte -- or, if the cut came after the new file was renamed into
    place (a fsync of the folder), the complete second save. Never a mixture,
    never a temporary file."""
    first, second, read = SAVERS[name]
    for scratch in ("one", "two"):
        (tmp_path / scratch).mkdir()
    first(tmp_path / "one")
    second(tmp_path / "two")
    want_first, want_second = read(tmp_path / "one"), read(tmp_path / "two")
    assert not np.array_equal(want_first, want_second)
    kept = _snapshot(tmp_path / "one")
    total = _total_bytes(second, tmp_path / "three", monkeypatch)
    folder = tmp_path / "f"

    def restore():
        if folder.exists():
            shutil.rmtree(folder)
        for rel, data in kept.items():
            (folder / rel).parent.mkdir(parents=True, exist_ok=True)
            (folder / rel).write_bytes(data)

    @settings(FUZZ, max_examples=150 if LONG else 25)
    @given(how=st.one_of(st.tuples(st.just("byte"), st.integers(0, total - 1)),
                         st.tuples(st.just("replace"), st.integers(0, 3)),
                         st.tuples(st.just("fsync"), st.integers(0, 7))))
    def check_one(how):
        restore()
        kind, n = how
        with monkeypatch.context() as m:
            _interrupt(m, **{f"at_{kind}": n})
            try:
                second(folder)
                interrupted = False
            except Interrupted:
                interrupted = True
        now = _snapshot(folder)
        assert not [p for p in now if p.name.startswith(".tmp-")], "a temporary file was left"
        if interrupted and now == kept:
            np.testing.assert_array_equal(read(folder), want_first)
        else:
            np.testing.assert_array_equal(read(folder), want_second)
    check_one()
