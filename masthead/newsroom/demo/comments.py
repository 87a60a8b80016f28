"""A few reader conversations for the demo site, written for it. Addresses are example.org."""

from __future__ import annotations

from datetime import datetime, timedelta

# article slug → threads; each comment is (name, text, minutes after publication, replies)
CONVERSATIONS: dict[str, list[tuple]] = {
    "harbour-flood-barrier-approved": [
        (
            "Maureen A.",
            "Twice flooded on Cooper's Row. I will believe it when the gates are in the water, "
            "but this is the first time in eleven years I have felt anyone was listening.",
            95,
            [
                (
                    "Tom Brightwater",
                    "Same street, same feeling. The four-year build worries me more than the "
                    "levy: the promenade closures will hurt the cafés first.",
                    140,
                    [],
                ),
                (
                    "Maureen A.",
                    "Fair point, Tom. The exhibition at the Customs House is meant to show the "
                    "closure timetable. Worth going along and asking.",
                    180,
                    [],
                ),
            ],
        ),
        (
            "J. Okonjo",
            "Would be good to see the modelling the university did. Does anyone know if it is "
            "published in full or only the summary?",
            220,
            [
                (
                    "Priya S.",
                    "The full report is linked from the council's climate page. The overtopping "
                    "estimates are in chapter four.",
                    260,
                    [],
                )
            ],
        ),
    ],
    "calder-athletic-promoted": [
        (
            "Gully End regular",
            "Forty years of watching this club and I have never heard the ground that loud. "
            "Brennan deserves a statue, or at least a free pie for life.",
            30,
            [("Kit", "A pie is more realistic than a statue on our budget.", 55, [])],
        ),
    ],
    "tree-lined-streets-cooler-heatwave": [
        (
            "Lena Hartigan",
            "Our street has two trees and a lot of tarmac. Is there a way for residents to ask "
            "the council for planting?",
            300,
            [],
        ),
    ],
}


def add_demo_comments(articles: dict[str, object], now: datetime) -> int:
    """Add the conversations to stories that have no comments yet. Returns how many."""
    from django.utils.text import slugify

    from masthead.discussion.models import Comment

    created = 0

    def add(article, parent, thread) -> None:
        nonlocal created
        name, text, minutes, replies = thread
        when = min(article.published_at + timedelta(minutes=minutes), now)
        email = f"{slugify(name)}@example.org"
        comment = Comment.objects.create(
            article=article,
            parent=parent,
            author_name=name,
            author_email=email,
            body=text,
            status=Comment.Status.APPROVED,
            created_at=when,
        )
        created += 1
        for reply in replies:
            add(article, comment, reply)

    for slug, threads in CONVERSATIONS.items():
        article = articles.get(slug)
        if article is None or article.comments.exists():
            continue
        for thread in threads:
            add(article, None, thread)
    return created
