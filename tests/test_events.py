"""Dated events from one document: trigger, governing date, status, category, actors, place."""

import pytest

from storyline.extract.events import category_of, event_frames, events, timeline_date
from storyline.records import DateExpr, Mention

PUBLISHED = "2024-04-20"


def _date(text, sub, value, end=None, type_="DATE", granularity="day"):
    at = text.index(sub)
    return DateExpr("d1", at, at + len(sub), sub, value, granularity, type=type_, end_value=end)


def _mention(text, sub, label):
    at = text.index(sub)
    return Mention("d1", at, at + len(sub), sub, sub, label)


def _frames(nlp, text, dates, mentions=(), published=PUBLISHED):
    doc = nlp(text)
    ds = [_date(text, *d) for d in dates]
    ms = [_mention(text, *m) for m in mentions]
    return list(event_frames(doc, "d1", ds, ms, published))


@pytest.mark.parametrize(
    "text, dates, trigger",
    [
        ("Police raided the offices of the party on July 14, 2024.", [("July 14, 2024", "2024-07-14")], "raid"),
        ("The raid on March 14 was condemned by the party.", [("March 14", "2024-03-14")], "raid"),
        ("Police carried out a raid on the offices of the group on March 14.", [("March 14", "2024-03-14")], "raid"),
        ("Korvenia will hold elections on April 25.", [("April 25", "2024-04-25")], "election"),
        ("The summit is scheduled to take place on July 23-24 in Tervala.", [("July 23-24", "2024-07-23", "2024-07-24")], "summit"),
        ("The trial of the suspects is due to begin on March 3.", [("March 3", "2024-03-03")], "trial"),
        ("The chain of events began on March 14, when police searched the offices of the group.", [("March 14", "2024-03-14")], "search"),
        ("The minister announced on Tuesday that Korvenia is severing relations with Zarvan.", [("Tuesday", "2024-04-09")], "sever"),
        ("The operation last Thursday confirmed the fears of the government.", [("last Thursday", "2024-03-14")], "operation"),
        # a date after the verb is the verb's, not its subject's: the bombing was earlier
        ("The bombing in Tervala reshaped the campaign on Thursday.", [("Thursday", "2024-03-14")], "reshape"),
        ("The police held and questioned them on Thursday, March 14, 2024.", [("Thursday", "2024-03-14"), ("March 14, 2024", "2024-03-14")], "question"),
        # a date inside a quotation still dates what the quoted person reports
        ('Toska wrote: "The police raided our office on Thursday."', [("Thursday", "2024-03-14")], "raid"),
    ],
)
def test_trigger_is_the_verb_or_event_noun_the_date_governs(nlp, text, dates, trigger):
    frames = _frames(nlp, text, dates)
    assert [f.event.trigger for f in frames] == [trigger]


@pytest.mark.parametrize(
    "text, dates, expected",
    [
        # the raid's date is Thursday's, not the founding year that comes first
        ("The association, founded in 1981, was raided on Thursday.", [("1981", "1981"), ("Thursday", "2024-03-14")],
         {"found": "1981", "raid": "2024-03-14"}),
        # a date modifying an ordinary noun dates nothing
        ("The 2013 law was repealed on Monday.", [("2013", "2013"), ("Monday", "2024-03-18")], {"repeal": "2024-03-18"}),
        # a report and the reported act each keep their own date
        ("Toska said on Friday that police raided the camp on Tuesday.", [("Friday", "2024-03-15"), ("Tuesday", "2024-03-12")],
         {"say": "2024-03-15", "raid": "2024-03-12"}),
        ("Police raided the camp on 14 March and released everyone on 15 March.", [("14 March", "2024-03-14"), ("15 March", "2024-03-15")],
         {"raid": "2024-03-14", "release": "2024-03-15"}),
    ],
)
def test_each_trigger_gets_the_date_that_governs_it(nlp, text, dates, expected):
    frames = _frames(nlp, text, dates)
    assert {f.event.trigger: f.event.date for f in frames} == expected


@pytest.mark.parametrize(
    "text, date, expected",
    [
        ("Police raided the camp on Thursday night.", ("Thursday night", "2024-03-14TNI", None, "TIME", "time"),
         [("raid", "2024-03-14")]),
        ("The attack began at 3 a.m. on 28 March.", ("3 a.m. on 28 March", "2024-03-28T03:00", None, "TIME", "time"),
         [("attack", "2024-03-28")]),
        ("The meeting started at 3 p.m.", ("3 p.m.", "T15:00", None, "TIME", "time"), []),
    ],
)
def test_times_on_a_known_day_date_events(nlp, text, date, expected):
    assert [(f.event.trigger, f.event.date) for f in _frames(nlp, text, [date])] == expected


@pytest.mark.parametrize(
    "text, date",
    [
        ("March 15, 2024", ("March 15, 2024", "2024-03-15")),  # a byline
        ("Published on March 15, 2024 by the news desk", ("March 15, 2024", "2024-03-15")),
        ("The detainees were held for ten hours.", ("ten hours", "PT10H", None, "DURATION", "duration")),
        ("The raid happened on a Thursday nobody remembers.", ("a Thursday", None)),
        ("The movement grew in the 1980s.", ("the 1980s", "198X", None, "DATE", "decade")),
    ],
)
def test_no_event_without_a_usable_governing_date(nlp, text, date):
    assert _frames(nlp, text, [date]) == []


def test_dateline_is_not_an_event_date_and_not_an_actor(nlp):
    text = "TERVALA, 14 March 2024 (Trans-Adria Wire) - Korvenia severed relations with Zarvan on Tuesday."
    frames = _frames(nlp, text, [("14 March 2024", "2024-03-14"), ("Tuesday", "2024-04-09")],
                     [("TERVALA", "GPE"), ("Trans-Adria Wire", "ORG"), ("Korvenia", "GPE"), ("Zarvan", "GPE")])
    assert [(f.event.trigger, f.event.date) for f in frames] == [("sever", "2024-04-09")]
    assert frames[0].event.text.startswith("Korvenia severed")
    assert "TERVALA" not in frames[0].event.actors


@pytest.mark.parametrize("stamp", ["12:00 p.m.", "9:42 p.m.", "March 15, 2024", "-- 14 March 2024 --"])
def test_a_date_alone_on_its_line_dates_nothing(nlp, stamp):
    # a live blog's time stamp says when the post below it was written, not when anything happened
    text = f"The envoy left the room.\n\n{stamp}\n\nEdon Brahaj is standing by his remarks about the levy."
    value = "2024-03-15T12:00" if "p.m." in stamp else "2024-03-15"
    type_, gran = ("TIME", "time") if "p.m." in stamp else ("DATE", "day")
    sub = stamp.strip("- ")
    assert _frames(nlp, text, [(sub, value, None, type_, gran)]) == []


def test_event_text_is_clipped_to_the_line_and_offsets_hold(nlp):
    text = "Police raid exiles\nPolice raided the office of the association on Thursday."
    doc = nlp(text)
    evs = list(events(doc, "d1", [_date(text, "Thursday", "2024-03-14")]))
    assert len(evs) == 1
    assert evs[0].text == "Police raided the office of the association on Thursday."
    assert text[evs[0].start:evs[0].end] == evs[0].text


@pytest.mark.parametrize(
    "text, dates, published, status",
    [
        ("The summit is scheduled to take place on July 23-24 in Tervala.", [("July 23-24", "2024-07-23", "2024-07-24")], None, "scheduled"),
        ("Korvenia will hold elections on April 25.", [("April 25", "2024-04-25")], None, "scheduled"),
        ("The interior minister is to visit Tervala on Monday.", [("Monday", "2024-03-18")], None, "scheduled"),
        ("The trial of the suspects is due to begin on March 3.", [("March 3", "2024-03-03")], None, "scheduled"),
        ("The two ministers met in Tervala on 2 May.", [("2 May", "2024-05-02")], "2024-04-20", "scheduled"),  # after publication
        ("The two ministers met in Tervala on 2 May.", [("2 May", "2024-05-02")], "2024-05-08", "happened"),
        ("Police raided the offices of the party on March 14, 2024.", [("March 14, 2024", "2024-03-14")], "2024-03-15", "happened"),
    ],
)
def test_scheduled_versus_happened(nlp, text, dates, published, status):
    frames = _frames(nlp, text, dates, published=published)
    assert [f.event.status for f in frames] == [status]


@pytest.mark.parametrize(
    "text, dates, category",
    [
        ("Korvenia severed diplomatic ties with Zarvan on 9 April.", [("9 April", "2024-04-09")], "SANCTION"),
        ("Korvenia expelled the diplomats of Zarvan on 9 April.", [("9 April", "2024-04-09")], "SANCTION"),
        ("The State Police arrested Navid Kamrani on Monday.", [("Monday", "2024-03-18")], "COERCE"),
        ("Thousands of defectors rallied in Tervala on Saturday.", [("Saturday", "2024-03-16")], "PROTEST"),
        ("Zarvan threatened Korvenia with reprisals on 10 April.", [("10 April", "2024-04-10")], "THREATEN"),
        ("Zarvan's attack on Korvenia on 28 March crippled the portal.", [("28 March", "2024-03-28")], "ASSAULT"),
        ("The two ministers met in Tervala on 2 May.", [("2 May", "2024-05-02")], "CONSULT"),
        ("Roya Azarmehr was elected leader in 2016.", [("2016", "2016")], "OTHER"),
    ],
)
def test_category_from_the_trigger(nlp, text, dates, category):
    assert [f.event.category for f in _frames(nlp, text, dates)] == [category]


@pytest.mark.parametrize(
    "lemma, obj, category",
    [
        ("sever", "tie", "SANCTION"),
        ("cut", "tie", "SANCTION"),
        ("impose", "sanction", "SANCTION"),
        ("lift", "sanction", "RETREAT"),
        ("expel", "diplomat", "SANCTION"),
        ("expel", None, "COERCE"),
        ("detain", None, "COERCE"),
        ("accuse", None, "ACCUSE"),
        ("condemn", None, "DISAPPROVE"),
        ("investigate", None, "INVESTIGATE"),
        ("withdraw", None, "RETREAT"),
        ("demand", None, "DEMAND"),
        ("reject", None, "REJECT"),
        ("cooperate", None, "COOPERATE"),
        ("donate", None, "AID"),
        ("deploy", None, "MOBILIZE"),
        ("agree", None, "AGREE"),
        ("Meet", None, "CONSULT"),
        ("breathe", None, "OTHER"),
        (None, None, "OTHER"),
    ],
)
def test_category_lexicon(lemma, obj, category):
    assert category_of(lemma, obj) == category


@pytest.mark.parametrize(
    "text, dates, mentions, roles",
    [
        ("The State Police arrested Navid Kamrani in Tervala on Monday.", [("Monday", "2024-03-18")],
         [("State Police", "ORG"), ("Navid Kamrani", "PERSON"), ("Tervala", "GPE")],
         {"State Police": "agent", "Navid Kamrani": "patient"}),
        ("Navid Kamrani was arrested by the State Police on Monday.", [("Monday", "2024-03-18")],
         [("State Police", "ORG"), ("Navid Kamrani", "PERSON")],
         {"State Police": "agent", "Navid Kamrani": "patient"}),
        ("Zarvan's attack on Korvenia on 28 March crippled the portal.", [("28 March", "2024-03-28")],
         [("Zarvan", "GPE"), ("Korvenia", "GPE")], {"Zarvan": "agent", "Korvenia": "patient"}),
        # the speaker of a report is not an actor of the reported raid
        ("Lira Toska said that the State Police raided the office of ASZEK on Thursday.", [("Thursday", "2024-03-14")],
         [("Lira Toska", "PERSON"), ("State Police", "ORG"), ("ASZEK", "ORG")],
         {"State Police": "agent", "ASZEK": "patient"}),
        ("Korvenia severed diplomatic ties with Zarvan on 9 April.", [("9 April", "2024-04-09")],
         [("Korvenia", "GPE"), ("Zarvan", "GPE")], {"Korvenia": "agent", "Zarvan": "other"}),
        # a relative clause's subject is its antecedent
        ("The movement honours Dariush Azarmehr, who died in November 2016.", [("November 2016", "2016-11")],
         [("Dariush Azarmehr", "PERSON")], {"Dariush Azarmehr": "agent"}),
        ("Navid Kamrani, who was questioned on 14 March, filed a complaint.", [("14 March", "2024-03-14")],
         [("Navid Kamrani", "PERSON")], {"Navid Kamrani": "patient"}),
    ],
)
def test_actors_and_roles(nlp, text, dates, mentions, roles):
    frames = _frames(nlp, text, dates, mentions)
    assert len(frames) == 1
    assert frames[0].roles == roles
    # agents come first in Event.actors
    assert frames[0].event.actors[0] == min(roles, key=lambda n: ["agent", "patient", "other"].index(roles[n]))


@pytest.mark.parametrize(
    "text, dates, mentions, place",
    [
        ("The State Police arrested Navid Kamrani in Tervala on Monday.", [("Monday", "2024-03-18")],
         [("Navid Kamrani", "PERSON"), ("Tervala", "GPE")], "Tervala"),
        ("Protesters gathered outside the embassy in Dashtabad on Friday.", [("Friday", "2024-03-15")],
         [("Dashtabad", "GPE")], "Dashtabad"),
        ("Korvenia severed diplomatic ties with Zarvan on 9 April.", [("9 April", "2024-04-09")],
         [("Korvenia", "GPE"), ("Zarvan", "GPE")], None),
    ],
)
def test_place_is_a_location_the_event_governs(nlp, text, dates, mentions, place):
    frames = _frames(nlp, text, dates, mentions)
    assert [f.event.place for f in frames] == [place]
    assert place not in frames[0].event.actors


def test_spacy_entities_stand_in_when_no_mentions_are_given(nlp):
    text = "Albania severed diplomatic ties with Iran on September 7, 2022."
    evs = list(events(nlp(text), "d1", [_date(text, "September 7, 2022", "2022-09-07")]))
    assert evs[0].actors[0] == "Albania"


def test_unparsed_doc_is_refused(nlp):
    text = "Police raided the office on Thursday."
    with pytest.raises(ValueError, match="parsed Doc"):
        list(events(nlp.make_doc(text), "d1", [_date(text, "Thursday", "2024-03-14")]))


@pytest.mark.parametrize(
    "value, end, expected",
    [
        ("2024-03-14", None, ("2024-03-14", None)),
        ("2024-03-14T10:30", None, ("2024-03-14", None)),
        ("2024-07-23", "2024-07-24", ("2024-07-23", "2024-07-24")),
        ("2024-03", None, ("2024-03", None)),
        ("2024", None, ("2024", None)),
        ("2019-FA", None, ("2019", None)),
        ("2024-Q1", None, ("2024-01", "2024-03")),
        ("2024-H2", None, ("2024-07", "2024-12")),
        ("2024-W11", None, ("2024-03-11", "2024-03-17")),
        ("198X", None, None),
        ("19", None, None),
        ("XXXX-10", None, None),
        ("PRESENT_REF", None, None),
        (None, None, None),
    ],
)
def test_timeline_date_cuts_timex_values(value, end, expected):
    assert timeline_date(value, end) == expected


@pytest.mark.parametrize(
    "text, date, mod",
    [
        ("The party was founded in early 2014 by exiles.", ("early 2014", "2014"), "START"),
        ("The party was founded in 2014 by exiles.", ("2014", "2014"), None),
    ],
)
def test_event_keeps_the_modifier_of_its_date(nlp, text, date, mod):
    doc = nlp(text)
    at = text.index(date[0])
    d = DateExpr("d1", at, at + len(date[0]), date[0], date[1], "year", mod=mod)
    frames = list(event_frames(doc, "d1", [d], [], PUBLISHED))
    assert [(f.event.date, f.event.mod) for f in frames] == [("2014", mod)]


def test_event_roles_follow_its_actors(nlp):
    text = "The State Police raided the offices of ASZEK on Thursday."
    frames = _frames(nlp, text, [("Thursday", "2024-03-14")], [("State Police", "ORG"), ("ASZEK", "ORG")])
    (frame,) = frames
    assert frame.event.actors == ("State Police", "ASZEK")
    assert frame.event.roles == ("agent", "patient")
    assert dict(zip(frame.event.actors, frame.event.roles)) == frame.roles


@pytest.mark.parametrize(
    "text, sub, category",
    [
        ("The rebels released two hostages on Sunday.", "Sunday", "RETREAT"),
        ("Two hostages released Sunday by the rebels arrived home.", "Sunday", "RETREAT"),
        # a document published is no release of people
        ("A national poll released Sunday by the Courier shows her ahead.", "Sunday", "OTHER"),
        ("The ministry released a statement on Thursday condemning the raid.", "Thursday", "OTHER"),
        ("The campaign released a new video on Friday.", "Friday", "OTHER"),
        # a verb measuring a change of quantity is no act: "declined 40 percent" is not a refusal
        ("Trade between the two states declined 40 percent on Monday.", "Monday", "OTHER"),
        ("Exports declined by 3 percent on Monday, the office said.", "Monday", "OTHER"),
        ("The minister declined the offer on Monday.", "Monday", "REJECT"),
    ],
)
def test_a_verb_s_other_senses_are_not_its_act(nlp, text, sub, category):
    (frame,) = _frames(nlp, text, [(sub, "2024-04-14")])
    assert frame.event.category == category
    assert frame.event.trigger in ("release", "statement", "decline")


@pytest.mark.parametrize(
    "text, sub",
    [
        ("He knew from at least June 23, 2013 that the bishop had lied.", "June 23, 2013"),
        ("In late November, the senator seemed to urge the opposite tactic.", "late November"),
        ("The council wanted in 2019 to close the camp.", "2019"),
    ],
)
def test_a_mental_state_is_no_happening(nlp, text, sub):
    assert _frames(nlp, text, [(sub, "2013-06-23")]) == []


def test_calling_someone_something_is_no_consultation(nlp):
    (named,) = _frames(nlp, "In 2016, after the death of the founder, they were called agents.", [("2016", "2016", None, "DATE", "year")])
    assert (named.event.trigger, named.event.category) == ("call", "OTHER")
    (phoned,) = _frames(nlp, "The minister called the ambassador on Monday.", [("Monday", "2024-04-15")])
    assert (phoned.event.trigger, phoned.event.category) == ("call", "CONSULT")


@pytest.mark.parametrize(
    "text, sub, happened",
    [
        # a negated verb dates nothing: no happening on that day
        ("The leader did not dismiss his campaign manager on Tuesday.", "Tuesday", False),
        ("The envoy has never visited the camp since 2014.", "2014", False),
        ("The leader dismissed his campaign manager on Tuesday.", "Tuesday", True),
    ],
)
def test_a_negated_verb_is_no_event(nlp, text, sub, happened):
    value = "2014" if sub == "2014" else "2024-04-09"
    assert bool(_frames(nlp, text, [(sub, value)])) == happened


@pytest.mark.parametrize(
    "text, sub, value, dated",
    [
        # "after" or "before" a date puts the clause's event off it: no event on that date
        ("The allies invaded the north after 9/11.", "9/11", "2001-09-11", False),
        ("The council voted before May 3.", "May 3", "2024-05-03", False),
        ("The council voted on May 3.", "May 3", "2024-05-03", True),
    ],
)
def test_a_date_after_or_before_which_something_happened_dates_no_event(nlp, text, sub, value, dated):
    assert bool(_frames(nlp, text, [(sub, value)])) == dated
