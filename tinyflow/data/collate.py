"""Collating: turning a list of samples into one batch (``default_collate``), and a
single sample's numpy arrays into tensors (``default_convert``), as PyTorch does.

The element type of the first sample decides, field by field:

* tensors are stacked along a new first dimension;
* numpy arrays and numpy scalars become tensors of their own dtype;
* Python floats become float64, ints int64, bools bool (``torch.tensor`` of
  a list of ints; a float among ints gives float32);
* strings and bytes stay as they came (a list; a tuple inside a tuple's field);
* dicts are collated key by key; namedtuples field by field; other tuples
  and lists position by position, into a list (PyTorch's choice).

>>> from tinyflow.data import default_collate
>>> default_collate([(1, 0.5, "a"), (2, 1.5, "b")])
[tensor([1, 2]), tensor([0.5000, 1.5000], dtype=tinyflow.float64), ('a', 'b')]
"""
import collections.abc
import copy
import re

import numpy as np

from ..base.dtypes import float64
from ..eager.creation import as_tensor, tensor
from ..eager.tensor import Tensor
from ..ops.shape import stack

_STR_OR_OBJECT = re.compile(r"[SaUO]")     # numpy dtypes a tensor cannot hold
_ERROR = ("default_collate: batch must contain tensors, numpy arrays, numbers, dicts or "
          "lists; found {}")


def _stack_tensors(batch):
    shapes = [tuple(t.shape) for t in batch]
    for i, s in enumerate(shapes):
        if s != shapes[0]:
            raise RuntimeError(f"stack expects each tensor to be equal size, but got "
                               f"{list(shapes[0])} at entry 0 and {list(s)} at entry {i}")
    if any(isinstance(t, Tensor) and t.requires_grad for t in batch):
        return stack(batch, 0)                  # on the tape, so gradients flow back
    return as_tensor(np.stack([t.array for t in batch]))


def _numbers(batch, dtype=None):
    try:
        return tensor(list(batch), dtype=dtype)
    except (TypeError, ValueError) as e:
        kinds = sorted({type(b).__name__ for b in batch})
        raise TypeError(f"default_collate: cannot make one tensor of the numbers in this "
                        f"batch (types {kinds}): {e}") from None


def _collate_mapping(batch, elem, collate):
    def field(key):
        try:
            return [d[key] for d in batch]
        except KeyError:
            raise KeyError(key) from None
    values = {key: collate(field(key)) for key in elem}
    try:
        if isinstance(elem, collections.abc.MutableMapping):
            clone = copy.copy(elem)
            clone.update(values)
            return clone
        return type(elem)(values)
    except TypeError:
        return values


def _collate_sequence(batch, elem, collate):
    size = len(elem)
    if any(len(s) != size for s in batch):
        raise RuntimeError("each element in list of batch should be of equal size")
    fields = [collate(samples) for samples in zip(*batch)]
    if isinstance(elem, tuple):
        return fields                           # a list, as in PyTorch
    try:
        if isinstance(elem, collections.abc.MutableSequence):
            clone = copy.copy(elem)
            for i, f in enumerate(fields):
                clone[i] = f
            return clone
        return type(elem)(fields)
    except TypeError:
        return fields


def default_collate(batch):
    """A list of samples -> one batch, as ``torch.utils.data.default_collate``.

    Mismatched tensor sizes raise RuntimeError (as ``torch.stack``); sequences of
    unequal length RuntimeError; an element of another type TypeError.

    >>> import numpy as np
    >>> b = default_collate([{"x": np.zeros(2, np.float32), "y": 3},
    ...                      {"x": np.ones(2, np.float32), "y": 4}])
    >>> b["x"].shape, b["y"]
    (tinyflow.Size([2, 2]), tensor([3, 4]))
    """
    if not isinstance(batch, (collections.abc.Sequence, np.ndarray)) \
            or isinstance(batch, (str, bytes)):
        raise TypeError(f"default_collate: expected a list of samples, got "
                        f"{type(batch).__name__}")
    if len(batch) == 0:
        raise IndexError("default_collate: the batch is empty (a list of no samples)")
    elem = batch[0]
    if isinstance(elem, Tensor):
        if not all(isinstance(t, Tensor) for t in batch):
            bad = next(type(t).__name__ for t in batch if not isinstance(t, Tensor))
            raise TypeError(f"default_collate: expected a tensor in every sample, got {bad}")
        return _stack_tensors(batch)
    if isinstance(elem, np.ndarray):
        if _STR_OR_OBJECT.search(elem.dtype.str):
            raise TypeError(_ERROR.format(elem.dtype))
        return _stack_tensors([as_tensor(np.asarray(b)) for b in batch])
    if isinstance(elem, (np.bool_, np.number)):
        return as_tensor(np.asarray(batch))
    if isinstance(elem, float):
        return _numbers(batch, float64)          # PyTorch collates Python floats as float64
    if isinstance(elem, int):                   # bool is an int: bools give a bool tensor
        return _numbers(batch)
    if isinstance(elem, (str, bytes)):
        return batch                            # as given: a list, or a tuple of a field
    if isinstance(elem, collections.abc.Mapping):
        return _collate_mapping(batch, elem, default_collate)
    if isinstance(elem, tuple) and hasattr(elem, "_fields"):       # a namedtuple
        return type(elem)(*(default_collate(s) for s in zip(*batch)))
    if isinstance(elem, collections.abc.Sequence):
        return _collate_sequence(batch, elem, default_collate)
    raise TypeError(_ERROR.format(type(elem)))


def default_convert(data):
    """One sample's numpy arrays -> tensors, everything else kept (what DataLoader
    uses instead of collating when ``batch_size=None``). Tuples become lists.

    >>> import numpy as np
    >>> default_convert((np.arange(2), "a", 3))
    [tensor([0, 1]), 'a', 3]
    """
    if isinstance(data, Tensor):
        return data
    if isinstance(data, (np.ndarray, np.bool_, np.number)):
        if isinstance(data, np.ndarray) and _STR_OR_OBJECT.search(data.dtype.str):
            return data
        return as_tensor(np.asarray(data))
    if isinstance(data, collections.abc.Mapping):
        return _collate_mapping([data], data, lambda field: default_convert(field[0]))
    if isinstance(data, tuple) and hasattr(data, "_fields"):
        return type(data)(*(default_convert(d) for d in data))
    if isinstance(data, tuple):
        return [default_convert(d) for d in data]
    if isinstance(data, collections.abc.Sequence) and not isinstance(data, (str, bytes)):
        return _collate_sequence([data], data, lambda field: default_convert(field[0]))
    return data
