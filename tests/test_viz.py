"""Drawings: the DOT text of known computations, and SVG from the bundled dot."""
import base64
import html
import re
import struct

import numpy as np
import pytest
from graphviz.backend import dot_command

import tinyflow as tf
import tinyflow.compat.v1 as v1
import tinyflow.debug
import tinyflow.nn as nn
from tinyflow.viz import Backward, Drawing, draw, render
from tinyflow.viz.drawing import PAGE_WIDTH_PT, svg_size


def labels(d):
    """node id -> the plain text of its label (HTML tags dropped)."""
    out = {}
    for m in re.finditer(r"^\s*(n\d+) \[label=<(.*?)>\s", d.source, re.M):
        out[m.group(1)] = html.unescape(re.sub(r"<[^>]+>", " ", m.group(2))).split()
    return out


def node_line(d, node_id):
    return re.search(rf"^\s*{node_id} \[.*$", d.source, re.M).group(0)


def edges(d):
    return re.findall(r"^\s*(n\d+) -> (n\d+)(.*)$", d.source, re.M)


def clusters(d):
    return re.findall(r'subgraph "?cluster_([^" ]*)"? \{\s*(.*)$', d.source, re.M)


def mlp_loss(seed=0):
    tf.manual_seed(seed)
    model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3))
    x = tf.randn(5, 4)
    loss = nn.MSELoss()(model(x), tf.zeros(5, 3))
    return model, x, loss


def mlp_graph():
    v1.reset_default_graph()
    x = v1.placeholder(v1.float32, [None, 4], name="x")
    y = v1.placeholder(v1.int64, [None], name="y")
    h = v1.layers.dense(x, 8, activation=v1.nn.relu, name="fc1")
    h = v1.layers.dense(h, 8, activation=v1.nn.relu, name="fc2")
    logits = v1.layers.dense(h, 3, name="fc3")
    loss = v1.reduce_mean(v1.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits),
                          name="loss")
    train = v1.train.GradientDescentOptimizer(0.1).minimize(loss)
    return v1.get_default_graph(), loss, train


# --- eager tensors --------------------------------------------------------------------------

def test_eager_labels_edges_and_output():
    w = tf.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    w.name = "w"
    x = tf.ones(3, 2)
    y = (x @ w).relu().sum()
    d = draw(y)
    assert isinstance(d, Drawing)
    lab = labels(d)
    assert lab["n0"] == ["input", "(3,", "2)", "float32"]
    assert lab["n1"] == ["w", "(2,", "2)", "float32"]
    assert [lab[f"n{i}"][0] for i in range(2, 6)] == ["MatMul", "Relu", "Sum", "output"]
    assert [(a, b) for a, b, _ in edges(d)] == [("n0", "n2"), ("n1", "n2"), ("n2", "n3"),
                                                ("n3", "n4"), ("n4", "n5")]
    assert "shape=ellipse" in node_line(d, "n1") and "rounded" in node_line(d, "n2")
    assert d.node_id(w) == "n1" and d.node_id(y.node) == "n4" and d.node_id("w") == "n1"
    assert repr(d) == "<tinyflow drawing: 6 nodes, 5 edges>"


def test_eager_broadcast_edge_says_sum_to():
    x = tf.ones(2, 3, requires_grad=True)
    b = tf.tensor([1.0, 2.0, 3.0], requires_grad=True)
    b.name = "b"
    d = draw((x + b).sum())
    (tail, head, attrs), = [e for e in edges(d) if e[0] == d.node_id(b)]
    assert 'label="sum to (3,)"' in attrs
    assert not any("sum to" in a for t, _, a in edges(d) if t == d.node_id(x))


def test_eager_hooks_are_marked():
    w = tf.tensor([1.0, 2.0], requires_grad=True)
    w.register_hook(lambda g: g)
    z = w * 2
    z.register_hook(lambda g: g)
    out = (z * 3).sum()
    d = draw(out)
    assert "hook" in labels(d)[d.node_id(w)]
    assert "hook" in labels(d)[d.node_id(z.node)]
    assert "penwidth=2.5" in node_line(d, d.node_id(z.node))
    assert "hook" not in labels(d)[d.node_id(out.node)]
    z.register_hook(lambda g: g)
    assert "2 hooks" in " ".join(labels(draw(out))[d.node_id(z.node)])


def test_eager_values_and_grads():
    w = tf.tensor([1.0, -2.0], requires_grad=True)
    w.name = "w"
    loss = (w * w).sum()
    loss.backward(retain_graph=True)
    d = draw(loss, show_values=True, show_grads=True)
    text = " ".join(labels(d)[d.node_id(w)])
    assert "[ 1. -2.]" in text and "grad [ 2. -4.]" in text
    assert "grad" not in " ".join(labels(draw(loss))[d.node_id(w)])


def test_eager_after_backward_still_draws_the_graph():
    w = tf.tensor([1.0, -2.0], requires_grad=True)
    loss = (w * 3.0).sum()
    loss.backward()
    lab = labels(draw(loss))
    assert [v[0] for v in lab.values()] == ["leaf", "Mul", "Sum", "output"]


def test_eager_backward_mirror():
    w = tf.tensor([1.0, 2.0], requires_grad=True)
    w.name = "w"
    b = tf.tensor(0.5, requires_grad=True)
    b.name = "b"
    y = (w * b).sum()
    d = draw(y, backward=True)
    mul, summ = d.node_id(Backward(y.node.input_nodes()[0])), d.node_id(Backward(y.node))
    assert labels(d)[mul] == ["MulBackward0"] and labels(d)[summ] == ["SumBackward0"]
    assert ("backward", 'label="backward (gradients flow up)"') in [
        (n, re.search(r'label="[^"]*"', a).group(0)) for n, a in clusters(d)]
    back = {(a, b_) for a, b_, attrs in edges(d) if "dir=back" in attrs}
    # producer -> consumer, drawn reversed: gradients flow from the output to the leaves
    assert (mul, summ) in back and (d.node_id(w), mul) in back
    assert (summ, d.node_id(y)) in back
    assert (d.node_id(b), mul) in back
    assert any('label="sum to ()"' in attrs for a, b_, attrs in edges(d)
               if a == d.node_id(b) and b_ == mul)


def test_eager_param_clusters_without_a_module():
    _, _, loss = mlp_loss()
    d = draw(loss)
    names = [n for n, _ in clusters(d)]
    assert names == ["0", "2"]
    body = d.source.split("subgraph cluster_0")[1].split("}")[0]
    for title in ("0.weight", "0.bias", "Transpose", "MatMul", "Add"):
        assert title in body
    assert "Relu" not in body


# --- modules ------------------------------------------------------------------------------------

def test_module_with_input_clusters_ops_by_module():
    model, x, _ = mlp_loss()
    d = draw(model, input=x)
    assert [(n, re.search(r'label="([^"]*)"', a).group(1)) for n, a in clusters(d)] == \
        [("0", "0: Linear"), ("2", "2: Linear")]
    body = d.source.split("subgraph cluster_2")[1].split("}")[0]
    assert "2.weight" in body and "MatMul" in body and "Add" in body
    assert labels(d)[d.node_id("0.weight")][:3] == ["0.weight", "(8,", "4)"]
    # no hooks or observers left behind
    assert not model[0]._forward_hooks and not model[0]._forward_pre_hooks
    assert not tf.base.config.Config.observers


def test_module_collapse_and_max_depth():
    model, x, _ = mlp_loss()
    d = draw(model, input=x, collapse=True)
    lab = labels(d)
    assert [v[:2] for v in lab.values()] == [["0:", "Linear"], ["input", "(5,"], ["Relu", "(5,"],
                                            ["2:", "Linear"], ["output", "(5,"]]
    assert "3 ops, 2 params" in " ".join(lab["n0"])
    assert "shape=box3d" in node_line(d, "n0")
    assert d.node_id("0.weight") == "n0"          # parameters are inside the box
    assert [(a, b) for a, b, _ in edges(d)] == [("n1", "n0"), ("n0", "n2"), ("n2", "n3"),
                                                ("n3", "n4")]
    only_first = draw(model, input=x, collapse=["0"])
    assert [n for n, _ in clusters(only_first)] == ["2"]

    class Block(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(3, 3)
            self.out = nn.Linear(3, 2)

        def forward(self, x):
            return self.out(self.fc(x).tanh())

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.block = Block()

        def forward(self, x):
            return self.block(x).sum()

    net = Net()
    xin = tf.ones(2, 3)
    full = draw(net, input=xin)
    assert [n for n, _ in clusters(full)] == ["block", "block.fc", "block.out"]
    depth1 = draw(net, input=xin, max_depth=1)
    assert [n for n, _ in clusters(depth1)] == ["block"]
    assert "block.fc: Linear" in " ".join(" ".join(v) for v in labels(depth1).values())
    depth0 = draw(net, input=xin, max_depth=0)
    assert clusters(depth0) == []
    assert labels(depth0)[depth0.node_id("block.fc.weight")][:2] == ["block:", "Block"]


def test_module_structure_without_input():
    model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3))
    d = draw(model)
    lab = labels(d)
    assert [v[0] for v in lab.values()] == ["0.weight", "0.bias", "Linear", "1:", "2.weight",
                                            "2.bias", "Linear"]
    assert lab["n3"] == ["1:", "ReLU"]
    assert [(a, b) for a, b, _ in edges(d)] == [("n0", "n2"), ("n1", "n2"), ("n4", "n6"),
                                                ("n5", "n6"), ("n2", "n3"), ("n3", "n6")]
    assert d.node_id(model[1]) == "n3"
    boxes = labels(draw(nn.Sequential(model, nn.Linear(3, 1)), max_depth=0))
    assert [" ".join(v) for v in boxes.values()] == ["0: Sequential 3 layers, 4 params",
                                                      "1: Linear 2 params"]


def test_same_model_built_twice_gives_the_same_dot():
    a = draw(mlp_loss(seed=0)[2])
    b = draw(mlp_loss(seed=1)[2])          # other weights, same structure
    assert a.source == b.source
    model, x, loss = mlp_loss()
    assert draw(loss, backward=True).source == draw(loss, backward=True).source
    assert draw(model, input=x).source == draw(model, input=x).source
    g1 = draw(mlp_graph()[0], backward=True).source
    g2 = draw(mlp_graph()[0], backward=True).source
    assert g1 == g2
    for src in (a.source, g1):
        assert not re.search(r"0x[0-9a-f]{6,}", src)


# --- graphs -----------------------------------------------------------------------------------

def test_graph_scopes_are_clusters_and_fetches_prune():
    g, loss, _ = mlp_graph()
    d = draw(g, fetches=[loss])
    assert [n for n, _ in clusters(d)] == ["fc1", "fc2", "fc3"]
    body = d.source.split("subgraph cluster_fc1")[1].split("}")[0]
    for title in ("kernel", "bias", "MatMul", "BiasAdd", "Relu"):
        assert f"<B>{title}</B>" in body
    assert "Assign" not in d.source and "random_uniform" not in d.source   # not needed for loss
    assert "gradients" not in d.source
    lab = labels(d)
    assert lab[d.node_id("x")] == ["x", "Placeholder", "(?,", "4)", "float32"]
    assert lab[d.node_id("fc1/kernel")][:2] == ["kernel", "VariableV2"]
    assert (d.node_id("fc1/MatMul"), d.node_id("fc1/BiasAdd")) in [(a, b) for a, b, _ in edges(d)]
    assert d.node_id(loss) == d.node_id(loss.op) == d.node_id("loss")
    assert draw(loss).source == d.source                 # a tensor draws what it needs


def test_graph_broadcast_edge():
    g, loss, _ = mlp_graph()
    d = draw(g, fetches=[loss])
    (attrs,) = [a for t, h, a in edges(d) if t == d.node_id("fc1/bias")
                and h == d.node_id("fc1/BiasAdd")]
    assert 'label="sum to (8,)"' in attrs
    assert not [a for t, h, a in edges(d) if t == d.node_id("fc1/kernel") and "sum to" in a]


def test_graph_backward_option():
    g, loss, train = mlp_graph()
    forward = draw(g)
    assert "gradients" not in forward.source and "GradientDescent" not in forward.source
    assert "gradient and update ops not shown" in forward.source
    both = draw(g, backward=True)
    names = [n for n, _ in clusters(both)]
    assert "gradients" in names and "GradientDescent" in names
    grad_cluster = dict(clusters(both))["gradients"]
    assert "dashed" in grad_cluster and "#fff4ec" in grad_cluster
    assert "#fde2d2" in node_line(both, both.node_id("gradients/MatMul"))
    assert draw(g, fetches=[train]).source.count("#fde2d2") > 10     # the fetch needs them
    assert "gradients" not in draw(g, fetches=[train], backward=False).source


def test_graph_collapse_and_max_depth():
    g, loss, _ = mlp_graph()
    d = draw(g, fetches=[loss], collapse=True)
    assert clusters(d) == []
    lab = labels(d)
    assert lab[d.node_id("fc1/MatMul")] == ["fc1", "3", "ops,", "2", "params"]
    assert d.node_id("fc1/MatMul") == d.node_id("fc1/kernel")
    assert (d.node_id("fc1/Relu"), d.node_id("fc2/MatMul")) in [(a, b) for a, b, _ in edges(d)]
    assert draw(g, fetches=[loss], max_depth=0).source == d.source
    some = draw(g, fetches=[loss], collapse=["fc2"])
    assert [n for n, _ in clusters(some)] == ["fc1", "fc3"]

    v1.reset_default_graph()
    x = v1.placeholder(v1.float32, [2], name="x")
    with v1.name_scope("outer"):
        with v1.name_scope("inner"):
            y = v1.exp(x) * 2.0
        z = y + 1.0
    d0 = draw(z)
    assert [n for n, _ in clusters(d0)] == ["outer", "outer/inner"]
    d1 = draw(z, max_depth=1)
    assert [n for n, _ in clusters(d1)] == ["outer"]
    assert "outer/inner" in labels(d1)[d1.node_id("outer/inner/Exp")]


def test_graph_debug_ops_and_hooks_are_marked():
    v1.reset_default_graph()
    x = v1.placeholder(v1.float32, [None, 3], name="x")
    p = tinyflow.debug.Print(x, [x], "x: ")
    b = tinyflow.debug.breakpoint(p)
    c = tinyflow.debug.check_numerics(b, "bad")
    y = v1.reduce_sum(c, name="y")
    y.op.register_forward_hook(lambda op, inputs, out: None)
    d = draw(y)
    assert "shape=note" in node_line(d, d.node_id(p))
    assert "shape=octagon" in node_line(d, d.node_id(b))
    assert "#fff3b0" in node_line(d, d.node_id(c))
    assert "'x: '" in " ".join(labels(d)[d.node_id(p)])
    assert "hook" in labels(d)[d.node_id(y)] and "penwidth=2.5" in node_line(d, d.node_id(y))
    assert "hook" not in labels(d)[d.node_id(p)]


def test_control_dependencies_are_dashed():
    g, _, train = mlp_graph()
    d = draw(g, backward=True)
    update = d.node_id(train)
    ctrl = [a for t, h, a in edges(d) if h == update]
    assert len(ctrl) == 6 and all("style=dashed" in a for a in ctrl)


def test_function_draws_its_graph():
    @tf.function
    def f(x, w):
        return (x * w).sum()

    with pytest.raises(ValueError, match="has not been traced"):
        draw(f)
    d = draw(f, input=(tf.ones(3), tf.ones(3)))
    assert [v[0] for v in labels(d).values()] == ["arg0", "arg1", "Mul", "Sum"]
    assert "f_0" in d.source
    f(tf.ones(4), tf.ones(4))
    assert "(4,)" in draw(f).source                 # the latest trace
    cf = f.get_concrete_function(tf.ones(3), tf.ones(3))
    assert draw(cf).source == d.source
    assert "text/plain" in cf._repr_mimebundle_()[0]


# --- highlighting, ids and display ----------------------------------------------------------

def test_highlight_nodes_ops_and_names():
    model, x, loss = mlp_loss()
    matmul = loss.node.input_nodes()[0].input_nodes()[0]
    d = draw(loss, highlight={matmul: "gold", "0.weight": "#ff0000"})
    assert 'fillcolor=gold' in node_line(d, d.node_id(matmul))
    assert 'penwidth=3' in node_line(d, d.node_id(matmul))
    assert 'fillcolor="#ff0000"' in node_line(d, d.node_id("0.weight"))
    assert draw(loss, highlight=[matmul]).source == draw(loss, highlight={matmul: "gold"}).source
    with pytest.raises(KeyError, match="not in this drawing"):
        draw(loss, highlight={"nope": "gold"})
    traced = draw(model, input=x, highlight=["1", ("2", "red")])
    assert "fillcolor=gold" in node_line(traced, "n6")          # ReLU: one op, no frame
    assert "color=red" in dict(clusters(traced))["2"]
    with pytest.raises(KeyError):
        d.node_id(tf.ones(2))

    g, gloss, _ = mlp_graph()
    op = g.get_operation_by_name("fc2/MatMul")
    dg = draw(g, fetches=[gloss], highlight={op: "gold"})
    assert "fillcolor=gold" in node_line(dg, dg.node_id(op))
    boxed = draw(g, fetches=[gloss], collapse=True, highlight={op: "gold"})
    assert "fillcolor=gold" in node_line(boxed, boxed.node_id("fc2/BiasAdd"))
    assert "fillcolor=gold" not in node_line(boxed, boxed.node_id("fc1/BiasAdd"))
    framed = draw(g, fetches=[gloss], highlight={"fc3": "red"})
    assert "color=red" in dict(clusters(framed))["fc3"]
    assert "penwidth=3" in dict(clusters(framed))["fc3"]


def test_highlight_backward_node():
    w = tf.tensor([1.0, 2.0], requires_grad=True)
    y = (w * w).sum()
    d = draw(y, backward=True, highlight={Backward(y.node): "orange"})
    assert "fillcolor=orange" in node_line(d, d.node_id(Backward(y.node)))
    assert "fillcolor=orange" not in node_line(d, d.node_id(y.node))


def test_rankdir_option():
    w = tf.tensor([1.0], requires_grad=True)
    assert "rankdir=LR" in draw(w * 2, rankdir="LR").source
    assert "rankdir=TB" in draw(w * 2).source


def test_draw_rejects_other_things():
    with pytest.raises(TypeError, match="draw\\(\\) takes"):
        draw(42)


# --- rendering ----------------------------------------------------------------------------------

def test_renders_svg_with_graphviz_pure(monkeypatch):
    assert render.find_graphviz_pure() is not None, "graphviz-pure is a dependency"
    assert str(dot_command.DOT_BINARY).endswith("graphviz-pure")
    w = tf.tensor([1.0, 2.0], requires_grad=True)
    w.name = "w"
    d = draw((w * w).sum(), backward=True)
    svg = d.svg()
    assert svg.startswith("<?xml") and "<svg" in svg and "graphviz-pure" in svg
    for i in range(d.node_count):
        assert f"<title>n{i}</title>" in svg
    assert ">MulBackward0</text>" in svg and ">w</text>" in svg
    assert d.svg() == svg                                  # byte-identical renders
    bundle, metadata = d._repr_mimebundle_()
    assert bundle["image/svg+xml"] == svg
    assert bundle["text/plain"] == repr(d) == "<tinyflow drawing: 6 nodes, 10 edges>"
    assert metadata == {}                                  # narrow: shown as it is
    assert set(d._repr_mimebundle_(include=["text/plain"])[0]) == {"text/plain"}


def test_drawings_carry_a_png_that_is_the_same_every_run():
    # JupyterLab shows no SVG of an untrusted notebook (a lesson just opened),
    # but it shows a PNG; nbval does not compare PNGs, so the bytes must be
    # stable on their own for re-executed lessons to give clean diffs.
    w = tf.tensor([1.0, 2.0], requires_grad=True)
    w.name = "w"
    d = draw((w * w).sum(), backward=True)
    bundle, _ = d._repr_mimebundle_()
    png = base64.b64decode(bundle["image/png"])
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert d.png() == png == draw((w * w).sum(), backward=True).png()
    width, height = struct.unpack(">II", png[16:24])
    svg_w, svg_h = svg_size(d.svg())                       # 1 pt = 4/3 px at 96 dpi
    assert abs(width - svg_w * 4 / 3) <= 2 and abs(height - svg_h * 4 / 3) <= 2


def wide_graph(n=20):
    """n independent chains side by side: very wide top to bottom, narrow left to right."""
    g = v1.Graph()
    with g.as_default():
        outs = []
        for i in range(n):
            x = v1.placeholder(tf.float32, [None, 3], name=f"x{i}")
            outs.append(v1.tanh(v1.exp(x), name=f"t{i}"))
        total = v1.concat(outs, axis=1, name="total")      # one op with n inputs
    return g, total


def test_wide_drawings_are_laid_out_to_fit():
    g, total = wide_graph()
    d = draw(g, fetches=[total])
    assert svg_size(d.svg())[0] > PAGE_WIDTH_PT               # as drawn: too wide
    bundle, metadata = d._repr_mimebundle_()
    shown_w, _ = svg_size(bundle["image/svg+xml"])
    assert "rankdir=LR" in d.fitted().source and shown_w <= PAGE_WIDTH_PT
    assert metadata == {}                                    # fits: no sideways scroll
    # an explicit rankdir is kept; too wide, it is shown at a readable size
    # (at most shrunk to 3/4) with a scroll bar, not shrunk to the page
    kept = draw(g, fetches=[total], rankdir="TB")
    bundle, metadata = kept._repr_mimebundle_()
    svg_w, _ = svg_size(bundle["image/svg+xml"])
    assert svg_w > PAGE_WIDTH_PT and "rankdir=TB" in kept.fitted().source
    for mime in ("image/svg+xml", "image/png"):
        assert metadata[mime]["unconfined"] is True
        assert metadata[mime]["width"] >= svg_w * 4 / 3 * 0.75


def test_graph_and_function_display_in_jupyter():
    g, _, _ = mlp_graph()
    bundle, _ = g._repr_mimebundle_()
    assert "<svg" in bundle["image/svg+xml"] and "image/png" in bundle
    assert "<svg" in bundle["image/svg+xml"] and bundle["text/plain"].startswith(
        "<tinyflow drawing: ")


def test_without_a_renderer_the_dot_text_remains(monkeypatch):
    monkeypatch.setattr(dot_command, "DOT_BINARY", "/nonexistent/bin/dot")
    assert render.dot_binary() is None
    w = tf.tensor([1.0, 2.0], requires_grad=True)
    d = draw((w * w).sum())
    assert "digraph" in d.source and "Mul" in d.source
    bundle, _ = d._repr_mimebundle_()
    assert list(bundle) == ["text/plain"]
    assert "pip install graphviz-pure" in bundle["text/plain"]
    assert bundle["text/plain"].startswith(repr(d))


def test_use_dot_switches_program(monkeypatch):
    monkeypatch.setattr(dot_command, "DOT_BINARY", dot_command.DOT_BINARY)
    render.use_dot("/some/where/dot")
    assert dot_command.DOT_BINARY == "/some/where/dot"
    assert render.setup() == render.find_graphviz_pure()
