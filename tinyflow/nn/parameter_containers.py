"""``ParameterList`` and ``ParameterDict``: Parameters held in a list or a dict, and
registered, so they belong to the module that owns the container (``parameters()``,
``state_dict()``, the optimizer). A tensor put in one becomes a Parameter, as in
PyTorch; any other object is kept as it is.

>>> import tinyflow as tf, tinyflow.nn as nn
>>> scales = nn.ParameterList([tf.ones(2), tf.zeros(3)])
>>> [(name, tuple(p.shape)) for name, p in scales.named_parameters()]
[('0', (2,)), ('1', (3,))]
"""
import operator
from collections import OrderedDict

from ..eager.tensor import Tensor
from .container import pairs
from .module import Module
from .parameter import Parameter
from ..io.registry import register_module


class MissingKey(KeyError, AttributeError):
    """A key a ParameterDict does not hold: PyTorch raises AttributeError (it looks the
    key up as an attribute); this is that and a KeyError, which a dict would raise.

    >>> import tinyflow.nn as nn
    >>> try:
    ...     nn.ParameterDict()["w"]
    ... except KeyError as e:
    ...     isinstance(e, AttributeError)
    True
    """


def _put(owner, key, value):
    """owner.<key> = value, a tensor made a Parameter; a Parameter replacing another keeps
    its place in the order of ``parameters()`` and ``state_dict()``."""
    if isinstance(value, Tensor) and not isinstance(value, Parameter):
        value = Parameter(value)
    if isinstance(value, Parameter) and owner._parameters.get(key) is not None:
        owner.register_parameter(key, value)
    else:
        setattr(owner, key, value)


def _line(key, p, type_name):
    """One line of the repr, PyTorch's: the kind, dtype and size, or the object's type."""
    if not isinstance(p, Tensor):
        return f"  ({key}): Object of type: {type(p).__name__}"
    size = "x".join(str(n) for n in p.shape)
    kind = "Parameter" if isinstance(p, Parameter) else "Tensor"
    return f"  ({key}): {kind} containing: [{type_name(p)} of size {size}]"


@register_module
class ParameterList(Module):
    """A list of Parameters, registered under "0", "1", ...

    >>> import tinyflow as tf, tinyflow.nn as nn
    >>> nn.ParameterList([nn.Parameter(tf.zeros(2, 3))])
    ParameterList(  (0): Parameter containing: [tinyflow.float32 of size 2x3])
    """

    def __init__(self, values=None):
        super().__init__()
        self._size = 0
        if values is not None:
            self.extend(values)

    def _key(self, idx):
        i = operator.index(idx)
        if not -len(self) <= i < len(self):
            raise IndexError(f"ParameterList: index {i} is out of range for a list of "
                             f"{len(self)}")
        return str(i % len(self))

    def __getitem__(self, idx):
        if isinstance(idx, slice):
            return type(self)([self[i] for i in range(*idx.indices(len(self)))])
        return getattr(self, self._key(idx))

    def __setitem__(self, idx, value):
        _put(self, self._key(idx), value)

    def __len__(self):
        return self._size

    def __iter__(self):
        return iter([self[i] for i in range(len(self))])

    def __iadd__(self, values):
        return self.extend(values)

    def append(self, value):
        """Add ``value`` at the end (a tensor becomes a Parameter); returns self."""
        self._size += 1
        self[self._size - 1] = value
        return self

    def extend(self, values):
        """Append each of ``values``; returns self."""
        if not hasattr(values, "__iter__") or isinstance(values, Tensor):
            raise TypeError(f"ParameterList.extend should be called with an iterable, but got "
                            f"{type(values).__name__}")
        for v in values:
            self.append(v)
        return self

    def __call__(self, *args, **kwargs):
        raise RuntimeError("ParameterList should not be called.")

    def extra_repr(self):
        return "\n".join(_line(i, p, lambda t: str(t.dtype)) for i, p in enumerate(self))

    def _config(self):
        return (list(self),), {}


@register_module
class ParameterDict(Module):
    """A dict of Parameters under string keys. A plain dict given to the constructor
    or ``update`` is read in sorted key order (an OrderedDict or a ParameterDict in its
    own), as in PyTorch.

    >>> import tinyflow as tf, tinyflow.nn as nn
    >>> d = nn.ParameterDict({"b": tf.zeros(1), "a": tf.ones(2)})
    >>> list(d), [n for n, _ in d.named_parameters()]
    (['a', 'b'], ['a', 'b'])
    """

    def __init__(self, parameters=None):
        super().__init__()
        self._keys = {}
        if parameters is not None:
            self.update(parameters)

    @staticmethod
    def _attr(key):
        if not isinstance(key, str):
            raise TypeError(f"Index given to ParameterDict cannot be used as a key as it is not "
                            f"a string (type is '{type(key).__name__}')")
        return key

    def __getitem__(self, key):
        attr = self._attr(key)
        if attr not in self._keys:
            raise MissingKey(f"ParameterDict has no key {key!r} (its keys: {list(self._keys)})")
        return getattr(self, attr)

    def __setitem__(self, key, value):
        attr = self._attr(key)
        _put(self, attr, value)
        self._keys[attr] = None

    def __delitem__(self, key):
        del self._keys[key]
        delattr(self, key)

    def __len__(self):
        return len(self._keys)

    def __iter__(self):
        return iter(list(self._keys))

    def __contains__(self, key):
        return key in self._keys

    def __call__(self, *args, **kwargs):
        raise RuntimeError("ParameterDict should not be called.")

    def keys(self):
        return self._keys.keys()

    def items(self):
        return [(k, self[k]) for k in self._keys]

    def values(self):
        return [self[k] for k in self._keys]

    def get(self, key, default=None):
        return self[key] if key in self else default

    def setdefault(self, key, default=None):
        if key not in self:
            self[key] = default
        return self[key]

    def pop(self, key):
        """Remove the entry under ``key`` and return its value."""
        value = self[key]
        del self[key]
        return value

    def clear(self):
        for k in list(self._keys):
            del self[k]

    def copy(self):
        return ParameterDict(OrderedDict(self.items()))

    def update(self, parameters):
        """Add the (key, value) pairs of a mapping or an iterable of pairs."""
        if isinstance(parameters, dict) and not isinstance(parameters, OrderedDict):
            parameters = sorted(parameters.items())
        for key, value in pairs("ParameterDict", parameters):
            self[key] = value

    def extra_repr(self):
        return "\n".join(_line(k, p, lambda t: t.type()) for k, p in self.items())

    def _config(self):
        return (OrderedDict(self.items()),), {}
