"""Making tensors and reading them back: constructors, dtype defaults, seeds,
the conversions and attributes users rely on, and the repr."""
import numpy as np
import pytest

import tinyflow as tf


# --- dtype defaults -------------------------------------------------------------

@pytest.mark.parametrize("data, dtype", [
    (1.5, tf.float32), ([1.0, 2.0], tf.float32), ([1, 2.5], tf.float32),
    (3, tf.int64), ([[1, 2], [3, 4]], tf.int64),
    (True, tf.bool), ([True, False], tf.bool),
], ids=["float", "float list", "mixed list", "int", "int list", "bool", "bool list"])
def test_python_data_dtype_defaults(data, dtype):
    t = tf.tensor(data)
    assert t.dtype == dtype
    np.testing.assert_array_equal(t.numpy(), np.array(data, dtype=dtype))


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int32, np.int64, np.bool_])
def test_numpy_arrays_keep_their_dtype(dtype):
    a = np.array([1, 0, 1], dtype=dtype)
    assert tf.tensor(a).dtype == dtype
    assert tf.from_numpy(a).dtype == dtype
    assert tf.tensor(a[0]).dtype == dtype            # numpy scalars too


@pytest.mark.parametrize("dtype", [tf.float32, tf.float64, tf.int64, tf.int32, tf.bool])
def test_dtype_argument_converts(dtype):
    t = tf.tensor([0.0, 1.0, 2.0], dtype=dtype)
    assert t.dtype == dtype
    np.testing.assert_array_equal(t.numpy(), np.array([0.0, 1.0, 2.0]).astype(dtype))


def test_dtype_names():
    assert tf.float32 == np.float32 and tf.float64 == np.float64
    assert tf.int64 == np.int64 and tf.int32 == np.int32 and tf.bool == np.bool_
    assert tf.float is tf.float32 and tf.double is tf.float64 and tf.long is tf.int64


# --- copies and sharing -----------------------------------------------------------

def test_tensor_copies_its_data_but_from_numpy_shares_it():
    a = np.arange(3.0)
    copied, shared = tf.tensor(a), tf.from_numpy(a)
    a[0] = 9.0
    assert copied.tolist() == [0.0, 1.0, 2.0]
    assert shared.tolist() == [9.0, 1.0, 2.0]
    shared.numpy()[1] = 7.0                 # .numpy() shares memory too, as in PyTorch
    assert a[1] == 7.0


def test_tensor_of_a_tensor_is_a_copy():
    x = tf.tensor([1.0, 2.0])
    y = tf.tensor(x)
    y.numpy()[0] = 5.0
    assert x.tolist() == [1.0, 2.0]


def test_from_numpy_needs_an_array():
    with pytest.raises(TypeError, match=r"from_numpy\(\): expected np.ndarray \(got list\)"):
        tf.from_numpy([1.0, 2.0])


# --- constructors -------------------------------------------------------------

@pytest.mark.parametrize("make, fill", [(tf.zeros, 0.0), (tf.ones, 1.0)], ids=["zeros", "ones"])
def test_zeros_ones(make, fill):
    for t in (make(2, 3), make((2, 3)), make([2, 3])):
        assert t.shape == (2, 3) and t.dtype == tf.float32
        assert (t.numpy() == fill).all()
    assert make(4).shape == (4,)
    assert make(2, dtype=tf.float64).dtype == tf.float64
    assert make(2, dtype=tf.int64).dtype == tf.int64
    t = make(3, requires_grad=True)
    assert t.requires_grad and t.is_leaf


def test_full():
    t = tf.full((2, 3), 1.5)
    assert t.shape == (2, 3) and t.dtype == tf.float32 and (t.numpy() == 1.5).all()
    assert tf.full((2,), 7).dtype == tf.int64                  # as torch.full
    assert tf.full((2,), True).dtype == tf.bool
    assert tf.full((2,), 7, dtype=tf.float64).dtype == tf.float64
    with pytest.raises(TypeError, match="full.*size.*tuple"):    # as torch.full(3, 0.5)
        tf.full(3, 0.5)


def test_eye():
    np.testing.assert_array_equal(tf.eye(3).numpy(), np.eye(3))
    assert tf.eye(3).dtype == tf.float32
    np.testing.assert_array_equal(tf.eye(2, 3).numpy(), np.eye(2, 3))
    assert tf.eye(2, dtype=tf.int64).dtype == tf.int64


def test_arange():
    assert tf.arange(4).tolist() == [0, 1, 2, 3] and tf.arange(4).dtype == tf.int64
    assert tf.arange(2, 8, 2).tolist() == [2, 4, 6]
    t = tf.arange(0, 1, 0.25)
    assert t.dtype == tf.float32 and t.tolist() == [0.0, 0.25, 0.5, 0.75]
    assert tf.arange(3.0).dtype == tf.float32
    assert tf.arange(3, dtype=tf.float64).dtype == tf.float64


@pytest.mark.parametrize("make", [tf.randn, tf.rand], ids=["randn", "rand"])
def test_random_shapes_dtypes_and_seeding(make):
    tf.manual_seed(123)
    a = make(3, 4)
    b = make(3, 4)
    tf.manual_seed(123)
    a2 = make(3, 4)
    assert a.shape == (3, 4) and a.dtype == tf.float32
    np.testing.assert_array_equal(a.numpy(), a2.numpy())      # same seed, same numbers
    assert not np.array_equal(a.numpy(), b.numpy())           # the stream moves on
    assert make((2, 2), dtype=tf.float64).dtype == tf.float64
    assert make(2, requires_grad=True).requires_grad


def test_rand_is_uniform_in_unit_interval_and_randn_is_standard_normal():
    u = tf.rand(10000).numpy()
    assert u.min() >= 0.0 and u.max() < 1.0 and abs(u.mean() - 0.5) < 0.02
    n = tf.randn(10000).numpy()
    assert abs(n.mean()) < 0.05 and abs(n.std() - 1.0) < 0.05


def test_different_seeds_differ():
    tf.manual_seed(1)
    a = tf.randn(5).numpy()
    tf.manual_seed(2)
    assert not np.array_equal(a, tf.randn(5).numpy())


def test_manual_seed_takes_what_int_takes():
    # as torch.manual_seed: int(seed), so 1.5 seeds with 1 and '5' with 5
    tf.manual_seed(1.5)
    assert tf.initial_seed() == 1
    tf.manual_seed("5")
    assert tf.initial_seed() == 5
    with pytest.raises(ValueError, match="manual_seed.*seed"):
        tf.manual_seed("x")
    with pytest.raises(TypeError, match="manual_seed.*seed"):
        tf.manual_seed(None)


def test_zeros_like_ones_like():
    x = tf.tensor([[1, 2], [3, 4]])
    z, o = tf.zeros_like(x), tf.ones_like(x)
    assert z.shape == o.shape == (2, 2)
    assert z.dtype == o.dtype == tf.int64
    assert z.tolist() == [[0, 0], [0, 0]] and o.tolist() == [[1, 1], [1, 1]]
    y = tf.ones(3, dtype=tf.float64)
    assert tf.zeros_like(y).dtype == tf.float64
    assert tf.ones_like(y, dtype=tf.float32).dtype == tf.float32
    assert tf.zeros_like(y, requires_grad=True).requires_grad


def test_new_zeros_ones_full_empty_tensor_take_the_tensors_dtype():
    """``weight.new_zeros(n_layers, batch, hidden)``, as PyTorch's examples make hidden
    states: this tensor's dtype unless ``dtype`` says otherwise, a new leaf."""
    w = tf.ones(2, dtype=tf.float64, requires_grad=True)
    h = w.new_zeros(2, 3, 4)
    assert h.shape == (2, 3, 4) and h.dtype == tf.float64 and not h.requires_grad
    assert h.is_leaf and h.abs().sum().item() == 0
    assert w.new_zeros((2, 3)).shape == w.new_zeros([2, 3]).shape == (2, 3)
    assert w.new_ones(2, dtype=tf.int64).tolist() == [1, 1]
    assert w.new_empty(0, 2).shape == (0, 2)
    i = tf.tensor([1, 2])
    full = i.new_full((2,), 2.5)                   # the tensor's dtype, not the value's
    assert full.dtype == tf.int64 and full.tolist() == [2, 2]
    assert w.new_full([1], 3).dtype == tf.float64
    assert w.new_zeros(3, requires_grad=True).requires_grad
    assert w.new_tensor([1, 2]).dtype == tf.float64 and i.new_tensor([1.5]).tolist() == [1]
    assert w.new_tensor([1, 2], dtype=tf.int32).dtype == tf.int32
    with pytest.warns(UserWarning, match="detach"):
        copy = w.new_tensor(w)
    assert not copy.requires_grad and copy.tolist() == [1.0, 1.0]
    with pytest.raises(TypeError, match="new_full.*tuple of ints"):
        w.new_full(2, 3)
    with pytest.raises(TypeError, match="size"):
        w.new_zeros()
    with pytest.raises(RuntimeError, match="negative dimension"):
        w.new_ones(-1)
    with pytest.raises(RuntimeError, match="floating point"):
        i.new_zeros(2, requires_grad=True)


# --- reading tensors back --------------------------------------------------------------

def test_attributes_and_conversions():
    t = tf.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    assert t.shape == (2, 3) and t.ndim == 2 and t.dtype == tf.float32
    assert len(t) == 2
    assert t.T.shape == (3, 2) and t.T.tolist() == [[1.0, 4.0], [2.0, 5.0], [3.0, 6.0]]
    assert isinstance(t.numpy(), np.ndarray)
    assert t.tolist() == [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]
    assert t.numel() == 6 and t.size() == (2, 3) and t.size(1) == 3 and t.dim() == 2
    s = t.sum()
    assert s.item() == 21.0 and type(s.item()) is float
    assert type(tf.tensor([7]).item()) is int
    assert tf.tensor(True).item() is True
    assert float(tf.tensor([2.5])) == 2.5 and int(tf.tensor(3)) == 3
    assert tf.tensor(1.5).tolist() == 1.5


def test_iteration_gives_rows():
    rows = list(tf.tensor([[1, 2], [3, 4]]))
    assert [r.tolist() for r in rows] == [[1, 2], [3, 4]]


def test_len_of_a_scalar_tensor_is_an_error():
    with pytest.raises(TypeError, match="0-d"):
        len(tf.tensor(1.0))


def test_repr():
    assert repr(tf.tensor([1.0, 2.0])) == "tensor([1., 2.])"
    assert repr(tf.tensor([1, 2])) == "tensor([1, 2])"
    assert repr(tf.tensor([1.0, 2.0], requires_grad=True)) == "tensor([1., 2.], requires_grad=True)"
    assert repr(tf.tensor([1.0], dtype=tf.float64)) == "tensor([1.], dtype=tinyflow.float64)"
    x = tf.tensor([1.0, 2.0], requires_grad=True)
    assert repr(x * 2) == "tensor([2., 4.], grad_fn=<MulBackward0>)"
    assert repr((x * 2).sum()) == "tensor(6., grad_fn=<SumBackward0>)"
    assert "\n" in repr(tf.ones(2, 2))                      # rows on their own lines
