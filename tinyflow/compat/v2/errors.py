"""``tf.errors``: the errors a TensorFlow program catches."""
from ...base.errors import (FailedPreconditionError, InvalidArgumentError,  # noqa: F401
                            NotFoundError)
