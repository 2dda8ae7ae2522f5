"""Nominal events: an event noun in a temporal signal phrase ("after the death of X") is an event of its own."""

import pytest

from storyline.extract.events import event_frames
from storyline.records import DateExpr, Mention
from storyline.resolve.timeline import merge_events

PUBLISHED = "2024-04-20"

VARGA = ("Ilse Varga", "PERSON")
DUSHKU = ("Mirela Dushku", "PERSON")
BRINK = ("Tomas Brink", "PERSON")


def _frames(nlp, text, date, mentions=(), doc_id="d1"):
    """Parse ``text`` and return its event frames, ``date`` = (text, value, granularity)."""
    sub, value, granularity = date
    at = text.index(sub)
    dates = [DateExpr(doc_id, at, at + len(sub), sub, value, granularity)]
    ms = [Mention(doc_id, text.index(m), text.index(m) + len(m), m, m, label) for m, label in mentions]
    return list(event_frames(nlp(text), doc_id, dates, ms, PUBLISHED))


def _nominal(frames, trigger):
    return [f for f in frames if f.event.trigger == trigger]


@pytest.mark.parametrize(
    "text, date, mentions, trigger, category, expected",
    [
        # a year that holds the clause's event holds the death it follows
        ("In 2019, after the death of the poet Ilse Varga, the academy renamed its prize.",
         ("2019", "2019", "year"), [VARGA], "death", "OTHER", ("2019", None, ("Ilse Varga",), ("patient",))),
        ("In March 2021, following the arrest of Mirela Dushku, the party named a new leader.",
         ("March 2021", "2021-03", "month"), [DUSHKU], "arrest", "COERCE", ("2021-03", None, ("Mirela Dushku",), ("patient",))),
        # the date may come after the signal phrase, and attach to the verb after it
        ("In the wake of the bombing of the Velmar Bridge, the army closed the border in 2019.",
         ("2019", "2019", "year"), [("the Velmar Bridge", "FAC")], "bombing", "ASSAULT",
         ("2019", None, ("the Velmar Bridge",), ("patient",))),
        ("Tomas Brink was elected chair by the council in 2018, after the resignation of Ilse Varga.",
         ("2018", "2018", "year"), [BRINK, VARGA], "resignation", "OTHER", ("2018", None, ("Ilse Varga",), ("patient",))),
        # "before": the noun's event follows the clause's, in the same season (cut to its year)
        ("In autumn 2020, before the election of Tomas Brink, the party changed its rules.",
         ("autumn 2020", "2020-FA", "season"), [BRINK], "election", "OTHER", ("2020", None, ("Tomas Brink",), ("patient",))),
        # a quarter keeps its months
        ("In the first quarter of 2022, after the seizure of the Orla Line fleet, the port stayed closed.",
         ("the first quarter of 2022", "2022-Q1", "quarter"), [("Orla Line", "ORG")], "seizure", "COERCE",
         ("2022-01", "2022-03", ("Orla Line",), ("patient",))),
        # a possessive names the actor as well as an "of" complement
        ("In 2018, after Tomas Brink's resignation, the board elected a new chair.",
         ("2018", "2018", "year"), [BRINK], "resignation", "OTHER", ("2018", None, ("Tomas Brink",), ("agent",))),
        ("Upon the arrival of Ilse Varga in Ostrava, the talks resumed in May 2020.",
         ("May 2020", "2020-05", "month"), [VARGA], "arrival", "OTHER", ("2020-05", None, ("Ilse Varga",), ("patient",))),
    ],
)
def test_event_noun_after_a_signal_takes_a_coarse_clause_date(nlp, text, date, mentions, trigger, category, expected):
    frames = _frames(nlp, text, date, mentions)
    assert len(frames) == 2  # the clause's own event is kept beside the nominal one
    [frame] = _nominal(frames, trigger)
    e = frame.event
    assert (e.date, e.date_end, e.actors, e.roles) == expected
    assert e.category == category
    assert e.status == "happened"
    assert e.date_text == date[0]
    assert text[frame.trigger_start:frame.trigger_end].lower().startswith(trigger[:4])


@pytest.mark.parametrize(
    "text, date, mentions, noun",
    [
        # a day: the death "after" which someone acted on 3 May fell on some earlier day
        ("On 3 May 2018, after the arrest of Mirela Dushku, the party named a new leader.",
         ("3 May 2018", "2018-05-03", "day"), [DUSHKU], "arrest"),
        # "since" and "until" bound a state; the clause's year says nothing of the noun's event
        ("In 2021 the council has met monthly since the resignation of Tomas Brink.",
         ("2021", "2021", "year"), [BRINK], "resignation"),
        ("Throughout 2020, the group met in Ostrava until the arrest of Mirela Dushku.",
         ("2020", "2020", "year"), [DUSHKU, ("Ostrava", "GPE")], "arrest"),
        # no complement naming an entity
        ("In 2016, after the election, the party named a new leader.", ("2016", "2016", "year"), [], "election"),
        ("In 2016, after his death, Tomas Brink was honoured by the academy.", ("2016", "2016", "year"), [BRINK], "death"),
        # plural and generic nouns are not one happening
        ("In 2016, after the deaths of Ilse Varga and Tomas Brink, the academy closed its doors.",
         ("2016", "2016", "year"), [VARGA, BRINK], "death"),
        ("In 2017, after every arrest of Mirela Dushku, the party marched in Ostrava.",
         ("2017", "2017", "year"), [DUSHKU], "arrest"),
        # a noun that names no happening
        ("In 2016, after the novel of Ilse Varga, the academy renamed its prize.", ("2016", "2016", "year"), [VARGA], "novel"),
    ],
)
def test_no_nominal_event_without_a_coarse_date_a_named_complement_or_one_happening(nlp, text, date, mentions, noun):
    frames = _frames(nlp, text, date, mentions)
    assert len(frames) == 1  # only the clause's own event
    assert frames[0].event.trigger != noun


def test_nominal_event_text_runs_from_the_date_phrase_to_the_end_of_the_signal_phrase(nlp):
    text = "Tomas Brink was elected chair by the council in 2018, after the resignation of Ilse Varga, and he still leads it."
    frames = _frames(nlp, text, ("2018", "2018", "year"), [BRINK, VARGA])
    [clause] = _nominal(frames, "elect")
    [nominal] = _nominal(frames, "resignation")
    assert nominal.event.text == "in 2018, after the resignation of Ilse Varga"
    assert text[nominal.event.start:nominal.event.end] == nominal.event.text
    assert text[nominal.trigger_start:nominal.trigger_end] == "resignation"
    # the two events of the sentence never share offsets (the store keys events by them)
    assert (clause.event.start, clause.event.end) != (nominal.event.start, nominal.event.end)


def test_nominal_event_falls_back_to_the_signal_phrase_when_the_stretch_is_the_whole_sentence(nlp):
    text = "After the death of Ilse Varga the council elected Tomas Brink in 2019"
    frames = _frames(nlp, text, ("2019", "2019", "year"), [VARGA, BRINK])
    [clause] = _nominal(frames, "elect")
    [nominal] = _nominal(frames, "death")
    assert clause.event.text == text
    assert nominal.event.text == "After the death of Ilse Varga"


def test_nominal_death_joins_the_dated_death_of_another_report(nlp):
    died = _frames(nlp, "The poet Ilse Varga died in November 2019.", ("November 2019", "2019-11", "month"), [VARGA], "a")
    after = _frames(
        nlp, "In 2019, after the death of the poet Ilse Varga, the academy renamed its prize.",
        ("2019", "2019", "year"), [VARGA], "b",
    )
    entries = merge_events([f.event for f in died + after])
    [entry] = [e for e in entries if any(r["doc"] == "a" for r in e["reports"])]
    assert entry["date"] == "2019-11"
    assert sorted(r["doc"] for r in entry["reports"]) == ["a", "b"]
    assert "after the death of the poet Ilse Varga" in [r["text"] for r in entry["reports"] if r["doc"] == "b"][0]
