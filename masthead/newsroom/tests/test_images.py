"""Pictures in the newsroom: uploads are checked whole, a failed upload leaves no file,
changing or deleting a picture purges the pages showing it, and only editors may change a
picture readers already see."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission, User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image as PILImage

from masthead.newsroom.images import image_create, image_save
from masthead.newsroom.models import Article, Author, Image
from masthead.newsroom.tests.factories import login, make_article, make_image, png_bytes
from masthead.syndication.structured import absolute, article_images

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:newsroom_image_add")


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path)
    settings.MASTHEAD_PAGE_CACHE_SECONDS = 600
    return tmp_path


def stored_files(media: Path) -> list[str]:
    return sorted(str(p.relative_to(media)) for p in media.rglob("*") if p.is_file())


def jpeg_bytes(width: int = 900, height: int = 600) -> bytes:
    buffer = io.BytesIO()
    PILImage.frombytes("RGB", (width, height), os.urandom(width * height * 3)).save(
        buffer, "JPEG", quality=90
    )
    return buffer.getvalue()


def picture_bytes(kind: str, width: int = 300, height: int = 200) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), (10, 120, 60)).save(buffer, kind)
    return buffer.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def change_form(image: Image, **overrides) -> dict:
    data = {"alt_text": image.alt_text, "caption": image.caption, "credit": image.credit}
    data.update(overrides)
    return data


# Uploads: whole, readable, web formats ---------------------------------------------------


def test_truncated_jpeg_gets_a_clear_error_and_leaves_no_file(client, media):
    login(client, "Editor")
    whole = jpeg_bytes()
    response = client.post(
        ADD_URL, {"file": upload("cut.jpg", whole[: len(whole) // 2]), "alt_text": "Quay"}
    )
    assert response.status_code == 200
    assert "This JPEG file is damaged or incomplete" in response.content.decode()
    assert not Image.objects.exists()
    assert stored_files(media) == []


def test_a_whole_jpeg_is_accepted(client, media):
    login(client, "Editor")
    response = client.post(ADD_URL, {"file": upload("ok.jpg", jpeg_bytes()), "alt_text": "Quay"})
    assert response.status_code == 302
    assert [r["width"] for r in Image.objects.get().renditions] == [480, 800, 900]


@pytest.mark.parametrize(("kind", "name"), [("TIFF", "scan.tif"), ("BMP", "paint.bmp")])
def test_formats_browsers_cannot_show_are_refused(client, media, kind, name):
    login(client, "Editor")
    response = client.post(ADD_URL, {"file": upload(name, picture_bytes(kind)), "alt_text": "x"})
    assert response.status_code == 200
    page = response.content.decode()
    assert f"This is a {kind} file, which browsers cannot show" in page
    assert "Upload a JPEG, PNG, GIF or WebP" in page
    assert not Image.objects.exists()
    assert stored_files(media) == []


def test_failed_renditions_leave_no_file_and_keep_the_old_picture(media):
    """Renditions that cannot be made (here: a damaged file stored without the form's
    checks) raise; the new file goes, and a replaced picture keeps its renditions."""
    whole = jpeg_bytes()
    damaged = upload("cut.jpg", whole[: len(whole) // 2])
    with pytest.raises(OSError, match="truncated"):
        image_save(image=Image(file=damaged, alt_text="Quay"), file_changed=True)
    assert not Image.objects.exists()
    assert stored_files(media) == []

    image = make_image(width=900, height=600)
    before = stored_files(media)
    image.file = upload("cut.jpg", whole[: len(whole) // 2])
    with pytest.raises(OSError, match="truncated"):
        image_save(image=image, file_changed=True)
    assert stored_files(media) == before


def test_the_image_service_validates_like_the_form(media):
    with pytest.raises(ValidationError, match="browsers cannot show"):
        image_create(file=upload("scan.tif", picture_bytes("TIFF")), alt_text="Scan")
    assert stored_files(media) == []


# Where pictures are shown: renditions, not originals ----------------------------------


def test_share_cards_and_the_admin_thumbnail_use_web_renditions(client, media):
    small = make_image(width=300, height=200)
    story = make_article(featured_image=small)
    assert article_images(story) == [absolute(small.rendition_url(1200))]
    assert small.rendition_url(1200).endswith("-300w.webp")
    large = make_image(width=1600, height=900)
    story = make_article(featured_image=large)
    images = article_images(story)
    assert [url.rsplit("-", 1)[1] for url in images] == ["1200w.webp", "800w.webp"]
    assert large.url not in "".join(images)
    login(client, "Editor")
    page = client.get(reverse("admin:newsroom_image_changelist")).content.decode()
    assert small.rendition_url(480) in page
    assert small.url not in page


# Changing or deleting a picture purges the cached pages showing it ---------------------


def warm(client, url: str) -> None:
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"


def test_replacing_a_picture_purges_the_live_stories_showing_it(
    client, media, django_capture_on_commit_callbacks
):
    image = make_image(width=900, height=600)
    featured = make_article(featured_image=image)
    in_body = make_article(body=f'<p>Text</p><img src="{image.url}" alt="Quay">')
    other = make_article()
    old_renditions = [r["path"] for r in image.renditions]
    for story in (featured, in_body, other):
        warm(client, story.get_absolute_url())
    warm(client, "/")

    editor = Client()
    login(editor, "Editor")
    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(
            reverse("admin:newsroom_image_change", args=[image.pk]),
            change_form(image, file=upload("new.jpg", jpeg_bytes())),
        )
    assert response.status_code == 302
    image.refresh_from_db()
    assert not any((media / path).exists() for path in old_renditions)
    page = client.get(featured.get_absolute_url())
    assert page["X-Page-Cache"] == "miss"
    assert image.renditions[0]["path"].rsplit("/", 1)[1] in page.content.decode()
    assert client.get(in_body.get_absolute_url())["X-Page-Cache"] == "miss"
    assert client.get("/")["X-Page-Cache"] == "miss"
    assert client.get(other.get_absolute_url())["X-Page-Cache"] == "hit"


def test_deleting_a_picture_names_the_live_stories_showing_it_and_purges_them(
    client, media, django_capture_on_commit_callbacks
):
    image = make_image(width=900, height=600)
    featured = make_article(headline="Flood barrier approved", featured_image=image)
    make_article(headline="A draft with it", featured_image=image, status=Article.Status.DRAFT)
    warm(client, featured.get_absolute_url())
    editor = Client()
    login(editor, "Editor")
    url = reverse("admin:newsroom_image_delete", args=[image.pk])
    page = editor.get(url).content.decode()
    assert "1 live story shows" in page
    assert "Flood barrier approved" in page
    assert "A draft with it" not in page
    with django_capture_on_commit_callbacks(execute=True):
        assert editor.post(url, {"post": "yes"}).status_code == 302
    assert not Image.objects.exists()
    featured.refresh_from_db()
    assert featured.featured_image is None
    assert client.get(featured.get_absolute_url())["X-Page-Cache"] == "miss"
    assert stored_files(media) == []


def test_deleting_a_picture_keeps_its_original_while_a_body_points_at_it(
    media, django_capture_on_commit_callbacks
):
    from masthead.newsroom.images import image_delete

    image = make_image(width=900, height=600)
    make_article(body=f'<img src="{image.url}" alt="Quay">', status=Article.Status.DRAFT)
    editor = Client()
    login(editor, "Editor")
    page = editor.get(reverse("admin:newsroom_image_delete", args=[image.pk])).content.decode()
    assert "its file stays on the server" in page  # and how to remove it: said beforehand
    assert "that story’s" in page  # whose text to take it out of first
    with django_capture_on_commit_callbacks(execute=True):
        image_delete(image=image)
    assert stored_files(media) == [image.file.name]


def test_no_rendition_is_wider_than_pages_ask_for():
    """A 5,000-pixel upload got a 5,000-pixel WebP beside the original, never used."""
    image = make_image(width=2400, height=1200)
    assert [r["width"] for r in image.renditions] == [480, 800, 1200, 1600]
    small = make_image(width=1000, height=500)
    assert [r["width"] for r in small.renditions] == [480, 800, 1000]


# Who may change a picture ---------------------------------------------------------------


LIVE, DRAFT, NONE = Article.Status.PUBLISHED, Article.Status.DRAFT, None


@pytest.mark.parametrize(
    ("role", "mine", "shown_by", "allowed"),
    [
        ("Contributor", True, NONE, True),
        ("Contributor", True, DRAFT, True),
        ("Contributor", True, LIVE, False),
        ("Contributor", False, NONE, False),
        ("Author", True, DRAFT, True),
        ("Author", True, LIVE, False),
        ("Author", False, NONE, False),
        ("Editor", False, LIVE, True),
    ],
)
def test_who_may_change_a_picture(client, media, role, mine, shown_by, allowed):
    """Writers change their own uploads that no live story shows; editors any picture."""
    user = login(client, role)
    image = make_image(alt_text="Old words")
    if mine:
        Image.objects.filter(pk=image.pk).update(uploaded_by=user)
    if shown_by:
        make_article(featured_image=image, status=shown_by)
    url = reverse("admin:newsroom_image_change", args=[image.pk])
    page = client.get(url).content.decode()
    assert ("View image" in page) is not allowed
    response = client.post(
        url, change_form(image, alt_text="New words", file=upload("new.jpg", jpeg_bytes()))
    )
    assert response.status_code == (302 if allowed else 403)
    image.refresh_from_db()
    assert image.alt_text == ("New words" if allowed else "Old words")
    assert image.file.name.endswith(".jpg") is allowed


def test_an_uploader_is_recorded(client, media):
    user = login(client, "Contributor")
    client.post(ADD_URL, {"file": upload("ok.png", png_bytes(600, 400)), "alt_text": "Quay"})
    assert Image.objects.get().uploaded_by == user
    assert not Author.objects.exists()


PICKER = reverse("admin:newsroom_image_picker")


def test_the_body_editors_picture_picker_lists_the_library_newest_first(client, settings):
    login(client, "Contributor")
    older = make_image(alt_text="Lifeboat crew on the slipway")
    newer = make_image(alt_text="Council chamber during the vote")
    data = client.get(PICKER).json()
    assert [p["id"] for p in data["pictures"]] == [newer.pk, older.pk]
    assert data["more"] is False
    first = data["pictures"][0]
    assert first["src"] == newer.file.url
    assert first["thumbnail"] == newer.rendition_url(480) != newer.file.url
    assert (first["alt"], first["caption"], first["credit"]) == (
        "Council chamber during the vote",
        "A caption",
        "Test Credit",
    )
    assert (first["width"], first["height"]) == (1600, 900)
    # Every word must match, in the alt text, caption or credit, whatever the case.
    found = client.get(PICKER, {"q": "LIFEBOAT slipway"}).json()["pictures"]
    assert [p["id"] for p in found] == [older.pk]
    assert client.get(PICKER, {"q": "lifeboat vote"}).json()["pictures"] == []
    assert len(client.get(PICKER, {"q": "test credit"}).json()["pictures"]) == 2


def test_the_picture_picker_pages_through_a_large_library(client, monkeypatch):
    from masthead.newsroom import images

    monkeypatch.setattr(images, "PICKER_PAGE", 2)
    login(client, "Editor")
    made = [make_image(alt_text=f"Picture {n}") for n in range(5)]
    seen, before, pages = [], "", 0
    while pages < 5:
        data = client.get(PICKER, {"before": before} if before else {}).json()
        pages += 1
        seen += [p["id"] for p in data["pictures"]]
        if not data["more"]:
            break
        before = seen[-1]
    assert pages == 3
    assert seen == [image.pk for image in reversed(made)]


def test_the_picture_picker_refuses_bad_input_and_strangers(client):
    login(client, "Editor")
    for before in ("yesterday", "²", "9" * 5000, "-1"):
        response = client.get(PICKER, {"before": before})
        assert response.status_code == 400
        assert response.json() == {"error": "before must be a picture's id."}
    stranger = User.objects.create_user("stranger", password="pw", is_staff=True)
    client.force_login(stranger)
    assert client.get(PICKER).status_code == 403
    client.logout()
    assert client.get(PICKER).status_code == 302  # to the admin's login


def test_the_story_form_offers_the_picker_to_those_who_may_see_pictures(client):
    login(client, "Contributor")
    form = client.get(reverse("admin:newsroom_article_add")).content.decode()
    assert f'data-picture-picker="{PICKER}"' in form
    assert f'data-picture-upload="{reverse("admin:newsroom_image_add")}"' in form
    assert "masthead/js/admin-pictures" in form
    writer = User.objects.create_user("writer", password="pw", is_staff=True)
    writer.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="newsroom", codename__in=["add_article", "view_section"]
        )
    )
    client.force_login(writer)
    form = client.get(reverse("admin:newsroom_article_add")).content.decode()
    assert 'name="body"' in form
    assert "data-picture-picker" not in form
