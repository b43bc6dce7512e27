"""tf.nn.rnn_cell.BasicLSTMCell / GRUCell with tf.nn.dynamic_rnn / static_rnn: values,
final states and every variable's gradient equal TensorFlow 2.21's (tf.compat.v1 after
disable_v2_behavior(), TF_USE_LEGACY_KERAS=1), stored below, in float64."""
import numpy as np
import pytest

import tinyflow.compat.v1 as tf

# TensorFlow's results for the program in test_cells_match_tensorflow (rounded to 1e-10)
TF_RESULTS = {
    'outputs_lstm': [[[0.1900042001, 0.1900042001, 0.1900042001], [0.1785810792, 0.1785810792, 0.1785810792], [0.1935054842, 0.1935054842, 0.1935054842]], [[0.0480968618, 0.0480968618, 0.0480968618], [0.0540010666, 0.0540010666, 0.0540010666], [-0.0059892158, -0.0059892158, -0.0059892158]]],
    'c_lstm': [[0.3598623795, 0.3598623795, 0.3598623795], [-0.0130289816, -0.0130289816, -0.0130289816]],
    'last_output_gru': [[-0.3288850008, -0.3288850008], [-0.0156852037, -0.0156852037]],
    'state_gru': [[-0.3288850008, -0.3288850008], [-0.0156852037, -0.0156852037]],
    'g_lstm_kernel': [[0.1345823099, 0.1345823099, 0.1345823099, 0.8091437143, 0.8091437143, 0.8091437143, 0.0427737875, 0.0427737875, 0.0427737875, 0.1184855521, 0.1184855521, 0.1184855521], [0.0094006692, 0.0094006692, 0.0094006692, -0.0384304319, -0.0384304319, -0.0384304319, -0.0167189698, -0.0167189698, -0.0167189698, -0.0053738061, -0.0053738061, -0.0053738061], [0.0753548698, 0.0753548698, 0.0753548698, 0.4356257802, 0.4356257802, 0.4356257802, 0.0237135366, 0.0237135366, 0.0237135366, 0.0683099261, 0.0683099261, 0.0683099261], [0.1379649065, 0.1379649065, 0.1379649065, 0.6347467078, 0.6347467078, 0.6347467078, 0.0159696902, 0.0159696902, 0.0159696902, 0.1126892385, 0.1126892385, 0.1126892385], [0.0055353469, 0.0055353469, 0.0055353469, 0.0525301968, 0.0525301968, 0.0525301968, 0.0068241046, 0.0068241046, 0.0068241046, 0.0121065074, 0.0121065074, 0.0121065074], [0.0055353469, 0.0055353469, 0.0055353469, 0.0525301968, 0.0525301968, 0.0525301968, 0.0068241046, 0.0068241046, 0.0068241046, 0.0121065074, 0.0121065074, 0.0121065074], [0.0055353469, 0.0055353469, 0.0055353469, 0.0525301968, 0.0525301968, 0.0525301968, 0.0068241046, 0.0068241046, 0.0068241046, 0.0121065074, 0.0121065074, 0.0121065074]],
    'g_lstm_bias': [0.0899706101, 0.0899706101, 0.0899706101, 0.58054889, 0.58054889, 0.58054889, 0.0374487624, 0.0374487624, 0.0374487624, 0.1019502924, 0.1019502924, 0.1019502924],
    'g_gates_kernel': [[0.0105722476, 0.0105722476, 0.2624395159, 0.2624395159], [-0.0044341295, -0.0044341295, 0.089249156, 0.089249156], [0.0059120276, 0.0059120276, 0.146449264, 0.146449264], [0.0033006864, 0.0033006864, 0.3802016607, 0.3802016607], [-0.0034058072, -0.0034058072, 0.0113694221, 0.0113694221], [-0.0034058072, -0.0034058072, 0.0113694221, 0.0113694221]],
    'g_gates_bias': [0.0087691595, 0.0087691595, 0.14678288, 0.14678288],
    'g_candidate_kernel': [[0.6229890927, 0.6229890927], [-0.0550827667, -0.0550827667], [0.3457519027, 0.3457519027], [0.4854040542, 0.4854040542], [-0.0709969313, -0.0709969313], [-0.0709969313, -0.0709969313]],
    'g_candidate_bias': [0.4566721808, 0.4566721808],
}


def test_cells_match_tensorflow():
    tf.reset_default_graph()
    rng = np.random.RandomState(0)
    x = rng.normal(size=(2, 3, 4)).astype(np.float64)
    X = tf.placeholder(tf.float64, [None, 3, 4])
    with tf.variable_scope("a", initializer=tf.constant_initializer(0.1)):
        lstm = tf.nn.rnn_cell.BasicLSTMCell(3, forget_bias=0.5)
        o1, s1 = tf.nn.dynamic_rnn(lstm, X, dtype=tf.float64)
    with tf.variable_scope("b", initializer=tf.constant_initializer(-0.2)):
        gru = tf.nn.rnn_cell.GRUCell(2)
        o2, s2 = tf.nn.static_rnn(gru, tf.unstack(X, 3, 1), dtype=tf.float64)
    loss = tf.reduce_sum(o1 ** 2) + tf.reduce_sum(tf.stack(o2) ** 3)
    grads = tf.gradients(loss, tf.trainable_variables())
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        r = s.run([o1, s1.c, o2[-1], s2] + grads, {X: x})
    names = [v.name for v in tf.trainable_variables()]
    assert names == ["a/rnn/basic_lstm_cell/kernel:0", "a/rnn/basic_lstm_cell/bias:0",
                     "b/rnn/gru_cell/gates/kernel:0", "b/rnn/gru_cell/gates/bias:0",
                     "b/rnn/gru_cell/candidate/kernel:0", "b/rnn/gru_cell/candidate/bias:0"]
    for name, got in zip(TF_RESULTS, r):
        np.testing.assert_allclose(got, TF_RESULTS[name], rtol=1e-8, atol=1e-9, err_msg=name)


def test_lstm_state_is_a_c_h_tuple_and_cells_share_variables_across_steps():
    tf.reset_default_graph()
    x = tf.placeholder(tf.float32, [None, 5, 2])
    cell = tf.nn.rnn_cell.BasicLSTMCell(4)
    outputs, state = tf.nn.static_rnn(cell, tf.unstack(x, 5, 1), dtype=tf.float32)
    assert len(outputs) == 5 and isinstance(state, tf.nn.rnn_cell.LSTMStateTuple)
    assert state.h is outputs[-1] and len(tf.trainable_variables()) == 2


def test_non_list_inputs_are_refused():
    tf.reset_default_graph()
    with pytest.raises(TypeError, match="list of tensors"):
        tf.nn.static_rnn(tf.nn.rnn_cell.GRUCell(2), tf.placeholder(tf.float32, [None, 3]))
    with pytest.raises(ValueError, match="must be 3-D"):
        tf.nn.dynamic_rnn(tf.nn.rnn_cell.GRUCell(2), tf.placeholder(tf.float32, [None, 3]),
                          dtype=tf.float32)


def test_unknown_time_steps_and_sequence_lengths_match_tensorflow():
    """dynamic_rnn over [None, None, features] (a while loop, batch- and time-major) and
    sequence_length in dynamic_rnn and static_rnn (zero outputs past a length, the state
    kept from an example's last step): values and the gradients of every variable and of
    the inputs equal TensorFlow's."""
    rng = np.random.RandomState(7)
    x = rng.normal(size=(3, 4, 2))
    lengths = np.array([4, 1, 2], np.int32)
    tf.reset_default_graph()
    X = tf.placeholder(tf.float64, [None, None, 2])
    L = tf.placeholder(tf.int32, [None])
    with tf.variable_scope("a"):
        o1, s1 = tf.nn.dynamic_rnn(tf.nn.rnn_cell.BasicLSTMCell(3, forget_bias=0.5), X,
                                   sequence_length=L, dtype=tf.float64)
    with tf.variable_scope("b"):
        o2, s2 = tf.nn.dynamic_rnn(tf.nn.rnn_cell.GRUCell(2), tf.transpose(X, [1, 0, 2]),
                                   sequence_length=L, dtype=tf.float64, time_major=True)
    with tf.variable_scope("c"):
        o3, s3 = tf.nn.static_rnn(tf.nn.rnn_cell.GRUCell(2), tf.unstack(X[:, :3], 3, 1),
                                  sequence_length=L, dtype=tf.float64)
    loss = (tf.reduce_sum(o1 ** 2) + tf.reduce_sum(s1.c * 3.0) + tf.reduce_sum(o2 ** 3)
            + tf.reduce_sum(s2 * 2.0) + tf.reduce_sum(tf.stack(o3) ** 2) + tf.reduce_sum(s3))
    vs = tf.trainable_variables()
    grads = tf.gradients(loss, vs + [X])
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        for i, v in enumerate(vs):
            shape = v.shape.as_list()
            s.run(tf.assign(v, np.random.RandomState(i).uniform(-0.5, 0.5, shape)))
        r = s.run([o1, s1.c, s1.h, o2, s2, tf.stack(o3), s3] + grads, {X: x, L: lengths})
    assert list(TF_LENGTHS) == ["o1", "c1", "h1", "o2", "s2", "o3", "s3"] + \
        ["g_" + v.name for v in vs] + ["g_x"]
    for name, got in zip(TF_LENGTHS, r):
        np.testing.assert_allclose(got, TF_LENGTHS[name], rtol=1e-8, atol=1e-9, err_msg=name)


# TensorFlow 2.21's results (tf.compat.v1, float64, rounded to 1e-10) for the program in
# test_unknown_time_steps_and_sequence_lengths_match_tensorflow
TF_LENGTHS = {
    'o1': [[[0.0147663646, -0.0906219923, -0.074837705], [-0.0815155765, -0.1868657046, -0.0971019863], [-0.1163705846, -0.159164671, -0.1282546184], [0.0377303611, -0.0062922424, -0.2013969132]], [[-0.0988887671, -0.2134355971, -0.0120863497], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]], [[-0.0538512338, -0.1292048545, -0.0585770566], [0.049427567, 0.0058430669, -0.1782203165], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]]],
    'c1': [[0.0996157825, -0.0120265922, -0.4904809062], [-0.1906580204, -0.4111162804, -0.0203291031], [0.1285157366, 0.0110084057, -0.4132985511]],
    'h1': [[0.0377303611, -0.0062922424, -0.2013969132], [-0.0988887671, -0.2134355971, -0.0120863497], [0.049427567, 0.0058430669, -0.1782203165]],
    'o2': [[[0.1407716317, 0.1813531404], [0.2607692331, 0.2473590111], [0.0219148695, 0.200979744]], [[0.0507928019, 0.2725164904], [0.0, 0.0], [-0.2911279316, 0.0910926281]], [[-0.2730088985, 0.25560539], [0.0, 0.0], [0.0, 0.0]], [[-0.5042063777, 0.0951587054], [0.0, 0.0], [0.0, 0.0]]],
    's2': [[-0.5042063777, 0.0951587054], [0.2607692331, 0.2473590111], [-0.2911279316, 0.0910926281]],
    'o3': [[[-0.0116890995, 0.4081956345], [0.0479640586, 0.2632658673], [-0.1092521341, 0.1323787555]], [[-0.1689674835, 0.2451944701], [0.0, 0.0], [-0.4208396144, 0.1213024301]], [[-0.4427538905, 0.0462820579], [0.0, 0.0], [0.0, 0.0]]],
    's3': [[-0.4427538905, 0.0462820579], [0.0479640586, 0.2632658673], [-0.4208396144, 0.1213024301]],
    'g_a/rnn/basic_lstm_cell/kernel:0': [[-0.1501079672, -0.3478378618, -0.1769699316, 1.9972315874, 1.5826665689, 1.4699826848, 0.0217228707, 0.0414432048, 0.0113668763, 0.0196431008, 0.0389273535, 0.0075236758], [-1.2137772594, -1.1444223597, 1.6099786286, -2.9813651245, -2.4339666031, -1.8750286569, 0.4172356812, 0.7682122817, 0.3818413244, -0.0065131858, 0.0400379588, -0.133679923], [-0.0452424584, -0.0403795963, 0.0934261547, -0.2445011415, -0.2049119078, -0.15084354, 0.0282589581, 0.0518371597, 0.0253256058, 0.0009420693, -0.0022852976, -0.0080849488], [-0.0610632641, -0.0554569739, 0.1648226593, -0.4915311455, -0.4036161272, -0.2886765399, 0.0464175199, 0.0922810231, 0.043605862, 0.0029767186, -0.0100136358, -0.0138850466], [-0.0416450468, -0.0384102007, 0.1055094344, -0.3079653138, -0.2473892174, -0.1812825412, 0.0307890248, 0.0593116507, 0.0296060413, 0.0016357228, -0.0062701521, -0.0089800181]],
    'g_a/rnn/basic_lstm_cell/bias:0': [0.0717536038, -0.142645052, -1.2617073995, 5.6261989929, 4.6275900261, 3.5434009519, -0.2939143137, -0.6018736543, -0.2877389221, -0.018524286, 0.1432275872, 0.0968356641],
    'g_b/rnn/gru_cell/gates/kernel:0': [[-0.0006441585, -0.0111574429, -0.3666919987, -0.3717076608], [-0.0235183696, 0.0526702458, -1.3271775127, -0.5935449518], [-0.0039020923, 0.0055448146, -0.0717862165, -0.0436463509], [0.0036072666, -0.0040022332, 0.2341996806, 0.0555581847]],
    'g_b/rnn/gru_cell/gates/bias:0': [0.0139032455, -0.0182057975, 0.7145948482, -0.1667983137],
    'g_b/rnn/gru_cell/candidate/kernel:0': [[1.2941759068, 1.4217268528], [-0.8893830346, -2.9988539964], [-0.0155171465, -0.1166928969], [0.3118812996, 0.3973292777]],
    'g_b/rnn/gru_cell/candidate/bias:0': [4.0603031404, 4.2294833076],
    'g_c/rnn/gru_cell/gates/kernel:0': [[-0.0030232275, 0.0009767547, -0.0475437017, -0.7284192723], [-0.0107888961, 0.0011110756, -0.0672509491, 0.0410135603], [-0.0018734881, 0.0005884964, -0.0047078605, -0.0265261376], [0.0027567974, -0.0023853415, -0.0035480789, 0.0859957855]],
    'g_c/rnn/gru_cell/gates/bias:0': [0.0141842837, -0.0078777042, -0.0353176661, -0.2038834734],
    'g_c/rnn/gru_cell/candidate/kernel:0': [[0.226687007, 1.8252105801], [0.192557706, -0.4031786187], [-0.0037847118, -0.054146716], [-0.0249605376, 0.2083413246]],
    'g_c/rnn/gru_cell/candidate/bias:0': [0.1805343944, 3.0903007763],
    'g_x': [[[0.4573006158, 0.0081833684], [0.3524744532, -0.0254033909], [0.414571236, -0.1532328554], [0.2371040269, -0.129653462]], [[1.116873587, 0.0100380755], [0.0, 0.0], [0.0, 0.0], [0.0, 0.0]], [[0.5271481289, -0.138871977], [0.6041472018, -0.1062190616], [0.0, 0.0], [0.0, 0.0]]],
}
