"""Reading time: "N Min Read".

Words are counted by script, because a word is not the same unit everywhere:

* space-separated scripts (Latin, Cyrillic, Greek, Arabic, Hebrew, Devanagari, Hangul, …)
  count words, read at ``READING_WORDS_PER_MINUTE`` (default 238, the meta-analysed adult
  rate for silent reading of non-fiction: Brysbaert 2019);
* Chinese and Japanese count characters, at the IReST rates of Trauzettel-Klosinski &
  Dietz 2012 — 255 characters a minute for Chinese, 357 for Japanese (text with kana);
* Thai, Lao, Khmer and Myanmar write without spaces between words; their letters are
  converted to words at an estimated average word length, so they never count as zero.

Images add 12 seconds for the first, one second less for each next, and 3 seconds each
from the tenth on. The total is rounded up to whole minutes, with a minimum of one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import regex

from masthead.core.conf import AppSettings

app_settings = AppSettings("MASTHEAD_", {"READING_WORDS_PER_MINUTE": 238})

CHINESE_CHARS_PER_MINUTE = 255
JAPANESE_CHARS_PER_MINUTE = 357
UNSPACED_LETTERS_PER_WORD = 4.5

_CJK = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}]")
_KANA = regex.compile(r"[\p{Hiragana}\p{Katakana}]")
_UNSPACED = regex.compile(r"[\p{Thai}\p{Lao}\p{Khmer}\p{Myanmar}]")
_WORD = regex.compile(r"[\p{L}\p{N}][\p{L}\p{M}\p{N}'’\-]*")


@dataclass(frozen=True)
class TextMeasure:
    words: int
    cjk_characters: int
    unspaced_letters: int
    japanese: bool

    @property
    def word_equivalents(self) -> int:
        """Words plus the other scripts converted to words at the reading rates above."""
        wpm = app_settings.READING_WORDS_PER_MINUTE
        rate = JAPANESE_CHARS_PER_MINUTE if self.japanese else CHINESE_CHARS_PER_MINUTE
        return round(
            self.words
            + self.cjk_characters * wpm / rate
            + self.unspaced_letters / UNSPACED_LETTERS_PER_WORD
        )


def measure_text(text: str) -> TextMeasure:
    cjk = len(_CJK.findall(text))
    japanese = bool(_KANA.search(text))
    unspaced = len(_UNSPACED.findall(text))
    rest = _UNSPACED.sub(" ", _CJK.sub(" ", text))
    words = len(_WORD.findall(rest))
    return TextMeasure(
        words=words, cjk_characters=cjk, unspaced_letters=unspaced, japanese=japanese
    )


def image_seconds(count: int) -> int:
    """12 s for the first image, 11 s for the second, … and 3 s each from the tenth on."""
    return sum(max(12 - index, 3) for index in range(max(count, 0)))


def reading_minutes(text: str, *, images: int = 0) -> int:
    measure = measure_text(text)
    minutes = measure.word_equivalents / app_settings.READING_WORDS_PER_MINUTE
    minutes += image_seconds(images) / 60
    return max(1, math.ceil(minutes - 1e-9))
