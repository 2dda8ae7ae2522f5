"""Entity mentions, acronym definitions and labels in one document.

The per-document half of issue 3 ("one entity per actor"): turn spaCy's
entity spans into clean :class:`~storyline.records.Mention` records whose
``name`` is what the cross-document resolver (:mod:`storyline.resolve.aliases`)
merges on, plus the acronym definitions (:class:`~storyline.records.Acronym`)
that bind a short form to its expansion.

Rules, in the order :func:`mentions` applies them:

1. Acronym definitions, Schwartz & Hearst style: ``Long Form (ACR)``,
   ``Long Form (ACR/ACR2)`` and ``ACR (Long Form)``, with a relaxed fallback
   for acronyms coined in another language ("Special Structure Against
   Organised Crime (SKOK)"). The long and short forms each become a name
   mention and replace whatever spaCy tagged inside them. Persian ezafe
   names ("Mojahedin-e Khalq"), which spaCy cuts in half, become one mention.
2. spaCy entities of the name types (:data:`NAME_TYPES`), completed where
   spaCy cut a name short (an organisation's "of <Place>", a head word after
   the span: "Free Zarvan" + "Summit", a camp's number), trimmed of a leading
   "the", a leading "#", trailing punctuation, "&" and "etc", cut before
   "near X"; split on "/" ("MEK / PMOI"), at line breaks, on "and the", and
   on a hyphen between two names the document already uses ("MEK-Israel").
   The head word retypes a PERSON ("Tervala Courier" is an ORG); a slogan
   ("Free Zarvan!") yields the name inside it. Pronouns, generic nouns, dates
   and all-capitals headlines are dropped.
3. Names spaCy missed: persons after a title ("Deputy Foreign Minister Idan
   Roll"), hashtags (#Iran), acronyms defined or tagged elsewhere in the
   document, undefined acronyms in running text, bare surnames of the
   document's full names, and corroborated runs of capitalised words
   (:func:`_proper_names`: "Mujahedin Khalq Organization", "Camp Ashraf 3",
   "Ashraf-3 base", or a run repeated in the document). An all-capitals
   token tagged PERSON is an ORG; a one-word name whose people the document
   names is a GPE ("Korvenia" beside "Korvenian").
4. Names: possessive, titles and honorifics stripped (:func:`clean_name`); a
   single token that is the surname of a full name in the document links to
   it; with two full names sharing the surname, the most recent full-name
   mention in the same or the previous sentence decides, else the mention is
   ambiguous and carries both as ``candidates``. "X, also known as Y" and
   "X (also called Y)" give Y the name of X; "A / B" binds only when the
   document also says A and B are one; an undefined acronym takes the name
   of the one organisation in the document whose initials it spells ("DOS",
   "US State Department" read as "Department of State").
5. Labels: a noun phrase headed by a word of the label lexicon ("cult",
   "regime", "terrorist group"), or a pejorative adjective before a name
   ("the terrorist PFMZ"), becomes ``Mention(kind="label")`` whose ``name``
   is the entity it designates (see :func:`_target`).
"""

from __future__ import annotations

import bisect
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Iterable

from storyline.records import Acronym, Mention

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc, Token

__all__ = [
    "NAME_TYPES",
    "acronym_definitions",
    "clean_name",
    "is_acronym",
    "is_demonym_of",
    "looks_like_full_name",
    "mentions",
]

#: spaCy entity types that name an actor, place, or thing worth resolving.
NAME_TYPES = frozenset(
    {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "LAW", "PRODUCT", "WORK_OF_ART"}
)

#: Titles and honorifics stripped from the front of a person's name (casefolded, no dot).
TITLES = frozenset(
    """
    dr mr mrs ms miss mx prof professor sir dame lord lady madam
    president vice deputy prime foreign interior defence defense finance justice
    minister ministers secretary undersecretary general gen col colonel lt lieutenant
    captain capt major maj sergeant sgt commander admiral marshal brigadier
    sen senator rep representative congressman congresswoman mp ambassador envoy
    consul judge mayor governor gov chairman chairwoman chairperson chair ceo
    director head leader spokesman spokeswoman spokesperson commissioner
    imam ayatollah sheikh shaikh mullah hojatoleslam king queen prince princess
    emir sultan pope cardinal bishop archbishop father rev reverend rabbi
    journalist historian analyst activist researcher author
    """.split()
)

#: Lower-cased words that are never an entity name on their own.
GENERIC = frozenset(
    """
    he she it they we i you him her them us me his hers its their our my your
    this that these those who whom which
    group organisation organization police government regime army ministry court
    embassy state president minister party movement cult sect camp agency council
    committee people members member media press the a an
    """.split()
)

#: Heads of labels designating an organisation (a "cult", a "sect").
ORG_HEADS = frozenset(
    "cult cults sect sects gang gangs mafia militia clique mercenaries mercenary "
    "terrorists terror-group".split()
)
#: Heads that designate an organisation only with a pejorative or descriptive
#: modifier: "the group" is generic, "the terrorist group" a label.
GENERIC_ORG_HEADS = frozenset(
    "group organisation organization network outfit movement force army entity party association nest ring cell".split()
)
#: Modifiers that turn a generic head into a label.
LABEL_MODIFIERS = frozenset(
    """
    terrorist terror extremist criminal violent armed militant murderous fanatical
    fanatic jihadist paramilitary cultic cult-like sectarian totalitarian
    subversive notorious shadowy spy espionage secretive brainwashed
    """.split()
)
#: Heads of labels designating a state or its government.
REGIME_HEADS = frozenset("regime regimes junta dictatorship theocracy tyranny".split())
#: Heads of labels for an agent of someone else; their "of X" names the
#: principal, not the target ("the puppet of the embassy").
PROXY_HEADS = frozenset("puppet puppets proxy proxies stooge stooges lackey lackeys mouthpiece".split())
#: Heads of labels designating a person.
PERSON_HEADS = frozenset("dictator tyrant despot warlord traitor butcher".split())

_LABEL_HEADS = ORG_HEADS | GENERIC_ORG_HEADS | REGIME_HEADS | PROXY_HEADS | PERSON_HEADS

#: Words that make a multi-token name an organisation or a place, not a person.
_NON_PERSON_WORDS = frozenset(
    """
    camp police embassy army party council organisation organization society
    university ministry department republic union nations states bank agency
    court committee association front force forces group institute foundation
    center centre news times post office airport city province county street
    square conference company corporation international national courier today
    forum resistance wire daily herald watch tribune review journal gazette press
    media network movement guard corps structure trust alliance coalition league
    """.split()
)
#: First words that make a two-word capitalised phrase something other than a person's name.
_NOT_GIVEN_NAMES = frozenset(
    """
    free new great united democratic islamic national people's peoples republic
    north south east west northern southern eastern western upper lower central
    greater old holy royal federal state supreme
    """.split()
)

#: Last words that make a capitalised phrase the name of an organisation ("... Organization",
#: "Tervala Courier"), an event ("... Summit") or a facility ("... Airport"), whatever the tagger said.
ORG_NAME_HEADS = frozenset(
    """
    organization organisation society association army party front movement council committee agency
    ministry department office bureau union league alliance coalition institute foundation corps guard
    guards brigade brigades forces police service authority commission court tribunal embassy news times
    post courier herald tribune gazette daily wire press network company corporation bank university
    college forum trust
    """.split()
)
EVENT_NAME_HEADS = frozenset(
    "summit conference congress festival games olympics war uprising revolution election elections referendum".split()
)
FAC_NAME_HEADS = frozenset("camp airport base prison stadium square bridge hospital compound palace".split())
#: First words of a facility's name ("Camp Ashraf 3", "Fort Dix").
FAC_PREFIXES = frozenset("camp fort".split())
#: Nouns after a name that make it a facility ("the Ashraf-3 base").
_FACILITY_NOUNS = frozenset("base camp compound site facility prison complex settlement".split())
#: Government bodies whose name can be inverted around "of" ("State Department" = "Department of State").
_INVERTIBLE_HEADS = frozenset("department ministry office bureau agency commission council committee court".split())
#: Words that may join the capitalised words of one name ("Association for the Support of ...").
_NAME_CONNECTORS = frozenset("of for the on against de al".split())
_CALENDAR = frozenset(
    "january february march april may june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday".split()
)
_OPENERS = frozenset("\"'(\u201c\u2018[#\u00ab")
_HYPHEN_DIGIT = re.compile(r"[A-Z][a-z\u00C0-\u024F]{2,}-\d{1,3}")

#: A capitalised verb that starts a slogan, not a given name ("Free Zarvan!").
_SLOGAN_VERBS = frozenset("free save".split())
#: First words that make a capitalised phrase a place ("North Tervala", "New Dashtabad").
_PLACE_MODIFIERS = frozenset(
    "north south east west northern southern eastern western upper lower central greater new old".split()
)

_ANAPHORA_SENTENCES = 2  # a label may refer back to the current or two previous sentences
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})
_POSSESSIVE = re.compile(r"(?:['\u2019]s|(?<=s)['\u2019])$")
# A final "." may end "U.S.", so it stays; a dangling "of"/"and" goes ("The Cult of").
_TRAIL_JUNK = re.compile(r"(?:[\s,;:&(\[{/\-\u2013\u2014]+|\s+etc\.?|\s+(?:of|and|the|for|in|or))+$", re.IGNORECASE)
_LEAD_JUNK = re.compile(r"^(?:[\s\"'\u201c\u2018#(\[]+|the\s+)+", re.IGNORECASE)


def is_acronym(text: str) -> bool:
    """Return True for an acronym-shaped token: 2-8 characters, mostly capitals.

    Notes:
        Shape test used by Schwartz & Hearst (2003) for short-form candidates,
        tightened to require at least two capitals ("MEK", "PMOI", "U.S.").
    """
    core = text.replace(".", "").replace("&", "")
    if not 2 <= len(core) <= 8 or not core[0].isalnum() or " " in core:
        return False
    caps = sum(ch.isupper() for ch in core)
    lower = sum(ch.islower() for ch in core)
    return caps >= 2 and lower <= 1


def clean_name(text: str, label: str | None = None) -> str:
    """Return the name inside a mention's surface text.

    Strips a leading "the" or "#", surrounding punctuation, a possessive
    ("MEK's" -> "MEK") and, for persons, leading titles and honorifics
    ("Dr. Olsi Jazexhi" -> "Olsi Jazexhi", "Deputy Foreign Minister Idan
    Roll" -> "Idan Roll").

    Args:
        text: the surface span.
        label: the entity type; titles are stripped only for ``PERSON`` or when
            ``None`` (unknown).

    Returns:
        The cleaned name, or ``""`` when nothing name-like is left.
    """
    name = " ".join(text.translate(_QUOTES).split())
    previous = None
    while previous != name:
        # junk, then titles, until nothing changes: "Ms #" loses "Ms", then "#"
        previous = name
        name = _LEAD_JUNK.sub("", name)
        name = _TRAIL_JUNK.sub("", name)
        name = _POSSESSIVE.sub("", name)
        name = name.strip("\"'()[]{}")
        if label in (None, "PERSON"):
            tokens = name.split()
            while len(tokens) > 1 and (
                tokens[0].rstrip(".").casefold() in TITLES
                or (_is_demonym(tokens[0]) and tokens[1].rstrip(".").casefold() in TITLES)
            ):
                tokens.pop(0)
            name = " ".join(tokens)
    return name


def _is_demonym(word: str) -> bool:
    return word[:1].isupper() and word.endswith(("an", "ian", "ese", "ish", "i"))


@dataclass
class _Cand:
    """A name mention under construction."""

    start: int
    end: int
    name: str
    label: str
    tokens: tuple[int, int]  # token start, end (exclusive)
    candidates: tuple[str, ...] = ()
    linked: bool = False


# --------------------------------------------------------------------------- acronyms

_EZAFE_NAME = re.compile(r"\b[A-Z][a-z\u00C0-\u024F]+-(?:e|ye|i)\s+(?:[A-Z][a-z\u00C0-\u024F]+)(?:\s+[A-Z][a-z\u00C0-\u024F]+)?\b")
_CUT_AT = re.compile(r"\s+(?:near|outside|north of|south of|east of|west of)\s+")
_DATE_LIKE = re.compile(
    r"\b(?:January|February|March|April|May|June|July|August|September|October|November|December)\b.*\d|\d.*\b(?:January|February|March|April|June|July|August|September|October|November|December)\b"
)
_SHOUTED = re.compile(r"[A-Z]{3,}(?:\s+[A-Z]{3,})+")  # an all-capitals headline, not a name
_PAREN = re.compile(r"\(([^()\n]{1,160})\)")
_WINDOW_STOP = re.compile(r"[\n()\[\];:!?]|\.\s+(?=[A-Z])")


def _sh_long_form(short: str, long: str) -> str | None:
    """Return the shortest suffix of ``long`` that ``short`` abbreviates, or None.

    Notes:
        Schwartz & Hearst (2003), "A simple algorithm for identifying
        abbreviation definitions in biomedical text": match the short form's
        characters right to left in the long form; the first character must
        start a word.
    """
    s, text = short.lower(), long.lower()
    si, li = len(s) - 1, len(text) - 1
    while si >= 0:
        ch = s[si]
        if not ch.isalnum():
            si -= 1
            continue
        while li >= 0 and (text[li] != ch or (si == 0 and li > 0 and text[li - 1].isalnum())):
            li -= 1
        if li < 0:
            return None
        si -= 1
        li -= 1
    start = long.rfind(" ", 0, li + 1) + 1
    return long[start:]


_FUNCTION_WORDS = frozenset("of the for and in against on to de du la".split())


def _relaxed_long_form(text: str, paren: int, short: str) -> tuple[tuple[int, int], str] | None:
    """Return the Title-Case name right before "(" that ``short`` abbreviates in another language.

    Acronyms coined in another language ("Special Structure Against Organised
    Crime (SKOK)") fail the Schwartz & Hearst letter match. Accept the run of
    capitalised words (and the function words between them) that ends at the
    parenthesis when its first word starts with the acronym's first letter
    and at least half the acronym's letters are initials of its words.
    """
    letters = [ch.casefold() for ch in short if ch.isalpha()]
    if len(letters) < 3:
        return None
    words = list(re.finditer(r"[^\s]+", text[max(0, paren - 200) : paren]))
    base = max(0, paren - 200)
    run: list[re.Match] = []
    for w in reversed(words):
        word = w.group(0)
        if word.casefold() == "and" and run and run[-1].group(0).casefold() == "the":
            run.pop()  # "State Police and the Special Structure ...": a coordination of two names
            break
        if word[:1].isupper() and word.strip(",;:") == word:
            run.append(w)
        elif word.casefold() in _FUNCTION_WORDS and run:
            run.append(w)
        else:
            break
    run.reverse()
    while run and (run[0].group(0).casefold() in _FUNCTION_WORDS or run[0].group(0).casefold() == "the"):
        run.pop(0)
    start = next((i for i, w in enumerate(run) if w.group(0)[0].casefold() == letters[0]), None)
    if start is None:
        return None
    run = run[start:]
    content = [w.group(0) for w in run if w.group(0).casefold() not in _FUNCTION_WORDS]
    if not 2 <= len(content) <= len(letters) + 3:
        return None
    initials = [part[0].casefold() for w in content for part in w.split("-") if part]
    left = list(initials)
    hits = 0
    for ch in letters:
        if ch in left:
            left.remove(ch)
            hits += 1
    if hits * 2 < len(letters):
        return None
    a, b = base + run[0].start(), base + run[-1].end()
    return (a, b), text[a:b]


def _short_forms(inner: str) -> list[str]:
    parts = [p.strip() for p in re.split(r"\s*[/,;]\s*|\s+or\s+", inner.strip())]
    if parts and all(is_acronym(p) for p in parts):
        return parts
    return []


def _long_window(text: str, end: int, short: str) -> tuple[int, str]:
    """Return (offset, text) of the words before ``end`` that may hold the long form."""
    lo = max(0, end - 400)
    chunk = text[lo:end]
    stops = list(_WINDOW_STOP.finditer(chunk))
    if stops:
        cut = stops[-1].end()
        lo, chunk = lo + cut, chunk[cut:]
    n = len(short.replace(".", ""))
    max_words = min(n + 5, 2 * n)
    words = list(re.finditer(r"\S+", chunk))[-max_words:]
    if not words:
        return end, ""
    first = words[0].start()
    return lo + first, chunk[first:].rstrip()


def _trim_long(offset: int, long: str) -> tuple[int, str]:
    m = re.match(r"(?:the|a|an)\s+", long, re.IGNORECASE)
    if m and len(long) > m.end():
        offset, long = offset + m.end(), long[m.end():]
    return offset, long.rstrip(" ,")


def acronym_definitions(text: str, doc_id: str = "") -> list[tuple[Acronym, tuple[int, int], list[tuple[int, int]]]]:
    """Find acronym definitions in ``text``.

    Args:
        text: the document text.
        doc_id: the document id copied into each record.

    Returns:
        One entry per bound short form: the :class:`Acronym` record (its
        ``start``/``end`` cover the whole definition), the (start, end) of the
        long form and the list of (start, end) of the short form(s).

    Notes:
        Schwartz & Hearst (2003): ``Long Form (SF)`` with a window of
        min(|SF| + 5, 2|SF|) words, and the reverse ``SF (Long Form)``. In
        ``Long Form (SF1/SF2)`` the first short form that matches binds the
        long form; the others are bound too when they share its first letter
        (transliterated variants such as MEK/MKO rarely satisfy the strict rule).
    """
    out: list[tuple[Acronym, tuple[int, int], list[tuple[int, int]]]] = []
    for m in _PAREN.finditer(text):
        inner = m.group(1)
        shorts = _short_forms(inner)
        if shorts:
            bound: list[tuple[str, int, int]] = []
            long_span: tuple[int, int] | None = None
            long_text = ""
            for short in shorts:
                w_off, window = _long_window(text, m.start(), short)
                found = _sh_long_form(short, window)
                if found is None:
                    continue
                offset, long = _trim_long(w_off + len(window) - len(found), found)
                words = long.split()
                if len(long) <= len(short) or short.casefold() in long.casefold().split():
                    continue
                if not any(w[:1].isupper() for w in words):
                    continue
                long_span, long_text = (offset, offset + len(long)), long
                break
            if long_span is None:
                relaxed = _relaxed_long_form(text, m.start(), shorts[0])
                if relaxed is None:
                    continue
                long_span, long_text = relaxed
            pos = m.start(1)
            for short in shorts:
                s_at = text.find(short, pos, m.end())
                if s_at < 0:
                    continue
                pos = s_at + len(short)
                if _sh_long_form(short, long_text) is None and short[0].casefold() != long_text[0].casefold():
                    continue
                bound.append((short, s_at, s_at + len(short)))
            spans = [(a, b) for _, a, b in bound]
            for short, _, _ in bound:
                out.append(
                    (
                        Acronym(doc=doc_id, short=short, long=long_text, start=long_span[0], end=m.end()),
                        long_span,
                        spans,
                    )
                )
            continue
        # Reverse form: "ACR (Long Form)".
        before = re.search(r"(\S+)\s*$", text[max(0, m.start() - 20) : m.start()])
        if not before:
            continue
        short = before.group(1).rstrip(",")
        if not is_acronym(short) or " " not in inner.strip():
            continue
        inner_stripped = inner.strip()
        found = _sh_long_form(short, inner_stripped)
        if found is None or found != inner_stripped[len(inner_stripped) - len(found) :]:
            continue
        offset = m.start(1) + (len(inner) - len(inner.lstrip())) + len(inner_stripped) - len(found)
        offset, long = _trim_long(offset, found)
        n = len(short.replace(".", ""))
        if len(long.split()) > min(n + 5, 2 * n) or len(long) <= len(short):
            continue
        s_at = text.rfind(short, 0, m.start())
        out.append(
            (
                Acronym(doc=doc_id, short=short, long=long, start=s_at, end=m.end()),
                (offset, offset + len(long)),
                [(s_at, s_at + len(short))],
            )
        )
    return out


# --------------------------------------------------------------------------- helpers


def _char_span_tokens(doc: "Doc", start: int, end: int) -> tuple[int, int] | None:
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return None
    return span.start, span.end


def _trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink [start, end) past leading "the"/"#"/quotes and trailing junk."""
    piece = text[start:end]
    lead = _LEAD_JUNK.match(piece)
    if lead:
        start += lead.end()
        piece = piece[lead.end():]
    trail = _TRAIL_JUNK.search(piece)
    if trail and trail.start() > 0:
        end = start + trail.start()
    return start, end


def looks_like_full_name(name: str) -> bool:
    """Return True for a 2-4 word capitalised name that can be a person's full name.

    Words that mark organisations and places ("Camp", "Police", "Courier") or
    that cannot be a given name ("Free", "Islamic") rule it out.
    """
    tokens = name.split()
    if not 2 <= len(tokens) <= 4:
        return False
    if any(t.casefold() in _NON_PERSON_WORDS for t in tokens) or tokens[0].casefold() in _NOT_GIVEN_NAMES:
        return False
    return all(t[:1].isupper() and t.replace("-", "").replace("'", "").isalpha() and not t.isupper() for t in tokens)


def _fold(text: str) -> str:
    from unidecode import unidecode

    return unidecode(text).casefold()


def _is_generic(name: str) -> bool:
    """Return True for pronouns, generic nouns and lower-case phrases ("he", "the group", "anti-Iran")."""
    if not any(ch.isupper() or ch.isdigit() for ch in name) or _NOT_A_NAME.match(name):
        return True
    words = name.split()
    if len(words) >= 2 and all(w[:1].isupper() and w.casefold() not in _CLOSED_CLASS for w in words):
        return False  # "State Police", "Supreme Court": generic words capitalised into a name
    return all(w.casefold() in GENERIC and not is_acronym(w) for w in words)


_CLOSED_CLASS = frozenset(
    "he she it they we i you him her them us me his hers its their our my your "
    "this that these those who whom which the a an".split()
)


_NOT_A_NAME = re.compile(r"^(?:anti|pro|non|ex|neo|post|pre)-", re.IGNORECASE)


# --------------------------------------------------------------------------- main


def mentions(doc: "Doc", doc_id: str = "") -> tuple[list[Mention], list[Acronym]]:
    """Return the entity mentions and acronym definitions of one parsed document.

    Args:
        doc: a spaCy ``Doc`` with entities and a dependency parse.
        doc_id: the document id copied into every record.

    Returns:
        ``(mentions, acronyms)``: name mentions (``kind="name"``) and label
        mentions (``kind="label"``) sorted by offset, and the acronym
        definitions found.

    Notes:
        Acronyms: Schwartz & Hearst (2003). Surname linking and title
        stripping follow the within-document coreference heuristics of
        news NER pipelines (e.g. Stanford CoreNLP's "name match" sieve).
    """
    text = doc.text
    cands: list[_Cand] = []
    taken = [False] * len(doc)

    def claim(start: int, end: int, name: str, label: str) -> _Cand | None:
        if not name or _is_generic(name):
            return None
        toks = _char_span_tokens(doc, start, end)
        if toks is None:
            return None
        cand = _Cand(start, end, name, label, toks)
        cands.append(cand)
        for i in range(*toks):
            taken[i] = True
        return cand

    # 1. Acronym definitions: both halves become mentions; spaCy's pieces inside are dropped.
    acr_found = acronym_definitions(text, doc_id)
    acronyms = [a for a, _, _ in acr_found]
    ent_votes: dict[str, Counter[str]] = defaultdict(Counter)
    for ent in doc.ents:
        if ent.label_ in NAME_TYPES:
            ent_votes[clean_name(ent.text, ent.label_).casefold()][_fix_label(ent.text, ent.label_)] += 1
    blocked: list[tuple[int, int]] = []
    seen_spans: set[tuple[int, int]] = set()
    short_names: dict[str, str] = {}
    for acr, (ls, le), short_spans in acr_found:
        label = _voted(ent_votes.get(acr.short.casefold()), _voted(ent_votes.get(acr.long.casefold()), "ORG"))
        short_names[acr.short] = label
        for a, b, name in [(ls, le, acr.long)] + [(a, b, text[a:b]) for a, b in short_spans]:
            if (a, b) in seen_spans:
                continue
            seen_spans.add((a, b))
            blocked.append((a, b))
            claim(a, b, name, label)

    # Persian ezafe compounds ("Mojahedin-e Khalq") that spaCy cuts in half.
    for m in _EZAFE_NAME.finditer(text):
        a, b = m.start(), m.end()
        if any(a < be and ba < b for ba, be in blocked):
            continue
        blocked.append((a, b))
        label = "ORG"
        claim(a, b, m.group(0), label)

    def overlaps_blocked(a: int, b: int) -> bool:
        return any(a < be and ba < b for ba, be in blocked)

    # 2. spaCy entities, completed, trimmed and split.
    doc_names: set[str] = {n for n in ent_votes} | {s.casefold() for s in short_names}
    absorbed: set[int] = set()  # entities swallowed by the longer name before them
    for ent in doc.ents:
        if ent.label_ not in NAME_TYPES or ent.start in absorbed or overlaps_blocked(ent.start_char, ent.end_char):
            continue
        ent_end, label = _complete_name(doc, ent.start, ent.end, _fix_label(ent.text, ent.label_), absorbed)
        end_char = doc[ent_end - 1].idx + len(doc[ent_end - 1].text)
        if overlaps_blocked(ent.start_char, end_char):
            ent_end, end_char, label = ent.end, ent.end_char, _fix_label(ent.text, ent.label_)
        parts: list[_Cand | None] = []
        for a, b in _split_ent(text, ent.start_char, end_char, doc_names):
            a, b = _trim_span(text, a, b)
            cut = _CUT_AT.search(text, a, b)
            if cut:
                a, b = _trim_span(text, a, cut.start())
            if b <= a or _DATE_LIKE.search(text[a:b]) or _SHOUTED.fullmatch(text[a:b]):
                continue
            name = clean_name(text[a:b], label)
            if label == "PERSON" and not looks_like_full_name(name) and " " in name:
                first = name.split()[0]
                if first.casefold() in _SLOGAN_VERBS:
                    # "Free Zarvan!": a slogan naming a place or person, not a person called "Free".
                    rest = name[len(first) :].strip()
                    at = text.find(rest, a, b)
                    part_label = _voted(ent_votes.get(rest.casefold()), label)
                    parts.append(claim(at, at + len(rest), rest, part_label))
                    continue
                if first.casefold() in _NOT_GIVEN_NAMES:
                    label = "GPE" if first.casefold() in _PLACE_MODIFIERS else "ORG"
            parts.append(claim(a, b, name, label))

    # 3. Persons after a title, hashtags, and defined acronyms spaCy missed.
    _titled_persons(doc, taken, claim)
    for tok in doc:
        if taken[tok.i]:
            continue
        word = tok.text
        if tok.i > 0 and doc[tok.i - 1].text == "#" and word[:1].isupper():
            label = _voted(ent_votes.get(word.casefold()), "ORG" if is_acronym(word) else "")
            if label:
                claim(tok.idx, tok.idx + len(word), word, label)
        elif word in short_names or (is_acronym(word) and word.casefold() in ent_votes):
            label = short_names.get(word) or _voted(ent_votes.get(word.casefold()), "ORG")
            claim(tok.idx, tok.idx + len(word), word, label)
        elif _bare_acronym(doc, tok):
            claim(tok.idx, tok.idx + len(word), word, "ORG")

    # Surnames of the document's full names that spaCy did not tag ("Farouk declined").
    surnames = {c.name.split()[-1] for c in cands if c.label == "PERSON" and looks_like_full_name(c.name)}
    for tok in doc:
        if not taken[tok.i] and tok.text in surnames and tok.pos_ == "PROPN":
            claim(tok.idx, tok.idx + len(tok.text), tok.text, "PERSON")
    sent_of = _sentence_index(doc)
    # Capitalised names the tagger missed, when the text corroborates them.
    _proper_names(doc, taken, claim, sent_of)

    cands.sort(key=lambda c: (c.start, c.end))
    _type_states(cands)

    # 4. Surnames link to full names in the document; "also known as" names join
    # their entity, and so do slash-joined acronyms the document says are one;
    # an undefined acronym takes the one name in the document it abbreviates.
    _link_surnames(cands, sent_of)
    _also_known_as(text, cands, sent_of)
    slash_pairs = [
        (x, y)
        for x, y in zip(cands, cands[1:])
        if text[x.end : y.start].strip() == "/" and is_acronym(x.name) and is_acronym(y.name)
    ]
    _bind_slash_pairs(text, cands, slash_pairs)
    _link_initials(cands, short_names)

    # 5. Labels.
    name_at = {}
    for c in cands:
        if _is_label_phrase(c.name):
            continue
        for i in range(*c.tokens):
            name_at[i] = c
    labels = _labels(doc, cands, name_at, sent_of, doc_id)
    label_spans = [(m.start, m.end) for m in labels]

    out: list[Mention] = []
    for c in cands:
        inside = [(a, b) for a, b in label_spans if c.start < b and a < c.end]
        if inside and (
            _is_label_phrase(text[c.start : c.end])
            or (text[c.start : c.end].split()[-1].casefold() in DESIGNATION_HEADS and all(a <= c.start and c.end <= b for a, b in inside))
        ):
            continue  # "the Cult of Rajavi", "the Zarvani Resistance": labels, not names
        out.append(
            Mention(
                doc=doc_id,
                start=c.start,
                end=c.end,
                text=text[c.start : c.end],
                name=c.name,
                label=c.label,
                candidates=c.candidates,
            )
        )
    out.extend(labels)
    out.sort(key=lambda m: (m.start, m.end, m.kind))
    return out, acronyms


#: Capitalised abbreviations that do not name an actor.
COMMON_ABBREVIATIONS = frozenset(
    """
    CEO CFO CTO COO MP MEP PM AM TV GDP DNA HIV AIDS COVID SMS PDF USB GPS CCTV VIP PR HR IT
    UTC GMT BBQ FAQ ID OK PS NB RIP DIY ASAP AKA ETA QA
    """.split()
)


def _bare_acronym(doc: "Doc", tok: "Token") -> bool:
    """Return True for an undefined acronym in running text ("The terrorist PFMZ").

    Only 3-6 capitals, a proper noun, not a common abbreviation, and not
    inside a shouted (all-capitals) line.
    """
    word = tok.text
    if not (3 <= len(word) <= 6 and word.isalpha() and word.isupper()) or word in COMMON_ABBREVIATIONS:
        return False
    if tok.pos_ != "PROPN":
        return False
    for nb in (tok.i - 1, tok.i + 1):
        if 0 <= nb < len(doc) and doc[nb].is_alpha and doc[nb].text.isupper() and len(doc[nb].text) > 1:
            return False
    return True


def _fix_label(text: str, label: str) -> str:
    """Return the type a name's shape implies when the tagger's type contradicts it.

    An acronym-shaped span tagged PERSON is an ORG; a PERSON span whose last
    word names an organisation, event or facility ("Tervala Courier", "Camp
    Sahar") takes that type, as does any name ending in an event word
    ("Free Zarvan Summit").

    Notes:
        The small English model tags unknown capitalised acronyms ("SPAK",
        "IRGC") and unknown outlets as PERSON; the head noun of an English
        proper name decides its kind (Quirk et al. 1985, 17.4 on proper-name heads).
    """
    name = clean_name(text, label)
    if label == "PERSON" and is_acronym(name):
        return "ORG"
    head = _head_type(name)
    if head and (label == "PERSON" or head == "EVENT" and label in ("ORG", "NORP", "PRODUCT", "WORK_OF_ART")):
        return head
    return label


def _head_type(name: str) -> str | None:
    """Return ORG, EVENT or FAC when the last (or, for facilities, first) word of ``name`` says so."""
    words = name.split()
    if len(words) < 2:
        return None
    first, last = words[0].casefold(), words[-1].casefold()
    if last in EVENT_NAME_HEADS:
        return "EVENT"
    if last in FAC_NAME_HEADS or first in FAC_PREFIXES:
        return "FAC"
    if last in ORG_NAME_HEADS:
        return "ORG"
    return None


def _name_word(tok: "Token") -> bool:
    """Return True for a capitalised word that can be part of a proper name (not a date word, not all capitals)."""
    word = tok.text
    if not word[:1].isupper() or word.casefold() in _CALENDAR:
        return False
    if _HYPHEN_DIGIT.fullmatch(word):
        return True
    core = word.replace("-", "").replace("'", "").replace("\u2019", "")
    return core.isalpha() and any(ch.islower() for ch in core[1:]) if len(core) > 1 else False


def _same_line(doc: "Doc", i: int) -> bool:
    """Return True when token ``i`` continues the line of token ``i - 1``."""
    return "\n" not in doc[i - 1].whitespace_ and "\n" not in doc[i].text


def _complete_name(doc: "Doc", start: int, end: int, label: str, absorbed: set[int]) -> tuple[int, str]:
    """Extend an entity spaCy cut short; return the new end token and type.

    Two completions: an organisation's "of <Place>" ("National Liberation
    Army" + "of Iran"), and capitalised words after the span that end in a
    name head ("Free Zarvan" + "Summit" is an event, not a person called
    Free Zarvan). The entity swallowed by the first is recorded in ``absorbed``.

    Notes:
        English proper names are right-headed: the last capitalised word
        decides the kind of thing named (Quirk et al. 1985, 17.4).
    """
    n = len(doc)
    last = doc[end - 1].lower_
    if (
        label == "ORG"
        and last in ORG_NAME_HEADS
        and end + 1 < n
        and doc[end].lower_ == "of"
        and doc[end + 1].ent_iob_ == "B"
        and doc[end + 1].ent_type_ in ("GPE", "LOC")
        and _same_line(doc, end)
    ):
        k = end + 2
        while k < n and doc[k].ent_iob_ == "I":
            k += 1
        absorbed.add(end + 1)
        return k, label
    if (
        label == "FAC"
        and end < n
        and doc[end].text.isdigit()
        and len(doc[end].text) <= 2
        and _same_line(doc, end)
        and (end + 1 == n or doc[end + 1].pos_ not in ("NOUN", "NUM", "PROPN"))
    ):
        return end + 1, label  # "Camp Liberty 2", not "Camp Liberty, 2 kilometres away"
    k = end
    while k < n and k - end < 2 and doc[k].ent_type_ == "" and _same_line(doc, k) and not doc[k].is_sent_start:
        if not (_name_word(doc[k]) and doc[k].pos_ == "PROPN"):
            break
        k += 1
        head = _head_type(f"{doc[start].text} {doc[k - 1].text}") if doc[k - 1].lower_ not in FAC_PREFIXES else None
        if head and doc[start].lower_ in FAC_PREFIXES and doc[k - 1].lower_ not in FAC_NAME_HEADS:
            head = None  # "Camp Sahar" + "Free": only a head word after the name completes it
        if head:
            return k, head
    return end, label


def _proper_names(doc: "Doc", taken: list[bool], claim, sent_of: list[int]) -> None:
    """Add capitalised names the tagger missed, when the text corroborates them.

    A run of capitalised words (joined by "of", "for", "the" ...) on one line
    becomes a name when its last word is an organisation, event or facility
    head ("Mujahedin Khalq Organization"), when it starts with "Camp"/"Fort"
    ("Camp Ashraf 3", a trailing number of 1-2 digits kept), or when the same
    run of proper nouns occurs twice in the document, once mid-sentence. A single word with a
    hyphenated number ("Ashraf-3") is a facility when a facility noun follows.

    Notes:
        Capitalisation-based candidate generation with corroboration, as in
        the "capitalized sequence" baselines of Mikheev, Moens & Grover (1999),
        "Named entity recognition without gazetteers".
    """
    n = len(doc)
    runs: list[tuple[int, int]] = []
    i = 0
    while i < n:
        if taken[i] or not _name_word(doc[i]):
            i += 1
            continue
        last = i
        j = i + 1
        while j < n and not taken[j] and _same_line(doc, j) and sent_of[j] == sent_of[i]:
            t = doc[j]
            if _name_word(t):
                last = j
            elif t.lower_ in _NAME_CONNECTORS and t.text.islower():
                pass
            elif t.like_num and t.text.isdigit() and len(t.text) <= 2:
                last = j
                j += 1
                break
            else:
                break
            j += 1
        start = i
        # A sentence- or line-initial common word is capitalised by position only ("The", "Women").
        while start <= last and (
            doc[start].lower_ in _NAME_CONNECTORS
            or doc[start].pos_ in ("DET", "PRON")
            or ((start == 0 or doc[start].is_sent_start or not _same_line(doc, start)) and doc[start].pos_ != "PROPN")
        ):
            start += 1
        glued = start > 0 and doc[start - 1].whitespace_ == "" and doc[start - 1].text not in _OPENERS
        if start <= last and not glued:  # "Commander-in-Chief Forum" does not start at "Chief"
            runs.append((start, last + 1))
        i = max(j, i + 1)
    counts = Counter(doc[a:b].text for a, b in runs)
    # Capitals mid-sentence are evidence of a name; at a sentence or line start they are not.
    mid = {doc[a:b].text for a, b in runs if a > 0 and not doc[a].is_sent_start and _same_line(doc, a)}
    for a, b in runs:
        span = doc[a:b]
        words = [t for t in span if _name_word(t)]
        label = None
        if len(words) >= 2 and not all(t.lower_ in TITLES or t.lower_ in GENERIC for t in words):
            label = _head_type(" ".join(t.text for t in words))
            if label is None and counts[span.text] >= 2 and span.text in mid and all(t.pos_ == "PROPN" for t in words):
                label = "PERSON" if looks_like_full_name(span.text) else "ORG"
            if doc[b - 1].like_num and words[0].lower_ not in FAC_PREFIXES:
                continue  # "Summit 2024": a year or a count, not part of the name
        elif b - a == 1 and _HYPHEN_DIGIT.fullmatch(span.text) and b < n and doc[b].lower_ in _FACILITY_NOUNS:
            label = "FAC"
        if label:
            claim(span.start_char, span.end_char, clean_name(span.text, label), label)


def _voted(votes: Counter[str] | None, default: str) -> str:
    if not votes:
        return default
    return votes.most_common(1)[0][0]


def _split_ent(text: str, start: int, end: int, doc_names: set[str]) -> list[tuple[int, int]]:
    """Split "MEK / PMOI" on slashes, at line breaks and on "and the"; "MEK-Israel" when both halves are document names."""
    piece = text[start:end]
    parts: list[tuple[int, int]] = []
    pos = 0
    # A name never crosses a line break, and "X and the Y" coordinates two names.
    for m in re.finditer(r"\s*/\s*|\s*\n\s*|\s+and\s+the\s+(?=[A-Z])", piece):
        parts.append((start + pos, start + m.start()))
        pos = m.end()
    parts.append((start + pos, end))
    out: list[tuple[int, int]] = []
    for a, b in parts:
        sub = text[a:b]
        hy = re.fullmatch(r"([A-Z][\w.]*)-([A-Z][\w.]*)", clean_name(sub, None))
        if hy and hy.group(1).casefold() in doc_names and hy.group(2).casefold() in doc_names:
            cut = a + sub.index(hy.group(1)) + len(hy.group(1))
            out.extend([(a, cut), (cut + 1, b)])
        else:
            out.append((a, b))
    return out


def _titled_persons(doc: "Doc", taken: list[bool], claim) -> None:
    """Add "<Title> Given Family" persons that spaCy did not tag."""
    i = 0
    n = len(doc)
    while i < n:
        tok = doc[i]
        if tok.text.rstrip(".").casefold() in TITLES and tok.text[:1].isupper():
            j = i + 1
            while j < n and doc[j].text.rstrip(".").casefold() in TITLES and doc[j].text[:1].isupper():
                j += 1
            k = j
            while k < n and k - j < 3 and doc[k].pos_ == "PROPN" and doc[k].text[:1].isupper() and doc[k].text.isalpha():
                k += 1
            if k - j >= 2 and not any(taken[t] for t in range(j, k)):
                span = doc[j:k]
                if looks_like_full_name(span.text):
                    claim(span.start_char, span.end_char, span.text, "PERSON")
            i = max(k, i + 1)
        else:
            i += 1


def _sentence_index(doc: "Doc") -> list[int]:
    """Map each token index to its sentence number.

    A line break also starts a sentence: headlines, captions and bylines end
    without a full stop and the parser runs them into the next paragraph.
    """
    idx = [0] * len(doc)
    has_sents = doc.has_annotation("SENT_START")
    s_no = 0
    for tok in doc:
        if tok.i > 0 and ((has_sents and tok.is_sent_start) or "\n" in doc[tok.i - 1].text_with_ws):
            s_no += 1
        idx[tok.i] = s_no
    return idx


_LED_BY = frozenset("led founded headed run controlled directed created".split())
_LEADS = frozenset("founded leads led heads headed runs ran created co-founded chairs".split())
_LEADER_NOUNS = frozenset("leader founder head chief chairman chairwoman president commander".split())


def _past_articles(doc: "Doc", k: int) -> int:
    """Return the index of the first token at or after ``k`` that is not "the" or "a"."""
    while k < len(doc) and doc[k].lower_ in ("the", "a"):
        k += 1
    return k


def _leaders(doc: "Doc", cands: list[_Cand], sent_of: list[int], is_org) -> dict[str, str]:
    """Map person names to the organisation the document says they lead.

    Patterns: "<ORG>, the group led by <PERSON>", "<PERSON>, leader of <ORG>",
    "<ORG> leader <PERSON>".
    """
    out: dict[str, str] = {}
    starts = {c.tokens[0]: c for c in cands}
    ends = {c.tokens[1]: c for c in cands}
    orgs = [c for c in cands if is_org(c)]
    for c in cands:
        if c.label != "PERSON":
            continue
        persons = c.candidates or (c.name,)
        i = c.tokens[0]
        # "... led by <PERSON>": nearest organisation before, same or previous sentence.
        if i >= 2 and doc[i - 1].lower_ == "by" and doc[i - 2].lower_ in _LED_BY:
            before = [o for o in orgs if o.end <= c.start and sent_of[i] - sent_of[o.tokens[0]] <= 1]
            if before:
                for p in persons:
                    out.setdefault(p, before[-1].name)
                continue
        # "<PERSON> founded/leads (the) <ORG>"
        j = c.tokens[1]
        if j < len(doc) and doc[j].lower_ in _LEADS:
            k = _past_articles(doc, j + 1)
            if k in starts and is_org(starts[k]):
                for p in persons:
                    out.setdefault(p, starts[k].name)
                continue
        # "<ORG> leader <PERSON>"
        if i >= 2 and doc[i - 1].lower_ in _LEADER_NOUNS and i - 1 in ends and is_org(ends[i - 1]):
            for p in persons:
                out.setdefault(p, ends[i - 1].name)
            continue
        # "<PERSON>, (the) leader of (the) <ORG>"
        j = c.tokens[1]
        while j < len(doc) and j - c.tokens[1] < 5 and doc[j].lower_ in (",", "the", "a", "its", "his", "her", "long-time", "longtime"):
            j += 1
        if j + 1 < len(doc) and doc[j].lower_ in _LEADER_NOUNS and doc[j + 1].lower_ == "of":
            k = _past_articles(doc, j + 2)
            if k in starts and is_org(starts[k]):
                for p in persons:
                    out.setdefault(p, starts[k].name)
    return out


def _link_surnames(cands: list[_Cand], sent_of: list[int]) -> None:
    """Expand single-token surnames to the document's full names (in place)."""
    full_by_surname: dict[str, list[_Cand]] = defaultdict(list)
    votes_of: dict[str, Counter[str]] = defaultdict(Counter)
    for c in cands:
        votes_of[c.name][c.label] += 1
    for c in cands:
        if c.label in ("PERSON", "ORG", "GPE", "WORK_OF_ART", "NORP", "FAC") and looks_like_full_name(c.name):
            full_by_surname[_fold(c.name.split()[-1])].append(c)
    if not full_by_surname:
        return
    for c in cands:
        if " " in c.name or is_acronym(c.name):
            continue
        fulls = full_by_surname.get(_fold(c.name))
        if not fulls:
            continue
        names = sorted({f.name for f in fulls})
        if _voted(votes_of[c.name], "") in ("GPE", "LOC", "NORP", "FAC") and not any(
            votes_of[n]["PERSON"] for n in names
        ):
            continue  # a place that happens to end a capitalised phrase ("Free Zarvan")
        if len(names) == 1:
            chosen = names[0]
        else:
            # The most recent full-name mention in this or the previous sentence decides.
            here = sent_of[c.tokens[0]]
            recent = [f for f in fulls if f.end <= c.start and here - sent_of[f.tokens[0]] <= 1]
            if recent:
                chosen = max(recent, key=lambda f: f.end).name
            else:
                c.candidates = tuple(names)
                c.label = "PERSON"
                continue
        c.name = chosen
        # A full-name-shaped name reused by its surname alone is a person
        # whatever the tagger said about either mention.
        c.label = "PERSON"
        c.linked = True


def _type_states(cands: list[_Cand]) -> None:
    """Type as a place every one-word name whose demonym the document tags NORP ("Korvenia" beside "Korvenian").

    Notes:
        English demonym derivation (Quirk et al. 1985, App. I): a name that is
        the stem of a people's adjective is the place, whatever the tagger said.
    """
    norps = {c.name for c in cands if c.label == "NORP" and " " not in c.name}
    if not norps:
        return
    verdict: dict[str, bool] = {}
    for c in cands:
        if c.label in ("GPE", "LOC", "NORP") or " " in c.name or c.candidates or is_acronym(c.name):
            continue
        if c.name not in verdict:
            verdict[c.name] = any(is_demonym_of(d, c.name) for d in norps)
        if verdict[c.name]:
            c.label = "GPE"


_AKA_BETWEEN = r"\s*(?:,|\()?\s*(?:also|otherwise|better|commonly)\s+(?:known\s+as|called)\s+(?:the\s+)?"


def _bind_slash_pairs(text: str, cands: list[_Cand], pairs: list[tuple[_Cand, _Cand]]) -> None:
    """Give "B" in "A / B" the name of A when the document elsewhere says A and B are one (in place).

    "MEK / PMOI" may list one organisation's two acronyms or two
    organisations ("US/UK forces"); the slash alone does not decide. It binds
    when the document also writes "A, also known as B", "A (B)" or the reverse.

    Notes:
        Corroborated alias evidence in the spirit of Hearst (1992) patterns.
    """
    for a, b in pairs:
        if a.name == b.name:
            continue
        x, y = re.escape(a.name), re.escape(b.name)
        said = re.compile(rf"\b(?:{x}(?:{_AKA_BETWEEN}|\s*\(\s*){y}|{y}(?:{_AKA_BETWEEN}|\s*\(\s*){x})\b")
        if not said.search(text):
            continue
        old = b.name
        for c in cands:
            if c.name == old:
                c.name, c.label = a.name, a.label


def _initials(words: list[str]) -> list[tuple[str, bool]]:
    """Return (initial, optional) per word part: function words may or may not give a letter."""
    out = []
    for w in words:
        for part in w.split("-"):
            if part:
                out.append((part[0].casefold(), part.casefold() in _FUNCTION_WORDS))
    return out


def _initials_match(letters: str, inits: list[tuple[str, bool]]) -> bool:
    """True when ``letters`` are the initials of every content word, in order (function words optional)."""
    if len(letters) > len(inits):
        return False

    @lru_cache(maxsize=None)
    def go(i: int, j: int) -> bool:
        if j == len(inits):
            return i == len(letters)
        ch, optional = inits[j]
        if i < len(letters) and letters[i] == ch and go(i + 1, j + 1):
            return True
        return optional and go(i, j + 1)

    return go(0, 0)


def _link_initials(cands: list[_Cand], defined: dict[str, str]) -> None:
    """Name an undefined acronym after the one organisation in the document whose initials it spells (in place).

    Variants tried: the name, the name without a leading place ("US State
    Department" -> "State Department"), and a government body's name inverted
    around "of" ("State Department" -> "Department of State", hence "DOS").
    Acronyms of fewer than three letters are too ambiguous and left alone.

    Notes:
        Implicit abbreviation resolution by initials, as in the
        "acronym-expansion by initial letters" baselines of Nadeau & Turney
        (2005); the "of" inversion is the English pre-/post-modifier alternation.
    """
    places = {c.name for c in cands if c.label in ("GPE", "NORP", "LOC")}
    orgs = {c.name: c.label for c in cands if c.label == "ORG" and " " in c.name and not c.candidates}
    if not orgs:
        return
    variants: dict[str, list[list[str]]] = {}
    for name in orgs:
        words = name.split()
        forms = [words]
        if len(words) > 2 and (words[0] in places or is_acronym(words[0]) or _is_demonym(words[0])):
            forms.append(words[1:])
        for f in list(forms):
            if len(f) >= 2 and f[-1].casefold() in _INVERTIBLE_HEADS:
                forms.append([f[-1], "of", *f[:-1]])
        variants[name] = forms
    for c in cands:
        if c.name in defined or not is_acronym(c.name) or c.candidates:
            continue
        letters = "".join(ch.casefold() for ch in c.name if ch.isalpha())
        if len(letters) < 3:
            continue
        hits = {n for n, forms in variants.items() if any(_initials_match(letters, _initials(f)) for f in forms)}
        if len(hits) == 1:
            c.name = hits.pop()
            c.label = "ORG"


_AKA = re.compile(
    r"(?:,|\(|\b)\s*(?:(?:also|otherwise|better|commonly|widely|formerly)?\s*(?:known|referred to)\s+"
    r"(?:as|by\s+(?:its|the|their)\s+(?:[A-Za-z]+\s+)?name)"
    r"|(?:also|otherwise|commonly|formerly)\s+called|a\.k\.a\.?|aka)\s+(?:the\s+)?"
)


def _also_known_as(text: str, cands: list[_Cand], sent_of: list[int]) -> None:
    """Give "X, also known as Y" the name of X (in place).

    X is the last organisation or place named before the phrase in the same or
    the previous sentence ("The movement, also known by its Persian name Y"
    after "the People's Freedom Movement (PFMZ)."). Labels ("also known as the
    Cult of Rajavi") and persons are left alone.

    Notes:
        Appositive alias patterns, in the spirit of Hearst (1992) lexico-syntactic patterns.
    """
    by_start = {c.start: c for c in cands}
    for m in _AKA.finditer(text):
        y = next((by_start[i] for i in range(m.end(), m.end() + 3) if i in by_start), None)
        if y is None or y.label == "PERSON" or y.candidates or _is_label_phrase(y.name):
            continue
        here = sent_of[y.tokens[0]]
        before = [
            c
            for c in cands
            if c.end <= m.start() + 1
            and here - sent_of[c.tokens[0]] <= 1
            and c.label in ("ORG", "GPE", "FAC", "LOC")
            and not c.linked
            and not c.candidates
        ]
        if before and before[-1].name != y.name:
            y.name, y.label = before[-1].name, before[-1].label


def _is_label_phrase(text: str) -> bool:
    """Return True for a phrase headed by a label word ("the Cult of Rajavi", "the terrorist group").

    A capitalised generic head ("Mujahedin Khalq Organization", "Communist
    Party") is the head of a proper name, not a label.
    """
    for w in re.findall(r"[\w-]+", text):
        low = w.casefold()
        if low in _LABEL_HEADS and not (low in GENERIC_ORG_HEADS and w[:1].isupper()):
            return True
    return False


def _labels(doc: "Doc", cands: list[_Cand], name_at: dict, sent_of: list[int], doc_id: str) -> list[Mention]:
    """Find label noun phrases and resolve the entity each designates."""
    text = doc.text
    cands = [c for c in cands if not _is_label_phrase(c.name)]  # "the Cult of Rajavi" is no one's name
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for c in cands:
        votes[c.name][c.label] += 1
    # A full-name shape counts as a person unless every mention of it is typed
    # otherwise ("Mojahedin-e Khalq", named after its acronym, is an organisation).
    personish = {
        c.name
        for c in cands
        if c.label == "PERSON"
        or c.linked
        or (looks_like_full_name(c.name) and set(votes[c.name]) - {"ORG", "GPE", "LOC", "FAC"})
    }
    doc_type = {n: _voted(v, "ORG") for n, v in votes.items()}
    norps = [n for n, t in doc_type.items() if t == "NORP"]
    for n in doc_type:
        if doc_type[n] != "NORP" and any(is_demonym_of(d, n) for d in norps):
            doc_type[n] = "GPE"  # "Korvenia" beside "Korvenian" is a state, whatever the tagger said
    org_counts = Counter(
        c.name for c in cands if doc_type[c.name] == "ORG" and c.name not in personish and not c.candidates
    )
    sents_of: dict[str, set[int]] = defaultdict(set)
    for c in cands:
        sents_of[c.name].add(sent_of[c.tokens[0]])
        for cand_name in c.candidates:
            sents_of[cand_name].add(sent_of[c.tokens[0]])
    leaders = _leaders(
        doc, cands, sent_of, lambda c: doc_type.get(c.name) == "ORG" and c.name not in personish and not c.candidates
    )
    ctx = _LabelContext(
        cands,
        sent_of,
        personish,
        org_counts,
        labelled=Counter(),
        doc_type=doc_type,
        sents_of=sents_of,
        leaders=leaders,
        starts=[c.start for c in cands],
    )
    out: list[Mention] = []
    used: set[int] = set()
    for tok in doc:
        lemma = tok.lower_
        designation = _designation(doc, tok, sent_of, ctx)
        if designation is not None:
            target = _target("org", None, tok, ctx)
            if target is not None:
                start, end = doc[designation].idx, tok.idx + len(tok.text)
                used.update(range(designation, tok.i + 1))
                ctx.labelled[target[0]] += 1
                ctx.org_chain.append(target)
                out.append(Mention(doc_id, start, end, text[start:end], target[0], target[1], "label"))
            continue
        if lemma not in _LABEL_HEADS or tok.pos_ not in ("NOUN", "PROPN") or tok.i in used or tok.text.isupper():
            continue  # an all-capitals head is a shouted headline, not a phrase we can parse
        if tok.i + 1 < len(doc) and doc[tok.i + 1].text == "-":
            continue  # "cult-like": a modifier, not a head
        sent_start = sent_of[tok.i]
        mods = [ch for ch in tok.children if ch.dep_ in ("amod", "compound", "nmod", "poss") and ch.i < tok.i]
        # The parser often hangs a pre-modifier elsewhere ("the Azarmehr cult" across a headline break).
        prev = tok.i - 1
        if prev >= 0 and sent_of[prev] == sent_start and doc[prev] not in mods and (
            prev in name_at or doc[prev].pos_ in ("PROPN", "ADJ")
        ):
            mods.append(doc[prev])
        role = _role(lemma)
        if lemma in GENERIC_ORG_HEADS:
            if any(m.lower_ in PROXY_HEADS for m in mods):
                role = "proxy"  # "proxy force", "puppet army"
            elif not any(_modifier_word(m) for m in mods):
                continue
        left = min([tok.i] + [m.left_edge.i for m in tok.children if m.i < tok.i] + [m.i for m in mods])
        while left < tok.i and sent_of[left] != sent_start:
            left += 1
        for k in range(tok.i - 1, left - 1, -1):
            if doc[k].dep_ == "cc" or doc[k].text in (",", ";", ":"):
                left = k + 1  # "Iran and Israel's proxy force": the label starts after the coordination
                break
        if left > 0 and doc[left - 1].lower_ in ("the", "a", "an", "this") and sent_of[left - 1] == sent_start:
            left -= 1
        right = tok.i + 1
        anchor: _Cand | tuple[str, str] | None = None
        # "regime in X", "Cult of X": the name right after the preposition.
        of_obj = None
        j = tok.i + 1
        if j < len(doc) and sent_of[j] == sent_start and doc[j].lower_ in ("of", "in"):
            j += 1
            while j < len(doc) and doc[j].lower_ in ("the", "a", "an"):
                j += 1
            if j < len(doc) and sent_of[j] == sent_start and (j in name_at or doc[j].pos_ == "PROPN"):
                of_obj = doc[j]
                of_right = name_at[j].tokens[1] if j in name_at else j + 1
                while of_right < len(doc) and j not in name_at and doc[of_right].pos_ == "PROPN":
                    of_right += 1
        # Apposition and copula name the target outright: "Israel's proxy force,
        # the MEK"; "MEK is a paramilitary group".
        direct = _appositive_name(tok, name_at) or _copula_subject(tok, name_at)
        inner = name_at.get(tok.i - 1) if role == "org" and doc[tok.i - 1] in mods else None
        if (
            inner is not None
            and doc[tok.i - 1].dep_ != "poss"
            and not doc[tok.i - 1].is_sent_start
            and ctx.doc_type.get(inner.name, inner.label) not in ("NORP", "GPE", "LOC")
        ):
            direct = inner  # "the MEK terrorists": a name inside the phrase beats a parse that hangs it elsewhere
        if direct is not None:
            anchor = direct
        elif role != "proxy":
            if of_obj is not None and (role == "regime" or not mods):
                anchor = _name_in(of_obj, name_at)
            if anchor is None:
                for m in sorted(mods, key=lambda m: 0 if m.dep_ == "poss" else 1):
                    found = _name_in(m, name_at)
                    if found is not None:
                        anchor = found
                        break
            if anchor is None and of_obj is not None:
                anchor = _name_in(of_obj, name_at)
            if (
                role == "org"
                and anchor is not None
                and of_obj is not None
                and _covers(anchor, of_obj)
                and _kind_of(anchor, ctx) in ("GPE", "LOC", "FAC", "NORP")
            ):
                anchor = None  # "the terrorists of Camp Sahar": the place is where, not who
                right = of_right
            elif anchor is not None and of_obj is not None and _covers(anchor, of_obj):
                right = of_right
            while right > tok.i + 1 and right < len(doc) and doc[right].pos_ == "NOUN" and sent_of[right] == sent_start:
                right += 1  # "in Korvenian history": the name modifies a noun
        elif direct is None:
            continue  # a proxy's "of X" names the principal; without apposition the target is unknown
        target = _target(role, anchor, tok, ctx)
        if target is None:
            continue
        start, end = doc[left].idx, doc[right - 1].idx + len(doc[right - 1].text)
        start, end = _trim_label(text, start, end)
        for i in range(left, right):
            used.add(i)
        ctx.labelled[target[0]] += 1
        if target[1] in {"org": ("ORG",), "regime": ("GPE",)}.get(role, ()):
            ctx.labelled_as.setdefault(role, []).append(target)
        if role == "org":
            ctx.org_chain.append(target)
        out.append(
            Mention(doc=doc_id, start=start, end=end, text=text[start:end], name=target[0], label=target[1], kind="label")
        )
    out.extend(_epithets(doc, cands, used, ctx, doc_id))
    return out


#: Capitalised words an armed or political movement is designated by, alone ("the Resistance").
DESIGNATION_HEADS = frozenset("resistance movement organisation organization".split())


def _designation(doc: "Doc", tok: "Token", sent_of: list[int], ctx: "_LabelContext") -> int | None:
    """Return the start token of "the Resistance" / "the Zarvani Resistance" ending at ``tok``, else None.

    A capitalised designation word after "the" (and, for "Resistance", a
    people's adjective), not followed by "of", "for" or a capitalised word, is
    how supporters and opponents designate a movement without naming it; it
    is a label of the organisation the context points to, not a name.

    Notes:
        Definite descriptions as anaphors (Poesio & Vieira 1998); the
        capitalised form marks a conventional designation.
    """
    low = tok.lower_
    if low not in DESIGNATION_HEADS or not tok.text[:1].isupper() or tok.text.isupper() or tok.i == 0:
        return None
    nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
    if nxt is not None and sent_of[nxt.i] == sent_of[tok.i] and (nxt.lower_ in _NAME_CONNECTORS or _name_word(nxt)):
        return None
    k = tok.i - 1
    if low == "resistance" and k > 0 and (ctx.doc_type.get(doc[k].text) == "NORP" or _is_demonym(doc[k].text)):
        k -= 1
    if doc[k].lower_ != "the" or sent_of[k] != sent_of[tok.i]:
        return None
    return k


def _epithets(doc: "Doc", cands: list[_Cand], used: set[int], ctx: "_LabelContext", doc_id: str) -> list[Mention]:
    """Label "the terrorist PFMZ": a pejorative adjective right before an organisation's name."""
    out = []
    for c in cands:
        i = c.tokens[0]
        if ctx.doc_type.get(c.name) != "ORG" or c.name in ctx.personish or i == 0 or i - 1 in used:
            continue
        adj = doc[i - 1]
        if adj.lower_ not in LABEL_MODIFIERS or adj.lower_ in ("armed", "paramilitary"):
            continue
        left = i - 1
        if left > 0 and doc[left - 1].lower_ in ("the", "a", "an", "this"):
            left -= 1
        start, end = doc[left].idx, c.end
        ctx.labelled[c.name] += 1
        out.append(Mention(doc_id, start, end, doc.text[start:end], c.name, "ORG", "label"))
    return out


def _covers(anchor, tok: "Token") -> bool:
    if isinstance(anchor, _Cand):
        return anchor.tokens[0] <= tok.i < anchor.tokens[1]
    return True


def _kind_of(anchor, ctx: "_LabelContext") -> str:
    if isinstance(anchor, _Cand):
        return ctx.doc_type.get(anchor.name, anchor.label)
    return anchor[1]


def _trim_label(text: str, start: int, end: int) -> tuple[int, int]:
    piece = text[start:end]
    stripped = piece.rstrip(" ,;:.\u2019'\"")
    lead = len(piece) - len(piece.lstrip(" \"'\u201c"))
    return start + lead, start + len(stripped)


def _modifier_word(tok: "Token") -> bool:
    words = re.split(r"[-\s]", tok.lower_)
    return tok.lower_ in LABEL_MODIFIERS or any(w in LABEL_MODIFIERS or w in ORG_HEADS for w in words)


def _role(lemma: str) -> str:
    if lemma in REGIME_HEADS:
        return "regime"
    if lemma in PROXY_HEADS:
        return "proxy"
    if lemma in PERSON_HEADS:
        return "person"
    return "org"


def _appositive_name(tok: "Token", name_at: dict):
    for ch in tok.children:
        if ch.dep_ == "appos" and ch.i in name_at:
            return name_at[ch.i]
    if tok.dep_ == "appos" and tok.head.i in name_at:
        return name_at[tok.head.i]
    return None


def _copula_subject(tok: "Token", name_at: dict):
    """Return the subject's mention when ``tok`` is the attribute of "to be" ("MEK is a group")."""
    if tok.dep_ == "attr" and tok.head.lemma_ == "be":
        for ch in tok.head.children:
            if ch.dep_ in ("nsubj", "nsubjpass"):
                return _name_in(ch, name_at) if ch.i in name_at else None
    return None


def _name_in(tok: "Token", name_at: dict):
    """Return the mention covering ``tok`` (or a proper noun inside its subtree)."""
    if tok.i in name_at:
        return name_at[tok.i]
    for t in tok.subtree:
        if t.i in name_at:
            return name_at[t.i]
    if tok.pos_ == "PROPN" and tok.text[:1].isupper():
        return (clean_name(tok.text, None), "ORG" if is_acronym(tok.text) else "")
    return None


@dataclass
class _LabelContext:
    cands: list[_Cand]
    sent_of: list[int]
    personish: set[str]
    org_counts: Counter[str]
    labelled: Counter[str]
    doc_type: dict[str, str]
    sents_of: dict[str, set[int]]
    leaders: dict[str, str]
    starts: list[int] = field(default_factory=list)
    labelled_as: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    org_chain: list[tuple[str, str]] = field(default_factory=list)  # targets of organisation labels, in order


def _target(role: str, anchor, tok: "Token", ctx: _LabelContext) -> tuple[str, str] | None:
    """Decide which entity a label designates: (name, type) or None.

    Notes:
        A name inside the phrase decides ("the PMOI cult", "the regime in
        Tehran"); a person's cult is the organisation the document says the
        person leads. Otherwise the label refers back (Hobbs 1978 recency) to
        an entity of the right type in the current and two previous sentences,
        preferring one the document has already labelled (salience, Lappin &
        Leass 1994), then to the entity the document already labelled with
        this kind of label, then forward within the sentence ("a terrorist
        organisation, a reference to the PFMZ").
    """
    cands, sent_of, personish, org_counts, labelled = ctx.cands, ctx.sent_of, ctx.personish, ctx.org_counts, ctx.labelled
    if isinstance(anchor, _Cand):
        a_name, a_label, a_person = anchor.name, ctx.doc_type.get(anchor.name, anchor.label), anchor.name in personish
        if anchor.candidates:
            a_person = True
    elif anchor is not None:
        a_name, a_label = anchor
        a_person = False
        for c in cands:
            if c.name.split()[-1:] == [a_name] and c.name in personish:
                a_name, a_label, a_person = c.name, "PERSON", True
                break
    if anchor is not None:
        if role == "org" and a_person:
            # "Rajavi's cult", "the Cult of Rajavi": the organisation the person leads.
            for p in (anchor.candidates if isinstance(anchor, _Cand) and anchor.candidates else (a_name,)):
                if p in ctx.leaders:
                    return ctx.leaders[p], "ORG"
            # Else the organisation this document already calls names, then one
            # named in the label's own sentence ("the MEK, also known as the Cult of Rajavi").
            earlier = [t for t in ctx.labelled_as.get("org", []) if t[1] == "ORG"]
            if earlier:
                counts = Counter(earlier)
                return max(counts, key=lambda t: (counts[t], -earlier[::-1].index(t)))
            here = sent_of[tok.i]
            same = [c.name for c in cands if c.name in org_counts and sent_of[c.tokens[0]] == here]
            if same:
                return max(same, key=lambda n: (org_counts[n], n)), "ORG"
            # No evidence: pin it on the person; the cross-document pass moves it
            # to the organisation other documents pin it on.
            return a_name, "PERSON"
        if role == "regime":
            if a_label == "NORP":
                gpe = _demonym_state(a_name, cands)
                return (gpe, "GPE") if gpe else (a_name, a_label)
        return a_name, a_label or ("ORG" if role == "org" else "GPE" if role == "regime" else "PERSON")
    want = {"org": ("ORG",), "proxy": ("ORG", "PERSON"), "regime": ("GPE",), "person": ("PERSON",)}[role]

    def kind_of(c: _Cand) -> str:
        return "PERSON" if c.name in personish and c.label != "GPE" else ctx.doc_type.get(c.name, c.label)

    here = sent_of[tok.i]
    found: list[tuple[str, str]] = []
    upto = bisect.bisect_left(ctx.starts, tok.idx)
    for c in reversed(cands[:upto]):
        if c.end > tok.idx or c.candidates:
            continue
        if here - sent_of[c.tokens[0]] > _ANAPHORA_SENTENCES:
            break
        if kind_of(c) in want:
            found.append((c.name, kind_of(c)))
    earlier = ctx.labelled_as.get(role, [])
    if earlier and tok.lower_ in ORG_HEADS:
        # "the cult", "this sect": the entity this document already calls a cult.
        counts = Counter(earlier)
        return max(counts, key=lambda t: (counts[t], -earlier[::-1].index(t)))
    for name, kind in found:
        if labelled[name]:
            return name, kind
    if earlier:
        counts = Counter(earlier)
        return max(counts, key=lambda t: (counts[t], -earlier[::-1].index(t)))
    if found:
        return found[0]
    for c in cands:
        if c.start > tok.idx and sent_of[c.tokens[0]] == here and not c.candidates and kind_of(c) in want:
            return c.name, kind_of(c)
    if role == "org" and ctx.org_chain:
        # Nothing in reach: the entity the document's last organisation label
        # designated ("the Azarmehr gang ... the terrorist group"), even when that
        # was pinned on a leader; the cross-document pass moves both together.
        return ctx.org_chain[-1]
    return None


def is_demonym_of(demonym: str, place: str) -> bool:
    """Return True when ``demonym`` is the adjective of ``place`` ("Iranian"/"Iran", "Korvenian"/"Korvenia").

    Notes:
        English demonym suffixes -(i)an, -i, -ese, -ish (Quirk et al. 1985, App. I).
    """
    d, p = demonym.casefold(), place.casefold()
    if len(p) < 4 or " " in p or not d.startswith(p[:-1]) or d == p:
        return False
    rest = d[len(p) :] if d.startswith(p) else d[len(p) - 1 :]
    return rest in ("n", "an", "ian", "i", "ese", "ish", "ans", "ians", "is")


def _demonym_state(norp: str, cands: Iterable[_Cand]) -> str | None:
    """Return the place in the document whose adjective ``norp`` is ("Iranian" -> "Iran")."""
    for c in cands:
        if c.label != "NORP" and is_demonym_of(norp, c.name):
            return c.name
    return None
