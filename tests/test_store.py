from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.records import DateExpr, Document, Extraction, Quote, Sentence, content_id
from storyline.store.db import Store


def _extraction(text: str, outlet: str | None = None) -> Extraction:
    doc = Document(id=content_id(text), text=text, title=text[:20], outlet=outlet, lang="en")
    return Extraction(
        document=doc,
        sentences=[Sentence(doc.id, 0, len(text))],
        dates=[DateExpr(doc.id, 0, min(4, len(text)), text[:4], "2024", "year")],
        quotes=[Quote(doc.id, 0, len(text), text, "Lena Ostrova", "Ostrova", "said", True)],
    )


def test_schema_is_migrated_once():
    store = Store()
    assert [r["name"] for r in store.db["_migrations"].rows] == ["0001_initial"]
    assert {"documents", "documents_fts", "entities", "timeline", "quotes", "rhetoric"} <= set(store.db.table_names())


def test_adding_twice_changes_nothing():
    store = Store()
    ex = _extraction("The harbour strike ended on Friday, the union said.")
    assert store.add_extractions([ex]) == 1
    assert store.add_extractions([ex]) == 0
    assert store.count("documents") == 1 and store.count("quotes") == 1 and store.count("dates") == 1


def test_wal_and_file_store(tmp_path):
    store = Store(tmp_path / "s.db")
    assert store.db.journal_mode == "wal"
    store.add_extractions([_extraction("Velmora harbour reopened on Monday.")])
    store.close()
    reader = Store(tmp_path / "s.db")
    assert reader.count("documents") == 1


def test_search_quotes_user_input():
    store = Store()
    store.add_extractions([_extraction("Dock workers in Velmora stayed off the job.")])
    assert [h["title"] for h in store.search("velmora")] == ["Dock workers in Velm"]
    assert store.search('" OR 1=1 --') == []
    assert store.search("NEAR(") == []


@settings(max_examples=60, deadline=None)
@given(text=st.text(min_size=1, max_size=300), outlet=st.one_of(st.none(), st.text(max_size=30)))
def test_round_trip(text, outlet):
    store = Store()
    ex = _extraction(text, outlet)
    store.add_extractions([ex])
    (row,) = store.documents()
    assert row["text"] == text and row["outlet"] == outlet and row["id"] == ex.document.id
    (quote,) = store.rows("quotes")
    assert quote["text"] == text and quote["direct"] == 1
