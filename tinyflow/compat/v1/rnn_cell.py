"""``tf.nn.rnn_cell`` as TensorFlow 1 spells it (``tinyflow/nn/tf_rnn.py``)."""
from ...nn.tf_rnn import BasicLSTMCell, GRUCell, LSTMStateTuple, RNNCell  # noqa: F401
