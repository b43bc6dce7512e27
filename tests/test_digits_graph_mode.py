"""The digits MLP reaches the issue's accuracy in graph mode too (layers.dense + a Session loop)."""
import numpy as np

import tinyflow.compat.v1 as tf1
from tinyflow.data import load_digits, train_test_split
from _models import graph_mlp


def test_digits_mlp_reaches_97_percent_in_graph_mode():
    X, y = load_digits()
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, seed=0)
    x, labels, logits, loss, train = graph_mlp(128, tf1.train.AdamOptimizer(0.01))
    correct = tf1.reduce_mean(tf1.cast(tf1.equal(tf1.argmax(logits, 1), labels), tf1.float32))
    rng = np.random.default_rng(0)
    with tf1.Session() as sess:
        sess.run(tf1.global_variables_initializer())
        for epoch in range(30):
            order = rng.permutation(len(X_train))
            for start in range(0, len(order), 64):
                batch = order[start:start + 64]
                sess.run(train, {x: X_train[batch], labels: y_train[batch]})
        accuracy = sess.run(correct, {x: X_test, labels: y_test})
    assert accuracy >= 0.97, accuracy
