"""``keras.layers``: the layers, each built from tinyflow's ops.

>>> from tinyflow import keras
>>> keras.backend.clear_session()          # start the name counters again
>>> keras.layers.Dense(4).name, keras.layers.Dense(4).name
('dense', 'dense_1')
"""
from .base import Layer
from .input_spec import InputSpec
from .input_layer import Input, InputLayer
from .core import Dense, Activation, Dropout, Flatten, Reshape, Lambda
from .conv import Conv2D
from .pooling import (MaxPooling2D, AveragePooling2D, GlobalAveragePooling2D,
                      GlobalMaxPooling2D, MaxPool2D, AvgPool2D, GlobalAvgPool2D, GlobalMaxPool2D)
from .normalization import BatchNormalization, LayerNormalization
from .embedding import Embedding
from .merging import Concatenate, Add, Subtract, Multiply, Average

Convolution2D = Conv2D

__all__ = ["Layer", "InputSpec", "Input", "InputLayer", "Dense", "Activation", "Dropout",
           "Flatten", "Reshape", "Lambda", "Conv2D", "Convolution2D", "MaxPooling2D",
           "AveragePooling2D", "GlobalAveragePooling2D", "GlobalMaxPooling2D", "MaxPool2D",
           "AvgPool2D", "GlobalAvgPool2D", "GlobalMaxPool2D", "BatchNormalization",
           "LayerNormalization", "Embedding", "Concatenate", "Add", "Subtract", "Multiply",
           "Average"]
