"""TensorBoard event files: written by tinyflow.summary (tensorboardX), read back
with TensorBoard's own EventAccumulator."""
import subprocess
import sys

import numpy as np
import pytest

import tinyflow
import tinyflow.compat.v1 as tf
import tinyflow.nn
from tinyflow import summary
from tinyflow.base.errors import ShapeError
from tinyflow.summary import graph_def as gd_module
from tinyflow.summary.ops import HistogramSummary, MergeSummary, ScalarSummary

pytest.importorskip("tensorboardX")
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator  # noqa: E402


def read(logdir):
    ea = EventAccumulator(str(logdir), size_guidance={"scalars": 0, "histograms": 0,
                                                      "tensors": 0, "graph": 0})
    ea.Reload()
    return ea


def nodes(ea):
    return {n.name: n for n in ea.Graph().node}


def small_model():
    tf.reset_default_graph()
    x = tf.placeholder(tf.float32, [None, 4], name="x")
    y = tf.placeholder(tf.int64, [None], name="y")
    h = tf.layers.dense(x, 8, activation=tf.nn.relu, name="fc1")
    logits = tf.layers.dense(h, 3, name="fc2")
    loss = tf.losses.sparse_softmax_cross_entropy(y, logits)
    train = tf.train.GradientDescentOptimizer(0.5).minimize(loss)
    return x, y, logits, loss, train


def batch():
    rng = np.random.default_rng(0)
    xs = rng.standard_normal((16, 4)).astype(np.float32)
    return xs, (xs[:, 0] > 0).astype(np.int64) + (xs[:, 1] > 0)


# --- eager writing ----------------------------------------------------------------

def test_scalars_histograms_and_text_round_trip(tmp_path):
    values = np.random.default_rng(1).standard_normal(1000)
    with summary.SummaryWriter(tmp_path) as w:
        for step in range(5):
            w.add_scalar("loss/train", 1.0 / (step + 1), step)
        w.add_scalar("acc", np.float32(0.0), 7)                 # numpy scalars, and zero
        w.add_scalar("one", tinyflow.tensor([2.5]), 8)          # a one-element eager tensor
        w.add_histogram("weights/W", values, 3)
        w.add_histogram("weights/eager", tinyflow.tensor(values * 2), 4)
        w.add_text("notes", "tinyflow **run**", 0)
    ea = read(tmp_path)
    assert [(e.step, round(e.value, 6)) for e in ea.Scalars("loss/train")] == \
        [(s, round(1.0 / (s + 1), 6)) for s in range(5)]
    assert [(e.step, e.value) for e in ea.Scalars("acc")] == [(7, 0.0)]
    assert ea.Scalars("one")[0].value == 2.5
    h = ea.Histograms("weights/W")[0]
    assert h.step == 3 and h.histogram_value.num == 1000
    assert h.histogram_value.min == pytest.approx(values.min())
    assert h.histogram_value.max == pytest.approx(values.max())
    assert sum(h.histogram_value.bucket) == 1000
    assert ea.Histograms("weights/eager")[0].histogram_value.max == pytest.approx(2 * values.max())
    text = ea.Tensors("notes/text_summary")[0].tensor_proto.string_val[0]
    assert text == b"tinyflow **run**"


def test_flush_makes_events_readable_before_close_and_reopen_starts_a_new_file(tmp_path):
    w = summary.SummaryWriter(tmp_path)
    w.add_scalar("a", 1.0, 0)
    w.flush()
    assert [e.value for e in read(tmp_path).Scalars("a")] == [1.0]
    w.close()
    w.close()                                   # twice is fine
    w.reopen()
    w.add_scalar("a", 2.0, 1)
    w.close()
    assert len(list(tmp_path.iterdir())) == 2


def test_tf2_functional_form_writes_to_the_default_writer(tmp_path):
    writer = summary.create_file_writer(str(tmp_path))
    assert summary.scalar("lost", 1.0, step=0) is False          # no default writer: nothing
    with writer.as_default():
        for step in range(3):
            assert summary.scalar("loss", 0.5 * step, step=step) is True
        summary.histogram("w", np.arange(10.0), step=2)
        summary.text("note", "hello", step=0)
    writer.close()
    ea = read(tmp_path)
    assert [(e.step, e.value) for e in ea.Scalars("loss")] == [(0, 0.0), (1, 0.5), (2, 1.0)]
    assert ea.Histograms("w")[0].histogram_value.num == 10
    assert "lost" not in ea.Tags()["scalars"]
    p = tf.placeholder(tf.float32, [], name="p")
    with pytest.raises(TypeError, match="symbolic"):
        summary.scalar("p", p, step=0)


# --- the graph --------------------------------------------------------------------

def test_graph_of_a_tf1_model(tmp_path):
    *_, train = small_model()
    with tf.Session() as sess:
        summary.FileWriter(tmp_path, sess.graph).close()
    ea = read(tmp_path)
    assert ea.Tags()["graph"]
    n = nodes(ea)
    assert (n["x"].op, list(n["x"].input)) == ("Placeholder", [])
    assert n["fc1/kernel"].op == "VariableV2"
    assert (n["fc1/MatMul"].op, list(n["fc1/MatMul"].input)) == ("MatMul", ["x", "fc1/kernel"])
    assert (n["fc1/BiasAdd"].op, list(n["fc1/BiasAdd"].input)) == \
        ("BiasAdd", ["fc1/MatMul", "fc1/bias"])
    assert (n["fc1/Relu"].op, list(n["fc1/Relu"].input)) == ("Relu", ["fc1/BiasAdd"])
    assert list(n["fc2/MatMul"].input) == ["fc1/Relu", "fc2/kernel"]
    loss = n["sparse_softmax_cross_entropy_loss/value"]   # the fused op, named as TF1 names the loss
    assert list(loss.input) == ["fc2/BiasAdd", "y"] and loss.attr["reduction"].s == b"mean"
    # control inputs are "^name"
    update = n[train.name]
    assert update.op == "NoOp" and update.input and all(i.startswith("^") for i in update.input)
    # dtypes, shapes, and the shapes on the edges (-1 for an unknown dim)
    types = gd_module.protos().types
    assert n["x"].attr["dtype"].type == types.DT_FLOAT
    assert [d.size for d in n["x"].attr["shape"].shape.dim] == [-1, 4]
    assert n["y"].attr["dtype"].type == types.DT_INT64
    assert [d.size for d in n["fc1/kernel"].attr["shape"].shape.dim] == [4, 8]
    assert n["fc1/MatMul"].attr["T"].type == types.DT_FLOAT
    out = n["fc1/MatMul"].attr["_output_shapes"].list.shape
    assert [[d.size for d in s.dim] for s in out] == [[-1, 8]]
    assert list(n["fc1/bias/Const"].attr["value"].tensor.tensor_content) == [0] * 32


def test_tinyflow_only_ops_get_tensorflow_types():
    small_model()
    n = {d.name: d for d in summary.as_graph_def(tf.get_default_graph()).node}
    sum_to = next(d for d in n.values() if d.attr["_tinyflow_type"].s == b"SumTo")
    assert sum_to.op == "Sum"
    assert n["fc1/MatMul"].attr["_tinyflow_type"].s == b""       # TF ops keep their type


def test_add_graph_of_functions_and_models(tmp_path):
    @tinyflow.function
    def f(x):
        with tinyflow.name_scope("layer"):
            return (x @ tinyflow.ones((3, 2))).exp()

    with pytest.raises(ValueError, match="not been traced"):
        summary.SummaryWriter(tmp_path / "never").add_graph(f)
    f(tinyflow.ones((4, 3)))
    with summary.SummaryWriter(tmp_path / "fn") as w:
        w.add_graph(f)                                          # the latest trace
    n = nodes(read(tmp_path / "fn"))
    assert n["arg0"].op == "Placeholder" and n["layer/MatMul"].op == "MatMul"
    assert list(n["layer/Exp"].input) == ["layer/MatMul"]

    concrete = f.get_concrete_function(tinyflow.ones((2, 3)))
    with summary.SummaryWriter(tmp_path / "concrete") as w:
        w.add_graph(concrete)
    assert [d.size for d in nodes(read(tmp_path / "concrete"))["arg0"].attr["shape"].shape.dim] \
        == [2, 3]

    model = tinyflow.nn.Sequential(tinyflow.nn.Linear(3, 4), tinyflow.nn.ReLU())
    with summary.SummaryWriter(tmp_path / "model") as w:
        w.add_graph(model, tinyflow.ones((5, 3)))              # traced with the example input
    ops = {d.op for d in nodes(read(tmp_path / "model")).values()}
    assert {"Placeholder", "MatMul", "Relu", "VarHandleOp"} <= ops


# --- TensorFlow 1 summary ops ------------------------------------------------------

def test_tf1_training_loop_with_merge_all(tmp_path):
    x, y, logits, loss, train = small_model()
    summary.scalar("loss", loss)
    summary.scalar("zero", loss * 0.0)          # 0.0 serializes to NUL bytes: must survive
    summary.histogram("logits", logits)
    merged = summary.merge_all()
    assert merged.dtype.kind == "S" and merged.shape == ()
    xs, ys = batch()
    losses = []
    with tf.Session() as sess, summary.FileWriter(tmp_path, sess.graph) as writer:
        sess.run(tf.global_variables_initializer())
        for step in range(4):
            s, l, _ = sess.run([merged, loss, train], {x: xs, y: ys})
            assert isinstance(s, bytes)
            writer.add_summary(s, step)
            losses.append(float(l))
    assert losses[-1] < losses[0]
    ea = read(tmp_path)
    got = ea.Scalars("loss")
    assert [e.step for e in got] == [0, 1, 2, 3]
    np.testing.assert_allclose([e.value for e in got], losses, rtol=1e-6)
    assert [e.value for e in ea.Scalars("zero")] == [0.0] * 4
    hist = ea.Histograms("logits")
    assert len(hist) == 4 and all(h.histogram_value.num == 16 * 3 for h in hist)
    n = nodes(ea)
    assert n["loss"].op == "ScalarSummary" and list(n["loss"].input) == ["sparse_softmax_cross_entropy_loss/value"]
    assert list(n[merged.op.name].input) == ["loss", "zero", "logits"]


def test_summary_ops_names_tags_collections_and_merge(tmp_path):
    tf.reset_default_graph()
    assert summary.merge_all() is None                           # nothing to merge (as TF1)
    v = tf.placeholder(tf.float32, [], name="v")
    with tf.name_scope("train"):
        a = summary.scalar("loss", v)
        b = summary.scalar("loss", v * 2)                        # same name: uniquified
    c = summary.histogram("bad name!", tf.reshape(v, [1]), collections=["other"])
    assert (a.op.name, b.op.name, c.op.name) == ("train/loss", "train/loss_1", "bad_name_")
    assert tf.get_default_graph().get_collection("summaries") == [a, b]
    assert tf.get_default_graph().get_collection("other") == [c]
    both = summary.merge([a, c])
    with tf.Session() as sess:
        data = sess.run(both, {v: 3.0})
    parsed = summary.parse(data)
    assert [val.tag for val in parsed.value] == ["train/loss", "bad_name_"]
    assert parsed.value[0].simple_value == 3.0 and parsed.value[1].histo.num == 1
    with summary.FileWriter(tmp_path) as w:
        w.add_summary(parsed, 5)                                 # a proto works too
    assert [(e.step, e.value) for e in read(tmp_path).Scalars("train/loss")] == [(5, 3.0)]


def test_summary_primitives_never_need_gradients():
    for prim in (ScalarSummary, HistogramSummary, MergeSummary):
        assert not prim.differentiable and prim.family == "summary" and not prim.stateful
    x, y, logits, loss, train = small_model()
    summary.scalar("loss", loss)
    grads = tf.gradients(loss, tf.trainable_variables())
    assert all(g is not None for g in grads)


# --- errors -----------------------------------------------------------------------

def test_add_scalar_rejects_arrays_and_symbolic_tensors(tmp_path):
    with summary.SummaryWriter(tmp_path) as w:
        with pytest.raises(ValueError, match=r"add_scalar\('loss'\).*shape \(3,\)"):
            w.add_scalar("loss", np.ones(3), 0)
        with pytest.raises(TypeError, match=r"add_scalar\('loss'\).*str"):
            w.add_scalar("loss", "0.5", 0)
        tf.reset_default_graph()
        p = tf.placeholder(tf.float32, [], name="p")
        with pytest.raises(TypeError, match="symbolic tensor"):
            w.add_scalar("loss", p, 0)
        with pytest.raises(ValueError, match="nan or inf"):
            w.add_histogram("h", np.array([1.0, np.nan]), 0)
        with pytest.raises(ValueError, match="empty"):
            w.add_histogram("h", np.array([]), 0)
        with pytest.raises(ValueError, match="Summary protocol buffer"):
            w.add_summary(b"\xff\xff not a proto", 0)


def test_graph_scalar_summary_checks_shapes():
    tf.reset_default_graph()
    with pytest.raises(ShapeError, match=r"'w'.*\(3, 2\)"):
        summary.scalar("w", tf.placeholder(tf.float32, [3, 2]))
    v = tf.placeholder(tf.float32, [None], name="input")
    s = summary.scalar("v", v)                        # unknown length: checked when run
    with tf.Session() as sess:
        assert summary.parse(sess.run(s, {v: [2.0]})).value[0].simple_value == 2.0
        with pytest.raises(ValueError, match=r"'v' needs one number.*\(2,\)"):
            sess.run(s, {v: [1.0, 2.0]})


def test_logdir_that_is_a_file(tmp_path):
    f = tmp_path / "events.txt"
    f.write_text("not a folder")
    with pytest.raises(NotADirectoryError, match="is a file"):
        summary.SummaryWriter(f)


def test_writing_after_close_is_an_error(tmp_path):
    w = summary.FileWriter(tmp_path)
    w.close()
    for write in (lambda: w.add_scalar("a", 1.0, 0), lambda: w.add_text("t", "x", 0),
                  lambda: w.add_histogram("h", np.ones(3), 0),
                  lambda: w.add_graph(tf.get_default_graph())):
        with pytest.raises(RuntimeError, match="is closed"):
            write()
    w.flush()                                        # nothing to flush: fine


def test_missing_tensorboardx_names_the_extra(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "tensorboardX", None)     # makes `import tensorboardX` fail
    monkeypatch.setattr(gd_module, "_protos", None)
    with pytest.raises(ImportError, match=r"pip install 'tinyflow-lab\[tensorboard\]'"):
        summary.SummaryWriter(tmp_path)
    tf.reset_default_graph()
    with pytest.raises(ImportError, match="tinyflow-lab"):
        summary.scalar("loss", tf.placeholder(tf.float32, []))   # at the line that builds it


def test_importing_tinyflow_summary_does_not_need_tensorboardx():
    code = ("import sys; sys.modules['tensorboardX'] = None\n"
            "import tinyflow, tinyflow.summary\n"
            "try:\n    tinyflow.summary.SummaryWriter('unused')\n"
            "except ImportError as e:\n    print(e)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 0, out.stderr
    assert "pip install 'tinyflow-lab[tensorboard]'" in out.stdout


# --- histograms of large tensors: buckets computed, never sorted ----------------------

def _tensorboardx_histogram(values):
    """tensorboardX's own histogram (np.histogram over TF's bucket edges: sorts)."""
    from tensorboardX.summary import make_histogram
    from tinyflow.summary.ops import default_bins
    return make_histogram(np.asarray(values, np.float64), default_bins())


@pytest.mark.parametrize("values", [
    np.random.default_rng(0).normal(0, 3, 5000),
    np.array([0.0, 0.0, 1e-12, -1e-12, 1.0, -1.0, 1.1, 2.5e19, -7.0]),
    np.random.default_rng(1).integers(-3, 4, 999).astype(np.float64),
    np.full(10, 0.5),
    tinyflow.summary.ops.default_bins()[::97],           # values exactly on the edges
], ids=["normal", "edges-and-zeros", "integers", "constant", "on-edges"])
def test_histogram_buckets_equal_tensorboardx(values):
    from tinyflow.summary.ops import histogram_proto
    mine, ref = histogram_proto("h", values), _tensorboardx_histogram(values)
    assert list(mine.bucket) == list(ref.bucket)
    assert np.allclose(mine.bucket_limit, ref.bucket_limit, rtol=1e-12)
    assert (mine.min, mine.max, mine.num) == (ref.min, ref.max, ref.num)
    assert mine.sum == pytest.approx(ref.sum) and mine.sum_squares == pytest.approx(ref.sum_squares)


def test_histogram_of_a_large_tensor_never_sorts(monkeypatch, tmp_path):
    """Two million values: every numpy way to sort or search is forbidden, and the
    histogram (eager writer and graph summary op) still comes out right."""
    from tinyflow.summary.ops import histogram_proto
    values = np.random.default_rng(2).standard_normal(2_000_000).astype(np.float32)
    expected = list(_tensorboardx_histogram(values).bucket)

    def forbidden(*a, **k):
        raise AssertionError("a histogram summary sorted its values")
    for name in ("sort", "argsort", "histogram", "searchsorted", "partition", "digitize",
                 "unique", "quantile", "percentile", "median"):
        monkeypatch.setattr(np, name, forbidden)
    assert list(histogram_proto("big", values).bucket) == expected
    with summary.SummaryWriter(str(tmp_path)) as w:
        w.add_histogram("big", values, 0)
    tf.reset_default_graph()
    op = tf.summary.histogram("big_graph", tf.constant(values))
    parsed = summary.ops.parse(tf.Session().run(op))
    assert list(parsed.value[0].histo.bucket) == expected
    monkeypatch.undo()
    assert sum(read(tmp_path).Histograms("big")[0].histogram_value.bucket) == values.size
