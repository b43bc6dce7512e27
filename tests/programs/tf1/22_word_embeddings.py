# compare: exact
# A word2vec-style skip-gram on a toy corpus: an embeddings Variable looked up with
# tf.nn.embedding_lookup, a full softmax over the vocabulary with
# tf.nn.sparse_softmax_cross_entropy_with_logits (int labels), then cosine
# similarities through tf.nn.l2_normalize. Initial values from numpy.
import numpy as np
import tensorflow.compat.v1 as tf
tf.disable_v2_behavior()

corpus = ("the cat sat on the mat the dog sat on the log "
          "a cat and a dog sat together on a mat").split()
vocab = sorted(set(corpus))
word_id = {w: i for i, w in enumerate(vocab)}
data = [word_id[w] for w in corpus]
pairs = [(data[i], data[j]) for i in range(len(data))
         for j in (i - 1, i + 1) if 0 <= j < len(data)]
centers = np.array([p[0] for p in pairs], np.int32)
contexts = np.array([p[1] for p in pairs], np.int64)

vocab_size, embedding_size = len(vocab), 6
rng = np.random.RandomState(22)

train_inputs = tf.placeholder(tf.int32, shape=[None])
train_labels = tf.placeholder(tf.int64, shape=[None])
embeddings = tf.Variable(rng.uniform(-1.0, 1.0, (vocab_size, embedding_size)).astype(np.float32))
embed = tf.nn.embedding_lookup(embeddings, train_inputs)
softmax_w = tf.Variable((rng.normal(size=(embedding_size, vocab_size)) * 0.3).astype(np.float32))
softmax_b = tf.Variable(tf.zeros([vocab_size]))
logits = tf.matmul(embed, softmax_w) + softmax_b
loss = tf.reduce_mean(
    tf.nn.sparse_softmax_cross_entropy_with_logits(labels=train_labels, logits=logits))
optimizer = tf.train.GradientDescentOptimizer(0.5).minimize(loss)

normalized = tf.nn.l2_normalize(embeddings, 1)
valid = tf.constant([word_id["cat"], word_id["mat"]], dtype=tf.int32)
valid_emb = tf.nn.embedding_lookup(normalized, valid)
similarity = tf.matmul(valid_emb, normalized, transpose_b=True)
norm_manual = embeddings / tf.sqrt(tf.reduce_sum(tf.square(embeddings), 1, keepdims=True))

losses = []
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for step in range(40):
        idx = slice((step * 16) % len(pairs), (step * 16) % len(pairs) + 16)
        _, l = sess.run([optimizer, loss], {train_inputs: centers[idx], train_labels: contexts[idx]})
        losses.append(float(l))
    sim = sess.run(similarity)
    nm, nn = sess.run([norm_manual, normalized])
    looked = sess.run(embed, {train_inputs: [0, 0, 3]})

nearest = {}
for k, w in enumerate(["cat", "mat"]):
    order = (-sim[k]).argsort()[1:3]
    nearest[w] = [vocab[o] for o in order]
    print("Nearest to %s: %s" % (w, ", ".join(nearest[w])))

RESULTS = {
    "losses": losses,
    "similarity": sim.tolist(),
    "nearest": nearest,
    "l2_normalize_matches_manual": bool(np.allclose(nm, nn, rtol=1e-5)),
    "lookup_repeats_rows": bool(np.array_equal(looked[0], looked[1])),
    "embed_shape": embed.shape.as_list(),
    "embed_dtype": embed.dtype.name,
    "loss_name": loss.name,
    "vocab_size": vocab_size,
    "n_pairs": len(pairs),
}
