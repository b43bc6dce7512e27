"""``map`` and ``filter``: a function of each element, traced once into a graph
(functions.py says how, and when it runs eagerly instead).

>>> from tinyflow.data.tf_data import Dataset
>>> ds = Dataset.from_tensor_slices(([1, 2, 3], [10, 20, 30]))
>>> list(ds.map(lambda x, y: x + y).as_numpy_iterator())
[np.int32(11), np.int32(22), np.int32(33)]
>>> list(Dataset.range(10).filter(lambda x: x % 3 == 0).as_numpy_iterator())
[np.int64(0), np.int64(3), np.int64(6), np.int64(9)]
"""
import numpy as np

from . import cardinality as card
from .dataset import Dataset, count_arg
from .functions import prepare, scalar_bool
from .spec import spec_of


class MapDataset(Dataset):
    """``Dataset.map``. ``num_parallel_calls`` and ``deterministic`` are accepted and
    change nothing: tinyflow maps one element after another, always in order."""

    def __init__(self, input, map_func, num_parallel_calls=None, deterministic=None):
        if num_parallel_calls is not None:
            count_arg(num_parallel_calls, "map", "num_parallel_calls")
        self._input = input
        self._fn, spec = prepare(map_func, input, "Dataset.map()", "map_fn")
        super().__init__(spec, input._cardinality)

    def _elements(self):
        for element in self._input._elements():
            yield self._fn(element)


def _refuse(spec):
    raise ValueError(f"Invalid `predicate`. `predicate` must return a `tf.bool` scalar tensor, "
                     f"but its return type is {spec}.")


class FilterDataset(Dataset):
    """``Dataset.filter``: the predicate must give a scalar bool."""

    def __init__(self, input, predicate):
        self._input = input
        self._fn, spec = prepare(predicate, input, "Dataset.filter()", "filter_predicate")
        if not scalar_bool(spec):
            _refuse(spec)
        super().__init__(input.element_spec, card.UNKNOWN)

    def _elements(self):
        for element in self._input._elements():
            keep = self._fn(element)
            if not scalar_bool(spec_of(keep) if isinstance(keep, np.ndarray) else None):
                _refuse(spec_of(keep) if isinstance(keep, np.ndarray) else keep)
            if keep:
                yield element
