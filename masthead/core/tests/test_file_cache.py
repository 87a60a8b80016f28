"""The machine-wide file cache: values replace each other, damaged files read as misses."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from masthead.core.cache import FileCache


@pytest.fixture
def cache(tmp_path):
    return FileCache(str(tmp_path / "cache"), {"OPTIONS": {"MAX_ENTRIES": 100}})


def cache_files(cache) -> list[str]:
    return sorted(p.name for p in Path(cache._dir).iterdir())


def test_a_value_replaces_the_one_before_and_leaves_no_temporary_file(cache, monkeypatch):
    import os

    renamed = []

    def rename(source, target):  # ext4 writes a file renamed over another to disk first
        assert not os.path.exists(target), "renamed over an existing file"
        renamed.append(target)
        real_rename(source, target)

    real_rename = os.rename
    monkeypatch.setattr("masthead.core.cache.os.rename", rename)
    cache.set("version", "a", timeout=None)
    cache.set("version", "b", timeout=None)
    cache.set_many({"version": "c", "other": "d"}, timeout=None)
    assert cache.get_many(["version", "other"]) == {"version": "c", "other": "d"}
    assert all(name.endswith(".djcache") for name in cache_files(cache))
    assert len(cache_files(cache)) == 2
    assert len(renamed) == 4


def test_add_and_expiry_still_work(cache):
    assert cache.add("once", 1, timeout=60)
    assert not cache.add("once", 2, timeout=60)
    cache.set("gone", 1, timeout=-1)
    assert cache.get("gone", "missing") == "missing"
    assert cache.get("once") == 1


FUTURE = 4_102_444_800.0  # 2100-01-01: an expiry that has not come


@pytest.mark.parametrize(
    "damage",
    [
        b"",  # empty: a crash before the data reached the disk
        pickle.dumps(FUTURE),  # its expiry but no value
        pickle.dumps(FUTURE) + b"not zlib at all",
        b"\x80\x05garbage",  # not even a readable expiry
    ],
    ids=["empty", "expiry only", "not zlib", "garbage"],
)
def test_a_damaged_file_is_a_miss_and_is_removed(cache, damage, caplog):
    cache.set("page", "html", timeout=None)
    (path,) = Path(cache._dir).iterdir()
    path.write_bytes(damage)
    assert cache.get("page", "missing") == "missing"
    assert not path.exists()
    if damage:  # an empty file is simply expired, as in Django's own backend
        assert "Unreadable cache file" in caplog.text
    cache.set("page", "html again", timeout=None)
    assert cache.get("page") == "html again"


def test_a_file_without_a_readable_expiry_is_not_a_key(cache):
    cache.set("page", "html", timeout=None)
    (path,) = Path(cache._dir).iterdir()
    path.write_bytes(b"\x80\x05garbage")
    assert not cache.has_key("page")
    assert not path.exists()
