# compare: exact
# A raw convolutional network: tf.nn.conv2d (NHWC, strides lists, SAME and VALID),
# tf.nn.bias_add, tf.nn.max_pool with ksize lists, a fully connected layer and
# tf.nn.dropout with keep_prob fed through a placeholder on a [None, n] tensor
# (fed 1.0, so it is the identity and the run stays deterministic). Weights come from
# numpy. Then a few fixed convolutions/pools whose padding rules matter.
import numpy as np
import tensorflow.compat.v1 as tf
tf.disable_v2_behavior()

rng = np.random.RandomState(2)
num_input, num_classes = 64, 3          # 8x8 images: a horizontal bar, a vertical bar, a diagonal


def make(n):
    labels = rng.randint(0, num_classes, size=n)
    imgs = rng.normal(0.0, 0.3, size=(n, 8, 8)).astype(np.float32)
    for k, lab in enumerate(labels):
        r = rng.randint(1, 7)
        if lab == 0:
            imgs[k, r, :] += 1.0
        elif lab == 1:
            imgs[k, :, r] += 1.0
        else:
            imgs[k] += np.eye(8, dtype=np.float32)
    return imgs.reshape(n, 64), np.eye(num_classes, dtype=np.float32)[labels]


train_x, train_y = make(96)

X = tf.placeholder(tf.float32, [None, num_input])
Y = tf.placeholder(tf.float32, [None, num_classes])
keep_prob = tf.placeholder(tf.float32)


def conv2d(x, W, b, strides=1):
    x = tf.nn.conv2d(x, W, strides=[1, strides, strides, 1], padding='SAME')
    x = tf.nn.bias_add(x, b)
    return tf.nn.relu(x)


def maxpool2d(x, k=2):
    return tf.nn.max_pool(x, ksize=[1, k, k, 1], strides=[1, k, k, 1], padding='SAME')


def init(*shape):
    return rng.normal(0.0, 0.3, size=shape).astype(np.float32)


weights = {
    'wc1': tf.Variable(init(3, 3, 1, 4)),
    'wc2': tf.Variable(init(3, 3, 4, 8)),
    'wd1': tf.Variable(init(2 * 2 * 8, 16)),
    'out': tf.Variable(init(16, num_classes)),
}
biases = {
    'bc1': tf.Variable(np.zeros(4, np.float32)),
    'bc2': tf.Variable(np.zeros(8, np.float32)),
    'bd1': tf.Variable(np.zeros(16, np.float32)),
    'out': tf.Variable(np.zeros(num_classes, np.float32)),
}


def conv_net(x, weights, biases, dropout):
    x = tf.reshape(x, shape=[-1, 8, 8, 1])
    conv1 = conv2d(x, weights['wc1'], biases['bc1'])          # 8x8x4
    conv1 = maxpool2d(conv1, k=2)                              # 4x4x4
    conv2 = tf.nn.conv2d(conv1, weights['wc2'], strides=[1, 1, 1, 1], padding='VALID')
    conv2 = tf.nn.relu(tf.nn.bias_add(conv2, biases['bc2']))  # 2x2x8
    fc1 = tf.reshape(conv2, [-1, weights['wd1'].get_shape().as_list()[0]])
    fc1 = tf.nn.relu(tf.add(tf.matmul(fc1, weights['wd1']), biases['bd1']))
    fc1 = tf.nn.dropout(fc1, dropout)
    return tf.add(tf.matmul(fc1, weights['out']), biases['out']), conv1, conv2, fc1


logits, conv1, conv2, fc1 = conv_net(X, weights, biases, keep_prob)
prediction = tf.nn.softmax(logits)
loss_op = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(logits=logits, labels=Y))
train_op = tf.train.GradientDescentOptimizer(learning_rate=0.1).minimize(loss_op)
correct_pred = tf.equal(tf.argmax(prediction, 1), tf.argmax(Y, 1))
accuracy = tf.reduce_mean(tf.cast(correct_pred, tf.float32))

losses = []
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for step in range(20):
        batch = slice((step % 3) * 32, (step % 3) * 32 + 32)
        _, l = sess.run([train_op, loss_op],
                        feed_dict={X: train_x[batch], Y: train_y[batch], keep_prob: 1.0})
        losses.append(float(l))
    acc = sess.run(accuracy, feed_dict={X: train_x, Y: train_y, keep_prob: 1.0})
    print("losses", losses[0], losses[-1], "accuracy", acc)
    first_logits = sess.run(logits, feed_dict={X: train_x[:2], keep_prob: 1.0})

# fixed convolutions and pools where TF's padding rules show
img = np.arange(1, 8 * 8 + 1, dtype=np.float32).reshape(1, 8, 8, 1)
img7 = np.arange(1, 7 * 7 + 1, dtype=np.float32).reshape(1, 7, 7, 1) * np.float32(0.5)
img5 = -np.arange(1, 5 * 5 + 1, dtype=np.float32).reshape(1, 5, 5, 1)
k3 = np.arange(1, 10, dtype=np.float32).reshape(3, 3, 1, 1) / 10.0
conv_s2_same = tf.nn.conv2d(tf.constant(img), tf.constant(k3), strides=[1, 2, 2, 1], padding="SAME")
conv_s2_valid = tf.nn.conv2d(tf.constant(img), tf.constant(k3), [1, 2, 2, 1], "VALID")
pool_valid = tf.nn.max_pool(tf.constant(img7), ksize=[1, 3, 3, 1], strides=[1, 2, 2, 1],
                            padding="VALID")
pool_same = tf.nn.max_pool(tf.constant(img5), ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1],
                           padding="SAME")
avg_same = tf.nn.avg_pool(tf.constant(img5), ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1],
                          padding="SAME")
with tf.Session() as sess:
    cs, cv, pv, ps, av = sess.run([conv_s2_same, conv_s2_valid, pool_valid, pool_same, avg_same])

RESULTS = {
    "losses": losses,
    "accuracy": float(acc),
    "first_logits": first_logits.tolist(),
    "conv1_shape": conv1.shape.as_list(),
    "conv2_shape": conv2.shape.as_list(),
    "fc1_shape": fc1.shape.as_list(),
    "logits_shape": logits.shape.as_list(),
    "conv1_name": conv1.name,
    "conv_s2_same": cs[0, :, :, 0].tolist(),
    "conv_s2_valid": cv[0, :, :, 0].tolist(),
    "pool_valid": pv[0, :, :, 0].tolist(),
    "pool_same": ps[0, :, :, 0].tolist(),
    "avg_same": av[0, :, :, 0].tolist(),
    "conv_s2_same_shape": conv_s2_same.shape.as_list(),
    "conv_s2_valid_shape": conv_s2_valid.shape.as_list(),
    "pool_valid_shape": pool_valid.shape.as_list(),
    "conv_op_type": conv_s2_same.op.type,
    "pool_op_type": pool_same.op.type,
}
