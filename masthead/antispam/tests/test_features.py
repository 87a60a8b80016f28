"""Feature extraction: stateless, bounded, and neutral where a field is empty."""

from __future__ import annotations

import json

import numpy as np
import pytest

from masthead.antispam.features import FeatureConfig, Featurizer, article_keywords
from masthead.antispam.samples import CommentSample
from masthead.antispam.text import (
    clean_text,
    deobfuscate,
    page_key,
    parse_link,
    registered_domain,
)


def all_tokens(featurizer: Featurizer, sample: CommentSample) -> set[str]:
    return set().union(*(tokens for tokens, _, _ in featurizer.tokens(sample)))


def test_rows_are_deterministic_and_inside_the_hash_space() -> None:
    featurizer = Featurizer(FeatureConfig(n_bits=12))
    sample = CommentSample("Check out my channel http://x.example.com/a?ref=1 !!!", "DJ Promo 99")
    first = featurizer.row(sample)
    second = Featurizer(FeatureConfig(n_bits=12)).row(sample)
    assert np.array_equal(first[0], second[0])
    assert np.array_equal(first[1], second[1])
    assert first[0].min() >= 0
    assert first[0].max() < 2**12


def _sorted_row(featurizer: Featurizer, sample: CommentSample) -> list[tuple[int, float]]:
    indices, values = featurizer.row(sample)
    return sorted(zip(indices.tolist(), values.tolist(), strict=True))


def test_remembered_hashes_and_ngrams_give_the_rows_computed_afresh(monkeypatch) -> None:
    """Rows are the same whether token hashes and a word's n-grams come from the per-process
    memo (second call), from an emptied memo, or from memos that start afresh every call."""
    from masthead.antispam import features

    samples = [
        CommentSample("Check out my channel http://x.example.com/a?ref=1 !!!", "DJ Promo 99"),
        CommentSample("The harbour wall vote: I remember the old wall, the vote was close."),
        CommentSample("ab " * 40 + "subscribe subscribe", "Reader"),
    ]
    featurizer = Featurizer(FeatureConfig(n_bits=12))
    first = [_sorted_row(featurizer, sample) for sample in samples]
    assert [_sorted_row(featurizer, sample) for sample in samples] == first
    assert features._hash_memo
    assert features._char_memo
    monkeypatch.setattr(features, "_hash_memo", {})
    monkeypatch.setattr(features, "_char_memo", {})
    assert [_sorted_row(featurizer, sample) for sample in samples] == first
    # A memo over its bound starts afresh; the result stays the same.
    monkeypatch.setattr(features, "_HASH_MEMO_LIMIT", 5)
    monkeypatch.setattr(features, "_CHAR_MEMO_LIMIT", 2)
    assert [_sorted_row(featurizer, sample) for sample in samples] == first
    assert all(len(memo) <= 5 + 200 for memo in features._hash_memo.values())
    assert all(len(memo) <= 2 + 50 for memo in features._char_memo.values())
    # Each hash space and n-gram range has its own memo.
    other = Featurizer(FeatureConfig(n_bits=10, char_ngrams=(3, 4)))
    indices, _ = other.row(samples[0])
    assert indices.max() < 2**10
    assert not all_tokens(other, samples[0]) & {" c", "ch"}


def test_long_words_and_tokens_are_not_remembered(monkeypatch) -> None:
    """A stream of long made-up words cannot fill a worker's memory through the memos."""
    from masthead.antispam import features

    monkeypatch.setattr(features, "_hash_memo", {})
    monkeypatch.setattr(features, "_char_memo", {})
    featurizer = Featurizer()
    sample = CommentSample("q" * 300 + "z harbour " + "w" * 41 + " wall")
    before = _sorted_row(featurizer, sample)
    words = {word for memo in features._char_memo.values() for word in memo}
    tokens = {token for memo in features._hash_memo.values() for token in memo}
    assert words == {"harbour", "wall"}
    assert "w:harbour" in tokens
    assert max(len(token) for token in tokens) <= features._HASH_MEMO_CHARS
    assert _sorted_row(featurizer, sample) == before


def test_transform_rows_match_single_rows() -> None:
    featurizer = Featurizer()
    samples = [CommentSample("first comment"), CommentSample("second, http://spam.biz")]
    matrix = featurizer.transform(samples)
    for i, sample in enumerate(samples):
        indices, values = featurizer.row(sample)
        dense = np.zeros(featurizer.n_features)
        np.add.at(dense, indices, values)
        assert np.allclose(matrix[i].toarray().ravel(), dense)


def test_config_round_trips_through_json() -> None:
    config = FeatureConfig(n_bits=16, char_ngrams=(3, 4), link_weight=2.0)
    assert FeatureConfig.from_dict(json.loads(json.dumps(config.to_dict()))) == config


def test_empty_article_text_gives_no_relatedness_feature() -> None:
    featurizer = Featurizer()
    without = all_tokens(featurizer, CommentSample("cycle lanes are great"))
    assert not any(t.startswith("r:") for t in without)
    related = all_tokens(
        featurizer, CommentSample("cycle lanes are great", article_text="New cycle lanes")
    )
    unrelated = all_tokens(
        featurizer, CommentSample("buy cheap watches", article_text="New cycle lanes")
    )
    assert "r:some" in related
    assert "r:none" in unrelated


def test_empty_metadata_fields_give_no_context_features() -> None:
    featurizer = Featurizer()
    tokens = all_tokens(featurizer, CommentSample("hello"))
    assert not any(t.startswith(("x:", "a:")) for t in tokens)
    filled = all_tokens(
        featurizer,
        CommentSample(
            "hello",
            comment_author="SEO Deals",
            comment_author_url="http://bit.ly/abc",
            comment_author_email="bob1234@mail.example",
            user_agent="python-requests/2.31",
            referrer="http://elsewhere.example/x",
            permalink="https://news.example.org/a/1",
        ),
    )
    assert {"x:author_url_shortener", "x:email_digits", "x:ua_tool"} <= filled
    assert {"x:referrer_offsite", "a:brand"} <= filled


def test_link_features_and_same_page_links() -> None:
    featurizer = Featurizer()
    page = "https://www.youtube.com/watch?v=KQ6zr6kCPj8"
    own = all_tokens(
        featurizer,
        CommentSample(
            '<a href="http://www.youtube.com/watch?v=KQ6zr6kCPj8&amp;t=2m19s">2:19</a> best',
            permalink=page,
        ),
    )
    assert "l:same_page" in own
    assert "l:any" not in own
    other = all_tokens(featurizer, CommentSample("win big at http://bit.ly/abc?ref=me"))
    assert {"l:any", "l:shortener", "l:referral", "l:dom=bit.ly"} <= other


def test_self_promotion_patterns() -> None:
    featurizer = Featurizer()
    promo = all_tokens(featurizer, CommentSample("Please check out my new channel and subscribe"))
    assert {"p:my_media", "p:check_out", "p:subscribe", "p:call_to_action"} <= promo
    fan = all_tokens(featurizer, CommentSample("This will always be my favorite song"))
    assert not any(t.startswith("p:") for t in fan)


def test_topic_words_are_masked_in_ngrams_when_the_article_is_known() -> None:
    featurizer = Featurizer()
    tokens = all_tokens(
        featurizer, CommentSample("gangnam style forever", article_text="PSY - GANGNAM STYLE")
    )
    assert "w:\u00a7topic forever" in tokens
    assert "w:gangnam" not in tokens


def test_clean_text_strips_html_and_keeps_links() -> None:
    text, links = clean_text(
        'Hi<br />see <a href="http://a.example/x?y=1&amp;z=2">here</a> &amp; www.b.example.com.'
        "\ufeff"
    )
    assert text == "Hi\nsee here & www.b.example.com."
    assert links == ["http://a.example/x?y=1&z=2", "www.b.example.com"]


@pytest.mark.parametrize(
    ("disguised", "plain"),
    [
        ("kidsmediausa  . com", "kidsmediausa.com"),
        ("www.youtube. com/watch?v=TQ0", "www.youtube.com/watch?v=TQ0"),
        ("visit mysite dot com", "visit mysite.com"),
        ("go to w w w . mysite . com", "go to www.mysite.com"),
        ("this you[tube] channel", "this youtube channel"),
        ("watch?v=vtaRGgvGtWQ now", "youtube.com/watch?v=vtaRGgvGtWQ now"),
        ("s u b s c r i b e to me", "subscribe to me"),
        ("ch3ck my SUBSCR1BE m0ney", "check my SUBSCRIBE money"),
        ("\u0440ay\u0440al", "paypal"),  # Cyrillic "р" for a Latin "p"
    ],
)
def test_deobfuscate_undoes_disguised_links_and_words(disguised: str, plain: str) -> None:
    assert deobfuscate(disguised) == plain


@pytest.mark.parametrize(
    "text",
    [
        "I went there. Com",  # not a link: a capital after a full stop
        "sub4sub, mp3s, b2b, 2nd, fr33",  # digits that are not letters in disguise
        "gofundme.com/gvr7xg and cZFcxsn0jnQ",  # ids in links, mixed-case codes
        "a b c",  # three letters are not a spelled-out word
        "\u041f\u0440\u0438\u0432\u0435\u0442",  # Cyrillic words stay Cyrillic
    ],
)
def test_deobfuscate_leaves_ordinary_text_alone(text: str) -> None:
    assert deobfuscate(text) == text


def test_deobfuscated_links_become_link_features() -> None:
    sample = CommentSample("my site: kidsmediausa  . com")
    plain = all_tokens(Featurizer(FeatureConfig(deobfuscate=True)), sample)
    assert "l:dom=kidsmediausa.com" in plain
    assert "l:any" not in all_tokens(Featurizer(FeatureConfig()), sample)


@pytest.mark.parametrize(
    ("host", "domain"),
    [
        ("www.shop.example.co.uk", "example.co.uk"),
        ("a.b.example.com", "example.com"),
        ("x.io", "x.io"),
    ],
)
def test_registered_domain(host: str, domain: str) -> None:
    assert registered_domain(host) == domain


def test_youtube_short_links_point_to_the_watch_page() -> None:
    assert page_key("http://youtu.be/CevxZvSJLk8") == page_key(
        "https://www.youtube.com/watch?v=CevxZvSJLk8"
    )
    assert parse_link("not a link") is None


def test_article_keywords_take_the_opening_and_repeated_words() -> None:
    body = "Council approves lanes. " + "filler " * 80 + "parking parking"
    keywords = article_keywords(body)
    assert {"counci", "approv", "lanes", "parkin"} <= keywords
    assert "the" not in keywords


def test_prior_weights_favour_spam_evidence_and_ham_evidence() -> None:
    from sklearn.utils import murmurhash3_32

    featurizer = Featurizer(FeatureConfig(shape_weight=0.25, link_weight=1.0))
    prior = featurizer.prior_weights(2.0)

    def weight(token: str) -> float:
        return float(prior[murmurhash3_32(token, 0, True) % featurizer.n_features])

    assert weight("p:my_media") == pytest.approx(2.0 / 0.25)  # margin 2 at value 0.25
    assert weight("l:shortener") == pytest.approx(2.0)
    assert weight("l:same_page") == pytest.approx(-2.0)
    assert weight("w:hello") == 0.0
    assert np.count_nonzero(prior) >= 20
    assert not featurizer.prior_weights(0.0).any()


def test_reactions_to_the_page_are_ham_evidence() -> None:
    featurizer = Featurizer()
    tokens = all_tokens(featurizer, CommentSample("2:19 best part, this song is perfect"))
    assert {"q:moment", "q:about_this"} <= tokens
    bait = all_tokens(featurizer, CommentSample("I love this comment, subscribe to me"))
    assert not any(t.startswith("q:") for t in bait)
    prior = featurizer.prior_weights(1.0)
    from sklearn.utils import murmurhash3_32

    assert prior[murmurhash3_32("q:moment", 0, True) % featurizer.n_features] < 0


def test_link_only_flags_a_bare_link_to_another_site_and_only_when_asked() -> None:
    from sklearn.utils import murmurhash3_32

    page = "https://news.example.org/a/1"
    flagged = Featurizer(FeatureConfig(link_only=True))

    def tokens(featurizer: Featurizer, text: str) -> set[str]:
        return all_tokens(featurizer, CommentSample(text, permalink=page))

    assert "l:only" in tokens(flagged, "https://www.facebook.com/someone")
    assert "l:only" in tokens(flagged, "add me www.shop.example.com")  # 2 words: the limit
    assert "l:only" not in tokens(flagged, "a good read www.shop.example.com")  # 3 words
    assert "l:only" not in tokens(flagged, "https://news.example.org/a/1")  # this very page
    assert "l:only" not in tokens(flagged, "no link at all")
    assert "l:only" not in tokens(Featurizer(), "https://www.facebook.com/someone")
    index = murmurhash3_32("l:only", 0, True) % flagged.n_features
    assert flagged.prior_weights(2.0)[index] == pytest.approx(2.0 / flagged.config.link_weight)
    assert Featurizer().prior_weights(2.0)[index] == 0.0


def test_link_only_is_left_out_of_the_stored_config_when_off() -> None:
    assert "link_only" not in FeatureConfig().to_dict()
    config = FeatureConfig(link_only=True)
    assert FeatureConfig.from_dict(json.loads(json.dumps(config.to_dict()))) == config
    assert FeatureConfig.from_dict(FeatureConfig().to_dict()) == FeatureConfig()


def test_strict_like_keeps_requests_to_like_and_drops_comparisons() -> None:
    strict = Featurizer(FeatureConfig(strict_like=True))
    loose = Featurizer()
    requests = ("Like this comment if you agree", "thumbs up if you are here in 2015")
    fans = ("I really like this song", "another hit like this and it will happen")
    for text in requests:
        assert "p:like_this" in all_tokens(strict, CommentSample(text))
    for text in fans:
        assert "p:like_this" not in all_tokens(strict, CommentSample(text))
        assert "p:like_this" in all_tokens(loose, CommentSample(text))  # as before, when off
    assert "strict_like" not in FeatureConfig().to_dict()
