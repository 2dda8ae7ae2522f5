"""TempEval-3 scorer for the temporal-expression normalizer.

Reads TimeML ``.tml`` files (TimeBank / AQUAINT / TempEval-3 format), strips
the tags of the ``<TEXT>`` section to get the raw text with the gold TIMEX3
spans as character offsets, runs :func:`storyline.extract.dates.find_dates`
with the document creation time (``<DCT>``) as the publication date, and
scores the output the way the official TempEval-3 toolkit does.

Notes:
    UzZaman et al. 2013, "SemEval-2013 Task 1: TempEval-3", and the toolkit's
    ``evaluate_entities.py``: a system TIMEX3 and a gold TIMEX3 match
    *relaxed* when their extents overlap (one-to-one alignment) and *strict*
    when the extents are identical; the DCT TIMEX (``t0``) is not scored;
    attribute F1 = relaxed F1 x (matching attribute / relaxed matches), with
    the attribute accuracy counted over the gold-side relaxed matches.
"""

from __future__ import annotations

import difflib
import hashlib
import html
import re
import sys
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from collections.abc import Iterator
from typing import Any

from storyline.extract.dates import find_dates

__all__ = [
    "GoldTimex",
    "TimeMLDocument",
    "read_tml",
    "read_system_tml",
    "tml_files",
    "split_files",
    "timeml_view",
    "evaluate",
    "compare",
    "format_report",
    "format_comparison",
    "main",
]

_TAG = re.compile(r"<(/?)([A-Za-z0-9_]+)([^>]*?)(/?)>")
_ATTR = re.compile(r'([A-Za-z_]+)="([^"]*)"')
_TEXT_SECTION = re.compile(r"<TEXT>(.*?)</TEXT>", re.S)
_DCT = re.compile(r"<DCT>\s*<TIMEX3([^>]*)>", re.S)

#: Default seed for the dev / held-out split (any string; part of the hash).
SPLIT_SEED = "storyline-timex-v1"


@dataclass(frozen=True)
class GoldTimex:
    """A gold TIMEX3 with character offsets into the raw text."""

    start: int
    end: int
    text: str
    type: str
    value: str
    tid: str = ""


@dataclass
class TimeMLDocument:
    """A TimeML document reduced to raw text, its DCT and its gold TIMEX3s."""

    name: str
    text: str
    dct: str | None
    timexes: list[GoldTimex] = field(default_factory=list)


def read_tml(path: str | Path) -> TimeMLDocument:
    """Read one TimeML file into raw text plus gold TIMEX3 offsets.

    Args:
        path: A ``.tml`` file.

    Returns:
        The document; ``text`` is the ``<TEXT>`` section with every tag
        removed and XML entities decoded, so ``text[t.start:t.end] == t.text``.

    Raises:
        ValueError: The file has no ``<TEXT>`` section.
    """
    path = Path(path)
    raw = path.read_text(encoding="utf-8")
    section = _TEXT_SECTION.search(raw)
    if section is None:
        raise ValueError(f"{path}: no <TEXT>...</TEXT> section; expected a TimeML .tml file")
    dct = None
    m = _DCT.search(raw)
    if m:
        attrs = dict(_ATTR.findall(m.group(1)))
        value = attrs.get("value", "")
        dct = value[:10] if re.match(r"\d{4}-\d\d-\d\d", value) else None
    text, timexes = _strip_tags(section.group(1))
    return TimeMLDocument(path.name, text, dct, timexes)


def _strip_tags(body: str) -> tuple[str, list[GoldTimex]]:
    """The text of a TimeML fragment without its tags, and its TIMEX3s (the DCT's excepted)."""
    out: list[str] = []
    length = 0
    open_timex: tuple[int, dict[str, str]] | None = None
    timexes: list[GoldTimex] = []
    pos = 0
    for tag in _TAG.finditer(body):
        chunk = html.unescape(body[pos : tag.start()])
        out.append(chunk)
        length += len(chunk)
        pos = tag.end()
        closing, name, attr_text, selfclosing = tag.groups()
        if name != "TIMEX3" or selfclosing:
            continue
        if not closing:
            open_timex = (length, dict(_ATTR.findall(attr_text)))
        elif open_timex is not None:
            start, attrs = open_timex
            open_timex = None
            if attrs.get("functionInDocument") == "CREATION_TIME" or attrs.get("tid") == "t0":
                continue
            text = "".join(out)[start:length]
            if not text.strip():
                continue
            timexes.append(
                GoldTimex(start, length, text, attrs.get("type", ""), attrs.get("value", ""), attrs.get("tid", ""))
            )
    out.append(html.unescape(body[pos:]))
    return "".join(out), timexes


_TIMEML_ROOT = re.compile(r"<TimeML[^>]*>(.*)</TimeML>", re.S)


def read_system_tml(path: str | Path, text: str) -> list[GoldTimex]:
    """Another tagger's TIMEX3s for a text, from the TimeML file it wrote.

    Args:
        path: The tagger's output for one document: a ``.tml`` file with a
            ``<TEXT>`` section, or a bare ``<TimeML>`` document such as
            HeidelTime's standalone output.
        text: The raw text the tagger was given (:attr:`TimeMLDocument.text`).

    Returns:
        Its TIMEX3s with offsets into ``text``. Where the tagger changed the
        text (white space, escaping), offsets are carried over by aligning the
        two texts character by character; a TIMEX3 on text that is not in
        ``text`` is dropped.
    """
    raw = Path(path).read_text(encoding="utf-8")
    section = _TEXT_SECTION.search(raw) or _TIMEML_ROOT.search(raw)
    own, timexes = _strip_tags(section.group(1) if section else raw)
    if own == text:
        return timexes
    lead = len(own) - len(own.lstrip("\n"))
    if own[lead:].rstrip() == text.rstrip():
        return [replace(t, start=t.start - lead, end=t.end - lead) for t in timexes if t.start >= lead]
    where = _char_map(own, text)
    out = []
    for t in timexes:
        start, end = where[t.start], where[t.end - 1]
        if start is not None and end is not None and end >= start:
            out.append(replace(t, start=start, end=end + 1, text=text[start:end + 1]))
    return out


def _char_map(a: str, b: str) -> list[int | None]:
    """For each character of ``a``, its offset in ``b`` where the two texts agree (else None)."""
    where: list[int | None] = [None] * (len(a) + 1)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for i, j, n in matcher.get_matching_blocks():
        for k in range(n):
            where[i + k] = j + k
    return where


def tml_files(path: str | Path) -> list[Path]:
    """The ``.tml`` files at ``path`` (a file, or a folder searched recursively), sorted.

    Raises:
        FileNotFoundError: ``path`` does not exist or holds no ``.tml`` file.
    """
    root = Path(path)
    if root.is_file():
        return [root]
    if not root.is_dir():
        raise FileNotFoundError(f"{root}: no such file or folder; expected a .tml file or a folder of them")
    files = sorted(root.rglob("*.tml"))
    if not files:
        raise FileNotFoundError(f"{root}: no .tml files found under it; expected TimeML files (TimeBank format)")
    return files


def split_files(
    path: str | Path, held_out_fraction: float = 0.2, seed: str = SPLIT_SEED
) -> tuple[list[Path], list[Path]]:
    """Split the ``.tml`` files under ``path`` into dev and held-out parts.

    The split depends only on each file name and ``seed`` (SHA-256), so it is
    stable across machines, file orderings and added files.

    Args:
        path: A folder of ``.tml`` files (searched recursively) or one file.
        held_out_fraction: Share of files kept out of tuning, in [0, 1].
        seed: Any string; changing it draws a different split.

    Returns:
        ``(dev, held_out)`` lists of paths, each sorted.
    """
    if not 0.0 <= held_out_fraction <= 1.0:
        raise ValueError(f"held_out_fraction={held_out_fraction!r}; expected a number between 0 and 1")
    dev: list[Path] = []
    held: list[Path] = []
    for f in tml_files(path):
        digest = hashlib.sha256(f"{seed}:{f.name}".encode()).hexdigest()
        (held if int(digest[:8], 16) / 0x100000000 < held_out_fraction else dev).append(f)
    return dev, held


def _align(gold: list[GoldTimex], system: list[Any]) -> list[tuple[int, int]]:
    """Pair gold and system spans one-to-one: exact spans first, then largest overlap."""
    pairs: list[tuple[int, int]] = []
    used_g: set[int] = set()
    used_s: set[int] = set()
    exact = {(g.start, g.end): i for i, g in enumerate(gold)}
    for j, s in enumerate(system):
        i = exact.get((s.start, s.end))
        if i is not None and i not in used_g:
            pairs.append((i, j))
            used_g.add(i)
            used_s.add(j)
    cands = []
    for i, g in enumerate(gold):
        if i in used_g:
            continue
        for j, s in enumerate(system):
            if j in used_s:
                continue
            ov = min(g.end, s.end) - max(g.start, s.start)
            if ov > 0:
                cands.append((-ov, i, j))
    for _, i, j in sorted(cands):
        if i not in used_g and j not in used_s:
            pairs.append((i, j))
            used_g.add(i)
            used_s.add(j)
    return pairs


@dataclass(frozen=True)
class _Timex:
    """A system expression as TimeML tags it: one TIMEX3 per written date."""

    start: int
    end: int
    text: str
    type: str
    value: str | None


# "between 1994 and 1997", "from Aug. 26 to Oct. 20", "April 24 and 25": two written dates
_RANGE_LINK = re.compile(r"\s+(?:and|to|through|thru|until|till)\s+(?=\S)")


def timeml_view(exprs: list[Any]) -> list[_Timex]:
    """Split ranges the way TimeML tags them: each written date is its own TIMEX3.

    Args:
        exprs: :class:`~storyline.records.DateExpr` records of one text.

    Returns:
        One TIMEX3 per expression, and two for a range whose ends are joined
        by a word ("1994 and 1997": ``1994`` and ``1997``), the second valued
        with the range's ``end_value``. A hyphenated range ("July 23-24")
        stays one TIMEX3, as TimeBank tags it.
    """
    out: list[_Timex] = []
    for e in exprs:
        link = _RANGE_LINK.search(e.text) if e.end_value else None
        if link is None:
            out.append(_Timex(e.start, e.end, e.text, e.type, e.value))
            continue
        first = e.text[:link.start()].rstrip(" ,")
        out.append(_Timex(e.start, e.start + len(first), first, e.type, e.value))
        out.append(_Timex(e.start + link.end(), e.end, e.text[link.end():], e.type, e.end_value))
    return out


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def _documents(paths: list[Path], parse: bool) -> Iterator[tuple[TimeMLDocument, Any]]:
    """Each TimeML document with its spaCy parse (None when ``parse`` is off), parsed in batches."""
    if not parse:
        for f in paths:
            yield read_tml(f), None
        return
    from storyline.nlp import load

    nlp = load()
    for start in range(0, len(paths), _PARSE_BATCH):
        docs = [read_tml(f) for f in paths[start:start + _PARSE_BATCH]]
        yield from zip(docs, nlp.pipe((d.text for d in docs), batch_size=_PARSE_BATCH))


#: Documents parsed per ``nlp.pipe`` call while scoring.
_PARSE_BATCH = 16


def evaluate(path: str | Path, *, files: list[Path] | None = None, keep_errors: bool = False,
             parse: bool = True, system_dir: str | Path | None = None) -> dict:
    """Run the normalizer on TimeML files and score it as TempEval-3 does.

    Args:
        path: A ``.tml`` file or a folder of them.
        files: Score only these files (e.g. one side of :func:`split_files`);
            default every ``.tml`` file under ``path``.
        keep_errors: Also return the per-expression mistakes under ``errors``.
        parse: Give the normalizer the spaCy parse of each text, as the
            pipeline does (the tense of a weekday's clause is then read from
            it); off, only the cue words are read, and no model is loaded.
        system_dir: Score another tagger instead of storyline: a folder with
            its TimeML output for each gold file, under the gold file's name
            (see :func:`read_system_tml`). A missing file counts as no output.

    Returns:
        A dict with ``files``, ``gold``, ``system``, counts, and the figures
        ``strict`` / ``relaxed`` (each ``{"p", "r", "f1"}``), ``value_accuracy``,
        ``type_accuracy``, ``value_f1``, ``type_f1`` (fractions in [0, 1]).
    """
    paths = list(files) if files is not None else tml_files(path)
    errors: list[dict] | None = [] if keep_errors else None
    total = _Counts()
    for doc, system in _systems(paths, parse, system_dir):
        total += _score_document(doc, system, errors)
    result = {"files": len(paths), **_figures(total)}
    if errors is not None:
        result["errors"] = errors
    return result


@dataclass
class _Counts:
    """What one document (or a sum of documents) contributes to the TempEval-3 figures."""

    gold: int = 0
    system: int = 0
    strict: int = 0
    relaxed: int = 0
    value: int = 0
    type: int = 0

    def __iadd__(self, other: _Counts) -> _Counts:
        for name in _COUNT_FIELDS:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        return self


_COUNT_FIELDS = tuple(f.name for f in fields(_Counts))


def _systems(paths: list[Path], parse: bool, system_dir: str | Path | None) -> Iterator[tuple[TimeMLDocument, list]]:
    """Each gold document with the TIMEX3 of the system scored: storyline's, or a tagger's output in ``system_dir``."""
    for doc, parsed in _documents(paths, parse and system_dir is None):
        yield doc, _system_output(doc, parsed, system_dir)


def _system_output(doc: TimeMLDocument, parsed: Any, system_dir: str | Path | None) -> list:
    """One document's TIMEX3: a tagger's output in ``system_dir`` (none when its file is missing), or
    storyline's."""
    if system_dir is not None:
        out = Path(system_dir) / doc.name
        return read_system_tml(out, doc.text) if out.is_file() else []
    return timeml_view(find_dates(doc.text, doc=doc.name, published=doc.dct, include_present_ref=True,
                                  parse=parsed))


def _score_document(doc: TimeMLDocument, system: list, errors: list[dict] | None = None) -> _Counts:
    """Align one document's system TIMEX3 with its gold ones and count; mistakes go to ``errors`` when given."""
    counts = _Counts(gold=len(doc.timexes), system=len(system))
    pairs = _align(doc.timexes, system)
    for i, j in pairs:
        g, s = doc.timexes[i], system[j]
        counts.relaxed += 1
        counts.strict += (g.start, g.end) == (s.start, s.end)
        counts.value += (s.value or "") == g.value
        counts.type += s.type == g.type
        if errors is not None and ((s.value or "") != g.value or (g.start, g.end) != (s.start, s.end)):
            errors.append({"file": doc.name, "kind": "value" if (s.value or "") != g.value else "span",
                           "gold": (g.text, g.type, g.value), "system": (s.text, s.type, s.value),
                           "context": _context(doc.text, g)})
    if errors is not None:
        matched_g = {i for i, _ in pairs}
        matched_s = {j for _, j in pairs}
        errors.extend({"file": doc.name, "kind": "missed", "gold": (g.text, g.type, g.value),
                       "context": _context(doc.text, g)}
                      for i, g in enumerate(doc.timexes) if i not in matched_g)
        errors.extend({"file": doc.name, "kind": "spurious", "system": (s.text, s.type, s.value),
                       "context": _context(doc.text, s)}
                      for j, s in enumerate(system) if j not in matched_s)
    return counts


def _context(text: str, t: Any) -> str:
    return text[max(0, t.start - 60): t.end + 40].replace("\n", " ")


def _figures(c: _Counts) -> dict:
    """The TempEval-3 figures from summed counts."""
    sp = c.strict / c.system if c.system else 0.0
    sr = c.strict / c.gold if c.gold else 0.0
    rp = c.relaxed / c.system if c.system else 0.0
    rr = c.relaxed / c.gold if c.gold else 0.0
    rf = _f1(rp, rr)
    value_acc = c.value / c.relaxed if c.relaxed else 0.0
    type_acc = c.type / c.relaxed if c.relaxed else 0.0
    return {
        "gold": c.gold,
        "system": c.system,
        "strict_matches": c.strict,
        "relaxed_matches": c.relaxed,
        "value_matches": c.value,
        "type_matches": c.type,
        "strict": {"p": sp, "r": sr, "f1": _f1(sp, sr)},
        "relaxed": {"p": rp, "r": rr, "f1": rf},
        "value_accuracy": value_acc,
        "type_accuracy": type_acc,
        "value_f1": rf * value_acc,
        "type_f1": rf * type_acc,
    }


#: The figures :func:`compare` tests, as (name, key in an :func:`evaluate` result).
COMPARED = (("strict F1", ("strict", "f1")), ("relaxed F1", ("relaxed", "f1")), ("value F1", ("value_f1",)))


def _pick(figures: dict, key: tuple[str, ...]) -> float:
    for k in key:
        figures = figures[k]
    return figures  # type: ignore[return-value]


def compare(path: str | Path, against_dir: str | Path, *, files: list[Path] | None = None, parse: bool = True,
            system_dir: str | Path | None = None, resamples: int = 10_000, seed: int = 0) -> dict:
    """Score two systems on the same files and test their difference with a paired bootstrap over documents.

    System A is storyline (or the tagger whose output is in ``system_dir``);
    system B is the tagger whose TimeML output is in ``against_dir``. The
    documents are drawn with replacement ``resamples`` times; each draw sums
    both systems' counts over the same documents and recomputes the figures,
    so the interval carries the variation between documents, which a score
    on a few hundred TIMEX3 mostly is.

    Args:
        path: A ``.tml`` file or a folder of them.
        against_dir: Folder with system B's TimeML output, one file per gold file.
        files: Score only these files; default every ``.tml`` file under ``path``.
        parse: Parse each text with spaCy first when A is storyline.
        system_dir: System A's output folder instead of storyline.
        resamples: Bootstrap draws.
        seed: Seed of the draws, so a run can be repeated exactly.

    Returns:
        A dict with ``a`` and ``b`` (each an :func:`evaluate` result) and
        ``differences``: for each figure of :data:`COMPARED`, ``{"figure",
        "difference", "low", "high", "a_better"}``: A minus B on all files, the
        2.5th and 97.5th percentiles of the bootstrapped difference, and the
        share of draws in which A scored higher.
    """
    import numpy as np

    paths = list(files) if files is not None else tml_files(path)
    per_a, per_b = [], []
    for doc, system in _systems(paths, parse, system_dir):  # each gold file read once, for both systems
        per_a.append(_score_document(doc, system))
        per_b.append(_score_document(doc, _system_output(doc, None, against_dir)))
    width = len(_COUNT_FIELDS)
    a = np.array([[getattr(c, f) for f in _COUNT_FIELDS] for c in per_a], dtype=np.int64).reshape(-1, width)
    b = np.array([[getattr(c, f) for f in _COUNT_FIELDS] for c in per_b], dtype=np.int64).reshape(-1, width)
    fa, fb = _figures(_Counts(*a.sum(axis=0).tolist())), _figures(_Counts(*b.sum(axis=0).tolist()))
    rng = np.random.default_rng(seed)
    diffs = {name: np.empty(resamples) for name, _ in COMPARED}
    for k in range(resamples):
        draw = rng.integers(0, len(paths), len(paths)) if paths else np.zeros(0, dtype=np.int64)
        da = _figures(_Counts(*a[draw].sum(axis=0).tolist()))
        db = _figures(_Counts(*b[draw].sum(axis=0).tolist()))
        for name, key in COMPARED:
            diffs[name][k] = _pick(da, key) - _pick(db, key)
    out = []
    for name, key in COMPARED:
        d = diffs[name]
        out.append({"figure": name, "difference": _pick(fa, key) - _pick(fb, key),
                    "low": float(np.percentile(d, 2.5)) if resamples else 0.0,
                    "high": float(np.percentile(d, 97.5)) if resamples else 0.0,
                    "a_better": float((d > 0).mean()) if resamples else 0.0})
    return {"a": {"files": len(paths), **fa}, "b": {"files": len(paths), **fb}, "differences": out,
            "resamples": resamples, "seed": seed}


def format_comparison(result: dict, a: str, b: str) -> str:
    """Format a :func:`compare` result: one line per figure, in percentage points.

    Args:
        result: The dict returned by :func:`compare`.
        a: Name of system A; ``b``: name of system B.

    Returns:
        A few lines of text.
    """
    lines = [f"=== {a} minus {b}: paired bootstrap over {result['a']['files']} documents, "
             f"{result['resamples']} draws, seed {result['seed']} ===",
             "Figure\t\tA\tB\tA-B\t95% interval\tdraws A>B"]
    for d in result["differences"]:
        key = dict(COMPARED)[d["figure"]]
        lines.append(f"{d['figure']:<12}\t{100 * _pick(result['a'], key):.2f}\t{100 * _pick(result['b'], key):.2f}"
                     f"\t{100 * d['difference']:+.2f}\t[{100 * d['low']:+.2f}, {100 * d['high']:+.2f}]"
                     f"\t{100 * d['a_better']:.1f}%")
    return "\n".join(lines)


def format_report(result: dict) -> str:
    """Format an :func:`evaluate` result like the TempEval-3 toolkit's timex block.

    Args:
        result: The dict returned by :func:`evaluate`.

    Returns:
        A few lines of text, percentages with two decimals.
    """
    def pct(x: float) -> str:
        return f"{100 * x:.2f}"

    s, r = result["strict"], result["relaxed"]
    title = result.get("label", "")
    lines = [
        f"=== Timex Performance{' (' + title + ')' if title else ''} ===",
        f"files {result['files']}  gold TIMEX3 {result['gold']}  system {result['system']}",
        "Strict Match\tF1\tP\tR",
        f"\t\t{pct(s['f1'])}\t{pct(s['p'])}\t{pct(s['r'])}",
        "Relaxed Match\tF1\tP\tR",
        f"\t\t{pct(r['f1'])}\t{pct(r['p'])}\t{pct(r['r'])}",
        "Attribute F1\tValue\tType",
        f"\t\t{pct(result['value_f1'])}\t{pct(result['type_f1'])}",
        "Accuracy\tValue\tType   (over relaxed matches)",
        f"\t\t{pct(result['value_accuracy'])}\t{pct(result['type_accuracy'])}",
    ]
    return "\n".join(lines)


def main(path: str, split: str = "all", parse: bool = True, system_dir: str | None = None,
         against_dir: str | None = None, resamples: int = 10_000) -> int:
    """Evaluate on ``path`` and print the report; the ``storyline eval timex`` entry point.

    Args:
        path: A ``.tml`` file or a folder of them (e.g. ``../shared/data/timebank``).
        split: ``dev`` (files used for tuning), ``heldout`` (files kept out of
            tuning, see :func:`split_files`), ``all``, or ``both`` (dev and
            held-out reports one after the other).
        parse: Parse each text with spaCy first, as the pipeline does.
        system_dir: Score the TimeML output of another tagger in this folder
            instead of storyline (see :func:`evaluate`).
        against_dir: Also score the tagger whose output is in this folder on
            the same files, and print the difference with a paired bootstrap
            interval (see :func:`compare`).
        resamples: Bootstrap draws for ``against_dir``.

    Returns:
        0 on success, 1 when the path holds no TimeML files or an output
        folder is missing, 2 for a bad split name.
    """
    if split not in ("dev", "heldout", "all", "both"):
        print(f"Unknown split {split!r}; expected one of: dev, heldout, all, both", file=sys.stderr)
        return 2
    try:
        dev, held = split_files(path)
    except FileNotFoundError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    chosen = {"dev": [("dev", dev)], "heldout": [("held-out", held)], "all": [("all", dev + held)],
              "both": [("dev", dev), ("held-out", held)]}[split]
    for folder in (system_dir, against_dir):
        if folder is not None and not Path(folder).is_dir():
            print(f"{folder!r} is not a folder", file=sys.stderr)
            return 1
    for label, files in chosen:
        if against_dir is None:
            result = evaluate(path, files=files, parse=parse, system_dir=system_dir)
            result["label"] = label
            print(format_report(result))
            continue
        cmp = compare(path, against_dir, files=files, parse=parse, system_dir=system_dir, resamples=resamples)
        a_name = f"A: {system_dir}" if system_dir else "A: storyline"
        for name, result in ((a_name, cmp["a"]), (f"B: {against_dir}", cmp["b"])):
            print(format_report({**result, "label": f"{label}, {name}"}))
        print(format_comparison({**cmp, "label": label}, "A", "B"))
    return 0
