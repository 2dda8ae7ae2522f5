"""The cross-document pass over the store: the entity stage, and entity lookups used by the export."""

import json
import tracemalloc

import pytest

from storyline.records import Acronym, Document, Extraction, Mention, content_id
from storyline.resolve import (
    EntityIndex,
    _head_word,
    entity_row,
    resolve_entities,
    resolve_store,
)
from storyline.resolve.aliases import load_overrides, resolve
from storyline.store.db import Store


@pytest.mark.parametrize(
    "key, head",
    [("korvenian state police", "police"), ("people s freedom movement of zarvan", "movement"),
     ("association for the support of exiles", "association"), ("police", None), ("mira kallas", "kallas")],
)
def test_head_word(key, head):
    assert _head_word(key) == head


def _doc(text, mentions):
    doc = Document(id=content_id(text), text=text, outlet="Harbour Post", lang="en")
    found = []
    for name, label in mentions:
        start = text.index(name)
        found.append(Mention(doc.id, start, start + len(name), name, name, label))
    return Extraction(document=doc, mentions=found)


def test_lookup_by_span_name_and_head_noun():
    store = Store()
    a = _doc("The Velmora Port Police said the strike was over. Mira Kallas disagreed.", [("Velmora Port Police", "ORG"), ("Mira Kallas", "PERSON")])
    b = _doc("Mira Kallas spoke again. The union met the Velmora Port Authority and the Velmora Port Police.", [("Mira Kallas", "PERSON"), ("Velmora Port Authority", "ORG"), ("Velmora Port Police", "ORG")])
    store.add_extractions([a, b])
    resolve_store(store)
    index = EntityIndex(store)
    police = index.lookup(a.document.id, "Velmora Port Police")
    kallas = index.lookup(a.document.id, "Mira Kallas")
    assert police and kallas and police != kallas
    assert index.lookup(b.document.id, "Mira Kallas") == kallas  # the same person across documents
    assert index.lookup(a.document.id, "police") == police  # one multi-word name with that head in the document
    assert index.lookup(b.document.id, "port") is None  # "port" is no head; nothing guessed
    assert index.lookup(a.document.id, "authority") is None  # only named in the other document
    m = a.mentions[1]
    assert index.lookup(a.document.id, None, m.start, m.end) == kallas


def test_lookup_holds_only_a_bounded_number_of_documents():
    store = Store()
    docs = [
        _doc(f"Mira Kallas met the Velmora Port Police on day {n}.", [("Mira Kallas", "PERSON"), ("Velmora Port Police", "ORG")])
        for n in range(5)
    ]
    store.add_extractions(docs)
    resolve_store(store)
    full = EntityIndex(store)
    small = EntityIndex(store, cache_docs=2)
    for _ in range(2):
        for d in docs:
            for name in ("Mira Kallas", "police", "Velmora Port Police"):
                assert small.lookup(d.document.id, name) == full.lookup(d.document.id, name) is not None
            assert len(small._docs) <= 2


def test_rhetoric_target_is_the_entity_a_label_points_at():
    from storyline.export.dossier import build_dossier
    from storyline.records import Rhetoric

    text = "The Harbour Front held a rally. Critics call it Kallas's cult. Mira Kallas founded the Harbour Front."
    ex = _doc(text, [("Harbour Front", "ORG"), ("Mira Kallas", "PERSON")])
    start = text.index("Kallas's cult")
    label = Mention(ex.document.id, start, start + len("Kallas's cult"), "Kallas's cult", "Harbour Front", "ORG", kind="label")
    span = Rhetoric(ex.document.id, start, start + len("Kallas's cult"), "Name_Calling,Labeling", "Kallas's cult", "name-calling: 'cult'", target="Kallas")
    ex.mentions.append(label)
    ex.rhetoric.append(span)
    store = Store()
    store.add_extractions([ex])
    resolve_store(store)
    dossier = build_dossier(store)
    front = next(e for e in dossier["entities"] if e["name"] == "Harbour Front")
    (record,) = dossier["rhetoric"]
    assert record["target"] == front["id"] and record["target_text"] == "Kallas"
    assert {"text": "Kallas's cult", "doc": ex.document.id} .items() <= front["labels"][0].items()


# --------------------------------------------------------------------------- the entity stage over groups

#: A small affair written for these tests: (outlet, paragraph, mentions in text order as
#: (surface, name, label, kind, candidates)).
_AFFAIR = [
    (
        "Harbour Post",
        (
            "Mira Kallas, who leads the Velmora Dockworkers Union (VDU), said the strike would go on. "
            "Kallas met Ilan Brask at the gate. Critics call the union Kallas's gang."
        ),
        [
            ("Mira Kallas", "Mira Kallas", "PERSON", "name", ()),
            ("Velmora Dockworkers Union", "Velmora Dockworkers Union", "ORG", "name", ()),
            ("VDU", "VDU", "ORG", "name", ()),
            ("Kallas", "Mira Kallas", "PERSON", "name", ()),
            ("Ilan Brask", "Ilan Brask", "PERSON", "name", ()),
            ("Kallas's gang", "Velmora Dockworkers Union", "ORG", "label", ()),
        ],
    ),
    (
        "Velmora Daily",
        "The VDU and its leader Mira Kallas marched through Velmora. Brask said the port stayed open.",
        [
            ("VDU", "VDU", "ORG", "name", ()),
            ("Mira Kallas", "Mira Kallas", "PERSON", "name", ()),
            ("Velmora", "Velmora", "GPE", "name", ()),
            ("Brask", "Brask", "PERSON", "name", ()),
        ],
    ),
    (
        "Velmora Daily",
        "Oren Kallas, her brother, joined the Dockworkers Union in Velmora. Kallas declined to comment.",
        [
            ("Oren Kallas", "Oren Kallas", "PERSON", "name", ()),
            ("Dockworkers Union", "Dockworkers Union", "ORG", "name", ()),
            ("Velmora", "Velmora", "GPE", "name", ()),
            ("Kallas", "Kallas", "PERSON", "name", ("Mira Kallas", "Oren Kallas")),
        ],
    ),
    (
        None,
        "Velmora police said the Velmora Dockworkers Union filed no permit. Critics call the union a gang of agitators.",
        [
            ("Velmora Dockworkers Union", "Velmora Dockworkers Union", "ORG", "name", ()),
            ("a gang of agitators", "Velmora Dockworkers Union", "ORG", "label", ()),
        ],
    ),
]

_OVERRIDES = """\
merge:
  - [Ilan Brask, Port Director Brask]
split:
  - {name: Harbourmaster Brask, aliases: [Brask]}
label:
  - {entity: VDU, text: Velmora}
  - {entity: Ilan Brask, text: a gang of agitators}
"""


def _affair(mention_copies: int = 1, doc_copies: int = 1) -> list[Extraction]:
    """The affair with each paragraph written ``mention_copies`` times per document, each document ``doc_copies`` times."""
    out = []
    for copy in range(doc_copies):
        for outlet, paragraph, mentions in _AFFAIR:
            text = " ".join([paragraph] * mention_copies) + f" ({copy})"
            doc = Document(id=content_id(text), text=text, outlet=outlet, lang="en")
            ex = Extraction(document=doc)
            for rep in range(mention_copies):
                base, at = rep * (len(paragraph) + 1), 0
                for surface, name, label, kind, candidates in mentions:
                    at = paragraph.index(surface, at)
                    start = base + at
                    ex.mentions.append(Mention(doc.id, start, start + len(surface), surface, name, label, kind, candidates))
                    at += len(surface)
                if "(VDU)" in paragraph:
                    start = base + paragraph.index("Velmora Dockworkers Union")
                    ex.acronyms.append(Acronym(doc.id, "VDU", "Velmora Dockworkers Union", start, base + paragraph.index(")") + 1))
            out.append(ex)
    return out


def _stored(extractions: list[Extraction]) -> Store:
    store = Store()
    store.add_extractions(extractions)
    return store


def _decoded(row: dict) -> dict:
    """Return a row as the store gives it back (lists and objects through JSON)."""
    return {k: json.loads(json.dumps(v)) if isinstance(v, (list, dict, tuple)) else v for k, v in row.items()}


def _tables(store: Store) -> dict[str, list]:
    return {
        "entities": sorted(store.rows("entities"), key=lambda r: r["id"]),
        "entity_mentions": sorted((r["doc"], r["start"], r["end"], r["text"], r["kind"], r["entity"]) for r in store.rows("entity_mentions")),
        "ambiguous": sorted((r["doc"], r["start"], r["end"], r["text"], tuple(r["candidates"])) for r in store.rows("ambiguous")),
    }


@pytest.mark.parametrize("with_overrides", [False, True])
@pytest.mark.parametrize("mention_copies, doc_copies", [(1, 1), (3, 2)])
def test_stored_entities_equal_the_mention_by_mention_resolution(tmp_path, with_overrides, mention_copies, doc_copies):
    """Grouped in SQL or resolved one mention at a time, the entity tables come out the same."""
    extractions = _affair(mention_copies, doc_copies)
    store = _stored(extractions)
    overrides = None
    if with_overrides:
        path = tmp_path / "aliases.yml"
        path.write_text(_OVERRIDES, encoding="utf-8")
        overrides = load_overrides(path)
    outlets = store.outlets()
    grouped = resolve_entities(store, outlets, overrides)

    mentions = [m for ex in extractions for m in ex.mentions]
    one_by_one = resolve(mentions, [a for ex in extractions for a in ex.acronyms], outlets, overrides)
    by_span = {(m.doc, m.start, m.end): m for m in mentions}
    expected = {
        "entities": sorted((_decoded(entity_row(e)) for e in one_by_one.entities), key=lambda r: r["id"]),
        "entity_mentions": sorted((*span, by_span[span].text, by_span[span].kind, eid) for span, eid in one_by_one.assign.items()),
        "ambiguous": sorted((d, s, e, t, ids) for d, s, e, t, ids in one_by_one.ambiguous),
    }
    assert _tables(store) == expected
    assert grouped.report == one_by_one.report
    assert len(expected["entity_mentions"]) > 10 * mention_copies * doc_copies and expected["ambiguous"]
    if with_overrides:
        assert any("name mentions turned into labels" in line for line in grouped.report)


def _peak_bytes(store: Store) -> int:
    """Return the peak Python memory of the entity stage on ``store`` (after a warm-up run)."""
    outlets = store.outlets()
    resolve_entities(store, outlets)
    tracemalloc.start()
    try:
        resolve_entities(store, outlets)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize(
    "copies, limit",
    [({"mention_copies": 60}, 1.5), ({"doc_copies": 60}, 6.0)],
    ids=["same documents", "more documents"],
)
def test_entity_stage_memory_does_not_follow_the_mentions(copies, limit):
    """60 times the mentions costs far less than 60 times the memory.

    Names are grouped per outlet and labels per document: mentions repeated
    in the same documents add nothing (measured 1.0x), copies of the
    documents in the same outlets add only their labels (measured 3.6x).
    """
    small, large = _stored(_affair()), _stored(_affair(**copies))
    assert large.count("mentions") == 60 * small.count("mentions")
    small_peak, large_peak = _peak_bytes(small), _peak_bytes(large)
    counts = {r["id"]: r["mention_count"] for r in large.rows("entities")}
    assert counts == {r["id"]: 60 * r["mention_count"] for r in small.rows("entities")}
    assert large_peak < limit * small_peak, (small_peak, large_peak)
