"""`masthead backup` and `masthead restore`, end to end on a real site directory."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

WRITE = """
from django.utils import timezone
from masthead.newsroom.models import Article, Section
from masthead.newsroom.tests.factories import make_image
section, _ = Section.objects.get_or_create(name="City", slug="city")
image = make_image(alt_text="Harbour")
Article.objects.create(headline=HEADLINE, slug=SLUG, section=section, body="<p>x</p>",
                       status="published", featured_image=image, published_at=timezone.now())
print(image.file.name)
"""
READ = (
    "from masthead.newsroom.models import Article;"
    "print(sorted(Article.objects.values_list('slug', flat=True)))"
)


def run(env, *args, check=True):
    return subprocess.run(
        [sys.executable, "-m", "masthead.cli", *args],
        env=env, capture_output=True, text=True, timeout=120, check=check,
    )  # fmt: skip


def shell(env, code: str) -> str:
    return run(env, "shell", "-v", "0", "-c", code).stdout.strip()


def site(tmp_path: Path, name: str, database_url: str | None = None) -> dict:
    home = tmp_path / name
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(
        MASTHEAD_VAR_DIR=str(home),
        SECRET_KEY="backup-test-" + "x" * 40,
        DATABASE_URL=database_url or f"sqlite:///{home / 'db.sqlite3'}",
        MEDIA_ROOT=str(home / "media"),
    )
    run(env, "migrate", "--noinput")
    return env


def add_story(env, slug: str) -> str:
    code = f"HEADLINE = {slug!r}; SLUG = {slug!r}\n" + WRITE
    return shell(env, code)


def test_native_backup_restores_database_and_media(tmp_path):
    env = site(tmp_path, "site")
    image = add_story(env, "before-backup")
    out = tmp_path / "site.tar.gz"
    assert "Backup written" in run(env, "backup", "--out", str(out)).stdout
    add_story(env, "after-backup")
    (Path(env["MEDIA_ROOT"]) / image).unlink()

    result = run(env, "restore", str(out), "--yes")
    assert "Restored the sqlite backup" in result.stdout
    assert "previous state was saved" in result.stdout
    assert shell(env, READ) == "['before-backup']"
    assert (Path(env["MEDIA_ROOT"]) / image).exists()


def test_portable_backup_moves_a_site_to_another_database(tmp_path, request):
    source = site(tmp_path, "old")
    add_story(source, "moving-day")
    out = tmp_path / "portable.tar.gz"
    run(source, "backup", "--portable", "--out", str(out))
    target_url = None
    from django.conf import settings

    if "postgresql" in settings.DATABASES["default"]["ENGINE"]:
        target_url = request.getfixturevalue("scratch_postgres")  # SQLite → PostgreSQL
    target = site(tmp_path, "new", target_url)
    run(target, "restore", str(out), "--yes", "--no-safety-backup")
    assert shell(target, READ) == "['moving-day']"
    groups = shell(
        target,
        "from django.contrib.auth.models import Group;"
        "print(Group.objects.get(name='Editor').permissions.count())",
    )
    assert int(groups) > 10


def test_a_backup_restores_into_a_new_database_before_migrate(tmp_path):
    """A new database holds nothing a safety backup could keep: restore goes ahead without
    one (it used to stop on the missing tables with a raw database error)."""
    source = site(tmp_path, "old")
    add_story(source, "first-night")
    out = tmp_path / "site.tar.gz"
    run(source, "backup", "--portable", "--out", str(out))
    home = tmp_path / "new"
    home.mkdir()
    target = {**source, "MASTHEAD_VAR_DIR": str(home), "MEDIA_ROOT": str(home / "media")}
    target["DATABASE_URL"] = f"sqlite:///{home / 'db.sqlite3'}"
    result = run(target, "restore", str(out), "--yes", check=False)
    assert result.returncode == 0, result.stderr
    assert shell(target, READ) == "['first-night']"
    assert not list((home / "backups").glob("masthead-*.tar.gz"))  # no empty safety backup


def test_restore_refuses_what_is_not_a_backup(tmp_path):
    env = site(tmp_path, "site")
    bogus = tmp_path / "bogus.tar.gz"
    bogus.write_bytes(b"not a tarball")
    result = run(env, "restore", str(bogus), "--yes", check=False)
    assert result.returncode != 0
    assert "is not a readable backup" in result.stderr
    missing = run(env, "restore", str(tmp_path / "nope.tar.gz"), "--yes", check=False)
    assert "does not exist" in missing.stderr


@pytest.mark.postgres
def test_native_postgres_backup_and_restore(tmp_path, scratch_postgres):
    env = site(tmp_path, "pg", scratch_postgres)
    add_story(env, "kept")
    out = tmp_path / "pg.tar.gz"
    run(env, "backup", "--out", str(out))
    add_story(env, "discarded")
    result = run(env, "restore", str(out), "--yes")
    assert "Restored the postgresql backup" in result.stdout
    assert shell(env, READ) == "['kept']"

    add_story(env, "still-here")
    bad = tmp_path / "old-garbage.tar.gz"

    def damage(work: Path) -> None:  # no checksums: pg_restore must find the dump unreadable
        old_manifest(work, "postgresql")
        (work / "database.pgdump").write_bytes(b"PGDMP" + os.urandom(4096))

    repack(out, bad, damage)
    fails_cleanly(run(env, "restore", str(bad), "--yes", check=False), "cannot be read")
    assert shell(env, READ) == "['kept', 'still-here']"


# --- A backup is checked before anything changes ------------------------------------------

COUNT = "from masthead.newsroom.models import Article; print(Article.objects.count())"


def fails_cleanly(result, *phrases: str) -> None:
    """A one-line error, no traceback, and the phrases in it."""
    assert result.returncode != 0, result.stdout
    assert "Traceback" not in result.stderr, result.stderr
    for phrase in phrases:
        assert phrase in result.stderr, result.stderr


def repack(source: Path, target: Path, change) -> None:
    """Unpack ``source``, let ``change(directory)`` alter it, pack it again as ``target``."""
    import tarfile

    work = target.parent / (target.name + ".d")
    with tarfile.open(source) as archive:
        archive.extractall(work, filter="data")
    change(work)
    with tarfile.open(target, "w:gz") as archive:
        for path in sorted(work.rglob("*")):
            if path.is_file():
                archive.add(path, arcname=str(path.relative_to(work)))


def old_manifest(directory: Path, kind: str = "sqlite") -> None:
    """A manifest as backups made before checksums had it."""
    import json

    (directory / "manifest.json").write_text(
        json.dumps({"format": 1, "kind": kind, "created": "x", "media_files": 0})
    )


@pytest.fixture
def backed_up(tmp_path):
    """A site with a story backed up, a story written since, and its media file."""
    env = site(tmp_path, "site")
    image = add_story(env, "in-backup")
    out = tmp_path / "good.tar.gz"
    run(env, "backup", "--out", str(out))
    add_story(env, "since-backup")
    return env, out, Path(env["MEDIA_ROOT"]) / image


def untouched(env, media_file: Path) -> None:
    assert shell(env, READ) == "['in-backup', 'since-backup']"
    assert media_file.exists()
    assert not list((Path(env["MASTHEAD_VAR_DIR"]) / "backups").glob("*"))  # no safety backup


def test_restore_refuses_an_archive_corrupted_on_disk(backed_up, tmp_path):
    env, out, media_file = backed_up
    for offset in (len(out.read_bytes()) // 3, len(out.read_bytes()) - 12):  # data; gzip CRC
        bad = tmp_path / f"corrupt-{offset}.tar.gz"
        data = bytearray(out.read_bytes())
        data[offset : offset + 8] = bytes(x ^ 0x5A for x in data[offset : offset + 8])
        bad.write_bytes(bytes(data))
        fails_cleanly(run(env, "restore", str(bad), "--yes", check=False), "Nothing was changed")
        untouched(env, media_file)
    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(out.read_bytes()[: len(out.read_bytes()) // 2])
    fails_cleanly(run(env, "restore", str(truncated), "--yes", check=False), "truncated")
    untouched(env, media_file)


def test_restore_refuses_a_member_that_does_not_match_its_checksum(backed_up, tmp_path):
    env, out, media_file = backed_up
    bad = tmp_path / "tampered.tar.gz"

    def damage(work: Path) -> None:  # a valid gzip, but one picture's bytes changed
        picture = next((work / "media").rglob("*.png"))
        picture.write_bytes(picture.read_bytes()[:-10] + b"0123456789")

    repack(out, bad, damage)
    fails_cleanly(
        run(env, "restore", str(bad), "--yes", check=False), "does not match its checksum"
    )
    untouched(env, media_file)


def test_restore_checks_the_database_of_an_older_backup(backed_up, tmp_path):
    env, out, media_file = backed_up
    bad = tmp_path / "old-corrupt.tar.gz"

    def damage(work: Path) -> None:  # no checksums to catch it: SQLite's own check must
        old_manifest(work)
        db = bytearray((work / "database.sqlite3").read_bytes())
        for page in range(2, len(db) // 4096, 3):
            db[page * 4096 : page * 4096 + 64] = b"\xff" * 64
        (work / "database.sqlite3").write_bytes(bytes(db))

    repack(out, bad, damage)
    fails_cleanly(run(env, "restore", str(bad), "--yes", check=False), "database is damaged")
    untouched(env, media_file)


def test_restore_refuses_a_backup_without_its_database(backed_up, tmp_path):
    env, out, media_file = backed_up
    for kind, member in [("sqlite", "database.sqlite3"), ("portable", "data.json")]:
        bad = tmp_path / f"no-{kind}.tar.gz"

        def drop(work: Path, kind=kind, member=member) -> None:
            old_manifest(work, kind)
            (work / "database.sqlite3").unlink()

        repack(out, bad, drop)
        fails_cleanly(run(env, "restore", str(bad), "--yes", check=False), f"{member} is missing")
        untouched(env, media_file)


@pytest.mark.parametrize(
    ("manifest", "phrase"),
    [
        ("[1, 2]", "not a JSON object"),
        ('{"format": 1, "created": "x", "media_files": 0}', "unknown kind"),
        ("{not json", "damaged manifest.json"),
    ],
)
def test_restore_refuses_a_malformed_manifest(backed_up, tmp_path, manifest, phrase):
    env, out, media_file = backed_up
    bad = tmp_path / "manifest.tar.gz"
    repack(out, bad, lambda work: (work / "manifest.json").write_text(manifest))
    fails_cleanly(run(env, "restore", str(bad), "--yes", check=False), phrase)
    untouched(env, media_file)


def test_restore_without_yes_and_without_a_terminal_asks_for_yes(backed_up):
    env, out, media_file = backed_up
    result = subprocess.run(
        [sys.executable, "-m", "masthead.cli", "restore", str(out)],
        env=env, capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    fails_cleanly(result, "add --yes")
    untouched(env, media_file)


def test_portable_data_that_cannot_be_loaded_leaves_the_site_as_it_was(tmp_path, site_database_url):
    env = site(tmp_path, "site", site_database_url)
    add_story(env, "kept")
    out = tmp_path / "portable.tar.gz"
    run(env, "backup", "--portable", "--out", str(out))
    bad = tmp_path / "unloadable.tar.gz"

    def break_data(work: Path) -> None:  # valid JSON, known models, but a row that can't load
        import json

        old_manifest(work, "portable")
        rows = json.loads((work / "data.json").read_text())
        rows.append({"model": "newsroom.section", "pk": 999, "fields": {"name": None}})
        (work / "data.json").write_text(json.dumps(rows))

    repack(out, bad, break_data)
    result = run(env, "restore", str(bad), "--yes", "--no-safety-backup", check=False)
    fails_cleanly(result, "could not be restored and was left as it was")
    assert shell(env, READ) == "['kept']"
    editors = "from django.contrib.auth.models import Group; print(Group.objects.count())"
    assert int(shell(env, editors)) > 0

    future = tmp_path / "future.tar.gz"

    def newer_model(work: Path) -> None:
        import json

        old_manifest(work, "portable")
        rows = json.loads((work / "data.json").read_text())
        rows.append({"model": "newsroom.futuremodel", "pk": 1, "fields": {}})
        (work / "data.json").write_text(json.dumps(rows))

    repack(out, future, newer_model)
    result = run(env, "restore", str(future), "--yes", check=False)
    fails_cleanly(result, "newsroom.futuremodel")
    assert shell(env, READ) == "['kept']"


# --- Writing a backup ---------------------------------------------------------------------


def test_backup_out_a_directory_writes_a_named_file_in_it(tmp_path):
    env = site(tmp_path, "site")
    directory = tmp_path / "backups-here"
    directory.mkdir()
    result = run(env, "backup", "--out", str(directory))
    written = list(directory.glob("masthead-*.tar.gz"))
    assert len(written) == 1
    assert str(written[0]) in result.stdout
    assert not list(tmp_path.glob("*.partial"))
    assert "SECRET_KEY" in result.stdout


def test_backup_out_a_new_directory_written_with_a_slash_is_a_directory(tmp_path):
    env = site(tmp_path, "site")
    result = run(env, "backup", "--out", str(tmp_path / "new" / "dir") + "/")
    written = list((tmp_path / "new" / "dir").glob("masthead-*.tar.gz"))
    assert len(written) == 1, result.stdout
    assert str(written[0]) in result.stdout


def test_a_database_that_holds_no_site_is_not_backed_up(tmp_path):
    """As from cron in the wrong directory: a new, empty database, and a backup of it that
    looked like any other."""
    home = tmp_path / "elsewhere"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(MASTHEAD_VAR_DIR=str(home), SECRET_KEY="backup-test-" + "x" * 40)
    env["DATABASE_URL"] = f"sqlite:///{home / 'db.sqlite3'}"
    result = run(env, "backup", check=False)
    fails_cleanly(result, "Nothing to back up", "never migrated", "MASTHEAD_HOME")
    assert not list(home.rglob("*.tar.gz"))


def test_a_backup_that_cannot_be_written_leaves_no_partial_file(tmp_path):
    import resource
    import signal

    env = site(tmp_path, "site")
    media = Path(env["MEDIA_ROOT"])
    media.mkdir(exist_ok=True)
    (media / "big.bin").write_bytes(os.urandom(4 << 20))  # does not compress
    limit = (Path(env["DATABASE_URL"].removeprefix("sqlite:///")).stat().st_size) + (1 << 20)

    def small_disk():  # as a full disk: writes past `limit` bytes fail (EFBIG)
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    out = tmp_path / "out" / "b.tar.gz"
    result = subprocess.run(
        [sys.executable, "-m", "masthead.cli", "backup", "--out", str(out)],
        env=env, capture_output=True, text=True, timeout=120, preexec_fn=small_disk,
    )  # fmt: skip
    fails_cleanly(result, "Could not write the backup", "Nothing was kept")
    assert list(out.parent.iterdir()) == []


# --- What a restore gives back ------------------------------------------------------------


def test_restore_replaces_media_and_keeps_what_it_removes(backed_up):
    import tarfile

    env, out, media_file = backed_up
    media = Path(env["MEDIA_ROOT"])
    in_backup = media_file.read_bytes()
    added = media / "images" / "after-backup.txt"
    added.write_text("uploaded after the backup")
    since = sorted(p for p in media.rglob("*.png") if p != media_file)  # the second story's
    assert since

    result = run(env, "restore", str(out), "--yes")
    assert not added.exists()
    assert not any(p.exists() for p in since)
    assert media_file.read_bytes() == in_backup
    safety = Path(result.stdout.split("saved to ")[1].split()[0])
    with tarfile.open(safety) as archive:
        kept = archive.extractfile("media/images/after-backup.txt").read()
    assert kept == b"uploaded after the backup"

    # Without a safety backup, what the restore removes or overwrites is moved aside.
    added.write_text("again")
    media_file.write_bytes(b"edited since")
    result = run(env, "restore", str(out), "--yes", "--no-safety-backup")
    aside = Path(result.stdout.split("were moved to ")[1].split()[0])
    assert (aside / "images" / "after-backup.txt").read_text() == "again"
    assert (aside / media_file.relative_to(media)).read_bytes() == b"edited since"
    assert not added.exists()
    assert media_file.read_bytes() == in_backup


RELATED = """
import json, random, subprocess, sys
from masthead.newsroom.models import Article, Section
from masthead.newsroom.services import article_publish
from masthead.related import keeper, services
from masthead.related.models import RelatedLink
from masthead.related.strategies import get_strategy

def publish(label, n):
    section, _ = Section.objects.get_or_create(name="Science", slug="science")
    rng = random.Random(label)
    words = "zebra quantum lattice cryostat phonon magnetometer qubit photon laser".split()
    ids = []
    for i in range(n):
        body = "".join("<p>" + " ".join(rng.choice(words) for _ in range(40)) + ".</p>"
                       for _ in range(6))
        article = Article(headline=f"{label} zebra quantum {i}", slug=f"{label.lower()}-{i}",
                          section=section, body=body, standfirst="zebra quantum lattice")
        article_publish(article=article)
        ids.append(article.pk)
    for pk in ids:
        services.related_update(article_id=pk)
    return ids

publish("Ghost", 4)                       # after the backup: gone once it is restored
services.related_rebuild()                # a snapshot on disk, of a later generation
keeper.held_index(get_strategy())         # and an index in this process's memory, as a worker
subprocess.run([sys.executable, "-m", "masthead.cli", "restore", BACKUP, "--yes"], check=True)
fresh = publish("Fresh", 2)               # reuse the ghosts' ids
print(json.dumps({pk: list(RelatedLink.objects.filter(article_id=pk, target__isnull=False)
                  .values_list("target_id", flat=True)) for pk in fresh}))
"""


def test_restore_resets_the_related_stories_index_of_a_running_worker(tmp_path, site_database_url):
    import json

    env = site(tmp_path, "site", site_database_url)
    add_story(env, "in-backup")
    out = tmp_path / "b.tar.gz"
    run(env, "backup", "--out", str(out))
    result = run(env, "shell", "-v", "0", "-c", f"BACKUP = {str(out)!r}\n" + RELATED)
    assert "Reset the related-stories index" in result.stdout
    lists = json.loads(result.stdout.strip().splitlines()[-1])
    (first, first_list), (second, second_list) = sorted(lists.items())
    assert int(second) in first_list
    assert int(first) in second_list


PAGES = """
from django.test import Client
from masthead.newsroom.models import Article
client = Client(HTTP_HOST="127.0.0.1")
if MODE == "edit":
    Article.objects.filter(slug="in-backup").update(headline="STALE HEADLINE")
for _ in range(2):
    page = client.get("/").content.decode()
print("STALE HEADLINE" in page)
"""


def test_restore_purges_the_page_cache_and_its_mirror(tmp_path):
    env = site(tmp_path, "site")
    env.update(PAGE_CACHE_DIR=str(tmp_path / "pagecache"), DEBUG="true")  # static files
    add_story(env, "in-backup")
    out = tmp_path / "b.tar.gz"
    run(env, "backup", "--out", str(out))
    assert shell(env, "MODE = 'edit'\n" + PAGES) == "True"  # cached with the edit
    mirrored = list((tmp_path / "pagecache").rglob("index.html"))
    assert mirrored
    assert "STALE HEADLINE" in mirrored[0].read_text()

    result = run(env, "restore", str(out), "--yes")
    assert "Purged the page cache" in result.stdout
    assert "Deleted the pages mirrored" in result.stdout
    assert not list((tmp_path / "pagecache").rglob("index.html"))
    assert shell(env, "MODE = 'read'\n" + PAGES) == "False"


def test_restore_with_another_secret_key_says_so(backed_up):
    env, out, _ = backed_up
    other = dict(env, SECRET_KEY="another-key-" + "y" * 40)
    result = run(other, "restore", str(out), "--yes")
    assert "made with another SECRET_KEY" in result.stdout
    assert "another SECRET_KEY" not in run(env, "restore", str(out), "--yes").stdout
