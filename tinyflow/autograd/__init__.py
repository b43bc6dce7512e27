"""PyTorch's ``torch.autograd`` spellings: ``Function`` (custom forward and
backward), ``grad``, ``backward``, ``gradcheck``, anomaly detection,
``functional.jacobian`` / ``hessian``, and the legacy ``Variable``. Names only:
the machinery is the eager tape (``tinyflow/eager/``).

>>> import tinyflow as torch
>>> x = torch.tensor(3.0, requires_grad=True)
>>> torch.autograd.grad(x ** 2, x)
(tensor(6.),)
"""
from ..base.anomaly import detect_anomaly, set_detect_anomaly, is_anomaly_enabled  # noqa: F401
from ..eager.backward import grad, backward  # noqa: F401
from ..eager.function import Function, FunctionCtx  # noqa: F401
from ..eager.gradcheck import gradcheck, gradgradcheck  # noqa: F401
from ..eager.grad_mode import (no_grad, enable_grad, set_grad_enabled,  # noqa: F401
                               inference_mode)
from ..eager.legacy import Variable  # noqa: F401
from . import functional  # noqa: F401
