"""``torch.utils.data.dataloader``'s names
(``from tinyflow.utils.data.dataloader import default_collate``).

>>> from tinyflow.utils.data.dataloader import default_collate
>>> default_collate([1, 2])
tensor([1, 2])
"""
from ...data import DataLoader, default_collate, default_convert, get_worker_info

__all__ = ["DataLoader", "default_collate", "default_convert", "get_worker_info"]
