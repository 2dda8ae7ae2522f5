"""One entity per actor: merge entity mentions across documents.

:func:`resolve` takes the per-document :class:`~storyline.records.Mention` and
:class:`~storyline.records.Acronym` records of a corpus and groups the name
mentions into entities. It is a pure function over iterables; the caller
owns the store. :func:`resolve_groups` does the same over
:class:`MentionGroup` records, each standing for all the mentions that agree
in text, name, label, kind, candidates and outlet (a label also in its
document), so a caller that counts those in its store (``group by``) holds
one record per distinct name of an outlet, not one per mention.

Merging rules (each a union in a union-find over the distinct normalized
names, so the work is near-linear in the mentions):

1. Same normalized key (:func:`name_key`): case, diacritics, hyphens and
   spacing, a leading "the", a possessive, dots in acronyms ("U.S." = "US"),
   the Persian ezafe particle ("Mojahedin-e Khalq" = "Mojahedin Khalq").
   A mention whose multi-word text differs from its name ("also known as")
   joins the two names.
2. Same person with the two name tokens swapped ("Rajavi Maryam"); the
   plural of a people's name ("Zarvanis" = "Zarvani").
3. Acronym bindings from definitions anywhere in the corpus ("MEK" =
   "Mujahedin-e Khalq"), plus a handful of universal ones (:data:`COMMON_ACRONYMS`).
4. Strict string similarity inside blocks (same consonant skeleton, or same
   type, token count and leading consonants): same type group, same token
   count, same first letter, every token pair similar, and Jaro-Winkler
   >= 0.92 on the whole key or an equal vowel-less skeleton ("Mujahedin" /
   "Mojahedin", "Manëz" / "Manze"). Two persons with different first names
   never merge; a people never merges with its country. One-word names seen
   at most twice may cross types (the tagger's "Manez" PERSON = "Manza" GPE).
5. A shortened name joins the only longer name it shortens ("Nour Guard" /
   "Nour Guard Corps", "State Police" / "Korvenian State Police", "Camp
   Ashraf 3" / "Ashraf-3", "Republic of Zarvan" / "Zarvan", "Tervala
   Courier" / "Courier"); a one-word name joins the only organisation whose
   name starts with it ("Mujahideen" / "Mujahedin Khalq Organization").
6. A bare surname (a one-token PERSON) joins the only full name in the corpus
   that ends with it; with several candidates its mentions stay ambiguous.

The entity type is decided by voting over all its mentions (a name whose
demonym is a NORP in the corpus is a GPE: "Korvenia" / "Korvenian"); the
canonical name is the most frequent informative form, and a place's most
frequent name (see :func:`_canonical`).
Labels pinned on a person by a document that never names the person's
organisation ("Azarmehr's cult") move to the organisation other documents
pin the same words on. User overrides (:func:`load_overrides`) are applied
on top and reported.
"""

from __future__ import annotations

import hashlib
import itertools
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Hashable, Iterable, Mapping, NamedTuple

from rapidfuzz.distance import JaroWinkler
from unidecode import unidecode

from storyline.extract.entities import (
    GENERIC_ORG_HEADS,
    ORG_HEADS,
    ORG_NAME_HEADS,
    clean_name,
    is_acronym,
    is_demonym_of,
    looks_like_full_name,
)
from storyline.records import Acronym, Mention

__all__ = [
    "COMMON_ACRONYMS",
    "Entity",
    "MentionGroup",
    "Overrides",
    "Resolution",
    "load_overrides",
    "name_key",
    "pairwise_alias_scores",
    "resolve",
    "resolve_groups",
    "skeleton",
]

#: Acronyms so common that news text never defines them.
COMMON_ACRONYMS: dict[str, str] = {
    "US": "United States",
    "USA": "United States",
    "UK": "United Kingdom",
    "UN": "United Nations",
    "EU": "European Union",
}

JW_STRICT = 0.92  # whole-key Jaro-Winkler for a spelling variant
JW_SKELETON = 0.85  # whole-key Jaro-Winkler when the consonant skeletons agree
JW_TOKEN = 0.88  # every aligned token pair
_BLOCK_LIMIT = 60  # larger blocks fall back to a sorted-neighbourhood window
_WINDOW = 8

_ORG_SUFFIXES = frozenset(
    "corps organization organisation party movement group front society association council agency "
    "force forces army brigade brigades union league network".split()
)
#: A facility's generic first word ("Camp Ashraf 3" is "Ashraf 3").
_FAC_PREFIXES = frozenset("camp fort".split())
#: Words of a state's form of government before "of" ("Islamic Republic of Iran" is "Iran").
_STATE_FORMS = frozenset(
    "republic kingdom state emirate sultanate principality federation commonwealth islamic democratic "
    "people's peoples federal united socialist arab".split()
)
_TYPE_GROUP = {"GPE": "PLACE", "LOC": "PLACE", "FAC": "PLACE"}
# Tie-break for type votes: a one-vote tie is more often a mis-tagged organisation or place than a person.
_TYPE_ORDER = ["ORG", "GPE", "PERSON", "LOC", "FAC", "NORP", "EVENT", "LAW", "PRODUCT", "WORK_OF_ART"]
_DIGIT = re.compile(r"\d")
_EZAFE = re.compile(r"-(?:e|ye|i)\b")
_NON_WORD = re.compile(r"[^\w&]+")
# First words that say what an organisation is, not which one ("National", "Special", "United").
_GENERIC_FIRST = frozenset(
    "national international united free new special central general supreme federal royal democratic islamic "
    "people peoples people's association society union council committee ministry department office front "
    "movement party army league alliance institute foundation bureau agency state republic".split()
)


# --------------------------------------------------------------------------- keys


@lru_cache(maxsize=500_000)
def name_key(name: str) -> str:
    """Return the normalized key two spellings of one name share.

    Casefolds, transliterates to ASCII (``unidecode``), drops dots ("U.S." ->
    "us"), a leading "the", a possessive and the Persian ezafe ("-e"), and
    turns hyphens and other punctuation into single spaces.

    Notes:
        Deterministic normalization before matching, as in record-linkage
        practice (Christen 2012, "Data Matching", ch. 5).
    """
    text = name.replace("\u2019", "'")
    text = re.sub(r"'s$|(?<=s)'$", "", text)
    text = _EZAFE.sub(" ", text)
    text = unidecode(text).casefold().replace(".", "")
    text = _NON_WORD.sub(" ", text).strip()
    if text.startswith("the "):
        text = text[4:]
    return text


_VOWELS = re.compile(r"[aeiouy]+")
_SOUNDS = (("ph", "f"), ("kh", "k"), ("q", "k"), ("c", "k"), ("w", "v"), ("z", "z"))


@lru_cache(maxsize=500_000)
def skeleton(key: str) -> str:
    """Return the consonant skeleton of a key: first letter kept, vowels dropped, doubles collapsed.

    "mujahedin" and "mojahedin" -> "mjhdn"; "manez" and "manze" -> "mnz".

    Notes:
        A vowel-less key in the spirit of Soundex/NYSIIS (Russell 1918; Taft
        1970): transliterations of Arabic and Persian names differ mostly in vowels.
    """
    out = []
    for token in key.split():
        head, tail = token[:1], token[1:]
        for a, b in _SOUNDS:
            tail = tail.replace(a, b)
        tail = _VOWELS.sub("", tail)
        token = head + tail
        token = re.sub(r"(.)\1+", r"\1", token)
        out.append(token)
    return " ".join(out)


# --------------------------------------------------------------------------- data


@dataclass
class Entity:
    """One actor after cross-document resolution.

    Attributes:
        id: stable id, ``"e-"`` + 12 hex digits of SHA-1 of type and canonical key.
        name: canonical name (see :func:`_canonical`).
        type: entity type decided by voting over the mentions.
        aliases: distinct surface names (possessive and titles stripped).
        labels: ``(text, doc, outlet)`` of every label pinned on the entity.
        mention_count: number of name mentions.
        outlets: name mentions per outlet (``"(unknown)"`` when not known).
        type_votes: the votes behind ``type``.
    """

    id: str
    name: str
    type: str
    aliases: list[str]
    labels: list[tuple[str, str | None, str | None]] = field(default_factory=list)
    mention_count: int = 0
    outlets: dict[str, int] = field(default_factory=dict)
    type_votes: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """Return the entity as plain JSON-ready data."""
        return {
            "id": self.id,
            "name": self.name,
            "type": self.type,
            "aliases": list(self.aliases),
            "labels": [{"text": t, "doc": d, "outlet": o} for t, d, o in self.labels],
            "mention_count": self.mention_count,
            "outlets": dict(self.outlets),
            "type_votes": dict(self.type_votes),
        }


class MentionGroup(NamedTuple):
    """Mentions the resolver cannot tell apart, counted as one record.

    Every rule of :func:`resolve_groups` reads a mention's text, name, label,
    kind and candidates, and its document only for the outlet and as the
    source of a label; never its offsets. Mentions that agree on those are
    resolved alike and count as ``size`` votes. So the name mentions of one
    group may come from several documents of one outlet (``doc`` is any of
    them), except when the overrides turn names into labels (``label``
    entries), which lists their documents; label mentions group within one
    document.

    Attributes:
        ref: the caller's handle for the group (a span, a row id); the keys of
            :attr:`Resolution.assign`.
        doc, text, name, label, kind, candidates: as in :class:`~storyline.records.Mention`.
        size: the number of mentions in the group.
    """

    ref: Hashable
    doc: str
    text: str
    name: str
    label: str
    kind: str = "name"
    candidates: tuple[str, ...] = ()
    size: int = 1


@dataclass
class Resolution:
    """The result of :func:`resolve` or :func:`resolve_groups`.

    Attributes:
        entities: the entities, most mentioned first.
        assign: mention -> entity id for every name and label mention that
            was resolved to one entity; the mention is a ``(doc, start, end)``
            span from :func:`resolve`, a group's ``ref`` from :func:`resolve_groups`.
        ambiguous: mentions that could be more than one entity (absent from
            ``assign``): ``(doc, start, end, text, candidate entity ids)`` from
            :func:`resolve`, ``(ref, candidate entity ids)`` from :func:`resolve_groups`.
        report: one line per override saying what it did, or that it matched nothing.
        notes: automatic decisions a reviewer should know about (e.g. an
            acronym with two expansions).
        stats: how many unions each rule made, for review.
    """

    entities: list[Entity]
    assign: dict[Any, str]
    ambiguous: list[tuple[Any, ...]]
    report: list[str] = field(default_factory=list)
    stats: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def clusters(self) -> list[list[str]]:
        """Return each entity's aliases, the input of :func:`pairwise_alias_scores`."""
        return [list(e.aliases) for e in self.entities]

    def by_id(self) -> dict[str, Entity]:
        """Return entities keyed by id."""
        return {e.id: e for e in self.entities}


@dataclass(frozen=True)
class Overrides:
    """User corrections read from an aliases YAML file (see :func:`load_overrides`)."""

    merge: tuple[tuple[str, ...], ...] = ()
    split: tuple[tuple[str, tuple[str, ...]], ...] = ()
    label: tuple[tuple[str, str], ...] = ()
    source: str = "<overrides>"


# --------------------------------------------------------------------------- overrides file

_EXPECTED_SHAPE = """expected a mapping with any of these keys:
  merge:                      # lists of names that are one entity
    - [MEK, PMOI, Mujahedin-e Khalq]
  split:                      # pull these aliases out into their own entity
    - {name: Massoud Rajavi, aliases: [Massoud Rajavi, Massoud]}
  label:                      # treat this text as a label of the entity
    - {entity: MEK, text: the sect}"""


def load_overrides(path: str | Path) -> Overrides:
    """Read a user aliases file.

    Args:
        path: a YAML file with ``merge``, ``split`` and ``label`` entries.

    Returns:
        The parsed :class:`Overrides`.

    Raises:
        ValueError: when the file is missing, is not YAML, or has the wrong
            shape; the message names the file, the problem and the expected shape.
    """
    import yaml

    path = Path(path)
    where = str(path)

    def bad(problem: str) -> ValueError:
        return ValueError(f"{where}: {problem}; {_EXPECTED_SHAPE}")

    try:
        raw = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ValueError(f"{where}: cannot read the aliases file ({exc.strerror or exc}).") from exc
    try:
        data = yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise bad(f"not valid YAML{at} ({problem})") from exc
    if data is None:
        return Overrides(source=where)
    if not isinstance(data, dict):
        raise bad(f"the top level is a {type(data).__name__}, not a mapping")
    unknown = sorted(set(map(str, data)) - {"merge", "split", "label"})
    if unknown:
        raise bad(f"unknown key(s) {', '.join(repr(k) for k in unknown)}")

    merge: list[tuple[str, ...]] = []
    for i, entry in enumerate(data.get("merge") or []):
        if not isinstance(entry, list) or len(entry) < 2 or not all(isinstance(x, (str, int)) for x in entry):
            raise bad(f"merge entry {i + 1} is {entry!r}, not a list of two or more names")
        merge.append(tuple(str(x) for x in entry))
    split: list[tuple[str, tuple[str, ...]]] = []
    for i, entry in enumerate(data.get("split") or []):
        if (
            not isinstance(entry, dict)
            or not isinstance(entry.get("name"), str)
            or not isinstance(entry.get("aliases"), list)
            or not entry["aliases"]
        ):
            raise bad(f"split entry {i + 1} is {entry!r}, not {{name: NAME, aliases: [ALIAS, ...]}}")
        split.append((entry["name"], tuple(str(a) for a in entry["aliases"])))
    label: list[tuple[str, str]] = []
    for i, entry in enumerate(data.get("label") or []):
        if not isinstance(entry, dict) or not isinstance(entry.get("entity"), str) or not isinstance(entry.get("text"), str):
            raise bad(f"label entry {i + 1} is {entry!r}, not {{entity: NAME, text: LABEL}}")
        label.append((entry["entity"], entry["text"]))
    for key in ("merge", "split", "label"):
        if data.get(key) is not None and not isinstance(data[key], list):
            raise bad(f"'{key}' is a {type(data[key]).__name__}, not a list")
    return Overrides(tuple(merge), tuple(split), tuple(label), where)


# --------------------------------------------------------------------------- union-find


class _UnionFind:
    def __init__(self) -> None:
        self.parent: list[int] = []

    def add(self) -> int:
        self.parent.append(len(self.parent))
        return len(self.parent) - 1

    def find(self, x: int) -> int:
        parent = self.parent
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    def union(self, a: int, b: int) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        if ra > rb:
            ra, rb = rb, ra
        self.parent[rb] = ra
        return True


# --------------------------------------------------------------------------- resolve


def _vote(votes: Counter[str], names: Iterable[str] = ()) -> str:
    """Return the majority type; ties go to PERSON for full-name-shaped names, else by :data:`_TYPE_ORDER`."""
    if not votes:
        return "ORG"
    best = max(votes.values())
    if votes.get("PERSON") == best and any(looks_like_full_name(n) for n in names):
        return "PERSON"
    return min(votes, key=lambda t: (-votes[t], _TYPE_ORDER.index(t) if t in _TYPE_ORDER else 99, t))


def _group(label: str) -> str:
    return _TYPE_GROUP.get(label, label)


def _similar(a: str, b: str) -> bool:
    """Strict spelling-variant test on two keys of the same type group."""
    if a[:1] != b[:1]:
        return False
    ta, tb = a.split(), b.split()
    if len(ta) != len(tb) or min(len(a), len(b)) < 4:
        return False
    for x, y in zip(ta, tb):
        if x == y:
            continue
        if x[:1] != y[:1] or _DIGIT.search(x) or _DIGIT.search(y):
            return False
        if skeleton(x) != skeleton(y) and JaroWinkler.similarity(x, y) < JW_TOKEN:
            return False
    if is_demonym_of(a, b) or is_demonym_of(b, a):
        return False  # "Zarvanis" / "Zarvan": a people and its country
    sim = JaroWinkler.similarity(a, b)
    return sim >= JW_STRICT or (sim >= JW_SKELETON and skeleton(a) == skeleton(b))


def _join_first_words(uf, node_key, node_votes, node_names, node_group, node_weight, places, n_mention_nodes) -> int:
    """Join a one-word name to the only organisation whose name starts with (a spelling of) it.

    The one word must be an organisation, or a rarely seen (at most twice)
    "person" the tagger guessed, and then the organisation's name must end in
    an organisation word ("... Organization"); it must not be a word of a
    person's full name, a place, a people or an acronym. The organisation's
    name must be written as a name (capitalised words) and its first word not
    a generic or place word ("National", "Albanian"). Blocking by the
    consonant skeleton of the first word keeps this linear.

    Returns:
        The number of unions made.

    Notes:
        Head-word shortening of organisation names in news coreference
        ("Amnesty" for "Amnesty International"); the spelling test is the
        strict scorer of rule 4.
    """
    firsts: dict[str, set[int]] = defaultdict(set)
    headed: set[int] = set()  # organisations whose name ends in an organisation word
    in_person_names: set[str] = set()
    for n in range(len(node_key)):
        tokens = node_key[n].split()
        if len(tokens) < 2:
            continue
        if node_group[n] == "PERSON" or any(looks_like_full_name(x) and _vote(node_votes[n]) == "PERSON" for x in node_names[n]):
            in_person_names.update(tokens)
            continue
        if (
            node_group[n] == "ORG"
            and tokens[0] not in places
            and tokens[0] not in _GENERIC_FIRST
            and len(tokens[0]) >= 4
            and any(_title_cased(x) for x in node_names[n])  # a name, not "Putin's potential involvement"
        ):
            firsts[skeleton(tokens[0])].add(n)
            if tokens[-1] in ORG_NAME_HEADS or tokens[-1] in _ORG_SUFFIXES:
                headed.add(n)
    unions = 0
    for n in range(n_mention_nodes):
        key = node_key[n]
        if " " in key or len(key) < 4 or key in places or key in in_person_names or key in _GENERIC_FIRST:
            continue
        mis_tagged = node_group[n] == "PERSON" and node_weight[n] <= 2
        if node_group[n] != "ORG" and not mis_tagged:
            continue
        if node_names[n] and all(is_acronym(x) for x in node_names[n]):
            continue
        hits = {
            uf.find(m)
            for m in firsts.get(skeleton(key), ())
            if ((first := node_key[m].split()[0]) == key or _similar(first, key)) and (m in headed or not mis_tagged)
        }
        if len(hits) == 1:
            unions += uf.union(n, hits.pop())
    return unions


def _title_cased(name: str) -> bool:
    """Return True for a name written as a proper name: every word capitalised but joining words ("of", "the")."""
    words = re.findall(r"[\w'\u2019-]+", name)
    return bool(words) and all(w[:1].isupper() or w[:1].isdigit() or w.casefold() in _JOINING for w in words)


_JOINING = frozenset("of the for and in on at de al la du e".split())


def _block_keys(key: str, group: str) -> tuple[tuple[str, ...], ...]:
    tokens = key.split()
    sk = skeleton(key)
    prefix = "|".join(skeleton(t)[:2] if len(tokens) > 1 else skeleton(t)[:3] for t in tokens)
    return (("s", group, sk), ("p", group, str(len(tokens)), prefix))


def resolve(
    mentions: Iterable[Mention],
    acronyms: Iterable[Acronym],
    outlets: Mapping[str, str | None],
    overrides: Overrides | None = None,
) -> Resolution:
    """Group the mentions of a corpus into entities.

    Each mention is a group of one for :func:`resolve_groups`; the result is
    keyed by span.

    Args:
        mentions: name and label mentions of every document (any order).
        acronyms: acronym definitions of every document.
        outlets: document id -> outlet name (``None`` when unknown).
        overrides: user corrections applied after the automatic merge.

    Returns:
        A :class:`Resolution`: entities, ``(doc, start, end)`` -> entity id,
        ``(doc, start, end, text, candidate ids)`` of the ambiguous mentions,
        and the overrides report.
    """
    spans: list[tuple[str, int, int, str]] = []

    def groups() -> Iterable[MentionGroup]:
        for m in mentions:
            spans.append((m.doc, m.start, m.end, m.text))
            yield MentionGroup(len(spans) - 1, m.doc, m.text, m.name, m.label, m.kind, m.candidates)

    res = resolve_groups(groups(), acronyms, outlets, overrides)
    res.assign = {spans[i][:3]: eid for i, eid in res.assign.items()}
    res.ambiguous = [(*spans[i], ids) for i, ids in res.ambiguous]
    return res


def _tally(ms: Iterable[MentionGroup], attr: str) -> Counter[str]:
    """Count the mentions of ``ms`` by one attribute ("label", "name")."""
    out: Counter[str] = Counter()
    for m in ms:
        out[getattr(m, attr)] += m.size
    return out


def resolve_groups(
    groups: Iterable[MentionGroup],
    acronyms: Iterable[Acronym],
    outlets: Mapping[str, str | None],
    overrides: Overrides | None = None,
) -> Resolution:
    """Group the mention groups of a corpus into entities.

    Memory grows with the groups (see :class:`MentionGroup`), not with the
    mentions. Given the groups in the order of their first mention, the
    entities, the assignment and the report are those :func:`resolve` gives
    for the mentions themselves: every rule reads only a group's fields,
    counts weigh each group by its ``size``, and each first-come decision
    (node numbering, the first cluster an override matches, the first label
    of a document that moves) falls on the group of the mention that comes first.

    Args:
        groups: name and label mention groups of every document, in the order of their first mention.
        acronyms: acronym definitions of every document.
        outlets: document id -> outlet name (``None`` when unknown).
        overrides: user corrections applied after the automatic merge.

    Returns:
        A :class:`Resolution`: entities, group ref -> entity id, ``(ref,
        candidate ids)`` of the ambiguous groups, and the overrides report.

    Notes:
        Union-find over normalized names with blocking (Christen 2012, ch. 4)
        keeps the pass near-linear; the strict scorer follows the
        Jaro-Winkler record-linkage practice (Winkler 1990).
    """
    uf = _UnionFind()
    node_of: dict[str, int] = {}
    node_key: list[str] = []
    node_votes: list[Counter[str]] = []
    node_names: list[Counter[str]] = []
    stats: Counter[str] = Counter()

    def node(key: str) -> int:
        n = node_of.get(key)
        if n is None:
            n = uf.add()
            node_of[key] = n
            node_key.append(key)
            node_votes.append(Counter())
            node_names.append(Counter())
        return n

    # 1. Collect: one node per normalized name.
    names: list[MentionGroup] = []
    node_at: dict[int, int] = {}  # id(group) -> node
    surface_at: dict[int, str] = {}  # id(group) -> surface name
    labels: list[MentionGroup] = []
    ambiguous_in_doc: list[MentionGroup] = []
    for m in groups:
        if m.kind == "label":
            labels.append(m)
            continue
        if m.candidates:
            ambiguous_in_doc.append(m)
            continue
        key = name_key(m.name)
        if not key:
            continue
        n = node(key)
        node_votes[n][m.label] += m.size
        node_names[n][m.name] += m.size
        names.append(m)
        node_at[id(m)] = n
        surface_at[id(m)] = _surface(m)
    n_mention_nodes = len(node_key)

    # 1b. A mention named differently from its text ("The movement, also known as
    # Rahpouyan-e Azadi" named after the movement) joins the two names; a
    # one-word text may be a shared surname, so it does not.
    seen_pairs: set[tuple[str, int]] = set()
    for m in names:
        surface = surface_at[id(m)]
        if (surface, node_at[id(m)]) in seen_pairs:
            continue
        seen_pairs.add((surface, node_at[id(m)]))
        sk = name_key(surface)
        if sk and sk != node_key[node_at[id(m)]] and (" " in sk or is_acronym(surface)):
            sn = node(sk)
            node_votes[sn][m.label] += 0  # typed like the mention, without a vote
            stats["named in text"] += uf.union(sn, node_at[id(m)])

    # 1c. A name whose adjective is a NORP in the corpus is a place ("Korvenia" / "Korvenian").
    forced: dict[int, str] = {}
    by_trunc: dict[str, list[int]] = defaultdict(list)
    for n in range(n_mention_nodes):
        if " " not in node_key[n] and len(node_key[n]) >= 4:
            by_trunc[node_key[n][:-1]].append(n)
    for n in range(n_mention_nodes):
        d = node_key[n]
        if _vote(node_votes[n]) != "NORP" or " " in d:
            continue
        for i in range(max(3, len(d) - 4), len(d)):
            stem = d[:i]
            for p in ([node_of[stem]] if stem in node_of else []) + by_trunc.get(stem, []):
                if p != n and _group(_vote(node_votes[p])) not in ("NORP", "PLACE") and is_demonym_of(d, node_key[p]):
                    forced[p] = "GPE"

    # 2. Person names with swapped tokens; plural demonyms ("Iranians" -> "Iranian").
    swapped: dict[str, int] = {}
    for n in range(n_mention_nodes):
        key = node_key[n]
        voted = _vote(node_votes[n])
        tokens = key.split()
        if voted == "PERSON" and len(tokens) == 2:
            s = " ".join(sorted(tokens))
            if s in swapped:
                stats["word order"] += uf.union(n, swapped[s])
            else:
                swapped[s] = n
        elif len(tokens) == 1 and key.endswith("s"):
            # The plural of a people's name is that people, whatever its own tag ("Zarvanis").
            other = node_of.get(key[:-1])
            if other is not None and _vote(node_votes[other]) == "NORP" and (voted == "NORP" or len(key) > 5):
                stats["plural"] += uf.union(n, other)

    # 3. Acronym bindings.
    expansions: set[int] = set()
    longs_of: dict[str, Counter[str]] = defaultdict(Counter)
    long_name: dict[str, str] = {}
    for a in acronyms:
        sk, lk = name_key(a.short), name_key(a.long)
        if sk and lk and sk != lk:
            longs_of[sk][lk] += 1
            long_name.setdefault(lk, a.long)
    conflicts: list[str] = []
    for sk, longs in longs_of.items():
        main = max(longs, key=lambda k: (longs[k], k))
        for lk in longs:
            if lk != main and not _similar(lk, main) and skeleton(lk) != skeleton(main):
                conflicts.append(f"{sk.upper()}: {long_name[lk]!r} vs {long_name[main]!r}")
                continue
            ln = node(lk)
            if ln >= n_mention_nodes and not node_names[ln]:
                node_names[ln][long_name[lk]] += 0
            expansions.add(ln)
            stats["acronym"] += uf.union(node(sk), ln)
    for short, long in COMMON_ACRONYMS.items():
        sk, lk = name_key(short), name_key(long)
        if sk in node_of and lk in node_of:
            expansions.add(node_of[lk])
            stats["common acronym"] += uf.union(node_of[sk], node_of[lk])

    # 4. Strict similarity inside blocks.
    blocks: dict[tuple[str, ...], list[int]] = defaultdict(list)
    node_group: list[str] = []
    node_weight: list[int] = []
    for n in range(len(node_key)):
        group = _group(forced.get(n) or _vote(node_votes[n]))
        node_group.append(group)
        node_weight.append(sum(node_votes[n].values()))
        key = node_key[n]
        if len(key) < 4 or (node_names[n] and all(is_acronym(x) for x in node_names[n])):
            continue  # acronyms match only through definitions
        for bk in _block_keys(key, group):
            blocks[bk].append(n)
        if " " not in key and group != "NORP" and len(key) >= 5:
            blocks[("x", skeleton(key))].append(n)  # cross-type: one-word names the tagger is unsure of
    compared = 0
    for members in blocks.values():
        if len(members) < 2:
            continue
        if len(members) <= _BLOCK_LIMIT:
            pairs: Iterable[tuple[int, int]] = itertools.combinations(members, 2)
        else:
            ordered = sorted(members, key=lambda n: node_key[n])
            pairs = ((ordered[i], ordered[j]) for i in range(len(ordered)) for j in range(i + 1, min(i + _WINDOW, len(ordered))))
        for a, b in pairs:
            compared += 1
            if uf.find(a) == uf.find(b):
                continue
            if node_group[a] != node_group[b]:
                # A one-word name seen at most twice may carry a wrong tag ("the Manez camp" as PERSON).
                if min(node_weight[a], node_weight[b]) > 2 or JaroWinkler.similarity(node_key[a], node_key[b]) < 0.9:
                    continue
            if _similar(node_key[a], node_key[b]):
                stats["similar"] += uf.union(a, b)
    stats["pairs compared"] = compared

    # 4b. A shortened name joins the only longer name it shortens: "Nour Guard" /
    # "Nour Guard Corps", "State Police" / "Korvenian State Police", "Association
    # ... Exiles" / "Association ... Exiles in Korvenia".
    # Also "Camp Ashraf 3" / "Ashraf 3" (a facility's generic first word), "Republic
    # of Zarvan" / "Zarvan" (a state's form of government) and "Tervala Courier" /
    # "Courier" (an organisation named after its place, one word left).
    places = {node_key[n] for n in range(len(node_key)) if node_group[n] in ("PLACE", "NORP")}
    shortened: dict[int, set[int]] = defaultdict(set)
    for n in range(len(node_key)):
        tokens = node_key[n].split()
        if len(tokens) < 2:
            continue
        shorter: list[tuple[list[str], int]] = []  # (short form, fewest tokens it may have)
        if tokens[-1] in _ORG_SUFFIXES and len(tokens) >= 3:
            shorter.append((tokens[:-1], 2))
        for i in range(2, len(tokens) - 1):
            if tokens[i] in ("in", "of", "at") and len(tokens) - i - 1 <= 2 and " ".join(tokens[i + 1 :]) in places:
                shorter.append((tokens[:i], 2))
        if tokens[0] in places:
            one_word_ok = len(tokens) == 2 and node_group[n] == "ORG" and tokens[1] not in places
            shorter.append((tokens[1:], 1 if one_word_ok else 2))
        if node_group[n] == "PLACE":
            if tokens[0] in _FAC_PREFIXES:
                shorter.append((tokens[1:], 1))
            of = tokens.index("of") if "of" in tokens else -1
            if of >= 1 and all(t in _STATE_FORMS for t in tokens[:of]) and tokens[of + 1 :] != ["the"]:
                shorter.append((tokens[of + 1 :] if tokens[of + 1 : of + 2] != ["the"] else tokens[of + 2 :], 1))
        for short, fewest in shorter:
            a = node_of.get(" ".join(short))
            if a is not None and len(short) >= fewest and node_group[a] == node_group[n]:
                shortened[a].add(uf.find(n))
    for a, roots in shortened.items():
        if len({uf.find(r) for r in roots}) == 1:
            stats["shortened"] += uf.union(a, next(iter(roots)))

    # 4c. An organisation called by the first word of its name ("Mujahideen" /
    # "Mujahedin Khalq Organization", "Amnesty" / "Amnesty International").
    stats["first word"] = _join_first_words(
        uf, node_key, node_votes, node_names, node_group, node_weight, places, n_mention_nodes
    )

    # 5. Bare surnames join the only full name that ends with them.
    cluster_votes: dict[int, Counter[str]] = defaultdict(Counter)
    for n in range(len(node_key)):
        cluster_votes[uf.find(n)].update(node_votes[n])
    by_surname: dict[str, set[int]] = defaultdict(set)
    for n in range(len(node_key)):
        tokens = node_key[n].split()
        if (
            len(tokens) >= 2
            and _vote(cluster_votes[uf.find(n)]) == "PERSON"
            and any(looks_like_full_name(x) for x in node_names[n])
        ):
            by_surname[tokens[-1]].add(uf.find(n))
    surname_ambiguous: dict[int, set[int]] = {}
    for n in range(n_mention_nodes):
        key = node_key[n]
        if n in forced or " " in key or _vote(cluster_votes[uf.find(n)]) != "PERSON" or uf.find(n) in by_surname.get(key, ()):
            continue
        roots = by_surname.get(key)
        if not roots:
            continue
        if len(roots) == 1:
            stats["surname"] += uf.union(n, next(iter(roots)))
        else:
            surname_ambiguous[n] = roots

    report: list[str] = []
    surface_nodes: dict[str, set[int]] = defaultdict(set)
    for surface, n in seen_pairs:
        surface_nodes[name_key(surface)].add(n)

    # 6. Overrides: merge.
    if overrides is not None:
        for group_names in overrides.merge:
            found = []
            missing = []
            for nm in group_names:
                k = name_key(nm)
                hits = ({node_of[k]} if k in node_of else set()) | surface_nodes.get(k, set())
                if hits:
                    found.extend(hits)
                else:
                    missing.append(nm)
            roots = {uf.find(n) for n in found}
            for n in found[1:]:
                uf.union(found[0], n)
            what = f"merge {list(group_names)}: "
            if len(roots) >= 2:
                what += f"joined {len(roots)} entities"
            elif roots:
                what += "already one entity"
            else:
                what += "matched nothing"
            if missing and roots:
                what += f"; not found: {', '.join(missing)}"
            report.append(what)

    # 7. Clusters at mention level. A mention ambiguous in its document whose
    # candidates the corpus never names otherwise is a mention of its own name.
    members: dict[Any, list[MentionGroup]] = defaultdict(list)
    still: list[MentionGroup] = []
    for m in ambiguous_in_doc:
        if any(name_key(c) in node_of for c in m.candidates) or not name_key(m.name):
            still.append(m)
            continue
        n = node(name_key(m.name))
        node_names[n][m.name] += m.size
        node_votes[n][m.label] += m.size
        names.append(m)
        node_at[id(m)] = n
    ambiguous_in_doc = still
    for m in names:
        n = node_at[id(m)]
        if n in surname_ambiguous:
            ambiguous_in_doc.append(m)
            continue
        members[uf.find(n)].append(m)
    label_members: dict[Any, list[MentionGroup]] = defaultdict(list)
    for m in labels:
        k = name_key(m.name)
        if k in node_of:
            label_members[uf.find(node_of[k])].append(m)
        else:
            n = node(k)
            node_names[n][m.name] += 0
            node_votes[n][m.label] += 0
            label_members[uf.find(n)].append(m)
    extra_labels: dict[Any, list[tuple[str, str | None, str | None]]] = defaultdict(list)
    stats["labels moved to an organisation"] = _retarget_person_labels(members, label_members)

    if overrides is not None:
        _apply_split(overrides, members, report)
        _apply_label(overrides, members, label_members, extra_labels, report)

    # 8. Entities.
    entities: list[Entity] = []
    assign: dict[Any, str] = {}
    id_of_cluster: dict[Any, str] = {}
    used_ids: set[str] = set()
    for cid in set(members) | set(label_members) | set(extra_labels):
        ms = members.get(cid, [])
        if not ms and not label_members.get(cid):
            continue  # emptied by an override
        votes = _tally(ms, "label")
        if not votes:
            votes = _tally(label_members.get(cid, []), "label")
        etype = _vote(votes, {m.name for m in ms})
        if ms and forced and any(forced.get(node_at.get(id(m), -1)) for m in ms):
            etype = "GPE"
        name = _canonical(cid, ms, label_members.get(cid, []), node_names, expansions, uf, etype)
        eid = "e-" + hashlib.sha1(f"{etype}:{name_key(name)}".encode()).hexdigest()[:12]
        while eid in used_ids:
            eid = "e-" + hashlib.sha1(eid.encode()).hexdigest()[:12]
        used_ids.add(eid)
        id_of_cluster[cid] = eid
        aliases = sorted({surface_at.get(id(m)) or _surface(m) for m in ms} | ({name} if ms else set()))
        out_counts: Counter[str] = Counter()
        for m in ms:
            out_counts[outlets.get(m.doc) or "(unknown)"] += m.size
        lab = sorted(
            {(m.text, m.doc, outlets.get(m.doc)) for m in label_members.get(cid, [])} | set(extra_labels.get(cid, [])),
            key=lambda t: (t[0], t[1] or "", t[2] or ""),
        )
        entities.append(
            Entity(
                id=eid,
                name=name,
                type=etype,
                aliases=aliases,
                labels=lab,
                mention_count=sum(m.size for m in ms),
                outlets=dict(sorted(out_counts.items())),
                type_votes=dict(votes.most_common()),
            )
        )
        for m in ms:
            assign[m.ref] = eid
        for m in label_members.get(cid, []):
            assign[m.ref] = eid
    entities.sort(key=lambda e: (-e.mention_count, e.name))

    # 9. Ambiguous mentions with candidate entity ids.
    ambiguous: list[tuple[Any, tuple[str, ...]]] = []
    for m in ambiguous_in_doc:
        if m.candidates:
            roots = {uf.find(node_of[k]) for k in map(name_key, m.candidates) if k in node_of}
        else:
            roots = surname_ambiguous.get(node_at[id(m)], set())
        ids = tuple(sorted({id_of_cluster[r] for r in roots if r in id_of_cluster}))
        if len(ids) == 1:
            assign[m.ref] = ids[0]
        else:
            ambiguous.append((m.ref, ids))
    if conflicts:
        stats["acronym conflicts"] = len(conflicts)
    notes = [f"acronym with two expansions, bound to the more frequent only: {c}" for c in conflicts[:20]]
    return Resolution(entities=entities, assign=assign, ambiguous=ambiguous, report=report, stats=dict(stats), notes=notes)


_CAP_WORD = re.compile(r"\b[A-Z][\w\u00C0-\u024F'-]+")


def _retarget_person_labels(members: dict, label_members: dict) -> int:
    """Move "Azarmehr's cult" from the person to the organisation other documents pin it on.

    A document that never names the organisation can only pin "X's cult" on
    X; where other documents resolved a label naming X to an organisation
    (through "the group led by X"), the corpus-wide majority decides.

    Returns:
        The number of labels moved.
    """
    def cluster_type(cid) -> str:
        ms = members.get(cid)
        return _vote(_tally(ms, "label")) if ms else _vote(_tally(label_members[cid], "label"))

    learned: dict[str, Counter] = defaultdict(Counter)
    for cid, labs in label_members.items():
        if not labs or cluster_type(cid) != "ORG":
            continue
        for m in labs:
            for w in _CAP_WORD.findall(m.text):
                learned[name_key(w)][cid] += m.size
    moved = 0
    for cid in list(label_members):
        if cluster_type(cid) == "ORG":
            continue
        keep = []
        went: dict[str, Any] = {}  # doc -> organisation its labels of this person moved to
        for m in label_members[cid]:
            words = re.findall(r"[\w-]+", m.text.casefold())
            votes: Counter = Counter()
            if any(w in ORG_HEADS for w in words):
                for w in _CAP_WORD.findall(m.text):
                    votes.update(learned.get(name_key(w), {}))
            if votes:
                best = max(votes, key=lambda c: (votes[c], str(c)))
                label_members[best].append(m)
                went.setdefault(m.doc, best)
                moved += m.size
            else:
                keep.append(m)
        # The document's other organisation labels pinned on the person ("the
        # terrorist group" after "the Azarmehr gang") follow them.
        still = []
        for m in keep:
            words = re.findall(r"[\w-]+", m.text.casefold())
            if m.doc in went and any(w in ORG_HEADS or w in GENERIC_ORG_HEADS for w in words):
                label_members[went[m.doc]].append(m)
                moved += m.size
            else:
                still.append(m)
        label_members[cid] = still
    return moved


@lru_cache(maxsize=200_000)
def _surface_of(text: str, label: str) -> str:
    return clean_name(text, label)


def _surface(m: MentionGroup) -> str:
    return _surface_of(m.text, m.label) or m.name


def _canonical(cid, ms, label_ms, node_names, expansions, uf, etype: str = "") -> str:
    """Pick the canonical name of a cluster.

    Rule: among the names the mentions resolve to, prefer informative forms
    (not an acronym and at least two words: an acronym's expansion, a full
    person name), then the most frequent, then the longer, then alphabetical.
    A place goes by its most frequent name ("Zarvan", not "Republic of
    Zarvan"). A cluster whose mentions are all acronyms takes its bound expansion.
    """
    counts = _tally(ms, "name")
    if not counts:
        counts = _tally(label_ms, "name")
    informative = [n for n in counts if not is_acronym(n) and len(n.split()) >= 2]
    if _group(etype) == "PLACE" and not all(is_acronym(n) for n in counts):
        informative = [n for n in counts if not is_acronym(n)]
    if not informative:
        # An acronym with a definition elsewhere: take the expansion.
        exp = [
            (cnt, name)
            for n in expansions
            if isinstance(cid, int) and uf.find(n) == cid
            for name, cnt in node_names[n].items()
        ]
        if exp and all(is_acronym(n) for n in counts):
            return max(exp, key=lambda t: (t[0], len(t[1]), t[1]))[1]
    pool = informative or list(counts)
    return max(pool, key=lambda n: (counts[n], len(n), n))


def _apply_split(overrides: Overrides, members: dict, report: list[str]) -> None:
    for name, aliases in overrides.split:
        keys = {name_key(a) for a in aliases}
        moved: list[MentionGroup] = []
        sources = 0
        for cid in list(members):
            keep, out = [], []
            for m in members[cid]:
                (out if name_key(_surface(m)) in keys else keep).append(m)
            if out:
                sources += 1
                members[cid] = keep
                moved.extend(out)
                if not keep:
                    del members[cid]
        if not moved:
            report.append(f"split {name!r} {list(aliases)}: matched nothing")
            continue
        target = None
        nk = name_key(name)
        for cid, ms in members.items():
            if any(name_key(m.name) == nk for m in ms):
                target = cid
                break
        moved = [m._replace(name=name, candidates=()) for m in moved]
        count = sum(m.size for m in moved)
        if target is None:
            target = ("split", name)
            report.append(f"split {name!r}: moved {count} mentions from {sources} entities into a new entity")
        else:
            report.append(f"split {name!r}: moved {count} mentions from {sources} entities into the existing {name!r}")
        members[target] = members.get(target, []) + moved


def _apply_label(overrides: Overrides, members: dict, label_members: dict, extra: dict, report: list[str]) -> None:
    for entity, text in overrides.label:
        ek, tk = name_key(entity), name_key(text)
        target = None
        for cid, ms in members.items():
            if any(name_key(m.name) == ek or name_key(_surface(m)) == ek for m in ms):
                target = cid
                break
        if target is None:
            report.append(f"label {text!r} -> {entity!r}: entity matched nothing")
            continue
        converted = 0
        for cid in list(members):
            if cid == target:
                continue
            hits = [m for m in members[cid] if name_key(_surface(m)) == tk]
            if hits:
                members[cid] = [m for m in members[cid] if name_key(_surface(m)) != tk]
                if not members[cid]:
                    del members[cid]
                label_members[target].extend(m._replace(name=entity, kind="label", candidates=()) for m in hits)
                converted += sum(m.size for m in hits)
        retargeted = 0
        for cid in list(label_members):
            if cid == target:
                continue
            hits = [m for m in label_members[cid] if name_key(m.text) == tk]
            if hits:
                label_members[cid] = [m for m in label_members[cid] if name_key(m.text) != tk]
                label_members[target].extend(hits)
                retargeted += sum(m.size for m in hits)
        if converted or retargeted:
            report.append(
                f"label {text!r} -> {entity!r}: {converted} name mentions turned into labels, "
                f"{retargeted} labels moved from other entities"
            )
        else:
            extra[target].append((text, None, None))
            report.append(f"label {text!r} -> {entity!r}: no mention of the text found; recorded without a source document")


# --------------------------------------------------------------------------- scoring


def _form(text: str) -> str:
    cleaned = clean_name(text, None) or text
    return " ".join(cleaned.replace("\u2019", "'").split()).casefold()


def pairwise_alias_scores(predicted_clusters: Iterable[Iterable[str]], gold: Mapping[str, Any]) -> dict[str, Any]:
    """Score predicted alias clusters against a gold entity list.

    Args:
        predicted_clusters: the surface forms of each predicted entity
            (e.g. :meth:`Resolution.clusters`).
        gold: ``{"entities": [{"name": ..., "aliases": [...],
            "ambiguous_forms": [...]}, ...], "keep_apart": [[name_a, name_b], ...]}``.
            Forms listed as ambiguous (a surname two people share) are left
            out of the pairs.

    Returns:
        ``precision``, ``recall``, ``f1`` over unordered pairs of distinct
        surface forms, restricted to forms the gold places in an entity;
        ``gold_pairs``, ``predicted_pairs``, ``true_pairs``;
        ``keep_apart_merges`` (number of keep-apart pairs some predicted
        entity joins) and ``keep_apart_violations`` (the pairs).

    Notes:
        Pairwise precision/recall as used for entity resolution evaluation
        (Menestrina, Whang & Garcia-Molina 2010). Forms are compared after
        :func:`~storyline.extract.entities.clean_name` (titles, possessive and
        a leading "the" stripped: "Dr. Edon Brahaj" is the form "Edon
        Brahaj"), case-insensitively.
    """
    entities = list(gold.get("entities", []))
    ambiguous = {_form(a) for e in entities for a in e.get("ambiguous_forms", [])}
    forms_of: dict[str, set[str]] = {}
    universe: set[str] = set()
    gold_pairs: set[tuple[str, str]] = set()
    for e in entities:
        forms = ({_form(a) for a in e.get("aliases", [])} | {_form(e["name"])}) - ambiguous
        forms_of[_form(e["name"])] = forms
        universe |= forms
        gold_pairs.update(tuple(sorted(p)) for p in itertools.combinations(forms, 2))
    pred_pairs: set[tuple[str, str]] = set()
    pred_sets = []
    for cluster in predicted_clusters:
        forms = {_form(f) for f in cluster}
        pred_sets.append(forms)
        inside = sorted(forms & universe)
        pred_pairs.update(itertools.combinations(inside, 2))
    true = pred_pairs & gold_pairs
    precision = len(true) / len(pred_pairs) if pred_pairs else 1.0
    recall = len(true) / len(gold_pairs) if gold_pairs else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    violations = []
    for a, b in gold.get("keep_apart", []):
        fa, fb = forms_of.get(_form(a), {_form(a)}), forms_of.get(_form(b), {_form(b)})
        only_a, only_b = fa - fb, fb - fa
        if any(s & only_a and s & only_b for s in pred_sets):
            violations.append((a, b))
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "gold_pairs": len(gold_pairs),
        "predicted_pairs": len(pred_pairs),
        "true_pairs": len(true),
        "keep_apart_merges": len(violations),
        "keep_apart_violations": violations,
    }
