"""Turn a ``CommentSample`` into a sparse feature vector, without any stored vocabulary.

Every feature is a named token (``w:check out``, ``l:dom=bit.ly``, ``p:my_media``...) hashed
into ``2 ** n_bits`` columns, so the extractor has no state beyond its ``FeatureConfig``, a
handful of numbers that serialise to JSON. Tokens fall into blocks, each with its own weight:

``word``     word 1-2-grams of the text (binary, L2-normalised within the block);
``char``     character 2-5-grams inside word boundaries (binary, L2-normalised);
``link``     links and their domains, shorteners, referral parameters, link count;
``shape``    length, capitals, digits, punctuation, emoji, phone numbers and self-promotion
             patterns ("check out my channel", "subscribe", "if I get 100 subs");
``author``   the shape of the author's name (brand words, digits, capitals);
``context``  author URL and e-mail, user agent, referrer, comment type;
``related``  how much the comment shares with the article (``article_text``).

Fields that are empty produce no token at all, so a site that does not send, say, user
agents is scored exactly as the training data (YouTube comments, which have none) was; in
particular an empty ``article_text`` leaves the relatedness features at zero (neutral).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, fields
from functools import lru_cache

import numpy as np
import scipy.sparse as sp
from sklearn.utils import murmurhash3_32

from .patterns import (
    AUTHOR_BRAND,
    EMAIL,
    HAM_EVIDENCE,
    LIKE_REQUEST,
    PHONE,
    PROMO_PATTERNS,
    REACTION_PATTERNS,
    SHORTENERS,
    SOCIAL,
    SPAM_EVIDENCE,
    STOPWORDS,
    UA_TOOLS,
)
from .samples import CommentSample
from .text import URL_PATTERN, clean_text, page_key, parse_link, url_host

__all__ = ["FeatureConfig", "Featurizer"]

_WORD = re.compile(r"\w+", re.UNICODE)
_TOPIC = "\u00a7topic"
_LONG_NUMBER = re.compile(r"^\d{5,}$")
_EMOJI = re.compile("[\U0001f300-\U0001faff\u2600-\u27bf\u2b50\u2764]")
_REPEAT = re.compile(r"(\w)\1{3,}")
_MULTI_PUNCT = re.compile(r"[!?]{2,}")
# At most this many words besides links: the comment is a link and little else.
_LINK_ONLY_WORDS = 2
_LINK_ONLY = (("l:only", "link"),)
_NON_LATIN = re.compile(r"[^\W\d_a-zA-Z\u00c0-\u024f]", re.UNICODE)
# Hashing a token and splitting a word into character n-grams are the extractor's most
# repeated steps, and comments reuse the same words and n-grams all the time: both results
# are kept, per process, for short words and tokens only (a long one is rarely seen twice,
# and a stream of long made-up words must not fill memory), up to a bound; a table starts
# afresh when full. At most about 11 MB in all (measured with words that share nothing).
# Scores are exactly those computed without them.
_HASH_MEMO_LIMIT = 20_000
_HASH_MEMO_CHARS = 40
_CHAR_MEMO_LIMIT = 2_000
_CHAR_MEMO_CHARS = 16
_hash_memo: dict[tuple[int, int], dict[str, int]] = {}
_char_memo: dict[tuple[int, int], dict[str, tuple[str, ...]]] = {}


@dataclass(frozen=True, slots=True)
class FeatureConfig:
    """How features are extracted; stored with the model as JSON."""

    n_bits: int = 18
    word_ngrams: tuple[int, int] = (1, 2)
    char_ngrams: tuple[int, int] = (2, 5)
    word_weight: float = 1.0
    char_weight: float = 1.0
    link_weight: float = 0.5
    shape_weight: float = 0.5
    author_weight: float = 0.5
    context_weight: float = 0.5
    related_weight: float = 0.5
    mask_topic: bool = True
    # Undo disguised links and words first ("site . com", "ch3ck", spaced-out letters).
    deobfuscate: bool = False
    # Flag a comment that is little but a link to another site ("l:only"), and count it as
    # evidence of spam (``prior_weights``) like a link itself.
    link_only: bool = False
    # "p:like_this" only for requests to like ("like this comment", "like if"), not for
    # "a song like this" (``patterns.LIKE_REQUEST``).
    strict_like: bool = False
    # Only the start of a comment is analysed (the length buckets end at 640 characters):
    # this bounds the time one comment can take.
    max_chars: int = 1000
    # Character n-grams cost ~4 tokens per character: they may be limited further.
    char_max_chars: int = 1000

    def to_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["word_ngrams"] = list(self.word_ngrams)
        data["char_ngrams"] = list(self.char_ngrams)
        for name in ("link_only", "strict_like"):
            if not data[name]:  # absent reads as False: files saved before it stay the same
                del data[name]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> FeatureConfig:
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        for key in ("word_ngrams", "char_ngrams"):
            if key in values:
                low, high = values[key]  # type: ignore[misc]
                values[key] = (int(low), int(high))
        return cls(**values)  # type: ignore[arg-type]

    def replace(self, **changes: object) -> FeatureConfig:
        return FeatureConfig.from_dict({**self.to_dict(), **changes})


class Featurizer:
    """Stateless feature extractor: ``FeatureConfig`` in, sparse rows out."""

    def __init__(self, config: FeatureConfig | None = None) -> None:
        self.config = config or FeatureConfig()
        self.n_features = 2**self.config.n_bits

    def prior_weights(self, prior_margin: float) -> np.ndarray:
        """Prior means of the weights: ``prior_margin`` (in log-odds) for each token in
        ``SPAM_EVIDENCE``, minus ``prior_margin`` for those in ``HAM_EVIDENCE``, zero
        elsewhere."""
        weights = np.zeros(self.n_features)
        if not prior_margin:
            return weights
        spam = (*SPAM_EVIDENCE, *_LINK_ONLY) if self.config.link_only else SPAM_EVIDENCE
        for tokens, sign in ((spam, 1.0), (HAM_EVIDENCE, -1.0)):
            for token, block in tokens:
                value = float(getattr(self.config, f"{block}_weight"))
                if value:
                    index = murmurhash3_32(token, 0, True) % self.n_features
                    weights[index] = sign * prior_margin / value
        return weights

    def transform(self, samples: Sequence[CommentSample]) -> sp.csr_matrix:
        """Feature matrix of shape ``(len(samples), n_features)``."""
        indptr = [0]
        index_parts: list[np.ndarray] = []
        value_parts: list[np.ndarray] = []
        for sample in samples:
            indices, values = self.row(sample)
            index_parts.append(indices)
            value_parts.append(values)
            indptr.append(indptr[-1] + len(indices))
        indices = np.concatenate(index_parts) if index_parts else np.zeros(0, np.int32)
        values = np.concatenate(value_parts) if value_parts else np.zeros(0, np.float64)
        matrix = sp.csr_matrix(
            (values, indices, np.asarray(indptr, dtype=np.int64)),
            shape=(len(samples), self.n_features),
        )
        matrix.sum_duplicates()
        return matrix

    def row(self, sample: CommentSample) -> tuple[np.ndarray, np.ndarray]:
        """Column indices and values of one sample (indices may repeat; values add up)."""
        return self.row_from(self.tokens(sample))

    def row_from(self, blocks: list[tuple[set[str], float, int]]) -> tuple[np.ndarray, np.ndarray]:
        """The row of a sample whose ``tokens()`` are already known."""
        indices: list[int] = []
        values: list[float] = []
        size = self.n_features
        for tokens, value, seed in blocks:
            memo = _hash_memo.get((seed, size))
            if memo is None or len(memo) > _HASH_MEMO_LIMIT:
                memo = _hash_memo[(seed, size)] = {}
            for token in tokens:
                index = memo.get(token)
                if index is None:
                    index = murmurhash3_32(token, seed, True) % size
                    if len(token) <= _HASH_MEMO_CHARS:
                        memo[token] = index
                indices.append(index)
            values.extend([value] * len(tokens))
        return np.asarray(indices, dtype=np.int32), np.asarray(values, dtype=np.float64)

    def tokens(self, sample: CommentSample) -> list[tuple[set[str], float, int]]:
        """Each block's tokens, the value each gets, and the hash seed of the block.

        Character n-grams carry no prefix (they are the most numerous tokens); they are
        hashed with their own seed instead, so "l:any" typed in a comment is not the link
        feature ``l:any``.
        """
        cfg = self.config
        text, links = clean_text(sample.comment_content, cfg.max_chars, plain=cfg.deobfuscate)
        lowered = URL_PATTERN.sub(" xurlx ", text.lower())
        words = [_normalise_word(w) for w in _WORD.findall(lowered)]
        char_text = lowered
        ngram_words = words
        if cfg.mask_topic and sample.article_text.strip():
            # Words of the article's topic become one placeholder, so the model learns
            # "talks about the article" rather than the names of one article's topic.
            keywords = article_keywords(sample.article_text)
            ngram_words = [_TOPIC if w[:6] in keywords else w for w in words]
            char_text = " ".join(ngram_words)
        blocks: list[tuple[set[str], float, int]] = []
        if cfg.word_weight:
            blocks.append(
                (*_normalised(_word_ngrams(ngram_words, cfg.word_ngrams), cfg.word_weight), 0)
            )
        if cfg.char_weight:
            char_grams = _char_ngrams(char_text[: cfg.char_max_chars], cfg.char_ngrams)
            blocks.append((*_normalised(char_grams, cfg.char_weight), 1))
        if cfg.link_weight:
            link_tokens = _link_tokens(links, sample.permalink)
            if cfg.link_only and "l:any" in link_tokens and _few_words(words):
                link_tokens.add("l:only")
            blocks.append((link_tokens, cfg.link_weight, 0))
        if cfg.shape_weight:
            blocks.append(
                (_shape_tokens(text, lowered, words, cfg.strict_like), cfg.shape_weight, 0)
            )
        if cfg.author_weight and sample.comment_author.strip():
            blocks.append((_author_tokens(sample.comment_author, lowered), cfg.author_weight, 0))
        if cfg.context_weight:
            blocks.append((_context_tokens(sample), cfg.context_weight, 0))
        if cfg.related_weight and sample.article_text.strip():
            blocks.append((_related_tokens(words, sample.article_text), cfg.related_weight, 0))
        return blocks


def _normalise_word(word: str) -> str:
    return "#num" if _LONG_NUMBER.match(word) else word


def _normalised(tokens: set[str], weight: float) -> tuple[set[str], float]:
    return tokens, (weight / math.sqrt(len(tokens)) if tokens else 0.0)


def _word_ngrams(words: list[str], ngrams: tuple[int, int]) -> set[str]:
    low, high = ngrams
    out: set[str] = set()
    for n in range(low, high + 1):
        for i in range(len(words) - n + 1):
            out.add("w:" + " ".join(words[i : i + n]))
    return out


def _char_ngrams(lowered: str, ngrams: tuple[int, int]) -> set[str]:
    """Character n-grams inside word boundaries, words padded with a space each side."""
    memo = _char_memo.get(ngrams)
    if memo is None or len(memo) > _CHAR_MEMO_LIMIT:
        memo = _char_memo[ngrams] = {}
    out: set[str] = set()
    for word in set(lowered.split()):
        grams = memo.get(word)
        if grams is None:
            grams = _word_char_ngrams(word, ngrams)
            if len(word) <= _CHAR_MEMO_CHARS:
                memo[word] = grams
        out.update(grams)
    return out


def _word_char_ngrams(word: str, ngrams: tuple[int, int]) -> tuple[str, ...]:
    low, high = ngrams
    padded = f" {word} "
    length = len(padded)
    return tuple(
        padded[i : i + n] for n in range(low, min(high, length) + 1) for i in range(length - n + 1)
    )


def _few_words(words: list[str]) -> bool:
    return sum(w != "xurlx" for w in words) <= _LINK_ONLY_WORDS


def _bucket(value: float, edges: Iterable[float]) -> int:
    return sum(value > edge for edge in edges)


def _link_tokens(links: list[str], permalink: str) -> set[str]:
    out: set[str] = set()
    if not links:
        return out
    site = url_host(permalink) if permalink else ""
    page = page_key(permalink) if permalink else ""
    out.add(f"l:n={min(len(links), 3)}")
    for url in links:
        link = parse_link(url)
        if link is None:
            continue
        if page and page_key(url) == page:
            out.add("l:same_page")
            continue
        if site and link.domain == site:
            out.add("l:same_site")
        out.add("l:any")
        out.add("l:dom=" + link.domain)
        out.add("l:tld=" + link.tld)
        if link.domain in SHORTENERS:
            out.add("l:shortener")
        if link.domain in SOCIAL:
            out.add("l:social")
        if link.domain in {"youtube.com", "youtu.be"}:
            out.add("l:youtube_channel" if "/watch" not in link.path else "l:youtube_video")
        if link.query:
            out.add("l:query")
            if re.search(r"(?:^|&)(?:ref|aff|affiliate|referral|invite|r)=", link.query, re.I):
                out.add("l:referral")
        if link.path.strip("/").count("/") >= 1:
            out.add("l:deep")
        if not url.lower().startswith(("http", "www")):
            out.add("l:bare")
    return out


def _shape_tokens(text: str, lowered: str, words: list[str], strict_like: bool) -> set[str]:
    out = {
        f"s:len={_bucket(len(text), (10, 20, 40, 80, 160, 320, 640))}",
        f"s:words={_bucket(len(words), (1, 3, 6, 12, 25, 50, 100))}",
    }
    head = text[:500]  # ratios and patterns: the opening says enough, and costs less
    lowered = lowered[:500]
    letters = [c for c in head if c.isalpha()]
    if len(letters) >= 5:
        caps = sum(c.isupper() for c in letters) / len(letters)
        out.add(f"s:caps={_bucket(caps, (0.0, 0.1, 0.3, 0.6, 0.9))}")
        if _NON_LATIN.search(head):
            out.add("s:non_latin")
    digits = sum(c.isdigit() for c in head)
    if digits:
        out.add(f"s:digits={_bucket(digits / max(len(head), 1), (0.02, 0.05, 0.15))}")
    if _MULTI_PUNCT.search(text):
        out.add("s:multi_punct")
    if _EMOJI.search(text):
        out.add("s:emoji")
    if _REPEAT.search(lowered):
        out.add("s:repeat")
    if EMAIL.search(head):
        out.add("s:email")
    if PHONE.search(head):
        out.add("s:phone")
    for name, pattern in PROMO_PATTERNS:
        if strict_like and name == "like_this":
            pattern = LIKE_REQUEST
        if pattern.search(lowered):
            out.add("p:" + name)
    for name, pattern in REACTION_PATTERNS:
        if pattern.search(lowered):
            out.add("q:" + name)
    return out


def _author_tokens(author: str, lowered_text: str) -> set[str]:
    name = author.strip()
    lowered = name.lower()
    parts = _WORD.findall(lowered)
    out = {f"a:words={min(len(parts), 4)}", "a:name=" + " ".join(parts)}
    letters = [c for c in name if c.isalpha()]
    if len(letters) >= 3 and all(c.isupper() for c in letters):
        out.add("a:all_caps")
    if any(c.isdigit() for c in name):
        out.add("a:digits")
    if AUTHOR_BRAND.search(lowered):
        out.add("a:brand")
    if re.search(r"[^\w\s.'\-]", name):
        out.add("a:symbols")
    if len(lowered) >= 4 and lowered in lowered_text:
        out.add("a:self_named")
    return out


def _context_tokens(sample: CommentSample) -> set[str]:
    out: set[str] = set()
    if sample.comment_author_url.strip():
        link = parse_link(sample.comment_author_url)
        out.add("x:author_url")
        if link is not None:
            out.add("x:author_url_tld=" + link.tld)
            out.add("x:author_url_dom=" + link.domain)
            if link.path.strip("/"):
                out.add("x:author_url_path")
            if link.domain in SHORTENERS:
                out.add("x:author_url_shortener")
    email = sample.comment_author_email.strip().lower()
    if email:
        local, _, domain = email.rpartition("@")
        out.add("x:email_dom=" + domain)
        if sum(c.isdigit() for c in local) >= 3:
            out.add("x:email_digits")
        if not local or "." not in domain:
            out.add("x:email_invalid")
    agent = sample.user_agent.strip().lower()
    if agent:
        if UA_TOOLS.search(agent):
            out.add("x:ua_tool")
        if len(agent) < 30:
            out.add("x:ua_short")
        if not agent.startswith("mozilla/"):
            out.add("x:ua_not_mozilla")
    if sample.referrer.strip() and sample.permalink.strip():
        same = url_host(sample.referrer) == url_host(sample.permalink)
        out.add("x:referrer_same_site" if same else "x:referrer_offsite")
    if sample.comment_type.strip():
        out.add("x:type=" + sample.comment_type.strip().lower()[:20])
    return out


@lru_cache(maxsize=256)
def article_keywords(article_text: str) -> frozenset[str]:
    """Salient words of an article: its opening (title, lede) and words used twice or more."""
    words = [w[:6] for w in _WORD.findall(article_text.lower()) if _content_word(w)]
    counts: dict[str, int] = {}
    for word in words:
        counts[word] = counts.get(word, 0) + 1
    opening = set(words[:60])
    return frozenset(opening | {w for w, c in counts.items() if c >= 2})


def _content_word(word: str) -> bool:
    return len(word) >= 3 and not word.isdigit() and word not in STOPWORDS


def _related_tokens(words: list[str], article_text: str) -> set[str]:
    content = {w[:6] for w in words if _content_word(w) and w != "xurlx"}
    if not content:
        return set()
    keywords = article_keywords(article_text)
    shared = len(content & keywords)
    share = shared / len(content)
    out = {f"r:share={_bucket(share, (0.0, 0.15, 0.35, 0.6))}"}
    out.add("r:none" if shared == 0 else "r:some")
    return out
