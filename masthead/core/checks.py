"""System checks for configuration that Django alone would not catch, or would catch late."""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


@register(Tags.compatibility)
def check_environment(app_configs, **kwargs):
    """Report values from the environment that settings.py could not understand."""
    return [
        Error(problem["msg"], hint=problem["hint"], id=problem["id"])
        for problem in getattr(settings, "MASTHEAD_CONFIG_ERRORS", [])
    ]


@register(Tags.files)
def check_media_root(app_configs, **kwargs):
    media_root = Path(settings.MEDIA_ROOT)
    probe = media_root if media_root.exists() else media_root.parent
    if probe.exists() and not os.access(probe, os.W_OK):
        return [
            Error(
                f"MEDIA_ROOT {media_root} is not writable, so image uploads would fail.",
                hint="Give the user running Masthead write access, or point MEDIA_ROOT elsewhere.",
                id="masthead.E007",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_site_url_host(app_configs, **kwargs):
    from urllib.parse import urlsplit

    host = urlsplit(settings.SITE_URL).hostname
    allowed = settings.ALLOWED_HOSTS
    if host and "*" not in allowed and host not in allowed and f".{host}" not in allowed:
        return [
            Warning(
                f"SITE_URL's host {host!r} is not in ALLOWED_HOSTS {allowed}.",
                hint="Add it to ALLOWED_HOSTS, or readers following your links get a 400.",
                id="masthead.W001",
            )
        ]
    return []


@register(Tags.security)
def check_trusted_proxies(app_configs, **kwargs):
    import ipaddress

    errors = []
    for item in getattr(settings, "TRUSTED_PROXIES", []):
        try:
            ipaddress.ip_network(item, strict=False)
        except ValueError:
            errors.append(
                Error(
                    f"TRUSTED_PROXIES entry {item!r} is not an IP address or network.",
                    hint="Use addresses or CIDR networks: TRUSTED_PROXIES=127.0.0.1,10.0.0.0/8",
                    id="masthead.E008",
                )
            )
    return errors


@register(Tags.compatibility)
def check_media_storage(app_configs, **kwargs):
    backend = settings.STORAGES.get("default", {}).get("BACKEND", "")
    if backend.startswith("storages."):
        import importlib.util

        if importlib.util.find_spec("storages") is None:
            return [
                Error(
                    "MEDIA_S3_BUCKET is set but django-storages is not installed.",
                    hint='Install the S3 extra: pip install "masthead[s3]" (it adds boto3).',
                    id="masthead.E009",
                )
            ]
    return []
