"""Merging dated events across documents into one ordered timeline, and scoring it."""

import itertools
import json
from pathlib import Path

import pytest

from storyline.eval.timeline import score_timeline
from storyline.records import Document, Event
from storyline.resolve.timeline import date_interval, merge_events

OUTLETS = {"wire": "Wire", "courier": "Courier", "dawn": "Dawn", "blaze": "Blaze"}


def _ev(doc, date, trigger, category, actors=(), text=None, date_end=None, place=None, status="happened"):
    text = text or f"{doc}: {trigger} on {date}."
    return Event(doc=doc, start=0, end=len(text), text=text, date=date, date_end=date_end, trigger=trigger,
                 category=category, actors=tuple(actors), place=place, status=status)


def test_same_happening_from_three_outlets_is_one_entry():
    evs = [
        _ev("wire", "2024-03-14", "raid", "COERCE", ["State Police", "ASZEK"], "Police raided the ASZEK office on Thursday."),
        _ev("courier", "2024-03-14", "search", "COERCE", ["ASZEK"]),
        _ev("blaze", "2024-03-14", "raid", "COERCE", ["State Police"]),
    ]
    entries = merge_events(evs, outlet_of=OUTLETS)
    assert len(entries) == 1
    entry = entries[0]
    assert entry["sources"] == ["wire", "courier", "blaze"]
    assert [r["doc"] for r in entry["reports"]] == ["wire", "courier", "blaze"]
    assert entry["text"] == "Police raided the ASZEK office on Thursday."  # the earliest report
    assert (entry["date"], entry["granularity"], entry["conflict"], entry["trigger"]) == ("2024-03-14", "day", None, "raid")
    assert entry["actors"][:2] == ["State Police", "ASZEK"]


def test_conflicting_dates_are_merged_and_flagged():
    evs = [
        _ev("wire", "2024-03-14", "raid", "COERCE", ["State Police", "ASZEK"]),
        _ev("courier", "2024-03-14", "raid", "COERCE", ["ASZEK"]),
        _ev("dawn", "2024-03-13", "storm", "COERCE", ["ASZEK"]),
    ]
    entries = merge_events(evs, outlet_of=OUTLETS)
    assert len(entries) == 1
    assert entries[0]["date"] == "2024-03-14"  # the date most sources give
    assert entries[0]["conflict"] == "dates differ: 2024-03-13 (Dawn) vs 2024-03-14 (Wire, Courier)"


@pytest.mark.parametrize(
    "a, b",
    [
        # different kinds of happening on one day, same actor
        (("wire", "2024-03-18", "raid", "COERCE", ["ASZEK"]), ("courier", "2024-03-18", "protest", "PROTEST", ["ASZEK"])),
        # the same kind, but in different places
        (("wire", "2024-03-18", "raid", "COERCE", ["State Police"], None, None, "Tervala"),
         ("courier", "2024-03-18", "raid", "COERCE", ["Border Police"], None, None, "Qerez")),
        # two people speaking on the same day
        (("wire", "2024-03-18", "say", "OTHER", ["Arta Velaj"]), ("courier", "2024-03-18", "say", "OTHER", ["Teuta Marku"])),
        # two statements nobody is named in
        (("wire", "2024-03-18", "say", "OTHER", []), ("courier", "2024-03-18", "say", "OTHER", [])),
        # one person speaking on consecutive days
        (("wire", "2024-03-18", "say", "OTHER", ["Arta Velaj"]), ("courier", "2024-03-19", "say", "OTHER", ["Arta Velaj"])),
        # same actors and trigger, but too far apart to be one happening
        (("wire", "2024-03-14", "raid", "COERCE", ["ASZEK"]), ("courier", "2024-03-20", "raid", "COERCE", ["ASZEK"])),
        # a bare year and an unclassified verb, nobody named
        (("wire", "2012", "make", "OTHER", []), ("courier", "2012", "make", "OTHER", [])),
        # a long span does not swallow what happened inside it
        (("wire", "1993", "serve", "OTHER", ["Edon Brahaj"], None, "2001"), ("courier", "1998", "serve", "OTHER", ["Edon Brahaj"])),
        # same category, a day apart, no actor in common
        (("wire", "2024-03-14", "raid", "COERCE", ["ASZEK"]), ("courier", "2024-03-15", "arrest", "COERCE", ["Navid Kamrani"])),
    ],
)
def test_different_happenings_stay_apart(a, b):
    assert len(merge_events([_ev(*a), _ev(*b)])) == 2


@pytest.mark.parametrize("order", list(itertools.permutations(range(3))))
def test_merging_does_not_depend_on_the_order_reports_arrive_in(order):
    evs = [
        _ev("courier", "2024-03-14", "question", "COERCE", []),
        _ev("dawn", "2024-03-13", "storm", "COERCE", ["ASZEK"], place="Korvenia"),
        _ev("wire", "2024-03-14", "raid", "COERCE", ["ASZEK"], place="Tervala"),
    ]
    entries = merge_events([evs[i] for i in order], outlet_of=OUTLETS)
    assert len(entries) == 1
    assert entries[0]["conflict"] == "dates differ: 2024-03-13 (Dawn) vs 2024-03-14 (" + ", ".join(
        OUTLETS[evs[i].doc] for i in order if evs[i].doc != "dawn") + ")"


def test_entity_ids_let_different_names_merge():
    ids = {"Korvenian police": "e-police", "State Police": "e-police", "ASZEK": "e-aszek"}
    evs = [
        _ev("wire", "2024-03-14", "raid", "COERCE", ["Korvenian police"]),
        _ev("dawn", "2024-03-13", "detain", "COERCE", ["State Police", "Unknown Group"]),
    ]
    entries = merge_events(evs, entity_of=lambda doc, name: ids.get(name), outlet_of=OUTLETS)
    assert len(entries) == 1
    # names without an entity id stay out of actors (ids only) but are kept as names
    assert entries[0]["actors"] == ["e-police"]
    assert "Unknown Group" in entries[0]["actor_names"]
    assert entries[0]["conflict"] == "dates differ: 2024-03-13 (Dawn) vs 2024-03-14 (Wire)"


@pytest.mark.parametrize(
    "a, b",
    [
        (("wire", "2008", "election", "OTHER", []), ("courier", "2008", "election", "OTHER", [])),
        # no actor taken from the first sentence, but it names the man who died
        (("wire", "2016-11", "die", "OTHER", [], "Its founder, Dariush Azarmehr, died in November 2016."),
         ("courier", "2016-11", "die", "OTHER", ["Dariush Azarmehr"])),
        (("wire", "2024-03-28", "attack", "ASSAULT", ["Black Simurgh"]), ("courier", "2024-03-28", "hack", "ASSAULT", ["Zarvan"])),
    ],
)
def test_same_happening_without_shared_names_merges_when_the_trigger_says_enough(a, b):
    assert len(merge_events([_ev(*a), _ev(*b)])) == 1


def test_month_granularity_is_kept_and_sorted_at_the_start_of_the_month():
    evs = [
        _ev("wire", "2024-03-02", "visit", "CONSULT", ["Arta Velaj"]),
        _ev("courier", "2024-03", "criticise", "DISAPPROVE", ["Ardit Hasa"]),
        _ev("dawn", "2024-02-28", "protest", "PROTEST", ["ASZEK"]),
    ]
    entries = merge_events(evs)
    assert [(e["date"], e["granularity"]) for e in entries] == [
        ("2024-02-28", "day"), ("2024-03", "month"), ("2024-03-02", "day")]


def test_month_report_joins_the_day_report_of_the_same_happening():
    evs = [
        _ev("wire", "2024-03", "raid", "COERCE", ["ASZEK"], "Police raided ASZEK in March."),
        _ev("courier", "2024-03-14", "raid", "COERCE", ["ASZEK"], "Police raided ASZEK on 14 March."),
    ]
    entries = merge_events(evs)
    assert len(entries) == 1
    assert (entries[0]["date"], entries[0]["granularity"], entries[0]["conflict"]) == ("2024-03-14", "day", None)
    assert entries[0]["text"] == "Police raided ASZEK on 14 March."


def test_entries_are_ordered_by_date_with_sequential_ids():
    evs = [
        _ev("wire", "2024-04-09", "sever", "SANCTION", ["Korvenia"]),
        _ev("wire", "2014", "agree", "AGREE", ["Korvenia"]),
        _ev("wire", "2024-03-14", "raid", "COERCE", ["ASZEK"]),
        _ev("wire", "2024-07-23", "summit", "CONSULT", ["PFMZ"], date_end="2024-07-24", status="scheduled"),
    ]
    entries = merge_events(evs)
    assert [e["date"] for e in entries] == ["2014", "2024-03-14", "2024-04-09", "2024-07-23"]
    assert [e["id"] for e in entries] == ["event-1", "event-2", "event-3", "event-4"]
    assert entries[-1]["date_end"] == "2024-07-24"
    assert entries[-1]["status"] == "scheduled"
    assert entries[0]["granularity"] == "year"


def test_a_month_report_does_not_glue_entries_weeks_apart():
    evs = [
        _ev("wire", "2024-03-06", "release", "RETREAT", []),
        _ev("courier", "2024-03-22", "release", "RETREAT", []),
        _ev("dawn", "2024-03", "release", "RETREAT", []),
    ]
    entries = merge_events(evs)
    # nobody is named: the month report cannot tell which release it is, so it joins neither
    assert [len(e["sources"]) for e in entries] == [1, 1, 1]
    assert all(e["conflict"] is None for e in entries)
    # with an actor in common it joins the release it names, and still glues nothing
    evs = [
        _ev("wire", "2024-03-06", "release", "RETREAT", ["Navid Kamrani"]),
        _ev("courier", "2024-03-22", "release", "RETREAT", ["Lira Toska"]),
        _ev("dawn", "2024-03", "release", "RETREAT", ["Navid Kamrani"]),
    ]
    entries = merge_events(evs)
    assert sorted(e["sources"] for e in entries) == [["courier"], ["wire", "dawn"]]


def test_range_reports_and_a_lone_unclassified_report_of_the_same_days_merge():
    evs = [
        _ev("wire", "2024-07-23", "summit", "CONSULT", [], date_end="2024-07-24", place="Camp Sahar", status="scheduled"),
        _ev("courier", "2024-07-23", "summit", "CONSULT", [], date_end="2024-07-24", status="scheduled"),
        _ev("dawn", "2024-07-23", "fly", "OTHER", ["Camp Sahar"], date_end="2024-07-24", status="scheduled"),
        _ev("blaze", "2024-07-24", "summit", "CONSULT", [], status="scheduled"),
    ]
    entries = merge_events(evs, outlet_of=OUTLETS)
    assert len(entries) == 1
    assert entries[0]["sources"] == ["wire", "courier", "dawn", "blaze"]
    assert entries[0]["conflict"] is None  # "July 24" lies inside "July 23-24"


def test_status_follows_most_reports():
    evs = [
        _ev("wire", "2024-07-23", "summit", "CONSULT", ["PFMZ"], status="scheduled"),
        _ev("courier", "2024-07-23", "summit", "CONSULT", ["PFMZ"], status="scheduled"),
        _ev("dawn", "2024-07-23", "summit", "CONSULT", ["PFMZ"], status="happened"),
    ]
    assert merge_events(evs)[0]["status"] == "scheduled"


def test_events_without_a_date_are_left_out():
    assert merge_events([_ev("wire", None, "raid", "COERCE")]) == []


@pytest.mark.parametrize(
    "date, end, expected",
    [
        ("2024-03-14", None, ("2024-03-14", "2024-03-14", "day")),
        ("2024-02", None, ("2024-02-01", "2024-02-29", "month")),
        ("2024", None, ("2024-01-01", "2024-12-31", "year")),
        ("2024-07-23", "2024-07-24", ("2024-07-23", "2024-07-24", "day")),
        ("2024-01", "2024-03", ("2024-01-01", "2024-03-31", "month")),
    ],
)
def test_date_interval(date, end, expected):
    lo, hi, granularity = date_interval(date, end)
    assert (lo.isoformat(), hi.isoformat(), granularity) == expected


@pytest.mark.parametrize("bad", ["March 2024", "2024-13", "2024-02-30", ""])
def test_date_interval_refuses_other_forms(bad):
    with pytest.raises(ValueError, match="YYYY, YYYY-MM or YYYY-MM-DD"):
        date_interval(bad)


# --- joining entries across blocks ------------------------------------------------------------

@pytest.mark.parametrize(
    "a, b",
    [
        # a verb and its irregular event noun, the same day
        (("wire", "2019-05-02", "die", "OTHER", ["Ilir Dushku"]), ("courier", "2019-05-02", "death", "OTHER", ["Ilir Dushku"])),
        # "died in November 2016" and "after the death ... in 2016": the month lies inside the year
        (("wire", "2016-11", "die", "OTHER", ["Ilir Dushku"]), ("courier", "2016", "death", "OTHER", ["Ilir Dushku"])),
        # a regular event noun ("elect" + "ion"), a day inside a month
        (("wire", "2021-06-13", "elect", "OTHER", ["Mira Toska"]), ("dawn", "2021-06", "election", "OTHER", ["Mira Toska"])),
        # a synonym without a category beside a classified one
        (("wire", "2015", "harbour", "OTHER", ["Korvenia"]), ("dawn", "2015", "host", "AID", ["Korvenia"])),
        # a commitment whose complement names the other's act by a synonym
        (("wire", "2014", "agree", "AGREE", ["Korvenia", "ASZEK"], "Korvenia agreed in 2014 to give shelter to ASZEK."),
         ("dawn", "2014", "host", "AID", ["Korvenia"], "Korvenia has hosted the exiles since 2014.")),
        # the converse of hosting: the guest has lived there since the same year
        (("wire", "2014", "host", "AID", ["Korvenia", "ASZEK"], "Korvenia has hosted ASZEK since early 2014."),
         ("dawn", "2014", "live", "OTHER", ["ASZEK"], "ASZEK has lived in Korvenia since early 2014.", None, "Korvenia")),
        # ... or by the same verb
        (("wire", "2023-02", "decide", "OTHER", ["Tervala council"], "In February 2023 the Tervala council decided to ban the march."),
         ("dawn", "2023-02-20", "ban", "COERCE", ["Tervala council"], "The Tervala council banned the march on 20 February.")),
    ],
)
def test_kin_triggers_join_entries_of_different_blocks(a, b):
    entries = merge_events([_ev(*a), _ev(*b)])
    assert len(entries) == 1
    assert entries[0]["sources"] == [a[0], b[0]]


@pytest.mark.parametrize(
    "a, b",
    [
        # kin triggers, different people
        (("wire", "2016-11", "die", "OTHER", ["Ilir Dushku"]), ("courier", "2016", "death", "OTHER", ["Besa Lleshi"])),
        # kin triggers, nobody named
        (("wire", "2016-11", "die", "OTHER", []), ("courier", "2016", "death", "OTHER", [])),
        # the same lemma, different people
        (("wire", "2016-11", "die", "OTHER", ["Ilir Dushku"]), ("courier", "2016", "die", "OTHER", ["Besa Lleshi"])),
        # the same lemma in two blocks: its object set the category ("hosted talks" vs "hosted the exiles")
        (("wire", "2015", "host", "CONSULT", ["Korvenia"]), ("dawn", "2015", "host", "AID", ["Korvenia"])),
        (("wire", "2014", "take", "AID", ["Korvenia"], "Korvenia took in the exiles in 2014."),
         ("dawn", "2014", "take", "OTHER", ["Korvenia"], "Korvenia took part in the talks in 2014.")),
        # a statement ("warned") never joins across blocks, not even its own noun, in either order
        (("wire", "2024-03-26", "warn", "THREATEN", ["Arta Velaj"]), ("dawn", "2024-03-26", "warning", "THREATEN", ["Arta Velaj"])),
        (("dawn", "2024-03-26", "warning", "THREATEN", ["Arta Velaj"]), ("wire", "2024-03-26", "warn", "THREATEN", ["Arta Velaj"])),
        # days apart: neither date contains the other
        (("wire", "2016-11-03", "die", "OTHER", ["Ilir Dushku"]), ("courier", "2016-11-05", "death", "OTHER", ["Ilir Dushku"])),
        (("wire", "2016-10", "die", "OTHER", ["Ilir Dushku"]), ("courier", "2016-11", "death", "OTHER", ["Ilir Dushku"])),
        # kin triggers, different places
        (("wire", "2016-11", "die", "OTHER", ["Ilir Dushku"], None, None, "Qerez"),
         ("courier", "2016", "death", "OTHER", ["Ilir Dushku"], None, None, "Bërdica")),
        # a synonym group across two PLOVER categories: expelling activists is not severing relations
        (("wire", "2024-04-09", "expel", "COERCE", ["Korvenia"]), ("dawn", "2024-04-09", "sever", "SANCTION", ["Korvenia"])),
        # a commitment that denies the act, or whose complement names another act
        (("wire", "2014", "agree", "AGREE", ["Korvenia"], "Korvenia agreed in 2014 not to host the exiles."),
         ("dawn", "2014", "host", "AID", ["Korvenia"], "Korvenia has hosted the exiles since 2014.")),
        (("wire", "2014", "agree", "AGREE", ["Korvenia"], "Korvenia agreed in 2014 to end the raids."),
         ("dawn", "2014", "raid", "COERCE", ["Korvenia"], "Korvenia raided the camp in 2014.")),
        # the converse of hosting, but another guest, or another year
        (("wire", "2014", "host", "AID", ["Korvenia", "ASZEK"], "Korvenia has hosted ASZEK since early 2014."),
         ("dawn", "2014", "live", "OTHER", ["Mira Toska"], "Mira Toska has lived in Korvenia since 2014.", None, "Korvenia")),
        (("wire", "2014", "host", "AID", ["Korvenia", "ASZEK"], "Korvenia has hosted ASZEK since early 2014."),
         ("dawn", "2019", "live", "OTHER", ["ASZEK"], "ASZEK lived in Korvenia in 2019.", None, "Korvenia")),
        # a commitment naming the act, but nobody in common
        (("wire", "2014", "agree", "AGREE", ["Lirana"], "Lirana agreed in 2014 to host the exiles."),
         ("dawn", "2014", "host", "AID", ["Korvenia"], "Korvenia has hosted the exiles since 2014.")),
    ],
)
def test_entries_of_different_blocks_stay_apart(a, b):
    assert len(merge_events([_ev(*a), _ev(*b)])) == 2


def test_month_inside_year_keeps_the_month_and_every_source():
    evs = [
        _ev("wire", "2016-11", "die", "OTHER", ["Ilir Dushku"], "Ilir Dushku died in November 2016."),
        _ev("courier", "2016", "death", "OTHER", ["Ilir Dushku"], "In 2016, after the death of Ilir Dushku, the camp closed."),
        _ev("dawn", "2016-11", "die", "OTHER", ["Ilir Dushku"], "Dushku, who died in November 2016, founded the camp."),
    ]
    (entry,) = merge_events(evs, outlet_of=OUTLETS)
    assert (entry["date"], entry["granularity"], entry["trigger"], entry["conflict"]) == ("2016-11", "month", "die", None)
    assert entry["sources"] == ["wire", "courier", "dawn"]
    assert entry["text"] == "Ilir Dushku died in November 2016."


def test_joined_entry_takes_the_category_most_reports_give():
    evs = [
        _ev("wire", "2014", "agree", "AGREE", ["Korvenia", "ASZEK"], "Korvenia agreed in 2014 to host ASZEK."),
        _ev("dawn", "2014", "host", "AID", ["Korvenia"], "Korvenia has hosted ASZEK since 2014."),
        _ev("blaze", "2014", "host", "AID", ["ASZEK", "Korvenia"], "ASZEK has been hosted by Korvenia since 2014."),
    ]
    (entry,) = merge_events(evs)
    assert (entry["category"], entry["trigger"]) == ("AID", "host")
    assert entry["sources"] == ["wire", "dawn", "blaze"]
    assert entry["actors"] == ["Korvenia", "ASZEK"]


def test_a_coarse_entry_that_fits_two_entries_joins_neither():
    evs = [
        _ev("wire", "2016-03-01", "die", "OTHER", ["Ilir Dushku"]),
        _ev("dawn", "2016-09-01", "die", "OTHER", ["Ilir Dushku"]),
        _ev("courier", "2016", "death", "OTHER", ["Ilir Dushku"]),
    ]
    assert [e["sources"] for e in merge_events(evs)] == [["courier"], ["wire"], ["dawn"]]


@pytest.mark.parametrize("order", list(itertools.permutations(range(4))))
def test_joining_across_blocks_does_not_depend_on_the_order_reports_arrive_in(order):
    ids = {"Ilir Dushku": "e-dushku", "Dushku": "e-dushku", "Korvenia": "e-korvenia"}
    evs = [
        _ev("wire", "2016-11", "die", "OTHER", ["Ilir Dushku"]),
        _ev("courier", "2016", "death", "OTHER", ["Dushku"]),
        _ev("dawn", "2016-11-04", "funeral", "OTHER", ["Korvenia"]),
        _ev("blaze", "2016-11-04", "say", "OTHER", ["Ilir Dushku"]),
    ]
    entries = merge_events([evs[i] for i in order], entity_of=lambda doc, name: ids.get(name))
    assert sorted(sorted(e["sources"]) for e in entries) == [["blaze"], ["courier", "wire"], ["dawn"]]


# --- scoring -----------------------------------------------------------------------------------

GOLD = {
    "events": [
        {"id": "g1", "date": "2024-03-14", "mentions": [
            {"doc": "01-a.txt", "sentence_contains": "raided the office"},
            {"doc": "02-b.jsonl:1", "sentence_contains": "stormed the homes"}]},
        {"id": "g2", "date": "2024-03-18", "mentions": [
            {"doc": "01-a.txt", "sentence_contains": "protest in Tervala"},
            {"doc": "03-c.txt", "sentence_contains": "gathered on Monday"}]},
        {"id": "g3", "date": "2019-FA", "mentions": [{"doc": "03-c.txt", "sentence_contains": "uprising of fall 2019"}]},
        {"id": "g4", "date": "2024-03-14", "note": "part of g1", "mentions": [
            {"doc": "01-a.txt", "sentence_contains": "questioned him"}]},
        {"id": "g5", "date": None, "mentions": [{"doc": "01-a.txt", "sentence_contains": "for years"}]},
    ]
}
NAMES = {"A": "01-a.txt", "B1": "02-b.jsonl:1", "B2": "02-b.jsonl:2", "C": "03-c.txt"}


def _entry(id_, date, *reports):
    return {"id": id_, "date": date, "reports": [{"doc": d, "text": t} for d, t in reports]}


def test_score_recall_and_merges():
    entries = [
        _entry("event-1", "2019", ("C", "after the uprising of fall 2019, when students marched")),
        _entry("event-2", "2024-03-14", ("A", "Police raided the office on Thursday."),
               ("B1", "Police stormed the homes of refugees."), ("A", "Officers questioned him on 14 March.")),
        _entry("event-3", "2024-03-18", ("A", "The defectors held a protest in Tervala on Monday.")),
        _entry("event-4", "2024-03-18", ("C", "About sixty people gathered on Monday.")),
    ]
    score = score_timeline(entries, GOLD, NAMES)
    assert (score["dated_gold"], score["found"], score["missed"]) == (4, 4, [])
    assert score["recall"] == 1.0
    assert (score["multi_mention_gold"], score["merged_whole"], score["not_merged"]) == (2, 1, ["g2"])
    assert score["merge_accuracy"] == 0.5
    assert score["wrong_merges"] == []  # g4 is part of g1
    assert score["entries_matched"] == 4


@pytest.mark.parametrize(
    "entry, found",
    [
        (_entry("x", "2024-03", ("A", "Police raided the office.")), 0),  # coarser than the gold date
        (_entry("x", "2024-03-15", ("A", "Police raided the office.")), 0),  # wrong day
        (_entry("x", "2024-03-14", ("C", "Police raided the office.")), 0),  # wrong document
        (_entry("x", "2024-03-14", ("B2", "Police stormed the homes.")), 0),  # other line of the JSONL file
        (_entry("x", "2024-03-14", ("B1", "Police STORMED THE HOMES.")), 1),
    ],
)
def test_a_gold_event_needs_its_date_document_and_sentence(entry, found):
    gold = {"events": [GOLD["events"][0]]}
    assert score_timeline([entry], gold, NAMES)["found"] == found


def test_an_entry_joining_two_gold_events_is_a_wrong_merge():
    entries = [_entry("event-1", "2024-03-18", ("A", "The defectors held a protest in Tervala on Monday."),
                      ("A", "Police raided the office on Thursday."))]
    gold = {"events": [dict(GOLD["events"][0], date="2024-03"), GOLD["events"][1]]}
    score = score_timeline(entries, gold, NAMES)
    assert score["wrong_merges"] == [{"entry": "event-1", "gold": ["g1", "g2"]}]
    assert score["wrong_merge_rate"] == 1.0


def test_score_refuses_a_gold_without_events():
    with pytest.raises(ValueError, match="no 'events' list"):
        score_timeline([], {"dates": []}, NAMES)


# --- the demo corpus, end to end --------------------------------------------------------------

DEMO = Path(__file__).resolve().parents[1] / "src" / "storyline" / "demo"


def test_demo_timeline_against_its_gold(nlp):
    """nlp -> find_dates -> mentions -> events -> merge_events -> score_timeline on the demo corpus."""
    if not (DEMO / "gold.json").exists():
        pytest.skip("demo gold.json not written yet")
    dates_mod = pytest.importorskip("storyline.extract.dates")
    from storyline.extract.events import events
    from storyline.ingest.files import iter_documents

    try:
        from storyline.extract.entities import mentions
        from storyline.resolve.aliases import resolve
    except ImportError:  # the timeline still runs on spaCy's entities
        mentions = resolve = None
    docs = sorted((d for d in iter_documents([DEMO]) if isinstance(d, Document)),
                  key=lambda d: (d.published or "", d.source or ""))
    names = {d.id: Path(d.source or d.path).name for d in docs}
    outlets = {d.id: d.outlet for d in docs}
    all_events, all_mentions, all_acronyms = [], [], []
    for document, doc in zip(docs, nlp.pipe(d.text for d in docs)):
        found = dates_mod.find_dates(document.text, document.id, document.published)
        ms, acs = mentions(doc, document.id) if mentions else ((), ())
        all_mentions += ms
        all_acronyms += acs
        all_events += events(doc, document.id, found, ms, document.published)
    entity_of = None
    if resolve is not None:
        resolution = resolve(all_mentions, all_acronyms, outlets)
        by_name = {}
        for m in all_mentions:
            eid = resolution.assign.get((m.doc, m.start, m.end))
            if eid:
                by_name.setdefault((m.doc, m.name), eid)
        entity_of = lambda doc, name: by_name.get((doc, name))  # noqa: E731
    entries = merge_events(all_events, entity_of, outlets)
    score = score_timeline(entries, json.loads((DEMO / "gold.json").read_text(encoding="utf-8")), names)
    # `storyline eval demo` at stop 10: recall 18/18, merge accuracy 11/11, no wrong merge
    assert score["recall"] >= 0.94, score
    assert score["merge_accuracy"] >= 0.8, score
    assert score["wrong_merge_rate"] <= 0.1, score
    assert [e["date"] for e in entries] == sorted(
        (e["date"] for e in entries), key=lambda d: date_interval(d)[0].isoformat())
    for e in entries:
        doc = next(d for d in docs if d.id == e["doc"])
        assert doc.text[e["start"]:e["end"]] == e["text"]


def test_entry_keeps_the_modifier_and_the_roles_most_reports_give():
    base = dict(start=0, end=10, text="x" * 10, trigger="found", category="OTHER", date="2014", date_end=None)
    evs = [
        Event(doc="wire", actors=("ASZEK", "Mira Toska"), roles=("patient", "agent"), mod="START", **base),
        Event(doc="dawn", actors=("ASZEK", "Mira Toska"), roles=("patient", "agent"), mod="START", **base),
        Event(doc="blaze", actors=("ASZEK",), roles=("agent",), mod=None, **base),
    ]
    (entry,) = merge_events(evs, outlet_of=OUTLETS)
    assert entry["mod"] == "START"
    assert dict(zip(entry["actors"], entry["roles"])) == {"ASZEK": "patient", "Mira Toska": "agent"}
    assert [r["mod"] for r in entry["reports"]] == ["START", "START", None]


# --- precision on corpora that mix many stories (stop 10) -------------------------------------------

@pytest.mark.parametrize(
    "a, b",
    [
        # an unclassified verb on one day, nobody in common: two stories, not one happening
        (("wire", "2024-04-14", "stand", "OTHER", ["Arta Velaj"], "Arta Velaj stood by her remarks on Sunday."),
         ("dawn", "2024-04-14", "stand", "OTHER", ["Edon Brahaj"], "Edon Brahaj stood face to face with the mayor on Sunday.")),
        # a generic event noun, nobody named: "another incident this month" is not "the 8 March incident"
        (("wire", "2024-03-08", "incident", "OTHER", [], "He was charged over the 8 March incident."),
         ("dawn", "2024-03", "incident", "OTHER", [], "In another incident this month, a guard was hurt.")),
        # an unclassified verb, nobody named, a day and a month
        (("wire", "2024-01-05", "tweet", "OTHER", [], "The office tweeted on Friday."),
         ("dawn", "2024-01", "tweet", "OTHER", [], "The aide tweeted last January.")),
        # an unclassified verb days apart, one actor in common
        (("wire", "2024-11-08", "respond", "OTHER", ["Edon Brahaj"], "Edon Brahaj responded on Sunday."),
         ("dawn", "2024-11-06", "respond", "OTHER", ["Edon Brahaj"], "The Courier responded late Friday to Edon Brahaj.")),
        # a year and a day of one category with one actor in common, but two different acts
        (("wire", "2015-12-16", "approve", "AGREE", ["Korvenia"], "The Korvenia council on Wednesday approved a resolution."),
         ("dawn", "2015", "deal", "AGREE", ["Korvenia"], "The deal came as Korvenia lifted the levy in 2015.")),
        # an unclassified verb in one month, nobody named in one: a report released is not a poll released
        (("wire", "2016-08", "release", "OTHER", ["Veterans Office"], "An analysis released by the Veterans Office last month."),
         ("dawn", "2016-08", "release", "OTHER", [], "A poll released in late August found most voters undecided.")),
        # an unclassified verb, one name in common, a month around a day: "could win later in March"
        (("wire", "2016-03-01", "win", "OTHER", ["Edon Brahaj"], "Edon Brahaj won four states on Tuesday."),
         ("dawn", "2016-03", "win", "OTHER", ["Edon Brahaj"], "Edon Brahaj can win a series of states later in March.")),
        # a classified verb in one year, the second report names nobody and none of the first's actors
        (("wire", "2014", "close", "SANCTION", ["Atlas Club"], "The Atlas Club closed in 2014."),
         ("dawn", "2014", "close", "SANCTION", [], "The bakery on Mill Street closed in 2014.")),
    ],
)
def test_reports_of_unrelated_stories_stay_apart(a, b):
    assert len(merge_events([_ev(*a), _ev(*b)])) == 2


def test_a_party_or_faith_shared_is_no_shared_actor():
    # "Republicans" named in both reports does not make two people's statements one
    evs = [
        _ev("wire", "2016-07-13", "say", "OTHER", ["Newt Gingrich", "Republicans"]),
        _ev("dawn", "2016-07-13", "say", "OTHER", ["Ben Cardin", "Republicans"]),
    ]
    assert len(merge_events(evs)) == 1
    assert len(merge_events(evs, weak_actors={"name:republicans"})) == 2
    # they stay in each entry's actors
    entries = merge_events(evs, weak_actors={"name:republicans"})
    assert all("Republicans" in e["actor_names"] for e in entries)


def test_a_statement_dated_by_a_week_joins_no_day():
    evs = [
        _ev("wire", "2015-11-30", "say", "OTHER", ["Edon Brahaj"], "Edon Brahaj said on Monday that he would run."),
        _ev("dawn", "2015-11-30", "say", "OTHER", ["Edon Brahaj"], "Brahaj said in an interview last week that he would win.",
            date_end="2015-12-06"),
        _ev("courier", "2015-12-06", "say", "OTHER", ["Edon Brahaj"], "Brahaj said on Sunday that the vote was rigged."),
    ]
    assert [len(e["sources"]) for e in merge_events(evs)] == [1, 1, 1]


def test_a_report_with_no_actor_joins_the_entry_its_sentence_names():
    # the extractor took no actor from the second sentence, but it names Korvenia, an actor of the entry
    evs = [
        _ev("wire", "2014", "host", "AID", ["Korvenia", "ASZEK"], "Korvenia agreed in 2014 to host ASZEK."),
        _ev("dawn", "2014", "host", "AID", [], "Korvenia has hosted the movement since early 2014."),
    ]
    (entry,) = merge_events(evs)
    assert entry["sources"] == ["wire", "dawn"]
    # a sentence that names none of them stays apart
    evs[1] = _ev("dawn", "2014", "host", "AID", [], "The town has hosted the fair since early 2014.")
    assert len(merge_events(evs)) == 2


def test_a_verbal_act_needs_an_actor_in_common_a_material_one_does_not():
    # two outlets name different sides of one raid: one happening
    raid = [_ev("wire", "2024-03-14", "raid", "COERCE", ["State Police"]), _ev("dawn", "2024-03-14", "raid", "COERCE", ["ASZEK"])]
    assert len(merge_events(raid)) == 1
    # two people asked something on one day: two happenings
    ask = [_ev("wire", "2024-03-14", "ask", "DEMAND", ["Arta Velaj"]), _ev("dawn", "2024-03-14", "ask", "DEMAND", ["Edon Brahaj"])]
    assert len(merge_events(ask)) == 2


def test_statements_share_a_speaker_not_a_name_they_mention():
    def said(doc, speaker):
        return Event(doc=doc, start=0, end=10, text="x" * 10, date="2024-03-17", date_end=None, trigger="say",
                     category="OTHER", actors=(speaker, "Korvenia"), roles=("agent", "other"))

    assert len(merge_events([said("wire", "Arta Velaj"), said("dawn", "Edon Brahaj")])) == 2
    assert len(merge_events([said("wire", "Arta Velaj"), said("dawn", "Arta Velaj")])) == 1


def test_a_span_of_days_joins_a_day_but_glues_no_days_together():
    # "later this week" covers Monday and Friday; the two rallies stay apart, the span joins neither
    evs = [
        _ev("wire", "2024-03-11", "rally", "PROTEST", ["ASZEK"], "ASZEK rallied in Tervala on Monday."),
        _ev("dawn", "2024-03-15", "rally", "PROTEST", ["ASZEK"], "ASZEK rallied in Qerez on Friday."),
        _ev("blaze", "2024-03-11", "rally", "PROTEST", [], "Supporters will rally later this week.", date_end="2024-03-17"),
    ]
    entries = merge_events(evs)
    assert not any({"wire", "dawn"} <= set(e["sources"]) for e in entries)
    assert all(e["granularity"] == "day" for e in entries)


@pytest.mark.parametrize(
    "a, b, joined",
    [
        # an unclassified verb on one day, nobody named: a letter released is not a poll released
        (("wire", "2016-09-30", "release", "OTHER", [], "He released a letter from his doctor on Friday."),
         ("dawn", "2016-09-30", "release", "OTHER", [], "The latest poll released Friday shows her ahead."), False),
        # an event noun on one day, nobody named: one election
        (("wire", "2016-11-08", "election", "OTHER", [], "The outcome of the Nov. 8 election is open."),
         ("dawn", "2016-11-08", "election", "OTHER", [], "They are vying in the Nov. 8 general election."), True),
    ],
)
def test_reports_naming_nobody(a, b, joined):
    assert len(merge_events([_ev(*a), _ev(*b)])) == (1 if joined else 2)


def test_an_acronym_is_read_as_written():
    # the pronoun "who" is not the station WHO named by the entry
    evs = [
        _ev("wire", "2015-01-05", "run", "OTHER", ["WHO"], "The campaign will run a spot on WHO on Jan. 5."),
        _ev("dawn", "2015-01-05", "run", "OTHER", [], "He is the man who declined to run on Jan. 5."),
    ]
    assert len(merge_events(evs)) == 2
    evs[1] = _ev("dawn", "2015-01-05", "run", "OTHER", [], "A second spot will run on WHO on Jan. 5.")
    assert len(merge_events(evs)) == 1


@pytest.mark.parametrize(
    "noun, joined",
    [("election", True), ("invasion", True), ("interview", False), ("speech", False), ("decision", False)],
)
def test_with_nobody_named_only_a_one_off_happening_joins_by_its_date(noun, joined):
    evs = [_ev("wire", "2015", noun, "OTHER", []), _ev("dawn", "2015", noun, "OTHER", [])]
    assert len(merge_events(evs)) == (1 if joined else 2)


def test_a_vague_report_that_fits_two_happenings_joins_neither():
    evs = [
        _ev("wire", "2016-01-14", "debate", "OTHER", ["Edon Brahaj"], "Edon Brahaj spoke at the debate on Thursday."),
        _ev("dawn", "2016-01-28", "debate", "OTHER", ["Edon Brahaj"], "Edon Brahaj left the debate early on Thursday."),
        _ev("blaze", "2016-01", "debate", "OTHER", ["Edon Brahaj"], "Asked during a January debate, Edon Brahaj said no."),
    ]
    assert sorted(len(e["sources"]) for e in merge_events(evs)) == [1, 1, 1]
    # with one debate that month it joins it
    assert sorted(len(e["sources"]) for e in merge_events([evs[0], evs[2]])) == [2]


@pytest.mark.parametrize(
    "a, b, joined",
    [
        # an unclassified verb dated by a month or a year says too little to be one happening
        (("wire", "1986", "come", ["United States"], "The last tax overhaul in the United States came 30 years ago."),
         ("dawn", "1986", "come", ["United States"], "He came to the United States from India 30 years ago."), False),
        (("wire", "2008", "go", ["Obama", "Clinton"], "Clinton went through this in 2008 against Obama."),
         ("dawn", "2008", "go", ["Obama", "Clinton"], "Clinton went to the floor in 2008 and moved that Obama be nominated."),
         False),
        # its own sentence, republished, still joins
        (("wire", "2013", "turn", ["Billy Golf"], "Management was turned over in 2013 to Billy Golf."),
         ("dawn", "2013", "turn", ["Billy Golf"], "Management was turned over in 2013 to Billy Golf."), True),
        # what happens to someone once joins by a month when the two share the person
        (("wire", "2016-11", "die", ["Dariush Azarmehr"], "The founder, Dariush Azarmehr, died in November 2016."),
         ("dawn", "2016-11", "die", [], "The summit honours Dariush Azarmehr, who died in November 2016."), True),
        # on one day, an unclassified verb with an actor in common still joins
        (("wire", "2016-03-14", "win", ["Edon Brahaj"], "Edon Brahaj won the vote on Monday."),
         ("dawn", "2016-03-14", "win", ["Edon Brahaj"], "Edon Brahaj won the party vote on March 14."), True),
    ],
)
def test_an_unclassified_verb_needs_a_day_to_join(a, b, joined):
    evs = [_ev(a[0], a[1], a[2], "OTHER", a[3], a[4]), _ev(b[0], b[1], b[2], "OTHER", b[3], b[4])]
    assert len(merge_events(evs)) == (1 if joined else 2)



def test_a_report_dated_by_its_year_joins_finer_reports_only_on_strong_evidence():
    # stop 12: "agreed late last year" shares one actor with an agreement reached on a Saturday in
    # December; that is not one happening
    evs = [
        _ev("wire", "2015-12-12", "agreement", "AGREE", ["Tervala", "Arta Velaj"],
            "The agreement reached in Tervala on Saturday binds every party."),
        _ev("dawn", "2015", "agree", "AGREE", ["Congress", "Arta Velaj"],
            "Congress and Arta Velaj agreed late last year to extend the credits."),
    ]
    assert len(merge_events(evs)) == 2
    # what happens once to someone is one happening, told by its month or its year
    kill = [
        _ev("wire", "2012-02", "kill", "ASSAULT", ["Besnik Gashi", "Dren Hoxha"], "Besnik Gashi killed Dren Hoxha in February 2012."),
        _ev("dawn", "2012", "kill", "ASSAULT", ["Besnik Gashi", "Dren Hoxha"],
            "Besnik Gashi tried to sell the gun he used to kill Dren Hoxha in 2012."),
    ]
    assert len(merge_events(kill)) == 1
    # the same one-off happening named by its year and its place joins the day's reports
    attack = [
        _ev("wire", "2012-09-11", "attack", "ASSAULT", ["ASZEK"], "Gunmen attacked the mission in Qerez on 11 September.",
            place="Qerez"),
        _ev("dawn", "2012", "attack", "ASSAULT", ["ASZEK"], "Questions about the 2012 ASZEK attack in Qerez remain.",
            place="Qerez"),
    ]
    assert len(merge_events(attack)) == 1
    # an act that happens more than once, with one name in common, stays apart
    visit = [
        _ev("wire", "2012-09-11", "visit", "CONSULT", ["Arta Velaj", "Qerez"], "Arta Velaj visited Qerez on 11 September."),
        _ev("dawn", "2012", "visit", "CONSULT", ["Arta Velaj"], "Arta Velaj visited the north often in 2012."),
    ]
    assert len(merge_events(visit)) == 2
    visit[1] = _ev("dawn", "2012-09", "visit", "CONSULT", ["Arta Velaj"], "Arta Velaj visited Qerez in September.")
    assert len(merge_events(visit)) == 1


def _velaj_everywhere():
    """Five documents in which Arta Velaj is an actor: a corpus where she is prominent."""
    return [_ev(f"bg{n}", f"2016-0{n}-0{n}", "visit", "CONSULT", ["Arta Velaj"], f"Arta Velaj visited town {n}.")
            for n in range(1, 6)]


def _entries_of(trigger, evs, **kw):
    return [e for e in merge_events(evs, **kw) if e["trigger"] == trigger]


def test_a_report_dated_by_its_month_joins_an_entry_of_days_on_its_word_and_more_than_a_famous_name():
    # stop 13: Arta Velaj is an actor in every document of this corpus, so having her in common says
    # little; she holds rallies often, but there is one debate at its date
    background = _velaj_everywhere()
    rally = [
        _ev("wire", "2016-02-16", "rally", "PROTEST", ["Arta Velaj"], "Arta Velaj spoke at a rally in Dorvel on Tuesday."),
        _ev("dawn", "2016-02", "rally", "PROTEST", ["Arta Velaj"], "A heckler was thrown out of a February rally of Arta Velaj."),
    ]
    assert len(_entries_of("rally", background + rally)) == 2
    debate = [
        _ev("wire", "2016-02-16", "debate", "OTHER", ["Arta Velaj"], "Arta Velaj won the debate on Tuesday."),
        _ev("dawn", "2016-02", "debate", "OTHER", ["Arta Velaj"], "Arta Velaj shone in February's debate."),
    ]
    assert len(_entries_of("debate", background + debate)) == 1
    # a place in common is enough for a rally
    rally[1] = _ev("dawn", "2016-02", "rally", "PROTEST", ["Arta Velaj"], "The February rally in Dorvel drew crowds.",
                   place="Dorvel")
    rally[0] = _ev("wire", "2016-02-16", "rally", "PROTEST", ["Arta Velaj"], "Arta Velaj held a rally in Dorvel on Tuesday.",
                   place="Dorvel")
    assert len(_entries_of("rally", background + rally)) == 1
    # another word is another happening, even with a rare name in common
    sign = [
        _ev("wire", "2015-12-12", "agreement", "AGREE", ["Besnik Gashi"], "The agreement Besnik Gashi reached on Saturday holds."),
        _ev("dawn", "2015-12", "sign", "AGREE", ["Besnik Gashi"], "Besnik Gashi signed the road bill in December."),
    ]
    assert len(merge_events(sign)) == 2


def test_the_surname_of_a_famous_actor_kept_as_its_own_entity_is_still_famous():
    # Arta Velaj is prominent; "Velaj" alone, in the day report's document, was left apart from her
    # (it may name another Velaj); that surname inside "the Velaj Institute" does not tie a month-level
    # report to that day
    background = _velaj_everywhere()
    rally = [
        _ev("wire", "2016-02-16", "rally", "PROTEST", ["Velaj"], "Velaj spoke at a rally on Tuesday."),
        _ev("dawn", "2016-02", "rally", "PROTEST", [], "A lawsuit over the Velaj Institute grew during a February rally."),
    ]

    def entity_of(doc, name):
        return "e-velaj-surname" if name == "Velaj" else "e-arta-velaj"

    assert len(_entries_of("rally", background + rally, entity_of=entity_of)) == 2


def test_a_lone_unclassified_report_is_not_folded_in_on_a_famous_name_alone():
    # Arta Velaj is an actor all over this corpus: a market report that names her on the day of her
    # speech is no part of the speech; one that shares a rare actor, or the entry's place, is
    background = _velaj_everywhere()
    speech = [
        _ev("wire", "2016-07-28", "speech", "OTHER", ["Arta Velaj"], "Arta Velaj gave a speech in Dorvel on Thursday.",
            place="Dorvel"),
        _ev("dawn", "2016-07-28", "speech", "OTHER", ["Arta Velaj", "Miro Kastrati"],
            "Arta Velaj and Miro Kastrati spoke on Thursday."),
    ]
    market = _ev("post", "2016-07-28", "slip", "OTHER", ["Arta Velaj"], "Bond yields slipped on Thursday as Arta Velaj spoke.")
    entries = _entries_of("speech", background + speech + [market])
    assert [sorted(e["sources"]) for e in entries] == [["dawn", "wire"]]
    aide = _ev("post", "2016-07-28", "wave", "OTHER", ["Miro Kastrati"], "Miro Kastrati waved from the front row on Thursday.")
    crowd = _ev("herald", "2016-07-28", "cheer", "OTHER", ["Dorvel"], "Thousands cheered in Dorvel on Thursday.")
    entries = _entries_of("speech", background + speech + [aide, crowd])
    assert [sorted(e["sources"]) for e in entries] == [["dawn", "herald", "post", "wire"]]


def test_the_same_word_at_the_entrys_place_joins_whoever_the_sentence_names():
    # reports of the attack name different people, or none; the place and the word are what they share
    background = _velaj_everywhere()
    days = [
        _ev("wire", "2016-03-11", "attack", "ASSAULT", ["Arta Velaj"], "Arta Velaj condemned the bombing in Dorvel on Friday.",
            place="Dorvel"),
        _ev("dawn", "2016-03-11", "attack", "ASSAULT", ["Miro Kastrati"], "Miro Kastrati was hurt in the bombing in Dorvel.",
            place="Dorvel"),
    ]
    later = [
        _ev("post", "2016-03", "attack", "ASSAULT", [], "After last month's bombing in Dorvel, the curfew returned.",
            place="Dorvel"),
        _ev("herald", "2016-03", "attack", "ASSAULT", ["Dorvel"], "The Dorvel bombing last month shook the region."),
    ]
    entries = _entries_of("attack", background + days + later)
    assert [sorted(e["sources"]) for e in entries] == [["dawn", "herald", "post", "wire"]]
    # the place named as the report's actor counts even when it is named all over the corpus
    busy = [_ev(f"bd{n}", f"2016-0{n}-2{n}", "visit", "CONSULT", ["Dorvel"], f"Dorvel hosted visitors {n}.")
            for n in range(1, 6)]
    entries = _entries_of("attack", background + busy + days + later[1:])
    assert [sorted(e["sources"]) for e in entries] == [["dawn", "herald", "wire"]]
    # another place in the same month is another attack
    elsewhere = _ev("post", "2016-03", "attack", "ASSAULT", [], "After last month's bombing in Qerez, the curfew returned.",
                    place="Qerez")
    entries = _entries_of("attack", background + days + [elsewhere])
    assert sorted(sorted(e["sources"]) for e in entries) == [["dawn", "wire"], ["post"]]


def test_a_gathering_dated_by_its_year_needs_its_place_or_a_rare_actor():
    # Arta Velaj holds rallies all year: "a rally this spring" naming her is not her rally of 16 February,
    # nor is it the committee's gathering of the same year elsewhere
    background = _velaj_everywhere()
    rally = [
        _ev("wire", "2016-02-16", "rally", "PROTEST", ["Arta Velaj"], "Arta Velaj held a rally on Tuesday."),
        _ev("dawn", "2016-02-16", "rally", "PROTEST", ["Arta Velaj"], "Crowds cheered Arta Velaj at her rally on Tuesday."),
    ]
    spring = _ev("post", "2016", "rally", "PROTEST", ["Arta Velaj"], "At a rally in Tervala this spring, she praised Arta Velaj.",
                 place="Tervala")
    entries = _entries_of("rally", background + rally + [spring])
    assert sorted(sorted(e["sources"]) for e in entries) == [["dawn", "wire"], ["post"]]
    spring = _ev("post", "2016", "rally", "PROTEST", [], "At a rally in Tervala this spring, she spoke.", place="Tervala")
    summer = _ev("herald", "2016", "gather", "PROTEST", [], "The committee gathers in Dorvel this summer.", place="Dorvel")
    for order in ([spring, summer], [summer, spring]):
        assert all(len(e["sources"]) == 1 for e in merge_events(order))


def test_gatherings_of_one_day_held_by_different_people_stay_apart():
    evs = [
        _ev("wire", "2016-03-14", "rally", "PROTEST", ["Arta Velaj"], "Arta Velaj held a rally in Dorvel on Monday.",
            place="Dorvel"),
        _ev("dawn", "2016-03-14", "rally", "PROTEST", ["Arta Velaj"], "Thousands came to the Velaj rally on Monday."),
        _ev("post", "2016-03-14", "rally", "PROTEST", ["Union of Qerez Farmers"],
            "The Union of Qerez Farmers rallied outside its headquarters on Monday."),
    ]
    entries = _entries_of("rally", evs)
    assert sorted(sorted(e["sources"]) for e in entries) == [["dawn", "wire"], ["post"]]
    # a raid is one whoever each outlet names
    raid = [
        _ev("wire", "2016-03-14", "raid", "COERCE", ["State Police"], "The State Police raided the camp on Monday."),
        _ev("post", "2016-03-14", "raid", "COERCE", ["ASZEK"], "ASZEK members were held in a raid on Monday."),
    ]
    assert [sorted(e["sources"]) for e in merge_events(raid)] == [["post", "wire"]]


def test_days_apart_a_verbal_act_of_a_famous_actor_is_two_happenings():
    # Arta Velaj is an actor all over this corpus: her visit on Friday and her visit on Monday are two;
    # a raid on her office reported for two days is one, with its dates flagged
    background = _velaj_everywhere()
    visits = [
        _ev("wire", "2016-08-05", "visit", "CONSULT", ["Arta Velaj"], "Arta Velaj visited Dorvel on Friday."),
        _ev("dawn", "2016-08-08", "visit", "CONSULT", ["Arta Velaj"], "Arta Velaj visited a factory on Monday."),
    ]
    entries = [e for e in _entries_of("visit", background + visits) if not e["sources"][0].startswith("bg")]
    assert sorted(sorted(e["sources"]) for e in entries) == [["dawn"], ["wire"]]
    raids = [
        _ev("wire", "2016-08-05", "raid", "COERCE", ["State Police", "Arta Velaj"], "Police raided the office of Arta Velaj on Friday."),
        _ev("dawn", "2016-08-06", "raid", "COERCE", ["Arta Velaj"], "The office of Arta Velaj was raided on Saturday."),
    ]
    entries = _entries_of("raid", background + raids)
    assert [sorted(e["sources"]) for e in entries] == [["dawn", "wire"]] and entries[0]["conflict"]


def test_a_year_tells_apart_no_two_shootings_a_place_does():
    roseburg = _ev("wire", "2015", "shooting", "ASSAULT", [], "After a mass shooting last year in Roseburg, she spoke.",
                   place="Roseburg")
    church = _ev("dawn", "2015", "shooting", "ASSAULT", [], "The gunman of last year's shooting at the church was tried.")
    assert sorted(sorted(e["sources"]) for e in merge_events([church, roseburg])) == [["dawn"], ["wire"]]
    again = _ev("dawn", "2015", "shooting", "ASSAULT", [], "Roseburg still mourns last year's shooting.", place="Roseburg")
    assert [sorted(e["sources"]) for e in merge_events([again, roseburg])] == [["dawn", "wire"]]
    # an election is one wherever a report looks at it from
    vote = [_ev("wire", "2000", "election", "OTHER", [], "He chaired the party during the 2000 election."),
            _ev("dawn", "2000", "election", "OTHER", [], "They cite the 2000 election in Dorvel.", place="Dorvel")]
    assert [sorted(e["sources"]) for e in merge_events(vote)] == [["dawn", "wire"]]
