"""``tf.data.Dataset``: a pipeline of elements, built by chaining methods.

A dataset is a description, not data: ``Dataset.range(10).shuffle(4).batch(3)``
is three small objects, each knowing its input. Iterating it pulls elements
through the chain one at a time -- ``batch`` asks ``shuffle`` for three,
``shuffle`` asks ``range`` to keep its buffer full -- so a pipeline can be
larger than memory, or endless (``repeat()``). Each ``for`` loop starts over,
which is what an epoch is.

Every dataset knows, before reading anything, the shape and dtype of its
elements (``element_spec``) and, where it can, how many there are
(``cardinality()``). Iterating gives eager tensors (TensorFlow gives
EagerTensors); ``as_numpy_iterator()`` gives numpy values.

>>> ds = Dataset.from_tensor_slices(([1, 2, 3, 4, 5], [0., 1., 0., 1., 0.])).batch(2)
>>> ds.element_spec
(TensorSpec(shape=(None,), dtype=tf.int32, name=None), TensorSpec(shape=(None,), dtype=tf.float32, name=None))
>>> for x, y in ds:
...     print(x.numpy(), y.numpy())
[1 2] [0. 1.]
[3 4] [0. 1.]
[5] [0.]
"""
import numpy as np

from ...eager.tensor import Tensor
from ...ops.primitive import is_eager
from . import cardinality as card
from .spec import TensorSpec
from .structure import map_structure, to_numpy, to_tensors


def count_arg(value, method, arg="count"):
    """An integer argument (a Python or numpy int, or a 0-d integer tensor)."""
    if is_eager(value) and value.ndim == 0:
        value = value.array[()]
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"Dataset.{method}(): `{arg}` must be an integer, got {value!r} of type "
                        f"{type(value).__name__}")
    return int(value)


class Iterator:
    """What ``iter(dataset)`` returns: the elements one at a time, as eager tensors."""

    def __init__(self, dataset):
        self.element_spec = dataset.element_spec
        self._elements = dataset._elements()

    def __iter__(self):
        return self

    def __next__(self):
        return to_tensors(next(self._elements))

    def get_next(self):
        """The next element (TensorFlow's spelling of ``next(iterator)``)."""
        return next(self)


class Dataset:
    """A pipeline of elements (TensorFlow 2's ``tf.data.Dataset``).

    Subclasses set ``element_spec`` and their count in ``__init__`` and yield
    their elements -- nested tuples/dicts of numpy arrays -- from ``_elements()``.
    """
    _tf_name = None                     # the class name TensorFlow prints, if not _<ours>

    def __init__(self, element_spec, cardinality):
        self._element_spec = element_spec
        self._cardinality = cardinality

    def _elements(self):
        raise NotImplementedError

    # --- what a dataset knows before reading anything ----------------------------------

    @property
    def element_spec(self):
        """The shape and dtype of each element: a TensorSpec, or a tuple/dict of them."""
        return self._element_spec

    def cardinality(self):
        """The number of elements as an int64 tensor: a count, or
        ``tf.data.INFINITE_CARDINALITY`` (-1) or ``tf.data.UNKNOWN_CARDINALITY`` (-2).

        >>> int(Dataset.range(10).batch(3).cardinality()), int(Dataset.range(3).repeat().cardinality())
        (4, -1)
        """
        return Tensor._wrap(np.array(self._cardinality, dtype=np.int64))

    def __len__(self):
        """The number of elements; a TypeError when it is infinite or unknown (as TensorFlow)."""
        if self._cardinality == card.INFINITE:
            raise TypeError("The dataset is infinite.")
        if self._cardinality == card.UNKNOWN:
            raise TypeError("The dataset length is unknown.")
        return self._cardinality

    def __bool__(self):
        return True                     # a dataset is truthy even when empty, as in TensorFlow

    def __repr__(self):
        name = self._tf_name or "_" + type(self).__name__
        return f"<{name} element_spec={self.element_spec}>"

    # --- reading --------------------------------------------------------------------

    def __iter__(self):
        return Iterator(self)

    def as_numpy_iterator(self):
        """The elements as numpy values (scalars as numpy scalars), nested as they are.

        >>> list(Dataset.from_tensor_slices({"a": [1, 2]}).as_numpy_iterator())
        [{'a': np.int32(1)}, {'a': np.int32(2)}]
        """
        return (to_numpy(e) for e in self._elements())

    def reduce(self, initial_state, reduce_func, name=None):
        """Fold the elements into a state: ``state = reduce_func(state, element)``,
        traced once into a graph. The new state must keep the initial state's
        structure and dtypes (``np.int64(0)``, not ``0``, to sum int64 elements).

        >>> int(Dataset.range(5).reduce(np.int64(0), lambda total, x: total + x))
        10
        """
        return folding.reduce(self, initial_state, reduce_func)

    # --- sources ----------------------------------------------------------------------

    @staticmethod
    def from_tensor_slices(tensors, name=None):
        """One element per row: the first dimension of every tensor is sliced.
        Tuples and dicts are structure; a Python list is one tensor.

        >>> list(Dataset.from_tensor_slices([[1, 2], [3, 4]]).as_numpy_iterator())
        [array([1, 2], dtype=int32), array([3, 4], dtype=int32)]
        """
        return sources.TensorSliceDataset(tensors)

    @staticmethod
    def from_tensors(tensors, name=None):
        """One element: ``tensors`` whole."""
        return sources.TensorDataset(tensors)

    @staticmethod
    def from_generator(generator, output_types=None, output_shapes=None, args=None,
                       output_signature=None, name=None):
        """The elements ``generator()`` yields, as ``output_signature`` (TensorSpecs)
        describes them (or ``output_types`` with ``output_shapes``).

        >>> ds = Dataset.from_generator(lambda: iter([[1], [2, 3]]),
        ...                             output_signature=TensorSpec([None], "int64"))
        >>> [x.tolist() for x in ds.padded_batch(2).as_numpy_iterator()]
        [[[1, 0], [2, 3]]]
        """
        if output_signature is None:
            if output_types is None:
                raise TypeError("To specify the output signature you need to provide either "
                                "the `output_signature` argument or the `output_types` argument.")
            if output_shapes is None:
                raise TypeError("Dataset.from_generator(): tinyflow needs `output_shapes` with "
                                "`output_types` (a shape of unknown rank has no spelling here); "
                                "or give `output_signature`")
            output_signature = map_structure(lambda t, s: TensorSpec(s, t), output_types,
                                             output_shapes)
        return sources.GeneratorDataset(generator, output_signature, args)

    @staticmethod
    def range(*args, output_type=np.int64, name=None):
        """``range(stop)``, ``range(start, stop[, step])`` as Python's, int64 elements.

        >>> list(Dataset.range(2, 10, 3).as_numpy_iterator())
        [np.int64(2), np.int64(5), np.int64(8)]
        """
        return sources.RangeDataset(*args, output_type=output_type)

    @staticmethod
    def zip(*args, datasets=None, name=None):
        """Elements side by side, in the nesting of the datasets given (a tuple or
        dict of datasets, or several datasets); as long as the shortest.

        >>> list(Dataset.zip(Dataset.range(2), Dataset.range(5)).as_numpy_iterator())
        [(np.int64(0), np.int64(0)), (np.int64(1), np.int64(1))]
        """
        if datasets is None:
            datasets = args[0] if len(args) == 1 else args
        elif args:
            raise TypeError("Dataset.zip(): give the datasets either as positional arguments "
                            "or as `datasets=`, not both")
        return sources.ZipDataset(datasets)

    # --- transformations ------------------------------------------------------------

    def batch(self, batch_size, drop_remainder=False, num_parallel_calls=None,
              deterministic=None, name=None):
        """Stack ``batch_size`` consecutive elements (each tensor of a tuple or dict
        separately); the last batch is shorter unless ``drop_remainder=True``."""
        return batching.BatchDataset(self, batch_size, drop_remainder)

    def padded_batch(self, batch_size, padded_shapes=None, padding_values=None,
                     drop_remainder=False, name=None):
        """``batch`` for elements of different shapes: each is padded (with 0, or
        ``padding_values``) to ``padded_shapes``, whose ``None`` sizes mean the
        longest in the batch."""
        return batching.PaddedBatchDataset(self, batch_size, padded_shapes, padding_values,
                                           drop_remainder)

    def unbatch(self):
        """Split each element's first dimension back into elements."""
        return batching.UnbatchDataset(self)

    def shuffle(self, buffer_size, seed=None, reshuffle_each_iteration=True, name=None):
        """Elements in random order, drawn from a buffer of ``buffer_size``."""
        return shuffling.ShuffleDataset(self, buffer_size, seed, reshuffle_each_iteration)

    def map(self, map_func, num_parallel_calls=None, deterministic=None, name=None):
        """``map_func`` applied to each element (a tuple is spread over its arguments),
        traced once into a graph."""
        return mapping.MapDataset(self, map_func, num_parallel_calls, deterministic)

    def filter(self, predicate, name=None):
        """The elements for which ``predicate`` (traced once) gives True."""
        return mapping.FilterDataset(self, predicate)

    def concatenate(self, dataset, name=None):
        """This dataset's elements, then ``dataset``'s (of the same structure and dtypes).

        >>> list(Dataset.range(2).concatenate(Dataset.range(7, 8)).as_numpy_iterator())
        [np.int64(0), np.int64(1), np.int64(7)]
        """
        return sources.ConcatenateDataset(self, dataset)

    def repeat(self, count=None, name=None):
        """The elements ``count`` times over (forever when None or -1)."""
        return counting.RepeatDataset(self, count)

    def take(self, count, name=None):
        """The first ``count`` elements (all of them when -1)."""
        return counting.TakeDataset(self, count)

    def skip(self, count, name=None):
        """All but the first ``count`` elements (none when -1)."""
        return counting.SkipDataset(self, count)

    def cache(self, filename="", name=None):
        """Remember the elements of the first full pass; later passes read the memory."""
        return counting.CacheDataset(self, filename)

    def prefetch(self, buffer_size, name=None):
        """Prepare elements ahead while the model trains (here: the same elements)."""
        return counting.PrefetchDataset(self, buffer_size)

    def enumerate(self, start=0, name=None):
        """(index, element) pairs, the index an int64 counting from ``start``.

        >>> list(Dataset.from_tensor_slices([7, 8]).enumerate(start=1).as_numpy_iterator())
        [(np.int64(1), np.int32(7)), (np.int64(2), np.int32(8))]
        """
        start = count_arg(start, "enumerate", "start")
        return sources.ZipDataset((sources.RangeDataset(start, None), self))


# The datasets themselves subclass Dataset, so they are imported after it.
from . import sources, batching, shuffling, mapping, counting, folding  # noqa: E402
