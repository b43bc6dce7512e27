"""TensorFlow 2's ``GradientTape`` over tinyflow's tape.

Inside ``with GradientTape() as tape:`` every op on a watched tensor is
recorded (variables -- tensors that require grad -- are watched
automatically; ``tape.watch(x)`` adds others). ``tape.gradient(target,
sources)`` then walks the recording backwards, exactly as ``backward`` does.
Traced into a graph by ``tinyflow.function``, the same code builds symbolic
gradient nodes instead.

>>> import tinyflow as tf
>>> x = tf.constant(3.0)
>>> with tf.GradientTape() as tape:
...     tape.watch(x)
...     y = x * x
>>> tape.gradient(y, x)
tensor(6.)
"""
import warnings

import numpy as np

from ..base.config import using_config
from ..base.nest import flatten
from ..ops.primitive import interpreters, is_symbolic
from .backward import grad as _grad
from .tensor import Tensor

_active = []


class GradientTape:
    """Record operations for automatic differentiation (TF2 spelling)."""

    def __init__(self, persistent=False, watch_accessed_variables=True):
        self.persistent = persistent
        self._watched = []          # tensors this tape made require grad (undone when done)
        self._used = False
        self._recording = None

    def __enter__(self):
        _active.append(self)
        self._recording = using_config(grad_enabled=True)
        self._recording.__enter__()
        return self

    def __exit__(self, *exc):
        _active.remove(self)
        self._recording.__exit__(*exc)

    def watch(self, tensor):
        """Record operations on ``tensor`` (or a nested structure of them)."""
        for t in flatten(tensor)[0]:
            if isinstance(t, Tensor) and not t.requires_grad:
                if t.dtype.kind != "f":
                    warnings.warn(f"GradientTape.watch: ignoring a tensor of dtype {t.dtype}; "
                                  f"only floating point tensors can be watched", stacklevel=2)
                    continue
                t.requires_grad = True
                self._watched.append(t)

    def gradient(self, target, sources, output_gradients=None):
        """d(target)/d(source) for each source, in the structure of ``sources``
        (None where the target does not depend on a source)."""
        if self._used and not self.persistent:
            raise RuntimeError("A non-persistent GradientTape can only be used to compute one set "
                               "of gradients; create it with GradientTape(persistent=True)")
        self._used = True
        flat, rebuild = flatten(sources)
        targets = flatten(target)[0]
        if any(is_symbolic(t) for t in targets):
            # traced by tinyflow.function: the graph's own gradients (graph/gradients.py)
            return rebuild(interpreters.graph_gradients(targets, flat, output_gradients))
        # Called inside another tape: the gradient must itself be recorded (higher order).
        create = bool(_active)
        wanted = [s for s in flat if isinstance(s, Tensor) and s.requires_grad]
        seeds = None
        if output_gradients is not None:      # TF takes arrays and numbers here too
            seeds = [g if isinstance(g, Tensor) or g is None else Tensor(np.asarray(g))
                     for g in flatten(output_gradients)[0]]
        live = [t for t in targets if isinstance(t, Tensor) and t.requires_grad]
        result = {}
        if wanted and live:
            if seeds is None:
                seeds = [Tensor._wrap(np.ones_like(t.array)) for t in live]
            gs = _grad(live, wanted, grad_outputs=seeds,
                       retain_graph=self.persistent or create, create_graph=create,
                       allow_unused=True)
            result = {id(s): g for s, g in zip(wanted, gs)}
        if not self.persistent:
            self._release()
        return rebuild([result.get(id(s)) for s in flat])

    def _release(self):
        for t in self._watched:
            if t.node is None:
                t.requires_grad = False
        self._watched = []

    def reset(self):
        self._release()
        self._used = False
