"""TensorFlow 1's SavedModel API: ``SavedModelBuilder``, ``loader.load`` and
``simple_save``, writing and reading the same bundles as ``save``/``load``.

>>> import os, tempfile, tinyflow.compat.v1 as tf
>>> tf.reset_default_graph()
>>> x = tf.placeholder(tf.float32, [None, 2], name="x")
>>> w = tf.Variable([[1.0], [2.0]], name="w", dtype=tf.float32)
>>> y = tf.matmul(x, w, name="y")
>>> d = os.path.join(tempfile.mkdtemp(), "model")
>>> with tf.Session() as sess:
...     sess.run(w.initializer)
...     builder = tf.saved_model.builder.SavedModelBuilder(d)
...     sig = tf.saved_model.signature_def_utils.predict_signature_def({"x": x}, {"y": y})
...     builder.add_meta_graph_and_variables(sess, [tf.saved_model.tag_constants.SERVING],
...                                          signature_def_map={"serving_default": sig})
...     _ = builder.save()
>>> with tf.Session(graph=tf.Graph()) as sess:
...     meta = tf.saved_model.loader.load(sess, ["serve"], d)
...     sess.run(meta.signature_def["serving_default"].outputs["y"].name, {"x:0": [[1.0, 1.0]]})
array([[3.]], dtype=float32)
"""
import os
from typing import NamedTuple

from ..graph.graph import Graph
from ..io.meta_graph import dict_to_graph
from ..io import bundle
from ..io.saved_model_names import SERVING, DEFAULT_SERVING_SIGNATURE_DEF_KEY
from ..io.signature import predict_signature_def


class SavedModelBuilder:
    """Collects one meta graph (the session's graph, variables and signatures),
    then ``save()`` writes the bundle."""

    def __init__(self, export_dir):
        export_dir = os.fspath(export_dir)
        if os.path.exists(export_dir) and (not os.path.isdir(export_dir) or os.listdir(export_dir)):
            raise FileExistsError(f"Export directory already exists, and isn't empty: "
                                  f"{export_dir}. Please specify a different export directory.")
        self._export_dir = export_dir
        self._saved = None

    def add_meta_graph_and_variables(self, sess, tags, signature_def_map=None,
                                     assets_collection=None, legacy_init_op=None,
                                     clear_devices=False, main_op=None,
                                     strip_default_attrs=False, saver=None, **kwargs):
        """Snapshot the graph of ``sess`` and its variables' values *now*."""
        if self._saved is not None:
            raise AssertionError("Graph state including variables has already been saved: "
                                 "a tinyflow bundle holds one meta graph")
        sigs = dict(signature_def_map or {})
        for key, sig in sigs.items():
            for info in list(sig.inputs.values()) + list(sig.outputs.values()):
                sess.graph.get_tensor_by_name(info.name)     # raises if it is not in the graph
        data, arrays = bundle.freeze(sess.graph, sess.variable_values())
        self._saved = (data, arrays, list(tags), sigs)

    def add_meta_graph(self, tags, signature_def_map=None, **kwargs):
        raise NotImplementedError("a tinyflow bundle holds one meta graph: call "
                                  "add_meta_graph_and_variables once")

    def save(self, as_text=False):
        """Write the bundle; returns the export directory."""
        if self._saved is None:
            raise ValueError("nothing to save: call add_meta_graph_and_variables(sess, tags, ...) "
                             "first")
        bundle.write(self._export_dir, *self._saved)
        return self._export_dir


class MetaGraphDef(NamedTuple):
    """What ``loader.load`` returns: the signatures (``signature_def[key].inputs
    ["x"].name``) and the tags."""
    signature_def: dict
    tags: list


def load(sess, tags, export_dir, import_scope=None, **saver_kwargs):
    """Import the bundle's graph into ``sess.graph`` and its variables into
    ``sess`` (TF1's ``tf.saved_model.loader.load``)."""
    b = bundle.Bundle(export_dir)
    if set(tags) != set(b.tags):
        raise bundle.TagsNotFoundError(
            f"MetaGraphDef associated with tags {sorted(set(tags))} could not be found in "
            f"SavedModel {export_dir}. Available tags: {b.tags}")
    _, checked = b.build(Graph())                 # check everything before touching sess.graph
    clash = sorted(op.name for op in checked if _has_op(sess.graph, op.name))
    if clash:
        raise ValueError(f"sess.graph already has ops named {clash[:5]}: load into a fresh "
                         f"graph, as in tf.Session(graph=tf.Graph())")
    made = dict_to_graph(b.graph_data, sess.graph)
    sess.load_variables({made[op.name]: value for op, value in checked.items()})
    return MetaGraphDef(b.signatures, b.tags)


def _has_op(graph, name):
    try:
        graph.get_operation_by_name(name)
        return True
    except KeyError:
        return False


def simple_save(session, export_dir, inputs, outputs, legacy_init_op=None):
    """TF 1's one-call save: inputs and outputs are dicts of tensors, the tag is
    "serve" and the signature "serving_default"."""
    builder = SavedModelBuilder(export_dir)
    sig = predict_signature_def(inputs, outputs)
    builder.add_meta_graph_and_variables(session, [SERVING],
                                         signature_def_map={DEFAULT_SERVING_SIGNATURE_DEF_KEY: sig})
    return builder.save()
