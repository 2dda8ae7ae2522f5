"""Extract the main text and metadata of an HTML page with trafilatura."""

from __future__ import annotations

from typing import Any


def extract_html(data: bytes | str, url: str | None = None) -> tuple[str, dict[str, Any]] | str:
    """Return ``(text, metadata)`` for an article page, or a reason string when there is none.

    Paragraphs are separated by blank lines. Metadata keys: title, author,
    outlet (the site name, else host name), published (ISO date), url.
    """
    import trafilatura

    try:
        result = trafilatura.bare_extraction(
            data,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            favor_precision=True,
        )
    except Exception as exc:  # noqa: BLE001 - hostile HTML must not stop the run
        return f"HTML could not be parsed ({type(exc).__name__})"
    if result is None:
        return "no article text found in HTML (only markup or scripts)"
    found = result.as_dict() if hasattr(result, "as_dict") else dict(result)
    text = (found.get("text") or "").strip()
    if not text:
        return "no article text found in HTML (only markup or scripts)"
    text = "\n\n".join(line.strip() for line in text.split("\n") if line.strip())
    meta = {
        "title": found.get("title"),
        "author": found.get("author"),
        "outlet": found.get("sitename") or found.get("hostname"),
        "published": found.get("date"),
        "url": found.get("url") or url,
    }
    return text, meta
