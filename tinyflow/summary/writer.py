"""Writers of TensorBoard event files (the records and protos are tensorboardX's).

``SummaryWriter`` has PyTorch's (and tensorboardX's) method names;
``FileWriter`` is the same writer under TensorFlow 1's name, and can write
the graph when it is created. Point TensorBoard at the folder:
``tensorboard --logdir runs``.

>>> import tempfile, tinyflow as tf
>>> with SummaryWriter(tempfile.mkdtemp()) as w:
...     for step in range(3):
...         w.add_scalar("loss", 1.0 / (step + 1), step)
...     w.add_histogram("weights", tf.randn(100), step)
...     w.add_text("notes", "first run", 0)
"""
import contextlib
import itertools
import os
import time
import weakref


from ..base.defaults import DefaultStack
from ..graph.graph import Graph
from ..graph.tensor import SymbolicTensor
from .graph_def import as_graph_def, protos
from .ops import histogram_proto, numbers, parse

default_writers = DefaultStack()     # the writers of ``with writer.as_default():``
_file_numbers = itertools.count(1)


class SummaryWriter:
    """Writes scalars, histograms, text, summaries and graphs to ``logdir``.

    Events are written in the calling thread (no background writer) and
    reach the disk every ``max_queue`` events, every ``flush_secs`` seconds,
    on ``flush()`` and on ``close()``.
    """

    def __init__(self, logdir=None, max_queue=10, flush_secs=120, filename_suffix=""):
        protos()
        if logdir is None:
            logdir = os.path.join("runs", time.strftime("%b%d_%H-%M-%S"))
        logdir = os.fspath(logdir)
        if os.path.exists(logdir) and not os.path.isdir(logdir):
            raise NotADirectoryError(f"logdir '{logdir}' is a file, not a directory: TensorBoard "
                                     f"reads a folder of event files; choose another path")
        os.makedirs(logdir, exist_ok=True)
        self.logdir = logdir
        self.max_queue, self.flush_secs = max_queue, flush_secs
        self.filename_suffix = filename_suffix
        self._file = None
        self.reopen()

    def get_logdir(self):
        return self.logdir

    # --- what to write ---
    def add_scalar(self, tag, scalar_value, global_step=None, walltime=None):
        """One point of the curve ``tag``: ``add_scalar("loss", 0.25, step)``."""
        value = _number(_tag(tag), scalar_value)
        self._add(protos().Summary.Value(tag=tag, simple_value=value), global_step, walltime)

    def add_histogram(self, tag, values, global_step=None, walltime=None):
        """The distribution of ``values`` (a numpy array or eager tensor) at this step."""
        self._add(protos().Summary.Value(tag=tag, histo=histogram_proto(_tag(tag), values)),
                  global_step, walltime)

    def add_text(self, tag, text_string, global_step=None, walltime=None):
        """Text (markdown) shown in TensorBoard's Text tab."""
        _tag(tag)
        if not isinstance(text_string, str):
            raise TypeError(f"add_text('{tag}'): expected a str, got {type(text_string).__name__}")
        self.add_summary(protos().tensorboardX.summary.text(tag, text_string), global_step,
                         walltime)

    def add_summary(self, summary, global_step=None, walltime=None):
        """Write what a summary op computed: ``add_summary(sess.run(merged), step)``."""
        self.add_event(protos().Event(summary=parse(summary)), global_step, walltime)

    def add_graph(self, graph, input_to_model=None, global_step=None):
        """Draw a computation in TensorBoard's Graphs tab.

        ``graph`` is a ``Graph`` (or anything with a ``.graph``, like a Session
        or a traced ConcreteFunction), a ``tinyflow.function``, or a model or
        Python function together with an example input to trace it with.
        """
        gd = graph if hasattr(graph, "node") and hasattr(graph, "SerializeToString") \
            else as_graph_def(_as_graph(graph, input_to_model))
        event = protos().Event(graph_def=gd.SerializeToString())
        self.add_event(event, global_step)

    def add_event(self, event, step=None, walltime=None):
        """Append an ``Event`` proto to the event file."""
        f = self._writer()
        event.wall_time = time.time() if walltime is None else walltime
        if step is not None:
            event.step = int(step)
        f.write_event(event)
        self._pending += 1
        if self._pending >= self.max_queue or time.monotonic() - self._flushed >= self.flush_secs:
            self.flush()

    # --- lifetime ---
    def flush(self):
        """Write everything added so far to disk, now."""
        if self._file is not None:
            self._file.flush()
            self._pending, self._flushed = 0, time.monotonic()

    def close(self):
        """Flush and close the event file. Closing twice is fine."""
        if self._file is not None:
            self._close()                  # the finalizer: runs once, then is dead
            self._file = None

    def reopen(self):
        """Start a new event file in the same logdir (after ``close()``)."""
        if self._file is None:
            # pid and a counter: two files opened in the same second get different names
            suffix = f".{os.getpid()}.{next(_file_numbers)}{self.filename_suffix}"
            self._file = protos().EventsWriter(os.path.join(self.logdir, "events"), suffix)
            self._close = weakref.finalize(self, self._file.close)   # flushed at exit too
            self._pending, self._flushed = 0, time.monotonic()

    def as_default(self):
        """Make this the writer that ``summary.scalar(name, value, step)`` writes to (TF2)."""
        return _flushed_after(default_writers.pushed(self), self)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __repr__(self):
        state = "closed" if self._file is None else "open"
        return f"<{type(self).__name__} logdir='{self.logdir}' ({state})>"

    def _writer(self):
        if self._file is None:
            raise RuntimeError(f"{type(self).__name__}('{self.logdir}') is closed: make a new "
                               f"writer, or call reopen() first")
        return self._file

    def _add(self, value, global_step, walltime):
        self.add_summary(protos().Summary(value=[value]), global_step, walltime)


class FileWriter(SummaryWriter):
    """TensorFlow 1's name: ``FileWriter(logdir, sess.graph)`` also writes the graph.

    >>> import tempfile, tinyflow.compat.v1 as tf
    >>> tf.reset_default_graph()
    >>> y = tf.placeholder(tf.float32, [None], name="x") * 2
    >>> FileWriter(tempfile.mkdtemp(), tf.get_default_graph()).close()
    """

    def __init__(self, logdir, graph=None, max_queue=10, flush_secs=120, filename_suffix=""):
        super().__init__(logdir, max_queue, flush_secs, filename_suffix)
        if graph is not None:
            self.add_graph(graph)


def create_file_writer(logdir, max_queue=10, flush_millis=120000, filename_suffix=""):
    """TF2's spelling: ``with create_file_writer(d).as_default(): summary.scalar(...)``."""
    return SummaryWriter(logdir, max_queue, flush_millis / 1000, filename_suffix)


def crc32c_backend():
    """Which CRC32C checksums the event files' records: "compiled" (the ``crc32c``
    package, part of the tensorboard extra; tensorboardX picks it up) or "python"
    (tensorboardX's pure-Python fallback: the same numbers, far slower on big events)."""
    from tensorboardX import crc32c
    return "python" if crc32c._crc32c_native is None else "compiled"


def default_writer():
    """The writer of the innermost ``with writer.as_default():``, or None."""
    return default_writers.current()


def _number(tag, value):
    hint = f"log sess.run({value.name!r}) instead" if isinstance(value, SymbolicTensor) else ""
    arr = numbers(f"add_scalar('{tag}')", value, hint)
    if arr.size != 1:
        raise ValueError(f"add_scalar('{tag}'): expected a scalar (one number), got an array of "
                         f"shape {arr.shape}; log e.g. its mean, or use add_histogram")
    return float(arr.reshape(()))


def _tag(tag):
    if not isinstance(tag, str) or not tag:
        raise ValueError(f"a summary tag must be a non-empty str, got {tag!r}")
    return tag


def _as_graph(obj, example):
    """A tinyflow Graph for what add_graph was given."""
    from ..tracing.function import Function, function
    if isinstance(obj, Graph) or isinstance(getattr(obj, "graph", None), Graph):
        if example is not None:
            raise TypeError("add_graph(graph, input_to_model): an example input is only used to "
                            "trace a function or model; pass global_step= by keyword")
        return obj if isinstance(obj, Graph) else obj.graph     # a Session, a ConcreteFunction
    args = () if example is None else example if isinstance(example, tuple) else (example,)
    if isinstance(obj, Function):
        if args:
            return obj.get_concrete_function(*args).graph
        if not obj._concrete:
            raise ValueError(f"add_graph({obj.name}): this function has not been traced yet; "
                             f"call it once, or pass an example input: add_graph(f, x)")
        return list(obj._concrete.values())[-1].graph      # the latest trace
    if callable(obj) and args:
        return function(obj).get_concrete_function(*args).graph
    if callable(obj):
        raise ValueError(f"add_graph({type(obj).__name__}): pass an example input too, to trace "
                         f"it into a graph: add_graph(model, x)")
    raise TypeError(f"add_graph() takes a Graph, a tinyflow.function, or a model with an example "
                    f"input, got {type(obj).__name__}")


@contextlib.contextmanager
def _flushed_after(block, writer):
    with block:
        yield writer
    writer.flush()
