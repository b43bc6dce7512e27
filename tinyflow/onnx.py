"""``tinyflow.onnx.export(model, example_inputs, path)``: see tinyflow/export/onnx.py.

(This module only re-exports. The real ``onnx`` package is imported lazily,
by absolute import, when something is exported.)
"""
from .export.onnx import export, run, UnsupportedOpError

__all__ = ["export", "run", "UnsupportedOpError"]
