"""Small builders for tests across the project: real rows in the real test database."""

from __future__ import annotations

import io
import itertools
import re
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image as PILImage

from masthead.newsroom.images import image_create
from masthead.newsroom.models import Article, Author, Byline, Image, Section, Tag

_seq = itertools.count(1)
_CARD_LINK = re.compile(r'class="card__headline"><a href="([^"]+)"')


def user_in(role: str, username: str | None = None):
    """A staff user in one of the newsroom's roles (Contributor, Author, Editor...), with the
    password "pw"."""
    from django.contrib.auth.models import Group, User

    user = User.objects.create_user(username or role.lower(), password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    return User.objects.get(pk=user.pk)  # fresh permission cache


def login(client, role: str, username: str | None = None):
    """Sign ``client`` in as a new :func:`user_in` ``role``; returns the user."""
    user = user_in(role, username)
    client.force_login(user)
    return user


def png_bytes(width: int = 1600, height: int = 900, color=(40, 90, 140)) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), color).save(buffer, "PNG")
    return buffer.getvalue()


def make_image(*, width: int = 1600, height: int = 900, alt_text: str = "A test picture") -> Image:
    upload = SimpleUploadedFile("picture.png", png_bytes(width, height), content_type="image/png")
    return image_create(file=upload, alt_text=alt_text, caption="A caption", credit="Test Credit")


def make_section(name: str | None = None, **fields) -> Section:
    n = next(_seq)
    name = name or f"Section {n}"
    fields.setdefault("slug", f"section-{n}")
    return Section.objects.create(name=name, **fields)


def make_tag(name: str | None = None) -> Tag:
    n = next(_seq)
    return Tag.objects.create(name=name or f"Tag {n}", slug=f"tag-{n}")


def make_author(name: str | None = None, **fields) -> Author:
    n = next(_seq)
    fields.setdefault("slug", f"author-{n}")
    return Author.objects.create(name=name or f"Author {n}", **fields)


def make_article(
    *,
    headline: str | None = None,
    body: str = "<p>Some words of a story.</p>",
    section: Section | None = None,
    authors: list[Author] | tuple = (),
    tags: list[Tag] | tuple = (),
    status: str = Article.Status.PUBLISHED,
    published_at=None,
    age: timedelta = timedelta(hours=1),
    **fields,
) -> Article:
    n = next(_seq)
    if published_at is None and status in (Article.Status.PUBLISHED, Article.Status.ARCHIVED):
        published_at = timezone.now() - age
    article = Article(
        headline=headline or f"Story number {n}",
        slug=fields.pop("slug", f"story-{n}"),
        body=body,
        section=section or make_section(),
        status=status,
        published_at=published_at,
        **fields,
    )
    article.save()
    for position, author in enumerate(authors):
        Byline.objects.create(article=article, author=author, position=position)
    if tags:
        article.tags.set(tags)
    return article


def card_links(response) -> list[str]:
    """The addresses of the story cards on a rendered page, in order."""
    return _CARD_LINK.findall(response.content.decode())
