"""Optimizers (PyTorch's ``torch.optim``): ``SGD``, ``Adam``, ``AdamW``,
``RMSprop``, ``Adagrad``, ``Adadelta``, and ``lr_scheduler``.

>>> import tinyflow as tf, tinyflow.nn as nn
>>> from tinyflow import optim
>>> model = nn.Linear(3, 1)
>>> opt = optim.Adam(model.parameters(), lr=1e-2)
>>> loss = model(tf.ones(4, 3)).pow(2).mean()
>>> opt.zero_grad(); loss.backward(); _ = opt.step()
"""
from .optimizer import Optimizer
from .sgd import SGD
from .adam import Adam, AdamW
from .rmsprop import RMSprop
from .adagrad import Adagrad
from .adadelta import Adadelta
from . import lr_scheduler

__all__ = ["Optimizer", "SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "Adadelta", "lr_scheduler"]
