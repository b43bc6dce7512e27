"""``tf.metrics`` as TensorFlow 1 spells it: streaming metrics over local variables
(``nn/tf_metrics.py``), building into the default graph."""
from ...nn import tf_metrics as _m
from .spelling import in_graph

accuracy, mean = in_graph(_m.accuracy), in_graph(_m.mean)
precision, recall = in_graph(_m.precision), in_graph(_m.recall)
