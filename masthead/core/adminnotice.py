"""Lines at the top of an admin page, styled as the admin's own messages."""

from __future__ import annotations

from django.utils.html import format_html
from django.utils.safestring import SafeString


def admin_notice(template: str, *args, level: str = "info") -> SafeString:
    """``template`` (trusted, with ``{}`` for each of ``args``, which are escaped) as one
    admin message of ``level`` ("info", "warning"...)."""
    return format_html(
        '<ul class="messagelist"><li class="{}">' + template + "</li></ul>", level, *args
    )
