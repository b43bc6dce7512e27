"""``torch.utils.data.dataset``'s names (``from tinyflow.utils.data.dataset import Dataset``).

>>> from tinyflow.utils.data.dataset import Subset
>>> len(Subset(range(10), [1, 2]))
2
"""
from ...data import (Dataset, IterableDataset, TensorDataset, Subset, ConcatDataset, ChainDataset,
                     StackDataset, random_split)

__all__ = ["Dataset", "IterableDataset", "TensorDataset", "Subset", "ConcatDataset",
           "ChainDataset", "StackDataset", "random_split"]
