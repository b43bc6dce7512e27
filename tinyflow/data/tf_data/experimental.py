"""``tf.data.experimental``: the older homes of a few ``tf.data`` names, and the
debug mode that runs pipeline functions eagerly.

>>> AUTOTUNE, int(cardinality(Dataset.range(3).repeat()))
(-1, -1)
"""
from .cardinality import AUTOTUNE, INFINITE as INFINITE_CARDINALITY, UNKNOWN as \
    UNKNOWN_CARDINALITY  # noqa: F401
from .dataset import Dataset
from .functions import enable_debug_mode  # noqa: F401


def cardinality(dataset):
    """``dataset.cardinality()`` (TensorFlow's older spelling)."""
    if not isinstance(dataset, Dataset):
        raise TypeError(f"cardinality(): expected a tf.data.Dataset, got {type(dataset).__name__}")
    return dataset.cardinality()
