"""The cross-document pass over the store: entity lookups used by the export."""

import pytest

from storyline.records import Document, Extraction, Mention, content_id
from storyline.resolve import EntityIndex, _head_word, resolve_store
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
