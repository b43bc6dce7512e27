"""The tensor functions PyTorch tutorials use -- gather/scatter, cumsum, masked_fill,
tril/triu, bmm, einsum, chunk/split, repeat, flip/roll, norms, isclose, one_hot, pad,
cosine_similarity, normalize, silu -- without PyTorch: values against numpy references
written here, gradients checked numerically (float64, and one order up), PyTorch's
dtypes and error types, the in-place forms, and graph mode. (test_parity_tensor_ops_extra.py
compares the same calls with PyTorch itself.)
"""
import numpy as np
import pytest

import tinyflow as torch
import tinyflow.compat.v1 as tf1
import tinyflow.nn.functional as F

RNG = np.random.default_rng(0)


def _a(*shape, seed=0, low=-1.0, high=1.0):
    return np.random.default_rng(seed).uniform(low, high, shape)


def _p(*shape, seed=0, low=-1.0, high=1.0):
    return torch.tensor(_a(*shape, seed=seed, low=low, high=high), dtype=torch.float64,
                        requires_grad=True)


def _w(*shape):
    """Fixed weights, so an op that only moves values is checked on an uneven function."""
    return torch.tensor(np.linspace(0.5, 1.5, int(np.prod(shape))).reshape(shape))


def _np(t):
    return t.detach().numpy()


IDX = torch.tensor([[0, 2], [1, 3], [3, 0]])

# --- gradients: first and second order, numerically --------------------------------------

GRADS = [
    ("gather", lambda x: x.gather(1, IDX) * _w(3, 2), [(3, 4)]),
    ("gather smaller index", lambda x: torch.gather(x, 0, torch.tensor([[2, 0]])) * _w(1, 2),
     [(3, 4)]),
    ("scatter src", lambda x, s: x.scatter(1, IDX, s) * _w(3, 4), [(3, 4), (3, 2)]),
    ("scatter larger src", lambda x, s: torch.scatter(x, 0, torch.tensor([[2, 0, 1]]), s)
     * _w(3, 4), [(3, 4), (2, 4)]),
    ("scatter value", lambda x: x.scatter(1, IDX, value=-2.0) * _w(3, 4), [(3, 4)]),
    ("scatter_add repeats", lambda x, s: x.scatter_add(0, torch.tensor([[0, 1, 2, 0], [0, 1, 0, 0]]), s)
     * _w(3, 4), [(3, 4), (2, 4)]),
    ("cumsum", lambda x: x.cumsum(1) * _w(3, 4), [(3, 4)]),
    ("cumsum dim 0", lambda x: torch.cumsum(x, dim=0) * _w(3, 4), [(3, 4)]),
    ("cumprod", lambda x: x.cumprod(-1) * _w(3, 4), [(3, 4)]),
    ("cumprod 3-d", lambda x: torch.cumprod(x, 1) * _w(2, 4, 3), [(2, 4, 3)]),
    ("masked_fill tensor value", lambda x, v: x.masked_fill(torch.tensor([True, False, True, False]), v)
     * _w(3, 4), [(3, 4), ()]),
    ("tril", lambda x: x.tril(1) * _w(2, 3, 4), [(2, 3, 4)]),
    ("triu", lambda x: torch.triu(x, diagonal=-1) * _w(4, 3), [(4, 3)]),
    ("bmm", lambda a, b: torch.bmm(a, b), [(2, 3, 4), (2, 4, 2)]),
    ("einsum matmul", lambda a, b: torch.einsum("ij,jk->ik", a, b), [(2, 3), (3, 4)]),
    ("einsum batched, list", lambda a, b: torch.einsum("bij,bjk->bik", [a, b]), [(2, 2, 3), (2, 3, 2)]),
    ("einsum trace", lambda a: torch.einsum("ii", a), [(3, 3)]),
    ("einsum diagonal", lambda a: torch.einsum("ii->i", a) * _w(3), [(3, 3)]),
    ("einsum repeated and summed", lambda a, b: torch.einsum("iij,k->ik", a, b) * _w(3, 2),
     [(3, 3, 2), (2,)]),
    ("einsum ellipsis broadcast", lambda a, b: torch.einsum("...ij,...jk", a, b) * _w(2, 5, 2, 4),
     [(2, 1, 2, 3), (5, 3, 4)]),
    ("einsum three operands", lambda a, b, c: torch.einsum("ij,jk,kl->li", a, b, c),
     [(2, 3), (3, 4), (4, 2)]),
    ("einsum outer, implicit", lambda a, b: torch.einsum("i,j", a, b) * _w(2, 3), [(2,), (3,)]),
    ("chunk", lambda x: sum((p * _w(*p.shape)).sum() * k for k, p in enumerate(x.chunk(3, 1), 1)),
     [(2, 7)]),
    ("split sizes", lambda x: sum((p * p).sum() * k for k, p in enumerate(torch.split(x, [1, 3], 0), 1)),
     [(4, 2)]),
    ("repeat", lambda x: x.repeat(2, 1, 3) * _w(2, 3, 12), [(3, 4)]),
    ("repeat_interleave", lambda x: x.repeat_interleave(2, dim=1) * _w(3, 8), [(3, 4)]),
    ("repeat_interleave counts", lambda x: torch.repeat_interleave(x, torch.tensor([2, 0, 1]), dim=0)
     * _w(3, 4), [(3, 4)]),
    ("flip", lambda x: x.flip(0, 1) * _w(3, 4), [(3, 4)]),
    ("roll", lambda x: torch.roll(x, (1, -3), (0, 1)) * _w(3, 4), [(3, 4)]),
    ("roll flattened", lambda x: x.roll(5) * _w(3, 4), [(3, 4)]),
    ("norm", lambda x: x.norm(), [(3, 4)]),
    ("norm p=3 dim keepdim", lambda x: torch.norm(x, 3, dim=1, keepdim=True) * _w(3, 1), [(3, 4)]),
    ("vector_norm 1", lambda x: torch.linalg.vector_norm(x, 1, dim=(0, 1)), [(3, 4)]),
    ("linalg.norm matrix inf", lambda x: torch.linalg.norm(x, float("inf")), [(3, 4)]),
    ("matrix_norm fro", lambda x: torch.linalg.matrix_norm(x) * _w(2), [(2, 3, 4)]),
    ("pad constant", lambda x: F.pad(x, (1, 2, -1, 1), value=3.0) * _w(3, 7), [(3, 4)]),
    ("pad reflect", lambda x: F.pad(x, (2, 1, 1, 2), mode="reflect") * _w(1, 6, 7), [(1, 3, 4)]),
    ("pad replicate", lambda x: F.pad(x, (2, 1), mode="replicate") * _w(3, 7), [(3, 4)]),
    ("pad circular", lambda x: F.pad(x, (3, 1), mode="circular") * _w(3, 8), [(3, 4)]),
    ("cosine_similarity", lambda a, b: F.cosine_similarity(a, b) * _w(3), [(3, 4), (3, 4)]),
    ("cosine_similarity broadcast", lambda a, b: F.cosine_similarity(a, b, dim=-1) * _w(2, 3),
     [(2, 1, 4), (3, 4)]),
    ("normalize", lambda x: F.normalize(x, p=3.0, dim=0) * _w(3, 4), [(3, 4)]),
    ("silu", lambda x: F.silu(x) * _w(3, 4), [(3, 4)]),
]


@pytest.mark.parametrize("fn, shapes", [c[1:] for c in GRADS], ids=[c[0] for c in GRADS])
def test_gradients_numerically(fn, shapes):
    xs = [_p(*s, seed=k) for k, s in enumerate(shapes)]
    assert torch.gradcheck(fn, xs)
    assert torch.gradgradcheck(fn, xs)


def test_scatter_gradients_are_pytorchs_rules_at_a_repeated_index():
    """At a repeated index the last write wins; each src element still gets g gathered
    at its index (PyTorch's rule), and x gets nothing where something was written."""
    x, s = _p(1, 3), _p(1, 2, seed=1)
    y = x.scatter(1, torch.tensor([[2, 2]]), s)
    np.testing.assert_array_equal(_np(y), [[_np(x)[0, 0], _np(x)[0, 1], _np(s)[0, 1]]])
    (y * torch.tensor([[1.0, 2.0, 3.0]])).sum().backward()
    np.testing.assert_array_equal(_np(s.grad), [[3.0, 3.0]])
    np.testing.assert_array_equal(_np(x.grad), [[1.0, 2.0, 0.0]])


def test_a_norm_of_zeros_has_a_zero_gradient():
    for fn in (lambda x: x.norm(dim=1), lambda x: torch.linalg.vector_norm(x, 3, dim=1),
               lambda x: torch.linalg.matrix_norm(x.reshape(1, 2, 2)[:, :1])):
        x = torch.tensor([[0.0, 0.0], [3.0, 4.0]], dtype=torch.float64, requires_grad=True)
        fn(x).sum().backward()
        assert np.isfinite(_np(x.grad)).all() and (_np(x.grad)[0] == 0).all()


def test_cumprod_gradient_with_zeros_is_the_exact_derivative():
    v = np.array([2.0, 0.0, 3.0, 0.0, 5.0])
    x = torch.tensor(v, requires_grad=True)
    x.cumprod(0).sum().backward()
    want = [sum(np.prod(np.delete(v[:k + 1], j)) for k in range(j, 5)) for j in range(5)]
    np.testing.assert_allclose(_np(x.grad), want)


# --- values against numpy -------------------------------------------------------------------

def test_gather_scatter_values():
    x = _a(3, 4)
    idx = np.array([[0, 2], [1, 3], [3, 0]])
    t = torch.tensor(x)
    np.testing.assert_array_equal(_np(torch.gather(t, 1, torch.tensor(idx))),
                                  np.take_along_axis(x, idx, 1))
    want = x.copy()
    want[np.arange(3)[:, None], idx] = [[1, 2], [3, 4], [5, 6]]
    got = t.scatter(1, torch.tensor(idx), torch.tensor([[1.0, 2, 9], [3, 4, 9], [5, 6, 9]],
                                                        dtype=torch.float64))
    np.testing.assert_array_equal(_np(got), want)
    want = x.copy()
    np.add.at(want, (np.array([[0, 0, 0]]), np.array([[1, 1, 2]])), 1.0)
    got = t.scatter_add(1, torch.tensor([[1, 1, 2]]), torch.ones(1, 3, dtype=torch.float64))
    np.testing.assert_array_equal(_np(got), want)
    assert torch.tensor(5.0).gather(0, torch.tensor(0)).item() == 5.0


def test_cumsum_and_cumprod_follow_pytorchs_dtypes():
    for dtype in (torch.int32, torch.uint8, torch.bool, torch.int64):
        y = torch.tensor([1, 1, 0, 1], dtype=dtype).cumsum(0)
        assert y.dtype == torch.int64 and y.tolist() == [1, 2, 2, 3]
    assert torch.tensor([200, 100], dtype=torch.uint8).cumsum(0).tolist() == [200, 300]
    assert torch.tensor([1.0, 2.0]).cumsum(0).dtype == torch.float32
    assert torch.tensor([1, 2]).cumsum(0, dtype=torch.float64).dtype == torch.float64
    assert torch.tensor([2, 3, 4]).cumprod(0).tolist() == [2, 6, 24]
    x = _a(2, 3, 4)
    np.testing.assert_allclose(_np(torch.tensor(x).cumprod(1)), np.cumprod(x, 1))
    np.testing.assert_allclose(_np(torch.tensor(x).cumsum(-1)), np.cumsum(x, -1))
    assert torch.tensor(3.0).cumsum(0).item() == 3.0


def test_masks_and_triangles():
    x = torch.arange(12.0).reshape(3, 4)
    np.testing.assert_array_equal(_np(x.tril(1)), np.tril(np.arange(12.0).reshape(3, 4), 1))
    np.testing.assert_array_equal(_np(torch.triu(x, -1)), np.triu(np.arange(12.0).reshape(3, 4), -1))
    assert torch.ones(3, 3, dtype=torch.int64).tril().dtype == torch.int64
    y = x.masked_fill(torch.tensor([True, False, False, True]), float("-inf"))
    assert np.isneginf(_np(y)[:, [0, 3]]).all() and (_np(y)[:, 1:3] == _np(x)[:, 1:3]).all()
    assert torch.tensor([1, 2]).masked_fill(torch.tensor([True, False]), 2.7).tolist() == [2, 2]
    assert torch.zeros(4).masked_fill(torch.ones(2, 4, dtype=torch.bool), 1.0).shape == (2, 4)


def test_einsum_values():
    a, b, c = _a(2, 3), _a(3, 4, seed=1), _a(2, 5, 3, 3, seed=2)
    A, B, C = (torch.tensor(v) for v in (a, b, c))
    for eq, ops, got in [
            ("ij,jk->ik", (a, b), torch.einsum("ij,jk->ik", A, B)),
            ("ij,jk", (a, b), torch.einsum(" i j , j k ", A, B)),
            ("ba", (a,), torch.einsum("ba", A)),
            ("...ii->...i", (c,), torch.einsum("...ii->...i", C)),
            ("bnii", (c,), torch.einsum("...ii", C)),
            ("ij->", (a,), torch.einsum("ij->", A)),
            ("ij,ij->i", (a, a), torch.einsum("ij,ij->i", A, A))]:
        np.testing.assert_allclose(_np(got), np.einsum(eq, *ops), rtol=1e-6)
    assert torch.einsum("ij,ij->ij", torch.ones(1, 3), torch.ones(2, 3)).shape == (2, 3)
    assert torch.einsum("i->", torch.tensor([1, 2, 3])).dtype == torch.int64
    t = torch.ones(2, 3)
    y = torch.einsum("ij->ji", t)
    y += 1                                   # a new tensor, not a view of t
    assert (_np(t) == 1).all()


def test_cutting_repeating_flipping_rolling():
    x = np.arange(10.0)
    t = torch.tensor(x)
    assert [p.tolist() for p in t.chunk(3)] == [list(v) for v in np.split(x, [4, 8])]
    assert [len(p) for p in torch.arange(6).chunk(4)] == [2, 2, 2]
    assert [len(p) for p in t.split(3)] == [3, 3, 3, 1]
    assert [p.shape for p in torch.ones(2, 5).split([2, 3], dim=1)] == [(2, 2), (2, 3)]
    assert isinstance(t.split(5), tuple) and isinstance(torch.chunk(t, 2), tuple)
    m = np.arange(6).reshape(2, 3)
    M = torch.tensor(m)
    np.testing.assert_array_equal(_np(M.repeat(2, 1, 2)), np.tile(m, (2, 1, 2)))
    np.testing.assert_array_equal(_np(M.repeat_interleave(2)), np.repeat(m, 2))
    np.testing.assert_array_equal(_np(M.repeat_interleave(torch.tensor([1, 2]), dim=0)),
                                  np.repeat(m, [1, 2], axis=0))
    assert torch.repeat_interleave(torch.tensor([1, 0, 2])).tolist() == [0, 2, 2]
    np.testing.assert_array_equal(_np(M.flip(0, 1)), m[::-1, ::-1])
    np.testing.assert_array_equal(_np(torch.flip(M, [1])), m[:, ::-1])
    np.testing.assert_array_equal(_np(torch.roll(M, 1)), np.roll(m, 1))
    np.testing.assert_array_equal(_np(torch.roll(M, (1, -1), (0, 1))), np.roll(m, (1, -1), (0, 1)))
    f = M.flip(1)
    f += 1                                   # flip makes a copy, as in PyTorch
    assert M.tolist() == m.tolist()


def test_norm_values():
    x = _a(3, 4)
    t = torch.tensor(x)
    np.testing.assert_allclose(torch.norm(t).item(), np.linalg.norm(x))
    np.testing.assert_allclose(_np(t.norm(1, dim=1)), np.abs(x).sum(1))
    np.testing.assert_allclose(_np(t.norm(dim=0, keepdim=True)), np.linalg.norm(x, axis=0, keepdims=True))
    np.testing.assert_allclose(torch.norm(t, float("inf")).item(), np.abs(x).max())
    np.testing.assert_allclose(_np(torch.linalg.vector_norm(t, 0.5, dim=1)),
                               (np.abs(x) ** 0.5).sum(1) ** 2)
    np.testing.assert_allclose(torch.linalg.vector_norm(t, 0).item(), np.count_nonzero(x))
    for ord in ("fro", 1, -1, np.inf, -np.inf):
        np.testing.assert_allclose(torch.linalg.norm(t, ord).item(), np.linalg.norm(x, ord))
        np.testing.assert_allclose(torch.linalg.matrix_norm(t, ord).item(), np.linalg.norm(x, ord))
    np.testing.assert_allclose(torch.linalg.norm(t, 3, dim=1).numpy(), np.linalg.norm(x, 3, axis=1))
    assert torch.norm(torch.ones(2, 2), dtype=torch.float64).dtype == torch.float64


def test_isclose_allclose_equal():
    a = torch.tensor([1.0, 2.0, float("inf"), float("nan")])
    b = torch.tensor([1.0 + 1e-7, 2.1, float("inf"), float("nan")])
    assert a.isclose(b).tolist() == [True, False, True, False]
    assert torch.isclose(a, b, equal_nan=True).tolist() == [True, False, True, True]
    assert torch.isclose(a, b, atol=0.2, equal_nan=True).all()
    assert torch.allclose(torch.tensor([1.0, 1.0]), torch.tensor(1.0)) is True
    assert torch.tensor([1.0]).allclose(torch.tensor([1.1])) is False
    assert torch.tensor([1.0]).equal(torch.tensor([1])) is True
    assert torch.equal(torch.tensor([1.0, 1.0]), torch.tensor(1.0)) is False


def test_one_hot_pad_cosine_normalize_silu_values():
    y = F.one_hot(torch.tensor([[0], [2]]), num_classes=4)
    assert y.dtype == torch.int64 and y.tolist() == [[[1, 0, 0, 0]], [[0, 0, 1, 0]]]
    assert F.one_hot(torch.tensor([1, 0])).shape == (2, 2)
    x = np.arange(6.0).reshape(1, 2, 3)
    t = torch.tensor(x)
    np.testing.assert_array_equal(_np(F.pad(t, (1, 2))), np.pad(x, ((0, 0), (0, 0), (1, 2))))
    np.testing.assert_array_equal(_np(F.pad(t, (1, 0, 0, 1), value=9.0)),
                                  np.pad(x, ((0, 0), (0, 1), (1, 0)), constant_values=9.0))
    np.testing.assert_array_equal(_np(F.pad(t, (-1, 0))), x[..., 1:])
    for mode, np_mode in (("reflect", "reflect"), ("replicate", "edge"), ("circular", "wrap")):
        np.testing.assert_array_equal(_np(F.pad(t, (2, 1), mode=mode)),
                                      np.pad(x, ((0, 0), (0, 0), (2, 1)), mode=np_mode))
        np.testing.assert_array_equal(_np(F.pad(t, (1, 1, 1, 0), mode=mode)),
                                      np.pad(x, ((0, 0), (1, 0), (1, 1)), mode=np_mode))
    assert F.pad(torch.tensor([[1, 2]]), (1, 1), value=2.5).tolist() == [[2, 1, 2, 2]]
    a, b = _a(3, 4), _a(3, 4, seed=1)
    want = (a * b).sum(1) / np.linalg.norm(a, axis=1) / np.linalg.norm(b, axis=1)
    np.testing.assert_allclose(_np(F.cosine_similarity(torch.tensor(a), torch.tensor(b))), want)
    assert F.cosine_similarity(torch.zeros(1, 2), torch.ones(1, 2)).tolist() == [0.0]
    np.testing.assert_allclose(_np(F.normalize(torch.tensor(a))),
                               a / np.linalg.norm(a, axis=1, keepdims=True))
    assert F.normalize(torch.zeros(1, 3)).tolist() == [[0.0, 0.0, 0.0]]
    np.testing.assert_allclose(_np(F.silu(torch.tensor(a))), a / (1 + np.exp(-a)))


# --- errors: PyTorch's types, messages that say what was wrong ---------------------------

ERRORS = [
    (lambda: torch.ones(3, 4).gather(1, torch.tensor([[4]])), RuntimeError, "out of bounds"),
    (lambda: torch.ones(3, 4).gather(1, torch.tensor([[-1]])), RuntimeError, "out of bounds"),
    (lambda: torch.ones(3, 4).gather(1, torch.tensor([0])), RuntimeError, "same number of dim"),
    (lambda: torch.ones(3, 4).gather(1, torch.tensor([[0.0]])), RuntimeError, "int32/int64"),
    (lambda: torch.ones(3, 4).gather(2, torch.tensor([[0]])), IndexError, "out of range"),
    (lambda: torch.ones(3, 4).gather(1, torch.zeros(4, 1, dtype=torch.int64)), RuntimeError,
     "no larger than self"),
    (lambda: torch.gather([[1.0]], 0, torch.tensor([[0]])), TypeError, "must be Tensor"),
    (lambda: torch.ones(2, 2).scatter(1, torch.tensor([[0]]), torch.ones(1, 1, dtype=torch.float64)),
     RuntimeError, "dtype"),
    (lambda: torch.ones(2, 2).scatter(1, torch.tensor([[0, 1]]), torch.ones(1, 1)), RuntimeError,
     "no larger size than src"),
    (lambda: torch.ones(2, 2).scatter(1, torch.tensor([[0]]), 1.0, reduce="multiply"),
     NotImplementedError, "multiply"),
    (lambda: torch.ones(2, 2).scatter_add(1, torch.tensor([[0]]), 1.0), TypeError, "src"),
    (lambda: torch.ones(2).cumsum(1), IndexError, "out of range"),
    (lambda: torch.ones(2).masked_fill(torch.tensor([1, 0]), 0.0), RuntimeError, "boolean"),
    (lambda: torch.ones(2).masked_fill(torch.tensor([True, False]), torch.ones(1)), RuntimeError,
     "0-dimensional"),
    (lambda: torch.ones(3).tril(), RuntimeError, "at least 2 dimensions"),
    (lambda: torch.bmm(torch.ones(3, 4), torch.ones(4, 5)), RuntimeError, "batch1 must be a 3D"),
    (lambda: torch.bmm(torch.ones(2, 3, 4), torch.ones(3, 4, 5)), RuntimeError, r"\[2, 4\]"),
    (lambda: torch.bmm(torch.ones(2, 3, 4), torch.ones(2, 4, 5, dtype=torch.float64)),
     RuntimeError, "dtype"),
    (lambda: torch.einsum("ij,jk->ik", torch.ones(2, 3), torch.ones(2, 3)), RuntimeError,
     "subscript j has size 2"),
    (lambda: torch.einsum("ij,jk", torch.ones(2, 3)), RuntimeError, "fewer operands"),
    (lambda: torch.einsum("ijk", torch.ones(2, 3)), RuntimeError, "number of subscripts"),
    (lambda: torch.einsum("ij->iz", torch.ones(2, 3)), RuntimeError, "subscript z does not appear"),
    (lambda: torch.einsum("ij->ii", torch.ones(2, 3)), RuntimeError, "more than once"),
    (lambda: torch.einsum("i1", torch.ones(2, 3)), RuntimeError, r"\[a-zA-Z\]"),
    (lambda: torch.einsum("......", torch.ones(2)), RuntimeError, "ellipsis was already found"),
    (lambda: torch.einsum("i,i", torch.ones(2), torch.ones(2, dtype=torch.float64)), RuntimeError,
     "same dtype"),
    (lambda: torch.einsum("ij", [[1.0]]), TypeError, "expected Tensor"),
    (lambda: torch.ones(4).chunk(0), RuntimeError, "greater than 0"),
    (lambda: torch.ones(4).chunk(2.0), TypeError, "must be int"),
    (lambda: torch.tensor(1.0).chunk(1), RuntimeError, "1-dimensional"),
    (lambda: torch.ones(4).split([1, 2]), RuntimeError, "sum exactly to 4"),
    (lambda: torch.ones(4).split(0), RuntimeError, "can only be 0"),
    (lambda: torch.ones(4).split(-1), RuntimeError, "non-negative"),
    (lambda: torch.ones(2, 2).repeat(2), RuntimeError, "can not be smaller"),
    (lambda: torch.ones(2).repeat(2.0), TypeError, "tuple of ints"),
    (lambda: torch.ones(2).repeat_interleave(-1), RuntimeError, "non-negative"),
    (lambda: torch.ones(2).repeat_interleave(torch.tensor([1, 2, 3]), dim=0), RuntimeError,
     "same size"),
    (lambda: torch.flip(torch.ones(2, 3), 1), TypeError, "tuple of ints"),
    (lambda: torch.ones(2, 3).flip(1, 1), RuntimeError, "multiple times"),
    (lambda: torch.roll(torch.ones(2, 3), (1, 2), 0), RuntimeError, "must align"),
    (lambda: torch.norm(torch.tensor([3, 4])), RuntimeError, "floating point"),
    (lambda: torch.norm(torch.ones(2, 2), "nuc"), NotImplementedError, "singular values"),
    (lambda: torch.norm(torch.ones(2, 2), "abc"), RuntimeError, "not supported"),
    (lambda: torch.linalg.vector_norm(torch.ones(2), "fro"), TypeError, "Number"),
    (lambda: torch.linalg.vector_norm(torch.ones(0), float("inf")), RuntimeError, "empty"),
    (lambda: torch.linalg.norm(torch.ones(2, 2, 2), 1), RuntimeError, "1D or 2D"),
    (lambda: torch.linalg.matrix_norm(torch.ones(2)), RuntimeError, "at least 2 dimensions"),
    (lambda: torch.linalg.matrix_norm(torch.ones(2, 2), 3), RuntimeError, "Order 3"),
    (lambda: torch.isclose(torch.tensor([1]), torch.tensor([1.0])), RuntimeError, "did not match"),
    (lambda: torch.isclose(torch.ones(1), torch.ones(1), rtol=-1), RuntimeError, "rtol"),
    (lambda: torch.allclose(torch.ones(1), 1.0), TypeError, "must be Tensor"),
    (lambda: torch.allclose(torch.ones(2), torch.ones(3)), RuntimeError, "broadcast"),
    (lambda: F.one_hot(torch.tensor([0.0])), RuntimeError, "LongTensor"),
    (lambda: F.one_hot(torch.tensor([0, 2]), 2), RuntimeError, "smaller than num_classes"),
    (lambda: F.one_hot(torch.tensor([-1])), RuntimeError, "non-negative"),
    (lambda: F.one_hot(torch.zeros(0, dtype=torch.int64)), RuntimeError, "empty"),
    (lambda: F.one_hot([0, 1], 2), TypeError, "must be Tensor"),
    (lambda: F.pad(torch.ones(1, 2, 3), (1, 1, 1)), RuntimeError, "divisible by 2"),
    (lambda: F.pad(torch.ones(1, 2), (1,) * 6), RuntimeError, "two times"),
    (lambda: F.pad(torch.ones(1, 2), (1.0, 1)), TypeError, "tuple of ints"),
    (lambda: F.pad(torch.ones(1, 2, 3), (3, 0), mode="reflect"), RuntimeError, "less than"),
    (lambda: F.pad(torch.ones(1, 2, 3), (4, 0), mode="circular"), RuntimeError, "more than once"),
    (lambda: F.pad(torch.ones(3), (1, 1), mode="reflect"), NotImplementedError, "1D input"),
    (lambda: F.pad(torch.ones(1, 3), (1, 1), mode="reflect", value=1.0), RuntimeError, "value"),
    (lambda: F.pad(torch.ones(1, 3), (1, 1), mode="foo"), NotImplementedError, "Unrecognised"),
    (lambda: F.pad(torch.ones(1, 3), (-2, -2)), RuntimeError, "non-negative"),
    (lambda: F.cosine_similarity(torch.tensor([[1, 0]]), torch.tensor([[1, 1]])), RuntimeError,
     "floating point"),
    (lambda: F.cosine_similarity(torch.ones(2, 3), torch.ones(2, 4)), RuntimeError, "broadcast"),
    (lambda: F.cosine_similarity(torch.ones(2), torch.ones(2)), IndexError, "out of range"),
    (lambda: F.normalize(torch.tensor([[3, 4]])), RuntimeError, "floating point"),
    (lambda: F.silu(torch.tensor([1])), NotImplementedError, "silu"),
]


@pytest.mark.parametrize("call, error, words", ERRORS, ids=[f"{e.__name__}-{w}" for _, e, w in ERRORS])
def test_errors_say_what_was_wrong(call, error, words):
    with pytest.raises(error, match=words):
        call()


# --- in place ---------------------------------------------------------------------------

def test_in_place_forms_rewrite_history_and_keep_views_in_step():
    b = _p(2, 3)
    s = _p(2, 2, seed=1)
    c = b * 2
    assert c.scatter_(1, torch.tensor([[0, 2], [1, 1]]), s) is c
    c.masked_fill_(torch.tensor([False, False, True]), 7.0).triu_()
    c.scatter_add_(0, torch.tensor([[1, 0, 1]]), s[:1, :1].expand(1, 3) * 1.0)
    (c * _w(2, 3)).sum().backward()
    # c = [[s00, 2 b01 + s00, 7], [s00, s11, 7 + s00]]: s10 was written at (1, 1) before
    # s11 and gets g there too (PyTorch's rule); s01 was overwritten by masked_fill_
    w = np.linspace(0.5, 1.5, 6).reshape(2, 3)
    np.testing.assert_allclose(_np(c), [[_np(s)[0, 0], 2 * _np(b)[0, 1] + _np(s)[0, 0], 7],
                                        [_np(s)[0, 0], _np(s)[1, 1], 7 + _np(s)[0, 0]]])
    want_b = np.zeros((2, 3))
    want_b[0, 1] = 2 * w[0, 1]               # the one value of b * 2 that survives
    np.testing.assert_allclose(_np(b.grad), want_b)
    np.testing.assert_allclose(_np(s.grad), [[w[0, 0] + w[0, 1] + w[1, 0] + w[1, 2], 0.0],
                                             [w[1, 1], w[1, 1]]])
    z = torch.zeros(4)
    view = z[1:3]
    z.masked_fill_(torch.tensor([True, True, False, False]), 5.0)
    assert view.tolist() == [5.0, 0.0] and z._version == 1
    m = torch.zeros(2, 2)
    m.tril_(-1)
    assert m.tolist() == [[0.0, 0.0], [0.0, 0.0]]
    with pytest.raises(RuntimeError, match="leaf"):
        torch.ones(2, requires_grad=True).masked_fill_(torch.tensor([True, False]), 0.0)
    with pytest.raises(RuntimeError, match="doesn't match the broadcast shape"):
        torch.zeros(4).masked_fill_(torch.ones(2, 4, dtype=torch.bool), 1.0)
    q = torch.zeros(2, 3)
    q.scatter_(1, torch.tensor([[1], [2]]), torch.ones(2, 1, requires_grad=True))
    assert q.requires_grad and not q.is_leaf and q.grad_fn.name() == "ScatterBackward0"


# --- graph mode -------------------------------------------------------------------------

def test_graph_mode_builds_the_same_ops_and_gradients():
    x = tf1.placeholder(tf1.float64, [3, 4])
    idx = np.array([[0, 2], [1, 1], [3, 0]])
    outs = [x.gather(1, idx), x.scatter(1, idx, 2.0), x.scatter_add(1, idx, np.ones((3, 2))),
            x.cumsum(1), x.cumprod(0), torch.ops.einsum("ij,kj->ik", x, x), x.tril(),
            x.masked_fill(np.array([True, False, True, False]), 0.0), x.flip(1), x.roll(1, 1),
            x.repeat(2, 1), x.repeat_interleave(2, 0), x.norm(), x.split(2, 1)[1]]
    loss = sum(tf1.reduce_sum(o * o) for o in outs)
    (g,) = tf1.gradients(loss, x)
    xv = _a(3, 4)
    with tf1.Session() as s:
        got, got_g = s.run([outs, g], {x: xv})
    X = torch.tensor(xv, requires_grad=True)
    I = torch.tensor(idx)
    eager = [X.gather(1, I), X.scatter(1, I, 2.0), X.scatter_add(1, I, torch.ones(3, 2, dtype=torch.float64)),
             X.cumsum(1), X.cumprod(0), torch.einsum("ij,kj->ik", X, X), X.tril(),
             X.masked_fill(torch.tensor([True, False, True, False]), 0.0), X.flip(1), X.roll(1, 1),
             X.repeat(2, 1), X.repeat_interleave(2, 0), X.norm(), X.split(2, 1)[1]]
    sum((o * o).sum() for o in eager).backward()
    for a, b in zip(got, eager):
        np.testing.assert_allclose(a, _np(b), rtol=1e-12)
    np.testing.assert_allclose(got_g, _np(X.grad), rtol=1e-12)
    ops = {op.type for op in tf1.get_default_graph().get_operations()}
    assert {"ScatterElements", "CumSum", "CumProd", "Einsum", "GatherElements"} <= ops


def test_a_traced_function_runs_the_compositions():
    f = torch.function(lambda a: torch.einsum("ij->j", F.pad(a, (1, 1)).cumsum(0)).norm())
    x = torch.tensor(_a(3, 4))
    np.testing.assert_allclose(f(x).item(),
                               np.linalg.norm(np.cumsum(np.pad(_a(3, 4), ((0, 0), (1, 1))), 0).sum(0)))


def test_index_select_masked_select_type_as_detach_():
    a = np.random.default_rng(2).normal(size=(3, 4))
    x = torch.tensor(a, requires_grad=True)
    np.testing.assert_array_equal(x.index_select(1, torch.tensor([3, 0])).detach().numpy(),
                                  a[:, [3, 0]])
    mask = np.array([True, False, False, True])
    np.testing.assert_array_equal(torch.masked_select(x, torch.tensor(mask)).detach().numpy(),
                                  a[np.broadcast_to(mask, a.shape)])
    assert torch.gradcheck(lambda t: t.index_select(0, torch.tensor([2, 2, 0])), (x,))
    assert torch.gradcheck(lambda t: t.masked_select(torch.tensor(mask)), (x,))
    assert torch.tensor([1.5]).type_as(torch.tensor([1])).dtype == torch.int64
    y = x * 2
    assert y.detach_() is y and not y.requires_grad and y.grad_fn is None
