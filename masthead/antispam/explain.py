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
from .patterns import STOPWORDS
from .samples import CommentSample

__all__ = ["describe_token", "explain"]

_CHAR_SEED = 1
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
    return [describe_token(token) for amount, token in scored[:limit] if amount >= MIN_CONTRIBUTION]


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
    "r:none": "shares no words with the story",
}


def describe_token(token: str) -> str:
    """A feature token in plain words."""
    if token in _PLAIN:
        return _PLAIN[token]
    kind, _, rest = token.partition(":")
    name, _, value = rest.partition("=")
    if kind == "w":
        return f"the words “{rest}”"
    if kind == "p":
        return f"self-promotion (“{rest.replace('_', ' ')}”)"
    if kind == "l" and name == "dom":
        return f"a link to {value}"
    if kind == "l" and name == "tld":
        return f"a link to a .{value} address"
    if kind == "l" and name == "n":
        return "several links" if value not in {"0", "1"} else "a link"
    if kind == "a" and name == "name":
        return f"the author name “{value}”"
    if kind == "x" and name in {"email_dom", "author_url_dom"}:
        return f"{'email' if name == 'email_dom' else 'website'} at {value}"
    if kind == "s" and name == "caps":
        return "many capital letters" if value >= "3" else "capital letters"
    if kind == "s" and name in {"len", "words"}:
        return "its length"
    return token
