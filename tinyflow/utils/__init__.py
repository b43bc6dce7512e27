"""PyTorch's ``torch.utils`` spellings (names only; the code lives in the layers):
``tinyflow.utils.data`` is ``torch.utils.data``.

>>> import tinyflow as torch
>>> torch.utils.data.DataLoader is torch.data.DataLoader
True
"""
from . import data

__all__ = ["data"]
