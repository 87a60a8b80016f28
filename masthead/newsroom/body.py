"""A story's body as readers get it: pictures only from the site's own hosts.

A body may point at pictures elsewhere — a WordPress import keeps its old addresses, and an
editor can paste any address into the editor. A page must load nothing from other hosts,
so such a picture is shown as a link to it; the stored body is left as it was.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings

from masthead.core.conf import AppSettings
from masthead.core.html import pictures_from

app_settings = AppSettings("MASTHEAD_", {"BODY_IMAGE_HOSTS": []})


def own_hosts() -> frozenset[str]:
    """The site's host, the media storage's host (S3 or a CDN), and BODY_IMAGE_HOSTS."""
    hosts = {urlsplit(settings.SITE_URL).hostname}
    options = settings.STORAGES.get("default", {}).get("OPTIONS", {})
    if options.get("custom_domain"):
        hosts.add(urlsplit(f"//{options['custom_domain']}").hostname)
    if options.get("endpoint_url"):
        hosts.add(urlsplit(options["endpoint_url"]).hostname)
    for url in (settings.MEDIA_URL, settings.STATIC_URL):
        hosts.add(urlsplit(url).hostname)
    hosts.update(host.lower() for host in app_settings.BODY_IMAGE_HOSTS)
    return frozenset(host for host in hosts if host)


def body_for_readers(body: str) -> str:
    hosts = own_hosts()
    return pictures_from(body, hosts.__contains__)
