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


@pytest.mark.parametrize(
    "text, expected",
    [
        # capitalised names the tagger missed, corroborated by an organisation head
        ("News \u00bb Harbor Workers Organization as a protest group \u00bb Dock strike", ("Harbor Workers Organization", "Harbor Workers Organization", "ORG")),
        # a facility's "Camp" prefix, with its number
        ("Former residents of Camp Liberty 2 say they were held there for months.", ("Camp Liberty 2", "Camp Liberty 2", "FAC")),
        # a name with a hyphenated number before a facility noun
        ("The Hadid-2 base was emptied in March.", ("Hadid-2", "Hadid-2", "FAC")),
        # the tagger's "Free Tervala" (PERSON) completed by the event head after it
        ("The annual Free Tervala Summit opens on Friday in Dashtabad.", ("Free Tervala Summit", "Free Tervala Summit", "EVENT")),
        # an outlet tagged PERSON is an organisation
        ("According to Ostrava Courier, the talks failed.", ("Ostrava Courier", "Ostrava Courier", "ORG")),
        # an organisation's "of <Place>" belongs to its name
        ("Fighters of the National Salvation Army of Moravia paraded through the capital.", ("National Salvation Army of Moravia", "National Salvation Army of Moravia", "ORG")),
        # a name whose people the document names is a place, whatever the tagger said (ORG here)
        ("Korvenia expelled two diplomats. Korvenian officials said the move was final.", ("Korvenia", "Korvenia", "GPE")),
        # an undefined acronym spelling the initials of the one government body in the document, inverted around "of"
        ("The US State Department issued a travel warning on Monday. The DOS report said the risk was high.", ("DOS", "US State Department", "ORG")),
        # slash-joined acronyms the document elsewhere says are one
        ("Members of the ZLF / ZPO marched in Tervala. The ZPO, also known as ZLF, denies any role.", ("ZPO", "ZLF", "ORG")),
        # "(also called Y)"
        ("The Tervala Workers Front (also called the Harbor League) called a strike on Monday.", ("Harbor League", "Tervala Workers Front", "ORG")),
        # generic words capitalised into a name mid-sentence
        ("Officers of the State Police questioned the two men in Tervala.", ("State Police", "State Police", "ORG")),
    ],
)
def test_names_the_tagger_gets_wrong(nlp, text, expected):
    assert expected in _names(nlp, text)


@pytest.mark.parametrize(
    "text, expected",
    [
        # a run of proper nouns repeated, once mid-sentence: a name even with no tagger at all
        ("Talks with Velmar Ostrik broke down. Aides to Velmar Ostrik declined to comment.", ("Velmar Ostrik", "PERSON")),
        ("He joined Silverline Harbor Watch in May and left Silverline Harbor Watch in June.", ("Silverline Harbor Watch", "ORG")),
    ],
)
def test_repeated_proper_nouns_are_names_without_the_tagger(nlp, text, expected):
    doc = nlp(text)
    doc.ents = []
    found, _ = mentions(doc, "t")
    assert expected in [(m.name, m.label) for m in found]


@pytest.mark.parametrize(
    "text, absent",
    [
        # a slogan is not a person called "Free"
        ("Crowds chanted Free Zarvan! Free Zarvan! outside the embassy.", "Free Zarvan"),
        # a year after a name is not part of it
        ("Delegates left the Free Tervala Summit 2024 early.", "Free Tervala Summit 2024"),
        # a distance after a camp is not part of its name
        ("The convoy stopped at Camp Liberty 2 kilometres from the border.", "Camp Liberty 2"),
        # two names on two lines are two mentions
        ("Camp Sahar\n\nFree Zarvan News - The rally ended.", "Camp Sahar Free Zarvan News"),
        # a slash alone does not make two acronyms one entity
        ("Members of the ZLF / ZPO marched in Tervala. The ZPO denies any role.", "ZLF:ZPO"),
        ("Troops from the US / UK coalition left the base. The US said the UK would stay.", "US:UK"),
        # an acronym matching no name in the document stays itself
        ("NBC reported that the US State Department had issued a warning.", "US State Department:NBC"),
        # capitals at sentence starts only are no evidence of a name, however often repeated
        ("Women Fighters marched on Monday. Women Fighters sang.", "Women Fighters"),
    ],
)
def test_names_not_made(nlp, text, absent):
    names = _names(nlp, text)
    if ":" in absent:  # "NAME:TEXT": no mention with this text takes this name
        name, surface = absent.split(":")
        assert all(not (n == name and t == surface) for t, n, _ in names)
    else:
        assert absent not in {n for _, n, _ in names}


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
        # a coordination of two names: the definition starts after "and the"
        (
            "The State Police and the Special Unit Against Organised Crime (SUOK) raided the offices.",
            [("SUOK", "Special Unit Against Organised Crime")],
        ),
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
        # a religious adjective before "regime" is not the state: "in X" decides
        ("Rebels vowed to overthrow the Islamic regime in Tehran within a year.", ("the Islamic regime in Tehran", "Tehran")),
        ("Opposition groups in Iran protested. The Iranian regime arrested dozens.", ("The Iranian regime", "Iran")),
        ("Protests spread across Iran. The mullahs' regime blocked the website.", ("The mullahs' regime", "Iran")),
        # a pejorative adjective before the name
        ("Officials said the terrorist HFZ had planned the attack in Prague.", ("the terrorist HFZ", "HFZ")),
        # a name inside the phrase beats the parse of a headline
        ("Tervala Police waste money and time for the HFZ terrorists", ("the HFZ terrorists", "HFZ")),
        # a capitalised "Organization" heads a name, so the label refers back to it
        ("News \u00bb Harbor Workers Organization as a terrorist group \u00bb Tervala Police waste money", ("a terrorist group", "Harbor Workers Organization")),
        # nothing in reach: the entity the document's last organisation label designated
        (
            "Former members say the Volkov gang ruined their lives. The border was closed in May. "
            "Farmers lost their markets. Traders left the town. Step by step, the terrorist group dictates policy.",
            ("the terrorist group", "Volkov"),
        ),
        # a capitalised designation is a label of the organisation in context, not a name
        ("The Harbor Front held a rally in Prague. Critics fear the Resistance will strike again.", ("the Resistance", "Harbor Front")),
        ("The Harbor Front held a rally in Prague. Supporters of the Korvenian Resistance cheered.", ("the Korvenian Resistance", "Harbor Front")),
        # an acronym named after an ezafe name: the name is an organisation's, not a person's
        ("Officials in Tervala met leaders of the Rahbaran-e Sahel on Monday. RES is a militant organization that wants power.", ("a militant organization", "Rahbaran-e Sahel")),
        # "the terrorists of <place>": the place is where they are, not who they are
        ("The Harbor Front denied everything. The terrorists of Camp Delta attacked again.", ("The terrorists of Camp Delta", "Harbor Front")),
    ],
)
def test_labels_link_to_target(nlp, text, expected):
    assert expected in _labels(nlp, text)


@pytest.mark.parametrize(
    "text, phrase",
    [
        # a designation word inside a longer name stays a name
        ("The Harbor Front held a rally. Delegates of the Movement for Democratic Change attended.", "the Movement for Democratic Change"),
        ("The Harbor Front held a rally. The Resistance Council of Tervala sent a message.", "The Resistance Council"),
        ("The Harbor Front held a rally. Historians of the Resistance of Tervala attended.", "the Resistance of Tervala"),
    ],
)
def test_designation_inside_a_name_is_no_label(nlp, text, phrase):
    found, _ = mentions(nlp(text), "t")
    assert not [m for m in found if m.kind == "label" and phrase.casefold().startswith(m.text.casefold())]


def test_designation_is_not_also_a_name(nlp):
    found, _ = mentions(nlp("The Harbor Front held a rally in Prague. Supporters of the Korvenian Resistance cheered."), "t")
    assert "Korvenian Resistance" not in {m.name for m in found if m.kind == "name"}


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

from hypothesis import example, given, settings  # noqa: E402
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
@example("Ms #")  # a title, then junk: both go in one call
def test_clean_name_is_idempotent(text):
    once = clean_name(text, None)
    assert clean_name(once, None) == once


@settings(max_examples=25, deadline=None)
@given(_TEXT)
def test_mentions_offsets_hold_on_any_text(nlp, text):
    found, _ = mentions(nlp(text), "h")
    for m in found:
        assert text[m.start : m.end] == m.text and m.name
