"""End to end: a folder of articles to a store, dossier.json and dossier.html."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest

from storyline.bench import generate_corpus
from storyline.cli import demo_path
from storyline.export.dossier import CONTRACT_KEYS
from storyline.pipeline import analyze
from storyline.store.db import Store

HOSTILE = (
    "Harbour chief <script>document.title='pwned'</script> resigns\n\n"
    "The harbour chief of Velmora, Anton Birel, resigned on Monday. <img src=x onerror=\"document.title='pwned'\">\n\n"
    "\u201cI leave with a clear conscience,\u201d Birel told reporters. \"><svg onload=alert(1)>\n"
)


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    summary = analyze([str(demo_path())], out)
    dossier = json.loads((out / "dossier.json").read_text(encoding="utf-8"))
    return out, summary, dossier


def _comparable(dossier):
    dossier = dict(dossier)
    dossier["meta"] = {k: v for k, v in dossier["meta"].items() if k != "created"}
    return dossier


def test_outputs_written(demo_run):
    out, summary, dossier = demo_run
    assert (out / "storyline.db").is_file() and (out / "dossier.json").is_file() and (out / "dossier.html").is_file()
    assert summary.read == len(dossier["documents"]) >= 12
    assert summary.skipped == []
    for key in ("entities", "dates", "quotes", "events", "rhetoric"):
        assert summary.counts[key] > 0, key
    line = summary.line()
    assert line.startswith(f"{summary.read} documents read; {summary.added} new; 0 already stored; 0 skipped")


def test_json_contract_keys(demo_run):
    _, _, dossier = demo_run
    for section, keys in CONTRACT_KEYS.items():
        assert section in dossier, section
        for record in dossier[section]:
            missing = set(keys) - set(record)
            assert not missing, (section, missing)
    for entity in dossier["entities"]:
        assert all(set(label) >= {"text", "doc"} for label in entity["labels"])
        assert all(set(m) >= {"doc", "start", "end", "text"} for m in entity["mentions"])
    outlets = {d["outlet"] for d in dossier["documents"]}
    assert len(outlets) >= 5 and None not in outlets
    assert all(d["published"] is None or len(d["published"]) == 10 for d in dossier["documents"])


def test_offsets_point_at_their_text(demo_run):
    _, _, dossier = demo_run
    texts = {d["id"]: d["text"] for d in dossier["documents"]}
    checked = 0
    spans = [(s, r) for s in ("dates", "quotes", "rhetoric", "events", "claims") for r in dossier[s]]
    spans += [("mentions", m) for e in dossier["entities"] for m in e["mentions"]]
    spans += [("reports", r) for e in dossier["events"] for r in e["reports"]]
    for section, record in spans:
        assert texts[record["doc"]][record["start"]:record["end"]] == record["text"], (section, record)
        checked += 1
    assert checked > 300


def test_ids_are_unique_and_references_resolve(demo_run):
    _, _, dossier = demo_run
    docs = {d["id"] for d in dossier["documents"]}
    entity_ids = {e["id"] for e in dossier["entities"]}
    for section in ("entities", "dates", "events", "quotes", "rhetoric"):
        ids = [r["id"] for r in dossier[section]]
        assert len(ids) == len(set(ids)), section
    for quote in dossier["quotes"]:
        assert quote["doc"] in docs and (quote["speaker"] is None or quote["speaker"] in entity_ids)
    for event in dossier["events"]:
        assert set(event["sources"]) <= docs and set(event["actors"]) <= entity_ids
    for span in dossier["rhetoric"]:
        assert span["target"] is None or span["target"] in entity_ids


def test_rerun_adds_nothing(demo_run, tmp_path):
    out, _, dossier = demo_run
    again = analyze([str(demo_path())], out)
    assert again.added == 0 and again.unchanged == again.read
    redo = json.loads((out / "dossier.json").read_text(encoding="utf-8"))
    assert _comparable(redo) == _comparable(dossier)


def test_bad_inputs_do_not_stop_the_run(tmp_path):
    corpus = tmp_path / "in"
    corpus.mkdir()
    (corpus / "good.txt").write_text(HOSTILE, encoding="utf-8")
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "binary.txt").write_bytes(bytes(range(256)))
    (corpus / "latin.txt").write_bytes("Caf\u00e9".encode("latin-1"))
    (corpus / "lines.jsonl").write_text('{"title": "x"}\nnot json\n', encoding="utf-8")
    (corpus / "scripts.html").write_text("<html><body><script>alert(1)</script></body></html>", encoding="utf-8")
    (corpus / "fr.txt").write_text(
        "Grève au port\n\nLes dockers de Velmora ont cessé le travail lundi matin, selon le syndicat, "
        "et la direction du port a promis de reprendre les négociations la semaine prochaine.",
        encoding="utf-8",
    )
    summary = analyze([str(corpus)], tmp_path / "out", rhetoric=None)
    reasons = {Path(s.source).name: s.reason for s in summary.skipped}
    assert set(reasons) == {"empty.txt", "binary.txt", "latin.txt", "lines.jsonl:1", "lines.jsonl:2", "scripts.html"}
    assert summary.read == 2 and summary.added == 2 and summary.not_analysed == 1
    dossier = json.loads((tmp_path / "out" / "dossier.json").read_text(encoding="utf-8"))
    french = next(d for d in dossier["documents"] if d["lang"] == "fr")
    assert french["analysed"] is False
    assert not [q for q in dossier["quotes"] if q["doc"] == french["id"]]
    assert [s["source"] for s in dossier["meta"]["skipped"]]
    html = (tmp_path / "out" / "dossier.html").read_text(encoding="utf-8")
    assert "<script>document.title" not in html and "<img src=x" not in html and "<svg onload" not in html


def _run_cli(*args, **kwargs):
    return subprocess.Popen([sys.executable, "-m", "storyline.cli", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kwargs)


def test_resume_after_sigkill(tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    generate_corpus(96, corpus)
    killed, clean = tmp_path / "killed", tmp_path / "clean"
    proc = _run_cli("analyze", str(corpus), "--out", str(killed), "--batch-size", "4", "--quiet")
    deadline = time.time() + 240
    stored = 0
    while time.time() < deadline and proc.poll() is None:
        if (killed / "storyline.db").exists():
            try:
                with closing(sqlite3.connect(f"file:{killed / 'storyline.db'}?mode=ro", uri=True, timeout=0.1)) as conn:
                    stored = conn.execute("select count(*) from documents").fetchone()[0]
            except sqlite3.Error:  # the schema may not be written yet
                stored = 0
            if stored >= 8:
                break
        time.sleep(0.02)
    assert proc.poll() is None, "the run finished before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    with Store(killed / "storyline.db") as store:
        partial = store.count("documents")
    assert 8 <= partial < 96

    resumed = _run_cli("analyze", str(corpus), "--out", str(killed), "--batch-size", "4", "--quiet")
    out, err = resumed.communicate(timeout=600)
    assert resumed.returncode == 0, err
    assert f"96 documents read; {96 - partial} new; {partial} already stored" in out.decode()
    whole = _run_cli("analyze", str(corpus), "--out", str(clean), "--batch-size", "4", "--quiet")
    whole.communicate(timeout=600)
    a = json.loads((killed / "dossier.json").read_text(encoding="utf-8"))
    b = json.loads((clean / "dossier.json").read_text(encoding="utf-8"))
    assert _comparable(a) == _comparable(b)
    for table in ("documents", "mentions", "dates", "quotes", "events", "rhetoric", "entities", "timeline"):
        with Store(killed / "storyline.db") as s1, Store(clean / "storyline.db") as s2:
            assert s1.count(table) == s2.count(table), table


def test_processes_give_the_same_result(tmp_path, demo_run):
    _, _, dossier = demo_run
    analyze([str(demo_path())], tmp_path, processes=2, batch_size=4)
    parallel = json.loads((tmp_path / "dossier.json").read_text(encoding="utf-8"))
    assert _comparable(parallel) == _comparable(dossier)
