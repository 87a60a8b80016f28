"""Share links: plain links to each network's own share page. No third-party script runs.

A share target is a declarative class, like a syndication ``Feed``: set ``name`` and
``url_template`` (or override ``get_url``); register it in ``SHARE_TARGETS`` order.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlencode

from django.conf import settings


@dataclass(frozen=True)
class ShareLink:
    key: str
    name: str
    url: str
    label: str


class ShareTarget:
    key: str = ""
    name: str = ""
    url_template: str = ""

    def get_url(self, *, url: str, title: str) -> str:
        return self.url_template.format(url=quote(url, safe=""), title=quote(title, safe=""))

    def get_label(self, *, title: str) -> str:
        return f"Share on {self.name}"

    def link(self, *, url: str, title: str) -> ShareLink:
        return ShareLink(
            key=self.key,
            name=self.name,
            url=self.get_url(url=url, title=title),
            label=self.get_label(title=title),
        )


class X(ShareTarget):
    key, name = "x", "X"
    url_template = "https://x.com/intent/post?url={url}&text={title}"


class Facebook(ShareTarget):
    key, name = "facebook", "Facebook"
    url_template = "https://www.facebook.com/sharer/sharer.php?u={url}"


class LinkedIn(ShareTarget):
    key, name = "linkedin", "LinkedIn"
    url_template = "https://www.linkedin.com/sharing/share-offsite/?url={url}"


class Reddit(ShareTarget):
    key, name = "reddit", "Reddit"
    url_template = "https://www.reddit.com/submit?url={url}&title={title}"


class WhatsApp(ShareTarget):
    key, name = "whatsapp", "WhatsApp"

    def get_url(self, *, url: str, title: str) -> str:
        return "https://wa.me/?" + urlencode({"text": f"{title} {url}"}, quote_via=quote)


class Telegram(ShareTarget):
    key, name = "telegram", "Telegram"
    url_template = "https://t.me/share/url?url={url}&text={title}"


class Email(ShareTarget):
    key, name = "email", "Email"

    def get_url(self, *, url: str, title: str) -> str:
        return "mailto:?" + urlencode(
            {"subject": title, "body": f"{title}\n\n{url}"}, quote_via=quote
        )

    def get_label(self, *, title: str) -> str:
        return "Share by email"


DEFAULT_TARGETS = (X, Facebook, LinkedIn, Reddit, WhatsApp, Telegram, Email)


def share_links(*, url: str, title: str) -> list[ShareLink]:
    targets = getattr(settings, "MASTHEAD_SHARE_TARGETS", None) or DEFAULT_TARGETS
    return [target().link(url=url, title=title) for target in targets]
