"""The errors a user may catch, in one place (each names TensorFlow's or
PyTorch's error where there is one).

They print as ``tinyflow.ShapeError``, the name a user imports them by:

>>> raise ShapeError("MatMul: (2, 3) @ (4, 5)")
Traceback (most recent call last):
...
tinyflow.ShapeError: MatMul: (2, 3) @ (4, 5)
"""


class ShapeError(ValueError, RuntimeError):
    """An op was given inputs whose shapes cannot work together. It is a ValueError,
    as TensorFlow raises for shapes, and a RuntimeError, as PyTorch raises: programs
    written for either framework catch it."""
    __module__ = "tinyflow"      # printed as tinyflow.<name>, the name users import it by


class AnomalyError(RuntimeError):
    """A forward value or a gradient contained nan or inf (anomaly mode)."""
    __module__ = "tinyflow"      # printed as tinyflow.<name>, the name users import it by


class FailedPreconditionError(RuntimeError):
    """A variable was read before it was initialized (TensorFlow's name)."""
    __module__ = "tinyflow"      # printed as tinyflow.<name>, the name users import it by


class InvalidArgumentError(ValueError):
    """A run was given something it cannot use, e.g. no value for a placeholder
    (TensorFlow's name)."""
    __module__ = "tinyflow"      # printed as tinyflow.<name>, the name users import it by


class CheckpointError(ValueError):
    """A file is missing, truncated, of another kind, or not what was expected."""
    __module__ = "tinyflow"      # printed as tinyflow.<name>, the name users import it by


class NotFoundError(CheckpointError):
    """A checkpoint (or a name in one) does not exist (TensorFlow's name)."""
    __module__ = "tinyflow"      # printed as tinyflow.<name>, the name users import it by

