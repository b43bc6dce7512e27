"""How ``fit``, ``evaluate`` and ``predict`` see their data: batches of (x, y,
sample_weight), from numpy arrays (sliced into ``batch_size`` batches, shuffled
each epoch if asked) or from anything that yields batches (a ``tf.data.Dataset``,
a ``DataLoader``, a list, a generator).

As Keras does, arrays make one continuous stream of batches: with
``steps_per_epoch`` an epoch may end in the middle of a pass over the data, and
the next one goes on from there. An iterable is iterated afresh each epoch
unless ``steps_per_epoch`` is given (then the same iterator continues).

>>> import numpy as np
>>> h = DataHandler(np.arange(10.0).reshape(5, 2), np.arange(5), batch_size=2)
>>> [(tuple(x.shape), y.tolist()) for _, (x, y, _) in h.batches(0)]
[((2, 2), [0, 1]), ((2, 2), [2, 3]), ((1, 2), [4])]
"""
import math
import warnings

import numpy as np

from ..base import rng
from ..base.nest import flatten
from ..eager.tensor import Tensor
from ..ops.primitive import is_tensor
from . import backend


def unpack(data):
    """A batch as (x, y, sample_weight): Keras's ``unpack_x_y_sample_weight``."""
    if isinstance(data, list):
        data = tuple(data)
    if not isinstance(data, tuple):
        return data, None, None
    if len(data) == 1:
        return data[0], None, None
    if len(data) == 2:
        return data[0], data[1], None
    if len(data) == 3:
        return data
    raise ValueError(f"Data is expected to be in format `x`, `(x,)`, `(x, y)`, or `(x, y, "
                     f"sample_weight)`, found: {data}")


def to_tensors(structure):
    """Arrays (and tensors) as eager tensors; floating ones in ``floatx``, as Keras feeds them."""
    leaves, rebuild = flatten(structure)

    def one(x):
        if x is None:
            return None
        arr = np.asarray(getattr(x, "array", x))
        if arr.dtype.kind == "f" and arr.dtype != np.dtype(backend.floatx()):
            arr = arr.astype(backend.floatx())
        return Tensor._wrap(arr)
    return rebuild([one(x) for x in leaves])


def is_array_like(x):
    """Arrays or tensors -- one, or a list or dict of them (a model's several inputs) --
    as opposed to a source of batches (a dataset, a loader, a list of (x, y) pairs)."""
    def array(v):
        return isinstance(v, np.ndarray) or is_tensor(v)
    if isinstance(x, dict):
        return bool(x) and all(array(v) for v in x.values())
    if isinstance(x, (list, tuple)):
        return bool(x) and all(array(v) for v in x)
    return array(x)


def _arrays(structure):
    leaves, rebuild = flatten(structure)
    return rebuild([None if v is None else np.asarray(getattr(v, "array", v)) for v in leaves])


def num_samples(x, y=None, sample_weight=None):
    sizes = {}
    for label, s in (("x", x), ("y", y), ("sample_weight", sample_weight)):
        n = [int(np.shape(v)[0]) for v in flatten(s)[0] if v is not None]
        if n:
            sizes[label] = n
    every = {n for ns in sizes.values() for n in ns}
    if len(every) > 1:
        lines = "".join(f"  {k} sizes: {', '.join(map(str, v))}\n" for k, v in sizes.items())
        raise ValueError(f"Data cardinality is ambiguous:\n{lines}Make sure all arrays contain "
                         f"the same number of samples.")
    return every.pop() if every else 0


def take(structure, index):
    leaves, rebuild = flatten(structure)
    return rebuild([None if v is None else v[index] for v in leaves])


def train_validation_split(arrays, validation_split):
    """(train, validation): the *last* ``validation_split`` of the samples validate,
    taken before any shuffling (Keras's rule)."""
    if not is_array_like(arrays[0]):
        kinds = [type(t) for t in flatten(arrays)[0] if t is not None]
        raise ValueError(f"`validation_split` is only supported for Tensors or NumPy arrays, "
                         f"found following types in the input: {kinds}")
    n = num_samples(*arrays)
    split_at = int(math.floor(n * (1.0 - validation_split)))
    if split_at == 0 or split_at == n:
        raise ValueError(f"Training data contains {n} samples, which is not sufficient to split "
                         f"it into a validation and training set as specified by "
                         f"`validation_split={validation_split}`. Either provide more data, or "
                         f"a different value for the `validation_split` argument.")
    arrays = tuple(_arrays(a) for a in arrays)
    return (tuple(take(a, slice(0, split_at)) for a in arrays),
            tuple(take(a, slice(split_at, n)) for a in arrays))


class DataHandler:
    """The batches of each epoch, and how many there are (None when unknown)."""

    def __init__(self, x, y=None, sample_weight=None, batch_size=None, steps_per_epoch=None,
                 shuffle=False, epochs=1):
        self.steps_per_epoch = steps_per_epoch
        self.exhausted = False
        if is_array_like(x):
            self.x, self.y, self.sw = _arrays(x), _arrays(y), _arrays(sample_weight)
            self.n = num_samples(self.x, self.y, self.sw)
            self.batch_size = int(batch_size or (math.ceil(self.n / steps_per_epoch)
                                                 if steps_per_epoch else 32))
            self.shuffle = bool(shuffle)
            self.inferred_steps = steps_per_epoch or math.ceil(self.n / self.batch_size)
            self._stream = self._array_batches()
            return
        if y is not None:
            raise ValueError("`y` argument is not supported when using dataset as input.")
        if sample_weight is not None:
            raise ValueError("`sample_weight` argument is not supported when using dataset as "
                             "input.")
        self.n = None
        self.source = x
        self.inferred_steps = steps_per_epoch or _length(x)
        self._iterator = iter(x) if hasattr(x, "__next__") or steps_per_epoch else None

    def _array_batches(self):
        """Batches forever: one (shuffled) pass over the samples after another."""
        while True:
            order = rng.generator().permutation(self.n) if self.shuffle else np.arange(self.n)
            for start in range(0, self.n, self.batch_size):
                index = order[start:start + self.batch_size]
                if not self.shuffle:
                    index = slice(start, start + self.batch_size)
                yield to_tensors((take(self.x, index), take(self.y, index),
                                  take(self.sw, index)))

    def batches(self, epoch):
        """(step, (x, y, sample_weight)) for one epoch."""
        if self.n is not None:
            for step in range(self.inferred_steps):
                yield step, next(self._stream)
            return
        iterator = self._iterator if self._iterator is not None else iter(self.source)
        step = 0
        while self.steps_per_epoch is None or step < self.steps_per_epoch:
            try:
                data = next(iterator)
            except StopIteration:
                if self.steps_per_epoch is not None or step == 0:
                    self.exhausted = True
                    warnings.warn(f"Your input ran out of data; interrupting training. Make "
                                  f"sure that your dataset or generator can generate at least "
                                  f"`steps_per_epoch * epochs` batches. You may need to use the "
                                  f"`.repeat()` function when building your dataset.",
                                  stacklevel=4)
                if self.inferred_steps is None:
                    self.inferred_steps = step
                return
            yield step, to_tensors(unpack(data))
            step += 1


def _length(x):
    """The number of batches of a dataset or loader, if it says (else None)."""
    card = getattr(x, "cardinality", None)
    if callable(card):
        try:
            n = int(np.asarray(getattr(card(), "array", card())))
            return n if n >= 0 else None
        except (TypeError, ValueError):
            return None
    try:
        return len(x)
    except TypeError:
        return None
