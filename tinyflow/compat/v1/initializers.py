"""``tf.initializers`` as TensorFlow 1 spells it (``tf.initializers.zeros()``...)."""
from ...nn.tf_initializers import (glorot_uniform_initializer as glorot_uniform,  # noqa: F401
                                   zeros_initializer as zeros, ones_initializer as ones,
                                   constant_initializer as constant,
                                   random_normal_initializer as random_normal,
                                   random_uniform_initializer as random_uniform,
                                   truncated_normal_initializer as truncated_normal)
