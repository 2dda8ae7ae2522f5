"""The detector interface, the technique names and target resolution shared by all detectors."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from storyline.records import Rhetoric

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

TECHNIQUES: tuple[str, ...] = (
    "Loaded_Language",
    "Name_Calling,Labeling",
    "Repetition",
    "Exaggeration,Minimisation",
    "Doubt",
    "Appeal_to_fear-prejudice",
    "Flag-Waving",
    "Causal_Oversimplification",
    "Slogans",
    "Appeal_to_Authority",
    "Black-and-White_Fallacy",
    "Thought-terminating_Cliches",
    "Whataboutism,Straw_Men,Red_Herring",
    "Bandwagon,Reductio_ad_hitlerum",
)
"""The 14 technique labels of the Propaganda Techniques Corpus (SemEval-2020 Task 11)."""

TARGET_LABELS = frozenset({"PERSON", "ORG", "NORP", "GPE", "FAC", "LOC", "EVENT", "LAW", "PRODUCT"})
"""Entity types a labelling or attacking span can be aimed at."""


@runtime_checkable
class RhetoricDetector(Protocol):
    """Anything that finds persuasion-technique spans in a parsed spaCy ``Doc``.

    ``detect`` yields :class:`~storyline.records.Rhetoric` records whose
    offsets are character offsets into ``doc.text``; ``classify`` labels given
    character spans (used to score technique classification on gold spans).
    """

    name: str

    def detect(self, doc: Doc, doc_id: str) -> Iterator[Rhetoric]:
        """Yield the technique spans found in ``doc``."""
        ...

    def classify(self, doc: Doc, spans: Sequence[tuple[int, int]]) -> list[tuple[str, float]]:
        """Return one ``(technique, confidence)`` per character span."""
        ...


def _entity_text(token) -> str | None:
    """Return the text of the named entity ``token`` belongs to, without a possessive."""
    if not token.ent_type_ or token.ent_type_ not in TARGET_LABELS:
        return None
    for ent in token.doc.ents:
        if ent.start <= token.i < ent.end:
            toks = [t for t in ent if t.tag_ != "POS" and t.lower_ not in ("the", "'s", "’s")]
            return " ".join(t.text for t in toks).strip() or ent.text
    return None


def _name_text(token) -> str | None:
    """Return the entity ``token`` belongs to, else its proper-noun name ("Rajavi", "New Dawn")."""
    name = _entity_text(token)
    if name or token.pos_ != "PROPN":
        return name
    parts = [t for t in token.children if t.dep_ in ("compound", "flat") and t.pos_ == "PROPN" and t.i < token.i]
    return " ".join(t.text for t in [*parts, token])


def _full_name(token, name: str) -> str:
    """Prefer the whole entity over a single proper noun when ``token`` sits in one."""
    return _entity_text(token) or name


def _subtree_entity(token) -> str | None:
    """Return the first target entity in the compound/flat names around ``token``."""
    name = _name_text(token)
    if name:
        return name
    for child in token.children:
        if child.dep_ in ("compound", "flat", "nmod", "poss", "amod") or child.dep_ == "pobj":
            name = _name_text(child)
            if name:
                return name
    return None


def find_target(span: Span) -> str | None:
    """Return the entity (or noun) that a labelling span names or attacks; see :func:`_find_target`."""
    target = _find_target(span)
    if target:
        # NER sometimes swallows the label into the name ("Crooked Ferris"): keep the name only
        label = span.text.lower() + " "
        if target.lower().startswith(label) and len(target) > len(label):
            target = target[len(label):]
    return target


def _find_target(span: Span) -> str | None:
    """Return the entity (or noun) that a labelling span names or attacks.

    Looks, in order, at: an entity the span's head noun is attached to as
    apposition or by a copula ("MEK, a terrorist cult"; "X is a cult");
    an entity that modifies the head ("X terrorists", "X's cult", "the cult of
    X"); the entity an adjectival label modifies ("corrupt Clinton"); any
    entity inside the span; finally the noun an adjectival label modifies.

    Notes:
        Dependency relations are the ClearNLP/spaCy English labels (appos,
        poss, compound, amod, prep/pobj, attr/nsubj).
    """
    if len(span) == 0:
        return None
    root = span.root
    # 1. the span is an apposition or predicate about an entity
    if root.dep_ == "appos":
        name = _subtree_entity(root.head)
        if name:
            return name
        if root.head.pos_ == "NOUN":
            return root.head.text
    if root.dep_ in ("attr", "acomp", "oprd"):
        # "X is a cult" names the subject; "they call X a cult" names the object
        subject_deps = ("dobj",) if root.dep_ == "oprd" else ("nsubj", "nsubjpass")
        for child in root.head.children:
            if child.dep_ in subject_deps:
                name = _subtree_entity(child)
                if name:
                    return name
                if child.pos_ == "NOUN":
                    return child.text
    # 2. an entity modifies the head: compound, possessive, "of X"
    for child in root.children:
        if child.dep_ in ("compound", "poss", "nmod", "amod") and child.i not in range(span.start, span.end):
            name = _name_text(child)
            if name:
                return name
        if child.dep_ == "prep" and child.lower_ in ("of", "for", "from", "behind"):
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    name = _subtree_entity(pobj)
                    if name:
                        return name
    # 2b. the same constructions read off the surface, for when the parse is wrong
    doc = span.doc
    before = span.start - 1
    if before >= 1 and doc[before].lower_ in ("'s", "’s", "'"):
        name = _name_text(doc[before - 1])
        if name:
            return _full_name(doc[before - 1], name)
    if before >= 0 and (doc[before].ent_type_ in TARGET_LABELS or doc[before].pos_ == "PROPN"):
        name = _name_text(doc[before])
        if name:
            return _full_name(doc[before], name)
    after = span.end
    if after + 1 < len(doc) and doc[after].lower_ == "of":
        nxt = after + 2 if doc[after + 1].lower_ == "the" and after + 2 < len(doc) else after + 1
        name = _name_text(doc[nxt])
        if name:
            return name
    # 3. an adjective (or adjectival noun) modifying an entity
    if root.dep_ in ("amod", "compound", "nmod", "appos") and root.head.i not in range(span.start, span.end):
        name = _subtree_entity(root.head)
        if name:
            return name
    # 4. any entity inside the span
    for token in span:
        name = _entity_text(token)
        if name:
            return name
    # 5. the noun an adjectival label heads
    if root.pos_ == "ADJ" and root.dep_ == "amod" and root.head.pos_ in ("NOUN", "PROPN") \
            and root.head.i not in range(span.start, span.end):
        return root.head.text
    return None


def char_span(doc: Doc, start: int, end: int) -> Span | None:
    """Return the token span covering characters ``start:end`` (expanded to token edges)."""
    return doc.char_span(start, end, alignment_mode="expand")
