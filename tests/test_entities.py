"""Per-document entity mentions, acronym definitions and labels (issue 3).

Every sentence here is written for these tests.
"""

import pytest

from storyline.extract.entities import acronym_definitions, clean_name, is_acronym, mentions


def _names(nlp, text):
    found, _ = mentions(nlp(text), "t")
    return [(m.text, m.name, m.label) for m in found if m.kind == "name"]


def _labels(nlp, text):
    found, _ = mentions(nlp(text), "t")
    return [(m.text, m.name) for m in found if m.kind == "label"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("MEK's", "MEK"),
        ("MEK\u2019s", "MEK"),
        ("the Volkov Foundation's", "Volkov Foundation"),
        ("Dr. Amira Haddad", "Amira Haddad"),
        ("Deputy Foreign Minister Tomas Berg", "Tomas Berg"),
        ("Albanian Foreign Minister Olta Kovac", "Olta Kovac"),
        ("#Zarvan", "Zarvan"),
        ("The Harbor Front", "Harbor Front"),
        ("Harbor Front &", "Harbor Front"),
        ("Dr.", "Dr."),  # a title alone stays: nothing else to keep
        ("the U.S.", "U.S."),
    ],
)
def test_clean_name(text, expected):
    assert clean_name(text, "PERSON" if "Dr" in text or "Minister" in text else None) == expected


def test_titles_are_kept_inside_organisation_names():
    assert clean_name("General Dynamics", "ORG") == "General Dynamics"


@pytest.mark.parametrize(
    "text, expected",
    [
        # possessive: the span keeps "'s", the name does not
        ("The ministry rejected the Volkov Foundation's claims.", ("Volkov Foundation's", "Volkov Foundation", "ORG")),
        # titles and honorifics
        ("Dr. Amira Haddad spoke to reporters in Geneva.", ("Amira Haddad", "Amira Haddad", "PERSON")),
        ("The minister met President Elena Ruiz in Madrid.", ("Elena Ruiz", "Elena Ruiz", "PERSON")),
        ("Deputy Foreign Minister Tomas Berg met the delegation in Oslo.", ("Tomas Berg", "Tomas Berg", "PERSON")),
        # surname alone links to the full name introduced earlier
        ("Amira Haddad arrived in Geneva on Monday. Haddad said the talks would continue.", ("Haddad", "Amira Haddad", "PERSON")),
        # hashtag
        ("Activists posted under #Iran all night.", ("Iran", "Iran", "GPE")),
        # an all-capitals token tagged PERSON is an organisation acronym
        ("Activists accused the Ministry and #IRGC of lying.", ("IRGC", "IRGC", "ORG")),
    ],
)
def test_name_mentions(nlp, text, expected):
    assert expected in _names(nlp, text)


def test_offsets_match_text(nlp):
    text = "The Union of Coastal Fishermen (UCF) met Dr. Amira Haddad. Haddad praised the UCF's work."
    doc = nlp(text)
    found, acronyms = mentions(doc, "d1")
    assert found and acronyms
    for m in found:
        assert text[m.start : m.end] == m.text
        assert m.doc == "d1"


@pytest.mark.parametrize(
    "text, expected",
    [
        # two full names share the surname, nothing nearby decides: ambiguous
        (
            "Karim Farouk and Leila Farouk attended the summit in Vienna. Reporters waited outside for hours. "
            "Farouk declined to comment.",
            ("Farouk", ("Karim Farouk", "Leila Farouk")),
        ),
        # the most recent full-name mention in the previous sentence decides
        (
            "Karim Farouk and Leila Farouk founded the party in Vienna. Leila Farouk spoke first at the rally. "
            "Farouk said the vote was rigged.",
            ("Leila Farouk", ()),
        ),
    ],
)
def test_shared_surname(nlp, text, expected):
    found, _ = mentions(nlp(text), "t")
    last = [m for m in found if m.text == "Farouk"][-1]
    assert (last.name, last.candidates) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("The Union of Coastal Fishermen (UCF) called a strike in Gdansk.", [("UCF", "Union of Coastal Fishermen")]),
        (
            "Members of the Northern Rivers Authority (NRA/NRAU) met in Lyon.",
            [("NRA", "Northern Rivers Authority"), ("NRAU", "Northern Rivers Authority")],
        ),
        ("The NRA (Northern Rivers Authority) issued a warning on Friday.", [("NRA", "Northern Rivers Authority")]),
        ("Former members of the Mojahedin-e Khalq (MEK) live abroad.", [("MEK", "Mojahedin-e Khalq")]),
        # an acronym coined in another language: the relaxed fallback
        ("The Special Structure Against Organised Crime (SKOK) raided the office.", [("SKOK", "Special Structure Against Organised Crime")]),
        ("A statement from Human Rights Watch (HRW) followed.", [("HRW", "Human Rights Watch")]),
        # no capitalised name before the parenthesis: no definition
        ("He met the chief executive (CEO) yesterday.", []),
        # not a definition: a year in parentheses, a lower-case aside
        ("The treaty (2019) was signed in Rome (reluctantly).", []),
    ],
)
def test_acronym_definitions(text, expected):
    found = acronym_definitions(text, "t")
    assert [(a.short, a.long) for a, _, _ in found] == expected
    for a, (ls, le), shorts in found:
        assert text[ls:le] == a.long
        assert all(text[s:e] in (x.short for x, _, _ in found) for s, e in shorts)


def test_acronym_and_expansion_become_mentions(nlp):
    found, acronyms = mentions(nlp("The Union of Coastal Fishermen (UCF) called a strike in Gdansk."), "t")
    names = {m.name for m in found}
    assert {"Union of Coastal Fishermen", "UCF"} <= names
    assert [(a.short, a.long) for a in acronyms] == [("UCF", "Union of Coastal Fishermen")]


@pytest.mark.parametrize(
    "text, expected",
    [
        # label with the target inside the phrase
        ("The Harbor Front denied the charges. The UCF said the Harbor Front cult had lied.", ("the Harbor Front cult", "Harbor Front")),
        # a person's cult designates the organisation in the document
        (
            "The Harbor Front, the group led by Viktor Volkov, denied the charges. Former members say Volkov's cult controls their families.",
            ("Volkov's cult", "Harbor Front"),
        ),
        # ... and the person when the document does not say which organisation
        ("Former members say Volkov's cult controls their families.", ("Volkov's cult", "Volkov")),
        ("Viktor Volkov founded the Harbor Front in 2009. Former members described life inside the Cult of Volkov.", ("the Cult of Volkov", "Harbor Front")),
        # "the terrorist group" refers back to the last organisation
        ("The Harbor Front held a rally in Prague. Critics called the terrorist group a danger to the city.", ("the terrorist group", "Harbor Front")),
        # copula and apposition name the target outright
        ("The Harbor Front is a violent sect, critics in Warsaw said.", ("a violent sect", "Harbor Front")),
        ("Israel's proxy force, the Harbor Front, opened an office in Rome.", ("Israel's proxy force", "Harbor Front")),
        # regimes designate the state
        ("Diplomats criticised the regime in Tehran on Friday.", ("the regime in Tehran", "Tehran")),
        ("Opposition groups in Iran protested. The Iranian regime arrested dozens.", ("The Iranian regime", "Iran")),
        ("Protests spread across Iran. The mullahs' regime blocked the website.", ("The mullahs' regime", "Iran")),
        # a pejorative adjective before the name
        ("Officials said the terrorist HFZ had planned the attack in Prague.", ("the terrorist HFZ", "HFZ")),
        # "the terrorists of <place>": the place is where they are, not who they are
        ("The Harbor Front denied everything. The terrorists of Camp Delta attacked again.", ("The terrorists of Camp Delta", "Harbor Front")),
    ],
)
def test_labels_link_to_target(nlp, text, expected):
    assert expected in _labels(nlp, text)


def test_also_known_as_takes_the_name_of_its_entity(nlp):
    text = (
        "Former members left the Coastal Freedom Movement (CFM). "
        "The movement, also known by its Persian name Rahbaran-e Sahel, lives at Camp Delta."
    )
    found, _ = mentions(nlp(text), "t")
    (aka,) = [m for m in found if m.text == "Rahbaran-e Sahel"]
    assert aka.name == "CFM" and aka.kind == "name"


def test_persian_ezafe_name_is_one_mention(nlp):
    found, _ = mentions(nlp("Members of the Mojahedin-e Khalq left the camp in Tirana."), "t")
    assert ("Mojahedin-e Khalq", "Mojahedin-e Khalq") in [(m.text, m.name) for m in found]
    assert "Khalq" not in {m.name for m in found}


def test_label_is_not_a_name_mention(nlp):
    found, _ = mentions(nlp("Viktor Volkov founded the Harbor Front in 2009. Former members described life inside the Cult of Volkov."), "t")
    assert "Cult of Volkov" not in {m.name for m in found}


@pytest.mark.parametrize(
    "text",
    [
        "He said they would meet the police and the group later.",
        "Police questioned him and the group for hours, she said.",
        "It was the group that organised the march, they said.",
    ],
)
def test_pronouns_and_generic_nouns_are_never_entities(nlp, text):
    found, _ = mentions(nlp(text), "t")
    assert found == []


@pytest.mark.parametrize(
    "text, expected",
    [("MEK", True), ("U.S.", True), ("PMOI", True), ("Iran", False), ("A", False), ("the", False)],
)
def test_is_acronym(text, expected):
    assert is_acronym(text) is expected


# --------------------------------------------------------------------------- hostile input

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_TEXT = st.text(alphabet=st.sampled_from(list("AbCdE (MEK)/-'s.,#\n\u2019ëQ")), max_size=80)


@settings(max_examples=200, deadline=None)
@given(_TEXT)
def test_acronym_definitions_never_crash_and_offsets_hold(text):
    for acr, (ls, le), shorts in acronym_definitions(text, "h"):
        assert text[ls:le] == acr.long
        assert all(text[a:b] == text[a:b].strip() and text[a:b] for a, b in shorts)


@settings(max_examples=200, deadline=None)
@given(_TEXT)
def test_clean_name_is_idempotent(text):
    once = clean_name(text, None)
    assert clean_name(once, None) == once


@settings(max_examples=25, deadline=None)
@given(_TEXT)
def test_mentions_offsets_hold_on_any_text(nlp, text):
    found, _ = mentions(nlp(text), "h")
    for m in found:
        assert text[m.start : m.end] == m.text and m.name
