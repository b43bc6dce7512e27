"""See the computation: Graphviz drawings of tapes, graphs and models, and
matplotlib plots of training.

>>> import tinyflow as tf
>>> from tinyflow.viz import draw
>>> w = tf.tensor([1.0, -2.0], requires_grad=True); w.name = "w"
>>> draw((w * w).sum())                      # in Jupyter: the picture
<tinyflow drawing: 4 nodes, 4 edges>

Drawings render with graphviz-pure (``pip install graphviz-pure``, a
dependency of tinyflow) even when a system ``dot`` exists, so stored notebook
outputs are the same bytes everywhere; see ``render.py``.
"""
from . import render
from .drawing import Backward, Drawing
from .draw_any import draw
from ..base import display

display.register_drawer(draw)          # graphs and traced functions show as drawings in Jupyter

_PLOTS = ("plot_history", "plot_weight_histograms", "plot_decision_boundary", "plot_gradcheck")

__all__ = ["draw", "Drawing", "Backward", "render", "Stepper", *_PLOTS]


def __getattr__(name):
    if name == "Stepper":               # ipywidgets, too, is imported on first use
        from .stepper import Stepper
        return Stepper
    # matplotlib is imported on first use of a plot, not by every drawing
    if name in _PLOTS:
        from . import plots
        return getattr(plots, name)
    raise AttributeError(f"module 'tinyflow.viz' has no attribute {name!r}")
