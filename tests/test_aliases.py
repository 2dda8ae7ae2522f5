"""Cross-document alias resolution, overrides and the pairwise scorer (issue 3).

Mentions are built by hand so each row tests one merge rule; the data tests
run the whole path (nlp -> mentions -> resolve) on the two real articles in
../shared/examples and on the demo corpus, against gold files we annotated.
"""

import itertools
import json
import random
import time
from pathlib import Path

import pytest

from storyline.records import Acronym, Mention
from storyline.resolve.aliases import (
    load_overrides,
    name_key,
    pairwise_alias_scores,
    resolve,
    skeleton,
)

HERE = Path(__file__).resolve().parent
EXAMPLES_GOLD = HERE / "gold_examples" / "examples_gold.json"
DEMO = HERE.parent / "src" / "storyline" / "demo"

_pos = itertools.count()


def m(doc, name, label="ORG", text=None, kind="name", candidates=()):
    """A mention at a fresh offset; ``text`` defaults to ``name``."""
    start = next(_pos) * 100
    text = text or name
    return Mention(doc, start, start + len(text), text, name, label, kind, tuple(candidates))


def together(res, a, b):
    """True when aliases ``a`` and ``b`` ended in one entity."""
    return any(a in e.aliases and b in e.aliases for e in res.entities)


@pytest.mark.parametrize(
    "first, second, label",
    [
        (("Manëz", "GPE"), ("Manez", "GPE"), "diacritics"),
        (("Manëz", "GPE"), ("Manze", "GPE"), "transposed vowels"),
        (("Mujahedin-e Khalq", "ORG"), ("Mojahedin-e Khalq", "ORG"), "transliteration"),
        (("Mujahideen Front", "ORG"), ("Mujahedin Front", "ORG"), "transliteration, doubled vowel"),
        (("ASILA", "ORG"), ("Asila", "ORG"), "case"),
        (("Ashraf-3", "FAC"), ("Ashraf 3", "FAC"), "hyphenation"),
        (("Mojahedin-e Khalq", "ORG"), ("Mojahedin Khalq", "ORG"), "ezafe particle"),
        (("Rajavi Maryam", "PERSON"), ("Maryam Rajavi", "PERSON"), "word order"),
        (("U.S.", "GPE"), ("US", "GPE"), "dotted acronym"),
        (("Olsi Jazexhi", "PERSON"), ("Olsi Jazexi", "PERSON"), "spelling"),
        (("the Harbor Front", "ORG"), ("Harbor Front's", "ORG"), "article and possessive"),
        (("Nour Guard", "ORG"), ("Nour Guard Corps", "ORG"), "shortened: generic last word dropped"),
        (("State Police", "ORG"), ("Korvenian State Police", "ORG"), "shortened: people's name dropped"),
        (("Zarvani", "NORP"), ("Zarvanis", "GPE"), "plural of a people, mis-tagged"),
    ],
)
def test_cross_document_merges(first, second, label):
    context = [m("d3", "Korvenian", "NORP")] if "Korvenian" in second[0] else []
    res = resolve([m("d1", first[0], first[1]), m("d2", second[0], second[1])] + context, [], {})
    assert len(res.entities) == 1 + len(context), label
    assert together(res, clean(first[0]), clean(second[0])), label


def clean(name):
    from storyline.extract.entities import clean_name

    return clean_name(name, None)


@pytest.mark.parametrize(
    "first, second, label",
    [
        (("Maryam Rajavi", "PERSON"), ("Massoud Rajavi", "PERSON"), "same surname, different first names"),
        (("Iran", "GPE"), ("Iraq", "GPE"), "neighbouring names"),
        (("Ashraf 3", "FAC"), ("Ashraf 2", "FAC"), "different numbers"),
        (("Camp Ashraf", "FAC"), ("Ashraf 3", "FAC"), "different token counts"),
        (("Manez", "GPE"), ("Manez Group", "ORG"), "different type and length"),
        (("MEK", "ORG"), ("MKO", "ORG"), "acronyms merge only through definitions"),
        (("Tirana", "GPE"), ("Tirana Group", "ORG"), "a place and an organisation named after it"),
        (("Zarvan", "GPE"), ("Zarvanis", "GPE"), "a country and its people"),
    ],
)
def test_kept_apart(first, second, label):
    res = resolve([m("d1", first[0], first[1]), m("d2", second[0], second[1])], [], {})
    assert len(res.entities) == 2, label


@pytest.mark.parametrize(
    "names, joined, apart, label",
    [
        ([("Camp Liberty 2", "FAC"), ("Liberty-2", "FAC")], ("Camp Liberty 2", "Liberty-2"), None, "a facility's generic first word"),
        (
            [("Camp Liberty", "FAC"), ("Liberty-2", "FAC"), ("Camp Liberty 2", "FAC")],
            ("Camp Liberty 2", "Liberty-2"),
            ("Camp Liberty", "Liberty-2"),
            "the numbered camp is another camp",
        ),
        ([("Republic of Zarvan", "GPE"), ("Zarvan", "GPE")], ("Republic of Zarvan", "Zarvan"), None, "a state's form of government"),
        (
            [("Republic of the Tana", "GPE"), ("Democratic Republic of the Tana", "GPE"), ("Tana", "GPE")],
            None,
            ("Republic of the Tana", "Democratic Republic of the Tana"),
            "two republics share the short name: no merge through it",
        ),
        (
            [("Tervala Courier", "ORG"), ("Courier", "ORG"), ("Tervala", "GPE")],
            ("Tervala Courier", "Courier"),
            ("Tervala", "Courier"),
            "an outlet named after its city, one word left",
        ),
        ([("Amnesty International", "ORG"), ("Amnesty", "ORG")], ("Amnesty International", "Amnesty"), None, "first word of an organisation"),
        (
            [("Mujahedin Khalq Organization", "ORG"), ("Mujahideen", "PERSON")],
            ("Mujahedin Khalq Organization", "Mujahideen"),
            None,
            "first word, spelled differently, tagged PERSON once",
        ),
        (
            [("Mazda Parsi", "PERSON"), ("Mazda Motor Corporation", "ORG"), ("Mazda", "ORG")],
            None,
            ("Mazda", "Mazda Motor Corporation"),
            "a word that starts a person's name is not an organisation's short name",
        ),
        (
            [("Harbor Front", "ORG"), ("Harbor Guard", "ORG"), ("Harbor", "ORG")],
            None,
            ("Harbor Front", "Harbor Guard"),
            "two organisations start with the word: no merge",
        ),
        (
            [("Albanian Police", "ORG"), ("Albanian", "NORP")],
            None,
            ("Albanian", "Albanian Police"),
            "a people is not the short name of its police",
        ),
        (
            [("Jordan", "PERSON"), ("Jordan", "PERSON"), ("Jordan", "PERSON"), ("Jordan Trading Company", "ORG")],
            None,
            ("Jordan", "Jordan Trading Company"),
            "a well-attested person does not join an organisation",
        ),
        (
            [("Putin", "PERSON"), ("Putin's potential involvement", "ORG")],
            None,
            ("Putin", "Putin's potential involvement"),
            "a tagger's phrase that is not written as a name is no organisation to shorten",
        ),
        (
            [("Harbor", "PERSON"), ("Harbor Lights", "ORG")],
            None,
            ("Harbor", "Harbor Lights"),
            "a word tagged PERSON joins only an organisation whose name ends in an organisation word",
        ),
        (
            [("Christie", "PERSON"), ("Chris Christie", "PERSON"), ("Christie Foundation", "ORG")],
            ("Christie", "Chris Christie"),
            ("Christie", "Christie Foundation"),
            "a word of a person's name stays with the person",
        ),
        (
            [("US State Department", "ORG"), ("DOS", "ORG", "US State Department")],
            ("US State Department", "DOS"),
            None,
            "an acronym named after its organisation in its document",
        ),
    ],
)
def test_shortened_names(names, joined, apart, label):
    ms = [m(f"d{i}", spec[2] if len(spec) > 2 else spec[0], spec[1], text=spec[0]) for i, spec in enumerate(names)]
    res = resolve(ms, [], {})
    if joined:
        assert together(res, *joined), label
    if apart:
        assert not together(res, *apart), label
        a, b = apart
        assert not any(a in e.aliases and b in e.aliases for e in res.entities), label


def test_a_place_goes_by_its_most_frequent_name():
    ms = [m("d1", "Republic of Zarvan", "GPE")] + [m(f"d{i}", "Zarvan", "GPE") for i in range(2, 5)]
    (ent,) = resolve(ms, [], {}).entities
    assert ent.name == "Zarvan" and "Republic of Zarvan" in ent.aliases


def test_acronym_binding_merges_across_documents():
    ms = [
        m("d1", "Mojahedin-e Khalq"),
        m("d1", "MEK"),
        m("d2", "MEK"),
        m("d3", "MEK", text="MEK's"),
        m("d4", "Mujahedin-e Khalq"),
    ]
    acr = [Acronym("d1", "MEK", "Mojahedin-e Khalq", 0, 30)]
    res = resolve(ms, acr, {})
    assert len(res.entities) == 1
    ent = res.entities[0]
    assert ent.name in {"Mojahedin-e Khalq", "Mujahedin-e Khalq"}  # the expansion, not the acronym
    assert {"MEK", "Mojahedin-e Khalq", "Mujahedin-e Khalq"} <= set(ent.aliases)
    assert res.stats["acronym"] == 1


def test_common_acronyms_need_no_definition():
    res = resolve([m("d1", "US", "GPE"), m("d2", "United States", "GPE"), m("d3", "U.S.", "GPE")], [], {})
    assert len(res.entities) == 1 and res.entities[0].name == "United States"


def test_mis_tagged_one_word_name_joins_its_spelling_variant():
    # "the Manez camp" tagged PERSON once; "Manza" tagged GPE once: same skeleton, close spelling
    res = resolve([m("d1", "Manez", "PERSON"), m("d2", "Manza", "GPE")], [], {})
    assert len(res.entities) == 1


def test_well_attested_types_do_not_cross():
    ms = [m(f"d{i}", "Manez", "PERSON") for i in range(3)] + [m(f"e{i}", "Manza", "GPE") for i in range(3)]
    assert len(resolve(ms, [], {}).entities) == 2


def test_a_state_is_typed_by_its_people():
    ms = [m(f"d{i}", "Korvenia", "ORG") for i in range(5)] + [m("d9", "Korvenia", "GPE"), m("d9", "Korvenian", "NORP")]
    types = {e.name: e.type for e in resolve(ms, [], {}).entities}
    assert types == {"Korvenia": "GPE", "Korvenian": "NORP"}


def test_person_labels_move_to_the_organisation_other_documents_name():
    ms = [
        m("d1", "Harbor Front"),
        m("d1", "Harbor Front", text="Volkov's cult", kind="label"),  # d1 says who leads it
        m("d2", "Viktor Volkov", "PERSON"),
        m("d2", "Viktor Volkov", "PERSON", text="the Volkov cult", kind="label"),  # d2 does not
        m("d2", "Viktor Volkov", "PERSON", text="the old man", kind="label"),
    ]
    res = resolve(ms, [], {})
    by = {e.name: e for e in res.entities}
    assert [t for t, _, _ in by["Harbor Front"].labels] == ["Volkov's cult", "the Volkov cult"]
    assert [t for t, _, _ in by["Viktor Volkov"].labels] == ["the old man"]
    assert res.stats["labels moved to an organisation"] == 1


def test_a_documents_other_organisation_labels_follow_the_moved_one():
    ms = [
        m("d1", "Harbor Front"),
        m("d1", "Harbor Front", text="Volkov's cult", kind="label"),
        m("d2", "Viktor Volkov", "PERSON"),
        m("d2", "Viktor Volkov", "PERSON", text="the Volkov gang", kind="label"),
        m("d2", "Viktor Volkov", "PERSON", text="the terrorist group", kind="label"),  # no name in it
        m("d2", "Viktor Volkov", "PERSON", text="the dictator", kind="label"),  # a person's label stays
        m("d3", "Viktor Volkov", "PERSON", text="the armed group", kind="label"),  # another document: stays
    ]
    by = {e.name: e for e in resolve(ms, [], {}).entities}
    assert [t for t, _, _ in by["Harbor Front"].labels] == ["Volkov's cult", "the Volkov gang", "the terrorist group"]
    assert [t for t, _, _ in by["Viktor Volkov"].labels] == ["the armed group", "the dictator"]


def test_type_is_voted_over_all_mentions():
    ms = [m("d0", "ZAR", "PERSON")] + [m(f"d{i}", "ZAR", "ORG") for i in range(1, 13)]
    res = resolve(ms, [], {})
    assert [(e.name, e.type) for e in res.entities] == [("ZAR", "ORG")]
    assert res.entities[0].type_votes == {"ORG": 12, "PERSON": 1}


def test_entity_fields_and_outlet_counts():
    ms = [
        m("d1", "Olsi Jazexhi", "PERSON", text="Dr. Olsi Jazexhi"),
        m("d1", "Olsi Jazexhi", "PERSON", text="Jazexhi"),
        m("d2", "Olsi Jazexhi", "PERSON"),
        m("d2", "Olsi Jazexhi", "PERSON", text="the historian's cult", kind="label"),
    ]
    res = resolve(ms, [], {"d1": "Exile Watch", "d2": None})
    (ent,) = res.entities
    assert ent.name == "Olsi Jazexhi" and ent.type == "PERSON"
    assert ent.aliases == ["Jazexhi", "Olsi Jazexhi"]
    assert ent.mention_count == 3
    assert ent.outlets == {"(unknown)": 1, "Exile Watch": 2}
    assert ent.labels == [("the historian's cult", "d2", None)]
    assert ent.id.startswith("e-") and len(ent.id) == 14
    assert set(res.assign.values()) == {ent.id} and len(res.assign) == 4


def test_ids_are_stable_across_runs_and_input_order():
    ms = [m("d1", "Harbor Front"), m("d2", "Tirana", "GPE"), m("d3", "HF"), m("d3", "Harbor Front")]
    a = resolve(ms, [Acronym("d3", "HF", "Harbor Front", 0, 10)], {})
    b = resolve(list(reversed(ms)), [Acronym("d3", "HF", "Harbor Front", 0, 10)], {})
    assert sorted((e.id, e.name) for e in a.entities) == sorted((e.id, e.name) for e in b.entities)


def test_labels_are_kept_per_outlet_not_as_aliases():
    ms = [
        m("d1", "Harbor Front"),
        m("d1", "Harbor Front", text="the Cult of Volkov", kind="label"),
        m("d2", "Harbor Front", text="the terrorist group", kind="label"),
    ]
    res = resolve(ms, [], {"d1": "Dawn", "d2": "Blaze"})
    (ent,) = res.entities
    assert ent.aliases == ["Harbor Front"]
    assert ent.labels == [("the Cult of Volkov", "d1", "Dawn"), ("the terrorist group", "d2", "Blaze")]


def test_ambiguous_surname_is_kept_with_candidates():
    ms = [
        m("d1", "Maryam Rajavi", "PERSON"),
        m("d1", "Massoud Rajavi", "PERSON"),
        m("d1", "Rajavi", "PERSON", candidates=("Maryam Rajavi", "Massoud Rajavi")),
        m("d2", "Rajavi", "PERSON"),  # a document that never gives a first name
        m("d3", "Jazexhi", "PERSON"),
        m("d4", "Olsi Jazexhi", "PERSON"),
    ]
    res = resolve(ms, [], {})
    names = sorted(e.name for e in res.entities)
    assert names == ["Maryam Rajavi", "Massoud Rajavi", "Olsi Jazexhi"]
    ids = {e.name: e.id for e in res.entities}
    assert len(res.ambiguous) == 2
    for doc, start, end, text, cands in res.ambiguous:
        assert text == "Rajavi"
        assert set(cands) == {ids["Maryam Rajavi"], ids["Massoud Rajavi"]}
        assert (doc, start, end) not in res.assign
    # a bare surname with one possible full name in the corpus joins it
    assert together(res, "Jazexhi", "Olsi Jazexhi")


# --------------------------------------------------------------------------- overrides


def _write(tmp_path, text):
    path = tmp_path / "aliases.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_override_merge(tmp_path):
    ms = [m("d1", "MEK"), m("d2", "PMOI"), m("d3", "Tirana", "GPE")]
    ov = load_overrides(_write(tmp_path, "merge:\n  - [MEK, PMOI]\n"))
    res = resolve(ms, [], {}, ov)
    assert together(res, "MEK", "PMOI") and len(res.entities) == 2
    assert res.report == ["merge ['MEK', 'PMOI']: joined 2 entities"]


def test_override_split(tmp_path):
    ms = [m("d1", "Harbor Front"), m("d2", "Harbour Front"), m("d3", "Harbor Front")]
    assert len(resolve(ms, [], {}).entities) == 1
    ov = load_overrides(_write(tmp_path, "split:\n  - {name: Harbour Front Trust, aliases: [Harbour Front]}\n"))
    res = resolve(ms, [], {}, ov)
    assert sorted((e.name, e.aliases) for e in res.entities) == [
        ("Harbor Front", ["Harbor Front"]),
        ("Harbour Front Trust", ["Harbour Front", "Harbour Front Trust"]),  # the name is an alias too
    ]
    assert "moved 1 mentions from 1 entities into a new entity" in res.report[0]


def test_override_label(tmp_path):
    ms = [m("d1", "Harbor Front"), m("d2", "The Sect", text="the Sect"), m("d3", "Volkov", "PERSON", text="the clan", kind="label")]
    ov = load_overrides(
        _write(tmp_path, "label:\n  - {entity: Harbor Front, text: the Sect}\n  - {entity: Harbor Front, text: the clan}\n")
    )
    res = resolve(ms, [], {"d2": "Blaze"}, ov)
    (front,) = [e for e in res.entities if e.name == "Harbor Front"]
    assert ("the Sect", "d2", "Blaze") in front.labels and ("the clan", "d3", None) in front.labels
    assert "the Sect" not in front.aliases
    assert not any(e.name == "The Sect" for e in res.entities)
    assert res.report[0].endswith("1 name mentions turned into labels, 0 labels moved from other entities")
    assert res.report[1].endswith("0 name mentions turned into labels, 1 labels moved from other entities")


def test_override_matching_nothing_is_reported(tmp_path):
    ov = load_overrides(
        _write(
            tmp_path,
            "merge:\n  - [Nobody, Nothing]\nsplit:\n  - {name: X, aliases: [Nowhere]}\nlabel:\n  - {entity: Ghost, text: the sect}\n",
        )
    )
    res = resolve([m("d1", "Harbor Front")], [], {}, ov)
    assert res.report == [
        "merge ['Nobody', 'Nothing']: matched nothing",
        "split 'X' ['Nowhere']: matched nothing",
        "label 'the sect' -> 'Ghost': entity matched nothing",
    ]
    assert [e.name for e in res.entities] == ["Harbor Front"]


@pytest.mark.parametrize(
    "text, problem",
    [
        ("merge: [[a, b]\n", "not valid YAML at line"),
        ("- a\n- b\n", "the top level is a list, not a mapping"),
        ("merges:\n  - [a, b]\n", "unknown key(s) 'merges'"),
        ("merge:\n  - a\n", "merge entry 1 is 'a', not a list of two or more names"),
        ("split:\n  - {name: X}\n", "split entry 1"),
        ("label:\n  - {entity: X}\n", "label entry 1"),
    ],
)
def test_bad_overrides_file_message(tmp_path, text, problem):
    path = _write(tmp_path, text)
    with pytest.raises(ValueError) as err:
        load_overrides(path)
    message = str(err.value)
    assert message.startswith(str(path) + ": ")
    assert problem in message
    assert "expected a mapping with any of these keys" in message


def test_missing_overrides_file(tmp_path):
    with pytest.raises(ValueError, match="cannot read the aliases file"):
        load_overrides(tmp_path / "absent.yaml")


# --------------------------------------------------------------------------- keys and scorer


@pytest.mark.parametrize(
    "name, key",
    [("Manëz", "manez"), ("the U.S.", "us"), ("MEK\u2019s", "mek"), ("Mojahedin-e Khalq", "mojahedin khalq"), ("Ashraf-3", "ashraf 3")],
)
def test_name_key(name, key):
    assert name_key(name) == key


@pytest.mark.parametrize("a, b", [("mujahedin", "mojahedin"), ("mujahideen", "mujahedin"), ("manez", "manze")])
def test_skeleton_joins_transliterations(a, b):
    assert skeleton(a) == skeleton(b)


def test_pairwise_scores():
    gold = {
        "entities": [
            {"name": "MEK", "aliases": ["MEK", "PMOI", "Mujahedin-e Khalq"]},
            {"name": "Maryam Rajavi", "aliases": ["Maryam Rajavi", "Rajavi"]},
            {"name": "Massoud Rajavi", "aliases": ["Massoud Rajavi", "Rajavi"]},
        ],
        "keep_apart": [["Maryam Rajavi", "Massoud Rajavi"]],
    }
    predicted = [["MEK", "Mujahedin-e Khalq", "unrelated"], ["PMOI"], ["Maryam Rajavi", "Massoud Rajavi", "Rajavi"]]
    s = pairwise_alias_scores(predicted, gold)
    # gold pairs: 3 (MEK) + 1 + 1 = 5; predicted pairs inside gold forms: 1 + 3 = 4, of which 3 true
    assert (s["gold_pairs"], s["predicted_pairs"], s["true_pairs"]) == (5, 4, 3)
    assert s["precision"] == pytest.approx(0.75) and s["recall"] == pytest.approx(0.6)
    assert s["keep_apart_merges"] == 1


# --------------------------------------------------------------------------- speed


def synthetic_corpus(n_docs, per_doc=40, seed=7, pool_size=6000):
    """Mentions drawn from a pool of invented names with spelling noise."""
    rng = random.Random(seed)
    syll = ["ka", "ro", "mi", "za", "ve", "lu", "do", "ni", "sha", "te", "bo", "ar", "el", "qu", "fi"]
    word = lambda: "".join(rng.choice(syll) for _ in range(rng.randint(2, 4 if pool_size > 6000 else 3))).capitalize()
    persons = [f"{word()} {word()}" for _ in range(pool_size // 2)]
    orgs = [f"{word()} {rng.choice(['Front', 'Council', 'Party', 'Trust'])}" for _ in range(pool_size // 4)]
    places = [word() for _ in range(pool_size // 4)]
    pool = [(p, "PERSON") for p in persons] + [(o, "ORG") for o in orgs] + [(p, "GPE") for p in places]
    out = []
    for d in range(n_docs):
        doc = f"doc{d}"
        for i in range(per_doc):
            name, label = pool[int(rng.paretovariate(1.2)) % len(pool)] if i % 2 else rng.choice(pool)
            if rng.random() < 0.05:
                name = name.replace("a", "e", 1)
            out.append(Mention(doc, i * 20, i * 20 + len(name), name, name, label))
    return out


def test_resolve_speed_small():
    ms = synthetic_corpus(2000)
    t = time.perf_counter()
    res = resolve(ms, [], {})
    assert time.perf_counter() - t < 10
    assert len(res.assign) + len(res.ambiguous) == len(ms)


@pytest.mark.slow
@pytest.mark.parametrize("pool_size", [6000, 160000])
def test_resolve_speed_20000_docs(pool_size):
    ms = synthetic_corpus(20000, pool_size=pool_size)
    t, cpu = time.perf_counter(), time.process_time()
    res = resolve(ms, [], {})
    elapsed, cpu = time.perf_counter() - t, time.process_time() - cpu
    distinct = len({m.name for m in ms})
    print(f"\nresolve: {len(ms)} mentions, {distinct} distinct names, {len(res.entities)} entities in {elapsed:.1f}s wall, {cpu:.1f}s CPU")
    assert elapsed < 60


# --------------------------------------------------------------------------- gold


def _run(nlp, texts):
    from storyline.extract.entities import mentions

    all_m, all_a = [], []
    for doc_id, text in texts.items():
        ms, acr = mentions(nlp(text), doc_id)
        all_m += ms
        all_a += acr
    return all_m, all_a


@pytest.mark.data
def test_examples_gold(nlp, shared):
    folder = shared / "examples"
    gold = json.loads(EXAMPLES_GOLD.read_text(encoding="utf-8"))
    paths = [folder / name for name in gold["documents"]]
    if not all(p.exists() for p in paths):
        pytest.skip(f"the example articles are not in {folder}")
    ms, acr = _run(nlp, {p.stem: p.read_text(encoding="utf-8") for p in paths})
    res = resolve(ms, acr, {})
    scores = pairwise_alias_scores(res.clusters(), gold)
    print(f"\nexamples gold: {scores}")
    # Floors measured on 2026-11-26: P 1.00, R 0.76 (16 of 21 gold pairs; was 9 before the
    # capitalised-name finder and the shortened-name rules), 0 keep-apart merges.
    assert scores["keep_apart_merges"] == 0
    assert scores["precision"] >= 0.95
    assert scores["recall"] >= 0.70


def _demo_resolution(nlp):
    gold_path = DEMO / "gold.json"
    if not gold_path.exists():
        pytest.skip(f"demo gold not found at {gold_path}")
    from storyline.extract.entities import mentions
    from storyline.records import Document

    try:
        from storyline.ingest.files import iter_documents
    except ImportError as exc:  # the ingest stage is another module's work
        pytest.skip(f"storyline.ingest.files.iter_documents is not importable: {exc}")

    docs = [d for d in iter_documents([DEMO]) if isinstance(d, Document)]
    texts, outlets, all_m, all_a = {}, {}, [], []
    for d, parsed in zip(docs, nlp.pipe([d.text for d in docs])):
        key = Path(d.source).name  # "01-exilewatch-raid.txt", "02-wire.jsonl:1": the gold's document keys
        texts[key], outlets[key] = d.text, d.outlet
        ms, acr = mentions(parsed, key)
        all_m += ms
        all_a += acr
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    return resolve(all_m, all_a, outlets), gold, texts, all_m


@pytest.fixture(scope="module")
def demo(nlp):
    return _demo_resolution(nlp)


def test_demo_gold_aliases(demo):
    res, gold, _, _ = demo
    scores = pairwise_alias_scores(res.clusters(), gold)
    print(f"\ndemo gold: {scores}")
    # Floors measured on 2026-11-26: P 1.00, R 0.97 (34 of 35 gold pairs; was 31), 0 keep-apart merges.
    assert scores["keep_apart_merges"] == 0, scores["keep_apart_violations"]
    assert scores["precision"] >= 0.95
    assert scores["recall"] >= 0.92


def surname_accuracy(res, gold, texts, all_mentions):
    """Share of the gold's bare-surname mentions resolved as the gold says (an entity, or ambiguous)."""
    names = {e.id: e.name for e in res.entities}
    amb = {(d, s, e): set(c) for d, s, e, _, c in res.ambiguous}
    by_doc = {}
    for m in all_mentions:
        by_doc.setdefault(m.doc, []).append(m)
    right, rows = 0, gold.get("surname_mentions", [])
    for row in rows:
        text = texts.get(row["doc"], "")
        at = text.find(row["context"])
        if at < 0:
            continue
        start = text.find(row["text"], at, at + len(row["context"]))
        end = start + len(row["text"])
        hits = [m for m in by_doc.get(row["doc"], []) if m.kind == "name" and m.start < end and start < m.end]
        if not hits:
            continue
        key = (hits[0].doc, hits[0].start, hits[0].end)
        if row["resolves_to"] is None:
            right += key in amb and {names[i] for i in amb[key]} == set(row["candidates"])
        else:
            right += names.get(res.assign.get(key)) == row["resolves_to"]
    return right, len(rows)


def label_accuracy(res, gold):
    """(labels found with the gold's text in the gold's document, of those pinned on the gold's entity, gold labels)."""
    found = correct = total = 0
    for ent in gold["entities"]:
        for lab in ent.get("labels", []):
            total += 1
            owners = [e for e in res.entities if any(t.casefold() == lab["text"].casefold() and d == lab["doc"] for t, d, _ in e.labels)]
            found += bool(owners)
            correct += any(ent["name"] in e.aliases or e.name == ent["name"] for e in owners)
    return found, correct, total


def test_demo_surnames_and_labels(demo):
    res, gold, texts, all_m = demo
    right, rows = surname_accuracy(res, gold, texts, all_m)
    found, correct, total = label_accuracy(res, gold)
    print(f"\ndemo surnames {right}/{rows}; labels found {found}/{total}, on the right entity {correct}/{total}")
    # Floors measured on 2026-11-26.
    assert rows and right / rows >= SURNAME_FLOOR
    assert total and correct / total >= LABEL_FLOOR


SURNAME_FLOOR = 0.75  # measured 7/9
LABEL_FLOOR = 0.52  # measured 24/41 (was 19/41 before designations and the document's label chain)


# --------------------------------------------------------------------------- properties

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_NAMES = st.sampled_from(["Maryam Rajavi", "Massoud Rajavi", "Rajavi", "MEK", "Mojahedin-e Khalq", "Manëz", "Manez", "Tirana", "the group"])
_TYPES = st.sampled_from(["PERSON", "ORG", "GPE", "NORP"])


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 4), _NAMES, _TYPES, st.booleans()), max_size=30))
def test_every_mention_is_assigned_or_ambiguous(rows):
    ms = []
    for i, (doc, name, label, ambiguous) in enumerate(rows):
        cands = ("Maryam Rajavi", "Massoud Rajavi") if ambiguous and name == "Rajavi" else ()
        ms.append(Mention(f"d{doc}", i * 10, i * 10 + len(name), name, name, label, "name", cands))
    res = resolve(ms, [Acronym("d0", "MEK", "Mojahedin-e Khalq", 0, 5)], {})
    keys = {(m.doc, m.start, m.end) for m in ms}
    amb = {(d, s, e) for d, s, e, _, _ in res.ambiguous}
    assert keys == set(res.assign) | amb and not (set(res.assign) & amb)
    assert len({e.id for e in res.entities}) == len(res.entities)
    assert all(e.aliases and e.mention_count for e in res.entities)
    ids = {e.id for e in res.entities}
    assert set(res.assign.values()) <= ids
