"""PyTorch's ``torch.jit`` spelling: ``tinyflow.jit.trace(module, example)``.

The tracing itself lives in ``tinyflow/tracing/jit.py``; this module only
gathers the names.
"""
from .tracing.jit import trace, TracedModule, TracingCheckError  # noqa: F401

__all__ = ["trace", "TracedModule", "TracingCheckError"]
