"""What a stored list holds: related stories first, never the wrong ones, pins and
exclusions, and fallbacks so that it is never shorter than asked."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from masthead.newsroom.models import Article
from masthead.newsroom.tests.factories import make_article
from masthead.related.conf import stored_length
from masthead.related.models import RelatedExclusion, RelatedLink, RelatedPin
from masthead.related.services import related_rebuild
from masthead.related.strategies import RelatedStrategy

from .fixtures import BEATS
from .stories import body_of, newsroom, section_for, sources, stored

pytestmark = pytest.mark.django_db
Status = Article.Status
Source = RelatedLink.Source
WORDS = [
    "harbour",
    "ferry",
    "council",
    "budget",
    "festival",
    "tide",
    "museum",
    "rail",
    "market",
    "school",
]


class NothingRelatedEnough(RelatedStrategy):
    min_score = 2.0  # scores never reach it: every list is made of fallbacks


class SectionOnly(NothingRelatedEnough):
    fallbacks = ("section",)


def beat(article: Article) -> str:
    return article.slug.split("-")[0]


def test_each_story_lists_its_own_beat_first_with_reasons():
    stories = newsroom()
    related_rebuild()
    by_id = {a.pk: a for a in stories.values()}
    for slug, article in stories.items():
        same_beat = len(BEATS[beat(article)]) - 1
        targets = stored(article)
        assert len(targets) == stored_length(), slug
        assert [beat(by_id[t]) for t in targets[:same_beat]] == [beat(article)] * same_beat
        first = RelatedLink.objects.get(article=article, rank=0)
        assert first.source == Source.AUTOMATIC
        assert first.score > 0.3
        assert first.shared_terms, slug


def test_never_itself_nor_a_draft_scheduled_or_archived_story():
    stories = newsroom(["diplomacy", "bushfires"])
    text = BEATS["diplomacy"][0][1]
    hidden = [
        make_article(headline="Geneva talks draft", body=body_of(text), status=Status.DRAFT),
        make_article(headline="Geneva talks later", body=body_of(text), status=Status.ARCHIVED),
        make_article(
            headline="Geneva talks tomorrow",
            body=body_of(text),
            status=Status.SCHEDULED,
            published_at=timezone.now() + timedelta(hours=2),
        ),
    ]
    related_rebuild()
    listed = set(RelatedLink.objects.values_list("target_id", flat=True))
    assert not listed & {a.pk for a in hidden}
    for article in stories.values():
        assert article.pk not in stored(article)
    assert not RelatedLink.objects.filter(article__in=hidden).exists()


def test_a_repost_of_the_same_text_is_never_shown_even_as_the_latest_story():
    stories = newsroom(["diplomacy", "bushfires"])
    original = stories["diplomacy-0"]
    repost = make_article(
        headline="Ministers gather for ceasefire talks",  # a new headline, the same text
        body=original.body,
        section=original.section,
        age=timedelta(minutes=5),  # the newest story of all
    )
    related_rebuild()
    assert repost.pk not in stored(original)
    assert original.pk not in stored(repost)
    shown = stored(stories["diplomacy-1"])  # others show the text, once
    assert (original.pk in shown) + (repost.pk in shown) == 1


def test_a_list_of_fallbacks_shows_one_copy_of_a_text(settings):
    settings.MASTHEAD_RELATED_STRATEGY = f"{__name__}.NothingRelatedEnough"
    stories = newsroom(["diplomacy", "bushfires", "football"])
    original = stories["bushfires-0"]
    copies = [
        make_article(headline=f"Copy {n}", body=original.body, age=timedelta(minutes=n))
        for n in (1, 2)
    ]  # the newest stories of all: first among the fallbacks
    related_rebuild()
    for article in stories.values():
        if article == original:
            continue
        shown = stored(article)
        assert len(shown) == stored_length()
        assert sum(pk in shown for pk in [original.pk, *(c.pk for c in copies)]) == 1


def test_stories_the_editor_excluded_are_never_shown():
    stories = newsroom(["diplomacy", "bushfires"])
    article, unwanted = stories["diplomacy-0"], stories["diplomacy-2"]
    RelatedExclusion.objects.create(article=article, target=unwanted)
    related_rebuild()
    assert unwanted.pk not in stored(article)
    assert len(stored(article)) == len(stories) - 2  # all the others, fallbacks included


def test_a_copy_of_an_excluded_story_is_not_excluded_with_it():
    stories = newsroom(["diplomacy", "bushfires"])
    article, excluded = stories["diplomacy-0"], stories["diplomacy-1"]
    copy = make_article(
        headline="Embassy row, as it stands",
        body=excluded.body,
        section=excluded.section,
        age=timedelta(days=30),
    )
    RelatedExclusion.objects.create(article=article, target=excluded)
    related_rebuild()
    shown = stored(article)
    assert excluded.pk not in shown
    assert copy.pk in shown  # what the list shows decides: the excluded story is not shown
    assert sources(article)[shown.index(copy.pk)] == Source.AUTOMATIC


def test_pins_come_first_in_their_order_and_only_once_live():
    stories = newsroom(["diplomacy", "football"])
    article = stories["diplomacy-0"]
    draft = make_article(headline="A draft about goals", status=Status.DRAFT)
    RelatedPin.objects.create(article=article, target=stories["football-1"], position=2)
    RelatedPin.objects.create(article=article, target=stories["football-0"], position=1)
    RelatedPin.objects.create(article=article, target=draft, position=0)
    related_rebuild()
    targets = stored(article)
    assert targets[:2] == [stories["football-0"].pk, stories["football-1"].pk]
    assert sources(article)[:3] == [Source.PINNED, Source.PINNED, Source.AUTOMATIC]
    assert draft.pk not in targets
    assert targets.count(stories["football-0"].pk) == 1


def test_nothing_related_enough_falls_back_to_the_section_then_the_latest(settings):
    settings.MASTHEAD_RELATED_STRATEGY = f"{__name__}.NothingRelatedEnough"
    stories = newsroom(["diplomacy", "bushfires", "appstores"])
    related_rebuild()
    article = stories["diplomacy-1"]
    section_newest_first = [stories[f"diplomacy-{n}"].pk for n in (0, 2, 3)]
    others_newest_first = [
        a.pk
        for a in sorted(stories.values(), key=lambda a: a.published_at, reverse=True)
        if beat(a) != "diplomacy"
    ]
    assert stored(article) == (section_newest_first + others_newest_first)[: stored_length()]
    assert sources(article) == [Source.SECTION] * 3 + [Source.LATEST] * (stored_length() - 3)


@pytest.mark.parametrize("extra", [0, 1, 2])
def test_never_fewer_than_asked_when_stories_exist(settings, extra):
    settings.MASTHEAD_RELATED_STRATEGY = f"{__name__}.NothingRelatedEnough"
    wanted = stored_length()
    others = [
        make_article(section=section_for(f"s{i % 3}"), body=f"<p>{WORDS[i]} story.</p>")
        for i in range(wanted - 1 + extra)
    ]
    article = make_article(section=section_for("s0"), body="<p>Quite another story.</p>")
    related_rebuild()
    assert len(stored(article)) == min(wanted, len(others))


def test_without_a_latest_fallback_the_list_may_stay_short(settings):
    settings.MASTHEAD_RELATED_STRATEGY = f"{__name__}.SectionOnly"
    stories = newsroom(["diplomacy", "bushfires"])
    related_rebuild()
    assert sources(stories["diplomacy-0"]) == [Source.SECTION] * 3


def test_among_equally_related_stories_the_newer_one_comes_first():
    stories = newsroom(["diplomacy", "bushfires"])
    query = stories["diplomacy-0"]
    text = body_of(
        "Diplomats at the United Nations in Geneva said the ceasefire treaty needs more "
        "talks. Foreign ministers will meet the envoy again next month"
    )
    old = make_article(headline="Talks go on", body=text, age=timedelta(days=900))
    new = make_article(headline="Talks go on", body=text, age=timedelta(days=30))
    related_rebuild()
    targets = stored(query)
    # Equally related (the same text): the newer one ranks first, so it is the copy shown.
    assert new.pk in targets
    assert old.pk not in targets


def test_fallbacks_go_past_the_newest_stories_read_first_when_those_are_excluded(settings):
    """A batch reads the newest stories once; a list that excludes all of them still fills
    up from the older ones, in order."""
    settings.MASTHEAD_RELATED_STRATEGY = f"{__name__}.SectionOnly"
    wanted = stored_length()
    section = section_for("s0")
    article = make_article(
        section=section, body="<p>Quite another story.</p>", age=timedelta(days=30)
    )
    newest_first = [
        make_article(
            section=section, body=f"<p>{WORDS[i % 10]} story {i}.</p>", age=timedelta(hours=i)
        )
        for i in range(5 * wanted)
    ]
    excluded = newest_first[: 4 * wanted + 1]
    RelatedExclusion.objects.bulk_create(
        RelatedExclusion(article=article, target=target) for target in excluded
    )
    related_rebuild()
    assert stored(article) == [a.pk for a in newest_first[4 * wanted + 1 :]][:wanted]
    assert len(stored(article)) == min(wanted, 5 * wanted - len(excluded))
    other = newest_first[-1]  # a list in the same batch, not excluding them, reads the first
    assert stored(other) == [a.pk for a in newest_first[:wanted]]


TEMPLATE = (
    "The {word} committee in {town} approved the plan on Monday after months of "
    "consultation with residents. Officials said work would start in the spring, and "
    "local people welcomed the news despite concerns about cost and traffic."
)
TOWNS = ["Leeds", "York", "Bath", "Derby", "Hull", "Exeter", "Truro", "Ely"]


def test_a_site_of_one_template_rebuilds_and_each_list_shows_that_text_once():
    """An import of generated stories: 300 of one template with two words changed, all
    re-posts of one another, older than the newsroom's own. The rebuild finishes; no list
    shows a re-post of its story nor two copies of the template; the template's stories
    list the other texts, and the others list those and one copy of the template."""
    stories = newsroom(["diplomacy", "bushfires"])
    imports = section_for("imports")
    template = {
        make_article(
            headline=f"{TOWNS[i % 8]} plan approved",
            body=body_of(TEMPLATE.format(word=WORDS[i % 10], town=TOWNS[i % 8])),
            section=imports,
            age=timedelta(days=10, minutes=i),
        ).pk
        for i in range(300)
    }
    others = {a.pk for a in stories.values()}
    related_rebuild()
    lists = {pk: [] for pk in others | template}
    for article_id, target_id in RelatedLink.objects.values_list("article_id", "target_id"):
        lists[article_id].append(target_id)
    for pk in template:
        assert set(lists[pk]) <= others
        assert len(lists[pk]) == min(stored_length(), len(others))
    for pk in others:
        assert len(lists[pk]) == stored_length()
        assert len(set(lists[pk]) & template) == 1


@pytest.mark.parametrize("copies", [3, 4])
def test_a_fallback_passes_over_at_most_copies_passed_reposts(settings, monkeypatch, copies):
    """A list passes over re-posts of its story on the way to a different one, but no more
    than COPIES_PASSED of them: past that it stays short (one list must not read the site)."""
    from masthead.related import lists

    monkeypatch.setattr(lists, "COPIES_PASSED", 4)
    settings.MASTHEAD_RELATED_STRATEGY = f"{__name__}.SectionOnly"
    section = section_for("s0")
    text = body_of(TEMPLATE.format(word="harbour", town="Leeds"))
    article = make_article(section=section, body=text, age=timedelta(days=30))
    for n in range(copies):
        make_article(section=section, body=text, age=timedelta(hours=n + 1))
    different = make_article(
        section=section, body="<p>Quite another story.</p>", age=timedelta(days=2)
    )
    related_rebuild()
    assert stored(article) == ([different.pk] if copies < 4 else [])


def _record_purges(monkeypatch) -> list:
    from masthead.related import lists

    purged = []
    monkeypatch.setattr(lists, "purge_everything", lambda: purged.append("everything"))
    monkeypatch.setattr(lists, "purge", lambda *groups: purged.append(set(groups)))
    return purged


def test_a_rebuild_purges_the_pages_whose_lists_changed_once_at_its_end(monkeypatch):
    from masthead.related import lists, services

    stories = newsroom(["diplomacy", "bushfires"])
    monkeypatch.setattr(services, "STORE_BATCH", 3)  # several batches, one purge
    purged = _record_purges(monkeypatch)
    related_rebuild()
    assert purged == [{f"article:{a.slug}" for a in stories.values()}]
    purged.clear()
    related_rebuild()  # nothing changed
    assert purged == []
    RelatedLink.objects.filter(article=stories["diplomacy-0"]).delete()
    monkeypatch.setattr(lists, "PURGE_ALL_ABOVE", 0)  # many pages: the whole cache at once
    related_rebuild()
    assert purged == ["everything"]


def test_a_rebuild_that_fails_half_way_purges_the_pages_it_stored(monkeypatch):
    from masthead.related import lists, services

    stories = newsroom(["diplomacy", "bushfires"])
    monkeypatch.setattr(services, "STORE_BATCH", 4)
    compose = lists.compose
    calls = []

    def failing(index, strategy, batch):
        calls.append(batch)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return compose(index, strategy, batch)

    monkeypatch.setattr(lists, "compose", failing)
    purged = _record_purges(monkeypatch)
    with pytest.raises(RuntimeError):
        related_rebuild()
    first = Article.objects.filter(pk__in=calls[0])
    assert purged == [{f"article:{a.slug}" for a in first}]
    assert len(stories) > 4
