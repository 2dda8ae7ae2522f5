"""Turn files and folders into :class:`~storyline.records.Document` records.

Every input either becomes a Document or a :class:`~storyline.records.Skip`
with a one-line reason; nothing here raises on bad content. Reading streams:
folders are walked lazily and JSONL is read line by line, so memory does not
grow with the corpus.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ..records import Document, Skip, content_id
from .boilerplate import normalize_text, strip_boilerplate
from .lang import detect_language

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
SUPPORTED = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES
SIDECAR_SUFFIX = ".meta.json"
#: Default largest file (or JSONL line) accepted, in bytes.
MAX_BYTES = 20 * 1024 * 1024
_META_KEYS = ("title", "outlet", "url", "published", "author")

Item = Document | Skip


def iter_documents(
    paths: Iterable[str | os.PathLike[str]],
    *,
    outlet: str | None = None,
    max_bytes: int = MAX_BYTES,
    encoding: str = "utf-8",
) -> Iterator[Item]:
    """Yield a Document or a Skip for every input file under ``paths``.

    Args:
        paths: files or folders; folders are walked recursively in name order.
        outlet: outlet for files whose sidecar or metadata does not name one.
        max_bytes: files (and JSONL lines) larger than this are skipped.
        encoding: text encoding of plain and JSONL files.

    Yields:
        Documents in a stable order, and Skips for inputs that cannot be read.
    """
    for path in paths:
        path = Path(path)
        if path.is_dir():
            for child in _walk(path):
                yield from _read_file(child, outlet=outlet, max_bytes=max_bytes, encoding=encoding)
        elif path.exists():
            yield from _read_file(path, outlet=outlet, max_bytes=max_bytes, encoding=encoding, explicit=True)
        else:
            yield Skip(str(path), "path does not exist")


def _walk(folder: Path) -> Iterator[Path]:
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith(".") or name.endswith(SIDECAR_SUFFIX) or _is_folder_note(name):
                continue
            yield Path(root) / name


#: Files that describe a folder rather than hold an article; skipped when walking a folder.
FOLDER_NOTES = frozenset({"README", "LICENSE", "LICENCE", "CHANGELOG", "COPYING", "NOTICE"})


def _is_folder_note(name: str) -> bool:
    return name.split(".", 1)[0].upper() in FOLDER_NOTES


def _read_file(path: Path, *, outlet: str | None, max_bytes: int, encoding: str, explicit: bool = False) -> Iterator[Item]:
    suffix = path.suffix.lower()
    source = str(path)
    if suffix not in SUPPORTED:
        if explicit or suffix not in {".json", ".yaml", ".yml", ".py", ".db", ".db-wal", ".db-shm"}:
            yield Skip(source, f"unsupported file type {suffix or '(none)'!r}; expected one of {', '.join(sorted(SUPPORTED))}")
        return
    meta = _sidecar(path)
    if isinstance(meta, Skip):
        yield meta
        return
    if outlet and not meta.get("outlet"):
        meta["outlet"] = outlet
    if suffix in JSONL_SUFFIXES:
        yield from _read_jsonl(path, meta=meta, max_bytes=max_bytes, encoding=encoding)
        return
    try:
        size = path.stat().st_size
    except OSError as exc:
        yield Skip(source, f"cannot read file: {exc.strerror or exc}")
        return
    if size == 0:
        yield Skip(source, "empty file")
        return
    if size > max_bytes:
        yield Skip(source, f"file too large ({_mb(size)} > {_mb(max_bytes)} limit; raise it with --max-bytes)")
        return
    try:
        data = path.read_bytes()
    except OSError as exc:
        yield Skip(source, f"cannot read file: {exc.strerror or exc}")
        return
    if _looks_binary(data):
        yield Skip(source, "binary file, not text")
        return
    if suffix in HTML_SUFFIXES:
        yield from _from_html(data, source=source, path=path, meta=meta)
        return
    text = _decode(data, encoding, source)
    if isinstance(text, Skip):
        yield text
        return
    if suffix in {".md", ".markdown"}:
        text = re.sub(r"(?m)^#{1,6}\s+", "", text)
    yield _document(text, source=source, path=path, meta=meta)


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB"


def _looks_binary(data: bytes) -> bool:
    head = data[:8192]
    if b"\x00" in head:
        return True
    control = sum(1 for b in head if b < 9 or 13 < b < 32)
    return control > len(head) * 0.05


def _decode(data: bytes, encoding: str, source: str) -> str | Skip:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        return Skip(source, f"invalid {exc.encoding} at byte {exc.start}; re-save the file as UTF-8 or pass --encoding")
    except LookupError:
        return Skip(source, f"unknown encoding {encoding!r}")


def _sidecar(path: Path) -> dict[str, Any] | Skip:
    for candidate in (path.with_name(path.name + SIDECAR_SUFFIX), path.with_suffix(SIDECAR_SUFFIX)):
        if candidate.is_file():
            try:
                meta = json.loads(candidate.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
                return Skip(str(path), f"sidecar {candidate.name} is not valid JSON ({exc}); expected {{\"outlet\": ..., \"published\": \"YYYY-MM-DD\"}}")
            if not isinstance(meta, dict):
                return Skip(str(path), f"sidecar {candidate.name} must hold a JSON object")
            return {k: str(meta[k]) for k in _META_KEYS if meta.get(k) not in (None, "")}
    return {}


def _read_jsonl(path: Path, *, meta: dict[str, Any], max_bytes: int, encoding: str) -> Iterator[Item]:
    try:
        handle = path.open("rb")
    except OSError as exc:
        yield Skip(str(path), f"cannot read file: {exc.strerror or exc}")
        return
    with handle:
        seen_any = False
        for lineno, raw in enumerate(handle, 1):
            source = f"{path}:{lineno}"
            if not raw.strip():
                continue
            seen_any = True
            if len(raw) > max_bytes:
                yield Skip(source, f"line too large ({_mb(len(raw))} > {_mb(max_bytes)} limit; raise it with --max-bytes)")
                continue
            line = _decode(raw, encoding, source)
            if isinstance(line, Skip):
                yield line
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                yield Skip(source, f"not valid JSON ({exc.msg} at column {exc.colno})")
                continue
            if not isinstance(record, dict):
                yield Skip(source, "not a JSON object; expected {\"text\": ...}")
                continue
            text = record.get("text")
            if not isinstance(text, str) or not text.strip():
                yield Skip(source, "no \"text\" field (a non-empty string is required)")
                continue
            line_meta = dict(meta)
            for key in _META_KEYS:
                if record.get(key) not in (None, ""):
                    line_meta[key] = str(record[key])
            yield _document(text, source=source, path=path, meta=line_meta)
        if not seen_any:
            yield Skip(str(path), "empty file")


def _from_html(data: bytes, *, source: str, path: Path | None, meta: dict[str, Any], url: str | None = None) -> Iterator[Item]:
    from .html import extract_html

    result = extract_html(data, url=url)
    if isinstance(result, str):
        yield Skip(source, result)
        return
    text, html_meta = result
    merged = {**{k: v for k, v in html_meta.items() if v}, **meta}
    yield _document(text, source=source, path=path, meta=merged, url=url)


def _document(
    text: str,
    *,
    source: str,
    path: Path | None,
    meta: dict[str, Any],
    url: str | None = None,
) -> Item:
    cleaned = strip_boilerplate(text)
    if not cleaned.strip():
        return Skip(source, "no text left after removing boilerplate")
    title = meta.get("title") or cleaned.split("\n", 1)[0].strip()[:300]
    return Document(
        id=content_id(cleaned),
        text=cleaned,
        path=str(path) if path is not None else None,
        url=meta.get("url") or url,
        title=title,
        outlet=meta.get("outlet"),
        author=meta.get("author"),
        published=parse_published(meta.get("published")),
        lang=detect_language(cleaned),
        source=source,
    )


_PUBLISHED_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%d %B %Y", "%B %d, %Y", "%d %b %Y", "%b %d, %Y", "%d.%m.%Y")


def parse_published(value: Any) -> str | None:
    """Return an ISO ``YYYY-MM-DD`` publication date, or None when it cannot be read.

    Accepts ISO dates and datetimes (``2024-03-14T10:00:00Z``) and a few
    spelled-out forms ("14 March 2024", "March 14, 2024").
    """
    if value in (None, ""):
        return None
    if isinstance(value, (date, datetime)):
        return value.strftime("%Y-%m-%d")
    text = str(value).strip()
    match = re.match(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$", text)
    if match:
        try:
            return date(*map(int, match.groups())).isoformat()
        except ValueError:
            return None
    for fmt in _PUBLISHED_FORMATS:
        try:
            return datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    return None


def document_from_text(text: str, **meta: Any) -> Item:
    """Build a Document from a string, as ingestion would (boilerplate removed, language detected)."""
    source = meta.pop("source", "<text>")
    return _document(normalize_text(text), source=source, path=None, meta={k: v for k, v in meta.items() if v})
