"""``tf.errors``: the errors a TensorFlow 1 program catches."""
from ...base.errors import (FailedPreconditionError, InvalidArgumentError,  # noqa: F401
                            NotFoundError)
