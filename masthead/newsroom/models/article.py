import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django_prose_editor.fields import ProseEditorField

from masthead.core.html import count_images, html_to_text, sanitize_body
from masthead.core.models import TimestampedModel
from masthead.core.reversing import reverse
from masthead.newsroom.reading_time import measure_text, reading_minutes

BODY_EDITOR_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Underline": True,
    "Strike": True,
    "Subscript": True,
    "Superscript": True,
    "Heading": {"levels": [2, 3, 4]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HorizontalRule": True,
    "HardBreak": True,
    "Link": {"enableTarget": False},
    "Table": True,
    "TableRow": True,
    "TableHeader": True,
    "TableCell": True,
    "Figure": True,
    "Caption": True,
    "Image": True,
    "History": True,
    "NoSpellCheck": False,  # django-prose-editor turns the browser's spell check off by default
}


DESCRIPTION_CHARS = 200  # of a story's opening text, when it has no standfirst


def summary(text: str, limit: int) -> str:
    """``text`` on one line, whole if it fits in ``limit`` characters, else cut after its
    last whole word that fits, with "…"."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1]
    if flat[limit - 1] != " " and " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.–—-") + "…"


def prefetch_bylines(articles) -> None:
    """One query for the bylines, with their authors, of every story in ``articles``; each
    story's ``byline_authors()`` then reads them without a query.

    ``prefetch_related`` would do the same but builds a queryset for each story, which on a
    home page of forty cards cost more than the query itself.
    """
    stories = [article for article in articles if article is not None]
    if not stories:
        return
    found: dict[int, list[Byline]] = {article.pk: [] for article in stories}
    bylines = Byline.objects.select_related("author").filter(article_id__in=list(found))
    for byline in bylines:
        found[byline.article_id].append(byline)
    for article in stories:
        article.__dict__[_CARD_BYLINES] = found[article.pk]


_CARD_BYLINES = "_card_bylines"


def new_preview_key() -> str:
    return secrets.token_urlsafe(12)


class ArticleQuerySet(models.QuerySet):
    def live(self, *, now=None) -> "ArticleQuerySet":
        """Stories a reader may see: published, with a publish time that has come."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=now or timezone.now())

    def for_cards(self) -> "ArticleQuerySet":
        """What a story card shows, without the body text a card never shows. Bylines are
        fetched separately, for many cards at once, with :func:`prefetch_bylines`."""
        from masthead.discussion.selectors import comment_count_annotation

        return (
            self.select_related("section", "featured_image")
            .defer("body", "body_text")
            .annotate(comment_count=comment_count_annotation())
        )

    def newest_first(self) -> "ArticleQuerySet":
        return self.order_by("-published_at", "-id")


class Article(TimestampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PENDING = "pending", "Pending review"  # a contributor's story, ready for an editor
        SCHEDULED = "scheduled", "Scheduled"
        PUBLISHED = "published", "Published"
        ARCHIVED = "archived", "Archived"

    headline = models.CharField(max_length=255)
    slug = models.SlugField(
        max_length=200,
        unique=True,
        help_text="The last part of the story's address. Keep it short; it must be unique.",
        error_messages={"unique": "Another story already uses this slug. Choose a different one."},
    )
    standfirst = models.TextField(
        blank=True, max_length=600, help_text="One or two sentences under the headline."
    )
    body = ProseEditorField(extensions=BODY_EDITOR_EXTENSIONS, sanitize=sanitize_body, blank=True)
    section = models.ForeignKey(
        "newsroom.Section", on_delete=models.PROTECT, related_name="articles"
    )
    tags = models.ManyToManyField("newsroom.Tag", blank=True, related_name="articles")
    authors = models.ManyToManyField(
        "newsroom.Author", through="newsroom.Byline", blank=True, related_name="articles"
    )
    featured_image = models.ForeignKey(
        "newsroom.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    featured_caption = models.CharField(
        max_length=500, blank=True, help_text="Leave empty to use the image's own caption."
    )

    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    published_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the story goes (or went) live. For a scheduled story, a future time.",
    )
    updated_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Shown to readers as “Updated”. Set automatically when a live story changes.",
    )
    pinned = models.BooleanField(
        default=False, help_text="Pinned stories lead the home page, newest first."
    )

    canonical_url = models.URLField(
        blank=True, help_text="Only if this story first appeared elsewhere."
    )
    seo_title = models.CharField(max_length=120, blank=True)
    seo_description = models.CharField(max_length=300, blank=True)
    comments_open = models.BooleanField(default=True)
    # Part of every preview link: a new key revokes the links given out so far.
    preview_key = models.CharField(max_length=24, default=new_preview_key, editable=False)

    # Derived from the body on every save; stored so that pages never recompute them.
    body_text = models.TextField(blank=True, editable=False)
    word_count = models.PositiveIntegerField(default=0, editable=False)
    reading_minutes = models.PositiveSmallIntegerField(default=1, editable=False)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        # "Stories", as the newsroom says (and as every message and help text here does).
        verbose_name = "story"
        verbose_name_plural = "stories"
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="article_live_idx"),
            models.Index(fields=["section", "status", "-published_at"], name="article_section_idx"),
            models.Index(
                fields=["-published_at"], condition=models.Q(pinned=True), name="article_pinned_idx"
            ),
        ]
        permissions = [
            ("publish_article", "Can publish own articles"),
            ("publish_any_article", "Can publish and edit any article"),
        ]

    def __str__(self) -> str:
        return self.headline

    def save(self, *args, **kwargs):
        self.body = sanitize_body(self.body)
        self.body_text = html_to_text(self.body)
        self.word_count, self.reading_minutes = self.reading_counts()
        if "update_fields" in kwargs and kwargs["update_fields"] is not None:
            derived = {"body", "body_text", "word_count", "reading_minutes"}
            kwargs["update_fields"] = set(kwargs["update_fields"]) | derived
        super().save(*args, **kwargs)

    def reading_counts(self) -> tuple[int, int]:
        """Word count and "N Min Read" of the body as stored (pictures add time too)."""
        images = count_images(self.body) + (1 if self.featured_image_id else 0)
        words = measure_text(self.body_text).word_equivalents
        return words, reading_minutes(self.body_text, images=images)

    def get_absolute_url(self) -> str:
        # A page links to a story many times (meta tags, share links, related blocks):
        # the address is worked out once per slug and date, not on every call.
        key = (self.slug, self.published_at or self.created_at)
        known = self.__dict__.get("_url")
        if known is not None and known[0] == key:
            return known[1]
        when = timezone.localtime(key[1] or timezone.now())
        url = reverse(
            "newsroom:article",
            kwargs={"year": when.year, "month": f"{when.month:02d}", "day": f"{when.day:02d}",
                    "slug": self.slug},
        )  # fmt: skip
        self.__dict__["_url"] = (key, url)
        return url

    @property
    def is_live(self) -> bool:
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def is_public_soon(self) -> bool:
        """Published, or scheduled to be."""
        return self.status in (self.Status.PUBLISHED, self.Status.SCHEDULED)

    @property
    def shown_updated_at(self):
        """The "Updated" time readers see: only one after publication (an edit made before a
        story went live, or a story published again later, is no update to its readers)."""
        if self.updated_at is None or self.published_at is None:
            return self.updated_at
        return self.updated_at if self.updated_at > self.published_at else None

    @property
    def caption(self) -> str:
        if self.featured_caption:
            return self.featured_caption
        return self.featured_image.caption if self.featured_image else ""

    @property
    def description(self) -> str:
        """What search engines and share cards show."""
        if self.seo_description:
            return self.seo_description
        if self.standfirst:
            return self.standfirst
        return summary(self.body_text, DESCRIPTION_CHARS)

    def byline_authors(self) -> list:
        """Authors in byline order (read by :func:`prefetch_bylines`, or from a prefetch of
        ``bylines``, when there is one)."""
        bylines = self.__dict__.get(_CARD_BYLINES)
        if bylines is None:
            bylines = self.bylines.all()
        return [byline.author for byline in bylines]


class Byline(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="bylines")
    author = models.ForeignKey("newsroom.Author", on_delete=models.PROTECT, related_name="bylines")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["article", "author"], name="byline_unique_author")
        ]

    def __str__(self) -> str:
        return f"{self.author} on {self.article}"


class ArticleNote(models.Model):
    """A correction or update shown with the story, with its date."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", "Correction"
        UPDATE = "update", "Update"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="notes")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.CORRECTION)
    text = models.TextField()
    noted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["noted_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {summary(self.text, 60)}"  # whole words, "…"
