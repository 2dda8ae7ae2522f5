"""The SQLite store: documents, per-document records and cross-document results.

The store wraps :class:`sqlite_utils.Database`. It runs in WAL mode so the
database stays readable (by Datasette, by ``storyline entities``) while a run
writes, and it enables FTS5 on document titles and text.

Each document is written with all of its extracted records in one
transaction, so after a crash a document is either fully stored or absent:
a re-run skips what is stored and processes the rest, and ends with the same
store as an uninterrupted run. Record ids are derived from the document id
and offsets, so writing the same records twice changes nothing.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import sqlite_utils

from ..records import Extraction, Skip
from .migrations import MIGRATIONS, migrate

#: Per-document record tables, in the order they are written.
RECORD_TABLES = ("sentences", "mentions", "acronyms", "dates", "quotes", "events", "rhetoric", "claims")
#: Cross-document tables, rebuilt by each resolution pass.
RESOLVED_TABLES = ("entities", "entity_mentions", "ambiguous", "timeline", "claim_clusters", "claim_links")


def record_id(kind: str, doc: str, start: int, end: int, extra: str = "") -> str:
    """Return the deterministic id of a span record."""
    return f"{kind}-{doc}-{start}-{end}{'-' + extra if extra else ''}"


class Store:
    """A storyline database.

    Args:
        path: the SQLite file (created when missing), or ``":memory:"``.
    """

    def __init__(self, path: str | Path = ":memory:"):
        self.path = str(path)
        if self.path == ":memory:":
            self.db = sqlite_utils.Database(memory=True)
        else:
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite_utils.Database(self.path)
            self.db.enable_wal()
            self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute("PRAGMA busy_timeout=30000")
        migrate(self.db, MIGRATIONS)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writing ---------------------------------------------------------

    def has_document(self, doc_id: str) -> bool:
        """Return True when the document and all its records are stored."""
        return bool(self.db.execute("select 1 from documents where id = ?", [doc_id]).fetchone())

    def known_ids(self) -> set[str]:
        """Return the ids of every stored document."""
        return {row[0] for row in self.db.execute("select id from documents")}

    def add_extractions(self, extractions: Iterable[Extraction]) -> int:
        """Store documents with their records, all in one transaction.

        Returns:
            The number of documents newly stored.
        """
        added = 0
        with self.db.atomic():
            for extraction in extractions:
                added += self._add_one(extraction)
        return added

    def _add_one(self, ex: Extraction) -> int:
        document = ex.document
        if self.has_document(document.id):
            return 0
        row = document.as_dict()
        row["analysed"] = int(ex.analysed)
        row["words"] = len(document.text.split())
        row["added"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
        for name in RECORD_TABLES:
            rows = []
            for record in getattr(ex, name):
                data = record.as_dict()
                extra = data.get("technique") or data.get("kind") or data.get("date") or ""
                if name == "events":  # one sentence may hold two happenings of one date ("was elected ... and met")
                    extra = f"{extra}-{data.get('trigger') or ''}"
                data["id"] = record_id(name[:-1] if name.endswith("s") else name, data["doc"], data["start"], data["end"], extra)
                rows.append({k: _cell(v) for k, v in data.items()})
            if rows:
                self.db[name].insert_all(rows, pk="id", replace=True, alter=True)
        self.db["documents"].insert(row, pk="id", replace=True, alter=True)
        return 1

    def add_skips(self, skips: Iterable[Skip], run: str) -> None:
        """Record inputs that were skipped in this run."""
        rows = [{"source": s.source, "reason": s.reason, "run": run} for s in skips]
        if rows:
            self.db["skips"].insert_all(rows, pk="source", replace=True)

    def replace_table(self, name: str, rows: Iterable[dict[str, Any]], pk: str | tuple[str, ...] = "id") -> int:
        """Replace the contents of a cross-document table with ``rows``."""
        if name not in RESOLVED_TABLES:
            raise ValueError(f"{name!r} is not a cross-document table; expected one of {', '.join(RESOLVED_TABLES)}")
        count = 0
        with self.db.atomic():
            self.db.execute(f"delete from [{name}]")
            batch: list[dict[str, Any]] = []
            for row in rows:
                batch.append({k: _cell(v) for k, v in row.items()})
                count += 1
                if len(batch) >= 5000:
                    self.db[name].insert_all(batch, pk=pk, replace=True, alter=True)
                    batch = []
            if batch:
                self.db[name].insert_all(batch, pk=pk, replace=True, alter=True)
        return count

    def set_meta(self, key: str, value: Any) -> None:
        self.db["meta"].insert({"key": key, "value": json.dumps(value)}, pk="key", replace=True)

    def get_meta(self, key: str, default: Any = None) -> Any:
        row = self.db.execute("select value from meta where key = ?", [key]).fetchone()
        return json.loads(row[0]) if row else default

    # -- reading ---------------------------------------------------------

    def rows(self, table: str, where: str | None = None, params: Iterable[Any] = (), order_by: str | None = None) -> Iterator[dict[str, Any]]:
        """Yield rows of ``table`` with JSON columns decoded."""
        if table not in self.db.table_names():
            return
        for row in self.db[table].rows_where(where, list(params), order_by=order_by):
            yield {k: decode_cell(k, v) for k, v in row.items()}

    def count(self, table: str, where: str | None = None, params: Iterable[Any] = ()) -> int:
        if table not in self.db.table_names():
            return 0
        sql = f"select count(*) from [{table}]" + (f" where {where}" if where else "")
        return self.db.execute(sql, list(params)).fetchone()[0]

    def documents(self, with_text: bool = True) -> Iterator[dict[str, Any]]:
        """Yield stored documents in insertion order."""
        yield from self.rows("documents", order_by="rowid")

    def outlets(self) -> dict[str, str | None]:
        """Return ``{doc id: outlet}`` for every stored document."""
        return {row[0]: row[1] for row in self.db.execute("select id, outlet from documents")}

    def search(self, query: str, limit: int = 20) -> list[dict[str, Any]]:
        """Full-text search over titles and texts (FTS5 query syntax, quoted for safety)."""
        sql = (
            "select documents.id, documents.title, documents.outlet, "
            "snippet(documents_fts, 1, '[', ']', '…', 12) as snippet "
            "from documents_fts join documents on documents.rowid = documents_fts.rowid "
            "where documents_fts match ? order by rank limit ?"
        )
        quoted = " ".join('"' + term.replace('"', '""') + '"' for term in query.split())
        return [dict(zip(("id", "title", "outlet", "snippet"), row)) for row in self.db.execute(sql, [quoted, limit])]


def _cell(value: Any) -> Any:
    if isinstance(value, (list, tuple, dict)):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return int(value)
    return value


#: Columns that hold JSON-encoded lists or objects.
JSON_COLUMNS = frozenset(
    "candidates actors roles aliases labels outlets sources reports sentences support contradict "
    "mentions members evidence numbers date_values entity_names docs independent_support dependence".split()
)


def decode_cell(key: str, value: Any) -> Any:
    """Return a stored cell as Python data: JSON columns decoded, others as they are."""
    if key in JSON_COLUMNS and isinstance(value, str):
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            return value
    return value
