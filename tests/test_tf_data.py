"""tf.data.Dataset (tinyflow/data/tf_data): every method, against TensorFlow.

Each test's docstring states the TensorFlow 2.21 behaviour it imitates, as
observed by running the same calls under real TensorFlow (tf 2.21, CPU) when
this file was written; the tests assert those facts of tinyflow. Exact
shuffled orders are not compared: tinyflow's generator is not TensorFlow's
(the properties of the order are).
"""
import collections
import warnings

import numpy as np
import pytest

import tinyflow
from tinyflow.base.errors import InvalidArgumentError
from tinyflow.data import tf_data
from tinyflow.data.tf_data import Dataset, TensorSpec
from tinyflow.data.tf_data import functions as tf_data_functions
from tinyflow.eager.tensor import Tensor
from tinyflow.ops.primitive import is_symbolic


def values(ds):
    """The elements as Python values (lists for arrays), nested as they come."""
    def plain(x):
        if isinstance(x, dict):
            return {k: plain(v) for k, v in x.items()}
        if isinstance(x, tuple):
            return type(x)(*map(plain, x)) if hasattr(x, "_fields") else tuple(map(plain, x))
        return x.tolist()
    return [plain(e) for e in ds.as_numpy_iterator()]


def spec(shape, dtype):
    return TensorSpec(shape, dtype)


# --- sources and dtypes ------------------------------------------------------------------

def test_from_tensor_slices_dtypes_follow_tensorflow():
    """TF: Python ints -> int32, Python floats -> float32 (also [1, 2.5]), bools -> bool;
    numpy float64 stays float64 and numpy int64 stays int64; np.float32 stays float32."""
    S = lambda v: Dataset.from_tensor_slices(v).element_spec  # noqa: E731
    assert S([1, 2, 3]) == spec((), "int32")
    assert S([1.0, 2.0]) == S([1, 2.5]) == spec((), "float32")
    assert S([True, False]) == spec((), "bool")
    assert S(np.arange(3.0)) == spec((), "float64")
    assert S(np.arange(3)) == spec((), "int64")
    assert S(np.float32([1, 2])) == spec((), "float32")
    assert S(tinyflow.tensor([1.0, 2.0])) == spec((), "float32")


def test_from_tensor_slices_lists_are_tensors_tuples_and_dicts_are_structure():
    """TF: from_tensor_slices([[1, 2], [3, 4]]) slices one (2, 2) int32 tensor (and a list
    of tuples is a tensor too); a tuple of arrays gives tuple elements; a dict gives dicts
    with the keys in the order given; named tuples stay named tuples."""
    assert values(Dataset.from_tensor_slices([[1, 2], [3, 4]])) == [[1, 2], [3, 4]]
    assert Dataset.from_tensor_slices([(1, 2), (3, 4)]).element_spec == spec((2,), "int32")
    ds = Dataset.from_tensor_slices((np.arange(6).reshape(3, 2), [1, 2, 3]))
    assert ds.element_spec == (spec((2,), "int64"), spec((), "int32"))
    assert values(ds) == [([0, 1], 1), ([2, 3], 2), ([4, 5], 3)]
    ds = Dataset.from_tensor_slices({"b": [1, 2], "a": [[1.0, 2.0], [3.0, 4.0]]})
    assert list(ds.element_spec) == ["b", "a"]
    assert ds.element_spec["a"] == spec((2,), "float32")
    assert values(ds) == [{"b": 1, "a": [1.0, 2.0]}, {"b": 2, "a": [3.0, 4.0]}]
    P = collections.namedtuple("P", "x y")
    ds = Dataset.from_tensor_slices(P([1, 2], [3.0, 4.0]))
    assert ds.element_spec == P(spec((), "int32"), spec((), "float32"))
    assert values(ds) == [P(1, 3.0), P(2, 4.0)]


def test_from_tensor_slices_nested():
    """TF: ((float64 (3,2), [1,2,3]), {"k": int64}) -> ((TensorSpec((2,), float64),
    TensorSpec((), int32)), {'k': TensorSpec((), int64)})."""
    ds = Dataset.from_tensor_slices(((np.zeros((3, 2)), [1, 2, 3]),
                                     {"k": np.ones(3, np.int64)}))
    assert ds.element_spec == ((spec((2,), "float64"), spec((), "int32")),
                               {"k": spec((), "int64")})
    assert values(ds)[2] == (([0.0, 0.0], 3), {"k": 1})


def test_from_tensor_slices_errors():
    """TF: mismatched first dimensions -> ValueError "Dimensions 3 and 2 are not compatible"
    (also inside a dict); a scalar -> ValueError "Unbatching a tensor is only supported for
    rank >= 1"; an empty tuple -> ValueError "Invalid `element`. `element` should not be
    empty."; a ragged list -> ValueError "Can't convert non-rectangular Python sequence to
    Tensor."; zero rows is an empty dataset of cardinality 0."""
    with pytest.raises(ValueError, match="Dimensions 3 and 2 are not compatible"):
        Dataset.from_tensor_slices(([1, 2, 3], [1, 2]))
    with pytest.raises(ValueError, match="Dimensions 3 and 2 are not compatible"):
        Dataset.from_tensor_slices({"a": [1, 2, 3], "b": [1, 2]})
    with pytest.raises(ValueError, match="only supported for rank >= 1"):
        Dataset.from_tensor_slices(5)
    with pytest.raises(ValueError, match="should not be empty"):
        Dataset.from_tensor_slices(())
    with pytest.raises(ValueError, match="non-rectangular Python sequence"):
        Dataset.from_tensor_slices([[1, 2], [3]])
    empty = Dataset.from_tensor_slices(np.zeros((0, 2)))
    assert len(empty) == 0 and values(empty) == [] and empty.element_spec == spec((2,), "float64")


def test_from_tensors_is_one_element():
    """TF: from_tensors([1, 2, 3]) -> one int32 (3,) element; from_tensors(([1,2,3], 4.0))
    -> a (int32 (3,), float32 ()) tuple; 4.0 alone is float32, 4 int32, np.float64(4)
    float64."""
    ds = Dataset.from_tensors(([1, 2, 3], 4.0))
    assert ds.element_spec == (spec((3,), "int32"), spec((), "float32"))
    assert values(ds) == [([1, 2, 3], 4.0)] and len(ds) == 1
    assert Dataset.from_tensors(4).element_spec == spec((), "int32")
    assert Dataset.from_tensors(np.float64(4)).element_spec == spec((), "float64")


def test_sources_copy_the_data():
    """TF copies the arrays into tensors: changing the numpy array afterwards does not
    change the dataset; a tensor taken from the dataset is the user's to change."""
    x = np.arange(3.0)
    ds = Dataset.from_tensor_slices(x)
    x[:] = -1
    first = next(iter(ds))
    first += 100                        # in place, on the element handed out
    assert values(ds) == [0.0, 1.0, 2.0]


def test_range():
    """TF: range(5) -> 0..4 int64; range(2, 10, 3) -> 2, 5, 8; range(5, 0, -2) -> 5, 3, 1
    (cardinality 3); range(-3) is empty; output_type=tf.int32 gives int32."""
    assert values(Dataset.range(5)) == [0, 1, 2, 3, 4]
    assert Dataset.range(5).element_spec == spec((), "int64")
    assert values(Dataset.range(2, 10, 3)) == [2, 5, 8]
    assert values(Dataset.range(5, 0, -2)) == [5, 3, 1] and len(Dataset.range(5, 0, -2)) == 3
    assert values(Dataset.range(-3)) == []
    assert Dataset.range(3, output_type=np.int32).element_spec == spec((), "int32")


def test_zip():
    """TF: zip((range(3), range(5))) -> 3 pairs of int64; zip(a, b) positionally is the
    same; a dict of datasets gives dict elements; nesting is kept; a list of datasets is a
    TypeError: "Invalid input to `zip`. Inputs are expected to be (nested) structures of
    `tf.data.Dataset` objects. Python `list` is not supported and you should use `tuple`
    instead." """
    a, b = Dataset.range(3), Dataset.range(5)
    assert values(Dataset.zip((a, b))) == [(0, 0), (1, 1), (2, 2)]
    assert values(Dataset.zip(a, b)) == values(Dataset.zip((a, b)))
    assert values(Dataset.zip({"x": a, "y": b}))[1] == {"x": 1, "y": 1}
    nested = Dataset.zip((a, (b, b)))
    assert nested.element_spec == (spec((), "int64"), (spec((), "int64"), spec((), "int64")))
    assert len(Dataset.zip((a, b))) == 3
    with pytest.raises(TypeError, match="Python `list` is not supported"):
        Dataset.zip([a, b])


def test_from_generator_and_concatenate():
    """TF: from_generator(gen, output_signature=(TensorSpec([None], int64), TensorSpec([],
    int32))) yields the generator's values converted, cardinality -2 (unknown); a value of
    the wrong shape fails with "`generator` yielded an element of shape (3,) where an
    element of shape (2,) was expected."; no signature -> TypeError "...provide either the
    `output_signature` argument or the `output_types` argument". range(3).concatenate(
    range(10, 12)) -> 0 1 2 10 11, cardinality 5; (2,3) then (2,4) float64 rows ->
    TensorSpec((None,), float64); int64 then float32 -> TypeError "Incompatible dataset
    elements"."""
    def gen():
        for n in range(1, 4):
            yield np.arange(n), n
    ds = Dataset.from_generator(gen, output_signature=(spec([None], "int64"), spec([], "int32")))
    assert values(ds) == [([0], 1), ([0, 1], 2), ([0, 1, 2], 3)]
    assert int(ds.cardinality()) == tf_data.UNKNOWN_CARDINALITY
    assert values(ds) == values(ds)          # each pass calls the generator again
    bad = Dataset.from_generator(lambda: iter([np.zeros(3)]), output_signature=spec([2], "int64"))
    with pytest.raises(InvalidArgumentError, match=r"element of shape \(3,\) where an element "
                                                   r"of shape \(2,\) was expected"):
        values(bad)
    with pytest.raises(TypeError, match="`output_signature` argument or the `output_types`"):
        Dataset.from_generator(gen)
    both = Dataset.range(3).concatenate(Dataset.range(10, 12))
    assert values(both) == [0, 1, 2, 10, 11] and len(both) == 5
    rows = Dataset.from_tensor_slices(np.zeros((2, 3))).concatenate(
        Dataset.from_tensor_slices(np.zeros((2, 4))))
    assert rows.element_spec == spec((None,), "float64")
    with pytest.raises(TypeError, match="Incompatible dataset elements"):
        Dataset.range(3).concatenate(Dataset.from_tensor_slices([1.0, 2.0]))


# --- batching ------------------------------------------------------------------------------

def test_batch_order_spec_and_drop_remainder():
    """TF: range(7).batch(3) -> [0 1 2] [3 4 5] [6] with spec shape (None,) and
    cardinality 3; drop_remainder=True -> [0 1 2] [3 4 5], spec shape (3,), cardinality 2."""
    ds = Dataset.range(7).batch(3)
    assert values(ds) == [[0, 1, 2], [3, 4, 5], [6]]
    assert ds.element_spec == spec((None,), "int64") and len(ds) == 3
    dropped = Dataset.range(7).batch(3, drop_remainder=True)
    assert values(dropped) == [[0, 1, 2], [3, 4, 5]]
    assert dropped.element_spec == spec((3,), "int64") and len(dropped) == 2


def test_batch_of_dicts_and_tuples_batches_each_component():
    """TF: batching dict elements gives a dict of batches ({'a': (None,) int32, 'b':
    (None, 2) float32}); tuples give a tuple of batches; nesting is kept."""
    ds = Dataset.from_tensor_slices({"a": [1, 2, 3], "b": [[1.0, 2], [3, 4], [5, 6]]}).batch(2)
    assert ds.element_spec == {"a": spec((None,), "int32"), "b": spec((None, 2), "float32")}
    assert values(ds) == [{"a": [1, 2], "b": [[1, 2], [3, 4]]}, {"a": [3], "b": [[5, 6]]}]
    ds = Dataset.from_tensor_slices(([1, 2, 3], [4, 5, 6])).batch(2)
    assert values(ds) == [([1, 2], [4, 5]), ([3], [6])]
    nested = Dataset.from_tensor_slices(((np.arange(3), np.arange(3) * 2),
                                         {"z": np.arange(3.0)})).batch(2)
    assert values(nested)[0] == (([0, 1], [0, 2]), {"z": [0.0, 1.0]})


def test_batch_errors():
    """TF: batch(0) and batch(-1) -> InvalidArgumentError "Batch size must be greater than
    zero." (when the dataset is made); elements of different shapes -> InvalidArgumentError
    "Cannot add tensor to the batch: number of elements does not match. Shapes are:
    [tensor]: [2], [batch]: [1]"."""
    for bad in (0, -1):
        with pytest.raises(InvalidArgumentError, match="Batch size must be greater than zero"):
            Dataset.range(3).batch(bad)
    ragged = Dataset.from_generator(lambda: iter([[1], [2, 2]]), output_signature=spec([None],
                                                                                     "int64"))
    with pytest.raises(InvalidArgumentError, match=r"Shapes are: \[tensor\]: \[2\], "
                                                   r"\[batch\]: \[1\]"):
        values(ragged.batch(2))
    with pytest.raises(TypeError, match="batch_size"):
        Dataset.range(3).batch(2.5)


def test_padded_batch():
    """TF: elements [1], [2 2], [3 3 3], [4 4 4 4] padded_batch(2) -> [[1 0] [2 2]],
    [[3 3 3 0] [4 4 4 4]], spec (None, None); padded_shapes=[5], padding_values=-1 pads to
    5 with -1, spec (None, 5); drop_remainder=True with 3 keeps one batch of width 3; scalars
    batch as batch does; a padded shape smaller than an element fails with "Attempted to
    pad to a smaller size than the input element." (TF: DataLossError; here
    InvalidArgumentError)."""
    ds = Dataset.from_generator(lambda: (np.full(n, n) for n in range(1, 5)),
                                output_signature=spec([None], "int64"))
    assert values(ds.padded_batch(2)) == [[[1, 0], [2, 2]], [[3, 3, 3, 0], [4, 4, 4, 4]]]
    assert ds.padded_batch(2).element_spec == spec((None, None), "int64")
    padded = ds.padded_batch(2, padded_shapes=[5], padding_values=np.int64(-1))
    assert padded.element_spec == spec((None, 5), "int64")
    assert values(padded)[0] == [[1, -1, -1, -1, -1], [2, 2, -1, -1, -1]]
    assert values(ds.padded_batch(3, drop_remainder=True)) == [[[1, 0, 0], [2, 2, 0], [3, 3, 3]]]
    assert values(Dataset.range(3).padded_batch(2)) == [[0, 1], [2]]
    with pytest.raises(InvalidArgumentError, match="pad to a smaller size"):
        values(ds.padded_batch(2, padded_shapes=[2]))


def test_unbatch():
    """TF: range(7).batch(3).unbatch() -> 0..6 with spec (); cardinality unknown (-2) after
    batch, 6 after batch(2, drop_remainder=True) of range(6), infinite after repeat();
    unbatching scalars -> ValueError "Cannot unbatch an input with scalar components." """
    ds = Dataset.range(7).batch(3).unbatch()
    assert values(ds) == list(range(7)) and ds.element_spec == spec((), "int64")
    assert int(ds.cardinality()) == -2
    assert len(Dataset.range(6).batch(2, drop_remainder=True).unbatch()) == 6
    assert int(Dataset.range(6).batch(2).repeat().unbatch().cardinality()) == -1
    with pytest.raises(ValueError, match="Cannot unbatch an input with scalar components"):
        Dataset.range(3).unbatch()
    pairs = Dataset.from_tensor_slices((np.arange(4), np.arange(4) * 10)).batch(3).unbatch()
    assert values(pairs)[3] == (3, 30)


# --- shuffle ---------------------------------------------------------------------------------

def test_shuffle_draws_from_a_buffer():
    """TF's buffer semantics: with buffer_size=3 over range(20), element v never comes out
    before position v - 2 (over 200 seeds in TF the largest v - position was exactly 2);
    buffer_size=1 keeps the order; every pass is a permutation."""
    worst = 0
    for seed in range(200):
        out = values(Dataset.range(20).shuffle(3, seed=seed))
        assert sorted(out) == list(range(20))
        worst = max(worst, max(v - pos for pos, v in enumerate(out)))
    assert worst == 2
    assert values(Dataset.range(5).shuffle(1, seed=0)) == [0, 1, 2, 3, 4]


def test_shuffle_seed_and_reshuffle_each_iteration():
    """TF (range(10).shuffle(10, seed=1)): two passes give two different orders; a fresh
    dataset with the same seed repeats the first pass's order; with
    reshuffle_each_iteration=False every pass has the same order. (The orders themselves
    differ from TF's: another generator.)"""
    ds = Dataset.range(10).shuffle(10, seed=1)
    first, second, third = values(ds), values(ds), values(ds)
    assert sorted(first) == list(range(10)) and len({tuple(first), tuple(second),
                                                     tuple(third)}) > 1
    again = Dataset.range(10).shuffle(10, seed=1)
    assert values(again) == first and values(again) == second
    fixed = Dataset.range(10).shuffle(10, seed=1, reshuffle_each_iteration=False)
    assert values(fixed) == values(fixed) == values(fixed) != list(range(10))


def test_shuffle_without_seed_follows_the_global_seed():
    """TF: after tf.random.set_seed(s), a shuffle without its own seed repeats its order
    (tinyflow: tinyflow.manual_seed, which compat.v2's tf.random.set_seed calls)."""
    tinyflow.manual_seed(5)
    a = values(Dataset.range(10).shuffle(10))
    tinyflow.manual_seed(5)
    assert values(Dataset.range(10).shuffle(10)) == a


def test_shuffle_repeat_batch_orders():
    """TF (seed 3, range(4)): shuffle(4).repeat(3) -> each group of 4 is a permutation of
    0..3 (e.g. 0 1 2 3 | 0 3 2 1 | 0 1 3 2) and with reshuffle_each_iteration=False the same
    group three times (3 2 1 0 | 3 2 1 0 | 3 2 1 0); repeat(3).shuffle(12) mixes the epochs
    (0 0 0 1 2 1 2 2 1 3 3 3); shuffle(10).batch(4) gives batches 4 4 2 of shuffled
    elements; batch(4).shuffle(10) shuffles whole batches ([0 1 2 3] stays together)."""
    groups = values(Dataset.range(4).shuffle(4, seed=3).repeat(3))
    assert all(sorted(groups[i:i + 4]) == [0, 1, 2, 3] for i in (0, 4, 8))
    same = values(Dataset.range(4).shuffle(4, seed=3, reshuffle_each_iteration=False).repeat(3))
    assert same[:4] == same[4:8] == same[8:]
    mixed = [values(Dataset.range(4).repeat(3).shuffle(12, seed=s)) for s in range(20)]
    assert all(sorted(m) == sorted(list(range(4)) * 3) for m in mixed)
    assert any(sorted(m[:4]) != [0, 1, 2, 3] for m in mixed)       # epochs mix
    batches = values(Dataset.range(10).shuffle(10, seed=0).batch(4))
    assert [len(b) for b in batches] == [4, 4, 2] and sorted(sum(batches, [])) == list(range(10))
    whole = values(Dataset.range(10).batch(4).shuffle(10, seed=0))
    assert sorted(whole) == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]


def test_shuffle_errors():
    """TF: shuffle(0) and shuffle(-1) -> InvalidArgumentError "buffer_size must be greater
    than zero ..."."""
    for bad in (0, -1):
        with pytest.raises(InvalidArgumentError, match="buffer_size must be greater than zero"):
            Dataset.range(3).shuffle(bad)


# --- map and filter --------------------------------------------------------------------------

def test_map_is_traced_once_on_symbolic_tensors():
    """TF traces map's function once, when map() is called: a Python side effect inside it
    happens once however many elements and passes follow (1 after two passes over 5), and
    the function sees a symbolic tensor (Tensor("args_0:0", shape=(), dtype=int64)).
    After batch, the traced shape has the unknown batch size."""
    seen = []

    def f(x):
        seen.append(x)
        return x + 1
    ds = Dataset.range(5).map(f)
    assert len(seen) == 1 and is_symbolic(seen[0]) and seen[0].dtype == np.int64
    assert values(ds) == [1, 2, 3, 4, 5] and values(ds) == [1, 2, 3, 4, 5]
    assert len(seen) == 1
    shapes = []
    Dataset.range(5).batch(2).map(lambda b: shapes.append(b.shape.as_list()) or b)
    assert shapes == [[None]]


def test_map_calling_conventions_and_results():
    """TF: a tuple element is spread over the arguments (lambda x, y: x + y -> int32 4, 6);
    a dict comes as one argument; a named tuple as one argument; a returned list becomes a
    tuple ((int64, int64)); a returned Python 1.5 is a float32 constant; returning a dict
    gives dict elements."""
    assert values(Dataset.from_tensor_slices(([1, 2], [3, 4])).map(lambda x, y: x + y)) == [4, 6]
    assert values(Dataset.from_tensor_slices({"a": [1, 2]}).map(lambda d: d["a"] * 3)) == [3, 6]
    P = collections.namedtuple("P", "x y")
    assert values(Dataset.from_tensor_slices(P([1, 2], [3.0, 4.0])).map(lambda p: p.x * 2)) \
        == [2, 4]
    listed = Dataset.range(3).map(lambda x: [x, x * 2])
    assert listed.element_spec == (spec((), "int64"), spec((), "int64"))
    assert values(listed) == [(0, 0), (1, 2), (2, 4)]
    const = Dataset.range(2).map(lambda x: (x, 1.5))
    assert const.element_spec == (spec((), "int64"), spec((), "float32"))
    assert values(Dataset.range(2).map(lambda x: {"a": x})) == [{"a": 0}, {"a": 1}]


def test_map_with_tinyflow_ops_and_captured_tensors():
    """A typical preprocessing map: cast to float32, scale, one-hot the label; a tensor
    from outside the function is captured as a constant of the graph."""
    mean = tinyflow.tensor([1.0, 1.0])
    ds = Dataset.from_tensor_slices((np.array([[2, 4], [6, 8]], np.int64), [0, 2]))
    ds = ds.map(lambda x, y: (tinyflow.cast(x, np.float32) / 2.0 - mean,
                              tinyflow.ops.one_hot(y, 3)))
    assert ds.element_spec == (spec((2,), "float32"), spec((3,), "float32"))
    assert values(ds) == [([0.0, 1.0], [1.0, 0.0, 0.0]), ([2.0, 3.0], [0.0, 0.0, 1.0])]


def test_map_parallel_arguments_keep_the_order():
    """TF: num_parallel_calls=tf.data.AUTOTUNE with deterministic=True keeps the order
    (1 2 3 4 5 for range(5).map(x + 1)); tinyflow maps in order always."""
    ds = Dataset.range(5).map(lambda x: x + 1, num_parallel_calls=tf_data.AUTOTUNE,
                              deterministic=False)
    assert values(ds) == [1, 2, 3, 4, 5]


def test_map_falls_back_to_eager_when_tracing_fails():
    """Not TF (which would fail to trace, having autograph for `if`): a function that
    needs values (int(x)) runs eagerly on each element, with a warning that says why and
    how to keep it traced."""
    calls = []

    def double_positive(x):
        calls.append(x)
        return x * 2 if int(x) > 0 else x
    with pytest.warns(UserWarning, match=r"could not trace .* runs eagerly on each element"):
        ds = Dataset.range(3).map(double_positive)
    assert values(ds) == [0, 2, 4] and ds.element_spec == spec((), "int64")
    before = len(calls)
    values(ds)
    assert len(calls) == before + 3                 # eagerly: once per element


def test_debug_mode_runs_functions_eagerly(monkeypatch):
    """TF: after tf.data.experimental.enable_debug_mode(), range(3).map(f) calls f once
    when map() is called (a trace for the element_spec) and once per element when
    iterated: 4 calls for 3 elements; the element_spec is still the traced one."""
    monkeypatch.setattr(tf_data_functions._Debug, "eager", False)
    tf_data.experimental.enable_debug_mode()
    calls = []
    ds = Dataset.range(3).map(lambda x: calls.append(type(x)) or x * 2)
    assert len(calls) == 1 and ds.element_spec == spec((), "int64")
    assert values(ds) == [0, 2, 4] and len(calls) == 4
    assert calls[1:] == [Tensor] * 3


def test_map_arity_error_names_the_function_and_the_element():
    """TF: a one-argument function over (x, y) elements fails with a TypeError "<lambda>()
    takes 1 positional argument but 2 were given"; here when map() is called."""
    with pytest.raises(TypeError, match=r"Dataset.map\(\): the function <lambda> cannot take "
                                        r"the element as 2 positional arguments"):
        Dataset.from_tensor_slices(([1], [2])).map(lambda x: x)
    with pytest.raises(TypeError, match="expected a function"):
        Dataset.range(3).map(5)


def test_filter():
    """TF: range(10).filter(x % 3 == 0) -> 0 3 6 9, cardinality unknown (-2); a tuple
    element is spread over the predicate's arguments; a predicate returning an int64 or a
    (2,) bool -> ValueError "Invalid `predicate`. `predicate` must return a `tf.bool` scalar
    tensor, but its return type is TensorSpec(shape=(), dtype=tf.int64, name=None)."; a
    Python True is accepted."""
    ds = Dataset.range(10).filter(lambda x: x % 3 == 0)
    assert values(ds) == [0, 3, 6, 9] and int(ds.cardinality()) == -2
    pairs = Dataset.from_tensor_slices(([1, 2, 3], [4, 5, 6])).filter(lambda a, b: a > 1)
    assert values(pairs) == [(2, 5), (3, 6)]
    with pytest.raises(ValueError, match=r"must return a `tf.bool` scalar tensor, but its return "
                                         r"type is TensorSpec\(shape=\(\), dtype=tf.int64"):
        Dataset.range(3).filter(lambda x: x)
    with pytest.raises(ValueError, match=r"shape=\(2,\), dtype=tf.bool"):
        Dataset.range(3).filter(lambda x: tinyflow.stack([x > 1, x > 2]))
    assert values(Dataset.range(3).filter(lambda x: True)) == [0, 1, 2]


# --- counting, caching, prefetching ------------------------------------------------------

def test_repeat_take_skip():
    """TF: range(5).repeat(2).batch(3) -> [0 1 2] [3 4 0] [1 2 3] [4];
    range(5).batch(3).repeat(2) -> [0 1 2] [3 4] [0 1 2] [3 4]; repeat(0) is empty;
    range(10).skip(2).take(3) -> 2 3 4; take(-1) takes all, take(-2) too; skip(-1) skips
    all; take(2.5) is a TypeError."""
    assert values(Dataset.range(5).repeat(2).batch(3)) == [[0, 1, 2], [3, 4, 0], [1, 2, 3], [4]]
    assert values(Dataset.range(5).batch(3).repeat(2)) == [[0, 1, 2], [3, 4], [0, 1, 2], [3, 4]]
    assert values(Dataset.range(3).repeat(0)) == []
    assert values(Dataset.range(2).repeat().take(5)) == [0, 1, 0, 1, 0]
    assert values(Dataset.range(10).skip(2).take(3)) == [2, 3, 4]
    assert values(Dataset.range(3).take(-1)) == values(Dataset.range(3).take(-2)) == [0, 1, 2]
    assert values(Dataset.range(3).skip(-1)) == []
    with pytest.raises(TypeError, match="count"):
        Dataset.range(3).take(2.5)


def test_cardinality_rules():
    """TF 2.21's cardinality for each case below, read from dataset.cardinality()."""
    r = Dataset.range
    yes = lambda x: True  # noqa: E731
    cases = {
        "take(3)": (r(10).take(3), 3), "take(20)": (r(10).take(20), 10),
        "skip(3)": (r(10).skip(3), 7), "skip(20)": (r(10).skip(20), 0),
        "repeat(3)": (r(10).repeat(3), 30), "repeat().take(5)": (r(10).repeat().take(5), 5),
        "repeat().skip(5)": (r(10).repeat().skip(5), -1),
        "filter.take(3)": (r(10).filter(yes).take(3), -2),
        "shuffle": (r(10).shuffle(3), 10), "map": (r(10).map(lambda x: x), 10),
        "batch(3)": (r(10).batch(3), 4), "batch(3, True)": (r(10).batch(3, True), 3),
        "empty batch": (r(0).batch(3), 0),
        "zip": (Dataset.zip((r(3), r(5))), 3),
        "zip infinite": (Dataset.zip((r(3), r(5).repeat())), 3),
        "enumerate": (r(10).enumerate(), 10), "enumerate infinite": (r(3).repeat().enumerate(), -1),
        "cache": (r(10).cache(), 10), "prefetch": (r(10).prefetch(2), 10),
        "empty repeat()": (r(0).repeat(), 0), "repeat(0)": (r(3).repeat(0), 0),
        "filter.repeat()": (r(10).filter(yes).repeat(), -1),
        "filter.repeat(0)": (r(10).filter(yes).repeat(0), 0),
        "repeat().batch(2)": (r(3).repeat().batch(2), -1),
        "repeat().batch(2, True)": (r(3).repeat().batch(2, True), -1),
        "concatenate infinite": (r(3).repeat().concatenate(r(2)), -1),
        "concatenate unknown": (r(3).filter(yes).concatenate(r(2)), -2),
    }
    got = {name: int(ds.cardinality()) for name, (ds, _) in cases.items()}
    assert got == {name: n for name, (_, n) in cases.items()}
    assert tf_data.INFINITE_CARDINALITY == -1 and tf_data.UNKNOWN_CARDINALITY == -2
    assert int(tf_data.experimental.cardinality(r(4))) == 4


def test_len_is_tensorflows():
    """TF: len(range(7).batch(3)) == 3; len of an infinite dataset -> TypeError "The dataset
    is infinite."; of an unknown one -> TypeError "The dataset length is unknown." """
    assert len(Dataset.range(7).batch(3)) == 3
    with pytest.raises(TypeError, match="The dataset is infinite."):
        len(Dataset.range(3).repeat())
    with pytest.raises(TypeError, match="The dataset length is unknown."):
        len(Dataset.range(10).filter(lambda x: x > 2))
    assert bool(Dataset.range(0))


def test_cache_reads_the_input_once():
    """TF: a map through py_function before cache() ran for elements 0 1 2 once over two
    passes; shuffle(5, seed=2).cache().repeat(2) gives the same order twice. A pass stopped
    early caches nothing: with this very generator, take(2) then two full passes read
    [0, 1, 0, 1, 2] in TF."""
    reads = []

    def gen():
        for i in range(3):
            reads.append(i)
            yield i
    ds = Dataset.from_generator(gen, output_signature=spec([], "int64")).cache()
    assert values(ds.take(2)) == [0, 1] and values(ds) == [0, 1, 2]
    assert values(ds) == [0, 1, 2] and reads == [0, 1, 0, 1, 2]
    twice = values(Dataset.range(5).shuffle(5, seed=2).cache().repeat(2))
    assert twice[:5] == twice[5:] and sorted(twice[:5]) == [0, 1, 2, 3, 4]
    with pytest.raises(NotImplementedError, match="in memory only"):
        Dataset.range(3).cache("/tmp/cache")


def test_cached_elements_cannot_be_changed_through_a_tensor():
    ds = Dataset.range(4).batch(2).cache()
    values(ds)
    first = next(iter(ds))
    first += 100
    assert values(ds) == [[0, 1], [2, 3]]


def test_prefetch_and_autotune():
    """TF: tf.data.AUTOTUNE == tf.data.experimental.AUTOTUNE == -1; prefetch changes no
    element nor order."""
    assert tf_data.AUTOTUNE == tf_data.experimental.AUTOTUNE == -1
    assert values(Dataset.range(5).prefetch(tf_data.AUTOTUNE)) == [0, 1, 2, 3, 4]
    assert values(Dataset.range(5).prefetch(2)) == [0, 1, 2, 3, 4]


def test_enumerate():
    """TF: from_tensor_slices([5., 6.]).enumerate(start=3) -> (3, 5.0), (4, 6.0) with an
    int64 index; a dict element stays a dict beside its index; TF prints it as a
    _ZipDataset."""
    ds = Dataset.from_tensor_slices([5.0, 6.0]).enumerate(start=3)
    assert values(ds) == [(3, 5.0), (4, 6.0)]
    assert ds.element_spec == (spec((), "int64"), spec((), "float32"))
    assert Dataset.from_tensor_slices({"a": [1, 2]}).enumerate().element_spec == \
        (spec((), "int64"), {"a": spec((), "int32")})
    assert repr(ds).startswith("<_ZipDataset element_spec=")


# --- reading ---------------------------------------------------------------------------------

def test_iteration_gives_eager_tensors_and_numpy_iterator_numpy():
    """TF: iterating gives EagerTensors (tf.Tensor(0, shape=(), dtype=int64)), fresh at every
    loop; iter(ds) has next() ending in StopIteration; as_numpy_iterator gives numpy scalars
    for 0-d elements (np.int64(1)) and arrays otherwise, in the element's structure."""
    ds = Dataset.range(2)
    got = [x for x in ds]
    assert all(isinstance(x, Tensor) for x in got) and [int(x) for x in got] == [0, 1]
    assert got[0].dtype == np.int64 and not got[0].requires_grad
    it = iter(ds)
    assert int(next(it)) == 0 and int(it.get_next()) == 1
    with pytest.raises(StopIteration):
        next(it)
    element = next(Dataset.from_tensor_slices(({"a": [1]}, np.zeros((1, 2)))).as_numpy_iterator())
    assert type(element[0]["a"]) is np.int32 and type(element[1]) is np.ndarray


def test_element_spec_prints_as_tensorflows():
    """TF: repr(TensorSpec((None, 2), tf.float32)) is 'TensorSpec(shape=(None, 2),
    dtype=tf.float32, name=None)'; str(tf.float32) is "<dtype: 'float32'>"; a named spec
    prints name='x'; datasets print as <_BatchDataset element_spec=...>, <_RangeDataset ...>,
    <CacheDataset ...> (no underscore), <_MapDataset ...>."""
    s = TensorSpec((None, 2), "float32")
    assert repr(s) == "TensorSpec(shape=(None, 2), dtype=tf.float32, name=None)"
    assert str(s.dtype) == "<dtype: 'float32'>" and s.shape.as_list() == [None, 2]
    assert repr(TensorSpec([None, 2], "float32", name="x")).endswith("name='x')")
    assert s == TensorSpec([None, 2], np.float32) and s.dtype == np.float32
    assert repr(Dataset.range(3).batch(2)) == \
        "<_BatchDataset element_spec=TensorSpec(shape=(None,), dtype=tf.int64, name=None)>"
    assert repr(Dataset.range(1)).startswith("<_RangeDataset ")
    assert repr(Dataset.range(1).cache()).startswith("<CacheDataset ")
    assert repr(Dataset.range(1).map(lambda x: x)).startswith("<_MapDataset ")
    assert repr(Dataset.from_tensors({"a": 1})) == \
        "<_TensorDataset element_spec={'a': TensorSpec(shape=(), dtype=tf.int32, name=None)}>"


def test_reduce():
    """TF: range(5).reduce(np.int64(0), s + x) -> 10; the element is passed whole (a tuple
    element is not spread: e[0] + e[1] -> int32 10 over ([1,2], [3,4])); a state that
    changes dtype -> TypeError "The element types for the new state must match the
    initial state. Expected <dtype: 'int64'> but got <dtype: 'float32'>."; a state of
    another structure -> InvalidArgumentError "The number of components of the initial
    state and the reduce function output does not match. (initial_state=2, output=1).";
    a growing state (concat) works: [0 1 2]."""
    total = Dataset.range(5).reduce(np.int64(0), lambda s, x: s + x)
    assert isinstance(total, Tensor) and int(total) == 10 and total.dtype == np.int64
    pairs = Dataset.from_tensor_slices(([1, 2], [3, 4]))
    assert int(pairs.reduce(np.int32(0), lambda s, e: s + e[0] + e[1])) == 10
    with pytest.raises(TypeError, match=r"Expected <dtype: 'int64'> but got <dtype: 'float32'>"):
        Dataset.range(3).reduce(np.int64(0), lambda s, x: tinyflow.cast(s, np.float32))
    with pytest.raises(InvalidArgumentError, match=r"\(initial_state=2, output=1\)"):
        Dataset.range(3).reduce((np.int64(0), np.int64(0)), lambda s, x: s[0])
    grown = Dataset.range(3).reduce(np.zeros([0], np.int64),
                                    lambda s, x: tinyflow.concat([s, tinyflow.reshape(x, [1])], 0))
    assert grown.tolist() == [0, 1, 2]


def test_pytorch_data_package_is_unchanged():
    """tinyflow.data stays PyTorch's (torch.utils.data); TensorFlow's is tinyflow.data.tf_data."""
    from tinyflow.data import DataLoader, TensorDataset
    assert tinyflow.data.Dataset is not Dataset
    x, y = next(iter(DataLoader(TensorDataset(np.zeros((4, 2)), np.arange(4)), batch_size=2)))
    assert tuple(x.shape) == (2, 2)
