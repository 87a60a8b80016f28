"""Load the demo site: sections, authors, tags, ~20 stories with drawn pictures, an editor.

Idempotent: rows are found by slug, and an existing story is never touched, so running it
twice changes nothing (and never overwrites what an editor changed).
"""

from __future__ import annotations

import io
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from masthead.newsroom import services
from masthead.newsroom.demo import artwork, load_content
from masthead.newsroom.demo.comments import add_demo_comments
from masthead.newsroom.images import image_create
from masthead.newsroom.models import Article, ArticleNote, Author, Byline, Section, Tag

EDITOR_USERNAME = "editor"


@dataclass
class DemoReport:
    created: dict[str, int] = field(default_factory=dict)
    editor_password: str | None = None
    login_file: Path | None = None

    def add(self, kind: str) -> None:
        self.created[kind] = self.created.get(kind, 0) + 1

    def describe(self) -> list[str]:
        """ "3 sections", "1 scheduled story", …"""
        words = {
            "sections": ("section", "sections"),
            "authors": ("author", "authors"),
            "tags": ("tag", "tags"),
            "stories": ("story", "stories"),
            "scheduled stories": ("scheduled story", "scheduled stories"),
            "editor account": ("editor account", "editor accounts"),
            "comments": ("comment", "comments"),
        }
        return [f"{count} {words[kind][count != 1]}" for kind, count in self.created.items()]


def _when(days_ago: int, hour: int, now: datetime) -> datetime:
    local = timezone.localtime(now)
    day = local - timedelta(days=days_ago)
    when = day.replace(hour=hour, minute=15 + (hour * 7) % 40, second=0, microsecond=0)
    if days_ago == 0 and when > now:
        when = now - timedelta(minutes=30)
    return when


def _noted(days_ago: int, published: datetime, now: datetime) -> datetime:
    """When a story's note was written: in the afternoon ``days_ago`` days back, and never
    before the story was published (a note the same day comes two hours after it)."""
    noted = max(_when(days_ago, 15, now), published + timedelta(hours=2))
    return min(noted, now) if published < now else noted


def _picture(spec: dict, slug: str):
    drawing = artwork.draw(motif=spec["motif"], palette=spec["palette"], seed=spec["seed"])
    buffer = io.BytesIO()
    drawing.convert("RGB").save(buffer, "JPEG", quality=85, optimize=True)
    upload = SimpleUploadedFile(f"{slug}.jpg", buffer.getvalue(), content_type="image/jpeg")
    return image_create(
        file=upload,
        alt_text=spec["alt"],
        caption=spec.get("caption", ""),
        credit=spec.get("credit", ""),
    )


EDITOR_EMAIL = "editor@example.org"  # the console shows what would be sent


def _editor(report: DemoReport) -> None:
    login_file = Path(settings.VAR_DIR) / "editor-login.txt"
    report.login_file = login_file
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=EDITOR_USERNAME,
        defaults={"is_staff": True, "first_name": "Demo", "last_name": "Editor"},
    )
    if not user.email:  # held comments and stories sent for review are emailed to editors
        user.email = EDITOR_EMAIL
        user.save(update_fields=["email"])
    if created or not login_file.exists():
        password = secrets.token_urlsafe(12)
        user.set_password(password)
        user.is_staff = True
        user.save()
        login_file.parent.mkdir(parents=True, exist_ok=True)
        login_file.write_text(f"{EDITOR_USERNAME}\n{password}\n")
        login_file.chmod(0o600)
        report.add("editor account")
    user.groups.add(Group.objects.get(name="Editor"))
    report.editor_password = login_file.read_text().split("\n")[1]


@transaction.atomic
def load_demo(*, now: datetime | None = None, with_editor: bool = True) -> DemoReport:
    now = now or timezone.now()
    content = load_content()
    report = DemoReport()
    created_now: list[str] = []

    sections = {}
    for item in content["sections"]:
        sections[item["slug"]], created = Section.objects.get_or_create(
            slug=item["slug"],
            defaults={k: item[k] for k in ("name", "description", "position") if k in item},
        )
        if created:
            report.add("sections")
    authors = {}
    for item in content["authors"]:
        authors[item["slug"]], created = Author.objects.get_or_create(
            slug=item["slug"], defaults={"name": item["name"], "bio": item.get("bio", "")}
        )
        if created:
            report.add("authors")
    tags = {}
    for item in content["tags"]:
        tags[item["slug"]], created = Tag.objects.get_or_create(
            slug=item["slug"], defaults={"name": item["name"]}
        )
        if created:
            report.add("tags")

    for item in content["articles"]:
        if Article.objects.filter(slug=item["slug"]).exists():
            continue
        created_now.append(item["slug"])
        scheduled = item.get("status") == "scheduled"
        article = Article(
            headline=item["headline"],
            slug=item["slug"],
            standfirst=item.get("standfirst", ""),
            body=item["body_html"],
            section=sections[item["section"]],
            pinned=item.get("pinned", False),
            status=Article.Status.SCHEDULED if scheduled else Article.Status.PUBLISHED,
            published_at=_when(item["published_days_ago"], item.get("published_hour", 9), now),
        )
        if item.get("image"):
            article.featured_image = _picture(item["image"], item["slug"])
        services.article_save(article=article, check_permissions=False)
        for position, slug in enumerate(item.get("authors", [])):
            Byline.objects.create(article=article, author=authors[slug], position=position)
        article.tags.set([tags[slug] for slug in item.get("tags", [])])
        for note in item.get("notes", []):
            noted = _noted(note.get("days_ago", 0), article.published_at, now)
            ArticleNote.objects.create(
                article=article, kind=note["kind"], text=note["text"], noted_at=noted
            )
            if note["kind"] == ArticleNote.Kind.UPDATE:
                Article.objects.filter(pk=article.pk).update(updated_at=noted)
        report.add("scheduled stories" if scheduled else "stories")
    fresh = {a.slug: a for a in Article.objects.filter(slug__in=created_now)}
    for _ in range(add_demo_comments(fresh, now)):
        report.add("comments")
    if with_editor:
        _editor(report)
    return report
