"""Cross-document resolution over the store.

Reads what the per-document stage stored, and rebuilds the cross-document
tables from scratch each time, so the result depends only on the stored
documents (and the aliases file), never on the order of runs.
"""

from __future__ import annotations

import json
import time
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, NamedTuple

from ..extract.entities import is_demonym_of
from ..records import Acronym, Event
from ..store.db import Store, decode_cell
from .aliases import MentionGroup, Overrides, Resolution, name_key, resolve_groups


class EntityIndex:
    """Find the entity a stored span or name refers to.

    Lookups go from the most to the least specific evidence: the exact mention
    span, the name as used in the same document, then a name that belongs to
    exactly one entity in the whole corpus, then a bare head noun ("the
    police", "the embassy") that ends exactly one multi-word name mentioned
    in the same document ("Korvenian State Police").

    Notes:
        The head-noun step is the "definite description whose head matches an
        earlier name" rule of rule-based coreference (Lee et al. 2013, the
        Stanford sieve's strict head match), restricted to one candidate.
    """

    def __init__(self, store: Store, cache_docs: int = 64):
        self.store = store
        self.cache_docs = cache_docs
        self._docs: OrderedDict[str, _DocIndex] = OrderedDict()
        owners: dict[str, set[str]] = {}
        for entity in store.rows("entities"):
            for alias in [entity["name"], *(entity.get("aliases") or [])]:
                owners.setdefault(name_key(alias), set()).add(entity["id"])
        self.by_name = {key: next(iter(ids)) for key, ids in owners.items() if len(ids) == 1}

    def _doc(self, doc: str) -> _DocIndex:
        """The span, name and head-noun maps of one document, loaded on first use.

        Memory holds the corpus-wide name map and the last ``cache_docs``
        documents only, so it does not grow with the corpus; callers that
        look up a document's records together (the timeline and the export
        go document by document) load each document once.
        """
        found = self._docs.get(doc)
        if found is not None:
            self._docs.move_to_end(doc)
            return found
        found = _DocIndex({}, {}, {})
        heads: dict[str, set[str]] = {}
        sql = (
            "select em.start, em.end, em.entity, em.kind, m.name from entity_mentions em "
            "left join mentions m on m.doc = em.doc and m.start = em.start and m.end = em.end "
            "where em.doc = ?"
        )
        for start, end, entity, kind, name in self.store.db.execute(sql, (doc,)):
            found.by_span[(start, end)] = entity
            if name is not None and kind == "name":
                key = name_key(name)
                found.by_name[key] = entity
                head = _head_word(key)
                if head:
                    heads.setdefault(head, set()).add(entity)
        found.by_head.update({k: next(iter(ids)) for k, ids in heads.items() if len(ids) == 1})
        self._docs[doc] = found
        if len(self._docs) > self.cache_docs:
            self._docs.popitem(last=False)
        return found

    def lookup(self, doc: str, name: str | None, start: int | None = None, end: int | None = None) -> str | None:
        """Return the entity id for a span or a name in a document, or None."""
        here = self._doc(doc)
        if start is not None and end is not None and (start, end) in here.by_span:
            return here.by_span[(start, end)]
        if not name:
            return None
        key = name_key(name)
        found = here.by_name.get(key) or self.by_name.get(key)
        if found is None and key and " " not in key:
            found = here.by_head.get(key)
        return found


class _DocIndex(NamedTuple):
    """One document's lookups: span -> entity, name key -> entity, unambiguous head noun -> entity."""

    by_span: dict[tuple[int, int], str]
    by_name: dict[str, str]
    by_head: dict[str, str]


_PREPOSITIONS = frozenset({"of", "for", "in", "against", "on", "at", "to"})


def _head_word(key: str) -> str | None:
    """Return the head noun of a multi-word name key ("state police" -> police, "movement of x" -> movement)."""
    words = key.split()
    for i, word in enumerate(words):
        if word in _PREPOSITIONS and i > 0:
            words = words[:i]
            break
    return words[-1] if len(words) > 1 or len(key.split()) > 1 else None


#: The mention fields the entity resolver reads besides the document.
_GROUP_FIELDS = ("text", "name", "label", "kind", "candidates")
#: Which mentions share a group besides those fields: a label's document, a name's outlet
#: (the resolver reads a name's document only for its outlet), and every document when
#: the overrides turn names into labels (``?`` = 1).
_GROUP_SCOPE = "case when m.kind = 'label' or ? then m.doc end"
_GROUPS_SQL = (
    "create temp table entity_groups (ref integer primary key, doc text, scope text, outlet text, "
    "text text, name text, label text, kind text, candidates text, size integer)"
)
#: One row per group: its first mention's rowid (the ref) and document (``min`` picks the row), its size.
_GROUP_ROWS_SQL = (
    "insert into temp.entity_groups select min(m.rowid), m.doc, {scope} as scope, d.outlet as outlet, {m_fields}, count(*) "
    "from mentions m left join documents d on d.id = m.doc group by scope, outlet, {m_fields}"
).format(scope=_GROUP_SCOPE, m_fields=", ".join(f"m.{f}" for f in _GROUP_FIELDS))
_GROUPS_INDEX_SQL = "create index temp.entity_groups_fields on entity_groups (name, text, label, kind, candidates, outlet, scope)"
#: What the resolver decided for a group: an entity id, or the JSON list of candidate ids.
_DECISIONS_SQL = "create temp table entity_decisions (ref integer primary key, entity text, candidates text)"
#: Each mention joined to its group's decision, mentions in rowid order (``is``: a stored field may be null).
_DECIDED = (
    "from mentions m left join documents d on d.id = m.doc cross join temp.entity_groups g "
    "cross join temp.entity_decisions e where "
    + " and ".join(f"g.{f} is m.{f}" for f in _GROUP_FIELDS)
    + f" and g.outlet is d.outlet and g.scope is {_GROUP_SCOPE} and e.ref = g.ref"
)
_ENTITY_MENTIONS_SQL = (
    "insert or replace into entity_mentions (doc, start, end, text, kind, entity) "
    "select m.doc, m.start, m.end, m.text, coalesce(nullif(m.kind, ''), 'name'), e.entity "
    f"{_DECIDED} and e.entity is not null"
)
_AMBIGUOUS_SQL = (
    "insert or replace into ambiguous (doc, start, end, text, candidates) "
    f"select m.doc, m.start, m.end, m.text, e.candidates {_DECIDED} and e.candidates is not null"
)


def _mention_groups(store: Store) -> Iterator[MentionGroup]:
    """Yield the groups of ``temp.entity_groups`` in the order of their first mention."""
    sql = "select ref, doc, {fields}, size from temp.entity_groups order by ref".format(fields=", ".join(_GROUP_FIELDS))
    for ref, doc, text, name, label, kind, candidates, size in store.db.execute(sql):
        yield MentionGroup(
            ref, doc, text, name, label, kind or "name", tuple(decode_cell("candidates", candidates) or ()), size
        )


def _acronyms(store: Store) -> Iterator[Acronym]:
    for row in store.rows("acronyms", order_by="rowid"):
        yield Acronym(doc=row["doc"], short=row["short"], long=row["long"], start=row["start"], end=row["end"])


def _events(store: Store) -> Iterator[Event]:
    """Yield stored events in publication order (undated documents last), which picks each entry's first report."""
    sql = (
        "select events.* from events join documents on documents.id = events.doc "
        "order by documents.published is null, documents.published, documents.rowid, events.start"
    )
    for row in store.db.query(sql):
        row = {k: decode_cell(k, v) for k, v in row.items()}
        yield Event(
            doc=row["doc"], start=row["start"], end=row["end"], text=row["text"], date=row["date"],
            date_end=row["date_end"], trigger=row["trigger"], category=row["category"],
            actors=tuple(row.get("actors") or ()), place=row.get("place"), date_text=row.get("date_text"),
            status=row.get("status") or "happened", mod=row.get("mod"),
            roles=tuple(row.get("roles") or ()),
        )


def resolve_entities(store: Store, outlets: Mapping[str, str | None] | None = None, overrides: Overrides | None = None) -> Resolution:
    """Rebuild ``entities``, ``entity_mentions`` and ``ambiguous`` from the stored mentions.

    SQL counts the mentions into groups the resolver cannot tell apart: one
    per distinct text, name, label, kind and candidates of an outlet's names
    and of a document's labels. The groups are resolved
    (:func:`storyline.resolve.aliases.resolve_groups`) and SQL gives each
    mention its group's decision, so memory grows with the distinct names
    and labels, not with the mentions.

    Args:
        store: the store to read and update.
        outlets: ``store.outlets()`` when the caller has it (read when None).
        overrides: user corrections (see :func:`storyline.resolve.aliases.load_overrides`).

    Returns:
        The :class:`~storyline.resolve.aliases.Resolution` of the groups
        (``assign`` keyed by each group's first mention rowid).
    """
    outlets = store.outlets() if outlets is None else outlets
    per_doc = int(bool(overrides and overrides.label))
    db = store.db
    db.execute("drop table if exists temp.entity_groups")
    db.execute("drop table if exists temp.entity_decisions")
    try:
        db.execute(_GROUPS_SQL)
        with db.atomic():
            db.execute(_GROUP_ROWS_SQL, [per_doc])
        db.execute(_GROUPS_INDEX_SQL)
        resolution = resolve_groups(_mention_groups(store), _acronyms(store), outlets, overrides)
        store.replace_table("entities", (entity_row(e) for e in resolution.entities))
        db.execute(_DECISIONS_SQL)
        with db.atomic():
            db.conn.executemany("insert into temp.entity_decisions (ref, entity) values (?, ?)", resolution.assign.items())
            db.conn.executemany(
                "insert into temp.entity_decisions (ref, candidates) values (?, ?)",
                ((ref, json.dumps(list(ids), ensure_ascii=False)) for ref, ids in resolution.ambiguous),
            )
            db.execute("delete from entity_mentions")
            db.execute(_ENTITY_MENTIONS_SQL, [per_doc])
            db.execute("delete from ambiguous")
            db.execute(_AMBIGUOUS_SQL, [per_doc])
    finally:
        db.execute("drop table if exists temp.entity_groups")
        db.execute("drop table if exists temp.entity_decisions")
    return resolution


def resolve_store(store: Store, *, aliases: str | Path | None = None, seconds: dict[str, float] | None = None) -> dict[str, Any]:
    """Rebuild every cross-document table of ``store``.

    The stages, in order:

    1. entities: merge mentions into one entity per actor, link labels, keep
       ambiguous mentions with their candidates, apply the aliases file;
    2. timeline: merge the dated events of all documents into timeline entries;
    3. claims: cluster the claims of all documents, with support, contradiction and independence.

    Args:
        store: the store to read and update.
        aliases: a YAML corrections file (see :func:`storyline.resolve.aliases.load_overrides`).
        seconds: when given, filled with the time each stage took.

    Returns:
        ``{"overrides": [what each manual correction did], "notes": [automatic decisions to review]}``.
    """
    from .aliases import load_overrides
    from .timeline import merge_events

    seconds = seconds if seconds is not None else {}
    outlets = store.outlets()
    # 1.
    t0 = time.perf_counter()
    overrides = load_overrides(aliases) if aliases else None
    resolution = resolve_entities(store, outlets, overrides)
    seconds["entities"] = time.perf_counter() - t0
    # 2.
    t1 = time.perf_counter()
    index = EntityIndex(store)
    entries = merge_events(_events(store), entity_of=lambda doc, name: index.lookup(doc, name), outlet_of=outlets,
                           weak_actors=_weak_actors(store))
    store.replace_table("timeline", entries)
    seconds["timeline"] = time.perf_counter() - t1
    # 3. claims: clusters, support, contradiction and independence (see storyline.resolve.claims)
    t2 = time.perf_counter()
    from .claims import write_claims

    write_claims(store, outlets=outlets, speaker_of=index.lookup)
    seconds["claims"] = time.perf_counter() - t2
    return {"overrides": list(resolution.report), "notes": list(resolution.notes)}


def _weak_actors(store: Any) -> set[str]:
    """Entities too general to tie two timeline reports together: parties, faiths, ethnic groups.

    A NORP entity ("Republicans", "Muslims", "Hispanic") names a population, not
    an actor, unless it is the adjective of a place in the corpus ("Zarvani" for
    Zarvan, who acts through its state).
    """
    if not store.db["entities"].exists():
        return set()
    places: dict[str, list[str]] = {}
    for (name,) in store.db.execute("select name from entities where type in ('GPE', 'LOC')"):
        places.setdefault(name.casefold()[:3], []).append(name)
    return {
        eid for eid, name in store.db.execute("select id, name from entities where type = 'NORP'")
        if not any(is_demonym_of(name, place) for place in places.get(name.casefold()[:3], ()))
    }


def entity_row(entity: Any) -> dict[str, Any]:
    """Return the store row of a resolved entity."""
    labels = [
        {"text": label[0], "doc": label[1], "outlet": label[2]} if isinstance(label, (tuple, list)) else dict(label)
        for label in entity.labels
    ]
    return {
        "id": entity.id,
        "name": entity.name,
        "type": entity.type,
        "aliases": list(entity.aliases),
        "labels": labels,
        "mention_count": entity.mention_count,
        "outlets": dict(getattr(entity, "outlets", {}) or {}),
    }
