"""CLI exit codes and the exact error lines (sqlite-utils' test_cli habit)."""

import json

import pytest
from click.testing import CliRunner

from storyline.cli import cli

ARTICLE = (
    "Velmora dockers end strike\n\n"
    "Dock workers in Velmora ended their strike on Friday, March 8, 2024, after four days.\n\n"
    "\u201cWe have been heard,\u201d said Mira Kallas, the head of the dockers' union.\n"
)


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    return folder


def test_missing_path_exits_2(runner, tmp_path):
    result = runner.invoke(cli, ["analyze", str(tmp_path / "nope"), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert f"Error: Invalid value for PATH...: path '{tmp_path / 'nope'}' does not exist" in result.output
    assert "Traceback" not in result.output


def test_missing_out_exits_2(runner, corpus):
    result = runner.invoke(cli, ["analyze", str(corpus)])
    assert result.exit_code == 2 and "Missing option '--out'" in result.output


def test_unknown_detector_exits_2(runner, corpus, tmp_path):
    result = runner.invoke(cli, ["analyze", str(corpus), "--out", str(tmp_path / "o"), "--rhetoric", "bogus.v9"])
    assert result.exit_code == 2
    assert "Error: Invalid value for --rhetoric: unknown detector 'bogus.v9'; available: " in result.output
    assert "storyline.rhetoric.rules.v1" in result.output


def test_analyze_summary_and_skips(runner, corpus, tmp_path):
    out = tmp_path / "o"
    result = runner.invoke(cli, ["analyze", str(corpus), "--out", str(out), "--outlet", "Harbour Post"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.strip().splitlines()
    assert lines[0].startswith("1 documents read; 1 new; 0 already stored; 1 skipped; ")
    assert lines[1] == f"wrote {out / 'storyline.db'}, {out / 'dossier.json'}, {out / 'dossier.html'}"
    assert f"skipped {corpus / 'empty.txt'}: empty file" in result.stderr
    dossier = json.loads((out / "dossier.json").read_text(encoding="utf-8"))
    assert dossier["documents"][0]["outlet"] == "Harbour Post"
    again = runner.invoke(cli, ["analyze", str(corpus), "--out", str(out), "--quiet"])
    assert again.stdout.startswith("1 documents read; 0 new; 1 already stored; 1 skipped; ")
    assert "skipped" not in again.stderr


def test_entities_lists_and_json(runner, corpus, tmp_path):
    out = tmp_path / "o"
    runner.invoke(cli, ["analyze", str(corpus), "--out", str(out), "-q"])
    table = runner.invoke(cli, ["entities", str(out)])
    assert table.exit_code == 0 and "Mira Kallas" in table.stdout
    rows = [json.loads(line) for line in runner.invoke(cli, ["entities", str(out / "storyline.db"), "--json"]).stdout.splitlines()]
    assert any(r["name"] == "Mira Kallas" and r["type"] == "PERSON" for r in rows)


def test_entities_without_db_exits_2(runner, tmp_path):
    result = runner.invoke(cli, ["entities", str(tmp_path)])
    assert result.exit_code == 2
    assert f"Error: Invalid value for DB: no storyline database at '{tmp_path}'; run `storyline analyze PATH --out DIR` first" in result.output


def test_search(runner, corpus, tmp_path):
    out = tmp_path / "o"
    runner.invoke(cli, ["analyze", str(corpus), "--out", str(out), "-q"])
    result = runner.invoke(cli, ["search", str(out), "dockers strike"])
    assert result.exit_code == 0 and "Velmora dockers end strike" in result.stdout


def test_export_needs_a_target(runner, corpus, tmp_path):
    out = tmp_path / "o"
    runner.invoke(cli, ["analyze", str(corpus), "--out", str(out), "-q"])
    result = runner.invoke(cli, ["export", str(out)])
    assert result.exit_code == 2 and "Error: give --json FILE and/or --html FILE" in result.output
    ok = runner.invoke(cli, ["export", str(out), "--json", str(tmp_path / "d.json"), "--html", str(tmp_path / "d.html")])
    assert ok.exit_code == 0 and (tmp_path / "d.json").is_file() and (tmp_path / "d.html").is_file()


def test_bad_aliases_file_is_one_line_exit_1(runner, corpus, tmp_path):
    bad = tmp_path / "aliases.yaml"
    bad.write_text("merge: [unclosed\n", encoding="utf-8")
    result = runner.invoke(cli, ["analyze", str(corpus), "--out", str(tmp_path / "o"), "--aliases", str(bad)])
    assert result.exit_code == 1
    assert result.output.startswith("Error: ") and str(bad) in result.output
    assert "Traceback" not in result.output


def test_eval_on_missing_folder_exits_2(runner, tmp_path):
    result = runner.invoke(cli, ["eval", "timex", str(tmp_path / "none")])
    assert result.exit_code == 2 and f"Error: Invalid value for PATH: '{tmp_path / 'none'}' is not a folder" in result.output
