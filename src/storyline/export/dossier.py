"""Build the dossier (the JSON data contract) from the store, and write it.

The keys and meanings of ``documents``, ``entities``, ``dates``, ``events``,
``quotes``, ``claims`` and ``rhetoric`` are a contract other tools read (see
the README); fields are only ever added.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, TextIO

from .. import __version__
from ..records import Skip
from ..resolve import EntityIndex
from ..store.db import Store

CONTRACT_KEYS = {
    "documents": ("id", "path", "url", "title", "outlet", "published", "text"),
    "entities": ("id", "name", "type", "aliases", "labels", "mentions"),
    "dates": ("id", "doc", "start", "end", "text", "value", "granularity", "anchor"),
    "events": ("id", "date", "date_end", "text", "trigger", "category", "actors", "doc", "start", "end", "sources"),
    "quotes": ("id", "doc", "start", "end", "text", "speaker", "speaker_text", "cue", "direct"),
    "claims": ("id", "doc", "start", "end", "text", "speaker", "cluster", "support", "contradict"),
    "rhetoric": ("id", "doc", "start", "end", "technique", "text", "explanation", "target"),
}


#: The record lists of the dossier, in the order they are written.
SECTIONS = ("documents", "entities", "ambiguous", "dates", "events", "quotes", "claims", "rhetoric")


def build_dossier(store: Store, *, skipped: Iterable[Skip] = (), overrides: Iterable[str] = (), notes: Iterable[str] = ()) -> dict[str, Any]:
    """Return the dossier dict for everything in ``store`` (held in memory; see :func:`write_dossier`).

    Args:
        store: an analysed store (after :func:`storyline.resolve.resolve_store`).
        skipped: inputs skipped in this run, listed under ``meta.skipped``.
        overrides: lines describing what the aliases file did.
        notes: automatic resolution decisions a reviewer should know about.
    """
    dossier: dict[str, Any] = {"meta": _meta(store, skipped, overrides, notes)}
    for name, records in iter_sections(store):
        dossier[name] = [{k: list(v) if isinstance(v, Iterator) else v for k, v in r.items()} for r in records]
    return dossier


def write_dossier(store: Store, path: str | Path, *, skipped: Iterable[Skip] = (), overrides: Iterable[str] = (),
                  notes: Iterable[str] = ()) -> dict[str, int]:
    """Stream the dossier of ``store`` to ``path`` as JSON, record by record, atomically.

    Memory stays flat however large the corpus: each record is read from the
    store, written and dropped (the entity lookups keep a bounded cache of
    documents). The file is the same JSON object :func:`build_dossier`
    returns, with one record per line, and a reader never sees half a file.

    Returns:
        The counts written under ``meta.counts``.
    """
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    meta = _meta(store, skipped, overrides, notes)
    dumps = json.JSONEncoder(ensure_ascii=False).encode
    with tmp.open("w", encoding="utf-8") as out:
        out.write('{\n"meta": ' + dumps(meta))
        for name, records in iter_sections(store):
            out.write(f",\n{dumps(name)}: [")
            sep = "\n"
            for record in records:
                out.write(sep)
                _write_record(out, record, dumps)
                sep = ",\n"
            out.write("\n]")
        out.write("\n}\n")
    os.replace(tmp, path)
    return meta["counts"]


def _write_record(out: TextIO, record: dict[str, Any], dumps: Callable[[Any], str]) -> None:
    """Write one record; a value that is an iterator (an entity's mentions) is written item by item."""
    lazy = [k for k, v in record.items() if isinstance(v, Iterator)]
    if not lazy:
        out.write(dumps(record))
        return
    head = dumps({k: v for k, v in record.items() if k not in lazy})
    out.write(head[:-1])
    sep = ", " if len(head) > 2 else ""
    for key in lazy:
        out.write(f"{sep}{dumps(key)}: [")
        inner = ""
        for item in record[key]:
            out.write(inner + dumps(item))
            inner = ", "
        out.write("]")
        sep = ", "
    out.write("}")


def _meta(store: Store, skipped: Iterable[Skip], overrides: Iterable[str], notes: Iterable[str]) -> dict[str, Any]:
    count = store.count
    counts = {
        "documents": count("documents"), "analysed": count("documents", "analysed"), "entities": count("entities"),
        "dates": count("dates"), "events": count("timeline"), "quotes": count("quotes"), "claims": count("claims"),
        "rhetoric": count("rhetoric"),
    }
    return {
        "generator": f"storyline {__version__}",
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "counts": counts,
        "skipped": [{"source": s.source, "reason": s.reason} for s in skipped],
        "overrides": list(overrides),
        "notes": list(notes),
    }


def iter_sections(store: Store) -> Iterator[tuple[str, Iterator[dict[str, Any]]]]:
    """Yield ``(section name, its records)`` for each list of the dossier, records read lazily from the store.

    Consume each section's records before asking for the next section.
    """
    index = EntityIndex(store)
    yield "documents", _documents(store)
    yield "entities", _entities(store)
    yield "ambiguous", (
        {"doc": r["doc"], "start": r["start"], "end": r["end"], "text": r["text"], "candidates": r.get("candidates") or []}
        for r in store.rows("ambiguous", order_by="doc, start")
    )
    yield "dates", (
        {k: r.get(k) for k in ("id", "doc", "start", "end", "text", "value", "granularity", "anchor", "anchor_source", "type", "mod", "end_value")}
        for r in store.rows("dates", order_by="doc, start")
    )
    yield "events", (
        {**r, "actors": r.get("actors") or [], "sources": r.get("sources") or [], "reports": r.get("reports") or []}
        for r in store.rows("timeline", order_by="date, id")
    )
    yield "quotes", _quotes(store, index)
    yield "claims", _claims(store, index)
    yield "rhetoric", _rhetoric(store, index)


def _documents(store: Store) -> Iterator[dict[str, Any]]:
    for row in store.documents():
        sentences = [[a, b] for a, b in store.db.execute("select start, end from sentences where doc = ? order by start", (row["id"],))]
        yield {
            "id": row["id"], "path": row.get("path"), "url": row.get("url"), "title": row.get("title"),
            "outlet": row.get("outlet"), "published": row.get("published"), "text": row["text"],
            "author": row.get("author"), "lang": row.get("lang"), "analysed": bool(row.get("analysed")),
            "source": row.get("source"),
            "words": row.get("words"), "sentences": sentences,
        }


def _entities(store: Store) -> Iterator[dict[str, Any]]:
    sql = "select doc, start, end, text from entity_mentions where entity = ? and kind = 'name' order by doc, start"
    for row in store.rows("entities", order_by="mention_count desc, name"):
        # an iterator: the streamed export writes an entity's mentions one by one (there may be very many)
        mentions = ({"doc": d, "start": a, "end": b, "text": t} for d, a, b, t in store.db.execute(sql, (row["id"],)))
        yield {
            "id": row["id"], "name": row["name"], "type": row["type"], "aliases": row.get("aliases") or [],
            "labels": row.get("labels") or [], "mentions": mentions,
            "mention_count": row.get("mention_count") or 0, "outlets": row.get("outlets") or {},
        }


def _quotes(store: Store, index: EntityIndex) -> Iterator[dict[str, Any]]:
    for r in store.rows("quotes", order_by="doc, start"):
        yield {
            "id": r["id"], "doc": r["doc"], "start": r["start"], "end": r["end"], "text": r["text"],
            "speaker": index.lookup(r["doc"], r.get("speaker"), r.get("speaker_start"), r.get("speaker_end")),
            "speaker_name": r.get("speaker"), "speaker_text": r.get("speaker_text"), "cue": r.get("cue"),
            "direct": bool(r.get("direct")), "channel": r.get("channel"), "via": r.get("via"),
            "speaker_start": r.get("speaker_start"), "speaker_end": r.get("speaker_end"),
        }


def _rhetoric(store: Store, index: EntityIndex) -> Iterator[dict[str, Any]]:
    labels_doc, labels = None, []
    for r in store.rows("rhetoric", order_by="doc, start"):
        if r["doc"] != labels_doc:
            labels_doc = r["doc"]
            labels = list(store.db.execute(
                "select start, end, entity from entity_mentions where doc = ? and kind = 'label'", (labels_doc,)
            ))
        yield {
            "id": r["id"], "doc": r["doc"], "start": r["start"], "end": r["end"], "technique": r["technique"],
            "text": r["text"], "explanation": r.get("explanation"),
            "target": _label_target(labels, r["start"], r["end"]) or index.lookup(r["doc"], r.get("target")),
            "target_text": r.get("target"),
            "confidence": r.get("confidence"), "detector": r.get("detector"),
        }


def _claims(store: Store, index: EntityIndex) -> Iterator[dict[str, Any]]:
    """Yield the claims with their cluster, support, contradiction and independence (see :mod:`storyline.resolve.claims`)."""
    def one(table: str, key: Any) -> dict[str, Any]:
        return next(store.rows(table, where="id = ?", params=[key]), {}) if key else {}

    for r in store.rows("claims", order_by="doc, start"):
        link = one("claim_links", r["id"])
        cluster = one("claim_clusters", link.get("cluster"))
        yield {
            "id": r["id"], "doc": r["doc"], "start": r["start"], "end": r["end"], "text": r["text"],
            "speaker": index.lookup(r["doc"], r.get("speaker"), r.get("speaker_start"), r.get("speaker_end")) if r.get("speaker") else None,
            "cluster": link.get("cluster"), "support": link.get("support") or [], "contradict": link.get("contradict") or [],
            "support_count": link.get("support_count") or 0, "contradict_count": link.get("contradict_count") or 0,
            "independent_support": link.get("independent_support") or [], "dependence": link.get("dependence") or [],
            "cluster_size": cluster.get("size") or 1, "cluster_independent_sources": cluster.get("independent_sources") or 1,
            "checkworthy": r.get("checkworthy"), "why": r.get("why"), "speaker_text": r.get("speaker_text"),
            "speaker_name": r.get("speaker"), "cue": r.get("cue"), "via": r.get("via"),
            "polarity": r.get("polarity") or "positive", "denial": bool(r.get("denial")),
            "content_start": r.get("content_start"), "content_end": r.get("content_end"),
            "numbers": r.get("numbers") or [], "date_values": r.get("date_values") or [],
        }


def _label_target(labels: Iterable[tuple[int, int, str]], start: int, end: int) -> str | None:
    """Return the entity of a label mention inside a span ("Azarmehr's cult" targets the movement, not Azarmehr)."""
    for label_start, label_end, entity in labels:
        if label_start < end and start < label_end:
            return entity
    return None


def write_json(dossier: dict[str, Any], path: str | Path) -> None:
    """Write the dossier as UTF-8 JSON, atomically (a reader never sees half a file)."""
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", encoding="utf-8") as handle:
        json.dump(dossier, handle, ensure_ascii=False, indent=1)
    os.replace(tmp, path)
