"""Why the model scored a comment as it did, in words a moderator can read.

The score is a sum of weights, one per named token the comment produced (see
``features.py``); the tokens that added most are the reasons. Character n-grams are left
out: they are unreadable one by one, and hashing the thousands a long comment has would
double the cost of a check.
"""

from __future__ import annotations

from functools import lru_cache

from .features import FeatureConfig, Featurizer
from .model import SpamModel
from .patterns import LIKE_REQUEST, PHONE, PROMO_PATTERNS, STOPWORDS
from .samples import CommentSample
from .text import URL_PATTERN, clean_text, url_host

__all__ = ["describe_token", "explain"]

_CHAR_SEED = 1
PROMO = dict(PROMO_PATTERNS)
# Contributions (in log-odds) smaller than this are not worth a moderator's attention.
MIN_CONTRIBUTION = 0.25


def explain(
    model: SpamModel, sample: CommentSample, *, blocks: list | None = None, limit: int = 3
) -> list[str]:
    """The ``limit`` features that pushed the score of ``sample`` most towards spam.
    ``blocks``: the sample's ``model.featurizer.tokens()``, when the caller has them (the
    pipeline does: it scored the comment with them)."""
    if blocks is None:
        blocks = _without_characters(model.config).tokens(sample)
    weights = model.weights
    scored: list[tuple[float, str]] = []
    for tokens, value, seed in blocks:
        if not tokens or not value or seed == _CHAR_SEED:
            continue
        telling = [token for token in tokens if _telling(token)]
        indices, _ = model.featurizer.row_from([(telling, value, seed)])
        scored.extend(
            (float(weights[index]) * value, token)
            for index, token in zip(indices.tolist(), telling, strict=True)
        )
    scored.sort(reverse=True)
    reading = _Reading(model.config, sample, blocks)
    reasons: list[str] = []
    for amount, token in scored:
        if amount < MIN_CONTRIBUTION or len(reasons) == limit:
            break
        reason = describe_token(token, reading)
        if reason not in reasons:  # two tokens can read the same ("a link to this site")
            reasons.append(reason)
    return reasons


def _telling(token: str) -> bool:
    """Words a moderator learns nothing from ("me", "the") are not given as reasons."""
    if not token.startswith("w:"):
        return True
    return any(len(word) > 2 and word not in STOPWORDS for word in token[2:].split())


@lru_cache(maxsize=8)
def _without_characters(config: FeatureConfig) -> Featurizer:
    """The model's featurizer minus the character block (hashing stays the same)."""
    return Featurizer(config.replace(char_weight=0.0))


_PLAIN = {
    "l:any": "a link to another site",
    "l:only": "little but a link to another site",
    "l:same_site": "a link to this site",
    "l:same_page": "a link to this story",
    "l:shortener": "a shortened link",
    "l:referral": "a referral link",
    "l:query": "a link with a query string",
    "l:deep": "a link deep into another site",
    "l:bare": "a link without http://",
    "l:social": "a link to a social network",
    "l:youtube_channel": "a link to a YouTube channel",
    "l:youtube_video": "a link to a YouTube video",
    "s:phone": "a phone number",
    "s:email": "an email address in the text",
    "s:emoji": "emoji",
    "s:multi_punct": "repeated !! or ??",
    "s:repeat": "repeated letters",
    "s:non_latin": "non-Latin script",
    "a:brand": "the author's name looks like a brand",
    "a:digits": "digits in the author's name",
    "a:all_caps": "the author's name in capitals",
    "a:symbols": "symbols in the author's name",
    "a:self_named": "the text names its author",
    "x:author_url": "the author gave a website",
    "x:author_url_shortener": "the author's website is a shortened link",
    "x:author_url_path": "the author's website is a deep link",
    "x:email_digits": "digits in the email address",
    "x:email_invalid": "an email address that cannot be right",
    "x:ua_tool": "sent by a script, not a browser",
    "x:ua_short": "a very short user agent",
    "x:ua_not_mozilla": "an unusual user agent",
    "x:referrer_offsite": "came from another site",
    "x:referrer_same_site": "came from a page of this site",
    "r:none": "shares no words with the story",
    "r:some": "shares words with the story",
}
# Links to the site itself have these tokens too: their words when every link is to the
# site, and when some are.
_OFF_SITE = {
    "l:any": ("a link to this site", "a link"),
    "l:only": ("little but a link to this site", "little but a link"),
    "l:deep": ("a link deep into this site", "a link deep into a site"),
}
# The bucket edges of features.py, as words: "s:len=3" is 41 to 80 characters.
_RANGES = {
    "s:len": ((10, 20, 40, 80, 160, 320, 640), "characters"),
    "s:words": ((1, 3, 6, 12, 25, 50, 100), "words"),
}
_SHARE = (
    "none of its words are",
    "under 15% of its words are",
    "15–35% of its words are",
    "35–60% of its words are",
    "over 60% of its words are",
)
_DIGITS = ("digits", "digits (over 2% of the text)", "many digits (over 5% of the text)",
           "mostly digits (over 15% of the text)")  # fmt: skip


class _Reading:
    """What a comment's reasons are worded from: its text as the features read it, and all
    its tokens (worked out only when a reason needs them)."""

    def __init__(self, config: FeatureConfig, sample: CommentSample, blocks: list) -> None:
        self.config = config
        self.sample = sample
        self.tokens = {
            token for tokens, _, seed in blocks if seed != _CHAR_SEED for token in tokens
        }
        self._read_once: tuple[str, list[str]] | None = None

    def _read(self) -> tuple[str, list[str]]:
        """The comment's text and links as the features read them (``Featurizer.tokens``)."""
        if self._read_once is None:
            cfg = self.config
            content = self.sample.comment_content
            self._read_once = clean_text(content, cfg.max_chars, plain=cfg.deobfuscate)
        return self._read_once

    @property
    def text(self) -> str:
        return self._read()[0]

    def promotion(self, name: str) -> str:
        """The words that matched the self-promotion pattern ``name``, as they were read."""
        pattern = PROMO.get(name)
        if name == "like_this" and self.config.strict_like:
            pattern = LIKE_REQUEST
        lowered = URL_PATTERN.sub(" xurlx ", self.text.lower())[:500]  # as _shape_tokens
        found = pattern.search(lowered) if pattern is not None else None
        return " ".join(found.group().split())[:40] if found else ""

    def links_on_site(self) -> bool:
        """Whether every link in the comment is to the site the comment is on."""
        site = url_host(self.sample.permalink) if self.sample.permalink else ""
        return bool(site) and all(url_host(link) == site for link in self._read()[1])

    def number_in_link_only(self) -> bool:
        """Whether every run of digits taken for a phone number is part of a web address."""
        head = self.text[:500]  # as _shape_tokens
        links = [m.span() for m in URL_PATTERN.finditer(head)]
        numbers = [m.span() for m in PHONE.finditer(head)]
        return bool(numbers) and all(
            any(start < end_link and start_link < end for start_link, end_link in links)
            for start, end in numbers
        )


def describe_token(feature: str, reading: _Reading | None = None) -> str:
    """A feature token in plain words; ``reading`` (the comment itself) makes some of them
    exact: which words matched, whether a "phone number" is digits in a link."""
    kind, _, rest = feature.partition(":")
    name, _, value = rest.partition("=")
    if reading is not None:
        if kind == "p" and (words := reading.promotion(rest)):
            return f"self-promotion (“{words}”)"
        if feature == "s:phone" and reading.number_in_link_only():
            return "a long number in a link"
        if feature in _OFF_SITE and "l:same_site" in reading.tokens:
            return _OFF_SITE[feature][0 if reading.links_on_site() else 1]
    if feature in _PLAIN:
        return _PLAIN[feature]
    if kind == "w":
        return f"the words “{rest}”"
    if kind == "p":
        return f"self-promotion ({rest.replace('_', ' ')})"
    if kind == "q":
        return f"a reaction to the story ({rest.replace('_', ' ')})"
    if kind == "l" and name == "dom":
        return f"a link to {value}"
    if kind == "l" and name == "tld":
        return f"a link to a .{value} address"
    if kind == "l" and name == "n":
        return "several links" if value not in {"0", "1"} else "a link"
    if kind == "a" and name == "name":
        return f"the author name “{value}”"
    if kind == "a" and name == "words" and value.isdigit():
        return f"{value}{'+' if value == '4' else ''} words in the author's name"
    if kind == "x" and name in {"email_dom", "author_url_dom"}:
        return f"{'email' if name == 'email_dom' else 'website'} at {value}"
    if kind == "x" and name == "author_url_tld":
        return f"the author's website is a .{value} address"
    if kind == "x" and name == "type":
        return f"sent as a {value}"
    if kind == "s" and name == "caps":
        return "many capital letters" if value >= "3" else "capital letters"
    if kind == "s" and name == "digits" and value.isdigit() and int(value) < len(_DIGITS):
        return _DIGITS[int(value)]
    if kind == "r" and name == "share" and value.isdigit() and int(value) < len(_SHARE):
        return f"{_SHARE[int(value)]} in the story"
    if f"{kind}:{name}" in _RANGES and value.isdigit():
        return _length(*_RANGES[f"{kind}:{name}"], int(value))
    return feature


def _length(edges: tuple[int, ...], noun: str, bucket: int) -> str:
    def count(n: int) -> str:
        return f"{n} {noun[:-1] if n == 1 else noun}"

    if bucket == 0:
        return f"its length: at most {count(edges[0])}"
    if bucket >= len(edges):
        return f"its length: over {count(edges[-1])}"
    low, high = edges[bucket - 1] + 1, edges[bucket]
    return f"its length: {low}–{count(high)}" if low < high else f"its length: {count(low)}"
