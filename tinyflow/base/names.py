"""Names made from class names, as TensorFlow and Keras make them.

>>> to_snake_case("BatchNormalization"), to_snake_case("Conv2D"), to_snake_case("MLP")
('batch_normalization', 'conv2d', 'mlp')
"""
import re


def to_snake_case(name):
    """'BatchNormalization' -> 'batch_normalization', 'Conv2D' -> 'conv2d' (Keras's and
    tf.Module's rule)."""
    intermediate = re.sub("(.)([A-Z][a-z0-9]+)", r"\1_\2", name)
    insecure = re.sub("([a-z])([A-Z])", r"\1_\2", intermediate).lower()
    return insecure if insecure[0] != "_" else "private" + insecure
