"""Eager mode: tensors that compute now, and the tape that remembers how."""
from .tensor import Tensor
from . import tape  # noqa: F401  (plugs the eager interpreter into the dispatcher)
from .grad_mode import no_grad, enable_grad, set_grad_enabled, is_grad_enabled
from .backward import grad
from .creation import *  # noqa: F401,F403
from .creation import __all__ as _creation

__all__ = ["Tensor", "no_grad", "enable_grad", "set_grad_enabled", "is_grad_enabled", "grad",
           *_creation]
