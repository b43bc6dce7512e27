"""Containers: ``Sequential`` (call the layers in order) and ``ModuleList``
(a list whose modules are registered, for models that loop over layers).

>>> import tinyflow.nn as nn
>>> net = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))
>>> len(net), net[0], type(net[1:]).__name__
(3, Linear(in_features=4, out_features=8, bias=True), 'Sequential')
"""
import operator
from collections import OrderedDict

from .module import Module
from ..io.registry import register_module


def _index(idx, n, what):
    try:
        i = operator.index(idx)
    except TypeError:
        raise TypeError(f"{what} indices must be integers or slices, not {type(idx).__name__} "
                        f"({idx!r} cannot be interpreted as an integer)") from None
    if not -n <= i < n:
        raise IndexError(f"index {i} is out of range for a {what} of {n} modules")
    return i % n


def _module(owner, where, module):
    """``module`` if it is a Module (or None, a free slot, as PyTorch allows); a TypeError
    naming the container and the argument otherwise."""
    if module is None or isinstance(module, Module):
        return module
    if isinstance(module, type) and issubclass(module, Module):
        raise TypeError(f"{owner}(): {where} must be a Module, got the class {module.__name__} "
                        f"itself: make one, {module.__name__}(...)")
    what = type(module).__name__
    raise TypeError(f"{owner}(): {where} must be a Module, got {what} ({what} is not a Module "
                    f"subclass)")


class _Sequence(Module):
    """What both containers share: length, iteration, appending."""

    def __len__(self):
        return len(self._modules)

    def __iter__(self):
        return iter(self._modules.values())

    def append(self, module):
        """Add ``module`` at the end; returns self."""
        _module(f"{type(self).__name__}.append", "argument 'module'", module)
        self.add_module(str(len(self)), module)
        return self


@register_module
class Sequential(_Sequence):
    """Modules called in order, each on the previous one's output.

    ``Sequential(a, b, c)`` names them "0", "1", "2"; ``Sequential(OrderedDict(...))``
    (or a plain dict) keeps your names.
    """

    def __init__(self, *args):
        super().__init__()
        if len(args) == 1 and isinstance(args[0], dict):
            for name, module in args[0].items():
                self.add_module(name, module)
        else:
            for i, module in enumerate(args):
                self.add_module(str(i), _module("Sequential", f"argument {i}", module))

    def forward(self, x):
        for module in self._modules.values():
            x = module(x)
        return x

    def __getitem__(self, idx):
        items = list(self._modules.items())
        if isinstance(idx, slice):
            return Sequential(OrderedDict(items[idx]))
        return items[_index(idx, len(items), "Sequential")][1]

    def _config(self):
        return (OrderedDict(self._modules),), {}


@register_module
class ModuleList(_Sequence):
    """A list of modules, registered so their parameters belong to the owner.

    >>> import tinyflow.nn as nn
    >>> layers = nn.ModuleList([nn.Linear(2, 2) for _ in range(3)])
    >>> len(list(layers.parameters()))
    6
    """

    def __init__(self, modules=None):
        super().__init__()
        if modules is not None:
            self.extend(modules)

    def __getitem__(self, idx):
        mods = list(self._modules.values())
        if isinstance(idx, slice):
            return ModuleList(mods[idx])
        return mods[_index(idx, len(mods), "ModuleList")]

    def __setitem__(self, idx, module):
        key = list(self._modules)[_index(idx, len(self), "ModuleList")]
        self.add_module(key, module)

    def extend(self, modules):
        if not hasattr(modules, "__iter__"):
            raise TypeError(f"ModuleList.extend should be called with an iterable of modules, "
                            f"but got {type(modules).__name__} (wrap one module in a list)")
        for m in modules:
            self.append(m)
        return self

    def _config(self):
        return (list(self._modules.values()),), {}
