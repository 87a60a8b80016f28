"""The model file: plain arrays and a JSON header behind an integrity check.

Layout of a ``.mhspam`` file::

    8 bytes   magic  b"MHSPAM" + format version (2 bytes, big-endian)
    1 byte    digest kind: 0 = SHA-256, 1 = HMAC-SHA-256 (keyed, e.g. with the site's secret)
    32 bytes  digest of the payload
    8 bytes   payload length (big-endian)
    payload   an ``.npz`` archive: the arrays, and the header as UTF-8 JSON in ``header``

The digest is checked before the payload is parsed, and the payload is read with
``np.load(..., allow_pickle=False)``: a file is never trusted enough to run code. A plain
SHA-256 catches truncation and corruption; only the keyed digest also stops someone who can
write the file from replacing the model with their own.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import os
import struct
import tempfile
import zipfile
from pathlib import Path

import numpy as np

from .errors import ModelLoadError

__all__ = ["dense_vector", "read_model_file", "sparse_vector", "write_model_file"]

MAGIC = b"MHSPAM"
FORMAT_VERSION = 1
_PREFIX = struct.Struct(">6sHB32sQ")
_SHA256, _HMAC = 0, 1


def _digest(payload: bytes, key: bytes | None) -> bytes:
    if key is None:
        return hashlib.sha256(payload).digest()
    return hmac.new(key, payload, hashlib.sha256).digest()


def write_model_file(
    path: str | os.PathLike[str],
    header: dict[str, object],
    arrays: dict[str, np.ndarray],
    *,
    key: bytes | None = None,
) -> None:
    """Write atomically: a reader sees the old file or the new one, never half of one."""
    header_bytes = json.dumps(header, sort_keys=True, ensure_ascii=False).encode("utf-8")
    payload = _npz_bytes({"header": np.frombuffer(header_bytes, dtype=np.uint8), **arrays})
    kind = _SHA256 if key is None else _HMAC
    prefix = _PREFIX.pack(MAGIC, FORMAT_VERSION, kind, _digest(payload, key), len(payload))
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=target.name, suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(prefix)
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp_name, 0o644)  # mkstemp makes it private; a model is not a secret
        os.replace(tmp_name, target)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


def _npz_bytes(arrays: dict[str, np.ndarray]) -> bytes:
    """An ``.npz`` archive with fixed timestamps, so equal models give equal files."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(arrays):
            member = io.BytesIO()
            np.lib.format.write_array(
                member, np.ascontiguousarray(arrays[name]), allow_pickle=False
            )
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, member.getvalue())
    return buffer.getvalue()


def read_model_file(
    path: str | os.PathLike[str], *, key: bytes | None = None
) -> tuple[dict[str, object], dict[str, np.ndarray]]:
    """Verify and read a model file; raise ``ModelLoadError`` saying what is wrong."""
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError as err:
        raise ModelLoadError(
            f"{path}: no model file here. Train one with "
            f"'masthead spam train --csv FILE --out {path}' or fix the path."
        ) from err
    except OSError as err:
        raise ModelLoadError(f"{path}: cannot be read ({err.strerror}).") from err
    if len(data) < _PREFIX.size or not data.startswith(MAGIC):
        raise ModelLoadError(
            f"{path}: is not a Masthead spam model (.mhspam) file, or is cut short. "
            "Retrain it or copy it again."
        )
    _magic, version, kind, digest, length = _PREFIX.unpack_from(data)
    if version != FORMAT_VERSION:
        raise ModelLoadError(
            f"{path}: model format {version}, but this Masthead reads format "
            f"{FORMAT_VERSION}. Retrain the model with this version."
        )
    payload = data[_PREFIX.size :]
    if len(payload) != length:
        raise ModelLoadError(
            f"{path}: truncated ({len(payload)} of {length} payload bytes). The copy or "
            "download was cut short; copy the file again or retrain it."
        )
    if kind == _HMAC and key is None:
        raise ModelLoadError(f"{path}: is signed with a key; pass the same key to load it.")
    if kind == _SHA256 and key is not None:
        raise ModelLoadError(
            f"{path}: is not signed, but a key was given. Re-save it with the key, "
            "or load it without one if you trust where it came from."
        )
    if kind not in (_SHA256, _HMAC) or not hmac.compare_digest(digest, _digest(payload, key)):
        raise ModelLoadError(
            f"{path}: integrity check failed: the file was changed after it was written "
            "(or signed with another key). Do not use it; retrain or restore the model."
        )
    try:
        with np.load(io.BytesIO(payload), allow_pickle=False) as archive:
            arrays = {name: archive[name] for name in archive.files}
        header = json.loads(arrays.pop("header").tobytes().decode("utf-8"))
    except (OSError, ValueError, KeyError, zipfile.BadZipFile, UnicodeDecodeError) as err:
        raise ModelLoadError(f"{path}: the model data cannot be read ({err}).") from err
    if not isinstance(header, dict):
        raise ModelLoadError(f"{path}: the model header is not a JSON object.")
    return header, arrays


def sparse_vector(name: str, vector: np.ndarray, base: float = 0.0) -> dict[str, np.ndarray]:
    nonzero = np.flatnonzero(vector != np.float32(base)).astype(np.int32)
    return {f"{name}_idx": nonzero, f"{name}_val": vector[nonzero].astype(np.float32)}


def dense_vector(arrays: dict[str, np.ndarray], name: str, n: int, base: float = 0.0) -> np.ndarray:
    indices = arrays[f"{name}_idx"].astype(np.int64)
    values = arrays[f"{name}_val"].astype(np.float32)
    if len(indices) != len(values) or (len(indices) and (indices.min() < 0 or indices.max() >= n)):
        raise ValueError(f"{name}: indices out of range")
    dense = np.full(n, np.float32(base), dtype=np.float32)
    dense[indices] = values
    return dense
