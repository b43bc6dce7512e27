"""``tf.nn`` as TensorFlow 1 spells it: activations and losses of
``tinyflow/nn/tf_nn.py``, building into the default graph."""
from ...nn import tf_nn as _nn
from .spelling import in_graph

relu, sigmoid, tanh, softplus = (in_graph(_nn.relu), in_graph(_nn.sigmoid), in_graph(_nn.tanh),
                                 in_graph(_nn.softplus))
softmax, log_softmax = in_graph(_nn.softmax), in_graph(_nn.log_softmax)
bias_add, l2_loss, dropout = in_graph(_nn.bias_add), in_graph(_nn.l2_loss), in_graph(_nn.dropout)
sparse_softmax_cross_entropy_with_logits = in_graph(_nn.sparse_softmax_cross_entropy_with_logits)
softmax_cross_entropy_with_logits = in_graph(_nn.softmax_cross_entropy_with_logits)
softmax_cross_entropy_with_logits_v2 = softmax_cross_entropy_with_logits
sigmoid_cross_entropy_with_logits = in_graph(_nn.sigmoid_cross_entropy_with_logits)
