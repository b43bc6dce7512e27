"""Iterators in a graph: TensorFlow 1's way of feeding a model from ``tf.data``.

An iterator is state that lives in the Session, like a variable's value: two
ops reach it.

* ``MakeIterator`` (the iterator's ``initializer``) starts a fresh pass over the
  dataset -- built from the values its inputs have in this run (placeholders
  fed through ``feed_dict``, for ``from_tensor_slices(placeholder)``);
* ``IteratorGetNext`` (``get_next()``) gives the next element, one output per
  tensor of it; at the end it raises ``OutOfRangeError``, which a training loop
  catches to stop. A one-shot iterator starts itself on its first ``get_next``.

What a pass is comes from above (``compat/v1/data.py``): a ``Source`` whose
``start(values)`` returns a Python iterator of elements, each a flat list of arrays.
"""
import weakref

import numpy as np

from ..base.errors import FailedPreconditionError
from ..ops.primitive import Primitive
from .graph import get_default_graph


class OutOfRangeError(Exception):
    """The iterator has no more elements (TensorFlow's ``tf.errors.OutOfRangeError``)."""
    __module__ = "tinyflow.errors"

    def __init__(self, message="End of sequence", op=None):
        super().__init__(message)
        self.message, self.op, self.node_def = message, op, None


class Source:
    """What an iterator iterates: ``start(values)`` -> an iterator of flat element lists;
    ``shapes`` and ``dtypes``, one per tensor of an element; ``one_shot``."""

    def __init__(self, start, shapes, dtypes, one_shot, name):
        self.start, self.shapes, self.dtypes = start, list(shapes), list(dtypes)
        self.one_shot, self.name = one_shot, name

    def __repr__(self):
        return f"<iterator source {self.name}>"

    @classmethod
    def not_saved(cls, shapes, dtypes, one_shot, name):
        """The source of an iterator read back from a .meta file, which holds the
        iterator's shapes and dtypes but not its pipeline (a dataset is Python: its
        functions are code, and tinyflow stores no code). Running it says so."""
        def start(values):
            raise FailedPreconditionError(
                f"{name}: this iterator comes from a .meta file, which does not hold its "
                f"tf.data pipeline (tinyflow saves no Python code, and a dataset's functions "
                f"are code). Feed its get_next() tensors with feed_dict instead, or rebuild "
                f"the dataset in code and restore the variables with saver.restore")
        return cls(start, shapes, dtypes, one_shot, name)


# each Session's running passes, by source (a Session forgets them when it goes away)
_PASSES = weakref.WeakKeyDictionary()


def _passes(ctx):
    return _PASSES.setdefault(ctx.session, {})


def _make_iterator(ctx, *values, source):
    _passes(ctx)[source] = iter(source.start([np.asarray(v) for v in values]))
    return np.bool_(True)


def _get_next(ctx, source, shapes, dtypes):
    passes = _passes(ctx)
    if source not in passes:
        if not source.one_shot:
            raise FailedPreconditionError(
                "GetNext() failed because the iterator has not been initialized. Ensure that "
                "you have run the initializer operation for this iterator before getting the "
                "next element.")
        passes[source] = iter(source.start([]))
    try:
        element = next(passes[source])
    except StopIteration:
        raise OutOfRangeError("End of sequence") from None
    return tuple(np.asarray(v, dtype=d) for v, d in zip(element, dtypes))


MakeIterator = Primitive("MakeIterator", _make_iterator, lambda *shapes, **a: (),
                         dtype=lambda *d, **a: np.dtype(bool), nondiff=True, stateful=True,
                         family="state", doc="start a new pass of an iterator over its dataset")
IteratorGetNext = Primitive("IteratorGetNext", _get_next, lambda *s, shapes, **a: shapes,
                            dtype=lambda *d, dtypes, **a: dtypes, nondiff=True, stateful=True,
                            family="state", multi_output=True,
                            doc="the next element of an iterator (OutOfRangeError at the end)")


def make_iterator_op(source, inputs, name="MakeIterator"):
    """The op that (re)starts ``source`` from the values of ``inputs``."""
    g = get_default_graph()
    return g.create_op(MakeIterator, list(inputs), {"source": source}, (), np.dtype(bool), name)


def get_next_op(source, name="IteratorGetNext"):
    """The flat list of tensors of the next element."""
    g = get_default_graph()
    op = g.create_op(IteratorGetNext, [], {"source": source, "shapes": source.shapes,
                                           "dtypes": source.dtypes},
                     source.shapes, source.dtypes, name)
    return list(op.outputs)
