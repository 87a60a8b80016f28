"""``masthead export wordpress``: a WXR 1.2 file that comes back in as it went out."""

from __future__ import annotations

import re
from datetime import timedelta

import defusedxml.ElementTree as ET
import pytest
from django.utils import timezone

from masthead.discussion.models import Comment
from masthead.importers.export import flatten_newlines
from masthead.importers.models import ImportedItem, Redirect
from masthead.importers.tests.conftest import import_wordpress, run, table_counts, wxr
from masthead.newsroom.models import Article, Author, Section, Tag
from masthead.newsroom.tests.factories import (
    make_article,
    make_author,
    make_image,
    make_section,
    make_tag,
)

pytestmark = pytest.mark.django_db
WP = "{http://wordpress.org/export/1.2/}"


def comment(article, body, *, parent=None, **fields):
    return Comment.objects.create(
        article=article, parent=parent, body=body, author_name=f"{body} author", **fields
    )


@pytest.fixture
def newsroom():
    politics, sport = make_section("Politics & Power"), make_section("Sport")
    ana, ben = make_author("Ana Díaz"), make_author("Ben Ng")
    budget, cup = make_tag("Budget"), make_tag("Cup")
    lead = make_article(
        headline="Budget <b>passes</b> & markets ]]> rally",
        standfirst="Ministers agree; markets rise.",
        body="<p>First paragraph\nwith a newline.</p><pre>code\n\nblock</pre><p>End.</p>",
        section=politics,
        authors=[ana, ben],
        tags=[budget, cup],
        pinned=True,
        featured_image=make_image(alt_text="The chamber"),
    )
    make_article(
        headline="Cup final tomorrow",
        section=sport,
        authors=[ben],
        status=Article.Status.SCHEDULED,
        published_at=timezone.now() + timedelta(days=2),
    )
    make_article(headline="Unfinished draft", section=sport, status=Article.Status.DRAFT)
    about = make_article(headline="About us", section=sport, comments_open=False)
    ImportedItem.objects.create(source="wxr:old", source_id="2", post_type="page", article=about)
    first = comment(lead, "First!", status=Comment.Status.APPROVED, author_email="a@b.org")
    reply = comment(lead, "Reply", parent=first, status=Comment.Status.APPROVED)
    comment(lead, "Deep reply", parent=reply, status=Comment.Status.PENDING)
    comment(lead, "Buy pills ]]> now", status=Comment.Status.SPAM)
    comment(lead, "Linked from", kind=Comment.Kind.PINGBACK, status=Comment.Status.APPROVED)
    return lead


def same_html(body: str) -> str:
    """Whitespace that HTML ignores (a newline in text, spaces between blocks) is left out."""
    return re.sub(r">\s+<", "><", flatten_newlines(body)).strip()


def snapshot() -> dict:
    articles = {}
    for a in Article.objects.prefetch_related("tags", "bylines__author", "comments"):
        comments = sorted(
            (c.body, c.author_name, c.author_email, c.status, c.kind, c.depth,
             c.parent.body if c.parent else "", c.created_at.replace(microsecond=0))
            for c in a.comments.all()
        )  # fmt: skip
        articles[a.slug] = {
            "headline": a.headline,
            "standfirst": a.standfirst,
            "body": same_html(a.body),
            "status": a.status,
            "published_at": a.published_at.replace(microsecond=0) if a.published_at else None,
            "section": a.section.name,
            "tags": sorted(t.name for t in a.tags.all()),
            "first_author": a.byline_authors()[0].name if a.bylines.exists() else None,
            "pinned": a.pinned,
            "comments_open": a.comments_open,
            "comments": comments,
        }
    return articles


def test_the_file_has_what_wordpress_reads(newsroom):
    xml = run("export", "wordpress")
    root = ET.fromstring(xml.encode())
    channel = root.find("channel")
    assert channel.findtext(f"{WP}wxr_version") == "1.2"
    assert channel.findtext(f"{WP}base_site_url") == "https://news.example.org"
    assert len(channel.findall(f"{WP}author")) == Author.objects.count()
    assert len(channel.findall(f"{WP}category")) == Section.objects.count()
    assert len(channel.findall(f"{WP}tag")) == Tag.objects.count()
    items = {i.findtext(f"{WP}post_id"): i for i in channel.findall("item")}
    lead = items[str(newsroom.pk)]
    assert lead.findtext(f"{WP}status") == "publish"
    assert lead.findtext(f"{WP}is_sticky") == "1"
    assert lead.findtext(f"{WP}post_date_gmt") == newsroom.published_at.strftime(
        "%Y-%m-%d %H:%M:%S"
    )
    creator = lead.findtext("{http://purl.org/dc/elements/1.1/}creator")
    assert creator == newsroom.byline_authors()[0].slug
    comments = lead.findall(f"{WP}comment")
    assert len(comments) == 5
    ids = {c.findtext(f"{WP}comment_id") for c in comments}
    parents = {c.findtext(f"{WP}comment_parent") for c in comments} - {"0"}
    assert parents
    assert parents <= ids
    assert {c.findtext(f"{WP}comment_approved") for c in comments} == {"1", "0", "spam"}
    types = {item.findtext(f"{WP}post_type") for item in items.values()}
    assert types == {"post", "page", "attachment"}
    assert xml.count("<![CDATA[") > 20
    assert "Buy pills ]]]]><![CDATA[> now" in xml  # "]]>" is split, as WordPress does
    assert "Budget &amp;lt;b&amp;gt;passes" not in xml  # the headline is escaped once


def test_round_trip_into_a_fresh_database(newsroom, tmp_path):
    out = tmp_path / "masthead.xml"
    run("export", "wordpress", "--out", str(out))
    before = snapshot()
    featured = newsroom.featured_image.url
    for model in (Comment, Redirect, ImportedItem, Article, Section, Tag, Author):
        model.objects.all().delete()

    import_wordpress(out, "--pages")

    after = snapshot()
    assert set(after) == set(before)
    lead = before[newsroom.slug]
    assert after[newsroom.slug] == lead
    assert lead["first_author"] == "Ana Díaz"  # WordPress has one author: the first byline
    for slug, article in before.items():
        if article["section"] == "Sport" and article["headline"] == "About us":
            # Pages come back as pages, in the "Pages" section.
            assert after[slug] == {**article, "section": "Pages", "tags": []}
        else:
            assert after[slug] == article, slug
    for redirect in Redirect.objects.select_related("article"):
        assert redirect.old_path != redirect.article.get_absolute_url()  # no self-redirects
    record = ImportedItem.objects.get(article__slug=newsroom.slug)
    assert record.featured_image_url == f"https://news.example.org{featured}"


def test_round_trip_of_the_theme_unit_test_data(tmp_path):
    import_wordpress(wxr("theme-test-data", "themeunittestdata.wordpress.xml"), "--pages")
    before = snapshot()
    out = tmp_path / "theme.xml"
    run("export", "wordpress", "--out", str(out))
    for model in (Comment, Redirect, ImportedItem, Article, Section, Tag, Author):
        model.objects.all().delete()
    import_wordpress(out, "--pages")
    after = snapshot()
    assert set(after) == set(before)
    different = {
        slug: {k: (v, after[slug][k]) for k, v in before[slug].items() if after[slug][k] != v}
        for slug in before
        if after[slug] != before[slug]
    }
    assert different == {}


def test_comment_text_goes_to_wordpress_as_html_and_comes_back_the_same(tmp_path):
    """A comment is plain text here and HTML in WordPress: what looks like markup is escaped,
    so WordPress shows what was typed, and importing the file gives the same text back."""
    typed = "I <3 this & <b>that</b>, see https://example.org/a?b=1&c=2\n\nSecond paragraph\nline"
    story = make_article()
    comment(story, typed, status=Comment.Status.APPROVED)
    out = tmp_path / "x.xml"
    run("export", "wordpress", "--out", str(out))
    xml = out.read_text()
    assert (
        "I &lt;3 this &amp; &lt;b&gt;that&lt;/b&gt;, see https://example.org/a?b=1&amp;c=2" in xml
    )
    Comment.objects.all().delete()
    Article.objects.all().delete()
    import_wordpress(out)
    assert Comment.objects.get().body == typed


def test_the_sites_own_export_imported_into_it_copies_and_overwrites_nothing(
    newsroom, tmp_path, counts
):
    """As WordPress's importer with posts that "already exist": they are left as they are."""
    out = tmp_path / "masthead.xml"
    run("export", "wordpress", "--out", str(out))
    before, stories = counts(), snapshot()
    Article.objects.filter(pk=newsroom.pk).update(headline="Edited since the export")

    output = import_wordpress(out, "--pages")

    assert counts() == before
    assert not Article.objects.filter(slug__endswith="-2").exists()
    assert Article.objects.get(pk=newsroom.pk).headline == "Edited since the export"
    edited = {**stories[newsroom.slug], "headline": "Edited since the export"}
    assert snapshot() == {**stories, newsroom.slug: edited}
    lines = [" ".join(line.split()) for line in output.splitlines()]
    assert "articles 3 already here, left as is" in lines
    assert "pages 1 already here, left as is" in lines  # "About us", imported as a page
    assert (
        "This is an export of this site (https://news.example.org, the SITE_URL setting): "
        "4 of its stories are here already and were left as they are" in " ".join(output.split())
    )


def test_the_sites_own_export_brings_back_only_the_stories_missing_here(newsroom, tmp_path):
    out = tmp_path / "masthead.xml"
    run("export", "wordpress", "--out", str(out))
    moved = Article.objects.get(headline="Cup final tomorrow")
    Article.objects.filter(pk=moved.pk).update(slug="cup-final-moved")  # same ID and headline
    gone = Article.objects.get(headline="Unfinished draft")
    gone.delete()

    output = import_wordpress(out)  # without --pages: "About us" is not read
    lines = [" ".join(line.split()) for line in output.splitlines()]
    assert "articles 2 already here, left as is, 1 created" in lines
    assert "2 of its stories are here already" in " ".join(output.split())
    back = Article.objects.get(headline="Unfinished draft")
    assert back.slug == gone.slug
    assert Article.objects.filter(headline="Cup final tomorrow").count() == 1
    assert Article.objects.count() == 4

    again = table_counts()
    import_wordpress(out)  # the story brought back is updated, the others still left alone
    assert table_counts() == again


def test_another_sites_export_is_not_mistaken_for_this_ones(newsroom, tmp_path, settings):
    out = tmp_path / "masthead.xml"
    run("export", "wordpress", "--out", str(out))
    settings.SITE_URL = "https://new.example.org"  # the newsroom moved: this is its old site
    output = import_wordpress(out)
    assert "already here" not in output
    assert Article.objects.filter(slug=f"{newsroom.slug}-2").exists()


@pytest.mark.parametrize(
    ("status", "exported", "imported"),
    [
        (Article.Status.ARCHIVED, "private", Article.Status.DRAFT),
        (Article.Status.PENDING, "pending", Article.Status.PENDING),
    ],
)
def test_stories_off_the_site_leave_and_come_back_unpublished(tmp_path, status, exported, imported):
    story = make_article(status=status)
    out = tmp_path / "x.xml"
    run("export", "wordpress", "--out", str(out))
    assert f"<wp:status><![CDATA[{exported}]]></wp:status>" in out.read_text()
    Article.objects.all().delete()
    import_wordpress(out)
    assert Article.objects.get(slug=story.slug).status == imported


def test_export_to_an_unwritable_place_is_a_clear_error(tmp_path):
    with pytest.raises(Exception, match="Cannot write"):
        run("export", "wordpress", "--out", str(tmp_path / "missing" / "x.xml"))
