"""The names TensorFlow's SavedModel uses for tags and signatures.

>>> SERVING, DEFAULT_SERVING_SIGNATURE_DEF_KEY
('serve', 'serving_default')
"""
# tags: which use a meta graph is for
SERVING = "serve"
TRAINING = "train"
GPU = "gpu"
TPU = "tpu"

# signatures
DEFAULT_SERVING_SIGNATURE_DEF_KEY = "serving_default"
PREDICT_METHOD_NAME = "tensorflow/serving/predict"
CLASSIFY_METHOD_NAME = "tensorflow/serving/classify"
REGRESS_METHOD_NAME = "tensorflow/serving/regress"
PREDICT_INPUTS = "inputs"
PREDICT_OUTPUTS = "outputs"
