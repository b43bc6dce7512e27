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


def test_a_graph_that_reads_a_dataset_saves_and_restores(tmp_path):
    """TF1 programs train from an iterator and call saver.save, which writes the
    .meta file too. The checkpoint restores into a rebuilt graph; the .meta file holds
    the iterator's shapes and dtypes but not its pipeline (tinyflow stores no code), so
    an imported graph runs when its get_next() tensors are fed, and running the
    iterator itself says why it cannot."""
    def build():
        x = np.arange(12, dtype=np.float32).reshape(6, 2)
        ds = tf.data.Dataset.from_tensor_slices((x, x.sum(1, keepdims=True))).batch(2).repeat()
        xb, yb = tf.data.make_one_shot_iterator(ds).get_next()
        w = tf.Variable(tf.zeros([2, 1]), name="w")
        loss = tf.reduce_mean(tf.square(tf.matmul(xb, w) - yb), name="loss")
        return xb, yb, w, loss, tf.train.GradientDescentOptimizer(0.01).minimize(loss)

    tf.reset_default_graph()
    xb, yb, w, loss, train = build()
    saver = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(5):
            sess.run(train)
        trained = sess.run(w)
        path = saver.save(sess, str(tmp_path / "model"))
    assert trained.any() and (tmp_path / "model.meta").exists()

    tf.reset_default_graph()                        # rebuilt in code: everything runs
    xb, yb, w, loss, train = build()
    with tf.Session() as sess:
        tf.train.Saver().restore(sess, path)
        np.testing.assert_array_equal(sess.run(w), trained)
        sess.run(train)

    tf.reset_default_graph()                        # imported from the .meta file
    saver = tf.train.import_meta_graph(path + ".meta")
    g = tf.get_default_graph()
    xb, yb = g.get_tensor_by_name("IteratorGetNext:0"), g.get_tensor_by_name("IteratorGetNext:1")
    assert xb.shape.as_list() == [None, 2] and yb.dtype == tf.float32
    batch = np.array([[1.0, 2.0]], np.float32)
    with tf.Session() as sess:
        saver.restore(sess, path)
        got = sess.run("loss:0", {xb: batch, yb: batch.sum(1, keepdims=True)})
        assert np.isclose(got, ((batch @ trained - batch.sum(1, keepdims=True)) ** 2).mean())
        with pytest.raises(tf.errors.FailedPreconditionError,
                           match="does not hold its tf.data pipeline.*feed_dict"):
            sess.run("loss:0")
