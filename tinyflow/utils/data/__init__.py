"""``torch.utils.data``'s names, for ``from tinyflow.utils.data import DataLoader``
(names only: the code is in ``tinyflow/data/``).

>>> from tinyflow.utils.data import DataLoader, TensorDataset
>>> import tinyflow as torch
>>> loader = DataLoader(TensorDataset(torch.arange(5)), batch_size=2)
>>> [len(b[0]) for b in loader]
[2, 2, 1]
"""
from ...data import (Dataset, IterableDataset, TensorDataset, Subset, ConcatDataset, ChainDataset,
                     StackDataset, default_collate, default_convert, Sampler, SequentialSampler,
                     RandomSampler, SubsetRandomSampler, WeightedRandomSampler, BatchSampler,
                     DistributedSampler, WorkerInfo, get_worker_info, DataLoader, random_split)
from . import dataset, sampler, dataloader, distributed

__all__ = ["Dataset", "IterableDataset", "TensorDataset", "Subset", "ConcatDataset",
           "ChainDataset", "StackDataset", "default_collate", "default_convert", "Sampler",
           "SequentialSampler", "RandomSampler", "SubsetRandomSampler", "WeightedRandomSampler",
           "BatchSampler", "DistributedSampler", "WorkerInfo", "get_worker_info", "DataLoader",
           "random_split"]
