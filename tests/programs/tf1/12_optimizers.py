# compare: exact
# The TF1 optimizers side by side on one small regression, each in its own graph,
# written as compute_gradients + apply_gradients (with a global step, and clipped
# gradients for one of them). Everything starts from numpy values, so the loss curves
# are deterministic: GradientDescent, Momentum, Adam, RMSProp, Adagrad, Adadelta.
import numpy as np
import tensorflow.compat.v1 as tf
tf.disable_v2_behavior()

rng = np.random.RandomState(12)
xs = rng.normal(size=(50, 3)).astype(np.float32)
ys = (xs @ np.array([[2.0], [-1.0], [0.5]], np.float32) + 1.0
      + rng.normal(0, 0.1, size=(50, 1))).astype(np.float32)
w_init = rng.normal(size=(3, 1)).astype(np.float32)

optimizers = {
    "GradientDescent": lambda: tf.train.GradientDescentOptimizer(0.1),
    "Momentum": lambda: tf.train.MomentumOptimizer(0.05, momentum=0.9),
    "Nesterov": lambda: tf.train.MomentumOptimizer(0.05, momentum=0.9, use_nesterov=True),
    "Adam": lambda: tf.train.AdamOptimizer(0.1),
    "RMSProp": lambda: tf.train.RMSPropOptimizer(0.05, decay=0.9, momentum=0.5),
    "Adagrad": lambda: tf.train.AdagradOptimizer(0.5),
    "Adadelta": lambda: tf.train.AdadeltaOptimizer(1.0, rho=0.95, epsilon=1e-6),
}

RESULTS = {"losses": {}, "slot_names": {}, "variables": {}, "final_w": {}}
for name, make in optimizers.items():
    g = tf.Graph()
    with g.as_default():
        x = tf.placeholder(tf.float32, [None, 3])
        y = tf.placeholder(tf.float32, [None, 1])
        w = tf.Variable(w_init, name="w")
        b = tf.Variable(0.0, name="b")
        loss = tf.reduce_mean(tf.square(tf.matmul(x, w) + b - y))
        global_step = tf.Variable(0, name="global_step", trainable=False)
        opt = make()
        grads_and_vars = opt.compute_gradients(loss)
        if name == "GradientDescent":
            grads_and_vars = [(tf.clip_by_value(gr, -1.0, 1.0), v) for gr, v in grads_and_vars]
        train_op = opt.apply_gradients(grads_and_vars, global_step=global_step)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            first_grads = sess.run([gr for gr, _ in grads_and_vars], feed_dict={x: xs, y: ys})
            curve = []
            for step in range(25):
                _, l = sess.run([train_op, loss], feed_dict={x: xs, y: ys})
                curve.append(float(l))
            steps_done = sess.run(global_step)
            final_w = sess.run(w)
        RESULTS["losses"][name] = curve
        RESULTS["slot_names"][name] = sorted(opt.get_slot_names())
        RESULTS["variables"][name] = sorted(v.name for v in tf.global_variables())
        RESULTS["final_w"][name] = final_w.ravel().tolist()
        if name == "GradientDescent":
            RESULTS["grad_var_names"] = [v.name for _, v in grads_and_vars]
            RESULTS["first_grads_clipped"] = [np.ravel(gv).tolist() for gv in first_grads]
            RESULTS["global_step"] = int(steps_done)
            RESULTS["global_step_dtype"] = global_step.dtype.base_dtype.name
            RESULTS["train_op_type"] = train_op.type
            RESULTS["train_op_name"] = train_op.name
    print("%-16s loss %.4f -> %.4f" % (name, curve[0], curve[-1]))
