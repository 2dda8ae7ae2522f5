"""Records that flow through the pipeline.

Every stage talks in these frozen dataclasses. Offsets are character offsets
into :attr:`Document.text`, so ``document.text[r.start:r.end] == r.text`` holds
for every span record; the JSON export and the store keep them unchanged.
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass, field
from typing import Any


def content_id(text: str) -> str:
    """Return the stable document id: the first 16 hex digits of SHA-256 of the text."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


class _Record:
    def as_dict(self) -> dict[str, Any]:
        """Return the record as a plain dict (lists for tuples), ready for JSON."""
        return _plain(dataclasses.asdict(self))  # type: ignore[arg-type]


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


@dataclass(frozen=True)
class Document(_Record):
    """One article after ingestion: cleaned text plus metadata.

    ``id`` is the content hash of ``text``; ``lang`` the detected language
    code; ``source`` where it came from (path, or path:line for JSONL).
    """

    id: str
    text: str
    path: str | None = None
    url: str | None = None
    title: str | None = None
    outlet: str | None = None
    author: str | None = None
    published: str | None = None  # ISO YYYY-MM-DD
    lang: str | None = None
    source: str | None = None


@dataclass(frozen=True)
class Skip(_Record):
    """An input that was not ingested, with a one-line reason a person can act on."""

    source: str
    reason: str


@dataclass(frozen=True)
class Mention(_Record):
    """An entity mention as found in one document (before cross-document merging).

    ``text`` is the surface span; ``name`` the normalized name (possessive and
    titles stripped, surname expanded to the full name introduced earlier in the
    document); ``label`` the spaCy entity type (PERSON, ORG, GPE, NORP, ...).
    ``kind`` is ``"name"`` for a proper-name mention and ``"label"`` for a
    descriptive or pejorative label ("Rajavi's cult") that refers to
    ``name``. ``candidates`` lists full names when the mention is ambiguous.
    """

    doc: str
    start: int
    end: int
    text: str
    name: str
    label: str
    kind: str = "name"
    candidates: tuple[str, ...] = ()


@dataclass(frozen=True)
class Acronym(_Record):
    """An acronym definition found in one document (Schwartz & Hearst 2003)."""

    doc: str
    short: str
    long: str
    start: int
    end: int


@dataclass(frozen=True)
class DateExpr(_Record):
    """A temporal expression normalized to a TIMEX3-style value.

    ``value`` is e.g. ``2022-07-14``, ``2022-07``, ``2022``, ``2019-FA``, ``198X``,
    ``P3D`` for durations, or ``None`` when it cannot be resolved honestly.
    ``granularity`` is one of ``day``, ``month``, ``season``, ``quarter``,
    ``year``, ``decade``, ``week``, ``duration``, ``time``, ``unknown``.
    ``type`` is the TIMEX3 type (DATE, TIME, DURATION, SET). ``anchor`` is the
    value the expression was resolved against (``None`` for absolute dates);
    ``anchor_source`` says where the anchor came from (``published``,
    ``text``). ``mod`` carries TIMEX3 modifiers (START, MID, END, APPROX...).
    ``end_value`` is the last day/month of a range ("July 23-24").
    """

    doc: str
    start: int
    end: int
    text: str
    value: str | None
    granularity: str
    type: str = "DATE"
    anchor: str | None = None
    anchor_source: str | None = None
    mod: str | None = None
    end_value: str | None = None


@dataclass(frozen=True)
class Quote(_Record):
    """A statement attributed to a speaker.

    ``speaker_text`` is the span that names the speaker in the document (with
    ``speaker_start``/``speaker_end``), ``speaker`` the normalized name used to
    resolve it to an entity. ``cue`` is the attribution verb or phrase.
    ``direct`` is True for text in quotation marks. ``channel`` keeps the
    medium or addressee ("on Facebook", "told BIRN"); ``via`` the speaker of an
    outer attribution in a chain ("According to X, Y said...").
    """

    doc: str
    start: int
    end: int
    text: str
    speaker: str | None
    speaker_text: str | None
    cue: str | None
    direct: bool
    speaker_start: int | None = None
    speaker_end: int | None = None
    cue_start: int | None = None
    cue_end: int | None = None
    channel: str | None = None
    via: str | None = None


@dataclass(frozen=True)
class Event(_Record):
    """A dated sentence-level happening in one document."""

    doc: str
    start: int
    end: int
    text: str
    date: str | None
    date_end: str | None
    trigger: str | None
    category: str
    actors: tuple[str, ...] = ()
    place: str | None = None
    date_text: str | None = None
    status: str = "happened"  # happened | scheduled | reported
    mod: str | None = None  # TIMEX3 modifier of the governing date: START ("early 2014"), MID, END, APPROX...
    roles: tuple[str, ...] = ()  # per actor, in ``actors`` order: agent | patient | other


@dataclass(frozen=True)
class Rhetoric(_Record):
    """A persuasion-technique span (PTC technique names)."""

    doc: str
    start: int
    end: int
    technique: str
    text: str
    explanation: str
    confidence: float = 1.0
    target: str | None = None
    detector: str | None = None


@dataclass(frozen=True)
class Sentence(_Record):
    """A sentence boundary, kept so every item can link to its sentence."""

    doc: str
    start: int
    end: int


@dataclass(frozen=True)
class ClaimNumber(_Record):
    """A quantity stated in a claim: ``value`` in ``unit`` (the counted noun; ``hour`` for durations).

    ``approx`` is the qualifier ("about", "more than", "up to", "almost",
    "at least", "less than", "vague" for "thousands") or None for an exact figure.
    """

    value: float
    text: str
    unit: str | None = None
    approx: str | None = None


@dataclass(frozen=True)
class Claim(_Record):
    """A check-worthy factual assertion: one sentence, scored for check-worthiness.

    ``checkworthy`` is in [0, 1] with ``why`` naming the features behind it.
    ``speaker_text`` (with ``speaker``, the normalized name, and its offsets)
    is the attributed source when the sentence reports what someone said,
    else None: the outlet's own voice. ``content_start``/``content_end`` is
    the asserted part (the reported clause). ``polarity`` is ``positive`` or
    ``negative`` (negated assertion); ``denial`` marks a denial or rejection.
    """

    doc: str
    start: int
    end: int
    text: str
    checkworthy: float
    why: str
    speaker: str | None = None
    speaker_text: str | None = None
    speaker_start: int | None = None
    speaker_end: int | None = None
    via: str | None = None
    cue: str | None = None
    content_start: int | None = None
    content_end: int | None = None
    polarity: str = "positive"
    denial: bool = False
    numbers: tuple[ClaimNumber, ...] = ()
    date_values: tuple[str, ...] = ()
    entity_names: tuple[str, ...] = ()


@dataclass
class Extraction:
    """Everything the per-document stage yields for one document."""

    document: Document
    analysed: bool = True
    sentences: list[Sentence] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    acronyms: list[Acronym] = field(default_factory=list)
    dates: list[DateExpr] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    rhetoric: list[Rhetoric] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "document": self.document.as_dict(),
            "analysed": self.analysed,
            **{
                name: [r.as_dict() for r in getattr(self, name)]
                for name in ("sentences", "mentions", "acronyms", "dates", "quotes", "events", "rhetoric", "claims")
            },
        }
