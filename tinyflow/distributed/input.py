"""``strategy.experimental_distribute_dataset``: a dataset of global batches,
each cut into the replicas' shards as it is read.

>>> import numpy as np
>>> from tinyflow.distribute import MirroredStrategy
>>> from tinyflow.data import tf_data
>>> strategy = MirroredStrategy(num_replicas=2)
>>> ds = tf_data.Dataset.from_tensor_slices(np.arange(10.0)).batch(5)
>>> print(next(iter(strategy.experimental_distribute_dataset(ds))))
PerReplica:{
  0: tensor([0., 1., 2.], dtype=tinyflow.float64),
  1: tensor([3., 4.], dtype=tinyflow.float64)
}
"""


class DistributedDataset:
    """Iterating it reads the dataset's global batches and hands each to the
    strategy to cut (``strategy.distribute_batch``)."""

    def __init__(self, strategy, dataset):
        self._strategy = strategy
        self._dataset = dataset

    def __iter__(self):
        for batch in self._dataset:
            yield self._strategy.distribute_batch(batch)

    @property
    def element_spec(self):
        return getattr(self._dataset, "element_spec", None)

    def __repr__(self):
        return f"<DistributedDataset of {self._dataset!r}>"
