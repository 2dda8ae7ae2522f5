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
    from storyline.store.migrations import MIGRATIONS

    store = Store()
    names = [r["name"] for r in store.db["_migrations"].rows]
    assert names == [name for name, _ in MIGRATIONS] and names[:2] == ["0001_initial", "0002_event_mod"]
    assert {"documents", "documents_fts", "entities", "timeline", "quotes", "rhetoric"} <= set(store.db.table_names())
    assert {"mod", "roles"} <= set(store.db["events"].columns_dict) and "mod" in store.db["timeline"].columns_dict


def test_a_store_made_before_event_modifiers_is_upgraded(tmp_path):
    import sqlite_utils

    from storyline.store.migrations import MIGRATIONS, migrate

    path = tmp_path / "old.db"
    db = sqlite_utils.Database(path)
    assert migrate(db, MIGRATIONS[:1]) == ["0001_initial"]
    assert "mod" not in db["events"].columns_dict
    db.close()
    with Store(path) as store:
        assert {"mod", "roles"} <= set(store.db["events"].columns_dict)
        assert "0002_event_mod" in {r["name"] for r in store.db["_migrations"].rows}


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
