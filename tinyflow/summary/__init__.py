"""TensorBoard event files: scalars, histograms, text and graphs.

Writing needs the optional extra ``pip install 'tinyflow-lab[tensorboard]'``
(tensorboardX); view the files with ``tensorboard --logdir runs``.

Eager (PyTorch spelling):

>>> import tempfile, tinyflow as tf
>>> from tinyflow.summary import SummaryWriter
>>> with SummaryWriter(tempfile.mkdtemp()) as w:
...     w.add_scalar("loss", 0.5, 1)

Graph mode (TensorFlow 1 spelling): summary ops run in the session, and the
writer stores what they computed.

>>> import tinyflow.compat.v1 as tf1
>>> from tinyflow import summary
>>> tf1.reset_default_graph()
>>> x = tf1.placeholder(tf1.float32, [None], name="x")
>>> _ = summary.scalar("mean", tf1.reduce_mean(x))
>>> merged = summary.merge_all()
>>> with tf1.Session() as sess, summary.FileWriter(tempfile.mkdtemp(), sess.graph) as w:
...     w.add_summary(sess.run(merged, {x: [1.0, 2.0]}), 0)
"""
from .writer import SummaryWriter, FileWriter, create_file_writer, default_writer
from .ops import scalar, histogram, text, merge, merge_all, parse
from .graph_def import as_graph_def

__all__ = ["SummaryWriter", "FileWriter", "create_file_writer", "default_writer", "scalar",
           "histogram", "text", "merge", "merge_all", "parse", "as_graph_def"]
