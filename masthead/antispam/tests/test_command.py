"""``masthead spam``: key create/list/revoke, train and eval through the management command."""

from __future__ import annotations

import io
import json
import re

import pytest
from django.core.management import CommandError, call_command

from masthead.antispam.models import ApiKey

from .test_cli import csv_files  # noqa: F401  (a fixture)

pytestmark = pytest.mark.django_db


def spam(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("spam", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_key_create_prints_a_12_character_key_bound_to_the_site():
    out, err = spam("key", "create", "--site", "https://blog.example.org", "--note", "blog")
    key = out.strip()
    assert re.fullmatch(r"[0-9a-f]{12}", key)
    row = ApiKey.objects.get()
    assert (row.site, row.note, row.key_hash) == (
        "https://blog.example.org",
        "blog",
        ApiKey.hash(key),
    )
    assert "shown this once" in err


def test_key_create_refuses_what_is_not_a_site():
    with pytest.raises(CommandError, match="not a site address"):
        spam("key", "create", "--site", "blog.example.org")


def test_key_list_shows_prefixes_never_keys():
    key = spam("key", "create", "--site", "https://a.example.org")[0].strip()
    spam("key", "create", "--site", "https://b.example.org", "--rate-limit", "60")
    out, _ = spam("key", "list")
    assert f"{key[:4]}…" in out
    assert key not in out
    assert "https://b.example.org" in out
    assert "0 checks this month" in out


def test_key_list_when_there_are_none():
    assert "No API keys" in spam("key", "list")[0]


def test_key_revoke_by_key_or_by_listed_prefix():
    first = spam("key", "create", "--site", "https://a.example.org")[0].strip()
    second = spam("key", "create", "--site", "https://b.example.org")[0].strip()
    assert "Revoked" in spam("key", "revoke", first)[0]
    assert "Revoked" in spam("key", "revoke", f"{second[:4]}…")[0]
    assert not ApiKey.objects.filter(is_active=True).exists()


@pytest.mark.parametrize("text", ["0123456789ab", "zzzz", "", "abc"])
def test_key_revoke_says_what_is_wrong(text):
    with pytest.raises(CommandError, match="key"):
        spam("key", "revoke", text)


def test_a_shared_prefix_must_be_given_whole():
    ApiKey.objects.create(key_hash="a" * 64, prefix="abcd", site="https://a.example.org")
    ApiKey.objects.create(key_hash="b" * 64, prefix="abcd", site="https://b.example.org")
    with pytest.raises(CommandError, match="2 active keys"):
        spam("key", "revoke", "abcd")


def test_train_and_eval_are_the_cli(tmp_path, csv_files):  # noqa: F811
    model = tmp_path / "site.mhspam"
    out, _ = spam("train", "--csv", *map(str, csv_files), "--out", str(model), "--quiet")
    assert model.exists()
    assert f"wrote {model}" in out
    out, _ = spam("eval", "--model", str(model), "--csv", str(csv_files[0]), "--json", "--quiet")
    metrics = json.loads(out)
    assert list(metrics) == [
        "precision",
        "recall",
        "f1",
        "roc_auc",
        "fpr",
        "recall_at_fpr_1pct",
        "n",
    ]


def test_unusable_data_exits_with_status_2(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_:
        spam("eval", "--model", str(tmp_path / "none.mhspam"), "--csv", "nothing.csv")
    assert exit_.value.code == 2
    assert "no model file here" in capsys.readouterr().err


def test_retrain_now():
    assert "No decisions yet" in spam("retrain")[0]
