"""``masthead spam train`` / ``eval`` through ``cli.main``."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from masthead.antispam.cli import main
from masthead.antispam.model import SpamModel

from .conftest import toy_corpus


@pytest.fixture
def csv_files(tmp_path: Path) -> list[Path]:
    samples, labels = toy_corpus(24)
    paths = []
    for part in range(2):
        path = tmp_path / f"site{part}.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["comment_content", "comment_author", "article_text", "label"])
            for sample, label in list(zip(samples, labels, strict=True))[
                part * 24 : (part + 1) * 24
            ]:
                writer.writerow(
                    [sample.comment_content, sample.comment_author, sample.article_text,
                     "spam" if label else "ham"]
                )  # fmt: skip
        paths.append(path)
    return paths


def run(argv: list[str]) -> tuple[int, str]:
    out = io.StringIO()
    return main(argv, stdout=out), out.getvalue()


def test_train_then_eval_json(tmp_path: Path, csv_files: list[Path]) -> None:
    model_path = tmp_path / "m.mhspam"
    code, text = run(["train", "--csv", *map(str, csv_files), "--out", str(model_path), "--quiet"])
    assert code == 0
    assert "wrote" in text
    assert "leave-one-group-out" in text  # two files: one fold per file
    assert SpamModel.load(model_path).n_train == 48

    code, text = run(["eval", "--model", str(model_path), "--csv", str(csv_files[0]), "--json"])
    assert code == 0
    metrics = json.loads(text)
    assert list(metrics) == [
        "precision",
        "recall",
        "f1",
        "roc_auc",
        "fpr",
        "recall_at_fpr_1pct",
        "n",
    ]
    assert metrics["n"] == 24
    assert metrics["roc_auc"] > 0.9


def test_eval_text_output_and_plot(tmp_path: Path, csv_files: list[Path]) -> None:
    model_path = tmp_path / "m.mhspam"
    assert run(["train", "--csv", str(csv_files[0]), "--out", str(model_path), "--quiet"])[0] == 0
    plot = tmp_path / "curves.png"
    code, text = run(
        ["eval", "--model", str(model_path), "--csv", str(csv_files[1]), "--plot", str(plot)]
    )
    assert code == 0
    assert "recall_at_fpr_1pct" in text
    assert plot.stat().st_size > 1000


def test_errors_exit_2_with_a_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _ = run(["eval", "--model", str(tmp_path / "none.mhspam"), "--csv", "x.csv"])
    assert code == 2
    assert "no model file here" in capsys.readouterr().err
    bad = tmp_path / "bad.csv"
    bad.write_text("text\nhello\n", encoding="utf-8")
    code, _ = run(["train", "--csv", str(bad), "--out", str(tmp_path / "m.mhspam")])
    assert code == 2
    assert "found columns text" in capsys.readouterr().err


def test_context_file_fills_permalink_and_article(tmp_path: Path, csv_files: list[Path]) -> None:
    from masthead.antispam.cli import load_labelled

    context = tmp_path / "pages.json"
    context.write_text(
        json.dumps({"site0.csv": {"permalink": "https://n.example/a", "article_text": "Lanes"}}),
        encoding="utf-8",
    )
    samples, labels, groups = load_labelled([str(p) for p in csv_files], str(context))
    assert samples[1].permalink == "https://n.example/a"
    assert samples[-1].permalink == ""
    assert groups[0] == "site0.csv"
    assert len(samples) == len(labels) == 48
    context.write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(Exception, match="expected a JSON object"):
        load_labelled([str(csv_files[0])], str(context))
