"""``tf.nn`` as TensorFlow 1 spells it: activations, losses, image ops and the rest of
``tinyflow/nn/tf_nn.py`` and ``tf_conv.py``, building into the default graph."""
from ...nn import tf_nn as _nn, tf_conv as _conv
from .spelling import in_graph

relu, sigmoid, tanh, softplus = (in_graph(_nn.relu), in_graph(_nn.sigmoid), in_graph(_nn.tanh),
                                 in_graph(_nn.softplus))
softmax, log_softmax = in_graph(_nn.softmax), in_graph(_nn.log_softmax)
l2_loss, dropout = in_graph(_nn.l2_loss), in_graph(_nn.dropout)
l2_normalize, moments = in_graph(_nn.l2_normalize), _nn.moments
batch_normalization = in_graph(_nn.batch_normalization)
embedding_lookup = in_graph(_nn.embedding_lookup)
conv2d, bias_add = _conv.conv2d, _conv.bias_add
max_pool, avg_pool = _conv.max_pool, _conv.avg_pool
sparse_softmax_cross_entropy_with_logits = in_graph(_nn.sparse_softmax_cross_entropy_with_logits)
softmax_cross_entropy_with_logits = in_graph(_nn.softmax_cross_entropy_with_logits)
softmax_cross_entropy_with_logits_v2 = softmax_cross_entropy_with_logits
sigmoid_cross_entropy_with_logits = in_graph(_nn.sigmoid_cross_entropy_with_logits)
from . import rnn_cell  # noqa: E402  (tf.nn.rnn_cell.BasicLSTMCell...)
from ...nn.tf_rnn import static_rnn, dynamic_rnn  # noqa: E402,F401
from ...nn.tf_rnn_more import bidirectional_dynamic_rnn  # noqa: E402,F401
