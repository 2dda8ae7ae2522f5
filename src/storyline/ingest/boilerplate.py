"""Remove web boilerplate lines from article text copied out of a browser.

Notes:
    Line-level heuristics in the spirit of jusText/trafilatura's "discarding"
    rules: breadcrumbs, share and subscribe prompts are dropped wherever they
    appear; footer markers ("You may also like", "Related posts", "Leave a
    Comment") end the article, since what follows them is a list of other
    pages' titles.
"""

from __future__ import annotations

import re
import unicodedata

#: Lines that are dropped wherever they stand.
_DROP = re.compile(
    r"""^(?:
        home\s*(?:»|>|/|›|\|)\s*.*            # breadcrumb: Home » Section » Title
      | share\s+this(?:\s+(?:article|story|post))?\s*:?
      | share\s+(?:on|via)\s+\w+.*
      | (?:click\s+to\s+)?(?:share|tweet|email|print)(?:\s+on\s+\w+)?(?:\s*\(opens.*\))?
      | subscribe\b(?:\s+to\s+(?:our|the)\s+newsletter)?.*
      | sign\s+up\s+for\s+(?:our|the)\s+newsletter.*
      | follow\s+us\s+on\s+.*
      | advertisement
      | read\s+more\s*:?
      | (?:we\s+use\s+)?cookies?\s+(?:policy|settings|help\s+us).*
      | skip\s+to\s+(?:content|main\s+content)
      | facebook|twitter|whatsapp|telegram|linkedin|reddit|pinterest
    )$""",
    re.IGNORECASE | re.VERBOSE,
)

#: Lines after which nothing belongs to the article.
_FOOTER = re.compile(
    r"^(?:you\s+(?:may|might)\s+also\s+like|related\s+(?:posts|articles|stories)|more\s+stories"
    r"|leave\s+a\s+(?:comment|reply)|\d+\s+comments?|comments\s+are\s+closed|recommended\s+for\s+you)\s*:?$",
    re.IGNORECASE,
)

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\ufeff]")


def normalize_text(text: str) -> str:
    """Return text with Unix newlines, NFC form and no control characters.

    Curly quotes and diacritics are kept: they are evidence (who wrote what how).
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text)
    text = _CONTROL.sub("", text)
    text = text.replace("\u00a0", " ")
    return text


def is_boilerplate(line: str) -> bool:
    """Return True for a line that is navigation or a share prompt, not article text."""
    return bool(_DROP.match(line.strip()))


def strip_boilerplate(text: str) -> str:
    """Drop boilerplate lines, cut at the first footer marker, and tidy blank lines.

    Args:
        text: raw article text, one paragraph per line or per blank-line block.

    Returns:
        The article text with paragraphs separated by one blank line.
    """
    kept: list[str] = []
    for raw in normalize_text(text).split("\n"):
        line = raw.strip()
        if _FOOTER.match(line):
            if any(kept):
                break
            continue
        if not line:
            if kept and kept[-1] != "":
                kept.append("")
            continue
        if is_boilerplate(line):
            continue
        kept.append(re.sub(r"[ \t]+", " ", line))
    while kept and kept[-1] == "":
        kept.pop()
    return "\n".join(kept)
