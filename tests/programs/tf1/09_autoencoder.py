# compare: exact
# An autoencoder: sigmoid encoder and decoder layers written with raw weights dicts,
# a mean squared reconstruction loss, RMSPropOptimizer. The weights come from numpy,
# so the run is deterministic (TF1's RMSProp starts its mean-square slot at ones).
import numpy as np
import tensorflow.compat.v1 as tf
tf.disable_v2_behavior()

rng = np.random.RandomState(9)
num_input, num_hidden_1, num_hidden_2 = 16, 8, 4
learning_rate = 0.05
num_steps = 100
batch_size = 32

# data: 16-pixel "images" that are mixtures of 4 prototypes, values in [0, 1]
protos = rng.uniform(0, 1, size=(4, num_input))
mix = rng.dirichlet(np.ones(4), size=512)
data = np.clip(mix @ protos + rng.normal(0, 0.02, size=(512, num_input)), 0, 1).astype(np.float32)

X = tf.placeholder("float", [None, num_input])


def w(*shape):
    return tf.Variable(rng.normal(0, 0.5, size=shape).astype(np.float32))


weights = {
    'encoder_h1': w(num_input, num_hidden_1),
    'encoder_h2': w(num_hidden_1, num_hidden_2),
    'decoder_h1': w(num_hidden_2, num_hidden_1),
    'decoder_h2': w(num_hidden_1, num_input),
}
biases = {
    'encoder_b1': w(num_hidden_1),
    'encoder_b2': w(num_hidden_2),
    'decoder_b1': w(num_hidden_1),
    'decoder_b2': w(num_input),
}


def encoder(x):
    layer_1 = tf.nn.sigmoid(tf.add(tf.matmul(x, weights['encoder_h1']), biases['encoder_b1']))
    return tf.nn.sigmoid(tf.add(tf.matmul(layer_1, weights['encoder_h2']), biases['encoder_b2']))


def decoder(x):
    layer_1 = tf.nn.sigmoid(tf.add(tf.matmul(x, weights['decoder_h1']), biases['decoder_b1']))
    return tf.nn.sigmoid(tf.add(tf.matmul(layer_1, weights['decoder_h2']), biases['decoder_b2']))


encoder_op = encoder(X)
decoder_op = decoder(encoder_op)
y_pred, y_true = decoder_op, X
loss = tf.reduce_mean(tf.pow(y_true - y_pred, 2))
optimizer = tf.train.RMSPropOptimizer(learning_rate).minimize(loss)

losses = []
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for i in range(1, num_steps + 1):
        batch_x = data[(i * batch_size) % 512:(i * batch_size) % 512 + batch_size]
        _, l = sess.run([optimizer, loss], feed_dict={X: batch_x})
        losses.append(float(l))
        if i % 20 == 0 or i == 1:
            print('Step %i: Minibatch Loss: %f' % (i, l))
    codes = sess.run(encoder_op, feed_dict={X: data[:3]})
    recon = sess.run(decoder_op, feed_dict={X: data[:1]})
    rms_slots = sorted(v.name for v in tf.global_variables() if "RMSProp" in v.name)

RESULTS = {
    "losses": losses,
    "codes": codes.tolist(),
    "reconstruction": recon[0].tolist(),
    "code_shape": encoder_op.shape.as_list(),
    "rmsprop_slot_names": rms_slots,
    "n_global_variables": len(tf.global_variables()),
}
