"""tf.data in TensorFlow 1 graphs: iterators as graph ops (MakeIterator,
IteratorGetNext), OutOfRangeError at the end, initializable iterators over
placeholders, and TF1's errors for the usual mistakes."""
import numpy as np
import pytest

import tinyflow.compat.v1 as tf


def test_one_shot_iterator_reads_every_batch_then_raises_out_of_range():
    x = np.arange(5, dtype=np.float32)
    nxt = tf.data.Dataset.from_tensor_slices((x, x * 2)).batch(2).make_one_shot_iterator().get_next()
    assert [t.op.type for t in nxt] == ["IteratorGetNext"] * 2 and nxt[0].shape.as_list() == [None]
    got = []
    with tf.Session() as sess:
        while True:
            try:
                got.append(sess.run(nxt)[1].tolist())
            except tf.errors.OutOfRangeError as e:
                assert "End of sequence" in str(e)
                break
    assert got == [[0.0, 2.0], [4.0, 6.0], [8.0]]


def test_each_session_has_its_own_pass():
    nxt = tf.data.make_one_shot_iterator(tf.data.Dataset.range(3)).get_next()
    with tf.Session() as a, tf.Session() as b:
        assert [a.run(nxt), a.run(nxt), b.run(nxt)] == [0, 1, 0]


def test_initializable_iterator_restarts_with_new_feeds():
    ph = tf.placeholder(tf.int32, [None])
    it = tf.data.make_initializable_iterator(tf.data.Dataset.from_tensor_slices(ph).repeat(2))
    nxt = it.get_next()
    assert nxt.dtype == tf.int32 and tf.data.get_output_types(it._dataset).name == "int32"
    with tf.Session() as sess:
        with pytest.raises(tf.errors.FailedPreconditionError,
                           match="GetNext\\(\\) failed because the iterator has not been "
                                 "initialized"):
            sess.run(nxt)
        sess.run(it.initializer, {ph: [4]})
        assert [sess.run(nxt), sess.run(nxt)] == [4, 4]
        with pytest.raises(tf.errors.OutOfRangeError):
            sess.run(nxt)
        sess.run(it.initializer, {ph: [7, 8]})
        assert sess.run(nxt) == 7


def test_one_shot_iterator_over_a_placeholder_is_refused():
    ph = tf.placeholder(tf.float32, [None])
    with pytest.raises(ValueError, match="use make_initializable_iterator"):
        tf.data.Dataset.from_tensor_slices(ph).make_one_shot_iterator()
