"""Numbered schema migrations, applied in order and recorded in ``_migrations``.

Notes:
    The pattern follows sqlite-utils' ``migrations`` plugin: each migration is a
    function of the database, named ``NNNN_description``, run once.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone

import sqlite_utils

Migration = tuple[str, Callable[[sqlite_utils.Database], None]]

_SPAN = {"id": str, "doc": str, "start": int, "end": int, "text": str}


def _0001_initial(db: sqlite_utils.Database) -> None:
    db["documents"].create(
        {
            "id": str, "path": str, "url": str, "title": str, "outlet": str, "author": str,
            "published": str, "lang": str, "source": str, "analysed": int, "words": int,
            "added": str, "text": str,
        },
        pk="id",
    )
    db["documents"].enable_fts(["title", "text"], fts_version="FTS5", create_triggers=True, tokenize="unicode61 remove_diacritics 2")
    db["skips"].create({"source": str, "reason": str, "run": str}, pk="source")
    db["meta"].create({"key": str, "value": str}, pk="key")
    db["sentences"].create({"id": str, "doc": str, "start": int, "end": int}, pk="id")
    db["mentions"].create({**_SPAN, "name": str, "label": str, "kind": str, "candidates": str}, pk="id")
    db["acronyms"].create({"id": str, "doc": str, "short": str, "long": str, "start": int, "end": int}, pk="id")
    db["dates"].create(
        {**_SPAN, "value": str, "granularity": str, "type": str, "anchor": str, "anchor_source": str,
         "mod": str, "end_value": str},
        pk="id",
    )
    db["quotes"].create(
        {**_SPAN, "speaker": str, "speaker_text": str, "cue": str, "direct": int, "speaker_start": int,
         "speaker_end": int, "cue_start": int, "cue_end": int, "channel": str, "via": str},
        pk="id",
    )
    db["events"].create(
        {**_SPAN, "date": str, "date_end": str, "trigger": str, "category": str, "actors": str,
         "place": str, "date_text": str, "status": str},
        pk="id",
    )
    db["rhetoric"].create(
        {**_SPAN, "technique": str, "explanation": str, "confidence": float, "target": str, "detector": str},
        pk="id",
    )
    for table in ("sentences", "mentions", "acronyms", "dates", "quotes", "events", "rhetoric"):
        db[table].create_index(["doc"], if_not_exists=True)
    db["entities"].create(
        {"id": str, "name": str, "type": str, "aliases": str, "labels": str, "mention_count": int, "outlets": str},
        pk="id",
    )
    db["entity_mentions"].create(
        {"doc": str, "start": int, "end": int, "text": str, "entity": str, "kind": str}, pk=("doc", "start", "end", "kind")
    )
    db["entity_mentions"].create_index(["entity"], if_not_exists=True)
    db["ambiguous"].create({"doc": str, "start": int, "end": int, "text": str, "candidates": str}, pk=("doc", "start", "end"))
    db["timeline"].create({"id": str, "date": str, "date_end": str, "granularity": str, "text": str,
                           "trigger": str, "category": str, "actors": str, "doc": str, "start": int,
                           "end": int, "sources": str, "status": str, "reports": str, "conflict": str}, pk="id")


def _0002_event_mod(db: sqlite_utils.Database) -> None:
    """Events keep their date's modifier ("early 2014") and each actor's role; timeline entries the modifier."""
    for table, columns in (("events", {"mod": str, "roles": str}), ("timeline", {"mod": str, "roles": str})):
        present = set(db[table].columns_dict)
        for name, kind in columns.items():
            if name not in present:
                db[table].add_column(name, kind)


def _0003_claims(db: sqlite_utils.Database) -> None:
    """Claims: per-document check-worthy sentences, and their cross-document clusters and links."""
    db["claims"].create(
        {**_SPAN, "checkworthy": float, "why": str, "speaker": str, "speaker_text": str, "speaker_start": int,
         "speaker_end": int, "via": str, "cue": str, "content_start": int, "content_end": int, "polarity": str,
         "denial": int, "numbers": str, "date_values": str, "entity_names": str},
        pk="id",
    )
    db["claims"].create_index(["doc"], if_not_exists=True)
    db["claim_clusters"].create(
        {"id": str, "text": str, "members": str, "docs": str, "size": int, "independent_sources": int, "contradicted": int},
        pk="id",
    )
    db["claim_links"].create(
        {"id": str, "cluster": str, "support": str, "contradict": str, "independent_support": str,
         "dependence": str, "speaker_entity": str},
        pk="id",
    )
    # A cache, not a resolved table: one sentence vector per distinct claim content, kept across runs.
    db["claim_vectors"].create({"key": str, "vector": bytes}, pk="key")


MIGRATIONS: list[Migration] = [("0001_initial", _0001_initial), ("0002_event_mod", _0002_event_mod), ("0003_claims", _0003_claims)]


def migrate(db: sqlite_utils.Database, migrations: list[Migration]) -> list[str]:
    """Apply the migrations not yet recorded; return the names applied."""
    if "_migrations" not in db.table_names():
        db["_migrations"].create({"name": str, "applied": str}, pk="name")
    done = {row["name"] for row in db["_migrations"].rows}
    applied = []
    for name, function in migrations:
        if name in done:
            continue
        with db.atomic():
            function(db)
            db["_migrations"].insert({"name": name, "applied": datetime.now(timezone.utc).isoformat(timespec="seconds")})
        applied.append(name)
    return applied
