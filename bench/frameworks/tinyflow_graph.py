"""tinyflow graph mode, TensorFlow 1 style: build once, one Session.run per step."""
import tinyflow.compat.v1 as v1
from tinyflow import ops

from workloads import chain

NAME = "tinyflow graph (Session)"


def setup(threads):
    pass


def w1(x0):
    graph = v1.Graph()
    with graph.as_default():
        x = v1.placeholder(x0.dtype, list(x0.shape), name="x")
        total = v1.reduce_sum(chain(x, v1.tanh))
        grad = v1.gradients(total, x)[0]
    sess = v1.Session(graph=graph)
    feed = {x: x0}
    return lambda: sess.run([total, grad], feed)


def mlp(params, x, y, lr):
    graph = v1.Graph()
    with graph.as_default():
        xs = v1.placeholder(x.dtype, [None, x.shape[1]], name="x")
        ys = v1.placeholder(v1.int64, [None], name="y")
        h = xs
        n_layers = len(params) // 2
        for i in range(n_layers):
            W, b = params[2 * i], params[2 * i + 1]
            h = v1.layers.dense(h, W.shape[1], name=f"fc{i + 1}",
                                activation=v1.nn.relu if i < n_layers - 1 else None,
                                kernel_initializer=v1.constant_initializer(W, W.dtype),
                                bias_initializer=v1.constant_initializer(b, b.dtype))
        loss = v1.losses.sparse_softmax_cross_entropy(labels=ys, logits=h)
        train_op = v1.train.GradientDescentOptimizer(lr).minimize(loss)
        variables = v1.trainable_variables()
        init = v1.global_variables_initializer()
    sess = v1.Session(graph=graph)
    sess.run(init)
    feed = {xs: x, ys: y}

    def step():
        return sess.run([train_op, loss], feed)[1]

    return step, lambda: [v.copy() for v in sess.run(variables)]


def cnn(params, x, y, lr):
    # TensorFlow 1's tf.nn.conv2d (NHWC) is not in tinyflow.compat.v1: the convolution
    # and pooling are tinyflow's own ops (NCHW), which build graph nodes like any other.
    graph = v1.Graph()
    with graph.as_default():
        xs = v1.placeholder(x.dtype, [None, *x.shape[1:]], name="x")
        ys = v1.placeholder(v1.int64, [None], name="y")
        K1, b1, K2, b2, W, b = [v1.Variable(p, name=n)
                                for p, n in zip(params, ["K1", "b1", "K2", "b2", "W", "b"])]
        h = xs
        for K, bias in ((K1, b1), (K2, b2)):
            h = v1.nn.relu(ops.conv2d(h, K, padding=1) + v1.reshape(bias, [-1, 1, 1]))
            h = ops.max_pool2d(h, 2)
        logits = v1.matmul(v1.reshape(h, [-1, params[4].shape[0]]), W) + b
        loss = v1.losses.sparse_softmax_cross_entropy(labels=ys, logits=logits)
        train_op = v1.train.GradientDescentOptimizer(lr).minimize(loss)
        variables = [K1, b1, K2, b2, W, b]
        init = v1.global_variables_initializer()
    sess = v1.Session(graph=graph)
    sess.run(init)
    feed = {xs: x, ys: y}

    def step():
        return sess.run([train_op, loss], feed)[1]

    return step, lambda: [v.copy() for v in sess.run(variables)]
