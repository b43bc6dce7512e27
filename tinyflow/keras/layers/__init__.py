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
from .conv1d import (Conv1D, Convolution1D, MaxPooling1D, AveragePooling1D, MaxPool1D,
                     AvgPool1D, GlobalAveragePooling1D, GlobalMaxPooling1D, GlobalAvgPool1D,
                     GlobalMaxPool1D)
from .conv_transpose import Conv2DTranspose, Convolution2DTranspose
from .reshaping import UpSampling2D, ZeroPadding2D, Cropping2D, RepeatVector, Permute
from .activation import ReLU, LeakyReLU, ELU, Softmax, PReLU, Rescaling

from .recurrent import SimpleRNN, LSTM, GRU
from .wrappers import Bidirectional

Convolution2D = Conv2D

__all__ = ["Layer", "InputSpec", "Input", "InputLayer", "Dense", "Activation", "Dropout",
           "Flatten", "Reshape", "Lambda", "Conv2D", "Convolution2D", "MaxPooling2D",
           "AveragePooling2D", "GlobalAveragePooling2D", "GlobalMaxPooling2D", "MaxPool2D",
           "AvgPool2D", "GlobalAvgPool2D", "GlobalMaxPool2D", "BatchNormalization",
           "LayerNormalization", "Embedding", "Concatenate", "Add", "Subtract", "Multiply",
           "Average",
           "Conv1D", "Convolution1D", "MaxPooling1D", "AveragePooling1D", "MaxPool1D",
           "AvgPool1D", "GlobalAveragePooling1D", "GlobalMaxPooling1D", "GlobalAvgPool1D",
           "GlobalMaxPool1D",
           "Conv2DTranspose", "Convolution2DTranspose", "UpSampling2D", "ZeroPadding2D",
           "Cropping2D", "RepeatVector", "Permute", "ReLU", "LeakyReLU", "ELU", "Softmax",
           "PReLU", "Rescaling",
           "SimpleRNN", "LSTM", "GRU", "Bidirectional"]
