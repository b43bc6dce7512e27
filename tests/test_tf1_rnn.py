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


def test_unknown_time_steps_and_non_list_inputs_are_refused():
    tf.reset_default_graph()
    with pytest.raises(ValueError, match="number must be known"):
        tf.nn.dynamic_rnn(tf.nn.rnn_cell.GRUCell(2), tf.placeholder(tf.float32, [None, None, 3]),
                          dtype=tf.float32)
    with pytest.raises(TypeError, match="list of tensors"):
        tf.nn.static_rnn(tf.nn.rnn_cell.GRUCell(2), tf.placeholder(tf.float32, [None, 3]))
