"""Persuasion-technique detectors: rules, model, registry, targets, stats."""

from __future__ import annotations

import pytest

from storyline.extract.rhetoric import (
    TECHNIQUES,
    RhetoricDetector,
    UnknownDetector,
    detectors,
    get_detector,
    rhetoric,
    technique_stats,
)
from storyline.extract.rhetoric.rules import LexiconError, RuleDetector, read_lexicon
from storyline.records import Rhetoric

RULES = "storyline.rhetoric.rules.v1"
MODEL = "storyline.rhetoric.model.v1"
DEFAULT = "storyline.rhetoric.default.v1"


def _find(records, technique):
    return [r for r in records if r.technique == technique]


@pytest.mark.parametrize(
    "text, technique, span, target",
    [
        ("The Harlow Union, a terrorist cult, held a rally in the square.",
         "Name_Calling,Labeling", "terrorist cult", "Harlow Union"),
        ("Vendel terrorists blocked the bridge on Monday.", "Name_Calling,Labeling", "terrorists", "Vendel"),
        ("She spent ten years inside the cult of Mirela Osk.", "Name_Calling,Labeling", "cult", "Mirela Osk"),
        ("Tomas Berg's cult recruited students in the suburbs.", "Name_Calling,Labeling", "cult", "Tomas Berg"),
        ("Crooked Ferris signed the contract anyway.", "Name_Calling,Labeling", "Crooked", "Ferris"),
        ("Opponents call the council a corrupt regime.", "Name_Calling,Labeling", "corrupt regime", "council"),
        ("The police response was brutal and the press said nothing.", "Loaded_Language", "brutal", "response"),
        ("It is not known whether the mayor signed the permit.",
         "Doubt", "It is not known whether the mayor signed the permit", None),
        ("The so-called inquiry ended after a week.", "Doubt", "so-called", None),
        ("If the port closes, then the whole region will starve.",
         "Causal_Oversimplification", "If the port closes, then the whole region will starve", None),
        ("The new dam will destroy every farm in the valley.",
         "Appeal_to_fear-prejudice", "The new dam will destroy every farm in the valley", None),
        ("What about the bribes his rivals took last year?",
         "Whataboutism,Straw_Men,Red_Herring", "What about the bribes his rivals took last year", None),
        ("Everyone knows the vote was rigged.", "Bandwagon,Reductio_ad_hitlerum", "Everyone knows the vote was rigged",
         None),
        ("This is the worst budget in history.", "Exaggeration,Minimisation", "the worst budget in history", None),
        ("Our great nation will not bow to anyone.", "Flag-Waving", "Our great nation", None),
        ("Enough is enough, the minister said.", "Thought-terminating_Cliches", "Enough is enough", None),
        ("You are either with us or against us.", "Black-and-White_Fallacy", "You are either with us or against us",
         None),
        ("The crowd kept chanting build the wall outside.", "Slogans", "build the wall", None),
        ("Experts say the bridge is perfectly safe.", "Appeal_to_Authority", "Experts say the bridge is perfectly safe",
         None),
    ],
)
def test_rules_find_technique_span_and_target(nlp, text, technique, span, target):
    doc = nlp(text)
    found = _find(list(rhetoric(doc, "d1", RULES)), technique)
    assert [r.text for r in found] == [span]
    assert found[0].target == target
    assert found[0].technique in TECHNIQUES


@pytest.mark.parametrize(
    "text",
    [
        "The committee met on Tuesday and approved the budget for the library.",
        "Rain is expected in the north of the country tomorrow morning.",
    ],
)
def test_rules_stay_silent_on_plain_reporting(nlp, text):
    assert list(rhetoric(nlp(text), "d1", RULES)) == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("The traitors lied. The traitors fled. The traitors were caught.", 2),
        ("The traitors lied. The traitors fled.", 0),
    ],
)
def test_repetition_of_a_label_three_times(nlp, text, expected):
    found = _find(list(rhetoric(nlp(text), "d1", RULES)), "Repetition")
    assert len(found) == expected
    assert all(r.text == "traitors" for r in found)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("The Harlow Union, a terrorist cult, held a rally.", "name-calling: 'terrorist cult' applied to Harlow Union"),
        ("It is not known whether the mayor signed.", "doubt: cue 'It is not known whether'"),
    ],
)
def test_explanations_say_why(nlp, text, expected):
    explanations = [r.explanation for r in rhetoric(nlp(text), "d1", RULES)]
    assert any(e.startswith(expected) for e in explanations), explanations


TEXTS = [
    "The Harlow Union, a terrorist cult, held a rally. Everyone knows the vote was rigged!",
    "  Leading\nspaces, \u201ccurly quotes\u201d and a brutal, shameful crackdown by the regime.\n\n"
    "If the port closes, the region will starve.",
    "",
]


@pytest.mark.parametrize("name", [RULES, MODEL, DEFAULT])
@pytest.mark.parametrize("text", TEXTS)
def test_offsets_explanations_and_confidence(nlp, name, text):
    doc = nlp(text)
    records = list(rhetoric(doc, "doc-7", name))
    for r in records:
        assert isinstance(r, Rhetoric)
        assert text[r.start:r.end] == r.text and r.text.strip() == r.text and r.text
        assert r.doc == "doc-7"
        assert r.explanation.strip()
        assert 0.0 <= r.confidence <= 1.0
        assert r.technique in TECHNIQUES
        assert r.detector == name


def test_registry_lists_versioned_names():
    assert detectors() == [DEFAULT, MODEL, RULES]
    for name in detectors():
        assert isinstance(get_detector(name), RhetoricDetector)
    assert get_detector() is get_detector(DEFAULT)


def test_unknown_detector_lists_available_names():
    with pytest.raises(UnknownDetector) as err:
        get_detector("storyline.rhetoric.rules.v9")
    assert str(err.value) == (
        "No rhetoric detector named 'storyline.rhetoric.rules.v9'. Available names: "
        "storyline.rhetoric.default.v1, storyline.rhetoric.model.v1, storyline.rhetoric.rules.v1."
    )


@pytest.mark.parametrize("name", [RULES, MODEL, DEFAULT])
def test_classify_gives_one_label_per_span(nlp, name):
    text = "The Harlow Union, a terrorist cult, held a rally. It is not known whether the mayor signed."
    doc = nlp(text)
    spans = [(text.index("terrorist cult"), text.index("terrorist cult") + 14), (50, len(text) - 1)]
    labels = get_detector(name).classify(doc, spans)
    assert len(labels) == 2
    assert all(t in TECHNIQUES and 0.0 <= c <= 1.0 for t, c in labels)
    if name == RULES:
        assert [t for t, _ in labels] == ["Name_Calling,Labeling", "Doubt"]


@pytest.mark.parametrize(
    "techniques, n_words, expected",
    [
        (["Doubt", "Doubt", "Loaded_Language"], 500,
         {"total": 3, "words": 500, "density": 6.0,
          "techniques": {"Doubt": {"count": 2, "per_1k_words": 4.0},
                         "Loaded_Language": {"count": 1, "per_1k_words": 2.0}}}),
        ([], 0, {"total": 0, "words": 0, "density": 0.0, "techniques": {}}),
    ],
)
def test_technique_stats(techniques, n_words, expected):
    records = [Rhetoric("d", 0, 1, t, "x", "why") for t in techniques]
    assert technique_stats(records, n_words) == expected


def test_model_round_trip(nlp, tmp_path):
    from storyline.extract.rhetoric.model import ModelDetector, RhetoricWeights, train_model

    texts = ["The vile regime lied again. Nobody believes them.", "The council met and voted on the budget."]
    gold = [[("Loaded_Language", 4, 8), ("Name_Calling,Labeling", 9, 15)], []]
    docs = list(nlp.pipe(texts))
    weights = train_model(docs, gold, epochs=1)
    weights.save(tmp_path)
    loaded = ModelDetector(path=tmp_path)
    again = RhetoricWeights.load(tmp_path)
    assert again.techniques == TECHNIQUES and again.threshold == weights.threshold
    assert [r.as_dict() for r in loaded.detect(docs[0], "a")] == [r.as_dict() for r in ModelDetector(again).detect(docs[0], "a")]


def test_missing_model_dir_says_how_to_train(tmp_path):
    from storyline.extract.rhetoric.model import ModelDetector, ModelNotTrained

    with pytest.raises(ModelNotTrained, match="storyline train rhetoric"):
        ModelDetector(path=tmp_path)


@pytest.mark.parametrize(
    "content, message",
    [
        ("# confidence: 0.5\nbad\n", "no '# technique: NAME' header"),
        ("# technique: Doubt\n# extent: page\nbad\n", "extent 'page' is not one of phrase, clause, sentence"),
    ],
)
def test_bad_lexicon_file_errors(tmp_path, content, message):
    path = tmp_path / "x.txt"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(LexiconError, match=message):
        read_lexicon(path)


def test_rule_detector_reads_a_custom_lexicon_dir(nlp, tmp_path):
    (tmp_path / "mine.txt").write_text("# technique: Slogans\n# confidence: 0.9\nforward together\n", encoding="utf-8")
    found = list(RuleDetector(tmp_path).detect(nlp("They shouted forward together at the gate."), "d"))
    assert [(r.technique, r.text, r.confidence) for r in found] == [("Slogans", "forward together", 0.9)]


@pytest.mark.data
def test_detectors_on_ptc_articles(nlp, shared):
    from storyline.eval.rhetoric import read_ptc

    ptc = shared / "data" / "ptc"
    if not ptc.exists():
        pytest.skip(f"PTC data not found at {ptc}")
    for article in read_ptc(ptc, limit=3):
        doc = nlp(article.text)
        for name in (RULES, DEFAULT):
            for r in rhetoric(doc, article.id, name):
                assert article.text[r.start:r.end] == r.text


# -- decoding, tuning and the default detector's rule selection ----------------------------------

DECODE_TEXT = "The mayor told a vile lie today. The council met."
# tokens: The mayor told a vile lie today . The council met .
#          0    1    2   3  4    5    6   7  8    9      10  11


@pytest.mark.parametrize(
    "scores, threshold, low, trim, min_score, expected",
    [
        # hysteresis: the run 3..6 ("a vile lie") holds a token >= threshold
        ({3: 0.3, 4: 0.9, 5: 0.3}, 0.5, 0.2, False, 0.0, ["a vile lie"]),
        # trim drops the leading determiner
        ({3: 0.3, 4: 0.9, 5: 0.3}, 0.5, 0.2, True, 0.0, ["vile lie"]),
        # no token reaches the high threshold: nothing
        ({3: 0.3, 4: 0.4, 5: 0.3}, 0.5, 0.2, False, 0.0, []),
        # the mean score is below min_score: nothing
        ({3: 0.3, 4: 0.9, 5: 0.3}, 0.5, 0.2, False, 0.6, []),
        # a run never crosses a sentence boundary, and edge punctuation is trimmed
        ({6: 0.9, 7: 0.9, 8: 0.9, 9: 0.9}, 0.5, 0.2, False, 0.0, ["today", "The council"]),
    ],
)
def test_decode(nlp, scores, threshold, low, trim, min_score, expected):
    import numpy as np

    from storyline.extract.rhetoric.model import _arrays, decode

    doc = nlp(DECODE_TEXT)
    assert len(doc) == 12 and doc[8].is_sent_start
    probs = np.zeros(len(doc))
    for i, p in scores.items():
        probs[i] = p
    found = decode(probs, _arrays(doc), threshold, low, trim, min_score)
    assert [doc[a:b].text for a, b, _ in found] == expected


@pytest.mark.parametrize(
    "predicted, gold",
    [
        ([[(0, 10)], [(5, 8)]], [[(2, 6)], [(0, 20)]]),
        ([[(0, 4), (4, 9), (20, 30)]], [[(3, 25), (26, 28)]]),
        ([[], [(1, 2)]], [[(0, 5)], []]),
    ],
)
def test_fast_scorer_matches_the_reference_scorer(predicted, gold):
    import numpy as np

    from storyline.eval.rhetoric import span_scores
    from storyline.extract.rhetoric.model import _SIScorer

    lengths = [40] * len(gold)
    scorer = _SIScorer(lengths, gold)
    doc_i = np.array([k for k, spans in enumerate(predicted) for _ in spans], dtype=np.int64)
    s = np.array([a for spans in predicted for a, _ in spans], dtype=np.int64)
    e = np.array([b for spans in predicted for _, b in spans], dtype=np.int64)
    p, r, f1 = scorer.score(*scorer.to_global(doc_i, s, e))
    ref = span_scores({str(k): v for k, v in enumerate(predicted)}, {str(k): v for k, v in enumerate(gold)})
    assert (p, r, f1) == pytest.approx((ref["precision"], ref["recall"], ref["f1"]))


@pytest.mark.parametrize(
    "x, y",
    [
        ([0.1, 0.2, 0.3, 0.4, 0.5, 0.6], [0.5, 0.1, 0.3, 0.2, 0.9, 0.8]),
        ([0.3, 0.1, 0.2], [1.0, 0.0, 0.0]),
    ],
)
def test_calibration_is_monotone(x, y):
    import numpy as np

    from storyline.extract.rhetoric.model import _isotonic

    xs, ys = _isotonic(np.array(x), np.array(y), bins=len(x))
    assert xs == sorted(xs) and ys == sorted(ys)
    assert min(y) <= ys[0] and ys[-1] <= max(y)


def test_tuning_picks_thresholds_and_rules_on_held_out_scores(nlp):
    import numpy as np

    from storyline.extract.rhetoric.model import MIN_RULE_HITS, _arrays, tune_decoding

    doc = nlp(DECODE_TEXT)
    arrays = _arrays(doc)
    probs = np.full(len(doc), 0.1)
    probs[4:6] = 0.7  # "vile lie", the gold span
    n = MIN_RULE_HITS
    gold = [(doc[4].idx, doc[5].idx + len(doc[5]))]
    council = (doc[9].idx, doc[9].idx + len(doc[9]))  # a rule that always misses
    tuned = tune_decoding([probs] * n, [arrays] * n, [len(doc.text)] * n, [gold] * n,
                          [[(*council, "bad_rule"), (*gold[0], "good_rule")]] * n)
    assert tuned["threshold"] > 0.1 and tuned["low"] > 0.1
    assert tuned["tuning"]["model_oof"]["f1"] == pytest.approx(1.0)
    assert tuned["rule_precision"] == {"bad_rule": [0.0, n], "good_rule": [1.0, n]}
    assert "bad_rule" not in tuned["rules_kept"]


def _combined(nlp, rules_kept):
    import numpy as np

    from storyline.extract.rhetoric.combined import CombinedDetector
    from storyline.extract.rhetoric.model import SPAN_BITS, TOKEN_BITS, ModelDetector, RhetoricWeights

    # a tagger that marks nothing: every span comes from the rules
    tagger = np.zeros(((1 << TOKEN_BITS) + 1, 2), dtype=np.float32)
    tagger[:, 0] = 1.0
    weights = RhetoricWeights(tagger, np.zeros(((1 << SPAN_BITS) + 1, len(TECHNIQUES)), dtype=np.float32),
                              threshold=0.5, low=0.5, rules_kept=rules_kept)
    return CombinedDetector(RuleDetector(), ModelDetector(weights))


@pytest.mark.parametrize(
    "rules_kept, expected",
    [
        (None, ["It is not known whether the new plan will ever work"]),
        (("doubt",), ["It is not known whether the new plan will ever work"]),
        (("name_calling",), []),
        ((), []),
    ],
)
def test_default_admits_only_selected_rules(nlp, rules_kept, expected):
    doc = nlp("It is not known whether the new plan will ever work.")
    found = [r.text for r in _combined(nlp, rules_kept).detect(doc, "d")]
    assert found == expected


@pytest.mark.parametrize("rules_kept", [None, ("doubt",), ()])
def test_default_always_admits_a_label_aimed_at_an_entity(nlp, rules_kept):
    doc = nlp("The Harlow Union, a terrorist cult, held a rally in the square.")
    found = [(r.text, r.target) for r in _combined(nlp, rules_kept).detect(doc, "d")]
    assert found == [("terrorist cult", "Harlow Union")]


def test_unknown_combination_mode(nlp):
    from storyline.extract.rhetoric.combined import CombinedDetector

    with pytest.raises(ValueError, match="selected, model_first, union, rules_first"):
        CombinedDetector(RuleDetector(), _combined(nlp, None).model, mode="both")


def test_nested_tuning_round_trip(nlp, tmp_path):
    from storyline.extract.rhetoric.model import RhetoricWeights, train_model

    texts = ["The vile regime lied again. Nobody believes them.", "The council met and voted on the budget.",
             "A corrupt gang runs the port. The harbour opened at nine.", "The mayor spoke about roads."]
    gold = [[("Loaded_Language", 4, 8)], [], [("Loaded_Language", 2, 9)], []]
    docs = list(nlp.pipe(texts))
    weights = train_model(docs, gold, epochs=1, groups=[0, 1, 0, 1], keys=["a", "b", "c", "d"])
    assert weights.tuning["inner_folds"] == 2 and weights.calibration is not None
    weights.save(tmp_path)
    again = RhetoricWeights.load(tmp_path)
    assert (again.threshold, again.low, again.trim, again.min_score) == \
        (weights.threshold, weights.low, weights.trim, weights.min_score)
    assert again.calibration == weights.calibration and again.rules_kept == tuple(weights.rules_kept)
