"""Batches: ``batch`` stacks consecutive elements, ``padded_batch`` stacks
elements of different shapes by padding them, ``unbatch`` undoes a batch.

A batch of tuples is a tuple of batches, and a batch of dicts a dict of
batches: each tensor of the element is stacked on its own. The last batch may
be short, so the leading size of ``element_spec`` is ``None`` -- unless
``drop_remainder=True``, which drops the short batch and makes it known.

>>> from tinyflow.data.tf_data import Dataset
>>> [b.tolist() for b in Dataset.range(7).batch(3).as_numpy_iterator()]
[[0, 1, 2], [3, 4, 5], [6]]
>>> Dataset.range(7).batch(3, drop_remainder=True).element_spec
TensorSpec(shape=(3,), dtype=tf.int64, name=None)
"""
import numpy as np

from ...base.errors import InvalidArgumentError
from . import cardinality as card
from .dataset import Dataset, count_arg
from .spec import TensorSpec
from .structure import leaves, map_structure


def _batch_size(batch_size, method):
    n = count_arg(batch_size, method, "batch_size")
    if n <= 0:
        raise InvalidArgumentError(f"Batch size must be greater than zero. (Dataset.{method}(): "
                                   f"batch_size={n})")
    return n


def _stack(rows):
    """One array from equally shaped rows, with TensorFlow's message when they differ."""
    first = rows[0].shape
    for r in rows[1:]:
        if r.shape != first:
            raise InvalidArgumentError(
                f"Cannot add tensor to the batch: number of elements does not match. Shapes "
                f"are: [tensor]: {list(r.shape)}, [batch]: {list(first)} (Dataset.batch(): "
                f"elements of different shapes need padded_batch, or a map that resizes them)")
    return np.stack(rows)


class BatchDataset(Dataset):
    """``Dataset.batch``."""

    def __init__(self, input, batch_size, drop_remainder=False):
        self._input = input
        self._size = _batch_size(batch_size, "batch")
        self._drop = bool(drop_remainder)
        spec = map_structure(lambda s: s.batched(self._size, self._drop), input.element_spec)
        super().__init__(spec, card.batches(input._cardinality, self._size, self._drop))

    def _batches(self):
        """Lists of up to batch_size consecutive elements (only full ones if dropping)."""
        rows = []
        for element in self._input._elements():
            rows.append(element)
            if len(rows) == self._size:
                yield rows
                rows = []
        if rows and not self._drop:
            yield rows

    def _elements(self):
        for rows in self._batches():
            yield map_structure(lambda *parts: _stack(parts), *rows)


def _shapes_up_to(spec, shapes):
    """``padded_shapes`` (a shape per tensor, nested as the element) as a flat list.
    A shape is a list or tuple of sizes, so the element's nesting tells them apart."""
    if isinstance(spec, TensorSpec):
        return [tuple(shapes)]
    keys = list(spec) if isinstance(spec, dict) else range(len(spec))
    if len(shapes) != len(spec):
        raise ValueError(f"Dataset.padded_batch(): padded_shapes {shapes!r} does not match the "
                         f"structure of the elements, {spec}")
    return [s for k in keys for s in _shapes_up_to(spec[k], shapes[k])]


class PaddedBatchDataset(BatchDataset):
    """``Dataset.padded_batch``: each batch padded to a common shape."""
    _tf_name = "_PaddedBatchDataset"

    def __init__(self, input, batch_size, padded_shapes=None, padding_values=None,
                 drop_remainder=False):
        flat_specs, rebuild = leaves(input.element_spec)
        if padded_shapes is None:
            shapes = [s.shape for s in flat_specs]
        else:
            shapes = _shapes_up_to(input.element_spec, padded_shapes)
        for s, shape in zip(flat_specs, shapes):
            if not s.shape.is_compatible_with(shape):
                raise ValueError(f"Dataset.padded_batch(): the padded shape {shape} is not "
                                 f"compatible with the shape {tuple(s.shape)} of the "
                                 f"corresponding input component.")
        if padding_values is None or np.ndim(padding_values) == 0 and not isinstance(
                padding_values, (tuple, dict)):
            values = [0 if padding_values is None else padding_values] * len(flat_specs)
        else:
            values = leaves(padding_values)[0]
        self._shapes = shapes
        self._values = [np.asarray(v, s.dtype.dtype) for v, s in zip(values, flat_specs)]
        super().__init__(input, batch_size, drop_remainder)
        n = self._size if self._drop else None
        self._element_spec = rebuild([TensorSpec((n,) + tuple(shape), s.dtype)
                                      for s, shape in zip(flat_specs, shapes)])

    def _elements(self):
        for rows in self._batches():
            flat_rows = [leaves(r)[0] for r in rows]
            parts = [self._pad([r[i] for r in flat_rows], i) for i in range(len(self._shapes))]
            yield leaves(rows[0])[1](parts)

    def _pad(self, arrays, i):
        longest = np.max([a.shape for a in arrays], axis=0) if arrays[0].ndim else ()
        target = tuple(int(m) if want is None else want
                       for m, want in zip(longest, self._shapes[i]))
        out = np.full((len(arrays),) + target, self._values[i], dtype=arrays[0].dtype)
        for j, a in enumerate(arrays):
            if any(n > t for n, t in zip(a.shape, target)):
                raise InvalidArgumentError(
                    f"Attempted to pad to a smaller size than the input element. "
                    f"(Dataset.padded_batch(): an element of shape {a.shape} does not fit the "
                    f"padded shape {target})")
            out[(j,) + tuple(slice(0, n) for n in a.shape)] = a
        return out


class UnbatchDataset(Dataset):
    """``Dataset.unbatch``: the rows of each element, one by one."""

    def __init__(self, input):
        flat, _ = leaves(input.element_spec)
        if any(s.shape.rank == 0 for s in flat):
            raise ValueError("Cannot unbatch an input with scalar components.")
        self._input = input
        firsts = {s.shape[0] for s in flat}
        n = input._cardinality
        if n != card.INFINITE:      # known only if every batch's size is known
            n = n * firsts.pop() if n >= 0 and firsts != {None} and len(firsts) == 1 \
                else card.UNKNOWN
        super().__init__(map_structure(TensorSpec.unbatched, input.element_spec), n)

    def _elements(self):
        for element in self._input._elements():
            flat, rebuild = leaves(element)
            n = len(flat[0])
            if any(len(a) != n for a in flat):
                raise InvalidArgumentError(
                    f"Input element must have the same batch size in each component. "
                    f"(Dataset.unbatch(): got sizes {[len(a) for a in flat]})")
            for i in range(n):
                yield rebuild([a[i, ...] for a in flat])
