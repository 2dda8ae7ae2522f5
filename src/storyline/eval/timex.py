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
from dataclasses import dataclass, field, replace
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
    "format_report",
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
    n_gold = n_sys = strict = relaxed = value_ok = type_ok = 0
    errors: list[dict] = []
    for doc, parsed in _documents(paths, parse and system_dir is None):
        if system_dir is not None:
            out = Path(system_dir) / doc.name
            system = read_system_tml(out, doc.text) if out.is_file() else []
        else:
            system = timeml_view(find_dates(doc.text, doc=doc.name, published=doc.dct, include_present_ref=True,
                                            parse=parsed))
        n_gold += len(doc.timexes)
        n_sys += len(system)
        pairs = _align(doc.timexes, system)
        matched_s = {j for _, j in pairs}
        matched_g = {i for i, _ in pairs}
        for i, j in pairs:
            g, s = doc.timexes[i], system[j]
            relaxed += 1
            strict += (g.start, g.end) == (s.start, s.end)
            value_ok += (s.value or "") == g.value
            type_ok += s.type == g.type
            if keep_errors and ((s.value or "") != g.value or (g.start, g.end) != (s.start, s.end)):
                errors.append({"file": doc.name, "kind": "value" if (s.value or "") != g.value else "span",
                               "gold": (g.text, g.type, g.value), "system": (s.text, s.type, s.value),
                               "context": doc.text[max(0, g.start - 60): g.end + 40].replace("\n", " ")})
        if keep_errors:
            for i, g in enumerate(doc.timexes):
                if i not in matched_g:
                    errors.append({"file": doc.name, "kind": "missed", "gold": (g.text, g.type, g.value),
                                   "context": doc.text[max(0, g.start - 60): g.end + 40].replace("\n", " ")})
            for j, s in enumerate(system):
                if j not in matched_s:
                    errors.append({"file": doc.name, "kind": "spurious", "system": (s.text, s.type, s.value),
                                   "context": doc.text[max(0, s.start - 60): s.end + 40].replace("\n", " ")})
    sp = strict / n_sys if n_sys else 0.0
    sr = strict / n_gold if n_gold else 0.0
    rp = relaxed / n_sys if n_sys else 0.0
    rr = relaxed / n_gold if n_gold else 0.0
    rf = _f1(rp, rr)
    value_acc = value_ok / relaxed if relaxed else 0.0
    type_acc = type_ok / relaxed if relaxed else 0.0
    result = {
        "files": len(paths),
        "gold": n_gold,
        "system": n_sys,
        "strict_matches": strict,
        "relaxed_matches": relaxed,
        "value_matches": value_ok,
        "type_matches": type_ok,
        "strict": {"p": sp, "r": sr, "f1": _f1(sp, sr)},
        "relaxed": {"p": rp, "r": rr, "f1": rf},
        "value_accuracy": value_acc,
        "type_accuracy": type_acc,
        "value_f1": rf * value_acc,
        "type_f1": rf * type_acc,
    }
    if keep_errors:
        result["errors"] = errors
    return result


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


def main(path: str, split: str = "all", parse: bool = True, system_dir: str | None = None) -> int:
    """Evaluate on ``path`` and print the report; the ``storyline eval timex`` entry point.

    Args:
        path: A ``.tml`` file or a folder of them (e.g. ``../shared/data/timebank``).
        split: ``dev`` (files used for tuning), ``heldout`` (files kept out of
            tuning, see :func:`split_files`), ``all``, or ``both`` (dev and
            held-out reports one after the other).
        parse: Parse each text with spaCy first, as the pipeline does.
        system_dir: Score the TimeML output of another tagger in this folder
            instead of storyline (see :func:`evaluate`).

    Returns:
        0 on success, 1 when the path holds no TimeML files, 2 for a bad split name.
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
    if system_dir is not None and not Path(system_dir).is_dir():
        print(f"{system_dir!r} is not a folder", file=sys.stderr)
        return 1
    for label, files in chosen:
        result = evaluate(path, files=files, parse=parse, system_dir=system_dir)
        result["label"] = label
        print(format_report(result))
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "all"))
