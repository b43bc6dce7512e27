"""The tensor functions of test_torch_tensor_ops_extra.py against real PyTorch: the same
calls on ``torch`` and on ``tinyflow`` give the same values, dtypes, shapes and error
types, and in float64 the same gradients (to 1e-10), at ordinary points and at the
awkward ones (a norm of zeros, ties, repeated indices, zeros in a running product,
norms below cosine_similarity's eps).

Runs where PyTorch is installed (``make parity`` requires it); skipped with the reason
elsewhere.
"""
import numpy as np
import pytest

import tinyflow
from _parity import assert_same_outcome, close, import_torch, outcome

torch = import_torch()
import torch.nn.functional as TF  # noqa: E402

import tinyflow.nn.functional as F  # noqa: E402

INF = float("inf")


def _fn(m):
    """torch.nn.functional or tinyflow.nn.functional, for module m."""
    return TF if m is torch else F


def _x(m):
    return m.arange(12.0).reshape(3, 4)


def _i(m, *rows):
    return m.tensor(list(rows))


# --- forward values, dtypes and error types ---------------------------------------------------

CASES = {
    # gather / scatter / scatter_add
    "gather": lambda m: m.gather(_x(m), 1, _i(m, [0, 3], [1, 1])),
    "gather method, negative dim": lambda m: _x(m).gather(-1, _i(m, [2], [0], [1])),
    "gather int32 index": lambda m: _x(m).gather(1, m.tensor([[0, 3]], dtype=m.int32)),
    "gather 0-d": lambda m: m.tensor(5.0).gather(0, m.tensor(0)),
    "gather out of bounds": lambda m: _x(m).gather(1, _i(m, [4])),
    "gather negative index": lambda m: _x(m).gather(1, _i(m, [-1])),
    "gather index too large": lambda m: _x(m).gather(1, m.zeros(4, 1, dtype=m.int64)),
    "gather index ndim": lambda m: _x(m).gather(1, _i(m, 0)),
    "gather float index": lambda m: _x(m).gather(1, m.tensor([[0.0]])),
    "gather bad dim": lambda m: _x(m).gather(2, _i(m, [0])),
    "gather list": lambda m: m.gather([[1.0]], 0, _i(m, [0])),
    "scatter src": lambda m: m.zeros(3, 4).scatter(1, _i(m, [0, 3], [1, 2]), m.ones(3, 5)),
    "scatter value": lambda m: m.zeros(3, 4).scatter(1, _i(m, [0, 3], [1, 2]), 2.5),
    "scatter value kw": lambda m: m.scatter(m.zeros(3, 4), 0, _i(m, [2, 0, 1]), value=-1.0),
    "scatter src kw": lambda m: m.zeros(2, 3).scatter(dim=1, index=_i(m, [2], [0]), src=m.ones(2, 1)),
    "scatter int value": lambda m: m.zeros(2, 3, dtype=m.int64).scatter(1, _i(m, [1], [2]), 2.7),
    "scatter reduce add": lambda m: m.ones(2, 3).scatter(1, _i(m, [1, 1], [0, 2]), 2.0, reduce="add"),
    "scatter long index along dim": lambda m: m.zeros(2, 3).scatter(1, m.zeros(2, 5, dtype=m.int64),
                                                                   m.ones(2, 5)),
    "scatter 0-d": lambda m: m.tensor(1.0).scatter(0, m.tensor(0), 5.0),
    "scatter src dtype": lambda m: m.zeros(2, 2).scatter(1, _i(m, [0]), m.ones(1, 1, dtype=m.float64)),
    "scatter src smaller": lambda m: m.zeros(2, 2).scatter(1, _i(m, [0, 1]), m.ones(1, 1)),
    "scatter out of bounds": lambda m: m.zeros(2, 2).scatter(1, _i(m, [2]), 1.0),
    "scatter_add": lambda m: m.zeros(3, 4).scatter_add(1, _i(m, [0, 0], [1, 1]), m.ones(3, 5)),
    "scatter_add function": lambda m: m.scatter_add(m.zeros(4), 0, _i(m, 1, 1, 3), m.ones(3)),
    "scatter_add number": lambda m: m.zeros(2, 2).scatter_add(1, _i(m, [0]), 1.0),
    "scatter_add dtype": lambda m: m.zeros(2, 2).scatter_add(1, _i(m, [0]), m.ones(1, 1, dtype=m.float64)),
    # cumsum / cumprod
    "cumsum": lambda m: _x(m).cumsum(1),
    "cumsum function": lambda m: m.cumsum(_x(m), dim=0),
    "cumsum int": lambda m: m.tensor([1, 2, 3]).cumsum(0),
    "cumsum int32": lambda m: m.tensor([1, 2, 3], dtype=m.int32).cumsum(0),
    "cumsum uint8": lambda m: m.tensor([200, 100], dtype=m.uint8).cumsum(0),
    "cumsum bool": lambda m: m.tensor([True, False, True]).cumsum(0),
    "cumsum dtype": lambda m: m.tensor([1, 2]).cumsum(0, dtype=m.float64),
    "cumsum 0-d": lambda m: m.tensor(3.0).cumsum(0),
    "cumsum bad dim": lambda m: m.tensor([3.0]).cumsum(1),
    "cumprod": lambda m: m.tensor([[1.0, 2.0, 0.5], [3.0, 0.0, 2.0]]).cumprod(1),
    "cumprod int": lambda m: m.cumprod(m.tensor([1, 2, 3]), 0),
    # masked_fill, tril, triu, bmm
    "masked_fill": lambda m: _x(m).masked_fill(m.tensor([True, False, True, False]), -1),
    "masked_fill function": lambda m: m.masked_fill(_x(m), _x(m) > 5, -1e9),
    "masked_fill broadcasts up": lambda m: m.zeros(4).masked_fill(m.ones(2, 4, dtype=m.bool), 1.0),
    "masked_fill 0-d tensor": lambda m: _x(m).masked_fill(_x(m) > 5, m.tensor(2.0)),
    "masked_fill f64 value": lambda m: m.tensor([1.0, 2.0]).masked_fill(
        m.tensor([True, False]), m.tensor(2.7, dtype=m.float64)),
    "masked_fill int": lambda m: m.tensor([1, 2]).masked_fill(m.tensor([True, False]), 2.7),
    "masked_fill int mask": lambda m: _x(m).masked_fill(m.tensor([1, 0, 0, 1]), 0.0),
    "masked_fill 1-d value": lambda m: _x(m).masked_fill(_x(m) > 5, m.tensor([2.0])),
    "tril": lambda m: m.tril(_x(m), 1),
    "triu": lambda m: _x(m).triu(diagonal=-1),
    "tril int": lambda m: m.ones(3, 3, dtype=m.int64).tril(),
    "tril batched": lambda m: m.ones(2, 2, 3).tril(-1),
    "tril 1-d": lambda m: m.ones(3).tril(),
    "bmm": lambda m: m.bmm(m.ones(2, 3, 4), m.arange(40.0).reshape(2, 4, 5)),
    "bmm method int": lambda m: m.ones(2, 3, 4, dtype=m.int64).bmm(m.ones(2, 4, 1, dtype=m.int64)),
    "bmm 2-d": lambda m: m.bmm(m.ones(3, 4), m.ones(4, 5)),
    "bmm batch": lambda m: m.bmm(m.ones(2, 3, 4), m.ones(3, 4, 5)),
    "bmm no broadcast": lambda m: m.bmm(m.ones(1, 3, 4), m.ones(2, 4, 5)),
    "bmm inner": lambda m: m.bmm(m.ones(2, 3, 4), m.ones(2, 5, 5)),
    "bmm dtype": lambda m: m.bmm(m.ones(2, 3, 4), m.ones(2, 4, 5, dtype=m.float64)),
    # einsum
    "einsum matmul": lambda m: m.einsum("ij,jk->ik", _x(m)[:2, :3], _x(m)[:3]),
    "einsum list": lambda m: m.einsum("ij,jk", [_x(m)[:2, :3], _x(m)[:3]]),
    "einsum implicit order": lambda m: m.einsum("ba", _x(m)),
    "einsum upper first": lambda m: m.einsum("bA", _x(m)),
    "einsum trace": lambda m: m.einsum("ii", _x(m)[:3, :3]),
    "einsum diagonal": lambda m: m.einsum("ii->i", _x(m)[:3, :3]),
    "einsum ellipsis": lambda m: m.einsum("...ij,...jk->...ik", m.ones(2, 1, 2, 3), m.ones(5, 3, 4)),
    "einsum ellipsis implicit": lambda m: m.einsum("...ij,...jk", m.ones(2, 1, 2, 3), m.ones(5, 3, 4)),
    "einsum ellipsis middle": lambda m: m.einsum("i...j->j...i", m.ones(2, 3, 4, 5)).shape,
    "einsum ellipsis out only": lambda m: m.einsum("ij->...", _x(m)),
    "einsum broadcast letter": lambda m: m.einsum("ij,ij->ij", m.ones(1, 3), m.ones(2, 3)),
    "einsum spaces": lambda m: m.einsum(" i j , j k -> i k ", _x(m)[:2, :3], _x(m)[:3]),
    "einsum sum all": lambda m: m.einsum("ij->", _x(m)),
    "einsum three": lambda m: m.einsum("ij,jk,kl->il", _x(m)[:2, :3], _x(m)[:3], m.ones(4, 2)),
    "einsum 0-d": lambda m: m.einsum(",i->i", m.tensor(3.0), m.ones(2)),
    "einsum int": lambda m: m.einsum("ij->j", m.tensor([[1, 2], [3, 4]])),
    "einsum size mismatch": lambda m: m.einsum("ij,jk->ik", _x(m), _x(m)),
    "einsum dtypes": lambda m: m.einsum("i,i", m.ones(2), m.ones(2, dtype=m.float64)),
    "einsum too few": lambda m: m.einsum("ij,jk->ik", _x(m)),
    "einsum wrong dims": lambda m: m.einsum("ijk", _x(m)),
    "einsum output unknown": lambda m: m.einsum("ij->iz", _x(m)),
    "einsum output repeated": lambda m: m.einsum("ij->ii", _x(m)),
    "einsum bad char": lambda m: m.einsum("i1->i", _x(m)),
    "einsum two ellipses": lambda m: m.einsum("......", _x(m)),
    "einsum not a tensor": lambda m: m.einsum("ij", [[1.0]]),
    # chunk / split
    "chunk": lambda m: _x(m).chunk(3, dim=1),
    "chunk uneven": lambda m: m.arange(10).chunk(3),
    "chunk fewer": lambda m: m.chunk(m.arange(6), 4),
    "chunk more than size": lambda m: m.arange(5).chunk(6),
    "chunk empty": lambda m: [c.shape for c in m.zeros(0, 3).chunk(2)],
    "chunk 0": lambda m: m.arange(4).chunk(0),
    "chunk float": lambda m: m.arange(4).chunk(2.0),
    "chunk 0-d": lambda m: m.tensor(1.0).chunk(1),
    "split": lambda m: m.arange(10).split(3),
    "split sizes": lambda m: m.split(m.arange(10), [2, 8]),
    "split tuple dim": lambda m: m.split(m.ones(2, 5), (2, 3), dim=1),
    "split kw": lambda m: m.split(m.ones(2, 5), split_size_or_sections=2, dim=1),
    "split method kw": lambda m: m.arange(7).split(split_size=3),
    "split empty": lambda m: m.zeros(0).split(0),
    "split bad sum": lambda m: m.arange(10).split([2, 3]),
    "split 0": lambda m: m.arange(10).split(0),
    "split negative": lambda m: m.arange(10).split(-1),
    "split negative size": lambda m: m.arange(10).split([-1, 11]),
    # repeat / repeat_interleave
    "repeat": lambda m: m.tensor([[1, 2]]).repeat(2, 3),
    "repeat new dims": lambda m: m.tensor([1, 2]).repeat(2, 1, 2),
    "repeat tuple": lambda m: m.tensor([1, 2]).repeat((2, 2)),
    "repeat zero": lambda m: m.ones(2).repeat(0),
    "repeat fewer": lambda m: m.ones(2, 2).repeat(2),
    "repeat negative": lambda m: m.ones(2).repeat(-1),
    "repeat float": lambda m: m.ones(2).repeat(2.0),
    "repeat_interleave": lambda m: m.repeat_interleave(m.tensor([[1, 2], [3, 4]]), 2),
    "repeat_interleave dim": lambda m: m.tensor([[1, 2], [3, 4]]).repeat_interleave(2, dim=0),
    "repeat_interleave counts": lambda m: m.tensor([[1, 2], [3, 4]]).repeat_interleave(
        m.tensor([1, 2]), dim=0),
    "repeat_interleave 0-d counts": lambda m: m.tensor([1, 2]).repeat_interleave(m.tensor(2)),
    "repeat_interleave alone": lambda m: m.repeat_interleave(m.tensor([1, 2, 3])),
    "repeat_interleave output_size": lambda m: m.tensor([1, 2]).repeat_interleave(2, dim=0,
                                                                                output_size=4),
    "repeat_interleave negative": lambda m: m.tensor([1, 2]).repeat_interleave(-1),
    "repeat_interleave size": lambda m: m.tensor([1, 2]).repeat_interleave(m.tensor([1, 2, 3]), dim=0),
    "repeat_interleave flat counts": lambda m: m.tensor([[1, 2], [3, 4]]).repeat_interleave(
        m.tensor([1, 2])),
    # flip / roll
    "flip": lambda m: m.arange(6).reshape(2, 3).flip(0, 1),
    "flip list": lambda m: m.flip(m.arange(6).reshape(2, 3), [1]),
    "flip empty list": lambda m: m.arange(6).reshape(2, 3).flip([]),
    "flip int": lambda m: m.flip(m.arange(6).reshape(2, 3), 1),
    "flip twice": lambda m: m.arange(6).reshape(2, 3).flip(1, 1),
    "flip no dims": lambda m: m.arange(6).reshape(2, 3).flip(),
    "roll": lambda m: m.roll(m.arange(6).reshape(2, 3), 1, 1),
    "roll flat": lambda m: m.roll(m.arange(6).reshape(2, 3), 1),
    "roll several": lambda m: m.roll(m.arange(6).reshape(2, 3), (1, -1), (0, 1)),
    "roll far": lambda m: m.arange(5).roll(7),
    "roll kw": lambda m: m.roll(m.arange(5), shifts=-2, dims=0),
    "roll empty": lambda m: m.roll(m.zeros(0), 1),
    "roll misaligned": lambda m: m.roll(m.arange(6).reshape(2, 3), (1, 2), 0),
    "roll tuple, no dims": lambda m: m.roll(m.arange(5), (1, 2)),
    # norms
    "norm": lambda m: m.norm(m.tensor([[3.0, -4.0], [0.0, 1.0]])),
    "norm p=1": lambda m: m.norm(m.tensor([[3.0, -4.0], [0.0, 1.0]]), 1),
    "norm p=1 dim": lambda m: m.norm(m.tensor([[3.0, -4.0], [0.0, 1.0]]), 1, dim=1),
    "norm fro dim": lambda m: m.tensor([[3.0, -4.0], [0.0, 1.0]]).norm("fro", dim=1),
    "norm fro two dims": lambda m: m.norm(m.tensor([[3.0, -4.0], [0.0, 1.0]]), "fro", dim=(0, 1)),
    "norm p=3 two dims": lambda m: m.norm(m.tensor([[3.0, -4.0], [0.0, 1.0]]), 3, dim=(0, 1)),
    "norm inf": lambda m: m.norm(m.tensor([[3.0, -4.0], [0.0, 1.0]]), INF),
    "norm -inf dim": lambda m: m.norm(m.tensor([[3.0, -4.0], [0.0, 1.0]]), -INF, dim=1),
    "norm p=0": lambda m: m.norm(m.tensor([[3.0, -4.0], [0.0, 1.0]]), 0),
    "norm keepdim": lambda m: m.tensor([[3.0, -4.0], [0.0, 1.0]]).norm(dim=1, keepdim=True),
    "norm dtype": lambda m: m.ones(2, 2).norm(dtype=m.float64),
    "norm 3-d fro": lambda m: m.ones(2, 2, 2).norm("fro"),
    "norm fro three dims": lambda m: m.ones(2, 2, 2).norm("fro", dim=(0, 1, 2)),
    "norm p kw": lambda m: m.ones(2, 2).norm(p=2),
    "norm int": lambda m: m.norm(m.tensor([3, 4])),
    "norm bad order": lambda m: m.norm(m.ones(2, 2), "abc"),
    "vector_norm": lambda m: m.linalg.vector_norm(m.tensor([[3.0, -4.0], [0.0, 1.0]])),
    "vector_norm ord dim": lambda m: m.linalg.vector_norm(m.tensor([[3.0, -4.0], [0.0, 1.0]]), ord=1, dim=0),
    "vector_norm -1": lambda m: m.linalg.vector_norm(m.tensor([[3.0, -4.0], [0.0, 1.0]]), -1),
    "vector_norm 0.5": lambda m: m.linalg.vector_norm(m.tensor([[3.0, -4.0], [0.0, 1.0]]), 0.5),
    "vector_norm dtype": lambda m: m.linalg.vector_norm(m.ones(3), dtype=m.float64),
    "vector_norm empty": lambda m: m.linalg.vector_norm(m.zeros(0)),
    "vector_norm empty inf": lambda m: m.linalg.vector_norm(m.zeros(0), INF),
    "vector_norm str": lambda m: m.linalg.vector_norm(m.ones(2), ord="fro"),
    "vector_norm int": lambda m: m.linalg.vector_norm(m.tensor([3, 4]), dtype=m.float64),
    "linalg.norm": lambda m: m.linalg.norm(m.tensor([[3.0, -4.0], [0.0, 1.0]])),
    "linalg.norm 1": lambda m: m.linalg.norm(m.tensor([[3.0, -4.0], [0.0, 1.0]]), 1),
    "linalg.norm -1": lambda m: m.linalg.norm(m.tensor([[3.0, -4.0], [0.0, 1.0]]), -1),
    "linalg.norm inf": lambda m: m.linalg.norm(m.tensor([[3.0, -4.0], [0.0, 1.0]]), INF),
    "linalg.norm -inf": lambda m: m.linalg.norm(m.tensor([[3.0, -4.0], [0.0, 1.0]]), -INF),
    "linalg.norm fro": lambda m: m.linalg.norm(m.tensor([[3.0, -4.0], [0.0, 1.0]]), "fro"),
    "linalg.norm vector 3": lambda m: m.linalg.norm(m.tensor([3.0, 4.0]), 3),
    "linalg.norm dim": lambda m: m.linalg.norm(m.tensor([[3.0, -4.0], [0.0, 1.0]]), dim=1),
    "linalg.norm dims": lambda m: m.linalg.norm(m.tensor([[3.0, -4.0], [0.0, 1.0]]), 1, dim=(1, 0)),
    "linalg.norm 3-d": lambda m: m.linalg.norm(m.ones(2, 2, 2)),
    "linalg.norm 3-d ord": lambda m: m.linalg.norm(m.ones(2, 2, 2), 1),
    "linalg.norm matrix 3": lambda m: m.linalg.norm(m.ones(2, 2), 3),
    "linalg.norm fro vector": lambda m: m.linalg.norm(m.ones(2), "fro"),
    "linalg.norm fro one dim": lambda m: m.linalg.norm(m.ones(2, 2), "fro", dim=1),
    "linalg.norm three dims": lambda m: m.linalg.norm(m.ones(2, 2, 2), dim=(0, 1, 2)),
    "matrix_norm": lambda m: m.linalg.matrix_norm(m.tensor([[3.0, -4.0], [0.0, 1.0]])),
    "matrix_norm inf keepdim": lambda m: m.linalg.matrix_norm(m.ones(2, 3, 4), INF, keepdim=True),
    "matrix_norm 1 dims": lambda m: m.linalg.matrix_norm(m.arange(24.0).reshape(2, 3, 4), 1, dim=(0, 2)),
    "matrix_norm 1-d": lambda m: m.linalg.matrix_norm(m.ones(2)),
    # isclose / allclose / equal
    "isclose": lambda m: m.isclose(m.tensor([1.0, 2.0, INF, -INF, INF]),
                                   m.tensor([1.0, 2.1, INF, INF, 3e38])),
    "isclose nan": lambda m: m.tensor([float("nan"), 1.0]).isclose(m.tensor([float("nan"), 1.0])),
    "isclose equal_nan": lambda m: m.isclose(m.tensor([float("nan")]), m.tensor([float("nan")]),
                                             equal_nan=True),
    "isclose atol": lambda m: m.tensor([1.0, 2.0]).isclose(m.tensor([1.0, 2.1]), atol=0.2),
    "isclose rtol broadcast": lambda m: m.isclose(m.tensor([[100.0], [101.5]]), m.tensor([100.5]),
                                                  rtol=0.01),
    "isclose int": lambda m: m.isclose(m.tensor([1, 2]), m.tensor([1, 3])),
    "isclose bool": lambda m: m.isclose(m.tensor([True, False]), m.tensor([True, True])),
    "isclose dtypes": lambda m: m.isclose(m.tensor([1, 2]), m.tensor([1.0, 2.0])),
    "isclose negative rtol": lambda m: m.isclose(m.ones(1), m.ones(1), rtol=-1),
    "isclose list": lambda m: m.isclose(m.ones(1), [1.0]),
    "allclose": lambda m: m.allclose(m.tensor([1.0, 2.0]), m.tensor([1.0, 2.000001])),
    "allclose not": lambda m: m.tensor([1.0, 2.0]).allclose(m.tensor([1.0, 2.1])),
    "allclose broadcast": lambda m: m.allclose(m.tensor([1.0, 1.0]), m.tensor(1.0)),
    "allclose dtypes": lambda m: m.allclose(m.ones(2), m.ones(2, dtype=m.float64)),
    "allclose number": lambda m: m.allclose(m.ones(1), 1.0),
    "allclose nan": lambda m: m.allclose(m.tensor([float("nan")]), m.tensor([float("nan")]),
                                         equal_nan=True),
    "equal dtypes": lambda m: m.equal(m.tensor([1.0]), m.tensor([1])),
    "equal method": lambda m: m.tensor([1.0, 2.0]).equal(m.tensor([1.0, 2.0])),
    "equal shapes": lambda m: m.equal(m.tensor([1.0, 1.0]), m.tensor(1.0)),
    "equal nan": lambda m: m.equal(m.tensor([float("nan")]), m.tensor([float("nan")])),
    # nn.functional
    "one_hot": lambda m: _fn(m).one_hot(m.tensor([0, 2])),
    "one_hot classes": lambda m: _fn(m).one_hot(m.tensor([[0], [2]]), num_classes=4),
    "one_hot 0-d": lambda m: _fn(m).one_hot(m.tensor(1), 3),
    "one_hot empty": lambda m: _fn(m).one_hot(m.zeros(0, dtype=m.int64), 3),
    "one_hot empty, no classes": lambda m: _fn(m).one_hot(m.zeros(0, dtype=m.int64)),
    "one_hot too few classes": lambda m: _fn(m).one_hot(m.tensor([0, 2]), 2),
    "one_hot negative": lambda m: _fn(m).one_hot(m.tensor([0, -1]), 3),
    "one_hot float": lambda m: _fn(m).one_hot(m.tensor([0.0, 1.0])),
    "one_hot int32": lambda m: _fn(m).one_hot(m.tensor([0, 1], dtype=m.int32)),
    "one_hot list": lambda m: _fn(m).one_hot([0, 1], 3),
    "pad": lambda m: _fn(m).pad(m.arange(6.0).reshape(1, 2, 3), (1, 2)),
    "pad two dims value": lambda m: _fn(m).pad(m.arange(6.0).reshape(1, 2, 3), (1, 0, 0, 1), value=9),
    "pad every dim": lambda m: _fn(m).pad(m.ones(1, 2, 3), (1, 1, 1, 1, 1, 1)),
    "pad negative": lambda m: _fn(m).pad(m.arange(6.0).reshape(1, 2, 3), (-1, 0)),
    "pad list": lambda m: _fn(m).pad(m.ones(1, 2, 3), [1, 1]),
    "pad empty": lambda m: _fn(m).pad(m.ones(1, 2, 3), ()),
    "pad int value": lambda m: _fn(m).pad(m.tensor([[1, 2]]), (1, 1), value=2.5),
    "pad zero-size": lambda m: _fn(m).pad(m.ones(1, 0, 2), (1, 1)),
    "pad reflect": lambda m: _fn(m).pad(m.arange(6.0).reshape(1, 2, 3), (2, 1), mode="reflect"),
    "pad reflect 2-d": lambda m: _fn(m).pad(m.arange(9.0).reshape(1, 3, 3), (1, 1, 2, 0),
                                            mode="reflect"),
    "pad reflect negative": lambda m: _fn(m).pad(m.arange(6.0).reshape(1, 2, 3), (-1, 1),
                                                 mode="reflect"),
    "pad reflect int": lambda m: _fn(m).pad(m.tensor([[[1, 2]]]), (1, 1), mode="reflect"),
    "pad replicate": lambda m: _fn(m).pad(m.arange(6.0).reshape(1, 2, 3), (2, 1), mode="replicate"),
    "pad replicate 3 dims": lambda m: _fn(m).pad(m.arange(8.0).reshape(1, 2, 2, 2),
                                                 (1, 0, 0, 2, 1, 1), mode="replicate"),
    "pad circular": lambda m: _fn(m).pad(m.arange(6.0).reshape(1, 2, 3), (2, 1), mode="circular"),
    "pad too long": lambda m: _fn(m).pad(m.ones(1, 2, 3), (1,) * 8),
    "pad odd": lambda m: _fn(m).pad(m.ones(1, 2, 3), (1, 1, 1)),
    "pad crop too much": lambda m: _fn(m).pad(m.ones(1, 2, 3), (-2, -2)),
    "pad float": lambda m: _fn(m).pad(m.ones(1, 2, 3), (1.0, 1)),
    "pad reflect too far": lambda m: _fn(m).pad(m.ones(1, 2, 3), (3, 0), mode="reflect"),
    "pad circular too far": lambda m: _fn(m).pad(m.ones(1, 2, 3), (4, 1), mode="circular"),
    "pad reflect 1-d": lambda m: _fn(m).pad(m.ones(3), (1, 1), mode="reflect"),
    "pad reflect 4-d one pair": lambda m: _fn(m).pad(m.ones(1, 1, 2, 3), (1, 1), mode="reflect"),
    "pad reflect value": lambda m: _fn(m).pad(m.ones(1, 2, 3), (1, 1), mode="reflect", value=1.0),
    "pad bad mode": lambda m: _fn(m).pad(m.ones(1, 2, 3), (1, 1), mode="foo"),
    "cosine_similarity": lambda m: _fn(m).cosine_similarity(m.tensor([[1.0, 0.0], [1.0, 1.0]]),
                                                            m.tensor([[1.0, 1.0], [0.0, 0.0]])),
    "cosine_similarity broadcast": lambda m: _fn(m).cosine_similarity(
        m.tensor([[1.0, 0.0], [1.0, 1.0]]), m.tensor([1.0, 1.0]), dim=-1),
    "cosine_similarity 1-d": lambda m: _fn(m).cosine_similarity(m.tensor([1.0, 0.0]),
                                                                m.tensor([1.0, 1.0]), dim=0),
    "cosine_similarity 1-d dim 1": lambda m: _fn(m).cosine_similarity(m.ones(2), m.ones(2)),
    "cosine_similarity dtypes": lambda m: _fn(m).cosine_similarity(
        m.tensor([[1.0, 0.0]]), m.tensor([[1.0, 1.0]], dtype=m.float64)),
    "cosine_similarity int": lambda m: _fn(m).cosine_similarity(m.tensor([[1, 0]]), m.tensor([[1, 1]])),
    "normalize": lambda m: _fn(m).normalize(m.tensor([[3.0, 4.0], [0.0, 0.0]])),
    "normalize p=1 dim 0": lambda m: _fn(m).normalize(m.tensor([[3.0, 4.0], [0.0, 0.0]]), p=1, dim=0),
    "normalize 1-d": lambda m: _fn(m).normalize(m.tensor([3.0, 4.0])),
    "normalize 1-d dim 0": lambda m: _fn(m).normalize(m.tensor([3.0, 4.0]), dim=0),
    "normalize int": lambda m: _fn(m).normalize(m.tensor([[3, 4]])),
    "silu": lambda m: _fn(m).silu(m.tensor([1.0, -1.0])),
    "silu inplace": lambda m: _fn(m).silu(m.tensor([1.0, -1.0]), inplace=True),
    "silu int": lambda m: _fn(m).silu(m.tensor([1, -1])),
    "gelu tanh": lambda m: _fn(m).gelu(m.tensor([1.0, -1.0]), approximate="tanh"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_same_as_pytorch(name):
    assert_same_outcome(name, CASES[name], torch, tinyflow)


def test_where_pytorch_says_runtime_error_tinyflow_raises_one_too():
    """A mask that does not broadcast against the tensor: PyTorch's RuntimeError
    (tinyflow's ShapeError is one, and a ValueError as TensorFlow has it)."""
    for m in (torch, tinyflow):
        with pytest.raises(RuntimeError):
            m.ones(3, 4).masked_fill(m.tensor([True, False]), 1.0)


# --- float64 values and gradients to 1e-10 -------------------------------------------------

def _pair(values):
    a = np.asarray(values, dtype=np.float64)
    return tinyflow.tensor(a, requires_grad=True), torch.tensor(a, requires_grad=True)


def _rand(*shape, seed=0, low=-2.0, high=2.0):
    return np.random.default_rng(seed).uniform(low, high, shape)


GRADS = {
    "gather": (lambda m, x: x.gather(1, _i(m, [0, 0, 2], [1, 3, 3])), [_rand(2, 4)]),
    "scatter src": (lambda m, x, s: x.scatter(1, _i(m, [0, 2], [3, 1]), s), [_rand(2, 4), _rand(2, 2, seed=1)]),
    "scatter repeated index": (lambda m, x, s: x.scatter(1, _i(m, [2, 2]), s),
                               [_rand(1, 3), _rand(1, 2, seed=1)]),
    "scatter value": (lambda m, x: m.scatter(x, 0, _i(m, [1, 0, 1]), -3.0), [_rand(2, 3)]),
    "scatter_add": (lambda m, x, s: x.scatter_add(0, _i(m, [0, 1, 0], [0, 0, 0]), s),
                    [_rand(2, 3), _rand(2, 3, seed=1)]),
    "cumsum": (lambda m, x: x.cumsum(1), [_rand(3, 4)]),
    "cumsum dim 0": (lambda m, x: m.cumsum(x, 0), [_rand(3, 4)]),
    "cumprod": (lambda m, x: x.cumprod(1), [_rand(3, 4)]),
    "cumprod zeros": (lambda m, x: x.cumprod(1), [[[1.0, 0.0, 2.0, 3.0], [0.0, 0.0, 2.0, 1.5],
                                                   [2.0, 3.0, 0.0, 0.5]]]),
    "masked_fill": (lambda m, x: x.masked_fill(x > 0, 0.5), [_rand(3, 4)]),
    "masked_fill -inf, softmax": (lambda m, x: x.masked_fill(m.tensor([[False, True, False]]),
                                                             float("-inf")).softmax(-1), [_rand(2, 3)]),
    "masked_fill tensor value": (lambda m, x, v: x.masked_fill(m.tensor([True, False, True]), v),
                                 [_rand(2, 3), 1.5]),
    "tril": (lambda m, x: x.tril(-1), [_rand(2, 3, 4)]),
    "triu": (lambda m, x: m.triu(x, 2), [_rand(3, 5)]),
    "bmm": (lambda m, a, b: m.bmm(a, b), [_rand(2, 3, 4), _rand(2, 4, 5, seed=1)]),
    "einsum matmul": (lambda m, a, b: m.einsum("ij,jk->ik", a, b), [_rand(2, 3), _rand(3, 4, seed=1)]),
    "einsum batched attention": (lambda m, q, k: m.einsum("bhqd,bhkd->bhqk", q, k),
                                 [_rand(2, 2, 3, 4), _rand(2, 2, 5, 4, seed=1)]),
    "einsum trace": (lambda m, a: m.einsum("ii", a), [_rand(3, 3)]),
    "einsum diagonal": (lambda m, a: m.einsum("ii->i", a), [_rand(3, 3)]),
    "einsum summed letter": (lambda m, a, b: m.einsum("ij,k->k", a, b), [_rand(2, 3), _rand(4, seed=1)]),
    "einsum ellipsis broadcast": (lambda m, a, b: m.einsum("...ij,...jk", a, b),
                                  [_rand(2, 1, 2, 3), _rand(5, 3, 4, seed=1)]),
    "einsum three": (lambda m, a, b, c: m.einsum("ij,jk,kl->li", a, b, c),
                     [_rand(2, 3), _rand(3, 4, seed=1), _rand(4, 2, seed=2)]),
    "chunk": (lambda m, x: m.cat([c * (k + 1) for k, c in enumerate(x.chunk(3, 1))], 1), [_rand(2, 7)]),
    "split": (lambda m, x: m.cat([c * (k + 1) for k, c in enumerate(m.split(x, [1, 3], 0))], 0),
              [_rand(4, 2)]),
    "repeat": (lambda m, x: x.repeat(2, 1, 3), [_rand(3, 4)]),
    "repeat_interleave": (lambda m, x: x.repeat_interleave(3, dim=0), [_rand(2, 3)]),
    "repeat_interleave counts": (lambda m, x: x.repeat_interleave(m.tensor([2, 0, 1]), dim=1),
                                 [_rand(2, 3)]),
    "repeat_interleave flat": (lambda m, x: m.repeat_interleave(x, 2), [_rand(2, 3)]),
    "flip": (lambda m, x: x.flip(0, 2), [_rand(2, 3, 4)]),
    "roll": (lambda m, x: m.roll(x, (1, -5), (0, 1)), [_rand(3, 4)]),
    "roll flat": (lambda m, x: x.roll(7), [_rand(3, 4)]),
    "norm": (lambda m, x: x.norm(), [_rand(3, 4)]),
    "norm of zeros": (lambda m, x: x.norm(dim=1), [[[0.0, 0.0, 0.0], [1.0, -2.0, 2.0]]]),
    "norm p=3": (lambda m, x: m.norm(x, 3, dim=0, keepdim=True), [_rand(3, 4)]),
    "vector_norm 1": (lambda m, x: m.linalg.vector_norm(x, 1, dim=1), [_rand(3, 4)]),
    "vector_norm inf ties": (lambda m, x: m.linalg.vector_norm(x, INF, dim=1),
                             [[[1.0, -3.0, 3.0], [2.0, 0.5, -1.0]]]),
    "vector_norm -inf ties": (lambda m, x: m.linalg.vector_norm(x, -INF, dim=1),
                              [[[1.0, -1.0, 2.0], [3.0, -3.0, 3.0]]]),
    "vector_norm 0.5": (lambda m, x: m.linalg.vector_norm(x, 0.5), [_rand(3, 4, low=0.5)]),
    "vector_norm p=3 of zeros": (lambda m, x: m.linalg.vector_norm(x, 3, dim=1),
                                 [[[0.0, 0.0], [1.0, -2.0]]]),
    "matrix_norm 1": (lambda m, x: m.linalg.matrix_norm(x, 1), [_rand(2, 3, 4)]),
    "matrix_norm -inf": (lambda m, x: m.linalg.matrix_norm(x, -INF, keepdim=True), [_rand(2, 3, 4)]),
    "linalg.norm fro dims": (lambda m, x: m.linalg.norm(x, dim=(0, 2)), [_rand(2, 3, 4)]),
    "pad constant": (lambda m, x: _fn(m).pad(x, (1, 2, -1, 1), value=3.0), [_rand(3, 4)]),
    "pad reflect": (lambda m, x: _fn(m).pad(x, (2, 1, 1, 2), mode="reflect"), [_rand(1, 3, 4)]),
    "pad replicate": (lambda m, x: _fn(m).pad(x, (2, 1, 0, 3), mode="replicate"), [_rand(1, 2, 3, 4)]),
    "pad circular": (lambda m, x: _fn(m).pad(x, (3, 1), mode="circular"), [_rand(2, 4)]),
    "cosine_similarity": (lambda m, a, b: _fn(m).cosine_similarity(a, b), [_rand(3, 4), _rand(3, 4, seed=1)]),
    "cosine_similarity broadcast": (lambda m, a, b: _fn(m).cosine_similarity(a, b, dim=-1),
                                    [_rand(2, 1, 4), _rand(3, 4, seed=1)]),
    "cosine_similarity below eps": (lambda m, a, b: _fn(m).cosine_similarity(a, b),
                                    [[[1e-9, 2e-9], [1.0, 2.0]], [[1.0, 1.0], [3e-9, 1e-9]]]),
    "cosine_similarity zeros": (lambda m, a, b: _fn(m).cosine_similarity(a, b, eps=1e-6),
                                [[[0.0, 0.0], [1.0, 2.0]], [[1.0, 1.0], [0.0, 0.0]]]),
    "normalize": (lambda m, x: _fn(m).normalize(x), [_rand(3, 4)]),
    "normalize p=1 with zeros": (lambda m, x: _fn(m).normalize(x, p=1, dim=0),
                                 [[[0.0, 1.0], [0.0, -2.0]]]),
    "silu": (lambda m, x: _fn(m).silu(x), [_rand(3, 4, low=-4, high=4)]),
}


@pytest.mark.parametrize("name", sorted(GRADS))
def test_float64_values_and_gradients(name):
    fn, arrays = GRADS[name]
    ours, theirs = zip(*(_pair(a) for a in arrays))
    y, z = fn(tinyflow, *ours), fn(torch, *theirs)
    assert y.shape == tuple(z.shape) and str(y.dtype).split(".")[-1] == str(z.dtype).split(".")[-1]
    np.testing.assert_allclose(y.detach().numpy(), z.detach().numpy(), rtol=1e-10, atol=1e-12)
    w = np.random.default_rng(7).uniform(0.5, 1.5, tuple(z.shape))
    (y * tinyflow.tensor(w)).sum().backward()
    (z * torch.tensor(w)).sum().backward()
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), rtol=1e-10, atol=1e-12)


def test_second_derivatives_agree():
    """create_graph=True: the vjp rules are ops themselves (einsum's, cumprod's, scatter's)."""
    def second(m, x, fn):
        (g,) = m.autograd.grad(fn(m, x).sum(), x, create_graph=True)
        (h,) = m.autograd.grad((g * g).sum(), x)
        return h.detach().numpy()
    for fn in (lambda m, x: m.einsum("ij,jk->ik", x, x) ** 2,
               lambda m, x: x.cumprod(1) * x,
               lambda m, x: x.scatter(1, _i(m, [2], [0], [1]), x[:, :1] ** 3),
               lambda m, x: _fn(m).cosine_similarity(x, x.flip(0)),
               lambda m, x: x.norm(dim=1) ** 3):
        a = _rand(3, 3)
        ours, theirs = _pair(a)
        np.testing.assert_allclose(second(tinyflow, ours, fn), second(torch, theirs, fn),
                                   rtol=1e-9, atol=1e-12)


# --- in place ---------------------------------------------------------------------------

def _in_place(m):
    b = m.tensor(np.arange(6.0).reshape(2, 3), dtype=m.float64, requires_grad=True)
    s = m.tensor([[10.0, 20.0], [30.0, 40.0]], dtype=m.float64, requires_grad=True)
    c = b * 2
    c.scatter_(1, m.tensor([[0, 2], [1, 0]]), s)
    c.masked_fill_(m.tensor([False, True, False]), 7.0)
    c.scatter_add_(0, m.tensor([[1, 0, 1]]), s[:1, :1].expand(1, 3) * 1.0)
    c.triu_()
    (c * m.tensor(np.arange(1.0, 7.0).reshape(2, 3))).sum().backward()
    z = m.zeros(3)
    view = z[1:]
    z.masked_fill_(m.tensor([True, True, False]), 5.0)
    w = m.zeros(2, 3)
    w.scatter_(1, m.tensor([[1], [2]]), m.ones(2, 1, requires_grad=True))
    q = m.tensor([1, 2, 3])
    q.masked_fill_(m.tensor([True, False, False]), 2.7)
    return c, b.grad, s.grad, c.requires_grad, view, w.requires_grad, w.is_leaf, q


def _leaf_in_place(m):
    m.ones(2, requires_grad=True).masked_fill_(m.tensor([True, False]), 0.0)


def _in_place_grows(m):
    m.zeros(4).masked_fill_(m.ones(2, 4, dtype=m.bool), 1.0)


@pytest.mark.parametrize("case", [_in_place, _leaf_in_place, _in_place_grows])
def test_in_place_forms_as_pytorch(case):
    want = outcome(case, torch)
    got = outcome(case, tinyflow)
    assert close(got, want), f"tinyflow gave {got}, PyTorch {want}"


SELECTING = {
    "index_select": lambda m: m.arange(6.0).reshape(2, 3).index_select(1, m.tensor([2, 0])),
    "index_select 0-d": lambda m: m.index_select(m.arange(6.0).reshape(2, 3), 1, m.tensor(2)),
    "index_select dim 0": lambda m: m.arange(6).reshape(2, 3).index_select(0, m.tensor([1, 1])),
    "index_select 2-d index": lambda m: m.ones(2, 3).index_select(1, m.tensor([[0]])),
    "index_select float index": lambda m: m.ones(2, 3).index_select(1, m.tensor([0.0])),
    "index_select out of range": lambda m: m.ones(2, 3).index_select(1, m.tensor([5])),
    "index_select bad dim": lambda m: m.ones(2, 3).index_select(2, m.tensor([0])),
    "masked_select": lambda m: m.arange(6.0).reshape(2, 3).masked_select(
        m.tensor([True, False, True])),
    "masked_select function": lambda m: m.masked_select(m.tensor([1, 2, 3]),
                                                        m.tensor([True, False, True])),
    "masked_select int mask": lambda m: m.ones(2, 3).masked_select(m.tensor([1, 0, 1])),
    "masked_select bad shape": lambda m: m.ones(2, 3).masked_select(m.tensor([True, False])),
    "type_as": lambda m: m.tensor([1.5, 2.5]).type_as(m.tensor([1])),
    "type_as same": lambda m: m.tensor([1.5]).type_as(m.tensor([2.0])),
    "detach_": lambda m: (lambda y: (y.detach_() is y, y.requires_grad, y.grad_fn))(
        m.ones(2, requires_grad=True) * 2),
}


@pytest.mark.parametrize("name", sorted(SELECTING))
def test_selecting_as_pytorch(name):
    assert_same_outcome(name, SELECTING[name], torch, tinyflow)


@pytest.mark.parametrize("method", ["index_select", "masked_select"])
def test_selecting_gradients_as_pytorch(method):
    a = np.random.default_rng(9).normal(size=(3, 4))
    grads = []
    for m in (tinyflow, torch):
        x = m.tensor(a, requires_grad=True)
        y = x.index_select(1, m.tensor([3, 0, 3])) if method == "index_select" else \
            x.masked_select(m.tensor([True, False, True, True]))
        (y * y).sum().backward()
        grads.append(x.grad.numpy())
    np.testing.assert_allclose(grads[0], grads[1], rtol=1e-12)
