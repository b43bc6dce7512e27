"""Plots: what each figure holds, and that pyplot is left untouched."""
import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.figure import Figure

import tinyflow as tf
import tinyflow.nn as nn
from tinyflow.viz import plot_decision_boundary, plot_gradcheck, plot_history, \
    plot_weight_histograms


@pytest.fixture(autouse=True)
def no_pyplot_figures():
    plt.close("all")
    yield
    assert plt.get_fignums() == [], "a plot left a pyplot figure open"


def is_png(fig):
    return fig._repr_png_().startswith(b"\x89PNG")


def test_history_one_panel_per_metric():
    history = {"loss": [1.0, 0.6, 0.4], "val_loss": [1.1, 0.8, 0.7], "accuracy": [0.5, 0.7, 0.8]}
    fig = plot_history(history, title="run 1")
    assert isinstance(fig, Figure)
    assert [ax.get_title() for ax in fig.axes] == ["loss", "accuracy"]
    assert [len(ax.lines) for ax in fig.axes] == [2, 1]
    assert list(fig.axes[0].lines[0].get_xdata()) == [1, 2, 3]
    assert [t.get_text() for t in fig.axes[0].get_legend().get_texts()] == ["train", "validation"]
    assert fig.axes[0].get_xlabel() == "epoch"
    assert fig.get_suptitle() == "run 1"
    assert repr(fig) == "<Figure size 800x300 with 2 Axes>"
    assert is_png(fig)


def test_history_accepts_history_objects_and_rejects_empty():
    class History:
        history = {"loss": [3.0, 2.0]}

    assert len(plot_history(History()).axes) == 1
    with pytest.raises(ValueError, match="empty"):
        plot_history({})


def test_weight_histograms_with_gradients():
    tf.manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))
    nn.MSELoss()(model(tf.randn(6, 3)), tf.zeros(6, 2)).backward()
    fig = plot_weight_histograms(model, bins=10)
    assert isinstance(fig, Figure)
    titles = [ax.get_title() for ax in fig.axes]
    assert titles == ["0.weight", "0.weight.grad", "0.bias", "0.bias.grad",
                      "2.weight", "2.weight.grad", "2.bias", "2.bias.grad"]
    assert all(len(ax.patches) == 10 for ax in fig.axes)
    assert is_png(fig)


def test_weight_histograms_without_gradients_or_from_arrays():
    model = nn.Linear(3, 2)
    fig = plot_weight_histograms(model)
    grad_ax = fig.axes[1]
    assert grad_ax.get_title() == "weight.grad" and not grad_ax.patches
    assert "no gradient yet" in grad_ax.texts[0].get_text()
    fig = plot_weight_histograms({"w": np.arange(12.0)}, grads=False, bins=4)
    assert len(fig.axes) == 1 and len(fig.axes[0].patches) == 4
    fig = plot_weight_histograms([("a", np.ones(3)), ("b", tf.zeros(2))], grads=False)
    assert [ax.get_title() for ax in fig.axes] == ["a", "b"]


def test_decision_boundary_for_a_function():
    X = np.array([[0.0, 0.0], [1.0, 1.0], [0.0, 1.0], [1.0, 0.0]])
    y = np.array([0, 1, 0, 1])
    fig = plot_decision_boundary(lambda p: p[:, 0] - 0.5, X, y, resolution=30)
    (ax,) = fig.axes
    assert ax.get_title() == "decision boundary"
    assert len(ax.collections) == 2                       # regions + points
    assert ax.collections[-1].get_offsets().shape == (4, 2)
    assert is_png(fig)


def test_decision_boundary_for_a_model_keeps_its_mode():
    tf.manual_seed(0)
    model = nn.Sequential(nn.Linear(2, 8), nn.Dropout(0.5), nn.Linear(8, 3))
    model.train()
    X = np.random.default_rng(0).standard_normal((20, 2)).astype(np.float32)
    y = np.arange(20) % 3
    fig = plot_decision_boundary(model, X, y, resolution=25, title="3 classes")
    assert fig.axes[0].get_title() == "3 classes"
    assert model.training
    with pytest.raises(ValueError, match="shape \\(N, 2\\)"):
        plot_decision_boundary(model, np.zeros((3, 3)), np.zeros(3))


def test_gradcheck_heatmap_is_near_zero_for_correct_gradients():
    x = tf.randn(3, 4, dtype=tf.float64, requires_grad=True)
    w = tf.randn(4, dtype=tf.float64, requires_grad=True)
    fig = plot_gradcheck(lambda x, w: (x * w).tanh().sum(), [x, w])
    assert isinstance(fig, Figure)
    heatmaps = [ax for ax in fig.axes if ax.images]
    assert len(heatmaps) == 2 and len(fig.axes) == 4       # each with a colorbar
    assert heatmaps[0].get_title().startswith("input 0 (3, 4): max ")
    assert heatmaps[1].get_title().startswith("input 1 (4,): max ")
    assert heatmaps[0].images[0].get_array().shape == (3, 4)
    assert heatmaps[1].images[0].get_array().shape == (1, 4)
    assert float(heatmaps[0].images[0].get_array().max()) < 1e-6


def test_gradcheck_heatmap_shows_a_wrong_gradient():
    x = tf.ones(2, 3, dtype=tf.float32, requires_grad=True)   # float32 is checked in float64

    def doubled(x):                       # a hook that breaks the gradient on purpose
        y = x * 1.0
        y.register_hook(lambda g: g * 2)
        return y.sum()

    fig = plot_gradcheck(doubled, [x])
    err = fig.axes[0].images[0].get_array()
    assert err.shape == (2, 3) and float(err.min()) > 0.1
    with pytest.raises(TypeError, match="no input requires grad"):
        plot_gradcheck(lambda x: x.sum(), [tf.ones(2)])


def test_matplotlib_backend_untouched():
    before = matplotlib.get_backend()
    plot_history({"loss": [1.0]})
    assert matplotlib.get_backend() == before
