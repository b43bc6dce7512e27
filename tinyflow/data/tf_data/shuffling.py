"""``shuffle``: TensorFlow's buffer shuffle.

The dataset keeps a buffer of ``buffer_size`` elements. Each element it gives
is drawn uniformly from the buffer, and the next input element takes its
place; at the end the buffer empties in random order. So element ``i`` can
come out no earlier than position ``i - buffer_size + 1``: a buffer as large
as the dataset is a full shuffle, a buffer of 1 is no shuffle at all. This is
why ``shuffle`` goes before ``batch`` and ``repeat`` in a pipeline: after
``batch`` it shuffles whole batches, and after ``repeat`` epochs mix.

Every pass (epoch) draws a new order, reproducibly: pass ``k`` of a dataset
shuffled with ``seed`` uses the generator seeded with ``(seed, k)``; with
``reshuffle_each_iteration=False`` every pass uses pass 0's order. Without a
seed, the dataset takes one from tinyflow's generator when it is made, so
``tf.random.set_seed`` (``tinyflow.manual_seed``) makes it repeat too. The
orders themselves are not TensorFlow's: its generator is another one.

>>> from tinyflow.data.tf_data import Dataset
>>> ds = Dataset.range(6).shuffle(6, seed=1)
>>> a, b = list(ds.as_numpy_iterator()), list(ds.as_numpy_iterator())
>>> sorted(a) == sorted(b) == list(range(6)), a == list(Dataset.range(6).shuffle(6, seed=1).as_numpy_iterator())
(True, True)
"""
import numpy as np

from ...base import rng
from ...base.errors import InvalidArgumentError
from .dataset import Dataset, count_arg


class ShuffleDataset(Dataset):
    """``Dataset.shuffle``."""

    def __init__(self, input, buffer_size, seed=None, reshuffle_each_iteration=True):
        self._input = input
        self._buffer_size = count_arg(buffer_size, "shuffle", "buffer_size")
        if self._buffer_size <= 0:
            raise InvalidArgumentError(f"buffer_size must be greater than zero (Dataset.shuffle(): "
                                       f"buffer_size={self._buffer_size})")
        if seed is None:
            seed = int(rng.generator().integers(2 ** 63))
        self._seed = count_arg(seed, "shuffle", "seed")
        self._reshuffle = bool(reshuffle_each_iteration)
        self._passes = 0                 # how many times iteration has started: the epoch
        super().__init__(input.element_spec, input._cardinality)

    def _elements(self):
        epoch = self._passes if self._reshuffle else 0
        self._passes += 1
        gen = np.random.default_rng([self._seed % 2 ** 64, epoch])
        buffer = []
        for element in self._input._elements():
            buffer.append(element)
            if len(buffer) == self._buffer_size:
                yield self._draw(buffer, gen)
        while buffer:
            yield self._draw(buffer, gen)

    @staticmethod
    def _draw(buffer, gen):
        """Take a uniformly chosen element out of the buffer (swap it to the end, pop)."""
        i = gen.integers(len(buffer))
        buffer[i], buffer[-1] = buffer[-1], buffer[i]
        return buffer.pop()
