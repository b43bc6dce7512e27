"""``tf.errors``: the errors a TensorFlow 1 program catches."""
from ...base.errors import (FailedPreconditionError, InvalidArgumentError,  # noqa: F401
                            NotFoundError)
from ...graph.iterator_ops import OutOfRangeError  # noqa: F401,E402
