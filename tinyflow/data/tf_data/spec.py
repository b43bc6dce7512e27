"""``TensorSpec``: what a dataset's elements look like -- a shape, where ``None``
marks a size that differs between elements (such as the last, shorter batch),
and a dtype. ``Dataset.element_spec`` is a nested structure of them.

>>> TensorSpec(shape=(None, 2), dtype="float32")
TensorSpec(shape=(None, 2), dtype=tf.float32, name=None)
>>> spec_of(np.zeros((3, 2))).batched(4, drop_remainder=False)
TensorSpec(shape=(None, 3, 2), dtype=tf.float64, name=None)
"""
import numpy as np

from .dtypes import DType, as_dtype


class Shape(tuple):
    """A static shape: a tuple of sizes, ``None`` for a size known only at run time.
    It prints as a tuple, as TensorFlow prints a shape inside a spec."""

    def as_list(self):
        return list(self)

    @property
    def rank(self):
        return len(self)

    ndims = rank

    def is_compatible_with(self, other):
        """Do the sizes agree wherever both are known?"""
        other = tuple(other)
        return len(self) == len(other) and all(
            a is None or b is None or a == b for a, b in zip(self, other))

    def relaxed(self, other):
        """The shape both fit: sizes that differ (or ranks that differ) become unknown."""
        other = tuple(other)
        if len(self) != len(other):
            return None
        return Shape(a if a == b else None for a, b in zip(self, other))


class TensorSpec:
    """The shape and dtype of a tensor (TensorFlow's ``tf.TensorSpec``).

    >>> spec = TensorSpec([None, 28, 28], "float32", name="images")
    >>> spec.shape, spec.dtype, spec.is_compatible_with(np.zeros((5, 28, 28), np.float32))
    ((None, 28, 28), tf.float32, True)
    """
    __slots__ = ("shape", "dtype", "name")

    def __init__(self, shape, dtype="float32", name=None):
        self.shape = Shape(None if d is None else int(d) for d in shape)
        self.dtype = as_dtype(dtype)
        self.name = name

    @classmethod
    def from_tensor(cls, tensor, name=None):
        """The spec of a tensor (or array) as it is."""
        return cls(np.shape(tensor), DType(tensor.dtype), name)

    def is_compatible_with(self, spec_or_value):
        """Same dtype, and the shapes agree wherever both are known."""
        other = spec_or_value if isinstance(spec_or_value, TensorSpec) else \
            TensorSpec(np.shape(spec_or_value), DType(spec_or_value.dtype))
        return self.dtype == other.dtype and self.shape.is_compatible_with(other.shape)

    def batched(self, batch_size, drop_remainder):
        """The spec of a batch of these: a leading size, known only if every batch is full."""
        return TensorSpec((batch_size if drop_remainder else None,) + self.shape, self.dtype)

    def unbatched(self):
        return TensorSpec(self.shape[1:], self.dtype)

    def __eq__(self, other):
        return (isinstance(other, TensorSpec) and self.shape == other.shape
                and self.dtype == other.dtype and self.name == other.name)

    def __hash__(self):
        return hash((self.shape, self.dtype, self.name))

    def __repr__(self):
        return f"TensorSpec(shape={tuple(self.shape)}, dtype={self.dtype!r}, name={self.name!r})"


def spec_of(array):
    """The spec of one array, every size known."""
    return TensorSpec(array.shape, DType(array.dtype))
