"""The reasons moderators read: in words, naming what is really in the comment."""

from __future__ import annotations

import re

import pytest

from masthead.antispam.explain import describe_token, explain
from masthead.antispam.features import Featurizer
from masthead.antispam.model import DEFAULT_MODEL_PATH, SpamModel
from masthead.antispam.samples import CommentSample

STORY = "https://news.example.org/2026/11/30/harbour-flood-barrier-approved/"
ARTICLE = (
    "Harbour flood barrier approved. The council voted to build the harbour flood barrier at "
    "Dock Street; the levy will pay for it. The barrier gates close in storms."
)
RAW_TOKEN = re.compile(r"\b[a-z]:[a-z_]+")


@pytest.fixture(scope="module")
def shipped() -> SpamModel:
    return SpamModel.load(DEFAULT_MODEL_PATH)


def reasons(model: SpamModel, text: str, **values) -> list[str]:
    values = {"comment_author": "Reader", "permalink": STORY, "article_text": ARTICLE, **values}
    return explain(model, CommentSample(comment_content=text, **values), limit=8)


BBC = "See https://www.bbc.co.uk/news/uk-england-68123456 for the background."


@pytest.mark.parametrize(
    ("text", "said", "not_said"),
    [
        # self-promotion quotes the words that matched, not the pattern's name
        ("Double click test: the barrier gates should be tested every spring.",
         "self-promotion (“click”)", "visit"),
        ("Search for the council report online, it is chapter four.",
         "self-promotion (“search for”)", "visit"),
        # digits in a web address are no phone number
        (BBC, "a long number in a link", "a phone number"),
        ("Check out my channel, subscribe please! Call 0777 123 4567", "a phone number",
         "in a link"),
        # a link to the site itself is not "another site"
        ("Your earlier story explains it: https://news.example.org/2026/11/01/levy-explained/",
         "a link to this site", "another site"),
        (BBC, "a link to another site", "this site"),
    ],
)  # fmt: skip
def test_reasons_name_what_is_in_the_comment(shipped, text, said, not_said):
    found = reasons(shipped, text)
    assert said in found
    assert not any(not_said in reason for reason in found)
    assert len(found) == len(set(found))  # l:any and l:same_site read the same: said once


@pytest.mark.parametrize(
    ("token", "words"),
    [
        ("r:share=0", "none of its words are in the story"),
        ("r:share=2", "15–35% of its words are in the story"),
        ("r:share=4", "over 60% of its words are in the story"),
        ("s:len=0", "its length: at most 10 characters"),
        ("s:len=3", "its length: 41–80 characters"),
        ("s:len=7", "its length: over 640 characters"),
        ("s:words=0", "its length: at most 1 word"),
        ("s:words=1", "its length: 2–3 words"),
        ("s:digits=2", "many digits (over 5% of the text)"),
        ("p:visit", "self-promotion (visit)"),  # without the comment, the pattern's name
    ],
)
def test_buckets_are_put_in_words(token, words):
    assert describe_token(token) == words


def test_the_66_characters_of_the_audit_read_as_41_to_80():
    text = "Double click test: the barrier gates should be tested every spring."
    blocks = Featurizer().tokens(CommentSample(comment_content=text))
    tokens = {token for block, _, seed in blocks if seed != 1 for token in block}
    assert "its length: 41–80 characters" in [describe_token(t) for t in tokens]


@pytest.mark.parametrize(
    "sample",
    [
        CommentSample(
            comment_content="CHECK OUT my channel!!! 😀 subscribe www.promo-site.biz/free?ref=99 "
            "call 555-0199 555 0199 or mail me@spam.biz, I'm a rapper, if I get 100 subs",
            comment_author="DJ Promo Official 2024",
            comment_author_email="promo1234@spam.biz",
            comment_author_url="https://bit.ly/abc",
            user_agent="curl/8.0",
            referrer="https://elsewhere.example.com/",
            permalink=STORY,
            comment_type="comment",
            article_text=ARTICLE,
        ),
        CommentSample(
            comment_content="I love this! The barrier was needed at 12:30 in the storm. "
            f"Same as {STORY} and https://news.example.org/other/page/",
            comment_author="Ann",
            referrer=STORY,
            user_agent="Mozilla/5.0 (X11; Linux x86_64) Chrome/131",
            permalink=STORY,
            article_text=ARTICLE,
        ),
    ],
)
def test_no_token_reaches_a_moderator_raw(sample):
    for tokens, _, seed in Featurizer().tokens(sample):
        if seed == 1:
            continue  # character n-grams are never given as reasons
        for token in tokens:
            assert not RAW_TOKEN.search(describe_token(token)), token
