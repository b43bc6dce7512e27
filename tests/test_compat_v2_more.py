"""``import tinyflow.compat.v2 as tf``: TF2's array ops (gather, tile, pad, split, reverse,
sort, boolean_mask, norm, cumsum, einsum...), ``tf.nn`` conv2d / max_pool2d / avg_pool2d,
``tf.linalg``, ``tf.math`` additions, ``tf.optimizers``, ``tf.losses``, ``tf.summary``.

Every expected value, dtype, shape and error type was observed under real TensorFlow
2.21 with the snippet quoted beside it (``TF:``); these tests never import TensorFlow.
"""
import os

import numpy as np
import pytest

import tinyflow.compat.v2 as tf
from tinyflow.base.errors import InvalidArgumentError

P = [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]


def _check(t, dtype, shape, values):
    assert t.dtype == dtype, (t.dtype, dtype)
    assert tuple(t.shape) == tuple(shape)
    np.testing.assert_allclose(t.numpy(), values, rtol=1e-5, atol=1e-5)


# --- array ops: values, dtypes, shapes -------------------------------------------------

def test_gather_tile_pad_split_reverse_match_tf():
    """TF: p = tf.constant(P)
    tf.gather(p, [[2, 0], [1, 1]]) -> float32 (2, 2, 2) [[[5,6],[1,2]],[[3,4],[3,4]]]
    tf.gather(p, [1, 0, 1], axis=1) -> (3, 3) [[2,1,2],[4,3,4],[6,5,6]]
    tf.tile([[1, 2]], [2, 3]) -> int32 (2, 6) [[1,2,1,2,1,2],[1,2,1,2,1,2]]
    tf.pad([[1., 2.]], [[1, 0], [0, 2]], constant_values=7) -> (2, 4) [[7,7,7,7],[1,2,7,7]]
    tf.split(tf.range(6), 3) -> three int32 (2,): [0,1] [2,3] [4,5]
    tf.split(tf.reshape(tf.range(10.), [2, 5]), [1, -1, 2], axis=1) -> (2,1) [[0],[5]],
        (2,2) [[1,2],[6,7]], (2,2) [[3,4],[8,9]]
    tf.reverse([[1, 2, 3], [4, 5, 6]], [1]) -> int32 [[3,2,1],[6,5,4]]
    q = tf.reshape(tf.range(24.), [2, 3, 4]): tf.gather(q, [[2, 0], [1, 1]], batch_dims=1) ->
    (2,2,4) [[q[0,2], q[0,0]], [q[1,1], q[1,1]]]; tf.gather(q, [[0, 3], [1, 1]], batch_dims=1,
    axis=2) -> (2,3,2) [[[0,3],[4,7],[8,11]],[[13,13],[17,17],[21,21]]]; batch_dims=2 with
    [[[0,3],[1,1],[2,2]],[[0,0],[1,1],[3,3]]] -> [[[0,3],[5,5],[10,10]],[[12,12],[17,17],
    [23,23]]]; tf.gather(q, [[2, 0], [1, 1]], batch_dims=-1).shape -> (2, 3, 2)"""
    p = tf.constant(P)
    _check(tf.gather(p, [[2, 0], [1, 1]]), tf.float32, (2, 2, 2),
           [[[5, 6], [1, 2]], [[3, 4], [3, 4]]])
    _check(tf.gather(p, [1, 0, 1], axis=1), tf.float32, (3, 3), [[2, 1, 2], [4, 3, 4], [6, 5, 6]])
    _check(tf.tile([[1, 2]], [2, 3]), tf.int32, (2, 6), [[1, 2, 1, 2, 1, 2]] * 2)
    _check(tf.pad([[1.0, 2.0]], [[1, 0], [0, 2]], constant_values=7), tf.float32, (2, 4),
           [[7, 7, 7, 7], [1, 2, 7, 7]])
    parts = tf.split(tf.range(6), 3)
    assert len(parts) == 3
    for part, want in zip(parts, [[0, 1], [2, 3], [4, 5]]):
        _check(part, tf.int32, (2,), want)
    a, b, c = tf.split(tf.reshape(tf.range(10.0), [2, 5]), [1, -1, 2], axis=1)
    _check(a, tf.float32, (2, 1), [[0], [5]])
    _check(b, tf.float32, (2, 2), [[1, 2], [6, 7]])
    _check(c, tf.float32, (2, 2), [[3, 4], [8, 9]])
    _check(tf.reverse([[1, 2, 3], [4, 5, 6]], [1]), tf.int32, (2, 3), [[3, 2, 1], [6, 5, 4]])
    q = tf.reshape(tf.range(24.0), [2, 3, 4])
    _check(tf.gather(q, [[2, 0], [1, 1]], batch_dims=1), tf.float32, (2, 2, 4),
           q.numpy()[[[0, 0], [1, 1]], [[2, 0], [1, 1]]])
    _check(tf.gather(q, [[0, 3], [1, 1]], batch_dims=1, axis=2), tf.float32, (2, 3, 2),
           [[[0, 3], [4, 7], [8, 11]], [[13, 13], [17, 17], [21, 21]]])
    _check(tf.gather(q, [[[0, 3], [1, 1], [2, 2]], [[0, 0], [1, 1], [3, 3]]], batch_dims=2),
           tf.float32, (2, 3, 2), [[[0, 3], [5, 5], [10, 10]], [[12, 12], [17, 17], [23, 23]]])
    assert tuple(tf.gather(q, [[2, 0], [1, 1]], batch_dims=-1).shape) == (2, 3, 2)


def test_sort_mask_reductions_size_rank_match_tf():
    """TF: tf.sort([3., 1., 2.], direction="DESCENDING") -> float32 [3,2,1]
    tf.argsort([3, 1, 2, 1], stable=True) -> int32 [1,3,2,0]
    tf.argsort([3, 1, 2, 1], direction="DESCENDING", stable=True) -> int32 [0,2,1,3]
    tf.boolean_mask([[1,2],[3,4],[5,6]], [True, False, True]) -> int32 (2,2) [[1,2],[5,6]]
    tf.boolean_mask([[1,2],[3,4]], [[True,False],[False,True]]) -> int32 (2,) [1,4]
    tf.boolean_mask([[1,2,3],[4,5,6]], [True,False,True], axis=1) -> (2,2) [[1,3],[4,6]]
    tf.reduce_all([[True,False],[True,True]], axis=1) -> bool [False, True]
    tf.reduce_any([[True,False],[False,False]]) -> bool () True
    tf.size(tf.zeros([2, 3])) -> int32 () 6; tf.rank(tf.zeros([2, 3])) -> int32 () 2"""
    _check(tf.sort([3.0, 1.0, 2.0], direction="DESCENDING"), tf.float32, (3,), [3, 2, 1])
    _check(tf.argsort([3, 1, 2, 1], stable=True), tf.int32, (4,), [1, 3, 2, 0])
    _check(tf.argsort([3, 1, 2, 1], direction="DESCENDING", stable=True), tf.int32, (4,),
           [0, 2, 1, 3])
    _check(tf.boolean_mask([[1, 2], [3, 4], [5, 6]], [True, False, True]), tf.int32, (2, 2),
           [[1, 2], [5, 6]])
    _check(tf.boolean_mask([[1, 2], [3, 4]], [[True, False], [False, True]]), tf.int32, (2,),
           [1, 4])
    _check(tf.boolean_mask([[1, 2, 3], [4, 5, 6]], [True, False, True], axis=1), tf.int32,
           (2, 2), [[1, 3], [4, 6]])
    _check(tf.reduce_all([[True, False], [True, True]], axis=1), tf.bool, (2,), [False, True])
    _check(tf.reduce_any([[True, False], [False, False]]), tf.bool, (), True)
    _check(tf.math.reduce_any([False, False]), tf.bool, (), False)
    _check(tf.size(tf.zeros([2, 3])), tf.int32, (), 6)
    _check(tf.rank(tf.zeros([2, 3])), tf.int32, (), 2)


def test_norm_cumsum_einsum_clip_by_global_norm_match_tf():
    """TF: m = tf.constant([[3., -4.], [1., 2.]])
    tf.norm(m) -> float32 () 5.47723; tf.norm(m, ord=1, axis=1) -> [7, 3];
    tf.norm(m, ord=np.inf, axis=[0, 1]) -> 7; tf.norm(m, axis=0, keepdims=True) ->
    (1, 2) [[3.16228, 4.47214]]; tf.linalg.norm([3., 4.]) -> 5
    tf.cumsum([1, 2, 3]) -> int32 [1,3,6]; tf.cumsum([1., 2., 3.], exclusive=True) -> [0,1,3];
    tf.cumsum([1, 2, 3], reverse=True) -> int32 [6,5,3];
    tf.cumsum([[1, 2, 3]], axis=1, exclusive=True, reverse=True) -> int32 [[5,3,0]]
    tf.einsum("ij,jk->ik", m, m) -> [[5,-20],[5,0]]; tf.einsum("ii", m) -> () 5
    tf.clip_by_global_norm([tf.constant([3., 4.]), None, tf.constant([12.])], 6.5) ->
        ([[1.5, 2.], None, [6.]], 13.)"""
    m = tf.constant([[3.0, -4.0], [1.0, 2.0]])
    _check(tf.norm(m), tf.float32, (), 5.47723)
    _check(tf.norm(m, ord=1, axis=1), tf.float32, (2,), [7, 3])
    _check(tf.norm(m, ord=np.inf, axis=[0, 1]), tf.float32, (), 7)
    _check(tf.norm(m, axis=0, keepdims=True), tf.float32, (1, 2), [[3.16228, 4.47214]])
    _check(tf.linalg.norm([3.0, 4.0]), tf.float32, (), 5)
    _check(tf.cumsum([1, 2, 3]), tf.int32, (3,), [1, 3, 6])
    _check(tf.cumsum([1.0, 2.0, 3.0], exclusive=True), tf.float32, (3,), [0, 1, 3])
    _check(tf.math.cumsum([1, 2, 3], reverse=True), tf.int32, (3,), [6, 5, 3])
    _check(tf.cumsum([[1, 2, 3]], axis=1, exclusive=True, reverse=True), tf.int32, (1, 3),
           [[5, 3, 0]])
    _check(tf.einsum("ij,jk->ik", m, m), tf.float32, (2, 2), [[5, -20], [5, 0]])
    _check(tf.linalg.einsum("ii", m), tf.float32, (), 5)
    (c0, c1, c2), norm = tf.clip_by_global_norm([tf.constant([3.0, 4.0]), None, [12.0]], 6.5)
    assert c1 is None
    for t, shape, want in ((c0, (2,), [1.5, 2.0]), (c2, (1,), [6.0]), (norm, (), 13.0)):
        _check(t, tf.float32, shape, want)
    small, _ = tf.clip_by_global_norm([tf.constant([0.3, 0.4])], 1.0)     # under: unchanged
    _check(small[0], tf.float32, (2,), [0.3, 0.4])


def test_math_and_linalg_additions_match_tf():
    """TF: tf.math.l2_normalize([[3., 4.], [0., 0.]], axis=1) -> [[0.6, 0.8], [0, 0]]
    tf.math.in_top_k([1, 0, 2], [[.1,.9,.5],[.1,.9,.5],[.5,.5,.5]], 1) -> bool
    [True, False, True] (ties at the boundary count as in)
    tf.linalg.matmul([[1., 2.]], [[3.], [4.]]) -> [[11.]];
    tf.linalg.matrix_transpose(tf.ones([4, 2, 3])).shape -> (4, 3, 2)"""
    _check(tf.math.l2_normalize([[3.0, 4.0], [0.0, 0.0]], axis=1), tf.float32, (2, 2),
           [[0.6, 0.8], [0, 0]])
    _check(tf.math.in_top_k([1, 0, 2], [[0.1, 0.9, 0.5], [0.1, 0.9, 0.5], [0.5, 0.5, 0.5]], 1),
           tf.bool, (3,), [True, False, True])
    _check(tf.linalg.matmul([[1.0, 2.0]], [[3.0], [4.0]]), tf.float32, (1, 1), [[11.0]])
    assert tuple(tf.linalg.matrix_transpose(tf.ones([4, 2, 3])).shape) == (4, 3, 2)


# --- tf.nn ----------------------------------------------------------------------------

IMG = np.arange(32.0, dtype=np.float32).reshape(1, 4, 4, 2)
W = (np.arange(36.0, dtype=np.float32) / 10).reshape(3, 3, 2, 2)
X5 = np.arange(25.0, dtype=np.float32).reshape(1, 5, 5, 1)


def test_conv2d_and_pools_match_tf():
    """TF: img = tf.reshape(tf.range(32.), [1, 4, 4, 2]); w = tf.reshape(tf.range(36.) / 10,
    [3, 3, 2, 2]); x5 = tf.reshape(tf.range(25.), [1, 5, 5, 1])
    tf.nn.conv2d(img, w, 2, "SAME") -> (1,2,2,2) [[[[447, 465.9], [322.8, 339]],
        [[332.8, 359.8], [204.8, 225.2]]]]
    tf.nn.conv2d(img, w, [1, 1], "VALID") -> (1,2,2,2) [[[[447, 465.9], [508.2, 530.7]],
        [[691.8, 725.1], [753, 789.9]]]]
    tf.nn.conv2d(img, w, [1, 1, 1, 1], "SAME")[0, 0] -> [[131.2, 135.6], [215.2, 223.0],
        [270.4, 280.6], [180.8, 188.4]]  (shape (1, 4, 4, 2))
    tf.nn.max_pool2d(x5, 2, 2, "SAME")[0,:,:,0] -> [[6,8,9],[16,18,19],[21,23,24]]
    tf.nn.avg_pool2d(x5, 2, 2, "SAME")[0,:,:,0] -> [[3,5,6.5],[13,15,16.5],[20.5,22.5,24]]
    tf.nn.avg_pool2d(x5, [3, 3], [2, 2], "VALID")[0,:,:,0] -> [[6, 8], [16, 18]]"""
    _check(tf.nn.conv2d(IMG, W, 2, "SAME"), tf.float32, (1, 2, 2, 2),
           [[[[447, 465.9], [322.8, 339]], [[332.8, 359.8], [204.8, 225.2]]]])
    _check(tf.nn.conv2d(tf.constant(IMG), W, [1, 1], "VALID"), tf.float32, (1, 2, 2, 2),
           [[[[447, 465.9], [508.2, 530.7]], [[691.8, 725.1], [753, 789.9]]]])
    _check(tf.nn.conv2d(IMG, W, [1, 1, 1, 1], "SAME")[0, 0], tf.float32, (4, 2),
           [[131.2, 135.6], [215.2, 223.0], [270.4, 280.6], [180.8, 188.4]])
    _check(tf.nn.max_pool2d(X5, 2, 2, "SAME")[0, :, :, 0], tf.float32, (3, 3),
           [[6, 8, 9], [16, 18, 19], [21, 23, 24]])
    _check(tf.nn.avg_pool2d(X5, 2, 2, "SAME")[0, :, :, 0], tf.float32, (3, 3),
           [[3, 5, 6.5], [13, 15, 16.5], [20.5, 22.5, 24]])
    _check(tf.nn.avg_pool2d(X5, [3, 3], [2, 2], "VALID")[0, :, :, 0], tf.float32, (2, 2),
           [[6, 8], [16, 18]])


def test_embedding_lookup_and_moments_match_tf():
    """TF: tf.nn.embedding_lookup(tf.constant(P), [[0, 2]]) -> (1, 2, 2) [[[1,2],[5,6]]]
    tf.nn.moments(tf.constant([[1., 2.], [3., 6.]]), axes=[0]) -> ([2, 4], [1, 4])
    tf.nn.moments(..., axes=[0, 1], keepdims=True) -> ([[3.]], [[3.5]])"""
    _check(tf.nn.embedding_lookup(tf.constant(P), [[0, 2]]), tf.float32, (1, 2, 2),
           [[[1, 2], [5, 6]]])
    data = tf.constant([[1.0, 2.0], [3.0, 6.0]])
    for got, shape, want in zip(tf.nn.moments(data, axes=[0]) + tf.nn.moments(
            data, axes=[0, 1], keepdims=True), [(2,)] * 2 + [(1, 1)] * 2, [[2, 4], [1, 4], 3, 3.5]):
        _check(got, tf.float32, shape, want)


# --- gradients through GradientTape ------------------------------------------------------

def _grad(f, x, dtype=np.float32):
    x = tf.constant(np.asarray(x, dtype))
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = f(x)
    return tape.gradient(y, x)


def test_gradients_match_tf():
    """TF (x watched on a GradientTape, the gradient of y; IndexedSlices made dense):
    gather: y = sum(tf.gather(x, [0, 0, 2]) * P), x = P -> [[4,6],[0,0],[5,6]]
    tile: y = sum(tf.tile(x, [2, 2]) * reshape(range(8.), [2, 4])), x = [[1., 2.]] -> [[12, 16]]
    pad: y = sum(tf.pad(x, [[1, 1], [0, 1]]) * reshape(range(9.), [3, 3])), x = [[1., 2.]]
        -> [[3, 4]]
    split: y = sum(tf.split(x, [1, 2])[1] * [2., 3.]), x = [1., 2., 3.] -> [0, 2, 3]
    reverse: y = sum(tf.reverse(x, [0]) * [1., 2., 3.]) -> [3, 2, 1]
    norm: y = tf.norm(x), x = [3., 4.] -> [0.6, 0.8]
    norm ord=1: y = sum(tf.norm(x, ord=1, axis=1)), x = [[3,-4],[1,2]] -> [[1,-1],[1,1]]
    cumsum: y = sum(tf.cumsum(x, exclusive=True, reverse=True) * [1., 2., 3.]) -> [0, 1, 3]
    einsum: y = sum(tf.einsum("ij,jk->ik", x, x)), x = [[1,2],[3,4]] -> [[7,11],[9,13]]
    embedding_lookup: y = sum(tf.nn.embedding_lookup(x, [0, 0, 2]) * P), x = P
        -> [[4,6],[0,0],[5,6]]
    gather batch_dims=1: y = sum(tf.gather(x, [[2, 2], [1, 0]], batch_dims=1) *
        reshape(range(16.), [2, 2, 4])), x of shape (2, 3, 4) -> [[0]*4, [0]*4, [4,6,8,10]],
        [[12,13,14,15], [8,9,10,11], [0]*4]]
    boolean_mask: y = sum(tf.boolean_mask(x, [True, False, True]) * [2., 3.]) -> [2, 0, 3]"""
    pt = tf.constant(P)
    cases = [
        (lambda x: tf.reduce_sum(tf.gather(x, [0, 0, 2]) * pt), P, [[4, 6], [0, 0], [5, 6]]),
        (lambda x: tf.reduce_sum(tf.tile(x, [2, 2]) * tf.reshape(tf.range(8.0), [2, 4])),
         [[1.0, 2.0]], [[12, 16]]),
        (lambda x: tf.reduce_sum(tf.pad(x, [[1, 1], [0, 1]]) * tf.reshape(tf.range(9.0), [3, 3])),
         [[1.0, 2.0]], [[3, 4]]),
        (lambda x: tf.reduce_sum(tf.split(x, [1, 2])[1] * tf.constant([2.0, 3.0])),
         [1.0, 2.0, 3.0], [0, 2, 3]),
        (lambda x: tf.reduce_sum(tf.reverse(x, [0]) * tf.constant([1.0, 2.0, 3.0])),
         [1.0, 2.0, 3.0], [3, 2, 1]),
        (lambda x: tf.norm(x), [3.0, 4.0], [0.6, 0.8]),
        (lambda x: tf.reduce_sum(tf.norm(x, ord=1, axis=1)), [[3.0, -4.0], [1.0, 2.0]],
         [[1, -1], [1, 1]]),
        (lambda x: tf.reduce_sum(tf.cumsum(x, exclusive=True, reverse=True) *
                                 tf.constant([1.0, 2.0, 3.0])), [1.0, 2.0, 3.0], [0, 1, 3]),
        (lambda x: tf.reduce_sum(tf.einsum("ij,jk->ik", x, x)), [[1.0, 2.0], [3.0, 4.0]],
         [[7, 11], [9, 13]]),
        (lambda x: tf.reduce_sum(tf.nn.embedding_lookup(x, [0, 0, 2]) * pt), P,
         [[4, 6], [0, 0], [5, 6]]),
        (lambda x: tf.reduce_sum(tf.gather(x, [[2, 2], [1, 0]], batch_dims=1) *
                                 tf.reshape(tf.range(16.0), [2, 2, 4])), np.zeros((2, 3, 4)),
         [[[0] * 4, [0] * 4, [4, 6, 8, 10]], [[12, 13, 14, 15], [8, 9, 10, 11], [0] * 4]]),
        (lambda x: tf.reduce_sum(tf.boolean_mask(x, [True, False, True]) *
                                 tf.constant([2.0, 3.0])), [1.0, 2.0, 3.0], [2, 0, 3]),
    ]
    for f, x, want in cases:
        g = _grad(f, x)
        assert g.dtype == tf.float32
        np.testing.assert_allclose(g.numpy(), want, rtol=1e-6, atol=1e-6)


def test_image_gradients_match_tf():
    """TF: y = sum(tf.nn.conv2d(x, w, 2, "SAME") ** 2) (IMG, W above):
    d/dx sums to 107885.6, first entries [93.18, 458.34, 823.5, 1188.66], last
    [1421.04, 1593.04]; d/dw sums to 1108943.4, first [21424, 23233.6, 24038.8, 26013.4],
    last [18774.0, 19567.8].
    y = sum(tf.nn.max_pool2d(x5, 2, 2, "SAME") * reshape(range(9.), [1, 3, 3, 1])):
    dy/dx5[0,:,:,0] = [[0,0,0,0,0],[0,0,0,1,2],[0,0,0,0,0],[0,3,0,4,5],[0,6,0,7,8]]
    with avg_pool2d: [[0,0,.25,.25,1]] * 2 + [[.75,.75,1,1,2.5]] * 2 + [[3,3,3.5,3.5,8]]"""
    gx = _grad(lambda x: tf.reduce_sum(tf.nn.conv2d(x, W, 2, "SAME") ** 2), IMG).numpy().ravel()
    gw = _grad(lambda w: tf.reduce_sum(tf.nn.conv2d(IMG, w, 2, "SAME") ** 2), W).numpy().ravel()
    np.testing.assert_allclose(gx.sum(), 107885.6, rtol=1e-5)
    np.testing.assert_allclose(gx[[0, 1, 2, 3, -2, -1]],
                               [93.18, 458.34, 823.5, 1188.66, 1421.04, 1593.04], rtol=1e-5)
    np.testing.assert_allclose(gw.sum(), 1108943.4, rtol=1e-5)
    np.testing.assert_allclose(gw[[0, 1, 2, 3, -2, -1]],
                               [21424, 23233.6, 24038.8, 26013.4, 18774.0, 19567.8], rtol=1e-5)
    weights = tf.reshape(tf.range(9.0), [1, 3, 3, 1])
    gm = _grad(lambda x: tf.reduce_sum(tf.nn.max_pool2d(x, 2, 2, "SAME") * weights), X5)
    np.testing.assert_array_equal(gm.numpy()[0, :, :, 0].ravel(), [0] * 8 + [1, 2] + [0] * 6 +
                                  [3, 0, 4, 5, 0, 6, 0, 7, 8])
    ga = _grad(lambda x: tf.reduce_sum(tf.nn.avg_pool2d(x, 2, 2, "SAME") * weights), X5)
    np.testing.assert_allclose(ga.numpy()[0, :, :, 0], [[0, 0, .25, .25, 1]] * 2 +
                               [[.75, .75, 1, 1, 2.5]] * 2 + [[3, 3, 3.5, 3.5, 8]])

def test_conv2d_gradient_is_the_numerical_one_with_dilation_and_odd_sizes():
    """Central differences in float64 for a SAME, stride-2, dilated convolution of a
    5 x 3 image (odd sizes: the extra padded pixel at the bottom/right)."""
    rng = np.random.default_rng(0)
    x0, w0 = rng.normal(size=(1, 5, 3, 2)), rng.normal(size=(2, 2, 2, 3))

    def loss(x, w):
        return tf.reduce_sum(tf.nn.conv2d(x, w, [2, 1], "SAME", dilations=2) ** 2)

    g = _grad(lambda x: loss(x, w0), x0, np.float64).numpy()
    eps, num = 1e-6, np.zeros_like(x0)
    for i in np.ndindex(x0.shape):
        d = np.zeros_like(x0)
        d[i] = eps
        num[i] = (float(loss(x0 + d, w0)) - float(loss(x0 - d, w0))) / (2 * eps)
    np.testing.assert_allclose(g, num, rtol=1e-5, atol=1e-6)


# --- inside tf.function ------------------------------------------------------------------

def test_the_same_ops_inside_tf_function():
    """TF: under @tf.function with x = [1., 2., 3., 4.]: gather(x, [1]) -> [2.];
    pad(x, [[0, 1]]) -> [1,2,3,4,0]; split(x, 2) -> [1,2], [3,4]; cumsum(x, exclusive=True)
    -> [0,1,3,6]; norm(x) -> 5.47723; size(x) -> int32 4; rank(x) -> int32 1; tile(x, [2])
    -> [1,2,3,4,1,2,3,4]; reverse(x, [0]) -> [4,3,2,1]; sort(x) -> [1,2,3,4]"""
    @tf.function
    def fn(x):
        return (tf.gather(x, [1]), tf.pad(x, [[0, 1]]), tf.split(x, 2),
                tf.cumsum(x, exclusive=True), tf.norm(x), tf.size(x), tf.rank(x),
                tf.tile(x, [2]), tf.reverse(x, [0]), tf.sort(x))
    out = fn(tf.constant([1.0, 2.0, 3.0, 4.0]))
    out = out[:2] + tuple(out[2]) + out[3:]
    wants = [((1,), [2]), ((5,), [1, 2, 3, 4, 0]), ((2,), [1, 2]), ((2,), [3, 4]),
             ((4,), [0, 1, 3, 6]), ((), 5.47723), ((), 4), ((), 1),
             ((8,), [1, 2, 3, 4, 1, 2, 3, 4]), ((4,), [4, 3, 2, 1]), ((4,), [1, 2, 3, 4])]
    for t, (shape, values), dtype in zip(out, wants, [tf.float32] * 6 + [tf.int32] * 2 +
                                         [tf.float32] * 3):
        _check(t, dtype, shape, values)

    @tf.function
    def images(x, m):
        y = tf.nn.max_pool2d(tf.nn.conv2d(x, W, 2, "SAME"), 2, 1, "VALID")
        return y, tf.boolean_mask(tf.reshape(y, [-1]), m), tf.einsum("ij->j", tf.ones([2, 3]))
    y, picked, col = images(tf.constant(IMG), tf.constant([True, False]))
    _check(y, tf.float32, (1, 1, 1, 2), [[[[447, 465.9]]]])
    _check(picked, tf.float32, (1,), [447])
    _check(col, tf.float32, (3,), [2, 2, 2])


# --- bad calls ---------------------------------------------------------------------------

def test_bad_calls_raise_tensorflows_error_types():
    """TF 2.21: tf.split(tf.range(5), 2), tf.gather([1, 2], [5]), tf.tile([[1, 2]], [2]),
    tf.pad([[1, 2]], [[1, 1]]) and tf.nn.conv2d(img, w, 1, "FULL") raise
    InvalidArgumentError; tf.boolean_mask([1, 2, 3], [True, False]) and
    tf.sort([1, 2], direction="UP") raise ValueError; tf.reduce_all([1., 0.]) TypeError.
    (tinyflow's InvalidArgumentError is a ValueError.)"""
    bad = [(InvalidArgumentError, lambda: tf.split(tf.range(5), 2)),
           (InvalidArgumentError, lambda: tf.gather([1, 2], [5])),
           (InvalidArgumentError, lambda: tf.tile([[1, 2]], [2])),
           (InvalidArgumentError, lambda: tf.pad([[1, 2]], [[1, 1]])),
           (InvalidArgumentError, lambda: tf.nn.conv2d(IMG, W, 1, "FULL")),
           (ValueError, lambda: tf.boolean_mask([1, 2, 3], [True, False])),
           (ValueError, lambda: tf.sort([1, 2], direction="UP")),
           (TypeError, lambda: tf.reduce_all([1.0, 0.0])),
           (NotImplementedError,                             # tinyflow: CONSTANT only
            lambda: tf.pad([[1.0, 2.0]], [[0, 0], [1, 1]], mode="REFLECT"))]
    for error, call in bad:
        with pytest.raises(error):
            call()


# --- aliases -------------------------------------------------------------------------------

def test_aliases_optimizers_losses_summary_print(tmp_path, capfd):
    """TF: tf.optimizers is tf.keras.optimizers, tf.losses is tf.keras.losses; with
    tf.summary.create_file_writer(d).as_default(): tf.summary.scalar("loss", 0.5, step=1)
    returns True and an events.out.tfevents.* file appears in d; tf.print("x =", [1, 2])
    writes "x = [1 2]" to stderr."""
    assert tf.optimizers is tf.keras.optimizers and tf.losses is tf.keras.losses
    assert tf.optimizers.SGD is tf.keras.optimizers.SGD
    writer = tf.summary.create_file_writer(str(tmp_path))
    with writer.as_default():
        assert tf.summary.scalar("loss", 0.5, step=1)
        assert tf.summary.histogram("w", tf.constant([1.0, 2.0, 3.0]), step=1)
    writer.flush()
    assert any(n.startswith("events.out.tfevents") for n in os.listdir(tmp_path))
    tf.print("x =", tf.constant([1, 2]))
    assert "x = [1 2]" in capfd.readouterr().err


# --- a classic TF2 program ---------------------------------------------------------------

def test_program_small_cnn_learns_with_conv2d_max_pool_and_sgd():
    """A CNN in the style of TF2's custom-training-loop tutorials: tf.nn.conv2d (SAME)
    -> relu -> tf.nn.max_pool2d -> dense, trained by a tf.function step with GradientTape
    and tf.optimizers.SGD on synthetic 8 x 8 images (a bright vertical or horizontal bar)
    until it tells them apart."""
    tf.random.set_seed(0)
    rng = np.random.default_rng(0)
    images, labels = np.zeros((64, 8, 8, 1), np.float32), np.arange(64) % 2
    for i, (label, k) in enumerate(zip(labels, rng.integers(1, 7, len(labels)))):
        images[(i, slice(None), k, 0) if label else (i, k, slice(None), 0)] = 1.0
    images += rng.normal(0, 0.1, images.shape).astype(np.float32)
    x, y = tf.constant(images), tf.constant(labels.astype(np.int32))
    w1 = tf.Variable(tf.random.normal([3, 3, 1, 4], stddev=0.3))
    w2, b2 = tf.Variable(tf.random.normal([4 * 4 * 4, 2], stddev=0.1)), tf.Variable(tf.zeros([2]))
    params, opt = [w1, w2, b2], tf.optimizers.SGD(learning_rate=0.5)

    def model(batch):
        h = tf.nn.relu(tf.nn.conv2d(batch, w1, strides=1, padding="SAME"))
        h = tf.nn.max_pool2d(h, ksize=2, strides=2, padding="VALID")
        return tf.matmul(tf.reshape(h, [-1, 4 * 4 * 4]), w2) + b2

    def loss_fn():
        per_example = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=model(x))
        return tf.reduce_mean(per_example)

    @tf.function
    def train_step():
        with tf.GradientTape() as tape:
            loss = loss_fn()
        opt.apply_gradients(zip(tape.gradient(loss, params), params))
        return loss

    first = float(loss_fn())
    losses = [float(train_step()) for _ in range(40)]
    assert losses[0] == pytest.approx(first, rel=1e-5)
    accuracy = float(tf.reduce_mean(tf.cast(tf.equal(
        tf.argmax(model(x), axis=1, output_type=tf.int32), y), tf.float32)))
    assert float(loss_fn()) < first / 3 and accuracy >= 0.95
