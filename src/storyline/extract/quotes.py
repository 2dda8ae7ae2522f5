"""Quotes and attributions with their speakers: ``quotes(doc) -> Iterator[Quote]``.

A pure function over a parsed spaCy ``Doc`` (tagger, parser, lemmatizer and
NER from :func:`storyline.nlp.load`). It finds

* direct quotes in straight ``"…"``, curly ``“…”``, single curly ``‘…’``,
  guillemet ``«…»`` (and reversed ``»…«``) marks, typewriter ``''…''`` and a
  straight opener closed by a curly mark, joined across paragraphs when each
  paragraph opens with a mark and only the last one closes, capped at a
  paragraph boundary (and at :data:`MAX_QUOTE_CHARS`) when a mark is never
  closed;
* the cue and speaker of each direct quote, with the cue before the quote
  (``X said: “…”``), after it (``“…,” X wrote``) or between two parts of it
  (the second part inherits the attribution of the first);
* indirect and mixed attribution from the dependency parse: a cue verb from
  :data:`CUE_VERBS` whose clausal complement (``ccomp``; ``xcomp`` or object
  for a few verbs; the rest of the sentence after a colon) is the content and
  whose subject is the speaker, and ``according to X, …``; a parenthetical
  cue ("The plan, she said, is dead") cuts the content in two parts;
* a second tier of stance, intention and perception cues
  (:data:`ATTITUDE_VERBS`: "X criticized Y", "X called for Y", "X declined to
  comment", "X wants to …" with a named subject), whose content is the
  complement, the object or the object of the verb's own preposition, and
  nominal cues with a possessive source and a that-clause ("X's claim that
  …", :data:`NOUN_CUES`);
* partial quotes embedded in a sentence (he “offered to share …”), attributed
  to the subject of the clause that holds them, without a cue.

Text with no cue and no quotation marks is the author's own assertion and is
not yielded; nor is a first-person cue outside quotation marks (``I believe
that …``, the author speaking). Short quoted phrases with no verb and no cue
("so-called “resistance units”") are scare quotes and are skipped.

Every yielded record satisfies ``doc.text[q.start:q.end] == q.text``; direct
quotes include their quotation marks (as PARC 3.0 and PolNeAR annotate them).
``direct`` is True when the content carries quoted words: a whole quote, a
partial quote, or a mixed one ("He concluded that the raid is “a failure”");
False for pure paraphrase. A direct quote interrupted by its cue yields one
record per part, sharing the cue offsets. ``channel`` is the addressee of
tell/inform/ask ("BIRN") or the prepositional phrase naming the medium ("in a
tweet", "on Facebook", "in a letter to the minister"). ``via`` is the outer
source of a chain ("According to Habilian, BIRN stated …": speaker BIRN, via
Habilian; the outer ``according to`` is not yielded separately).
``speaker_text`` is the source span as PolNeAR marks it: the whole noun
phrase naming the speaker in the cue clause (appositive and relative clause
included, and the comma that closes an appositive before the cue: "Vladimir
Mara, the case prosecutor,"), or the pronoun; ``cue`` is the verb group
("has not said", "called for"). ``speaker`` is the normalized name: the
person inside the phrase (titles and possessive stripped, a bare surname
expanded to the full name used in the document), a pronoun's antecedent
("he"/"she": the last person; "they": the last plural or organisation
subject), the person or body an earlier apposition, predicate or title
described with a definite description's noun ("the tycoon"), or a group noun
phrase without its determiner ("BIRN report"); ``None`` when the text does
not tell.

Notes:
    Cue-verb lexicon and the source/cue/content decomposition follow PARC 3.0
    (Pareti 2016) and Citron (Newell et al. 2018, "Quote Extraction and
    Analysis for News"); speaker from the cue's nominal subject is the
    syntactic rule of Pareti et al. 2013 and textacy ``direct_quotations``;
    pronoun antecedent = most recent preceding PERSON outside quotation marks,
    subjects first (a centering-style salience heuristic, Grosz et al. 1995).
    The second-tier lexicon, the span conventions and the thresholds were
    tuned on PolNeAR train only (Newell, Margolin and Ruths 2018).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass

from spacy.attrs import DEP, LEMMA, LOWER, POS
from spacy.parts_of_speech import PROPN as _POS_PROPN
from spacy.tokens import Doc, Span, Token

from storyline.records import Quote

__all__ = ["ATTITUDE_VERBS", "CUE_VERBS", "MAX_QUOTE_CHARS", "NOUN_CUES", "quotes"]

#: Lemmas of speech, writing and cognition verbs that introduce an attribution.
CUE_VERBS = frozenset(
    """
    say tell write assert conclude claim deny add argue insist warn accuse note state
    report announce explain acknowledge admit suggest believe think declare reply respond
    answer ask comment confirm contend maintain observe remark reveal stress emphasize
    emphasise allege complain predict promise vow pledge threaten urge recall tweet twit
    post testify concede caution estimate indicate speculate fear hope doubt suspect
    mention inform assure proclaim underline highlight counter retort rebut repeat reiterate
    recount continue describe agree disagree worry charge boast joke quip muse tout
    posit opine find show blog disclose signal hint imply point propose recommend demand
    call sum
    """.split()
)

#: Manner-of-speaking verbs: cues next to a direct quote only ("a man yelled “Stay there!”").
_MANNER_CUES = frozenset(
    """
    yell shout boom demur scream exclaim chant gloat cry whisper mutter snap thunder read sing
    laugh sigh plead interject interrupt begin chime scold tease taunt
    """.split()
)
#: Second tier: stance, intention and perception verbs (PolNeAR counts them as cues).
ATTITUDE_VERBS = frozenset(
    """
    express mention name discuss post pledge signal reject talk criticize criticise endorse speak
    portray propose bemoan demand deny rail worry emphasize aim warn condemn agree denounce wonder
    call defend slam point vow order allege question predict indicate urge refuse blame concede
    estimate deem reveal show decline tout complain oppose recognize accuse mock tweet confirm promise
    refer stress reiterate acknowledge praise insist nominate report suggest declare admit repeat
    conclude hope decry explain dispute blast chide announce prefer recall claim cite credit fear argue
    joke remark quote describe list assure dismiss applaud lament assail liken label
    want back seek hope offer attack
    """.split()
)
#: Attitude verbs common in narrative use: a cue only with a named or personal subject.
_NAMED_SUBJECT_ONLY = frozenset("want back seek hope offer attack".split())
#: Nouns of saying and stance that take a that-clause, the possessor speaking ("X's claim that …").
NOUN_CUES = frozenset(
    """
    claim statement concern doubt promise complaint suggestion assertion warning hope argument
    accusation allegation belief comment comments remark remarks pledge vow insistence denial
    admission prediction view position proposal contention conclusion fear
    """.split()
)
#: Prepositions that join an attitude verb's cue, their object being the content ("called for").
_ATTITUDE_PREPS = {
    "call": ("for", "on"), "refer": ("to",), "point": ("to",), "talk": ("about",),
    "speak": ("about", "of", "against", "out"), "argue": ("for", "against"), "rail": ("against",),
    "complain": ("about",), "warn": ("of", "about", "against"), "worry": ("about",), "agree": ("with", "on"),
    "hope": ("for",), "wonder": ("about",), "insist": ("on",), "joke": ("about",), "remark": ("on",),
}

#: Cue verbs whose infinitival/gerund complement (``xcomp``) is the content.
_XCOMP_CUES = frozenset("claim deny promise vow pledge threaten admit".split())
#: Cue verbs whose direct object can be the content ("denied the allegations").
_DOBJ_CUES = frozenset("deny confirm acknowledge admit announce reveal predict disclose".split())
#: Cue verbs whose whole predicate is the content when there is no clause ("urged X to act").
_PREDICATE_CUES = frozenset("accuse urge mention describe repeat tout highlight ask warn call".split())
#: Verbs whose object is the addressee, kept as the channel ("told BIRN").
_ADDRESSEE_CUES = frozenset("tell inform assure ask warn urge".split())
#: Verbs whose small clause or infinitive is not a report ("found X palatable", "continued to").
_WEAK_CUES = frozenset("find show continue describe point add hope fear worry agree".split())
#: Nouns that make a prepositional phrase on the cue a channel ("in a tweet").
_CHANNEL_NOUNS = frozenset(
    """
    statement tweet letter interview post account article report op-ed oped email e-mail
    message speech video broadcast blog column book release conference thread page
    facebook twitter instagram telegram youtube television radio podcast show programme
    program briefing hearing note memo comment comments remarks address press website
    newspaper magazine editorial channel x
    """.split()
)
_CHANNEL_PREPS = frozenset("in on to via through during at".split())

#: No direct quote runs longer: paragraphs stop joining, an unclosed quote is cut.
MAX_QUOTE_CHARS = 6000
#: A single-curly quote must close within this many characters (else it is an apostrophe).
_MAX_SINGLE_CHARS = 400

_AUTHOR_PRONOUNS = frozenset("i we me us".split())
_PERSON_PRONOUNS = frozenset("he she him her".split())
_RELATIVE = frozenset("who whom which that".split())
_NOT_SPEAKERS = frozenset(
    """
    it this that these those there what which one ones some all parts part something
    anything nothing everything someone anyone here who whom they them you
    """.split()
)
#: Head nouns that a bad parse makes subjects of a cue but that cannot speak.
_NOT_AGENTS = frozenset(
    """
    night day week month year time timing moment eye eyes process deal sentence takeaway
    timeline preference thing way fact point question answer idea part parts lot kind sort
    """.split()
)
_TITLES = frozenset(
    """
    dr dr. mr mr. mrs mrs. ms ms. prof prof. sen sen. rep rep. gov gov. rev rev. sir dame
    president minister senator governor mayor judge general gen. col. capt. lt. sgt. ambassador
    prime deputy foreign chancellor secretary the
    """.split()
)
_DETERMINERS = frozenset("the a an this that these those his her its their our my your".split())

_OPEN, _CLOSE, _EITHER = 1, 2, 3
_DOUBLE = {"“": "curly", "”": "curly", "„": "curly", "‟": "curly", "«": "guillemet", "»": "guillemet", '"': "straight"}
_QUOTE_CHARS = re.compile(r"[“”„‟«»\"]")
_SINGLE_OPEN = re.compile(r"(?:(?<=^)|(?<=[\s(\[{—–\-/]))‘(?=[\w\[(.…])", re.M)
_PARAGRAPH = re.compile(r"[^\n]+")
_LEFT_OPENERS = "([{—–-/"
_RIGHT_CLOSERS = ".,;:!?)]}…—–-"


@dataclass
class _Direct:
    """A direct-quote span found by the mark scanner (character offsets, marks included)."""

    start: int
    end: int
    closed: bool
    tok_start: int = 0
    tok_end: int = 0
    claimed: bool = False


@dataclass
class _Attribution:
    start: int
    end: int
    direct: bool
    cue: Span | None
    speaker_tok: Token | None
    channel: str | None = None
    according: bool = False
    speaker_span: Span | None = None
    content_head: Token | None = None
    #: character range cut out of the content: the cue clause in its middle ("X, she said, is Y")
    hole: tuple[int, int] | None = None


def quotes(doc: Doc, doc_id: str = "") -> Iterator[Quote]:
    """Yield the attributed statements of one parsed document, in text order.

    Args:
        doc: A spaCy ``Doc`` parsed by :func:`storyline.nlp.load` (needs the
            parser, lemmatizer and NER).
        doc_id: The :attr:`Document.id` stored in each record's ``doc`` field.

    Yields:
        One :class:`Quote` per attribution (per part, for a direct quote
        interrupted by its cue; the parts share the cue offsets).

    Notes:
        1. find direct-quote spans from the marks; 2. attribute each to a cue
        right before or after it; 3. headlines ("Name: statement"); 4.
        indirect and mixed attribution from the dependency parse, the
        second-tier and nominal cues, and ``according to``; 5. a cue-less
        quote right after an attribution inherits it; 6. embedded partial
        quotes; 7. cut coordinated attributions apart, link chains, build the
        records.
    """
    text = doc.text
    if not text.strip() or len(doc) == 0:
        return
    ctx = _Context(doc, text)
    found: list[_Attribution] = []
    # 1. direct-quote spans.
    directs = _direct_spans(text)
    for d in directs:
        span = doc.char_span(d.start, d.end, alignment_mode="expand")
        if span is None or len(span) == 0:
            continue
        d.tok_start, d.tok_end = span.start, span.end
        ctx.mark_quote(d)
    directs = [d for d in directs if d.tok_end > d.tok_start]
    used_cues: set[int] = set()
    # 2. cue before or after each direct quote.
    for d in directs:
        att = _attribute_direct(ctx, d)
        if att is not None:
            d.claimed = True
            if att.cue is not None:
                used_cues.add(att.cue.root.i)
            found.append(att)
    # 3. headlines: "Name: statement" on a line of its own.
    found.extend(_headlines(ctx, used_cues))
    # 4. indirect and mixed attribution, second-tier and nominal cues, "according to X, …".
    for tok in ctx.candidates(_CUE_LEMMAS):
        if tok.i in used_cues or ctx.quote_at[tok.i] >= 0:
            continue
        if tok.dep_ == "xcomp" and tok.head.i in used_cues:
            continue  # "declined to say whether …": one attribution, cued by the outer verb
        if tok.tag_ == "VBN" and tok.dep_ == "advcl" and not any(c.dep_.startswith("nsubj") for c in tok.children):
            continue  # "Asked about X, he said …": the question is not his statement
        lemma = tok.lemma_.lower()
        if tok.pos_ == "VERB" and (lemma in CUE_VERBS or lemma in ATTITUDE_VERBS):
            att = None
            if lemma in ATTITUDE_VERBS and _prep_content(tok) is not None:
                att = _attitude(ctx, tok, directs)  # "called for X": the preposition joins the cue
            if att is None and lemma in CUE_VERBS:
                att = _indirect(ctx, tok, directs)
            if att is None and lemma in ATTITUDE_VERBS:
                att = _attitude(ctx, tok, directs)
            if att is not None:
                used_cues.add(tok.i)
                found.append(att)
        elif tok.pos_ == "NOUN" and lemma in NOUN_CUES:
            att = _noun_cue(ctx, tok, directs)
            if att is not None:
                used_cues.add(tok.i)
                found.append(att)
        elif tok.lower_ == "according":
            att = _according(ctx, tok)
            if att is not None:
                found.append(att)
    # 5. a cue-less quote right after an attribution continues it.
    found.sort(key=lambda a: a.end)
    for d in directs:
        if d.claimed:
            continue
        ends = [a for a in found if a.end <= d.start and a.cue is not None]
        if ends:
            att = _continuation(ctx, ends[-1], d)
            if att is not None:
                d.claimed = True
                found.append(att)
                found.sort(key=lambda a: a.end)
    # 6. partial quotes embedded in a sentence, with no cue of their own.
    for d in directs:
        if d.claimed or any(a.start <= d.start and d.end <= a.end for a in found):
            continue
        att = _embedded(ctx, d)
        if att is not None:
            found.append(att)
    # 7. coordinated attributions apart, chains linked, records built.
    _cut_nested(ctx, found)
    yield from _records(ctx, found, doc_id)


_CUE_LEMMAS, _PROPN_SUBJECT = "cue", "propn-subject"
#: Every lemma that can be a cue, with the capitalised forms a sentence start gives.
_CUE_WORDS = frozenset(
    w for lemma in CUE_VERBS | ATTITUDE_VERBS | NOUN_CUES | _MANNER_CUES | {"according"}
    for w in (lemma, lemma.capitalize())
)

_SEPARATE_CLAUSES = frozenset("conj relcl advcl acl parataxis".split())


def _cut_nested(ctx: _Context, found: list[_Attribution]) -> None:
    """End a content before a coordinated or relative clause that has its own cue.

    "Half said they were worried, and a third said …" is two attributions, not
    one inside the other; a cue reached only through ``ccomp`` stays nested
    (a chain, "X said Y told him …").
    """
    doc = ctx.doc
    for outer in found:
        head = outer.content_head
        if head is None:
            continue
        for inner in found:
            if inner is outer or inner.cue is None:
                continue
            r = inner.cue.root
            if not (outer.start <= r.idx < outer.end):
                continue
            t, cut = r, None
            for _ in range(40):
                if t.i == head.i or t.head.i == t.i:
                    break
                if t.dep_ in _SEPARATE_CLAUSES:
                    cut = t
                t = t.head
            if t.i != head.i or cut is None:
                continue
            end = cut.left_edge.i
            while end > 0 and (
                doc[end - 1].is_punct or doc[end - 1].dep_ in ("cc", "mark") or doc[end - 1].lower_ in _RELATIVE
            ):
                end -= 1
            if end > 0 and doc[end - 1].idx + len(doc[end - 1]) > outer.start:
                outer.end = min(outer.end, doc[end - 1].idx + len(doc[end - 1]))


class _Context:
    """Per-document lookups built once: quote membership, PERSON mentions, names."""

    def __init__(self, doc: Doc, text: str | None = None) -> None:
        self.doc = doc
        self.quote_at = [-1] * len(doc)
        self.quotes: list[_Direct] = []
        self._persons: list[tuple[int, int, str, bool]] | None = None
        self._person_starts: list[int] = []
        self._surnames: dict[str, str] | None = None
        self._descriptions: dict[str, list[tuple[int, str]]] | None = None
        self.text = text = doc.text if text is None else text
        self.ents = list(doc.ents)
        self._arrays = None
        self._ent_starts = [e.start for e in self.ents]
        self.para_breaks = [m.start() for m in re.finditer(r"\n", text)]

    def candidates(self, kind: str) -> list[Token]:
        """Tokens worth a look, picked from the attribute arrays without building every Token.

        ``_CUE_LEMMAS``: lemma or lower form in a cue lexicon; ``_PROPN_SUBJECT``:
        proper-noun subjects.
        """
        if self._arrays is None:
            self._arrays = self.doc.to_array([LEMMA, LOWER, POS, DEP])
        arr = self._arrays
        strings = self.doc.vocab.strings
        if kind == _CUE_LEMMAS:
            keys = {strings[w] for w in _CUE_WORDS}
            hits = [i for i, (lem, low) in enumerate(zip(arr[:, 0].tolist(), arr[:, 1].tolist()))
                    if lem in keys or low in keys]
        else:
            nsubj = strings["nsubj"]
            hits = [i for i, (pos, dep) in enumerate(zip(arr[:, 2].tolist(), arr[:, 3].tolist()))
                    if pos == _POS_PROPN and dep == nsubj]
        return [self.doc[i] for i in hits]

    def mark_quote(self, d: _Direct) -> None:
        idx = len(self.quotes)
        self.quotes.append(d)
        for i in range(d.tok_start, d.tok_end):
            self.quote_at[i] = idx

    def ents_in(self, span: Span) -> list[Span]:
        """Entities that lie inside ``span`` (cached; ``Span.ents`` rescans the document)."""
        lo = bisect_right(self._ent_starts, span.start - 1)
        hi = bisect_right(self._ent_starts, span.end - 1)
        return [e for e in self.ents[lo:hi] if e.end <= span.end]

    def same_paragraph(self, a: int, b: int) -> bool:
        """True when character offsets ``a`` <= ``b`` have no newline between them."""
        i = bisect_right(self.para_breaks, a)
        return i >= len(self.para_breaks) or self.para_breaks[i] >= b

    def persons(self) -> list[tuple[int, int, str, bool]]:
        if self._persons is None:
            out = []
            for ent in self.ents:
                if ent.label_ != "PERSON" or self.quote_at[ent.start] >= 0:
                    continue
                name = self.normalize(ent)
                if name:
                    out.append((ent.start_char, ent.end_char, name, ent.root.dep_ in ("nsubj", "nsubjpass")))
            # proper-noun subjects the NER missed or mislabelled ("Idan Roll met …")
            for tok in self.candidates(_PROPN_SUBJECT):
                if tok.ent_type_ == "PERSON" or self.quote_at[tok.i] >= 0:
                    continue
                words = [t for t in tok.lefts if t.dep_ == "compound" and t.pos_ == "PROPN"] + [tok]
                if tok.is_upper:
                    continue  # an acronym names a body, not a "he" or "she"
                if tok.ent_type_ in ("", "GPE") or _is_cue(tok.head) or _name_shaped(words):
                    name = _strip_name(" ".join(t.text for t in words))
                    if name:
                        name = self.surnames().get(name.lower(), name) if " " not in name else name
                        out.append((words[0].idx, tok.idx + len(tok), name, True))
            out.sort()
            self._persons = out
            self._person_starts = [p[0] for p in out]
        return self._persons

    def surnames(self) -> dict[str, str]:
        if self._surnames is None:
            table: dict[str, str] = {}
            for ent in self.ents:
                if ent.label_ == "PERSON":
                    words = _strip_name(ent.text).split()
                    if len(words) >= 2:
                        table.setdefault(words[-1].lower(), " ".join(words))
            self._surnames = table
        return self._surnames

    def normalize(self, span: Span) -> str | None:
        """Entity text without titles (people only) or a leading "the"; a bare surname expanded."""
        return self.expand(_strip_name(span.text, person=span.label_ == "PERSON"))

    def expand(self, name: str | None) -> str | None:
        """Expand a one-word name to the full PERSON name that ends with it in this document."""
        if not name:
            return None
        if " " not in name:
            name = self.surnames().get(name.lower(), name)
        return name

    def descriptions(self) -> dict[str, list[tuple[int, str]]]:
        """Map a description noun to the (offset, name) of the PERSON/ORG it describes.

        Sources: an apposition ("Donald Trump, the tycoon"; "the mayor, Edi
        Rama"), a copular predicate ("Ilir Meta is the president") and a title
        before a name ("President Ilir Meta").
        """
        if self._descriptions is None:
            table: dict[str, list[tuple[int, str]]] = {}
            for ent in self.ents:
                if ent.label_ not in ("PERSON", "ORG") or self.quote_at[ent.start] >= 0:
                    continue
                name = self.normalize(ent)
                if not name:
                    continue
                root = ent.root
                nouns = [c for c in root.children if c.dep_ == "appos" and c.pos_ == "NOUN"]
                if root.dep_ == "appos" and root.head.pos_ == "NOUN":
                    nouns.append(root.head)
                if root.dep_ == "nsubj" and root.head.lemma_ == "be":
                    nouns += [c for c in root.head.children if c.dep_ == "attr" and c.pos_ == "NOUN"]
                titles = [t for t in ent] + [t for t in root.lefts if t.dep_ == "compound"]
                nouns += [t for t in titles if t.pos_ in ("NOUN", "PROPN") and t.lower_ in _TITLES and t.is_title]
                for noun in nouns:
                    table.setdefault(noun.lemma_.lower(), []).append((ent.start_char, name))
            self._descriptions = table
        return self._descriptions

    def described(self, tok: Token) -> str | None:
        """The most recent PERSON/ORG before ``tok`` that the document describes with ``tok``'s noun."""
        best = None
        for start, name in self.descriptions().get(tok.lemma_.lower(), ()):
            if start < tok.idx:
                best = name
        return best

    def group_antecedent(self, tok: Token) -> str | None:
        """Resolve "they": the most recent plural or organisation subject before it, in the last ~600 characters.

        Notes:
            Number agreement plus subject salience (centering, Grosz et al.
            1995): only plural common nouns and ORG/NORP names are candidates.
        """
        doc = self.doc
        sent_start = tok.sent.start
        for k in range(sent_start - 1, -1, -1):
            t = doc[k]
            if t.idx < tok.idx - 600:
                break
            if t.dep_ != "nsubj" or self.quote_at[k] >= 0 or t.pos_ == "PRON":
                continue
            if any(c.dep_ == "conj" for c in t.children):
                return None  # "X and Y met. They said": a pair, not one entity
            if t.tag_ in ("NNS", "NNPS") or t.ent_type_ in ("ORG", "NORP") or t.lemma_.lower() in _ORG_WORDS:
                return _speaker_name(self, t, _speaker_span(t))
        return None

    def antecedent(self, tok: Token) -> str | None:
        """Return the most recent PERSON before ``tok`` (subjects first), or None."""
        persons = self.persons()
        if not persons:
            return None
        pos = bisect_right(self._person_starts, tok.idx) - 1
        floor = tok.idx - 1200
        best_any = None
        for j in range(pos, -1, -1):
            start, end, name, is_subject = persons[j]
            if end > tok.idx:
                continue
            if start < floor:
                break
            if best_any is None:
                best_any = name
            if is_subject:
                return name
        return best_any


# --------------------------------------------------------------------------- marks


def _classify(text: str, i: int) -> int:
    ch = text[i]
    prev = text[i - 1] if i > 0 else "\n"
    nxt = text[i + 1] if i + 1 < len(text) else "\n"
    left_open = prev.isspace() or prev in _LEFT_OPENERS or prev in "“«„‘"
    right_closed = nxt.isspace() or nxt in _RIGHT_CLOSERS or nxt in "”»’"
    if ch in "“„‟«":
        return _CLOSE if (not left_open and right_closed) else _OPEN
    if ch in "”»":
        # "»" opens in the reversed (German, Danish) style: »Wort«
        return _OPEN if (left_open and not right_closed) else _CLOSE
    # straight mark
    if prev.isdigit() and not left_open:
        return 0  # inch sign: 5'11"
    if left_open and not right_closed:
        return _OPEN
    if right_closed and not left_open:
        return _CLOSE
    return _EITHER


def _direct_spans(text: str) -> list[_Direct]:
    """Find direct-quote character spans, marks included, in text order.

    Two apostrophes (``''…''``, a typewriter convention of some archives) are
    read as one straight double mark: the scanner sees one ``"`` on the side
    facing the words, and the span is widened to hold both apostrophes.
    """
    if "''" not in text:
        return _direct_spans_scan(text)
    scan = _DOUBLE_APOSTROPHE.sub(_as_double_mark, text)
    out = _direct_spans_scan(scan)
    for d in out:
        if d.start > 0 and text[d.start - 1 : d.start + 1] == "''":
            d.start -= 1
        if text[d.end - 1 : d.end + 1] == "''":
            d.end += 1
    return out


_DOUBLE_APOSTROPHE = re.compile(r"(?<!')''(?!')")


def _as_double_mark(m: re.Match[str]) -> str:
    after = m.string[m.end() : m.end() + 1]
    # an opener sits before the words ('' + word), a closer after them
    return ' "' if after and not after.isspace() and after not in _RIGHT_CLOSERS else '" '


def _direct_spans_scan(text: str) -> list[_Direct]:
    out: list[_Direct] = []
    if _QUOTE_CHARS.search(text):
        out.extend(_double_spans(text))
    if "‘" in text:
        out.extend(_single_spans(text, out))
        out.sort(key=lambda d: d.start)
    return [d for d in out if any(c.isalnum() for c in text[d.start:d.end])]


def _double_spans(text: str) -> Iterator[_Direct]:
    paragraphs = [(m.start(), m.end()) for m in _PARAGRAPH.finditer(text)]
    open_at: int | None = None
    family = ""
    last_end = 0  # end of the last paragraph the open quote covers
    for p_start, p_end in paragraphs:
        marks = [m.start() for m in _QUOTE_CHARS.finditer(text, p_start, p_end)]
        k = 0
        if open_at is not None:
            first = len(text[p_start:p_end]) - len(text[p_start:p_end].lstrip())
            lead = p_start + first
            if (
                marks
                and marks[0] == lead
                and _DOUBLE[text[lead]] == family
                and _classify(text, lead) in (_OPEN, _EITHER)
                and p_end - open_at <= MAX_QUOTE_CHARS
            ):
                k = 1  # multi-paragraph quote: the opening mark repeats
            else:
                yield _capped(text, open_at, last_end)
                open_at = None
        for pos in marks[k:]:
            kind = _classify(text, pos)
            if kind == 0:
                continue
            fam = _DOUBLE[text[pos]]
            if open_at is None:
                if kind in (_OPEN, _EITHER):
                    open_at, family = pos, fam
            elif fam != family:
                if kind == _CLOSE and _mixed_close(text, open_at, pos, family):
                    yield _Direct(open_at, pos + 1, True)
                    open_at = None
                continue  # a nested quote in the other style
            elif kind in (_CLOSE, _EITHER):
                yield _Direct(open_at, pos + 1, True)
                open_at = None
            else:
                open_at = pos  # two openers: the first was never closed
        last_end = p_end
    if open_at is not None:
        yield _capped(text, open_at, last_end)


def _mixed_close(text: str, open_at: int, pos: int, family: str) -> bool:
    """A straight opener closed by a curly mark (or the reverse), with no mark of the closer's style between.

    Pasted text mixes the styles ('"We won,” she said'); a quote nested in the
    other style always has an opener of that style before its closer.
    """
    if family == "straight" and text[pos] == "”":
        return "“" not in text[open_at:pos]
    if family == "curly" and text[pos] == '"':
        return '"' not in text[open_at + 1 : pos]
    return False


def _capped(text: str, start: int, end: int) -> _Direct:
    end = min(end, start + MAX_QUOTE_CHARS)
    while end > start + 1 and text[end - 1].isspace():
        end -= 1
    return _Direct(start, end, False)


def _single_spans(text: str, doubles: list[_Direct]) -> Iterator[_Direct]:
    """Curly single quotes outside double quotes, closed in the same paragraph."""
    taken = [(d.start, d.end) for d in doubles]
    for m in _SINGLE_OPEN.finditer(text):
        s = m.start()
        if any(a <= s < b for a, b in taken):
            continue
        limit = min(len(text), s + _MAX_SINGLE_CHARS)
        j = s + 1
        while True:
            j = text.find("’", j, limit)
            if j < 0:
                break
            nxt = text[j + 1] if j + 1 < len(text) else " "
            if "\n" in text[s:j]:
                j = -1
                break
            if not nxt.isalnum():
                break
            j += 1
        if j > s + 1:
            taken.append((s, j + 1))
            yield _Direct(s, j + 1, True)


# --------------------------------------------------------------------------- direct


def _is_cue(tok: Token) -> bool:
    return tok.pos_ == "VERB" and tok.lemma_.lower() in CUE_VERBS


def _is_direct_cue(tok: Token) -> bool:
    """A cue next to a direct quote: speech verbs, manner-of-speaking verbs, ``as she put it``."""
    if tok.pos_ != "VERB":
        return False
    lemma = tok.lemma_.lower()
    if lemma in CUE_VERBS or lemma in _MANNER_CUES:
        return True
    return lemma == "put" and any(c.dep_ == "dobj" and c.lower_ == "it" for c in tok.children)


def _window_start(ctx: _Context, tok_i: int) -> int:
    """First token of the clause that ends at ``tok_i``: after the last sentence end or quote."""
    doc = ctx.doc
    j = tok_i - 1
    lo = max(0, tok_i - 40)
    while j >= lo:
        t = doc[j]
        if ctx.quote_at[j] >= 0 or "\n" in t.text or (t.is_sent_start and j < tok_i - 1) or t.text in (".", "!", "?"):
            if t.is_sent_start and ctx.quote_at[j] < 0 and "\n" not in t.text and t.text not in (".", "!", "?"):
                return j
            return j + 1
        j -= 1
    return lo


def _attribute_direct(ctx: _Context, d: _Direct) -> _Attribution | None:
    """Find the cue of a direct quote right before it (``X said: “…”``) or right after it."""
    doc = ctx.doc
    inner = doc[d.tok_start : d.tok_end]
    if _is_label(inner):
        return None  # a title or scare quote is not what the cue introduces
    # cue before: X said: “…” / X writes, “…” / X said “…”
    if d.tok_start > 0:
        prev = doc[d.tok_start - 1]
        # "X told Y that …, “…”": the quote ends an indirect content, it is not introduced
        ends_content = prev.text == "," and any(
            c.dep_ == "ccomp" and k < c.i < d.tok_start
            for k in range(_window_start(ctx, d.tok_start), d.tok_start)
            if _is_direct_cue(doc[k])
            for c in doc[k].children
        )
        if not ends_content and (prev.text in (":", ",", "—", "–") or _is_direct_cue(prev)):
            ws = _window_start(ctx, d.tok_start)
            leftmost = None
            for k in range(d.tok_start - 1, ws - 1, -1):
                t = doc[k]
                if _is_direct_cue(t):
                    subj = _subject(t)
                    if subj is None:
                        leftmost = t
                        continue
                    return _Attribution(d.start, d.end, True, _cue_span(t), subj, channel=_channel(t))
            if leftmost is not None:
                # the clause's subject was lost by the parse: the first name in the clause
                subj = next(
                    (doc[k] for k in range(ws, leftmost.i) if doc[k].pos_ in ("PROPN", "PRON", "NOUN")
                     and doc[k].dep_ not in ("compound", "det", "poss", "pobj")),
                    None,
                )
                if subj is not None:
                    cue = leftmost
                    return _Attribution(d.start, d.end, True, _cue_span(cue), subj, channel=_channel(cue))
    # cue after: “…,” X said / “…,” said X, the …
    last = ctx.text[d.start : d.end].rstrip("”\"»«’' ")
    j = d.tok_end
    if last.endswith(".") and j < len(doc):
        nxt = doc[j]
        if nxt.is_title and not _is_direct_cue(nxt) and nxt.pos_ != "PRON":
            return None  # the quote closed a sentence; what follows is new
    end = min(len(doc), j + 14)
    seen_verb = False
    while j < end:
        t = doc[j]
        if ctx.quote_at[j] >= 0 or "\n" in t.text or t.text in (".", "!", "?", ";"):
            break
        if _is_direct_cue(t) and not seen_verb:
            subj = _subject(t, after_quote=True)
            if subj is not None and ctx.quote_at[subj.i] >= 0:
                # the parse took a word of the quote as subject: use the name next to the cue
                subj = next(
                    (doc[k] for k in range(t.i - 1, d.tok_end - 1, -1) if doc[k].pos_ in ("PROPN", "PRON", "NOUN")),
                    None,
                )
            subj = subj or _inverted_subject(t)
            if subj is not None:
                return _Attribution(d.start, d.end, True, _cue_span(t), subj, channel=_channel(t))
        if t.pos_ == "VERB" or (t.pos_ == "AUX" and t.dep_ not in ("aux", "auxpass")):
            seen_verb = True
        j += 1
    return None


def _is_label(inner: Span) -> bool:
    """A short quoted phrase with no verb and no closing punctuation: a title or scare quote."""
    words = [t for t in inner if not (t.is_punct or t.is_space)]
    if len(words) > 4 or any(t.pos_ in ("VERB", "AUX") for t in words):
        return False
    body = inner.text.rstrip("”\"»«’' ")
    return not body.endswith((",", ".", "!", "?"))


def _continuation(ctx: _Context, att: _Attribution, d: _Direct) -> _Attribution | None:
    """A cue-less quote right after an attribution, in the same paragraph, inherits it.

    Covers the second part of an interrupted quote (“…,” X said. “…”) and a
    quote that follows an attributed sentence (X said Y. “…”).
    """
    if att.cue is None or att.end > d.start or not ctx.same_paragraph(att.end, d.start):
        return None
    doc = ctx.doc
    span = doc.char_span(att.end, d.start, alignment_mode="expand")
    cue_root = att.cue.root
    for t in span if span is not None else ():
        if t.i >= d.tok_start:
            break
        if t.is_punct or t.is_space or ctx.quote_at[t.i] >= 0 and t.idx < att.end:
            continue
        # tokens of the cue clause itself (speaker, channel, adverbs) are allowed
        if t.i == cue_root.i or cue_root in t.ancestors or t.head.i == cue_root.i:
            continue
        return None
    return _Attribution(d.start, d.end, True, att.cue, att.speaker_tok, channel=att.channel)


def _inverted_subject(verb: Token) -> Token | None:
    """``said X`` parsed without a subject arc: the first nominal after the verb."""
    doc = verb.doc
    for k in range(verb.i + 1, min(len(doc), verb.i + 4)):
        t = doc[k]
        if t.pos_ in ("PROPN", "NOUN", "PRON"):
            return t.head if t.dep_ == "compound" and t.head.i > t.i else t
        if t.pos_ not in ("DET", "ADJ", "ADV", "PUNCT"):
            break
    return None


# --------------------------------------------------------------------------- indirect


def _subject(verb: Token, after_quote: bool = False) -> Token | None:
    """Return the nominal subject of a cue verb, following conj/xcomp/advcl to the head."""
    v = verb
    for _ in range(3):
        subjects = [c for c in v.children if c.dep_ in ("nsubj", "nsubjpass", "csubj")]
        if subjects:
            # the nearest subject: a stray second arc often comes from a dateline or caption
            child = min(subjects, key=lambda c: abs(c.i - verb.i))
            if child.dep_ == "nsubjpass":
                return None
            lo, hi = sorted((child.i, verb.i))
            if any("\n" in t.text_with_ws for t in verb.doc[lo:hi]):
                return _left_nominal(verb)  # the parse reached into another paragraph
            return child
        if v.dep_ in ("conj", "xcomp", "advcl") and v.head.pos_ in ("VERB", "AUX") and v.head.i != v.i:
            v = v.head
            continue
        if v.dep_ == "relcl" and not after_quote:
            return None
        break
    return _left_nominal(verb)


def _left_nominal(verb: Token) -> Token | None:
    """The name right before a cue verb the parser left without a subject ("…\n\nBrahaj writes")."""
    doc = verb.doc
    k = verb.i - 1
    while k >= 0 and doc[k].pos_ in ("ADV", "AUX", "PART") and "\n" not in doc[k].text_with_ws:
        k -= 1
    if k < 0 or "\n" in doc[k].text_with_ws:
        return None
    t = doc[k]
    if t.pos_ in ("PROPN", "NOUN", "PRON") and t.dep_ not in ("pobj", "dobj", "nsubj", "nsubjpass", "poss"):
        return t
    if t.pos_ == "NUM" and t.head.i != verb.i:
        return t.head if t.dep_ == "pobj" and t.head.head.pos_ == "NUM" else t  # "4 in 10 say"
    if t.text != ",":
        return None
    # "Name, a long description, believes": the first name of the line, if no verb intervenes
    j = k
    while j > 0 and k - j < 40 and "\n" not in doc[j - 1].text_with_ws:
        j -= 1
    for m in range(j, k):
        if doc[m].pos_ in ("VERB", "AUX"):
            return None
        if doc[m].pos_ == "PROPN":
            head = doc[m]
            while head.dep_ in ("compound", "flat") and j <= head.head.i < k:
                head = head.head
            return head
    return None


def _subtree_range(tok: Token, exclude: Token | None = None) -> tuple[int, int]:
    """Token range (start, end) of ``tok``'s subtree, leaving out ``exclude``'s subtree."""
    if exclude is None:
        return tok.left_edge.i, tok.right_edge.i + 1
    idx = [t.i for t in tok.subtree if not (t.i == exclude.i or exclude.is_ancestor(t))]
    return min(idx), max(idx) + 1


def _trim(doc: Doc, start: int, end: int, keep_quotes: bool = True) -> tuple[int, int]:
    """Drop whitespace and punctuation at both ends of a token range (quotation marks kept)."""

    def loose(t: Token) -> bool:
        return t.is_space or (t.is_punct and not (keep_quotes and t.is_quote))

    while start < end and loose(doc[start]):
        start += 1
    while end > start and loose(doc[end - 1]):
        end -= 1
    return start, end


def _content_head(verb: Token) -> tuple[Token | None, bool]:
    """Return (complement token holding the content, content precedes the verb)."""
    lemma = verb.lemma_.lower()
    best = None
    for child in verb.children:
        if child.dep_ == "ccomp":
            if child.pos_ not in ("VERB", "AUX") and lemma in _WEAK_CUES:
                continue  # "find X palatable": a small clause, not a report
            best = child
            break
    if best is None:
        for child in verb.children:
            if child.dep_ == "xcomp" and (lemma in _XCOMP_CUES or (
                lemma not in _WEAK_CUES and child.tag_ == "VBG" and child.right_edge.i - child.i >= 2
            )):
                best = child
                break
            if child.dep_ == "dobj" and lemma in _DOBJ_CUES and child.pos_ in ("NOUN", "PROPN"):
                best = child
                break
    if best is None:
        # "said in a statement that …": the parser hangs the that-clause on the channel noun
        for prep in verb.children:
            if prep.dep_ != "prep":
                continue
            for pobj in prep.children:
                if pobj.dep_ != "pobj":
                    continue
                for clause in pobj.children:
                    if clause.dep_ in ("acl", "relcl") and any(
                        c.dep_ == "mark" and c.lower_ == "that" for c in clause.children
                    ):
                        return clause, False
    if best is None:
        return None, False
    return best, best.i < verb.i


def _indirect(ctx: _Context, verb: Token, directs: list[_Direct]) -> _Attribution | None:
    doc = ctx.doc
    subj = _subject(verb)
    if subj is None or subj.lower_ in _AUTHOR_PRONOUNS or subj.lower_ == "it":
        return None
    head, _before = _content_head(verb)
    start = end = None
    hole = None
    if head is not None:
        start, end = _subtree_range(head)
        if start <= verb.i < end:
            return None
    else:
        # "the report added: …" — content is the rest of the sentence after the colon
        nxt = verb.i + 1
        while nxt < len(doc) and doc[nxt].dep_ in ("advmod", "prt") and doc[nxt].head.i == verb.i:
            nxt += 1
        if nxt < len(doc) and doc[nxt].text == ":":
            start = nxt + 1
            end = verb.sent.end
            if end <= start + 1 and start < len(doc):
                # colon closed the sentence: take the next sentence in the same paragraph
                end = doc[start].sent.end
        elif (verb.lemma_.lower() not in _WEAK_CUES or verb.lemma_.lower() == "add") and (
            verb.dep_ == "parataxis" or _trailing_cue(verb, subj)
        ):
            # "The plan failed, officials said" / "This campaign, he says, is different"
            start, end = _subtree_range(verb.head, exclude=verb)
            if start < verb.left_edge.i and verb.right_edge.i + 1 < end:
                hole = (verb.left_edge.i, verb.right_edge.i + 1)
        elif verb.lemma_.lower() in _PREDICATE_CUES:
            # "urged Congress to act", "accused the mayor of lying": the rest of the predicate
            parts = [c for c in verb.rights if c.dep_ in ("dobj", "dative", "prep", "xcomp", "oprd", "attr", "ccomp")]
            if verb.lemma_.lower() == "call" and not any(
                c.dep_ in ("oprd", "xcomp", "ccomp") or (c.dep_ == "prep" and c.lower_ in ("for", "on")) for c in parts
            ):
                return None  # "called the police" is a phone call, "called X a liar" a statement
            if not parts:
                return None
            start, end = parts[0].left_edge.i, max(c.right_edge.i for c in parts) + 1
        else:
            return None
    if end - start < 2 and not (end - start == 1 and doc[start].pos_ in ("NOUN", "PROPN")):
        return None
    return _build(ctx, verb, subj, start, end, head, directs, hole=hole)


def _trailing_cue(verb: Token, subj: Token) -> bool:
    """``…, she said.`` parsed as an adverbial clause of the reported statement."""
    if verb.dep_ != "advcl" or verb.head.i > verb.i or subj.i > verb.i:
        return False
    left = subj.left_edge.i
    if left == 0 or verb.doc[left - 1].text != ",":
        return False
    return not any(c.dep_ in ("dobj", "ccomp", "xcomp", "mark", "attr", "acomp") for c in verb.children)


def _build(
    ctx: _Context, verb: Token, subj: Token, start: int, end: int, head: Token | None,
    directs: list[_Direct], cue: Span | None = None, hole: tuple[int, int] | None = None,
) -> _Attribution | None:
    """An indirect or mixed attribution over tokens ``start:end`` (edge punctuation trimmed).

    ``hole`` is a token range inside the content that is not part of it (the
    parenthetical cue clause): the content is then two spans, as PolNeAR
    annotates "Her plan, she said, is dead".
    """
    doc = ctx.doc
    start, end = _trim(doc, start, end)
    if end <= start:
        return None
    s_char, e_char = doc[start].idx, doc[end - 1].idx + len(doc[end - 1])
    hole_chars = None
    if hole is not None:
        left = _trim(doc, start, hole[0])
        right = _trim(doc, hole[1], end)
        if left[1] > left[0] and right[1] > right[0]:
            hole_chars = (doc[left[1] - 1].idx + len(doc[left[1] - 1]), doc[right[0]].idx)
    quoted = False
    # a content that overlaps a direct quote covers it whole (mixed quote)
    for d in directs:
        if d.start < e_char and s_char < d.end:
            if d.claimed and d.start <= s_char and e_char <= d.end:
                return None  # already attributed as a direct quote
            quoted = True  # mixed: the content carries quoted words
            s_char, e_char = min(s_char, d.start), max(e_char, d.end)
            d.claimed = True
    if hole_chars is not None and not (s_char < hole_chars[0] and hole_chars[1] < e_char):
        hole_chars = None
    return _Attribution(
        s_char, e_char, quoted, cue if cue is not None else _cue_span(verb), subj,
        channel=_channel(verb), content_head=head, hole=hole_chars,
    )


def _noun_cue(ctx: _Context, noun: Token, directs: list[_Direct]) -> _Attribution | None:
    """``X's claim that …``: the possessor speaks, the that-clause is the content.

    Notes:
        PARC 3.0 and PolNeAR annotate nominal cues; only nouns with a
        possessive source and a that-clause are taken: a bare "the claim that
        …" names no one, and "X's criticism of Y" measured mostly wrong on
        PolNeAR train.
    """
    if noun.dep_ == "ROOT":
        return None  # a verbless sentence around the noun: the parse went wrong or it is a title
    poss = next((c for c in noun.children if c.dep_ == "poss"), None)
    if poss is None or poss.lower_ in ("my", "our", "its") or ctx.quote_at[poss.i] >= 0:
        return None
    head = None
    for child in noun.children:
        if child.i > noun.i and child.dep_ in ("acl", "relcl") and any(
            c.dep_ == "mark" and c.lower_ == "that" for c in child.children
        ):
            head = child
            break
    if head is None:
        return None
    start, end = _subtree_range(head)
    if end - start < 2:
        return None
    return _build(ctx, noun, poss, start, end, head, directs, noun.doc[noun.i : noun.i + 1])


def _prep_content(verb: Token) -> tuple[Token, Token] | None:
    """(preposition, its object) when the verb's own preposition introduces the content."""
    preps = _ATTITUDE_PREPS.get(verb.lemma_.lower(), ())
    if not preps or any(c.dep_ == "ccomp" for c in verb.children):
        return None
    for child in verb.children:
        if child.dep_ in ("prep", "prt") and child.i > verb.i and child.lower_ in preps:
            pobj = next((c for c in child.children if c.dep_ in ("pobj", "pcomp")), None)
            if pobj is not None:
                return child, pobj
    return None


def _attitude(ctx: _Context, verb: Token, directs: list[_Direct]) -> _Attribution | None:
    """A stance, intention or perception cue: ``X wants to …``, ``X criticized Y``, ``X called for Y``.

    The content is the clausal complement, the infinitive or gerund, the
    object (with its ``as`` phrase: "cited X as a danger") or the object of the
    verb's own preposition ("pointed to", "called for"), which joins the cue.

    Notes:
        PolNeAR (Newell, Margolin and Ruths 2018) extends PARC 3.0's speech
        cues to beliefs, intentions and evaluations; the lexicon keeps the
        lemmas whose occurrences are mostly annotated cues on PolNeAR train.
    """
    doc = ctx.doc
    lemma = verb.lemma_.lower()
    subj = _subject(verb)
    if subj is None or subj.lower_ in _AUTHOR_PRONOUNS or subj.lower_ in ("it", "there", "this"):
        return None
    if lemma in _NAMED_SUBJECT_ONLY and not (
        subj.pos_ == "PROPN" or subj.ent_type_ in ("PERSON", "ORG", "NORP") or subj.lower_ in _PERSON_PRONOUNS
    ):
        return None
    if subj.lemma_.lower() in _NOT_AGENTS or subj.ent_type_ in ("DATE", "TIME", "CARDINAL", "PERCENT"):
        return None
    if lemma == "show" and any(c.dep_ == "dative" for c in verb.children):
        return None  # "showed him the printouts" is a gesture, not a finding
    head = cue = None
    for child in verb.children:
        if child.dep_ == "ccomp" and child.pos_ in ("VERB", "AUX") and child.i > verb.i:
            head = child
            break
    if head is None:
        for child in verb.children:
            if child.i < verb.i:
                continue
            if child.dep_ == "xcomp" and child.pos_ in ("VERB", "AUX"):
                head = child
                break
            if (
                child.dep_ in ("dobj", "attr") and child.pos_ in ("NOUN", "PROPN", "PRON", "NUM")
                and child.lower_ not in _RELATIVE
            ):
                head = child
                break
    if head is None:
        found = _prep_content(verb)
        if found is not None:
            prep, head = found
            if prep.i - verb.i <= 2:
                cue = doc[_cue_span(verb).start : prep.i + 1]
    if head is None:
        return None
    start, end = _subtree_range(head)
    if head.dep_ in ("dobj", "attr"):
        # "cited X as a danger", "described Y as Z": the as-phrase belongs to the content
        for child in verb.children:
            if child.i > head.i and child.dep_ in ("prep", "oprd") and child.lower_ == "as":
                end = max(end, child.right_edge.i + 1)
    if start <= verb.i < end or end <= start:
        return None
    if lemma == "question" and head.dep_ == "dobj" and (head.pos_ == "PRON" or head.ent_type_ == "PERSON"):
        return None  # "officers questioned him": an interrogation, not a doubt
    return _build(ctx, verb, subj, start, end, head, directs, cue)


_HEADLINE_STOP = frozenset(
    "update updates note watch related correction photos photo video read source sources tags "
    "editor editors listen see also subscribe advertisement share breaking exclusive live".split()
)


def _headlines(ctx: _Context, used_cues: set[int]) -> Iterator[_Attribution]:
    """``Name: statement`` at the start of a line (headline and transcript style)."""
    doc = ctx.doc
    text = ctx.text
    for m in _PARAGRAPH.finditer(text):
        line = text[m.start() : m.end()]
        colon = line.find(":")
        if colon <= 0 or colon > 60 or not line[colon + 1 : colon + 2].isspace():
            continue
        head = doc.char_span(m.start(), m.start() + colon, alignment_mode="expand")
        cue = doc.char_span(m.start() + colon, m.start() + colon + 1, alignment_mode="expand")
        if head is None or cue is None or not head.text.strip() or len(head) > 7:
            continue
        if head.text.split()[0].lower().strip("'’s") in _HEADLINE_STOP:
            continue
        if any(t.pos_ in ("VERB", "AUX", "ADP", "SCONJ", "PRON") or ctx.quote_at[t.i] >= 0 for t in head):
            continue
        if not any(t.pos_ == "PROPN" or t.ent_type_ in ("PERSON", "ORG") for t in head) and len(head) > 1:
            continue
        body_start = m.start() + colon + 1
        body = text[body_start : m.end()]
        lead = len(body) - len(body.lstrip())
        c_start, c_end = body_start + lead, m.end()
        while c_end > c_start and text[c_end - 1] in " .\t":
            c_end -= 1
        if len(text[c_start:c_end].split()) < 3:
            continue
        root = max(head, key=lambda t: (t.pos_ == "PROPN", t.i))
        used_cues.add(cue.start)
        yield _Attribution(c_start, c_end, False, cue, root, speaker_span=head)


def _according(ctx: _Context, tok: Token) -> _Attribution | None:
    doc = ctx.doc
    to = next((c for c in tok.children if c.lower_ == "to"), None)
    if to is None and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
        to = doc[tok.i + 1]
    if to is None:
        return None
    src = next((c for c in to.children if c.dep_ == "pobj"), None)
    if src is None:
        return None
    sent = tok.sent
    phrase_start = tok.i
    phrase_end = max(src.right_edge.i + 1, to.i + 1)
    left = _trim(doc, sent.start, phrase_start)
    right = _trim(doc, phrase_end, sent.end)
    parts = [p for p in (left, right) if p[1] - p[0] >= 3]
    if not parts:
        return None
    start, end = (parts[0] if len(parts) == 1 else (left[0], right[1]))
    if start <= tok.i < end and len(parts) == 2:
        # phrase in mid-sentence: keep the longer side, the content must not contain the cue
        start, end = max(parts, key=lambda p: p[1] - p[0])
    s_char, e_char = doc[start].idx, doc[end - 1].idx + len(doc[end - 1])
    cue = doc[tok.i : to.i + 1]
    return _Attribution(s_char, e_char, False, cue, src, according=True)


def _embedded(ctx: _Context, d: _Direct) -> _Attribution | None:
    """A partial quote inside a narrative clause: the clause subject is the speaker, no cue."""
    doc = ctx.doc
    inner = doc[d.tok_start : d.tok_end]
    words = [t for t in inner if not (t.is_punct or t.is_space)]
    has_verb = any(t.pos_ in ("VERB", "AUX") for t in words)
    # the quote's outermost token and the first verb above it outside the quote
    root = inner.root
    v = root if root.pos_ in ("VERB", "AUX") else root.head
    steps = 0
    while v.pos_ not in ("VERB", "AUX") and v.head.i != v.i and steps < 6:
        v = v.head
        steps += 1
    subj = None
    if v.pos_ in ("VERB", "AUX"):
        subj = _subject(v, after_quote=True)
        if subj is not None and ctx.quote_at[subj.i] >= 0:
            subj = None
    full_sentence = _is_whole_sentence(ctx, d)
    if not has_verb and len(words) <= 4:
        return None  # scare quotes: a label, not a statement
    if full_sentence or subj is None or not has_verb:
        return _Attribution(d.start, d.end, True, None, None)
    return _Attribution(d.start, d.end, True, None, subj)


def _is_whole_sentence(ctx: _Context, d: _Direct) -> bool:
    """True when the quote opens its sentence (after a full stop, a colon, a line break or a quote)."""
    doc = ctx.doc
    before = d.tok_start - 1
    while before >= 0 and (doc[before].is_space or doc[before].is_quote) and "\n" not in doc[before].text:
        before -= 1
    if before < 0 or "\n" in doc[before].text_with_ws or ctx.quote_at[before] >= 0:
        return True
    return doc[before].text in (".", "!", "?", ":", "…")


# --------------------------------------------------------------------------- speaker


def _cue_span(verb: Token) -> Span:
    """The cue verb with its particle and the verb group before it ("has not yet said").

    Notes:
        PolNeAR and PARC 3.0 mark the whole verb group as the cue: auxiliaries,
        negation and adverbs adjacent to the verb.
    """
    doc = verb.doc
    start, end = verb.i, verb.i + 1
    children = {c.i for c in verb.children if c.dep_ in ("aux", "auxpass", "neg", "advmod")}
    while start - 1 in children and "\n" not in doc[start - 1].whitespace_ and not doc[start - 1].is_punct:
        start -= 1
    for child in verb.children:
        if child.dep_ == "prt" and child.i == end:
            end += 1
    return doc[start:end]


def _channel(verb: Token) -> str | None:
    lemma = verb.lemma_.lower()
    for child in verb.children:
        if lemma in _ADDRESSEE_CUES and child.dep_ in ("dobj", "dative") and child.pos_ in ("PROPN", "NOUN", "PRON"):
            return verb.doc[child.left_edge.i : child.right_edge.i + 1].text
    for child in verb.children:
        if child.dep_ == "prep" and child.lower_ in _CHANNEL_PREPS:
            pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if pobj is None:
                continue
            named_outlet = pobj.ent_type_ in ("ORG", "PRODUCT", "WORK_OF_ART") and child.lower_ == "on"
            if pobj.lower_ in _CHANNEL_NOUNS or named_outlet:
                return _phrase(child)
            if lemma in ("write", "say", "tweet", "post") and child.lower_ == "to" and pobj.pos_ in ("PROPN", "NOUN"):
                return _phrase(child)
    return None


def _phrase(prep: Token) -> str:
    """A prepositional phrase without a that-clause hung on its noun ("in a statement that …")."""
    doc = prep.doc
    end = prep.i + 1
    cut = min(
        (t.left_edge.i for t in prep.subtree
         if t.dep_ in ("acl", "relcl") and any(c.dep_ == "mark" for c in t.children)),
        default=prep.right_edge.i + 1,
    )
    end = max(end, min(cut, prep.right_edge.i + 1))
    while end > prep.i + 1 and doc[end - 1].is_punct:
        end -= 1
    return doc[prep.i : end].text


def _speaker_span(tok: Token) -> Span:
    """The whole noun phrase of the speaker: subtree minus relative clauses and edge punctuation."""
    doc = tok.doc
    if tok.pos_ == "PRON":
        return doc[tok.i : tok.i + 1]
    excluded: set[int] = set()
    for t in tok.subtree:
        if t.i == tok.i or t.i in excluded:
            continue
        # relative clauses and comma-set participles ("X, clad in red,") are not the name
        if t.dep_ == "relcl" or (
            t.dep_ in ("acl", "amod", "advcl") and t.tag_ in ("VBN", "VBG", "JJ") and t.i > tok.i
            and t.left_edge.i > 0 and doc[t.left_edge.i - 1].text == ","
        ):
            excluded.update(x.i for x in t.subtree)
    keep = {t.i for t in tok.subtree if t.i not in excluded and "\n" not in t.text}
    # stop at the first gap so the phrase stays contiguous around its head
    start = end = tok.i
    while start - 1 >= 0 and start - 1 in keep and "\n" not in doc[start - 1].whitespace_:
        start -= 1
    while end + 1 < len(doc) and end + 1 in keep and "\n" not in doc[end].whitespace_:
        end += 1
    end += 1
    start, end = _trim(doc, start, end, keep_quotes=False)
    # a name the parse cut off on the left, with no comma between ("Gjergji Thanasi another journalist")
    while (
        start > 0 and doc[start - 1].pos_ == "PROPN" and doc[start].pos_ != "PROPN"
        and "\n" not in doc[start - 1].whitespace_ and doc[start - 1].ent_type_ == "PERSON"
    ):
        start -= 1
    while start > 0 and doc[start - 1].ent_type_ == "PERSON" and doc[start].ent_type_ == "PERSON" and (
        "\n" not in doc[start - 1].whitespace_
    ):
        start -= 1
    if end < len(doc) and doc[end].text == ")" and "(" in doc[start:end].text and ")" not in doc[start:end].text:
        end += 1  # keep the party tag whole: "Paul Ryan (R-WI)"
    if end <= start:
        return doc[tok.i : tok.i + 1]
    return doc[start:end]


def _source_span(ctx: _Context, tok: Token, core: Span, cue: Span | None) -> Span:
    """The source span as PolNeAR marks it: the whole subject phrase around the speaker.

    Relative clauses, comma-set modifiers and coordinated speakers ("she and
    another reporter") are kept; a temporal phrase the parse hung on the name
    is not; the comma closing an appositive before the cue is kept ("X, a
    lawyer, said").

    Notes:
        PolNeAR annotation guidelines (Newell, Margolin and Ruths 2018): the
        source is the maximal noun phrase, closing appositive comma included.
    """
    doc = ctx.doc
    if tok.lower_ in _RELATIVE:
        return core
    dropped: set[int] = set()
    for t in tok.subtree:
        if t.i in dropped or t.i == tok.i:
            continue
        if t.dep_ == "npadvmod" or (
            t.dep_ == "prep" and t.head.i == tok.i and any(c.ent_type_ in ("DATE", "TIME") for c in t.subtree)
        ):
            dropped.update(x.i for x in t.subtree)
    keep = {t.i for t in tok.subtree if t.i not in dropped}
    if cue is not None:
        keep -= set(range(cue.start, cue.end))
    start, end = core.start, core.end - 1
    while start - 1 in keep and "\n" not in doc[start - 1].whitespace_ and ctx.quote_at[start - 1] < 0:
        start -= 1
    while end + 1 in keep and "\n" not in doc[end].whitespace_ and ctx.quote_at[end + 1] < 0:
        end += 1
    end += 1
    start, end = _trim(doc, start, end, keep_quotes=False)
    if end <= start:
        return core
    if end < len(doc) and doc[end].text == ")" and "(" in doc[start:end].text and ")" not in doc[start:end].text:
        end += 1
    if (
        cue is not None and end < cue.start and end < len(doc) and doc[end].text == ","
        and any(t.text == "," for t in doc[start:end])
    ):
        end += 1  # the comma that closes the appositive
    return doc[start:end]


def _speaker_name(ctx: _Context, tok: Token, span: Span) -> str | None:
    low = tok.lower_
    if low in _RELATIVE:
        clause = tok.head
        while clause.dep_ == "conj" and clause.head.i != clause.i:
            clause = clause.head  # "X, who served … and who told me"
        if clause.dep_ == "relcl" and clause.head.i != tok.i:
            antecedent = clause.head
            return _speaker_name(ctx, antecedent, _speaker_span(antecedent))
        return None
    if tok.pos_ == "PRON" or low in _NOT_SPEAKERS or low in _PERSON_PRONOUNS:
        if low in _PERSON_PRONOUNS:
            return ctx.antecedent(tok)
        if low in ("they", "them"):
            return ctx.group_antecedent(tok)
        return None
    # a named entity on the head, an appositive or a compound inside the phrase
    ents = ctx.ents_in(span)
    own = next((e for e in ents if e.start <= tok.i < e.end), None)
    persons = [e for e in ents if e.label_ == "PERSON"]
    # a person named in the phrase outranks a place or body the parse made the head
    # ("At Camp Sahar, the spokesman, Farhad Nikzad, said")
    if own is not None and own.label_ == "PERSON":
        return ctx.normalize(own)
    if persons:
        return ctx.normalize(persons[0])
    if own is not None or tok.pos_ == "PROPN":
        run = _proper_run(ctx, tok, span)
        if own is not None and (run is None or len(run) <= len(own.text)):
            return ctx.normalize(own)
        return run
    # "the tycoon": the person or body described so earlier in the document
    if tok.tag_ == "NN" and any(t.lower_ in ("the", "this", "that") for t in tok.lefts):
        described = ctx.described(tok)
        if described is not None:
            return described
    # a group or a document: the noun phrase up to its head, without the determiner
    left = [t for t in span if t.i <= tok.i]
    while left and (left[0].lower_ in _DETERMINERS or left[0].is_punct):
        left = left[1:]
    if not left:
        return None
    name = " ".join(ctx.text[left[0].idx : tok.idx + len(tok)].split())
    if not name or name.lower() in _NOT_SPEAKERS or tok.lemma_.lower() in _NOT_AGENTS:
        return None
    if tok.ent_type_ in ("DATE", "TIME", "ORDINAL"):
        return None
    return name


def _proper_run(ctx: _Context, tok: Token, span: Span) -> str | None:
    """The capitalised name around a head: "Special Structure Against Organised Crime", "Dawn of Zarvan"."""
    doc = tok.doc
    a, b = tok.i, tok.i + 1
    while a - 1 >= span.start:
        t = doc[a - 1]
        if t.pos_ == "PROPN" or (t.is_title and t.pos_ in ("ADJ", "NOUN")):
            a -= 1
        elif t.tag_ == "POS" and a - 2 >= span.start and doc[a - 2].pos_ == "PROPN":
            a -= 1
        else:
            break
    while b < span.end:
        t = doc[b]
        if t.pos_ == "PROPN" and t.is_title:
            b += 1
        elif t.pos_ == "ADP" and b + 1 < span.end and doc[b + 1].pos_ == "PROPN" and doc[b + 1].is_title:
            b += 2
        else:
            break
    return ctx.expand(_strip_name(ctx.text[doc[a].idx : doc[b - 1].idx + len(doc[b - 1])], person=False))


_ORG_WORDS = frozenset(
    """
    ministry party police association inc corp group council committee news times post press
    agency office court university institute bank union army embassy government department
    center centre foundation organization organisation company network service radio tv
    """.split()
)


def _name_shaped(words: list[Token]) -> bool:
    """Two or three title-case words with no organisation word: a person the NER mislabelled."""
    return 2 <= len(words) <= 3 and all(
        w.is_title and w.is_alpha and w.lower_ not in _ORG_WORDS for w in words
    )


def _strip_name(name: str, person: bool = True) -> str:
    """Drop leading titles (for a person) or a leading "the", and a trailing possessive."""
    words = name.replace("\n", " ").split()
    strip = _TITLES if person else {"the"}
    while len(words) > 1 and words[0].lower().rstrip(",") in strip:
        words = words[1:]
    if words and (words[-1].endswith("'s") or words[-1].endswith("’s")):
        words[-1] = words[-1][:-2]
    if words and words[-1] in ("'s", "’s", "'", "’"):
        words = words[:-1]
    return " ".join(w for w in words if w).strip(" ,;:")


# --------------------------------------------------------------------------- records


def _records(ctx: _Context, found: list[_Attribution], doc_id: str) -> Iterator[Quote]:
    text = ctx.text
    found.sort(key=lambda a: (a.start, a.end))
    names: list[str | None] = []
    spans: list[Span | None] = []
    for a in found:
        if a.speaker_tok is None:
            names.append(None)
            spans.append(None)
            continue
        core = a.speaker_span if a.speaker_span is not None else _speaker_span(a.speaker_tok)
        names.append(_speaker_name(ctx, a.speaker_tok, core))
        spans.append(core if a.speaker_span is not None else _source_span(ctx, a.speaker_tok, core, a.cue))
    # chains: a cue inside another attribution's content links to it
    drop: set[int] = set()
    via: dict[int, str | None] = {}
    for i, a in enumerate(found):
        if a.cue is None:
            continue
        cs = a.cue.start_char
        for j, outer in enumerate(found):
            if j == i or outer.direct or not (outer.start <= cs < outer.end):
                continue
            if names[j] is not None or spans[j] is not None:
                via[i] = names[j] or (spans[j].text if spans[j] is not None else None)
            inner = a.cue.root.lemma_.lower()
            if outer.according and inner in CUE_VERBS and inner not in _WEAK_CUES:
                drop.add(j)
            break
    for i, a in enumerate(found):
        if i in drop:
            continue
        sp = spans[i]
        parts = [(a.start, a.end)] if a.hole is None else [(a.start, a.hole[0]), (a.hole[1], a.end)]
        for start, end in parts:
            yield _quote(doc_id, text, start, end, a, names[i], sp, via.get(i))


def _quote(
    doc_id: str, text: str, start: int, end: int, a: _Attribution, name: str | None, sp: Span | None, via: str | None
) -> Quote:
    """One record: a whole attribution or one part of a content cut by its cue."""
    cue = a.cue
    return Quote(
        doc=doc_id,
        start=start,
        end=end,
        text=text[start:end],
        speaker=name,
        speaker_text=sp.text if sp is not None else None,
        cue=cue.text if cue is not None else None,
        direct=a.direct,
        speaker_start=sp.start_char if sp is not None else None,
        speaker_end=sp.end_char if sp is not None else None,
        cue_start=cue.start_char if cue is not None else None,
        cue_end=cue.end_char if cue is not None else None,
        channel=a.channel,
        via=via,
    )
