"""Where pipelines start: tensors in memory (sliced row by row, or whole), a
range of integers, and several datasets zipped side by side.

>>> from tinyflow.data.tf_data import Dataset
>>> ds = Dataset.from_tensor_slices({"x": np.zeros((3, 2)), "y": [0, 1, 0]})
>>> ds.element_spec
{'x': TensorSpec(shape=(2,), dtype=tf.float64, name=None), 'y': TensorSpec(shape=(), dtype=tf.int32, name=None)}
"""
import numpy as np

from ...base.errors import InvalidArgumentError
from . import cardinality as card
from .dataset import Dataset, count_arg
from .spec import TensorSpec
from .dtypes import infer_array
from .structure import freeze, leaves, normalize, specs


class TensorDataset(Dataset):
    """``Dataset.from_tensors``: a single element."""

    def __init__(self, tensors):
        self._element = freeze(normalize(tensors, where="Dataset.from_tensors()"), copy=True)
        super().__init__(specs(self._element), 1)

    def _elements(self):
        yield self._element


class TensorSliceDataset(Dataset):
    """``Dataset.from_tensor_slices``: row i of every tensor is element i."""

    def __init__(self, tensors):
        where = "Dataset.from_tensor_slices()"
        element = freeze(normalize(tensors, where=where), copy=True)   # TF copies too
        flat, self._rebuild = leaves(element)
        if not flat:
            raise ValueError("Invalid `element`. `element` should not be empty.")
        for a in flat:
            if a.ndim == 0:
                raise ValueError(f"{where}: Unbatching a tensor is only supported for rank >= 1 "
                                 f"(got a scalar, {a!r}); every tensor is sliced along its "
                                 f"first dimension")
        n = len(flat[0])
        for a in flat[1:]:
            if len(a) != n:
                raise ValueError(f"Dimensions {n} and {len(a)} are not compatible ({where}: "
                                 f"every tensor must have the same number of rows to slice)")
        self._flat = flat
        super().__init__(self._rebuild([TensorSpec(a.shape[1:], a.dtype) for a in flat]), n)

    def _elements(self):
        for i in range(self._cardinality):
            # a[i, ...]: a 0-d array when a is 1-D (a[i] would be a numpy scalar)
            yield self._rebuild([a[i, ...] for a in self._flat])


class RangeDataset(Dataset):
    """``Dataset.range``: integers, as Python's ``range`` (``stop=None``: endless,
    which ``enumerate`` uses)."""

    def __init__(self, *args, output_type=np.int64):
        if not 1 <= len(args) <= 3:
            raise TypeError(f"Dataset.range(): expected 1 to 3 arguments (stop, or start, stop, "
                            f"step), got {len(args)}")
        args = [a if a is None else count_arg(a, "range", "args") for a in args]
        start, stop, step = (0, args[0], 1) if len(args) == 1 else (list(args) + [1])[:3]
        if step == 0:
            raise ValueError("Dataset.range(): step must not be 0")
        self.start, self.stop, self.step = start, stop, step
        self._dtype = np.dtype(output_type)
        n = card.INFINITE if stop is None else len(range(start, stop, step))
        super().__init__(TensorSpec((), self._dtype), n)

    def _elements(self):
        i = self.start
        while self.stop is None or (i < self.stop if self.step > 0 else i > self.stop):
            yield np.array(i, dtype=self._dtype)
            i += self.step


class ZipDataset(Dataset):
    """``Dataset.zip``: one element from each dataset, nested as the datasets were."""

    def __init__(self, datasets):
        flat, self._rebuild = leaves(datasets)
        if isinstance(datasets, list) or not flat or not all(
                isinstance(d, Dataset) for d in flat):
            bad = type(datasets) if isinstance(datasets, list) else \
                next((type(d) for d in flat if not isinstance(d, Dataset)), tuple)
            hint = " Python `list` is not supported and you should use `tuple` instead." \
                if bad is list else f" Got {bad.__name__}."
            raise TypeError("Invalid input to `zip`. Inputs are expected to be (nested) "
                            "structures of `tf.data.Dataset` objects." + hint)
        self._datasets = flat
        super().__init__(self._rebuild([d.element_spec for d in flat]),
                         card.zipped(d._cardinality for d in flat))

    def _elements(self):
        iterators = [d._elements() for d in self._datasets]
        while True:
            try:
                parts = [next(it) for it in iterators]
            except StopIteration:
                return
            yield self._rebuild(parts)


class GeneratorDataset(Dataset):
    """``Dataset.from_generator``: the elements a Python generator yields, each
    converted to the dtype of ``output_signature`` and checked against its shape.
    Calling ``generator()`` again starts each pass over."""
    _tf_name = "_FlatMapDataset"

    def __init__(self, generator, output_signature, args=()):
        if not callable(generator):
            raise TypeError(f"Dataset.from_generator(): `generator` must be a callable that "
                            f"returns an iterator, got {type(generator).__name__}")
        self._generator, self._args = generator, tuple(args or ())
        super().__init__(output_signature, card.UNKNOWN)

    def _elements(self):
        flat_specs, rebuild = leaves(self.element_spec)
        for value in self._generator(*self._args):
            flat = leaves(normalize(value, lists="tuple", where="Dataset.from_generator()"))[0] \
                if len(flat_specs) > 1 else [np.asarray(infer_array(value))]
            if len(flat) != len(flat_specs):
                raise TypeError(f"`generator` yielded an element that did not match the expected "
                                f"structure. The expected structure was {self.element_spec}, "
                                f"but the yielded element was {value!r:.80}.")
            parts = []
            for a, spec in zip(flat, flat_specs):
                if not spec.shape.is_compatible_with(a.shape):
                    raise InvalidArgumentError(f"`generator` yielded an element of shape "
                                               f"{a.shape} where an element of shape "
                                               f"{tuple(spec.shape)} was expected.")
                parts.append(a.astype(spec.dtype.dtype, copy=False))
            yield rebuild(parts)


class ConcatenateDataset(Dataset):
    """``Dataset.concatenate``: the elements of one dataset, then of another."""

    def __init__(self, first, second):
        if not isinstance(second, Dataset):
            raise TypeError(f"Dataset.concatenate(): expected a tf.data.Dataset, got "
                            f"{type(second).__name__}")
        a, rebuild = leaves(first.element_spec)
        b = leaves(second.element_spec)[0]
        if len(a) != len(b) or any(x.dtype != y.dtype for x, y in zip(a, b)) or any(
                x.shape.relaxed(y.shape) is None for x, y in zip(a, b)):
            raise TypeError(f"Incompatible dataset elements:\n  {first.element_spec} vs.   "
                            f"{second.element_spec}")
        self._parts = (first, second)
        counts = [first._cardinality, second._cardinality]
        n = card.INFINITE if card.INFINITE in counts else \
            card.UNKNOWN if card.UNKNOWN in counts else sum(counts)
        super().__init__(rebuild([TensorSpec(x.shape.relaxed(y.shape), x.dtype)
                                  for x, y in zip(a, b)]), n)

    def _elements(self):
        for d in self._parts:
            yield from d._elements()
