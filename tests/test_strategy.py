"""tf.distribute as TensorFlow 2 has it: Keras ``fit`` in a strategy's scope, and
custom loops whose optimizer is called inside ``strategy.run`` (a TF2 GradientTape
loop with ``apply_gradients``, a TF1 graph with ``minimize``).

The promise checked here: N replicas (or N MPI workers), each on its shard of
every global batch, train exactly the model that one replica trains on the
whole batch (float64, 1e-10). The TF 2.21 facts (how PerReplica prints, how a
batch of 5 is split between 2 or 3 replicas, what reduce gives) were read from
the oracle, /work/oracles/tf-venv.
"""
import numpy as np
import pytest

import tinyflow
import tinyflow.compat.v1 as v1
import tinyflow.compat.v2 as tf
from tinyflow.distributed import launch
from test_distributed import TIMEOUT, needs_mpi

keras = tf.keras
X = np.random.default_rng(0).normal(size=(32, 5))
Y = np.random.default_rng(1).integers(0, 3, 32)
GLOBAL_BATCH = 8          # 4 steps an epoch; equal shards on 1, 2 and 4 replicas


@pytest.fixture(autouse=True)
def float64_keras():
    old = keras.backend.floatx()
    keras.backend.set_floatx("float64")
    yield
    keras.backend.set_floatx(old)


def max_diff(a, b):
    return max(float(np.abs(np.asarray(p) - np.asarray(q)).max()) for p, q in zip(a, b))


def create_model(seed=0):
    tinyflow.manual_seed(seed)
    model = keras.Sequential([keras.layers.Dense(8, activation="relu", input_shape=(5,)),
                              keras.layers.Dense(3)])
    model.compile(optimizer=keras.optimizers.Adam(0.01), metrics=["accuracy"],
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    return model


def fit(strategy=None, run_eagerly=False, seed=0):
    """Two epochs of Keras fit; the model made and compiled in the strategy's scope."""
    if strategy is None:
        model = create_model(seed)
    else:
        with strategy.scope():
            model = create_model(seed)
    model.run_eagerly = run_eagerly
    history = model.fit(X, Y, batch_size=GLOBAL_BATCH, epochs=2, shuffle=False, verbose=0)
    return model, history.history


# --- Keras fit ---------------------------------------------------------------------------------

@pytest.mark.parametrize("replicas", [2, 4])
@pytest.mark.parametrize("run_eagerly", [False, True])
def test_keras_fit_in_a_scope_equals_single_replica_training(replicas, run_eagerly):
    reference, expected = fit()
    model, history = fit(tf.distribute.MirroredStrategy(num_replicas=replicas), run_eagerly)
    assert max_diff(model.get_weights(), reference.get_weights()) < 1e-10
    assert np.allclose(history["loss"], expected["loss"], atol=1e-12, rtol=0)
    assert history["accuracy"] == expected["accuracy"]    # the metrics saw every shard


def test_the_traced_train_step_runs_each_replica_on_its_shard():
    model, _ = fit(tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"]))
    graph = model.train_function.concrete_functions[0].graph
    names = [op.name for op in graph.get_operations()]
    assert any(n.startswith("replica_0/") for n in names)
    assert any(n.startswith("replica_1/") for n in names)
    assert model.distribute_strategy.num_replicas_in_sync == 2


def test_the_articles_snippet_runs():
    dataset = tf.data.Dataset.from_tensor_slices((X, Y)).batch(GLOBAL_BATCH)
    strategy = tf.distribute.MirroredStrategy()
    with strategy.scope():
        model = create_model()
        optimizer = tf.keras.optimizers.Adam()
    history = model.fit(dataset, epochs=10, verbose=0)
    assert strategy.num_replicas_in_sync == 1       # TensorFlow's choice with only a CPU
    assert isinstance(optimizer, tf.keras.optimizers.Adam) and len(history.history["loss"]) == 10
    # The same snippet with two replicas trains the same model.
    with tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"]).scope():
        twin = create_model()
    twin.fit(dataset, epochs=10, verbose=0)
    assert max_diff(twin.get_weights(), model.get_weights()) < 1e-10


# --- custom loops ------------------------------------------------------------------------------

def tf2_loop(strategy, traced):
    """The TF2 custom loop: a distributed dataset, GradientTape and apply_gradients
    inside strategy.run, compute_average_loss with the global batch size."""
    with strategy.scope():
        tinyflow.manual_seed(0)
        model = keras.Sequential([keras.layers.Dense(8, activation="relu", input_shape=(5,)),
                                  keras.layers.Dense(3)])
        optimizer = keras.optimizers.Adam(0.01)
        loss_object = keras.losses.SparseCategoricalCrossentropy(from_logits=True,
                                                                 reduction="none")

    def train_step(x, y):
        with tf.GradientTape() as tape:
            per_example_loss = loss_object(y, model(x, training=True))
            loss = tf.nn.compute_average_loss(per_example_loss, global_batch_size=GLOBAL_BATCH)
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
        return loss

    def distributed_train_step(x, y):
        per_replica_losses = strategy.run(train_step, args=(x, y))
        return strategy.reduce(tf.distribute.ReduceOp.SUM, per_replica_losses, axis=None)

    step = tf.function(distributed_train_step) if traced else distributed_train_step
    dataset = tf.data.Dataset.from_tensor_slices((X, Y)).batch(GLOBAL_BATCH)
    losses = [float(step(x, y)) for x, y in strategy.experimental_distribute_dataset(dataset)]
    return model.get_weights(), losses, step


@pytest.mark.parametrize("replicas", [2, 4])
@pytest.mark.parametrize("traced", [False, True])
def test_tf2_custom_loop_with_apply_gradients_inside_run(replicas, traced):
    weights, losses, _ = tf2_loop(tf.distribute.MirroredStrategy(), False)
    got, got_losses, step = tf2_loop(tf.distribute.MirroredStrategy(num_replicas=replicas),
                                     traced)
    assert max_diff(got, weights) < 1e-10
    assert np.allclose(got_losses, losses, atol=1e-12, rtol=0)
    if traced:
        assert step.tracing_count == 1           # PerReplica arguments trace once


def tf1_loop(strategy, steps=4):
    """The TF1 loop: minimize(loss) built inside strategy.run; the fed global batch
    is split between the replicas; each replica's loss is its share of the mean."""
    v1.reset_default_graph()
    rng = np.random.default_rng(2)
    with strategy.scope():
        W = v1.Variable(rng.normal(0, 0.3, (5, 3)), name="W")
        b = v1.Variable(np.zeros(3), name="b")
        optimizer = v1.train.AdamOptimizer(0.01)
    x = v1.placeholder(v1.float64, [None, 5], name="x")
    y = v1.placeholder(v1.int64, [None], name="y")

    def replica_step(x, y):
        loss = v1.losses.sparse_softmax_cross_entropy(y, v1.matmul(x, W) + b)
        train_op = optimizer.minimize(loss / strategy.num_replicas_in_sync)
        with v1.control_dependencies([train_op]):
            return v1.identity(loss)

    mean_loss = strategy.reduce("MEAN", strategy.run(replica_step, args=(x, y)), axis=None)
    # One process feeds the global batch (split between its replicas); a worker of a
    # MultiWorkerMirroredStrategy feeds its own shard of it.
    rank = getattr(strategy, "worker_index", 0)
    workers = strategy.num_replicas_in_sync if hasattr(strategy, "worker_index") else 1
    with v1.Session() as sess:
        sess.run(v1.global_variables_initializer())
        losses = []
        for k in range(steps):
            rows = slice(k * GLOBAL_BATCH, (k + 1) * GLOBAL_BATCH)
            feed = {x: X[rows][rank::workers], y: Y[rows][rank::workers]}
            losses.append(float(sess.run(mean_loss, feed)))
        return sess.run([W, b]), losses


@pytest.mark.parametrize("replicas", [2, 4])
def test_tf1_custom_loop_with_minimize_inside_run(replicas):
    weights, losses = tf1_loop(tf.distribute.MirroredStrategy())
    got, got_losses = tf1_loop(tf.distribute.MirroredStrategy(num_replicas=replicas))
    assert max_diff(got, weights) < 1e-10
    assert np.allclose(got_losses, losses, atol=1e-12, rtol=0)
    assert losses[-1] < losses[0]


# --- MultiWorkerMirroredStrategy: each MPI rank a worker ----------------------------------------

def job_multi_worker_fit():
    """Inside each rank: Keras fit under MultiWorkerMirroredStrategy. Each rank
    builds its model from its own seed; the strategy starts them all from rank 0's."""
    keras.backend.set_floatx("float64")
    strategy = tf.distribute.MultiWorkerMirroredStrategy()
    rank = strategy.worker_index
    with strategy.scope():
        model = create_model(seed=rank)
    history = model.fit(X, Y, batch_size=GLOBAL_BATCH, epochs=2, shuffle=False, verbose=0)
    eager = tf2_loop(strategy, traced=False)
    graph = tf1_loop(strategy)
    return {"weights": model.get_weights(), "loss": history.history["loss"],
            "replicas": strategy.num_replicas_in_sync, "loop": eager[0], "loop_losses": eager[1],
            "tf1": graph[0], "tf1_losses": graph[1]}


@needs_mpi
def test_multi_worker_keras_fit_on_two_ranks_equals_single_replica_training():
    reference, expected = fit()
    weights, losses, _ = tf2_loop(tf.distribute.MirroredStrategy(), False)
    tf1_weights, tf1_losses = tf1_loop(tf.distribute.MirroredStrategy())
    results = launch(job_multi_worker_fit, 2, timeout=TIMEOUT)
    for r in results:
        assert r["replicas"] == 2
        assert max_diff(r["weights"], reference.get_weights()) < 1e-10
        assert np.allclose(r["loss"], expected["loss"], atol=1e-12, rtol=0)
        assert max_diff(r["loop"], weights) < 1e-10                # the TF2 custom loop too
        assert np.allclose(r["loop_losses"], losses, atol=1e-12, rtol=0)
        assert max_diff(r["tf1"], tf1_weights) < 1e-10             # and TF1's minimize
        assert np.allclose(r["tf1_losses"], tf1_losses, atol=1e-12, rtol=0)


# --- the pieces, each as TensorFlow 2.21 has it -------------------------------------------------

def test_a_distributed_dataset_splits_each_batch_as_tensorflow_does():
    dataset = tf.data.Dataset.from_tensor_slices(np.arange(10.0)).batch(5)
    for replicas, sizes in [(2, [3, 2]), (3, [2, 2, 1])]:    # the first replicas take more
        strategy = tf.distribute.MirroredStrategy(num_replicas=replicas)
        batch = next(iter(strategy.experimental_distribute_dataset(dataset)))
        assert [len(v) for v in strategy.experimental_local_results(batch)] == sizes


def test_per_replica_values_print_as_tensorflow_prints_them():
    strategy = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
    dataset = tf.data.Dataset.from_tensor_slices(np.arange(10.0)).batch(5)
    x = next(iter(strategy.experimental_distribute_dataset(dataset)))
    doubled = strategy.run(lambda x: x * 2, args=(x,))
    assert str(doubled) == ("PerReplica:{\n  0: " + str(doubled.values[0]) + ",\n  1: "
                            + str(doubled.values[1]) + "\n}")
    assert repr(doubled).startswith("PerReplica:{\n  0: " + repr(doubled.values[0]))
    # TF: SUM over the replicas and axis 0 of [0, 2, 4] and [6, 8] is 20.0, MEAN 4.0.
    assert float(strategy.reduce(tf.distribute.ReduceOp.SUM, doubled, axis=0)) == 20.0
    assert float(strategy.reduce("MEAN", doubled, axis=0)) == 4.0
    same = strategy.run(lambda: tf.constant(1.0))          # no arguments: each replica alike
    assert float(strategy.reduce("SUM", same, axis=None)) == 2.0


def test_replica_and_cross_replica_contexts():
    strategy = tf.distribute.MirroredStrategy(num_replicas=2)
    outside = tf.distribute.get_replica_context()
    assert outside.num_replicas_in_sync == 1 and not tf.distribute.in_cross_replica_context()
    assert tf.distribute.get_strategy().num_replicas_in_sync == 1
    with strategy.scope():
        assert tf.distribute.get_replica_context() is None      # cross-replica, as in TF
        assert tf.distribute.in_cross_replica_context()
        assert tf.distribute.get_strategy() is strategy
    ids = strategy.run(lambda: tf.distribute.get_replica_context().replica_id_in_sync_group)
    assert strategy.experimental_local_results(ids) == (0, 1)


def test_compute_average_loss_divides_by_the_global_batch():
    strategy = tf.distribute.MirroredStrategy(num_replicas=2)
    # TF: [1, 2, 3] in each of 2 replicas, no global_batch_size -> 6 / 6 = 1.0 each.
    per_replica = strategy.run(lambda: tf.nn.compute_average_loss(tf.constant([1.0, 2.0, 3.0])))
    assert [float(v) for v in strategy.experimental_local_results(per_replica)] == [1.0, 1.0]


def test_evaluate_and_predict_in_a_scope_see_the_whole_batch():
    reference, _ = fit()
    model, _ = fit(tf.distribute.MirroredStrategy(num_replicas=2))
    assert np.allclose(model.predict(X, batch_size=GLOBAL_BATCH, verbose=0),
                       reference.predict(X, batch_size=GLOBAL_BATCH, verbose=0), atol=1e-12)
    assert np.allclose(model.evaluate(X, Y, batch_size=GLOBAL_BATCH, verbose=0),
                       reference.evaluate(X, Y, batch_size=GLOBAL_BATCH, verbose=0), atol=1e-12)


def test_mirrored_strategy_counts_its_devices():
    assert tf.distribute.MirroredStrategy().num_replicas_in_sync == 1
    assert tf.distribute.MirroredStrategy(["/gpu:0", "/gpu:1", "/gpu:2"]).num_replicas_in_sync == 3
    assert tf.distribute.MirroredStrategy(4).num_replicas_in_sync == 4
    with pytest.raises(ValueError, match="at least one device"):
        tf.distribute.MirroredStrategy([])


def test_a_replica_that_skips_apply_gradients_is_an_error():
    strategy = tf.distribute.MirroredStrategy(num_replicas=2)
    with strategy.scope():
        w = tf.Variable([1.0])
        optimizer = keras.optimizers.SGD(0.1)

    def step():
        if tf.distribute.get_replica_context().replica_id_in_sync_group == 0:
            with tf.GradientTape() as tape:
                loss = tf.reduce_sum(w * w)
            optimizer.apply_gradients(zip(tape.gradient(loss, [w]), [w]))
    with pytest.raises(RuntimeError, match=r"in 1 of 2 replicas.*the same number of times"):
        strategy.run(step)
