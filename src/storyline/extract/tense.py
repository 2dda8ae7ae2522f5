"""Read the tense of the clause a temporal expression attaches to, from the dependency parse.

A bare weekday or month ("on Thursday", "in January") names the one before or
after the publication date depending on the clause it belongs to: "met on
Thursday" looks back, "will meet on Thursday" and "meets Thursday" look
forward. :func:`storyline.extract.dates.find_dates` reads that from cue words
around the expression; when it is given the spaCy parse of the text it asks
:func:`clause_tense` first, which looks at the verb the expression hangs from
and that verb's auxiliaries, as HeidelTime reads the sentence's part-of-speech
tags (Strötgen & Gertz 2013), with the attachment the tags alone cannot give.

:func:`clause_tense` reads only a direct attachment: the expression is an
argument or adverbial of the verb itself ("arrived Friday") or the object of a
preposition that is ("arrived on Friday"). An expression inside a noun phrase
("Friday's declaration", "a rally on Friday by workers") is left to the cue
words, since the noun's event need not share the clause's tense. The other
readers answer narrower questions for the date rules: whether the verb is a
finite past (:func:`finite_past`), has "will" (:func:`explicit_future`), puts
something off (:func:`deferred`), looks forward as a present or a modal
(:func:`finite_present`, :func:`modal_sentence`), or tells a plan in the past
(:func:`future_in_past`).
"""

from __future__ import annotations

from typing import Any

#: Auxiliaries that put a clause after the time of writing (or of the reported speech).
WILL_AUX = frozenset({"will", "shall", "'ll", "wo"})
FUTURE_AUX = WILL_AUX | {"would", "'d"}

#: Verbs whose object or complement lies ahead of them: "planned a rally on Saturday",
#: "scheduled a hearing for Monday", "expects to close on Friday".
FORWARD_LEMMAS = frozenset({"expect", "schedule", "plan", "intend", "slate", "hope", "aim", "due"})

#: Past perfect auxiliaries: "had been due to expire Friday" is past whatever follows.
PERFECT_AUX = frozenset({"had", "'d"})

#: Modals that, with a perfect ("would have been", "could have won", "may have met"), speak of
#: the past; "will have" (a future perfect) is not among them.
PAST_MODALS = frozenset({"would", "could", "should", "might", "may", "must", "'d"})

#: Modals that look forward when they stand with a plain verb ("can he win in November", "would
#: set the stage for a convention in July").
FORWARD_MODALS = frozenset({"will", "shall", "'ll", "wo", "would", "'d", "can", "could", "may", "might",
                            "should"})

#: Verbs that move a time forward: with "until" or "through" their date is the new one, ahead of
#: a past verb ("postponed until Tuesday", "extended the deadline through Friday").
DEFER_LEMMAS = frozenset({"postpone", "extend", "delay", "defer", "adjourn", "suspend", "recess", "push",
                          "reschedule", "table", "prolong", "move", "give", "grant", "allow"})

#: Verbs spelled the same in the present and the past ("hurt", "cut", "set"): a present tag on
#: them is a guess by the tagger, so it is not read as a present tense.
INVARIANT_VERBS = frozenset(
    "hurt put set cut let hit cost quit spread shut bet burst cast split shed beat bid broadcast "
    "upset read thrust rid slit forecast".split())

#: Reporting verbs: in the present ("a poll finds", "the report says") they are the news's
#: historical present, not a schedule.
REPORTING_LEMMAS = frozenset(
    "say tell report show find note add argue claim write suggest indicate reveal state conclude "
    "estimate insist warn admit acknowledge explain recall".split())

#: Verbs whose complement happens when they do: "kept paying her until March 17", "appeared to
#: back off on Tuesday", "refused to comment on Friday" (unlike "agreed to meet on Friday").
SAME_TIME_LEMMAS = frozenset(
    "keep continue begin start stop resume cease quit finish appear seem try attempt manage fail refuse "
    "decline happen rush hasten dare bother neglect".split())

#: Verbs that take a noun and a participle ("make their voice known", "got the bill passed").
_SMALL_CLAUSE_LEMMAS = frozenset("make have get keep leave want see find need let hear consider".split())

#: Dependency labels of a clause whose time is read from the clause that governs it
#: ("agreed to meet Friday", "plans to vote Monday").
_GOVERNED = frozenset({"xcomp", "advcl", "ccomp", "acl", "relcl"})
_MAX_DEPTH = 2


def _root(parse: Any, start: int, end: int) -> Any:
    """The head token of the expression at ``start:end`` in ``parse``, or None off its tokens."""
    span = parse.char_span(start, end, alignment_mode="expand")
    return span.root if span is not None and len(span) else None


def is_noun_at(parse: Any, offset: int) -> bool:
    """Whether the word at character ``offset`` of ``parse`` is tagged as a common noun ("support for
    the plan": "plan"), so that it is no tense cue."""
    tok = _root(parse, offset, offset + 1)
    return tok is not None and tok.tag_ in ("NN", "NNS")


def _hanging_from(parse: Any, start: int, end: int) -> Any:
    """The word the expression at ``start:end`` hangs from (see :func:`_attachment`), or None."""
    tok = _root(parse, start, end)
    return _attachment(tok) if tok is not None else None


def _future_aux(verb: Any, aux: frozenset[str] = FUTURE_AUX) -> bool:
    """Whether ``verb`` has a future auxiliary among ``aux``, or "going to"."""
    words = {c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass")}
    return bool(words & aux) or {"going", "to"} <= words


def _attachment(tok: Any) -> Any:
    """The word an expression's head hangs from, through its preposition ("arrived on Friday":
    "arrived"), or None when it is the root or the object of a root preposition."""
    head = tok.head
    if head is tok:
        return None
    if tok.dep_ == "pobj" and (head.pos_ == "ADP" or head.dep_ == "prep"):  # "since" and "until" are often SCONJ
        return None if head.head is head else head.head
    return head


def clause_tense(parse: Any, start: int, end: int) -> str | None:
    """The tense of the clause the expression at ``start:end`` attaches to.

    Args:
        parse: the spaCy ``Doc`` of the text the offsets index into.
        start: start offset of the temporal expression.
        end: end offset of the temporal expression.

    Returns:
        ``"future"``, ``"past"``, or None when the parse does not tell
        (no direct verb attachment, or a verb form with no clear tense).
    """
    tok = _root(parse, start, end)
    head = _attachment(tok) if tok is not None else None
    if head is None or head.pos_ not in ("VERB", "AUX"):
        return None
    for verb in [head, *head.ancestors][:4]:
        aux = [c for c in verb.children if c.dep_ in ("aux", "auxpass") and c.lower_ != "to"]
        if any(c.dep_ == "aux" and c.lower_ in PERFECT_AUX for c in aux):
            return "past"  # "had been due to expire Friday"
        if aux or verb.tag_ in ("VBD", "VBZ", "VBP", "MD"):
            break  # a finite verb of its own: "had stepped up patrols and would keep them through June"
    if head.lemma_ in FORWARD_LEMMAS and head.i < tok.i:
        return "future"
    return _verb_tense(head, 0)


def _verb_tense(verb: Any, depth: int) -> str | None:
    """The tense of ``verb``'s clause from its tag and auxiliaries."""
    aux = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    words = {a.lower_ for a in aux}
    if "have" in words and words & PAST_MODALS and not words & WILL_AUX:
        return "past"  # "Saturday would have been his birthday", "he could have won on Tuesday"
    if _future_aux(verb) or verb.lower_ in FUTURE_AUX:
        return "future"
    finite = [a for a in aux if a.lower_ != "to"]
    if not finite and depth < _MAX_DEPTH and (
            verb.dep_ == "xcomp" and verb.head.lemma_ in SAME_TIME_LEMMAS
            or verb.dep_ == "advcl" and verb.tag_ == "VBG" and not any(c.dep_ == "mark" for c in verb.children)):
        # "kept paying until March 17", "continued its attacks, saying Monday that ...": the governing verb
        # tells when
        return _verb_tense(verb.head, depth + 1)
    if "to" in words and all(a.lower_ in ("to", "have", "be", "been") for a in aux):
        # an infinitive: ahead of a forward-looking or future governing clause, else unknown
        if depth >= _MAX_DEPTH or verb.dep_ not in _GOVERNED or verb.head is verb:
            return None
        gov = verb.head
        gov_past = gov.tag_ == "VBD" or any(c.tag_ == "VBD" for c in gov.children if c.dep_ in ("aux", "auxpass"))
        if gov.lemma_ in FORWARD_LEMMAS and gov.i < verb.i and not gov_past:
            return "future"
        return "future" if _verb_tense(gov, depth + 1) == "future" else None
    if any(a.tag_ == "VBD" for a in finite):
        return "past"
    if verb.tag_ == "VBN" and words & {"has", "have", "'ve"}:
        return "past"
    if verb.tag_ == "VBD":
        return "past"
    if verb.tag_ == "VBN" and not aux and any(c.dep_ == "nsubj" for c in verb.children) and not (
            verb.head is not verb and verb.head.lemma_ in _SMALL_CLAUSE_LEMMAS):
        # a past tense tagged as a participle: "what changed by Monday"; but "make their voice known on
        # Tuesday" is a participle with its noun
        return "past"
    if verb.tag_ == "VBN" and not aux and verb.dep_ == "acl" and verb.lemma_ not in FORWARD_LEMMAS | PLANNED_LEMMAS:
        # a participle after its noun: "results tallied through Wednesday", unless the noun's own clause
        # looks ahead ("will buy all shares tendered through Nov. 17")
        return None if _governed_ahead(verb) else "past"
    if verb.tag_ == "VBG" and any(a.tag_ in ("VBZ", "VBP") for a in finite):
        return "future"
    if verb.tag_ in ("VBZ", "VBP") and not aux and verb.lower_ not in INVARIANT_VERBS and verb.lemma_ not in REPORTING_LEMMAS:
        return "future"
    if verb.tag_ == "VB" and any(a.tag_ == "MD" for a in finite):
        return "future"
    if verb.tag_ == "VB" and not aux and not any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in verb.children) and (
            verb.dep_ == "ROOT" or verb.dep_ == "conj" and verb.head.dep_ == "ROOT" and verb.head.tag_ == "VB"
            and not any(c.dep_ in ("nsubj", "nsubjpass", "expl", "aux") for c in verb.head.children)):
        # an imperative: "Remember in November the senators who ...", "Call your senator and vote them out in November"
        return "future"
    if verb.tag_ == "VB" and not aux and verb.head is not verb and verb.head.lower_ == "let" and verb.head.tag_ == "VB":
        return "future"  # "Let's defeat her in November"
    return None


#: Verbs that, in the past ("was going to", "were set to"), put a plan in the past of the writer.
PLANNED_LEMMAS = frozenset({"go", "set", "schedule", "due", "expect", "suppose", "slate", "plan", "intend"})


def future_in_past(parse: Any, start: int, end: int) -> bool:
    """Whether the expression at ``start:end`` belongs to a plan told in the past tense.

    "He was going to go back to work on Wednesday", "he was set to receive an
    endorsement on Friday", "forecasters were expecting growth in May": the plan's
    day is as likely behind the publication date as ahead of it, so the caller
    takes the nearer one.

    The arguments are :func:`clause_tense`'s.
    """
    root = _root(parse, start, end)
    for verb in root.ancestors if root is not None else ():
        if not any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children):
            continue
        # the head of the clause: a plan in the past tense, with what is planned after it ("was set
        # to receive"), or "was to" itself ("who was to travel to Columbus on Wednesday")
        if verb.lemma_ == "be" and verb.tag_ == "VBD":
            return any(c.dep_ == "xcomp" and any(a.lower_ == "to" for a in c.children) for c in verb.children)
        return verb.lemma_ in PLANNED_LEMMAS and any(
            c.dep_ in ("aux", "auxpass") and c.tag_ == "VBD" for c in verb.children) and any(
            c.dep_ in ("xcomp", "ccomp") or c.lower_ == "to"
            or c.dep_ == "dobj" and verb.lemma_ in FORWARD_LEMMAS for c in verb.children)
    return False


def in_noun_phrase(parse: Any, start: int, end: int) -> bool:
    """Whether the expression at ``start:end`` modifies a noun ("his speech on Thursday", "his
    Tuesday wins", "Sunday's address") rather than a verb.

    The arguments are :func:`clause_tense`'s.
    """
    head = _hanging_from(parse, start, end)
    return head is not None and head.pos_ in ("NOUN", "PROPN")


#: Links from a word up to a noun phrase it is part of.
_NOMINAL_LINKS = frozenset({"nsubj", "nsubjpass", "dobj", "amod", "appos", "attr", "compound", "poss", "nmod",
                            "npadvmod", "dative", "oprd"})


def modal_sentence(parse: Any, start: int, end: int) -> bool:
    """Whether the main verb of the sentence holding ``start:end`` is a modal with a plain verb
    ("That would set the stage for a convention in July", "It could drag on past the Nov. 8
    election"), which puts what the sentence names ahead of its writer.

    A modal with a perfect ("could have won") does not count. The arguments are
    :func:`clause_tense`'s.
    """
    tok = _root(parse, start, end)
    if tok is None:
        return False
    root = tok.sent.root
    return _forward_modal(root, [c for c in root.children if c.dep_ in ("aux", "auxpass")])


def _forward_modal(verb: Any, auxes: list[Any]) -> bool:
    """Whether ``verb`` with its auxiliaries ``auxes`` is a modal that looks ahead with a plain verb
    ("would set", "could drag on", "could have the votes"), with no perfect after it ("could have
    won", "would have been")."""
    modals = [a for a in auxes if a.tag_ == "MD"]
    return verb.tag_ == "VB" and bool(modals) and all(m.lower_ in FORWARD_MODALS for m in modals) and not any(
        a.lower_ in ("have", "been") for a in auxes)


def finite_past(parse: Any, start: int, end: int) -> bool:
    """Whether the verb the expression at ``start:end`` hangs from is itself in the past: a past
    tense ("raised $2 million by the end of February"), a perfect ("have held primaries through
    Tuesday", "had begun by Monday"), or a participle after its noun whose own clause is not ahead
    ("results tallied through Wednesday", but not "will buy all shares tendered through Nov. 17").

    Unlike :func:`clause_tense`, an infinitive is not read through a past perfect that governs it
    ("had agreed to meet again in July" says nothing of when the meeting is). The arguments are
    :func:`clause_tense`'s.
    """
    head = _hanging_from(parse, start, end)
    if head is None or head.pos_ not in ("VERB", "AUX"):
        return False
    # the verb's own reading, without climbing to what governs an infinitive; a future auxiliary with a
    # perfect ("would have been") is no finite past here
    return not _future_aux(head) and _verb_tense(head, _MAX_DEPTH) == "past"


def _governed_ahead(participle: Any) -> bool:
    """Whether the clause holding the noun a participle follows looks ahead ("will buy all shares
    tendered ...")."""
    for gov in participle.head.ancestors:
        if gov.pos_ in ("VERB", "AUX"):
            return _future_aux(gov)
    return False


def explicit_future(parse: Any, start: int, end: int) -> bool:
    """Whether the verb the expression at ``start:end`` hangs from has a future auxiliary ("will",
    "shall", "going to"), not merely a present tense ("Labor Day is barely over").

    The arguments are :func:`clause_tense`'s.
    """
    head = _hanging_from(parse, start, end)
    return head is not None and _future_aux(head, WILL_AUX)


def past_before_limit(parse: Any, start: int, end: int) -> bool:
    """Whether the word before the "until", "by" or "through" that opens the expression at
    ``start:end`` is a past tense that does not put anything off ("waited until this Sunday",
    "lasted through Friday", but not "postponed until Tuesday").

    The arguments are :func:`clause_tense`'s.
    """
    span = parse.char_span(start, end, alignment_mode="expand")
    if span is None or span.start < 2 or parse[span.start - 1].lower_ not in ("until", "till", "by", "through"):
        return False
    verb = parse[span.start - 2]
    return verb.tag_ == "VBD" and verb.lemma_ not in DEFER_LEMMAS


def deferred(parse: Any, start: int, end: int) -> bool:
    """Whether the expression at ``start:end`` is the new time of something put off or drawn out
    ("postponed until Tuesday", "extended through Friday"); see :data:`DEFER_LEMMAS`.

    The arguments are :func:`clause_tense`'s.
    """
    head = _hanging_from(parse, start, end)
    return head is not None and head.lemma_ in DEFER_LEMMAS


def finite_present(parse: Any, start: int, end: int) -> bool:
    """Whether the finite verb of the clause around ``start:end`` looks forward: a plain present
    tense, or a modal with a plain verb.

    The verb is found by climbing from the expression to the first verb with a
    subject ("voters who are eligible to cast a ballot in November": "are";
    "the primaries often do not translate into a victory in November": "do";
    "can he succeed in mobilizing voters in November": "succeed" with "can").
    Reporting verbs ("a poll finds") do not count; a past or a perfect
    auxiliary, or a modal with a perfect ("could have won"), makes it not look forward.
    """
    prev = _root(parse, start, end)
    if prev is None:
        return False
    for tok in prev.ancestors:
        if prev.dep_ in _NOMINAL_LINKS or tok.pos_ in ("NOUN", "PROPN", "PRON", "NUM"):
            # the expression belongs to a noun phrase ("properties worth $130 million in October",
            # "after the break with Dashtabad in April"): the clause's tense is not its own
            return False
        prev = tok
        kids = list(tok.children)
        if not any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in kids):
            continue
        auxes = [c for c in kids if c.dep_ in ("aux", "auxpass")]
        finite = auxes + [tok]
        if any(c.tag_ == "MD" for c in finite):
            return _forward_modal(tok, auxes)
        if any(c.tag_ == "VBD" or c.lower_ in ("has", "have") for c in finite):
            return False
        return tok.tag_ in ("VBZ", "VBP") and tok.lemma_ not in REPORTING_LEMMAS or any(
            c.tag_ in ("VBZ", "VBP") and c.dep_ == "aux" for c in kids) and tok.tag_ == "VB"
    return False

