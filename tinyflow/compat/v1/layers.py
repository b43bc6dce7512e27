"""``tf.layers`` as TensorFlow 1 spells it."""
from ...nn.tf_layers import dense  # noqa: F401
