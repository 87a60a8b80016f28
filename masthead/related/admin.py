"""Editors' side of related stories, shown on the article's change page: pins,
exclusions, and why each stored link was chosen."""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from masthead.related.models import RelatedExclusion, RelatedLink, RelatedPin


class RelatedPinInline(admin.TabularInline):
    model = RelatedPin
    fk_name = "article"
    extra = 0
    autocomplete_fields = ["target"]
    fields = ["target", "position"]
    verbose_name = "pinned related story"
    verbose_name_plural = (
        "Related stories: always show (first, in this order, once they are published)"
    )


class ExclusionFormSet(BaseInlineFormSet):
    """Refuses a story that the same page also pins: the editor means one or the other."""

    pin_prefix = "related_pins"

    def _pinned(self) -> set[str]:
        data, prefix = self.data, self.pin_prefix
        try:
            total = int(data.get(f"{prefix}-TOTAL_FORMS", 0))
        except ValueError:
            return set()
        return {
            str(data.get(f"{prefix}-{i}-target"))
            for i in range(total)
            if data.get(f"{prefix}-{i}-target") and not data.get(f"{prefix}-{i}-DELETE")
        }

    def clean(self) -> None:
        super().clean()
        pinned = self._pinned()
        for form in self.forms:
            target = form.cleaned_data.get("target") if hasattr(form, "cleaned_data") else None
            if target is None or form.cleaned_data.get("DELETE"):
                continue
            if str(target.pk) in pinned:
                raise ValidationError(
                    f"“{target.headline}” is both pinned and excluded: keep one of the two."
                )


class RelatedExclusionInline(admin.TabularInline):
    model = RelatedExclusion
    formset = ExclusionFormSet
    fk_name = "article"
    extra = 0
    autocomplete_fields = ["target"]
    fields = ["target"]
    verbose_name = "excluded related story"
    verbose_name_plural = "Related stories: never show"


def _score(link: RelatedLink) -> str:
    return "—" if link.score is None else f"{link.score:.3f}"


def explain(article) -> str:
    """The stored list as an editor reads it: each story, why it is there, its score."""
    if article.pk is None:
        return "Save and publish the story to see its related stories."
    links = (
        RelatedLink.objects.filter(article=article)
        .select_related("target")
        .only("rank", "source", "score", "shared_terms", "target__headline")
    )
    if not links:
        return (
            "None stored yet: related stories are chosen in the background when the story "
            "is published, and again whenever it or its pins and exclusions change."
        )
    rows = format_html_join(
        "",
        "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
        (
            (
                link.rank + 1,
                _target(link),
                link.get_source_display(),
                _score(link),
                ", ".join(link.shared_terms) or "—",
            )
            for link in links
        ),
    )
    return format_html(
        '<table class="related-explained"><thead><tr><th scope="col">#</th>'
        '<th scope="col">Story</th><th scope="col">Why</th><th scope="col">Score</th>'
        '<th scope="col">Shared terms, names, tags</th></tr></thead><tbody>{}</tbody></table>'
        '<p class="help">Readers see the first ones (inline links, then the block); the '
        "rest stand in if one is withdrawn. Pin or exclude stories below to change it.</p>",
        rows,
    )


def _target(link: RelatedLink) -> str:
    if link.target is None:
        return "(deleted story)"
    url = reverse("admin:newsroom_article_change", args=[link.target_id])
    return format_html('<a href="{}">{}</a>', url, link.target.headline)
