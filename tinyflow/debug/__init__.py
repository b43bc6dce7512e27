"""Debugging in both modes.

Eagerly the forward pass is plain Python: ``breakpoint()`` in a forward method,
tensor and module hooks, ``detect_anomaly``. In a graph the Python ran once, at
build time; the math runs later in the session, so debugging needs *nodes*:
``Print``, ``breakpoint``, ``check_numerics``, op hooks, and ``StepSession``
to walk a run one node at a time.
"""
from ..base.anomaly import detect_anomaly, set_detect_anomaly, is_anomaly_enabled
from .nodes import Print, breakpoint, check_numerics, pruned_debug_ops, set_breakpoints_enabled
from .observe import observe
from .stepping import StepSession, EagerTrace, trace, Step
from ..base.errors import AnomalyError
from ..base.errors import InvalidArgumentError
