"""PolNeAR reader and Citron-style counting, on a tiny brat corpus written here."""

from __future__ import annotations

import time

import pytest

from storyline.eval.quotes import article_files, evaluate, format_report, main, read_brat, score_document
from storyline.records import Quote

TEXT = 'Ana Berisha said the bridge was closed. "We paid," Ana Berisha said. "Nobody came."\n'
# Gold: an indirect attribution, and a direct quote interrupted by its cue
# (discontinuous content "40 50;69 83", as PolNeAR writes it).
ANN = "\n".join(
    [
        "T1\tSource 0 11\tAna Berisha",
        "T2\tCue 12 16\tsaid",
        "T3\tContent 17 38\tthe bridge was closed",
        "T4\tAttribution 12 16\tsaid",
        "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1",
        "T5\tContent 40 50;69 83\t\"We paid,\" \"Nobody came.\"",
        "T6\tSource 51 62\tAna Berisha",
        "T7\tCue 63 67\tsaid",
        "T8\tAttribution 63 67\tsaid",
        "E2\tAttribution:T8 Content:T5 Cue:T7 Source:T6",
    ]
)


def _q(start, end, cue, speaker=(0, 11)):
    return Quote(
        doc="", start=start, end=end, text=TEXT[start:end], speaker="Ana Berisha",
        speaker_text=TEXT[speaker[0] : speaker[1]], cue="said", direct=True,
        speaker_start=speaker[0], speaker_end=speaker[1], cue_start=cue[0], cue_end=cue[1],
    )


def _gold(folder):
    path = folder / "x_a.ann"
    path.write_text(ANN, encoding="utf-8")
    return read_brat(path)


@pytest.fixture()
def corpus(tmp_path):
    split = tmp_path / "polnear" / "dev"
    (split / "text").mkdir(parents=True)
    (split / "attributions").mkdir()
    (split / "text" / "art_2016-01-01_bridge.txt").write_text(TEXT, encoding="utf-8")
    (split / "attributions" / "art_2016-01-01_bridge_aa11.ann").write_text(ANN + "\n", encoding="utf-8")
    # a second annotator later in the alphabet with no events: must be ignored
    (split / "attributions" / "art_2016-01-01_bridge_zz99.ann").write_text("", encoding="utf-8")
    return tmp_path / "polnear"


def test_read_brat_joins_events_and_discontinuous_content(corpus):
    gold = read_brat(corpus / "dev" / "attributions" / "art_2016-01-01_bridge_aa11.ann")
    assert [(g.cue, g.sources, g.contents) for g in gold] == [
        ([(12, 16)], [(0, 11)], [(17, 38)]),
        ([(63, 67)], [(51, 62)], [(40, 50), (69, 83)]),
    ]


def test_one_annotator_per_article_first_alphabetically(corpus):
    pairs = article_files(corpus, "dev")
    assert [ann.name for _, ann in pairs] == ["art_2016-01-01_bridge_aa11.ann"]


@pytest.mark.parametrize(
    "predicted, exact, overlap_content",
    [
        pytest.param(
            [_q(17, 38, (12, 16)), _q(40, 50, (63, 67), (51, 62)), _q(69, 83, (63, 67), (51, 62))],
            {"cue": [2, 0, 0], "source": [2, 0, 0], "content": [2, 0, 0]},
            [4 + 5 + 5, 14, 14],
            id="perfect-two-part-quote-grouped-by-cue",
        ),
        pytest.param(
            [_q(17, 38, (12, 16)), _q(40, 50, (63, 67), (51, 62))],
            {"cue": [2, 0, 0], "source": [2, 0, 0], "content": [1, 1, 1]},
            [4 + 5, 9, 14],
            id="missing-second-part-content-not-exact",
        ),
        pytest.param(
            [_q(17, 38, (12, 16), (51, 62))],
            {"cue": [1, 0, 1], "source": [0, 1, 2], "content": [1, 0, 1]},
            [4, 4, 14],
            id="wrong-source-span",
        ),
        pytest.param(
            [_q(17, 38, (0, 3))],
            {"cue": [0, 1, 2], "source": [0, 1, 2], "content": [0, 1, 2]},
            [4, 4, 14],
            id="cue-does-not-overlap-no-exact-match-but-overlap-counts",
        ),
        pytest.param([], {"cue": [0, 0, 2], "source": [0, 0, 2], "content": [0, 0, 2]}, [0, 0, 14], id="nothing"),
    ],
)
def test_citron_counting(nlp, tmp_path, predicted, exact, overlap_content):
    doc = nlp(TEXT)
    gold = _gold(tmp_path)
    result = score_document(doc, gold, predicted)
    for name, counts in exact.items():
        assert result["exact"][name] == counts, name
    assert result["overlap"]["content"] == overlap_content


def _span(text, part):
    start = text.index(part)
    return f"{start} {start + len(part)}"


@pytest.mark.parametrize(
    "text, source, cue, contents",
    [
        pytest.param(
            "The new bridge, Lena Hoxha said, will open in June.",
            "Lena Hoxha", "said", ["The new bridge", "will open in June"],
            id="parenthetical-cue-two-span-content",
        ),
        pytest.param(
            "Sara Berisha, a lawyer, said that the files were lost.",
            "Sara Berisha, a lawyer,", "said", ["that the files were lost"],
            id="appositive-source-with-closing-comma",
        ),
        pytest.param(
            "Arta Zeka has repeatedly criticized the new tax law.",
            "Arta Zeka", "has repeatedly criticized", ["the new tax law"],
            id="attitude-cue-verb-group",
        ),
    ],
)
def test_extractor_matches_polnear_conventions(nlp, tmp_path, text, source, cue, contents):
    from storyline.extract.quotes import quotes

    content = ";".join(_span(text, c) for c in contents)
    ann = tmp_path / "y_a.ann"
    ann.write_text(
        "\n".join([
            f"T1\tSource {_span(text, source)}\t{source}",
            f"T2\tCue {_span(text, cue)}\t{cue}",
            f"T3\tContent {content}\t{' '.join(contents)}",
            "E1\tAttribution:T2 Content:T3 Cue:T2 Source:T1",
        ]),
        encoding="utf-8",
    )
    doc = nlp(text)
    result = score_document(doc, read_brat(ann), quotes(doc))
    for name in ("cue", "source", "content"):
        assert result["exact"][name] == [1, 0, 0], name


def test_uncued_records_are_not_scored(nlp, tmp_path):
    doc = nlp(TEXT)
    loose = Quote(doc="", start=17, end=38, text=TEXT[17:38], speaker=None, speaker_text=None, cue=None, direct=False)
    result = score_document(doc, _gold(tmp_path), [loose])
    assert result["uncued"] == 1
    assert result["predicted"] == 0


def test_evaluate_end_to_end_on_tiny_corpus(nlp, corpus):
    result = evaluate(corpus, split="dev", nlp=nlp)
    assert result["documents"] == 1
    assert result["gold"] == 2
    assert result["metrics"]["exact"]["source"]["precision"] == 1.0
    report = format_report(result)
    assert "source" in report and "content" in report and "Citron" in report


@pytest.mark.parametrize(
    "args, code",
    [
        pytest.param(("/nonexistent/polnear", "dev"), 1, id="missing-path"),
        pytest.param(("/nonexistent/polnear", "test"), 2, id="bad-split"),
    ],
)
def test_main_exit_codes(args, code, capsys):
    assert main(*args) == code
    err = capsys.readouterr().err
    assert err.strip()


#: Measured on PolNeAR dev, first 30 articles: source exact P 0.791 F1 0.622, content overlap P 0.936
#: F1 0.755; floors ~0.05 below (precision floors guard against buying recall with noise).
DEV_FLOORS = {
    ("exact", "source", "f1"): 0.57,
    ("exact", "source", "precision"): 0.74,
    ("overlap", "content", "f1"): 0.70,
    ("overlap", "content", "precision"): 0.88,
}


@pytest.mark.data
def test_polnear_dev_floor(nlp, shared):
    path = shared / "data" / "polnear"
    if not (path / "dev" / "text").is_dir():
        pytest.skip(f"PolNeAR dev split not found under {path}")
    started = time.perf_counter()
    result = evaluate(path, split="dev", limit=30, nlp=nlp)
    assert time.perf_counter() - started < 60
    assert result["documents"] == 30
    for (mode, name, stat), floor in DEV_FLOORS.items():
        assert result["metrics"][mode][name][stat] >= floor, (mode, name, result["metrics"][mode][name])


def test_read_brat_skips_the_tail_of_a_span_text_with_a_line_break(tmp_path):
    path = tmp_path / "x_a.ann"
    path.write_text(
        "T1\tContent 0 4;6 10\tab.\n\ncd\nT2\tCue 11 15\tsaid\nT3\tAttribution 11 15\tsaid\n"
        "E1\tAttribution:T3 Content:T1 Cue:T2\n",
        encoding="utf-8",
    )
    [gold] = read_brat(path)
    assert (gold.cue, gold.sources, gold.contents) == ([(11, 15)], [], [(0, 4), (6, 10)])


def test_read_brat_names_file_and_line_on_a_broken_line(tmp_path):
    path = tmp_path / "x_a.ann"
    path.write_text("T1\tContent zero four\tabcd\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"x_a\.ann:1"):
        read_brat(path)
