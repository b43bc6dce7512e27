"""tinyflow.jit.trace: a module traced into a graph-backed callable."""
import numpy as np
import pytest

import tinyflow as tf
import tinyflow.nn as nn
from tinyflow import saved_model
from tinyflow.graph.graph import Graph
from tinyflow.tracing.function import ConcreteFunction
from tinyflow.tracing.jit import trace, TracedModule, TracingCheckError


def data(*shape, seed=1):
    return np.random.default_rng(seed).standard_normal(shape).astype(np.float32)


def eager(model, x):
    with tf.no_grad():
        return model(tf.tensor(x)).numpy()


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(4, 8)
        self.drop = nn.Dropout(0.5)
        self.bn = nn.BatchNorm1d(8)
        self.fc2 = nn.Linear(8, 3)

    def forward(self, x):
        return self.fc2(self.bn(self.drop(self.fc1(x).relu())))


def test_a_trace_runs_any_batch_and_matches_the_module():
    model = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 10))
    traced = trace(model, tf.zeros(4, 64))
    assert isinstance(traced, TracedModule)
    assert isinstance(traced.concrete_function, ConcreteFunction)
    assert isinstance(traced.graph, Graph)              # what tinyflow.viz.draw takes
    for n in (1, 7):
        x = data(n, 64)
        np.testing.assert_array_equal(traced(x).numpy(), eager(model, x))
    assert traced.input_names == ["x"] and traced.output_names == ["output_0"]


def test_a_trace_is_made_in_eval_mode_and_leaves_modes_alone():
    model = Net()
    model.train()
    model(tf.tensor(data(16, 4)))                      # some running statistics
    model.bn.eval()                                    # a mixed state, to be restored exactly
    traced = trace(model, tf.zeros(2, 4))
    assert model.training and model.fc1.training and not model.bn.training
    x = data(5, 4, seed=2)
    want = eager(model.eval(), x)
    np.testing.assert_array_equal(traced(x).numpy(), want)
    np.testing.assert_array_equal(traced(x).numpy(), want)   # no dropout: the same every call


def test_sub_modules_name_their_ops():
    names = [op.name for op in trace(Net(), tf.zeros(2, 4)).graph.get_operations()]
    assert "fc1/MatMul" in names and "fc2/Add" in names and "bn/Sub" in names
    assert "fc1_weight" in names                       # the captured parameter


def test_calls_run_the_graph_and_follow_the_parameters():
    model = nn.Sequential(nn.Linear(3, 2))
    traced = trace(model, tf.zeros(1, 3))
    x = data(2, 3)
    out = traced(tf.tensor(x))                         # gradients are on, params require grad
    assert not out.requires_grad
    with tf.no_grad():
        model[0].weight.mul_(2.0)                      # "training" changes the parameter
    np.testing.assert_array_equal(traced(x).numpy(), eager(model, x))


def test_a_fixed_shape_trace_refuses_other_batches():
    traced = trace(nn.Linear(3, 2), tf.zeros(4, 3), dynamic_batch=False)
    assert traced.graph.get_operation_by_name("x").outputs[0]._shape == (4, 3)
    with pytest.raises(ValueError, match="shape"):
        traced(np.zeros((5, 3), np.float32))


def test_code_that_needs_a_known_batch_says_how_to_fix_it():
    class Flat(nn.Module):
        def forward(self, x):
            return x.reshape(x.shape[0], -1)

    with pytest.raises((TypeError, ValueError), match="dynamic_batch=False"):
        trace(Flat(), tf.zeros(2, 3, 4))
    traced = trace(Flat(), tf.zeros(2, 3, 4), dynamic_batch=False)
    assert traced(np.ones((2, 3, 4), np.float32)).shape == (2, 12)


def test_a_trace_that_differs_from_python_is_caught():
    class Counter(nn.Module):
        def __init__(self):
            super().__init__()
            self.calls = 0

        def forward(self, x):
            self.calls += 1                            # Python state the graph cannot see
            return x * float(self.calls)

    with pytest.raises(TracingCheckError, match="different output"):
        trace(Counter(), tf.ones(2, 2))


def test_plain_functions_and_several_outputs():
    def f(a, b):
        return {"sum": a + b, "prod": a * b}

    traced = trace(f, (tf.zeros(2, 3), tf.zeros(2, 3)))
    assert traced.input_names == ["a", "b"] and traced.output_names == ["sum", "prod"]
    a, b = data(4, 3), data(4, 3, seed=2)
    out = traced(a, b)
    np.testing.assert_array_equal(out["prod"].numpy(), a * b)


def test_a_trace_saves_a_bundle(tmp_path):
    model = nn.Sequential(nn.Linear(4, 3), nn.Tanh())
    traced = trace(model, tf.zeros(2, 4))
    traced.save(tmp_path / "m")
    x = data(6, 4)
    np.testing.assert_array_equal(saved_model.load(tmp_path / "m")(x), eager(model, x))
    assert "TracedModule of Sequential" in repr(traced)
