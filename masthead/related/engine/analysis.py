"""Text analysis: from a story to weighted features.

A story becomes a bag of features, each with a weight that already includes its field:

* ``word`` — a stemmed content word from the body (weight 1 per occurrence) or the
  headline (``title_weight`` per occurrence);
* ``p:word word`` — two content words in a row ("interest rates", "mobile phone"),
  ``phrase_weight`` per occurrence (times the headline factor in the headline);
* ``e:name words`` — a named entity, found as a run of two or more capitalised words
  ("Time Warner", "Bank of England"), weighted ``entity_weight`` per occurrence (headline
  occurrences also get the headline factor);
* ``t:tag`` and ``s:section`` — editor-given tags and the section, ``tag_weight`` and
  ``section_weight`` once each.

Stemming is a light suffix stripper of our own (plural, -ing, -ed, -ly, final e); it only
has to map the forms of one word to one key, not produce dictionary words. For display,
the index remembers a readable surface form of each key.
"""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass, field

import regex

from .documents import Document
from .stopwords import FUNCTION_WORDS, STOP_WORDS

ENTITY_PREFIX = "e:"
PHRASE_PREFIX = "p:"
TAG_PREFIX = "t:"
SECTION_PREFIX = "s:"

_RSQUO = "\u2019"  # typographic apostrophe
_WORD_RE = regex.compile(r"[\p{L}\p{N}]+(?:['\u2019][\p{L}]+)*")
_CONNECTORS = "of|de|del|der|van|von|da|di|du|la|le|al|bin|el"
_ENTITY_RE = regex.compile(
    r"\p{Lu}[\p{L}\p{M}'\u2019&-]*(?:[ ](?:(?:"
    + _CONNECTORS
    + r")[ ])?\p{Lu}[\p{L}\p{M}'\u2019&-]*)+"
)
_CONNECTOR_WORDS = frozenset(_CONNECTORS.split("|"))
_APOSTROPHE_SUFFIXES = frozenset({"s", "t", "ll", "re", "ve", "d", "m"})
_HONORIFICS = frozenset({"mr", "mrs", "ms", "dr", "sir", "dame", "st"})
_VOWELS = frozenset("aeiouy")
_MAX_ENTITY_WORDS = 5


def stem(word: str) -> str:
    """Reduce a lower-case word to a key shared by its inflected forms."""
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("sses"):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    for suffix in ("ingly", "edly", "ing", "ed", "ly"):
        if word.endswith(suffix) and not word.endswith("eed"):
            base = word[: -len(suffix)]
            if len(base) >= 3 and any(ch in _VOWELS for ch in base):
                word = base
                if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "lsz":
                    word = word[:-1]
            break
    if word.endswith("e") and len(word) > 3:
        word = word[:-1]
    if word.endswith("i") and len(word) > 3:
        word = word[:-1] + "y"
    return word


def _normalise_token(raw: str) -> str | None:
    """Map one raw token to its feature key, or ``None`` when it carries no topic."""
    if "'" in raw or _RSQUO in raw:
        head, _, tail = raw.replace(_RSQUO, "'").rpartition("'")
        raw = (head if tail.lower() in _APOSTROPHE_SUFFIXES else head + tail).replace("'", "")
        if not raw:
            return None
    if not any(ch.isalpha() for ch in raw):
        return None
    if raw.isupper() and 2 <= len(raw) <= 6:
        return raw.lower()  # acronyms: "US", "EU", "BBC" are names, not stop-words
    lowered = raw.lower()
    if len(lowered) < 2 or lowered in STOP_WORDS:
        return None
    return stem(lowered)


def _entity_key(span: str) -> tuple[str, str] | None:
    """The key and display form of a capitalised run, or ``None`` if it is no name."""
    words = [w.replace(_RSQUO, "'") for w in span.split(" ")]
    # "Japan's Bank of England": a possessive ends one name; keep the last name.
    cut = [i + 1 for i, w in enumerate(words[:-1]) if w.endswith("'s")]
    if cut:
        words = words[cut[-1] :]
    while words and (words[0].lower() in FUNCTION_WORDS or words[0].lower() in _HONORIFICS):
        words.pop(0)
    if words and words[-1].endswith("'s"):
        words[-1] = words[-1][:-2]
    while words and words[-1].lower() in _CONNECTOR_WORDS:
        words.pop()
    if len(words) < 2 or len(words) > _MAX_ENTITY_WORDS:
        return None
    display = " ".join(w.strip(".-&") for w in words)
    return display.lower(), display


@dataclass
class Analyzer:
    """Turns a :class:`Document` into weighted features; the weights are the knobs."""

    title_weight: float = 3.0
    entity_weight: float = 1.0
    phrase_weight: float = 1.5
    tag_weight: float = 4.0
    section_weight: float = 1.0
    _cache: dict[str, str | None] = field(default_factory=dict, repr=False)
    surface: dict[str, str] = field(default_factory=dict, repr=False)

    def terms(self, text: str) -> list[str]:
        """The content-word keys of ``text``, in order (stop-words dropped)."""
        cache = self._cache
        out = []
        for raw in _WORD_RE.findall(text):
            key = cache.get(raw, "")
            if key == "":
                key = _normalise_token(raw)
                cache[raw] = key
                if key is not None and key not in self.surface:
                    self.surface[key] = raw.lower()
            if key is not None:
                out.append(key)
        return out

    def entities(self, text: str) -> list[str]:
        """Named-entity keys (``e:...``) found in ``text``."""
        out = []
        for span in _ENTITY_RE.findall(text):
            found = _entity_key(span)
            if found is not None:
                feature = ENTITY_PREFIX + found[0]
                out.append(feature)
                self.surface.setdefault(feature, found[1])
        return out

    def features(self, doc: Document) -> tuple[dict[str, float], list[str]]:
        """Weighted features of ``doc`` and the body's content-word sequence.

        The sequence feeds near-duplicate detection (shingles of the body).
        """
        body_terms = self.terms(doc.body)
        title_terms = self.terms(doc.title)
        weights: Counter[str] = Counter(body_terms)
        for term in title_terms:
            weights[term] += self.title_weight
        if self.phrase_weight:
            for terms, factor in ((body_terms, 1.0), (title_terms, self.title_weight)):
                pairs = Counter([f"{PHRASE_PREFIX}{a} {b}" for a, b in itertools.pairwise(terms)])
                step = self.phrase_weight * factor
                for pair, count in pairs.items():
                    weights[pair] += step * count
        if self.entity_weight:
            for ent in self.entities(doc.body):
                weights[ent] += self.entity_weight
            for ent in self.entities(doc.title):
                weights[ent] += self.entity_weight * self.title_weight
        if self.tag_weight:
            for tag in {t.strip().lower() for t in doc.tags if t and t.strip()}:
                weights[TAG_PREFIX + tag] = self.tag_weight
                self.surface.setdefault(TAG_PREFIX + tag, "#" + tag)
        if self.section_weight and doc.section and doc.section.strip():
            section = doc.section.strip().lower()
            weights[SECTION_PREFIX + section] = self.section_weight
            self.surface.setdefault(SECTION_PREFIX + section, "section: " + section)
        return dict(weights), body_terms

    def display(self, feature: str) -> str:
        """A readable form of a feature key for editors."""
        if feature in self.surface:
            return self.surface[feature]
        if feature.startswith(PHRASE_PREFIX):
            return " ".join(self.display(w) for w in feature[len(PHRASE_PREFIX) :].split(" "))
        for prefix in (ENTITY_PREFIX, TAG_PREFIX, SECTION_PREFIX):
            if feature.startswith(prefix):
                return feature[len(prefix) :]
        return feature
