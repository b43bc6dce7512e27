"""Threads: what is safe, and what is documented not to be.

Safe: a graph, once built, may be run by several threads, each with its own
Session (a Session holds its variables, plans and random generators; the graph
is only read). Not safe: the switches in ``tinyflow.base.config.Config`` -- grad
mode (``no_grad``, and backward itself, which turns recording off while it
runs), anomaly mode, observers -- are process-global, and so is the graph being
built. The last tests pin that down so the README's statement stays true.
"""
import threading

import numpy as np

import tinyflow as tf
import tinyflow.compat.v1 as v1
from tinyflow.base.config import Config

THREADS = 4


def _train_graph():
    v1.reset_default_graph()
    v1.set_random_seed(0)
    x = v1.placeholder(v1.float64, [None, 5], name="x")
    y = v1.placeholder(v1.int64, [None], name="y")
    h = v1.layers.dense(x, 16, activation=v1.nn.relu, name="fc1",
                        kernel_initializer=v1.constant_initializer(np.full((5, 16), 0.1), np.float64))
    logits = v1.layers.dense(h, 3, name="fc2",
                             kernel_initializer=v1.constant_initializer(
                                 np.linspace(-1, 1, 48).reshape(16, 3), np.float64))
    loss = v1.losses.sparse_softmax_cross_entropy(labels=y, logits=logits)
    step = v1.train.GradientDescentOptimizer(0.3).minimize(loss)
    return x, y, loss, step


def _data(seed):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((32, 5)), rng.integers(0, 3, 32)


def _train(x, y, loss, step, seed, steps=150, barrier=None):
    xs, ys = _data(seed)
    with v1.Session() as sess:
        sess.run(v1.global_variables_initializer())
        if barrier is not None:
            barrier.wait()                  # all threads train at the same time
        for _ in range(steps):
            sess.run(step, {x: xs, y: ys})
        return sess.run(loss, {x: xs, y: ys}), sess.run(v1.trainable_variables())


def _in_threads(fn, n):
    results, errors = [None] * n, []

    def run(i):
        try:
            results[i] = fn(i)
        except BaseException as e:          # noqa: BLE001 -- reported by the test
            errors.append(e)
    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a thread hung"
    assert not errors, errors
    return results


def test_threads_training_their_own_sessions_on_one_graph_match_one_at_a_time():
    x, y, loss, step = _train_graph()
    alone = [_train(x, y, loss, step, seed) for seed in range(THREADS)]
    barrier = threading.Barrier(THREADS)
    together = _in_threads(lambda i: _train(x, y, loss, step, i, barrier=barrier), THREADS)
    for (l1, w1), (l2, w2) in zip(alone, together):
        assert l1 == l2
        for a, b in zip(w1, w2):
            np.testing.assert_array_equal(a, b)   # bit for bit: nothing was shared
    assert len({float(l) for l, _ in together}) == THREADS      # and each had its own data


def test_threads_running_inference_with_their_own_sessions():
    v1.reset_default_graph()
    x = v1.placeholder(v1.float64, [None, 4])
    w = v1.Variable(np.arange(12.0).reshape(4, 3), dtype=v1.float64)
    out = v1.nn.softmax(v1.matmul(v1.tanh(x), w))

    def infer(i):
        rng = np.random.default_rng(i)
        with v1.Session() as sess:
            sess.run(w.initializer)
            for _ in range(200):
                xs = rng.standard_normal((1 + i, 4))
                got = sess.run(out, {x: xs})
                z = np.tanh(xs) @ np.arange(12.0).reshape(4, 3)
                want = np.exp(z - z.max(1, keepdims=True))
                np.testing.assert_allclose(got, want / want.sum(1, keepdims=True), rtol=1e-12)
        return True
    assert all(_in_threads(infer, THREADS))


def test_a_traced_function_called_from_threads():
    """Trace once (tracing builds a graph: do it in one thread), then call from many."""
    @tf.function
    def f(a):
        return (a * a).sum(1)

    f(tf.zeros(3, 2, dtype=tf.float64))

    def call(i):
        for k in range(100):
            a = np.full((3, 2), float(i * 100 + k))
            np.testing.assert_array_equal(f(tf.tensor(a)).numpy(), (a * a).sum(1))
        return True
    assert all(_in_threads(call, THREADS))
    assert f.tracing_count == 1


def test_grad_mode_is_process_global_documented_not_thread_safe():
    """``no_grad`` in one thread turns recording off in every thread."""
    inside, done = threading.Event(), threading.Event()

    def evaluate():
        with tf.no_grad():
            inside.set()
            done.wait(10)

    t = threading.Thread(target=evaluate)
    t.start()
    inside.wait(10)
    w = tf.ones(2, requires_grad=True)
    recorded = (w * 2).requires_grad          # this thread never said no_grad...
    done.set()
    t.join()
    assert recorded is False                  # ...but was not recorded: the flag is shared
    assert Config.grad_enabled is True        # and is back once no_grad exits


def test_backward_in_one_thread_stops_recording_in_another_documented():
    """Backward switches recording off while it runs: an op that another thread runs
    meanwhile is not recorded. Eager training is for one thread at a time."""
    during, resume = threading.Event(), threading.Event()
    seen = {}

    def other():
        during.wait(10)
        seen["recorded"] = (tf.ones(2, requires_grad=True) * 2).requires_grad
        resume.set()

    t = threading.Thread(target=other)
    t.start()
    x = tf.ones(3, requires_grad=True)
    y = x * 3

    def hook(g):                              # runs inside backward
        during.set()
        resume.wait(10)
        return g
    y.register_hook(hook)
    y.sum().backward()
    t.join()
    assert seen["recorded"] is False
    np.testing.assert_array_equal(x.grad.numpy(), [3.0, 3.0, 3.0])
