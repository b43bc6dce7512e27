"""``tf.debugging`` as TensorFlow 1 spells it."""
from ... import ops as _F
from .spelling import in_graph

check_numerics = in_graph(_F.check_numerics)
