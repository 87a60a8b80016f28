"""The Disqus sample: threads found by address or title, replies, deleted and spam posts;
messages (HTML) stored as the text comments are kept in."""

from pathlib import Path

import pytest

from masthead.discussion.models import Comment
from masthead.importers.models import Redirect
from masthead.importers.tests.conftest import run, table_counts, wxr
from masthead.newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db
HTML_EXPORT = Path(__file__).parent / "data" / "disqus-html.xml"


def import_disqus(*flags):
    return run("import", "disqus", str(wxr("isso", "disqus.xml")), *flags)


@pytest.fixture
def articles():
    by_title = make_article(headline="Hello, World!")
    by_old_address = make_article(headline="Something else entirely")
    Redirect.objects.create(old_path="/blog/2013/02/12/redacted/index.html", article=by_old_address)
    return by_title, by_old_address


def test_posts_land_on_the_matching_articles(articles):
    by_title, by_old_address = articles
    output = import_disqus()
    assert sorted(by_title.comments.values_list("import_id", flat=True)) == ["11", "4", "5", "9"]
    assert list(by_old_address.comments.values_list("import_id", flat=True)) == ["8"]
    # Post 6 names a thread (1337) that is not in the file.
    assert "Disqus post 6: its thread is not in the file; skipped." in output
    assert Comment.objects.count() == 5


def test_replies_deleted_and_spam_flags(articles):
    import_disqus()
    reply = Comment.objects.get(import_id="5")
    assert (reply.parent.import_id, reply.depth) == ("4", 2)
    deleted = Comment.objects.get(import_id="9")
    assert deleted.status == Comment.Status.TRASH
    reply_to_deleted = Comment.objects.get(import_id="11")
    assert reply_to_deleted.parent == deleted
    assert reply_to_deleted.status == Comment.Status.APPROVED
    assert not Comment.objects.filter(status=Comment.Status.SPAM).exists()


def test_spam_flag_is_honoured(articles, tmp_path):
    text = wxr("isso", "disqus.xml").read_text()
    marked = text.replace(
        "<isSpam>false</isSpam>\n        <author>\n            <email>baz@email.foo</email>",
        "<isSpam>true</isSpam>\n        <author>\n            <email>baz@email.foo</email>",
    )
    assert marked != text
    path = tmp_path / "spam.xml"
    path.write_text(marked)
    run("import", "disqus", str(path))
    assert Comment.objects.get(import_id="8").status == Comment.Status.SPAM


def test_emails_are_kept_privately_and_addresses_anonymised(articles):
    import_disqus()
    comment = Comment.objects.get(import_id="8")
    assert comment.author_email == "baz@email.foo"
    assert comment.author_name == "Empty"
    assert comment.ip_address == "127.0.0.0"
    assert comment.body == "Message from thread with empty title and id"  # its HTML, read


def test_importing_again_changes_nothing(articles):
    import_disqus()
    first = table_counts()
    import_disqus()
    assert table_counts() == first


def test_dry_run_writes_nothing(articles):
    before = table_counts()
    output = import_disqus("--dry-run")
    assert table_counts() == before
    assert "dry run" in output


def test_threads_match_masthead_addresses_and_not_ambiguous_titles(tmp_path):
    article = make_article(headline="Twin")
    make_article(headline="Twin")
    xml = (
        '<?xml version="1.0"?><disqus xmlns="http://disqus.com" '
        'xmlns:dsq="http://disqus.com/disqus-internals">'
        f'<thread dsq:id="1"><forum>f</forum><link>https://news.example.org{article.get_absolute_url()}'
        "</link><title>Whatever</title></thread>"
        '<thread dsq:id="2"><forum>f</forum><link>https://gone.example/x</link><title>Twin</title>'
        "</thread>"
        '<post dsq:id="10"><message>hi</message><thread dsq:id="1"/></post>'
        '<post dsq:id="11"><message>lost</message><thread dsq:id="2"/></post>'
        "</disqus>"
    )
    path = tmp_path / "d.xml"
    path.write_text(xml)
    output = run("import", "disqus", str(path))
    assert list(article.comments.values_list("import_id", flat=True)) == ["10"]
    assert "no article matches “https://gone.example/x”" in output


def test_a_wordpress_file_is_not_a_disqus_file():
    with pytest.raises(Exception, match="not a Disqus export"):
        run("import", "disqus", str(wxr("wordpress-importer", "wxr-simple.xml")))


def test_imported_comments_show_on_pages_already_cached(
    articles, client, settings, django_capture_on_commit_callbacks
):
    settings.MASTHEAD_PAGE_CACHE_SECONDS = 600
    by_title, _ = articles
    client.get(by_title.get_absolute_url())
    assert client.get(by_title.get_absolute_url())["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        import_disqus("--dry-run")
    assert client.get(by_title.get_absolute_url())["X-Page-Cache"] == "hit"  # nothing changed
    with django_capture_on_commit_callbacks(execute=True):
        import_disqus()
    page = client.get(by_title.get_absolute_url())
    assert page["X-Page-Cache"] == "miss"
    approved = by_title.comments.filter(status="approved").count()
    assert approved
    assert f"{approved} Comment" in page.content.decode()


@pytest.fixture
def ferry():
    return make_article(headline="New ferry timetable")


def test_html_messages_are_stored_as_the_text_a_commenter_types(ferry):
    run("import", "disqus", str(HTML_EXPORT))
    short = Comment.objects.get(import_id="301")
    assert short.body == "7 is too early!"
    assert short.body_html == "<p>7 is too early!</p>"
    reply = Comment.objects.get(import_id="302")
    assert reply.body == (
        "@ana Not for fishermen, it is late & the tide's out by then.\n"
        "\n"
        "The old one left at 6:30\n"
        "and again at 9:00.\n"
        "\n"
        "> Services will run hourly\n"
        "\n"
        "Hourly? See https://ferries.example/timetable and the council's minutes "
        "(https://council.example/minutes/2019-03)."
    )
    assert reply.parent == short


def test_imported_html_shows_as_paragraphs_and_links_on_the_story(ferry, client):
    run("import", "disqus", str(HTML_EXPORT))
    page = client.get(ferry.get_absolute_url()).content.decode()
    assert "<p>7 is too early!</p>" in page
    assert "&lt;p&gt;" not in page
    assert "<br>\nand again at 9:00.</p>" in page
    assert 'href="https://council.example/minutes/2019-03"' in page
    assert 'href="https://ferries.example/timetable"' in page  # not Disqus's redirect
    assert "disq.us" not in page
    assert "disqus.com/by/" not in page  # a mention is its name


def test_markup_in_a_message_never_becomes_markup_on_the_page(ferry):
    run("import", "disqus", str(HTML_EXPORT))
    comment = Comment.objects.get(import_id="303")
    assert comment.body == "Nice try click me <b>not bold</b>"  # typed text stays text
    assert "alert" not in comment.body
    assert "<b>" not in comment.body_html
    assert "&lt;b&gt;not bold&lt;/b&gt;" in comment.body_html


def test_importing_again_updates_the_text_of_comments_imported_as_html(ferry):
    run("import", "disqus", str(HTML_EXPORT))
    # As an import before this fix left them: the HTML kept as the comment's text.
    Comment.objects.filter(import_id="301").update(body="<p>7 is too early!</p>")
    count = Comment.objects.count()
    output = run("import", "disqus", str(HTML_EXPORT))
    assert Comment.objects.count() == count == 3
    assert "3 updated" in output
    fixed = Comment.objects.get(import_id="301")
    assert (fixed.body, fixed.body_html) == ("7 is too early!", "<p>7 is too early!</p>")
