"""Build the dossier (the JSON data contract) from the store, and write it.

The keys and meanings of ``documents``, ``entities``, ``dates``, ``events``,
``quotes``, ``claims`` and ``rhetoric`` are a contract other tools read (see
the README); fields are only ever added.
"""

from __future__ import annotations

import json
import os
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

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


def build_dossier(store: Store, *, skipped: Iterable[Skip] = (), overrides: Iterable[str] = (), notes: Iterable[str] = ()) -> dict[str, Any]:
    """Return the dossier dict for everything in ``store``.

    Args:
        store: an analysed store (after :func:`storyline.resolve.resolve_store`).
        skipped: inputs skipped in this run, listed under ``meta.skipped``.
        overrides: lines describing what the aliases file did.
        notes: automatic resolution decisions a reviewer should know about.
    """
    index = EntityIndex(store)
    sentences: dict[str, list[list[int]]] = defaultdict(list)
    for row in store.db.execute("select doc, start, end from sentences order by doc, start"):
        sentences[row[0]].append([row[1], row[2]])

    documents = []
    for row in store.documents():
        documents.append(
            {
                "id": row["id"], "path": row.get("path"), "url": row.get("url"), "title": row.get("title"),
                "outlet": row.get("outlet"), "published": row.get("published"), "text": row["text"],
                "author": row.get("author"), "lang": row.get("lang"), "analysed": bool(row.get("analysed")),
                "source": row.get("source"),
                "words": row.get("words"), "sentences": sentences.get(row["id"], []),
            }
        )

    mentions_of: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in store.rows("entity_mentions", where="kind = 'name'", order_by="doc, start"):
        mentions_of[row["entity"]].append({"doc": row["doc"], "start": row["start"], "end": row["end"], "text": row["text"]})
    entities = []
    for row in store.rows("entities", order_by="mention_count desc, name"):
        entities.append(
            {
                "id": row["id"], "name": row["name"], "type": row["type"], "aliases": row.get("aliases") or [],
                "labels": row.get("labels") or [], "mentions": mentions_of.get(row["id"], []),
                "mention_count": row.get("mention_count") or 0, "outlets": row.get("outlets") or {},
            }
        )

    ambiguous = [
        {"doc": r["doc"], "start": r["start"], "end": r["end"], "text": r["text"], "candidates": r.get("candidates") or []}
        for r in store.rows("ambiguous", order_by="doc, start")
    ]
    dates = [
        {k: r.get(k) for k in ("id", "doc", "start", "end", "text", "value", "granularity", "anchor", "anchor_source", "type", "mod", "end_value")}
        for r in store.rows("dates", order_by="doc, start")
    ]
    events = [
        {**r, "actors": r.get("actors") or [], "sources": r.get("sources") or [], "reports": r.get("reports") or []}
        for r in store.rows("timeline", order_by="date, id")
    ]
    quotes = []
    for r in store.rows("quotes", order_by="doc, start"):
        quotes.append(
            {
                "id": r["id"], "doc": r["doc"], "start": r["start"], "end": r["end"], "text": r["text"],
                "speaker": index.lookup(r["doc"], r.get("speaker"), r.get("speaker_start"), r.get("speaker_end")),
                "speaker_name": r.get("speaker"), "speaker_text": r.get("speaker_text"), "cue": r.get("cue"),
                "direct": bool(r.get("direct")), "channel": r.get("channel"), "via": r.get("via"),
                "speaker_start": r.get("speaker_start"), "speaker_end": r.get("speaker_end"),
            }
        )
    claims = _claims(store, index)
    labels_in: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for row in store.rows("entity_mentions", where="kind = 'label'"):
        labels_in[row["doc"]].append((row["start"], row["end"], row["entity"]))
    rhetoric = []
    for r in store.rows("rhetoric", order_by="doc, start"):
        rhetoric.append(
            {
                "id": r["id"], "doc": r["doc"], "start": r["start"], "end": r["end"], "technique": r["technique"],
                "text": r["text"], "explanation": r.get("explanation"),
                "target": _label_target(labels_in.get(r["doc"], ()), r["start"], r["end"]) or index.lookup(r["doc"], r.get("target")),
                "target_text": r.get("target"),
                "confidence": r.get("confidence"), "detector": r.get("detector"),
            }
        )
    counts = {
        "documents": len(documents), "analysed": sum(d["analysed"] for d in documents), "entities": len(entities),
        "dates": len(dates), "events": len(events), "quotes": len(quotes), "claims": len(claims), "rhetoric": len(rhetoric),
    }
    return {
        "meta": {
            "generator": f"storyline {__version__}",
            "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "counts": counts,
            "skipped": [{"source": s.source, "reason": s.reason} for s in skipped],
            "overrides": list(overrides),
            "notes": list(notes),
        },
        "documents": documents,
        "entities": entities,
        "ambiguous": ambiguous,
        "dates": dates,
        "events": events,
        "quotes": quotes,
        "claims": claims,
        "rhetoric": rhetoric,
    }


def _claims(store: Store, index: EntityIndex) -> list[dict[str, Any]]:
    """Return the claims with their cluster, support, contradiction and independence (see :mod:`storyline.resolve.claims`)."""
    links = {r["id"]: r for r in store.rows("claim_links")}
    clusters = {r["id"]: r for r in store.rows("claim_clusters")}
    claims = []
    for r in store.rows("claims", order_by="doc, start"):
        link = links.get(r["id"], {})
        cluster = clusters.get(link.get("cluster") or "", {})
        claims.append(
            {
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
        )
    return claims


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
