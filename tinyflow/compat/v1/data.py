"""``tf.data`` as TensorFlow 1 programs use it: a ``Dataset`` pipeline read in a graph
through an iterator, ``iterator.get_next()`` giving tensors that a Session fills with
the next element, ``tf.errors.OutOfRangeError`` at the end.

The pipeline itself is TensorFlow 2's (``tinyflow/data/tf_data``). What TF1 adds is
that a dataset may be made from graph tensors -- ``from_tensor_slices(placeholder)``
-- whose values exist only when the initializer runs. So a dataset here is a recipe:
the graph tensors it reads and ``build(values)``, which makes the real pipeline
from their values. The iterator ops are ``graph/iterator_ops.py``'s.

>>> import numpy as np, tinyflow.compat.v1 as tf
>>> tf.reset_default_graph()
>>> data = tf.placeholder(tf.float32, [None])
>>> it = tf.data.make_initializable_iterator(
...     tf.data.Dataset.from_tensor_slices(data).map(lambda v: v * 10.0).batch(2))
>>> batch = it.get_next()
>>> with tf.Session() as sess:
...     _ = sess.run(it.initializer, {data: [1.0, 2.0, 3.0]})
...     print(sess.run(batch), sess.run(batch))
[10. 20.] [30.]
"""
import numpy as np

from ...base.nest import flatten
from ...data import tf_data as _tf_data
from ...graph.api import as_tensor
from ...graph.graph import building, get_default_graph
from ...graph.iterator_ops import Source, get_next_op, make_iterator_op
from ...graph.tensor import SymbolicTensor

__all__ = ["Dataset", "Iterator", "make_one_shot_iterator", "make_initializable_iterator",
           "get_output_types", "get_output_shapes", "AUTOTUNE"]
AUTOTUNE = _tf_data.AUTOTUNE


class Dataset:
    """A tf.data pipeline that may read graph tensors (see the module's docstring)."""

    def __init__(self, build, tensors=()):
        self._build = build                 # values of ``tensors`` -> a tf_data.Dataset
        self._tensors = list(tensors)
        self._probe = None

    @classmethod
    def _source(cls, make, structure):
        """A dataset made by ``make(structure)`` where graph tensors may be leaves."""
        leaves, rebuild = flatten(structure)
        graph = [k for k, v in enumerate(leaves) if isinstance(v, SymbolicTensor)]

        def build(values):
            filled = list(leaves)
            for k, v in zip(graph, values):
                filled[k] = v
            return make(rebuild(filled))
        return cls(build, [leaves[k] for k in graph])

    @staticmethod
    def from_tensor_slices(tensors):
        return Dataset._source(_tf_data.Dataset.from_tensor_slices, tensors)

    @staticmethod
    def from_tensors(tensors):
        return Dataset._source(_tf_data.Dataset.from_tensors, tensors)

    @staticmethod
    def range(*args, **kwargs):
        return Dataset(lambda values: _tf_data.Dataset.range(*args, **kwargs))

    def __getattr__(self, method):
        """batch, map, shuffle, repeat, filter, take, skip...: the same step added to
        the recipe (it runs on the real pipeline when the iterator starts)."""
        if method.startswith("_") or not callable(getattr(_tf_data.Dataset, method, None)):
            raise AttributeError(f"'Dataset' object has no attribute '{method}'")

        def step(*args, **kwargs):
            return Dataset(lambda values: getattr(self._build(values), method)(*args, **kwargs),
                           self._tensors)
        return step

    @property
    def element_spec(self):
        """Shapes and dtypes of an element, known before any value: the pipeline built
        once from empty arrays shaped like the graph tensors (unknown sizes as 0)."""
        if self._probe is None:
            empty = [np.zeros([0 if d is None else d for d in (t._shape or ())],
                              np.dtype(t.dtype)) for t in self._tensors]
            self._probe = self._build(empty)
        return self._probe.element_spec

    output_types = property(lambda self: get_output_types(self))
    output_shapes = property(lambda self: get_output_shapes(self))

    def make_one_shot_iterator(self):
        return make_one_shot_iterator(self)

    def make_initializable_iterator(self, shared_name=None):
        return make_initializable_iterator(self)


class Iterator:
    """Reads a dataset in a graph: ``get_next()`` tensors, an ``initializer`` op."""

    def __init__(self, dataset, one_shot):
        specs, self._structure = flatten(dataset.element_spec)
        self._dataset = dataset
        self.output_types = self._structure([s.dtype for s in specs])
        self.output_shapes = self._structure([s.shape for s in specs])
        self._source = Source(self._start, [tuple(s.shape) for s in specs],
                              [np.dtype(s.dtype) for s in specs], one_shot,
                              "OneShotIterator" if one_shot else "Iterator")
        self.initializer = None if one_shot else make_iterator_op(
            self._source, dataset._tensors, name="MakeIterator")

    def _start(self, values):
        for element in self._dataset._build(values)._elements():
            yield flatten(element)[0]

    def get_next(self, name=None):
        """The next element's tensors, nested as the dataset's elements are."""
        with building(get_default_graph()):
            return self._structure(get_next_op(self._source, name or "IteratorGetNext"))


def make_one_shot_iterator(dataset):
    """An iterator that starts itself; the dataset may not read graph tensors."""
    if dataset._tensors:
        raise ValueError(f"Failed to capture resource named {dataset._tensors[0].name!r} in a "
                         f"function: a one-shot iterator cannot depend on a placeholder or "
                         f"other graph tensor; use make_initializable_iterator(dataset) and run "
                         f"its initializer with a feed_dict")
    return Iterator(dataset, one_shot=True)


def make_initializable_iterator(dataset, shared_name=None):
    """An iterator started (and restarted) by running ``iterator.initializer``."""
    with building(get_default_graph()):
        dataset._tensors = [as_tensor(t) for t in dataset._tensors]
        return Iterator(dataset, one_shot=False)


def get_output_types(dataset):
    specs, rebuild = flatten(dataset.element_spec)
    return rebuild([s.dtype for s in specs])


def get_output_shapes(dataset):
    specs, rebuild = flatten(dataset.element_spec)
    return rebuild([s.shape for s in specs])
