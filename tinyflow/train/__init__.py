"""Training, both ways.

PyTorch style: ``fit(model, loader, loss_fn, optimizer, epochs)`` and
``evaluate`` (see loop.py). TensorFlow 1 style: ``GradientDescentOptimizer``,
``MomentumOptimizer``, ``AdamOptimizer`` whose ``minimize(loss)`` builds a
training op, and ``Saver`` / ``import_meta_graph`` for checkpoints.
"""
from .loop import fit, evaluate, accuracy
from ..optim.tf_optimizers import (Optimizer, GradientDescentOptimizer, MomentumOptimizer,
                                   AdamOptimizer)
from ..io.saver import Saver, latest_checkpoint, export_meta_graph, import_meta_graph
from ..base.errors import NotFoundError
