"""Safe files: atomic writes, and npz/JSON reading that never unpickles.

Every loader in tinyflow goes through here: a file is checked to be what it
claims before anything in it is used, and nothing is ever loaded with pickle.
"""
import io
import json
import os
import tempfile
import zipfile

import numpy as np

_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")      # a zip with members, an empty zip
_PICKLE_MAGICS = (b"\x80",)        # pickle protocol 2+ starts with PROTO (0x80)


class CheckpointError(ValueError):
    """A file is missing, truncated, of another kind, or not what was expected."""


def atomic_write(path, write):
    """Call ``write(file)`` on a temporary file next to ``path``, then rename it
    over ``path``: an interrupted save never destroys the previous file."""
    path = os.fspath(path)
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
        os.replace(tmp, path)
        try:                                # make the rename itself durable
            dir_fd = os.open(folder, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)
        except OSError:
            pass
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def save_npz(path, arrays):
    """Arrays (name -> ndarray) into an .npz, atomically, with pickling refused."""
    arrays = {k: np.asarray(v, order="C") for k, v in arrays.items()}   # keeps 0-d arrays 0-d
    for k, v in arrays.items():
        if v.dtype.kind not in "biufcUS":
            raise TypeError(f"cannot save '{k}': dtype {v.dtype} is not plain data")

    def write(f):
        buf = io.BytesIO()
        np.savez(buf, allow_pickle=False, **arrays)
        f.write(buf.getvalue())
    atomic_write(path, write)


def _sniff(path, what):
    try:
        with open(path, "rb") as f:
            head = f.read(4)
    except FileNotFoundError:
        raise CheckpointError(f"{what}: no such file: {path}") from None
    except IsADirectoryError:
        raise CheckpointError(f"{what}: {path} is a directory, not a file") from None
    return head


def load_npz(path, what="load"):
    """name -> ndarray from an .npz written by tinyflow. Pickles, truncated and
    foreign files raise CheckpointError; nothing in the file is executed."""
    path = os.fspath(path)
    head = _sniff(path, what)
    if head[:1] in _PICKLE_MAGICS:
        raise CheckpointError(f"{what}: {path} is a Python pickle; tinyflow never loads pickles "
                              f"(they can run arbitrary code). Save with tinyflow.save instead.")
    if head not in _ZIP_MAGICS:
        raise CheckpointError(f"{what}: {path} is not a tinyflow checkpoint (expected an .npz "
                              f"archive, the file starts with {head!r})")
    try:
        with np.load(path, allow_pickle=False) as z:
            return {k: z[k] for k in z.files}
    except (zipfile.BadZipFile, EOFError, OSError, KeyError) as e:
        raise CheckpointError(f"{what}: {path} is truncated or corrupt ({e})") from None
    except ValueError as e:
        raise CheckpointError(f"{what}: {path} holds something other than plain arrays ({e})") from None


def save_json(path, obj):
    data = json.dumps(obj, indent=1, sort_keys=False, allow_nan=False).encode()
    atomic_write(path, lambda f: f.write(data))


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
