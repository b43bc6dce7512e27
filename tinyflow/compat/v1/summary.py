"""``tf.summary`` as TensorFlow 1 spells it: summary ops (``scalar``, ``histogram``,
``merge_all``), the ``FileWriter``, and the ``Summary`` protocol buffer class (also
``tf.Summary``) to build or parse summaries by hand. The proto classes come from
tensorboardX, imported when first asked for.

>>> import tinyflow.compat.v1 as tf
>>> s = tf.Summary(value=[tf.Summary.Value(tag="manual", simple_value=0.25)])
>>> tf.Summary.FromString(s.SerializeToString()).value[0].simple_value
0.25
"""
from ...summary import (FileWriter, scalar, histogram, merge, merge_all,  # noqa: F401
                        SummaryWriter)
from ...summary.graph_def import protos


def __getattr__(name):
    if name in ("Summary", "Event", "HistogramProto"):
        p = protos()
        return p.Summary.Value().histo.__class__ if name == "HistogramProto" else getattr(p, name)
    raise AttributeError(f"module 'tinyflow.compat.v1.summary' has no attribute {name!r}")
