"""The JSON dossier is streamed from the store: same content as the in-memory dossier, flat memory."""

import json
import tracemalloc

from storyline.export.dossier import SECTIONS, build_dossier, write_dossier
from storyline.records import DateExpr, Document, Extraction, Mention, Quote, Sentence, content_id
from storyline.resolve import resolve_store
from storyline.store.db import Store


def _extraction(n: int, padding: int = 0) -> Extraction:
    text = f"Mira Kallas of the Velmora Port Authority said on 3 May 2024 that berth {n} reopened." + " Calm." * padding
    doc = Document(id=content_id(text), text=text, title=f"Berth {n}", outlet=("Harbour Post", "Quay Daily")[n % 2],
                   published="2024-05-04", lang="en")
    at = text.index("3 May 2024")
    return Extraction(
        document=doc,
        sentences=[Sentence(doc.id, 0, len(text))],
        mentions=[Mention(doc.id, 0, 11, "Mira Kallas", "Mira Kallas", "PERSON"),
                  Mention(doc.id, 19, 41, "Velmora Port Authority", "Velmora Port Authority", "ORG")],
        dates=[DateExpr(doc.id, at, at + 10, "3 May 2024", "2024-05-03", "day")],
        quotes=[Quote(doc.id, 42, len(text), text[42:], "Mira Kallas", "Mira Kallas", "said", False)],
    )


def _store(n_docs: int, padding: int = 0) -> Store:
    store = Store()
    store.add_extractions([_extraction(n, padding) for n in range(n_docs)])
    resolve_store(store)
    return store


def _without_created(dossier):
    return {**dossier, "meta": {k: v for k, v in dossier["meta"].items() if k != "created"}}


def test_streamed_file_is_the_in_memory_dossier(tmp_path):
    store = _store(12)
    counts = write_dossier(store, tmp_path / "d.json", notes=["a note"])
    text = (tmp_path / "d.json").read_text(encoding="utf-8")
    streamed = json.loads(text)
    assert _without_created(streamed) == _without_created(json.loads(json.dumps(build_dossier(store, notes=["a note"]))))
    assert list(streamed) == ["meta", *SECTIONS]
    assert counts == streamed["meta"]["counts"] and counts["documents"] == 12 and counts["quotes"] == 12
    assert streamed["meta"]["notes"] == ["a note"]
    # one record per line, so line tools (grep, head, jq --stream) can read a large dossier
    assert sum(line.startswith('{"id"') for line in text.splitlines()) >= 12 * 3
    quote = streamed["quotes"][0]
    kallas = next(e["id"] for e in streamed["entities"] if e["name"] == "Mira Kallas")
    assert quote["speaker"] == kallas


def test_an_empty_store_streams_valid_json(tmp_path):
    write_dossier(Store(), tmp_path / "d.json")
    dossier = json.loads((tmp_path / "d.json").read_text(encoding="utf-8"))
    assert all(dossier[name] == [] for name in SECTIONS) and dossier["meta"]["counts"]["documents"] == 0
    assert not (tmp_path / "d.json.tmp").exists()


def _peak_while_writing(store: Store, path) -> int:
    tracemalloc.start()
    try:
        write_dossier(store, path)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_of_the_streamed_export_does_not_grow_with_the_corpus(tmp_path):
    # each document carries about 6 kB of text: 40 documents are 0.24 MB, 320 are 1.9 MB
    small = _peak_while_writing(_store(40, padding=1000), tmp_path / "small.json")
    large = _peak_while_writing(_store(320, padding=1000), tmp_path / "large.json")
    assert (tmp_path / "large.json").stat().st_size > 7 * (tmp_path / "small.json").stat().st_size
    assert large < 1.5 * small + 200_000, (small, large)


def test_analyze_skips_the_html_page_above_the_limit_and_says_so(tmp_path):
    from storyline.pipeline import analyze

    src = tmp_path / "in"
    src.mkdir()
    for n in range(3):
        (src / f"a{n}.txt").write_text(f"Berth {n} reopens\n\nThe Velmora Port Authority reopened berth {n} on Monday.\n")
    summary = analyze([str(src)], tmp_path / "out", html_max_docs=2, rhetoric=None)
    assert not (tmp_path / "out" / "dossier.html").exists() and "html" not in summary.outputs
    note = next(n for n in summary.notes if n.startswith("dossier.html not written"))
    assert "3 documents" in note and "--html-max-docs" in note
    dossier = json.loads((tmp_path / "out" / "dossier.json").read_text(encoding="utf-8"))
    assert note in dossier["meta"]["notes"] and len(dossier["documents"]) == 3
    analyze([str(src)], tmp_path / "out", html_max_docs=3, rhetoric=None)
    assert (tmp_path / "out" / "dossier.html").is_file()
