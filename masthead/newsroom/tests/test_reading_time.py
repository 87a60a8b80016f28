import pytest

from masthead.newsroom.reading_time import image_seconds, measure_text, reading_minutes


def words(n: int) -> str:
    return " ".join(["news"] * n)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The quick brown fox", 4),
        ("Don’t stop — it's well-known", 4),
        ("Привет мир, как дела", 4),  # Cyrillic
        ("Καλημέρα κόσμε", 2),  # Greek
        ("مرحبا بالعالم اليوم", 3),  # Arabic
        ("नमस्ते दुनिया", 2),  # Devanagari: vowel signs do not split words
        ("안녕하세요 세계", 2),  # Hangul is written with spaces
    ],
)
def test_space_separated_scripts_count_words(text, expected):
    assert measure_text(text).words == expected


def test_chinese_counts_characters_not_words():
    measure = measure_text("中国准备加强与俄罗斯的合作")
    assert measure.words == 0
    assert measure.cjk_characters == 13
    assert not measure.japanese


def test_katakana_and_kanji_count_as_japanese_characters():
    measure = measure_text("カタカナのテキストと漢字")
    assert measure.cjk_characters == 12
    assert measure.japanese


def test_thai_is_never_zero_words():
    measure = measure_text("ภาษาไทยไม่มีการเว้นวรรคระหว่างคำ")
    assert measure.words == 0
    assert measure.unspaced_letters > 0
    assert measure.word_equivalents > 0


def test_mixed_scripts_add_up():
    mixed = measure_text("Hello 世界 world")
    assert mixed.words == 2
    assert mixed.cjk_characters == 2


@pytest.mark.parametrize(
    ("count", "seconds"),
    [(0, 0), (1, 12), (2, 23), (9, 12 + 11 + 10 + 9 + 8 + 7 + 6 + 5 + 4), (10, 75), (11, 78)],
)
def test_image_time_steps_down_to_three_seconds(count, seconds):
    assert image_seconds(count) == seconds


@pytest.mark.parametrize(
    ("n_words", "minutes"),
    [(0, 1), (1, 1), (238, 1), (239, 2), (476, 2), (477, 3), (714, 3)],
)
def test_minutes_round_up_at_238_words_a_minute(n_words, minutes):
    assert reading_minutes(words(n_words)) == minutes


def test_images_push_over_a_minute_boundary():
    assert reading_minutes(words(230)) == 1
    assert reading_minutes(words(230), images=1) == 2  # 230/238 min + 12 s > 1 min


def test_rate_is_configurable(settings):
    settings.MASTHEAD_READING_WORDS_PER_MINUTE = 100
    assert reading_minutes(words(250)) == 3


def test_chinese_reads_at_its_own_rate():
    # 255 characters of Chinese take a minute; 256 take two.
    assert reading_minutes("中" * 255) == 1
    assert reading_minutes("中" * 256) == 2


@pytest.mark.django_db
def test_recount_reading_time_applies_a_new_rate_to_stored_stories(settings):
    from io import StringIO

    from django.core.management import call_command

    from masthead.newsroom.models import Article
    from masthead.newsroom.tests.factories import make_article

    words = " ".join(["harbour"] * 600)
    story = make_article(headline="Long read", body=f"<p>{words}</p>")
    short = make_article(
        headline="Short one", body="<p>Ten words at most in this brief item here.</p>"
    )
    assert story.reading_minutes == 3  # 600 words at 238 a minute
    modified = Article.objects.get(pk=story.pk).modified_at

    settings.MASTHEAD_READING_WORDS_PER_MINUTE = 100
    out = StringIO()
    call_command("recount_reading_time", stdout=out)
    assert "at 100 words a minute: 1 story changed" in out.getvalue()
    story = Article.objects.get(pk=story.pk)
    assert story.reading_minutes == 6
    assert story.modified_at == modified  # nothing else about the story changed
    assert Article.objects.get(pk=short.pk).reading_minutes == 1

    out = StringIO()
    call_command("recount_reading_time", stdout=out)  # again: nothing left to change
    assert ": 0 stories changed" in out.getvalue()
