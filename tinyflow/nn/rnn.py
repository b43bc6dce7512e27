"""Recurrent layers over whole sequences, as in PyTorch: ``nn.RNN``, ``nn.LSTM`` and
``nn.GRU`` -- stacked (``num_layers``), optionally ``bidirectional``, with dropout
between layers while training.

An input is (L, N, input_size) -- time first -- or (N, L, input_size) with
``batch_first=True``, or unbatched (L, input_size). Each layer projects the whole
sequence onto its gates with one matmul, then walks the time steps in a Python
loop, calling the step of rnn_cells.py (the reverse direction walks from the last
step to the first). Everything is tinyflow's ops, so backward is the registry's.
A ``PackedSequence`` (nn.utils.rnn) runs the same loop with a mask per time step
(rnn_packed.py).

The parameters are PyTorch's, by name, shape and order (``weight_ih_l0``,
``weight_hh_l0``, ``bias_ih_l0``, ``bias_hh_l0``, then ``..._l0_reverse``, then layer
1...), so a state_dict saved by PyTorch (its tensors converted to arrays) loads.

>>> import tinyflow as tf, tinyflow.nn as nn
>>> lstm = nn.LSTM(10, 20, num_layers=2)
>>> output, (h_n, c_n) = lstm(tf.zeros(5, 3, 10))
>>> output.shape, h_n.shape, c_n.shape
(tinyflow.Size([5, 3, 20]), tinyflow.Size([2, 3, 20]), tinyflow.Size([2, 3, 20]))
"""
import numbers
import warnings

import numpy as np

from .. import ops
from ..io.registry import register_module
from . import checks, functional as F
from .module import Module
from .parameter import Parameter
from .rnn_cells import (gru_step, lstm_step, param_dtype, project, rnn_relu_step,
                        rnn_tanh_step, same_dtype, state_pair, uniform_init, zeros)
from .rnn_packed import keep, padded, repack, sort_states
from .utils.rnn import PackedSequence

GATES = {"RNN_TANH": 1, "RNN_RELU": 1, "LSTM": 4, "GRU": 3}
STEPS = {"RNN_TANH": rnn_tanh_step, "RNN_RELU": rnn_relu_step, "LSTM": lstm_step,
         "GRU": gru_step}


class RNNBase(Module):
    """What RNN, LSTM and GRU share: the checks of PyTorch's constructor, the weights,
    and the loop over layers, directions and time steps. ``mode`` is 'RNN_TANH',
    'RNN_RELU', 'LSTM' or 'GRU'.

    A ``PackedSequence`` input (nn.utils.rnn) gives a ``PackedSequence`` output, and
    h_n holds each sequence's state at its own last step (rnn_packed.py). Not
    supported (NotImplementedError): ``proj_size > 0`` (LSTM with projections).

    >>> import tinyflow.nn as nn
    >>> gru = nn.RNNBase("GRU", 3, 4, bidirectional=True)
    >>> gru.mode, gru.all_weights[1][0].shape
    ('GRU', tinyflow.Size([12, 3]))
    """

    def __init__(self, mode, input_size, hidden_size, num_layers=1, bias=True,
                 batch_first=False, dropout=0.0, bidirectional=False, proj_size=0,
                 device=None, dtype=None):
        super().__init__()
        owner = type(self).__name__
        _check_arguments(owner, mode, input_size, hidden_size, num_layers, bias, batch_first,
                         dropout, proj_size)
        self.mode = mode
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        self.bias = bias
        self.batch_first = batch_first
        self.dropout = float(dropout)
        self.bidirectional = bidirectional
        self.proj_size = proj_size
        dt = param_dtype(owner, device, dtype)
        gates = GATES[mode] * hidden_size
        directions = 2 if bidirectional else 1
        self._flat_weights_names = []
        self._all_weights = []
        for layer in range(num_layers):
            n_in = input_size if layer == 0 else hidden_size * directions
            for direction in range(directions):
                suffix = f"l{layer}" + ("_reverse" if direction else "")
                shapes = {"weight_ih": (gates, n_in), "weight_hh": (gates, hidden_size)}
                if bias:
                    shapes.update(bias_ih=(gates,), bias_hh=(gates,))
                names = [f"{kind}_{suffix}" for kind in shapes]
                for name, shape in zip(names, shapes.values()):
                    setattr(self, name, Parameter(np.empty(shape, dt)))
                self._flat_weights_names.extend(names)
                self._all_weights.append(names)
        self.reset_parameters()

    def reset_parameters(self):
        """Every parameter from U(-1/sqrt(hidden_size), 1/sqrt(hidden_size)), PyTorch's
        default, drawn from tinyflow's generator."""
        uniform_init(self)

    def flatten_parameters(self):
        """A no-op, as in PyTorch on the CPU (cuDNN packs its weights here)."""

    @property
    def all_weights(self):
        """The parameters as a list per layer and direction: [[w_ih, w_hh, b_ih, b_hh], ...]."""
        return [[getattr(self, name) for name in names] for names in self._all_weights]

    def extra_repr(self):
        s = f"{self.input_size}, {self.hidden_size}"
        if self.num_layers != 1:
            s += f", num_layers={self.num_layers}"
        if self.bias is not True:
            s += f", bias={self.bias}"
        if self.batch_first is not False:
            s += f", batch_first={self.batch_first}"
        if self.dropout != 0:
            s += f", dropout={self.dropout}"
        if self.bidirectional is not False:
            s += f", bidirectional={self.bidirectional}"
        return s

    # --- running -----------------------------------------------------------------------

    def forward(self, input, hx=None):
        x, states, batched, masks = self._inputs(input, hx)
        directions = 2 if self.bidirectional else 1
        step, lstm = STEPS[self.mode], self.mode == "LSTM"
        finals = []
        for layer in range(self.num_layers):
            outputs = []
            for direction in range(directions):
                k = layer * directions + direction
                w_ih, w_hh, b_ih, b_hh = self._weights(layer, direction)
                gis = time_steps(project(x, w_ih, b_ih))   # all steps projected at once
                state = tuple(s[k] for s in states) if lstm else states[0][k]
                times = range(len(gis)) if direction == 0 else range(len(gis) - 1, -1, -1)
                hs = [None] * len(gis)
                for t in times:
                    new = step(gis[t], state, w_hh, b_hh)
                    state = new if masks is None else keep(masks[t], new, state)
                    hs[t] = state[0] if lstm else state
                outputs.append(ops.stack(hs, 0))
                finals.append(state)
            x = outputs[0] if directions == 1 else ops.concat(outputs, 2)
            if self.dropout and self.training and layer < self.num_layers - 1:
                x = F.dropout(x, self.dropout, True)
        if lstm:
            hidden = tuple(ops.stack([f[i] for f in finals], 0) for i in range(2))
        else:
            hidden = ops.stack(finals, 0)
        if masks is not None:
            return repack(x, hidden, input)
        if self.batch_first:
            x = ops.transpose(x, (1, 0, 2))
        if not batched:
            x = ops.squeeze(x, 0 if self.batch_first else 1)
            hidden = tuple(ops.squeeze(h, 1) for h in hidden) if lstm else ops.squeeze(hidden, 1)
        return x, hidden

    def _weights(self, layer, direction):
        suffix = f"l{layer}" + ("_reverse" if direction else "")
        w_ih, w_hh = getattr(self, f"weight_ih_{suffix}"), getattr(self, f"weight_hh_{suffix}")
        if not self.bias:
            return w_ih, w_hh, None, None
        return w_ih, w_hh, getattr(self, f"bias_ih_{suffix}"), getattr(self, f"bias_hh_{suffix}")

    def _inputs(self, input, hx):
        """(x as (L, N, input_size), [initial states, each (layers*directions, N, hidden)],
        batched, masks), checked in PyTorch's order with PyTorch's error types. masks is
        None, or for a PackedSequence input the steps within each sequence
        (rnn_packed.py): x is then the padded batch in sorted order, and so are the
        states."""
        owner = type(self).__name__
        masks = None
        if isinstance(input, PackedSequence):
            x, masks = padded(owner, input)
        else:
            x = checks.tensor(owner, "input", input)
        if x.ndim not in (2, 3):
            tensor = " tensor" if owner == "RNN" else ""
            raise ValueError(f"{owner}: Expected input to be 2D or 3D, got {x.ndim}D{tensor} "
                             f"instead")
        batched = x.ndim == 3
        states = None if hx is None else self._given_states(owner, hx, batched)
        if not batched:
            x = ops.expand_dims(x, 0 if self.batch_first else 1)
        weight = getattr(self, self._flat_weights_names[0])
        if x.dtype != weight.dtype:
            raise ValueError(f"{owner}: RNN input dtype ({x.dtype}) does not match weight dtype "
                             f"({weight.dtype}). Convert input: input.to({weight.dtype}), or "
                             f"convert model: model.to({x.dtype})")
        if x.shape[-1] != self.input_size:
            raise RuntimeError(f"{owner}: input.size(-1) must be equal to input_size. Expected "
                               f"{self.input_size}, got {x.shape[-1]}")
        if self.batch_first and masks is None:
            x = ops.transpose(x, (1, 0, 2))
        if x.shape[0] is None:
            raise ValueError(f"{owner}: the sequence length must be known to unroll the time "
                             f"steps, got an input of shape {tuple(x.shape)} (time first): trace "
                             f"with a fixed shape (dynamic_batch=False) or use batch_first=True")
        lstm = self.mode == "LSTM"
        want = (self.num_layers * (2 if self.bidirectional else 1), x.shape[1], self.hidden_size)
        if states is None:
            states = [zeros(want, x)] * (2 if lstm else 1)
        for k, s in enumerate(states):
            if tuple(s.shape) != want:
                which = f"hidden[{k}]" if lstm else "hidden"
                raise RuntimeError(f"{owner}: Expected {which} size {want}, got "
                                   f"{list(s.shape)}")
            same_dtype(owner, ("hx", "cx")[k], s, weight)
        if x.shape[0] == 0:
            raise RuntimeError(f"{owner}: Expected sequence length to be larger than 0 in RNN")
        if masks is not None and hx is not None:
            states = sort_states(states, input)
        return x, states, batched, masks

    def _given_states(self, owner, hx, batched):
        """The user's h_0 (and c_0) as a list of 3-D tensors, their dimensions checked."""
        lstm = self.mode == "LSTM"
        states = state_pair(owner, hx) if lstm else [_one_state(owner, hx)]
        want = 3 if batched else 2
        if any(s.ndim != want for s in states):
            dims = ", ".join(f"{s.ndim}-D" for s in states)
            which, got = ("hx and cx", f"({dims}) tensors") if lstm else ("hx", f"{dims} tensor")
            kind = "batched 3-D" if batched else "unbatched 2-D"
            raise RuntimeError(f"{owner}: For {kind} input, {which} should also be {want}-D but "
                               f"got {got}")
        return states if batched else [ops.expand_dims(s, 1) for s in states]


def time_steps(x):
    """[x[0], x[1], ..., x[L-1]], cut by halves.

    The gradient of one slice x[t] is an array shaped like all of x (zeros but
    row t), so cutting the L steps out one by one would cost L full-size arrays
    in backward: O(L^2). Halving first (x[:L//2], x[L//2:], then each half...)
    costs one full size per level, O(L log L), with the same values and gradients.
    """
    n = x.shape[0]
    if n <= 4:
        return [x[t] for t in range(n)]
    return time_steps(x[:n // 2]) + time_steps(x[n // 2:])


def _one_state(owner, hx):
    """RNN's and GRU's hx: one tensor (only LSTM takes a tuple)."""
    if isinstance(hx, (tuple, list)):
        raise TypeError(f"{owner}: hx must be one tensor h_0 (num_layers * num_directions, "
                        f"N, hidden_size), got a {type(hx).__name__}; only LSTM takes a tuple "
                        f"(h_0, c_0)")
    return checks.tensor(owner, "hx", hx)


def _check_arguments(owner, mode, input_size, hidden_size, num_layers, bias, batch_first,
                     dropout, proj_size):
    """PyTorch's constructor checks, in its order, with its error types and messages."""
    if isinstance(dropout, str):
        raise ValueError(f"{owner}: dropout must be a number, got the string {dropout!r}")
    if not isinstance(dropout, numbers.Real):
        raise TypeError(f"{owner}: dropout must be a number in [0, 1], got "
                        f"{type(dropout).__name__} {dropout!r}")
    if isinstance(dropout, bool) or not 0 <= dropout <= 1:
        raise ValueError(f"{owner}: dropout should be a number in range [0, 1] representing the "
                         f"probability of an element being zeroed, got {dropout!r}")
    if dropout > 0 and num_layers == 1:
        warnings.warn(f"dropout option adds dropout after all but last recurrent layer, so "
                      f"non-zero dropout expects num_layers greater than 1, but got "
                      f"dropout={dropout} and num_layers={num_layers}", UserWarning, stacklevel=4)
    for name, value in (("bias", bias), ("batch_first", batch_first)):
        if not isinstance(value, bool):
            raise TypeError(f"{owner}: {name} should be of type bool, got: "
                            f"{type(value).__name__}")
    for name, value in (("input_size", input_size), ("hidden_size", hidden_size)):
        if not isinstance(value, int):
            raise TypeError(f"{owner}: {name} should be of type int, got: "
                            f"{type(value).__name__}")
        if value <= 0:
            raise ValueError(f"{owner}: {name} must be greater than zero, got {value}")
    if not isinstance(num_layers, int):
        raise TypeError(f"{owner}: num_layers should be of type int, got: "
                        f"{type(num_layers).__name__}")
    if num_layers <= 0:
        raise ValueError(f"{owner}: num_layers must be greater than zero, got {num_layers}")
    if proj_size < 0:
        raise ValueError(f"{owner}: proj_size should be a positive integer or zero to disable "
                         f"projections, got {proj_size}")
    if proj_size >= hidden_size:
        raise ValueError(f"{owner}: proj_size has to be smaller than hidden_size, got "
                         f"proj_size={proj_size} and hidden_size={hidden_size}")
    if proj_size:
        raise NotImplementedError(f"{owner}: proj_size={proj_size} (LSTM with projections) is "
                                  f"not supported by tinyflow; use proj_size=0")
    if mode not in GATES:
        raise ValueError(f"Unrecognized RNN mode: {mode} (expected one of {', '.join(GATES)})")


def _no_proj_size(owner, kwargs):
    """RNN and GRU take no proj_size (PyTorch: ValueError); nothing else unknown either."""
    if "proj_size" in kwargs:
        raise ValueError(f"{owner}: proj_size argument is only supported for LSTM, not RNN or "
                         f"GRU")
    if kwargs:
        raise TypeError(f"{owner}.__init__() got an unexpected keyword argument "
                        f"'{next(iter(kwargs))}'")


@register_module
class RNN(RNNBase):
    """An Elman RNN, h_t = tanh(x_t W_ih^T + b_ih + h_(t-1) W_hh^T + b_hh) (``relu`` with
    ``nonlinearity='relu'``), stacked ``num_layers`` deep. Returns (output, h_n):
    output (L, N, D * hidden_size) holds the last layer's h_t for every t (D = 2 when
    bidirectional: forward and reverse side by side), h_n (D * num_layers, N,
    hidden_size) the last h of every layer and direction. A ``PackedSequence`` input
    gives a ``PackedSequence`` output; h_n then holds each sequence's own last state.

    >>> import tinyflow as tf, tinyflow.nn as nn
    >>> rnn = nn.RNN(4, 6, batch_first=True, bidirectional=True)
    >>> rnn
    RNN(4, 6, batch_first=True, bidirectional=True)
    >>> output, h_n = rnn(tf.zeros(2, 5, 4))
    >>> output.shape, h_n.shape
    (tinyflow.Size([2, 5, 12]), tinyflow.Size([2, 2, 6]))
    """

    def __init__(self, input_size, hidden_size, num_layers=1, nonlinearity="tanh", bias=True,
                 batch_first=False, dropout=0.0, bidirectional=False, device=None, dtype=None,
                 **kwargs):
        _no_proj_size("RNN", kwargs)
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError(f"RNN: Unknown nonlinearity '{nonlinearity}'. Select from 'tanh' "
                             f"or 'relu'.")
        self.nonlinearity = nonlinearity
        super().__init__("RNN_TANH" if nonlinearity == "tanh" else "RNN_RELU", input_size,
                         hidden_size, num_layers, bias, batch_first, dropout, bidirectional, 0,
                         device, dtype)


@register_module
class LSTM(RNNBase):
    """A long short-term memory layer, stacked ``num_layers`` deep; each step is
    ``LSTMCell``'s (gates i, f, g, o). ``hx`` is a tuple (h_0, c_0) or None for zeros.
    Returns (output, (h_n, c_n)), shaped as ``nn.RNN``'s output and h_n.

    Takes a ``PackedSequence`` too. Not supported (NotImplementedError): ``proj_size > 0``.

    >>> import tinyflow as tf, tinyflow.nn as nn
    >>> lstm = nn.LSTM(3, 4, bidirectional=True)
    >>> output, (h_n, c_n) = lstm(tf.zeros(7, 3))       # unbatched: (L, input_size)
    >>> output.shape, h_n.shape
    (tinyflow.Size([7, 8]), tinyflow.Size([2, 4]))
    >>> list(lstm.state_dict())[:4]
    ['weight_ih_l0', 'weight_hh_l0', 'bias_ih_l0', 'bias_hh_l0']
    """

    def __init__(self, input_size, hidden_size, num_layers=1, bias=True, batch_first=False,
                 dropout=0.0, bidirectional=False, proj_size=0, device=None, dtype=None):
        super().__init__("LSTM", input_size, hidden_size, num_layers, bias, batch_first,
                         dropout, bidirectional, proj_size, device, dtype)


@register_module
class GRU(RNNBase):
    """A gated recurrent unit layer, stacked ``num_layers`` deep; each step is
    ``GRUCell``'s (gates r, z, n; r multiplies W_hn h + b_hn). Returns (output, h_n),
    shaped as ``nn.RNN``'s; a ``PackedSequence`` input gives a ``PackedSequence`` output.

    >>> import tinyflow as tf, tinyflow.nn as nn
    >>> gru = nn.GRU(3, 4, num_layers=2, dropout=0.25)
    >>> output, h_n = gru(tf.zeros(6, 2, 3), tf.zeros(2, 2, 4))
    >>> gru, output.shape, h_n.shape
    (GRU(3, 4, num_layers=2, dropout=0.25), tinyflow.Size([6, 2, 4]), tinyflow.Size([2, 2, 4]))
    """

    def __init__(self, input_size, hidden_size, num_layers=1, bias=True, batch_first=False,
                 dropout=0.0, bidirectional=False, device=None, dtype=None, **kwargs):
        _no_proj_size("GRU", kwargs)
        super().__init__("GRU", input_size, hidden_size, num_layers, bias, batch_first,
                         dropout, bidirectional, 0, device, dtype)
