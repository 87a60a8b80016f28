from datetime import timedelta

import pytest
from django.utils import timezone

from masthead.newsroom.models import Article
from masthead.newsroom.search import article_search
from masthead.newsroom.tests.factories import card_links, make_article

pytestmark = pytest.mark.django_db


def headlines(query: str) -> list[str]:
    return [a.headline for a in article_search(query=query)[0:50]]


def test_finds_words_in_headline_standfirst_and_body():
    make_article(headline="Harbour wall opens", body="<p>Concrete and steel.</p>")
    make_article(headline="Budget row", standfirst="The harbour again divides councillors.")
    make_article(headline="Cup final", body="<p>A goal in the harbour derby.</p>")
    make_article(headline="Unrelated", body="<p>Nothing here.</p>")
    assert set(headlines("harbour")) == {"Harbour wall opens", "Budget row", "Cup final"}


def test_headline_matches_rank_first():
    make_article(headline="Council meets", body="<p>Talk of the ferry timetable.</p>")
    make_article(headline="Ferry timetable changes", body="<p>From Monday.</p>")
    assert headlines("ferry")[0] == "Ferry timetable changes"


def test_every_word_must_match_and_the_last_is_a_prefix():
    make_article(headline="Harbour council votes")
    make_article(headline="Harbour festival")
    assert headlines("harbour coun") == ["Harbour council votes"]


def test_minus_leaves_out_and_quotes_keep_words_together():
    make_article(headline="Harbour wall opens", body="<p>The new wall stands.</p>")
    make_article(headline="Harbour festival", body="<p>A wall of sound on the quay.</p>")
    make_article(headline="Festival of the harbour", body="<p>Music by the new harbour.</p>")
    assert set(headlines("harbour -festival")) == {"Harbour wall opens"}
    assert set(headlines('harbour -"wall of sound"')) == {
        "Harbour wall opens",
        "Festival of the harbour",
    }
    assert headlines('"harbour wall"') == ["Harbour wall opens"]
    assert headlines("-harbour") == []  # leaving out alone finds nothing, as nothing does


def test_a_short_last_word_is_a_word_not_a_beginning():
    make_article(headline="Harbour wall", body="<p>A vote.</p>")
    make_article(headline="Harbour wall again", body="<p>Voting again.</p>")
    assert headlines("harbour vo") == []  # not "vote", "voting"
    assert len(headlines("harbour vot")) == 2  # long enough to be the start of a word


def test_stemming_and_accents():
    make_article(headline="Café owners celebrate", body="<p>The festivals were busy.</p>")
    assert headlines("cafe") == ["Café owners celebrate"]
    assert headlines("festival") == ["Café owners celebrate"]


def test_only_live_stories_are_found():
    make_article(headline="Draft harbour", status=Article.Status.DRAFT)
    make_article(
        headline="Future harbour",
        status=Article.Status.SCHEDULED,
        published_at=timezone.now() + timedelta(hours=2),
    )
    make_article(headline="Live harbour")
    assert headlines("harbour") == ["Live harbour"]


def test_edits_and_deletes_are_reflected_at_once():
    article = make_article(headline="Old words")
    article.headline = "Fresh words"
    article.save()
    assert headlines("fresh") == ["Fresh words"]
    assert headlines("old") == []
    article.delete()
    assert headlines("fresh") == []


@pytest.mark.parametrize(
    "query",
    [
        '"',
        "AND",
        "harbour OR",
        "NEAR(a b)",
        "*",
        "col:umn",
        "a -b",
        "-",
        '"-" "',
        '-"a b',
        "(((",
        "'; DROP TABLE x; --",
        "",
    ],
)
def test_odd_input_never_errors(query, client):
    make_article(headline="Harbour")
    article_search(query=query)[0:20]
    assert client.get("/search/", {"q": query}).status_code == 200


def test_count_and_pages_agree(client):
    for i in range(25):
        make_article(headline=f"Harbour story {i}")
    hits = article_search(query="harbour")
    assert hits.count() == 25
    response = client.get("/search/", {"q": "harbour", "page": 2})
    assert card_links(response) == [a.get_absolute_url() for a in hits[20:]]
    html = response.content.decode()
    assert "25 stories found" in html
    assert ">Previous</a>" in html
    assert ">Newer<" not in html
    none = client.get("/search/", {"q": "zzzqqq"}).content.decode()
    assert "No stories match “zzzqqq”." in none
    assert "found for" not in none


def test_control_characters_are_never_echoed_into_the_page(client):
    make_article(headline="Harbour barrier approved")
    response = client.get("/search/?q=barrier%00x%1b%7f%C2%85")
    html = response.content.decode()
    assert not any(c in html for c in "\x00\x1b\x7f\x85")
    assert 'value="barrier x"' in html
    assert "No stories match “barrier x”" in html


def test_the_two_search_forms_are_told_apart(client):
    """axe ``landmark-unique``: the header's and the page's search landmarks are labelled."""
    html = client.get("/search/?q=x").content.decode()
    assert 'role="search" aria-label="Site"' in html
    assert 'role="search" aria-label="Search stories"' in html
    missing = client.get("/no-such-page/").content.decode()
    assert 'role="search" aria-label="Search stories"' in missing
