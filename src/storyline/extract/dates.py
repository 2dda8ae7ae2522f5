"""Find temporal expressions in text and normalize them to TIMEX3 values.

A pure, rule-based tagger: a few dozen regular expressions (compiled once at
import) propose candidate spans, the longest non-overlapping candidates are
kept, and each one is normalized in text order so that anaphoric expressions
("the next day", "a year earlier") can refer back to the last date mentioned.

Resolution follows the news conventions of HeidelTime:

* deictic expressions ("yesterday", "last year", "on Friday", "three days
  ago", a bare month) are resolved against the publication date
  (``anchor_source="published"``); with no publication date they stay
  unresolved (``value=None``) rather than guessed;
* anaphoric expressions ("the next day", "two weeks later", "a year
  earlier", "that day") are resolved against the most recent preceding date
  in the text (``anchor_source="text"``), else against the publication date;
* a bare weekday or month refers to the most recent one on or before the
  anchor, unless the clause looks forward ("will", "as soon as", "is
  travelling", "scheduled", ...), in which case it is the first one on or
  after it; the tense cue nearest to the expression, on either side, decides;
* an offset from an event ("five years after the uprising") is a DURATION,
  never a date; an offset from an explicit date ("five years after 2019")
  is a DURATION plus that DATE, and :func:`implied_dates` computes the date
  they imply (TimeML's non-consuming TIMEX3);
* a temporal word inside a multi-word proper name ("Korvenia Today", "The
  Sunday Times", "the Today show", "the Good Friday Agreement", "the October
  Revolution") is no expression at all;
* holidays are computed for the year the tense and anchor give: fixed days
  (Christmas, Boxing Day), nth weekdays (Thanksgiving, Labor Day, Mother's
  Day) and the movable feasts from Easter (Good Friday, Easter Monday, Ash
  Wednesday, Pentecost), by the Gregorian computus.

Notes:
    Rule families and the reference-time / tense heuristics follow HeidelTime
    (Strötgen & Gertz 2010, 2013); values, granularities and modifiers follow
    the TIMEX3 guidelines (TimeML 1.2.1, ISO-TimeML). Ages ("aged 45",
    "45 years old", "a 45-year-old") are skipped: they describe a person, not
    a time, and TimeBank leaves them unannotated. Durations ("72 hours") get
    type DURATION and SETs ("daily", "every week") type SET, both with
    granularity ``duration``; neither is a date, so a timeline keeps only
    ``type in ("DATE", "TIME")``. Beyond the granularities listed on
    DateExpr, "half" (``1998-H2``) and "century" (``19``) occur.
"""

from __future__ import annotations

import bisect
import calendar
import re
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any, Callable, NamedTuple

from storyline.extract.tense import (clause_tense, deferred, explicit_future, finite_past, finite_present,
                                     future_in_past, in_noun_phrase, is_noun_at, modal_sentence, past_before_limit)
from storyline.records import DateExpr

__all__ = ["find_dates", "implied_dates", "normalize", "resolve_anchor", "shift_value", "REF_VALUES"]

#: TIMEX3 values for "now", "recently", "in the future" (TimeBank's *_REF).
REF_VALUES = ("PRESENT_REF", "PAST_REF", "FUTURE_REF")

# --------------------------------------------------------------------------- lexicon

_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
_WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}
_SEASONS = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}
_SEASON_MONTH = {"SP": 4, "SU": 7, "FA": 10, "WI": 12}
_SEASON_OF_MONTH = {1: "WI", 2: "WI", 3: "SP", 4: "SP", 5: "SP", 6: "SU", 7: "SU", 8: "SU", 9: "FA", 10: "FA",
                    11: "FA", 12: "WI"}
#: Number words (one word each), shared with the claim extractor.
NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "hundred": 100, "dozen": 12,
}
_NUMBERS = {
    **NUMBER_WORDS, "a": 1, "an": 1, "a hundred": 100, "one hundred": 100, "a dozen": 12,
    "a couple of": 2, "a couple": 2, "couple of": 2, "half a": 0.5, "half an": 0.5,
}
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4,
             "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10,
             "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14, "fifteenth": 15,
             "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19, "twentieth": 20,
             "twenty-first": 21, "final": 4, "last": 4}
_DECADE_WORDS = {"twenties": 2, "thirties": 3, "forties": 4, "fifties": 5, "sixties": 6,
                 "seventies": 7, "eighties": 8, "nineties": 9}
_UNIT = {
    "second": "S", "minute": "M", "hour": "H", "day": "D", "night": "D", "week": "W", "weekend": "WE",
    "fortnight": "FN", "month": "M", "quarter": "Q", "year": "Y", "decade": "DE", "century": "CE",
    "centurie": "CE",
}
_GRAN_RANK = {"time": 0, "day": 1, "week": 2, "month": 3, "season": 3, "quarter": 4, "half": 5,
              "year": 6, "decade": 7, "century": 8}
_MOD = {"early": "START", "beginning": "START", "start": "START", "mid": "MID", "middle": "MID",
        "late": "END", "end": "END"}
_PART_OF_DAY = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI", "overnight": "NI"}


def _alt(words: list[str]) -> str:
    words = sorted(words, key=len, reverse=True)
    return "|".join(w.replace(".", r"\.").replace(" ", r"\s+") for w in words)


def _cap_alt(words: list[str]) -> str:
    """Alternation of Title-case and UPPER-case forms (proper names only)."""
    forms: list[str] = []
    for w in words:
        forms += [w.capitalize(), w.upper()]
    return _alt(forms)


_FULL_MONTHS = [m for m, n in _MONTHS.items() if len(m) > 4 or m in ("may", "june", "july")]
_ABBR_MONTHS = [m for m in _MONTHS if m not in _FULL_MONTHS]
# "Jan." or "Jan 14" (an abbreviation without its period only before a day number).
MONTH = rf"(?:(?:{_cap_alt(_FULL_MONTHS)})\b|(?:{_cap_alt(_ABBR_MONTHS)})(?:\.|\b(?=\s*\d)))"
WEEKDAY = rf"(?:{_cap_alt(list(_WEEKDAYS))})\b"
DAYNUM = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?\b(?![:.]\d|,\d{3}(?!\d)|%|\s*(?:percent|per\s+cent|million|billion|thousand)\b)"
#: Days of the month written as ordinal words ("the fourth of July", "March the tenth", "May twenty-first").
_DAY_WORDS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14,
    "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19, "twentieth": 20,
    "thirtieth": 30,
    **{f"twenty{sep}{w}": 20 + n for sep in ("-", " ") for w, n in
       (("first", 1), ("second", 2), ("third", 3), ("fourth", 4), ("fifth", 5), ("sixth", 6), ("seventh", 7),
        ("eighth", 8), ("ninth", 9))},
    "thirty-first": 31, "thirty first": 31,
}
DAYWORD = rf"(?:{_alt(list(_DAY_WORDS))})\b"
YEAR4 = r"(?:1[0-9]\d\d|20\d\d)\b"
YEAR_PLAUSIBLE = r"(?:19\d\d|20\d\d)\b"
_NUMWORD = _alt([w for w in _NUMBERS if w not in ("a", "an")])
_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_CLOCK_WORDS = "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
_ONES = "one|two|three|four|five|six|seven|eight|nine"
# The minutes of a spoken time: "fifteen", "forty-five", "oh five", "twenty-four".
_CLOCK_MINUTES = (rf"(?:oh[\s-](?:{_ONES})|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|"
                  rf"nineteen|(?:twenty|thirty|forty|fifty)(?:[\s-](?:{_ONES}))?)")
NUM = (rf"(?:(?<![\d,.])\d+(?:\s+|-)1/2(?!\d)|(?<![\d,.])\d{{1,3}}(?:,\d{{3}})+(?!\d)|(?<![\d,.])\d+(?:\.\d+)?|(?:{_TENS})(?:[\s-](?:{_ONES}))?\b|(?:{_NUMWORD})\b|an?\b"
       r"|several\b|a\s+few\b|few\b|many\b|some\b)")
UNIT = r"(?:second|minute|hour|day|night|week|weekend|fortnight|month|quarter|year|decade|centur(?:y|ie))"
MODPFX = (r"(?:\b(?P<mod>[Ee]arly|[Ll]ate|[Mm]id|[Tt]he\s+(?:beginning|start|middle|end)\s+of)"
          r"(?:\s+|-(?=[A-Za-z0-9'])))?")
_I = re.IGNORECASE

# Future-looking cues in the part of the sentence before an expression (HeidelTime tense heuristic).
_FUTURE = re.compile(
    r"\b(?:will|shall|'ll|won't|going\s+to|expected|expects?|scheduled|schedule|plans?|planned|planning|"
    r"intends?|due(?!\s+to\s+(?:the|a|an|its|their|his|her|our|this|that|these|those|some|higher|lower)\b)|"
    r"upcoming|next(?!\s+to\b)|until|till|is\s+to|are\s+to|to\s+be\s+held|to\s+begin|to\s+start|"
    r"payable|as\s+(?:soon|early)\s+as|deadline|set\s+to|aims?\s+to|hopes?\s+to|to\s+(?:meet|visit|travel|vote|hold|announce))\b", _I)
_PAST = re.compile(
    r"\b(?:was|were|had|did|ago|last|earlier|since|already|yesterday|previously|"
    r"said|told|met|went|came|made|took|gave|held|left|began|sent|won|lost|fell|rose|got|saw|spoke|wrote|"
    r"ran|brought|thought|found|kept|led|paid|sold|bought|struck|shot|fled|flew|drew|chose|broke|stood|sat|"
    r"caught|fought|sought|heard|knew|grew|threw|became|felt|meant|sank|swore|hung|lay|rode|stole|tore|"
    r"woke|wore|slid|[a-z]{2,}[^e\W]ed|[a-z]+ied)\b")
# -ed words that are not past-tense verbs, or that look forward ("expected", "scheduled")
_NOT_PAST = frozenset("united hundred limited sacred naked wicked kindred rugged ragged crooked beloved alleged "
                      "supposed so-called concerned interested related based detailed advanced experienced "
                      "skilled talented unemployed retired married expected scheduled planned slated intended".split())
_PAST_ARTICLE = re.compile(r"(?:\b(?:the|a|an|its|their|his|her|our|this|these|those)\s+(?:\w+ly\s+)?"
                           r"|\b(?:be|been|being|is|are|am|has|have|having|get|gets)\s+(?:\w+ly\s+)?)$", _I)
_FORWARD_AUX = re.compile(r"\s+(?:not\s+)?(?:planning|expected|scheduled|due|set|slated|going|about)\b", _I)
_STRONG_FUTURE = re.compile(
    r"\b(?:will|shall|won't|going\s+to|(?:is|are|am|be)\s+to|to\s+be\s+held|upcoming|from\s+now|next(?!\s+to\b))\b"
    r"|'ll\b", _I)
_PERFECT = re.compile(r"\bhad\b|'d\s+(?:been|not)\b", _I)
_PRESENT = re.compile(r"\b(?:is|are|am)\s+(?:\w+ly\s+)?[a-z]+ing\b|\b(?:is|are)\s+(?:on|set\s+for|for)\b")
# a past verb immediately before the expression: "said Friday", "was killed on Friday"
_PAST_ADJACENT = re.compile(r"\b(said|told|announced|reported|added|met|[a-z]{2,}[^e\W]ed|was|were)"
                            r"(?:\s+(?:on|late|early))?\s*$")
# a forward cue immediately before it: "as soon as Tuesday", "payable Jan. 2", "scheduled for Thursday"
_FUTURE_ADJACENT = re.compile(
    r"\b(?:as\s+(?:soon|early)\s+as|no\s+later\s+than|ahead\s+of|payable|effective|"
    r"(?:due|scheduled|expected)(?:\s+(?:for|on|by|in))?|(?:slated|set|planned)\s+for)\s*$", _I)
# a limit right before it looks forward unless its clause is past: "will decide by Friday", "open
# through Sunday", but "raised $2 million by the end of February", "polled voters through Sunday"
_LIMIT_ADJACENT = re.compile(r"\b(?:until|till|by|through)\s*$", _I)
# a modal or "to" with "be" before a participle: "will be counted", "is to be signed", "could be held"
_MODAL_PASSIVE = re.compile(r"\b(?:will|would|shall|'ll|can|could|may|might|must|should|to)\s+(?:not\s+)?be\s+"
                            r"(?:\w+ly\s+)?$", _I)
# "since" looks back: "since the October debate", "since Friday"
_SINCE_ADJACENT = re.compile(r"\b(?:since|in\s+the\s+(?:wake|aftermath)\s+of)\s+"
                             r"(?:(?:the|their|his|her|its|our|your|my|that|last|early|late|mid)\s+)?$", _I)


def _is_past_word(word: str, text: str = "", pos: int = 0, end: int = 0) -> bool:
    """Whether a match of ``_PAST`` is a past-tense verb.

    Not an adjective or a participle after an article or a present auxiliary
    ("the reduced dividend", "will be named"), nor the auxiliary of a forward
    cue ("were planning to", "was expected to").
    """
    low = word.lower()
    if low in _NOT_PAST:
        return False
    if text and _PAST_ARTICLE.search(text, max(0, pos - 30), pos) and low not in ("was", "were", "had", "did"):
        return False
    if low in ("was", "were") and text and _FORWARD_AUX.match(text, end):
        return False
    return True


_ABBREVIATIONS = ("Mr", "Ms", "Mrs", "Dr", "St", "Jr", "Sr", "vs", "Co", "Inc", "Corp", "Ltd", "Gen", "Sen", "Rep",
                  "Gov", "Lt", "Col", "Sgt", "Capt", "Prof", "No", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug",
                  "Sep", "Sept", "Oct", "Nov", "Dec", "U.S", "U.N", "a.m", "p.m")
_ABBREVIATION_SET = frozenset(_ABBREVIATIONS)
_SENT_BOUNDARY = re.compile(r"[.!?;\n](?=['\"’”)]*\s)")


def _ends_sentence(chunk: str, pos: int) -> bool:
    """Whether the mark at ``pos`` ends a sentence: a period after an initial ("Daniel P. Davison") or an
    abbreviation ("Mr.", "U.S.", "Feb.") does not."""
    if chunk[pos] != ".":
        return True
    j = pos
    while j > 0 and (chunk[j - 1].isalpha() or chunk[j - 1] == "."):
        j -= 1
    token = chunk[j:pos]
    return not (len(token) == 1 and token.isupper() or token in _ABBREVIATION_SET)
_PREV_WORD = re.compile(r"([A-Za-z'’]+)\W{0,3}$")
_NEXT_WORD = re.compile(r"\W{0,2}([A-Za-z]+)")

# Words that make a bare 4-digit number a year (HeidelTime's year context), and a bare month a month.
_YEAR_CONTEXT = {
    "in", "since", "until", "till", "by", "of", "from", "to", "through", "thru", "during", "before",
    "after", "early", "late", "mid", "fiscal", "year", "and", "or", "between", "around", "circa",
    "spring", "summer", "fall", "autumn", "winter", "the", "end", "beginning", "start", "middle",
    "for", "than", "as", "at", "over", "within", "throughout", "calendar", "since", "about", "entering",
    "into", "toward", "towards", "against", "with", "like", "unlike", "versus", "vs", "on", "half",
    "quarter", "earlier", "later", "that", "this", "last", "next", "season", "class", "election",
    "elections", "census", "budget", "olympics", "cup", "summit", "midterm", "midterms", "a", "its", "his",
    "her", "their", "our", "due", "unsuccessful", "successful", "disputed",
}
_YEAR_BLOCK_AFTER = re.compile(
    r"\s*(?:%|percent\b|per\s*cent\b|people\b|persons\b|men\b|women\b|children\b|troops\b|soldiers\b|"
    r"police\b|officers\b|residents\b|votes\b|units\b|homes\b|houses\b|jobs\b|workers\b|members\b|"
    r"dollars\b|euros\b|pounds\b|tons\b|tonnes\b|km\b|kilometers\b|miles\b|meters\b|feet\b|calories\b|"
    r"AH\b|A\.H\.|SH\b|S\.H\.|H\.S\.|HS\b|Hijri|hijri|Solar|solar|Shamsi|shamsi|Persian|Iranian|AP\b|"
    r"[A-Z][a-z]+\s+(?:Street|St\.|Avenue|Ave\.|Road|Rd\.|Boulevard|Blvd\.|Drive|Lane))")
_YEAR_BLOCK_BEFORE = re.compile(
    r"(?:\$|€|£|No\.\s*|#|Nowruz\s+|Norouz\s+|Persian\s+(?:year\s+)?|Iranian\s+(?:year\s+)?|"
    r"Hijri\s+(?:year\s+)?|solar\s+(?:year\s+)?|[A-Z]{1,3}-|\d[\d,.]*\s*(?:-|to|and)\s*)$")
_YEAR_LIST_BEFORE = re.compile(r"(?:(?:1[5-9]|20)\d\d,?\s+(?:and|or|to)\s+|(?:1[5-9]|20)\d\d,\s*|\b(?:[Pp]ost|[Pp]re)-)$")
# A year named by the contest or cycle it is: "the fluid 2016 presidential primary", "his 2012 campaign".
_YEAR_EVENT_AFTER = re.compile(
    r"\s+(?:(?:presidential|general|midterm|mid-term|parliamentary|congressional|senate|gubernatorial|"
    r"republican|democratic|gop|party|labour|labor|conservative|liberal|"
    r"mayoral|local|national|federal|state|primary|election|re-election|reelection)\s+)*"
    r"(?:election|elections|campaign|campaigns|race|races|primary|primaries|caucus|caucuses|cycle|"
    r"nominee|candidate|candidates|contest|ticket|convention|run|bid|vote|referendum|census|budget|"
    r"olympics|games|world\s+cup|season)\b", _I)
_MONTH_CONTEXT = _YEAR_CONTEXT | {"an", "come", "ended", "began", "started", "closed", "finished", "spent", "entered", "this", "next", "last", "each", "every", "early", "mid", "late",
                                  "in", "of", "the", "since", "until", "by", "last", "previous", "'s"}
_QUANTITY_BEFORE = re.compile(
    r"(?:\d|million|billion|thousand|hundred|percent|%|times|twice|once|shares?|sold|tons?|barrels|"
    r"dollars|cents|people|visitors|interviews|units|cases|customers)\W{0,3}$", _I)


# --------------------------------------------------------------------------- points in time


class _Point(NamedTuple):
    """A resolved time: granularity, its first day, and a code (season, part of day, HH:MM)."""

    gran: str
    day: date
    code: str = ""


def _add_months(d: date, n: int) -> date:
    total = d.year * 12 + (d.month - 1) + n
    y, m = divmod(total, 12)
    if y < 1 or y > 9999:
        raise OverflowError
    return date(y, m + 1, min(d.day, calendar.monthrange(y, m + 1)[1]))


def _truncate(p: _Point, gran: str) -> _Point:
    d = p.day
    if gran in ("day", "time"):
        return _Point("day", d)
    if gran == "week":
        return _Point("week", d - timedelta(days=d.weekday()))
    if gran == "month":
        return _Point("month", d.replace(day=1))
    if gran == "quarter":
        return _Point("quarter", date(d.year, 3 * ((d.month - 1) // 3) + 1, 1))
    if gran == "half":
        return _Point("half", date(d.year, 1 if d.month <= 6 else 7, 1))
    if gran == "year":
        return _Point("year", date(d.year, 1, 1))
    if gran == "decade":
        return _Point("decade", date(d.year - d.year % 10, 1, 1))
    if gran == "century":
        return _Point("century", date(max(1, d.year - d.year % 100), 1, 1))
    return p


def _shift(p: _Point, n: int, unit: str) -> _Point:
    """Move a point by ``n`` units (day, week, month, quarter, year, decade, century)."""
    d = p.day
    if unit == "day":
        d = d + timedelta(days=n)
    elif unit == "week":
        d = d + timedelta(days=7 * n)
    elif unit == "month":
        d = _add_months(d, n)
    elif unit == "quarter":
        d = _add_months(d, 3 * n)
    elif unit == "half":
        d = _add_months(d, 6 * n)
    elif unit == "year":
        d = _add_months(d, 12 * n)
    elif unit == "decade":
        d = _add_months(d, 120 * n)
    elif unit == "century":
        d = _add_months(d, 1200 * n)
    if p.gran == "season" and unit in ("day", "week", "month", "quarter", "half"):
        # "eight months later" than a summer: the season the new date falls in
        code = _SEASON_OF_MONTH[d.month]
        return _Point("season", date(d.year - (1 if d.month <= 2 else 0), _SEASON_MONTH[code], 1), code)
    return _Point(p.gran, d, p.code)


def _value(p: _Point) -> str:
    d = p.day
    if p.gran == "day":
        return f"{d.year:04d}-{d.month:02d}-{d.day:02d}"
    if p.gran == "time":
        return f"{d.year:04d}-{d.month:02d}-{d.day:02d}T{p.code}"
    if p.gran == "month":
        return f"{d.year:04d}-{d.month:02d}"
    if p.gran == "year":
        return f"{d.year:04d}"
    if p.gran == "quarter":
        return f"{d.year:04d}-Q{(d.month - 1) // 3 + 1}"
    if p.gran == "half":
        return f"{d.year:04d}-H{1 if d.month <= 6 else 2}"
    if p.gran == "season":
        return f"{d.year:04d}-{p.code}"
    if p.gran == "week":
        y, w, _ = d.isocalendar()
        return f"{y:04d}-W{w:02d}" + ("-WE" if p.code == "WE" else "")
    if p.gran == "decade":
        return f"{d.year // 10:03d}X"
    if p.gran == "century":
        return f"{d.year // 100:02d}"
    raise ValueError(p.gran)


def _parse_value(value: str) -> _Point | None:
    """Parse a TIMEX3 date value back into a point (inverse of :func:`_value`)."""
    m = re.fullmatch(r"(\d{4})(?:-(\d\d)(?:-(\d\d))?)?", value)
    if m:
        y, mo, d = int(m.group(1)), m.group(2), m.group(3)
        if d:
            return _Point("day", date(y, int(mo), int(d)))
        if mo:
            return _Point("month", date(y, int(mo), 1))
        return _Point("year", date(y, 1, 1))
    m = re.fullmatch(r"(\d{4})-Q([1-4])", value)
    if m:
        return _Point("quarter", date(int(m.group(1)), 3 * int(m.group(2)) - 2, 1))
    m = re.fullmatch(r"(\d{4})-W(\d\d)", value)
    if m:
        return _Point("week", date.fromisocalendar(int(m.group(1)), int(m.group(2)), 1))
    return None


def shift_value(value: str, n: int, unit: str) -> str | None:
    """Shift a TIMEX3 date value by ``n`` units, keeping its granularity.

    Args:
        value: ``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``, ``YYYY-Qn`` or ``YYYY-Wnn``.
        n: Signed number of units.
        unit: ``day``, ``week``, ``month``, ``quarter``, ``year`` or ``decade``.

    Returns:
        The shifted value, or None when ``value`` is not a date value.

    Examples:
        >>> shift_value("2022-07-14", 1, "day")
        '2022-07-15'
        >>> shift_value("1989-Q3", -1, "year")
        '1988-Q3'
    """
    p = _parse_value(value)
    if p is None:
        return None
    try:
        return _value(_shift(p, n, unit))
    except (OverflowError, ValueError):
        return None


def resolve_anchor(published: str | date | None) -> date | None:
    """Turn a publication date string into the anchor day, or None.

    Accepts ``YYYY-MM-DD`` optionally followed by a time (``T...`` or a space),
    the compact ``YYYYMMDD``, and a :class:`datetime.date` (or datetime).

    Args:
        published: The document's publication date, as stored on Document.

    Returns:
        The date, or None when missing or not a valid calendar date.
    """
    if isinstance(published, date):  # a datetime is a date too: keep its day
        return date(published.year, published.month, published.day)
    if not published:
        return None
    m = re.match(r"\s*(\d{4})-?(\d\d)-?(\d\d)", published)
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


# --------------------------------------------------------------------------- candidates


@dataclass
class _Found:
    """A normalized candidate, before it becomes a DateExpr."""

    start: int
    end: int
    value: str | None
    gran: str
    type: str = "DATE"
    anchor: str | None = None
    anchor_source: str | None = None
    mod: str | None = None
    end_value: str | None = None
    point: _Point | None = None  # becomes the reference for later anaphora
    explicit: bool = False  # the year is written out (a reference for "the fourth quarter")
    is_ref: bool = True  # may serve as the reference for later anaphora


class _Ctx:
    """Per-call state: the text, the publication anchor, the last date mentioned."""

    def __init__(self, text: str, published: date | None, parse: Any = None):
        self.text = text
        self.parse = parse  # the spaCy Doc of ``text``, when the caller has one
        self.dct = published
        self.dct_str = published.isoformat() if published else None
        self.ref: _Point | None = None  # last resolved date in the text
        self.ref_pos = -1
        self.quarter_ref: _Point | None = None
        self.year_ref: _Point | None = None  # last year written out in full
        self.year_pos = -1
        self.quarter_pos = -1

    # -- context helpers
    def sentence_before(self, start: int, limit: int = 120) -> str:
        """The part of the current sentence before ``start`` (at most ``limit`` characters)."""
        chunk = self.text[max(0, start - limit):start]
        cut = 0
        for m in _SENT_BOUNDARY.finditer(chunk):
            if _ends_sentence(chunk, m.start()):
                cut = m.end()
        return chunk[cut:]

    def sentence_after(self, end: int, limit: int = 80) -> str:
        """The part of the current sentence after ``end`` (at most ``limit`` characters)."""
        chunk = self.text[end:end + limit]
        for m in _SENT_BOUNDARY.finditer(chunk):
            if _ends_sentence(chunk, m.start()):
                return chunk[:m.start()]
        return chunk

    def future(self, start: int, end: int) -> bool:
        """Whether the clause around ``start:end`` looks forward (see :meth:`tense`)."""
        return self.tense(start, end) == "future"

    def tense(self, start: int, end: int) -> str | None:
        """Whether the clause around ``start:end`` looks forward (``"future"``), back (``"past"``) or neither (None).

        Notes:
            HeidelTime's tense heuristic (Strötgen & Gertz 2013), with the
            cues read on both sides of the expression as HeidelTime reads the
            sentence's verbs. In order: a past verb right before the
            expression ("said Friday") makes it past; a forward cue right
            before it ("as soon as", "payable", "scheduled for") future; else
            the cue nearest to it decides, future ("will", "expected",
            "planned") or past (a past-tense verb), a past perfect ("had")
            overruling weak future cues; with no cue, a present-tense verb
            ("is travelling Thursday") looks forward and anything else back.
            When the parse of the text is at hand, the tense of the verb the
            expression attaches to (:func:`storyline.extract.tense.clause_tense`)
            decides before the cue words do, once the adjacent cues have had
            their say.
        """
        before = self.sentence_before(start, 100)
        after = self.sentence_after(end, 60)
        adjacent = _PAST_ADJACENT.search(before)
        if adjacent and _MODAL_PASSIVE.search(before, 0, adjacent.start(1)):
            adjacent = None  # "will be counted Tuesday": a participle after a modal "be" is no past tense
        if adjacent and adjacent.group(1).lower() not in _NOT_PAST or _SINCE_ADJACENT.search(before):
            return "past"
        # a past perfect near the expression puts its reference time in the past ("had been due Friday")
        perfect = bool(_PERFECT.search(before, max(0, len(before) - 40)) or _PERFECT.search(after, 0, 40))
        if _FUTURE_ADJACENT.search(before):
            return "past" if perfect else "future"
        if _LIMIT_ADJACENT.search(before):
            if perfect or self.parse is not None and (clause_tense(self.parse, start, end) == "past" or past_before_limit(
                    self.parse, start, end)) and not deferred(self.parse, start, end):
                return "past"
            return "future"
        if self.parse is not None:
            parsed = clause_tense(self.parse, start, end)
            if parsed is not None:
                return parsed
        n = len(before)
        cues: list[tuple[int, str]] = []
        # weak cues only count before the expression: "On Friday, the government planned ..." is past
        offset = start - n
        for rx, kind in ((_STRONG_FUTURE, "strong"), (_FUTURE, "weak"), (_PAST, "past")):
            for m in rx.finditer(before):
                if kind == "weak" and self._noun_at(offset + m.start()):
                    continue  # "support for the plan", "the schedule": a noun, no tense
                if kind != "past" or _is_past_word(m.group(), before, m.start(), m.end()):
                    cues.append((n - m.end(), kind))
            if kind == "weak":
                continue
            for m in rx.finditer(after):
                if kind != "past" or _is_past_word(m.group(), after, m.start(), m.end()):
                    cues.append((m.start(), kind))
                    break
        if cues:
            # at equal distance the stronger reading wins: strong future, then past, then weak future
            dist, kind = min(cues, key=lambda c: (c[0], ("strong", "past", "weak").index(c[1])))
            if kind == "strong":
                return "future"
            if kind == "weak":
                return "past" if perfect else "future"
            return "past"
        if (_PRESENT.search(before) or _PRESENT.search(after)) and not (
                self.parse is not None and in_noun_phrase(self.parse, start, end)):
            # a present tense looks forward, but not for an event named by a noun ("his speech on
            # Thursday", "his Tuesday wins"): the clause's tense is not the event's
            return "future"
        return None

    def _noun_at(self, offset: int) -> bool:
        """Whether the parse tags the word at ``offset`` as a noun (False without a parse)."""
        return self.parse is not None and is_noun_at(self.parse, offset)

    def prev_word(self, start: int) -> str:
        m = _PREV_WORD.search(self.text, max(0, start - 25), start)
        return m.group(1).lower().replace("’", "'") if m else ""

    # -- anchors
    def deictic(self) -> tuple[_Point | None, str | None, str | None]:
        if self.dct is None:
            return None, None, None
        return _Point("day", self.dct), self.dct_str, "published"

    def anaphoric(self) -> tuple[_Point | None, str | None, str | None]:
        if self.ref is not None:
            return self.ref, _value(self.ref), "text"
        return self.deictic()


def _int(s: str | None) -> int | None:
    return int(s) if s else None


def _num(s: str) -> float | None:
    s = re.sub(r"\s+", " ", s.lower().strip())
    half = re.fullmatch(r"(\d+)[ -]1/2", s)
    if half:
        return int(half.group(1)) + 0.5
    if re.fullmatch(r"\d+(?:\.\d+)?|\d{1,3}(?:,\d{3})+", s):
        return float(s.replace(",", ""))
    if s in _NUMBERS:
        return float(_NUMBERS[s])
    m = re.fullmatch(rf"({_TENS})[\s-]({_ONES})", s)
    if m:
        return float(_NUMBERS[m.group(1)] + _NUMBERS[m.group(2)])
    return None  # several, few, many, some: unspecified


# TIMEX3 ``mod`` of a quantifier in front of an amount (TimeML 1.2.1, section 2.2.1.3).
_QUANT_MOD = {
    "nearly": "APPROX", "almost": "APPROX", "about": "APPROX", "around": "APPROX", "roughly": "APPROX",
    "approximately": "APPROX", "some": "APPROX", "more than": "MORE_THAN", "over": "MORE_THAN",
    "less than": "LESS_THAN", "under": "LESS_THAN", "at least": "EQUAL_OR_MORE", "at most": "EQUAL_OR_LESS",
    "no more than": "EQUAL_OR_LESS", "up to": "EQUAL_OR_LESS",
}


def _quant_mod(q: str | None) -> str | None:
    return _QUANT_MOD.get(re.sub(r"\s+", " ", q.lower())) if q else None


def _mod(word: str | None) -> str | None:
    if not word:
        return None
    w = word.lower().split()
    return _MOD.get(w[1] if w[0] == "the" else w[0])


def _date_or_none(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _closest_year(ctx: _Ctx, month: int, day: int | None, start: int, end: int) -> tuple[int | None, str | None, str | None]:
    """Year for a month (and day) given without one, from the anchor and the sentence's tense.

    Notes:
        HeidelTime's news rule: a month in a forward-looking sentence is the
        next one on or after the anchor, otherwise the last one on or before
        it; with no tense cue, a month one or two months ahead of the anchor
        is taken as ahead (news rarely says "in December" in February to mean
        ten months ago).
    """
    if ctx.dct is not None:
        y = ctx.dct.year
        here = (month, day or 0)
        now = (ctx.dct.month, ctx.dct.day if day else 0)
        ahead = (month - ctx.dct.month) % 12  # months from the anchor's month forward
        tense: str | None | object = _UNREAD  # read once, where first needed
        scheduled = _SCHEDULED_AFTER.match(ctx.text, end)
        if scheduled is None and day is None:
            # "the Republican convention in July": the same reading, unless the sentence tells of it in
            # the past ("his showing in the primary in March, when he won 86 percent")
            scheduled = _SCHEDULED_BEFORE.search(ctx.text, max(0, start - 40), start)
            if scheduled:
                tense = ctx.tense(start, end)
            if scheduled and (tense == "past" or _SINCE_BEFORE.search(
                    ctx.text, max(0, scheduled.start() - 40), scheduled.start())):
                scheduled = None
        if scheduled and not _SINCE_ADJACENT.search(ctx.sentence_before(start, 30)) and (
                ctx.parse is None or clause_tense(ctx.parse, *scheduled.span("noun")) != "past"):
            # "the Nov. 8 election" in June: a date that names a scheduled event is the nearer one,
            # unless the clause the event is part of is past ("turnout was high in the November
            # election"); the verb that reports it says nothing of when it is ("..., the council said")
            coming = y if (month, day or 0) >= now else y + 1
            if day is None or ctx.parse is not None and modal_sentence(ctx.parse, start, end):
                # "the November general election", "could not be done by the Nov. 8 election": the
                # coming one (this month's, if it is this month)
                return coming, ctx.dct_str, "published"
            return min((y - 1, y, y + 1), key=lambda c: abs((date(c, month, day or 1) - ctx.dct).days)), \
                ctx.dct_str, "published"
        if tense is _UNREAD:
            tense = ctx.tense(start, end)
        if tense is None and day is None and ctx.parse is not None and (
                finite_present(ctx.parse, start, end) or modal_sentence(ctx.parse, start, end)):
            # "voters who are eligible to cast a ballot in November", "can he win in November",
            # "that would set the stage for a convention in July"
            tense = "future"
        if tense == "future":
            if here < now and ahead >= 1 and not (ctx.parse is not None and future_in_past(ctx.parse, start, end)
                                                  and ahead > 12 - ahead):
                # a plan told in the past ("were expecting growth in May" in June) is the nearer month
                y += 1 if month < ctx.dct.month else 0
        elif here > now and not (1 <= ahead <= _AHEAD_WINDOW and month > ctx.dct.month and not (
                tense == "past" and _parsed_past(ctx, start, end))) and (day is None or month != ctx.dct.month):
            # a month one or two ahead is ahead, unless the verb it hangs from is past ("asked about
            # them in February" in January)
            y -= 1
        elif tense is None and 1 <= ahead <= _AHEAD_WINDOW and month < ctx.dct.month:
            y += 1  # "a test on Jan. 1" in a December article: the one a month ahead, across the year
        return y, ctx.dct_str, "published"
    if ctx.ref is not None:
        return ctx.ref.day.year, _value(ctx.ref), "text"
    return None, None, None


_AHEAD_WINDOW = 2

#: Marks a clause tense not yet read in :func:`_closest_year`.
_UNREAD = object()


def _parsed_past(ctx: _Ctx, start: int, end: int) -> bool:
    """Whether the parse puts the verb the expression hangs from in the past, with nothing put off."""
    return ctx.parse is not None and finite_past(ctx.parse, start, end) and not deferred(ctx.parse, start, end)

# Words that follow the "May" of a wish at the head of a sentence: "May we continue ...", "May these days be ...".
_WISH_SUBJECTS = frozenset("we you they he she it i god the these this those all his her their our your its every "
                           "each no".split())

# Prepositions after which a month followed by a capitalized word is still the month ("In August Trump met").
_MONTH_PREPOSITIONS = frozenset("in since until till by during from through before after".split())

# "since" before the noun phrase of an event: "since the Clinton hearing [in November]".
_SINCE_BEFORE = re.compile(r"\bsince\s+(?:the\s+|a\s+|an\s+|his\s+|her\s+|their\s+|its\s+)?(?:[\w'’-]+\s+){0,3}$", _I)

# The end of a month range that carries the year: "September [to December 2014]".
_TO_MONTH_YEAR = re.compile(rf"\s*(?:-|–|to|through|until|and)\s*(?P<mon>{MONTH})\s*,?\s*(?P<y>{YEAR4})\b")

# A scheduled event named just before its month: "the Republican convention in July", "a referendum in June".
_SCHEDULED_BEFORE = re.compile(
    r"\b(?P<noun>election|elections|primary|primaries|caucus|caucuses|referendum|runoff|run-off|convention|"
    r"summit|inauguration|congress|conference|confab|trial|hearing)\s+(?:in|on|this|next)\s+$", re.I)

# A date used as the name of a scheduled event: "the Nov. 8 election", "the April 26 primary".
_SCHEDULED_AFTER = re.compile(
    r"(?:,?\s+\d{4}|['’]s)?\s+(?:(?:general|presidential|primary|runoff|special|parliamentary|municipal|local|"
    r"national|party|final|first|second|televised|scheduled|planned)\s+)?(?P<noun>election|elections|primary|"
    r"primaries|caucus|caucuses|vote|referendum|runoff|run-off|debate|summit|convention|deadline|hearing|trial|"
    r"inauguration|ballot|poll|congress|conference|confab|launch)\b", re.I)


# --------------------------------------------------------------------------- rules

_Handler = Callable[[re.Match, _Ctx], "_Found | None"]
_RULES: list[tuple[str, re.Pattern, _Handler, int]] = []


def _rule(name: str, pattern: str, flags: int = 0, priority: int = 0):
    compiled = re.compile(pattern, flags)

    def deco(fn: _Handler) -> _Handler:
        _RULES.append((name, compiled, fn, priority))
        return fn

    return deco


def _day_found(m: re.Match, y: int | None, mo: int, d: int, src: tuple[str | None, str | None],
               end_point: date | None = None, mod: str | None = None) -> _Found | None:
    if y is None:
        return _Found(m.start(), m.end(), None, "day", anchor=src[0], anchor_source=src[1])
    dd = _date_or_none(y, mo, d)
    if dd is None:
        return None
    p = _Point("day", dd)
    return _Found(m.start(), m.end(), _value(p), "day", anchor=src[0], anchor_source=src[1], mod=mod,
                  end_value=_value(_Point("day", end_point)) if end_point else None, point=p)


@_rule("iso", r"\b(?P<y>\d{4})-(?P<m>[01]\d)-(?P<d>[0-3]\d)(?:T(?P<H>[0-2]\d):(?P<M>[0-5]\d)(?::\d\d(?:\.\d+)?)?)?(?![\d-])")
def _iso(m: re.Match, ctx: _Ctx) -> _Found | None:
    dd = _date_or_none(int(m["y"]), int(m["m"]), int(m["d"]))
    if dd is None:
        return None
    if m["H"]:
        p = _Point("time", dd, f"{m['H']}:{m['M']}")
        return _Found(m.start(), m.end(), _value(p), "time", type="TIME", point=_Point("day", dd))
    p = _Point("day", dd)
    return _Found(m.start(), m.end(), _value(p), "day", point=p)


@_rule("numeric", r"(?<![\d/.])(?P<a>[01]?\d)/(?P<b>[0-3]?\d)/(?P<y>\d{4}|\d\d)(?![\d/])")
def _numeric(m: re.Match, ctx: _Ctx) -> _Found | None:
    a, b, y = int(m["a"]), int(m["b"]), int(m["y"])
    if len(m["y"]) == 2:
        y += 1900 if y >= 40 else 2000
    mo, d = (a, b) if a <= 12 else (b, a)  # US month/day order unless impossible
    return _day_found(m, y, mo, d, (None, None))


#: The day of the 2001 attacks, which news names by its month and day alone ("9/11", "the Sept. 11 attacks").
_ATTACKS_DAY = date(2001, 9, 11)

# What follows "Sept. 11" when it names those attacks rather than this year's day. "Attack" in the
# singular is left out: "the September 11 attack" in 2015 news may be the one in Benghazi in 2012.
_ATTACKS_AFTER = re.compile(
    r"(?:['’]s)?\s+(?:terror(?:ist)?\s+)?(?:attacks|hijack(?:ers|ings?)|commission|victims|families|era|"
    r"plot(?:ters)?|terrorists?|terrorism|strikes)\b", _I)

# What follows "9/11" when it names the day as it comes round each year: "the 9/11 memorial ceremony",
# "the 9/11 anniversary" (but "the anniversary of 9/11" is the day of the attacks).
_YEARLY_AFTER = re.compile(r"(?:['’]s)?\s+(?:memorial|anniversary|commemoration|ceremony|observance|remembrance)\b",
                           _I)


@_rule("nine_eleven", r"(?<![\d/.])9/11(?![\d/]|\s+of\s+the\b)")
def _nine_eleven(m: re.Match, ctx: _Ctx) -> _Found | None:
    """ "9/11": the 2001 attacks, in any text written after them."""
    if ctx.dct is not None and ctx.dct <= _ATTACKS_DAY:
        return None
    if _YEARLY_AFTER.match(ctx.text, m.end()):
        y, anchor, source = _closest_year(ctx, _ATTACKS_DAY.month, _ATTACKS_DAY.day, m.start(), m.end())
        return _day_found(m, y, _ATTACKS_DAY.month, _ATTACKS_DAY.day, (anchor, source))
    p = _Point("day", _ATTACKS_DAY)
    return _Found(m.start(), m.end(), _value(p), "day", point=p)


#: Words that put a date after them ("on May first").
_DATE_PREPOSITIONS = frozenset({"on", "by", "until", "till", "since", "from", "before", "after", "of", "to",
                                "through", "for", "and", "or", "between", "as", "around"})


def _day_number(text: str) -> int:
    """The day of the month in "14", "14th" or "fourteenth"."""
    digits = re.match(r"\d+", text)
    return int(digits.group()) if digits else _DAY_WORDS[" ".join(text.lower().split())]


def _month_day_year(m: re.Match, ctx: _Ctx) -> tuple[int, int, int | None, tuple[str | None, str | None]]:
    """Return month, first day, year and the year's anchor source of a month-and-day match.

    A missing year is taken from the closest year in the text (see :func:`_closest_year`).
    """
    mo = _MONTHS[m["mon"].rstrip(".").lower()]
    d1 = _day_number(m["d1"] or m.groupdict().get("d1w"))
    y = _int(m["y"])
    if y is not None:
        return mo, d1, y, (None, None)
    if (mo, d1) == (_ATTACKS_DAY.month, _ATTACKS_DAY.day) and _ATTACKS_AFTER.match(ctx.text, m.end()) \
            and (ctx.dct is None or ctx.dct > _ATTACKS_DAY):
        return mo, d1, _ATTACKS_DAY.year, (None, None)  # "the Sept. 11 attacks": the 2001 ones
    y, anchor, source = _closest_year(ctx, mo, d1, m.start(), m.end())
    return mo, d1, y, (anchor, source)


@_rule("mdy",
       rf"(?:(?P<wd>{WEEKDAY}),?\s+(?:the\s+)?)?{MODPFX}(?P<mon>{MONTH})\s*(?:the\s+(?=\d\d?(?:st|nd|rd|th)\b|{DAYWORD}))?"
       rf"(?P<d1>{DAYNUM}|(?<=\s){DAYWORD})"
       rf"(?:\s*(?:-|–|—|to|through|until|and)\s*(?:(?P<mon2>{MONTH})\s*)?(?P<d2>{DAYNUM}))?"
       rf"(?:(?:\s*,\s*|\s+)(?:of\s+)?(?P<y>{YEAR4}))?(?![\d-])")
def _mdy(m: re.Match, ctx: _Ctx) -> _Found | None:
    if not m["d1"][0].isdigit() and m["mon"].lower() == "may" and not m["wd"] \
            and ctx.prev_word(m.start()) not in _DATE_PREPOSITIONS:
        return None  # "May first be allowed to speak?": the modal, not a date
    mo, d1, y, src = _month_day_year(m, ctx)
    end_point = None
    if m["d2"]:
        mo2 = _MONTHS[m["mon2"].rstrip(".").lower()] if m["mon2"] else mo
        d2 = _day_number(m["d2"])
        if y is not None:
            end_point = _date_or_none(y + (1 if mo2 < mo else 0), mo2, d2)
            start_point = _date_or_none(y, mo, d1)
            if end_point is None or start_point is None or end_point <= start_point:
                # "May 5 and 6 people" and the like: keep only the first date
                return _day_found_trim(m, ctx, y, mo, d1, src)
    return _day_found(m, y, mo, d1, src, end_point, _mod(m["mod"]))


def _day_found_trim(m: re.Match, ctx: _Ctx, y: int, mo: int, d: int, src) -> _Found | None:
    f = _day_found(m, y, mo, d, src)
    if f is not None:
        f.end = m.end("d1")
    return f


@_rule("dmy",
       rf"(?:(?P<wd>{WEEKDAY}),?\s+(?:the\s+)?)?\b(?:(?P<d1>{DAYNUM})(?:\s*(?:-|–|to|and)\s*(?P<d0>{DAYNUM}))?\s+"
       rf"(?:of\s+)?|(?:[Tt]he\s+)?(?P<d1w>{DAYWORD})\s+of\s+)(?P<mon>{MONTH})(?:,?\s+(?P<y>{YEAR4}))?(?![\d-])")
def _dmy(m: re.Match, ctx: _Ctx) -> _Found | None:
    mo, d1, y, src = _month_day_year(m, ctx)
    end_point = None
    if m["d0"] and y is not None:
        end_point = _date_or_none(y, mo, int(re.match(r"\d+", m["d0"]).group()))
        if end_point is None or end_point.day <= d1:
            return None
    return _day_found(m, y, mo, d1, src, end_point)


@_rule("my", rf"{MODPFX}(?P<mon>{MONTH})(?:\s+of|\s*,)?\s+(?P<y>{YEAR4})(?![\d-])"
             rf"(?:\s*(?:-|–|to|through|until)\s*(?P<mon2>{MONTH})(?:\s+of|\s*,)?\s+(?P<y2>{YEAR4}))?")
def _my(m: re.Match, ctx: _Ctx) -> _Found | None:
    p = _Point("month", date(int(m["y"]), _MONTHS[m["mon"].rstrip(".").lower()], 1))
    end = None
    if m["mon2"]:
        end = _value(_Point("month", date(int(m["y2"]), _MONTHS[m["mon2"].rstrip(".").lower()], 1)))
    return _Found(m.start(), m.end(), _value(p), "month", mod=_mod(m["mod"]), end_value=end, point=p)


@_rule("week_of",
       rf"\b[Tt]he\s+week\s+(?:of|beginning|starting|ending)\s+(?P<mon>{MONTH})\s*(?P<d>{DAYNUM})"
       rf"(?:(?:\s*,\s*|\s+)(?P<y>{YEAR4}))?(?![\d-])")
def _week_of(m: re.Match, ctx: _Ctx) -> _Found | None:
    """ "The week of March 6": the ISO week holding the day (TIMEX3 ``YYYY-Wnn``)."""
    mo = _MONTHS[m["mon"].rstrip(".").lower()]
    d = int(re.match(r"\d+", m["d"]).group())
    y, a, s = (int(m["y"]), None, None) if m["y"] else _closest_year(ctx, mo, d, m.start(), m.end())
    if y is None:
        return _Found(m.start(), m.end(), None, "week")
    dd = _date_or_none(y, mo, d)
    if dd is None:
        return None
    p = _Point("week", dd - timedelta(days=dd.weekday()))
    return _Found(m.start(), m.end(), _value(p), "week", anchor=a, anchor_source=s, point=p)


@_rule("month_rel_year",
       rf"{MODPFX}(?P<mon>(?:{_cap_alt(_FULL_MONTHS)})\b|(?:{_cap_alt(_ABBR_MONTHS)})\.)(?:\s*(?P<d>{DAYNUM}))?,?\s+(?:of\s+)?"
       r"(?P<rel>this|last|next|that|the\s+previous|the\s+following|the\s+same)\s+year\b")
def _month_rel_year(m: re.Match, ctx: _Ctx) -> _Found | None:
    rel = m["rel"].split()[-1].lower()
    step = {"last": -1, "previous": -1, "next": 1, "following": 1}.get(rel, 0)
    # "July last year" counts from publication; "January of that year" from the year in the text
    base, a, s = ctx.deictic() if rel in ("this", "last", "next") else ctx.anaphoric()
    mo = _MONTHS[m["mon"].rstrip(".").lower()]
    if base is None:
        return _Found(m.start(), m.end(), None, "day" if m["d"] else "month")
    y = base.day.year + step
    if m["d"]:
        dd = _date_or_none(y, mo, int(re.match(r"\d+", m["d"]).group()))
        if dd is None:
            return None
        p = _Point("day", dd)
    else:
        p = _Point("month", date(y, mo, 1))
    return _Found(m.start(), m.end(), _value(p), p.gran, anchor=a, anchor_source=s, mod=_mod(m["mod"]), point=p)


_HOLIDAYS = {
    "christmas eve": (12, 24), "christmas day": (12, 25), "christmas": (12, 25), "new year's eve": (12, 31),
    "new year's day": (1, 1), "independence day": (7, 4), "valentine's day": (2, 14), "halloween": (10, 31),
    "thanksgiving day": ("nth", 11, 3, 4), "thanksgiving": ("nth", 11, 3, 4), "election day": ("election",),
    "black friday": ("nth", 11, 3, 4, 1), "cyber monday": ("nth", 11, 3, 4, 4),
    "memorial day": ("last", 5, 0), "labor day": ("nth", 9, 0, 1), "veterans day": (11, 11),
    "boxing day": (12, 26), "bastille day": (7, 14), "mother's day": ("nth", 5, 6, 2),
    "father's day": ("nth", 6, 6, 3), "easter": ("easter", 0), "easter sunday": ("easter", 0),
    "easter day": ("easter", 0), "easter monday": ("easter", 1), "good friday": ("easter", -2),
    "palm sunday": ("easter", -7), "ash wednesday": ("easter", -46), "pentecost": ("easter", 49),
}


def _easter(year: int) -> date:
    """Western Easter Sunday of ``year`` (the Gregorian computus, anonymous algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l) // 451
    month, day = divmod(h + l - 7 * m + 114, 31)
    return date(year, month, day + 1)


def _holiday_date(key: str, year: int) -> date | None:
    rule = _HOLIDAYS[key]
    if isinstance(rule[0], int):
        return date(year, rule[0], rule[1])
    if rule[0] == "nth":
        first = date(year, rule[1], 1)  # the n-th weekday of a month, and days after it ("Black Friday")
        return first + timedelta(days=(rule[2] - first.weekday()) % 7 + 7 * (rule[3] - 1) + sum(rule[4:]))
    if rule[0] == "easter":
        return _easter(year) + timedelta(days=rule[1])
    if rule[0] == "last":
        last = date(year, rule[1], calendar.monthrange(year, rule[1])[1])
        return last - timedelta(days=(last.weekday() - rule[2]) % 7)
    first = date(year, 11, 2)  # US election: the Tuesday after the first Monday of November
    return first + timedelta(days=(1 - first.weekday()) % 7)


#: Days from publication within which a holiday named without a year is the one at hand.
_HOLIDAY_NEAR = 14


# Things named after a holiday, not the day: "the Rockefeller Center Christmas tree", "Easter eggs".
_HOLIDAY_THING = re.compile(
    r"\s+(?:trees?|cards?|carols?|lights|decorations?|ornaments?|sweaters?|stockings?|music|movies?|songs?|"
    r"specials?|wreaths?|cookies?|presents?|gifts?|costumes?|candy|eggs?|bunny|baskets?|pumpkins?)\b", re.I)

# Words before "Black Friday" or "Cyber Monday" that make it a day rather than the name of the sales.
_SALE_DAY_BEFORE = frozenset("on since before after until till by".split())


@_rule("holiday",
       r"(?:\b(?P<rel>[Ll]ast|[Nn]ext|[Tt]his)\s+)?\b(?P<h>Xmas|Christmas(?:\s+(?:Eve|Day))?|New\s+Year's\s+(?:Eve|Day)|"
       r"Independence\s+Day|Valentine's\s+Day|Halloween|Thanksgiving(?:\s+Day)?|Election\s+Day|Memorial\s+Day|"
       r"Black\s+Friday|Cyber\s+Monday|"
       r"Labor\s+Day|Veterans\s+Day|Boxing\s+Day|Bastille\s+Day|Mother's\s+Day|Father's\s+Day|"
       r"Easter(?:\s+(?:Sunday|Day|Monday))?|Good\s+Friday|Palm\s+Sunday|Ash\s+Wednesday|Pentecost)\b"
       r"(?:,?\s+(?P<y>" + YEAR4 + r"))?")
def _holiday(m: re.Match, ctx: _Ctx) -> _Found | None:
    key = re.sub(r"\s+", " ", m["h"].lower()).replace("xmas", "christmas")
    rel = (m["rel"] or "").lower()
    if key in ("black friday", "cyber monday") and not rel and ctx.prev_word(m.start()) not in _SALE_DAY_BEFORE:
        return None  # the shopping event's name ("Black Friday sales"), a day only "on Black Friday"
    if not m["y"] and _HOLIDAY_THING.match(ctx.text, m.end()):
        return None  # a thing named after the holiday: "the Christmas tree", "Halloween costumes"
    a = s = None
    if m["y"]:
        y = int(m["y"])
    elif ctx.dct is None:
        return _Found(m.start(), m.end(), None, "day")
    else:
        y, a, s = ctx.dct.year, ctx.dct_str, "published"
        this_year = _holiday_date(key, y)
        nearest = min((y - 1, y, y + 1), key=lambda c: abs((_holiday_date(key, c) - ctx.dct).days))
        gap = (_holiday_date(key, nearest) - ctx.dct).days
        tense = None if rel else ctx.tense(m.start(), m.end())
        if rel == "last" or tense == "past":
            y -= 1 if this_year >= ctx.dct else 0
        elif rel == "next" or tense == "future":
            y += 1 if this_year <= ctx.dct else 0
        elif rel != "this" and key == "election day":
            y += 1 if this_year < ctx.dct else 0  # no cue: the coming vote ("turning out on Election Day")
        elif rel != "this":
            y = nearest  # no cue: the nearer one ("before the Christmas holiday" three days before it)
        if not rel and abs(gap) <= _HOLIDAY_NEAR:
            # two weeks either side, the holiday at hand whatever the tense ("the Saturday before
            # Christmas" in a 23 December article was held; Christmas is two days ahead), unless its
            # own verb says otherwise ("we spent Christmas at home" two days before it)
            own = clause_tense(ctx.parse, m.start(), m.end()) if ctx.parse is not None and ctx.prev_word(
                m.start()) not in ("before", "after", "ahead", "until", "till", "by", "since") else None
            if not (own == "past" and gap > 0 or gap < 0 and ctx.parse is not None
                    and explicit_future(ctx.parse, m.start(), m.end())):
                y = nearest  # ("Labor Day is barely over" two days after it: a present is no future)
    p = _Point("day", _holiday_date(key, y))
    return _Found(m.start(), m.end(), _value(p), "day", anchor=a, anchor_source=s, point=p)


_SPOKEN_TEENS = "ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"


@_rule("spoken_year",
       rf"(?:(?P<mon>{_cap_alt(_FULL_MONTHS)})\s+)?(?:(?P<the>the\s+year\s+)?(?P<c>nineteen|twenty)[\s-]+"
       rf"(?P<yy>(?:{_TENS})(?:[\s-](?:{_ONES}))?|{_SPOKEN_TEENS}|oh[\s-](?:{_ONES})|hundred)\b"
       rf"|the\s+year\s+two\s+thousand(?:\s+and\s+(?P<yy2>{_ONES}|ten))?\b)", _I)
def _spoken_year(m: re.Match, ctx: _Ctx) -> _Found | None:
    if m["c"]:
        century = 1900 if m["c"].lower() == "nineteen" else 2000
        yy = re.sub(r"[\s-]+", " ", m["yy"].lower())
        if yy == "hundred":
            n = 0
        elif yy.startswith("oh"):
            n = _NUMBERS[yy.split()[1]]
        else:
            v = _num(yy) if " " in yy else float(_NUMBERS.get(yy, 0) or 0)
            if not v:
                return None
            n = int(v)
        y = century + n
    else:
        y = 2000 + (_NUMBERS[m["yy2"].lower()] if m["yy2"] else 0)
    if m["mon"]:
        p = _Point("month", date(y, _MONTHS[m["mon"].lower()], 1))
    else:
        p = _Point("year", date(y, 1, 1))
    return _Found(m.start(), m.end(), _value(p), p.gran, point=p)


# "a quarter of" something that is not a stretch of time: a fraction ("a quarter of the nation's
# immigrants", "a quarter of parliamentary seats"), unlike "a quarter of a century", "of the year".
# A share given as a percentage right after it: "just over a quarter, 26 percent, say ...".
_SHARE_AFTER = re.compile(r"\s*[,(–—-]\s*\d+(?:\.\d+)?\s*(?:%|percent\b|per\s+cent\b)", re.I)
_FRACTION_OF = re.compile(
    r"\s+of\s+(?:(?:the|a|an|this|that|its|his|her|their|our|fiscal)\s+)?+"
    r"(?!(?:fiscal\s+)?(?:years?|century|centuries|decades?|days?|hours?|months?|seasons?|periods?|"
    r"quarters?|sessions?|games?|matches|match|millennium|term)\b)[\w$]", re.I)


# Nouns a part of day modifies to name a kind of thing, not a time: "the morning shows", "a night table".
_POD_MODIFIES = re.compile(
    r"\s+(?:shows?|programs?|programmes?|news|newspapers?|papers?|editions?|anchors?|hosts?|tables?|stands?|"
    r"clubs?|shifts?|schools?|class(?:es)?|sky|skies|prayers?|owls?|people|person|lights?|vision)\b", _I)


@_rule("part_of_day",
       r"\b(?:(?P<el>earlier|later|early|late)\s+)?in\s+the\s+(?P<pod>morning|afternoon|evening|day)\b", _I, priority=-1)
def _part_of_day(m: re.Match, ctx: _Ctx) -> _Found | None:
    start = m.start("pod") - 4 if not m["el"] else m.start()
    pod = m["pod"].lower()
    if pod == "day" and not m["el"] or _POD_MODIFIES.match(ctx.text, m.end()):
        return None  # "in the morning shows": the part of day names a kind of thing
    if ctx.ref is not None and ctx.ref.gran in ("day", "time") and ctx.ref_pos > m.start() - 250:
        day, a, s = ctx.ref.day, _value(ctx.ref), "text"
    elif ctx.dct is not None:
        day, a, s = ctx.dct, ctx.dct_str, "published"
    else:
        return _Found(start, m.end(), None, "day" if pod == "day" else "time", type="DATE" if pod == "day" else "TIME")
    p = _Point("day", day)
    if pod == "day":
        return _Found(start, m.end(), _value(p), "day", anchor=a, anchor_source=s, point=p)
    return _Found(start, m.end(), f"{_value(p)}T{_PART_OF_DAY[pod]}", "time", type="TIME", anchor=a,
                  anchor_source=s, point=p)


@_rule("month",
       rf"{MODPFX}(?:\b(?P<rel>[Ll]ast|[Nn]ext|[Tt]his|[Pp]ast|(?:[Uu]p)?[Cc]oming|[Pp]revious|[Ee]ach|[Ee]very)\s+)?"
       rf"(?P<mon>(?:{_cap_alt(_FULL_MONTHS)})\b|(?:{_cap_alt(_ABBR_MONTHS)})\.)"
       r"(?:\s*(?:-|–|to|through|until)\s*(?P<mon2>(?:" + _cap_alt(_FULL_MONTHS) + r")\b))?(?!\s*\d)",
       priority=-1)
def _month(m: re.Match, ctx: _Ctx) -> _Found | None:
    word = m["mon"].rstrip(".").lower()
    mo = _MONTHS[word]
    rel = (m["rel"] or "").lower()
    if rel in ("each", "every"):
        return _Found(m.start(), m.end(), f"XXXX-{mo:02d}", "month", type="SET")
    if not rel and not m["mod"]:
        # a bare month needs a date-like context: "in May", "May's figures"; never the modal "may"
        prev = ctx.prev_word(m.start())
        nxt = _NEXT_WORD.match(ctx.text, m.end())
        if prev not in _MONTH_CONTEXT:
            possessed = (prev.endswith(("'s", "’s", "s'")) or prev in _POSSESSIVES) and _SCHEDULED_AFTER.match(
                ctx.text, m.end())  # "the party's July convention"
            if not (possessed or word not in ("may", "march") and ctx.text[m.end():m.end() + 2] == "'s"):
                return None
        if word in ("april", "may", "june", "august") and nxt and nxt.start(1) == m.end() + 1 and nxt.group(1)[0].isupper() \
                and nxt.group(1).lower() not in _MONTHS and nxt.group(1).lower() not in ("this", "next", "last") \
                and prev not in _MONTH_PREPOSITIONS:
            return None  # a first name ("June Carter"), but "in August Trump met ..." is the month
        if re.match(r"\s+of\s+(?:the\s+)?[A-Z]", ctx.text[m.end():]):
            return None  # a name: "the March of the Mothers"
        if word == "march" and (
                prev == "the" and re.match(r"\s+(?:on|to|for|against|through|from|across|into)\s+[A-Z]", ctx.text[m.end():])
                or prev in ("and", "a") and re.match(r"\s+(?:on|for|against)\s+(?:the\s+)?[A-Z]", ctx.text[m.end():])):
            return None  # a walk: "the March on Washington", "the March for Science", "and March on the RNC"
        if word == "may" and nxt and (nxt.group(1).lower() in ("be", "have", "not", "also", "well", "yet", "never")
                                      or nxt.group(1).lower() in _WISH_SUBJECTS
                                      and not ctx.sentence_before(m.start(), 4).strip()):
            return None  # the modal: "may be", and a wish that opens a sentence ("May God save ...")
    if rel:
        if ctx.dct is None:
            return _Found(m.start(), m.end(), None, "month", mod=_mod(m["mod"]))
        y = ctx.dct.year
        if rel in ("last", "past", "previous"):
            y -= 0 if mo < ctx.dct.month else 1
        elif rel in ("next", "coming", "upcoming"):
            y += 0 if mo > ctx.dct.month else 1
        a, s = ctx.dct_str, "published"
    elif (to := _TO_MONTH_YEAR.match(ctx.text, m.end())) and not m["mon2"]:
        # "from September to December 2014": the year of the range's end (the one before, across a new year)
        mo2 = _MONTHS[to["mon"].rstrip(".").lower()]
        y, a, s = int(to["y"]) - (1 if mo > mo2 else 0), None, None
    else:
        y, a, s = _closest_year(ctx, mo, None, m.start(), m.end())
    if y is None:
        return _Found(m.start(), m.end(), None, "month", mod=_mod(m["mod"]))
    p = _Point("month", date(y, mo, 1))
    end = None
    if m["mon2"]:
        mo2 = _MONTHS[m["mon2"].lower()]
        end = _value(_Point("month", date(y + (1 if mo2 < mo else 0), mo2, 1)))
    return _Found(m.start(), m.end(), _value(p), "month", anchor=a, anchor_source=s, mod=_mod(m["mod"]),
                  end_value=end, point=p)


# Before 1900 a bare number is a year only after a word that introduces one ("in 1848", "since 1789",
# "the Constitution of 1780"), never in a caption's other calendar (the Persian year 1401 is < 1500).
YEAR_HISTORIC = r"(?:1[5-8]\d\d)\b"
_HISTORIC_YEAR_CONTEXT = frozenset("in since until till from after before during circa between".split())
_NAME_OF_BEFORE = re.compile(r"\b[A-Z][a-z]+\s+of\s+$")


def _historic_year(ctx: _Ctx, m: re.Match, prev: str) -> bool:
    """Whether a number from 1500 to 1899 is a year: a word that introduces a year, or "Name of"."""
    return (prev in _HISTORIC_YEAR_CONTEXT or bool(_NAME_OF_BEFORE.search(ctx.text, max(0, m.start() - 30), m.start()))
            or bool(_YEAR_LIST_BEFORE.search(ctx.text, max(0, m.start() - 20), m.start()))
            or bool(_YEAR_EVENT_AFTER.match(ctx.text, m.end("y"))))  # "the 1828 presidential race"


@_rule("year",
       rf"(?P<theyear>\b[Tt]he\s+year\s+)?{MODPFX}(?:(?P<fiscal>[Ff]iscal|FY)\s*)?(?P<y>{YEAR_PLAUSIBLE}|{YEAR_HISTORIC})"
       r"(?!\d|-(?!(?:\d{4}|\d\d)(?![\d-]))|\s*['’]?s\b|[,.]\d)"
       rf"(?:\s*(?:-|–|to|through|until|and)\s*(?P<y2>{YEAR_PLAUSIBLE}|\d\d\b)(?![\d-]))?")
def _year(m: re.Match, ctx: _Ctx) -> _Found | None:
    in_list = bool(_YEAR_LIST_BEFORE.search(ctx.text, max(0, m.start() - 20), m.start()))
    if (_YEAR_BLOCK_BEFORE.search(ctx.text, max(0, m.start() - 25), m.start()) and not in_list
            or _YEAR_BLOCK_AFTER.match(ctx.text, m.end("y"))
            or m["y2"] and _YEAR_BLOCK_AFTER.match(ctx.text, m.end())):
        return None
    prev = ctx.prev_word(m.start())
    if int(m["y"]) < 1900 and not _historic_year(ctx, m, prev):
        return None
    if prev == "least" and re.search(r"\b(?:since|until|till|from|through|to|before|after|in)\s+at\s+least\s+$",
                                     ctx.text[max(0, m.start() - 30):m.start()], _I):
        prev = "since"  # "since at least 1980"
    if not (m["mod"] or m["fiscal"] or m["theyear"] or prev in _YEAR_CONTEXT or prev.endswith("'s")
            or _YEAR_LIST_BEFORE.search(ctx.text, max(0, m.start() - 20), m.start())
            or _YEAR_EVENT_AFTER.match(ctx.text, m.end())
            or m["y2"] and len(m["y2"]) == 4 and 0 < int(m["y2"]) - int(m["y"]) <= 100):
        # (a span of two full years, "covering 2003-2016", is a date wherever it stands)
        before = ctx.text[max(0, m.start() - 3):m.start()]
        after = ctx.text[m.end():m.end() + 2]
        # a year standing alone in parentheses or after a dateline comma
        if not (before.endswith("(") and after.startswith(")")):
            return None
    y = int(m["y"])
    end = None
    if m["y2"]:
        sep = ctx.text[m.end("y"):m.start("y2")]
        y2 = int(m["y2"]) if len(m["y2"]) == 4 else y - y % 100 + int(m["y2"])
        if "and" in sep and prev != "between" or y2 <= y:
            f = _Found(m.start(), m.end("y"), str(y), "year", mod=_mod(m["mod"]),
                       point=_Point("year", date(y, 1, 1)))
            return f
        end = f"{y2:04d}"
    p = _Point("year", date(y, 1, 1))
    return _Found(m.start(), m.end(), _value(p), "year", mod=_mod(m["mod"]), end_value=end, point=p, explicit=True)


_POSSESSIVES = frozenset("his her their my your our its one's".split())
# "the 1960s and 70s": a short decade coordinated with a full one
_DECADE_LIST_BEFORE = re.compile(r"\b(?:1[5-9]|20)\d0['’]?s,?\s+(?:and|or|to|through)\s+$")


@_rule("decade",
       rf"(?:(?P<the0>[Tt]he)\s+(?=(?:[Ee]arly|[Ll]ate|[Mm]id)[\s-]))?"
       rf"{MODPFX}(?:(?P<the>[Tt]he)\s+)?(?:(?P<c>1[0-9]|20)(?P<d>\d)0['’]?s\b|(?P<ap>['’])?(?P<d2>\d)0['’]?s\b"
       rf"|(?P<w>{_alt(list(_DECADE_WORDS))})\b)")
def _decade(m: re.Match, ctx: _Ctx) -> _Found | None:
    if m["c"]:
        cent = int(m["c"])
        dec = int(m["d"])
    else:
        the = m["the"] or m["the0"]
        listed = _DECADE_LIST_BEFORE.search(ctx.text, max(0, m.start() - 16), m.start())
        if not (the or m["ap"] or m["mod"] or listed):
            return None
        if ctx.prev_word(m.start()) in _POSSESSIVES:
            return None  # an age: "his mid-20s", "their late thirties"
        dec = int(m["d2"]) if m["d2"] is not None else _DECADE_WORDS[m["w"].lower()]
        if m["w"] and not the:
            return None
        cent = 19
        if dec <= 2 and ctx.dct is not None and ctx.dct.year >= 2000 + 10 * dec + 5:
            cent = 20
    p = _Point("decade", date(cent * 100 + dec * 10, 1, 1))
    return _Found(m.start(), m.end(), _value(p), "decade", mod=_mod(m["mod"]), point=p)


@_rule("century",
       r"(?:(?P<mod>[Ee]arly|[Ll]ate|[Mm]id)(?:\s+|-))?(?:[Tt]he\s+)?(?P<n>\d{1,2}(?:st|nd|rd|th)|"
       + _alt([k for k in _ORDINALS if not k[0].isdigit() and k not in ("final", "last")])
       + r")[\s-]century\b", _I)
def _century(m: re.Match, ctx: _Ctx) -> _Found | None:
    n = m["n"].lower()
    k = int(re.match(r"\d+", n).group()) if n[0].isdigit() else _ORDINALS.get(n)
    if not k or k > 21:
        return None
    p = _Point("century", date(max(1, (k - 1) * 100), 1, 1))
    return _Found(m.start(), m.end(), f"{k - 1:02d}", "century", mod=_mod(m["mod"]), point=p)


@_rule("season",
       rf"(?:(?P<the0>[Tt]he)\s+)?{MODPFX}(?:(?P<rel>[Tt]his|[Ll]ast|[Nn]ext|[Pp]ast|[Cc]oming|[Ee]ach|[Ee]very|[Tt]he)\s+)?"
       rf"(?P<s>[Ss]pring|[Ss]ummer|[Ff]all|[Aa]utumn|[Ww]inter)\b"
       rf"(?:\s+(?:of\s+)?(?P<y>{YEAR4})|\s+of\s+(?P<yrel>this|last|next)\s+year\b)?")
def _season(m: re.Match, ctx: _Ctx) -> _Found | None:
    code = _SEASONS[m["s"].lower()]
    rel = (m["rel"] or ("the" if m["the0"] else "")).lower()
    mod = _mod(m["mod"])
    if rel in ("each", "every"):
        return _Found(m.start(), m.end(), f"XXXX-{code}", "season", type="SET")
    if m["y"]:
        y = int(m["y"])
        p = _Point("season", date(y, _SEASON_MONTH[code], 1), code)
        return _Found(m.start(), m.end(), _value(p), "season", mod=mod, point=p)
    if m["yrel"]:
        # "the spring of next year": that year's season, counted from the publication date
        if ctx.dct is None:
            return _Found(m.start(), m.end(), None, "season", mod=mod)
        y = ctx.dct.year + {"this": 0, "last": -1, "next": 1}[m["yrel"]]
        p = _Point("season", date(y, _SEASON_MONTH[code], 1), code)
        return _Found(m.start(), m.end(), _value(p), "season", anchor=ctx.dct_str, anchor_source="published",
                      mod=mod, point=p)
    if rel in ("", "the"):
        prev = ctx.prev_word(m.start())
        if m["s"].lower() == "fall" or prev not in ("in", "during", "over", "since", "until", "by", "this", "early",
                                                    "late", "through", "for", "into", "of"):
            return None
        if rel == "the" and ctx.text[m.end():m.end() + 3] == " of":
            return None
    if ctx.dct is None:
        return _Found(m.start(), m.end(), None, "season", mod=mod)
    # seasons numbered y*4 + k (spring, summer, fall, winter); a winter belongs to the year it begins in
    order = ["SP", "SU", "FA", "WI"]
    mo = ctx.dct.month
    cur = (ctx.dct.year - (1 if mo <= 2 else 0)) * 4 + (3 if mo in (12, 1, 2) else (mo - 3) // 3)
    k = order.index(code)
    this = (cur // 4) * 4 + k
    if rel in ("last", "past"):
        idx = this if this < cur else this - 4
    elif rel in ("next", "coming"):
        idx = this if this > cur else this + 4
    elif rel == "this":
        # "this summer" in February is the coming one; "this winter" the one under way
        idx = this + 4 if mo <= 2 and code != "WI" else this
    elif ctx.future(m.start(), m.end()):
        idx = this if this >= cur else this + 4
    else:
        idx = this if this <= cur else this - 4
    y = idx // 4
    p = _Point("season", date(y, _SEASON_MONTH[code], 1), code)
    return _Found(m.start(), m.end(), _value(p), "season", anchor=ctx.dct_str, anchor_source="published",
                  mod=mod, point=p)


@_rule("quarter",
       r"(?:(?P<the>the)\s+|(?P<pre>this|last|next)\s+year's\s+)?(?:fiscal[\s-]+)?(?:(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th|final)[\s-]+(?:fiscal[\s-]+)?"
       r"(?P<qh>quarter|half)|(?P<q>Q[1-4]))\b(?!-(?!end))(?:\s+(?:of\s+)?(?:(?:fiscal|the)\s+)?"
       rf"(?P<y>{YEAR4}|(?P<rel>this|last|next|the\s+(?:year|current\s+year|previous\s+year))(?:\s*year)?))?",
       _I)
def _quarter(m: re.Match, ctx: _Ctx) -> _Found | None:
    if m["q"]:
        n = int(m["q"][1])
        kind = "quarter"
        if not m["y"] and m["q"][0] != "Q":
            return None
    else:
        n = _ORDINALS[m["ord"].lower()]
        kind = m["qh"].lower()
    if kind == "half":
        if n > 2 or not (m["y"] or "-" in m.group(0)):
            return None
    a = s = None
    if m["y"] and m["y"][0].isdigit():
        y = int(m["y"])
    else:
        rel = (m["rel"] or "").lower()
        pre = (m["pre"] or "").lower()
        if ctx.dct is None:
            if ctx.ref is None:
                return _Found(m.start(), m.end(), None, kind)
            y, a, s = ctx.ref.day.year, _value(ctx.ref), "text"
        else:
            y, a, s = ctx.dct.year, ctx.dct_str, "published"
            if rel.startswith("last") or "previous" in rel:
                y -= 1
            elif rel.startswith("next"):
                y += 1
            elif pre:
                y += {"last": -1, "next": 1}.get(pre, 0)
            elif not rel and ctx.year_ref is not None and ctx.year_pos > m.start() - 40:
                y = ctx.year_ref.day.year  # "in 1988, ... the fourth quarter" (same passage)
            elif (not rel or rel == "the year") and n > (ctx.dct.month - 1) // (3 if kind == "quarter" else 6) + 1 \
                    and not ctx.future(m.start(), m.end()):
                y -= 1  # "the fourth quarter" reported in January is last year's, "of the year" too, and so
                # is "the second half of the year"
    month = (n - 1) * (3 if kind == "quarter" else 6) + 1
    p = _Point(kind, date(y, month, 1))
    return _Found(m.start(), m.end(), _value(p), kind, anchor=a, anchor_source=s, point=p)


_ENDED_ON = re.compile(rf"\s+(?:ended|ending)\s+(?P<mon>{MONTH})\s*(?P<d>{DAYNUM})(?:,?\s+(?P<y>{YEAR4}))?")


@_rule("quarter_ref",
       r"\b(?P<w>(?:the|this|last|next|that|its|their)\s+(?:(?:latest|current|most\s+recent|recent|previous|past|"
       r"same|comparable|fiscal|just-ended|just\s+ended)\s+)?(?:quarter|three\s+months)"
       r"|the\s+(?:latest|most\s+recent|comparable|same)\s+period)\b(?!-)", _I, priority=-1)
def _quarter_ref(m: re.Match, ctx: _Ctx) -> _Found | None:
    w = re.sub(r"\s+", " ", m["w"].lower())
    if "three months" in w and not any(k in w for k in ("latest", "recent", "current")):
        return None
    ended = _ENDED_ON.match(ctx.text, m.end())
    if ended and w.endswith("quarter") and ctx.quarter_ref is None:
        # "the quarter ended July 31": the calendar quarter holding most of the three months (a fiscal
        # quarter named earlier in the text, "its first quarter", keeps its own number)
        mo = _MONTHS[ended["mon"].rstrip(".").lower()]
        d = int(re.match(r"\d+", ended["d"]).group())
        y, a, s = (int(ended["y"]), None, None) if ended["y"] else _closest_year(ctx, mo, d, m.start(), m.end())
        last = _date_or_none(y, mo, d) if y is not None else None
        if last is not None:
            p = _truncate(_Point("day", last - timedelta(days=45)), "quarter")
            return _Found(m.start(), m.end(), _value(p), "quarter", anchor=a, anchor_source=s, point=p)
    if ctx.dct is None and ctx.quarter_ref is None:
        return _Found(m.start(), m.end(), None, "quarter")
    if w.startswith("last") or "previous" in w or "past" in w:
        base = _truncate(_Point("day", ctx.dct), "quarter") if ctx.dct else ctx.quarter_ref
        p = _shift(base, -1, "quarter")
        a, s = (ctx.dct_str, "published") if ctx.dct else (_value(ctx.quarter_ref), "text")
    elif w.startswith("next"):
        base = _truncate(_Point("day", ctx.dct), "quarter") if ctx.dct else ctx.quarter_ref
        p = _shift(base, 1, "quarter")
        a, s = (ctx.dct_str, "published") if ctx.dct else (_value(ctx.quarter_ref), "text")
    elif "current" in w and ctx.dct:
        p = _truncate(_Point("day", ctx.dct), "quarter")
        a, s = ctx.dct_str, "published"
    elif ctx.quarter_ref is not None:
        p = ctx.quarter_ref
        a, s = _value(p), "text"
    elif w.endswith("same period"):
        # "has surged in the same period" with no quarter named before: the period of some other
        # span of the text ("the past three weeks"), not a quarter
        return _Found(m.start(), m.end(), None, "quarter")
    elif ctx.dct is not None:
        # financial news reports on the quarter that just ended
        p = _shift(_truncate(_Point("day", ctx.dct), "quarter"), -1, "quarter")
        a, s = ctx.dct_str, "published"
    else:
        return _Found(m.start(), m.end(), None, "quarter")
    return _Found(m.start(), m.end(), _value(p), "quarter", anchor=a, anchor_source=s, point=p)


@_rule("year_earlier",
       r"\b(?:(?P<the>the|a|its|their)\s+)?(?:(?:comparable|corresponding|same)\s+)?(?P<adj>[Yy]ear-(?:earlier|ago))"
       r"(?:\s+(?:(?P<ord>first|second|third|fourth)[\s-]+)?(?P<n>quarter|period|level|month|"
       r"results|figure|figures|loss|profit|net|earnings|sales|revenue|levels?))?\b", _I)
def _year_earlier(m: re.Match, ctx: _Ctx) -> _Found | None:
    n = (m["n"] or "").lower()
    start, end = m.start(), m.end()
    if n not in ("quarter", "period", "level", "month"):
        start, end = m.start("adj"), m.end("adj")  # "year-earlier profit": only the adjective
    elif m["ord"]:
        return _reporting_quarter(ctx, start, end, None, _ORDINALS[m["ord"].lower()], -1)
    f = _anaphoric_shift(ctx, start, end, -1, "year", prefer_quarter=True)
    f.is_ref = False
    return f


def _reporting_quarter(ctx: _Ctx, start: int, end: int, year: int | None, n: int | None, shift: int) -> _Found:
    """A quarter of financial reporting: its number from the text, the last quarter named, or the DCT.

    ``year`` is explicit ("the 1988 quarter") or None, then the reporting year
    (the last quarter named, else the DCT) moved by ``shift`` years.
    """
    base = ctx.quarter_ref
    a = s = None
    if base is not None:
        a, s = _value(base), "text"
    elif ctx.dct is not None:
        base = _shift(_truncate(_Point("day", ctx.dct), "quarter"), -1, "quarter")
        a, s = ctx.dct_str, "published"
    used_base = n is None or year is None
    if used_base and base is None:
        return _Found(start, end, None, "quarter")
    if n is None:
        n = (base.day.month - 1) // 3 + 1
    if year is None:
        year = base.day.year + shift
    if not used_base:
        a = s = None
    p = _Point("quarter", date(year, 3 * n - 2, 1))
    return _Found(start, end, _value(p), "quarter", anchor=a, anchor_source=s, point=p, is_ref=False)


@_rule("period_year",
       rf"\b(?:[Tt]he\s+)?(?P<y>{YEAR_PLAUSIBLE})\s+(?:(?P<ord>first|second|third|fourth)[\s-]+)?(?:fiscal\s+)?"
       r"(?:quarter|period)\b(?!-)"
       r"|\b(?:[Tt]he\s+)?(?:comparable|corresponding|same)\s+(?:period|quarter)\s+"
       rf"(?:last\s+year|a\s+year\s+(?:ago|earlier)|(?:of|in)\s+(?P<y2>{YEAR_PLAUSIBLE}))"
       r"|\b[Ll]ast\s+year's\s+(?:(?P<ord3>first|second|third|fourth)[\s-]+)?(?:quarter|period)\b(?!-)")
def _period_year(m: re.Match, ctx: _Ctx) -> _Found | None:
    """Financial reporting periods tied to a year: "the 1988 quarter", "the same period last year".

    Notes:
        A reporting period named without its number is the quarter under
        discussion (the last one named, as in HeidelTime's financial
        anaphora); "last year" and "a year ago" shift it back one year.
    """
    ordinal = m["ord"] or m["ord3"]
    n = _ORDINALS[ordinal.lower()] if ordinal else None
    explicit = m["y"] or m["y2"]
    return _reporting_quarter(ctx, m.start(), m.end(), int(explicit) if explicit else None, n, -1)


def _anaphoric_shift(ctx: _Ctx, start: int, end: int, n: float | None, unit: str,
                     prefer_quarter: bool = False, deictic: bool = False) -> _Found:
    """Resolve "N units earlier/later/ago" against the right anchor."""
    ugran = {"week": "week", "weekend": "week", "fortnight": "week"}.get(unit, unit)
    if unit == "fortnight":
        unit, n = "week", (2 * n if n is not None else None)
    if n is None or n != int(n):
        return _Found(start, end, None, ugran, anchor=None)
    n = int(n)
    base: _Point | None
    if deictic:
        base, a, s = ctx.deictic()
        gran = ugran
    else:
        base, a, s = None, None, None
        if prefer_quarter and ctx.quarter_ref is not None and ctx.quarter_pos > start - 400:
            base, a, s = ctx.quarter_ref, _value(ctx.quarter_ref), "text"
        elif ctx.ref is not None:
            base, a, s = ctx.ref, _value(ctx.ref), "text"
        else:
            base, a, s = ctx.deictic()
        if base is None:
            return _Found(start, end, None, ugran)
        gran = base.gran if s == "text" and _GRAN_RANK.get(base.gran, 9) <= _GRAN_RANK.get(ugran, 9) else ugran
        if unit in ("year", "decade", "century") and base.gran in ("day", "time", "week"):
            gran = ugran  # "a little more than a year later" names a year, not a day a year on
        elif (unit in ("decade", "century") or unit == "year" and abs(n) > 1) and base.gran in ("month", "season"):
            gran = "year"  # "nearly a decade earlier" than a winter, "30 years before" a spring: a year
        if gran == "time":
            gran = "day"
        if s == "text" and _GRAN_RANK.get(base.gran, 9) > _GRAN_RANK.get(ugran, 9):
            return _Found(start, end, None, ugran)  # "three days later" after "in 2019": unknowable
    if base is None:
        return _Found(start, end, None, ugran)
    try:
        p = _shift(_truncate(base, gran) if gran != base.gran else base, n, unit)
        p = _truncate(p, gran) if gran not in ("season",) else p
    except (OverflowError, ValueError):
        return _Found(start, end, None, ugran)
    return _Found(start, end, _value(p), gran, anchor=a, anchor_source=s, point=p)


# What follows "N units on" when it means "later": a pause or a new clause.
_ON_CLAUSE = re.compile(r"\s*(?:[,.;:!?)\"']|$)|\s+(?:and|but|when|he|she|they|it|we|I)\b")


@_rule("ago",
       rf"\b(?:(?P<q>nearly|almost|about|some|more\s+than|less\s+than|just|only|roughly|approximately|over)\s+)?"
       rf"(?P<num>{NUM})(?:\s+(?:or|to)\s+(?P<num2>{NUM}))?[\s-]+(?P<unit>{UNIT})s?\s+(?P<so>or\s+so\s+)?(?P<dir>ago|earlier|later|before|after|from\s+now|hence|"
       r"on|back)\b(?P<tail>(?=\s*[,.;:!?)\"']|\s+(?:and|but|when|that|in|on|at|as|the|he|she|they|it|we|I)\b))?",
       _I)
def _ago(m: re.Match, ctx: _Ctx) -> _Found | None:
    """Offsets from a time: "three days ago", "a year earlier", "two days after," (anaphoric).

    Notes:
        TimeML 1.2.1 (TIMEX3 extents): in "five years after the uprising" or
        "two weeks from June 7" the offset is anchored on an event or on
        another TIMEX3, so only "five years" is a TIMEX3 (a DURATION, left to
        the duration rule) and the computed date is a non-consuming TIMEX3
        (see :func:`implied_dates`). "Before"/"after" make a date here only
        when nothing follows them ("Two days after, he left").
    """
    d = re.sub(r"\s+", " ", m["dir"].lower())
    if d in ("before", "after") and not re.match(r"\s*(?:[,.;:!?)\"']|$)", ctx.text[m.end():m.end() + 2]):
        return None  # "two days before the vote", "five years after 2019": a duration and an anchor
    if d in ("on", "back") and (m["tail"] is None or d == "on" and not _ON_CLAUSE.match(ctx.text, m.end())):
        return None  # "two days on, the talks resumed", but not "an hour on the carpet"
    if d == "back" and ctx.dct is None:
        return None
    unit = m["unit"].lower().replace("centurie", "century").replace("night", "day")
    n = _num(m["num2"] or m["num"])  # "five or six weeks ago": the farther, as the writer hedges outward
    sign = -1 if d in ("ago", "earlier", "before", "back") else 1
    deictic = d in ("ago", "from now", "hence", "back")
    nn = None if n is None else sign * n
    if unit == "weekend":
        unit = "week"
    if unit in ("second", "minute", "hour"):
        return None  # "an hour later": no clock to count from; TimeBank tags the duration ("an hour")
    if d == "on" and ctx.ref is None:
        # "Seven decades on, it is remarkable ...": counted from an event the text names in words; with
        # no date in the text before it, the anchor is unknown (never the publication date)
        return _Found(m.start(), m.end(), None, "week" if unit == "weekend" else unit)
    quarterly = unit == "year" and n == 1 and ctx.quarter_ref is not None and ctx.quarter_pos > m.start() - 400
    f = _anaphoric_shift(ctx, m.start(), m.end(), nn, unit, prefer_quarter=unit == "year" and n == 1,
                         deictic=deictic and not quarterly)
    if sign < 0 and unit == "year":
        f.is_ref = False  # "a year earlier" compares; the story stays in the present period
    if _later_than_now(f, ctx, sign, unit, deictic):
        # "as Kennedy would do ten years later", "told no one until 30 years later" after "Today" or
        # "this year": "later" moves on from a past the text tells, not from the writer's present
        return _Found(f.start, f.end, None, f.gran)
    if f.value is None and n is None and ctx.dct is not None:
        f.value = "PAST_REF" if sign < 0 else "FUTURE_REF"
    f.mod = _quant_mod(m["q"]) or ("APPROX" if m["so"] or m["num2"] else None)
    return f


def _later_than_now(f: _Found, ctx: _Ctx, sign: int, unit: str, deictic: bool) -> bool:
    """Whether ``f``, a shift of years "later" counted from the writer's own year (the publication
    date, or a date in its year such as "today" or "this year"), lands after that year: news tells
    the future as "in ten years" or "ten years from now", never "ten years later"."""
    if sign < 0 or deictic or unit not in ("year", "decade", "century") or f.point is None or ctx.dct is None \
            or not (f.anchor or "")[:4].isdigit():
        return False
    return int(f.anchor[:4]) == ctx.dct.year and f.point.day.year > ctx.dct.year


# Prepositions that make "the next year" a stretch ahead of the writer, in a clause that is not past.
_SPAN_AHEAD = frozenset({"over", "within", "during", "throughout", "in", "for"})


@_rule("relunit",
       rf"{MODPFX}(?:(?P<el>earlier|later)\s+(?:in\s+)?)?(?P<rel>last|this|next|upcoming|coming|past|previous|current|"
       r"the\s+past|the\s+coming|the\s+current|the\s+previous|the\s+following|the\s+next|the\s+preceding|"
       r"the\s+same|that|the\s+prior|prior|the)\s+(?:fiscal\s+)?(?P<unit>week|weekend|month|year|quarter|decade|century|day)\b"
       r"(?!-| or (?:two|so)\b)", _I)
def _relunit(m: re.Match, ctx: _Ctx) -> _Found | None:
    rel = re.sub(r"\s+", " ", m["rel"].lower())
    unit = m["unit"].lower()
    mod = _mod(m["mod"])
    if m["unit"][0].isupper() and not m["unit"].isupper():
        return None  # "This Week" in the middle of a sentence: a programme or a title
    if rel == "the":
        # "the end of the month", "earlier in the year": the current one
        if not (m["mod"] or m["el"]) or unit in ("day", "weekend"):
            return None
        rel = "this"
    if rel in ("the past", "last") and unit in ("decade", "century") or rel == "the past" and unit in ("month", "week"):
        n = 10 if unit == "decade" else 100 if unit == "century" else 1
        code = "Y" if unit in ("decade", "century") else _UNIT[unit]
        return _Found(m.start(), m.end(), f"P{n}{code}", "duration", type="DURATION")
    if unit == "day" and rel in ("this", "current", "last", "past", "previous", "coming", "next", "prior"):
        if rel in ("last", "past") and ctx.text[m.end():m.end() + 1] == " " and re.match(r"\s+(?:or|and)\b", ctx.text[m.end():]):
            return None
        if rel not in ("next", "previous", "prior"):
            return None  # "this day", "last day": not a day reference
    anaphoric = rel in ("the following", "the next", "the previous", "the preceding", "the same", "that", "the prior")
    if (rel == "the next" and unit in ("week", "month", "quarter", "year", "decade", "century")
            and ctx.prev_word(m.start()) in _SPAN_AHEAD
            and ctx.tense(m.start(), m.end()) != "past"):
        anaphoric = False  # "10,000 are expected over the next year": the one after publication
        rel = "next"
    step = {"last": -1, "past": -1, "previous": -1, "the past": -1, "the previous": -1, "the preceding": -1,
            "prior": -1, "the prior": -1, "next": 1, "coming": 1, "upcoming": 1, "the coming": 1, "the following": 1,
            "the next": 1}.get(rel, 0)
    gran = "week" if unit == "weekend" else unit
    base, a, s = (ctx.anaphoric() if anaphoric else ctx.deictic())
    if rel == "the coming" and unit in ("week", "weekend", "month", "year"):
        # "for the coming weekend": the next one after publication (a weekend still ahead this week)
        rel = "coming"
        step = 0 if unit == "weekend" and base is not None and base.day.weekday() < 5 else 1
    elif rel in ("the coming", "the next") and unit != "day" and not (anaphoric and s == "text"):
        return None
    if base is None:
        return _Found(m.start(), m.end(), None, gran, mod=mod)
    if s == "text" and _GRAN_RANK.get(base.gran, 9) > _GRAN_RANK[gran]:
        return _Found(m.start(), m.end(), None, gran, mod=mod)
    try:
        if unit == "weekend":
            wk = _truncate(base, "week")
            if step == 0 and not ctx.future(m.start(), m.end()) and base.day.weekday() < 5 and rel in ("that", "the same"):
                step = 0
            p = _Point("week", _shift(wk, step, "week").day, "WE")
        else:
            p = _shift(_truncate(base, gran), step, gran)
    except (OverflowError, ValueError):
        return _Found(m.start(), m.end(), None, gran, mod=mod)
    return _Found(m.start(), m.end(), _value(p), gran, anchor=a, anchor_source=s, mod=mod, point=p)


@_rule("fiscal_year",
       r"(?:(?<=\bfor\s)|(?<=\bin\s)|(?<=\bduring\s)|(?<=\bthroughout\s)|(?<=\bover\s)|(?<=\bof\s))"
       r"(?P<w>the\s+(?:(?:full|fiscal|latest|current|latest\s+fiscal|current\s+fiscal|full\s+fiscal)\s+)?year)\b"
       r"(?![\s-]*(?:ago|earlier|later|before|after|or|and|of(?!\s+[$\d])|that|which|when|in\s+which|two|nineteen)\b|-)"
       r"|\b(?P<ye>(?:the\s+)?year[\s-]end)\b", _I, priority=-2)
def _fiscal_year(m: re.Match, ctx: _Ctx) -> _Found | None:
    """Financial reporting: "for the year", "the fiscal year", "by year-end" (the reporting year).

    Notes:
        TimeBank's reading of news about company results: "the year" after
        "for", "in", "during" or "<part> of" ("the first nine months of the
        year") is the reporting year, the DCT's unless a quarter of another
        year is under discussion.
    """
    if m["w"] and ctx.text[max(0, m.start() - 3):m.start()].lower() == "of ":
        before = ctx.text[max(0, m.start() - 40):m.start() - 3]
        if not _PART_OF.search(before):
            return None  # "the man of the year"
    if ctx.dct is None:
        if m["ye"] or ctx.quarter_ref is None:
            return _Found(m.start("w") if m["w"] else m.start(), m.end(), None, "day" if m["ye"] else "year")
    y = ctx.dct.year if ctx.dct is not None else ctx.quarter_ref.day.year
    if m["ye"]:
        if ctx.prev_word(m.start()) == "since":
            y -= 1
        p = _Point("day", date(y, 12, 31))
        return _Found(m.start(), m.end(), _value(p), "day", anchor=ctx.dct_str, anchor_source="published", point=p)
    if re.match(r"\s+(?:ended|ending)\b", ctx.text[m.end():]):
        return _Found(m.start("w"), m.end(), "P1Y", "duration", type="DURATION")
    a, s = ctx.dct_str, "published"
    if ctx.quarter_ref is not None:
        y = ctx.quarter_ref.day.year
        if ctx.dct is None:
            a, s = _value(ctx.quarter_ref), "text"
    p = _Point("year", date(y, 1, 1))
    return _Found(m.start("w"), m.end(), _value(p), "year", anchor=a, anchor_source=s, point=p, is_ref=False)


_PART_OF = re.compile(r"\b(?:months|weeks|days|half|quarter|quarters|part|rest|remainder|balance|end|start|"
                      r"beginning|middle|course|high|low|peak|bulk)\s+$", _I)


@_rule("weekend", r"\b(?:the|this|last|next|that)(?:\s+past)?\s+weekend\b", _I, priority=-1)
def _weekend(m: re.Match, ctx: _Ctx) -> _Found | None:
    words = m.group(0).lower().split()
    w = "last" if "past" in words else words[0]  # "this past weekend" is the last one
    if ctx.dct is None:
        return _Found(m.start(), m.end(), None, "week")
    base = _truncate(_Point("day", ctx.dct), "week")
    wd = ctx.dct.weekday()
    if w == "last" or (w in ("the", "that") and wd < 5 and not ctx.future(m.start(), m.end())):
        base = _shift(base, -1, "week")
    elif w == "next" or (w == "the" and wd >= 5 and ctx.future(m.start(), m.end())):
        base = _shift(base, 1 if wd >= 5 else 0, "week")
    p = _Point("week", base.day, "WE")
    return _Found(m.start(), m.end(), _value(p), "week", anchor=ctx.dct_str, anchor_source="published")


@_rule("relday",
       r"\b(?:(?P<el>earlier|later|late|early)\s+(?:in\s+)?)?(?:the\s+(?P<rel>next|following|previous|preceding|same|prior)\s+"
       r"(?P<u>day|morning|afternoon|evening|night)|the\s+(?P<bu>day|week|month|year)\s+(?P<ba>before|after)"
       r"(?:\s+(?P<yt>yesterday|tomorrow))?"
       r"|that\s+(?P<u2>day|morning|afternoon|evening|night)|(?:that\s+)?same\s+(?P<u3>day|morning|afternoon|evening|night))\b",
       _I)
def _relday(m: re.Match, ctx: _Ctx) -> _Found | None:
    if m["yt"]:
        if m["bu"].lower() != "day":
            return None
        if ctx.dct is None:
            return _Found(m.start(), m.end(), None, "day")
        p = _Point("day", ctx.dct + timedelta(days=-2 if m["yt"].lower() == "yesterday" else 2))
        return _Found(m.start(), m.end(), _value(p), "day", anchor=ctx.dct_str, anchor_source="published", point=p)
    if m["ba"]:
        after = ctx.text[m.end():m.end() + 3]
        if not re.match(r"\s*[,.;:!?)]", after):
            return None  # "the day before the vote": anchored on an event
        step = -1 if m["ba"].lower() == "before" else 1
        unit = m["bu"].lower()
        if unit != "day":  # "The year before, ...": one unit from the date last mentioned
            base, a, s = ctx.anaphoric()
            if base is None or _GRAN_RANK.get(base.gran, 99) > _GRAN_RANK[unit]:
                return _Found(m.start(), m.end(), None, unit)
            p = _shift(_truncate(base, unit), step, unit)
            return _Found(m.start(), m.end(), _value(p), unit, anchor=a, anchor_source=s, point=p, is_ref=False)
    else:
        rel = (m["rel"] or "same").lower()
        step = {"next": 1, "following": 1, "previous": -1, "preceding": -1, "prior": -1}.get(rel, 0)
        unit = (m["u"] or m["u2"] or m["u3"]).lower()
    base, a, s = ctx.anaphoric()
    if base is None or base.gran not in ("day", "time"):
        return _Found(m.start(), m.end(), None, "day")
    p = _Point("day", base.day + timedelta(days=step))
    if unit != "day":
        t = _Point("time", p.day, "T" + _PART_OF_DAY[unit])
        return _Found(m.start(), m.end(), _value(t).replace("TT", "T"), "time", type="TIME", anchor=a,
                      anchor_source=s, point=p)
    return _Found(m.start(), m.end(), _value(p), "day", anchor=a, anchor_source=s, point=p)


_GENERIC_TODAY = re.compile(r"['’]s\s+(?:youth|world|society|generation|children|kids|young|teenagers|"
                            r"economy|standards|technology|computers|personal|people|modern|global|culture|"
                            r"politics|media|market|markets|fast|digital)\b", _I)


@_rule("deictic",
       r"\b(?:(?P<el>earlier|later|late|early|mid-?|since|until)\s*)?(?P<w>yesterday|today|tomorrow|tonight|overnight)"
       r"(?:\s+(?P<pod>morning|afternoon|evening|night))?\b|\b(?P<ln>last\s+night|this\s+(?:morning|afternoon|evening))\b"
       r"|\b(?P<pod2>morning|afternoon|evening|night)\s+(?P<w2>yesterday|today)\b", _I)
def _deictic(m: re.Match, ctx: _Ctx) -> _Found | None:
    el = (m["el"] or "").lower()
    span_start = m.start() if el not in ("since", "until") else m.start("w")
    if el.startswith("mid"):
        el = ""
    if m["ln"]:
        words = m["ln"].lower().split()
        offset = -1 if words[0] == "last" else 0
        pod = "NI" if words[0] == "last" else _PART_OF_DAY[words[1]]
    else:
        w = (m["w"] or m["w2"]).lower()
        if w == "overnight":
            return None
        if _GENERIC_TODAY.match(ctx.text, m.end()) or w == "tomorrow" and ctx.prev_word(m.start()) == "of":
            return None  # "today's youth", "the people of tomorrow": not a day
        offset = {"yesterday": -1, "today": 0, "tomorrow": 1, "tonight": 0}[w]
        p_word = (m["pod"] or m["pod2"] or "").lower()
        pod = _PART_OF_DAY[p_word] if p_word else ("NI" if w == "tonight" else "")
    if ctx.dct is None:
        return _Found(span_start, m.end(), None, "time" if pod else "day", type="TIME" if pod else "DATE")
    day = ctx.dct + timedelta(days=offset)
    p = _Point("day", day)
    if pod:
        return _Found(span_start, m.end(), f"{_value(p)}T{pod}", "time", type="TIME", anchor=ctx.dct_str,
                      anchor_source="published", point=p)
    return _Found(span_start, m.end(), _value(p), "day", anchor=ctx.dct_str, anchor_source="published", point=p)


@_rule("nth_weekday",
       rf"\b(?:[Tt]he\s+)?(?P<n>[Ff]irst|[Ss]econd|[Tt]hird|[Ff]ourth|[Ff]ifth|[Ll]ast|1st|2nd|3rd|4th|5th)\s+"
       rf"(?P<wd>{WEEKDAY})\s+(?:of|in)\s+(?P<mon>{MONTH})(?:,?\s+(?P<y>{YEAR4}))?")
def _nth_weekday(m: re.Match, ctx: _Ctx) -> _Found | None:
    """ "the third Thursday of September", "the last Friday in May 2021": one day of that month."""
    month = _MONTHS[m["mon"].lower().rstrip(".")]
    wd = _WEEKDAYS[m["wd"].lower()]
    if m["y"]:
        y, a, s = int(m["y"]), None, None
    else:
        y, a, s = _closest_year(ctx, month, None, m.start(), m.end())
        if y is None:
            return _Found(m.start(), m.end(), None, "day")
    first = date(y, month, 1)
    if m["n"].lower() == "last":
        last = date(y, month, calendar.monthrange(y, month)[1])
        day = last - timedelta(days=(last.weekday() - wd) % 7)
    else:
        day = first + timedelta(days=(wd - first.weekday()) % 7 + 7 * (_ORDINALS[m["n"].lower()] - 1))
        if day.month != month:
            return _Found(m.start(), m.end(), None, "day")  # "the fifth Monday of February" when it has none
    p = _Point("day", day)
    return _Found(m.start(), m.end(), _value(p), "day", anchor=a, anchor_source=s, point=p, explicit=bool(m["y"]))


# "ahead of" before a day that names an event: "ahead of Tuesday's primary".
_AHEAD_OF = re.compile(r"\b(?:ahead\s+of|in\s+advance\s+of|before)\s+$", _I)


def _event_ahead(ctx: _Ctx, start: int) -> bool:
    """Whether the event a day names ("Tuesday's primary") is put ahead of the clause's time, in a clause
    that is not past: "as he barnstorms there ahead of Tuesday's primary", but not "ahead of Friday's
    meeting, France and Germany unveiled a proposal"."""
    lead = _AHEAD_OF.search(ctx.text, max(0, start - 24), start)
    return lead is not None and not (ctx.parse is not None and clause_tense(ctx.parse, lead.start(), lead.end()) == "past")


# A day named as a deadline: "the Sunday deadline", "Friday's deadline".
_DEADLINE_AFTER = re.compile(r"(?:['’]s)?\s+(?:filing\s+|reporting\s+)?(?P<noun>deadline)\b", _I)


@_rule("weekday",
       rf"(?:\b(?P<rel>[Ll]ast|[Nn]ext|[Tt]his|[Pp]ast|[Cc]oming|[Ee]arly|[Ll]ate|[Ee]arlier|[Ll]ater|[Ee]ach|[Ee]very(?:\s+other)?|"
       r"[Tt]he\s+(?:following|next|previous|preceding|prior))\s+)?"
       rf"(?P<wd>{WEEKDAY[:-2]})(?:(?P<pl>s)\b|\b(?:\s+(?P<pod>morning|afternoon|evening|night)(?P<podpl>s)?\b)?)")
def _weekday(m: re.Match, ctx: _Ctx) -> _Found | None:
    rel = re.sub(r"\s+", " ", (m["rel"] or "").lower())
    wd = _WEEKDAYS[m["wd"].lower()]
    if m["pl"] or m["podpl"] or rel in ("each", "every", "every other"):
        # "on Mondays", "Saturday evenings", "every Friday": a weekly set
        pod = f"T{_PART_OF_DAY[m['pod'].lower()]}" if m["pod"] else ""
        return _Found(m.start(), m.end(), f"XXXX-WXX-{wd + 1}{pod}", "day", type="SET")
    # "Earlier Friday": TimeBank keeps the adverb out of the extent
    start = m.start("wd") if rel in ("early", "late", "earlier", "later") else m.start()
    unresolved = _Found(start, m.end(), None, "time" if m["pod"] else "day", type="TIME" if m["pod"] else "DATE")
    if rel.startswith("the "):
        # "the following Monday", "the previous Friday": counted from the last day in the text
        base, a, s = ctx.anaphoric()
        if base is None or base.gran not in ("day", "time"):
            return unresolved
        rel = "next" if rel in ("the following", "the next") else "last"
    elif ctx.dct is None:
        if rel in ("", "early", "late", "earlier", "later") and ctx.ref is not None and ctx.ref.gran in ("day", "time") \
                and ctx.ref_pos > m.start() - 200:
            base, a, s = ctx.ref, _value(ctx.ref), "text"
        else:
            return unresolved
    else:
        base, a, s = _Point("day", ctx.dct), ctx.dct_str, "published"
    anchor_day = base.day
    diff = wd - anchor_day.weekday()
    if rel == "next":
        delta = diff if diff > 0 else diff + 7
    elif rel in ("last", "past"):
        delta = diff if diff < 0 else diff - 7
    elif rel == "coming":
        delta = diff if diff > 0 else diff + 7
    elif rel == "this":
        # "this Sunday" is the one of this week, unless the clause puts it on the other side of the anchor
        # ("waited until this Sunday to come forward", in a Friday's paper)
        tense = ctx.tense(m.start(), m.end()) if s == "published" and diff else None
        delta = diff - 7 if tense == "past" and diff > 0 else diff + 7 if tense == "future" and diff < 0 else diff
    elif (deadline := _DEADLINE_AFTER.match(ctx.text, m.end())) and s == "published" and ctx.parse is not None \
            and clause_tense(ctx.parse, *deadline.span("noun")) == "future":
        # "expected to report before the Sunday deadline that it raised ...": the deadline's own clause
        # looks ahead, whatever the tense around the weekday
        delta = diff if diff >= 0 else diff + 7
    elif ctx.future(m.start(), m.end()):
        delta = diff if diff >= 0 else diff + 7
        if s == "published" and (ctx.parse is not None and future_in_past(ctx.parse, m.start(), m.end())
                                 or not m["pod"] and ctx.text.startswith(("'s", "’s"), m.end())
                                 and not _event_ahead(ctx, m.start())):
            # "he was set to receive an endorsement on Friday": a plan told in the past, the nearer Friday;
            # "the outcome of Tuesday's summit won't be known for years": a day that names an event is not
            # in the clause's time, the nearer Tuesday
            delta = min((delta, delta - 7), key=abs)
    else:
        delta = diff if diff <= 0 else diff - 7
    p = _Point("day", anchor_day + timedelta(days=delta))
    if m["pod"]:
        return _Found(start, m.end(), f"{_value(p)}T{_PART_OF_DAY[m['pod'].lower()]}", "time", type="TIME",
                      anchor=a, anchor_source=s, point=p)
    return _Found(start, m.end(), _value(p), "day", anchor=a, anchor_source=s, point=p)


@_rule("clock",
       r"(?<![\d:.$])(?P<h>[01]?\d)(?:[:.](?P<mi>[0-5]\d))?\s*(?P<ap>[ap]\.\s?m\b\.?|[ap]m\b)"
       r"(?:\s+(?P<tz>(?-i:[A-Z]{1,3}T|GMT|UTC)\b))?|\b(?P<noon>noon|midnight)\b"
       r"|(?<![\d:.$])(?P<h24>[01]?\d|2[0-3]):(?P<m24>[0-5]\d)(?![\d:])(?:\s+(?P<tz2>(?-i:[A-Z]{1,3}T|GMT|UTC)\b))?"
       r"|\b(?P<hw>[01]?\d)\s+in\s+the\s+(?P<pw>morning|afternoon|evening)"
       rf"|\b(?P<hs>{_CLOCK_WORDS}|[01]?\d)(?:[\s-](?P<ms>{_CLOCK_MINUTES}))?\s*(?:(?P<oc>o['’]\s?clock)"
       r"|(?P<aps>[ap]\.\s?m\b\.?))(?:\s+(?:in\s+the\s+|this\s+)?(?P<ps>morning|afternoon|evening|at\s+night|tonight))?",
       _I)
def _clock(m: re.Match, ctx: _Ctx) -> _Found | None:
    if m["hs"]:
        if m["hs"][0].isdigit() and not m["oc"]:
            return None  # "8 p.m." is the first branch's
        hh = int(m["hs"]) if m["hs"][0].isdigit() else NUMBER_WORDS[m["hs"].lower()]
        # "ten-twenty-four p.m.", "nine oh five": the minutes are the sum of their words
        mm = sum(NUMBER_WORDS.get(w, 0) for w in re.split(r"[\s-]+", (m["ms"] or "").lower()))
        if not 1 <= hh <= 12:
            return None
        if m["aps"]:
            hh = (hh % 12) + (12 if m["aps"].lower().startswith("p") else 0)
        elif m["ps"] and m["ps"].lower() != "morning" and hh < 12:
            hh += 12  # "eight o'clock in the evening"
        return _clock_on_day(m, ctx, f"{hh:02d}:{mm:02d}")
    if m["noon"]:
        # TimeML writes midnight as the end of its day: "midnight Friday" is Friday T24:00
        hh, mm = (12, 0) if m["noon"].lower() == "noon" else (24, 0)
        if hh == 24 and re.match(r"\s*(?:-|–|to|until|till)\s*\d", ctx.text[m.end():m.end() + 12]):
            hh = 0  # "from midnight to 6 a.m.": the start of the day
        if m["noon"].lower() == "noon" and ctx.prev_word(m.start()) not in ("at", "by", "until", "before", "after", "till", "around", "about", "since", "from", "to"):
            return None
    elif m["h24"]:
        hh, mm = int(m["h24"]), int(m["m24"])
        if not (m["tz2"] or ctx.prev_word(m.start()) in ("at", "by", "until", "before", "after", "around", "about", "from", "since", "till")):
            return None  # a score or ratio
    elif m["hw"]:
        hh, mm = int(m["hw"]), 0
        if m["pw"].lower() != "morning" and hh < 12:
            hh += 12
        if hh > 23:
            return None
    else:
        hh, mm = int(m["h"]), int(m["mi"] or 0)
        if hh > 12 or hh == 0:
            return None
        pm = m["ap"].lower().startswith("p")
        hh = (hh % 12) + (12 if pm else 0)
    return _clock_on_day(m, ctx, f"{hh:02d}:{mm:02d}")


def _clock_on_day(m: re.Match, ctx: _Ctx, code: str) -> _Found:
    """A clock time on the last day mentioned nearby, else on the publication date.

    A clock time that opens a line is the heading of a live report's entry ("2:25 p.m.  The
    family spoke..."): it is on the publication date, whatever day the last entry named.
    """
    line_start = ctx.text.rfind("\n", 0, m.start()) + 1
    heading = ctx.dct is not None and not ctx.text[line_start:m.start()].strip(" \t_.-—–*#>")
    if not heading and ctx.ref is not None and ctx.ref.gran in ("day", "time") and ctx.ref_pos > m.start() - 150:
        day, a, s = ctx.ref.day, _value(ctx.ref), "text"
    elif ctx.dct is not None:
        day, a, s = ctx.dct, ctx.dct_str, "published"
    else:
        return _Found(m.start(), m.end(), None, "time", type="TIME")
    return _Found(m.start(), m.end(), f"{_value(_Point('day', day))}T{code}", "time", type="TIME", anchor=a,
                  anchor_source=s)


_HALF_UNIT = {"H": "30M", "D": "T12H", "M": "15D", "Y": "6M"}


@_rule("duration",
       r"\b(?:(?P<det>the|its|their|his|her|a|an|another|an\s+additional|the\s+last|the\s+past|the\s+next|"
       r"the\s+first|the\s+final|the\s+coming|the\s+previous|the\s+following|the\s+latest|the\s+full|the\s+entire|"
       r"the\s+remaining)\s+)?(?:(?P<adj>first|last|past|next|previous|coming|following|latest|recent|final|"
       r"initial|entire|full|whole|remaining|additional|over)\s+)?"
       r"(?:(?P<q>more\s+than|less\s+than|at\s+least|at\s+most|up\s+to|no\s+more\s+than|nearly|almost|about|"
       r"around|roughly|approximately|some|just|only)\s+)?"
       rf"(?P<num>{NUM})(?:\s+(?:or|to)\s+(?P<num2>{NUM}))?(?P<sep>[\s-]+)(?:(?:more|additional|full|straight|"
       rf"consecutive|long|trading|business|working|calendar|school)\s+)?(?P<unit>{UNIT})(?P<pl>s)?\b"
       r"(?P<long>-(?:long|old))?(?P<old>\s+old\b)?(?!-(?!long|old))", _I, priority=-2)
def _duration(m: re.Match, ctx: _Ctx) -> _Found | None:
    unit = m["unit"].lower()
    if unit == "centurie":
        unit = "century"
    num_text = m["num"].lower()
    n = _num(num_text)
    if n is not None and n >= 1000 and "," not in num_text:
        return None  # "the 1988 quarter" is a year; "6,300 hours" is an amount
    if num_text in ("a", "an") and (m["sep"].strip() == "-" or m["long"]):
        return None  # "a one-day-long": the article is no amount; "a day-long" is the vague rule's
    if m["num2"]:
        n = None  # "12 to 18 months": an unspecified amount
    # TimeBank extents: quantifiers ("nearly two years") belong to the expression, possessives and
    # "a"/"over" in front of them do not
    det = (m["det"] or "").lower()
    first = "adj" if m["adj"] and m["adj"].lower() != "over" else "q" if m["q"] else "num"
    start = m.start()
    if det in ("a", "an", "his", "her", "its", "their", "another") and not (num_text in ("a", "an") and first == "num"):
        start = m.start(first)
    elif m["adj"] and m["adj"].lower() == "over" and not det:
        start = m.start("q" if m["q"] else "num")
    if num_text == "one" and unit == "day" and not det and ctx.prev_word(m.start()) in (
            "he", "she", "they", "we", "i", "you", "it", "may", "might", "could", "would", "will", "should", "must"):
        return None  # "he one day follows": "someday", not a duration
    if unit in ("night", "morning", "evening", "afternoon") and _POD_MODIFIES.match(ctx.text, m.end()):
        return None  # "a night table"
    if m["unit"][0].isupper() and num_text[0].isdigit() and not m["det"] and (
            ctx.text[max(0, m.start() - 1):m.start()] in ("\"", "“", "'", "‘")
            or (prev := _PREV_WORD.search(ctx.text, max(0, m.start() - 25), m.start())) and prev.group(1).islower()):
        return None  # a title in running text: "revealed new details to 60 Minutes", a "60 Minutes" appearance
    if (m["long"] or "").lower() == "-old" or m["old"] or unit == "second" and num_text in ("a", "an", "one"):
        return None  # ages ("a 45-year-old", "45 years old") and "a second group" are not time expressions
    if unit == "quarter" and (m["pl"] and (re.match(r"\s+of\b", ctx.text[m.end():]) or "-" in m["sep"] and not m["det"])
                              or _FRACTION_OF.match(ctx.text, m.end()) or _SHARE_AFTER.match(ctx.text, m.end())):
        return None  # fractions: "three-quarters of its food", "more than three-quarters from donors",
        # "a quarter of parliamentary seats"
    # "$33 million a year", "twice a day": a frequency, not a duration
    if num_text in ("a", "an") and not m["adj"] and not m["det"] and _QUANTITY_BEFORE.search(ctx.text, max(0, m.start() - 20), m.start()):
        code = _UNIT[unit]
        v = f"PT1{code}" if unit in ("second", "minute", "hour") else f"P1{code if code != 'WE' else 'WE'}"
        return _Found(m.start(), m.end(), v, "duration", type="SET")
    if num_text in ("a", "an") and not (m["pl"] is None):
        return None
    qmod = _quant_mod(m["q"]) or ("MORE_THAN" if (m["adj"] or "").lower() == "over" else None)
    code = _UNIT[unit]
    if code == "FN":
        code, n = "W", (2 * n if n is not None else None)
    amount = "X" if n is None else (str(int(n)) if n == int(n) else None)
    if amount is None and n is not None and n > 1 and n * 2 == int(n * 2) and code in _HALF_UNIT:
        # "5 1/2 hours" -> PT5H30M, "2 1/2 years" -> P2Y6M (ISO 8601 combined durations)
        whole, half = int(n), _HALF_UNIT[code]
        value = f"PT{whole}H{half}" if code == "H" else f"P{whole}{code}{half}"
        return _Found(start, m.end(), value, "duration", type="DURATION", mod=qmod)
    if amount is None:  # half an hour, 1.5 years: use the next smaller unit
        smaller = {"H": ("M", 60), "D": ("H", 24), "W": ("D", 7), "M": ("D", 30), "Y": ("M", 12)}.get(code)
        if smaller is None:
            return None
        code2, k = smaller
        if unit in ("minute",):
            return None
        amount = str(int(round(n * k)))
        if code == "H" or (code == "D" and code2 == "H"):
            return _Found(start, m.end(), f"PT{amount}{code2}", "duration", type="DURATION", mod=qmod)
        code = code2
    if unit in ("second", "minute", "hour"):
        value = f"PT{amount}{code}"
    elif code in ("DE", "CE") and amount != "X":
        value = f"P{int(amount) * (10 if code == 'DE' else 100)}Y"
    elif code in _VAGUE_CODE:
        value = f"PX{_VAGUE_CODE[code]}"
    elif code == "WE":
        value = f"P{amount}WE"
    else:
        value = f"P{amount}{code}"
    return _Found(start, m.end(), value, "duration", type="DURATION", mod=qmod)


@_rule("vague_duration",
       r"\b(?:(?P<adj>recent|coming|the\s+past\s+few|the\s+next\s+few|the\s+last\s+few|the\s+past\s+several|"
       r"the\s+next\s+several|the\s+last\s+several|the\s+coming|several|many|a\s+few|few)\s+)"
       r"(?P<unit>seconds|minutes|hours|days|weeks|months|quarters|years|decades|centuries)\b"
       r"|(?:(?<=\bfor\s)|(?<=\bin\s)|(?<=\bwithin\s)|(?<=\bover\s))(?P<unit2>hours|days|weeks|months|years|decades|centuries)\b(?!\s+(?:ago|of|later|earlier))"
       r"|\b(?P<unit3>hour|day|week|month|year|decade|centur(?:y|ie))(?P<pl3>s)?-long\b"
       r"|\bthe\s+(?:past|last)\s+(?P<unit4>days|weeks|months|years|decades)\b(?!\s+of\b)",
       _I, priority=-1)
def _vague(m: re.Match, ctx: _Ctx) -> _Found | None:
    """Unquantified durations: "several years", "for months", "the past months", "decades-long" (and
    "day-long": one day); "the last weeks of the campaign" is no duration up to now."""
    unit = (m["unit"] or m["unit2"] or m["unit3"] or m["unit4"]).lower().rstrip("s").replace("centurie", "century")
    code = _VAGUE_CODE.get(_UNIT[unit], _UNIT[unit])
    amount = "1" if m["unit3"] and not m["pl3"] else "X"
    v = f"PT{amount}{code}" if unit in ("second", "minute", "hour") else f"P{amount}{code}"
    return _Found(m.start(), m.end(), v, "duration", type="DURATION")


# TimeBank's unit letters for decades, centuries and millennia in vague durations ("PXE", "PXC").
_VAGUE_CODE = {"DE": "E", "CE": "C"}


@_rule("set",
       r"\b(?:(?P<adv>daily|weekly|monthly|annually|yearly|hourly|nightly|biweekly)"
       rf"|(?:every|each|per)\s+(?:(?P<other>other)\s+|(?P<n>{NUM})\s+)?(?P<unit>{UNIT})s?)\b", _I)
def _set(m: re.Match, ctx: _Ctx) -> _Found | None:
    if m["adv"]:
        after = _NEXT_WORD.match(ctx.text, m.end())
        word = after.group(1) if after and after.start(1) == m.end() + 1 else ""
        if word[:1].isupper() and (word[1:2].islower() or m["adv"][0].isupper()) \
                and word.lower() not in _MONTHS | _WEEKDAYS.keys():
            return None  # a title: "the party daily Granma", "the Daily Mail", "THE WEEKLY STANDARD"
        v = {"daily": "P1D", "weekly": "P1W", "monthly": "P1M", "annually": "P1Y", "yearly": "P1Y",
             "hourly": "PT1H", "nightly": "P1D", "biweekly": "P2W", "quarterly": "P1Q"}[m["adv"].lower()]
        return _Found(m.start(), m.end(), v, "duration", type="SET")
    if m.group(0).lower().startswith("per"):
        return None
    unit = m["unit"].lower().replace("centurie", "century")
    n = _num(m["n"]) if m["n"] else 2 if m["other"] else 1
    amount = "X" if n is None else str(int(n))
    code = _UNIT[unit]
    v = f"PT{amount}{code}" if unit in ("second", "minute", "hour") else f"P{amount}{code}"
    return _Found(m.start(), m.end(), v, "duration", type="SET")


@_rule("ref",
       r"\b(?P<present>now|currently|presently|nowadays|at\s+present|the\s+present(?!\s+(?:case|study|paper|"
       r"report|day))|the\s+present\s+day|these\s+days|current(?=\s+[a-z]))\b"
       r"|\b(?P<past>recently|lately|(?:in\s+)?the\s+past(?!\s+(?:\w+\s+)?"
       r"(?:week|month|year|decade|day|quarter|few|several|century|summer|spring|winter|fall|\d|two|three|"
       r"four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|dozen|couple|many|half)))\b"
       r"|\b(?P<future>(?:the\s+(?:near\s+|distant\s+)?)?future)\b", _I, priority=-3)
def _ref(m: re.Match, ctx: _Ctx) -> _Found | None:
    start = m.start()
    g = m.group(0).lower()
    if g.startswith("in the past"):
        start = m.start() + 3
    if g.startswith("at "):
        start = m.start()
    value = "PRESENT_REF" if m["present"] else "PAST_REF" if m["past"] else "FUTURE_REF"
    if g == "future" and ctx.prev_word(m.start()) not in ("the", "in", "near", "distant", "for"):
        return None
    if g == "current" and re.match(r"\s+(?:account|accounts|affairs|events|carrying|flow|flows|electric|"
                                   r"and|or|issue|edition|members?|holders?)\b", ctx.text[m.end():], _I):
        return None  # "current account", "current affairs": not a time reference
    return _Found(start, m.end(), value, "unknown", type="DATE", anchor=None, anchor_source=None)


# Priority order among candidates starting at the same place: the longest wins, then the rule priority.

# Every match of a rule contains one of its trigger words; rules only run in windows around them,
# which keeps the tagger at well over 100k words/s on news text.
_UNIT_WORDS = {"day", "week", "weekend", "month", "year", "quarter", "decade", "century", "centuries", "hour",
               "minute", "second", "night", "morning", "afternoon", "evening", "fortnight", "half", "period"}
_TRIGGER_WORDS: dict[str, str] = {}
for _w in _MONTHS:
    _TRIGGER_WORDS[_w] = "month"
for _w in _WEEKDAYS:
    _TRIGGER_WORDS[_w] = _TRIGGER_WORDS[_w + "s"] = "weekday"
for _w in _UNIT_WORDS:
    _TRIGGER_WORDS[_w] = _TRIGGER_WORDS[_w + "s"] = "unit"
_TRIGGER_WORDS["centuries"] = "unit"
for _w in ("yesterday", "today", "tomorrow", "tonight", "overnight", "noon", "midnight"):
    _TRIGGER_WORDS[_w] = "deictic"
_TRIGGER_WORDS["clock"] = "clock"  # "eight o'clock"
for _w in _SEASONS:
    _TRIGGER_WORDS[_w] = "season"
for _w in _DECADE_WORDS:
    _TRIGGER_WORDS[_w] = "decade"
for _w in ("nineteen", "twenty", "thousand"):
    _TRIGGER_WORDS[_w] = "spoken"
for _w in ("christmas", "xmas", "halloween", "thanksgiving", "independence", "valentine", "election", "memorial",
           "labor", "veterans", "new", "boxing", "bastille", "mother", "father", "easter", "good", "palm", "ash",
           "pentecost", "black", "cyber"):
    _TRIGGER_WORDS.setdefault(_w, "holiday")
for _w in ("now", "currently", "current", "presently", "nowadays", "present", "recently", "lately", "past", "these",
           "future"):
    _TRIGGER_WORDS[_w] = "ref"
for _w in ("daily", "weekly", "monthly", "annually", "yearly", "hourly", "nightly", "biweekly"):
    _TRIGGER_WORDS[_w] = "set"
for _w in ("q1", "q2", "q3", "q4"):
    _TRIGGER_WORDS[_w] = "q"

_RULE_TRIGGERS = {
    "iso": {"year"}, "numeric": {"slash"}, "nine_eleven": {"slash"}, "mdy": {"month"}, "week_of": {"month"},
    "dmy": {"month"}, "my": {"month"},
    "month_rel_year": {"month"}, "holiday": {"holiday"}, "spoken_year": {"spoken"},
    "part_of_day": {"unit"}, "month": {"month"}, "year": {"year"}, "decade": {"year", "decade", "decnum"},
    "century": {"unit"}, "season": {"season"}, "quarter": {"unit", "q"}, "quarter_ref": {"unit"},
    "year_earlier": {"unit"}, "period_year": {"unit"}, "ago": {"unit"}, "fiscal_year": {"unit"}, "relunit": {"unit"}, "weekend": {"unit"}, "relday": {"unit"},
    "deictic": {"deictic", "unit"}, "weekday": {"weekday"}, "nth_weekday": {"weekday"}, "clock": {"clock", "deictic", "unit"},
    "duration": {"unit"}, "vague_duration": {"unit"}, "set": {"set", "unit"}, "ref": {"ref"},
}
_TOKEN = re.compile(r"[A-Za-z]+|\d+")
_AMPM_AT = re.compile(r"[AaPp]\.\s?[Mm]\b")
_CLOCK_AFTER = re.compile(r"[:.][0-5]\d|\s*[ap]\.?m\b|\s*[AP]\.?M\b")
_BEFORE = 48  # longest prefix a rule puts before its trigger word ("the beginning of the ...")
_AFTER = 48


def _trigger_windows(text: str) -> dict[str, list[tuple[int, int]]]:
    """Per trigger class, the merged spans of text around its trigger words."""
    spans: dict[str, list[list[int]]] = {}
    n = len(text)
    for m in _TOKEN.finditer(text):
        tok = m.group()
        if tok[0].isdigit():
            end = m.end()
            k = len(tok)
            classes = []
            if k == 4 and tok[0] in "12":
                classes.append("year")
            if k <= 2 and end < n and text[end] == "/":
                classes.append("slash")
            if k <= 2 and _CLOCK_AFTER.match(text, end):
                classes.append("clock")
            if k == 2 and tok[1] == "0" or k == 4 and tok[3] == "0":
                classes.append("decnum")
            if not classes:
                continue
        else:
            low = tok.lower()
            cls = _TRIGGER_WORDS.get(low)
            if cls is None and low == "q" and text[m.end():m.end() + 1] in "1234" and m.end() < n:
                cls = "q"
            elif cls is None and low in ("a", "p") and _AMPM_AT.match(text, m.start()):
                cls = "clock"  # "ten p.m.": the number is a word
            if cls is None:
                continue
            classes = [cls]
        start = m.start() - _BEFORE
        stop = m.end() + _AFTER
        for cls in classes:
            lst = spans.get(cls)
            if lst is None:
                spans[cls] = [[start, stop]]
            elif start <= lst[-1][1]:
                lst[-1][1] = stop
            else:
                lst.append([start, stop])
    out: dict[str, list[tuple[int, int]]] = {}
    for cls, lst in spans.items():
        fixed: list[tuple[int, int]] = []
        for start, stop in lst:
            start = max(0, start)
            stop = min(n, stop)
            # cut only at whitespace so no window boundary falls inside a word
            while start > 0 and not text[start - 1].isspace():
                start -= 1
            while stop < n and not text[stop].isspace():
                stop += 1
            fixed.append((start, stop))
        out[cls] = fixed
    return out


def _rule_windows(by_class: dict[str, list[tuple[int, int]]], classes: set[str]) -> list[tuple[int, int]]:
    spans = sorted(w for c in classes for w in by_class.get(c, ()))
    merged: list[tuple[int, int]] = []
    for start, stop in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(stop, merged[-1][1]))
        else:
            merged.append((start, stop))
    return merged


def find_dates(text: str, doc: str = "", published: str | date | None = None,
               include_present_ref: bool = False, parse: Any = None) -> list[DateExpr]:
    """Find every temporal expression in ``text`` and normalize it to TIMEX3.

    Args:
        text: The document text; offsets in the result index into it.
        doc: The document id copied into every record.
        published: The publication date (``YYYY-MM-DD``), the anchor for
            deictic expressions; None when unknown.
        include_present_ref: Also return "now", "currently", "recently",
            "the future" as PRESENT_REF / PAST_REF / FUTURE_REF (TimeBank
            annotates them; a timeline does not want them).
        parse: The spaCy ``Doc`` of ``text``, when the caller has one: the
            tense of the clause a weekday or month attaches to is then read
            from the parse (:mod:`storyline.extract.tense`) before the cue words.

    Returns:
        DateExpr records in text order, non-overlapping, each with
        ``text[start:end] == expr.text``. ``value`` is None when the
        expression cannot be resolved without guessing.

    Notes:
        Rule set and anchoring after HeidelTime (Strötgen & Gertz 2013), news
        domain: deictic expressions use the publication date, anaphoric ones
        the last date mentioned in the text.
    """
    if not text:
        return []
    ctx = _Ctx(text, resolve_anchor(published), parse)
    cands: list[tuple[int, int, int, int, str, re.Match, _Handler]] = []
    by_class = _trigger_windows(text)
    for idx, (name, pattern, handler, prio) in enumerate(_RULES):
        if name == "ref" and not include_present_ref:
            continue
        for ws, we in _rule_windows(by_class, _RULE_TRIGGERS[name]):
            for m in pattern.finditer(text, ws, we):
                if m.end() > m.start():
                    cands.append((m.start(), -(m.end() - m.start()), -prio, idx, name, m, handler))
    cands.sort(key=lambda c: c[:4])
    seen = {(c[0], c[1], c[3]) for c in cands}
    out: list[DateExpr] = []
    taken_until = -1
    i = 0
    # Greedy left-to-right: at each start the longest candidate whose handler accepts it.
    while i < len(cands):
        start = cands[i][0]
        if start < taken_until:
            if start - cands[i][1] > taken_until:
                # its tail is free: the rule may match there too ("Easter Monday, 24 April 1916": the
                # "Monday, 24 April 1916" match hid "24 April 1916" from finditer)
                _requeue(cands, seen, cands[i], text, taken_until)
            i += 1
            continue
        group = []
        j = i
        while j < len(cands) and cands[j][0] == start:
            group.append(cands[j])
            j += 1
        found = None
        for c in group:
            try:
                found = c[6](c[5], ctx)
            except (ValueError, OverflowError, KeyError):
                found = None
            if found is not None:
                break
        if found is not None and _in_proper_name(text, found.start, found.end):
            found = None
        if found is not None:
            found = _trimmed(text, found)
        if found is None or found.end <= found.start:
            i = j
            continue
        # a later, longer candidate overlapping this one (rare): keep the one that starts first
        taken_until = found.end
        if found.end < c[5].end():
            # the handler kept the head of its match ("2003" of "2003 and 2005"): search the rest again
            _requeue(cands, seen, c, text, found.end)
        if found.point is not None and found.type in ("DATE", "TIME") and found.value:
            if found.is_ref:
                ctx.ref, ctx.ref_pos = found.point, found.start
            if found.explicit:
                ctx.year_ref, ctx.year_pos = found.point, found.start
            if found.gran == "quarter" and found.is_ref:
                ctx.quarter_ref, ctx.quarter_pos = found.point, found.start
        out.append(DateExpr(doc=doc, start=found.start, end=found.end, text=text[found.start:found.end],
                            value=found.value, granularity=found.gran, type=found.type, anchor=found.anchor,
                            anchor_source=found.anchor_source, mod=found.mod, end_value=found.end_value))
        i = j
    return _merge_times(out, text)


def _requeue(cands: list, seen: set, cand: tuple, text: str, pos: int) -> None:
    """Search ``cand``'s rule again from ``pos`` and add a new match to the sorted candidates."""
    m = cand[5].re.search(text, pos, cand[5].endpos)
    if m is None or m.end() <= m.start():
        return
    key = (m.start(), -(m.end() - m.start()), cand[3])
    if key not in seen:
        seen.add(key)
        bisect.insort(cands, (m.start(), key[1], cand[2], cand[3], cand[4], m, cand[6]), key=lambda c: c[:4])


# Focus and approximation words outside TimeBank's extents (7 of 7 "only"/"just", 6 of 7 "about" in dev).
_FOCUS_WORD = re.compile(r"(?:only|just|about)\s+", _I)


def _trimmed(text: str, found: _Found) -> _Found:
    """``found`` without white space at either edge (a rule's optional tail may end in a space), nor a
    leading focus word that TimeBank leaves outside the TIMEX3 ("only 48 hours", "about two weeks ago")."""
    start, end = found.start, found.end
    while start < end and text[start].isspace():
        start += 1
    focus = _FOCUS_WORD.match(text, start, end)
    if focus and focus.end() < end:
        start = focus.end()
    while end > start and text[end - 1].isspace():
        end -= 1
    if (start, end) == (found.start, found.end):
        return found
    return replace(found, start=start, end=end)


# ---------------------------------------------------------------- proper names

# Temporal words written in lower case in running text: capitalized in mid-sentence they belong to a
# name ("Korvenia Today", "the Today show", "The Daily Telegraph", "Radio Tomorrow").
_LOWER_TEMPORAL = frozenset(
    "today tomorrow yesterday tonight overnight daily weekly monthly annually yearly nightly hourly now "
    "currently current recently presently nowadays future past present morning afternoon evening night "
    "noon midnight day days week weeks weekend month months year years quarter decade decades century "
    "spring summer fall autumn winter last next this that early late earlier later the".split())
# Words that make a weekday or month part of a name: "Sunday Times", "Monday Club", "Super Tuesday".
_NAME_HEADS = frozenset(
    "Times Telegraph Post Mail Express Herald Mirror Tribune Journal Chronicle Gazette Observer Independent "
    "Standard Star Sun News Magazine Review Club Group Society Movement Party Show Programme Program Night "
    "Morning Evening Football Sport Sports Edition Street Square Bridge Agreement Accord Accords Treaty "
    "Declaration Offensive Rising Uprising Revolution Massacre War".split())
_NAME_MODIFIERS = frozenset(
    "Super Black Cyber Good Bloody Holy Ash Palm Easter Maundy Shrove Boxing Giving Blue Manic Sad".split())
_WORD_AT = re.compile(r"[A-Za-z]+")
# First words of the holidays: "the Good Friday Agreement", "the Easter Rising" are names, not dates.
_HOLIDAY_WORDS = frozenset(_WORD_AT.match(k).group() for k in _HOLIDAYS)
_PREV_TOKEN = re.compile(r"(\S*)\s*$")
_SENTENCE_OPENERS = frozenset(".!?:;\"'`“”‘’([{—–―-|•*#>")
_MEDIA_ON = re.compile(r"\b(?:Mail|Independent|Observer|Telegraph|Times|Express|Mirror|Star|People)\s+on\s+$")


def _sentence_initial(text: str, start: int) -> bool:
    """Whether ``start`` opens a sentence, a line, a quotation or a bracket."""
    k = start - 1
    while k >= 0 and text[k] in " \t":
        k -= 1
    return k < 0 or text[k] == "\n" or text[k] in _SENTENCE_OPENERS


def _in_proper_name(text: str, start: int, end: int) -> bool:
    """Whether a candidate expression is a word inside a multi-word proper name.

    Notes:
        The capitalization cue of named-entity taggers (Collins & Singer 1999):
        a word that is lower case in running text and capitalized in
        mid-sentence is part of a name ("Korvenia Today", "the Today show");
        weekdays and months, always capitalized, are names when a name head
        follows or a name modifier precedes ("The Sunday Times", "Super
        Tuesday"). Expressions with a digit ("Fall 2019") are left alone.
    """
    first = _WORD_AT.match(text, start)
    if first is None or any(c.isdigit() for c in text[start:end]):
        return False
    word = first.group()
    low = word.lower()
    if low == "today" and _PREV_TOKEN.search(text, max(0, start - 30), start).group(1).upper() == "USA":
        return True  # the newspaper
    if low in _LOWER_TEMPORAL:
        return word[0].isupper() and not word.isupper() and not _sentence_initial(text, start)
    if low in _WEEKDAYS or low in _MONTHS or low in _HOLIDAY_WORDS:
        nxt = _NEXT_WORD.match(text, end)
        if nxt and nxt.group(1) in _NAME_HEADS and text[end:nxt.start(1)].strip() == "":
            return True
        prev = _PREV_TOKEN.search(text, max(0, start - 30), start).group(1)
        if prev in _NAME_MODIFIERS:
            return True
        return low == "sunday" and bool(_MEDIA_ON.search(text, max(0, start - 30), start))
    return False


_JOIN = re.compile(r"(?:\s*,\s*|\s+(?:on\s+)?)$")
# between a clock time and the day it falls on, kept apart: a time zone, "local time", a bracketed other zone
_BARE_CLOCK = re.compile(r"(?:\d[\d:.]*\s*(?:[ap]\.?\s?m\.?)?(?:\s*[A-Z]{2,4})?|noon|midnight)", _I)
_APPOSITION_GAP = re.compile(r"\s*,\s*|\s+")
_CLOCK_RANGE_GAP = re.compile(r"\s*(?:-|–|—|to|until|till|and)\s*")
_CLOCK_DAY_GAP = re.compile(r"\s*(?:local\s+time\s*|[A-Z]{2,4}\s*)?(?:\([^()\n]{1,20}\)\s*)?(?:,\s*)?(?:on\s+)?")


def _is_clock(e: DateExpr) -> bool:
    """A clock time ("10 p.m.", "noon"), resolved or not, as opposed to a part of day."""
    return e.granularity == "time" and (e.value is None or ":" in e.value) and (
        any(c.isdigit() for c in e.text) or e.text.lower() in ("noon", "midnight"))


def _merge_times(exprs: list[DateExpr], text: str) -> list[DateExpr]:
    """Join a clock time with an adjacent day ("10 p.m. Wednesday", "noon Thursday")."""
    if len(exprs) < 2:
        return exprs
    out: list[DateExpr] = []
    i = 0
    while i < len(exprs):
        e = exprs[i]
        if i + 1 < len(exprs):
            f = exprs[i + 1]
            gap = text[e.end:f.start]
            if len(gap) <= 5 and _JOIN.fullmatch(gap) is not None or gap in (" ", ", "):
                clock, day = (e, f) if _is_clock(e) else (f, e)
                if _is_clock(clock) and day.granularity == "day" and day.type == "DATE" \
                        and (day.value is None or clock.value is not None):
                    value = None if day.value is None or clock.value is None else _at(day.value, clock.value)
                    out.append(DateExpr(doc=e.doc, start=e.start, end=f.end, text=text[e.start:f.end], value=value,
                                        granularity="time", type="TIME", anchor=day.anchor,
                                        anchor_source=day.anchor_source))
                    i += 2
                    continue
            if _is_clock(e) and e.value and f.granularity == "day" and f.type == "DATE" and f.value \
                    and _CLOCK_DAY_GAP.fullmatch(gap):
                # "04:30 local time on 14 July", "10:35 a.m. (0735 GMT) Friday": the clock is on that day
                e = _clock_moved_to(e, f)
        out.append(e)
        i += 1
    for k in range(len(out) - 2, -1, -1):
        e, f = out[k], out[k + 1]
        if e.granularity == f.granularity == "day" and e.type == f.type == "DATE" and e.anchor_source is not None \
                and f.anchor_source is None and f.value and _APPOSITION_GAP.fullmatch(text[e.end:f.start]):
            # "Easter Monday, 24 April 1916": the written date says which Easter
            out[k:k + 2] = [replace(f, start=e.start, text=text[e.start:f.end])]
            continue
        if _is_clock(e) and e.value and _BARE_CLOCK.fullmatch(e.text) and _is_clock(f) and f.value \
                and not _BARE_CLOCK.fullmatch(f.text) and _CLOCK_RANGE_GAP.fullmatch(text[e.end:f.start]):
            # "from 10 a.m. to 2 p.m. on Monday": both ends are on Monday
            out[k] = _clock_moved_to(e, f)
    return out


def _at(day_value: str, clock_value: str) -> str:
    """The clock time of ``clock_value`` on the day of ``day_value`` (either may carry a time)."""
    return day_value.split("T", 1)[0] + clock_value[clock_value.index("T"):]


def _clock_moved_to(clock: DateExpr, day: DateExpr) -> DateExpr:
    """``clock`` on the day ``day`` names, anchored as ``day`` is."""
    return replace(clock, value=_at(day.value, clock.value), anchor=day.anchor, anchor_source=day.anchor_source)


_OFFSET_GAP = re.compile(r"\s+(?P<dir>after|before|from)\s+$")
_OFFSET_UNIT = {"D": "day", "W": "week", "M": "month", "Q": "quarter", "Y": "year"}


def implied_dates(exprs: list[DateExpr], text: str) -> list[DateExpr]:
    """Dates computed from a duration anchored on an explicit date: "five years after 2019".

    TimeML keeps "five years" (a DURATION) and "2019" (a DATE) as two
    TIMEX3s and adds the computed date as a third, non-consuming TIMEX3;
    :func:`find_dates` returns the first two, this function the third, as a
    DATE spanning the whole phrase with the explicit date as its anchor.
    Offsets from an event ("five years after the uprising") imply no date.

    Args:
        exprs: The output of :func:`find_dates` on ``text``.
        text: The same text.

    Returns:
        One DATE per "<amount> <unit> after/before/from <date>" whose amount is
        exact and whose anchor is at least as fine as the unit, in text order.
        ``anchor`` is the explicit date's value, ``anchor_source`` ``"text"``,
        ``mod`` the duration's (``APPROX`` for "almost five years").

    Examples:
        >>> text = "The ban ended five years after 2019."
        >>> [(d.text, d.value) for d in implied_dates(find_dates(text), text)]
        [('five years after 2019', '2024')]

    Notes:
        TimeML 1.2.1 guidelines, TIMEX3 ``anchorTimeID`` and non-consuming
        tags ("two weeks from June 7, 2003").
    """
    out: list[DateExpr] = []
    for e, f in zip(exprs, exprs[1:]):
        if e.type != "DURATION" or f.type != "DATE" or not e.value or not f.value:
            continue
        gap = _OFFSET_GAP.fullmatch(text, e.end, f.start)
        m = re.fullmatch(r"P(\d+)([DWMQY])", e.value)
        anchor = _parse_value(f.value)
        if gap is None or m is None or anchor is None:
            continue
        unit = _OFFSET_UNIT[m.group(2)]
        if _GRAN_RANK[anchor.gran] > _GRAN_RANK[unit]:
            continue  # "six months after 2019": the month is unknown
        n = int(m.group(1)) * (-1 if gap["dir"] == "before" else 1)
        try:
            value = _value(_shift(anchor, n, unit))
        except (OverflowError, ValueError):
            continue
        out.append(DateExpr(doc=e.doc, start=e.start, end=f.end, text=text[e.start:f.end], value=value,
                            granularity=anchor.gran, type="DATE", anchor=f.value, anchor_source="text",
                            mod=e.mod))
    return out


def normalize(surface: str, anchor: str | None = None) -> DateExpr | None:
    """Normalize a single temporal expression against an anchor date.

    Args:
        surface: The expression alone, e.g. ``"last Friday"`` or ``"July 23-24, 2022"``.
        anchor: The reference date ``YYYY-MM-DD`` (publication date), or None.

    Returns:
        The DateExpr covering the longest expression found in ``surface``,
        or None when it holds none.

    Examples:
        >>> normalize("the 1990s").value
        '199X'
        >>> normalize("yesterday", "2022-07-14").value
        '2022-07-13'
    """
    found = find_dates(surface, published=anchor, include_present_ref=True)
    if not found:
        return None
    return max(found, key=lambda e: e.end - e.start)
