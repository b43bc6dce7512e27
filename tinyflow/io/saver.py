"""Saving graph-mode models: ``Saver`` writes variable values, and the meta
graph lets a fresh Python process rebuild the graph without the code that
built it.

Files (data formats only, never pickle):
  ``prefix.npz``   the variables' values, by variable name
  ``prefix.meta``  the graph as JSON (see serialize.py)
  ``checkpoint``   JSON naming the latest checkpoints in that folder
A save is one transaction over the three files (``io/files.py``'s
``atomic_write_files``): interrupted at any byte or at any rename, it raises and
leaves the previous checkpoint byte-identical. A missing, corrupt or mismatching
file raises on restore and leaves the session as it was.
"""
import os

import numpy as np

from ..base.errors import CheckpointError
from .files import (atomic_write_files, json_writer, load_json, load_npz, npz_writer,
                    save_json)
from ..base.errors import FailedPreconditionError
from ..graph.graph import get_default_graph
from .meta_graph import graph_to_dict, dict_to_graph
from ..graph.variables import global_variables
from ..base.errors import NotFoundError



class Saver:
    """Save and restore the values of variables.

    ``saver.save(sess, "ckpt/model")`` writes ``ckpt/model.npz`` and
    ``ckpt/model.meta``; ``saver.restore(sess, "ckpt/model")`` reads them back.
    """

    def __init__(self, var_list=None, max_to_keep=5, name=None):
        if var_list is None:
            var_list = global_variables()
        if isinstance(var_list, dict):
            self._vars = dict(var_list)
        else:
            self._vars = {v.node.name: v for v in var_list}
        if not self._vars:
            raise ValueError("No variables to save")
        self.max_to_keep = max_to_keep
        self._kept = []

    def save(self, sess, save_path, global_step=None, write_meta_graph=True):
        """Write the variables' values (and the graph); returns the checkpoint prefix."""
        prefix = os.fspath(save_path)
        if global_step is not None:
            step = global_step if isinstance(global_step, (int, np.integer)) else sess.run(global_step)
            prefix = f"{prefix}-{int(step)}"
        values = {}
        for name, var in self._vars.items():
            value = sess.variable_value(var.node)
            if value is None:
                raise FailedPreconditionError(f"Attempting to save uninitialized variable {name}")
            values[name] = value
        kept = [p for p in self._kept if p != prefix] + [prefix]
        dropped = kept[:-self.max_to_keep] if self.max_to_keep else []
        kept = kept[len(dropped):]
        # Everything is encoded before any file is touched; then the graph, the values
        # and the folder's "checkpoint" list are written as one transaction.
        # The values' rename comes first: were the process killed between the renames,
        # the values decide which checkpoint the folder holds (the graph is only read by
        # import_meta_graph). An error that is raised undoes every rename already done.
        files = [(prefix + ".npz", npz_writer(values))]
        if write_meta_graph:
            files.append((prefix + ".meta", json_writer(graph_to_dict(sess.graph))))
        folder = os.path.dirname(os.path.abspath(prefix))
        files.append((os.path.join(folder, "checkpoint"), json_writer(
            {"model_checkpoint_path": os.path.basename(prefix),
             "all_model_checkpoint_paths": [os.path.basename(p) for p in kept]})))
        atomic_write_files(files)
        self._kept = kept
        for old in dropped:                 # only once the new checkpoint is committed
            for ext in (".npz", ".meta"):
                try:
                    os.remove(old + ext)
                except FileNotFoundError:
                    pass
        return prefix

    def restore(self, sess, save_path):
        """Load the saved values into ``sess``. Everything is checked first: on any
        error the session keeps the values it had."""
        if save_path is None:
            raise ValueError("restore: save_path is None (did latest_checkpoint find nothing?)")
        prefix = os.fspath(save_path)
        path = prefix if prefix.endswith(".npz") else prefix + ".npz"
        arrays = load_npz(path, "Saver.restore")
        staged = {}
        for name, var in self._vars.items():
            if name not in arrays:
                raise NotFoundError(f"Saver.restore: Key {name} not found in checkpoint {path} "
                                    f"(it has {sorted(arrays)})")
            value = arrays[name]
            if value.dtype.kind not in "biuf":
                raise CheckpointError(f"Saver.restore: variable {name} is {value.dtype} in {path}; "
                                      f"expected numbers ({var.dtype.name})")
            want = tuple(var.shape.as_list())
            if value.shape != want:
                raise CheckpointError(f"Saver.restore: variable {name} has shape {want} in the graph "
                                      f"but {value.shape} in {path}")
            staged[var.node] = value.astype(var.dtype, copy=False)
        sess.load_variables(staged)


def latest_checkpoint(checkpoint_dir):
    """The prefix of the newest checkpoint in a folder, or None."""
    path = os.path.join(checkpoint_dir, "checkpoint")
    if not os.path.exists(path):
        return None
    state = load_json(path, "latest_checkpoint")
    name = state.get("model_checkpoint_path") if isinstance(state, dict) else None
    if not isinstance(name, str) or os.sep in name or name.startswith(".."):
        raise CheckpointError(f"latest_checkpoint: {path} is corrupt")
    return os.path.join(checkpoint_dir, name)


def export_meta_graph(filename=None, graph=None):
    """Write the graph (default: the default graph) as JSON; returns the data."""
    data = graph_to_dict(graph or get_default_graph())
    if filename is not None:
        save_json(filename, data)
    return data


def import_meta_graph(meta_graph_or_file, import_scope=None, clear_devices=False):
    """Rebuild a saved graph into the default graph; returns a Saver for its variables.

    In a fresh process: ``saver = tf.train.import_meta_graph("model.meta")``,
    ``saver.restore(sess, "model")``, then
    ``tf.get_default_graph().get_tensor_by_name("fc2/BiasAdd:0")``.
    """
    data = meta_graph_or_file
    if not isinstance(data, dict):
        data = load_json(meta_graph_or_file, "import_meta_graph")
    g = get_default_graph()
    from ..graph.graph import Graph
    dict_to_graph(data, Graph(), import_scope)       # check all of it before touching g
    dict_to_graph(data, g, import_scope)
    vs = [v for v in g.get_collection("variables")]
    return Saver(vs) if vs else None
