# compare: exact
# A sentiment-style classifier over sentences of different lengths: token ids padded
# to the longest sentence of each batch, so the time axis is unknown when the graph
# is built (placeholder [None, None]); tf.nn.embedding_lookup, tf.nn.dynamic_rnn with
# a GRUCell and sequence_length (the state stops at each sentence's end), the final
# state through a dense layer, sparse softmax cross-entropy, plain gradient descent.
# Every initial value comes from numpy through tf.constant_initializer.
import numpy as np
import tensorflow.compat.v1 as tf
tf.disable_v2_behavior()

sentences = [("good fun film", 1), ("bad dull plot", 0), ("a good and fun story", 1),
             ("dull", 0), ("not bad at all good", 1), ("bad bad film", 0),
             ("fun", 1), ("a dull and bad story", 0)]
vocab = sorted({w for s, _ in sentences for w in s.split()})
word_id = {w: i + 1 for i, w in enumerate(vocab)}          # 0 is padding


def batch(rows):
    ids = [[word_id[w] for w in sentences[r][0].split()] for r in rows]
    width = max(len(s) for s in ids)
    padded = np.array([s + [0] * (width - len(s)) for s in ids], np.int32)
    return padded, np.array([len(s) for s in ids], np.int32), \
        np.array([sentences[r][1] for r in rows], np.int64)


rng = np.random.RandomState(27)
vocab_size, embedding_size, hidden = len(vocab) + 1, 4, 5
tokens = tf.placeholder(tf.int32, [None, None], name="tokens")
lengths = tf.placeholder(tf.int32, [None], name="lengths")
labels = tf.placeholder(tf.int64, [None], name="labels")
embeddings = tf.Variable(rng.uniform(-0.5, 0.5, (vocab_size, embedding_size)).astype(np.float32))
embedded = tf.nn.embedding_lookup(embeddings, tokens)
with tf.variable_scope("encoder", initializer=tf.constant_initializer(0.1)):
    cell = tf.nn.rnn_cell.GRUCell(hidden)
    outputs, state = tf.nn.dynamic_rnn(cell, embedded, sequence_length=lengths,
                                       dtype=tf.float32)
out_w = tf.Variable((rng.normal(size=(hidden, 2)) * 0.5).astype(np.float32))
out_b = tf.Variable(tf.zeros([2]))
logits = tf.matmul(state, out_w) + out_b
loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels,
                                                                     logits=logits))
train = tf.train.GradientDescentOptimizer(0.5).minimize(loss)
correct = tf.reduce_mean(tf.cast(tf.equal(tf.argmax(logits, 1), labels), tf.float32))

losses = []
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for step in range(30):
        rows = [(step * 3 + k) % len(sentences) for k in range(4)]
        x, n, y = batch(rows)
        _, l = sess.run([train, loss], {tokens: x, lengths: n, labels: y})
        losses.append(float(l))
    x, n, y = batch(range(len(sentences)))
    acc, outs, final = sess.run([correct, outputs, state], {tokens: x, lengths: n, labels: y})
    print("loss %.4f -> %.4f, accuracy %.2f" % (losses[0], losses[-1], acc))

RESULTS = {
    "losses": losses,
    "accuracy": float(acc),
    "final_state": final.tolist(),
    "outputs_past_end_are_zero": bool(all((outs[i, n[i]:] == 0).all() for i in range(len(n)))),
    "state_is_last_output": bool(all(np.array_equal(outs[i, n[i] - 1], final[i])
                                     for i in range(len(n)))),
    "outputs_shape": outputs.shape.as_list(),
    "variables": [v.name for v in tf.trainable_variables()],
}
