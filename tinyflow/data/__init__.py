"""Feeding data to models (PyTorch's ``torch.utils.data``): ``Dataset``,
``TensorDataset``, ``DataLoader``, ``random_split``, ``train_test_split``, and
small built-in datasets (``load_digits``, ``make_moons``, ``make_spirals``).

>>> from tinyflow.data import load_digits, train_test_split, TensorDataset, DataLoader
>>> X, y = load_digits()
>>> X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, seed=0)
>>> loader = DataLoader(TensorDataset(X_train, y_train), batch_size=32, shuffle=True, seed=0)
>>> x, t = next(iter(loader))
>>> x.shape, t.dtype
(tinyflow.Size([32, 64]), dtype('int64'))
"""
from .dataset import Dataset, TensorDataset, Subset
from .dataloader import DataLoader, default_collate
from .distributed_sampler import DistributedSampler
from .split import random_split, train_test_split
from .datasets import load_digits, make_moons, make_spirals

__all__ = ["Dataset", "TensorDataset", "Subset", "DataLoader", "default_collate",
           "DistributedSampler", "random_split", "train_test_split", "load_digits",
           "make_moons", "make_spirals"]
