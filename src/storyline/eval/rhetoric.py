"""Score persuasion-technique detectors on Propaganda Techniques Corpus (PTC) data.

Reads the SemEval-2020 Task 11 layout (``articles/articleID.txt`` and
``labels/articleID.task2-TC.labels`` with ``id<TAB>Technique<TAB>start<TAB>end``)
and reports

* span identification (SI) precision, recall and F1 with the partial-overlap
  formula, technique-agnostic, and
* technique classification (TC) micro-F1 given the gold spans (every gold span
  gets exactly one label, so micro-F1 equals accuracy).

Figures are never computed on articles a detector was tuned on: the trainable
model is scored by K-fold cross-validation over articles (folds by a stable
hash of the article id), and the rule lexicons were written without looking at
fold 0, the fixed held-out fold on which the rules and the combined detector
are reported.

Notes:
    Da San Martino et al. 2019, "Fine-Grained Analysis of Propaganda in News
    Articles" (EMNLP), section 4, and Da San Martino et al. 2020, SemEval-2020
    Task 11: C(s, t, h) = |s ∩ t| / h; P = Σ C(s, t, |s|) / |S|;
    R = Σ C(s, t, |t|) / |T|. As in the official SI gold files, overlapping
    spans of one article are merged before scoring (for gold and prediction).
"""

from __future__ import annotations

import hashlib
import time
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

Span = tuple[int, int]

HOLDOUT_FOLD = 0
"""The fold never looked at while the rule lexicons were written."""


class PTCFormatError(ValueError):
    """A PTC folder or labels file does not have the expected layout."""


@dataclass(frozen=True)
class PTCArticle:
    """One PTC article: its id, its text as read with ``newline='\\n'``, and gold spans.

    ``spans`` holds ``(technique, start, end)`` character offsets into ``text``.
    """

    id: str
    text: str
    spans: tuple[tuple[str, int, int], ...] = field(default=())


def read_ptc(path: str | Path, limit: int | None = None) -> list[PTCArticle]:
    """Read a PTC folder (``articles/`` and ``labels/``) into articles with gold spans.

    Args:
        path: the folder holding ``articles/`` and ``labels/``.
        limit: read only the first ``limit`` articles (sorted by id); ``None`` reads all.

    Returns:
        The articles sorted by id. An article without a labels file has no spans.

    Raises:
        PTCFormatError: when the folder or a labels line does not match the format.
    """
    root = Path(path)
    articles_dir = root / "articles"
    labels_dir = root / "labels"
    if not articles_dir.is_dir():
        raise PTCFormatError(
            f"No 'articles' folder in {root}: expected the PTC layout "
            "articles/articleID.txt and labels/articleID.task2-TC.labels. "
            "Pass the folder that contains both (e.g. ../shared/data/ptc)."
        )
    files = sorted(articles_dir.glob("article*.txt"))
    if limit is not None:
        files = files[:limit]
    out = []
    for file in files:
        article_id = file.stem[len("article"):]
        # PTC offsets count characters as read with '\n' newlines, untranslated.
        with open(file, encoding="utf-8", newline="\n") as fh:
            text = fh.read()
        spans: list[tuple[str, int, int]] = []
        label_file = labels_dir / f"article{article_id}.task2-TC.labels"
        if label_file.exists():
            with open(label_file, encoding="utf-8") as fh:
                for lineno, line in enumerate(fh, 1):
                    line = line.rstrip("\n")
                    if not line.strip():
                        continue
                    parts = line.split("\t")
                    if len(parts) != 4:
                        raise PTCFormatError(
                            f"{label_file}:{lineno}: expected 4 tab-separated fields "
                            f"'id, Technique, start, end', got {len(parts)}: {line!r}"
                        )
                    _, technique, start, end = parts
                    s, e = int(start), int(end)
                    if not 0 <= s < e <= len(text):
                        raise PTCFormatError(
                            f"{label_file}:{lineno}: span {s}-{e} is outside the article "
                            f"(length {len(text)}); was the text re-encoded or its newlines changed?"
                        )
                    spans.append((technique, s, e))
        out.append(PTCArticle(article_id, text, tuple(sorted(spans, key=lambda x: (x[1], x[2], x[0])))))
    if not out:
        raise PTCFormatError(f"No article*.txt files in {articles_dir}.")
    return out


def fold_of(article_id: str, folds: int = 5) -> int:
    """Return the cross-validation fold of an article: a stable hash of its id modulo ``folds``."""
    digest = hashlib.sha1(article_id.encode("utf-8")).hexdigest()
    return int(digest[:8], 16) % folds


def merge_spans(spans: Iterable[Span]) -> list[Span]:
    """Merge overlapping or touching character spans into disjoint sorted spans."""
    merged: list[list[int]] = []
    for s, e in sorted(spans):
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    return [(s, e) for s, e in merged]


def span_scores(
    predicted: Mapping[str, Sequence[Span]], gold: Mapping[str, Sequence[Span]]
) -> dict[str, float]:
    """Score span identification with the SemEval-2020 Task 11 partial-overlap formula.

    Args:
        predicted: article id -> predicted ``(start, end)`` spans.
        gold: article id -> gold ``(start, end)`` spans.

    Returns:
        ``precision``, ``recall``, ``f1``, and the span counts ``n_pred``, ``n_gold``
        (after merging overlaps within each article).

    Notes:
        Da San Martino et al. 2019/2020: P = 1/|S| Σ_s Σ_t |s∩t|/|s|,
        R = 1/|T| Σ_t Σ_s |s∩t|/|t|, F1 their harmonic mean.
    """
    p_sum = r_sum = 0.0
    n_pred = n_gold = 0
    for doc in set(predicted) | set(gold):
        pred = merge_spans(predicted.get(doc, ()))
        gold_spans = merge_spans(gold.get(doc, ()))
        n_pred += len(pred)
        n_gold += len(gold_spans)
        for s0, s1 in pred:
            for t0, t1 in gold_spans:
                inter = min(s1, t1) - max(s0, t0)
                if inter > 0:
                    p_sum += inter / (s1 - s0)
                    r_sum += inter / (t1 - t0)
    precision = p_sum / n_pred if n_pred else 0.0
    recall = r_sum / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "n_pred": n_pred, "n_gold": n_gold}


def technique_scores(predicted: Sequence[str], gold: Sequence[str]) -> dict[str, Any]:
    """Score technique classification given gold spans: micro-F1 and per-technique F1.

    Each gold span gets exactly one predicted label, so micro precision, recall
    and F1 all equal accuracy.

    Args:
        predicted: one technique per gold span.
        gold: the gold technique of each span, in the same order.

    Returns:
        ``micro_f1``, ``n`` and ``per_technique`` (technique -> {precision, recall, f1, support}).
    """
    if len(predicted) != len(gold):
        raise ValueError(f"{len(predicted)} predictions for {len(gold)} gold spans; expected one each.")
    correct = sum(p == g for p, g in zip(predicted, gold))
    per: dict[str, dict[str, float]] = {}
    tp = Counter(g for p, g in zip(predicted, gold) if p == g)
    n_pred, n_gold = Counter(predicted), Counter(gold)
    for tech in sorted(set(n_gold) | set(n_pred)):
        p = tp[tech] / n_pred[tech] if n_pred[tech] else 0.0
        r = tp[tech] / n_gold[tech] if n_gold[tech] else 0.0
        per[tech] = {
            "precision": p,
            "recall": r,
            "f1": 2 * p * r / (p + r) if p + r else 0.0,
            "support": n_gold[tech],
        }
    return {"micro_f1": correct / len(gold) if gold else 0.0, "n": len(gold), "per_technique": per}


def _parse(articles: Sequence[PTCArticle], nlp: Any = None) -> list[Any]:
    if nlp is None:
        from storyline.nlp import load

        nlp = load()
    return list(nlp.pipe((a.text for a in articles), batch_size=16))


def _score_split(detector: Any, articles: Sequence[PTCArticle], docs: Sequence[Any]) -> dict[str, Any]:
    """Run ``detector`` on parsed articles; return SI and TC scores, words and detector seconds."""
    predicted: dict[str, list[Span]] = {}
    gold: dict[str, list[Span]] = {}
    tc_pred: list[str] = []
    tc_gold: list[str] = []
    seconds = 0.0
    words = 0
    for article, doc in zip(articles, docs):
        t0 = time.perf_counter()
        predicted[article.id] = [(r.start, r.end) for r in detector.detect(doc, article.id)]
        seconds += time.perf_counter() - t0
        words += sum(1 for t in doc if not (t.is_punct or t.is_space))
        gold[article.id] = [(s, e) for _, s, e in article.spans]
        if article.spans:
            labels = detector.classify(doc, [(s, e) for _, s, e in article.spans])
            tc_pred.extend(tech for tech, _ in labels)
            tc_gold.extend(tech for tech, _, _ in article.spans)
    return {
        "si": span_scores(predicted, gold),
        "tc": technique_scores(tc_pred, tc_gold),
        "words": words,
        "seconds": seconds,
        "articles": len(articles),
        "_raw": (predicted, gold, tc_pred, tc_gold),
    }


def evaluate(
    path: str | Path,
    detector: str = "storyline.rhetoric.default.v1",
    folds: int = 5,
    limit: int | None = None,
    nlp: Any = None,
    nested: bool = True,
) -> dict[str, Any]:
    """Evaluate a registered rhetoric detector on PTC data, never on articles it was tuned on.

    * ``storyline.rhetoric.rules.v1`` has nothing to train: it is scored on the
      held-out fold 0 only (its lexicons were written without reading it).
    * ``storyline.rhetoric.model.v1`` is retrained on the other folds for each
      of ``folds`` folds and scored on the left-out one; the pooled figures
      over all articles are the cross-validated ones (``cv``).
    * ``storyline.rhetoric.default.v1`` (model + rules) is scored the same
      way; its fold-0 figure (``holdout``) is the clean one, since the rule
      lexicons were written while reading folds 1..K-1.

    Every choice is made inside the training folds: each model's decoding
    thresholds, confidence calibration and admitted rules come from nested
    cross-validation over its own training folds (``nested=True``).

    Args:
        path: PTC folder holding ``articles/`` and ``labels/``.
        detector: registered detector name.
        folds: number of cross-validation folds (>= 2).
        limit: read only the first ``limit`` articles (for quick checks).
        nlp: a loaded spaCy pipeline; ``storyline.nlp.load()`` when ``None``.
        nested: choose decoding settings by nested CV inside the training folds
            (``False``: fixed defaults, faster).

    Returns:
        A dict with ``detector``, ``folds``, ``articles``, ``holdout`` (SI/TC on
        fold 0), ``cv`` (pooled over folds; model and default), ``per_fold`` and
        ``words_per_second`` (detector alone, on parsed docs).
    """
    from storyline.extract.rhetoric import detectors, get_detector
    from storyline.extract.rhetoric.model import ModelDetector, TrainingCache, train_model
    from storyline.extract.rhetoric.rules import RuleDetector
    from storyline.extract.rhetoric.combined import CombinedDetector

    if folds < 2:
        raise ValueError(f"folds={folds}: cross-validation needs at least 2 folds.")
    if detector not in detectors():
        get_detector(detector)  # raises the helpful error listing the names
    articles = read_ptc(path, limit=limit)
    docs = _parse(articles, nlp)
    fold_ids = [fold_of(a.id, folds) for a in articles]
    result: dict[str, Any] = {"detector": detector, "folds": folds, "articles": len(articles)}

    def split(k: int) -> tuple[list[int], list[int]]:
        test = [i for i, f in enumerate(fold_ids) if f == k]
        train = [i for i, f in enumerate(fold_ids) if f != k]
        return train, test

    cache = TrainingCache()

    def model_for(train_idx: list[int]) -> ModelDetector:
        # thresholds, calibration and rule selection: nested CV over the training folds only
        weights = train_model(
            [docs[i] for i in train_idx], [articles[i].spans for i in train_idx],
            groups=[fold_ids[i] for i in train_idx] if nested else None,
            keys=[articles[i].id for i in train_idx], cache=cache,
        )
        return ModelDetector(weights)

    train0, test0 = split(HOLDOUT_FOLD)
    if detector == "storyline.rhetoric.rules.v1":
        det: Any = RuleDetector()
        result["holdout"] = _score_split(det, [articles[i] for i in test0], [docs[i] for i in test0])
        result["holdout"].pop("_raw")
    else:
        per_fold = []
        predicted: dict[str, list[Span]] = {}
        gold: dict[str, list[Span]] = {}
        tc_pred: list[str] = []
        tc_gold: list[str] = []
        words = 0
        seconds = 0.0
        for k in range(folds):
            train_idx, test_idx = split(k)
            det = model_for(train_idx)
            if detector == "storyline.rhetoric.default.v1":
                det = CombinedDetector(RuleDetector(), det)
            split_articles = [articles[i] for i in test_idx]
            split_docs = [docs[i] for i in test_idx]
            scored = _score_split(det, split_articles, split_docs)
            w = getattr(det, "model", det).weights
            per_fold.append({"fold": k, "si": scored["si"], "tc_micro_f1": scored["tc"]["micro_f1"],
                             "decoding": {"threshold": w.threshold, "low": w.low, "trim": w.trim,
                                          "min_score": w.min_score,
                                          "rules_kept": len(w.rules_kept) if w.rules_kept is not None else None}})
            if k == HOLDOUT_FOLD:
                result["holdout"] = scored
            words += scored["words"]
            seconds += scored["seconds"]
            raw_pred, raw_gold, raw_tc_pred, raw_tc_gold = scored.pop("_raw")
            predicted.update(raw_pred)
            gold.update(raw_gold)
            tc_pred.extend(raw_tc_pred)
            tc_gold.extend(raw_tc_gold)
        result["cv"] = {
            "si": span_scores(predicted, gold),
            "tc": technique_scores(tc_pred, tc_gold),
            "words": words,
            "seconds": seconds,
        }
        result["per_fold"] = per_fold
    timing = result.get("cv") or result["holdout"]
    result["words_per_second"] = timing["words"] / timing["seconds"] if timing["seconds"] else float("inf")
    return result


def format_report(result: Mapping[str, Any]) -> str:
    """Render an :func:`evaluate` result as a short plain-text report."""
    lines = [f"rhetoric eval: {result['detector']} on {result['articles']} PTC articles, {result['folds']} folds"]

    def block(title: str, scored: Mapping[str, Any]) -> None:
        si, tc = scored["si"], scored["tc"]
        lines.append(
            f"{title}: SI P {si['precision']:.3f} R {si['recall']:.3f} F1 {si['f1']:.3f} "
            f"({si['n_pred']} predicted / {si['n_gold']} gold spans); "
            f"TC micro-F1 {tc['micro_f1']:.3f} on {tc['n']} gold spans"
        )

    if "cv" in result:
        block("cross-validated (all articles)", result["cv"])
        for f in result.get("per_fold", []):
            si = f["si"]
            lines.append(
                f"  fold {f['fold']}: SI P {si['precision']:.3f} R {si['recall']:.3f} "
                f"F1 {si['f1']:.3f}; TC {f['tc_micro_f1']:.3f}"
            )
            dec = f.get("decoding")
            if dec:
                lines.append(
                    f"    chosen on training folds: threshold {dec['threshold']} low {dec['low']} "
                    f"trim {dec['trim']} min_score {dec['min_score']} rules admitted {dec['rules_kept']}"
                )
    if "holdout" in result:
        block(f"held-out fold {HOLDOUT_FOLD} ({result['holdout']['articles']} articles)", result["holdout"])
        per = result["holdout"]["tc"]["per_technique"]
        for tech, s in sorted(per.items(), key=lambda kv: -kv[1]["support"]):
            lines.append(f"  {tech:<40} F1 {s['f1']:.3f}  support {s['support']}")
    lines.append(f"detector speed: {result['words_per_second']:,.0f} words/s (parsed docs, detector only)")
    return "\n".join(lines)


def main(path: str, detector: str = "storyline.rhetoric.default.v1", folds: int = 5) -> int:
    """Print the rhetoric evaluation report for ``path``; return 0.

    Args:
        path: PTC folder holding ``articles/`` and ``labels/``.
        detector: registered detector name.
        folds: number of cross-validation folds.
    """
    print(format_report(evaluate(path, detector=detector, folds=folds)))
    return 0
