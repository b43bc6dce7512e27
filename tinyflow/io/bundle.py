"""The bundle on disk: a folder of data files, never pickle.

    export_dir/
      saved_model.json   the manifest: format, tags, signatures, and the two file names
      graph.json         the graph (tinyflow/graph/serialize.py's format)
      variables.npz      every variable's value, by op name (absent when there are none)

Parameters a trace captured from eager code (``Capture`` nodes) are saved as
variables too, so the weights live in the npz and the JSON holds only the
structure. The manifest is written last, and atomically: a save that stops half
way leaves the previous bundle (if any) as it was; reading checks every file
before anything is used.

>>> import os, tempfile, tinyflow as tf
>>> d = os.path.join(tempfile.mkdtemp(), "m")
>>> g = tf.Graph()
>>> with g.as_default():
...     x = tf.placeholder(tf.float32, [None], name="x")
...     y = x * 2.0
>>> data, arrays = freeze(g, {})
>>> write(d, data, arrays, ["serve"], {})
>>> sorted(os.listdir(d))                    # no variables, so no variables.npz
['graph.json', 'saved_model.json']
"""
import os

import numpy as np

from ..base.errors import CheckpointError
from .files import save_json, save_npz, load_json, load_npz
from ..graph.graph import Graph
from .meta_graph import graph_to_dict, dict_to_graph, encode_attr
from ..base.errors import FailedPreconditionError
from . import signature as S

FORMAT = "tinyflow.saved_model/1"


class TagsNotFoundError(CheckpointError, RuntimeError):
    """The bundle has no meta graph with the tags asked for. A ``CheckpointError``
    like every loading error, and a ``RuntimeError`` as in TensorFlow 1."""
MANIFEST = "saved_model.json"
GRAPH_FILE = "graph.json"
VARIABLES_FILE = "variables.npz"


def freeze(graph, values):
    """(graph as JSON data, {variable name: array}): variables take their values
    from ``values`` ({op: array}, a session's), captured tensors their current ones."""
    data = graph_to_dict(graph)
    ops = {op.name: op for op in graph.get_operations()}
    arrays = {}
    for node in data["nodes"]:
        op = ops[node["name"]]
        if op.type == "Capture":
            tensor = op.attrs["tensor"]
            node["op"] = "VariableV2"
            node["attrs"] = {"shape": encode_attr(tuple(tensor.shape)),
                             "dtype": encode_attr(np.dtype(tensor.dtype))}
            arrays[op.name] = np.array(tensor.array)
        elif op.type == "VariableV2":
            if op not in values:
                raise FailedPreconditionError(f"cannot save the variable '{op.name}': it has no "
                                              f"value in this session (run its initializer first)")
            arrays[op.name] = np.array(values[op])       # a snapshot: sessions update in place
    return data, arrays


def write(export_dir, graph_data, arrays, tags, signatures, overwrite=False):
    """Write a bundle. An existing non-empty folder is refused unless ``overwrite``.

    Overwriting never leaves the folder without a loadable bundle: the new graph
    and variables go to file names the old manifest does not use (``graph.json``
    and ``graph.1.json`` take turns), the manifest -- written atomically, last --
    switches to them, and only then are the old files removed. A save that stops
    anywhere before that leaves the previous bundle as it was."""
    export_dir = os.fspath(export_dir)
    if os.path.exists(export_dir) and not os.path.isdir(export_dir):
        raise FileExistsError(f"cannot save a model to {export_dir}: it is a file")
    if os.path.isdir(export_dir) and os.listdir(export_dir) and not overwrite:
        raise FileExistsError(f"the export directory {export_dir} already exists and is not "
                              f"empty; choose another one, or pass overwrite=True")
    os.makedirs(export_dir, exist_ok=True)
    manifest = os.path.join(export_dir, MANIFEST)
    old = _files_in_use(export_dir)
    graph_file = _unused(GRAPH_FILE, old)
    variables = _unused(VARIABLES_FILE, old) if arrays else None
    try:
        save_json(os.path.join(export_dir, graph_file), graph_data)
        if variables:                  # (an npz of nothing is an empty zip, which load_npz refuses)
            save_npz(os.path.join(export_dir, variables), arrays)
        save_json(manifest, {"format": FORMAT, "tags": list(tags), "graph": graph_file,
                             "variables": variables,
                             "signatures": {k: S.to_dict(s) for k, s in signatures.items()}})
    finally:
        # Whatever the manifest names now is the bundle; any other data file of ours or of
        # the previous bundle goes (an interrupted save drops its own new files).
        keep = _files_in_use(export_dir)
        for name in (old | {graph_file, variables}) - keep - {None}:
            _remove(os.path.join(export_dir, name))


def _files_in_use(export_dir):
    """The data files the folder's current manifest names (none if it has no valid one)."""
    try:
        manifest = load_json(os.path.join(export_dir, MANIFEST), "save")
    except CheckpointError:
        return set()
    if not isinstance(manifest, dict):
        return set()
    names = set()
    for key in ("graph", "variables"):
        try:
            names.add(os.path.basename(_member(export_dir, manifest.get(key), "save")))
        except CheckpointError:
            pass
    return names


def _unused(name, in_use):
    """``name``, or its alternate ``stem.1.ext`` if the current bundle uses it."""
    if name not in in_use:
        return name
    stem, ext = os.path.splitext(name)
    return f"{stem}.1{ext}"


def _remove(path):
    try:
        os.remove(path)
    except OSError:
        pass


class Bundle:
    """A bundle read back and checked: its graph, variable values and signatures."""

    def __init__(self, export_dir):
        export_dir = os.fspath(export_dir)
        what = f"load SavedModel {export_dir}"
        if not os.path.isdir(export_dir):
            raise CheckpointError(f"{what}: no such directory")
        manifest = load_json(os.path.join(export_dir, MANIFEST), what)
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise CheckpointError(f"{what}: {MANIFEST} is not a tinyflow SavedModel manifest "
                                  f"(expected format {FORMAT!r})")
        tags, sigs = manifest.get("tags"), manifest.get("signatures")
        if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
            raise CheckpointError(f"{what}: the manifest's tags are corrupt: {tags!r}")
        if not isinstance(sigs, dict):
            raise CheckpointError(f"{what}: the manifest's signatures are corrupt")
        self.export_dir, self.tags = export_dir, tags
        self.signatures = {str(k): S.from_dict(v, what) for k, v in sigs.items()}
        self.graph_data = load_json(_member(export_dir, manifest.get("graph"), what), what)
        variables = manifest.get("variables")
        self.arrays = {} if variables is None else \
            load_npz(_member(export_dir, variables, what), what)
        self.what = what

    def build(self, graph=None):
        """Rebuild the graph into ``graph`` (default: a new one); returns
        (graph, {variable op: value}), everything checked."""
        graph = Graph() if graph is None else graph
        made = dict_to_graph(self.graph_data, graph)
        values = {}
        for name, op in made.items():
            if op.type != "VariableV2":
                continue
            if name not in self.arrays:
                raise CheckpointError(f"{self.what}: the variable '{name}' has no value in "
                                      f"{VARIABLES_FILE}")
            value, want = self.arrays[name], op.outputs[0]
            if want._shape is not None and value.shape != tuple(want._shape):
                raise CheckpointError(f"{self.what}: the variable '{name}' has shape "
                                      f"{tuple(want._shape)} in the graph but {value.shape} in "
                                      f"{VARIABLES_FILE}")
            if value.dtype != want.dtype:
                raise CheckpointError(f"{self.what}: the variable '{name}' has dtype "
                                      f"{want.dtype} in the graph but {value.dtype} in "
                                      f"{VARIABLES_FILE}")
            values[op] = value
        extra = sorted(set(self.arrays) - {op.name for op in values})
        if extra:
            raise CheckpointError(f"{self.what}: {VARIABLES_FILE} holds values for {extra}, "
                                  f"which are not variables of the graph")
        for key, sig in self.signatures.items():
            for info in list(sig.inputs.values()) + list(sig.outputs.values()):
                self.tensor(graph, info, key)
        return graph, values

    def tensor(self, graph, info, key):
        try:
            return graph.get_tensor_by_name(info.name)
        except (KeyError, ValueError):
            raise CheckpointError(f"{self.what}: signature {key!r} names the tensor "
                                  f"{info.name!r}, which is not in the graph") from None


def _member(export_dir, name, what):
    """A file the manifest names: a plain file name inside the bundle, nothing else."""
    if not isinstance(name, str) or not name or name.startswith(".") or "/" in name \
            or "\\" in name or os.path.isabs(name) or name != os.path.basename(name):
        raise CheckpointError(f"{what}: the manifest names the file {name!r}; expected a plain "
                              f"file name inside the bundle")
    return os.path.join(export_dir, name)
