"""``tf.layers`` as TensorFlow 1 spells it (``tinyflow/nn/tf_layers.py``)."""
from ...nn.tf_layers import (dense, conv2d, max_pooling2d, average_pooling2d,  # noqa: F401
                             flatten, dropout, batch_normalization)
