"""``tf.train`` as TensorFlow 1 spells it: optimizers whose ``minimize`` builds
a training op, the global step and learning-rate schedules, and the ``Saver``."""
from ...io.saver import (Saver, latest_checkpoint, export_meta_graph,  # noqa: F401
                         import_meta_graph)
from ...optim.tf_optimizers import (Optimizer, GradientDescentOptimizer,  # noqa: F401
                                    MomentumOptimizer, AdamOptimizer)
from ...optim.tf_adaptive import (RMSPropOptimizer, AdagradOptimizer,  # noqa: F401
                                  AdadeltaOptimizer)
from ...optim.tf_schedules import (get_global_step, create_global_step,  # noqa: F401
                                   get_or_create_global_step, exponential_decay,
                                   piecewise_constant)
