"""Dated events: one record per happening a sentence reports with a date.

An event is a trigger (the verb or event noun that a date governs), its actors
(entity mentions in the trigger's clause, agents first), its place, a coarse
PLOVER category, and a status (``happened`` or ``scheduled``). Everything here
is a pure function of one parsed spaCy ``Doc`` and the records already
extracted from it (dates, entity mentions).

Choices, so a reader of the timeline knows what it shows:

* Only DATE expressions with a value, and TIME expressions on a known day
  ("Thursday night" = "2024-03-14TNI"), make events; durations, sets, times
  without a date and unresolved expressions do not.
* A date that attaches to no verb or event noun (a byline "July 15, 2022",
  "Updated on ...") makes no event; neither does a date that modifies an
  ordinary noun ("the 2013 law was repealed on Monday" dates the repeal, not
  the law). A verb of mental state ("knew from at least June 2013",
  "seemed in late November to urge") dates no happening either, and a date
  alone on its line (a live-blog time stamp) dates nothing.
* An event noun in a temporal signal phrase ("In 2016, after the death of
  X, Y was elected") is an event of its own when a complement names an
  entity (X). It takes the clause's date only when that date is a year or
  month and the signal orders the two events ("after", "following", "upon",
  "in the wake of", "before"); a day, "since" or "until" leave it undated,
  so it is not kept. Its text runs from the date phrase to the end of the
  signal phrase.
* Dates inside quotations are kept: what a quoted person says happened is a
  report of a happening, and the timeline lists who reported it.
* Values are cut to ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``. A season keeps its
  year ("2019-FA" -> "2019"), a quarter becomes its months, an ISO week its
  Monday..Sunday; decades, centuries and underspecified values ("198X",
  "XXXX-10", "PRESENT_REF") are too vague for a timeline and are skipped.

``Event.actors`` is ordered agents first, then patients, then others, and
``Event.roles`` gives each actor's role (agent / patient / other) in the same
order; :func:`event_frames` also yields them as a mapping beside the event.
``Event.mod`` keeps the governing date's TIMEX3 modifier ("early 2014" is
``2014`` with ``START``), which the cut timeline value cannot carry.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from storyline.records import DateExpr, Event, Mention

#: PLOVER event categories (the PLOVER ontology behind POLECAT), by trigger lemma.
CATEGORY_LEMMAS: dict[str, tuple[str, ...]] = {
    "ASSAULT": (
        "attack", "bomb", "bombing", "kill", "killing", "assassinate", "assassination", "shoot",
        "shooting", "strike", "airstrike", "massacre", "murder", "wound", "injure", "stab",
        "explode", "explosion", "blast", "hack", "hacking", "cyberattack", "shell", "shelling",
        "torture", "abduct", "abduction", "kidnap", "kidnapping", "execute", "execution",
        "assault", "ambush", "invade", "invasion", "destroy", "bombard", "fire", "cripple",
        "paralyse", "paralyze", "sabotage",
    ),
    "COERCE": (
        "arrest", "detain", "detention", "raid", "seize", "seizure", "expel", "expulsion",
        "deport", "deportation", "ban", "confiscate", "search", "interrogate", "interrogation",
        "imprison", "jail", "sentence", "convict", "conviction", "crackdown", "censor",
        "evict", "extradite", "extradition", "intercept", "restrict", "block", "shut", "outlaw",
        "prosecute", "prosecution", "round", "apprehend", "handcuff", "blockade", "forbid",
        "storm", "question", "questioning", "operation", "drag",
    ),
    "ACCUSE": (
        "accuse", "accusation", "allege", "allegation", "blame", "charge", "indict",
        "indictment", "sue", "lawsuit", "incriminate",
    ),
    "PROTEST": (
        "protest", "demonstrate", "demonstration", "rally", "march", "boycott", "picket",
        "riot", "sit-in", "walkout", "gather",
    ),
    "CONSULT": (
        "meet", "meeting", "visit", "talk", "discuss", "discussion", "summit", "conference",
        "negotiate", "negotiation", "consult", "consultation", "confer", "phone",
        "telephone", "call", "gathering", "session", "hearing", "receive",
    ),
    "AGREE": (
        "agree", "agreement", "sign", "accept", "approve", "ratify", "ratification", "deal",
        "accord", "pact", "treaty", "settle", "settlement", "ceasefire", "truce", "adopt",
    ),
    "DEMAND": (
        "demand", "urge", "request", "ask", "appeal", "petition", "insist", "plead", "press",
    ),
    "SANCTION": (
        "sanction", "sever", "suspend", "suspension", "impose", "embargo", "freeze",
        "recall", "downgrade", "blacklist", "designate", "designation", "break", "cut",
        "close", "closure", "terminate",
    ),
    "MOBILIZE": (
        "mobilize", "mobilise", "mobilization", "deploy", "deployment", "recruit", "station",
        "reinforce", "arm", "alert",
    ),
    "THREATEN": ("threaten", "threat", "warn", "warning", "ultimatum", "menace"),
    "REJECT": ("reject", "rejection", "refuse", "refusal", "deny", "denial", "dismiss", "veto", "rebuff", "decline"),
    "COOPERATE": (
        "cooperate", "cooperation", "collaborate", "collaboration", "partner", "partnership",
        "ally", "coordinate", "join", "integrate", "exchange",
    ),
    "AID": (
        "aid", "assist", "assistance", "help", "donate", "donation", "fund", "funding",
        "provide", "offer", "supply", "shelter", "host", "grant", "rescue", "evacuate", "evacuation",
        "resettle", "resettlement", "relocate", "relocation", "transfer",
    ),
    "INVESTIGATE": (
        "investigate", "investigation", "probe", "inquiry", "enquiry", "inquire", "examine",
        "inspect", "inspection", "audit", "monitor",
    ),
    "DISAPPROVE": (
        "criticize", "criticise", "criticism", "condemn", "condemnation", "denounce",
        "denunciation", "complain", "complaint", "decry", "slam", "rebuke", "summon",
        "reprimand", "object",
    ),
    "RETREAT": ("withdraw", "withdrawal", "release", "free", "retreat", "leave", "evacuate", "return", "lift", "ease"),
    "SUPPORT": ("support", "praise", "welcome", "endorse", "back", "commend", "thank", "appreciate", "defend"),
    "CONCEDE": ("concede", "apologize", "apologise", "apology", "admit", "compensate", "yield"),
}

#: Lemma -> PLOVER category (first listing wins: "evacuate" is AID).
CATEGORY_OF: dict[str, str] = {}
for _cat, _lemmas in CATEGORY_LEMMAS.items():
    for _lemma in _lemmas:
        CATEGORY_OF.setdefault(_lemma, _cat)

#: Verb + object lemma pairs whose category differs from the verb's alone.
#: Verbs that, with a document as object, publish it rather than free or withdraw anything.
PUBLISHING_LEMMAS = frozenset({"release", "issue", "publish", "unveil", "launch", "put"})
#: Things that are published: "released a poll" is no RETREAT.
DOCUMENT_NOUNS = frozenset(
    {"poll", "survey", "statement", "report", "email", "e-mail", "video", "ad", "advertisement", "data",
     "figure", "record", "list", "result", "study", "letter", "return", "transcript", "plan", "budget", "book",
     "album", "film", "memo", "document", "photo", "image", "tape", "recording", "audio", "footage", "picture",
     "finding", "analysis", "paper", "schedule", "version", "update", "guidance", "rule", "proposal", "number",
     "detail", "information", "text", "message", "tweet", "post", "clip", "trailer", "song", "manifesto"}
)
#: The object a verb with an object predicate gets ("called them agents"): see PHRASE_CATEGORY.
NAMING = "=naming"
PHRASE_CATEGORY: dict[tuple[str, str], str] = {
    ("call", NAMING): "OTHER",
    ("sever", "tie"): "SANCTION",
    ("cut", "tie"): "SANCTION",
    ("break", "tie"): "SANCTION",
    ("sever", "relation"): "SANCTION",
    ("cut", "relation"): "SANCTION",
    ("break", "relation"): "SANCTION",
    ("impose", "sanction"): "SANCTION",
    ("lift", "sanction"): "RETREAT",
    ("ease", "sanction"): "RETREAT",
    ("close", "embassy"): "SANCTION",
    ("expel", "diplomat"): "SANCTION",
    ("expel", "ambassador"): "SANCTION",
    ("recall", "ambassador"): "SANCTION",
    ("summon", "ambassador"): "DISAPPROVE",
    ("file", "lawsuit"): "ACCUSE",
    ("file", "complaint"): "ACCUSE",
    ("take", "in"): "AID",
    ("call", "for"): "DEMAND",
}

#: Nouns that name a happening (so "the raid on July 14" is a raid) beyond those in the lexicon.
GENERIC_EVENT_NOUNS = frozenset(
    {
        "election", "poll", "referendum", "trial", "verdict", "ruling", "ceremony", "funeral",
        "operation", "incident", "revolution", "war", "coup", "uprising", "founding",
        "inauguration", "speech", "interview", "announcement", "decision", "launch", "opening",
        "arrival", "departure", "move", "event", "festival", "rally", "massacre", "visit",
        "congress", "forum", "celebration", "commemoration", "attack", "hack", "hacking",
        "cyberattack", "talks", "raid", "crisis", "clash", "fighting", "battle", "protest",
        "strike", "bombing", "resignation", "appointment", "nomination", "dissolution",
        "exodus", "assembly", "debate", "conviction", "sentence", "report", "statement",
    }
)
EVENT_NOUNS = frozenset({lemma for lemmas in CATEGORY_LEMMAS.values() for lemma in lemmas} | GENERIC_EVENT_NOUNS)

#: Verbs whose event noun is not the verb plus a regular suffix (pairs in the manner of NOMLEX).
#: "try" / "trial" is left out: "tried to" is mostly an attempt, not a court.
IRREGULAR_NOUNS: dict[str, tuple[str, ...]] = {
    "die": ("death",), "detain": ("detention",), "decide": ("decision",), "expel": ("expulsion",),
    "invade": ("invasion",), "explode": ("explosion",), "destroy": ("destruction",),
    "dissolve": ("dissolution",), "assemble": ("assembly",), "bury": ("burial",),
    "fly": ("flight",), "speak": ("speech",), "suspend": ("suspension",), "intervene": ("intervention",),
    "complain": ("complaint",), "inquire": ("inquiry",), "enquire": ("enquiry",), "threaten": ("threat",),
    "criticize": ("criticism",), "criticise": ("criticism",), "denounce": ("denunciation",),
    "apologize": ("apology",), "apologise": ("apology",), "marry": ("marriage",), "lose": ("loss",),
    "conclude": ("conclusion",), "collide": ("collision",),
}

#: Suffixes that make a verb's event noun ("elect" -> "election", "arrive" -> "arrival",
#: "depart" -> "departure"); a noun made this way counts only when the extractor takes it
#: as an event noun, so "sign" and "signal" stay apart.
NOMINAL_SUFFIXES = ("ing", "ion", "ation", "ment", "al", "ure", "ance", "ence")

#: Nouns of the pairs above: event nouns the trigger lexicon does not list ("death").
IRREGULAR_EVENT_NOUNS = frozenset(noun for nouns in IRREGULAR_NOUNS.values() for noun in nouns)

#: Verbs that carry no content of their own: the event is their object or subject noun.
LIGHT_VERBS = frozenset(
    {"hold", "take", "make", "have", "give", "launch", "stage", "conduct", "carry", "mount",
     "organize", "organise", "be", "begin", "start", "end", "happen", "occur", "open",
     "resume", "conclude", "continue", "see", "witness", "undergo", "get", "do", "come",
     "schedule", "plan", "set", "slate", "postpone", "delay", "cancel"}
)

#: Trigger lemmas that describe the article itself, not a happening (bylines).
BYLINE_LEMMAS = frozenset({"publish", "update", "post", "modify", "edit", "last", "print", "write", "date"})

#: Subjects of a relative clause that stand for its antecedent ("Azarmehr, who died in 2016").
RELATIVE_PRONOUNS = frozenset({"who", "which", "that", "whom"})

#: Verbs too empty to name a happening unless they hand over to an event noun ("than Obama did in 2008").
EMPTY_VERBS = frozenset({"be", "do", "have"})

#: Verbs of mental state: "knew from at least June 2013", "seemed in late November to urge" date
#: what someone knew or seemed, not a happening for the timeline (TimeML's I_STATE and STATE).
MENTAL_STATE_VERBS = frozenset(
    {"know", "seem", "believe", "think", "feel", "want", "need", "wish", "like", "love", "hate", "prefer",
     "understand", "doubt", "mean"}
)

#: Verbs that report another act; a present-tense act they announce happens when they are said
#: ("announced on Tuesday that Korvenia is severing relations").
REPORT_LEMMAS = frozenset({"announce", "declare", "say", "state", "confirm", "tell", "inform", "proclaim"})

#: Governors that make an event future-or-planned: "scheduled to", "due to", "is to".
SCHEDULE_LEMMAS = frozenset(
    {"schedule", "plan", "due", "expect", "set", "slate", "intend", "going", "aim", "prepare", "poise"}
)
SCHEDULE_MODIFIERS = frozenset({"upcoming", "planned", "scheduled", "forthcoming", "proposed", "expected"})
FUTURE_AUX = frozenset({"will", "shall", "'ll"})

#: Prepositions that introduce a time ("on Thursday"); such a phrase may pass an
#: intervening ordinary noun, since a noun rarely takes a date (PP attachment errors).
TEMPORAL_PREPS = frozenset(
    {"on", "in", "during", "at", "since", "until", "till", "by", "before", "after", "from",
     "to", "between", "around", "through", "throughout", "within"}
)
#: Nouns a date may pass through on its way to the verb ("on the night of July 14").
TIME_NOUNS = frozenset(
    {"night", "morning", "evening", "afternoon", "day", "weekend", "week", "month", "year",
     "dawn", "hour", "hours", "end", "beginning", "start", "middle", "early", "late", "eve",
     "date", "time", "period", "spring", "summer", "autumn", "fall", "winter"}
)
#: Temporal signals that put an event noun before or after the clause's event, with the TimeML
#: TLINK relation of the clause's event to the noun's ("elected after the death" = AFTER).
NOMINAL_SIGNALS: dict[str, str] = {
    "after": "AFTER", "following": "AFTER", "upon": "AFTER", "before": "BEFORE",
    "since": "BEGUN_BY", "until": "ENDED_BY", "till": "ENDED_BY",
}
#: Nouns that make "in the ... of" a signal ("in the wake of the bombing").
SIGNAL_NOUNS: dict[str, str] = {"wake": "AFTER", "aftermath": "AFTER"}
#: Relations under which the year or month of the clause's event also holds the noun's event
#: ("In 2016, after the death of X" puts the death in 2016); "since" and "until" relate a state.
SAME_PERIOD_RELATIONS = frozenset({"AFTER", "BEFORE"})
#: Determiners that make an event noun generic ("after every arrest of ...").
GENERIC_DETERMINERS = frozenset({"every", "each", "any", "all", "no", "some", "many", "several", "such"})
PLACE_PREPS = frozenset({"in", "at", "near", "outside", "inside", "across", "throughout", "into", "from"})
ACTOR_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "FAC", "LOC"})
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
_NOUNISH = frozenset({"NOUN", "PROPN", "PRON", "NUM"})

_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")
_SEASON = re.compile(r"^(\d{4})-(SP|SU|FA|WI)$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_HALF = re.compile(r"^(\d{4})-H([12])$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")


@dataclass(frozen=True)
class EventFrame:
    """An event with what :class:`Event` has no field for.

    ``roles`` maps each actor name to ``agent``, ``patient`` or ``other``;
    ``trigger_start``/``trigger_end`` are the trigger's character offsets;
    ``date_expr`` the :class:`DateExpr` the event was dated by.
    """

    event: Event
    roles: dict[str, str] = field(default_factory=dict)
    trigger_start: int = 0
    trigger_end: int = 0
    date_expr: DateExpr | None = None


def timeline_date(value: str | None, end_value: str | None = None) -> tuple[str, str | None] | None:
    """Cut a TIMEX3 value to a timeline date and optional end.

    Args:
        value: the TIMEX3 value ("2022-07-14", "2022-07", "2019-FA", "2022-W28", ...).
        end_value: the last day/month of a range, when the expression was one.

    Returns:
        ``(date, date_end)`` in ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` form, or
        ``None`` when the value is too vague for a timeline (decades,
        underspecified or reference values).

    Notes:
        TIMEX3 value grammar (Pustejovsky et al. 2005, TimeML 1.2.1); seasons
        keep their year, quarters and halves become month ranges, ISO weeks
        Monday..Sunday.
    """
    if not value:
        return None
    end = _cut(end_value) if end_value else None
    if (m := _DAY.match(value)) is not None:
        return m.group(0), end
    if _MONTH.match(value) or _YEAR.match(value):
        return value, end
    if (m := _SEASON.match(value)) is not None:
        return m.group(1), end
    if (m := _QUARTER.match(value)) is not None:
        q = int(m.group(2))
        return f"{m.group(1)}-{3 * q - 2:02d}", end or f"{m.group(1)}-{3 * q:02d}"
    if (m := _HALF.match(value)) is not None:
        h = int(m.group(2))
        return f"{m.group(1)}-{6 * h - 5:02d}", end or f"{m.group(1)}-{6 * h:02d}"
    if (m := _WEEK.match(value)) is not None:
        try:
            monday = _dt.date.fromisocalendar(int(m.group(1)), int(m.group(2)), 1)
        except ValueError:
            return None
        return monday.isoformat(), end or (monday + _dt.timedelta(days=6)).isoformat()
    return None


def _cut(value: str) -> str | None:
    got = timeline_date(value)
    if got is None:
        return None
    return got[1] or got[0]


#: Object of a verb that measures a change of quantity ("declined 40 percent", "fell by 3 points").
AMOUNT = "<amount>"
_AMOUNT_WORDS = frozenset({"percent", "%", "points", "point", "percentage"})


def _is_amount(tok) -> bool:
    return tok.like_num or tok.lower_ in _AMOUNT_WORDS


def category_of(lemma: str | None, obj_lemma: str | None = None) -> str:
    """Return the PLOVER category of a trigger lemma (with its object's lemma), else OTHER.

    Notes:
        PLOVER ontology (Open Event Data Alliance; the POLECAT event data set,
        Halterman et al. 2023); the lemma lexicon was written for storyline.
    """
    if not lemma:
        return "OTHER"
    lemma = lemma.lower()
    if obj_lemma and (lemma, obj_lemma.lower()) in PHRASE_CATEGORY:
        return PHRASE_CATEGORY[(lemma, obj_lemma.lower())]
    if obj_lemma == AMOUNT:
        return "OTHER"  # "trade declined 40 percent": a measure, whatever the verb's other senses
    if lemma in PUBLISHING_LEMMAS and obj_lemma and obj_lemma.lower() in DOCUMENT_NOUNS:
        return "OTHER"  # "released a poll", "a statement issued Friday": a publication, not a release of people
    return CATEGORY_OF.get(lemma, "OTHER")


def events(
    doc,
    doc_id: str,
    dates: Sequence[DateExpr],
    mentions: Sequence[Mention] = (),
    published: str | None = None,
) -> Iterator[Event]:
    """Yield the dated events of one parsed document.

    Args:
        doc: a spaCy ``Doc`` with a dependency parse, made from the document's text.
        doc_id: the document id stamped on every event.
        dates: the document's temporal expressions (from ``find_dates``).
        mentions: the document's entity mentions; when empty, spaCy's named
            entities stand in for them.
        published: the publication date (ISO), to tell scheduled from happened.

    Yields:
        One :class:`Event` per trigger that a usable date governs.
    """
    for frame in event_frames(doc, doc_id, dates, mentions, published):
        yield frame.event


def event_frames(
    doc,
    doc_id: str,
    dates: Sequence[DateExpr],
    mentions: Sequence[Mention] = (),
    published: str | None = None,
) -> Iterator[EventFrame]:
    """Yield :class:`EventFrame` records (event plus actor roles); see :func:`events`.

    Raises:
        ValueError: when the doc has no dependency parse.

    Notes:
        Trigger = nearest verb or event noun on the dependency path from the
        date's head towards the root (the TimeML event-timex anchoring task,
        done here by rules); light verbs hand over to their event noun ("held
        talks"); roles from subject/object relations (PropBank-style proto-agent
        and proto-patient, Dowty 1991).
    """
    if len(doc) and not doc.has_annotation("DEP"):
        raise ValueError(
            "events() needs a parsed Doc (dependency parse missing); "
            "build it with storyline.nlp.load() without disabling the parser"
        )
    text = doc.text
    usable = []
    datelines: dict[int, int] = {}
    for d in dates:
        if d.type not in ("DATE", "TIME") or d.value is None or d.granularity == "duration":
            continue
        cut = timeline_date(d.value, d.end_value)
        if cut is None or (d.type == "TIME" and len(cut[0]) != 10):
            continue
        line_start = text.rfind("\n", 0, d.start) + 1
        line_end = text.find("\n", d.end)
        if text[line_start:line_end if line_end >= 0 else len(text)].strip(_HEADING_MARKS) == d.text.strip(_HEADING_MARKS):
            continue  # a date alone on its line ("12:00 p.m." over a live-blog post) says when it was written
        after = _DATELINE_AFTER.match(text, d.end)
        if after is not None and _DATELINE_BEFORE.fullmatch(text, line_start, d.start):
            datelines[line_start] = after.end()
            continue
        span = doc.char_span(d.start, d.end, alignment_mode="expand")
        if span is None or not len(span):
            continue
        usable.append((d, cut, span))
    if not usable:
        return
    actor_spans = [
        a for a in _actor_spans(doc, mentions)
        if not any(ls <= a[3].start_char < le for ls, le in datelines.items())
    ]
    by_sentence: dict[int, list] = {}
    for item in usable:
        by_sentence.setdefault(item[2].sent.start, []).append(item)
    for sent_start in sorted(by_sentence):
        items = by_sentence[sent_start]
        sent = items[0][2].sent
        found_all = [(d, cut, span, _trigger_of(span)) for d, cut, span in items]
        dated = {f[0].i for *_, f in found_all if f is not None}
        # One date per trigger: the most directly attached, then the most specific.
        chosen: dict[int, tuple] = {}
        for d, cut, span, found in found_all:
            if found is None:
                continue
            trig, distance = found
            trig = _reported_act(trig, dated)
            key = (distance, -len(cut[0]), abs(span.root.i - trig.i))
            if trig.i not in chosen or key < chosen[trig.i][0]:
                chosen[trig.i] = (key, d, cut, trig, span)
        taken = dated | set(chosen)
        for _, d, cut, trig, span in sorted(chosen.values(), key=lambda c: c[3].i):
            lo, hi = _line_bounds(text, sent, d, datelines)
            if not lo <= trig.idx < hi:
                continue  # the trigger is on another line than its date: a heading, not one sentence
            yield _frame(doc, doc_id, (lo, hi), trig, d, cut, actor_spans, published)
            # "In 2016, after the death of X, Y was elected": the death is an event of its own
            for relation, opener, noun in _signalled_nouns(trig, span):
                if noun.i in taken or not lo <= opener.idx < hi:
                    continue
                nominal = _nominal_frame(doc, doc_id, (lo, hi), opener, noun, relation, span, d, cut, actor_spans, published)
                if nominal is not None:
                    taken.add(noun.i)
                    yield nominal


#: Punctuation around a date that stands alone on its line as a heading or time stamp.
_HEADING_MARKS = " \t.:;,-–—|•*#()[]_"
#: A dateline: "TERVALA, 14 March 2024 (Trans-Adria Wire) - ..." at the start of a line.
_DATELINE_BEFORE = re.compile(r"[ \t]*(?:[A-ZÀ-Þ][A-ZÀ-Þ .'’-]{1,40},[ \t]*)?")
_DATELINE_AFTER = re.compile(r"[ \t]*(?:\([^)\n]{1,60}\))?[ \t]*[-–—]+[ \t]")


def _line_bounds(text: str, sent, d: DateExpr, datelines: dict[int, int]) -> tuple[int, int]:
    """Clip a sentence to the line holding the date (spaCy runs titles into the first sentence)."""
    line_start = text.rfind("\n", 0, d.start) + 1
    lo = max(sent.start_char, line_start, datelines.get(line_start, 0))
    nl = text.find("\n", d.end)
    hi = sent.end_char if nl < 0 else min(sent.end_char, nl)
    while lo < hi and text[lo].isspace():
        lo += 1
    while hi > lo and text[hi - 1].isspace():
        hi -= 1
    return lo, hi


def _reported_act(trig, dated):
    """Hand "announced on Tuesday that X is severing ties" over to the announced act.

    Notes:
        A performative report (present or progressive complement, no date of
        its own) dates the act it announces; a past complement ("said on
        Friday that police raided") keeps the report's date on the report.
    """
    if trig.pos_ != "VERB":
        return trig
    if category_of(trig.lemma_.lower(), _object_lemma(trig)) == "OTHER":
        # "was brought to its knees last Thursday when hackers crippled the portal"
        for child in trig.children:
            if child.dep_ == "advcl" and child.pos_ == "VERB" and child.i not in dated and any(
                c.lower_ == "when" and c.dep_ == "advmod" for c in child.children
            ) and category_of(child.lemma_.lower(), _object_lemma(child)) != "OTHER":
                return child
    if trig.lemma_.lower() not in REPORT_LEMMAS:
        return trig
    for child in trig.children:
        if child.dep_ != "ccomp" or child.pos_ != "VERB":
            continue
        if category_of(child.lemma_.lower(), _object_lemma(child)) == "OTHER":
            continue
        present = child.tag_ in ("VBZ", "VBP") or (
            child.tag_ == "VBG" and any(a.dep_ == "aux" and a.lemma_ == "be" for a in child.children)
        )
        if present and child.i not in dated:
            return child
    return trig


def _frame(doc, doc_id, bounds, trig, d, cut, actor_spans, published) -> EventFrame:
    event_tok, host = _event_token(trig)
    lemma = event_tok.lemma_.lower()
    obj = _object_lemma(host if host is not None else event_tok)
    category = category_of(lemma, obj)
    if lemma == "host" and obj in EVENT_NOUNS:
        category = "CONSULT"
    if category == "OTHER" and host is not None and host != event_tok:
        category = category_of(host.lemma_.lower(), event_tok.lemma_.lower())
        if category != "OTHER":
            lemma = host.lemma_.lower()
    if category == "OTHER" and event_tok.pos_ == "VERB" and d.end <= event_tok.idx:
        # "The operation ... last Thursday confirmed what ..." dates the operation, not the confirming;
        # a date after the verb is the verb's ("the attacks in Paris reframed the contest Saturday")
        for child in event_tok.children:
            if child.dep_ == "nsubj" and child.lemma_.lower() in EVENT_NOUNS and category_of(child.lemma_) != "OTHER":
                event_tok, host, lemma, category = child, event_tok, child.lemma_.lower(), category_of(child.lemma_)
                break
    lo, hi = bounds
    roles, place = _roles_and_place(lo, hi, event_tok, host, actor_spans)
    return _event_frame(doc, doc_id, (lo, hi), event_tok, host, lemma, category, roles, place, d, cut, published)


#: Order of the actors on an event: agents, then patients, then the rest.
_ROLE_ORDER = {"agent": 0, "patient": 1, "other": 2}


def _event_frame(doc, doc_id, bounds, event_tok, host, lemma, category, roles, place, d, cut, published) -> EventFrame:
    """Build the event record over ``bounds`` and its frame (trigger offsets, roles, date)."""
    lo, hi = bounds
    actors = tuple(sorted(roles, key=lambda n: _ROLE_ORDER[roles[n]]))
    status = "scheduled" if _is_scheduled(event_tok, host, cut[0], published) else "happened"
    event = Event(
        doc=doc_id,
        start=lo,
        end=hi,
        text=doc.text[lo:hi],
        date=cut[0],
        date_end=cut[1],
        trigger=lemma,
        category=category,
        actors=actors,
        place=place,
        date_text=d.text,
        status=status,
        mod=d.mod,
        roles=tuple(roles[a] for a in actors),
    )
    return EventFrame(event, roles, event_tok.idx, event_tok.idx + len(event_tok.text), d)


def _signalled_nouns(trig, span) -> Iterator[tuple[str, object, object]]:
    """Yield ``(relation, opener, noun)`` for nouns a temporal signal hangs off the trigger or its date.

    "after the death of X" yields ``("AFTER", after, death)``; "in the wake of
    the bombing" ``("AFTER", in, bombing)``; "since the raid" ``("BEGUN_BY", since, raid)``.
    """
    for head in (trig, *(t for t in span if t.i != trig.i)):
        for child in head.children:
            found = _signal(child)
            if found is None:
                continue
            relation, prep = found
            for noun in prep.children:
                if noun.dep_ in ("pobj", "dobj") and noun.pos_ in ("NOUN", "PROPN"):
                    yield relation, child, noun


def _signal(tok) -> tuple[str, object] | None:
    """Return ``(relation, preposition)`` when a token opens a temporal signal phrase, else None."""
    word = tok.lower_
    if word in NOMINAL_SIGNALS and (tok.dep_ == "prep" or (word == "following" and tok.dep_ in ("advcl", "acl"))):
        return NOMINAL_SIGNALS[word], tok
    if word == "in" and tok.dep_ == "prep":
        for pobj in tok.children:
            if pobj.dep_ == "pobj" and pobj.lower_ in SIGNAL_NOUNS:
                # "in the wake of the bombing": the event noun is the object of "of"
                for prep in pobj.children:
                    if prep.dep_ == "prep" and prep.lower_ == "of":
                        return SIGNAL_NOUNS[pobj.lower_], prep
    return None


def _nominal_frame(doc, doc_id, bounds, opener, noun, relation, span, d, cut, actor_spans, published) -> EventFrame | None:
    """Return the event an event noun in a temporal signal phrase names, or None when it is not one.

    The event's text runs from the clause's date phrase to the end of the
    signal phrase ("In 2016, after the death of the founder X"), so a reader
    sees the date the event was given, and two events of one sentence do not
    share offsets (the store keys events by document, offsets and date).

    Args:
        bounds: the sentence (clipped to its line), as for the clause's own event.
        opener: the signal's first word ("after", "following", the "in" of "in the wake of").
        noun: the object of the signal ("death" in "after the death of X").
        relation: the TLINK relation of the clause's event to the noun's (see :data:`NOMINAL_SIGNALS`).
        span, d, cut: the date that governs the clause (tokens, record, timeline value).

    Notes:
        TimeML signals and TLINKs (Pustejovsky et al. 2003): "after" orders two
        events but does not date the second. A year or month that holds the
        clause's event is taken to hold the noun's too; a day does not (the
        death "after" which someone acted on 3 May fell before 3 May), and
        "since" / "until" relate to a state, so neither dates the noun's event.
        Only events with a date are kept, as for verb triggers.
    """
    if relation not in SAME_PERIOD_RELATIONS or not _coarse(cut):
        return None
    lemma = noun.lemma_.lower()
    if noun.tag_ in ("NNS", "NNPS") or not _is_event_noun(lemma):
        return None  # "after the deaths of many": a generic, not one happening
    if any(c.dep_ == "det" and c.lower_ in GENERIC_DETERMINERS for c in noun.children):
        return None
    lo, hi = bounds
    roles, place = _roles_and_place(lo, hi, noun, None, actor_spans)
    if not any(role in ("agent", "patient") for role in roles.values()):
        return None  # no complement naming an entity ("after the election", "after his death")
    start_end = _nominal_bounds(doc.text, bounds, opener, noun, span)
    return _event_frame(doc, doc_id, start_end, noun, None, lemma, category_of(lemma), roles, place, d, cut, published)


def _nominal_bounds(text: str, bounds: tuple[int, int], opener, noun, span) -> tuple[int, int]:
    """Return the offsets from the date phrase ("in 2016") to the end of the signal phrase, or back.

    Falls back to the signal phrase alone when that stretch is the whole sentence, which
    the clause's own event already holds.
    """
    lo, hi = bounds
    date_start = span.start_char
    head = span.root.head
    if span.root.dep_ == "pobj" and head.i == span.start - 1:
        date_start = head.idx  # "in 2016", "In March 2021"
    phrase_end = noun.right_edge.idx + len(noun.right_edge.text)
    while phrase_end > opener.idx and text[phrase_end - 1] in ",;: ":
        phrase_end -= 1  # an appositive's comma can end the noun's subtree
    start = max(lo, min(opener.idx, date_start))
    end = min(hi, max(phrase_end, span.end_char))
    if (start, end) == (lo, hi):
        return opener.idx, phrase_end
    return start, end


def _coarse(cut: tuple[str, str | None]) -> bool:
    """True when a timeline date is a year or month (a season, quarter or half cut to one)."""
    return all(len(value) <= len("YYYY-MM") for value in cut if value)


def _is_event_noun(lemma: str) -> bool:
    """True when a noun lemma names a happening: the trigger lexicon or an irregular event noun ("death")."""
    return lemma in EVENT_NOUNS or lemma in IRREGULAR_EVENT_NOUNS


#: Prepositions that put a clause's event before or after its date rather than on it.
_ORDERING_PREPS = frozenset({"after", "before", "following", "prior"})


def _trigger_of(span):
    """Walk from the date's head up to the nearest verb or event noun; return it and the path cost."""
    date_tokens = {t.i for t in span}
    for t in span:
        for child in t.children:
            # "on March 14, when police searched ..." dates the when-clause
            if child.dep_ in ("relcl", "advcl") and child.pos_ == "VERB" and any(
                c.lower_ == "when" and c.dep_ == "advmod" for c in child.children
            ):
                return child, 0
    tok = span.root
    prep = None
    cost = 0
    while tok.head != tok:
        tok = tok.head
        if tok.i in date_tokens:
            continue
        if tok.pos_ == "ADP" or tok.dep_ == "prep":
            prep = tok.lower_
            continue
        if tok.pos_ in ("VERB",) or (tok.pos_ == "AUX" and tok.dep_ in ("ROOT", "ccomp", "conj", "advcl", "relcl")):
            if tok.lemma_.lower() in BYLINE_LEMMAS:
                return None
            if tok.lemma_.lower() in EMPTY_VERBS and _event_token(tok)[0] == tok:
                return None
            if tok.lemma_.lower() in MENTAL_STATE_VERBS:
                return None
            if any(child.dep_ == "neg" for child in tok.children):
                return None  # "Trump did not dismiss Lewandowski on Tuesday": nothing happened that day
            if prep in _ORDERING_PREPS:
                return None  # "invaded Iraq after 9/11": the date is when something else happened
            return tok, cost
        if tok.pos_ in ("NOUN", "PROPN") and tok.lemma_.lower() in EVENT_NOUNS:
            return tok, cost
        if tok.pos_ in ("NOUN", "PROPN", "PRON"):
            # A date that modifies an ordinary noun ("the 2013 law", "the law of 2015") dates
            # that noun, unless a temporal preposition ("on", "in") makes a PP-attachment slip likely.
            if tok.lower_ in TIME_NOUNS or tok.lemma_.lower() in TIME_NOUNS:
                continue
            if prep in TEMPORAL_PREPS:
                cost += 1
                prep = None
                continue
            return None
    return None


def _event_token(trig):
    """Hand a light verb over to its event noun; return (event token, host verb or None)."""
    if trig.pos_ in ("NOUN", "PROPN"):
        host = trig.head if trig.dep_ in ("dobj", "nsubj", "nsubjpass", "attr") and trig.head.pos_ in ("VERB", "AUX") else None
        return trig, host
    lemma = trig.lemma_.lower()
    if lemma not in LIGHT_VERBS:
        return trig, trig
    for child in trig.children:
        if child.dep_ in ("dobj", "attr") and child.pos_ in ("NOUN", "PROPN") and child.lemma_.lower() in EVENT_NOUNS:
            return child, trig
    subj = _subject(trig)
    if subj is not None and subj.pos_ in ("NOUN", "PROPN") and subj.lemma_.lower() in EVENT_NOUNS:
        return subj, trig
    return trig, trig


def _subject(verb):
    """The subject of a verb, inherited through xcomp/conj chains ("is due to begin", "detained and questioned")."""
    seen = 0
    tok = verb
    while seen < 6:
        seen += 1
        for child in tok.children:
            if child.dep_ in ("nsubj", "nsubjpass", "csubj"):
                if child.lower_ in RELATIVE_PRONOUNS and tok.dep_ == "relcl":
                    return tok.head  # "Azarmehr, who died in 2016": the antecedent
                return child
        if tok.dep_ in ("xcomp", "conj", "ccomp") and tok.head != tok:
            if tok.dep_ == "ccomp" and tok.head.lemma_.lower() not in ("be",):
                return None
            tok = tok.head
            continue
        if tok.dep_ == "acomp" and tok.head != tok:
            tok = tok.head
            continue
        return None
    return None


def _object_lemma(tok) -> str | None:
    if any(child.dep_ == "oprd" for child in tok.children):
        return NAMING  # "they were called agents", "called the raid illegal": a naming, not the act
    if any(child.dep_ in ("dobj", "npadvmod") and _is_amount(child)
           or child.dep_ == "prep" and child.lower_ == "by" and any(_is_amount(g) for g in child.children)
           for child in tok.children):
        return AMOUNT  # "trade declined 40 percent", "declined by 3 percent": a quantity, not a refusal
    if tok.dep_ == "acl" and tok.tag_ == "VBN":
        return tok.head.lemma_.lower()  # "a poll released Sunday": the noun it modifies is its object
    for child in tok.children:
        if child.dep_ in ("dobj", "nsubjpass"):
            return child.lemma_.lower()
        if child.dep_ == "prt":
            return child.lower_
        if child.dep_ == "prep" and child.lower_ in ("for", "in"):
            return child.lower_
    return None


def _actor_spans(doc, mentions):
    """Return [(root token, name, label, span)] for entity mentions, from Mentions or spaCy NER."""
    out = []
    if mentions:
        for m in mentions:
            if m.label not in ACTOR_LABELS:
                continue
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is None or not len(span):
                continue
            out.append((span.root, m.name or m.text, m.label, span))
    else:
        for ent in doc.ents:
            if ent.label_ not in ACTOR_LABELS:
                continue
            name = re.sub(r"^(?:the|The)\s+", "", ent.text).strip()
            name = re.sub(r"['’]s$", "", name)
            out.append((ent.root, name, ent.label_, ent))
    return out


def _np_head(tok, stop):
    """Climb from a name inside a noun phrase to the phrase's head ("offices of [ASILA]" -> offices)."""
    cur = tok
    for _ in range(8):
        if cur == stop or cur.head == cur:
            break
        head = cur.head
        if head == stop:
            break
        if cur.dep_ in ("compound", "appos", "conj", "flat", "nmod", "amod", "nummod") and head.pos_ in _NOUNISH | {"PROPN"}:
            cur = head
            continue
        if cur.dep_ == "poss" and head.pos_ in _NOUNISH:
            cur = head
            continue
        if cur.dep_ == "pobj" and head.lower_ == "of" and head.head.pos_ in _NOUNISH and head.head != stop:
            cur = head.head
            continue
        break
    return cur


def _role(tok, event_tok, host):
    """Return agent/patient/other for a name token relative to the event, or None if outside its clause."""
    for anchor in filter(None, (event_tok, host)):
        h = _np_head(tok, anchor)
        if h.head == anchor and h != anchor:
            dep = h.dep_
            if anchor.pos_ in ("NOUN", "PROPN"):
                if dep == "poss":
                    return "agent"
                continue
            if dep in ("nsubj", "csubj"):
                return "agent"
            if dep in ("dobj", "nsubjpass", "attr", "dative"):
                return "patient" if dep != "dative" else "other"
        # prepositional roles: by X (agent), of/against/on X (patient of an event noun)
        if h.dep_ == "pobj" and h.head.head == anchor:
            prep = h.head.lower_
            if prep == "by" or h.head.dep_ == "agent":
                return "agent"
            if anchor.pos_ in ("NOUN", "PROPN") and prep in ("of", "against", "on", "targeting"):
                return "patient"
        if h.dep_ == "poss" and h.head == anchor:
            return "agent"
    # subject inherited through control/coordination, or the event noun's host verb subject
    for verb in filter(None, (host, event_tok if event_tok.pos_ in ("VERB", "AUX") else None)):
        subj = _subject(verb)
        if subj is not None and subj != event_tok:
            if _np_head(tok, subj) == subj or tok == subj:
                passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)
                return "patient" if passive else "agent"
    scope = host if host is not None else event_tok
    if tok in set(scope.subtree):
        return "other"
    return None


def _roles_and_place(lo, hi, event_tok, host, actor_spans):
    roles: dict[str, str] = {}
    place = None
    place_dist = None
    rank = {"agent": 0, "patient": 1, "other": 2}
    scope = host if host is not None else event_tok
    scope_tokens = {t.i for t in scope.subtree}
    for root, name, label, span in actor_spans:
        if not (lo <= span.start_char and span.end_char <= hi):
            continue
        if label in PLACE_LABELS and _is_place(root, scope, scope_tokens):
            dist = abs(root.i - event_tok.i)
            if place_dist is None or dist < place_dist:
                place, place_dist = name, dist
            continue
        role = _role(root, event_tok, host)
        if role is None:
            continue
        if name not in roles or rank[role] < rank[roles[name]]:
            roles[name] = role
    if place is not None:
        roles.pop(place, None)
    return roles, place


def _is_place(root, scope, scope_tokens) -> bool:
    """True when the name is the object of a locative preposition inside the event's clause ("in Tirana")."""
    if root.i not in scope_tokens:
        return False
    h = root
    while h.dep_ in ("compound", "appos", "conj", "flat") and h.head != h:
        h = h.head
    if h.dep_ != "pobj" or h.head.lower_ not in PLACE_PREPS:
        return False
    # the locative phrase must hang off the event or a noun on the way to it, not off another verb
    cur = h.head.head
    for _ in range(8):
        if cur == scope:
            return True
        if cur.pos_ in ("VERB", "AUX") or cur.head == cur:
            return False
        cur = cur.head
    return False


def _is_scheduled(event_tok, host, date: str, published: str | None) -> bool:
    """True when the text presents the event as planned or future.

    Notes:
        Future auxiliaries and "scheduled/planned/due/set/expected to" governors
        (TimeML modality and ISO-TimeML event class conventions); a date after
        the publication date is future by arithmetic.
    """
    for tok in filter(None, (event_tok, host)):
        for child in tok.children:
            if child.dep_ in ("aux",) and child.lower_ in FUTURE_AUX:
                return True
            if child.dep_ in ("amod", "compound") and child.lower_ in SCHEDULE_MODIFIERS:
                return True
        cur = tok
        for _ in range(5):
            if cur.dep_ not in ("xcomp", "ccomp", "acl", "pcomp", "dobj", "nsubjpass", "acomp") or cur.head == cur:
                break
            head = cur.head
            if head.lemma_.lower() in SCHEDULE_LEMMAS or head.lower_ in SCHEDULE_LEMMAS:
                return True
            if cur.dep_ == "xcomp" and head.lemma_.lower() == "be":
                return True  # "is to visit"
            if any(c.dep_ == "aux" and c.lower_ in FUTURE_AUX for c in head.children):
                return True
            cur = head
    if published:
        pub = published[: len(date)]
        if len(pub) == len(date) and date > pub:
            return True
    return False
