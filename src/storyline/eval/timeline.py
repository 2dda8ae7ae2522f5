"""Score a merged timeline against a hand-written gold timeline (the demo gold).

The gold lists events as ``{"id", "date", "description", "mentions": [{"doc",
"sentence_contains"}], "status"}``, where ``doc`` is a corpus file name and
``sentence_contains`` a piece of the sentence that reports the event.

Figures:

* ``recall``: share of dated gold events found. A gold event is found when
  one entry carries its date at the gold's granularity (a gold "2022-07"
  accepts an entry dated "2022-07-14", not one dated "2022") and has a report
  in one of its mention documents whose sentence contains the mention text.
  Gold values are cut the way the timeline cuts them (a season "2019-FA"
  is its year; decades and undated events are not counted).
* ``merge_accuracy``: among gold events with two or more mentions, the share
  whose mentions all sit in one entry.
* ``wrong_merge_rate``: among entries that match a gold event, the share that
  match two or more different gold events (an over-merge). An entry matches
  a gold event when a report matches one of its mentions and the dates agree
  at the coarser of the two granularities. Gold events marked as part of
  another (``"part_of": "e1"``, or a note "part of e1") may share its entry.

Document names match with or without extension; JSONL lines
("02-wire.jsonl:1") must match exactly.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import PurePath


def _same_doc(a: str | None, b: str | None) -> bool:
    """Compare document names, with or without extension; JSONL lines ("f.jsonl:2") must match exactly."""
    a, b = PurePath(a or "").name, PurePath(b or "").name
    if a == b:
        return True
    if ":" in a or ":" in b:
        return False
    return PurePath(a).stem == PurePath(b).stem


def _gold_date(value: str | None) -> str | None:
    """Cut a gold TIMEX3 value the way the timeline cuts dates (seasons to their year)."""
    if not value:
        return None
    from storyline.extract.events import timeline_date

    cut = timeline_date(value)
    return cut[0] if cut else None


def _allowed_pairs(gold_events: list[dict]) -> set[frozenset]:
    """Gold pairs that may share an entry: ``part_of`` (or a note "part of eN")."""
    pairs = set()
    for g in gold_events:
        parent = g.get("part_of")
        if not parent:
            m = re.search(r"\bpart of (\w+)", g.get("note") or "")
            parent = m.group(1) if m else None
        if parent:
            pairs.add(frozenset((g.get("id"), parent)))
    return pairs


def _date_at(entry_date: str | None, gold_date: str) -> bool:
    """True when the entry's date, cut to the gold's granularity, equals the gold date."""
    return bool(entry_date) and len(entry_date) >= len(gold_date) and entry_date[: len(gold_date)] == gold_date


def _dates_agree(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return True
    n = min(len(a), len(b))
    return a[:n] == b[:n]


def _report_matches(report: dict, mention: dict, doc_name_of: Mapping[str, str]) -> bool:
    gold_doc = mention.get("doc")
    name = doc_name_of.get(report.get("doc"), report.get("doc"))
    if gold_doc and not _same_doc(name, gold_doc):
        return False
    needle = (mention.get("sentence_contains") or "").casefold()
    return bool(needle) and needle in (report.get("text") or "").casefold()


def _holds(entry: dict, mention: dict, doc_name_of) -> bool:
    return any(_report_matches(r, mention, doc_name_of) for r in entry.get("reports", ()))


def score_timeline(entries: list[dict], gold: dict, doc_name_of: Mapping[str, str]) -> dict:
    """Score timeline entries against a gold timeline.

    Args:
        entries: entries from :func:`storyline.resolve.timeline.merge_events`.
        gold: the gold dict with an ``events`` list (see the module docstring).
        doc_name_of: document id -> corpus file name, to match gold ``doc``.

    Returns:
        A dict with ``recall``, ``found``, ``dated_gold``, ``missed`` (gold ids),
        ``merge_accuracy``, ``multi_mention_gold``, ``merged_whole``,
        ``not_merged`` (gold ids), ``wrong_merge_rate``, ``entries_matched``,
        ``wrong_merges`` (entry ids with the gold ids they join), ``entries``.

    Raises:
        ValueError: when ``gold`` has no ``events`` list.

    Notes:
        Recall and merge figures in the style of event-coreference scoring
        reduced to what a reader checks: is the event there, is it one entry.
    """
    gold_events = gold.get("events") if isinstance(gold, dict) else None
    if not isinstance(gold_events, list):
        raise ValueError("gold has no 'events' list; expected {'events': [{'id', 'date', 'mentions': [...]}]}")
    dated = [g for g in gold_events if _gold_date(g.get("date"))]
    found, missed = [], []
    for g in dated:
        hit = any(
            _date_at(e.get("date"), _gold_date(g["date"])) and any(_holds(e, m, doc_name_of) for m in g.get("mentions", ()))
            for e in entries
        )
        (found if hit else missed).append(g.get("id"))
    multi = [g for g in gold_events if len(g.get("mentions", ())) >= 2]
    whole, split = [], []
    for g in multi:
        ok = any(all(_holds(e, m, doc_name_of) for m in g["mentions"]) for e in entries)
        (whole if ok else split).append(g.get("id"))
    allowed = _allowed_pairs(gold_events)
    matched = 0
    wrong = []
    for e in entries:
        hits = []
        for g in gold_events:
            if not _dates_agree(e.get("date"), _gold_date(g.get("date"))):
                continue
            if any(_holds(e, m, doc_name_of) for m in g.get("mentions", ())):
                hits.append(g.get("id"))
        if hits:
            matched += 1
        if len(hits) >= 2 and not all(
            frozenset((a, b)) in allowed for i, a in enumerate(hits) for b in hits[i + 1:]
        ):
            wrong.append({"entry": e.get("id"), "gold": hits})
    return {
        "entries": len(entries),
        "dated_gold": len(dated),
        "found": len(found),
        "recall": len(found) / len(dated) if dated else None,
        "missed": missed,
        "multi_mention_gold": len(multi),
        "merged_whole": len(whole),
        "merge_accuracy": len(whole) / len(multi) if multi else None,
        "not_merged": split,
        "entries_matched": matched,
        "wrong_merges": wrong,
        "wrong_merge_rate": len(wrong) / matched if matched else None,
    }
