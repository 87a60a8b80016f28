"""The model each process scores with, and how it follows the current version.

Every web process keeps one ``SpamModel`` in memory. At most every ``RELOAD_SECONDS`` it
asks the database which version is current (one small query) and loads a newer one; a
retrain in the background worker therefore reaches every process without a restart.

When no model can be loaded (the base file is missing, a version fails its integrity
check...) :func:`current` returns a ``Loaded`` without a model and the reason: the pipeline
then runs its guards only and holds every comment for a moderator. The reason is logged once
and shown in the admin and by ``masthead check``.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from masthead.antispam import conf
from masthead.antispam.errors import ModelLoadError
from masthead.antispam.model import SpamModel
from masthead.antispam.storage import is_signed

logger = logging.getLogger("masthead.antispam")

RETRY_SECONDS = 60


@dataclass(frozen=True)
class Loaded:
    model: SpamModel | None
    token: str  # which model: "version:<id>:<sha256>" or "base:<path>"
    version_id: int | None = None
    error: str = ""

    @property
    def version(self) -> str:
        return self.model.version if self.model is not None else ""


def current_token() -> tuple[str, int | None]:
    from masthead.antispam.models import SpamModelVersion

    row = (
        SpamModelVersion.objects.filter(is_current=True)
        .values_list("pk", "sha256")
        .order_by()
        .first()
    )
    if row is not None:
        return f"version:{row[0]}:{row[1]}", row[0]
    return f"base:{conf.base_model_path()}", None


def load_base(path: Path | None = None) -> SpamModel:
    """The base model file: unsigned (as shipped) or signed with this site's key."""
    path = path or conf.base_model_path()
    try:
        data = path.read_bytes()
    except FileNotFoundError as err:
        raise ModelLoadError(
            f"{path}: no model file here. Set SPAM_BASE_MODEL to a model trained "
            "with 'masthead spam train', or remove it to use the model Masthead ships."
        ) from err
    except OSError as err:
        raise ModelLoadError(f"{path}: cannot be read ({err.strerror}).") from err
    keys = conf.signing_keys() if is_signed(data) else [None]
    return _first_loadable(data, keys, name=str(path))


def load_version(version_id: int) -> SpamModel:
    """A stored version, after checking its digest against the one recorded with it."""
    from masthead.antispam.models import SpamModelVersion

    row = SpamModelVersion.objects.filter(pk=version_id).values_list("data", "sha256").first()
    name = f"spam model version {version_id}"
    if row is None:
        raise ModelLoadError(f"{name}: not in the database any more. Retrain the model.")
    data = bytes(row[0] or b"")
    if not data:
        raise ModelLoadError(f"{name}: its data was pruned. Make a newer version current.")
    if hashlib.sha256(data).hexdigest() != row[1]:
        raise ModelLoadError(
            f"{name}: the stored data does not match its recorded digest; it was changed "
            "after the site wrote it. Rebuild the model from the admin."
        )
    return _first_loadable(data, conf.signing_keys(), name=name)


def _first_loadable(data: bytes, keys: list[bytes | None], *, name: str) -> SpamModel:
    error: ModelLoadError | None = None
    for key in keys:
        try:
            return SpamModel.from_bytes(data, key=key, name=name)
        except ModelLoadError as err:
            error = error or err
    assert error is not None
    raise error


class Registry:
    """The process's model, refreshed lazily; safe to use from several threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loaded: Loaded | None = None
        self._checked_at = 0.0
        self._failed_at = 0.0

    def current(self) -> Loaded:
        loaded = self._loaded
        if loaded is not None and time.monotonic() - self._checked_at < _reload_seconds():
            return loaded
        with self._lock:
            if self._loaded is None or time.monotonic() - self._checked_at >= _reload_seconds():
                self._refresh()
            assert self._loaded is not None
            return self._loaded

    def invalidate(self) -> None:
        """Look for the current version on the next call (after a retrain in this process)."""
        with self._lock:
            self._checked_at = 0.0
            self._failed_at = 0.0

    def reset(self) -> None:
        with self._lock:
            self._loaded = None
            self._checked_at = self._failed_at = 0.0

    def _refresh(self) -> None:
        now = time.monotonic()
        token, version_id = current_token()
        old = self._loaded
        self._checked_at = now
        unchanged = old is not None and old.token == token
        if unchanged and (old.model is not None or now - self._failed_at < RETRY_SECONDS):
            return
        try:
            model = load_version(version_id) if version_id else load_base()
        except ModelLoadError as err:
            self._failed_at = now
            if old is None or old.error != str(err):
                logger.warning(
                    "Spam model unavailable, every comment is held for a moderator: %s", err
                )
            self._loaded = Loaded(None, token, version_id, str(err))
            return
        if old is not None and old.model is None:
            logger.info("Spam model %s loaded; comments are checked again", model.version)
        self._loaded = Loaded(model, token, version_id)


def _reload_seconds() -> float:
    return float(conf.app_settings.RELOAD_SECONDS)


registry = Registry()


def current() -> Loaded:
    return registry.current()
