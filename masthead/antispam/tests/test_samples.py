"""CSV layouts and every DataError of ``read_csv``."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from masthead.antispam.errors import DataError
from masthead.antispam.samples import AKISMET_FIELDS, CommentSample, parse_label, read_csv


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_text(text, encoding=encoding)
    return path


def test_reads_the_youtube_layout(tmp_path: Path) -> None:
    path = write(
        tmp_path / "yt.csv",
        "COMMENT_ID,AUTHOR,DATE,CONTENT,CLASS\n"
        'a1,Julius NM,2013-11-07,"Huh, check out this channel",1\n'
        "a2,Mary,2013-11-08,Memories,0\n",
    )
    samples, labels = read_csv(path)
    assert labels.tolist() == [1, 0]
    assert labels.dtype == np.int8
    assert samples[0] == CommentSample(
        comment_content="Huh, check out this channel", comment_author="Julius NM"
    )


def test_reads_akismet_field_names_with_word_and_digit_labels(tmp_path: Path) -> None:
    path = write(
        tmp_path / "site.csv",
        "comment_content,comment_author,comment_author_url,user_agent,article_text,label\n"
        "Buy now,Bot,http://x.biz,curl/8.0,Council news,spam\n"
        "Nice piece,Ann,,Mozilla/5.0,Council news,HAM\n"
        "More spam,Bot,,,,1\n"
        "Agreed,Bob,,,,0\n",
    )
    samples, labels = read_csv([path])
    assert labels.tolist() == [1, 0, 1, 0]
    assert samples[0].comment_author_url == "http://x.biz"
    assert samples[0].user_agent == "curl/8.0"
    assert samples[0].article_text == "Council news"
    assert samples[3].comment_author_email == ""


def test_several_files_are_concatenated_in_order(tmp_path: Path) -> None:
    first = write(tmp_path / "a.csv", "CONTENT,CLASS\none,1\n")
    second = write(tmp_path / "b.csv", "comment_content,label\ntwo,ham\n")
    samples, labels = read_csv([first, second])
    assert [s.comment_content for s in samples] == ["one", "two"]
    assert labels.tolist() == [1, 0]


def test_missing_file_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"nope\.csv: no such file"):
        read_csv(tmp_path / "nope.csv")


def test_unreadable_path_is_a_data_error(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="cannot be read"):
        read_csv(tmp_path)  # a directory


def test_no_files_at_all() -> None:
    with pytest.raises(DataError, match="at least one file"):
        read_csv([])


def test_missing_label_column_lists_what_is_expected(tmp_path: Path) -> None:
    path = write(tmp_path / "x.csv", "comment_content,comment_author\nhi,Ann\n")
    with pytest.raises(DataError, match=r"x\.csv: missing column\(s\) label.*comment_content"):
        read_csv(path)


def test_missing_class_column_in_youtube_layout(tmp_path: Path) -> None:
    path = write(tmp_path / "y.csv", "AUTHOR,CONTENT\nAnn,hi\n")
    with pytest.raises(DataError, match=r"y\.csv: missing column CLASS.*CONTENT, CLASS"):
        read_csv(path)


def test_file_without_text_column_describes_both_layouts(tmp_path: Path) -> None:
    path = write(tmp_path / "z.csv", "text,spam\nhi,1\n")
    with pytest.raises(DataError, match=r"found columns text, spam.*comment_content.*CONTENT"):
        read_csv(path)


def test_empty_file(tmp_path: Path) -> None:
    path = write(tmp_path / "empty.csv", "")
    with pytest.raises(DataError, match=r"empty\.csv: is empty"):
        read_csv(path)


def test_header_without_rows(tmp_path: Path) -> None:
    path = write(tmp_path / "head.csv", "CONTENT,CLASS\n")
    with pytest.raises(DataError, match="header but no rows"):
        read_csv(path)


def test_unknown_label_names_file_and_line(tmp_path: Path) -> None:
    path = write(
        tmp_path / "bad.csv",
        'comment_content,label\nok,spam\n"two\nlines",ham\nthird,maybe\n',
    )
    with pytest.raises(
        DataError, match=r"bad\.csv, line 5: unknown label 'maybe'.*'spam' or 'ham'"
    ):
        read_csv(path)


def test_not_utf8(tmp_path: Path) -> None:
    path = write(tmp_path / "latin.csv", "CONTENT,CLASS\ncaf\u00e9,0\n", encoding="latin-1")
    with pytest.raises(DataError, match="not UTF-8"):
        read_csv(path)


def test_utf8_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = write(tmp_path / "bom.csv", "\ufeffCONTENT,CLASS\nhello,0\n")
    samples, _ = read_csv(path)
    assert samples[0].comment_content == "hello"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("spam", 1), (" SPAM ", 1), ("1", 1), ("ham", 0), ("0", 0), ("2", None), ("", None)],
)
def test_parse_label(text: str, expected: int | None) -> None:
    assert parse_label(text) == expected


def test_from_mapping_ignores_unknown_keys_and_none() -> None:
    sample = CommentSample.from_mapping(
        {"comment_content": "hi", "comment_author": None, "blog": "x", "user_ip": "10.0.0.1"}
    )
    assert sample.comment_content == "hi"
    assert sample.comment_author == ""
    assert sample.user_ip == "10.0.0.1"
    assert set(AKISMET_FIELDS) >= {"comment_content", "permalink", "article_text"}
