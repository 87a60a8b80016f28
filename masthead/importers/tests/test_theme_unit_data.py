"""The real WordPress.com export (theme unit test data): what the file holds is what arrives.

Expected numbers are read from the file with the standard library's parser, independently of
the importer, so that a change of either shows.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime

import defusedxml.ElementTree as ET
import pytest
from django.utils import timezone

from masthead.discussion.models import Comment
from masthead.importers.models import ImportedItem
from masthead.importers.tests.conftest import import_wordpress, table_counts, wxr
from masthead.newsroom.models import Article, Section, Tag

pytestmark = pytest.mark.django_db
WP = "{https://wordpress.org/export/1.2/}"


@pytest.fixture(scope="module")
def theme_file():
    return wxr("theme-test-data", "themeunittestdata.wordpress.xml")


@pytest.fixture(scope="module")
def expected(theme_file):
    """Counts taken straight from the XML."""
    channel = ET.parse(theme_file).getroot().find("channel")
    items = channel.findall("item")
    by_type = Counter(item.findtext(f"{WP}post_type") for item in items)
    comments = {"post": [], "page": []}
    for item in items:
        kind = item.findtext(f"{WP}post_type")
        if kind in comments:
            comments[kind] += item.findall(f"{WP}comment")
    posts = [i for i in items if i.findtext(f"{WP}post_type") == "post"]
    categories = {c.findtext(f"{WP}category_nicename") for c in channel.findall(f"{WP}category")}
    tags = {t.findtext(f"{WP}tag_slug") for t in channel.findall(f"{WP}tag")}
    secondary = set()
    for post in posts:
        cats = [
            c.get("nicename") for c in post.findall("category") if c.get("domain") == "category"
        ]
        categories.update(cats)
        secondary |= set(cats[1:])
        # Four tags are used by posts without being in the channel's list of tags.
        tags |= {
            c.get("nicename") for c in post.findall("category") if c.get("domain") == "post_tag"
        }
    all_comments = comments["post"] + comments["page"]
    return {
        "posts": by_type["post"],
        "pages": by_type["page"],
        "post_comments": len(comments["post"]),
        "comments": len(all_comments),
        "replies": sum(
            c.findtext(f"{WP}comment_parent") not in ("0", "", None) for c in all_comments
        ),
        "pingbacks": sum(c.findtext(f"{WP}comment_type") == "pingback" for c in all_comments),
        "trackbacks": sum(c.findtext(f"{WP}comment_type") == "trackback" for c in all_comments),
        "held": sum(c.findtext(f"{WP}comment_approved") == "0" for c in all_comments),
        "categories": len(categories),
        "tags": len(tags | secondary),
        "statuses": Counter(p.findtext(f"{WP}status") for p in posts),
        "sticky": [
            p.findtext(f"{WP}post_id") for p in posts if p.findtext(f"{WP}is_sticky") == "1"
        ],
        "thumbnails": sum(
            any(m.findtext(f"{WP}meta_key") == "_thumbnail_id" for m in p.findall(f"{WP}postmeta"))
            for p in posts
        ),
    }


def test_the_file_is_the_one_described(expected):
    """The shared data's README promises 58 posts, 21 pages and 33 comments."""
    assert (expected["posts"], expected["pages"], expected["comments"]) == (58, 21, 33)


def test_posts_pages_comments_threads_and_terms_arrive(theme_file, expected):
    import_wordpress(theme_file, "--pages")
    pages = Article.objects.filter(import_records__post_type="page")
    assert Article.objects.count() == expected["posts"] + expected["pages"]
    assert pages.count() == expected["pages"]
    assert set(pages.values_list("section__slug", flat=True)) == {"pages"}
    assert Comment.objects.count() == expected["comments"]
    assert Comment.objects.filter(parent__isnull=False).count() == expected["replies"]
    assert Comment.objects.filter(depth__gt=1).count() == expected["replies"]
    assert Comment.objects.filter(kind="pingback").count() == expected["pingbacks"]
    assert Comment.objects.filter(kind="trackback").count() == expected["trackbacks"]
    assert Comment.objects.filter(status="pending").count() == expected["held"]
    # Every category is a section (plus "Pages"); tags and secondary categories are tags.
    assert Section.objects.count() == expected["categories"] + 1
    assert Tag.objects.count() == expected["tags"]


def test_statuses_sticky_and_featured_images(theme_file, expected):
    import_wordpress(theme_file)
    statuses = Counter(
        Article.objects.filter(import_records__post_type="post").values_list("status", flat=True)
    )
    password_protected = 1  # "Template: Password Protected" is published but kept private
    assert statuses["published"] == expected["statuses"]["publish"] - password_protected
    assert statuses["draft"] == expected["statuses"]["draft"] + password_protected
    future = Article.objects.get(status="scheduled")
    assert future.published_at > timezone.now()
    assert expected["statuses"]["future"] == 1
    pinned = Article.objects.filter(pinned=True)
    assert [r.source_id for a in pinned for r in a.import_records.all()] == expected["sticky"]
    with_image = ImportedItem.objects.exclude(featured_image_url="")
    assert with_image.count() == expected["thumbnails"]
    assert all(
        url.startswith("https://")
        for url in with_image.values_list("featured_image_url", flat=True)
    )


def test_dates_are_the_gmt_dates(theme_file):
    import_wordpress(theme_file)
    article = Article.objects.get(import_records__source_id="1177")  # "Markup: Image Alignment"
    assert article.published_at == datetime.fromisoformat(
        "2013-01-11T03:15:40+00:00"
    )  # not its local time


def test_without_pages_flag_pages_and_their_comments_are_left_out(theme_file, expected):
    output = import_wordpress(theme_file)
    assert Article.objects.count() == expected["posts"]
    assert Comment.objects.count() == expected["post_comments"]
    assert "pages (use --pages)" in output


def test_importing_again_updates_and_never_duplicates(theme_file):
    import_wordpress(theme_file, "--pages")
    first = table_counts()
    headline = Article.objects.get(import_records__source_id="1177")
    headline.headline = "Edited here"
    headline.save()
    output = import_wordpress(theme_file, "--pages")
    assert table_counts() == first
    assert "58 updated" in output
    headline.refresh_from_db()
    assert headline.headline == "Markup: Image Alignment"


def test_the_preview_export_without_post_ids_imports_twice_without_duplicates():
    path = wxr("theme-test-data", "theme-preview.xml")
    import_wordpress(path)
    import_wordpress(path)
    assert Article.objects.count() == 7
    assert Comment.objects.count() == 2
    assert set(ImportedItem.objects.values_list("source_id", flat=True)) == {
        "19", "36", "14", "8", "6", "4", "1",
    }  # fmt: skip


def test_dry_run_writes_nothing_and_reports_what_would_happen(theme_file):
    before = table_counts()
    output = import_wordpress(theme_file, "--pages", "--dry-run")
    assert table_counts() == before
    assert "dry run, nothing was written" in output
    assert "58 created" in output
    assert "21 created" in output


def test_imported_comments_are_rendered_at_once_and_safely(theme_file):
    import_wordpress(theme_file, "--pages")
    comments = Comment.objects.exclude(body="")
    assert comments.exists()
    assert not comments.filter(body_html="").exists(), "no comment waits for a background task"
    for comment in comments:
        assert "<script" not in comment.body_html.lower()
