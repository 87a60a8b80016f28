"""``masthead related eval`` (a stable contract) and ``masthead related rebuild``."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, ManagementUtility, call_command

from masthead.related.models import RelatedLink

from .fixtures import corpus
from .stories import newsroom


@pytest.fixture
def labelled(tmp_path):
    docs, beat_of = corpus()
    path = tmp_path / "labelled.jsonl"
    path.write_text(
        "\n".join(
            json.dumps({"title": d.title, "body": d.body, "label": beat_of[d.id]}) for d in docs
        )
    )
    return path


def run(capsys, *argv) -> tuple[int, str, str]:
    """Run ``masthead related ...`` as the command line does; (exit code, stdout, stderr)."""
    code = 0
    try:
        ManagementUtility(["masthead", "related", *argv]).execute()
    except SystemExit as exit:
        code = exit.code
    out, err = capsys.readouterr()
    return code, out, err


def test_eval_json_prints_exactly_the_contract_keys(labelled, capsys):
    code, out, _ = run(capsys, "eval", "--jsonl", str(labelled), "--k", "3", "--json")
    assert code == 0
    result = json.loads(out)
    assert set(result) == {"precision_at_k", "baseline_precision_at_k", "k", "n"}
    assert result["k"] == 3
    assert result["n"] == 15
    assert result["precision_at_k"] > result["baseline_precision_at_k"]


def test_eval_prints_a_readable_summary_by_default(labelled, capsys):
    code, out, _ = run(capsys, "eval", "--jsonl", str(labelled))
    assert code == 0
    assert out.startswith(f"precision@5 on 15 stories from {labelled}")
    assert "related-stories engine" in out
    assert "YARPP-style baseline" in out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file"),
        ('{"title": "a", "body": "b", "label": "c"}\n{not json\n', "line 2: not valid JSON"),
        ('{"title": "a", "body": "b"}\n', "line 1: missing 'label'"),
        ('["title", "body", "label"]\n', "expected a JSON object"),
    ],
)
def test_eval_errors_say_what_is_wrong_and_exit_2(tmp_path, capsys, content, message):
    path = tmp_path / "stories.jsonl"
    if content is not None:
        path.write_text(content)
    code, out, err = run(capsys, "eval", "--jsonl", str(path))
    assert code == 2
    assert out == ""
    assert message in err
    assert str(path) in err
    with pytest.raises(CommandError, match=message):
        call_command("related", "eval", "--jsonl", str(path))


@pytest.mark.parametrize("argv", [["eval"], ["eval", "--jsonl", "x", "--k", "0"], ["frobnicate"]])
def test_usage_errors_exit_2(capsys, argv):
    code, _, err = run(capsys, *argv)
    assert code == 2
    assert "usage:" in err


@pytest.mark.django_db
def test_rebuild_recomputes_every_list_with_a_progress_bar(capsys, settings):
    settings.MASTHEAD_CONFIG_ERRORS = []  # the test settings have no SECRET_KEY
    stories = newsroom(["diplomacy", "bushfires"])
    call_command("related", "rebuild")  # not run_from_argv: it closes the test's connection
    out, err = capsys.readouterr()
    assert f"Related stories rebuilt: {len(stories)} stories, {len(stories)} lists changed" in out
    assert "Storing lists" in err
    assert "100%" in err
    assert RelatedLink.objects.values("article").distinct().count() == len(stories)
    call_command("related", "rebuild", "--no-progress")
    out, err = capsys.readouterr()
    assert "0 lists changed" in out
    assert err == ""


@pytest.mark.django_db
def test_rebuild_refuses_to_run_with_bad_settings(settings):
    settings.MASTHEAD_CONFIG_ERRORS = []
    settings.MASTHEAD_RELATED_COUNT = -1
    with pytest.raises(CommandError, match=r"masthead\.E501"):
        call_command("related", "rebuild", "--no-progress")
