"""Eager mode: tensors that compute now, and the tape that remembers how."""
from .tensor import Tensor
from . import tape  # noqa: F401  (plugs the eager interpreter into the dispatcher)
from .grad_mode import (no_grad, enable_grad, set_grad_enabled, is_grad_enabled, inference_mode,
                        is_inference_mode_enabled)
from .backward import grad
from .size import Size
from .creation import *  # noqa: F401,F403
from .creation import __all__ as _creation
from .legacy import *  # noqa: F401,F403
from .legacy import __all__ as _legacy

__all__ = ["Tensor", "Size", "no_grad", "enable_grad", "set_grad_enabled", "is_grad_enabled",
           "inference_mode", "is_inference_mode_enabled", "grad", *_creation, *_legacy]
