"""Addresses from text in any script: transliterated to ASCII, then Django's slugify.

"Москва: новый мост" gives ``moskva-novyy-most``, "Αθήνα" ``athina`` and "北京" ``beijing``
(anyascii's readings), so a story or an imported post never ends up without an address
because its headline has no Latin letters.
"""

from __future__ import annotations

import unicodedata

from anyascii import anyascii
from django.utils.text import slugify


def ascii_slug(text: str, max_length: int = 200) -> str:
    """``text`` as a slug of at most ``max_length`` characters; empty if it has no letters
    or digits in any script. Pictographs (emoji, dingbats) are left out: anyascii would
    spell them ("🔥" as "fire")."""
    words = "".join(c for c in (text or "") if unicodedata.category(c) != "So")
    return slugify(anyascii(words))[:max_length].strip("-_")
