"""Score an analysis of the bundled demo corpus against its hand-written gold file.

The gold (``storyline/demo/gold.json``) names documents by file name (JSONL
lines as ``file.jsonl:LINE``) and locates spans by exact substrings, so it
does not depend on offsets or ids.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any


def load_gold() -> dict[str, Any]:
    """Return the demo gold file."""
    from ..cli import demo_path

    return json.loads((demo_path() / "gold.json").read_text(encoding="utf-8"))


def doc_names(dossier: Mapping[str, Any]) -> dict[str, str]:
    """Return ``{document id: gold name}`` (file name, or ``file.jsonl:LINE``)."""
    return {d["id"]: Path(d.get("source") or d.get("path") or d["id"]).name for d in dossier["documents"]}


def _find(text: str, needle: str, context: str | None = None) -> tuple[int, int] | None:
    """Locate ``needle`` in ``text``, inside ``context`` when given."""
    if context and context in text:
        base = text.index(context)
        at = context.find(needle)
        if at >= 0:
            return base + at, base + at + len(needle)
    at = text.find(needle)
    return (at, at + len(needle)) if at >= 0 else None


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _ratio(num: int, den: int) -> float:
    return num / den if den else 0.0


def score_dates(dossier: Mapping[str, Any], gold: Mapping[str, Any]) -> dict[str, Any]:
    """Recall and value accuracy on real dates; durations typed right; decoys not taken for dates."""
    names = doc_names(dossier)
    texts = {names[d["id"]]: d["text"] for d in dossier["documents"]}
    found_by_doc: dict[str, list[dict[str, Any]]] = {}
    for d in dossier["dates"]:
        found_by_doc.setdefault(names[d["doc"]], []).append(d)
    real = found = value_ok = decoys = decoys_taken = durations = durations_ok = 0
    misses: list[str] = []
    for g in gold["dates"]:
        text = texts.get(g["doc"])
        if text is None:
            continue
        span = _find(text, g["text"], g.get("context"))
        if span is None:
            continue
        hits = [d for d in found_by_doc.get(g["doc"], []) if _overlaps((d["start"], d["end"]), span)]
        kind = g.get("kind", "date" if g.get("is_date") else "decoy")
        if kind == "date":
            real += 1
            date_hits = [d for d in hits if d.get("type") != "DURATION"]
            if date_hits:
                found += 1
                if any(d.get("value") == g.get("value") for d in date_hits):
                    value_ok += 1
                else:
                    misses.append(f"{g['doc']}: {g['text']!r} gold {g.get('value')} got {[d.get('value') for d in date_hits]}")
            else:
                misses.append(f"{g['doc']}: {g['text']!r} not found")
        elif kind == "decoy":
            decoys += 1
            if any(d.get("type") in ("DATE", "TIME") for d in hits):
                decoys_taken += 1
                misses.append(f"{g['doc']}: decoy {g['text']!r} taken as a date")
        elif kind == "duration":
            durations += 1
            if any(d.get("type") == "DURATION" for d in hits):
                durations_ok += 1
    return {
        "real_dates": real, "recall": _ratio(found, real), "value_accuracy": _ratio(value_ok, real),
        "value_accuracy_found": _ratio(value_ok, found), "decoys": decoys, "decoys_taken": decoys_taken,
        "durations": durations, "duration_recall": _ratio(durations_ok, durations), "errors": misses,
    }


def _entity_names(dossier: Mapping[str, Any]) -> dict[str, set[str]]:
    return {e["id"]: {e["name"], *e.get("aliases", [])} for e in dossier["entities"]}


def _same_entity(predicted_id: str | None, gold_name: str | None, names: Mapping[str, set[str]], gold_aliases: Mapping[str, set[str]]) -> bool:
    if gold_name is None:
        return predicted_id is None
    if predicted_id is None:
        return False
    wanted = gold_aliases.get(gold_name, {gold_name})
    return bool({n.casefold() for n in names.get(predicted_id, set())} & {n.casefold() for n in wanted})


def _gold_aliases(gold: Mapping[str, Any]) -> dict[str, set[str]]:
    return {e["name"]: {e["name"], *e.get("aliases", [])} for e in gold["entities"]}


def score_quotes(dossier: Mapping[str, Any], gold: Mapping[str, Any]) -> dict[str, Any]:
    """Attribution recall: gold quotes found (content overlaps) and found with the right speaker."""
    names = doc_names(dossier)
    texts = {names[d["id"]]: d["text"] for d in dossier["documents"]}
    by_doc: dict[str, list[dict[str, Any]]] = {}
    for q in dossier["quotes"]:
        by_doc.setdefault(names[q["doc"]], []).append(q)
    entity_names, gold_aliases = _entity_names(dossier), _gold_aliases(gold)
    total = found = speaker_ok = direct_total = direct_found = 0
    errors: list[str] = []
    for g in gold["quotes"]:
        text = texts.get(g["doc"])
        span = _find(text, g["text_contains"]) if text else None
        if span is None:
            continue
        total += 1
        direct_total += bool(g.get("direct"))
        hits = [q for q in by_doc.get(g["doc"], []) if _overlaps((q["start"], q["end"]), span)]
        if not hits:
            errors.append(f"{g['doc']}: missed {g['text_contains'][:50]!r} ({g.get('speaker')})")
            continue
        found += 1
        direct_found += bool(g.get("direct"))
        if any(_same_entity(q["speaker"], g.get("speaker"), entity_names, gold_aliases) for q in hits):
            speaker_ok += 1
        else:
            got = [q.get("speaker_name") or q.get("speaker_text") for q in hits]
            errors.append(f"{g['doc']}: {g['text_contains'][:40]!r} speaker {g.get('speaker')!r} got {got}")
    return {
        "gold": total, "found": _ratio(found, total), "attributed": _ratio(speaker_ok, total),
        "attributed_of_found": _ratio(speaker_ok, found), "direct_found": _ratio(direct_found, direct_total), "errors": errors,
    }


def score_rhetoric(dossier: Mapping[str, Any], gold: Mapping[str, Any]) -> dict[str, Any]:
    """Recall of gold technique spans (overlap), with the right technique, and with the right target."""
    names = doc_names(dossier)
    texts = {names[d["id"]]: d["text"] for d in dossier["documents"]}
    by_doc: dict[str, list[dict[str, Any]]] = {}
    for r in dossier["rhetoric"]:
        by_doc.setdefault(names[r["doc"]], []).append(r)
    entity_names, gold_aliases = _entity_names(dossier), _gold_aliases(gold)
    total = found = technique_ok = targeted = target_ok = 0
    for g in gold["rhetoric"]:
        text = texts.get(g["doc"])
        span = _find(text, g["text"]) if text else None
        if span is None:
            continue
        total += 1
        hits = [r for r in by_doc.get(g["doc"], []) if _overlaps((r["start"], r["end"]), span)]
        found += bool(hits)
        technique_ok += any(r["technique"] == g["technique"] for r in hits)
        if g.get("target"):
            targeted += 1
            target_ok += any(_same_entity(r.get("target"), g["target"], entity_names, gold_aliases) for r in hits)
    predicted = sum(len(v) for v in by_doc.values())
    return {
        "gold": total, "predicted": predicted, "span_recall": _ratio(found, total),
        "technique_recall": _ratio(technique_ok, total), "target_accuracy": _ratio(target_ok, targeted),
    }


def score_entities(dossier: Mapping[str, Any], gold: Mapping[str, Any]) -> dict[str, Any]:
    """Pairwise alias precision/recall and keep-apart merges (see :func:`storyline.resolve.aliases.pairwise_alias_scores`)."""
    from ..resolve.aliases import pairwise_alias_scores

    clusters = [[e["name"], *e.get("aliases", [])] for e in dossier["entities"]]
    return pairwise_alias_scores(clusters, gold)


def score_timeline(dossier: Mapping[str, Any], gold: Mapping[str, Any]) -> dict[str, Any]:
    """Recall of dated gold events and merge accuracy (see :mod:`storyline.eval.timeline`)."""
    from .timeline import score_timeline as score

    return score(dossier["events"], gold, doc_names(dossier))


def score_claims(dossier: Mapping[str, Any], gold: Mapping[str, Any]) -> dict[str, Any]:
    """Claim recall, cluster pairwise precision/recall, support and contradiction precision/recall, independence accuracy.

    A gold claim is found when an extracted claim of its document overlaps its
    text. Cluster pairs are counted over found gold claims of different
    documents. For each found gold claim, the gold support documents are the
    other documents of its cluster with the same stance, the gold
    contradicting documents those with the other stance; predicted lists are
    compared with them (a predicted document outside the gold cluster counts
    as wrong). Independence is scored on each gold supporting document the
    system also lists: it should be left out of ``independent_support``
    exactly when the gold ``dependence`` pairs it with the claim's document or
    with a document the system counted as independent.
    """
    clusters = (gold.get("claims") or {}).get("clusters") or []
    names = doc_names(dossier)
    ids = {v: k for k, v in names.items()}
    texts = {names[d["id"]]: d["text"] for d in dossier["documents"]}
    by_doc: dict[str, list[dict[str, Any]]] = {}
    for c in dossier.get("claims", []):
        by_doc.setdefault(names[c["doc"]], []).append(c)
    items = []  # (cluster id, stance, doc name, predicted claim or None)
    errors: list[str] = []
    for cluster in clusters:
        for g in cluster["claims"]:
            text = texts.get(g["doc"])
            span = _find(text, g["text"]) if text else None
            if span is None:
                continue
            hits = [c for c in by_doc.get(g["doc"], []) if _overlaps((c["start"], c["end"]), span)]
            hit = max(hits, key=lambda c: min(c["end"], span[1]) - max(c["start"], span[0])) if hits else None
            if hit is None:
                errors.append(f"{cluster['id']} {g['doc']}: claim not extracted {g['text'][:50]!r}")
            items.append((cluster["id"], g.get("stance", "support"), g["doc"], hit))
    found = [it for it in items if it[3] is not None]
    tp = fp = fn = 0
    for a in range(len(found)):
        for b in range(a + 1, len(found)):
            x, y = found[a], found[b]
            if x[2] == y[2]:
                continue
            same_gold = x[0] == y[0]
            same_pred = x[3].get("cluster") is not None and x[3].get("cluster") == y[3].get("cluster")
            tp += same_gold and same_pred
            fp += same_pred and not same_gold
            fn += same_gold and not same_pred
            if same_gold and not same_pred:
                errors.append(f"{x[0]}: {x[2]} and {y[2]} not clustered")
    support_tp = support_fp = support_fn = contra_tp = contra_fp = contra_fn = 0
    ind_total = ind_ok = 0
    dependent: dict[str, set[frozenset[str]]] = {}
    for cluster in clusters:
        dependent[cluster["id"]] = {frozenset(d["docs"]) for d in cluster.get("dependence", [])}
    for cid, stance, doc, hit in found:
        members = [it for it in items if it[0] == cid and it[2] != doc]
        gold_support = {it[2] for it in members if it[1] == stance}
        gold_contra = {it[2] for it in members if it[1] != stance} - gold_support
        pred_support = {names.get(d, d) for d in hit.get("support", [])}
        pred_contra = {names.get(d, d) for d in hit.get("contradict", [])}
        support_tp += len(pred_support & gold_support)
        support_fp += len(pred_support - gold_support)
        support_fn += len(gold_support - pred_support)
        contra_tp += len(pred_contra & gold_contra)
        contra_fp += len(pred_contra - gold_contra)
        contra_fn += len(gold_contra - pred_contra)
        kept = {names.get(d, d) for d in hit.get("independent_support", [])}
        for other in sorted(pred_support & gold_support):
            gold_dep = frozenset((doc, other)) in dependent[cid] or any(
                frozenset((k, other)) in dependent[cid] for k in kept if k != other
            )
            ind_total += 1
            ok = (other not in kept) == gold_dep
            ind_ok += ok
            if not ok:
                errors.append(f"{cid}: {other} for {doc} predicted {'independent' if other in kept else 'dependent'}")
    return {
        "gold_claims": len(items), "claim_recall": _ratio(len(found), len(items)),
        "predicted_claims": len(dossier.get("claims", [])),
        "cluster_precision": _ratio(tp, tp + fp), "cluster_recall": _ratio(tp, tp + fn),
        "support_precision": _ratio(support_tp, support_tp + support_fp), "support_recall": _ratio(support_tp, support_tp + support_fn),
        "contradict_precision": _ratio(contra_tp, contra_tp + contra_fp), "contradict_recall": _ratio(contra_tp, contra_tp + contra_fn),
        "independence_judged": ind_total, "independence_accuracy": _ratio(ind_ok, ind_total), "errors": errors,
    }


def score(dossier: Mapping[str, Any], gold: Mapping[str, Any] | None = None) -> dict[str, dict[str, Any]]:
    """Return every demo score for a dossier."""
    gold = gold or load_gold()
    return {
        "entities": score_entities(dossier, gold),
        "dates": score_dates(dossier, gold),
        "timeline": score_timeline(dossier, gold),
        "quotes": score_quotes(dossier, gold),
        "rhetoric": score_rhetoric(dossier, gold),
        "claims": score_claims(dossier, gold),
    }


def format_report(scores: Mapping[str, Mapping[str, Any]]) -> str:
    """Return the scores as aligned lines (lists of errors left out)."""
    lines = []
    for section, values in scores.items():
        parts = []
        for key, value in values.items():
            if isinstance(value, float):
                parts.append(f"{key} {value:.3f}")
            elif isinstance(value, int):
                parts.append(f"{key} {value}")
        lines.append(f"{section:10s} " + ", ".join(parts))
    return "\n".join(lines)


def main(out: str | None = None) -> int:
    """Analyse the demo corpus (or reuse ``out``) and print the scores."""
    from ..cli import demo_path
    from ..pipeline import JSON_NAME, analyze

    with tempfile.TemporaryDirectory(prefix="storyline-demo-") as tmp:
        folder = Path(out or tmp)
        analyze([str(demo_path())], folder, html=False)
        dossier = json.loads((folder / JSON_NAME).read_text(encoding="utf-8"))
    print(format_report(score(dossier)))
    return 0
