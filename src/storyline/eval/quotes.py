"""PolNeAR scorer for the quote and attribution extractor, counted as Citron counts.

Reads the PolNeAR brat standoff release (``SPLIT/text/NAME.txt`` and
``SPLIT/attributions/NAME_ANNOTATOR.ann``; one ``.ann`` per article, the first
annotator in alphabetical order), parses the texts with ``nlp.pipe``, runs
:func:`storyline.extract.quotes.quotes` and prints precision, recall and F1
for cue, source and content spans, exact and overlap.

How an attribution is built on each side:

* gold: one brat ``Attribution`` event = one cue span (its ``Cue`` argument),
  a list of source spans (``Source`` arguments, usually one, possibly none)
  and a list of content spans (the fragments of its ``Content`` argument,
  ``start end;start end`` for discontinuous content, plus any further
  ``Content`` arguments);
* predicted: the :class:`~storyline.records.Quote` records that share one cue
  (same ``cue_start``/``cue_end``) form one attribution: the contents are
  their spans in text order (so a quote interrupted by its cue is a two-piece
  content, as PolNeAR annotates it), the source is the ``speaker_start``/
  ``speaker_end`` span of the first part (an empty list when unknown).
  Records without a cue (embedded partial quotes and quotes whose speaker the
  text does not give) are not scored: a PolNeAR attribution always has a cue.
  Their number is reported as ``uncued``.

Every character span is mapped to the tokens of the spaCy parse as Citron's
``CitronParser._get_span`` does: the first token is the one holding the start
character, the last the one holding the last character, whitespace belonging
to the token before it.

Counting (Citron ``citron/metrics.py``, Newell et al. 2018), per document,
summed over the corpus:

* exact cue: a prediction is a TP when some gold cue has the same token span,
  else an FP; a gold attribution with no prediction of the same cue span is
  an FN;
* exact source / exact content: a prediction is a TP when some gold
  attribution has an *overlapping* cue (``p.start <= g.end and p.end >
  g.start`` on token indices, Citron's ``are_overlapping_spans``) and the
  same list of source (content) token spans, in order; otherwise an FP; a
  gold attribution with no such prediction is an FN. Matching is not
  one-to-one, exactly as in Citron;
* overlap cue / source / content: the number of tokens shared by every
  (predicted, gold) pair of spans, summed over all pairs in the document;
  precision = shared / predicted tokens, recall = shared / gold tokens.

F1 is the harmonic mean of precision and recall; 0 when both are 0.

One extra line, marked ``exact*``, is a diagnostic and not Citron's count:
exact source matching after dropping punctuation tokens at both edges of
each span (PolNeAR keeps the comma that closes an appositive, "X, a lawyer,
said", and the extractor follows it, but annotators are not consistent).
A content the extractor cuts around a parenthetical cue ("The plan, she
said, is dead") comes as two records sharing the cue, and is scored as one
two-span content, as PolNeAR annotates it.

Notes:
    Citron ("Quote Extraction and Analysis for News", Newell, Cowlishaw and
    Man, DSJM 2018; github.com/bbc/citron ``metrics.py``) reports on PARC 3.0
    source F1 0.82 (exact) and content F1 0.83 (overlap). PolNeAR (Newell,
    Margolin and Ruths 2018) annotates cognition and intention verbs
    ("wants", "seemed", "endorsed") as cues too, so its recall ceiling for a
    speech-verb extractor is lower than PARC's.
"""

from __future__ import annotations

import re
import sys
import time
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from storyline.extract.quotes import quotes
from storyline.records import Quote

__all__ = [
    "GoldAttribution",
    "read_brat",
    "article_files",
    "score_document",
    "evaluate",
    "format_report",
    "main",
]

Spans = list[tuple[int, int]]
_ID = re.compile(r"^(?:[TERAN#]\d+|\*)$")
_FIELDS = ("cue", "source", "content")


@dataclass(frozen=True)
class GoldAttribution:
    """One brat ``Attribution`` event as character spans (lists in text order)."""

    cue: Spans
    sources: Spans
    contents: Spans


@dataclass
class _Counts:
    exact: dict[str, list[int]] = field(default_factory=lambda: {f: [0, 0, 0] for f in (*_FIELDS, "source_bare")})
    overlap: dict[str, list[int]] = field(default_factory=lambda: {f: [0, 0, 0] for f in _FIELDS})

    def add(self, other: "_Counts") -> None:
        for table, theirs in ((self.exact, other.exact), (self.overlap, other.overlap)):
            for name in theirs:
                for k in range(3):
                    table.setdefault(name, [0, 0, 0])[k] += theirs[name][k]


def _parse_spans(field_text: str) -> Spans:
    spans = []
    for part in field_text.split(";"):
        start, end = part.split()
        spans.append((int(start), int(end)))
    return spans


def read_brat(ann_path: str | Path) -> list[GoldAttribution]:
    """Read the ``Attribution`` events of one brat ``.ann`` file.

    Args:
        ann_path: Path to a PolNeAR ``NAME_ANNOTATOR.ann`` file.

    Returns:
        The attributions, each with cue, source and content character spans.

    Raises:
        ValueError: on a line that is not brat standoff, naming file and line.
    """
    bounds: dict[str, tuple[str, Spans]] = {}
    events: list[list[tuple[str, str]]] = []
    path = Path(ann_path)
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        parts = line.split("\t")
        if not _ID.match(parts[0]):
            continue  # the tail of a span text that itself held a line break
        try:
            if parts[0].startswith("T"):
                label, spans = parts[1].split(" ", 1)
                bounds[parts[0]] = (label, _parse_spans(spans))
            elif parts[0].startswith("E"):
                args = parts[1].split()
                events.append([tuple(a.split(":", 1)) for a in args[1:]])  # type: ignore[misc]
        except (IndexError, ValueError) as exc:
            raise ValueError(f"{path}:{number}: not a brat standoff line ({exc}): {line[:80]!r}") from exc
    out = []
    for args in events:
        cue: Spans = []
        sources: Spans = []
        contents: Spans = []
        for role, ref in args:
            if ref not in bounds:
                continue
            role = role.rstrip("0123456789")
            spans = bounds[ref][1]
            if role == "Cue":
                cue.extend(spans)
            elif role == "Source":
                sources.extend(spans)
            elif role == "Content":
                contents.extend(spans)
        if cue or contents:
            out.append(GoldAttribution(sorted(cue), sorted(sources), sorted(contents)))
    return out


def article_files(path: str | Path, split: str = "dev") -> list[tuple[Path, Path]]:
    """List (text, annotation) pairs of a PolNeAR split, one annotator per article.

    Args:
        path: The PolNeAR folder (holding ``train/`` and ``dev/``) or a split folder.
        split: ``train`` or ``dev``.

    Returns:
        Pairs sorted by article name; the ``.ann`` is the alphabetically first annotator's.

    Raises:
        FileNotFoundError: when the split has no ``text/`` folder, with the path tried.
    """
    root = Path(path)
    base = root / split if (root / split / "text").is_dir() else root
    text_dir, ann_dir = base / "text", base / "attributions"
    if not text_dir.is_dir() or not ann_dir.is_dir():
        raise FileNotFoundError(
            f"No PolNeAR split at {base}: expected {text_dir} and {ann_dir}. "
            "Pass the polnear folder, e.g. ../shared/data/polnear, and --split train|dev."
        )
    anns: dict[str, list[Path]] = {}
    for ann in ann_dir.glob("*.ann"):
        name, _, annotator = ann.stem.rpartition("_")
        if name and annotator:
            anns.setdefault(name, []).append(ann)
    pairs = []
    for txt in sorted(text_dir.glob("*.txt")):
        if txt.stem in anns:
            pairs.append((txt, sorted(anns[txt.stem])[0]))
    return pairs


# --------------------------------------------------------------------------- scoring


class _TokenIndex:
    """Map character offsets to token indices the way Citron does."""

    def __init__(self, doc: Any) -> None:
        self.starts = [t.idx for t in doc]
        self.n = len(doc)

    def span(self, start: int, end: int) -> tuple[int, int] | None:
        if end <= start or self.n == 0:
            return None
        first = max(0, bisect_right(self.starts, start) - 1)
        last = max(0, bisect_right(self.starts, end - 1) - 1)
        return first, last + 1

    def spans(self, spans: Spans) -> list[tuple[int, int]]:
        out = []
        for s, e in spans:
            t = self.span(s, e)
            if t is not None:
                out.append(t)
        return out


def _overlapping(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] <= b[1] and a[1] > b[0]


def _shared(a: tuple[int, int], b: tuple[int, int]) -> int:
    start = min(a[1], max(a[0], b[0]))
    end = max(a[0], min(a[1], b[1]))
    return end - start


def _group(predicted: Iterable[Quote]) -> tuple[list[GoldAttribution], int]:
    groups: dict[tuple[int, int], list[Quote]] = {}
    uncued = 0
    for q in predicted:
        if q.cue_start is None or q.cue_end is None:
            uncued += 1
            continue
        groups.setdefault((q.cue_start, q.cue_end), []).append(q)
    out = []
    for cue, parts in groups.items():
        parts.sort(key=lambda q: q.start)
        first = parts[0]
        sources = [(first.speaker_start, first.speaker_end)] if first.speaker_start is not None else []
        out.append(GoldAttribution([cue], sources, [(q.start, q.end) for q in parts]))  # type: ignore[list-item]
    return out, uncued


def score_document(doc: Any, gold: list[GoldAttribution], predicted: Iterable[Quote]) -> dict[str, Any]:
    """Count Citron's exact and overlap statistics for one document.

    Args:
        doc: The spaCy ``Doc`` both sides' offsets refer to.
        gold: The gold attributions (character spans).
        predicted: The extractor's records for this document.

    Returns:
        ``{"exact": {field: [tp, fp, fn]}, "overlap": {field: [shared, predicted,
        gold]}, "predicted": n, "gold": n, "uncued": n}`` for field in cue, source, content.
    """
    index = _TokenIndex(doc)
    preds, uncued = _group(predicted)

    def tok(a: GoldAttribution) -> tuple[list, list, list]:
        # a discontinuous cue ("went on … to discuss") is scored as its covering span
        cue = [(a.cue[0][0], a.cue[-1][1])] if a.cue else []
        return index.spans(cue), index.spans(a.sources), index.spans(a.contents)

    P = [tok(a) for a in preds]
    G = [tok(a) for a in gold]
    counts = _Counts()
    for slot, name in enumerate(_FIELDS):
        tp = fp = fn = 0
        for p in P:
            if not p[0]:
                fp += 1
                continue
            hit = False
            for g in G:
                if not g[0]:
                    continue
                if name == "cue":
                    hit = p[0][0] == g[0][0]
                else:
                    hit = _overlapping(p[0][0], g[0][0]) and p[slot] == g[slot]
                if hit:
                    break
            tp += hit
            fp += not hit
        for g in G:
            found = False
            for p in P:
                if not p[0] or not g[0]:
                    continue
                if name == "cue":
                    found = p[0][0] == g[0][0]
                else:
                    found = _overlapping(p[0][0], g[0][0]) and p[slot] == g[slot]
                if found:
                    break
            fn += not found
        counts.exact[name] = [tp, fp, fn]
        shared = sum(_shared(a, b) for p in P for g in G for a in p[slot] for b in g[slot])
        counts.overlap[name] = [
            shared,
            sum(e - s for p in P for s, e in p[slot]),
            sum(e - s for g in G for s, e in g[slot]),
        ]
    # diagnostic beside Citron's count: sources compared without edge punctuation
    # (PolNeAR annotators do not always keep the comma that closes an appositive)
    def bare(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
        out = []
        for s, e in spans:
            while s < e and (doc[s].is_punct or doc[s].is_space):
                s += 1
            while e > s and (doc[e - 1].is_punct or doc[e - 1].is_space):
                e -= 1
            out.append((s, e))
        return out

    loose = [0, 0, 0]
    for p in P:
        hit = any(p[0] and g[0] and _overlapping(p[0][0], g[0][0]) and bare(p[1]) == bare(g[1]) for g in G)
        loose[0 if hit else 1] += 1
    for g in G:
        loose[2] += not any(p[0] and g[0] and _overlapping(p[0][0], g[0][0]) and bare(p[1]) == bare(g[1]) for p in P)
    counts.exact["source_bare"] = loose
    return {"exact": counts.exact, "overlap": counts.overlap, "predicted": len(P), "gold": len(G), "uncued": uncued}


def _prf(p_den: int, r_den: int, hits_p: int, hits_r: int) -> dict[str, float]:
    precision = hits_p / p_den if p_den else 0.0
    recall = hits_r / r_den if r_den else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def _metrics(counts: _Counts) -> dict[str, dict[str, dict[str, float]]]:
    out: dict[str, dict[str, dict[str, float]]] = {"exact": {}, "overlap": {}}
    for name in _FIELDS:
        tp, fp, fn = counts.exact[name]
        out["exact"][name] = _prf(tp + fp, tp + fn, tp, tp)
        shared, pred, gold = counts.overlap[name]
        out["overlap"][name] = _prf(pred, gold, shared, shared)
    if "source_bare" in counts.exact:
        tp, fp, fn = counts.exact["source_bare"]
        out["exact"]["source_bare"] = _prf(tp + fp, tp + fn, tp, tp)
    return out


def evaluate(path: str | Path, split: str = "dev", limit: int | None = None, nlp: Any = None) -> dict[str, Any]:
    """Score :func:`quotes` on a PolNeAR split.

    Args:
        path: The PolNeAR folder (``../shared/data/polnear``) or one split folder.
        split: ``train`` (tuning) or ``dev`` (reporting).
        limit: Score only the first ``limit`` articles (sorted by name).
        nlp: A loaded spaCy pipeline; :func:`storyline.nlp.load` when omitted.

    Returns:
        A dict with ``metrics`` (exact/overlap x cue/source/content x P/R/F1),
        raw ``counts``, ``documents``, ``predicted``, ``gold``, ``uncued``,
        ``skipped`` (unreadable articles), ``parse_seconds`` and ``quote_seconds``.
    """
    if nlp is None:
        from storyline.nlp import load

        nlp = load()
    pairs = article_files(path, split)
    if limit is not None:
        pairs = pairs[: max(0, limit)]
    texts: list[str] = []
    golds: list[list[GoldAttribution]] = []
    skipped = 0
    for txt, ann in pairs:
        try:
            with open(txt, encoding="utf-8", newline="") as handle:
                texts.append(handle.read())
            golds.append(read_brat(ann))
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            print(f"skipping {txt.name}: {exc}", file=sys.stderr)
            if len(texts) > len(golds):
                texts.pop()
            skipped += 1
    total = _Counts()
    n_pred = n_gold = n_uncued = 0
    parse_s = quote_s = 0.0
    t0 = time.perf_counter()
    for doc, gold in zip(nlp.pipe(texts, batch_size=16), golds):
        t1 = time.perf_counter()
        parse_s += t1 - t0
        predicted = list(quotes(doc))
        t0 = time.perf_counter()
        quote_s += t0 - t1
        result = score_document(doc, gold, predicted)
        total.add(_Counts(result["exact"], result["overlap"]))
        n_pred += result["predicted"]
        n_gold += result["gold"]
        n_uncued += result["uncued"]
        t0 = time.perf_counter()
    return {
        "split": split,
        "documents": len(texts),
        "skipped": skipped,
        "predicted": n_pred,
        "gold": n_gold,
        "uncued": n_uncued,
        "counts": {"exact": total.exact, "overlap": total.overlap},
        "metrics": _metrics(total),
        "parse_seconds": parse_s,
        "quote_seconds": quote_s,
    }


#: Citron on PARC 3.0 (github.com/bbc/citron, scripts/evaluate/README.md).
CITRON_PARC3 = {
    ("exact", "cue"): (0.9334, 0.7363, 0.8232),
    ("overlap", "cue"): (0.9646, 0.6386, 0.7684),
    ("exact", "source"): (0.9293, 0.7331, 0.8197),
    ("overlap", "source"): (0.9739, 0.7584, 0.8527),
    ("exact", "content"): (0.6726, 0.5305, 0.5932),
    ("overlap", "content"): (0.9322, 0.7528, 0.8329),
}


def format_report(result: dict[str, Any]) -> str:
    """Render :func:`evaluate`'s result as a plain-text table beside Citron's PARC 3.0 figures."""
    lines = [
        f"PolNeAR {result['split']}: {result['documents']} articles, "
        f"{result['gold']} gold attributions, {result['predicted']} predicted "
        f"(+{result['uncued']} without a cue, not scored), {result['skipped']} skipped",
        f"{'span':<8} {'match':<8} {'P':>6} {'R':>6} {'F1':>6}   Citron/PARC3 P R F1",
    ]
    for name in ("source", "content", "cue"):
        for mode in ("exact", "overlap"):
            m = result["metrics"][mode][name]
            ref = CITRON_PARC3[(mode, name)]
            lines.append(
                f"{name:<8} {mode:<8} {m['precision']:6.3f} {m['recall']:6.3f} {m['f1']:6.3f}"
                f"   {ref[0]:.3f} {ref[1]:.3f} {ref[2]:.3f}"
            )
    if "source_bare" in result["metrics"]["exact"]:
        m = result["metrics"]["exact"]["source_bare"]
        lines.append(
            f"{'source':<8} {'exact*':<8} {m['precision']:6.3f} {m['recall']:6.3f} {m['f1']:6.3f}"
            "   (* diagnostic: edge punctuation ignored; not Citron's count)"
        )
    docs = max(1, result["documents"])
    qs = result["quote_seconds"]
    lines.append(
        f"time: parse {result['parse_seconds']:.1f} s, quotes() {qs:.2f} s "
        f"({docs / qs if qs else float('inf'):.0f} docs/s)"
    )
    return "\n".join(lines)


def main(path: str, split: str = "dev", limit: int | None = None) -> int:
    """Evaluate on a PolNeAR split and print the report; the ``storyline eval quotes`` entry point.

    Args:
        path: The PolNeAR folder, e.g. ``../shared/data/polnear``.
        split: ``train`` or ``dev``.
        limit: Score only the first ``limit`` articles.

    Returns:
        0 on success, 1 when the split is missing or empty, 2 for a bad split name.
    """
    if split not in ("train", "dev"):
        print(f"Unknown split {split!r}; expected train or dev", file=sys.stderr)
        return 2
    try:
        result = evaluate(path, split=split, limit=limit)
    except FileNotFoundError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    if result["documents"] == 0:
        print(
            f"No PolNeAR articles found in {path} ({split}); expected text/*.txt with attributions/*.ann",
            file=sys.stderr,
        )
        return 1
    print(format_report(result))
    return 0

