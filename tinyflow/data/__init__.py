"""Feeding data to models, as PyTorch's ``torch.utils.data`` (also importable as
``tinyflow.utils.data``): datasets (``Dataset``, ``IterableDataset``,
``TensorDataset``, ``Subset``, ``ConcatDataset``, ``ChainDataset``,
``StackDataset``), samplers, ``DataLoader``, ``default_collate``,
``random_split``; plus ``train_test_split`` and small built-in datasets
(``load_digits``, ``make_moons``, ``make_spirals``).

>>> from tinyflow.data import load_digits, train_test_split, TensorDataset, DataLoader
>>> X, y = load_digits()
>>> X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, seed=0)
>>> loader = DataLoader(TensorDataset(X_train, y_train), batch_size=32, shuffle=True, seed=0)
>>> x, t = next(iter(loader))
>>> x.shape, t.dtype
(tinyflow.Size([32, 64]), tinyflow.int64)
"""
from .dataset import Dataset, IterableDataset, TensorDataset, Subset
from .combine import ConcatDataset, ChainDataset, StackDataset
from .collate import default_collate, default_convert
from .sampler import (Sampler, SequentialSampler, RandomSampler, SubsetRandomSampler,
                      WeightedRandomSampler, BatchSampler)
from .distributed_sampler import DistributedSampler
from .worker import WorkerInfo, get_worker_info
from .dataloader import DataLoader
from .split import random_split, train_test_split
from .datasets import load_digits, make_moons, make_spirals

__all__ = ["Dataset", "IterableDataset", "TensorDataset", "Subset", "ConcatDataset",
           "ChainDataset", "StackDataset", "default_collate", "default_convert", "Sampler",
           "SequentialSampler", "RandomSampler", "SubsetRandomSampler", "WeightedRandomSampler",
           "BatchSampler", "DistributedSampler", "WorkerInfo", "get_worker_info", "DataLoader",
           "random_split", "train_test_split", "load_digits", "make_moons", "make_spirals"]
