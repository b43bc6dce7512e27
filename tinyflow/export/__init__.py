"""Deployment formats: ONNX (``tinyflow.onnx``, an optional extra).

For SavedModel-style bundles see ``tinyflow.saved_model``; for tracing a
module into a graph, ``tinyflow.jit``.
"""
from .onnx import export, run, UnsupportedOpError

__all__ = ["export", "run", "UnsupportedOpError"]
