"""The reader's real address, trusted from X-Forwarded-For only behind configured proxies."""

from __future__ import annotations

import ipaddress

from django.conf import settings


def _networks() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    networks = []
    for item in getattr(settings, "TRUSTED_PROXIES", []):
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            continue  # reported by the system check masthead.E008
    return networks


def _trusted(address: str, networks) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_address(meta: dict) -> str:
    """Walk X-Forwarded-For from the right, skipping our own proxies; the first other hop wins."""
    remote = meta.get("REMOTE_ADDR", "") or ""
    networks = _networks()
    if not networks or not _trusted(remote, networks):
        return remote
    hops = [hop.strip() for hop in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _trusted(hop, networks):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return remote
    return hops[0] if hops else remote


class ClientAddressMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.client_ip = client_address(request.META)
        return self.get_response(request)


class MethodNotAllowedPageMiddleware:
    """Gives Django's bodiless 405 (``require_http_methods``) a short page saying what to do:
    a reader's browser shows a blank page for it. The ``Allow`` header is kept."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 405 or request.method == "HEAD":
            return response
        if getattr(response, "streaming", False) or response.content:
            return response
        from django.shortcuts import render

        page = render(request, "405.html", status=405)
        page["Allow"] = response.get("Allow", "")
        page["Cache-Control"] = "private, no-store"
        return page
