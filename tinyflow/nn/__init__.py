"""Neural-network building blocks, with PyTorch's names and behaviour: Modules,
Parameters, layers, losses, ``init`` and ``functional``.

>>> import tinyflow as tf
>>> import tinyflow.nn as nn
>>> model = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 10))
>>> loss = nn.CrossEntropyLoss()(model(tf.zeros(8, 64)), tf.zeros(8, dtype=tf.int64))
>>> loss.backward()
>>> model[0].weight.grad.shape, model[0].weight.name
(tinyflow.Size([128, 64]), '0.weight')
"""
from .parameter import Parameter
from ..io.registry import register_module, registered_module, registered_name
from .module import Module
from .container import Sequential, ModuleList
from .linear import Identity, Linear, Flatten
from .conv import Conv2d
from .pooling import MaxPool2d, AvgPool2d, AdaptiveAvgPool2d
from .pool1d import MaxPool1d, AvgPool1d, AdaptiveAvgPool1d
from .activation import ReLU, LeakyReLU, ELU, GELU, Tanh, Sigmoid, Softmax, LogSoftmax
from .dropout import Dropout, Dropout2d
from .batchnorm import BatchNorm1d, BatchNorm2d
from .embedding import Embedding
from .conv import Conv1d
from .conv_transpose import ConvTranspose1d, ConvTranspose2d
from .upsampling import Upsample, UpsamplingNearest2d, UpsamplingBilinear2d
from .activation import SiLU, Mish, Hardtanh, ReLU6, Softplus, Softmax2d
from .container import ModuleDict
from .parameter_containers import ParameterList, ParameterDict
from .linear import Unflatten
from .normalization import LayerNorm, GroupNorm, RMSNorm
from .attention import MultiheadAttention
from .transformer import (Transformer, TransformerEncoder, TransformerDecoder,
                          TransformerEncoderLayer, TransformerDecoderLayer)
from .rnn import RNNBase, RNN, LSTM, GRU
from .rnn_cells import RNNCellBase, RNNCell, LSTMCell, GRUCell
from .loss import (MSELoss, L1Loss, SmoothL1Loss, HuberLoss, CrossEntropyLoss, NLLLoss,
                   KLDivLoss, BCELoss, BCEWithLogitsLoss)
from .summary import summary
from . import functional, init, utils

__all__ = ["Parameter", "Module", "register_module", "Sequential", "ModuleList", "Identity",
           "Linear", "Flatten", "Conv2d", "MaxPool2d", "AvgPool2d", "AdaptiveAvgPool2d", "ReLU",
           "LeakyReLU", "ELU", "GELU", "Tanh", "Sigmoid", "Softmax", "LogSoftmax", "Dropout",
           "Dropout2d", "BatchNorm1d", "BatchNorm2d", "Embedding", "MSELoss", "L1Loss",
           "SmoothL1Loss", "HuberLoss", "CrossEntropyLoss", "NLLLoss", "KLDivLoss", "BCELoss",
           "BCEWithLogitsLoss", "summary", "functional", "init", "utils"]
__all__ += ["Conv1d", "ConvTranspose1d", "ConvTranspose2d", "Upsample", "UpsamplingNearest2d",
            "UpsamplingBilinear2d", "SiLU", "Mish", "Hardtanh", "ReLU6", "Softplus", "Softmax2d",
            "ModuleDict", "ParameterList", "ParameterDict", "Unflatten"]
__all__ += ["RNNBase", "RNN", "LSTM", "GRU", "RNNCellBase", "RNNCell", "LSTMCell", "GRUCell"]
__all__ += ["MaxPool1d", "AvgPool1d", "AdaptiveAvgPool1d"]
__all__ += ["LayerNorm", "GroupNorm", "RMSNorm", "MultiheadAttention", "Transformer",
            "TransformerEncoder", "TransformerDecoder", "TransformerEncoderLayer",
            "TransformerDecoderLayer"]
