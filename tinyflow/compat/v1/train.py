"""``tf.train`` as TensorFlow 1 spells it: optimizers whose ``minimize`` builds
a training op, and the ``Saver``."""
from ...io.saver import (Saver, latest_checkpoint, export_meta_graph,  # noqa: F401
                         import_meta_graph)
from ...optim.tf_optimizers import (Optimizer, GradientDescentOptimizer,  # noqa: F401
                                    MomentumOptimizer, AdamOptimizer)
