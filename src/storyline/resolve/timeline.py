"""Merge dated events from many documents into one timeline.

The same happening, reported by several outlets, becomes one entry that lists
every source and its sentence. Two reports are taken for one happening when
their dates fall in the same window, their actors overlap (after names are
mapped to entity ids) and their triggers are compatible. When the reports of
one happening give different days, the entry keeps them all and says so in
``conflict``, naming which outlet gave which date.

Rules for a report against an open entry of the same block:

* The triggers are always the same lemma or a synonym (statements are kin to
  each other); one category and one actor are not one happening ("won" and
  "called" on one day).
* Same date, or a coarser date that contains the finer one ("2022-07" and
  "2022-07-14"), and an actor in common. Same-day reports of a material act
  (PLOVER's ASSAULT, COERCE, PROTEST, ... or a named gathering such as "the
  summit") also merge without one (outlets name different sides of one
  raid) unless they name different places; a verbal act ("asked") or an
  unclassified verb ("stood") needs one. A report without actors joins when
  its sentence names one of the entry's actors (or an entry's sentence one
  of its own; an acronym only as written, so "who" is not WHO), when it is
  a day-level material act, or when it names a one-off happening ("the
  election", "the invasion"; not "the interview") dated exactly as one of
  the entry's reports. A
  month- or year-level report with an unclassified verb joins no other report
  ("came to the United States 30 years ago" is not "the tax overhaul came 30
  years ago"; "could win later in March" is not "won on 1 March"), nor does a
  day-level one join an entry of only such reports, except what happens to
  someone once ("died", "was born", "resigned": ``ONCE_LEMMAS``) when the
  reports share the person.
* The same sentence with the same date (a republished report) always joins.
* Days one to three apart: a classified act with an actor in common;
  flagged as a conflict.
* Statements (say, tell, warn, ...) merge only with statements of the same
  single day (not a week) by the same speaker (an actor in the agent role).
* A month-, year- or span-level report that fits two entries with days of
  their own joins neither ("a January debate" when January had two).
* A run of days longer than the conflict window ("later this week") is
  matched like a month: it joins the entry whose days it overlaps and never
  makes the days inside it one happening.
* Actors the caller calls weak (parties, faiths, ethnic groups) stay in the
  entry but never count as the actor two reports share.

Work is blocked by category (OTHER by lemma, statements together). Day-level
reports are swept in date order with only the last few days' entries open;
month- and year-level reports come afterwards and join the entry whose days
they contain, so a vague "in March" cannot split the day-level reports.

Blocking keeps apart reports of one happening that got different categories
("died in November 2016" is OTHER:die, "the death of ... in 2016" OTHER:death;
"agreed in 2014 to give shelter" is AGREE, "has hosted since 2014" AID), so a
second pass joins whole entries across blocks when all of these hold:

* Their triggers are kin: a verb and its event noun ("die"/"death",
  "elect"/"election", "arrive"/"arrival"), or one synonym group, where one
  of the two is unclassified or both have one category (two PLOVER categories
  mean the lexicon told the acts apart: "expelled activists" is COERCE,
  "severed relations" SANCTION). Or one entry's trigger is a commitment verb
  ("agree", "decide", "promise", ...) whose ``to`` complement in the sentence
  names the other's trigger or kin ("agreed ... to give shelter" and
  "hosted"); "not to" denies the act and does not count.
* They share no trigger lemma: in two blocks the same lemma means its object
  set the category ("hosted talks" is CONSULT, "hosted the exiles" AID), so
  they are different happenings.
* Their dates are the same or one contains the other ("2016-11" inside
  "2016"), compared at each entry's finest granularity; days apart never join
  across blocks.
* They share an actor (entity id), do not name different places, and have no
  block in common (an entry the first pass kept apart stays apart).
* Neither holds a statement, and the join is unambiguous: an entry that fits
  two others equally well joins neither.

The joined entry keeps every report; its category is the one most reports
give (ties go to the category of the entry's trigger). A lone unclassified
report then joins a multi-source entry of exactly the same days when it
shares an actor or the place. Entries are ordered by their first day; a
month-level entry sorts at the start of its month but keeps granularity
"month".
"""

from __future__ import annotations

import calendar
import datetime as _dt
import functools
import re
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from storyline.extract.events import (
    EVENT_NOUNS,
    GENERIC_EVENT_NOUNS,
    IRREGULAR_EVENT_NOUNS,
    IRREGULAR_NOUNS,
    NOMINAL_SUFFIXES,
)
from storyline.records import Event

#: Largest gap in days between two day-level reports still taken for one happening.
MAX_CONFLICT_DAYS = 3

#: Longest day-level range ("July 23-24") the entry-joining pass looks back over.
MAX_RANGE_DAYS = 31

#: Trigger lemmas that name the same kind of happening. A group may span categories ("expel" is
#: COERCE, "sever" SANCTION; "harbour" has none): the cross-block pass compares them.
SYNONYMS: tuple[frozenset[str], ...] = (
    frozenset({"raid", "search", "detain", "arrest", "seize", "storm", "apprehend", "detention", "interrogate",
               "question", "questioning", "operation"}),
    frozenset({"meet", "meeting", "talk", "visit", "summit", "discuss", "discussion", "confer", "consult"}),
    frozenset({"attack", "strike", "airstrike", "hack", "hacking", "cyberattack", "bombing", "bomb", "assault",
               "cripple", "paralyse", "paralyze", "sabotage"}),
    frozenset({"protest", "rally", "demonstrate", "demonstration", "march", "gather"}),
    frozenset({"sever", "cut", "break", "suspend", "terminate"}),
    frozenset({"expel", "expulsion", "deport", "deportation"}),
    frozenset({"release", "free"}),
    frozenset({"kill", "killing", "murder", "assassinate", "assassination", "execute", "execution"}),
    frozenset({"agree", "agreement", "sign", "deal", "accord", "pact", "treaty"}),
    frozenset({"expel", "expulsion", "sever", "cut", "break"}),
    # the guest's side of hosting is its converse: "X has hosted the movement since 2014" and "the
    # movement has lived in X since 2014" report one state of affairs (the shared-actor and date tests apply)
    frozenset({"host", "shelter", "harbour", "harbor", "live", "reside"}),
)

#: PLOVER's material categories: acts that outlets may report from different sides, naming
#: different actors ("police raided" / "the association was searched"). Verbal ones (CONSULT,
#: DEMAND, ACCUSE, ...) are told apart by who speaks, so they always need an actor in common.
MATERIAL_CATEGORIES = frozenset({"ASSAULT", "COERCE", "PROTEST", "MOBILIZE", "SANCTION", "RETREAT", "AID",
                                 "INVESTIGATE"})

#: Gatherings named by a noun ("the summit", "the trial"): one scheduled happening that reports
#: name without its participants, whatever their category.
GATHERING_NOUNS = frozenset({"summit", "conference", "congress", "convention", "meeting", "talks", "rally",
                             "gathering", "ceremony", "funeral", "trial", "hearing", "referendum"})

#: Event nouns that name one happening of their date, which reports name without its actors ("the
#: 2008 election", "the 2003 invasion"); an interview, a speech or a decision has many a day.
ONE_OFF_NOUNS = GATHERING_NOUNS | frozenset(
    {"election", "inauguration", "war", "coup", "uprising", "revolution", "massacre", "crisis",
     "invasion", "death", "founding", "independence", "earthquake", "flood", "hurricane", "storm", "fire",
     "explosion", "assassination", "bombing", "attack", "cyberattack", "shooting", "raid", "festival", "strike"})

#: What happens to someone once ("died in November 2016", "was born in 1946", "resigned in 2019"):
#: with an actor in common, a month or a year is enough to be the same happening.
ONCE_LEMMAS = frozenset({"die", "death", "bear", "birth", "marry", "wedding", "divorce", "resign", "resignation",
                         "retire", "retirement", "found", "inaugurate", "inauguration", "execute", "execution",
                         "assassinate", "assassination", "bury", "burial", "funeral", "abdicate", "abdication"})

#: Statements: one block whatever their category ("told" / "warned" the same committee), and
#: never merged across days, since a person often speaks on consecutive days.
STATEMENT_LEMMAS = frozenset(
    {"say", "tell", "state", "statement", "announce", "announcement", "declare", "warn", "inform",
     "brief", "confirm", "add", "claim", "write", "report", "testify", "explain", "stress", "insist"}
)

#: Verbs that commit to the act their ``to`` complement names ("agreed to host"): TimeML
#: I_ACTION events. Verbs that deny it ("refuse", "avoid", "cancel") are not here.
COMMITMENT_LEMMAS = frozenset({"agree", "decide", "promise", "pledge", "vow", "consent", "undertake", "offer"})

#: Verbs that carry an event noun in a complement ("agreed to give shelter", "to hold talks").
SUPPORT_VERBS = frozenset({"give", "grant", "provide", "offer", "hold", "make", "take", "carry", "conduct", "stage"})

#: Words between a support verb and its noun still read as its object ("give them shelter").
MAX_SUPPORT_GAP = 2

#: Lemma -> the synonym groups it belongs to ("expel" is in two).
_GROUPS_OF: dict[str, frozenset[int]] = {
    lemma: frozenset(n for n, group in enumerate(SYNONYMS) if lemma in group) for group in SYNONYMS for lemma in group
}
#: Granularities from coarse to fine. "span" is a run of days longer than the conflict window
#: ("this week", "March 1-15"): it joins the entry whose days it overlaps, like a month, but never
#: makes the days inside it one happening. It is written out as "day" with its ``date_end``.
_RANK = {"year": 0, "month": 1, "span": 2, "day": 3}
_GRANULARITY_OUT = ("year", "month", "day", "day")
#: Event nouns ("death", "election"): a noun names one happening where a verb ("won") may not.
#: (EVENT_NOUNS also lists verbs; these are nouns only, or mostly.)
_NOUNS = GENERIC_EVENT_NOUNS | IRREGULAR_EVENT_NOUNS | GATHERING_NOUNS

#: What a report dated by its year alone may be one with, in reports of a month or a day: what
#: happens once, or once to someone ("killed Trayvon Martin in 2012").
_KILLING_LEMMAS = frozenset({"kill", "killing", "murder", "slay"})
_YEAR_JOINS_FINER = ONE_OFF_NOUNS | ONCE_LEMMAS | _KILLING_LEMMAS

#: Gatherings the same people hold again and again: a year and a famous name do not make two reports of
#: one of them one happening.
_RECURRING_GATHERINGS = frozenset({"conference", "meeting", "talks", "rally", "gathering", "ceremony", "trial",
                                   "hearing"})

#: Happenings that take place once at their date for the actors they name (an election, a debate, a
#: death), unlike a rally, a speech, a meeting or an attack on a rival, which the same people repeat
#: within a month.
_ONCE_AT_ITS_DATE = ONCE_LEMMAS | _KILLING_LEMMAS | frozenset(
    {"election", "primary", "caucus", "debate", "referendum", "convention", "summit", "inauguration", "war",
     "coup", "uprising", "revolution", "massacre", "invasion", "founding", "independence", "earthquake", "flood",
     "hurricane", "storm", "assassination", "bombing", "shooting", "explosion"})


@dataclass
class _Item:
    event: Event
    order: int
    lo: _dt.date
    hi: _dt.date
    granularity: str
    actors: frozenset[str]
    outlet: str
    names: frozenset[str] = frozenset()  # place keys (see _place_key) of the strong actors and the place
    named: tuple[tuple[str, str], ...] = ()  # (actor as written, actor key), weak actors left out
    rare: frozenset[str] = frozenset()  # the actors not named all over the corpus (see _prominent)
    rare_names: tuple[str, ...] = ()  # those actors as written
    strong_names: tuple[str, ...] = ()  # the actors as written, without the weak ones
    agents: frozenset[str] = frozenset()  # the actors in the agent role (all of them when roles are unknown)
    folded: str = ""  # the sentence case-folded, spaces collapsed (see _folded)


@dataclass
class _Cluster:
    items: list[_Item] = field(default_factory=list)
    actors: set[str] = field(default_factory=set)
    lemmas: set[str] = field(default_factory=set)
    places: set[str] = field(default_factory=set)
    lo: _dt.date = _dt.date.max
    hi: _dt.date = _dt.date.min
    days: set[_dt.date] = field(default_factory=set)  # single-day reports
    dates: set[tuple[str, str | None]] = field(default_factory=set)  # (date, date_end) as the reports give them
    actor_names: set[str] = field(default_factory=set)  # the reports' actors as written
    rare_names: set[str] = field(default_factory=set)  # those not named all over the corpus
    raw_texts: list[str] = field(default_factory=list)  # the reports' sentences as written
    texts: set[str] = field(default_factory=set)  # the reports' sentences, case-folded, spaces collapsed
    agents: set[str] = field(default_factory=set)
    ranges: list[tuple[_dt.date, _dt.date]] = field(default_factory=list)  # "July 23-24"
    coarse: list[tuple[_dt.date, _dt.date]] = field(default_factory=list)  # month and year reports

    def add(self, item: _Item) -> None:
        self.items.append(item)
        self.lo = min(self.lo, item.lo)
        self.hi = max(self.hi, item.hi)
        self.actors |= item.actors
        self.agents |= item.agents
        if item.event.place:
            self.places.add(_place_key(item.event.place))
        if item.event.trigger:
            self.lemmas.add(item.event.trigger)
        self.dates.add((item.event.date, item.event.date_end))
        self.actor_names.update(item.strong_names)
        self.rare_names.update(item.rare_names)
        self.texts.add(item.folded)
        if len(self.raw_texts) < _MAX_TEXTS:
            self.raw_texts.append(item.event.text)
        if item.granularity != "day":
            self.coarse.append((item.lo, item.hi))
        elif item.hi == item.lo:
            self.days.add(item.lo)
        else:
            self.ranges.append((item.lo, item.hi))


def date_interval(date: str, date_end: str | None = None) -> tuple[_dt.date, _dt.date, str]:
    """Return the first and last day a timeline date covers, and its granularity.

    Args:
        date: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``.
        date_end: the end of a range in the same forms, or None.

    Raises:
        ValueError: when a date is not in one of those forms.
    """
    lo, hi, granularity = _bounds(date)
    if date_end:
        hi = max(hi, _bounds(date_end)[1])
    return lo, hi, granularity


def _bounds(date: str) -> tuple[_dt.date, _dt.date, str]:
    parts = date.split("-")
    try:
        if len(parts) == 3:
            day = _dt.date(int(parts[0]), int(parts[1]), int(parts[2]))
            return day, day, "day"
        if len(parts) == 2:
            y, m = int(parts[0]), int(parts[1])
            return _dt.date(y, m, 1), _dt.date(y, m, calendar.monthrange(y, m)[1]), "month"
        if len(parts) == 1:
            y = int(parts[0])
            return _dt.date(y, 1, 1), _dt.date(y, 12, 31), "year"
    except ValueError:
        pass
    raise ValueError(f"timeline date {date!r} is not YYYY, YYYY-MM or YYYY-MM-DD; cut it with storyline.extract.events.timeline_date")


def _same_kind(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return False
    return a == b or bool(_GROUPS_OF.get(a, frozenset()) & _GROUPS_OF.get(b, frozenset()))


def _block(event: Event) -> str:
    if event.trigger in STATEMENT_LEMMAS:
        return "STATEMENT"
    if event.category and event.category != "OTHER":
        return event.category
    return "OTHER:" + (event.trigger or "")


def merge_events(
    events: Iterable[Event],
    entity_of: Callable[[str, str], str | None] | None = None,
    outlet_of: Mapping[str, str | None] | None = None,
    weak_actors: Collection[str] = frozenset(),
) -> list[dict]:
    """Merge per-document events into timeline entries, ordered by date.

    Args:
        events: events from every document; their order breaks ties when
            choosing an entry's main sentence (put earlier publications first).
        entity_of: ``(doc id, actor name) -> entity id`` (None when unknown);
            without it names are compared case-insensitively and kept as ids.
        outlet_of: ``doc id -> outlet name``, used to word date conflicts.
        weak_actors: entity ids too general to tie two reports together
            (nationalities, parties, religions: "Republicans", "Muslims");
            they stay in each entry's actors but are never the actor two
            reports share.

    Returns:
        Entries in the dossier ``events`` shape: id, date, date_end,
        granularity, text, trigger, category, actors, doc, start, end,
        sources, status, reports, conflict, plus place, actor_names, roles
        (each actor's agent / patient / other role, in ``actors`` order) and
        mod (the TIMEX3 modifier most reports give the entry's date).

    Notes:
        Cross-document event coreference by date window, argument overlap and
        trigger compatibility (Bejan & Harabagiu 2010 features, used as rules);
        conflicts are surfaced, never resolved silently.
    """
    items: list[_Item] = []
    for order, event in enumerate(events):
        if not event.date:
            continue
        lo, hi, granularity = date_interval(event.date, event.date_end)
        if event.date_end and (granularity != "day" or (hi - lo).days > MAX_RANGE_DAYS):
            # a long span ("from 1993 to 2001") would glue unrelated reports together: match on its start
            hi = _bounds(event.date)[1]
        elif granularity == "day" and (hi - lo).days > MAX_CONFLICT_DAYS:
            granularity = "span"  # "later this week": not one day, and not a reason to join the days in it
        keys = {name: _actor_key(event.doc, name, entity_of) for name in event.actors}
        strong = [name for name in event.actors if keys[name] not in weak_actors]
        actors = frozenset(keys[name] for name in strong)
        roles = dict(zip(event.actors, event.roles)) if len(event.roles) == len(event.actors) else {}
        agents = frozenset(keys[name] for name in strong if roles.get(name, "agent") == "agent")
        outlet = (outlet_of or {}).get(event.doc) or "unknown outlet"
        names = frozenset(_place_key(n) for n in (*strong, *([event.place] if event.place else [])))
        items.append(_Item(event, order, lo, hi, granularity, actors, outlet, names,
                           named=tuple((name, keys[name]) for name in strong), strong_names=tuple(strong),
                           agents=agents, folded=_folded(event.text)))
    prominent = _prominent(items)
    # a name that a prominent actor goes by, or its last word, is prominent too, whatever entity it was
    # bound to ("Trump" alone is kept apart from Donald Trump, since it may name another Trump)
    famous = {form for item in items for name, key in item.named if key in prominent
              for form in (name.casefold(), *name.casefold().split()[-1:])}
    for item in items:
        # (an actor that is prominent has its name in ``famous``)
        rare = [(name, key) for name, key in item.named if name.casefold() not in famous]
        item.rare = frozenset(key for _, key in rare)
        item.rare_names = tuple(name for name, _ in rare)
    # 1. Day-level reports, swept in date order: only entries of the last few days are open.
    # 2. Month- and year-level reports afterwards, so a vague "in March" cannot seed an entry
    #    that splits the day-level reports; they join the entry whose days they contain.
    items.sort(key=lambda it: (-_RANK[it.granularity], it.lo, it.order))
    blocks: dict[str, list[_Cluster]] = {}
    indexes: dict[str, _Index] = {}
    for item in items:
        block = _block(item.event)
        index = indexes.setdefault(block, _Index())
        if item.granularity == "day":
            candidates = index.near_days(item)
        elif item.event.trigger in STATEMENT_LEMMAS:
            candidates = []  # statements merge on the same day only
        else:
            candidates = index.in_months(item)
        best, best_score, fits = None, None, 0
        for cluster in candidates:
            score = _match(item, cluster)
            if score is not None:
                fits += bool(cluster.days or cluster.ranges)
                if best_score is None or score > best_score:
                    best, best_score = cluster, score
        if item.granularity != "day" and fits > 1 and not (
                best is not None and item.folded in best.texts):
            best = None  # "a January debate" fits two debates of January: it joins neither
        if best is None:
            best = _Cluster()
            blocks.setdefault(block, []).append(best)
        best.add(item)
        index.register(best, item)
    # 3. Entries that grew apart because of the order reports came in are joined by the same rules.
    merged = [c for clusters in blocks.values() for c in _join_clusters(clusters)]
    # 4. Entries of different blocks join when their triggers are kin ("died" / "death").
    across = _join_across(merged)
    # 5. Lone unclassified reports join a multi-source entry of exactly the same days.
    done = _attach_strays(across)
    entries = [_entry(cluster, entity_of) for cluster in done]
    entries.sort(key=lambda e: (_bounds(e["date"])[0], _RANK[e["granularity"]], e["_order"]))
    for n, entry in enumerate(entries, 1):
        entry["id"] = f"event-{n}"
        del entry["_order"]
    return entries


#: Share of the documents an actor must be an actor in, and the least number of documents, to be
#: prominent: named so widely in the corpus that having it in common says little.
PROMINENT_SHARE = 0.05
PROMINENT_MIN_DOCS = 3


def _prominent(items: list[_Item]) -> frozenset[str]:
    """The actors of events in at least :data:`PROMINENT_SHARE` of the documents (and at least
    :data:`PROMINENT_MIN_DOCS` of them): the candidates of a campaign, the group a corpus is about."""
    docs: dict[str, set[str]] = {}
    for item in items:
        for actor in item.actors:
            docs.setdefault(actor, set()).add(item.event.doc)
    n_docs = len({item.event.doc for item in items})
    floor = max(PROMINENT_MIN_DOCS, PROMINENT_SHARE * n_docs)
    return frozenset(actor for actor, where in docs.items() if len(where) >= floor)


class _Index:
    """The entries of one block by day or month and by what a report can share with them.

    A report can only join an entry that shares an actor or a trigger of its
    synonym group (see :func:`_match`), so entries are filed under
    ``(day or month, actor or trigger key)`` and a report looks up its own keys.
    """

    def __init__(self) -> None:
        self.by_day: dict[tuple[_dt.date, str], list[_Cluster]] = {}
        self.by_month: dict[tuple[tuple[int, int], str], list[_Cluster]] = {}

    def register(self, cluster: _Cluster, item: _Item) -> None:
        keys = _keys(item)
        if item.granularity == "day":
            day = item.lo
            while day <= item.hi:
                for key in keys:
                    self.by_day.setdefault((day, key), []).append(cluster)
                day += _ONE_DAY
        for month in _months(item.lo, item.hi):
            for key in keys:
                self.by_month.setdefault((month, key), []).append(cluster)

    def near_days(self, item: _Item) -> list[_Cluster]:
        """Entries with a day-level report within the conflict window of the item's days."""
        found: dict[int, _Cluster] = {}
        keys = _keys(item)
        day = item.lo - _dt.timedelta(days=MAX_CONFLICT_DAYS)
        last = item.hi + _dt.timedelta(days=MAX_CONFLICT_DAYS)
        while day <= last:
            for key in keys:
                for cluster in self.by_day.get((day, key), ()):
                    found.setdefault(id(cluster), cluster)
            day += _ONE_DAY
        return list(found.values())

    def in_months(self, item: _Item) -> list[_Cluster]:
        """Entries with a report in one of the months the item covers."""
        found: dict[int, _Cluster] = {}
        keys = _keys(item)
        for month in _months(item.lo, item.hi):
            for key in keys:
                for cluster in self.by_month.get((month, key), ()):
                    found.setdefault(id(cluster), cluster)
        return list(found.values())


def _keys(item: _Item) -> tuple[str, ...]:
    lemma = item.event.trigger or ""
    groups = _GROUPS_OF.get(lemma)
    triggers = tuple(f"trigger:{n}" for n in sorted(groups)) if groups else (f"trigger:{lemma}",)
    return (*triggers, *item.actors)


_ONE_DAY = _dt.timedelta(days=1)


def _months(lo: _dt.date, hi: _dt.date) -> Iterator[tuple[int, int]]:
    y, m = lo.year, lo.month
    while (y, m) <= (hi.year, hi.month):
        yield y, m
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)


def _join_clusters(clusters: list[_Cluster]) -> list[_Cluster]:
    """Join entries of one block that the report-by-report sweep left apart.

    The sweep is greedy: a report of day D+1 that arrives before any other
    report of D+1 may open its own entry, which then collects the rest. Each
    entry's day-level reports are matched against the entries already kept
    whose days lie within the conflict window (month-level members would glue
    entries weeks apart).
    """
    day_lo = {id(c): min((it.lo for it in c.items if it.granularity == "day"), default=None) for c in clusters}
    # entries with no day-level report were matched against every entry of their months when they formed
    coarse = [c for c in clusters if day_lo[id(c)] is None]
    dayed = sorted((c for c in clusters if day_lo[id(c)] is not None), key=lambda c: day_lo[id(c)])
    index = _Index()
    kept: list[_Cluster] = []
    for cluster in dayed:
        days = [it for it in cluster.items if it.granularity == "day"]
        target = next(
            (other for it in days for other in index.near_days(it) if _match(it, other) is not None), None
        )
        if target is None:
            kept.append(cluster)
            target = cluster
        else:
            for it in cluster.items:
                target.add(it)
        for it in days:
            index.register(target, it)
    return kept + coarse


def _join_across(clusters: list[_Cluster]) -> list[_Cluster]:
    """Join entries of different blocks that report one happening under kin triggers.

    Entries are taken finest first, so a year-level entry meets the month- and
    day-level entries it could contain; each looks for kept entries that share
    an actor in one of its years and passes :func:`_across`. An entry joins the
    one candidate sharing the most actors; with a tie it joins none.

    Notes:
        Cross-document event coreference across event types through lexical
        relations between triggers (verb / event noun pairs as in NOMLEX,
        Macleod et al. 1998; synonyms; TimeML I_ACTION complements,
        Pustejovsky et al. 2003), kept precise by argument and date agreement.
    """
    cores = {id(c): _core(c) for c in clusters}
    order = {id(c): min(it.order for it in c.items) for c in clusters}
    kept: list[_Cluster] = []
    blocks: dict[int, set[str]] = {}
    index: dict[tuple[int, str], dict[int, _Cluster]] = {}
    for cluster in sorted(clusters, key=lambda c: (-_fine(c.items)[0], cores[id(c)], order[id(c)])):
        mine = {_block(it.event) for it in cluster.items}
        lo, hi = cores[id(cluster)]
        candidates: dict[int, _Cluster] = {}
        if "STATEMENT" not in mine:
            for year in range(lo.year, hi.year + 1):
                for actor in cluster.actors:
                    candidates.update(index.get((year, actor), {}))
        scored = sorted(
            (
                (len(cluster.actors & other.actors), other)
                for other in candidates.values()
                if not blocks[id(other)] & mine and _across(cluster, cores[id(cluster)], other, cores[id(other)])
            ),
            key=lambda pair: -pair[0],
        )
        if scored and (len(scored) == 1 or scored[0][0] > scored[1][0]):
            target = scored[0][1]
            for it in cluster.items:
                target.add(it)
            cores[id(target)] = _core(target)  # a range ("July 23-24") widens a day it joins
        else:
            target = cluster
            kept.append(cluster)
            blocks[id(cluster)] = set()
        blocks[id(target)] |= mine
        if "STATEMENT" in blocks[id(target)]:
            continue  # statements never join across blocks, nor does what holds one
        t_lo, t_hi = cores[id(target)]
        for year in range(t_lo.year, t_hi.year + 1):
            for actor in target.actors:
                index.setdefault((year, actor), {})[id(target)] = target
    return kept


def _fine(items: list[_Item]) -> tuple[int, list[_Item]]:
    """The rank of an entry's finest granularity and its reports at it: those its date is read from."""
    finest = max(_RANK[it.granularity] for it in items)
    return finest, [it for it in items if _RANK[it.granularity] == finest]


def _core(cluster: _Cluster) -> tuple[_dt.date, _dt.date]:
    """The days an entry's finest reports cover: what its date will say."""
    _, fine = _fine(cluster.items)
    return min(it.lo for it in fine), max(it.hi for it in fine)


def _across(
    cluster: _Cluster, core: tuple[_dt.date, _dt.date], other: _Cluster, other_core: tuple[_dt.date, _dt.date]
) -> bool:
    """True when two entries of different blocks report one happening (see the module docstring)."""
    if cluster.lemmas & other.lemmas or not cluster.actors & other.actors:
        return False
    if cluster.places and other.places and not cluster.places & other.places:
        return False
    (lo, hi), (o_lo, o_hi) = core, other_core
    if not (lo <= o_lo and o_hi <= hi) and not (o_lo <= lo and hi <= o_hi):
        return False
    if any(
        _kin(a, b) and (cat == other_cat or "OTHER" in (cat, other_cat))
        for a, cat in _triggers(cluster)
        for b, other_cat in _triggers(other)
    ):
        return True
    return _commits_to(cluster, other) or _commits_to(other, cluster)


def _triggers(cluster: _Cluster) -> set[tuple[str, str]]:
    return {(it.event.trigger, it.event.category) for it in cluster.items if it.event.trigger}


def _commits_to(cluster: _Cluster, other: _Cluster) -> bool:
    """True when a commitment report of ``cluster`` names a trigger of ``other`` as its complement."""
    for it in cluster.items:
        if it.event.trigger in COMMITMENT_LEMMAS:
            for word in _complements(it.event.text):
                if any(_kin(lemma, theirs) for lemma in _singulars(word) for theirs in other.lemmas):
                    return True
    return False


_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


@functools.lru_cache(maxsize=4096)
def _complements(text: str) -> tuple[str, ...]:
    """Words a ``to`` complement opens with, and a support verb's object ("to host", "to give shelter").

    "not to" and "never to" deny the act, so they yield nothing.
    """
    words = [w.casefold() for w in _WORD.findall(text)]
    found = []
    for n, word in enumerate(words[:-1]):
        if word != "to" or (n and words[n - 1] in ("not", "never")):
            continue
        found.append(words[n + 1])
        if words[n + 1] in SUPPORT_VERBS:
            found += words[n + 2 : n + 3 + MAX_SUPPORT_GAP]
    return tuple(found)


def _singulars(word: str) -> tuple[str, ...]:
    if word.endswith("es"):
        return word, word[:-1], word[:-2]
    if word.endswith("s"):
        return word, word[:-1]
    return (word,)


def _kin(a: str | None, b: str | None) -> bool:
    """True when two trigger lemmas name one kind of happening: same lemma, synonyms, verb and event noun."""
    if not a or not b:
        return False
    return _same_kind(a, b) or _nominalizes(a, b) or _nominalizes(b, a)


def _nominalizes(verb: str, noun: str) -> bool:
    """True when ``noun`` is the event noun of ``verb`` ("die" / "death", "elect" / "election")."""
    if noun in IRREGULAR_NOUNS.get(verb, ()):
        return True
    return noun != verb and noun in EVENT_NOUNS and noun in _nominals(verb)


@functools.lru_cache(maxsize=4096)
def _nominals(verb: str) -> frozenset[str]:
    """Regular event nouns of a verb: stem (without final e, y as i, doubled consonant) + suffix."""
    stems = {verb}
    if verb.endswith("e"):
        stems.add(verb[:-1])
    if verb.endswith("y"):
        stems.add(verb[:-1] + "i")
    vowels = "aeiou"
    if len(verb) >= 3 and verb[-1] not in vowels + "wxy" and verb[-2] in vowels and verb[-3] not in vowels:
        stems.add(verb + verb[-1])  # "cut" -> "cutting", "occur" -> "occurrence"
    return frozenset(stem + suffix for stem in stems for suffix in NOMINAL_SUFFIXES)


def _attach_strays(clusters: list[_Cluster]) -> list[_Cluster]:
    """Fold a lone unclassified report into a multi-source entry of exactly the same day(s).

    A report whose trigger has no category ("will be flown to Camp Sahar") joins
    an entry reported by two or more documents when its date and end date are
    identical at day level and it shares the place, or an actor not named all over the corpus, with
    the entry: "the yield on the United States 10-year note fell" is no part of what a candidate
    said in a speech about the United States that day.
    """
    by_day: dict[tuple, list[_Cluster]] = {}
    for c in clusters:
        if len({it.event.doc for it in c.items}) < 2:
            continue
        for key in {(it.event.date, it.event.date_end) for it in c.items if it.granularity == "day"}:
            by_day.setdefault(key, []).append(c)
    kept = []
    for c in clusters:
        if len(c.items) == 1:
            it = c.items[0]
            ev = it.event
            if ev.category == "OTHER" and it.granularity == "day" and ev.trigger not in STATEMENT_LEMMAS:
                # the entry's place ("flown to Camp Sahar"), or an actor in common that is not named all
                # over the corpus
                mine = set(it.rare) | {_place_key(n) for n in it.rare_names} | (
                    {_place_key(ev.place)} if ev.place else set())
                best = None
                for target in by_day.get((ev.date, ev.date_end), ()):
                    theirs = target.actors.union(*(x.names for x in target.items))
                    if (mine & theirs or _at_place(it, target)) and (
                            best is None or len(target.items) > len(best.items)):
                        best = target
                if best is not None:
                    best.add(it)
                    continue
        kept.append(c)
    return kept


def _place_key(place: str) -> str:
    return "name:" + " ".join(place.casefold().split())


def _actor_key(doc: str, name: str, entity_of) -> str:
    if entity_of is not None:
        got = entity_of(doc, name)
        if got:
            return got
    return "name:" + " ".join(name.casefold().split())


def _match(item: _Item, cluster: _Cluster) -> tuple | None:
    """Score how well a report fits an open entry; None when it must not join."""
    lemma = item.event.trigger
    same_lemma = lemma in cluster.lemmas
    synonym = same_lemma or any(_same_kind(lemma, other) for other in cluster.lemmas) or (
        lemma in STATEMENT_LEMMAS and bool(cluster.lemmas & STATEMENT_LEMMAS))  # "told" and "warned" the committee
    shared = len(item.actors & cluster.actors)
    no_actors = not item.actors or not cluster.actors
    gap = _gap(item, cluster)
    if gap is None:
        return None
    classified = item.event.category != "OTHER"
    material = item.event.category in MATERIAL_CATEGORIES or lemma in GATHERING_NOUNS
    same_date = (item.event.date, item.event.date_end) in cluster.dates  # written alike, end included
    if lemma in STATEMENT_LEMMAS and (not item.agents & cluster.agents or item.granularity != "day"
                                      or item.lo != item.hi or item.lo not in cluster.days):
        # a statement joins only statements of its own single day ("last week" is no day) by the same
        # speaker: "Trump said Sunday that the United States ..." and "Rubio said on Sunday" are two
        return None
    if gap == 0 and same_date and item.folded in cluster.texts:
        return (0, shared, same_lemma, synonym)  # the same sentence with the same date: one report, republished
    if not synonym:
        return None  # one category and one actor are not one happening ("won" and "called" on one day)
    if item.granularity == "month" and (cluster.days or cluster.ranges) and not (
            same_lemma and (lemma in _ONCE_AT_ITS_DATE or _rare_in_common(item, cluster) or _at_place(item, cluster))):
        # a report dated by its month joins an entry of days only under the entry's own word, and with
        # more in common than a name found all over the corpus, unless the word names what happens once
        # at its date: "signed the measure three months ago" is not the agreement of a Saturday in
        # December, nor "a February rally" of the candidate his rally of a Tuesday in February;
        # "October's Democratic debate" is the debate of 13 October (reports dated by their year have
        # their own rule below)
        return None
    if item.granularity == "year" and (cluster.days or cluster.ranges or any(len(d) == 7 for d, _ in cluster.dates)) \
            and not (same_lemma and lemma in _YEAR_JOINS_FINER and (
                _at_place(item, cluster) or _rare_in_common(item, cluster)
                or lemma not in _RECURRING_GATHERINGS and (shared or _names_an_actor(item, cluster)))):
        # a report dated by its year alone joins reports of a month or a day only as the same one-off
        # happening with a name or a place in common ("the 2012 Benghazi attack" and the attack of 11
        # September 2012; "killed Trayvon Martin in 2012" and "in February 2012"): "agreed late last
        # year" is not the Paris agreement of a Saturday in December for sharing Obama, nor "has endorsed
        # candidates this year" an endorsement in February for sharing Sanders; a gathering the same people
        # hold again and again needs its place or a rare actor ("a rally in Milwaukee this spring" is not
        # the candidate's rally of 16 February)
        return None
    if not classified and lemma not in _NOUNS and (item.granularity != "day" or not (cluster.days or cluster.ranges)) \
            and not (lemma in ONCE_LEMMAS and (shared or no_actors and _names_an_actor(item, cluster))):
        # an unclassified verb dated by a month or a year ("came to the United States 30 years ago",
        # "went for Obama in 2008") says too little to be one happening with another report; only its
        # own sentence, republished, joins it (let through above)
        return None
    if gap == 0:
        # Same day, same material kind of happening: different actor names alone do not split
        # it (outlets name different sides of one raid), different places do. A verbal act
        # ("asked", "called") or an unclassified verb ("stood") needs an actor in common.
        same_day = item.granularity == "day" and bool(cluster.days or cluster.ranges)
        # (gatherings held again and again are told apart by who holds them: a rally of one candidate and
        # a gathering of another party's supporters on the same day are two; a referendum is one)
        hosted = (item.event.category == "PROTEST" or lemma in GATHERING_NOUNS) and lemma not in _ONCE_AT_ITS_DATE \
            and bool(item.actors and cluster.actors)
        loose = same_day and material and not hosted and not _places_differ(item, cluster)
        # without actors, a material act joins ("the raid"), and an event noun ("the election") a
        # report of exactly the same date; an unclassified verb ("released ... in August", "made
        # in 2012", "tweeted last January") says too little unless its sentence names an actor
        bare = no_actors and (
            _names_an_actor(item, cluster)  # "Korvenia has hosted ..." with Korvenia not taken as its actor
            or material and item.granularity == "day"
            # (a year is no date for a gathering held again and again: "a rally in Milwaukee this spring"
            # and "the committee gathers in Cleveland this summer")
            or lemma in ONE_OFF_NOUNS and same_date and not (
                item.granularity == "year" and (lemma in _RECURRING_GATHERINGS or material and not _placed_alike(item, cluster)))
        )
        # the same word at the same place ("the terrorist attacks in Paris last month", "last week's
        # Paris attack") is one happening whoever the sentence names
        placed = same_lemma and classified and _at_place(item, cluster)
        if shared == 0 and not (bare or loose or placed):
            return None
        if item.granularity != "day" and shared == 1 and not classified and lemma not in _NOUNS \
                and not (same_lemma and same_date):
            # what happens to someone once, told by a month or a year with one name in common, is one
            # happening only when the date is written the same (other unclassified verbs dated so
            # coarsely were turned away above)
            return None
    elif lemma in STATEMENT_LEMMAS or not classified or not shared:
        return None  # days apart: only a classified act with an actor in common ("the raid" on the 13th or 14th)
    elif not (material or lemma in _ONCE_AT_ITS_DATE or _rare_in_common(item, cluster) or _at_place(item, cluster)):
        # days apart, a verbal act a famous actor repeats ("Trump's visit to Des Moines last Friday" and
        # "Trump's visit Monday to speak to the Detroit Economic Club") is two happenings
        return None
    return (-gap, shared, same_lemma, synonym)


def _rare_in_common(item: _Item, cluster: _Cluster) -> bool:
    """Whether a report and an entry share an actor that is not named all over the corpus, as an actor
    or as a name in the other's sentences ("fired his campaign manager, Corey Lewandowski")."""
    return bool(item.rare & cluster.actors) or _named_across(item, cluster, item.rare_names, cluster.rare_names)


def _names_an_actor(item: _Item, cluster: _Cluster) -> bool:
    """Whether a report's sentence names one of the entry's actors, or an entry's sentence one of the
    report's (as a word; see :func:`_name_in`)."""
    return _named_across(item, cluster, item.strong_names, cluster.actor_names)


def _named_across(item: _Item, cluster: _Cluster, item_names: Iterable[str], cluster_names: Iterable[str]) -> bool:
    """Whether the report's sentence names one of ``cluster_names``, or one of the entry's sentences one
    of ``item_names``."""
    text = item.event.text
    if any(_name_in(name, text) for name in cluster_names):
        return True
    return any(_name_in(name, other) for other in cluster.raw_texts for name in item_names)


def _placed_alike(item: _Item, cluster: _Cluster) -> bool:
    """Whether a report and an entry say nothing of where it happened, or name a place in common: a
    year tells apart no two shootings ("a mass shooting last year in Roseburg" and "last year's
    shooting" at a church in Charleston), a place does."""
    return not item.event.place and not cluster.places or _at_place(item, cluster)


def _at_place(item: _Item, cluster: _Cluster) -> bool:
    """Whether the report's place, or an actor of it, is one of the entry's places ("last week's Paris
    attack" names Paris as its actor); ``item.names`` holds both as place keys."""
    return not item.names.isdisjoint(cluster.places)


#: Sentences of an entry searched for a report's actor names (an entry of hundreds of reports
#: has its names already).
_MAX_TEXTS = 50


def _word_in(name: str, text: str) -> bool:
    return name in text and re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text) is not None


def _name_in(name: str, text: str) -> bool:
    """Whether ``name`` occurs in ``text`` as a word: case-blind, but an acronym ("WHO", "ICE")
    or a short name only as written, so the pronoun "who" is not the World Health Organization."""
    if len(name) <= 3 or name.isupper():
        return _word_in(name, text)
    return _word_in(name.casefold(), text.casefold())


def _folded(text: str) -> str:
    return " ".join(text.casefold().split())


def _places_differ(item: _Item, cluster: _Cluster) -> bool:
    mine = item.event.place
    return bool(mine and cluster.places and _place_key(mine) not in cluster.places)


def _gap(item: _Item, cluster: _Cluster) -> int | None:
    """Days between the report and the entry: 0 when compatible, None when too far apart.

    A day-level report is compared with the entry's day-level reports only (its
    vague members would glue weeks together); overlapping ranges count as the
    same window. Lookups go through the entry's day set, so the cost does not
    grow with the entry.
    """
    if item.granularity != "day":
        # candidates come from the month index, so some report of the entry lies in the item's span
        return 0 if cluster.lo <= item.hi and item.lo <= cluster.hi else None
    if not (cluster.days or cluster.ranges):
        return 0 if any(lo <= item.hi and item.lo <= hi for lo, hi in cluster.coarse) else None
    best = None
    if item.hi == item.lo:
        for k in range(MAX_CONFLICT_DAYS + 1):
            if item.lo - _dt.timedelta(days=k) in cluster.days or item.lo + _dt.timedelta(days=k) in cluster.days:
                best = k
                break
    else:
        span = (item.hi - item.lo).days
        for k in range(-MAX_CONFLICT_DAYS, span + MAX_CONFLICT_DAYS + 1):
            day = item.lo + _dt.timedelta(days=k)
            if day in cluster.days:
                gap = 0 if 0 <= k <= span else abs(k)
                best = gap if best is None else min(best, gap)
    for lo, hi in cluster.ranges:
        gap = 0 if lo <= item.hi and item.lo <= hi else abs((item.lo - lo).days)
        if gap <= MAX_CONFLICT_DAYS and (best is None or gap < best):
            best = gap
    return best


def _entry(cluster: _Cluster, entity_of) -> dict:
    items = cluster.items
    finest, fine = _fine(items)
    # the date most sources give, at the finest granularity any source gives
    by_date: dict[str, set[str]] = {}
    for it in fine:
        by_date.setdefault(it.event.date, set()).add(it.event.doc)
    date = min(by_date, key=lambda d: (-len(by_date[d]), d))
    ends = Counter(it.event.date_end for it in fine if it.event.date == date and it.event.date_end)
    date_end = ends.most_common(1)[0][0] if ends else None
    actor_votes: Counter[str] = Counter()
    first_seen: dict[str, int] = {}
    names: dict[str, str] = {}
    role_votes: dict[str, Counter[str]] = {}
    for it in items:
        roles = it.event.roles if len(it.event.roles) == len(it.event.actors) else ("other",) * len(it.event.actors)
        for name, role in zip(it.event.actors, roles):
            key = _actor_key(it.event.doc, name, entity_of)
            actor_votes[key] += 1
            role_votes.setdefault(key, Counter())[role] += 1
            first_seen.setdefault(key, len(first_seen))
            names.setdefault(key, name)
    ranked = sorted(actor_votes, key=lambda k: (-actor_votes[k], first_seen[k]))
    # the role most reports give each actor; a tie reads as "other" rather than a guess
    actor_keys = [k for k in ranked if not k.startswith("name:")] if entity_of else ranked
    roles = []
    for k in actor_keys:
        (top, n), *rest = role_votes[k].most_common(2) + [("other", 0)]
        roles.append(top if n > rest[0][1] else "other")
    mods = Counter(it.event.mod for it in fine if it.event.date == date)
    triggers = Counter(it.event.trigger for it in items if it.event.trigger)
    trigger = triggers.most_common(1)[0][0] if triggers else None
    # the earliest report (callers pass events in publication order) that gives the entry's date and trigger
    main = min(
        (it for it in items if it.event.date == date),
        key=lambda it: (it.event.trigger != trigger, it.order),
    )
    categories = Counter(it.event.category for it in items if it.event.category != "OTHER")
    # entries joined across blocks mix categories: most reports win, a tie goes to the trigger's own
    shown = Counter(it.event.category for it in items if it.event.trigger == trigger and it.event.category != "OTHER")
    places = Counter(it.event.place for it in items if it.event.place)
    sources: list[str] = []
    for it in sorted(items, key=lambda it: it.order):
        if it.event.doc not in sources:
            sources.append(it.event.doc)
    reports = [
        {
            "doc": it.event.doc,
            "start": it.event.start,
            "end": it.event.end,
            "text": it.event.text,
            "date": it.event.date,
            "date_text": it.event.date_text,
            "status": it.event.status,
            "mod": it.event.mod,
            "outlet": it.outlet,
        }
        for it in sorted(items, key=lambda it: it.order)
    ]
    return {
        "id": "",
        "date": date,
        "date_end": date_end,
        "granularity": _GRANULARITY_OUT[finest],
        "text": main.event.text,
        "trigger": trigger,
        "category": max(categories, key=lambda c: (categories[c], shown[c])) if categories else "OTHER",
        "actors": actor_keys if entity_of else [names[k] for k in ranked],
        "actor_names": [names[k] for k in ranked],
        "roles": roles,  # each actor's role (agent / patient / other), in ``actors`` order
        "mod": mods.most_common(1)[0][0] if mods else None,
        "place": places.most_common(1)[0][0] if places else None,
        "doc": main.event.doc,
        "start": main.event.start,
        "end": main.event.end,
        "sources": sources,
        "status": _status(items),
        "reports": reports,
        "conflict": _conflict(fine),
        "_order": min(it.order for it in items),
    }


def _status(items: list[_Item]) -> str:
    """Majority of the reports; a tie reads as happened (a later report saw it)."""
    scheduled = sum(it.event.status == "scheduled" for it in items)
    return "scheduled" if scheduled * 2 > len(items) else "happened"


def _conflict(fine: list[_Item]) -> str | None:
    """Word the disagreement between reports of one happening, or None when they agree."""
    outlets: dict[str, list[str]] = {}
    for it in sorted(fine, key=lambda it: it.order):
        names = outlets.setdefault(it.event.date, [])
        if it.outlet not in names:
            names.append(it.outlet)
    if len(outlets) < 2:
        return None
    # overlapping ranges ("July 23-24" and "July 24") agree; intervals overlap pairwise
    # exactly when the latest start is not after the earliest end
    if max(it.lo for it in fine) <= min(it.hi for it in fine):
        return None
    parts = [f"{d} ({', '.join(outlets[d])})" for d in sorted(outlets)]
    return "dates differ: " + " vs ".join(parts)
