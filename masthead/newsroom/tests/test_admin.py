from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from masthead.newsroom.models import Article, Image
from masthead.newsroom.tests.factories import (
    login,
    make_article,
    make_author,
    make_section,
    png_bytes,
)

pytestmark = pytest.mark.django_db
Status = Article.Status


def article_form(section, **overrides) -> dict:
    now = timezone.localtime()
    data = {
        "headline": "A new story",
        "slug": "a-new-story",
        "standfirst": "",
        "body": "<p>Text of the story.</p>",
        "section": section.pk,
        "status": Status.DRAFT,
        "published_at_0": "",
        "published_at_1": "",
        "updated_at_0": "",
        "updated_at_1": "",
        "comments_open": "on",
        "bylines-TOTAL_FORMS": "0",
        "bylines-INITIAL_FORMS": "0",
        "notes-TOTAL_FORMS": "0",
        "notes-INITIAL_FORMS": "0",
        "related_pins-TOTAL_FORMS": "0",
        "related_pins-INITIAL_FORMS": "0",
        "related_exclusions-TOTAL_FORMS": "0",
        "related_exclusions-INITIAL_FORMS": "0",
        "featured_caption": "",
        "seo_title": "",
        "seo_description": "",
        "canonical_url": "",
    }
    if "published_at" in overrides:
        when = timezone.localtime(overrides.pop("published_at"))
        data["published_at_0"] = when.strftime("%Y-%m-%d")
        data["published_at_1"] = when.strftime("%H:%M:%S")
    data.update(overrides)
    del now
    return data


ADD_URL = reverse("admin:newsroom_article_add")


def test_editor_creates_and_publishes_a_story(client):
    login(client, "Editor")
    section = make_section()
    response = client.post(ADD_URL, article_form(section, status=Status.PUBLISHED))
    assert response.status_code == 302, response.content.decode()[:2000]
    article = Article.objects.get(slug="a-new-story")
    assert article.is_live
    assert client.get(article.get_absolute_url()).status_code == 200


def test_a_new_story_with_a_taken_slug_gets_the_next_free_one(client):
    """As in WordPress: the second "A new story" lives at a-new-story-2, and the editor is
    told."""
    login(client, "Editor")
    section = make_section()
    make_article(slug="a-new-story")
    make_article(slug="a-new-story-2")
    response = client.post(ADD_URL, article_form(section), follow=True)
    assert Article.objects.filter(slug="a-new-story-3").exists()
    assert "ends in “a-new-story-3”: “a-new-story” is another story" in response.content.decode()


@pytest.mark.parametrize(
    ("headline", "slug"),
    [
        ("Москва: новый мост открыт", "moskva-novyy-most-otkryt"),
        ("Αθήνα σήμερα", "athina-simera"),
        ("市议会通过新预算", "shiyihuitongguoxinyusuan"),
    ],
)
def test_a_headline_without_latin_letters_gets_an_address_in_them(client, headline, slug):
    login(client, "Editor")
    response = client.post(
        ADD_URL, article_form(make_section(), headline=headline, slug=""), follow=True
    )
    assert Article.objects.get(headline=headline).slug == slug
    assert "it was made from the headline, in Latin letters" in response.content.decode()


def test_a_headline_without_letters_or_digits_still_gets_an_address(client):
    login(client, "Editor")
    response = client.post(
        ADD_URL, article_form(make_section(), headline="!?!", slug=""), follow=True
    )
    assert Article.objects.get(headline="!?!").slug == "story"
    assert "the headline has no letters or digits" in response.content.decode()


def test_editing_a_story_onto_a_taken_slug_is_refused_with_a_clear_message(client):
    login(client, "Editor")
    make_article(slug="taken")
    mine = make_article(slug="mine", status=Status.DRAFT)
    data = article_form(mine.section, headline=mine.headline, slug="taken")
    response = client.post(reverse("admin:newsroom_article_change", args=[mine.pk]), data)
    assert response.status_code == 200
    assert "Another story already uses this slug" in response.content.decode()
    mine.refresh_from_db()
    assert mine.slug == "mine"


def test_scheduling_in_the_past_is_refused_with_a_clear_message(client):
    login(client, "Editor")
    section = make_section()
    data = article_form(
        section, status=Status.SCHEDULED, published_at=timezone.now() - timedelta(hours=1)
    )
    response = client.post(ADD_URL, data)
    assert response.status_code == 200
    assert "This time is in the past" in response.content.decode()
    assert not Article.objects.filter(slug="a-new-story").exists()


def test_scheduling_without_a_time_asks_for_one(client):
    login(client, "Editor")
    response = client.post(ADD_URL, article_form(make_section(), status=Status.SCHEDULED))
    assert "Choose the date and time the story should go live" in response.content.decode()


def test_publishing_with_a_future_time_schedules_and_says_so(client):
    login(client, "Editor")
    at = timezone.now() + timedelta(days=1)
    response = client.post(
        ADD_URL,
        article_form(make_section(), status=Status.PUBLISHED, published_at=at),
        follow=True,
    )
    assert Article.objects.get(slug="a-new-story").status == Status.SCHEDULED
    assert "The publish time is still to come, so the story is scheduled: it goes live on" in (
        response.content.decode()
    )


def test_an_updated_time_still_to_come_is_refused(client):
    login(client, "Editor")
    later = timezone.localtime() + timedelta(days=2)
    data = article_form(
        make_section(),
        status=Status.PUBLISHED,
        updated_at_0=later.strftime("%Y-%m-%d"),
        updated_at_1=later.strftime("%H:%M:%S"),
    )
    response = client.post(ADD_URL, data)
    assert "This time is still to come." in response.content.decode()
    assert not Article.objects.exists()


def test_contributors_leave_the_dates_readers_see_to_whoever_publishes(client):
    """A contributor's story, backdated and "updated" in 2030, published by an editor as it
    stood: neither date may come from the contributor."""
    login(client, "Contributor")
    section = make_section()
    data = article_form(
        section,
        status=Status.PENDING,
        published_at=timezone.now() - timedelta(days=2000),
        updated_at_0="2030-01-01",
        updated_at_1="10:00:00",
    )
    form_page = client.get(ADD_URL).content.decode()
    assert 'name="published_at_0"' not in form_page
    assert 'name="updated_at_0"' not in form_page
    assert client.post(ADD_URL, data).status_code == 302
    story = Article.objects.get(slug="a-new-story")
    assert story.published_at is None
    assert story.updated_at is None
    changelist = client.get(reverse("admin:newsroom_article_changelist")).content.decode()
    assert "publish_selected" not in changelist  # no bulk action they cannot use
    assert "Recover deleted" not in changelist
    assert client.get(reverse("admin:newsroom_article_recoverlist")).status_code == 403


def test_contributor_can_only_save_drafts(client):
    login(client, "Contributor")
    section = make_section()
    form_page = client.get(ADD_URL).content.decode()
    assert 'value="published"' not in form_page
    assert 'value="draft"' in form_page
    response = client.post(ADD_URL, article_form(section, status=Status.PUBLISHED))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    client.post(ADD_URL, article_form(section))
    assert Article.objects.get(slug="a-new-story").status == Status.DRAFT


def test_contributor_sends_a_story_for_review_and_an_editor_publishes_it(client):
    contributor = login(client, "Contributor")
    section = make_section()
    form_page = client.get(ADD_URL).content.decode()
    assert 'value="pending"' in form_page
    assert "choose Pending review" in form_page
    response = client.post(ADD_URL, article_form(section, status=Status.PENDING), follow=True)
    assert "Sent for review" in response.content.decode()
    story = Article.objects.get(slug="a-new-story")
    assert story.status == Status.PENDING
    assert not story.is_live
    assert client.get(story.get_absolute_url()).status_code == 404

    # Waiting for review, the story is still the contributor's to change, not to publish.
    url = reverse("admin:newsroom_article_change", args=[story.pk])
    edit = article_form(section, status=Status.PENDING, headline="A better headline")
    assert client.post(url, edit).status_code == 302
    story.refresh_from_db()
    assert story.headline == "A better headline"
    refused = client.post(url, article_form(section, status=Status.PUBLISHED))
    assert "Select a valid choice" in refused.content.decode()
    assert Article.objects.get(pk=story.pk).status == Status.PENDING

    # The editors' front page says a story waits for them, and links to the list of them.
    client.force_login(login(client, "Editor"))
    front = client.get(reverse("admin:index")).content.decode()
    assert "1 story is waiting for review" in front
    assert "?status__exact=pending" in front
    waiting = client.get(reverse("admin:newsroom_article_changelist") + "?status__exact=pending")
    assert "A better headline" in waiting.content.decode()
    changelist = reverse("admin:newsroom_article_changelist")
    client.post(changelist, {"action": "publish_selected", "_selected_action": [story.pk]})
    story.refresh_from_db()
    assert story.is_live
    assert "waiting for review" not in client.get(reverse("admin:index")).content.decode()

    # Live, the story is the editors': the contributor can no longer change it.
    client.force_login(contributor)
    assert client.post(url, edit | {"headline": "Changed after"}).status_code == 403


def test_front_page_of_the_admin_is_quiet_for_those_it_does_not_concern(client):
    make_article(status=Status.PENDING)
    login(client, "Contributor")
    assert "waiting for review" not in client.get(reverse("admin:index")).content.decode()


def test_unpublishing_leaves_stories_waiting_for_review_as_they_are(client):
    login(client, "Editor")
    waiting = make_article(status=Status.PENDING)
    changelist = reverse("admin:newsroom_article_changelist")
    response = client.post(
        changelist,
        {"action": "unpublish_selected", "_selected_action": [waiting.pk]},
        follow=True,
    )
    assert "Unpublished 0 stories" in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.status == Status.PENDING


def test_contributor_cannot_edit_someone_elses_story(client):
    login(client, "Contributor")
    other = make_article(status=Status.DRAFT)
    url = reverse("admin:newsroom_article_change", args=[other.pk])
    response = client.post(url, article_form(other.section, headline="Hijacked", slug=other.slug))
    assert response.status_code == 403
    other.refresh_from_db()
    assert other.headline != "Hijacked"


def test_bulk_publish_and_unpublish(client):
    login(client, "Editor")
    drafts = [make_article(status=Status.DRAFT) for _ in range(3)]
    changelist = reverse("admin:newsroom_article_changelist")
    ids = [str(a.pk) for a in drafts]
    client.post(changelist, {"action": "publish_selected", "_selected_action": ids})
    assert Article.objects.filter(pk__in=ids, status=Status.PUBLISHED).count() == 3
    client.post(changelist, {"action": "unpublish_selected", "_selected_action": ids})
    assert Article.objects.filter(pk__in=ids, status=Status.DRAFT).count() == 3


def test_author_bulk_publish_skips_stories_that_are_not_theirs(client):
    author = login(client, "Author")
    own = make_article(status=Status.DRAFT, created_by=author)
    other = make_article(status=Status.DRAFT)
    changelist = reverse("admin:newsroom_article_changelist")
    response = client.post(
        changelist,
        {"action": "publish_selected", "_selected_action": [own.pk, other.pk]},
        follow=True,
    )
    own.refresh_from_db()
    other.refresh_from_db()
    assert own.status == Status.PUBLISHED
    assert other.status == Status.DRAFT
    assert "you may publish only your own stories" in response.content.decode()


def test_change_form_offers_a_preview_link(client):
    login(client, "Editor")
    article = make_article(status=Status.DRAFT)
    page = client.get(reverse("admin:newsroom_article_change", args=[article.pk])).content
    assert b"/preview/" in page
    # and says beforehand why a pasted embed code disappears from the body
    assert b"Embed codes (a YouTube player" in page


def test_view_on_site_opens_the_page_or_for_an_unpublished_story_its_preview(client):
    """A draft or scheduled story has no page yet: the button opened a 404."""
    import re

    login(client, "Editor")
    draft, live = make_article(status=Status.DRAFT), make_article(headline="Live now")
    for article, expected in ((draft, "/preview/"), (live, live.get_absolute_url())):
        page = client.get(reverse("admin:newsroom_article_change", args=[article.pk]))
        href = re.search(r'href="([^"]+)" class="viewsitelink"', page.content.decode())[1]
        assert href.startswith(expected)
        assert client.get(href).status_code == 200


def test_revision_history_records_changes_and_restores_them(client):
    login(client, "Editor")
    section = make_section()
    client.post(ADD_URL, article_form(section, headline="First headline"))
    article = Article.objects.get(slug="a-new-story")
    change_url = reverse("admin:newsroom_article_change", args=[article.pk])
    client.post(change_url, article_form(section, headline="Second headline"))
    article.refresh_from_db()
    assert article.headline == "Second headline"

    from reversion.models import Version

    versions = Version.objects.get_for_object(article)
    assert versions.count() == 2
    client.post(change_url, article_form(section, headline="Second headline", status="pending"))
    history = client.get(reverse("admin:newsroom_article_history", args=[article.pk]))
    assert b"editor" in history.content  # who changed it
    assert "Status: Draft → Pending review." in history.content.decode()
    versions = Version.objects.get_for_object(article).filter(pk__in=versions)
    first = versions.last()
    revision_url = reverse("admin:newsroom_article_revision", args=[article.pk, first.pk])
    assert b"First headline" in client.get(revision_url).content
    client.post(revision_url, article_form(section, headline="First headline"))
    article.refresh_from_db()
    assert article.headline == "First headline"


def test_image_upload_requires_alt_text(client):
    login(client, "Editor")
    upload = SimpleUploadedFile("p.png", png_bytes(800, 600), content_type="image/png")
    response = client.post(reverse("admin:newsroom_image_add"), {"file": upload, "alt_text": ""})
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    assert not Image.objects.exists()


def test_image_upload_makes_renditions(client):
    login(client, "Editor")
    upload = SimpleUploadedFile("p.png", png_bytes(1000, 500), content_type="image/png")
    client.post(reverse("admin:newsroom_image_add"), {"file": upload, "alt_text": "A harbour"})
    image = Image.objects.get()
    assert (image.width, image.height) == (1000, 500)
    assert [r["width"] for r in image.renditions] == [480, 800, 1000]


def test_broken_image_upload_gets_a_clear_error(client):
    login(client, "Editor")
    upload = SimpleUploadedFile("p.jpg", b"not really a jpeg", content_type="image/jpeg")
    response = client.post(reverse("admin:newsroom_image_add"), {"file": upload, "alt_text": "x"})
    assert response.status_code == 200
    assert "Upload a valid image" in response.content.decode() or "not an image" in (
        response.content.decode()
    )
    assert not Image.objects.exists()


def test_oversized_image_upload_gets_a_clear_error(client, settings):
    settings.MASTHEAD_IMAGE_MAX_UPLOAD_MB = 1
    login(client, "Editor")
    big = png_bytes(100, 100) + b"\0" * (1024 * 1024 + 1)
    upload = SimpleUploadedFile("big.png", big, content_type="image/png")
    response = client.post(reverse("admin:newsroom_image_add"), {"file": upload, "alt_text": "x"})
    assert "images can be at most 1 MB" in response.content.decode()
    assert not Image.objects.exists()


def test_image_with_too_many_pixels_gets_a_clear_error(client, settings):
    settings.MASTHEAD_IMAGE_MAX_PIXELS = 1000
    login(client, "Editor")
    upload = SimpleUploadedFile("p.png", png_bytes(100, 100), content_type="image/png")
    response = client.post(reverse("admin:newsroom_image_add"), {"file": upload, "alt_text": "x"})
    assert "100 × 100 pixels" in response.content.decode()


def test_the_story_list_searches_the_text_and_the_bylines_and_filters_by_author(client):
    login(client, "Editor")
    rosa = make_author(name="Rosa Tindall")
    make_article(headline="Quay works", body="<p>The new pontoon opens.</p>", authors=[rosa])
    make_article(headline="Budget", body="<p>Nothing about boats.</p>", authors=[make_author()])
    changelist = reverse("admin:newsroom_article_changelist")
    for words in ("pontoon", "Tindall"):
        found = client.get(changelist, {"q": words}).content.decode()
        assert "Quay works" in found
        assert "Budget" not in found
    by_rosa = client.get(changelist, {"bylines__author__id__exact": rosa.pk}).content.decode()
    assert "Quay works" in by_rosa
    assert "Budget" not in by_rosa
