"""A story's address, and the old addresses that still lead to it.

A story lives at ``/<year>/<month>/<day>/<slug>/`` (the date is its publish date). When the
address of a story that has been public changes — a new slug, or a new publish date — the
old address is kept as a :class:`~masthead.importers.models.Redirect`, the same rows the
WordPress importer writes for old permalinks, so ``RedirectFallbackMiddleware`` answers it
with a 301 to wherever the story lives now (for as long as the story is live).

An address belongs to the story that lives there: when a story goes live at an address that
another story left behind, the stale redirect is deleted, so it can never send that story's
readers elsewhere. And a dated address whose slug now belongs to a different story still
leads to the story that used to live there (see :func:`moved_story_url`).
"""

from __future__ import annotations

from masthead.importers.models import Redirect

SOURCE = "newsroom"  # Redirect.source of the addresses recorded here
MAX_PATH = Redirect._meta.get_field("old_path").max_length


def _variants(path: str) -> list[str]:
    return [path, path[:-1] if path.endswith("/") else f"{path}/"]


def remember_old_address(article, old_path: str) -> bool:
    """Keep ``old_path`` leading to ``article`` (whose address just changed). Returns
    whether a redirect was recorded. The path was this story's, so an older redirect from it
    to another story is taken over."""
    if not old_path or old_path == article.get_absolute_url() or len(old_path) > MAX_PATH:
        return False
    Redirect.objects.update_or_create(
        old_path=old_path, defaults={"article": article, "source": SOURCE}
    )
    return True


def claim_address(article) -> None:
    """``article`` is live at its address: no redirect may lead away from it any longer."""
    Redirect.objects.filter(old_path__in=_variants(article.get_absolute_url())).delete()


def moved_story_url(path: str, *, not_article_id: int) -> str:
    """The address of the live story that used to live at ``path`` (a dated address whose
    slug another story has taken since), or "" if there is none."""
    redirect = (
        Redirect.objects.select_related("article")
        .filter(old_path__in=_variants(path))
        .exclude(article_id=not_article_id)
        .first()
    )
    if redirect is None or not redirect.article.is_live:
        return ""
    return redirect.article.get_absolute_url()
