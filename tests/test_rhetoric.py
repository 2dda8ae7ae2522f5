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
