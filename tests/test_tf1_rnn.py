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


def test_multi_rnn_cell_lstm_cell_zero_state_and_bidirectional_match_tensorflow():
    """MultiRNNCell (an LSTM under a BasicRNNCell) started from zero_state(tf.shape(x)[0]),
    LSTMCell, and bidirectional_dynamic_rnn with sequence_length: values, final states and
    the gradients of every variable and of the inputs equal TensorFlow 2.21's (compat.v1)."""
    rng = np.random.RandomState(3)
    x = rng.normal(size=(3, 4, 2))
    lengths = np.array([4, 2, 3], np.int32)
    tf.reset_default_graph()
    X = tf.placeholder(tf.float64, [None, 4, 2])
    L = tf.placeholder(tf.int32, [None])
    batch = tf.shape(X)[0]
    with tf.variable_scope("multi"):
        cells = tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.BasicLSTMCell(3), tf.nn.rnn_cell.BasicRNNCell(2)])
        init = cells.zero_state(batch, tf.float64)
        o1, s1 = tf.nn.dynamic_rnn(cells, X, sequence_length=L, initial_state=init)
    with tf.variable_scope("lstmcell"):
        o2, s2 = tf.nn.dynamic_rnn(tf.nn.rnn_cell.LSTMCell(3, forget_bias=0.5), X, dtype=tf.float64)
    with tf.variable_scope("bi"):
        (fw, bw), (sfw, sbw) = tf.nn.bidirectional_dynamic_rnn(
            tf.nn.rnn_cell.GRUCell(2), tf.nn.rnn_cell.BasicLSTMCell(2), X, sequence_length=L, dtype=tf.float64)
    loss = (tf.reduce_sum(o1 ** 2) + tf.reduce_sum(s1[0].c) + tf.reduce_sum(s1[1] * 2.0) + tf.reduce_sum(o2 ** 3)
            + tf.reduce_sum(s2.h) + tf.reduce_sum(fw ** 2) + tf.reduce_sum(bw * 3.0) + tf.reduce_sum(sfw) + tf.reduce_sum(sbw.c ** 2))
    vs = tf.trainable_variables()
    grads = tf.gradients(loss, vs + [X])
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        for i, v in enumerate(vs):
            s.run(tf.assign(v, np.random.RandomState(i).uniform(-0.5, 0.5, v.shape.as_list())))
        r = s.run([o1, s1[0].c, s1[1], o2, s2.h, fw, bw, sfw, sbw.c] + grads, {X: x, L: lengths})
    assert list(TF_STACKED) == ["o1", "s1c", "s1rnn", "o2", "s2h", "fw", "bw", "sfw", "sbwc"] + \
        ["g_" + v.name for v in vs] + ["g_x"]
    for name, got in zip(TF_STACKED, r):
        np.testing.assert_allclose(got, TF_STACKED[name], rtol=1e-8, atol=1e-9, err_msg=name)


def test_zero_state_and_dropout_wrapper():
    """zero_state takes an int batch too; DropoutWrapper drops outputs with a keep_prob
    that can be fed (1.0 when evaluating gives the plain cell's outputs)."""
    tf.reset_default_graph()
    cell = tf.nn.rnn_cell.BasicLSTMCell(3)
    state = cell.zero_state(4, tf.float32)
    assert isinstance(state, tf.nn.rnn_cell.LSTMStateTuple) and state.c.shape.as_list() == [4, 3]
    x = tf.placeholder(tf.float32, [None, 5, 2])
    keep = tf.placeholder_with_default(1.0, [])
    wrapped = tf.nn.rnn_cell.DropoutWrapper(cell, output_keep_prob=keep, seed=1)
    out, _ = tf.nn.dynamic_rnn(wrapped, x, dtype=tf.float32, scope="dropped")
    plain, _ = tf.nn.dynamic_rnn(cell, x, dtype=tf.float32, scope="dropped")
    data = np.random.default_rng(0).normal(size=(6, 5, 2)).astype(np.float32)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        kept, dropped, want = (sess.run(out, {x: data}), sess.run(out, {x: data, keep: 0.5}),
                               sess.run(plain, {x: data}))
    np.testing.assert_allclose(kept, want, rtol=1e-6)
    zeroed = dropped == 0
    assert 0.2 < zeroed.mean() < 0.8
    np.testing.assert_allclose(dropped[~zeroed], 2 * want[~zeroed], rtol=1e-5)


# TensorFlow 2.21's results (tf.compat.v1, float64, rounded to 1e-10) for the program in
# test_multi_rnn_cell_lstm_cell_zero_state_and_bidirectional_match_tensorflow
TF_STACKED = {
    'o1': [[[0.0435756387, 0.2519552873], [-0.0030588285, 0.1625783261], [0.0314607125, 0.1945383978], [0.0150020272, 0.192586765]], [[0.0581729919, 0.2252199454], [0.0017411272, 0.263587801], [0.0, 0.0], [0.0, 0.0]], [[0.0626435028, 0.1954676717], [0.0083626736, 0.1546817871], [0.0305370324, 0.1784027091], [0.0, 0.0]]],
    's1c': [[0.0773016871, -0.175865249, -0.4916052477], [-0.2671034912, -0.4014332483, -0.2130433387], [0.1382584527, -0.0696666353, -0.4886269428]],
    's1rnn': [[0.0150020272, 0.192586765], [0.0017411272, 0.263587801], [0.0305370324, 0.1784027091]],
    'o2': [[[0.191020528, 0.0461561983, -0.1141707005], [0.0956836629, 0.0760672789, 0.0131912225], [0.1498054098, 0.086376311, 0.0626267706], [0.1333103572, 0.0999828159, 0.0776373972]], [[0.0493919032, 0.0405847674, 0.0422033131], [0.0701260851, -0.1117357094, 0.09664972], [0.2703542919, -0.3302013853, -0.0509729083], [0.1484429661, -0.0891083166, -0.0007464766]], [[0.0103165752, 0.059222842, 0.0925991008], [0.0699809135, 0.144138313, 0.0262769108], [0.0738302864, 0.061612564, 0.1123214916], [0.2021239747, 0.110147187, -0.0556614425]]],
    's2h': [[0.1333103572, 0.0999828159, 0.0776373972], [0.1484429661, -0.0891083166, -0.0007464766], [0.2021239747, 0.110147187, -0.0556614425]],
    'fw': [[[0.1214628959, 0.4523365955], [-0.3591848257, 0.2655119017], [-0.4860873729, 0.1288507961], [-0.545664291, 0.0936767993]], [[-0.3097823721, -0.0143448357], [-0.4626423024, -0.1788848266], [0.0, 0.0], [0.0, 0.0]], [[-0.4859855028, -0.1037367689], [-0.4561751893, 0.2562619925], [-0.6324868494, 0.0331855375], [0.0, 0.0]]],
    'bw': [[[-0.0272588993, -0.048065152], [-0.0773597484, -0.1418649002], [-0.0452993365, -0.014856232], [-0.0258200509, -0.0171673326]], [[-0.0239452782, 0.0447761594], [-0.0072692436, 0.0562974176], [0.0, 0.0], [0.0, 0.0]], [[-0.0948284121, -0.154418104], [-0.0341088049, -0.0387172554], [-0.0372295415, -0.0363180086], [0.0, 0.0]]],
    'sfw': [[-0.545664291, 0.0936767993], [-0.4626423024, -0.1788848266], [-0.6324868494, 0.0331855375]],
    'sbwc': [[-0.0962511458, -0.0777874095], [-0.0679025009, 0.0934456075], [-0.3191566574, -0.388880948]],
    'g_multi/rnn/multi_rnn_cell/cell_0/basic_lstm_cell/kernel:0': [[0.0806583564, 0.2338204239, 0.1410432353, -0.2010931424, -0.7515345561, -0.2861937731, -0.0122065171, 0.0033245249, 0.1457120727, -0.0125387934, -0.0054788178, -0.1404446232], [-0.1516292542, -0.2151628261, 0.3908109621, -0.648742539, -0.9143148941, -0.6469384597, -0.0145808643, 0.0593076254, 0.1108199689, 0.0830591341, 0.0079558875, -0.0033655119], [-0.0004030731, -0.0131517997, -0.015692564, 0.0393423337, 0.0878289038, 0.0462138721, 0.0048522421, 0.0051441844, -0.01951076, -0.0028339533, 2.1557e-06, 0.0055468134], [-0.00430723, -0.006413515, 0.0154003084, -0.0232992511, -0.0316079731, -0.0228176088, 0.0036564763, 0.0145728962, -0.0006483711, -0.0005199446, -0.000804459, -0.0034479322], [-0.0003358889, 0.047095363, 0.0683344081, -0.1589564348, -0.3445816636, -0.1870130736, -0.0114006129, 0.0015749354, 0.063949883, 0.0013238631, -0.0012441665, -0.02374899]],
    'g_multi/rnn/multi_rnn_cell/cell_0/basic_lstm_cell/bias:0': [0.0283135732, -0.2572551176, -0.5402130998, 1.1736800513, 2.4070145278, 1.3663283623, 0.0475749265, -0.0500298287, -0.317575301, 0.0364160738, 0.0097390236, 0.104176118],
    'g_multi/rnn/multi_rnn_cell/cell_1/basic_rnn_cell/kernel:0': [[-0.1356521926, -0.1690347799], [-0.535473074, -0.6424510035], [-1.1075053004, -1.2605639119], [0.1787649885, 0.2122116904], [1.0614940657, 1.2447527015]],
    'g_multi/rnn/multi_rnn_cell/cell_1/basic_rnn_cell/bias:0': [5.6121047896, 6.7328389339],
    'g_lstmcell/rnn/lstm_cell/kernel:0': [[0.1484702978, 0.0872832913, -0.1437970601, 0.2604605261, 0.4105066404, 0.4649118874, -0.0069774136, -0.0064198162, 0.0359281509, 0.2288963935, 0.032643139, -0.0475043797], [0.0277785128, -0.2091748977, -0.1100518828, -0.0330606827, 0.0921858337, -0.3615780905, -0.0346874155, -0.0473936599, 0.0266353353, -0.0403651259, -0.1099593288, -0.0295795148], [0.0184068774, 0.0119565731, 0.007835133, 0.0865975388, 0.1286467621, 0.1612829707, 0.0189086686, -0.0060764027, 0.000300771, 0.0522819794, -0.0053487453, 0.0034990889], [-0.0015138168, 0.000868388, 0.0029465562, -0.0091167958, 0.0007793635, -0.0335605325, -0.0041982806, 0.0264864105, 0.0056731046, -0.0196990578, 0.0359424892, 0.0013614768], [0.0116499897, -0.0015706576, -0.0063912593, 0.0332314313, 0.0678428878, 0.0401178547, 0.0018596875, 0.0060410288, 0.0066443794, 0.0168595855, 0.0085821588, -0.0007961202]],
    'g_lstmcell/rnn/lstm_cell/bias:0': [0.2208901994, 0.0782020765, 0.0283509655, 0.8848312497, 1.4165490503, 1.3082322712, 0.1284298512, 0.0271420658, 0.0395379933, 0.3508714995, 0.0188956466, 0.0077750266],
    'g_bi/bidirectional_rnn/fw/gru_cell/gates/kernel:0': [[-0.004561463, 0.0021446019, 0.2766320331, -0.9585118217], [-0.0326868087, 0.0058050672, 1.1772305748, -0.1767992428], [-0.0330627532, 0.0008230193, -0.0116472127, -0.0214058038], [0.0043602853, -0.0019911553, -0.1607011909, 0.1449261775]],
    'g_bi/bidirectional_rnn/fw/gru_cell/gates/bias:0': [0.0669801697, -0.005332384, -0.7788788234, 0.0297331491],
    'g_bi/bidirectional_rnn/fw/gru_cell/candidate/kernel:0': [[-0.3265192061, 0.8495475646], [1.4270802409, -1.6680622784], [0.168196035, -0.3576134441], [-0.1004869056, 0.1966825501]],
    'g_bi/bidirectional_rnn/fw/gru_cell/candidate/bias:0': [-1.6222686469, 3.0496890104],
    'g_bi/bidirectional_rnn/bw/basic_lstm_cell/kernel:0': [[0.2459833755, 0.1795343145, -1.1426663691, -2.4500094802, -0.0849170803, -0.2608460337, 0.0380040729, -0.0710009687], [0.3924731625, 0.945359623, -2.539646854, -3.7915746423, 0.0411556326, 0.0024201585, 0.8102262955, 0.979834033], [0.0059025335, 0.0022809589, -0.0992484807, -0.1234452395, 0.0057488545, 0.0123517781, 0.0254031912, 0.0261572294], [-0.0021915051, -0.0181711146, -0.0673340301, -0.0499758453, 0.0078338949, 0.0226994044, 0.0206002011, 0.0280153274]],
    'g_bi/bidirectional_rnn/bw/basic_lstm_cell/bias:0': [-0.488528642, -0.1845125958, 5.6290751457, 7.9397123589, -0.1126213544, -0.1625290294, -0.8056838035, -0.5624935832],
    'g_x': [[[0.3927319101, -0.0201037359], [0.3710591484, 0.4850250367], [0.4450475673, 0.4276107695], [0.7964034065, 0.8065757116]], [[0.2427399169, 0.1372960481], [0.3110472496, 0.2756323308], [0.0372097673, -0.1057831838], [0.0133754412, -0.0848243471]], [[-0.121126669, -0.1186282686], [0.471877127, 0.1656262136], [0.4459085991, 0.4389711086], [0.0330589181, -0.0556690225]]],
}
