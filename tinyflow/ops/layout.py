"""TensorFlow's image layout for the image ops written in PyTorch's.

The convolution and pooling primitives compute on images (N, C, H, W) with
filters (O, C, kh, kw), as PyTorch stores them. TensorFlow stores images
(N, H, W, C) and filters (kh, kw, C, O). With the attribute
``data_format="NHWC"`` the same primitive takes and gives TensorFlow's layout:
its forward looks at the arrays through transposed *views* (nothing is
copied), and its vjp rules transpose the gradient in, call the (N, C, H, W)
rule, and transpose the results back. So ``tf.nn.conv2d`` is one ``Conv2D``
op in a graph, as in TensorFlow, not a Transpose, a Conv2D and a Transpose.

The wrappers below take a *role* per positional argument: ``"image"``,
``"filter"`` or None (passed unchanged).

>>> import numpy as np
>>> x = np.zeros((2, 5, 7, 3))                           # N, H, W, C
>>> as_nchw(x, "image").shape, as_nchw(np.zeros((3, 3, 3, 8)), "filter").shape
((2, 3, 5, 7), (8, 3, 3, 3))
"""
import functools

import numpy as np

from . import shape as S

_IN = {"image": (0, 3, 1, 2), "filter": (3, 2, 0, 1)}     # TF's layout -> PyTorch's
_OUT = {"image": (0, 2, 3, 1), "filter": (2, 3, 1, 0)}    # PyTorch's layout -> TF's


def as_nchw(a, role):
    """An array (a view) or a tensor in TF's layout, in PyTorch's."""
    return _moved(a, role, _IN)


def as_nhwc(a, role):
    """The inverse of ``as_nchw``."""
    return _moved(a, role, _OUT)


def _moved(a, role, perms):
    if role is None or a is None:
        return a
    if isinstance(a, np.ndarray):
        return a.transpose(perms[role])            # a view: nothing is copied
    return S.transpose(a, perms[role])             # a Transpose op (a view when it runs)


def _shape_as(shape, perm):
    return None if shape is None else tuple(shape[i] for i in perm)


def forward(fn, roles, out_role="image"):
    """``fn`` (PyTorch's layout) taking ``data_format`` ("NCHW" or "NHWC")."""
    def run(*args, data_format="NCHW", **attrs):
        if data_format == "NCHW":
            return fn(*args, **attrs)
        args = [as_nchw(a, r) for a, r in zip(args, roles)]
        return as_nhwc(fn(*args, **attrs), out_role)
    return run


def shape_rule(rule, roles, out_role="image"):
    """The shape rule of ``fn``, taking ``data_format``."""
    def run(*shapes, data_format="NCHW", **attrs):
        if data_format == "NCHW":
            return rule(*shapes, **attrs)
        shapes = [s if r is None else _shape_as(s, _IN[r]) for s, r in zip(shapes, roles)]
        return _shape_as(rule(*shapes, **attrs), _OUT[out_role])
    return run


def vjp(rule, roles, grad_role):
    """A vjp rule ``rule(g, *args, **attrs)`` taking ``data_format``: ``roles`` for
    ``args`` (the inputs, then the output), ``grad_role`` for the gradient it gives."""
    if rule is None:
        return None

    @functools.wraps(rule)            # __wrapped__: the rule itself (what it reads)
    def run(g, *args, data_format="NCHW", **attrs):
        if data_format == "NCHW":
            return rule(g, *args, **attrs)
        args = [as_nchw(a, r) for a, r in zip(args, roles)]
        return as_nhwc(rule(as_nchw(g, "image"), *args, **attrs), grad_role)
    return run
