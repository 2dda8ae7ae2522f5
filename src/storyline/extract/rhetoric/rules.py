"""The explainable detector: spaCy matcher patterns over lexicons the team wrote.

Every span says which rule fired and on which words, and names the entity a
label is aimed at. Rules:

1. lexicon phrases (``PhraseMatcher`` on lower-case forms), one list per
   technique, each with a confidence and an extent (phrase, clause, sentence);
2. name-calling nouns grown over their labelling modifiers ("terrorist cult"),
   with the target taken from the parse ("X terrorists", "the cult of X",
   "X's cult", "X, a terrorist cult");
3. labelling adjectives before a name ("crooked X"; ``Matcher``);
4. "will/could/would + harm verb" predictions (``Matcher``);
5. "if … then … will …" conditionals (``DependencyMatcher``: advcl with
   mark "if" under a verb with a will/would auxiliary);
6. repetition: a loaded or labelling phrase used three times or more.

Notes:
    Technique definitions follow Da San Martino et al. 2019 (PTC annotation
    guidelines); matching uses spaCy's Matcher, PhraseMatcher and
    DependencyMatcher (Honnibal & Montani, spaCy 3).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from spacy.matcher import DependencyMatcher, Matcher, PhraseMatcher

from storyline.records import Rhetoric

from .base import TARGET_LABELS, find_target

LEXICON_DIR = Path(__file__).resolve().parent.parent / "lexicons"
_SPECIAL = {"name_calling_adjectives", "fear_verbs"}
_EXTENTS = ("phrase", "clause", "sentence")
_MAX_CLAUSE = 60


class LexiconError(ValueError):
    """A lexicon file is malformed."""


@dataclass(frozen=True)
class Lexicon:
    """One lexicon file: its entries and the technique, confidence and extent they signal."""

    name: str
    technique: str
    confidence: float
    extent: str
    entries: tuple[str, ...]


def read_lexicon(path: str | Path) -> Lexicon:
    """Read one lexicon file (see ``lexicons/README.md`` for the format).

    Raises:
        LexiconError: when a header is missing or has a bad value.
    """
    path = Path(path)
    headers: dict[str, str] = {}
    entries: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line:
            continue
        if line.startswith("#"):
            key, sep, value = line[1:].partition(":")
            if sep and key.strip() in ("technique", "confidence", "extent"):
                headers[key.strip()] = value.strip()
            continue
        entries.append(line.lower())
    if "technique" not in headers:
        raise LexiconError(f"{path}: no '# technique: NAME' header line; add one naming the PTC technique.")
    try:
        confidence = float(headers.get("confidence", "0.5"))
    except ValueError:
        raise LexiconError(f"{path}: confidence {headers['confidence']!r} is not a number between 0 and 1.") from None
    extent = headers.get("extent", "phrase")
    if extent not in _EXTENTS:
        raise LexiconError(f"{path}: extent {extent!r} is not one of {', '.join(_EXTENTS)}.")
    return Lexicon(path.stem, headers["technique"], confidence, extent, tuple(dict.fromkeys(entries)))


@lru_cache(maxsize=4)
def load_lexicons(directory: str | Path = LEXICON_DIR) -> dict[str, Lexicon]:
    """Read every ``*.txt`` lexicon in ``directory``, keyed by file stem."""
    directory = Path(directory)
    lexicons = {p.stem: read_lexicon(p) for p in sorted(directory.glob("*.txt"))}
    if not lexicons:
        raise LexiconError(f"No lexicon files (*.txt) in {directory}.")
    return lexicons


def lexicon_fingerprint(directory: str | Path = LEXICON_DIR) -> str:
    """Return a short SHA-256 of the lexicon files (the model's rule features depend on them)."""
    digest = hashlib.sha256()
    for path in sorted(Path(directory).glob("*.txt")):
        digest.update(path.name.encode("utf-8") + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


_SHORT = {
    "Loaded_Language": "loaded language",
    "Name_Calling,Labeling": "name-calling",
    "Repetition": "repetition",
    "Exaggeration,Minimisation": "exaggeration",
    "Doubt": "doubt",
    "Appeal_to_fear-prejudice": "appeal to fear",
    "Flag-Waving": "flag-waving",
    "Causal_Oversimplification": "causal oversimplification",
    "Slogans": "slogan",
    "Appeal_to_Authority": "appeal to authority",
    "Black-and-White_Fallacy": "black-and-white fallacy",
    "Thought-terminating_Cliches": "thought-terminating cliché",
    "Whataboutism,Straw_Men,Red_Herring": "whataboutism",
    "Bandwagon,Reductio_ad_hitlerum": "bandwagon",
}


def short_name(technique: str) -> str:
    """Return a reader-friendly name for a PTC technique label."""
    return _SHORT.get(technique, technique.replace("_", " ").lower())


@dataclass
class _Hit:
    start: int  # token offsets
    end: int
    technique: str
    confidence: float
    explanation: str
    rule: str = ""  # which rule fired: a lexicon name, or a pattern name (label_adjective, if_will, ...)


def _trim(doc: Any, start: int, end: int) -> tuple[int, int]:
    while start < end and (doc[start].is_punct or doc[start].is_space):
        start += 1
    while end > start and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    return start, end


def _clause(doc: Any, start: int, end: int) -> tuple[int, int]:
    """Grow a match to the clause of its nearest governing verb, within its sentence."""
    token = doc[start:end].root
    sent = token.sent
    while token.pos_ not in ("VERB", "AUX") and token.head.i != token.i:
        token = token.head
    if token.pos_ not in ("VERB", "AUX"):
        return start, end
    left, right = token.left_edge.i, token.right_edge.i + 1
    # A clause governed by a verb can swallow a following coordinated clause: stop at it.
    for child in token.children:
        if child.dep_ == "conj" and child.i > end:
            right = min(right, child.left_edge.i)
            for tok in doc[start:right]:
                if tok.dep_ == "cc" and tok.head.i == token.i:
                    right = min(right, tok.i)
    left, right = max(min(left, start), sent.start), min(max(right, end), sent.end)
    if right - left > _MAX_CLAUSE:
        return start, end
    return _trim(doc, left, right)


class RuleDetector:
    """Rule and lexicon detector ``storyline.rhetoric.rules.v1``.

    Args:
        lexicon_dir: folder of lexicon files; the shipped ``extract/lexicons`` by default.
    """

    name = "storyline.rhetoric.rules.v1"

    def __init__(self, lexicon_dir: str | Path | None = None) -> None:
        self.lexicons = load_lexicons(Path(lexicon_dir) if lexicon_dir else LEXICON_DIR)
        self._matchers: dict[int, tuple[PhraseMatcher, Matcher, DependencyMatcher]] = {}
        self._last: tuple[Any, int, list[_Hit]] | None = None

    # -- matcher construction ---------------------------------------------------------------

    def _build(self, vocab: Any) -> tuple[PhraseMatcher, Matcher, DependencyMatcher]:
        import spacy

        make_doc = spacy.blank("en", vocab=vocab).make_doc
        phrases = PhraseMatcher(vocab, attr="LOWER")
        for name, lex in self.lexicons.items():
            if name in _SPECIAL:
                continue
            phrases.add(name, [make_doc(entry) for entry in lex.entries])
        matcher = Matcher(vocab)
        adjectives = list(self.lexicons["name_calling_adjectives"].entries) if "name_calling_adjectives" in \
            self.lexicons else []
        if adjectives:
            matcher.add("label_adjective", [
                [{"LOWER": {"IN": adjectives}}, {"ENT_TYPE": {"IN": sorted(TARGET_LABELS)}}],
                [{"LOWER": {"IN": adjectives}}, {"POS": "PROPN"}],
            ])
        if "fear_verbs" in self.lexicons:
            matcher.add("fear_prediction", [[
                {"LOWER": {"IN": ["will", "could", "would", "might", "may", "'ll", "shall"]}},
                {"POS": "ADV", "OP": "?"},
                {"LEMMA": {"IN": list(self.lexicons["fear_verbs"].entries)}, "POS": "VERB"},
            ]])
        dep = DependencyMatcher(vocab)
        dep.add("if_will", [[
            {"RIGHT_ID": "main", "RIGHT_ATTRS": {"POS": {"IN": ["VERB", "AUX"]}}},
            {"LEFT_ID": "main", "REL_OP": ">", "RIGHT_ID": "aux",
             "RIGHT_ATTRS": {"LOWER": {"IN": ["will", "would", "'ll", "wo"]}}},
            {"LEFT_ID": "main", "REL_OP": ">", "RIGHT_ID": "cond", "RIGHT_ATTRS": {"DEP": "advcl"}},
            {"LEFT_ID": "cond", "REL_OP": ">", "RIGHT_ID": "if", "RIGHT_ATTRS": {"LOWER": "if", "DEP": "mark"}},
        ]])
        return phrases, matcher, dep

    def _matchers_for(self, vocab: Any) -> tuple[PhraseMatcher, Matcher, DependencyMatcher]:
        key = id(vocab)
        if key not in self._matchers:
            self._matchers[key] = self._build(vocab)
        return self._matchers[key]

    # -- rules ---------------------------------------------------------------------------------

    def _hits(self, doc: Any) -> list[_Hit]:
        # The default detector asks twice per document (rule spans, and the model's rule
        # features): remember the last document's hits.
        last = self._last
        if last is not None and last[0] is doc and last[1] == len(doc):
            return last[2]
        hits = self._find_hits(doc)
        self._last = (doc, len(doc), hits)
        return hits

    def _find_hits(self, doc: Any) -> list[_Hit]:
        phrases, matcher, dep = self._matchers_for(doc.vocab)
        strings = doc.vocab.strings
        hits: list[_Hit] = []
        nc_lex = self.lexicons.get("name_calling")
        labelling = set(nc_lex.entries) if nc_lex else set()
        labelling |= set(self.lexicons["name_calling_adjectives"].entries) \
            if "name_calling_adjectives" in self.lexicons else set()
        loaded = set(self.lexicons["loaded_language"].entries) if "loaded_language" in self.lexicons else set()
        # 1./2. lexicon phrases
        for match_id, start, end in phrases(doc):
            lex = self.lexicons[strings[match_id]]
            cue = doc[start:end].text
            if lex.name == "name_calling":
                # grow over labelling modifiers to the left: "terrorist cult", "corrupt regime"
                while start > 0 and doc[start - 1].lower_ in (labelling | loaded) \
                        and doc[start - 1].dep_ in ("amod", "compound", "nmod") and not doc[start - 1].ent_type_:
                    start -= 1
                span = doc[start:end]
                target = find_target(span)
                where = f" applied to {target}" if target else ""
                hits.append(_Hit(start, end, lex.technique, lex.confidence,
                                 f"name-calling: '{span.text}'{where} (labelling noun '{cue}')", lex.name))
                continue
            s, e = start, end
            if lex.extent == "clause":
                s, e = _clause(doc, start, end)
            elif lex.extent == "sentence":
                s, e = _trim(doc, start, doc[start].sent.end)
            explanation = f"{short_name(lex.technique)}: cue '{cue}' ({lex.name.replace('_', ' ')} lexicon)"
            hits.append(_Hit(s, e, lex.technique, lex.confidence, explanation, lex.name))
        # 3./4. token patterns
        for match_id, start, end in (matcher(doc) if len(matcher) else ()):
            rule = strings[match_id]
            if rule == "label_adjective":
                span = doc[start:start + 1]
                target = find_target(span) or doc[start + 1].text
                hits.append(_Hit(start, start + 1, "Name_Calling,Labeling", 0.6,
                                 f"name-calling: '{span.text}' applied to {target} (labelling adjective before a name)", rule))
            elif rule == "fear_prediction":
                s, e = _clause(doc, start, end)
                hits.append(_Hit(s, e, "Appeal_to_fear-prejudice", self.lexicons["fear_verbs"].confidence,
                                 f"appeal to fear: predicts harm '{doc[start:end].text}'", rule))
        # 5. if ... will ...
        for _, token_ids in dep(doc):
            main, aux, cond, if_tok = (doc[i] for i in token_ids)
            s = min(if_tok.i, main.left_edge.i)
            e = max(main.right_edge.i, cond.right_edge.i) + 1
            s, e = _trim(doc, max(s, main.sent.start), min(e, main.sent.end))
            if e - s > _MAX_CLAUSE:
                continue
            hits.append(_Hit(s, e, "Causal_Oversimplification", 0.45,
                             f"causal oversimplification: 'if {cond.text} …' is said to make '{aux.text} "
                             f"{main.text}' follow", "if_will"))
        # 6. repetition of a loaded or labelling phrase
        by_text: dict[str, list[_Hit]] = defaultdict(list)
        for hit in hits:
            if hit.technique in ("Loaded_Language", "Name_Calling,Labeling"):
                by_text[doc[hit.start:hit.end].text.lower()].append(hit)
        for text, same in by_text.items():
            if len(same) >= 3:
                for hit in sorted(same, key=lambda h: h.start)[1:]:
                    hits.append(_Hit(hit.start, hit.end, "Repetition", 0.4,
                                     f"repetition: '{text}' is used {len(same)} times in this document", "repetition"))
        return _dedupe(hits)

    # -- public API ----------------------------------------------------------------------------

    def detect(self, doc: Any, doc_id: str) -> Iterator[Rhetoric]:
        """Yield one record per rule hit; overlapping hits of one technique are merged."""
        for hit in self._hits(doc):
            span = doc[hit.start:hit.end]
            yield Rhetoric(
                doc=doc_id, start=span.start_char, end=span.end_char, technique=hit.technique, text=span.text,
                explanation=hit.explanation, confidence=hit.confidence, target=find_target(span),
                detector=self.name,
            )

    def classify(self, doc: Any, spans: Sequence[tuple[int, int]]) -> list[tuple[str, float]]:
        """Label character spans with the best-overlapping rule hit.

        A span no rule touches falls back to the commonest technique for its
        length (Loaded_Language up to four words, else Doubt) with confidence 0.
        """
        records = list(self.detect(doc, ""))
        out = []
        for s, e in spans:
            best, score = None, 0.0
            for r in records:
                inter = min(e, r.end) - max(s, r.start)
                if inter > 0:
                    value = inter / (e - s) * r.confidence
                    if value > score:
                        best, score = r.technique, value
            if best is None:
                words = len(doc.text[s:e].split())
                out.append(("Loaded_Language" if words <= 4 else "Doubt", 0.0))
            else:
                out.append((best, score))
        return out


def _dedupe(hits: list[_Hit]) -> list[_Hit]:
    """Merge overlapping hits of the same technique, keeping the longer span's explanation.

    Exaggeration hits up to two tokens apart are merged too.
    """
    by_tech: dict[str, list[_Hit]] = defaultdict(list)
    for hit in hits:
        if hit.end > hit.start:
            by_tech[hit.technique].append(hit)
    out: list[_Hit] = []
    for same in by_tech.values():
        same.sort(key=lambda h: (h.start, -h.end))
        current = same[0]
        # overstatements spread over a phrase ("the worst deal in history") read as one
        gap = 2 if current.technique == "Exaggeration,Minimisation" else 0
        for hit in same[1:]:
            if hit.start < current.end + gap:
                if hit.end - hit.start > current.end - current.start:
                    current.explanation = hit.explanation
                current.end = max(current.end, hit.end)
                current.confidence = max(current.confidence, hit.confidence)
            else:
                out.append(current)
                current = hit
        out.append(current)
    return sorted(out, key=lambda h: (h.start, h.end, h.technique))
