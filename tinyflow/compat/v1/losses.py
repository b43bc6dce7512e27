"""``tf.losses`` as TensorFlow 1 spells it: mean losses over a batch, weighted."""
from ...nn import tf_losses as _losses
from .spelling import in_graph

mean_squared_error = in_graph(_losses.mean_squared_error)
absolute_difference = in_graph(_losses.absolute_difference)
sparse_softmax_cross_entropy = in_graph(_losses.sparse_softmax_cross_entropy)
softmax_cross_entropy = in_graph(_losses.softmax_cross_entropy)
sigmoid_cross_entropy = in_graph(_losses.sigmoid_cross_entropy)
compute_weighted_loss = in_graph(_losses.compute_weighted_loss)
