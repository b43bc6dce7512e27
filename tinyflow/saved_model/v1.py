"""``tf.saved_model`` as TensorFlow 1 spells it (``tinyflow.compat.v1.saved_model``):
``builder.SavedModelBuilder``, ``loader.load``, ``tag_constants``,
``signature_constants``, ``signature_def_utils``, ``utils``, ``simple_save``.
"""
import types

from ..io import saved_model_names as _c, signature as _s
from . import builder as _b
from .api import contains_saved_model

builder = types.SimpleNamespace(SavedModelBuilder=_b.SavedModelBuilder)
loader = types.SimpleNamespace(load=_b.load, maybe_saved_model_directory=contains_saved_model)
tag_constants = types.SimpleNamespace(SERVING=_c.SERVING, TRAINING=_c.TRAINING, GPU=_c.GPU,
                                      TPU=_c.TPU)
signature_constants = types.SimpleNamespace(
    DEFAULT_SERVING_SIGNATURE_DEF_KEY=_c.DEFAULT_SERVING_SIGNATURE_DEF_KEY,
    PREDICT_METHOD_NAME=_c.PREDICT_METHOD_NAME, CLASSIFY_METHOD_NAME=_c.CLASSIFY_METHOD_NAME,
    REGRESS_METHOD_NAME=_c.REGRESS_METHOD_NAME, PREDICT_INPUTS=_c.PREDICT_INPUTS,
    PREDICT_OUTPUTS=_c.PREDICT_OUTPUTS)
signature_def_utils = types.SimpleNamespace(build_signature_def=_s.build_signature_def,
                                            predict_signature_def=_s.predict_signature_def)
utils = types.SimpleNamespace(build_tensor_info=_s.build_tensor_info,
                              get_tensor_from_tensor_info=_s.get_tensor_from_tensor_info)

Builder = SavedModelBuilder = _b.SavedModelBuilder
load = _b.load
simple_save = _b.simple_save
build_tensor_info = _s.build_tensor_info
build_signature_def = _s.build_signature_def
predict_signature_def = _s.predict_signature_def
SERVING, TRAINING = _c.SERVING, _c.TRAINING
DEFAULT_SERVING_SIGNATURE_DEF_KEY = _c.DEFAULT_SERVING_SIGNATURE_DEF_KEY
PREDICT_METHOD_NAME = _c.PREDICT_METHOD_NAME
