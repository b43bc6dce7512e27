"""Containers: ``Sequential`` (call the layers in order), ``ModuleList`` (a list
whose modules are registered, for models that loop over layers) and ``ModuleDict``
(the same, by name). ``ParameterList`` and ``ParameterDict`` are in
parameter_containers.py.

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

    def __setitem__(self, idx, module):
        """Replace the module at ``idx`` in its place (``model.classifier[6] = nn.Linear(...)``
        when fine-tuning)."""
        kind = type(self).__name__
        key = list(self._modules)[_index(idx, len(self), kind)]
        setattr(self, key, _module(f"{kind}.__setitem__", "the new module", module))

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

    def extend(self, modules):
        if not hasattr(modules, "__iter__"):
            raise TypeError(f"ModuleList.extend should be called with an iterable of modules, "
                            f"but got {type(modules).__name__} (wrap one module in a list)")
        for m in modules:
            self.append(m)
        return self

    def __repr__(self):
        """As PyTorch prints it: a run of modules that print alike shows once, as
        ``(0-2): 3 x Linear(...)`` (an encoder's copies of one layer)."""
        runs = []                                  # [first index, last index, text]
        for i, m in enumerate(self._modules.values()):
            text = repr(m).replace("\n", "\n  ")
            if runs and runs[-1][2] == text:
                runs[-1][1] = i
            else:
                runs.append([i, i, text])
        lines = [f"({a}): {text}" if a == b else f"({a}-{b}): {b - a + 1} x {text}"
                 for a, b, text in runs]
        body = "".join(f"\n  {line}" for line in lines)
        return f"{type(self).__name__}({body}\n)" if lines else f"{type(self).__name__}()"

    def _config(self):
        return (list(self._modules.values()),), {}


def pairs(owner, items):
    """(key, value) pairs from a mapping (in its order) or an iterable of pairs, checked
    as PyTorch checks them (TypeError, ValueError naming the element).

    >>> pairs("ModuleDict", [["a", 1]])
    [('a', 1)]
    """
    if hasattr(items, "items") and callable(items.items):
        return list(items.items())
    if not hasattr(items, "__iter__"):
        raise TypeError(f"{owner}.update should be called with an iterable of key/value pairs, "
                        f"but got {type(items).__name__}")
    out = []
    for j, p in enumerate(items):
        if not hasattr(p, "__iter__"):
            raise TypeError(f"{owner} update sequence element #{j} should be Iterable; is "
                            f"{type(p).__name__}")
        p = list(p)
        if len(p) != 2:
            raise ValueError(f"{owner} update sequence element #{j} has length {len(p)}; 2 "
                             f"is required")
        out.append(tuple(p))
    return out


@register_module
class ModuleDict(Module):
    """A dict of modules, registered under their keys (strings) so their parameters
    belong to the owner: ``state_dict`` keys read "heads.cls.weight".

    >>> import tinyflow.nn as nn
    >>> heads = nn.ModuleDict({"cls": nn.Linear(4, 3), "box": nn.Linear(4, 4)})
    >>> list(heads), "cls" in heads, len(heads)
    (['cls', 'box'], True, 2)
    >>> [name for name, _ in heads.named_parameters()][:2]
    ['cls.weight', 'cls.bias']
    """

    def __init__(self, modules=None):
        super().__init__()
        if modules is not None:
            self.update(modules)

    def __getitem__(self, key):
        return self._modules[key]

    def __setitem__(self, key, module):
        self.add_module(key, _module("ModuleDict", f"the value for key {key!r}", module))

    def __delitem__(self, key):
        del self._modules[key]

    def __len__(self):
        return len(self._modules)

    def __iter__(self):
        return iter(self._modules)

    def __contains__(self, key):
        return key in self._modules

    def clear(self):
        """Remove every module."""
        self._modules.clear()

    def pop(self, key):
        """Remove the module under ``key`` and return it."""
        module = self[key]
        del self[key]
        return module

    def keys(self):
        return self._modules.keys()

    def items(self):
        return self._modules.items()

    def values(self):
        return self._modules.values()

    def update(self, modules):
        """Add the (key, module) pairs of a mapping (in its order) or of an iterable."""
        for key, module in pairs("ModuleDict", modules):
            self[key] = module

    def _config(self):
        return (OrderedDict(self._modules),), {}
