"""SavedModel-style bundles: a model as data files (JSON and npz, never pickle)
that another process loads and serves without the code that built it.

>>> import os, tempfile, numpy as np, tinyflow as tf, tinyflow.nn as nn
>>> _ = tf.manual_seed(0)
>>> d = os.path.join(tempfile.mkdtemp(), "mlp")
>>> tf.saved_model.save(tf.jit.trace(nn.Linear(3, 2), tf.zeros(4, 3)), d, outputs=["y"])
>>> tf.saved_model.load(d).signatures["serving_default"](x=np.ones((2, 3), np.float32))["y"].shape
(2, 2)

TensorFlow 1's spelling -- ``SavedModelBuilder``, ``loader.load``,
``simple_save`` -- is in ``tinyflow.compat.v1.saved_model`` (see v1.py).
"""
from .api import save, load, contains_saved_model, LoadedModel, Signature
from ..io.bundle import FORMAT, TagsNotFoundError
from .builder import SavedModelBuilder, simple_save, MetaGraphDef
from ..io.signature import (TensorInfo, SignatureDef, build_tensor_info, build_signature_def,
                            predict_signature_def)
from ..io.saved_model_names import SERVING, TRAINING, DEFAULT_SERVING_SIGNATURE_DEF_KEY
from . import v1

__all__ = ["save", "load", "contains_saved_model", "LoadedModel", "Signature",
           "SavedModelBuilder", "simple_save", "MetaGraphDef", "TensorInfo", "SignatureDef",
           "build_tensor_info", "build_signature_def", "predict_signature_def", "SERVING",
           "TRAINING", "DEFAULT_SERVING_SIGNATURE_DEF_KEY", "FORMAT", "TagsNotFoundError", "v1"]
