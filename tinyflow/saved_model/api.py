"""``save`` a model as a bundle and ``load`` it back -- in another process,
without the code that built it.

>>> import os, tempfile, numpy as np, tinyflow as tf, tinyflow.nn as nn
>>> from tinyflow import saved_model
>>> _ = tf.manual_seed(0)
>>> traced = tf.jit.trace(nn.Linear(3, 2), tf.zeros(4, 3))
>>> d = os.path.join(tempfile.mkdtemp(), "linear")
>>> saved_model.save(traced, d, outputs=["y"])
>>> loaded = saved_model.load(d)
>>> loaded.signatures["serving_default"](x=np.ones((5, 3), np.float32))["y"].shape
(5, 2)
>>> loaded(np.ones((1, 3), np.float32)).shape            # one output: just the array
(1, 2)
"""
import os

import numpy as np

from ..graph.graph import Graph
from ..tracing.function import Function
from ..graph.session import Session
from ..tracing.endpoints import endpoints, write_bundle
from ..io import bundle
from ..io.saved_model_names import SERVING, DEFAULT_SERVING_SIGNATURE_DEF_KEY, PREDICT_METHOD_NAME
from ..io.signature import SignatureDef, build_tensor_info


def save(model, export_dir, inputs=None, outputs=None, overwrite=False, tags=(SERVING,)):
    """Write ``model`` to ``export_dir`` with one signature, "serving_default".

    * ``save(sess, dir, inputs={"x": x}, outputs={"y": y})``: a graph-mode model;
      the session supplies the variables' values (the whole graph is saved).
    * ``save(traced, dir)`` for ``tinyflow.jit.trace(module, example)``, or a
      ``tinyflow.function`` traced once (or one of its ConcreteFunctions);
      ``inputs``/``outputs`` may then be lists of key names to use instead of
      the defaults (the parameter names, and output_0, output_1...).

    An existing, non-empty ``export_dir`` is refused unless ``overwrite=True``.
    """
    if hasattr(model, "named_modules"):
        raise TypeError("save a module by tracing it first: "
                        "tinyflow.saved_model.save(tinyflow.jit.trace(model, example), dir)")
    if isinstance(model, Function):
        model = _only_trace(model)
    if isinstance(model, (Session, Graph)):
        e = endpoints(model, inputs=inputs, outputs=outputs)
    else:
        e = endpoints(model, input_names=inputs, output_names=outputs)
    write_bundle(e, export_dir, tags, overwrite)


def _only_trace(fn):
    traces = list(fn._concrete.values())
    if len(traces) != 1:
        raise ValueError(f"tinyflow.function {fn.name!r} has {len(traces)} traced signatures; "
                         f"save one of them: save(f.get_concrete_function(x), dir)")
    return traces[0]


def load(export_dir, tags=None):
    """Load a bundle; returns a ``LoadedModel``. A missing, corrupt or tampered
    file raises ``CheckpointError`` before anything runs."""
    b = bundle.Bundle(export_dir)
    if tags is not None and set(tags) != set(b.tags):
        raise bundle.TagsNotFoundError(f"the SavedModel at {export_dir} has tags {b.tags}, "
                                       f"not {list(tags)}")
    graph, values = b.build()
    session = Session(graph=graph)
    session.load_variables(values)
    sigs = {k: Signature(session, {n: b.tensor(graph, i, k) for n, i in s.inputs.items()},
                         {n: b.tensor(graph, i, k) for n, i in s.outputs.items()}, s.method_name)
            for k, s in b.signatures.items()}
    return LoadedModel(graph, session, sigs, b.tags, b.export_dir)


def contains_saved_model(export_dir):
    """Does ``export_dir`` hold a bundle (a manifest, at least)?"""
    return os.path.isfile(os.path.join(os.fspath(export_dir), bundle.MANIFEST))


class Signature:
    """One signature of a loaded bundle: call it with its input keys, get a dict
    of numpy arrays by output key."""

    def __init__(self, session, inputs, outputs, method_name=PREDICT_METHOD_NAME):
        self.session, self.inputs, self.outputs = session, inputs, outputs
        self.method_name = method_name

    def __call__(self, *args, **kwargs):
        keys = list(self.inputs)
        if len(args) > len(keys):
            raise TypeError(f"this signature takes {len(keys)} inputs ({', '.join(keys)}), "
                            f"got {len(args)}")
        feeds = dict(zip(keys, args))
        for k, v in kwargs.items():
            if k in feeds:
                raise TypeError(f"input {k!r} given twice")
            feeds[k] = v
        unknown = [k for k in feeds if k not in self.inputs]
        missing = [k for k in keys if k not in feeds]
        if unknown or missing:
            raise TypeError(f"this signature takes the inputs ({', '.join(keys)})"
                            + (f"; unexpected: {', '.join(unknown)}" if unknown else "")
                            + (f"; missing: {', '.join(missing)}" if missing else ""))
        results = self.session.run(dict(self.outputs),
                                   {self.inputs[k]: v for k, v in feeds.items()})
        return {k: np.asarray(v) for k, v in results.items()}

    def __repr__(self):
        return (f"<Signature ({', '.join(self.inputs)}) -> ({', '.join(self.outputs)})>")


class LoadedModel:
    """A loaded bundle: ``.signatures`` by key, ``.graph``, ``.session``, ``.tags``.
    Calling it runs "serving_default": one output comes back as an array, several
    as a dict."""
    default_signature = DEFAULT_SERVING_SIGNATURE_DEF_KEY

    def __init__(self, graph, session, signatures, tags, export_dir):
        self.graph, self.session, self.signatures = graph, session, signatures
        self.tags, self.export_dir = tags, export_dir

    def __call__(self, *args, **kwargs):
        sig = self.signatures.get(self.default_signature)
        if sig is None:
            raise KeyError(f"this SavedModel has no {self.default_signature!r} signature; "
                           f"use .signatures[key] with one of {sorted(self.signatures)}")
        out = sig(*args, **kwargs)
        return next(iter(out.values())) if len(out) == 1 else out

    def __repr__(self):
        return f"<LoadedModel {self.export_dir} signatures={sorted(self.signatures)}>"
