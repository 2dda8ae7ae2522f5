"""Cross-document claims: which documents assert the same thing, which contradict it, and which agree independently.

The stages, in order:

1. embed: every stored claim's asserted part (``content_start:content_end``)
   with all-MiniLM-L6-v2 (:mod:`storyline.embed`); vectors are cached in the
   ``claim_vectors`` table by content hash, so a re-run embeds only new text;
   identical texts are embedded once.
2. block: for each distinct text, its nearest neighbours by cosine among all
   distinct texts, computed in chunks of rows (memory is one chunk of scores
   plus the vectors), keeping at most :data:`NEIGHBOURS` above :data:`SIM_LOW`.
3. cluster: candidate pairs are kept when the vectors are very close
   (:data:`SIM_STRONG`), or close (:data:`SIM_LINK`) and the claims share
   evidence (a named actor, a number, a date); pairs are merged strongest
   first, average linkage (the mean cosine between the two groups must stay
   above :data:`SIM_LINK`), so chains of loosely related claims do not fuse.
4. stance: inside a cluster two claims of different documents agree when
   their effective polarity is the same (a negation or a denial flips it) and
   their numbers and dates are compatible; otherwise they contradict.
5. independence: a supporting document does not count as an independent
   source when it has the same outlet as the claim's document (or as a
   source already counted), when the two texts are near-verbatim copies
   (word 5-gram MinHash), or when both relay the same original speaker (same
   resolved speaker entity, or "according to <the other outlet>").

Notes:
    Check-worthiness follows ClaimBuster (Hassan et al. 2017); claim
    matching by sentence embeddings follows Shaar et al. (2020, "That is a
    Known Lie"); text-reuse detection by shingling and MinHash follows
    Broder (1997).
"""

from __future__ import annotations

import hashlib
import re
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..store.db import Store
from .aliases import name_key

#: Cosine above which two claims are the same assertion without other evidence.
SIM_STRONG = 0.82
#: Cosine above which two claims sharing an actor, a number or a date are the same assertion.
SIM_LINK = 0.60
#: Candidates below this cosine are not looked at.
SIM_LOW = 0.45
#: Nearest neighbours kept per distinct claim text.
NEIGHBOURS = 50
#: Estimated word 5-gram Jaccard (or containment) above which two documents are copies.
REUSE_JACCARD = 0.3
REUSE_CONTAINMENT = 0.5
#: Documents listed per claim in ``support``/``contradict`` (the counts give all).
MAX_LISTED = 100

_PRONOUNS = frozenset("he she they it we i you his her their its this that".split())


@dataclass
class _Claim:
    id: str
    doc: str
    node: int
    polarity: bool  # True = asserts, False = negates or denies
    numbers: list[dict[str, Any]]
    dates: frozenset[str]
    names: frozenset[str]
    speaker: str | None
    via: str | None
    checkworthy: float
    speaker_name: str | None = None


@dataclass
class ClaimResult:
    """The resolved claims: cluster rows and one link row per clustered claim."""

    clusters: list[dict[str, Any]] = field(default_factory=list)
    links: list[dict[str, Any]] = field(default_factory=list)


def write_claims(
    store: Store,
    *,
    outlets: Mapping[str, str | None],
    speaker_of: Callable[[str, str | None, int | None, int | None], str | None] = lambda d, n, s, e: None,
    embed: Callable[[list[str]], np.ndarray] | None = None,
) -> int:
    """Rebuild ``claim_links`` and ``claim_clusters``, writing link rows as each cluster is judged.

    Only the cluster rows are held until the end, so memory does not grow
    with the number of claims times their supporting documents.

    Returns:
        The number of clusters.
    """
    clusters: list[dict[str, Any]] = []
    links = iter_claim_links(store, clusters, outlets=outlets, speaker_of=speaker_of, embed=embed)
    store.replace_table("claim_links", links)
    store.replace_table("claim_clusters", clusters)
    return len(clusters)


def iter_claim_links(
    store: Store,
    clusters: list[dict[str, Any]],
    *,
    outlets: Mapping[str, str | None],
    speaker_of: Callable[[str, str | None, int | None, int | None], str | None] = lambda d, n, s, e: None,
    embed: Callable[[list[str]], np.ndarray] | None = None,
) -> Iterator[dict[str, Any]]:
    """Yield one ``claim_links`` row per clustered claim; append each cluster's row to ``clusters``."""
    claims, vectors = _load(store, speaker_of, embed)
    if not claims:
        return
    node_claims: dict[int, list[int]] = defaultdict(list)
    for i, c in enumerate(claims):
        node_claims[c.node].append(i)
    first = {node: claims[members[0]] for node, members in node_claims.items()}
    pairs = _candidates(vectors)
    groups = _cluster(vectors, pairs, first)
    del pairs
    order = _doc_order(store)
    reuse = _Reuse(store)
    for nodes in groups:
        members = sorted((i for n in nodes for i in node_claims[n]), key=lambda i: (order.get(claims[i].doc, 1 << 60), claims[i].id))
        if len({claims[i].doc for i in members}) < 2:
            continue
        result = ClaimResult(clusters=clusters)
        _judge(claims, members, outlets, order, reuse, result)
        yield from result.links


# -- 1. loading and embedding ----------------------------------------------


def _content(row: Mapping[str, Any]) -> str:
    text, start = row["text"], row["start"]
    a = (row.get("content_start") if row.get("content_start") is not None else start) - start
    b = (row.get("content_end") if row.get("content_end") is not None else row["end"]) - start
    return text[max(0, a):max(a, b)] or text


def _key(text: str) -> str:
    return hashlib.sha1(" ".join(text.lower().split()).encode("utf-8")).hexdigest()


def _load(store: Store, speaker_of: Callable[..., str | None], embed: Callable[[list[str]], np.ndarray] | None) -> tuple[list[_Claim], np.ndarray]:
    """Read claims (metadata only) and return them with one unit vector per distinct content text."""
    if "claims" not in store.db.table_names():
        return [], np.zeros((0, 384), dtype=np.float32)
    claims: list[_Claim] = []
    nodes: dict[str, int] = {}
    todo: dict[str, str] = {}
    for row in store.rows("claims", order_by="doc, start"):
        content = _content(row)
        key = _key(content)
        if key not in nodes:
            nodes[key] = len(nodes)
            todo[key] = content
        speaker = speaker_of(row["doc"], row.get("speaker"), row.get("speaker_start"), row.get("speaker_end"))
        if speaker is None and row.get("speaker") and row["speaker"][:1].isupper() and row["speaker"].lower() not in _PRONOUNS:
            speaker = "name:" + name_key(row["speaker"])
        claims.append(
            _Claim(
                id=row["id"], doc=row["doc"], node=nodes[key],
                polarity=(row.get("polarity") != "negative") != bool(row.get("denial")),
                numbers=list(row.get("numbers") or []), dates=frozenset(row.get("date_values") or ()),
                names=frozenset(name_key(n) for n in row.get("entity_names") or ()), speaker=speaker,
                via=name_key(row["via"]) if row.get("via") else None, checkworthy=row.get("checkworthy") or 0.0,
                speaker_name=row.get("speaker"),
            )
        )
    vectors = np.zeros((len(nodes), 384), dtype=np.float32)
    cached = _cached_vectors(store, todo)
    missing = [k for k in todo if k not in cached]
    for k, v in cached.items():
        vectors[nodes[k]] = v
    if missing:
        if embed is None:
            from ..embed import embed as embed_default

            embed = embed_default
        for at in range(0, len(missing), 1024):
            chunk = missing[at:at + 1024]
            vecs = np.asarray(embed([todo[k] for k in chunk]), dtype=np.float32)
            with store.db.atomic():
                store.db["claim_vectors"].insert_all(
                    ({"key": k, "vector": v.astype(np.float16).tobytes()} for k, v in zip(chunk, vecs)), pk="key", replace=True
                )
            for k, v in zip(chunk, vecs):
                vectors[nodes[k]] = v.astype(np.float16).astype(np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    vectors /= np.maximum(norms, 1e-9)
    return claims, vectors


def _cached_vectors(store: Store, wanted: Mapping[str, str]) -> dict[str, np.ndarray]:
    if "claim_vectors" not in store.db.table_names():
        return {}
    found = {}
    keys = list(wanted)
    for at in range(0, len(keys), 500):
        chunk = keys[at:at + 500]
        marks = ",".join("?" * len(chunk))
        for key, blob in store.db.execute(f"select key, vector from claim_vectors where key in ({marks})", chunk):
            found[key] = np.frombuffer(blob, dtype=np.float16).astype(np.float32)
    return found


# -- 2. blocking -------------------------------------------------------------


def _candidates(vectors: np.ndarray) -> list[tuple[float, int, int]]:
    """Return ``(cosine, i, j)`` with i < j for each text and its nearest neighbours above :data:`SIM_LOW`."""
    n = len(vectors)
    rows = max(16, min(1024, 20_000_000 // max(n, 1)))
    pairs: dict[tuple[int, int], float] = {}
    for at in range(0, n, rows):
        scores = vectors[at:at + rows] @ vectors.T
        for r in range(scores.shape[0]):
            i = at + r
            row = scores[r]
            row[i] = -1.0
            hits = np.flatnonzero(row >= SIM_LOW)
            if len(hits) > NEIGHBOURS:
                hits = hits[np.argsort(-row[hits], kind="stable")[:NEIGHBOURS]]
            for j in hits.tolist():
                key = (i, j) if i < j else (j, i)
                pairs[key] = float(row[j])
    return sorted(((s, i, j) for (i, j), s in pairs.items()), key=lambda p: (-p[0], p[1], p[2]))


# -- 3. clustering -----------------------------------------------------------


def _evidence(a: _Claim, b: _Claim) -> int:
    """Count what two claims share: named actors, days, numbers (each at most once)."""
    values_a = {round(float(n["value"]), 3) for n in a.numbers}
    shared_numbers = any(round(float(n["value"]), 3) in values_a for n in b.numbers)
    return min(2, len(a.names & b.names)) + bool(a.dates & b.dates) + shared_numbers


def _linked(sim: float, a: _Claim, b: _Claim) -> bool:
    """True when two claims are close enough, given what they share, to be one assertion."""
    if sim >= SIM_STRONG:
        return True
    if sim < SIM_LINK - 0.10:
        return False
    shared = _evidence(a, b)
    return (shared >= 1 and sim >= SIM_LINK) or (shared >= 2 and sim >= SIM_LINK - 0.10)


def _cluster(vectors: np.ndarray, pairs: list[tuple[float, int, int]], first: Mapping[int, _Claim]) -> list[list[int]]:
    parent = list(range(len(vectors)))
    sums = {i: vectors[i].astype(np.float64) for i in range(len(vectors))}
    sizes = dict.fromkeys(range(len(vectors)), 1)

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for sim, i, j in pairs:
        if not _linked(sim, first[i], first[j]):
            continue
        ri, rj = find(i), find(j)
        if ri == rj:
            continue
        mean = float(sums[ri] @ sums[rj]) / (sizes[ri] * sizes[rj])
        if mean < SIM_LINK - 0.10:
            continue
        keep, drop = min(ri, rj), max(ri, rj)
        parent[drop] = keep
        sums[keep] = sums[keep] + sums.pop(drop)
        sizes[keep] += sizes.pop(drop)
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(vectors)):
        groups[find(i)].append(i)
    return list(groups.values())


# -- 4. stance ---------------------------------------------------------------

_BOUNDS = {
    None: (0.95, 1.05), "about": (0.75, 1.25), "almost": (0.75, 1.0), "up to": (0.7, 1.0),
    "at least": (1.0, 3.0), "more than": (1.0001, 3.0), "less than": (0.0, 0.9999), "vague": (1.0, 5.0),
}


def _interval(number: Mapping[str, Any]) -> tuple[float, float]:
    low, high = _BOUNDS.get(number.get("approx"), (0.95, 1.05))
    value = float(number["value"])
    return value * low, value * high


def numbers_agree(a: Iterable[Mapping[str, Any]], b: Iterable[Mapping[str, Any]]) -> bool:
    """False when the two claims state conflicting quantities of the same unit ("20 people" vs "more than 30 refugees")."""
    b = list(b)
    for x in a:
        same = [y for y in b if x.get("unit") == y.get("unit") and x.get("unit") is not None]
        if not same:
            continue
        lo, hi = _interval(x)
        if not any(_interval(y)[0] <= hi and lo <= _interval(y)[1] for y in same):
            return False
    return True


def dates_agree(a: frozenset[str], b: frozenset[str]) -> bool:
    """False when both claims name days and share none (14 March vs 13 March)."""
    return not (a and b and not a & b)


def agree(a: _Claim, b: _Claim) -> tuple[bool, str]:
    """Return whether two claims of one cluster agree, and if not, why."""
    if a.polarity != b.polarity:
        return False, "one denies or negates what the other asserts"
    if not numbers_agree(a.numbers, b.numbers) or not numbers_agree(b.numbers, a.numbers):
        return False, "conflicting figures"
    if not dates_agree(a.dates, b.dates):
        return False, "conflicting dates"
    return True, ""


# -- 5. independence ---------------------------------------------------------


class _Reuse:
    """Near-verbatim text reuse between two documents, by MinHash over word 5-grams (Broder 1997)."""

    PERMUTATIONS = 64
    SHINGLE = 5

    def __init__(self, store: Store):
        self.store = store
        self.signatures: dict[str, tuple[np.ndarray, int]] = {}
        rng = np.random.default_rng(20240314)
        self.masks = rng.integers(1, 2**32 - 1, size=self.PERMUTATIONS, dtype=np.uint64)
        self.mults = rng.integers(1, 2**32 - 1, size=self.PERMUTATIONS, dtype=np.uint64) | np.uint64(1)
        self.pairs: dict[tuple[str, str], float | None] = {}

    def _signature(self, doc: str) -> tuple[np.ndarray, int]:
        if doc not in self.signatures:
            row = self.store.db.execute("select text from documents where id = ?", [doc]).fetchone()
            words = re.findall(r"\w+", (row[0] if row else "").lower())
            shingles = {" ".join(words[i:i + self.SHINGLE]) for i in range(max(1, len(words) - self.SHINGLE + 1))}
            hashes = np.array(sorted(zlib.crc32(s.encode("utf-8")) for s in shingles), dtype=np.uint64)
            if len(hashes) == 0:
                hashes = np.zeros(1, dtype=np.uint64)
            mixed = ((hashes[None, :] ^ self.masks[:, None]) * self.mults[:, None]) & np.uint64(0xFFFFFFFF)
            self.signatures[doc] = (mixed.min(axis=1), len(shingles))
        return self.signatures[doc]

    def overlap(self, a: str, b: str) -> float | None:
        """Return the estimated shared share of word 5-grams when the documents are copies, else None."""
        key = (a, b) if a < b else (b, a)
        if key not in self.pairs:
            (sa, na), (sb, nb) = self._signature(a), self._signature(b)
            jaccard = float((sa == sb).mean())
            shared = jaccard * (na + nb) / (1.0 + jaccard)
            containment = shared / max(1, min(na, nb))
            self.pairs[key] = containment if jaccard >= REUSE_JACCARD or containment >= REUSE_CONTAINMENT else None
        return self.pairs[key]


def _dependence(
    a: str, b: str, speakers: Mapping[str, set[str]], vias: Mapping[str, set[str]], outlets: Mapping[str, str | None], reuse: _Reuse,
    display: Mapping[str, str] | None = None,
) -> str | None:
    """Return why document ``b`` is not independent of document ``a`` for one claim, or None."""
    oa, ob = outlets.get(a), outlets.get(b)
    if oa and ob and name_key(oa) == name_key(ob):
        return f"same outlet ({ob})"
    copied = reuse.overlap(a, b)
    if copied is not None:
        return f"near-verbatim copy: about {min(100, round(100 * copied))}% of the shorter text's word sequences also appear in the other"
    shared = speakers.get(a, set()) & speakers.get(b, set())
    if shared:
        key = sorted(shared)[0]
        return f"both relay the same source ({(display or {}).get(key) or key.removeprefix('name:')})"
    if oa and name_key(oa) in vias.get(b, set()):
        return f"relays {oa}, the outlet of the other document"
    if ob and name_key(ob) in vias.get(a, set()):
        return f"the other document relays {ob}"
    return None


def _doc_order(store: Store) -> dict[str, int]:
    sql = "select id from documents order by published is null, published, id"
    return {row[0]: i for i, row in enumerate(store.db.execute(sql))}


def _judge(claims: list[_Claim], members: list[int], outlets: Mapping[str, str | None], order: Mapping[str, int], reuse: _Reuse, result: ClaimResult) -> None:
    """Fill the cluster row and the link rows of one cluster."""
    cluster_id = "claimcluster-" + min(claims[i].id for i in members)
    by_node: dict[int, list[int]] = defaultdict(list)
    for i in members:
        by_node[claims[i].node].append(i)
    speakers: dict[str, set[str]] = defaultdict(set)
    vias: dict[str, set[str]] = defaultdict(set)
    display: dict[str, str] = {}
    for i in members:
        c = claims[i]
        if c.speaker:
            speakers[c.doc].add(c.speaker)
            if c.speaker_name and (c.speaker not in display or len(c.speaker_name) > len(display[c.speaker])):
                display[c.speaker] = c.speaker_name
        if c.via:
            vias[c.doc].add(c.via)
    nodes = list(by_node)
    verdict: dict[tuple[int, int], bool] = {}
    for x in nodes:
        for y in nodes:
            verdict[(x, y)] = x == y or agree(claims[by_node[x][0]], claims[by_node[y][0]])[0]
    docs_of_node = {n: sorted({claims[i].doc for i in ids}, key=lambda d: (order.get(d, 1 << 60), d)) for n, ids in by_node.items()}
    dependence_cache: dict[tuple[str, str], str | None] = {}

    def depends(a: str, b: str) -> str | None:
        if (a, b) not in dependence_cache:
            dependence_cache[(a, b)] = _dependence(a, b, speakers, vias, outlets, reuse, display)
        return dependence_cache[(a, b)]

    best_sources = 0
    contradicted = False
    for i in members:
        c = claims[i]
        support_set: set[str] = set()
        against: set[str] = set()
        for n in nodes:
            target = support_set if verdict[(c.node, n)] else against
            target.update(docs_of_node[n])
        support_set.discard(c.doc)
        against -= support_set
        against.discard(c.doc)
        support = sorted(support_set, key=lambda d: (order.get(d, 1 << 60), d))
        contradict = sorted(against, key=lambda d: (order.get(d, 1 << 60), d))
        kept: list[str] = []
        dependence = []
        for doc in support[:MAX_LISTED]:
            reason, on = depends(c.doc, doc), c.doc
            if reason is None:
                for other in kept:
                    reason = depends(other, doc)
                    if reason:
                        on = other
                        break
            if reason:
                dependence.append({"doc": doc, "on": on, "reason": reason})
            else:
                kept.append(doc)
        best_sources = max(best_sources, len(kept) + 1)
        contradicted = contradicted or bool(contradict)
        result.links.append(
            {
                "id": c.id, "cluster": cluster_id, "support": support[:MAX_LISTED], "contradict": contradict[:MAX_LISTED],
                "support_count": len(support), "contradict_count": len(contradict),
                "independent_support": kept, "dependence": dependence, "speaker_entity": c.speaker,
            }
        )
    result.clusters.append(
        {
            "id": cluster_id, "members": [claims[i].id for i in members], "docs": sorted({claims[i].doc for i in members}),
            "size": len(members), "independent_sources": best_sources, "contradicted": int(contradicted),
            "representative": claims[min(members, key=lambda i: (-claims[i].checkworthy, order.get(claims[i].doc, 1 << 60), claims[i].id))].id,
        }
    )
