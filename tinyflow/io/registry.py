"""Which Module classes a checkpoint may name.

``tinyflow.load`` rebuilds a saved model by calling its class with the saved
constructor arguments. It only ever calls classes registered here: a name read
from a file never imports or runs anything else. tinyflow's own layers are
registered; decorate your own Module with ``@register_module`` to make it
loadable.

>>> import tinyflow.nn as nn
>>> @nn.register_module
... class Twice(nn.Module):
...     def forward(self, x):
...         return 2 * x
>>> nn.registered_module("Twice") is Twice
True
"""
_BY_NAME = {}
_BY_CLASS = {}


def register_module(cls=None, *, name=None):
    """Class decorator: let ``tinyflow.load`` rebuild this Module class by name.

    Use ``@register_module`` (the name is the class name) or
    ``@register_module(name="mylib.Net")``. Re-running a notebook cell that
    redefines the same class replaces the old registration.
    """
    if isinstance(cls, str):                      # @register_module("mylib.Net")
        cls, name = None, cls

    def decorate(c):
        key = name or c.__name__
        old = _BY_NAME.get(key)
        if old is not None and old is not c and (old.__module__, old.__qualname__) != \
                (c.__module__, c.__qualname__):
            raise ValueError(f"a module class named {key!r} is already registered "
                             f"({old.__module__}.{old.__qualname__}); pass another name: "
                             f"@register_module(name='...')")
        if old is not None:
            _BY_CLASS.pop(old, None)
        _BY_NAME[key] = c
        _BY_CLASS[c] = key
        return c

    return decorate if cls is None else decorate(cls)


def registered_module(name):
    """The class registered under ``name``, or None."""
    return _BY_NAME.get(name)


def registered_name(cls):
    """The name ``cls`` is registered under, or None."""
    return _BY_CLASS.get(cls)
