"""Plots for lessons: training curves, weight and gradient histograms, decision
boundaries and gradient checks.

Each function builds a ``matplotlib.figure.Figure`` directly and returns it:
nothing goes through pyplot's global list of figures and nothing calls
``plt.show()``, so a notebook cell shows exactly the figure it returns (once)
and a script can ``fig.savefig(...)`` it.

>>> fig = plot_history({"loss": [1.0, 0.5, 0.3], "val_loss": [1.1, 0.7, 0.6]})
>>> [ax.get_title() for ax in fig.axes]
['loss']
"""
import numpy as np
from matplotlib import figure as _mpl

from ..eager.backward import grad
from ..eager.grad_mode import no_grad
from ..eager.tensor import Tensor


class Figure(_mpl.Figure):
    """A matplotlib Figure that Jupyter shows as a PNG even when pyplot was
    never used (pyplot's inline backend only registers its display for figures
    it made). Its repr is matplotlib's: ``<Figure size 400x300 with 1 Axes>``."""

    def _repr_png_(self):
        import io
        buf = io.BytesIO()
        self.savefig(buf, format="png", dpi=100)
        return buf.getvalue()


def _figure(rows, cols, width=4.0, height=3.0):
    return Figure(figsize=(width * cols, height * rows), layout="constrained")


def _array(x):
    return x.array if isinstance(x, Tensor) else np.asarray(x)


# --- training curves --------------------------------------------------------------

def plot_history(history, title=None):
    """Training curves from ``fit``'s history: one panel per metric, with its
    ``val_`` twin on the same axes.

    >>> fig = plot_history({"loss": [0.9, 0.4], "val_loss": [1.0, 0.6], "accuracy": [0.6, 0.9]})
    >>> [ax.get_title() for ax in fig.axes], len(fig.axes[0].lines)
    (['loss', 'accuracy'], 2)
    """
    history = getattr(history, "history", history)        # a Keras-style History object too
    metrics = [k for k in history if not k.startswith("val_")]
    metrics += [k[4:] for k in history if k.startswith("val_") and k[4:] not in history]
    if not metrics:
        raise ValueError("plot_history: the history is empty; expected a dict of lists "
                         "such as {'loss': [...], 'val_loss': [...]}")
    fig = _figure(1, len(metrics))
    axes = fig.subplots(1, len(metrics), squeeze=False)[0]
    for ax, name in zip(axes, metrics):
        for key, label, style in ((name, "train", "-"), ("val_" + name, "validation", "--")):
            values = history.get(key)
            if values:
                epochs = np.arange(1, len(values) + 1)
                ax.plot(epochs, values, style, marker="o", markersize=3, label=label)
        ax.set_title(name)
        ax.set_xlabel("epoch")
        ax.grid(alpha=0.3)
        ax.legend()
    if title:
        fig.suptitle(title)
    return fig


# --- weights and gradients ------------------------------------------------------------

def _named_arrays(obj):
    """(name, tensor or array) pairs from a Module, a dict or a list of pairs."""
    if hasattr(obj, "named_parameters"):
        return list(obj.named_parameters())
    if isinstance(obj, dict):
        return list(obj.items())
    return [(n, t) for n, t in obj]


def plot_weight_histograms(model_or_named_arrays, grads=True, bins=30):
    """Histograms of each parameter's values and, with ``grads``, of its
    gradient (after ``backward``): one row per parameter.

    Takes a Module, a dict ``{name: tensor}`` or a list of ``(name, tensor)``.

    >>> import tinyflow.nn as nn
    >>> fig = plot_weight_histograms(nn.Linear(3, 2), grads=False)
    >>> [ax.get_title() for ax in fig.axes]
    ['weight', 'bias']
    """
    named = _named_arrays(model_or_named_arrays)
    if not named:
        raise ValueError("plot_weight_histograms: no parameters to plot")
    cols = 2 if grads else 1
    fig = _figure(len(named), cols, width=3.6, height=2.2)
    axes = fig.subplots(len(named), cols, squeeze=False)
    for row, (name, t) in zip(axes, named):
        row[0].hist(_array(t).ravel(), bins=bins, color="#4a6fa5")
        row[0].set_title(name)
        if grads:
            ax = row[1]
            ax.set_title(f"{name}.grad")
            g = getattr(t, "grad", None)
            if g is None:
                ax.text(0.5, 0.5, "no gradient yet\n(call backward)", ha="center", va="center",
                        transform=ax.transAxes, color="#777777")
                ax.set_xticks([])
                ax.set_yticks([])
            else:
                ax.hist(_array(g).ravel(), bins=bins, color="#d9822b")
    return fig


# --- decision boundary -------------------------------------------------------------------

def _predict_classes(predict, points):
    """Class labels for ``points`` from a model or a function: (N, C) scores ->
    argmax; one score per point -> score > 0 (a binary logit); integers as they are."""
    from ..nn.module import Module
    if isinstance(predict, Module):
        params = list(predict.parameters())
        dtype = params[0].dtype if params else np.float32
        was_training = predict.training
        predict.eval()                       # no dropout noise in the picture
        try:
            with no_grad():
                out = predict(Tensor(points.astype(dtype)))
        finally:
            predict.train(was_training)
    else:
        out = predict(points)
    out = _array(out)
    if out.ndim == 2 and out.shape[1] > 1:
        return out.argmax(axis=1)
    out = out.reshape(len(points))
    if out.dtype.kind in "iub":
        return out.astype(int)
    return (out > 0).astype(int)


def plot_decision_boundary(predict_fn_or_model, X, y, resolution=200, margin=0.5, title=None):
    """The regions a classifier assigns to each class, over 2-D data ``X``
    (N, 2) with labels ``y``, and the points themselves on top.

    >>> import numpy as np
    >>> X = np.array([[0.0, 0.0], [1.0, 1.0]]); y = np.array([0, 1])
    >>> fig = plot_decision_boundary(lambda p: p.sum(axis=1) - 1.0, X, y, resolution=20)
    >>> fig.axes[0].get_title()
    'decision boundary'
    """
    X, y = _array(X), _array(y).reshape(-1)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"plot_decision_boundary: X must have shape (N, 2), got {X.shape}")
    (x0, y0), (x1, y1) = X.min(axis=0) - margin, X.max(axis=0) + margin
    gx, gy = np.meshgrid(np.linspace(x0, x1, resolution), np.linspace(y0, y1, resolution))
    grid = np.column_stack([gx.ravel(), gy.ravel()])
    classes = _predict_classes(predict_fn_or_model, grid).reshape(gx.shape)
    n = int(max(classes.max(), y.max())) + 1
    fig = _figure(1, 1, width=5, height=4.5)
    ax = fig.subplots()
    ax.contourf(gx, gy, classes, levels=np.arange(n + 1) - 0.5, cmap="coolwarm", alpha=0.35)
    ax.scatter(X[:, 0], X[:, 1], c=y, cmap="coolwarm", vmin=0, vmax=max(n - 1, 1),
               edgecolors="k", linewidths=0.5, s=25)
    ax.set_title(title or "decision boundary")
    ax.set_xlabel("x[0]")
    ax.set_ylabel("x[1]")
    return fig


# --- gradient check ----------------------------------------------------------------------

def gradcheck_errors(fn, inputs, eps=1e-6, seed=0):
    """|analytic - numeric| for each element of each input that requires grad,
    in float64 (the same projection on a seeded random direction as
    ``tinyflow.gradcheck``). Returns a list of (index, errors array)."""
    inputs = list(inputs) if isinstance(inputs, (list, tuple)) else [inputs]
    xs = [Tensor(x.array.astype(np.float64), requires_grad=True) if isinstance(x, Tensor)
          and x.requires_grad else x for x in inputs]
    wrt = [i for i, x in enumerate(inputs) if isinstance(x, Tensor) and x.requires_grad]
    if not wrt:
        raise TypeError("plot_gradcheck: no input requires grad")

    def outputs():
        out = fn(*xs)
        return list(out) if isinstance(out, (list, tuple)) else [out]

    rng = np.random.default_rng(seed)
    outs = outputs()
    vs = [rng.standard_normal(o.shape) for o in outs]
    used = [(o, v) for o, v in zip(outs, vs) if o.requires_grad]
    analytic = grad([o for o, _ in used], [xs[i] for i in wrt],
                    grad_outputs=[Tensor(v) for _, v in used], allow_unused=True)

    def project():
        return sum(float(np.sum(o.array * v)) for o, v in zip(outputs(), vs))

    result = []
    for i, a in zip(wrt, analytic):
        x = xs[i]
        a = np.zeros(x.shape) if a is None else a.array
        numeric = np.zeros(x.shape)
        for j in np.ndindex(x.shape):
            old = x.array[j]
            x.array[j] = old + eps
            up = project()
            x.array[j] = old - eps
            down = project()
            x.array[j] = old
            numeric[j] = (up - down) / (2 * eps)
        result.append((i, np.abs(a - numeric)))
    return result


def plot_gradcheck(fn, inputs, eps=1e-6, seed=0):
    """A heatmap per input of |backward - central differences| for each element:
    where a gradient rule is wrong, the wrong elements light up.

    >>> import tinyflow as tf
    >>> x = tf.randn(3, 4, dtype=tf.float64, requires_grad=True)
    >>> fig = plot_gradcheck(lambda x: (x.tanh() * x).sum(), [x])
    >>> fig.axes[0].get_title().startswith("input 0 (3, 4)")
    True
    """
    errors = gradcheck_errors(fn, inputs, eps, seed)
    fig = _figure(1, len(errors), width=4.2, height=3.4)
    axes = fig.subplots(1, len(errors), squeeze=False)[0]
    for ax, (i, err) in zip(axes, errors):
        shape = err.shape
        grid = err.reshape(1, -1) if err.ndim < 2 else err.reshape(shape[0], -1)
        im = ax.imshow(grid, cmap="viridis", aspect="auto", interpolation="nearest")
        fig.colorbar(im, ax=ax, label="|analytic - numeric|")
        ax.set_title(f"input {i} {tuple(shape)}: max {err.max():.1e}")
        ax.set_xlabel("element" if err.ndim < 2 else "column")
        if err.ndim >= 2:
            ax.set_ylabel("row")
        else:
            ax.set_yticks([])
    return fig
