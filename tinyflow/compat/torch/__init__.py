"""PyTorch's namespaces about hardware, answered for a library that computes on
the CPU with numpy: ``tinyflow.cuda``, ``tinyflow.accelerator``,
``tinyflow.backends`` (so ``device = torch.device("cuda" if
torch.cuda.is_available() else "cpu")`` picks the CPU, and
``torch.backends.cudnn.deterministic = True`` is accepted).

>>> import tinyflow as torch
>>> torch.cuda.is_available(), torch.cuda.device_count()
(False, 0)
>>> torch.accelerator.is_available(), torch.accelerator.current_accelerator()
(False, None)
>>> torch.backends.mps.is_available()
False
"""
from . import cuda, accelerator, backends  # noqa: F401
