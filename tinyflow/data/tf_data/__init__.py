"""TensorFlow 2's ``tf.data``: input pipelines as chains of datasets.

(``tinyflow.data`` itself is PyTorch's data package, ``torch.utils.data``;
this is TensorFlow's, reached as ``tf.data`` after
``import tinyflow.compat.v2 as tf``.)

* ``dataset.py`` -- ``Dataset``: its methods, iteration, element_spec, cardinality
* ``sources.py`` -- from_tensor_slices, from_tensors, range, zip
* ``batching.py`` -- batch, padded_batch, unbatch
* ``shuffling.py`` -- shuffle's buffer
* ``mapping.py`` and ``functions.py`` -- map and filter, their functions traced into graphs
* ``counting.py`` -- repeat, take, skip, cache, prefetch
* ``folding.py`` -- reduce
* ``spec.py``, ``dtypes.py``, ``structure.py``, ``cardinality.py`` -- what elements are

>>> from tinyflow.data import tf_data as data
>>> ds = data.Dataset.range(8).shuffle(8, seed=0).batch(4).prefetch(data.AUTOTUNE)
>>> [len(b) for b in ds], len(ds)
([4, 4], 2)
"""
from .dataset import Dataset, Iterator
from .spec import TensorSpec
from .cardinality import AUTOTUNE, INFINITE as INFINITE_CARDINALITY, UNKNOWN as \
    UNKNOWN_CARDINALITY
from . import experimental

__all__ = ["Dataset", "Iterator", "TensorSpec", "AUTOTUNE", "INFINITE_CARDINALITY",
           "UNKNOWN_CARDINALITY", "experimental"]
