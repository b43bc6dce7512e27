"""Recurrent cells, one time step each -- ``RNNCell``, ``LSTMCell``, ``GRUCell``, as
in PyTorch -- and the step functions that ``nn.RNN``, ``nn.LSTM`` and ``nn.GRU``
(rnn.py) call once per time step.

A step is a handful of ordinary ops (matmul, sigmoid, tanh, relu, slicing), so its
gradient comes from the primitive registry. The weights are PyTorch's: one matrix
for the input side and one for the hidden side, each holding every gate's rows
stacked in PyTorch's order (LSTM: i, f, g, o; GRU: r, z, n), and two biases.

>>> import tinyflow as tf, tinyflow.nn as nn
>>> cell = nn.LSTMCell(3, 5)
>>> h, c = cell(tf.zeros(2, 3))
>>> h.shape, c.shape, cell.weight_ih.shape
(tinyflow.Size([2, 5]), tinyflow.Size([2, 5]), tinyflow.Size([20, 3]))
"""
import math

import numpy as np

from .. import ops
from ..base import dtypes
from ..base.device import check_device
from ..io.registry import register_module
from . import checks, init
from .module import Module
from .parameter import Parameter


# --- the steps ----------------------------------------------------------------------------
# gi is the input's share of every gate, x @ W_ih.T + b_ih, worked out beforehand (for a
# whole sequence at once in nn.RNN/LSTM/GRU); each step adds the hidden state's share.

def project(x, weight, bias):
    """x @ weight.T + bias (no bias when it is None)."""
    y = ops.matmul(x, weight, transpose_b=True)
    return y if bias is None else y + bias


def _block(a, k, n):
    """Columns k*n .. (k+1)*n of a (N, gates*n) array: gate k."""
    return a[:, k * n:(k + 1) * n]


def rnn_tanh_step(gi, h, w_hh, b_hh):
    """h' = tanh(gi + h @ W_hh.T + b_hh)"""
    return ops.tanh(gi + project(h, w_hh, b_hh))


def rnn_relu_step(gi, h, w_hh, b_hh):
    """h' = relu(gi + h @ W_hh.T + b_hh)"""
    return ops.relu(gi + project(h, w_hh, b_hh))


def lstm_step(gi, state, w_hh, b_hh):
    """(h, c) -> (h', c'), the gates i, f, g, o in that order:

        i, f, o = sigmoid(...), g = tanh(...)
        c' = f * c + i * g
        h' = o * tanh(c')
    """
    h, c = state
    n = h.shape[-1]
    a = gi + project(h, w_hh, b_hh)
    i, f, g, o = (_block(a, k, n) for k in range(4))
    c = ops.sigmoid(f) * c + ops.sigmoid(i) * ops.tanh(g)
    return ops.sigmoid(o) * ops.tanh(c), c


def gru_step(gi, h, w_hh, b_hh):
    """h -> h', the gates r, z, n in that order (PyTorch's GRU: r multiplies the hidden
    side of n *with* its bias):

        r = sigmoid(gi_r + W_hr h + b_hr)
        z = sigmoid(gi_z + W_hz h + b_hz)
        n = tanh(gi_n + r * (W_hn h + b_hn))
        h' = (1 - z) * n + z * h
    """
    n = h.shape[-1]
    gh = project(h, w_hh, b_hh)
    r = ops.sigmoid(_block(gi, 0, n) + _block(gh, 0, n))
    z = ops.sigmoid(_block(gi, 1, n) + _block(gh, 1, n))
    candidate = ops.tanh(_block(gi, 2, n) + r * _block(gh, 2, n))
    return (1 - z) * candidate + z * h


# --- checks shared with rnn.py --------------------------------------------------------------

def param_dtype(owner, device, dtype):
    """The parameters' numpy dtype (the default dtype unless ``dtype`` says otherwise);
    ``device`` must be the CPU."""
    check_device(owner, device)
    return np.dtype(dtypes.get_default_dtype() if dtype is None else dtype)


def uniform_init(module):
    """PyTorch's default for recurrent layers: every parameter from
    U(-1/sqrt(hidden_size), 1/sqrt(hidden_size)), drawn from tinyflow's generator."""
    bound = 1.0 / math.sqrt(module.hidden_size) if module.hidden_size > 0 else 0
    for p in module.parameters():
        init.uniform_(p, -bound, bound)


def zeros(shape, x):
    """The zero initial state, (N, hidden) or (layers, N, hidden), in x's dtype. In a
    traced graph whose batch size N is unknown (None), it is made from the input x
    (N, features) or (L, N, features), so it takes x's batch size when the graph runs."""
    if None not in shape:
        return np.zeros(shape, x.dtype)
    column = x[0, :, :1] if x.ndim == 3 else x[:, :1]                      # (N, 1)
    row = ops.zeros_like(column) + np.zeros(shape[-1], x.dtype)
    return row if len(shape) == 2 else ops.stack([row] * shape[0], 0)


def same_dtype(owner, what, t, weight):
    """PyTorch's matmul refuses mixed dtypes (RuntimeError); say which tensor it was."""
    if t.dtype != weight.dtype:
        raise RuntimeError(f"{owner}: {what} has dtype {t.dtype} but the weights are "
                           f"{weight.dtype} (mat1 and mat2 must have the same dtype): convert "
                           f"it with .to({weight.dtype}), or the module with .to({t.dtype})")


# --- the cells ------------------------------------------------------------------------------

class RNNCellBase(Module):
    """What the three cells share: the weights (``num_chunks`` gates: weight_ih has
    num_chunks * hidden_size rows), their initialisation, the checks.

    >>> import tinyflow.nn as nn
    >>> nn.RNNCellBase(3, 4, bias=True, num_chunks=2).weight_ih.shape
    tinyflow.Size([8, 3])
    """
    states = 1          # hidden tensors carried from step to step: h, or (h, c)

    def __init__(self, input_size, hidden_size, bias, num_chunks, device=None, dtype=None):
        super().__init__()
        owner = type(self).__name__
        self.input_size = checks.size(owner, "input_size", input_size)
        self.hidden_size = checks.size(owner, "hidden_size", hidden_size)
        self.bias = bias
        dt = param_dtype(owner, device, dtype)
        rows = num_chunks * self.hidden_size
        self.weight_ih = Parameter(np.empty((rows, self.input_size), dt))
        self.weight_hh = Parameter(np.empty((rows, self.hidden_size), dt))
        if bias:
            self.bias_ih = Parameter(np.empty(rows, dt))
            self.bias_hh = Parameter(np.empty(rows, dt))
        else:
            self.register_parameter("bias_ih", None)
            self.register_parameter("bias_hh", None)
        self.reset_parameters()

    def reset_parameters(self):
        uniform_init(self)

    def extra_repr(self):
        s = f"{self.input_size}, {self.hidden_size}"
        if self.bias is not True:
            s += f", bias={self.bias}"
        nonlinearity = getattr(self, "nonlinearity", "tanh")
        if nonlinearity != "tanh":
            s += f", nonlinearity={nonlinearity}"
        return s

    def _inputs(self, input, hx):
        """(x, [hidden tensors], batched): x as (N, input_size) and the hidden state
        as (N, hidden_size) tensors (zeros when hx is None), checked as PyTorch does."""
        owner = type(self).__name__
        x = checks.tensor(owner, "input", input)
        if x.ndim not in (1, 2):
            raise ValueError(f"{owner}: Expected input to be 1D or 2D, got {x.ndim}D instead")
        if hx is None:
            hs = None
        elif self.states == 1:
            hs = [checks.tensor(owner, "hx", hx)]
            if hs[0].ndim not in (1, 2):
                raise ValueError(f"{owner}: Expected hidden to be 1D or 2D, got {hs[0].ndim}D "
                                 f"instead")
        else:
            hs = state_pair(owner, hx)
            for k, h in enumerate(hs):
                if h.ndim not in (1, 2):
                    raise ValueError(f"{owner}: Expected hx[{k}] to be 1D or 2D, got "
                                     f"{h.ndim}D instead")
        batched = x.ndim == 2
        if not batched:
            x = ops.expand_dims(x, 0)
        same_dtype(owner, "the input", x, self.weight_ih)
        if x.shape[1] != self.input_size:
            raise RuntimeError(f"{owner}: input has inconsistent input_size: got {x.shape[1]} "
                               f"expected {self.input_size}")
        if hs is None:
            return x, [zeros((x.shape[0], self.hidden_size), x)] * self.states, batched
        for k, h in enumerate(hs):
            hs[k] = self._check_hidden(owner, k, h, x, batched)
        return x, hs, batched

    def _check_hidden(self, owner, k, h, x, batched):
        if (h.ndim == 2) != batched:
            raise RuntimeError(f"{owner}: hidden{k} has {h.ndim} dimensions but the input has "
                               f"{x.ndim if batched else 1}: a batched (N, {self.input_size}) "
                               f"input takes an (N, {self.hidden_size}) hidden state, an "
                               f"unbatched ({self.input_size},) one a ({self.hidden_size},)")
        if not batched:
            h = ops.expand_dims(h, 0)
        if h.shape[0] != x.shape[0]:
            raise RuntimeError(f"{owner}: Input batch size {x.shape[0]} doesn't match hidden{k} "
                               f"batch size {h.shape[0]}")
        if h.shape[1] != self.hidden_size:
            raise RuntimeError(f"{owner}: hidden{k} has inconsistent hidden_size: got "
                               f"{h.shape[1]}, expected {self.hidden_size}")
        same_dtype(owner, f"hidden{k}", h, self.weight_hh)
        return h


def state_pair(owner, hx):
    """LSTM's (h, c): a tuple or list of exactly two tensors (PyTorch: RuntimeError)."""
    if not isinstance(hx, (tuple, list)) or len(hx) != 2:
        what = f"a {type(hx).__name__} of {len(hx)}" if isinstance(hx, (tuple, list)) else \
            f"a {type(hx).__name__}"
        raise RuntimeError(f"{owner}: lstm expects two hidden states, a tuple (h, c), got {what}")
    return [checks.tensor(owner, f"hx[{k}]", h) for k, h in enumerate(hx)]


@register_module
class RNNCell(RNNCellBase):
    """One step of an Elman RNN: h' = tanh(x @ W_ih.T + b_ih + h @ W_hh.T + b_hh)
    (``nonlinearity='relu'``: relu). Input (N, input_size) or unbatched (input_size,);
    ``hx`` (the same batch, hidden_size) or None for zeros. Returns h'.

    >>> import tinyflow as tf, tinyflow.nn as nn
    >>> cell = nn.RNNCell(3, 4, nonlinearity="relu")
    >>> cell, cell(tf.ones(3)).shape
    (RNNCell(3, 4, nonlinearity=relu), tinyflow.Size([4]))
    """

    def __init__(self, input_size, hidden_size, bias=True, nonlinearity="tanh", device=None,
                 dtype=None):
        super().__init__(input_size, hidden_size, bias, 1, device, dtype)
        self.nonlinearity = nonlinearity

    def forward(self, input, hx=None):
        x, (h,), batched = self._inputs(input, hx)
        steps = {"tanh": rnn_tanh_step, "relu": rnn_relu_step}
        if self.nonlinearity not in steps:
            raise RuntimeError(f"RNNCell: Unknown nonlinearity: {self.nonlinearity} (expected "
                               f"'tanh' or 'relu')")
        h = steps[self.nonlinearity](project(x, self.weight_ih, self.bias_ih), h,
                                     self.weight_hh, self.bias_hh)
        return h if batched else ops.squeeze(h, 0)


@register_module
class LSTMCell(RNNCellBase):
    """One LSTM step. Input (N, input_size) or unbatched (input_size,); ``hx`` a tuple
    (h, c), or None for zeros. Returns (h', c'); the gates are i, f, g, o:

        i, f, o = sigmoid(x W_i* + b_i* + h W_h* + b_h*),  g = tanh(...)
        c' = f * c + i * g,   h' = o * tanh(c')

    >>> import tinyflow as tf, tinyflow.nn as nn
    >>> h, c = nn.LSTMCell(3, 4)(tf.ones(2, 3))
    >>> h.shape
    tinyflow.Size([2, 4])
    """
    states = 2

    def __init__(self, input_size, hidden_size, bias=True, device=None, dtype=None):
        super().__init__(input_size, hidden_size, bias, 4, device, dtype)

    def forward(self, input, hx=None):
        x, state, batched = self._inputs(input, hx)
        h, c = lstm_step(project(x, self.weight_ih, self.bias_ih), state, self.weight_hh,
                         self.bias_hh)
        return (h, c) if batched else (ops.squeeze(h, 0), ops.squeeze(c, 0))


@register_module
class GRUCell(RNNCellBase):
    """One GRU step, PyTorch's formula (r, z, n in that order):

        r = sigmoid(W_ir x + b_ir + W_hr h + b_hr)
        z = sigmoid(W_iz x + b_iz + W_hz h + b_hz)
        n = tanh(W_in x + b_in + r * (W_hn h + b_hn))
        h' = (1 - z) * n + z * h

    >>> import tinyflow as tf, tinyflow.nn as nn
    >>> cell = nn.GRUCell(3, 4, bias=False)
    >>> cell, [name for name, _ in cell.named_parameters()]
    (GRUCell(3, 4, bias=False), ['weight_ih', 'weight_hh'])
    """

    def __init__(self, input_size, hidden_size, bias=True, device=None, dtype=None):
        super().__init__(input_size, hidden_size, bias, 3, device, dtype)

    def forward(self, input, hx=None):
        x, (h,), batched = self._inputs(input, hx)
        h = gru_step(project(x, self.weight_ih, self.bias_ih), h, self.weight_hh, self.bias_hh)
        return h if batched else ops.squeeze(h, 0)
