"""tinyflow.data: datasets, loaders, splits, and the built-in data sets."""
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import numpy as np
import pytest

import tinyflow as tf
from tinyflow.data import (DataLoader, Dataset, Subset, TensorDataset, load_digits, make_moons,
                           make_spirals, random_split, train_test_split)
from tinyflow.eager.tensor import Tensor

ROOT = Path(__file__).resolve().parents[1]


def _dataset(n=10):
    return TensorDataset(np.arange(n * 2, dtype=np.float32).reshape(n, 2), np.arange(n))


# --- datasets --------------------------------------------------------------------------

def test_tensor_dataset_items_and_batches():
    ds = _dataset()
    assert len(ds) == 10
    x, y = ds[3]
    assert isinstance(x, Tensor) and x.tolist() == [6.0, 7.0] and y.item() == 3
    xb, yb = ds.get_batch(np.array([1, 4]))
    assert xb.shape == (2, 2) and yb.tolist() == [1, 4]
    assert TensorDataset(tf.ones(3, 2)).tensors[0].shape == (3, 2)


def test_tensor_dataset_checks_sizes():
    with pytest.raises(ValueError, match=r"same size in dimension 0, "
                                         r"got shapes \[\(3, 2\), \(4,\)\]"):
        TensorDataset(np.zeros((3, 2)), np.zeros(4))
    with pytest.raises(ValueError, match="at least one tensor"):
        TensorDataset()


def test_dataset_base_class_says_what_to_define():
    with pytest.raises(NotImplementedError, match="must define __len__"):
        len(Dataset())


# --- loader ----------------------------------------------------------------------------

def test_loader_batches_in_order_without_shuffle():
    batches = list(DataLoader(_dataset(), batch_size=4))
    assert [y.tolist() for _, y in batches] == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    x, y = batches[0]
    assert x.dtype == np.float32 and y.dtype == np.int64 and x.shape == (4, 2)
    assert len(DataLoader(_dataset(), batch_size=4)) == 3
    assert len(DataLoader(_dataset(), batch_size=4, drop_last=True)) == 2
    assert [len(y) for _, y in DataLoader(_dataset(), batch_size=4, drop_last=True)] == [4, 4]
    assert len(list(DataLoader(_dataset()))) == 10


def test_loader_shuffles_each_epoch_reproducibly_with_a_seed():
    def epochs(loader):
        return [np.concatenate([y.numpy() for _, y in loader]) for _ in range(2)]

    a = epochs(DataLoader(_dataset(), batch_size=3, shuffle=True, seed=1))
    b = epochs(DataLoader(_dataset(), batch_size=3, shuffle=True, seed=1))
    for e in range(2):
        np.testing.assert_array_equal(a[e], b[e])
        assert sorted(a[e]) == list(range(10))
    assert not np.array_equal(a[0], a[1])
    assert not np.array_equal(a[0], np.arange(10))


def test_loader_without_a_seed_follows_manual_seed():
    def order():
        return np.concatenate([y.numpy() for _, y in DataLoader(_dataset(), 4, shuffle=True)])

    tf.manual_seed(3)
    a = order()
    tf.manual_seed(3)
    np.testing.assert_array_equal(a, order())


def test_loader_collates_a_whole_batch_with_one_index_per_tensor():
    ds = _dataset(100)
    calls = []
    original = ds.__class__.__getitem__

    class Spy(TensorDataset):
        def __getitem__(self, index):
            calls.append(np.shape(index))
            return original(self, index)

    spy = Spy(*ds.tensors)
    batches = list(DataLoader(spy, batch_size=32, shuffle=True, seed=0))
    assert calls == [(32,), (32,), (32,), (4,)]
    assert batches[0][0].shape == (32, 2)


def test_loader_stacks_samples_of_any_dataset():
    class Squares(Dataset):
        def __len__(self):
            return 5

        def __getitem__(self, i):
            return {"x": np.full(3, i, np.float32), "y": i * i, "w": 0.5}

    batch = next(iter(DataLoader(Squares(), batch_size=4)))
    assert batch["x"].shape == (4, 3) and batch["y"].tolist() == [0, 1, 4, 9]
    # Python floats collate to float64, as PyTorch's default_collate makes them
    assert batch["y"].dtype == np.int64 and batch["w"].dtype == np.float64


def test_loader_rejects_a_bad_batch_size():
    for bad in (0, -1, 2.5, True):
        with pytest.raises(ValueError, match="batch_size should be a positive integer"):
            DataLoader(_dataset(), batch_size=bad)


# --- splits ---------------------------------------------------------------------------

def test_random_split_counts_and_fractions():
    ds = _dataset(10)
    a, b = random_split(ds, [7, 3], seed=0)
    assert isinstance(a, Subset) and (len(a), len(b)) == (7, 3)
    assert sorted(np.concatenate([a.indices, b.indices])) == list(range(10))
    parts = random_split(ds, [0.5, 0.3, 0.2], seed=0)
    assert [len(p) for p in parts] == [5, 3, 2]
    with pytest.raises(ValueError, match=r"the lengths \[5, 4\] sum to 9, but the dataset has 10"):
        random_split(ds, [5, 4])


def test_subsets_load_batches_vectorized():
    a, _ = random_split(_dataset(10), [6, 4], seed=0)
    x, y = next(iter(DataLoader(a, batch_size=6)))
    assert sorted(y.tolist()) == sorted(a.indices.tolist())
    np.testing.assert_array_equal(x.numpy()[:, 0], 2 * y.numpy())
    assert a[0][1].item() == a.indices[0]


def test_train_test_split():
    X = np.arange(20).reshape(10, 2)
    y = np.arange(10)
    x_tr, x_te, y_tr, y_te = train_test_split(X, y, test_size=0.3, seed=0)
    assert x_tr.shape == (7, 2) and x_te.shape == (3, 2)
    np.testing.assert_array_equal(x_tr[:, 0], 2 * y_tr)
    assert sorted(np.concatenate([y_tr, y_te])) == list(range(10))
    again = train_test_split(X, y, 0.3, 0)
    np.testing.assert_array_equal(again[3], y_te)
    t_tr, t_te = train_test_split(tf.tensor(y), test_size=4, seed=0)
    assert isinstance(t_tr, Tensor) and len(t_te) == 4
    with pytest.raises(ValueError, match=r"test_size as a fraction must be in \(0, 1\)"):
        train_test_split(X, test_size=1.5)
    with pytest.raises(ValueError, match="x and y need the same length, got 10 and 5"):
        train_test_split(X, y[:5])


# --- built-in data --------------------------------------------------------------------

def test_load_digits_is_the_real_dataset():
    X, y = load_digits()
    assert X.shape == (1797, 64) and X.dtype == np.float32
    assert y.shape == (1797,) and y.dtype == np.int64
    assert X.min() == 0.0 and X.max() == 1.0
    assert np.bincount(y).tolist() == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]
    raw, _ = load_digits(scaled=False)
    assert raw.dtype == np.float32 and raw.max() == 16 and (raw == np.round(raw)).all()
    np.testing.assert_array_equal(raw[0].reshape(8, 8)[1], [0, 0, 13, 15, 10, 15, 5, 0])
    np.testing.assert_array_equal(raw / 16, X)
    X[0, 0] = 99                            # the caller's copy, not the cached table
    assert load_digits()[0][0, 0] == 0


def test_load_digits_matches_scikit_learn():
    datasets = pytest.importorskip("sklearn.datasets")
    ref = datasets.load_digits()
    X, y = load_digits(scaled=False)
    np.testing.assert_array_equal(X, ref.data)
    np.testing.assert_array_equal(y, ref.target)


def test_load_digits_needs_only_numpy_and_the_vendored_file():
    code = ("import sys; from tinyflow.data import load_digits; X, y = load_digits(); "
            "assert 'sklearn' not in sys.modules; print(X.shape)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "(1797, 64)"
    data_dir = ROOT / "tinyflow" / "data"
    assert (data_dir / "digits.csv.gz").is_file()
    license_text = (data_dir / "DIGITS_LICENSE.txt").read_text()
    assert "Alpaydin" in license_text and "Kaynak" in license_text and "CC BY 4.0" in license_text


def test_pyproject_ships_the_data_files():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    patterns = config["tool"]["setuptools"]["package-data"]["tinyflow"]
    assert "data/*.csv.gz" in patterns and "data/*.txt" in patterns


def test_make_moons():
    X, y = make_moons(101, noise=0.0, seed=0)
    assert X.shape == (101, 2) and X.dtype == np.float32 and y.dtype == np.int64
    assert np.bincount(y).tolist() == [50, 51]
    outer = X[y == 0]
    np.testing.assert_allclose(np.hypot(outer[:, 0], outer[:, 1]), 1.0, rtol=1e-6)
    inner = X[y == 1]
    np.testing.assert_allclose(np.hypot(inner[:, 0] - 1, inner[:, 1] - 0.5), 1.0, rtol=1e-5)
    a, b = make_moons(50, noise=0.1, seed=4), make_moons(50, noise=0.1, seed=4)
    np.testing.assert_array_equal(a[0], b[0])
    assert not np.array_equal(a[0], make_moons(50, noise=0.1, seed=5)[0])


def test_make_spirals():
    X, y = make_spirals(301, classes=3, noise=0.1, seed=0)
    assert X.shape == (301, 2) and X.dtype == np.float32
    assert np.bincount(y).tolist() == [101, 100, 100]
    assert np.hypot(X[:, 0], X[:, 1]).max() <= 1.0 + 1e-6
    np.testing.assert_array_equal(make_spirals(60, 2, seed=1)[0], make_spirals(60, 2, seed=1)[0])
    tf.manual_seed(2)
    c = make_spirals(30, 3)
    tf.manual_seed(2)
    np.testing.assert_array_equal(c[0], make_spirals(30, 3)[0])
