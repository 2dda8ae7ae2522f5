"""Render the dossier dict as one self-contained, offline HTML file.

The page has no external assets: CSS and one small script are inline and
pinned by hash in a Content-Security-Policy meta tag, so nothing that comes
from an article can load or run anything. Every piece of article-derived text
(titles, outlets, urls, body text, names, labels, explanations, skip reasons)
goes through :func:`_e` before it reaches the page.

Every item links to the sentence it came from: sentence ``n`` (0-based index
into ``documents[].sentences``) of document ``d`` has the element id
``s-<d>-<n>``; the document itself has ``doc-<d>``. Ids that are not plain
tokens are replaced by a stable hash-derived token (:func:`anchor`).

Notes:
    Highlighting follows the "split at every boundary" method used by
    annotation viewers such as brat and Prta: the text is cut at every span and
    sentence boundary, and each segment is wrapped in the spans active over it,
    closed again at the segment's end. Overlapping and nested spans therefore
    always yield well-formed HTML, in time linear in the number of boundaries.
"""

from __future__ import annotations

import base64
import bisect
import hashlib
import html
import re
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any, Iterable

# The 14 PTC technique classes, in the order Prta lists them; each gets a fixed colour class.
from ..extract.rhetoric.base import TECHNIQUES

__all__ = ["render", "write", "anchor", "sentence_anchor", "date_label", "CSP", "TECHNIQUES"]

# Column names for the per-document table; the full name is in each header's title.
_SHORT = {
    "Loaded_Language": "Loaded language", "Name_Calling,Labeling": "Name calling", "Repetition": "Repetition",
    "Exaggeration,Minimisation": "Exaggeration", "Doubt": "Doubt", "Appeal_to_fear-prejudice": "Fear",
    "Flag-Waving": "Flag-waving", "Causal_Oversimplification": "Causal simplif.", "Slogans": "Slogans",
    "Appeal_to_Authority": "Authority", "Black-and-White_Fallacy": "Black and white",
    "Thought-terminating_Cliches": "Clich\u00e9s", "Whataboutism,Straw_Men,Red_Herring": "Whataboutism etc.",
    "Bandwagon,Reductio_ad_hitlerum": "Bandwagon etc.",
}
_PALETTE = (
    "#ffb3b3", "#ffd199", "#fff09e", "#c9f2a6", "#a6f2d6", "#a6e1f2", "#b3c7ff",
    "#d1b3ff", "#f2a6e6", "#e0c9a6", "#c2c2c2", "#f7c6a3", "#b8e0b8", "#e6b8cc",
)
_MOD_WORDS = {
    "START": "early", "MID": "mid", "END": "late", "APPROX": "about", "BEFORE": "before",
    "AFTER": "after", "ON_OR_BEFORE": "on or before", "ON_OR_AFTER": "on or after",
    "LESS_THAN": "less than", "MORE_THAN": "more than", "EQUAL_OR_LESS": "at most",
    "EQUAL_OR_MORE": "at least",
}
_SEASONS = {"SP": ("spring", "03"), "SU": ("summer", "06"), "FA": ("autumn", "09"), "WI": ("winter", "12")}
_TOKEN = re.compile(r"[A-Za-z0-9_.-]{1,80}")
_SAFE_URL = re.compile(r"https?://[^\s\"'<>\\`\x00-\x1f\x7f]+", re.IGNORECASE)
_UNKNOWN_OUTLET = "unknown outlet"
_MAX_MATRIX_ENTITIES = 15
_MAX_LINKS = 25

_CSS = """
:root{--ink:#1d2430;--muted:#5b6573;--line:#d9dee5;--bg:#fbfbfc;--accent:#2f5d8c;--target:#ffe27a}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;color:var(--ink);background:var(--bg)}
header.top{background:#fff;border-bottom:1px solid var(--line);padding:.8rem 1.5rem}
header.top h1{margin:0;font-size:1.35rem}
header.top .gen{color:var(--muted);font-size:.85rem}
nav{position:sticky;top:0;z-index:5;background:#243447;padding:.35rem 1.5rem;display:flex;flex-wrap:wrap;gap:.2rem 1.1rem}
nav a{color:#fff;text-decoration:none;font-size:.9rem}
nav a:hover{text-decoration:underline}
main{max-width:1200px;margin:0 auto;padding:0 1.5rem 4rem}
section{margin-top:2rem}
section>h2{font-size:1.2rem;border-bottom:2px solid var(--ink);padding-bottom:.2rem;margin-bottom:.6rem}
h3{font-size:1.02rem;margin:1.3rem 0 .4rem}
.note{color:var(--muted);font-size:.88rem;margin:.2rem 0 .6rem}
.counts{display:flex;flex-wrap:wrap;gap:.6rem;margin:.8rem 0;padding:0;list-style:none}
.counts li{background:#fff;border:1px solid var(--line);border-radius:6px;padding:.35rem .8rem;min-width:7rem}
.counts b{display:block;font-size:1.25rem}
.counts span{color:var(--muted);font-size:.8rem}
table{border-collapse:collapse;width:100%;background:#fff;font-size:.9rem;margin:.3rem 0 1rem}
th,td{border:1px solid var(--line);padding:.3rem .5rem;text-align:left;vertical-align:top}
td{overflow-wrap:break-word}
td.title{min-width:14rem;overflow-wrap:anywhere}
td.url{min-width:13rem;font-size:.85rem;overflow-wrap:anywhere}
td.date{min-width:6.5rem}
th{background:#eef1f5;font-weight:600}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
tbody tr:nth-child(even){background:#f7f8fa}
.matrix td{min-width:8rem}
.matrix th.ent{writing-mode:horizontal-tb;max-width:11rem}
.lbl{display:inline-block;background:#eef1f5;border:1px solid var(--line);border-radius:4px;padding:0 .3rem;margin:.1rem .15rem .1rem 0;font-size:.85rem}
.badge{display:inline-block;border-radius:3px;padding:0 .35rem;font-size:.75rem;font-weight:600;border:1px solid transparent;white-space:nowrap}
.b-sched{background:#e6f0ff;color:#1f4e8c;border-color:#9dbbe6}
.b-conf{background:#fff0e0;color:#8a4b00;border-color:#f0b877}
.b-na{background:#f2f2f2;color:#666;border-color:#ccc;white-space:normal}
.b-direct{background:#eaf6ec;color:#1d6b30;border-color:#a9d6b2}
.b-indirect{background:#f3eefb;color:#5b3a8c;border-color:#c9b6e6}
.date{font-variant-numeric:tabular-nums;white-space:nowrap}
.when{font-weight:600}
.gran{color:var(--muted);font-weight:400;font-size:.78rem;white-space:normal}
td.srcs{min-width:11rem}
td.event{min-width:18rem}
td.actors{min-width:8rem;overflow-wrap:normal}
td.status{white-space:nowrap}
.muted{color:var(--muted)}
.filter{margin:.2rem 0 .4rem;padding:.3rem .5rem;border:1px solid var(--line);border-radius:4px;width:18rem;max-width:100%}
article.doc{background:#fff;border:1px solid var(--line);border-radius:6px;padding:.8rem 1.1rem;margin:1rem 0}
article.doc h3{margin:0 0 .2rem}
article.doc .meta{color:var(--muted);font-size:.85rem;margin-bottom:.6rem}
.text{white-space:pre-wrap;overflow-wrap:anywhere;font-family:Georgia,"Noto Serif",serif;font-size:1rem;line-height:1.65}
.s{scroll-margin-top:3.5rem;border-radius:2px}
.s:target,article.doc:target{background:var(--target);outline:2px solid #d9a400}
.hq{border-bottom:2px solid #2f5d8c}
.hm{font-weight:600}
.ha{text-decoration:underline dotted #b00020}
.hd{color:#146c43;text-decoration:underline dashed #5cae85;text-underline-offset:4px}
.sw{display:inline-block;padding:0 .4rem;margin:.15rem .3rem .15rem 0;border:1px solid var(--line);border-radius:3px;font-size:.82rem}
.legend{margin:.3rem 0 .8rem}
.scroll{overflow-x:auto;margin-bottom:1rem}
.scroll table{margin:0}
table.rh th.num{font-size:.78rem;min-width:5rem;max-width:9rem;white-space:normal}
table.rh th.num .sw{display:block;margin:0}
table.rh td.first{min-width:12rem}
table.rh td.zero{color:#c3c8cf}
blockquote.q{margin:0;font-style:italic}
details>summary{cursor:pointer;color:var(--accent)}
a{color:var(--accent)}
""" + "".join(f".t{i}{{background:{c}}}\n" for i, c in enumerate(_PALETTE))

# Filters table rows by the text typed in an <input data-filter="#table-id">.
_SCRIPT = (
    "document.addEventListener('input',function(e){var t=e.target;"
    "if(!t.matches||!t.matches('input[data-filter]'))return;"
    "var q=t.value.toLowerCase();"
    "document.querySelectorAll(t.getAttribute('data-filter')+' tbody tr').forEach(function(r){"
    "r.hidden=q!==''&&r.textContent.toLowerCase().indexOf(q)<0;});});"
)


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


CSP = (
    "default-src 'none'; "
    f"style-src {_sha256(_CSS)}; "
    f"script-src {_sha256(_SCRIPT)}; "
    "img-src 'none'; font-src 'none'; connect-src 'none'; media-src 'none'; object-src 'none'; "
    "frame-src 'none'; base-uri 'none'; form-action 'none'"
)


# --------------------------------------------------------------------------- helpers


def _e(value: Any) -> str:
    """Escape any value for HTML text or a double- or single-quoted attribute."""
    if value is None:
        return ""
    return html.escape(str(value), quote=True)


def anchor(raw: Any) -> str:
    """Return a token safe in an id and a URL fragment for a record id.

    Plain ids (hex hashes, ``quote-3``) are kept; anything else maps to a
    stable ``x`` + 16-hex digest, so hostile ids cannot break attributes.
    """
    text = "" if raw is None else str(raw)
    if _TOKEN.fullmatch(text):
        return text
    return "x" + hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def sentence_anchor(doc_id: Any, n: int) -> str:
    """Return the element id of sentence ``n`` (0-based) of document ``doc_id``."""
    return f"s-{anchor(doc_id)}-{n}"


def _url(url: Any) -> str:
    """Render a link for http(s) URLs, plain escaped text for anything else."""
    if not url:
        return ""
    text = str(url).strip()
    if _SAFE_URL.fullmatch(text):
        return f'<a href="{_e(text)}" rel="noopener noreferrer nofollow">{_e(text)}</a>'
    return f'<span class="muted">{_e(text)}</span>'


def _season_sort(value: str) -> str:
    match = re.fullmatch(r"(\d{4})-(SP|SU|FA|WI)", value)
    if match:
        return f"{match.group(1)}-{_SEASONS[match.group(2)][1]}"
    return value.replace("X", "0")


def date_label(value: Any, granularity: Any = None, mod: Any = None, end: Any = None) -> str:
    """Return a date exactly as precise as it is known (plain text, not escaped).

    A month-level value stays ``2024-03``; ``mod`` START on ``2023`` reads
    ``2023 (early)``; seasons and decades are spelled out next to the value;
    a range reads ``2022-07-23 – 2022-07-24``.

    Notes:
        Values are TIMEX3 (Pustejovsky et al. 2005, ISO-TimeML); a value is
        never padded to a day it does not name.
    """
    if value in (None, ""):
        return "undated"
    text = str(value)
    season = re.fullmatch(r"(\d{4})-(SP|SU|FA|WI)", text)
    decade = re.fullmatch(r"(\d{3})X", text)
    if season:
        text = f"{text} ({_SEASONS[season.group(2)][0]})"
    elif decade:
        text = f"{decade.group(1)}0s"
    if end not in (None, "") and str(end) != str(value):
        text = f"{text} \u2013 {end}"
    if mod:
        word = _MOD_WORDS.get(str(mod).upper(), str(mod).lower())
        text = f"{text} ({word})"
    return text


def _date_sort_key(value: Any) -> tuple[int, str]:
    if value in (None, ""):
        return (1, "")
    return (0, _season_sort(str(value)))


def _technique_class(technique: str, extra: dict[str, int]) -> str:
    if technique in TECHNIQUES:
        return f"t{TECHNIQUES.index(technique)}"
    if technique not in extra:
        extra[technique] = len(extra)
    return f"t{(len(TECHNIQUES) + extra[technique]) % len(_PALETTE)}"


def _pretty(technique: str) -> str:
    return technique.replace("_", " ").replace(",", ", ")


def _as_int(value: Any) -> int:
    """Return ``value`` as a non-negative int count (0 for anything else)."""
    if isinstance(value, bool):
        return int(value)
    try:
        return max(int(value), 0)
    except (TypeError, ValueError):
        return 0


def _doc_words(doc: dict[str, Any]) -> int:
    """Return the document's word count (the export's ``words``, else whitespace tokens)."""
    words = doc.get("words")
    if isinstance(words, int) and not isinstance(words, bool) and words >= 0:
        return words
    return len(str(doc.get("text") or "").split())


class _Index:
    """Lookups shared by every section: documents, sentences, entities, outlets."""

    def __init__(self, dossier: dict[str, Any]):
        self.docs: dict[str, dict[str, Any]] = {}
        self.starts: dict[str, list[int]] = {}
        self.sentences: dict[str, list[tuple[int, int, int]]] = {}
        for doc in dossier.get("documents") or []:
            doc_id = str(doc.get("id"))
            self.docs[doc_id] = doc
            sents = _clean_sentences(doc.get("sentences") or [], len(doc.get("text") or ""))
            self.sentences[doc_id] = sents
            self.starts[doc_id] = [s for s, _, _ in sents]
        self.entities: dict[str, dict[str, Any]] = {
            str(e.get("id")): e for e in dossier.get("entities") or []
        }
        self.techniques_extra: dict[str, int] = {}

    def outlet(self, doc_id: Any) -> str:
        doc = self.docs.get(str(doc_id))
        return (doc or {}).get("outlet") or _UNKNOWN_OUTLET

    def sentence_of(self, doc_id: Any, start: Any) -> int | None:
        """Return the position in :attr:`sentences` of the sentence holding offset ``start``."""
        starts = self.starts.get(str(doc_id))
        if not starts or not isinstance(start, int):
            return None
        return max(bisect.bisect_right(starts, start) - 1, 0)

    def href(self, doc_id: Any, start: Any = None) -> str | None:
        """Return the fragment of the sentence holding ``start``, or of the document."""
        key = str(doc_id)
        if key not in self.docs:
            return None
        i = self.sentence_of(key, start)
        if i is None:
            return f"#doc-{anchor(key)}"
        return "#" + sentence_anchor(key, self.sentences[key][i][2])

    def link(self, doc_id: Any, start: Any, label: str, title: str | None = None) -> str:
        """Return an escaped link to the sentence, or plain text when the document is absent."""
        href = self.href(doc_id, start)
        tip = f' title="{_e(title)}"' if title else ""
        if href is None:
            return f'<span class="muted"{tip}>{_e(label)} (document not in dossier)</span>'
        return f'<a href="{href}"{tip}>{_e(label)}</a>'

    def entity_link(self, entity_id: Any) -> str:
        entity = self.entities.get(str(entity_id))
        if entity is None:
            return f'<span class="muted">{_e(entity_id)}</span>'
        return f'<a href="#ent-{anchor(entity_id)}">{_e(entity.get("name"))}</a>'

    def doc_label(self, doc_id: Any) -> str:
        doc = self.docs.get(str(doc_id)) or {}
        published = doc.get("published")
        return f"{self.outlet(doc_id)}" + (f", {published}" if published else "")


def _clean_sentences(raw: Iterable[Any], length: int) -> list[tuple[int, int, int]]:
    """Return (start, end, n) sentences sorted, clipped to the text and never overlapping.

    ``n`` stays the position in the export's list, so ids match ``s-<doc>-<n>``
    even when a malformed entry is dropped.
    """
    valid = []
    for n, pair in enumerate(raw):
        try:
            valid.append((int(pair[0]), int(pair[1]), n))
        except (TypeError, ValueError, IndexError):
            continue
    out: list[tuple[int, int, int]] = []
    last = 0
    for start, end, n in sorted(valid):
        start, end = max(start, last, 0), min(end, length)
        if end > start:
            out.append((start, end, n))
            last = end
    return out


# --------------------------------------------------------------------------- sections


def _header(dossier: dict[str, Any], index: _Index) -> str:
    meta = dossier.get("meta") or {}
    counts = dict(meta.get("counts") or {})
    for key in ("documents", "entities", "events", "quotes", "rhetoric"):
        counts.setdefault(key, len(dossier.get(key) or []))
    items = "".join(
        f"<li><b>{_e(value)}</b><span>{_e(key)}</span></li>" for key, value in counts.items()
    )
    skipped = meta.get("skipped") or []
    parts = [
        '<section id="overview"><h2>Overview</h2>',
        f'<ul class="counts">{items}<li><b>{len(skipped)}</b><span>skipped inputs</span></li></ul>',
    ]
    if skipped:
        rows = "".join(
            f"<tr><td>{_e(s.get('source'))}</td><td>{_e(s.get('reason'))}</td></tr>" for s in skipped
        )
        parts.append(
            "<h3>Skipped inputs</h3><table><thead><tr><th>Source</th><th>Reason</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>"
        )
    overrides = meta.get("overrides") or []
    if overrides:
        parts.append("<h3>Manual corrections applied</h3><ul>")
        parts.extend(f"<li>{_e(o)}</li>" for o in overrides)
        parts.append("</ul>")
    parts.append(
        '<p class="note">Every item links to the sentence it came from. Labels, quotes and '
        "techniques are reported as the sources use them; storyline does not judge them.</p></section>"
    )
    return "".join(parts)


def _documents(dossier: dict[str, Any], index: _Index) -> str:
    rows = []
    documents = sorted(
        dossier.get("documents") or [],
        key=lambda d: (d.get("published") is None, str(d.get("published") or ""), str(d.get("outlet") or "")),
    )
    for doc in documents:
        doc_id = doc.get("id")
        lang = doc.get("lang") or "?"
        analysed = doc.get("analysed", lang == "en")
        status = "" if analysed else f' <span class="badge b-na">not analysed ({_e(lang)})</span>'
        rows.append(
            "<tr>"
            f'<td class="title"><a href="#doc-{anchor(doc_id)}">{_e(doc.get("title") or "(untitled)")}</a>{status}</td>'
            f"<td>{_e(doc.get('outlet') or _UNKNOWN_OUTLET)}</td>"
            f'<td class="date">{_e(doc.get("published") or "")}</td>'
            f"<td>{_e(lang)}</td>"
            f"<td>{_e(doc.get('author') or '')}</td>"
            f'<td class="num">{_doc_words(doc)}</td>'
            f'<td class="url">{_url(doc.get("url"))}</td>'
            "</tr>"
        )
    return (
        '<section id="documents"><h2>Documents</h2>'
        '<input class="filter" type="search" placeholder="Filter documents" data-filter="#documents-table" '
        'aria-label="Filter documents">'
        '<table id="documents-table"><thead><tr><th>Title</th><th>Outlet</th><th>Published</th>'
        '<th>Language</th><th>Author</th><th class="num">Words</th><th>URL</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></section>"
    )


def _entity_outlets(entity: dict[str, Any], index: _Index) -> dict[str, int]:
    outlets = entity.get("outlets")
    if isinstance(outlets, dict) and outlets:
        return {str(k): _as_int(v) for k, v in outlets.items()}
    counter: Counter[str] = Counter(index.outlet(m.get("doc")) for m in entity.get("mentions") or [])
    return dict(counter)


def _mention_count(entity: dict[str, Any]) -> int:
    count = entity.get("mention_count")
    return len(entity.get("mentions") or []) if count is None else _as_int(count)


def _entities(dossier: dict[str, Any], index: _Index) -> str:
    entities = sorted(
        dossier.get("entities") or [],
        key=lambda e: (-_mention_count(e), str(e.get("name"))),
    )
    said: Counter[str] = Counter(str(q.get("speaker")) for q in dossier.get("quotes") or [] if q.get("speaker"))
    rows = []
    for entity in entities:
        mentions = entity.get("mentions") or []
        count = _mention_count(entity)
        per_outlet = sorted(_entity_outlets(entity, index).items(), key=lambda kv: (-kv[1], kv[0]))
        outlets = " ".join(f'<span class="lbl">{_e(o)}: {_e(n)}</span>' for o, n in per_outlet)
        aliases = ", ".join(_e(a) for a in entity.get("aliases") or [])
        links = [
            index.link(m.get("doc"), m.get("start"), str(m.get("text") or "mention"),
                       title=index.doc_label(m.get("doc")))
            for m in mentions[:_MAX_LINKS]
        ]
        more = f" … and {len(mentions) - _MAX_LINKS} more" if len(mentions) > _MAX_LINKS else ""
        mention_cell = (
            f"<details><summary>{len(mentions)} listed</summary>{', '.join(links)}{more}</details>"
            if links else ""
        )
        n_quotes = said.get(str(entity.get("id")), 0)
        quotes_link = (
            f'<a href="#speaker-{anchor(entity.get("id"))}">{n_quotes} quote{"s" if n_quotes > 1 else ""}</a>'
            if n_quotes else ""
        )
        rows.append(
            f'<tr id="ent-{anchor(entity.get("id"))}">'
            f"<td><b>{_e(entity.get('name'))}</b></td><td>{_e(entity.get('type'))}</td>"
            f"<td>{aliases}</td><td class=\"num\">{_e(count)}</td><td>{outlets}</td>"
            f"<td>{mention_cell}{quotes_link}</td></tr>"
        )
    parts = [
        '<section id="entities"><h2>Entities</h2>',
        '<p class="note">One row per actor; aliases are other names merged into it. '
        "Mention counts per outlet show who talks about whom.</p>",
        '<input class="filter" type="search" placeholder="Filter entities" data-filter="#entities-table" '
        'aria-label="Filter entities">',
        '<table id="entities-table"><thead><tr><th>Name</th><th>Type</th><th>Aliases</th>'
        '<th class="num">Mentions</th><th>Mentions per outlet</th><th>Where</th></tr></thead>',
        f"<tbody>{''.join(rows)}</tbody></table>",
    ]
    ambiguous = dossier.get("ambiguous") or []
    if ambiguous:
        arows = "".join(
            "<tr>"
            f"<td>{index.link(a.get('doc'), a.get('start'), str(a.get('text') or ''), title=index.doc_label(a.get('doc')))}</td>"
            f"<td>{_e(index.doc_label(a.get('doc')))}</td>"
            f"<td>{' or '.join(index.entity_link(c) for c in a.get('candidates') or [])}</td>"
            "</tr>"
            for a in ambiguous
        )
        parts.append(
            '<h3 id="ambiguous-mentions">Ambiguous mentions</h3><p class="note">The text does not say which '
            "of these it means, so storyline does not guess.</p>"
            "<table><thead><tr><th>Mention</th><th>Source</th><th>Could be</th></tr></thead>"
            f"<tbody>{arows}</tbody></table>"
        )
    parts.append("</section>")
    return "".join(parts)


def _label_matrix(dossier: dict[str, Any], index: _Index) -> str:
    cells: dict[str, dict[str, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
    first_link: dict[tuple[str, str, str], str] = {}
    totals: Counter[str] = Counter()
    for entity in dossier.get("entities") or []:
        eid = str(entity.get("id"))
        # Where a label also appears as a mention of the entity, link to that sentence.
        mention_at: dict[tuple[str, str], Any] = {}
        for m in entity.get("mentions") or []:
            mention_at.setdefault((str(m.get("doc")), str(m.get("text") or "").lower()), m.get("start"))
        for label in entity.get("labels") or []:
            text = str(label.get("text") or "")
            doc = str(label.get("doc"))
            outlet = label.get("outlet") or index.outlet(doc)
            cells[outlet][eid][text] += 1
            totals[eid] += 1
            key = (outlet, eid, text)
            if key not in first_link:
                href = index.href(doc, mention_at.get((doc, text.lower())))
                first_link[key] = href or ""
    parts = ['<section id="labels"><h2>Labels by outlet</h2>']
    if not totals:
        parts.append('<p class="note">No outlet pins a label on any entity in these documents.</p></section>')
        return "".join(parts)
    top = [eid for eid, _ in sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))][:_MAX_MATRIX_ENTITIES]
    outlets = sorted({index.outlet(d) for d in index.docs} | set(cells))
    head = "".join(f'<th class="ent">{index.entity_link(eid)}</th>' for eid in top)
    rows = []
    for outlet in outlets:
        tds = []
        for eid in top:
            labels = cells.get(outlet, {}).get(eid)
            if not labels:
                tds.append('<td class="muted">\u2014</td>')
                continue
            chips = []
            for text, n in sorted(labels.items(), key=lambda kv: (-kv[1], kv[0])):
                href = first_link.get((outlet, eid, text))
                label = f'<a href="{href}">{_e(text)}</a>' if href else _e(text)
                chips.append(f'<span class="lbl">{label}{f" ×{n}" if n > 1 else ""}</span>')
            tds.append(f"<td>{''.join(chips)}</td>")
        rows.append(f"<tr><th>{_e(outlet)}</th>{''.join(tds)}</tr>")
    omitted = len(totals) - len(top)
    parts.append(
        '<p class="note">Rows are outlets, columns the entities that carry most labels; each cell '
        "lists the descriptive or pejorative names that outlet uses for that entity."
        + (f" {omitted} more labelled entities are not shown." if omitted > 0 else "")
        + "</p>"
        f'<div class="scroll"><table class="matrix"><thead><tr><th>Outlet</th>{head}</tr></thead>'
        f'<tbody>{"".join(rows)}</tbody></table></div></section>'
    )
    return "".join(parts)


def _timeline(dossier: dict[str, Any], index: _Index) -> str:
    events = sorted(
        dossier.get("events") or [],
        key=lambda ev: (_date_sort_key(ev.get("date")), str(ev.get("date_end") or ""), str(ev.get("id"))),
    )
    rows = []
    for ev in events:
        label = date_label(ev.get("date"), ev.get("granularity"), ev.get("mod"), ev.get("date_end"))
        gran = ev.get("granularity") or ""
        status = ev.get("status") or "happened"
        badges = ""
        if status != "happened":
            badges += f' <span class="badge b-sched">{_e(status)}</span>'
        if ev.get("conflict"):
            badges += f' <span class="badge b-conf" title="{_e(ev.get("conflict"))}">conflict</span>'
            badges += f'<div class="note">{_e(ev.get("conflict"))}</div>'
        reports = ev.get("reports") or [
            {"doc": ev.get("doc"), "start": ev.get("start"), "end": ev.get("end"),
             "text": ev.get("text"), "date": ev.get("date")}
        ]
        sources = list(dict.fromkeys(str(s) for s in (ev.get("sources") or [r.get("doc") for r in reports])))
        reported = {str(r.get("doc")) for r in reports}
        links = []
        for r in reports:
            tip = str(r.get("text") or "")
            if r.get("date") and r.get("date") != ev.get("date"):
                tip = f"gives {r.get('date')}: {tip}"
            links.append(index.link(r.get("doc"), r.get("start"), index.doc_label(r.get("doc")), title=tip))
        links.extend(
            index.link(doc, None, index.doc_label(doc), title="source document") for doc in sources
            if doc not in reported
        )
        # The words the sources used ("early 2014") keep a modifier the value cannot carry.
        texts = list(dict.fromkeys(str(r["date_text"]) for r in reports if r.get("date_text")))
        written = (
            f'<br><span class="gran">as written: {_e("; ".join(texts[:3]))}</span>'
            if texts and texts != [label] else ""
        )
        ev_actors = ev.get("actors") or []
        ev_roles = ev.get("roles") or []
        ev_roles = ev_roles if len(ev_roles) == len(ev_actors) else [None] * len(ev_actors)
        actors = ", ".join(
            index.entity_link(a) + (f' <span class="muted">({_e(r)})</span>' if r in ("agent", "patient") else "")
            for a, r in zip(ev_actors, ev_roles)
        )
        trigger = ev.get("trigger")
        rows.append(
            f'<tr id="ev-{anchor(ev.get("id"))}">'
            f'<td class="date when">{_e(label)}<br><span class="gran">{_e(gran)}</span>{written}</td>'
            f"<td class=\"event\">{_e(ev.get('text'))}{badges}</td>"
            f"<td>{_e(ev.get('category') or '')}"
            + (f'<br><span class="muted">{_e(trigger)}</span>' if trigger else "")
            + f'</td><td class="actors">{actors}</td>'
            f'<td class="num">{len(sources)}</td><td class="status">{_e(status)}</td>'
            f'<td class="srcs">{"<br>".join(links)}</td></tr>'
        )
    return (
        '<section id="timeline"><h2>Timeline</h2>'
        '<p class="note">Ordered by date. A date is shown only as precisely as the sources give it '
        "(a month stays a month). Scheduled events are marked; conflicting dates are flagged, "
        "not resolved.</p>"
        '<input class="filter" type="search" placeholder="Filter timeline" data-filter="#timeline-table" '
        'aria-label="Filter timeline">'
        '<table id="timeline-table"><thead><tr><th>Date</th><th>Event</th><th>Category</th><th>Actors</th>'
        '<th class="num">Sources</th><th>Status</th><th>Sentences</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
        f"{_dated_sentences(dossier, index, open_=not events)}</section>"
    )


def _dated_sentences(dossier: dict[str, Any], index: _Index, open_: bool) -> str:
    """List every sentence holding a resolved point-in-time date, ordered by that date."""
    seen: set[tuple[str, str | None, str]] = set()
    rows: list[tuple[tuple[int, str], str]] = []
    unresolved = 0
    for d in dossier.get("dates") or []:
        if str(d.get("type") or "").upper() in {"DURATION", "SET"} or d.get("granularity") == "duration":
            continue
        value = d.get("value")
        if value in (None, ""):
            unresolved += 1
            continue
        doc_id = str(d.get("doc"))
        href = index.href(doc_id, d.get("start"))
        key = (str(value), href, doc_id)
        if key in seen:
            continue
        seen.add(key)
        n = index.sentence_of(doc_id, d.get("start"))
        text = (index.docs.get(doc_id) or {}).get("text") or ""
        if n is not None:
            s_start, s_end, _ = index.sentences[doc_id][n]
            sentence = text[s_start:s_end]
        else:
            sentence = str(d.get("text") or "")
        label = date_label(value, d.get("granularity"), d.get("mod"), d.get("end_value"))
        anchor_note = f'<br><span class="gran">from {_e(d.get("anchor"))}</span>' if d.get("anchor") else ""
        rows.append((
            _date_sort_key(value),
            f'<tr><td class="date when">{_e(label)}<br><span class="gran">{_e(d.get("granularity") or "")}'
            f"</span>{anchor_note}</td><td>{_e(d.get('text'))}</td><td>{_e(sentence)}</td>"
            f"<td>{index.link(doc_id, d.get('start'), index.doc_label(doc_id))}</td></tr>",
        ))
    if not rows and not unresolved:
        return ""
    rows.sort(key=lambda r: r[0])
    note = f" {unresolved} expressions could not be resolved to a date and are left out." if unresolved else ""
    return (
        f'<details id="dated-sentences"{" open" if open_ else ""}><summary>Dated sentences ({len(rows)})'
        f'</summary><p class="note">Every sentence that names a date, ordered by that date; relative dates '
        f'show the date they were resolved from.{note}</p>'
        '<table id="dates-table"><thead><tr><th>Date</th><th>Expression</th><th>Sentence</th>'
        f'<th>Source</th></tr></thead><tbody>{"".join(r[1] for r in rows)}</tbody></table></details>'
    )


def _quotes(dossier: dict[str, Any], index: _Index) -> str:
    groups: dict[str | None, list[dict[str, Any]]] = defaultdict(list)
    for q in dossier.get("quotes") or []:
        speaker = q.get("speaker")
        groups[str(speaker) if speaker is not None and str(speaker) in index.entities else None].append(q)
    order = sorted(
        (k for k in groups if k is not None),
        key=lambda k: (-len(groups[k]), str(index.entities[k].get("name"))),
    )
    if None in groups:
        order.append(None)
    parts = [
        '<section id="quotes"><h2>Quotes and attributions</h2>'
        '<p class="note">Everything attributed to each speaker, across outlets. Direct quotes are in '
        "quotation marks in the source; indirect ones are reported speech.</p>"
    ]
    for key in order:
        items = sorted(
            groups[key],
            key=lambda q: (index.outlet(q.get("doc")), str((index.docs.get(str(q.get("doc"))) or {}).get("published") or "")),
        )
        if key is None:
            heading = '<h3 id="unattributed-quotes">Speaker not identified'
        else:
            heading = f'<h3 id="speaker-{anchor(key)}">{index.entity_link(key)}'
        parts.append(f'{heading} <span class="muted">({len(items)})</span></h3>')
        rows = []
        for q in items:
            kind = "direct" if q.get("direct") else "indirect"
            extra = []
            if key is None and q.get("speaker_text"):
                extra.append(f"speaker given as “{_e(q.get('speaker_text'))}”")
            if q.get("via"):
                extra.append(f"via {_e(q.get('via'))}")
            rows.append(
                "<tr>"
                f"<td>{_e(index.outlet(q.get('doc')))}</td>"
                f'<td class="date">{_e((index.docs.get(str(q.get("doc"))) or {}).get("published") or "")}</td>'
                f'<td><span class="badge b-{kind}">{kind}</span></td>'
                f"<td>{_e(q.get('cue') or '')}</td><td>{_e(q.get('channel') or '')}</td>"
                f'<td><blockquote class="q">{_e(q.get("text"))}</blockquote>'
                + (f'<div class="note">{"; ".join(extra)}</div>' if extra else "")
                + f"</td><td>{index.link(q.get('doc'), q.get('start'), 'sentence')}</td></tr>"
            )
        parts.append(
            "<table><thead><tr><th>Outlet</th><th>Published</th><th>Kind</th><th>Cue</th>"
            "<th>Channel</th><th>Statement</th><th>Source</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>"
        )
    if not order:
        parts.append('<p class="note">No quotes were found.</p>')
    parts.append("</section>")
    return "".join(parts)


def _claims(dossier: dict[str, Any], index: _Index) -> str:
    """Claim clusters (the same assertion in several documents) with independent sources, then single claims."""
    claims = dossier.get("claims") or []
    if not claims:
        return ""
    clusters: dict[str, list[dict[str, Any]]] = defaultdict(list)
    single = []
    for c in claims:
        if c.get("cluster"):
            clusters[str(c.get("cluster"))].append(c)
        else:
            single.append(c)

    def docs(ids: Any) -> str:
        return ", ".join(index.link(d, None, index.doc_label(d)) for d in ids or []) or '<span class="muted">none</span>'

    def sources(members: list[dict[str, Any]]) -> int:
        return max((len(c.get("independent_support") or []) + 1 for c in members), default=1)

    order = sorted(clusters, key=lambda k: (-sources(clusters[k]), -len({c.get("doc") for c in clusters[k]}), k))
    parts = [
        '<section id="claims"><h2>Claims</h2>'
        '<p class="note">Check-worthy factual statements. A cluster groups the statements of different documents that '
        "assert the same thing; for each statement, the documents that support it and those that contradict it "
        "(a negation or denial, a different figure or a different date). Independent sources leave out documents "
        "of the same outlet, near-verbatim copies and documents that relay the same original source; the reason "
        "is given for each.</p>"
    ]
    for key in order:
        members = sorted(clusters[key], key=lambda c: (str((index.docs.get(str(c.get("doc"))) or {}).get("published") or ""), str(c.get("id"))))
        lead = max(members, key=lambda c: (c.get("checkworthy") or 0, -members.index(c)))
        n_docs = len({c.get("doc") for c in members})
        contested = any(c.get("contradict") for c in members)
        badge = ' <span class="badge b-contested">contested</span>' if contested else ""
        parts.append(
            f'<h3 id="claim-{anchor(key)}">{_e(lead.get("text"))}{badge} '
            f'<span class="muted">({n_docs} documents, {sources(members)} independent)</span></h3>'
        )
        rows = []
        for c in members:
            speaker = c.get("speaker")
            who = index.entity_link(speaker) if speaker is not None and str(speaker) in index.entities else _e(c.get("speaker_text") or "the outlet")
            reasons = "".join(
                f"<li>{index.link(d.get('doc'), None, index.doc_label(d.get('doc')))}: {_e(d.get('reason'))}</li>"
                for d in c.get("dependence") or []
            )
            stance = []
            if c.get("polarity") == "negative":
                stance.append("negated")
            if c.get("denial"):
                stance.append("denial")
            rows.append(
                "<tr>"
                f"<td>{_e(index.outlet(c.get('doc')))}</td>"
                f"<td>{index.link(c.get('doc'), c.get('start'), str(c.get('text') or ''))}"
                + (f' <span class="muted">({_e(", ".join(stance))})</span>' if stance else "")
                + f"</td><td>{who}</td><td>{docs(c.get('support'))}</td><td>{docs(c.get('contradict'))}</td>"
                f"<td>{docs(c.get('independent_support'))}" + (f'<ul class="note">{reasons}</ul>' if reasons else "") + "</td></tr>"
            )
        parts.append(
            "<table><thead><tr><th>Outlet</th><th>Statement</th><th>Speaker</th><th>Supported by</th>"
            "<th>Contradicted by</th><th>Independent support (and why others are not)</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>"
        )
    if not order:
        parts.append('<p class="note">No statement was found in more than one document.</p>')
    if single:
        rows = []
        for c in sorted(single, key=lambda c: (-(c.get("checkworthy") or 0), str(c.get("id")))):
            score = f"{float(c.get('checkworthy') or 0):.2f}"
            rows.append(
                f"<tr><td>{_e(index.outlet(c.get('doc')))}</td><td>{index.link(c.get('doc'), c.get('start'), str(c.get('text') or ''))}</td>"
                f"<td>{_e(c.get('speaker_text') or 'the outlet')}</td><td>{_e(score)}</td>"
                f"<td>{_e(c.get('why') or '')}</td></tr>"
            )
        parts.append(
            f'<details><summary>Statements found in one document only ({len(single)})</summary>'
            "<table><thead><tr><th>Outlet</th><th>Statement</th><th>Speaker</th><th>Check-worthiness</th><th>Why</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table></details>"
        )
    parts.append("</section>")
    return "".join(parts)


def _rhetoric(dossier: dict[str, Any], index: _Index) -> str:
    spans = dossier.get("rhetoric") or []
    seen = {str(r.get("technique")) for r in spans}
    techniques = [t for t in TECHNIQUES if t in seen] + sorted(seen - set(TECHNIQUES))
    legend = "".join(
        f'<span class="sw {_technique_class(t, index.techniques_extra)}">{_e(_pretty(t))}</span>'
        for t in (TECHNIQUES + tuple(sorted(seen - set(TECHNIQUES))))
    )
    parts = [
        '<section id="rhetoric"><h2>Rhetoric</h2>'
        '<p class="note">Persuasion techniques (Propaganda Techniques Corpus classes) found in the text, '
        "highlighted in the full texts below in these colours. Density is spans per 1,000 words.</p>"
        f'<div class="legend">{legend}</div>'
    ]
    if not spans:
        parts.append('<p class="note">No persuasion techniques were found.</p></section>')
        return "".join(parts)
    by_doc: dict[str, Counter[str]] = defaultdict(Counter)
    for r in spans:
        by_doc[str(r.get("doc"))][str(r.get("technique"))] += 1
    by_outlet: dict[str, Counter[str]] = defaultdict(Counter)
    words_outlet: Counter[str] = Counter()
    words_doc: dict[str, int] = {}
    for doc_id, doc in index.docs.items():
        if doc.get("analysed", (doc.get("lang") or "en") == "en") is False:
            continue
        n = _doc_words(doc)
        words_doc[doc_id] = n
        words_outlet[index.outlet(doc_id)] += n
    for doc_id, counter in by_doc.items():
        by_outlet[index.outlet(doc_id)].update(counter)

    def cell(n: int, words: int, bold: bool = False) -> str:
        if not n:
            return '<td class="num zero">0</td>'
        dens = f"{1000 * n / words:.1f}" if words else "\u2013"
        count = f"<b>{n}</b>" if bold else str(n)
        return f'<td class="num">{count} <span class="muted">({dens})</span></td>'

    def swatch(t: str, short: bool) -> str:
        name = _SHORT.get(t, _pretty(t)) if short else _pretty(t)
        return f'<span class="sw {_technique_class(t, index.techniques_extra)}" title="{_e(_pretty(t))}">{_e(name)}</span>'

    # Per outlet: techniques are rows and outlets columns (few outlets, at most 14 techniques).
    outlets = sorted(set(words_outlet) | set(by_outlet))
    head = "".join(f'<th class="num">{_e(o)}</th>' for o in outlets)
    words_row = "".join(f'<td class="num">{words_outlet.get(o, 0)}</td>' for o in outlets)
    rows = [f'<tr><td class="muted">words</td>{words_row}</tr>']
    for t in techniques:
        rows.append(
            f"<tr><td>{swatch(t, False)}</td>"
            + "".join(cell(by_outlet.get(o, Counter()).get(t, 0), words_outlet.get(o, 0)) for o in outlets)
            + "</tr>"
        )
    rows.append(
        "<tr><td><b>All techniques</b></td>"
        + "".join(cell(sum(by_outlet.get(o, Counter()).values()), words_outlet.get(o, 0), True) for o in outlets)
        + "</tr>"
    )
    parts.append(
        '<h3>Per outlet</h3><p class="note">Count (density per 1,000 words of that outlet\'s analysed text).</p>'
        f'<div class="scroll"><table class="rh" id="rhetoric-outlets"><thead><tr><th>Technique</th>{head}'
        f'</tr></thead><tbody>{"".join(rows)}</tbody></table></div>'
    )

    head = "".join(f'<th class="num">{swatch(t, True)}</th>' for t in techniques)
    rows = []
    for doc_id in sorted(by_doc, key=lambda d: (index.outlet(d), str(index.docs.get(d, {}).get("title")))):
        doc = index.docs.get(doc_id)
        label = (
            f'<a href="#doc-{anchor(doc_id)}">{_e(doc.get("title") or "(untitled)")}</a>'
            f'<br><span class="muted">{_e(index.outlet(doc_id))}</span>'
            if doc else f'<span class="muted">{_e(doc_id)} (document not in dossier)</span>'
        )
        words = words_doc.get(doc_id, 0)
        counter = by_doc[doc_id]
        rows.append(
            f'<tr><td class="first">{label}</td><td class="num">{words}</td>'
            + "".join(cell(counter.get(t, 0), words) for t in techniques)
            + cell(sum(counter.values()), words, True) + "</tr>"
        )
    parts.append(
        '<h3>Per document</h3><p class="note">Documents with at least one span; count (density per 1,000 '
        "words). Hover a column name for the full technique name.</p>"
        f'<div class="scroll"><table class="rh" id="rhetoric-docs"><thead><tr><th>Document</th>'
        f'<th class="num">Words</th>{head}<th class="num">All</th></tr></thead>'
        f'<tbody>{"".join(rows)}</tbody></table></div>'
    )
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in spans:
        grouped[str(r.get("technique"))].append(r)
    parts.append("<h3>Spans by technique</h3>")
    for t in techniques:
        items = grouped.get(t) or []
        lis = "".join(
            "<li>"
            f'<span class="{_technique_class(t, index.techniques_extra)}">{_e(r.get("text"))}</span> — '
            f"{_e(r.get('explanation') or '')}"
            + (f" (target: {index.entity_link(r.get('target'))})" if r.get("target") else "")
            + f" {index.link(r.get('doc'), r.get('start'), index.doc_label(r.get('doc')))}</li>"
            for r in items
        )
        parts.append(f"<details><summary>{_e(_pretty(t))} ({len(items)})</summary><ul>{lis}</ul></details>")
    parts.append("</section>")
    return "".join(parts)


# --------------------------------------------------------------------------- full texts


def _highlights(dossier: dict[str, Any], index: _Index) -> dict[str, list[tuple[int, int, int, str, str]]]:
    """Collect highlight spans per document: (start, end, layer, css class, tooltip)."""
    out: dict[str, list[tuple[int, int, int, str, str]]] = defaultdict(list)

    def add(rec: dict[str, Any], layer: int, css: str, tip: str) -> None:
        start, end = rec.get("start"), rec.get("end")
        if isinstance(start, int) and isinstance(end, int) and end > start:
            out[str(rec.get("doc"))].append((start, end, layer, css, tip))

    for q in dossier.get("quotes") or []:
        speaker = q.get("speaker")
        name = (index.entities.get(str(speaker)) or {}).get("name") if speaker is not None else None
        who = name or q.get("speaker_text") or "speaker not identified"
        kind = "direct quote" if q.get("direct") else "indirect attribution"
        tip = f"{kind} — speaker: {who}" + (f"; cue: {q.get('cue')}" if q.get("cue") else "")
        add(q, 0, "hq", tip)
    for r in dossier.get("rhetoric") or []:
        t = str(r.get("technique"))
        tip = f"{_pretty(t)}: {r.get('explanation') or ''}"
        add(r, 1, _technique_class(t, index.techniques_extra), tip)
    for entity in dossier.get("entities") or []:
        tip = f"entity: {entity.get('name')} ({entity.get('type')})"
        for m in entity.get("mentions") or []:
            add(m, 2, "hm", tip)
    for a in dossier.get("ambiguous") or []:
        names = " or ".join(
            str((index.entities.get(str(c)) or {}).get("name") or c) for c in a.get("candidates") or []
        )
        add(a, 2, "ha", f"ambiguous: {names}")
    for d in dossier.get("dates") or []:
        add(d, 3, "hd", f"date: {d.get('value') or 'unresolved'} ({d.get('granularity') or '?'})")
    return out


def _render_text(text: str, doc_id: str, sentences: list[tuple[int, int, int]],
                 spans: list[tuple[int, int, int, str, str]]) -> str:
    """Render ``text`` with sentence elements and nested highlight spans.

    Notes:
        Split at every boundary, then wrap each segment in its active spans
        (brat/Prta viewers); linear in boundaries times nesting depth.
    """
    length = len(text)
    clipped = []
    for start, end, layer, css, tip in spans:
        start, end = max(0, start), min(length, end)
        if end > start:
            clipped.append((start, end, layer, css, tip))
    clipped = sorted(set(clipped), key=lambda s: (s[0], -s[1], s[2], s[3], s[4]))
    points = {0, length}
    for s, e, _ in sentences:
        points.add(s)
        points.add(e)
    for s, e, *_ in clipped:
        points.add(s)
        points.add(e)
    bounds = sorted(points)
    out: list[str] = []
    active: list[tuple[int, int, int, str, str]] = []
    next_span = 0
    sent_i = 0
    in_sentence = False
    doc_anchor = anchor(doc_id)
    for i in range(len(bounds) - 1):
        a, b = bounds[i], bounds[i + 1]
        if in_sentence and sentences[sent_i][1] <= a:
            out.append("</span>")
            in_sentence = False
            sent_i += 1
        if not in_sentence and sent_i < len(sentences) and sentences[sent_i][0] == a:
            out.append(f'<span class="s" id="s-{doc_anchor}-{sentences[sent_i][2]}">')
            in_sentence = True
        if active:
            active = [s for s in active if s[1] > a]
        while next_span < len(clipped) and clipped[next_span][0] <= a:
            if clipped[next_span][1] > a:
                active.append(clipped[next_span])
            next_span += 1
        segment = html.escape(text[a:b], quote=False)
        if active:
            layers = sorted(active, key=lambda s: (s[2], s[0], -s[1]))
            tip = "\n".join(dict.fromkeys(s[4] for s in layers))
            opens = "".join(f'<span class="{s[3]}">' for s in layers[:-1])
            out.append(
                f'{opens}<span class="{layers[-1][3]}" title="{_e(tip)}">{segment}</span>'
                + "</span>" * (len(layers) - 1)
            )
        else:
            out.append(segment)
    if in_sentence:
        out.append("</span>")
    return "".join(out)


def _full_texts(dossier: dict[str, Any], index: _Index) -> str:
    highlights = _highlights(dossier, index)
    parts = [
        '<section id="texts"><h2>Full texts</h2><p class="note">'
        '<span class="hq">underlined</span>: quote or attribution; <span class="hm">bold</span>: entity '
        'mention; <span class="ha">dotted</span>: ambiguous mention; <span class="hd">green</span>: date or time expression; '
        "background colour: persuasion technique (legend under Rhetoric). Hover for details.</p>"
    ]
    for doc in dossier.get("documents") or []:
        doc_id = str(doc.get("id"))
        text = doc.get("text") or ""
        lang = doc.get("lang") or "?"
        analysed = doc.get("analysed", lang == "en")
        meta = " · ".join(
            x for x in (
                _e(doc.get("outlet") or _UNKNOWN_OUTLET),
                _e(doc.get("published") or "no date"),
                _e(doc.get("author") or ""),
                f"language {_e(lang)}" + ("" if analysed else ' <span class="badge b-na">not analysed</span>'),
                _url(doc.get("url")),
            ) if x
        )
        body = _render_text(text, doc_id, index.sentences.get(doc_id, []), highlights.get(doc_id, []))
        parts.append(
            f'<article class="doc" id="doc-{anchor(doc_id)}"><h3>{_e(doc.get("title") or "(untitled)")}</h3>'
            f'<div class="meta">{meta}</div><div class="text">{body}</div></article>'
        )
    parts.append("</section>")
    return "".join(parts)


# --------------------------------------------------------------------------- public API


def render(dossier: dict[str, Any]) -> str:
    """Return the dossier as one self-contained HTML page.

    Args:
        dossier: The dict built by ``storyline.export`` (the ``dossier.json``
            contract: meta, documents, entities, ambiguous, dates, events,
            quotes, claims, rhetoric). Missing keys render as empty sections.

    Returns:
        The HTML text. It loads nothing from outside and runs only its own
        hash-pinned script; all article-derived text is escaped.
    """
    index = _Index(dossier)
    meta = dossier.get("meta") or {}
    n_docs = len(dossier.get("documents") or [])
    sections = [
        ("overview", "Overview", _header(dossier, index)),
        ("documents", "Documents", _documents(dossier, index)),
        ("entities", "Entities", _entities(dossier, index)),
        ("labels", "Labels", _label_matrix(dossier, index)),
        ("timeline", "Timeline", _timeline(dossier, index)),
        ("quotes", "Quotes", _quotes(dossier, index)),
        ("claims", "Claims", _claims(dossier, index)),
        ("rhetoric", "Rhetoric", _rhetoric(dossier, index)),
        ("texts", "Full texts", _full_texts(dossier, index)),
    ]
    nav = "".join(f'<a href="#{sid}">{name}</a>' for sid, name, body in sections if body)
    generator = " · ".join(_e(x) for x in (meta.get("generator"), meta.get("created")) if x)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{_e(CSP)}">'
        '<meta name="referrer" content="no-referrer">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>storyline dossier ({n_docs} documents)</title>"
        f"<style>{_CSS}</style></head><body>"
        f'<header class="top"><h1>storyline dossier</h1><div class="gen">{generator}</div></header>'
        f"<nav>{nav}</nav><main>{''.join(body for _, _, body in sections)}</main>"
        f"<script>{_SCRIPT}</script></body></html>\n"
    )


def write(dossier: dict[str, Any], path: str | Path) -> None:
    """Write :func:`render`'s page to ``path`` as UTF-8 (lone surrogates replaced)."""
    Path(path).write_text(render(dossier), encoding="utf-8", errors="replace")
