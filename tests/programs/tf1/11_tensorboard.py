# compare: exact
# TensorBoard summaries: tf.summary.scalar and histogram inside name scopes,
# tf.summary.merge_all, a FileWriter on a temporary directory with the graph, and a
# hand-made tf.Summary proto. The event file itself is the framework's business;
# here we check what the summaries hold, by parsing them back with tf.Summary.
import glob
import os
import tempfile
import numpy as np
import tensorflow.compat.v1 as tf
tf.disable_v2_behavior()

rng = np.random.RandomState(6)
xs = rng.normal(size=(40, 2)).astype(np.float32)
ys = (xs.sum(axis=1, keepdims=True) > 0).astype(np.float32)

with tf.name_scope("input"):
    x = tf.placeholder(tf.float32, [None, 2], name="x-input")
    y = tf.placeholder(tf.float32, [None, 1], name="y-input")
with tf.name_scope("model"):
    W = tf.Variable(np.array([[0.1], [-0.2]], np.float32), name="W")
    b = tf.Variable(0.0, name="b")
    logits = tf.matmul(x, W) + b
with tf.name_scope("loss"):
    loss = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=y, logits=logits))
with tf.name_scope("train"):
    train_op = tf.train.GradientDescentOptimizer(0.5).minimize(loss)
with tf.name_scope("accuracy"):
    acc = tf.reduce_mean(tf.cast(tf.equal(tf.cast(logits > 0, tf.float32), y), tf.float32))

loss_summary = tf.summary.scalar("loss", loss)
tf.summary.scalar("accuracy", acc)
tf.summary.histogram("weights", W)
merged = tf.summary.merge_all()

logs_path = tempfile.mkdtemp()
losses, tags, simple_values = [], None, []
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    summary_writer = tf.summary.FileWriter(logs_path, graph=tf.get_default_graph())
    for step in range(5):
        _, l, summary = sess.run([train_op, loss, merged], feed_dict={x: xs, y: ys})
        summary_writer.add_summary(summary, step)
        losses.append(float(l))
        parsed = tf.Summary()
        parsed.ParseFromString(summary)
        tags = [v.tag for v in parsed.value]
        simple_values.append([v.simple_value for v in parsed.value if v.HasField("simple_value")])
    # a summary made by hand, as some tutorials log Python numbers
    manual = tf.Summary(value=[tf.Summary.Value(tag="manual/value", simple_value=0.25)])
    summary_writer.add_summary(manual, 5)
    summary_writer.flush()
    summary_writer.close()
    one = sess.run(loss_summary, feed_dict={x: xs, y: ys})

events = glob.glob(os.path.join(logs_path, "events.out.tfevents.*"))
print("Run the command line:\n--> tensorboard --logdir=%s" % logs_path)

RESULTS = {
    "losses": losses,
    "summary_fetched_type": type(summary).__name__,
    "summary_tags": tags,
    "simple_values": simple_values,
    "merged_dtype": merged.dtype.name,
    "merged_shape": merged.shape.as_list(),
    "loss_summary_name": loss_summary.name,
    "loss_summary_op_type": loss_summary.op.type,
    "summaries_in_collection": len(tf.get_collection(tf.GraphKeys.SUMMARIES)),
    "single_summary_tag": [v.tag for v in tf.Summary.FromString(one).value],
    "event_files": len(events),
    "manual_serialized_len": len(manual.SerializeToString()),
    "placeholder_name": x.name,
}
