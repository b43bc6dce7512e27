"""``tf.nn.rnn_cell`` as TensorFlow 1 spells it (``tinyflow/nn/tf_rnn.py``,
``tinyflow/nn/tf_rnn_more.py``)."""
from ...nn.tf_rnn import BasicLSTMCell, GRUCell, LSTMStateTuple, RNNCell  # noqa: F401
from ...nn.tf_rnn_more import BasicRNNCell, LSTMCell, MultiRNNCell, DropoutWrapper  # noqa: F401
