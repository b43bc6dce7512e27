"""Safe files: atomic writes, and npz/JSON reading that never unpickles.

Every loader in tinyflow goes through here: a file is checked to be what it
claims before anything in it is used, and nothing is ever loaded with pickle.
"""
import json
import math
import os
import shutil
import struct
import tempfile
import zipfile
import zlib

import numpy as np

from ..base.errors import CheckpointError, NotFoundError

__all__ = ["atomic_write", "atomic_write_files", "save_npz", "load_npz", "save_json", "load_json", "CheckpointError",
           "MissingFileError", "DirectoryGivenError", "path_arg"]


class MissingFileError(NotFoundError, FileNotFoundError):
    """There is no file at the path: tinyflow's CheckpointError (TensorFlow's NotFoundError)
    and Python's FileNotFoundError, which ``torch.load`` raises and programs catch."""
    __module__ = "tinyflow.io"


class DirectoryGivenError(CheckpointError, IsADirectoryError):
    """The path names a folder, not a file: a CheckpointError and Python's IsADirectoryError."""
    __module__ = "tinyflow.io"


def path_arg(fn, name, path):
    """A file path (str, bytes or os.PathLike) -> str, or a TypeError naming the function
    and the argument (``tinyflow.save(model, 5)``)."""
    try:
        return os.fspath(path)
    except TypeError:
        raise TypeError(f"{fn}(): argument '{name}' must be a path (a str or os.PathLike), "
                        f"not {type(path).__name__}") from None

_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")      # a zip with members, an empty zip
_PICKLE_MAGICS = (b"\x80",)        # pickle protocol 2+ starts with PROTO (0x80)



def atomic_write(path, write):
    """Call ``write(file)`` on a temporary file next to ``path``, then rename it
    over ``path``: an interrupted save never destroys the previous file."""
    atomic_write_files([(path, write)])


def atomic_write_files(items):
    """Write several files as one: all or nothing. ``items`` is a list of
    ``(path, write)``; ``write(file)`` fills a file opened for binary writing.

    Three steps, so that a failure anywhere (a full disk at any byte, a rename
    that fails) raises and leaves every previous file byte-identical:

    1. each file is written in full to a temporary file next to its target and
       fsynced (a failure here touches no target);
    2. each existing target is kept under a second name (a hard link: no copy);
    3. the temporaries are renamed over their targets in order. If a rename fails,
       the targets already replaced get their kept versions back (and new ones
       are removed) before the error propagates.

    A process killed between two renames cannot undo anything: the first rename is
    then the commit point, so callers put the file that decides first (Saver: values).
    """
    staged, kept = [], []
    try:
        for path, write in items:
            staged.append((_stage(os.fspath(path), write), os.fspath(path)))
        for _, path in staged:
            kept.append(_keep(path))
        done = []
        try:
            for (tmp, path), old in zip(staged, kept):
                os.replace(tmp, path)
                done.append((path, old))
        except BaseException:
            _roll_back(done)
            raise
        for path in {os.path.dirname(os.path.abspath(p)) for _, p in staged}:
            _sync_folder(path)          # make the renames themselves durable
    finally:
        for tmp, _ in staged:
            _unlink(tmp)                # left over only when something failed
        for old in kept:
            _unlink(old)


def _stage(path, write):
    """``write`` into a fsynced temporary file beside ``path``; its name."""
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix="-" + os.path.basename(path))
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)       # mkstemp made it private; give it normal permissions
    except BaseException:
        _unlink(tmp)
        raise
    return tmp


def _keep(path):
    """A second name for the current ``path`` (None if there is none), to put back
    if the transaction fails after ``path`` was replaced."""
    if not os.path.isfile(path):
        return None
    folder = os.path.dirname(os.path.abspath(path))
    old = os.path.join(folder, f".old-{os.getpid()}-{id(path):x}-{os.path.basename(path)}")
    _unlink(old)
    try:
        os.link(path, old)                  # the same bytes under another name
    except OSError:                         # a file system without hard links
        shutil.copyfile(path, old)
    return old


def _roll_back(done):
    """Undo the renames of a failed transaction, newest first."""
    for path, old in reversed(done):
        try:
            if old is None:
                os.unlink(path)
            else:
                os.replace(old, path)
        except Exception:
            pass                            # the original error is the one to report


def _sync_folder(folder):
    try:
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    except OSError:
        pass


def _unlink(path):
    if path is None:
        return
    try:
        os.unlink(path)
    except OSError:
        pass


def save_npz(path, arrays):
    """Arrays (name -> ndarray) into an .npz, atomically, with pickling refused."""
    atomic_write(path, npz_writer(arrays))


def npz_writer(arrays):
    """``write(file)`` streaming ``arrays`` (name -> ndarray) as an .npz, pickling refused
    (checked now, before any file is touched)."""
    arrays = {k: np.asarray(v, order="C") for k, v in arrays.items()}   # keeps 0-d arrays 0-d
    for k, v in arrays.items():
        if v.dtype.kind not in "biufcUS":
            raise TypeError(f"cannot save '{k}': dtype {v.dtype} is not plain data")
    return lambda f: np.savez(f, allow_pickle=False, **arrays)


def _sniff(path, what):
    try:
        with open(path, "rb") as f:
            head = f.read(4)
    except FileNotFoundError:
        raise MissingFileError(f"{what}: no such file: {path}") from None
    except IsADirectoryError:
        raise DirectoryGivenError(f"{what}: {path} is a directory, not a file") from None
    except (OSError, ValueError) as e:          # unreadable, a name with a NUL byte...
        raise CheckpointError(f"{what}: cannot read {path!r} ({e})") from None
    return head


def load_npz(path, what="load"):
    """name -> ndarray from an .npz written by tinyflow. Pickles, truncated and
    foreign files raise CheckpointError; nothing in the file is executed, and no
    size the file states is believed before it is checked against the bytes
    that are really there (an .npy header claiming 8 TB is refused, not allocated)."""
    path = os.fspath(path)
    head = _sniff(path, what)
    if head[:1] in _PICKLE_MAGICS:
        raise CheckpointError(f"{what}: {path} is a Python pickle; tinyflow never loads pickles "
                              f"(they can run arbitrary code). Save with tinyflow.save instead.")
    if head not in _ZIP_MAGICS:
        raise CheckpointError(f"{what}: {path} is not a tinyflow checkpoint (expected an .npz "
                              f"archive, the file starts with {head!r})")
    try:
        size = os.path.getsize(path)
        with zipfile.ZipFile(path) as z:
            out = {}
            for info in z.infolist():
                name = info.filename
                out[name[:-4] if name.endswith(".npy") else name] = \
                    _read_member(z, info, size, path, what)
            return out
    except CheckpointError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, KeyError, zlib.error,
            NotImplementedError, RuntimeError, OverflowError, struct.error, MemoryError,
            UnicodeError) as e:
        raise CheckpointError(f"{what}: {path} is truncated or corrupt ({type(e).__name__}: "
                              f"{e})") from None
    except (ValueError, TypeError, SyntaxError) as e:
        raise CheckpointError(f"{what}: {path} holds something other than plain arrays "
                              f"({e})") from None


_DEFLATE_RATIO = 1100        # deflate never expands more than 1032:1
_PLAIN_KINDS = "biufcUS"     # what save_npz writes


def _read_member(z, info, file_size, path, what):
    """One .npy member, its header checked against the member's real size first."""
    name = info.filename
    if info.compress_size > file_size or info.header_offset + info.compress_size > file_size:
        raise CheckpointError(f"{what}: {path} is truncated or corrupt (member {name!r} "
                              f"extends past the end of the file)")
    # what the member can really hold: its stored bytes, or what they can inflate to
    limit = info.compress_size if info.compress_type == zipfile.ZIP_STORED else \
        _DEFLATE_RATIO * info.compress_size + 64
    limit = min(limit, info.file_size)
    with z.open(info) as f:
        magic = f.read(6)
        if magic != b"\x93NUMPY":
            if name.endswith(".pkl") or magic[:1] in _PICKLE_MAGICS:
                raise CheckpointError(f"{what}: {path} is an npz archive but not a tinyflow "
                                      f"checkpoint: it holds pickled data ({name}), e.g. a "
                                      f"torch.save file, which tinyflow never loads")
            raise CheckpointError(f"{what}: {path} holds something other than plain arrays "
                                  f"(member {name!r} is not an .npy array)")
        version = tuple(f.read(2))
        if version == (1, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_1_0(f)
        elif version == (2, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_2_0(f)
        else:
            raise CheckpointError(f"{what}: {path} holds an .npy member ({name!r}) of "
                                  f"unsupported format version {version}")
        if dtype.hasobject:
            raise CheckpointError(f"{what}: {path} holds something other than plain arrays "
                                  f"(member {name!r} is an object array, which only a pickle "
                                  f"can hold; tinyflow reads with allow_pickle=False)")
        if dtype.kind not in _PLAIN_KINDS:
            raise CheckpointError(f"{what}: {path} holds something other than plain arrays "
                                  f"(member {name!r} has dtype {dtype}; tinyflow stores bool, "
                                  f"integer, float, complex and string arrays)")
        if any(d < 0 for d in shape):
            raise CheckpointError(f"{what}: {path} is corrupt (member {name!r} claims the "
                                  f"shape {shape})")
        need = math.prod(shape) * dtype.itemsize          # Python ints: no overflow
        have = limit - f.tell()
        if need > have:
            raise CheckpointError(f"{what}: {path} is truncated or corrupt (member {name!r} "
                                  f"claims shape {shape} of {dtype}, {need} bytes, but holds "
                                  f"at most {max(have, 0)})")
    with z.open(info) as f:
        array = np.lib.format.read_array(f, allow_pickle=False)
        while f.read(1 << 16):         # read to the member's end: zipfile checks its CRC there
            pass
    return array


def save_json(path, obj):
    atomic_write(path, json_writer(obj))


def json_writer(obj):
    """``write(file)`` writing ``obj`` as JSON (encoded now: errors come before any file)."""
    data = json.dumps(obj, indent=1, sort_keys=False, allow_nan=False).encode()
    return lambda f: f.write(data)


def load_json(path, what="load", max_bytes=256 * 2 ** 20):
    path = os.fspath(path)
    _sniff(path, what)
    size = os.path.getsize(path)
    if size > max_bytes:
        raise CheckpointError(f"{what}: {path} is {size} bytes, more than the {max_bytes} allowed")
    try:
        with open(path, "rb") as f:
            return json.loads(f.read().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise CheckpointError(f"{what}: {path} is not valid JSON ({e})") from None
    except RecursionError:
        raise CheckpointError(f"{what}: {path} nests too deeply to be a tinyflow file") from None
