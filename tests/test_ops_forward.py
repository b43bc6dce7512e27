"""Every primitive's forward against numpy, through the public spellings
(functions and methods), with broadcasting; operators and their reflected forms.

``test_every_primitive_has_a_forward_case`` fails when a primitive is
registered that no case here runs.
"""
import importlib
import pkgutil

import numpy as np
import pytest

from _models import conv2d_reference

import tinyflow as tf
from tinyflow.ops.fill import Fill, Range
import tinyflow.ops
from tinyflow import ops as F
from tinyflow.base.config import Config
from tinyflow.ops import indexing as S, reduce as R
from tinyflow.ops.fast import use_fast_forwards

# Import every module of tinyflow.ops, so the registry is complete whatever ran before.
for _m in pkgutil.iter_modules(tinyflow.ops.__path__):
    importlib.import_module(f"tinyflow.ops.{_m.name}")

# Primitives whose forward is bookkeeping, not numpy math: graph state (placeholders,
# variables), debugging (print, breakpoints) and summaries (event records). Their
# own test modules cover them.
# "control": If/While run function graphs; tests/test_control_flow.py checks them.
NOT_MATH_FAMILIES = {"state", "debug", "summary", "control"}

rng = np.random.default_rng(1)
A23 = rng.standard_normal((2, 3))
A31 = rng.standard_normal((3, 1))
A4 = rng.standard_normal(4)
A234 = rng.standard_normal((2, 3, 4))
POS23 = rng.uniform(0.5, 2.0, (2, 3))
I23 = np.array([[3, -1, 2], [0, 5, -4]])


def _softmax(x, axis):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def _max_pool(x, k, stride, pad):
    x = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)), constant_values=-np.inf)
    n, c, h, w = x.shape
    oh, ow = (h - k) // stride + 1, (w - k) // stride + 1
    out = np.zeros((n, c, oh, ow))
    for i in range(oh):
        for j in range(ow):
            out[:, :, i, j] = x[:, :, i * stride:i * stride + k, j * stride:j * stride + k].max(axis=(2, 3))
    return out


def _conv_grouped(x, w, stride, pad, dilation, groups):
    """Conv2D with dilation and groups: each group's channels alone, with the kernel's
    taps spread out (zeros between them)."""
    o, cg, kh, kw = w.shape
    spread = np.zeros((o, cg, dilation * (kh - 1) + 1, dilation * (kw - 1) + 1))
    spread[:, :, ::dilation, ::dilation] = w
    og = o // groups
    return np.concatenate([conv2d_reference(x[:, g * cg:(g + 1) * cg], spread[g * og:(g + 1) * og],
                                            stride, pad) for g in range(groups)], axis=1)


def _windows_loop(x, k, stride, pad, dilation, ceil=False):
    """Every pooling window, one by one: (N, C, oh, ow, k, k), padding -inf (ceil: a last
    window that starts inside the input is kept, as in PyTorch)."""
    n, c, h, w = x.shape
    span = dilation * (k - 1) + 1
    size = (h + 2 * pad - span + (stride - 1 if ceil else 0)) // stride + 1
    xp = np.full((n, c, h + 2 * pad + stride, w + 2 * pad + stride), -np.inf)
    xp[:, :, pad:pad + h, pad:pad + w] = x
    out = np.zeros((n, c, size, size, k, k))
    for i in range(size):
        for j in range(size):
            out[:, :, i, j] = xp[:, :, i * stride:i * stride + span:dilation,
                                 j * stride:j * stride + span:dilation]
    return out


def _first_max_positions(x, k, stride, pad):
    """For each window: the (row, column) in x of its first maximum."""
    wins = _windows_loop(x, k, stride, pad, 1)
    n, c, oh, ow = wins.shape[:4]
    first = wins.reshape(n, c, oh, ow, k * k).argmax(axis=-1)
    for idx in np.ndindex(n, c, oh, ow):
        i, j = divmod(first[idx], k)
        yield idx, (idx[2] * stride + i - pad, idx[3] * stride + j - pad)


def _max_pool_grad(g, x, k, stride, pad):
    out = np.zeros_like(x)
    for (n, c, i, j), (r, q) in _first_max_positions(x, k, stride, pad):
        out[n, c, r, q] += g[n, c, i, j]
    return out


def _max_pool_grad_grad(h, x, k, stride, pad):
    out = np.zeros(_windows_loop(x, k, stride, pad, 1).shape[:4])
    for (n, c, i, j), (r, q) in _first_max_positions(x, k, stride, pad):
        out[n, c, i, j] = h[n, c, r, q]
    return out


def _im2col(x, k, pad):
    x = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    n, c, h, w = x.shape
    oh, ow = h - k + 1, w - k + 1
    out = np.zeros((n, oh, ow, c, k, k))
    for i in range(oh):
        for j in range(ow):
            out[:, i, j] = x[:, :, i:i + k, j:j + k]
    return out


def _take_grad(g, shape, idx, axis):
    z = np.zeros(shape)
    for pos in np.ndindex(idx.shape):
        target = list(pos)
        target[axis] = idx[pos]
        z[tuple(target)] += g[pos]
    return z


X = rng.standard_normal((1, 2, 5, 5))
W = rng.standard_normal((3, 2, 3, 3))
COLS = rng.standard_normal((1, 3, 3, 2, 3, 3))
MASK = A23 > 0
TAKE = np.array([[0, 2, 2], [1, 1, 0]])

# (primitive, case id, tinyflow function of tensors, numpy reference of arrays, inputs)
CASES = [
    ("Add", "fn", lambda a, b: tf.add(a, b), np.add, [A31, A4]),
    ("Add", "op", lambda a, b: a + b, np.add, [A234, A4]),
    ("Sub", "fn", lambda a, b: tf.sub(a, b), np.subtract, [A31, A4]),
    ("Sub", "method", lambda a, b: a.sub(b), np.subtract, [A31, A4]),
    ("Mul", "fn", lambda a, b: tf.mul(a, b), np.multiply, [A31, A4]),
    ("Mul", "method", lambda a, b: a.mul(b), np.multiply, [A234, A31]),
    ("RealDiv", "fn", lambda a, b: tf.div(a, b), np.divide, [A31, A4]),
    ("RealDiv", "method", lambda a, b: a.div(b), np.divide, [A23, POS23]),
    ("Pow", "fn", lambda a, b: tf.pow(a, b), np.power, [POS23, A31.T]),
    ("Pow", "method", lambda a: a.pow(3), lambda a: a ** 3, [A23]),
    ("Maximum", "fn", lambda a, b: tf.maximum(a, b), np.maximum, [A31, A4]),
    ("Maximum", "max(other)", lambda a, b: tf.max(a, b), np.maximum, [A23, A31.T]),
    ("Minimum", "method", lambda a, b: a.minimum(b), np.minimum, [A31, A4]),
    ("Maximum", "clamp tensor min", lambda x, lo: x.clamp(min=lo), np.maximum, [A23, A31.T]),
    ("Minimum", "clamp tensor bounds", lambda x, lo, hi: tf.clamp(x, lo, hi),
     lambda x, lo, hi: np.minimum(np.maximum(x, lo), hi), [A234, A4 - 0.5, A4 + 0.5]),
    ("Neg", "fn", lambda x: tf.neg(x), np.negative, [A23]),
    ("Neg", "op", lambda x: -x, np.negative, [A23]),
    ("Round", "method", lambda x: x.round(), np.round, [A23 * 3]),
    ("Round", "decimals", lambda x: tf.round(x, decimals=1), lambda x: np.round(x * 10) / 10,
     [A23 * 3]),
    ("Floor", "method", lambda x: x.floor(), np.floor, [A23 * 3]),
    ("Ceil", "fn", lambda x: tf.ceil(x), np.ceil, [A23 * 3]),
    ("Trunc", "method", lambda x: x.trunc(), np.trunc, [A23 * 3]),
    ("FloorDiv", "op", lambda a, b: a // b, np.floor_divide, [A23 * 7, A31.T + 2.5]),
    ("FloorMod", "op", lambda a, b: a % b, np.mod, [A23 * 7, A31.T + 2.5]),
    ("FloorMod", "rop", lambda a: 7.5 % a, lambda a: np.mod(7.5, a), [A23 + 3]),
    ("ArgSort", "method", lambda x: x.argsort(dim=1), lambda x: np.argsort(x, axis=1), [A23]),
    ("ArgSort", "descending", lambda x: x.argsort(dim=0, descending=True),
     lambda x: np.argsort(-x, axis=0, kind="stable"), [A23]),
    ("Exp", "fn", lambda x: tf.exp(x), np.exp, [A23]),
    ("Exp", "method", lambda x: x.exp(), np.exp, [A23]),
    ("Log", "fn", lambda x: tf.log(x), np.log, [POS23]),
    ("Log", "method", lambda x: x.log(), np.log, [POS23]),
    ("Sqrt", "fn", lambda x: tf.sqrt(x), np.sqrt, [POS23]),
    ("Abs", "fn", lambda x: tf.abs(x), np.abs, [A23]),
    ("Abs", "op", lambda x: abs(x), np.abs, [A23]),
    ("Sin", "method", lambda x: x.sin(), np.sin, [A23]),
    ("Cos", "fn", lambda x: tf.cos(x), np.cos, [A23]),
    ("Tanh", "fn", lambda x: tf.tanh(x), np.tanh, [A23]),
    ("Sigmoid", "fn", lambda x: tf.sigmoid(x), lambda x: 1 / (1 + np.exp(-x)), [A23]),
    ("Relu", "fn", lambda x: tf.relu(x), lambda x: np.maximum(x, 0), [A23]),
    ("Relu", "method", lambda x: x.relu(), lambda x: np.maximum(x, 0), [A23]),
    ("Softplus", "fn", lambda x: tf.softplus(x), lambda x: np.log1p(np.exp(x)), [A23]),
    ("Sign", "fn", lambda x: tf.sign(x), np.sign, [np.array([-2.0, 0.0, 3.0])]),
    ("ClipByValue", "clamp", lambda x: tf.clamp(x, -0.5, 0.5), lambda x: np.clip(x, -0.5, 0.5), [A23]),
    ("ClipByValue", "min only", lambda x: x.clamp(min=0.1), lambda x: np.maximum(x, 0.1), [A23]),
    ("ClipByValue", "max only", lambda x: x.clip(max=0.1), lambda x: np.minimum(x, 0.1), [A23]),
    ("Identity", "", lambda x: tf.identity(x), lambda x: x, [A23]),
    ("Cast", "fn", lambda x: tf.cast(x, tf.int64), lambda x: x.astype(np.int64), [A23 * 3]),
    ("Cast", "double", lambda x: x.double(), lambda x: x.astype(np.float64), [np.arange(6).reshape(2, 3)]),
    ("Cast", "long", lambda x: x.long(), lambda x: x.astype(np.int64), [A23 * 3]),
    ("Select", "where", lambda c, a, b: tf.where(c, a, b), np.where, [A31 > 0, A4, A23[:1, :1]]),
    ("Equal", "op", lambda a, b: a == b, np.equal, [np.array([1., 2., 3.]), np.array([1., 0., 3.])]),
    ("NotEqual", "method", lambda a, b: a.ne(b), np.not_equal, [np.array([1., 2.]), np.array([1., 0.])]),
    ("Less", "op", lambda a, b: a < b, np.less, [A31, A4]),
    ("LessEqual", "fn", lambda a, b: tf.le(a, b), np.less_equal, [A31, A4]),
    ("Greater", "op", lambda a, b: a > b, np.greater, [A31, A4]),
    ("GreaterEqual", "method", lambda a, b: a.ge(b), np.greater_equal, [A31, A4]),
    ("LogicalAnd", "op", lambda a, b: (a > 0) & (b > 0), lambda a, b: (a > 0) & (b > 0), [A31, A4]),
    ("LogicalOr", "op", lambda a, b: (a > 0) | (b > 0), lambda a, b: (a > 0) | (b > 0), [A31, A4]),
    ("LogicalNot", "op", lambda a: ~(a > 0), lambda a: ~(a > 0), [A23]),
    ("IsFinite", "", lambda a: F.isfinite(a), np.isfinite, [np.array([1.0, np.inf, -np.inf, np.nan])]),
    ("OnesLike", "", lambda a: F.ones_like(a), np.ones_like, [A23]),
    ("ZerosLike", "", lambda a: F.zeros_like(a), np.zeros_like, [A23]),
    ("StopGradient", "", lambda a: F.stop_gradient(a), lambda a: a, [A23]),
    # reductions
    ("Sum", "all", lambda x: x.sum(), np.sum, [A234]),
    ("Sum", "dim", lambda x: tf.sum(x, dim=1), lambda x: x.sum(axis=1), [A234]),
    ("Sum", "dims keepdim", lambda x: x.sum((0, -1), keepdim=True),
     lambda x: x.sum(axis=(0, 2), keepdims=True), [A234]),
    ("Sum", "reduce_sum", lambda x: tf.reduce_sum(x, axis=0), lambda x: x.sum(axis=0), [A234]),
    ("Mean", "all", lambda x: tf.mean(x), np.mean, [A234]),
    ("Mean", "dim keepdim", lambda x: x.mean(dim=2, keepdim=True), lambda x: x.mean(2, keepdims=True), [A234]),
    ("Mean", "reduce_mean", lambda x: tf.reduce_mean(x, axis=(0, 1), keepdims=True),
     lambda x: x.mean(axis=(0, 1), keepdims=True), [A234]),
    ("Mean", "var", lambda x: x.var(), lambda x: x.var(ddof=1), [A234]),
    ("Mean", "var dim", lambda x: tf.var(x, dim=1, keepdim=True), lambda x: x.var(1, ddof=1, keepdims=True), [A234]),
    ("Mean", "var biased", lambda x: x.var(0, correction=0), lambda x: x.var(0), [A234]),
    ("Mean", "var unbiased=False", lambda x: x.var(0, unbiased=False), lambda x: x.var(0), [A234]),
    ("Mean", "std", lambda x: x.std(dim=2), lambda x: x.std(2, ddof=1), [A234]),
    ("Max", "all", lambda x: x.max(), np.max, [A234]),
    ("Max", "dim values", lambda x: x.max(dim=1).values, lambda x: x.max(1), [A234]),
    ("Max", "amax", lambda x: x.amax(dim=(0, 2), keepdim=True), lambda x: x.max((0, 2), keepdims=True), [A234]),
    ("Min", "all", lambda x: tf.min(x), np.min, [A234]),
    ("Min", "dim keepdim", lambda x: x.min(2, keepdim=True)[0], lambda x: x.min(2, keepdims=True), [A234]),
    ("ArgMax", "all", lambda x: x.argmax(), np.argmax, [A234]),
    ("ArgMax", "dim", lambda x: tf.argmax(x, dim=1), lambda x: x.argmax(1), [A234]),
    ("ArgMax", "max indices", lambda x: x.max(dim=2).indices, lambda x: x.argmax(2), [A234]),
    ("ArgMin", "dim keepdim", lambda x: x.argmin(dim=0, keepdim=True), lambda x: x.argmin(0, keepdims=True), [A234]),
    ("LogSumExp", "all", lambda x: tf.logsumexp(x), lambda x: np.log(np.exp(x).sum()), [A234]),
    ("LogSumExp", "dim", lambda x: x.logsumexp(dim=1), lambda x: np.log(np.exp(x).sum(1)), [A234]),
    ("LogSumExp", "keepdim", lambda x: x.logsumexp(-1, keepdim=True),
     lambda x: np.log(np.exp(x).sum(-1, keepdims=True)), [A234]),
    ("SumTo", "", lambda x: F.sum_to(x, np.zeros((3, 1))), lambda x: x.sum(axis=(0, 2))[:, None], [A234]),
    ("BroadcastLike", "expand_as", lambda x, y: x.expand_as(y), lambda x, y: np.broadcast_to(x, y.shape), [A31, A234]),
    ("ReducedSize", "", lambda x: R.ReducedSize.bind(x, axis=(0, 2)), lambda x: np.array(8.0), [A234]),
    # shape
    ("Shape", "shape_of", lambda x: F.shape_of(x), lambda x: np.array(x.shape, np.int32), [A234]),
    ("Reshape", "reshape", lambda x: x.reshape(4, -1), lambda x: x.reshape(4, -1), [A234]),
    ("Reshape", "view", lambda x: x.view(-1), lambda x: x.reshape(-1), [A234]),
    ("Reshape", "fn", lambda x: tf.reshape(x, (6, 4)), lambda x: x.reshape(6, 4), [A234]),
    ("Reshape", "flatten", lambda x: x.flatten(1), lambda x: x.reshape(2, 12), [A234]),
    ("ReshapeLike", "", lambda x: F.reshape_like(x, np.zeros((3, 8))), lambda x: x.reshape(3, 8), [A234]),
    ("Transpose", "T", lambda x: x.T, lambda x: x.T, [A234]),
    ("Transpose", "permute", lambda x: x.permute(2, 0, 1), lambda x: x.transpose(2, 0, 1), [A234]),
    ("Transpose", "transpose", lambda x: tf.transpose(x, 0, 2), lambda x: x.swapaxes(0, 2), [A234]),
    ("Transpose", "tf perm", lambda x: tf.transpose(x, perm=[1, 2, 0]), lambda x: x.transpose(1, 2, 0), [A234]),
    ("Transpose", "mT", lambda x: x.mT, lambda x: x.swapaxes(-1, -2), [A234]),
    ("ExpandDims", "unsqueeze", lambda x: x.unsqueeze(1), lambda x: x[:, None], [A23]),
    ("ExpandDims", "unsqueeze -1", lambda x: tf.unsqueeze(x, -1), lambda x: x[..., None], [A23]),
    ("Squeeze", "all", lambda x: x.squeeze(), np.squeeze, [A31[None]]),
    ("Squeeze", "dim", lambda x: x.squeeze(-1), lambda x: x[..., 0], [A31[None]]),
    ("Squeeze", "dim of size > 1 is kept", lambda x: tf.squeeze(x, 1), lambda x: x, [A31[None]]),
    ("BroadcastTo", "expand", lambda x: x.expand(2, -1, 4), lambda x: np.broadcast_to(x, (2, 3, 4)), [A31]),
    ("BroadcastTo", "broadcast_to", lambda x: tf.broadcast_to(x, (3, 4)), lambda x: np.broadcast_to(x, (3, 4)), [A4]),
    ("ConcatV2", "cat", lambda a, b: tf.cat([a, b], dim=1), lambda a, b: np.concatenate([a, b], 1),
     [A23, A23[:, :1]]),
    ("ConcatV2", "cat negative dim", lambda a, b: tf.cat([a, b, a], -1), lambda a, b: np.concatenate([a, b, a], -1),
     [A23, A23[:, :2]]),
    ("ConcatV2", "concat", lambda a, b: tf.concat([a, b], axis=0), lambda a, b: np.concatenate([a, b]), [A23, A23]),
    ("ConcatV2", "stack", lambda a, b: tf.stack([a, b]), lambda a, b: np.stack([a, b]), [A23, POS23]),
    ("ConcatV2", "stack last", lambda a, b: tf.stack([a, b], dim=-1), lambda a, b: np.stack([a, b], -1),
     [A23, POS23]),
    ("GetItem", "slices", lambda x: x[1:, ::-2], lambda x: x[1:, ::-2], [A234]),
    ("GetItem", "int", lambda x: x[-1], lambda x: x[-1], [A234]),
    ("GetItem", "None and Ellipsis", lambda x: x[None, ..., 1], lambda x: x[None, ..., 1], [A234]),
    ("GetItem", "int array", lambda x: x[[1, 0, 1]], lambda x: x[[1, 0, 1]], [A234]),
    ("GetItem", "two int arrays", lambda x: x[[0, 1], :, [3, 2]], lambda x: x[[0, 1], :, [3, 2]], [A234]),
    ("GetItem", "bool mask", lambda x: x[x > 0], lambda x: x[x > 0], [A234]),
    ("GetItem", "row mask", lambda x: x[:, np.array([True, False, True])], lambda x: x[:, [0, 2]], [A234]),
    ("GetItem", "tensor index", lambda x: x[tf.tensor([2, 0])], lambda x: x[[2, 0]], [A4]),
    ("GetItemGrad", "", lambda g: F.getitem_grad(g, np.zeros((3, 2)), [np.array([0, 2, 0])], (S.Arg(0),)),
     lambda g: np.array([g[0] + g[2], np.zeros(2), g[1]]), [rng.standard_normal((3, 2))]),
    ("GatherElements", "", lambda x: tf.take_along_axis(x, TAKE, 1), lambda x: np.take_along_axis(x, TAKE, 1), [A23]),
    ("SparseSoftmaxCrossEntropyWithLogits", "", lambda x: tf.ops.sparse_softmax_cross_entropy(x, np.array([2, 0])),
     lambda x: -np.log(_softmax(x, -1))[[0, 1], [2, 0]], [A23]),
    ("SparseSoftmaxCrossEntropyGrad", "",
     lambda x, g: tf.ops.nn.SparseXentGrad.bind(x, np.array([2, 0]), g),
     lambda x, g: (_softmax(x, -1) - np.eye(3)[[2, 0]]) * g[:, None], [A23, A23[:, 0]]),
    ("SparseSoftmaxCrossEntropyWithLogits", "mean",
     lambda x: tf.ops.sparse_softmax_cross_entropy(x, np.array([2, 0]), "mean"),
     lambda x: -np.log(_softmax(x, -1))[[0, 1], [2, 0]].mean(), [A23]),
    ("SparseSoftmaxCrossEntropyGrad", "mean",
     lambda x, g: tf.ops.nn.SparseXentGrad.bind(x, np.array([2, 0]), g, reduction="mean"),
     lambda x, g: (_softmax(x, -1) - np.eye(3)[[2, 0]]) * g / 2, [A23, A23[0, :1].reshape(())]),
    ("GatherElementsGrad", "", lambda g: S.TakeAlongAxisGrad.bind(g, np.zeros((2, 3)), TAKE, axis=1),
     lambda g: _take_grad(g, (2, 3), TAKE, 1), [A23]),
    # linear algebra and nn
    ("MatMul", "2d", lambda a, b: a @ b, np.matmul, [A23, A234[0].T[:3]]),
    ("MatMul", "1d @ 1d", lambda a, b: tf.matmul(a, b), np.matmul, [A4, A4[::-1].copy()]),
    ("MatMul", "2d @ 1d", lambda a, b: a.matmul(b), np.matmul, [A234[0], A4]),
    ("MatMul", "1d @ 3d", lambda a, b: a @ b, np.matmul, [A23[0], A234]),
    ("MatMul", "batched broadcast", lambda a, b: tf.mm(a, b), np.matmul,
     [rng.standard_normal((2, 1, 2, 3)), rng.standard_normal((4, 3, 5))]),
    ("Softmax", "last", lambda x: x.softmax(-1), lambda x: _softmax(x, -1), [A234]),
    ("Softmax", "dim 1", lambda x: tf.softmax(x, dim=1), lambda x: _softmax(x, 1), [A234]),
    ("LogSoftmax", "last", lambda x: x.log_softmax(dim=-1), lambda x: np.log(_softmax(x, -1)), [A234]),
    ("LogSoftmax", "dim 0", lambda x: tf.log_softmax(x, 0), lambda x: np.log(_softmax(x, 0)), [A234]),
    ("BiasAdd", "", lambda x, b: F.bias_add(x, b), np.add, [A234, A4]),
    ("Conv2D", "", lambda x, w: F.conv2d(x, w), lambda x, w: conv2d_reference(x, w, 1, 0), [X, W]),
    ("Conv2D", "stride padding", lambda x, w: F.conv2d(x, w, stride=2, padding=1),
     lambda x, w: conv2d_reference(x, w, 2, 1), [X, W]),
    ("MaxPool", "", lambda x: F.max_pool2d(x, 2), lambda x: _max_pool(x, 2, 2, 0), [X]),
    ("MaxPool", "padding", lambda x: F.max_pool2d(x, 3, stride=1, padding=1), lambda x: _max_pool(x, 3, 1, 1), [X]),
    ("Im2Col", "", lambda x: F.im2col(x, 3, 3, 1, 1), lambda x: _im2col(x, 3, 1), [X]),
    ("Conv2D", "dilation groups", lambda x, w: F.conv2d(x, w, 1, 2, dilation=2, groups=2),
     lambda x, w: _conv_grouped(x, w, 1, 2, 2, 2), [X, W[:2, :1]]),
    ("MaxPool", "dilation", lambda x: F.max_pool2d(x, 2, 1, 1, dilation=2),
     lambda x: _windows_loop(x, 2, 1, 1, 2).max(axis=(4, 5)), [X]),
    ("MaxPool", "ceil_mode", lambda x: F.max_pool2d(x, 2, ceil_mode=True),
     lambda x: _windows_loop(x, 2, 2, 0, 1, ceil=True).max(axis=(4, 5)), [X]),
    ("MaxPoolGrad", "", lambda g, x: F.pool.MaxPoolGrad.bind(g, x, F.max_pool2d(x, 3, 2, 1),
                                                             kernel=(3, 3), stride=(2, 2), padding=(1, 1)),
     lambda g, x: _max_pool_grad(g, x, 3, 2, 1), [X[:, :, :3, :3], X]),
    ("MaxPoolGradGrad", "", lambda h, x: F.pool.MaxPoolGradGrad.bind(h, x, F.max_pool2d(x, 3, 2, 1),
                                                                     kernel=(3, 3), stride=(2, 2),
                                                                     padding=(1, 1)),
     lambda h, x: _max_pool_grad_grad(h, x, 3, 2, 1), [X[:, ::-1].copy(), X]),
    # activations and pooling (ops/activation.py, ops/pool.py)
    ("Erf", "", lambda x: F.erf(x), np.vectorize(__import__("math").erf),
     [np.concatenate([A23.ravel() * 2, [0.0, -4.0, 5.5]])]),
    ("Elu", "", lambda x: F.elu(x, 0.7), lambda x: np.where(x > 0, x, 0.7 * np.expm1(x)), [A23]),
    ("Log1p", "", lambda x: F.log1p(x), np.log1p, [POS23 - 0.4]),
    ("AvgPool", "", lambda x: F.avg_pool2d(x, 2), lambda x: x[:, :, :4, :4].reshape(1, 2, 2, 2, 2, 2)
     .mean(axis=(3, 5)), [X]),
    ("AvgPool", "stride padding", lambda x: F.avg_pool2d(x, 3, stride=2, padding=1),
     lambda x: conv2d_reference(x.reshape(2, 1, 5, 5), np.full((1, 1, 3, 3), 1 / 9), 2, 1)
     .reshape(1, 2, 3, 3), [X]),
    ("AvgPoolGrad", "", lambda g: F.pool.AvgPoolGrad.bind(g, np.zeros((1, 2, 4, 4)), kernel=(2, 2),
                                                          stride=(2, 2)),
     lambda g: g.repeat(2, axis=2).repeat(2, axis=3) / 4, [X[:, :, :2, :2]]),
    # gather/scatter, running sums and products, einsum (ops/gather_scatter.py,
    # ops/cumulative.py, ops/einsum_op.py)
    ("ScatterElements", "src", lambda x, s: x.scatter(1, tf.tensor(IDX22), s),
     lambda x, s: _put(x, IDX22, s, 1), [A23, A23[:, :2] * 10]),
    ("ScatterElements", "value", lambda x: tf.scatter(x, 0, tf.tensor([[1, 0, 1]]), -1.0),
     lambda x: _put(x, np.array([[1, 0, 1]]), -1.0, 0), [A23]),
    ("CumSum", "", lambda x: x.cumsum(1), lambda x: np.cumsum(x, 1), [A234]),
    ("CumSum", "int", lambda i: tf.cumsum(i, 0), lambda i: np.cumsum(i, 0), [I23]),
    ("CumProd", "", lambda x: x.cumprod(-1), lambda x: np.cumprod(x, -1), [A234]),
    ("Einsum", "", lambda a, b: tf.einsum("ij,kj->ik", a, b), lambda a, b: a @ b.T, [A23, POS23]),
    ("Einsum", "diagonals", lambda x: tf.einsum("...ii->...i", x),
     lambda x: np.diagonal(x, axis1=-2, axis2=-1), [A234[:, :3, :3]]),
    ("Fill", "", lambda v: Fill.bind(np.array([2, 3]), v), lambda v: np.full((2, 3), v),
     [np.asarray(A23[0, 0])]),
    ("Range", "", lambda a, b, c: Range.bind(a, b, c), lambda a, b, c: np.arange(a, b, c),
     [np.asarray(0.5), np.asarray(3.0), np.asarray(0.75)]),
]

IDX22 = np.array([[2, 0], [1, 2]])


def _put(x, idx, values, axis):
    """x with values written at idx along axis (numpy's put_along_axis, on a copy)."""
    y = x.copy()
    np.put_along_axis(y, idx, values, axis)
    return y


def _ids():
    return [f"{p}-{c}" if c else p for p, c, *_ in CASES]


@pytest.fixture(params=[True, False], ids=["fast forwards", "plain forwards"])
def fast_forwards(request):
    """Each forward case runs with ops/fast.py's faster forwards and without them."""
    use_fast_forwards(request.param)
    yield request.param
    use_fast_forwards(True)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("name, cid, fn, ref, arrays", CASES, ids=_ids())
def test_forward_matches_numpy(name, cid, fn, ref, arrays, dtype, fast_forwards):
    arrays = [a.astype(dtype) if a.dtype.kind == "f" else a for a in arrays]
    seen = []
    Config.observers.append(lambda event, info: seen.append(info["prim"].name) if event == "op" else None)
    out = fn(*[tf.from_numpy(a) for a in arrays])
    Config.observers.clear()
    assert name in seen, f"the {name} case does not run {name}"
    expected = ref(*arrays)
    assert isinstance(out, tf.Tensor)
    assert out.shape == np.shape(expected)
    if np.asarray(expected).dtype.kind == "f":
        # float results keep the inputs' precision; a cast gives the dtype asked for
        want = np.asarray(expected).dtype if name == "Cast" else np.dtype(dtype)
        assert out.dtype == want, f"{name} turned {np.dtype(dtype)} inputs into {out.dtype}"
        tol = 1e-12 if dtype == np.float64 else 1e-5
        np.testing.assert_allclose(out.detach().numpy(), expected, rtol=tol * 10, atol=tol)
    else:
        assert out.dtype == np.asarray(expected).dtype
        np.testing.assert_array_equal(out.detach().numpy(), expected)


def test_col2im_is_the_adjoint_of_im2col():
    # <im2col(x), c> == <x, col2im(c)> for every x and c
    lhs = np.sum(F.im2col(X, 3, 3, 1, 0) * COLS)
    rhs = np.sum(X * F.col2im(tf.tensor(COLS), tf.tensor(X), 3, 3, 1, 0).detach().numpy())
    np.testing.assert_allclose(lhs, rhs, rtol=1e-12)


def test_every_primitive_has_a_forward_case():
    covered = {name for name, *_ in CASES} | {"Col2Im"}
    needed = {n for n, p in tf.PRIMITIVES.items() if p.family not in NOT_MATH_FAMILIES}
    missing = sorted(needed - covered)
    assert not missing, f"primitives without a forward test: {missing}"


def test_ops_on_plain_arrays_return_arrays():
    # The vjp rules run on raw arrays during an ordinary backward: no Tensor is made.
    out = F.sum(np.ones((2, 3)), axis=1)
    assert type(out) is np.ndarray
    np.testing.assert_array_equal(out, [3.0, 3.0])
    assert type(F.matmul(np.eye(2), np.ones(2))) is np.ndarray
    assert type(F.exp(np.zeros(2))) is np.ndarray


# --- operators -------------------------------------------------------------------

OPS = [
    ("+", lambda a, b: a + b), ("-", lambda a, b: a - b), ("*", lambda a, b: a * b),
    ("/", lambda a, b: a / b), ("**", lambda a, b: a ** b),
]


@pytest.mark.parametrize("sym, op", OPS, ids=[s for s, _ in OPS])
@pytest.mark.parametrize("other", [2.5, 3, np.array([1.5, 2.0, 0.5])], ids=["float", "int", "ndarray"])
def test_operators_with_numbers_and_arrays_on_either_side(sym, op, other):
    a = np.array([0.5, 1.0, 2.0], dtype=np.float32)
    x = tf.tensor(a, requires_grad=True)
    left, right = op(x, other), op(other, x)
    for out, expected in ((left, op(a, other)), (right, op(other, a))):
        assert isinstance(out, tf.Tensor)
        assert out.requires_grad
        np.testing.assert_allclose(out.detach().numpy(), expected, rtol=1e-6)


def test_python_numbers_do_not_promote_float32():
    x = tf.ones(3)
    for out in (x + 1.5, 2.0 * x, x / 3, x ** 2, 1 - x, 2.0 ** x, -x):
        assert out.dtype == tf.float32


def test_numpy_arrays_on_the_left_give_tensors():
    x = tf.tensor([1.0, 2.0], requires_grad=True)
    out = np.array([3.0, 4.0]) * x
    assert isinstance(out, tf.Tensor) and out.requires_grad
    out.sum().backward()
    np.testing.assert_array_equal(x.grad.detach().numpy(), [3.0, 4.0])


def test_matmul_operator_both_sides():
    m = np.arange(6.0, dtype=np.float32).reshape(2, 3)
    x = tf.ones(3, 2)
    np.testing.assert_allclose((m @ x).detach().numpy(), m @ np.ones((3, 2)))
    np.testing.assert_allclose((x @ np.ones(2, np.float32)).detach().numpy(), np.full(3, 2.0))
    # as in PyTorch, a matrix product wants one dtype: float32 @ float64 is refused
    with pytest.raises(RuntimeError, match="expected m1 and m2 to have the same dtype, but got: "
                                           "float != double"):
        x @ np.ones(2)


def test_integer_tensors_compute_in_integers():
    x = tf.tensor([1, 2, 3])
    assert (x + 1).dtype == tf.int64
    assert (x * x).detach().numpy().tolist() == [1, 4, 9]
    assert x.sum().item() == 6 and x.sum().dtype == tf.int64


def test_numerically_stable_softmax_family():
    big = tf.tensor([1000.0, 1000.0, -1000.0], dtype=tf.float64)
    np.testing.assert_allclose(big.softmax(-1).detach().numpy(), [0.5, 0.5, 0.0])
    np.testing.assert_allclose(big.log_softmax(-1).detach().numpy()[:2], [-np.log(2)] * 2)
    np.testing.assert_allclose(big.logsumexp(0).item(), 1000 + np.log(2))
    assert np.isfinite(tf.sigmoid(tf.tensor([-1000.0, 1000.0])).detach().numpy()).all()
    np.testing.assert_allclose(tf.softplus(tf.tensor([1000.0], dtype=tf.float64)).detach().numpy(), [1000.0])


def test_max_with_dim_returns_values_and_indices():
    x = tf.tensor([[1.0, 7.0, 3.0], [9.0, 2.0, 4.0]])
    values, indices = x.max(dim=1)
    assert values.tolist() == [7.0, 9.0] and indices.tolist() == [1, 0]
    values, indices = tf.min(x, dim=0)
    assert values.tolist() == [1.0, 2.0, 3.0] and indices.tolist() == [0, 1, 0]
    assert indices.dtype == tf.int64


def test_comparisons_give_bool_tensors_and_no_gradient():
    x = tf.tensor([1.0, 2.0, 3.0], requires_grad=True)
    for out in (x > 2, x >= 2, x < 2, x <= 2, x == 2, x != 2, 2 < x):
        assert out.dtype == tf.bool
        assert not out.requires_grad
    assert (x > 1.5).tolist() == [False, True, True]
    assert (2.0 >= x).tolist() == [True, True, False]


def test_where_takes_a_tensor_condition_and_numbers():
    x = tf.tensor([-1.0, 2.0, -3.0])
    out = tf.where(x > 0, x, 0.0)
    assert out.tolist() == [0.0, 2.0, 0.0]
    assert out.dtype == tf.float32


def test_indexing_with_a_tensor_mask_and_negative_steps():
    x = tf.arange(6.0).reshape(2, 3)
    assert x[x > 2].tolist() == [3.0, 4.0, 5.0]
    assert x[:, ::-1].tolist() == [[2.0, 1.0, 0.0], [5.0, 4.0, 3.0]]
    assert x[1, 2].item() == 5.0
