"""evaluate_jsonl and ``masthead related eval``: results and every data error."""

from __future__ import annotations

import json

import pytest

from masthead.related.cli import main
from masthead.related.engine import DataError, evaluate_jsonl

from .fixtures import BEATS


def write(tmp_path, lines, name="stories.jsonl"):
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def labelled(tmp_path):
    lines = [
        json.dumps({"title": title, "body": body, "label": beat})
        for beat, stories in BEATS.items()
        for title, body in stories
    ]
    return write(tmp_path, lines)


def test_evaluate_returns_exactly_the_contract_keys(labelled):
    result = evaluate_jsonl(labelled, k=2)
    assert set(result) == {"precision_at_k", "baseline_precision_at_k", "k", "n"}
    assert result["k"] == 2
    assert result["n"] == sum(len(s) for s in BEATS.values())
    assert result["precision_at_k"] == 1.0  # every story's 2 nearest share its beat
    assert 0.0 <= result["baseline_precision_at_k"] <= 1.0


def test_precision_counts_empty_slots_as_misses(labelled):
    result = evaluate_jsonl(labelled, k=10)  # football has only 2 other stories
    assert result["precision_at_k"] < 1.0


def test_labels_are_hidden_from_the_engine(tmp_path):
    story = {"title": "Ceasefire talks in Geneva", "body": "Diplomats met in Geneva."}
    lines = [json.dumps({**story, "label": label}) for label in ("a", "b", "b")]
    result = evaluate_jsonl(write(tmp_path, lines), k=1)
    assert result["n"] == 3
    # identical texts are re-posts of each other, so nothing may be linked at all
    assert result["precision_at_k"] == 0.0


def test_blank_lines_are_skipped(tmp_path, labelled):
    text = labelled.read_text(encoding="utf-8").replace("\n", "\n\n", 3)
    result = evaluate_jsonl(write(tmp_path, [text], "blank.jsonl"), k=2)
    assert result["n"] == sum(len(s) for s in BEATS.values())


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (['{"title": "a", "body": "b", "label": "x"}', "{not json"], r"line 2: not valid JSON"),
        (['["a", "b"]'], r"line 1: expected a JSON object .* found list"),
        (['{"title": "a", "body": "b"}'], r"line 1: missing 'label'"),
        (['{"label": "x"}'], r"line 1: missing 'title', 'body'"),
        (['{"title": 1, "body": "b", "label": "x"}'], r"line 1: 'title' must be a string"),
        (['{"title": "a", "body": "b", "label": null}'], r"line 1: 'label' must be"),
        (["", "   "], r"no stories in the file"),
    ],
)
def test_data_errors_name_the_file_and_line(tmp_path, lines, message):
    path = write(tmp_path, lines)
    with pytest.raises(DataError, match=message) as err:
        evaluate_jsonl(path)
    assert str(path) in str(err.value)


def test_missing_file_is_a_data_error(tmp_path):
    missing = tmp_path / "nope.jsonl"
    with pytest.raises(DataError, match="no such file") as err:
        evaluate_jsonl(missing)
    assert str(missing) in str(err.value)


def test_empty_file_is_a_data_error(tmp_path):
    path = tmp_path / "empty.jsonl"
    path.write_bytes(b"")
    with pytest.raises(DataError, match="empty"):
        evaluate_jsonl(path)


def test_non_utf8_file_is_a_data_error(tmp_path):
    path = tmp_path / "latin1.jsonl"
    path.write_bytes('{"title": "caf\xe9"}'.encode("latin-1"))
    with pytest.raises(DataError, match="not UTF-8"):
        evaluate_jsonl(path)


@pytest.mark.parametrize("k", [0, -1, True, 2.5])
def test_bad_k_is_refused(labelled, k):
    with pytest.raises(ValueError, match="k must be"):
        evaluate_jsonl(labelled, k=k)


def test_cli_prints_human_readable_results(labelled, capsys):
    assert main(["eval", "--jsonl", str(labelled), "--k", "2"]) == 0
    out = capsys.readouterr().out
    assert "precision@2 on 15 stories" in out
    assert "related-stories engine  1.0000" in out
    assert "YARPP-style baseline" in out


def test_cli_json_prints_one_object(labelled, capsys):
    assert main(["eval", "--jsonl", str(labelled), "--json"]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1
    result = json.loads(out)
    assert set(result) == {"precision_at_k", "baseline_precision_at_k", "k", "n"}
    assert result["k"] == 5


def test_cli_reports_data_errors_with_exit_code_2(tmp_path, capsys):
    assert main(["eval", "--jsonl", str(tmp_path / "nope.jsonl")]) == 2
    err = capsys.readouterr().err
    assert "error:" in err
    assert "no such file" in err


@pytest.mark.parametrize("argv", [["eval"], ["eval", "--jsonl", "x", "--k", "0"], []])
def test_cli_usage_errors_exit_2(argv, capsys):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
