"""Tests for the temporal-expression finder and normalizer (storyline.extract.dates)."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.extract.dates import find_dates, implied_dates, normalize, resolve_anchor, shift_value

# 2022-07-20 is a Wednesday.
PUB = "2022-07-20"


def _expr(text: str, surface: str, published: str | None = PUB, **kw):
    found = find_dates(text, doc="d1", published=published, **kw)
    for e in found:
        assert text[e.start:e.end] == e.text
    matches = [e for e in found if e.text == surface]
    assert matches, f"{surface!r} not found in {[e.text for e in found]}"
    return matches[0]


@pytest.mark.parametrize(
    "text, surface, value, granularity",
    [
        ("Police questioned them on Thursday July 14th,2022 at the camp.", "Thursday July 14th,2022", "2022-07-14", "day"),
        ("The order was signed on 14th of July 2022 in the capital.", "14th of July 2022", "2022-07-14", "day"),
        ("The order was signed on 14 July 2022 in the capital.", "14 July 2022", "2022-07-14", "day"),
        ("The order was signed on July 14, 2022 in the capital.", "July 14, 2022", "2022-07-14", "day"),
        ("The file is dated 7/14/2022 on its cover.", "7/14/2022", "2022-07-14", "day"),
        ("The file is dated 2022-07-14 on its cover.", "2022-07-14", "2022-07-14", "day"),
        ("The group moved there in September 2012 after a ruling.", "September 2012", "2012-09", "month"),
        ("The group moved there in November, 2012 after a ruling.", "November, 2012", "2012-11", "month"),
        ("The camp was built in 2019 near the coast.", "2019", "2019", "year"),
        ("Protests spread in fall 2019 across the region.", "fall 2019", "2019-FA", "season"),
        ("Prices fell in the spring of 2020 and rose later.", "the spring of 2020", "2020-SP", "season"),
        ("The movement grew in the 1980s in exile.", "the 1980s", "198X", "decade"),
        ("The movement grew in the 90s in exile.", "the 90s", "199X", "decade"),
        ("Such camps were common in the 20th century in the region.", "the 20th century", "19", "century"),
        ("Sales rose in the first quarter of 1998 for the firm.", "the first quarter of 1998", "1998-Q1", "quarter"),
        ("The unit reported losses in Q3 2021 again.", "Q3 2021", "2021-Q3", "quarter"),
        ("The old treaty was signed on Christmas Day, 1998 by both sides.", "Christmas Day, 1998", "1998-12-25", "day"),
        ("Turnout was low in nineteen ninety-six in the north.", "nineteen ninety-six", "1996", "year"),
    ],
)
def test_absolute_dates(text, surface, value, granularity):
    e = _expr(text, surface)
    assert (e.value, e.granularity, e.type) == (value, granularity, "DATE")
    assert e.anchor is None and e.anchor_source is None


@pytest.mark.parametrize(
    "text, surface, value, mod",
    [
        ("Growth is expected to return in early 2023 for the sector.", "early 2023", "2023", "START"),
        ("The plant closed in mid-2021 without notice.", "mid-2021", "2021", "MID"),
        ("The plant closed in late 2021 without notice.", "late 2021", "2021", "END"),
        ("The audit ends in late November 2022 at the latest.", "late November 2022", "2022-11", "END"),
        ("The talks stalled at the end of 2021 over money.", "the end of 2021", "2021", "END"),
        ("The scheme peaked in the early 1990s in the capital.", "the early 1990s", "199X", "START"),
        ("The movement split in the early eighties over tactics.", "the early eighties", "198X", "START"),
    ],
)
def test_modifiers(text, surface, value, mod):
    e = _expr(text, surface)
    assert (e.value, e.mod) == (value, mod)


@pytest.mark.parametrize(
    "text, surface, value, end_value",
    [
        ("The summit is scheduled to take place on July 23-24, 2022 in Tirana.", "July 23-24, 2022", "2022-07-23", "2022-07-24"),
        ("Hearings ran from March 3 to 5, 2021 in the court.", "March 3 to 5, 2021", "2021-03-03", "2021-03-05"),
        ("Hearings ran from March 3 to 5 in the court.", "March 3 to 5", "2022-03-03", "2022-03-05"),
        ("The mayor served between 2010 and 2012 in the city.", "2010 and 2012", "2010", "2012"),
        ("The festival runs 23-24 July 2022 by the lake.", "23-24 July 2022", "2022-07-23", "2022-07-24"),
        ("The exhibition ran from July 30 to August 2, 2022 downtown.", "July 30 to August 2, 2022", "2022-07-30", "2022-08-02"),
        ("The mayor was jailed in 1988-89 for fraud.", "1988-89", "1988", "1989"),
        ("The league cancelled the 2019-20 season in spring.", "2019-20", "2019", "2020"),
        ("The mayor served in 1994-1997 without a break.", "1994-1997", "1994", "1997"),
    ],
)
def test_ranges(text, surface, value, end_value):
    e = _expr(text, surface)
    assert (e.value, e.end_value) == (value, end_value)


@pytest.mark.parametrize(
    "text, surface, value",
    [
        # published on Wednesday 2022-07-20
        ("The minister resigned on Thursday after the vote.", "Thursday", "2022-07-14"),
        ("The minister resigned on Wednesday after the vote.", "Wednesday", "2022-07-20"),
        ("The minister resigned last Friday after the vote.", "last Friday", "2022-07-15"),
        ("The minister will resign next Monday after the vote.", "next Monday", "2022-07-25"),
        ("The minister will resign on Friday after the vote.", "Friday", "2022-07-22"),
        ("The council is scheduled to meet on Thursday in the capital.", "Thursday", "2022-07-21"),
    ],
)
def test_weekdays_resolve_against_publication(text, surface, value):
    e = _expr(text, surface)
    assert (e.value, e.granularity, e.anchor, e.anchor_source) == (value, "day", PUB, "published")


@pytest.mark.parametrize(
    "text, surface, value, granularity",
    [
        ("Yesterday the police raided the offices.", "Yesterday", "2022-07-19", "day"),
        ("The minister spoke on Jul. 14 about the budget.", "Jul. 14", "2022-07-14", "day"),
        ("The police raided the offices today.", "today", "2022-07-20", "day"),
        ("The vote is planned for tomorrow in parliament.", "tomorrow", "2022-07-21", "day"),
        ("The budget was cut last year by a third.", "last year", "2021", "year"),
        ("The budget will be cut next year by a third.", "next year", "2023", "year"),
        ("Arrests were made this month in two cities.", "this month", "2022-07", "month"),
        ("Arrests were made three days ago in two cities.", "three days ago", "2022-07-17", "day"),
        ("Arrests were made two weeks ago in two cities.", "two weeks ago", "2022-W27", "week"),
        ("Arrests were made last week in two cities.", "last week", "2022-W28", "week"),
        ("The camp opened a year ago near the border.", "a year ago", "2021", "year"),
        ("The camp opened earlier this year near the border.", "earlier this year", "2022", "year"),
        ("The camp reopened last winter near the border.", "last winter", "2021-WI", "season"),
        ("The strike began in May and ended quickly.", "May", "2022-05", "month"),
        ("The talks resumed in March and ended quickly.", "March", "2022-03", "month"),
        ("The talks will resume in September after the break.", "September", "2022-09", "month"),
        ("The talks broke down in December after the break.", "December", "2021-12", "month"),
        ("The camp was evacuated on Independence Day by the army.", "Independence Day", "2022-07-04", "day"),
    ],
)
def test_deictic_relative_to_publication(text, surface, value, granularity):
    e = _expr(text, surface)
    assert (e.value, e.granularity) == (value, granularity)
    assert (e.anchor, e.anchor_source) == (PUB, "published")


@pytest.mark.parametrize(
    "text, surface, value, anchor",
    [
        ("They were detained on July 14, 2022. The next day they were freed.", "The next day", "2022-07-15", "2022-07-14"),
        ("They were detained on July 14, 2022. The following day they were freed.", "The following day", "2022-07-15", "2022-07-14"),
        ("They were detained on July 14, 2022. Two weeks later they were freed.", "Two weeks later", "2022-07-28", "2022-07-14"),
        ("They were detained on July 14, 2022. The day before, police had watched the camp.", "The day before", "2022-07-13", "2022-07-14"),
        ("The law passed in March 2015. A year later it was repealed.", "A year later", "2016-03", "2015-03"),
        ("The law passed in 2015. The following year it was repealed.", "The following year", "2016", "2015"),
        ("They were detained on July 14, 2022. That day the camp was closed.", "That day", "2022-07-14", "2022-07-14"),
    ],
)
def test_anaphoric_relative_to_text(text, surface, value, anchor):
    # the text anchor wins over the publication date for anaphoric expressions
    e = _expr(text, surface, published="2023-01-01")
    assert (e.value, e.anchor, e.anchor_source) == (value, anchor, "text")


@pytest.mark.parametrize(
    "text, surface",
    [
        ("Yesterday the police raided the offices.", "Yesterday"),
        ("The budget was cut last year by a third.", "last year"),
        ("The minister resigned on Thursday after the vote.", "Thursday"),
        ("Arrests were made three days ago in two cities.", "three days ago"),
        ("The strike began in May and ended quickly.", "May"),
        ("The law passed in 2015. Three days later it was repealed.", "Three days later"),
        ("The raid took place on 14 July. It was filmed.", "14 July"),
    ],
)
def test_unresolvable_is_none_not_guessed(text, surface):
    e = _expr(text, surface, published=None)
    assert e.value is None
    assert e.anchor is None


@pytest.mark.parametrize(
    "text, surface, value, anchor",
    [
        ("The camp opened in March 2019. In July it closed.", "July", "2019-07", "2019-03"),
        ("The camp opened in March 2019. On 3 August the army left.", "3 August", "2019-08-03", "2019-03"),
    ],
)
def test_year_from_text_when_publication_unknown(text, surface, value, anchor):
    e = _expr(text, surface, published=None)
    assert (e.value, e.anchor, e.anchor_source) == (value, anchor, "text")


def test_anaphoric_falls_back_to_publication():
    e = _expr("Nothing happened. The next day the army left.", "The next day")
    assert (e.value, e.anchor_source) == ("2022-07-21", "published")


@pytest.mark.parametrize(
    "text, surface, value",
    [
        ("They were freed after ten hours without charge.", "ten hours", "PT10H"),
        ("They were held for 72 hours without charge.", "72 hours", "PT72H"),
        ("The inquiry took two years to finish.", "two years", "P2Y"),
        ("The sides agreed a three-day ceasefire on the border.", "three-day", "P3D"),
        ("The siege lasted six months in all.", "six months", "P6M"),
        ("The dispute has gone on for two decades now.", "two decades", "P20Y"),
        ("The dispute has gone on for several years now.", "several years", "PXY"),
        ("The talks lasted 90 minutes on Monday.", "90 minutes", "PT90M"),
        ("The envoy spent 5 1/2 hours in the capital.", "5 1/2 hours", "PT5H30M"),
        ("The blockade lasted 2 1/2 years in the north.", "2 1/2 years", "P2Y6M"),
        ("The feud is a decades-long one.", "decades-long", "PXE"),
        ("The unions held a day-long strike.", "day-long", "P1D"),
    ],
)
def test_durations(text, surface, value):
    e = _expr(text, surface)
    assert (e.value, e.type, e.granularity) == (value, "DURATION", "duration")
    assert e.anchor is None


@pytest.mark.parametrize(
    "text, surface, value",
    [
        ("The meeting started at 3 p.m. on the dot.", "3 p.m.", "2022-07-20T15:00"),
        ("The meeting started at 10:30 a.m. Wednesday in the hall.", "10:30 a.m. Wednesday", "2022-07-20T10:30"),
        ("The envoy arrived this morning at the airport.", "this morning", "2022-07-20TMO"),
        ("The envoy arrived at noon at the airport.", "noon", "2022-07-20T12:00"),
        ("The envoy arrived Tuesday night at the airport.", "Tuesday night", "2022-07-19TNI"),
    ],
)
def test_times(text, surface, value):
    e = _expr(text, surface)
    assert (e.value, e.type, e.granularity) == (value, "TIME", "time")


@pytest.mark.parametrize(
    "text, forbidden",
    [
        ("We may be wrong about the camp.", "may"),
        ("May be it is time to leave, the officer said.", "May"),
        ("Protesters march through the square every evening.", "march"),
        ("We went there with the police.", "we"),
        ("The present government denies it.", "present"),
        ("He is now in custody.", "now"),
        ("The man, aged 45, was arrested.", "45"),
        ("The 45-year-old man was arrested at dawn.", "45-year-old"),
        ("More than 2000 people attended the rally.", "2000"),
        ("The office is at 1950 Elm Street in the town.", "1950"),
        ("Police seized an AK-47 and ammunition.", "47"),
        ("The poster was printed for Nowruz 1401 in the camp.", "1401"),
        ("The caption reads 1402 in the old calendar.", "1402"),
        ("The calendar year 1401 AH began that spring.", "1401"),
        ("The Sun reported the raid first.", "Sun"),
        ("Theresa May spoke to reporters.", "May"),
        ("The index closed at 2082.1 points.", "2082"),
        ("Iraq imports about three-quarters of its food.", "three-quarters"),
        # wishes
        ("They were proved right in the end. May we keep faith with them.", "May"),
        ("May God keep the village safe.", "May"),
    ],
)
def test_decoys_are_not_dates(text, forbidden):
    found = find_dates(text, published=PUB)
    assert all(forbidden not in e.text or e.type == "DURATION" and "year-old" not in e.text for e in found), found
    assert not [e for e in found if e.type == "DATE" and forbidden in e.text]


@pytest.mark.parametrize(
    "text",
    [
        "We may be wrong, and we may never know.",
        "Protesters march to the ministry while we present our case.",
        "The boy led the March of the Mothers through the square.",
        "The party daily Granma printed the letter.",
        "The minister spoke on \"This Week\" about the camp.",
        "The case is a lesson for today's youth, the cleric said.",
        "He hopes he one day returns to the camp.",
        "She is 45 years old and lives near the border.",
        "Theresa May and April Ryan met the envoy.",
        "The rally drew 2000 people and 300 police officers.",
        "The camp near Tirana hosts 1401 residents.",
    ],
)
def test_sentences_without_any_time_expression(text):
    assert find_dates(text, published=PUB) == []


@pytest.mark.parametrize(
    "text, surface, value",
    [
        ("He is now in custody.", "now", "PRESENT_REF"),
        ("The camp is currently empty.", "currently", "PRESENT_REF"),
        ("The camp was recently emptied.", "recently", "PAST_REF"),
        ("The camp may close in the future.", "the future", "FUTURE_REF"),
    ],
)
def test_present_ref_only_on_request(text, surface, value):
    assert not find_dates(text, published=PUB)
    e = _expr(text, surface, include_present_ref=True)
    assert e.value == value


@pytest.mark.parametrize(
    "text, surface, value, type_",
    [
        ("The newspaper appears daily in the capital.", "daily", "P1D", "SET"),
        ("The council meets every week in the hall.", "every week", "P1W", "SET"),
        ("The group earns $2 million a year from donations.", "a year", "P1Y", "SET"),
    ],
)
def test_sets(text, surface, value, type_):
    e = _expr(text, surface)
    assert (e.value, e.type) == (value, type_)


def test_financial_quarter_and_year_earlier():
    text = "Profit in the third quarter rose to $5 million from $4 million a year earlier."
    found = find_dates(text, published="1989-10-26")
    assert [(e.text, e.value) for e in found] == [("the third quarter", "1989-Q3"), ("a year earlier", "1988-Q3")]


def test_offsets_and_doc_id():
    text = "On 14 July 2022, two days after the raid, and again on Friday, police returned."
    found = find_dates(text, doc="abc", published=PUB)
    assert found and all(e.doc == "abc" and text[e.start:e.end] == e.text for e in found)
    assert [e.start for e in found] == sorted(e.start for e in found)
    assert all(a.end <= b.start for a, b in zip(found, found[1:]))


def test_normalize_single_expressions():
    assert normalize("the 1990s").value == "199X"
    assert normalize("yesterday", "2022-07-14").value == "2022-07-13"
    assert normalize("July 23-24, 2022").end_value == "2022-07-24"
    assert normalize("nothing temporal here") is None


@pytest.mark.parametrize(
    "value, n, unit, expected",
    [
        ("2022-07-14", 1, "day", "2022-07-15"),
        ("2022-01-31", 1, "month", "2022-02-28"),
        ("2022-07", 1, "month", "2022-08"),
        ("1989-Q3", -1, "year", "1988-Q3"),
        ("2022", -2, "year", "2020"),
        ("PRESENT_REF", 1, "day", None),
    ],
)
def test_shift_value(value, n, unit, expected):
    assert shift_value(value, n, unit) == expected


@pytest.mark.parametrize(
    "published, expected",
    [("2022-07-14", "2022-07-14"), ("2022-07-14T10:00:00Z", "2022-07-14"), ("20220714", "2022-07-14"),
     ("2022-02-30", None), ("", None), (None, None), ("July 2022", None),
     (datetime.date(2022, 7, 14), "2022-07-14"), (datetime.datetime(2022, 7, 14, 23, 5), "2022-07-14")],
)
def test_resolve_anchor(published, expected):
    got = resolve_anchor(published)
    assert (got.isoformat() if got else None) == expected


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("0123456789 -/,.:'aAmMpPyYJjuUlLnNdDeEsStTwWrRhHoO\n")) | st.characters(),
               max_size=120),
       st.one_of(st.none(), st.dates().map(lambda d: d.isoformat())))
def test_never_raises_and_offsets_match(text, published):
    for e in find_dates(text, published=published, include_present_ref=True):
        assert text[e.start:e.end] == e.text
        assert 0 <= e.start < e.end <= len(text)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from([
    "July 14, 2022", "the next day", "last Friday", "two weeks later", "in 2019", "May", "we may", "1401",
    "the 1990s", "10 p.m.", "a year earlier", "three-day", "early 2023", " ", ". ", ", ", "on", "and",
    "9999-12-31", "December 31, 9999", "the following year", "0001-01-01", "next Monday"]), max_size=12),
    st.one_of(st.none(), st.sampled_from(["9999-12-31", "0001-01-01", "2022-07-20"])))
def test_date_like_soup_never_raises(parts, published):
    text = " ".join(parts)
    for e in find_dates(text, published=published, include_present_ref=True):
        assert text[e.start:e.end] == e.text


@pytest.mark.parametrize(
    "text, word",
    [
        ("The minister told Korvenia Today that the raid was lawful.", "Today"),
        ("Korvenia Today reported the arrests first.", "Today"),
        ("Korvenia Today | Politics", "Today"),
        ("She went on the Today show to defend the raid.", "Today"),
        ("Radio Tomorrow carried the speech live.", "Tomorrow"),
        ("The Daily Courier printed the letter in full.", "Daily"),
        ("The Dawn of Zarvan called the raid illegal.", "Dawn"),
        ("The Sun and The Sunday Times both ran the story.", "Sunday"),
        ("The Mail on Sunday printed the photographs.", "Sunday"),
        ("He spoke at the Monday Club about exiles.", "Monday"),
        ("Black Friday sales fell sharply in the capital.", "Friday"),
    ],
)
def test_temporal_word_inside_a_proper_name_is_no_date(text, word):
    for published in (PUB, None):
        found = find_dates(text, published=published, include_present_ref=True)
        assert not [e for e in found if word in e.text], found


@pytest.mark.parametrize(
    "text, surface, value",
    [
        ("Today the minister resigned.", "Today", "2022-07-20"),
        ("\"Today we mourn,\" the mayor said.", "Today", "2022-07-20"),
        ("``Today, I am here to tell you,'' he said.", "Today", "2022-07-20"),
        ("The Sunday Times said on Sunday that the camp had closed.", "Sunday", "2022-07-17"),
        ("Fall 2019 saw protests in dozens of cities.", "Fall 2019", "2019-FA"),
    ],
)
def test_capitalized_temporal_word_that_is_a_date(text, surface, value):
    assert _expr(text, surface).value == value


@pytest.mark.parametrize(
    "text, surface, type_, value, mod",
    [
        # TimeML: an offset from an event is a DURATION; the event is no anchor date
        ("The summit comes almost five years after the uprising of fall 2019.", "almost five years", "DURATION",
         "P5Y", "APPROX"),
        ("The summit comes almost five years after the uprising of fall 2019.", "fall 2019", "DATE", "2019-FA", None),
        ("He was freed two days after the vote.", "two days", "DURATION", "P2D", None),
        ("He was freed about a week before he testified.", "a week", "DURATION", "P1W", "APPROX"),
        ("The ban ended five years after 2019.", "five years", "DURATION", "P5Y", None),
        ("The ban ended five years after 2019.", "2019", "DATE", "2019", None),
        ("The siege lasted more than six months.", "more than six months", "DURATION", "P6M", "MORE_THAN"),
        # nothing follows "after": anaphoric, anchored on the last date in the text
        ("They were detained on July 14, 2022. Two days after, they were freed.", "Two days after", "DATE",
         "2022-07-16", None),
        ("The camp opened nearly three years ago.", "nearly three years ago", "DATE", "2019", "APPROX"),
    ],
)
def test_offsets_from_events_are_durations(text, surface, type_, value, mod):
    e = _expr(text, surface)
    assert (e.type, e.value, e.mod) == (type_, value, mod)


def test_offset_from_an_event_never_becomes_a_date():
    text = "The summit comes almost five years after the uprising of fall 2019."
    for published in (PUB, "2024-06-01", None):
        dates = [e for e in find_dates(text, published=published) if e.type == "DATE"]
        assert [(e.text, e.value) for e in dates] == [("fall 2019", "2019-FA")]
        assert implied_dates(find_dates(text, published=published), text) == []


@pytest.mark.parametrize(
    "text, surface, value, anchor, mod",
    [
        ("The ban ended five years after 2019.", "five years after 2019", "2024", "2019", None),
        ("The camp reopened almost two weeks after March 3, 2020.", "almost two weeks after March 3, 2020",
         "2020-03-17", "2020-03-03", "APPROX"),
        ("Talks resume two weeks from June 7, 2003 in the capital.", "two weeks from June 7, 2003", "2003-06-21",
         "2003-06-07", None),
        ("The order was signed three days before July 14, 2022.", "three days before July 14, 2022", "2022-07-11",
         "2022-07-14", None),
    ],
)
def test_implied_dates_from_an_explicit_anchor(text, surface, value, anchor, mod):
    found = implied_dates(find_dates(text, published=None), text)
    assert [(d.text, d.value, d.anchor, d.anchor_source, d.mod, d.type) for d in found] == [
        (surface, value, anchor, "text", mod, "DATE")]
    assert text[found[0].start:found[0].end] == surface


@pytest.mark.parametrize(
    "text",
    [
        "The ban ended six months after 2019.",  # the month is unknown
        "The ban ended several years after 2019.",  # no exact amount
        "The ban ended five years after the war.",  # anchored on an event
    ],
)
def test_no_implied_date_without_an_exact_anchor(text):
    assert implied_dates(find_dates(text, published=PUB), text) == []


@pytest.mark.parametrize(
    "text, surface, value",
    [
        # published on Wednesday 2022-07-20; the tense of the clause picks the week
        ("The company said Friday it will close the plant.", "Friday", "2022-07-15"),
        ("The ministry predicted Tuesday that prices would rise.", "Tuesday", "2022-07-19"),
        ("The vote is scheduled Thursday in the capital.", "Thursday", "2022-07-21"),
        ("A bomb ripped through the office next to the embassy on Friday.", "Friday", "2022-07-15"),
        ("On Thursday, officials said the council will vote.", "Thursday", "2022-07-14"),
        ("On Thursday the council will vote on the budget.", "Thursday", "2022-07-21"),
        ("The envoy is travelling to the capital on Thursday.", "Thursday", "2022-07-21"),
        ("The court could rule as soon as Tuesday.", "Tuesday", "2022-07-26"),
        ("Until Thursday, the police had not named a suspect.", "Thursday", "2022-07-14"),
        ("The offer had been due to expire on Friday.", "Friday", "2022-07-15"),
        ("The rally the group had planned for Saturday was cancelled.", "Saturday", "2022-07-16"),
        ("Protesters were planning to march on Saturday.", "Saturday", "2022-07-23"),
        ("The reduced dividend is payable Jan. 2 to holders.", "Jan. 2", "2023-01-02"),
        ("Ms. Hasa will succeed Arben P. Kola on Feb. 1 as chair.", "Feb. 1", "2023-02-01"),
        ("The fund had bought shares through June 29.", "June 29", "2022-06-29"),
        ("The strike will be settled in February, the union says.", "February", "2023-02"),
        ("The sector is going to slow down in the spring.'' Figures showed a fall.", "the spring", "2023-SP"),
    ],
)
def test_tense_of_the_clause_picks_past_or_future(text, surface, value):
    assert _expr(text, surface).value == value


@pytest.mark.parametrize(
    "text, surface, value",
    [
        ("They were detained on July 14, 2022. The following Monday they were freed.", "The following Monday",
         "2022-07-18"),
        ("They were detained on July 14, 2022. The previous Friday police had watched the camp.",
         "The previous Friday", "2022-07-08"),
        ("The hearing is set for the week of March 6, 2023 in the capital.", "the week of March 6, 2023",
         "2023-W10"),
    ],
)
def test_anaphoric_weekdays_and_weeks(text, surface, value):
    assert _expr(text, surface).value == value


@pytest.mark.parametrize(
    "text, surface, value",
    [
        ("Sales fell in the quarter ended July 31, 1989, the firm said.", "the quarter", "1989-Q2"),
        ("Sales fell in the quarter ended Sept. 30, the firm said.", "the quarter", "1989-Q3"),
        ("Profit in the third quarter rose. In the 1988 quarter it fell.", "the 1988 quarter", "1988-Q3"),
        ("Profit in the third quarter rose from $2 million for the corresponding period last year.",
         "the corresponding period last year", "1988-Q3"),
        ("The firm earned $3 million in the year-ago third quarter.", "the year-ago third quarter", "1988-Q3"),
        ("The firm earned $3 million in the 1988 third quarter.", "the 1988 third quarter", "1988-Q3"),
        ("Sales fell in the first nine months of the year.", "the year", "1989"),
        ("The firm lost money in the fiscal first quarter.", "the fiscal first quarter", "1989-Q1"),
    ],
)
def test_financial_reporting_periods(text, surface, value):
    assert _expr(text, surface, published="1989-10-26").value == value


def test_man_of_the_year_is_no_date():
    assert find_dates("He was named man of the year by the paper.", published="1989-10-26") == []


PARAGRAPH = (
    "The council met on Thursday. Police said yesterday that the raid began at 9 a.m. Tuesday and ended "
    "later in the day. The following Monday the camp reopened; two days after the vote, in the quarter ended "
    "Sept. 30, the firm earned more than in the year-ago quarter. Korvenia Today said last week's talks failed."
)


def test_same_expressions_found_with_or_without_publication_date():
    with_dct = find_dates(PARAGRAPH, published=PUB, include_present_ref=True)
    without = find_dates(PARAGRAPH, published=None, include_present_ref=True)
    assert [(e.start, e.end, e.type) for e in with_dct] == [(e.start, e.end, e.type) for e in without]
    assert "9 a.m. Tuesday" in [e.text for e in without]
    assert all(e.value is None for e in without if e.anchor_source is None and e.type in ("DATE", "TIME")
               and not e.text[0].isdigit() and "Sept" not in e.text)
    assert all(e.value is not None for e in with_dct if e.type in ("DATE", "TIME"))


# -- tense from the parse (storyline.extract.tense): published on Wednesday 2022-07-20


@pytest.mark.parametrize(
    "text, surface, tense, value",
    [
        # a present tense, a conditional or a planned event looks forward where the cue words look back
        ("The two foreign ministers meet in Vellmar on Friday to discuss the border.", "Friday", "future", "2022-07-22"),
        ("Officials said the envoy would be travelling to the capital Thursday with two aides.", "Thursday", "future", "2022-07-21"),
        ("The court has set a hearing that begins Monday in the old hall.", "Monday", "future", "2022-07-25"),
        ("The envoy will visit the camp on Monday, a spokesman said.", "Monday", "future", "2022-07-25"),
        ("Organisers planned a march through the old town on Saturday.", "Saturday", "future", "2022-07-23"),
        ("The envoy is meeting the rebels on Friday in the hills.", "Friday", "future", "2022-07-22"),
        # past readings
        ("The envoy travelled to the capital on Thursday with two aides.", "Thursday", "past", "2022-07-14"),
        ("A spokesman said on Monday that the envoy will visit the camp.", "Monday", "past", "2022-07-18"),
        ("The protest had been due to start on Friday before the ban.", "Friday", "past", "2022-07-15"),
        ("On Saturday, the organisers planned to march through the old town.", "Saturday", "past", "2022-07-16"),
        ("The envoy was meeting the rebels on Friday in the hills.", "Friday", "past", "2022-07-15"),
        ("The ministry, which cut its budget by a tenth, on Monday announced new hires.", "Monday", "past", "2022-07-18"),
        # inside a noun phrase the parse does not decide
        ("Tuesday's declaration by the council surprised many.", "Tuesday", None, "2022-07-19"),
    ],
)
def test_tense_read_from_the_parse(nlp, text, surface, tense, value):
    from storyline.extract.tense import clause_tense

    parse = nlp(text)
    start = text.index(surface)
    assert clause_tense(parse, start, start + len(surface)) == tense
    found = [e for e in find_dates(text, published=PUB, parse=parse) if e.text == surface]
    assert [e.value for e in found] == [value]


def test_cue_words_decide_without_a_parse():
    # the same sentence without its parse falls back to the cue words ("to discuss" is no cue; "meet" is
    # not read as a present tense), which read it as past
    text = "The two foreign ministers meet in Vellmar on Friday to discuss the border."
    assert [e.value for e in find_dates(text, published=PUB) if e.text == "Friday"] == ["2022-07-15"]


def test_parse_leaves_absolute_dates_alone(nlp):
    text = "The border reopened on 3 March 2021 and closed again in May 2022, ten weeks after the vote."
    assert find_dates(text, published=PUB, parse=nlp(text)) == find_dates(text, published=PUB)


@pytest.mark.parametrize(
    "text, surface, value",
    [
        ("The vote is held on the third Thursday of September 2022 every time.", "the third Thursday of September 2022", "2022-09-15"),
        ("The board met on the last Friday in May 2021 in the annex.", "the last Friday in May 2021", "2021-05-28"),
        ("The board met on the first Monday of March to approve it.", "the first Monday of March", "2022-03-07"),
    ],
)
def test_ordinal_weekday_of_a_month(text, surface, value):
    e = _expr(text, surface)
    assert (e.value, e.granularity) == (value, "day")


def test_ordinal_weekday_that_does_not_exist_is_left_unresolved():
    # February 2022 has four Mondays: no fifth one, and no stray "Monday" either
    found = find_dates("The fair opens on the fifth Monday of February 2022 downtown.", published=PUB)
    assert [(e.text, e.value) for e in found] == [("the fifth Monday of February 2022", None)]


def test_iso_date_is_not_a_year_range():
    found = find_dates("The raid began on 2022-07-14 at dawn.", published=PUB)
    assert [(e.text, e.value, e.end_value) for e in found] == [("2022-07-14", "2022-07-14", None)]


@pytest.mark.parametrize(
    "text, clock, value",
    [
        ("The operation began at 04:30 local time on 14 July near the dam.", "04:30", "2022-07-14T04:30"),
        ("The blast hit at about 10:35 a.m. (0735 GMT) Friday near the port.", "10:35 a.m.", "2022-07-15T10:35"),
        # a later day in another clause does not pull the clock
        ("At 6 a.m. the guards changed; on Friday they left the post.", "6 a.m.", "2022-07-20T06:00"),
    ],
)
def test_clock_time_takes_the_day_written_after_it(text, clock, value):
    assert _expr(text, clock).value == value


@pytest.mark.parametrize(
    "text, surface, value, type_",
    [
        ("Elections are due in the spring of next year, the council said.", "the spring of next year", "2023-SP", "DATE"),
        ("The strike began in the winter of last year and spread.", "the winter of last year", "2021-WI", "DATE"),
        ("The rally, the group's annual gathering, is held each summer.", "each summer", "XXXX-SU", "SET"),
    ],
)
def test_seasons_of_a_relative_year_and_every_season(text, surface, value, type_):
    e = _expr(text, surface)
    assert (e.value, e.type) == (value, type_)


# -- stop 10: holidays computed from Easter, names that start with a holiday, edges of extents


@pytest.mark.parametrize(
    "text, surface, value",
    [
        # Easter Sunday: 2022-04-17, 2021-04-04, 2019-04-21, 2024-03-31 (Gregorian computus)
        ("The vigil was held on Easter Sunday outside the camp.", "Easter Sunday", "2022-04-17"),
        ("The march took place on Good Friday in the old town.", "Good Friday", "2022-04-15"),
        ("Talks resumed after Easter Monday, 2021 in the capital.", "Easter Monday, 2021", "2021-04-05"),
        ("The fast began on Ash Wednesday 2019 for the faithful.", "Ash Wednesday 2019", "2019-03-06"),
        ("The clinic will reopen at Easter 2024, the board said.", "Easter 2024", "2024-03-31"),
        ("Pentecost 2024 fell in May that year.", "Pentecost 2024", "2024-05-19"),
        ("The shops were shut on Boxing Day, the union said.", "Boxing Day", "2021-12-26"),
        ("She called her mother on Mother's Day from the camp.", "Mother's Day", "2022-05-08"),
    ],
)
def test_holidays(text, surface, value):
    assert _expr(text, surface).value == value


@pytest.mark.parametrize(
    "text, word",
    [
        ("The Good Friday Agreement was signed long before the raid.", "Good Friday"),
        ("Historians of the Easter Rising met in the capital.", "Easter"),
        ("Veterans of the October Revolution were honoured.", "October"),
        ("The Christmas Party was cancelled this year.", "Christmas"),
    ],
)
def test_holiday_or_month_that_opens_a_name_is_no_date(text, word):
    assert not [e for e in find_dates(text, published=PUB) if word in e.text]


@pytest.mark.parametrize(
    "text, surface, value",
    [
        # the optional tail of a rule must not leave a space at the end of the extent
        ("Growth slowed in the first half of the year and picked up.", "the first half of the year", "2022-H1"),
        # focus words stay outside (TimeBank's extents)
        ("The ceasefire lasted only 48 hours before the shelling.", "48 hours", "PT48H"),
        ("The ceasefire lasted just two days before the shelling.", "two days", "P2D"),
        ("The camp was cleared about two weeks ago by the police.", "two weeks ago", "2022-W27"),
        # "the year before," / "the week before," count from the date last mentioned
        ("The bank failed in 2008. The year before, it had posted a record profit.", "The year before", "2007"),
        ("The summit opened on 4 May 2012. The week before, envoys had met.", "The week before", "2012-W17"),
        ("The summit opened on 4 May 2012. The month after, the envoys left.", "The month after", "2012-06"),
        ("This past weekend, hundreds gathered outside the embassy.", "This past weekend", "2022-W28-WE"),
        ("The festival closes on May the 5th in the square.", "May the 5th", "2022-05-05"),
        ("Aid arrives every other Friday by road.", "every other Friday", "XXXX-WXX-5"),
        ("Aid arrives every other week by road.", "every other week", "P2W"),
        # a clock range takes the day written after its second end; a bare clock the day after a zone note
        ("The meeting lasted from 10 a.m. to 2 p.m. on Monday in the annex.", "10 a.m.", "2022-07-18T10:00"),
        ("The minister spoke at 8:30 a.m. local time (0630 GMT) on Monday.", "8:30 a.m.", "2022-07-18T08:30"),
        # a match hidden behind a longer overlapping one is still found ("Monday, 24 April 1916" hid
        # "24 April 1916"), and the written date says which Easter
        ("The rising began on Easter Monday, 24 April 1916 in the capital.", "Easter Monday, 24 April 1916", "1916-04-24"),
        # stop 11: forms found by comparing with HeidelTime on unannotated news
        # a month right before a capitalized word after a comma or a full stop is still a month
        ("In June, House members issued a report on the dam.", "June", "2022-06"),
        ("She quit before announcing her run in April. The fees were large.", "April", "2022-04"),
        # a duration followed by "on" is no offset unless a clause follows
        ("He knelt for over an hour on the green carpet of the hall.", "an hour", "PT1H"),
        ("The envoy will spend only five hours on the ground in Qerez.", "five hours", "PT5H"),
        # "N units on" counts from a date the text names; with none before it, the anchor is unknown (stop 12)
        ("The talks broke down on July 3. Two days on, they resumed in the capital.", "Two days on", "2022-07-05"),
        ("Two days on, the talks resumed in the capital.", "Two days on", None),
        # a sub-day offset has no clock to count from: the amount is the expression
        ("Just over an hour later, the doctor arrived.", "an hour", "PT1H"),
        # amounts written with thousands separators
        ("The pilot had logged nearly 6,300 hours of flying time.", "nearly 6,300 hours", "PT6300H"),
        # a hedged offset: the farther of the two
        ("The campaign got the voter file five or six weeks ago, aides said.", "five or six weeks ago", "2022-W23"),
        # weekly sets with a part of day, and plural weekdays
        ("The debates were held when few watch, such as Saturday evenings.", "Saturday evenings", "XXXX-WXX-6TEV"),
        ("The market is closed on Mondays.", "Mondays", "XXXX-WXX-1"),
        # a holiday with no tense cue is the nearer one (published 20 July: Christmas is 5 months ahead)
        ("Shops prepare for the Christmas holiday with care.", "Christmas", "2022-12-25"),
        ("Pilgrims gathered on Christmas, the church said.", "Christmas", "2021-12-25"),
        # "over the next year" in a clause that is not past: the year after publication
        ("In 1940 the camp opened. 10,000 are expected over the next year, officials say.", "the next year", "2023"),
        ("In 1940 the camp opened. Over the next year, it grew quickly.", "the next year", "1941"),
        # published Wednesday 2022-07-20
        # a month that names a scheduled contest is the coming one unless its clause is past
        ("Voters who turn 18 before the November presidential election may register.", "November", "2022-11"),
        ("Polls see her reaching an early May run-off in the spring.", "early May", "2023-05"),
        # a month a little ahead across the new year, with no tense cue (published in December)
        # is tested below; "of that year" takes the year the text is in
        ("In 2014 he took a case that began in January of that year.", "January of that year", "2014-01"),
        ("In 2008, from early June of that year to the convention, he rose.", "early June of that year", "2008-06"),
        # a quarter of "the year" told in a past clause is last year's when this year's is still ahead
        ("He raised $12 million during the fourth quarter of the year.", "the fourth quarter of the year", "2021-Q4"),
        ("Sales will rise in the fourth quarter of the year.", "the fourth quarter of the year", "2022-Q4"),
        # years named by the contest they are, possessives with a curly apostrophe, decades in a list
        ("In the fluid 2016 presidential primary, voters wavered.", "2016", "2016"),
        ("It pointed to the author’s 2007 letter.", "2007", "2007"),
        ("She won titles in the 1960s and 70s while he rose.", "70s", "197X"),
        ("He went to college in the 1970’s, he said.", "the 1970’s", "197X"),
        # "come November", "ended December"
        ("These are backers she will need come November.", "November", "2022-11"),
        ("The campaign ended June with $28 million in cash.", "June", "2022-06"),
        ("Merry Xmas from the campaign.", "Xmas", "2022-12-25"),
        # "the New York Times on Tuesday" is no newspaper's name; "the Mail on Sunday" is
        ("It was first reported by the New York Times on Tuesday.", "Tuesday", "2022-07-19"),
        # a clock time that opens a line heads a live report's entry: the publication date
        ("A memorial is planned Friday in the capital.\n\n___\n\n2:25 p.m.\n\nThe family spoke.", "2:25 p.m.",
         "2022-07-20T14:25"),
        # a year on from a day names a year, not a day a year on
        ("The talks opened on 11 November 2014. A little more than a year later, a deal was signed.",
         "more than a year later", "2015"),
        # TimeML writes midnight as the end of its day, except where a span starts at it
        ("The veto must come before the deadline at midnight Friday.", "midnight Friday", "2022-07-22T24:00"),
        ("The curfew runs from midnight to 6 a.m. in the old town.", "midnight", "2022-07-20T00:00"),
        ("The upcoming week's primaries decide the race.", "upcoming week", "2022-W30"),
        # a time zone is written in capitals: "7 a.m. that day" is not "7 a.m. THAT"
        ("It landed in Qerez at 7 a.m. that day.", "7 a.m. that day", "2022-07-20T07:00"),
    ],
)
def test_extents_anaphora_and_later_forms(text, surface, value):
    assert _expr(text, surface).value == value


def test_the_month_before_a_year_is_left_unresolved():
    text = "The bank failed in 2008. The month before, it had posted a record profit."
    found = [e for e in find_dates(text, published=PUB) if e.text == "The month before"]
    assert [e.value for e in found] == [None]


def test_no_extent_has_white_space_at_its_edges():
    text = ("Growth slowed in the first half of the year . Sales in the second half of this year  rose, "
            "and in the fourth quarter of next year  they fell; the third quarter of the year\nended.")
    found = find_dates(text, published=PUB)
    assert found
    assert all(e.text == e.text.strip() for e in found), [e.text for e in found]


@pytest.mark.parametrize(
    "text, surface, value",
    [
        # published 2022-07-20: a date naming a scheduled event is the nearer one, whatever the reporting verb
        ("The inquiry may not end before the Nov. 8 election, the council said.", "Nov. 8", "2022-11-08"),
        ("Turnout was high in the November election in the north.", "November", "2021-11"),
        ("Few expect surprises at the Jan. 15 summit in Tervala.", "Jan. 15", "2023-01-15"),
        ("The April 26 primary was close.", "April 26", "2022-04-26"),
        ("Observers said the Dec. 1 referendum would be close.", "Dec. 1", "2022-12-01"),
        # stop 11: plans told in the past, reporting verbs, noun phrases, present tenses, holidays at hand
        # published Wednesday 2022-07-20: a plan told in the past takes the nearer weekday
        ("Aides noted that he was set to receive an endorsement on Tuesday from a rival.", "Tuesday", "2022-07-19"),
        ("He said he was going to go back to work on Monday morning.", "Monday morning", "2022-07-18TMO"),
        ("He is set to receive an endorsement on Tuesday from a rival.", "Tuesday", "2022-07-26"),
        # a reporting verb in the present is no schedule ("a poll finds", "the report says")
        ("In April, a poll found by a wide margin that the public says the law should stay.", "April", "2022-04"),
        # published Wednesday 2022-07-20, with the parse
        # a present tense governing the month looks forward ("voters who are eligible to vote in November")
        ("The voters who are eligible to cast a ballot in November are a target.", "November", "2022-11"),
        # not through a noun phrase ("properties worth $1 million in October are worth half now")
        ("Her properties, worth a million dollars in October, are worth only half that now.", "October", "2021-10"),
        ("After the break with the council in April, the movement expects a warm welcome.", "April", "2022-04"),
        # a noun that looks like a future cue is no cue ("support for the plan")
        ("He made his support for the plan clear in a June letter to the council.", "June", "2022-06"),
        # a holiday at hand is the one at hand, unless its own verb is past
        ("The debate was held the Saturday before Christmas, when shoppers were out.", "Christmas", "2021-12-25"),
        # a plan told in the past, with "planning"
        ("The donor was planning to hold a fund-raiser for him on Tuesday night.", "Tuesday night", "2022-07-19TNI"),
        # an event named by a noun does not take the present tense of the clause
        ("Many are praising Monday's speech by the minister.", "Monday", "2022-07-18"),
    ],
)
def test_values_read_with_the_parse(nlp, text, surface, value):
    assert [e.value for e in find_dates(text, published=PUB, parse=nlp(text)) if e.text == surface] == [value]


@pytest.mark.parametrize(
    "text, surface, value",
    [
        # days and clock times in words, as broadcast transcripts write them (published 2022-07-20)
        ("The talks resume on March the tenth in the capital.", "March the tenth", "2022-03-10"),
        ("The parade is held on the fourth of July every year.", "the fourth of July", "2022-07-04"),
        ("The vote was moved to May twenty-first, 2023.", "May twenty-first, 2023", "2023-05-21"),
        ("The count ends on May thirty first.", "May thirty first", "2022-05-31"),
        ("Polls close at eight o'clock tonight in the north.", "eight o'clock tonight", "2022-07-20T20:00"),
        ("The bell rang at seven-thirty p.m. in the square.", "seven-thirty p.m.", "2022-07-20T19:30"),
        ("Shops close at six o'clock in the evening.", "six o'clock in the evening", "2022-07-20T18:00"),
        ("The first flight leaves at 8 o'clock in the morning.", "8 o'clock in the morning", "2022-07-20T08:00"),
    ],
)
def test_days_and_clock_times_in_words(text, surface, value):
    assert _expr(text, surface).value == value


@pytest.mark.parametrize(
    "text, forbidden",
    [
        ("May first be allowed to speak, chair?", "May first"),
        ("A second March rally was held in the town.", "second March"),
        ("The first of many talks ended early.", "first"),
    ],
)
def test_ordinal_words_that_are_no_day(text, forbidden):
    assert not [e for e in find_dates(text, published=PUB) if forbidden in e.text]


# -- stop 11: forms found by comparing with HeidelTime on unannotated news (published Wednesday 2022-07-20)


@pytest.mark.parametrize(
    "text, surfaces",
    [
        # every year of a list is its own expression, before 1900 too when a word introduces it
        ("The council voted on the dam in 2001, 2003 and 2005 before it was built.", ["2001", "2003", "2005"]),
        ("The mayor ran in 1986 and 1990 and lost both times.", ["1986", "1990"]),
        ("In 1848, having lost the vote, the party chose a general.", ["1848"]),
        ("The office, created in 1789, has no powers of its own.", ["1789"]),
        ("The Charter of 1780 is still read aloud. See the Treaty of 1815.", ["1780", "1815"]),
        ("The coast was a colony from 1890 until 1941.", ["1890 until 1941"]),
    ],
)
def test_year_lists_and_historic_years(text, surfaces):
    assert [e.text for e in find_dates(text, published=PUB)] == surfaces


@pytest.mark.parametrize(
    "text, forbidden",
    [
        # numbers, names and ages that only look like dates
        ("A total of 1780 students and 1600 teachers came to the rally.", "1780"),
        ("The caption under the old photograph read 1401.", "1401"),
        ("Sales rose from 1500 to 2000 units in the northern region.", "1500"),
        ("Troops will move to a base in Eastern Europe next spring.", "Easter"),
        ("The minister told USA TODAY that talks had failed.", "TODAY"),
        ("The minister told USA Today that talks had failed.", "Today"),
        ("POLICE SAY 13-YEAR-OLDS WERE RECRUITED", "13-YEAR-OLD"),
        ("He was at the March on Washington as a student.", "March"),
        ("As he reached his mid-20s, he began to travel. In her early 30s she moved.", "20s"),
        ("The veteran anchor left the morning shows last year.", "morning"),
        ("The room had a bed, an armoire and a night table.", "night"),
        ("The law reserves a quarter of parliamentary seats for the army.", "quarter"),
        ("She raised $2.3 million, more than three-quarters from small donors.", "quarter"),
        ("The pilot had logged nearly 6,300 hours of flying time.", "PT300H"),
        ("The Mail on Sunday printed the letter.", "Sunday"),
        ("The police target over a quarter of the nation's migrants.", "quarter"),
        ("Just a quarter of the rules committee can force a vote.", "quarter"),
        ("He is a leader of the coalition and March on the Capitol.", "March"),
        ("He refused to do what every nominee has done in the past nine elections.", "past"),
    ],
)
def test_stop11_decoys(text, forbidden):
    found = find_dates(text, published=PUB)
    assert not [e for e in found if forbidden in e.text or forbidden == e.value], [(e.text, e.value) for e in found]


def test_month_a_little_ahead_across_the_new_year():
    text = "The deal faces tests through December, with another major test on Jan. 1."
    assert _expr(text, "Jan. 1", published="2015-12-01").value == "2016-01-01"
    assert _expr("Sales fell in January, the company said.", "January", published="2015-12-01").value == "2015-01"


# -- stop 12: limits ("by", "until", "through") in past clauses, "since", modals, scheduled events

@pytest.mark.parametrize(
    "text, surface, value",
    [
        # published Wednesday 2022-07-20, with the parse
        # a limit looks forward unless its clause is past
        ("The fund had collected four million by the end of March, its report shows.", "the end of March", "2022-03"),
        ("The union raised two million dollars by the end of February.", "the end of February", "2022-02"),
        ("By late spring, the mayor looked tired and alone.", "late spring", "2022-SP"),
        ("The institute polled 900 residents from July 11 through Sunday.", "Sunday", "2022-07-17"),
        ("By Monday morning, the square had emptied.", "Monday morning", "2022-07-18TMO"),
        ("The council will decide by the end of October.", "the end of October", "2022-10"),
        ("The hall stays open through Sunday for visitors.", "Sunday", "2022-07-24"),
        # a past verb that puts something off keeps its new time ahead
        ("The board postponed the vote until Tuesday morning.", "Tuesday morning", "2022-07-26TMO"),
        # "since" looks back, even before a scheduled event
        ("He has grown bolder since the October debate in Tervala.", "October", "2021-10"),
        ("She will speak first after a good run since their Oct. 13 debate.", "Oct. 13", "2021-10-13"),
        # a modal with a perfect is past; with a plain verb it looks forward
        ("Friends noted that Saturday would have been her ninetieth birthday.", "Saturday", "2022-07-16"),
        ("Can the mayor rally new voters in November?", "November", "2022-11"),
        ("That would set up a contested congress in February.", "February", "2023-02"),
        # "have" as the main verb after a modal is no perfect
        ("The coalition could have the votes by February, an aide said.", "February", "2023-02"),
        ("The audit could run for months and not be done by the time of the May 3 election.", "May 3", "2023-05-03"),
        # an infinitive with a perfect still looks where its governing verb looks
        ("The ministry hopes to have given a million doses by the end of January.", "the end of January", "2023-01"),
        # a verb of its own ("would keep") is not made past by an earlier "had"
        ("Police had stepped up patrols and would keep them in place through the autumn.", "the autumn", "2022-FA"),
        # a month after a possessive names the event that follows ("the party's July congress")
        ("Delegates are counting on the party's October congress in Tervala.", "October", "2022-10"),
        # Election Day with no tense is the coming vote; Black Friday is a day after "on"
        ("Her backers must turn out for her on Election Day.", "Election Day", "2022-11-08"),
        ("Shoppers crowded the arcades on Black Friday last year.", "Black Friday", "2021-11-26"),
        # a span of two full years is a date wherever it stands
        ("A chart covering 2003-2016 is attached to the report.", "2003-2016", "2003"),
        # "the past months" with no number is a vague duration
        ("The mayor said so often during the past months.", "the past months", "PXM"),
        # a participle after "will be" or "to be" is no past tense
        ("The ballots will be counted Tuesday in the town hall.", "Tuesday", "2022-07-26"),
        ("The treaty is to be signed Friday in Tervala.", "Friday", "2022-07-22"),
        # a participle after its noun reads the noun's clause: ahead here, behind in "results tallied"
        ("The bank will buy all shares tendered from today through July 29.", "July 29", "2022-07-29"),
        ("The count rests on results tallied through Monday afternoon.", "Monday afternoon", "2022-07-18TAF"),
        # "gave them until" puts a time ahead, like "postponed until"
        ("The board gave the firm until mid-August to answer.", "mid-August", "2022-08"),
        # a month one or two ahead is ahead, unless the verb it hangs from is past
        ("The auditors asked about the loans in September.", "September", "2021-09"),
        ("The councils will meet again in September.", "September", "2022-09"),
        # a shift of a decade, or of years, from a season or a month names a year
        ("In the spring of 2014 he won again, much as he had nearly a decade earlier.", "nearly a decade earlier",
         "2004"),
        # "over the next decade" is the one after publication
        ("The levy would raise a billion over the next decade.", "the next decade", "203X"),
        # a holiday just past stays the one at hand under a present tense
        ("Bastille Day is barely over, and the city is quiet again.", "Bastille Day", "2022-07-14"),
        # "November's general election", like "the November general election"
        ("They relish the prospect of the vote in November's general election.", "November", "2022-11"),
        # an imperative looks forward
        ("Vote on Tuesday for the new levy.", "Tuesday", "2022-07-26"),
        # a weekday named as a deadline whose own clause looks ahead is the coming one
        ("The fund is expected to report before the Sunday deadline that it raised more.", "Sunday", "2022-07-24"),
        ("The fund missed the Sunday deadline by an hour.", "Sunday", "2022-07-17"),
        # extents found on real news at stop 12
        ("In June Korvin met with the families of the missing.", "June", "2022-06"),
        ("Turnout was the highest since at least 1980, the institute says.", "1980", "1980"),
        ("He attacked the 2012 Republican presidential nominee at length.", "2012", "2012"),
        ("In the 1828 presidential race, accusations flew.", "1828", "1828"),
        ("TERVALA ― This spring, as she became chair, the party split.", "This spring", "2022-SP"),
        ("The letter cited an April summit of health officials.", "April", "2022-04"),
        ("Aides flew to the coast for the coming weekend.", "the coming weekend", "2022-W29-WE"),
        # "the same period" with no quarter named before it is left unresolved, not guessed
        ("Donations have surged in the same period, the campaign said.", "the same period", None),
        # third pass: a plan told with "was to", "let's", an event named before its month, ranges to a year
        ("The envoy, who was to travel to Qerez on Tuesday, said little.", "Tuesday", "2022-07-19"),
        ("He leaned in and boomed: \"Let's beat them in November.\"", "November", "2022-11"),
        ("Rivals plot a revolt at the party congress in October that would unseat him.", "October", "2022-10"),
        ("His showing in the state's primary in March, when he won big, helped.", "March", "2022-03"),
        ("The panel has kept quiet since the Korvin hearing in November.", "November", "2021-11"),
        ("A study estimated that from September to December 2014, most accounts were fake.", "September",
         "2014-09"),
        ("Both sides agreed in the wake of Monday's ruling that the fight goes on.", "Monday", "2022-07-18"),
    ],
)
def test_stop12_values_read_with_the_parse(nlp, text, surface, value):
    assert [e.value for e in find_dates(text, published=PUB, parse=nlp(text)) if e.text == surface] == [value]


@pytest.mark.parametrize(
    "text, surface, tense",
    [
        ("Friends noted that Saturday would have been her birthday.", "Saturday", "past"),
        ("The team could have won on Tuesday in the final.", "Tuesday", "past"),
        ("The team will have finished by Friday at the latest.", "Friday", "future"),
        ("Police had stepped up patrols and would keep them in place through June.", "June", "future"),
    ],
)
def test_stop12_clause_tense(nlp, text, surface, tense):
    from storyline.extract.tense import clause_tense

    parse = nlp(text)
    start = text.index(surface)
    assert clause_tense(parse, start, start + len(surface)) == tense


@pytest.mark.parametrize(
    "text, value",
    [
        # published in January: a half of the year still to come is last year's unless the clause looks ahead
        ("The fund raised more in the second half of the year than in the first.", "2021-H2"),
        ("Growth will pick up in the second half of the year.", "2022-H2"),
    ],
)
def test_second_half_of_the_year_read_in_january(nlp, text, value):
    found = find_dates(text, published="2022-01-28", parse=nlp(text))
    assert [e.value for e in found if e.text == "the second half of the year"] == [value]


def test_black_friday_sales_stay_a_name():
    assert not [e for e in find_dates("Black Friday sales fell in the capital.", published=PUB) if "Friday" in e.text]


@pytest.mark.parametrize(
    "text, surface, value, published",
    [
        # "this summer" in February is the coming one, "this winter" the one under way
        ("Delegates will meet at the congress this summer.", "this summer", "2016-SU", "2016-02-19"),
        ("This winter was mild in the hills.", "This winter", "2015-WI", "2016-02-19"),
        # months from a season: the season the new date falls in
        ("He lost in the summer of 2015. Eight months later, he won a string of primaries.", "Eight months later",
         "2016-SP", "2016-07-05"),
    ],
)
def test_seasons_read_early_in_the_year(text, surface, value, published):
    assert [e.value for e in find_dates(text, published=published) if e.text == surface] == [value]


@pytest.mark.parametrize(
    "text",
    [
        "He went to see the Rockefeller Center Christmas tree with his children.",
        "The ad shows a Christmas card from the president.",
        "World War II still haunts us. Seven decades on, its lessons are argued over.",
    ],
)
def test_things_named_after_a_holiday_and_offsets_with_no_anchor(text):
    assert all(e.value is None for e in find_dates(text, published=PUB))


def test_a_quarter_given_as_a_percentage_is_a_share():
    assert not find_dates("Just over a quarter, 26 percent, say they will stay home.", published=PUB)


def test_the_last_weeks_of_something_are_no_duration_up_to_now():
    assert not find_dates("They canvassed hard in the last weeks of the campaign.", published=PUB)


@pytest.mark.parametrize(
    "text, surface, value, published",
    [
        # the 2001 attacks, named by their day
        ("The 9/11 commission met in the old hall.", "9/11", "2001-09-11", PUB),
        ("She has flown less since 9/11.", "9/11", "2001-09-11", None),
        ("Memorials for the Sept. 11 attacks drew crowds.", "Sept. 11", "2001-09-11", PUB),
        ("Crowds marked the anniversary of 9/11 downtown.", "9/11", "2001-09-11", PUB),
        # the day as it comes round each year
        ("She left the 9/11 memorial ceremony early.", "9/11", "2016-09-11", "2016-09-15"),
        ("She left the Sept. 11 memorial ceremony early.", "Sept. 11", "2016-09-11", "2016-09-15"),
        ("Families of September 11th victims spoke first.", "September 11th", "2001-09-11", PUB),
        # the same day with no attack named is this year's, and a written year wins
        ("The council meets on Sept. 11 to vote.", "Sept. 11", "2022-09-11", PUB),
        ("The form was filed on 9/11/2020 by the clerk.", "9/11/2020", "2020-09-11", PUB),
    ],
)
def test_the_day_of_the_2001_attacks(text, surface, value, published):
    assert _expr(text, surface, published=published).value == value


def test_one_attack_on_september_11_is_not_taken_for_the_2001_attacks():
    # the consulate attack of 11 September 2012 was one too
    text = "The report faults the response to the Sept. 11 attack on the mission."
    assert _expr(text, "Sept. 11").value != "2001-09-11"


@pytest.mark.parametrize(
    "text, published",
    [
        ("Lanes were shut on 9/11 that year.", "1999-05-01"),  # written before the attacks
        ("She got 9/11 of the answers right.", PUB),  # a fraction
    ],
)
def test_nine_eleven_before_2001_or_as_a_fraction_is_no_date(text, published):
    assert not [e for e in find_dates(text, published=published) if e.text.startswith("9/11")]


@pytest.mark.parametrize(
    "text, surface, value",
    [
        # published Wednesday 20 July 2022; a verb whose complement happens when it does reads its own tense
        ("The firm kept paying her until March 17, the filing shows.", "March 17", "2022-03-17"),
        ("The minister appeared to back off on Tuesday, saying the drills will stop.", "Tuesday", "2022-07-19"),
        ("The board refused to comment on Monday.", "Monday", "2022-07-18"),
        # a past tense the tagger reads as a participle
        ("Nobody explained what changed by Monday, when the office wrote to us.", "Monday", "2022-07-18"),
        # a forecast told in the past: the nearer month
        ("Weeks ago analysts were expecting growth of 2 percent in June.", "June", "2022-06"),
        ("Analysts are expecting growth of 2 percent in June.", "June", "2023-06"),
        # a day that names an event is not in the clause's time: the nearer one
        ("The outcome of Monday's summit will not be known for years.", "Monday", "2022-07-18"),
        ("Friday's vote will decide the matter.", "Friday", "2022-07-22"),
        # ... unless a clause that is not past puts the event ahead
        ("The candidates tour the state ahead of Monday's caucuses.", "Monday", "2022-07-25"),
        ("Ahead of Tuesday's meeting, the two sides drafted a plan.", "Tuesday", "2022-07-19"),
        # a participle with its noun after "make" is no past tense
        ("Voters will make their voice known on Tuesday.", "Tuesday", "2022-07-26"),
        # "upcoming" is one word, not "coming"
        ("The council prepares for the upcoming October session.", "upcoming October", "2022-10"),
        # "since" tagged as a conjunction still hangs the month on its verb: the last August
        ("The fever has killed 200 people in the valley since August.", "August", "2021-08"),
        # a participle clause takes the time of the verb it hangs from
        ("The mayor will tour the valley, stopping in Dorvel on Monday.", "Monday", "2022-07-25"),
        # an imperative joined to another
        ("Call your senator and vote them out in November.", "November", "2022-11"),
        # "this Sunday" is this week's, unless the clause puts it on the other side of the anchor
        ("The vote is this Sunday.", "this Sunday", "2022-07-24"),
        ("She waited until this Monday to come forward.", "this Monday", "2022-07-18"),
        ("The ferries ran until Tuesday, the port said.", "Tuesday", "2022-07-19"),
        ("The vote was postponed until Tuesday.", "Tuesday", "2022-07-26"),
    ],
)
def test_stop13_clause_readings(nlp, text, surface, value):
    assert _expr(text, surface, parse=nlp(text)).value == value


@pytest.mark.parametrize(
    "text",
    [
        "The story ran in the Daily Mail first.",
        "The guards told 60 Minutes what they saw.",
        "She spoke in a “60 Minutes” interview.",
        "The senator told THE WEEKLY REVIEW about it.",
    ],
)
def test_titles_that_look_like_times_are_no_expressions(text):
    assert not find_dates(text, published=PUB)


def test_a_frequency_before_an_acronym_is_still_a_set():
    found = find_dates("He fell out of the top three in the weekly GOP rankings.", published=PUB)
    assert [(e.text, e.type, e.value) for e in found] == [("weekly", "SET", "P1W")]


def test_a_capitalized_unit_in_a_headline_is_still_a_duration():
    assert [e.value for e in find_dates("Death Comes Within 24 Hours For Many", published=PUB)] == ["PT24H"]


@pytest.mark.parametrize(
    "text, surface, value",
    [
        ("The letter was signed in the year 2017 at the palace.", "the year 2017", "2017"),
        ("The year 1989 changed the region.", "The year 1989", "1989"),
        ("Later, at ten-twenty-four p.m., the lights went out.", "ten-twenty-four p.m.", "2022-07-20T22:24"),
        ("The show began at nine oh five p.m. sharp.", "nine oh five p.m.", "2022-07-20T21:05"),
    ],
)
def test_named_years_and_spoken_clock_minutes(text, surface, value):
    assert _expr(text, surface).value == value


@pytest.mark.parametrize(
    "text, surface, value",
    [
        # years "later" from the writer's own year would land in the future: the anchor is a past
        # the text tells in words, so the shift is left unresolved rather than guessed
        ("Today the archive opened. The envoy would do the same ten years later.", "ten years later", None),
        ("She told no one until 30 years later.", "30 years later", None),
        ("This year the fair returns. It first closed, then reopened more than 200 years later.",
         "more than 200 years later", None),
        # from a year written in the text, or looking back, the shift stands
        ("The plan was adopted in 2015 and would be complete five years later.", "five years later", "2020"),
        ("In 1953 the mill burned. Ten years later, it was rebuilt.", "Ten years later", "1963"),
        ("Today the archive opened. Ten years earlier, it had closed.", "Ten years earlier", "2012"),
        # days and months on from today may be a plan
        ("The talks open today and end two days later.", "two days later", "2022-07-22"),
    ],
)
def test_years_later_counted_from_the_writers_own_year(text, surface, value):
    assert _expr(text, surface).value == value
