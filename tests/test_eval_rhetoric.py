"""PTC reader and the SemEval-2020 Task 11 scorers."""

from __future__ import annotations

import pytest

from storyline.eval.rhetoric import (
    PTCFormatError,
    evaluate,
    fold_of,
    format_report,
    merge_spans,
    read_ptc,
    span_scores,
    technique_scores,
)


@pytest.mark.parametrize(
    "predicted, gold, expected",
    [
        # P = (5/10 + 10/10 + 0) / 3, R = (5/10 + 10/10) / 2
        ({"a": [(5, 15), (20, 30), (40, 50)]}, {"a": [(0, 10), (20, 30)]}, (0.5, 0.75, 0.6)),
        # one long prediction covering two gold spans: P = (10+10)/40, R = (1 + 1)/2
        ({"a": [(0, 40)]}, {"a": [(0, 10), (30, 40)]}, (0.5, 1.0, 2 / 3)),
        # spans only count against gold of the same article
        ({"a": [(0, 10)], "b": [(0, 10)]}, {"a": [(0, 10)]}, (0.5, 1.0, 2 / 3)),
        # overlapping gold spans are merged first: gold (0, 20), P = 10/10, R = 10/20
        ({"a": [(0, 10)]}, {"a": [(0, 12), (8, 20)]}, (1.0, 0.5, 2 / 3)),
        ({}, {"a": [(0, 10)]}, (0.0, 0.0, 0.0)),
    ],
)
def test_span_scores_partial_overlap(predicted, gold, expected):
    scores = span_scores(predicted, gold)
    assert (scores["precision"], scores["recall"], scores["f1"]) == pytest.approx(expected)


@pytest.mark.parametrize(
    "spans, expected",
    [
        ([(5, 8), (0, 3), (2, 4)], [(0, 4), (5, 8)]),
        ([(0, 3), (3, 6)], [(0, 6)]),
        ([], []),
    ],
)
def test_merge_spans(spans, expected):
    assert merge_spans(spans) == expected


def test_technique_scores_micro_is_accuracy():
    result = technique_scores(["Doubt", "Slogans", "Doubt"], ["Doubt", "Doubt", "Doubt"])
    assert result["micro_f1"] == pytest.approx(2 / 3)
    assert result["per_technique"]["Doubt"]["precision"] == 1.0
    assert result["per_technique"]["Doubt"]["recall"] == pytest.approx(2 / 3)
    assert result["per_technique"]["Slogans"]["f1"] == 0.0


def test_technique_scores_needs_one_label_per_span():
    with pytest.raises(ValueError, match="2 predictions for 3 gold spans"):
        technique_scores(["Doubt", "Doubt"], ["Doubt", "Doubt", "Doubt"])


def _write_ptc(root, articles):
    (root / "articles").mkdir(parents=True)
    (root / "labels").mkdir()
    for aid, text, labels in articles:
        (root / "articles" / f"article{aid}.txt").write_bytes(text.encode("utf-8"))
        lines = "".join(f"{aid}\t{tech}\t{s}\t{e}\n" for tech, s, e in labels)
        (root / "labels" / f"article{aid}.task2-TC.labels").write_text(lines, encoding="utf-8")


def test_read_ptc_keeps_offsets_of_raw_newlines(tmp_path):
    text = "A title\r\n\r\nThe vile plan failed.\n"
    start = text.index("vile")
    _write_ptc(tmp_path, [("7", text, [("Loaded_Language", start, start + 4)])])
    (article,) = read_ptc(tmp_path)
    assert article.id == "7"
    assert article.text == text
    tech, s, e = article.spans[0]
    assert (tech, article.text[s:e]) == ("Loaded_Language", "vile")


@pytest.mark.parametrize(
    "labels_line, message",
    [
        ("7\tDoubt\t3\n", "expected 4 tab-separated fields"),
        ("7\tDoubt\t3\t999\n", "outside the article"),
    ],
)
def test_read_ptc_format_errors(tmp_path, labels_line, message):
    (tmp_path / "articles").mkdir()
    (tmp_path / "labels").mkdir()
    (tmp_path / "articles" / "article7.txt").write_text("Short text.\n", encoding="utf-8")
    (tmp_path / "labels" / "article7.task2-TC.labels").write_text(labels_line, encoding="utf-8")
    with pytest.raises(PTCFormatError, match=message):
        read_ptc(tmp_path)


def test_read_ptc_missing_folder_says_what_to_pass(tmp_path):
    with pytest.raises(PTCFormatError, match="No 'articles' folder"):
        read_ptc(tmp_path)


def test_fold_of_is_stable_and_in_range():
    assert [fold_of(str(i), 5) for i in range(6)] == [fold_of(str(i), 5) for i in range(6)]
    assert {fold_of(str(i), 5) for i in range(200)} == {0, 1, 2, 3, 4}


SENTENCES = [
    ("The vile regime lied to everyone again.", [("Loaded_Language", "vile")]),
    ("It is not known whether the minister signed the deal.",
     [("Doubt", "It is not known whether the minister signed the deal")]),
    ("The council met and approved the budget.", []),
    ("Those traitors will destroy our jobs.", [("Name_Calling,Labeling", "traitors")]),
]


def _tiny_corpus(root, n_articles=8):
    articles = []
    for k in range(n_articles):
        parts, labels, pos = [], [], 0
        for j in range(4):
            sentence, spans = SENTENCES[(k + j) % len(SENTENCES)]
            for tech, words in spans:
                s = pos + sentence.index(words)
                labels.append((tech, s, s + len(words)))
            parts.append(sentence)
            pos += len(sentence) + 1
        articles.append((str(100 + k), "\n".join(parts) + "\n", labels))
    _write_ptc(root, articles)


@pytest.mark.parametrize("detector", ["storyline.rhetoric.rules.v1", "storyline.rhetoric.model.v1",
                                      "storyline.rhetoric.default.v1"])
def test_evaluate_on_tiny_corpus(nlp, tmp_path, detector):
    _tiny_corpus(tmp_path)
    result = evaluate(tmp_path, detector=detector, folds=2, nlp=nlp)
    assert result["articles"] == 8
    scored = result.get("cv") or result["holdout"]
    assert 0.0 < scored["si"]["f1"] <= 1.0
    assert 0.0 <= scored["tc"]["micro_f1"] <= 1.0
    assert scored["tc"]["n"] > 0
    report = format_report(result)
    assert report.startswith(f"rhetoric eval: {detector} on 8 PTC articles, 2 folds")
    assert "words/s" in report


def test_evaluate_unknown_detector(tmp_path):
    _tiny_corpus(tmp_path)
    with pytest.raises(KeyError, match="Available names"):
        evaluate(tmp_path, detector="storyline.rhetoric.nope.v1")


@pytest.mark.data
def test_evaluate_rules_on_a_few_ptc_articles(nlp, shared):
    ptc = shared / "data" / "ptc"
    if not ptc.exists():
        pytest.skip(f"PTC data not found at {ptc}")
    result = evaluate(ptc, detector="storyline.rhetoric.rules.v1", folds=5, limit=12, nlp=nlp)
    held = result["holdout"]
    assert held["articles"] == sum(1 for a in read_ptc(ptc, limit=12) if fold_of(a.id, 5) == 0)
    assert held["si"]["n_gold"] > 0
    assert 0.0 <= held["si"]["f1"] <= 1.0


@pytest.mark.parametrize("nested, tuned", [(True, True), (False, False)])
def test_evaluate_chooses_decoding_inside_training_folds(nlp, tmp_path, monkeypatch, nested, tuned):
    from storyline.extract.rhetoric import model as model_module

    _tiny_corpus(tmp_path)
    seen: list[list[str]] = []
    original = model_module.train_model

    def spy(docs, gold, **kwargs):
        if kwargs.get("groups") is not None:
            seen.append(kwargs["keys"])
        return original(docs, gold, epochs=1, **kwargs)

    monkeypatch.setattr(model_module, "train_model", spy)
    result = evaluate(tmp_path, detector="storyline.rhetoric.model.v1", folds=3, nlp=nlp, nested=nested)
    assert bool(seen) is tuned
    for k, keys in enumerate(seen):
        # the tuning data never includes the fold being scored
        assert all(fold_of(a, 3) != k for a in keys)
    report = format_report(result)
    assert ("chosen on training folds" in report) and len(result["per_fold"]) == 3
