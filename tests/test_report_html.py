"""Unit tests for the HTML dossier (storyline.report.html) on a synthetic dossier."""

from __future__ import annotations

import base64
import copy
import hashlib
import html
import re
import time
from html.parser import HTMLParser

import pytest

from fixtures_dossier import HOSTILE, build_dossier, hostile_dossier, large_dossier
from storyline.report.html import CSP, date_label, render, sentence_anchor, write

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Page(HTMLParser):
    """Parse a rendered page: ids, links, text per id, nesting errors, every tag."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str | None]] = []
        self.errors: list[str] = []
        self.ids: list[str] = []
        self.hrefs: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text_by_id: dict[str, list[str]] = {}
        self.data: list[str] = []
        self.raw_blocks: dict[str, list[str]] = {"style": [], "script": []}
        self.feed(text)
        self.close()
        if self.stack:
            self.errors.append(f"unclosed at end: {[t for t, _ in self.stack]}")

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if attributes.get("id"):
            self.ids.append(attributes["id"])
            self.text_by_id[attributes["id"]] = []
        if attributes.get("href") is not None:
            self.hrefs.append(attributes["href"])
        self.data.extend(v for v in attributes.values() if v)
        if tag not in VOID:
            self.stack.append((tag, attributes.get("id")))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1][0] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1][0] if self.stack else 'nothing'}")
            return
        self.stack.pop()

    def handle_data(self, data):
        self.data.append(data)
        if self.stack and self.stack[-1][0] in self.raw_blocks:
            self.raw_blocks[self.stack[-1][0]].append(data)
        for _, open_id in self.stack:
            if open_id is not None and open_id in self.text_by_id:
                self.text_by_id[open_id].append(data)

    def text_of(self, element_id: str) -> str:
        return "".join(self.text_by_id[element_id])


@pytest.fixture(scope="module")
def dossier():
    return build_dossier()


@pytest.fixture(scope="module")
def page_html(dossier):
    return render(dossier)


@pytest.fixture(scope="module")
def page(page_html):
    return Page(page_html)


def _section(page_html: str, section_id: str) -> str:
    match = re.search(rf'<section id="{section_id}">(.*?)</section>', page_html, re.S)
    assert match, f"section {section_id} missing"
    return match.group(1)


@pytest.mark.parametrize(
    "section_id, heading",
    [
        ("overview", "Overview"),
        ("documents", "Documents"),
        ("entities", "Entities"),
        ("labels", "Labels by outlet"),
        ("timeline", "Timeline"),
        ("quotes", "Quotes and attributions"),
        ("claims", "Claims"),
        ("rhetoric", "Rhetoric"),
        ("texts", "Full texts"),
    ],
)
def test_section_present_with_heading(page_html, page, section_id, heading):
    assert section_id in page.ids
    assert f'<section id="{section_id}"><h2>{heading}</h2>' in page_html
    assert f'<a href="#{section_id}">' in page_html  # reachable from the nav bar


def test_page_is_well_formed(page):
    assert page.errors == []


def test_ids_are_unique(page):
    duplicates = {i for i in page.ids if page.ids.count(i) > 1}
    assert duplicates == set()


def test_every_fragment_link_has_a_target(page):
    fragments = [h[1:] for h in page.hrefs if h.startswith("#")]
    assert len(fragments) > 50
    assert sorted(set(fragments) - set(page.ids)) == []


def test_every_sentence_has_an_element(dossier, page):
    for doc in dossier["documents"]:
        for n, (start, end) in enumerate(doc["sentences"]):
            element = sentence_anchor(doc["id"], n)
            assert page.text_of(element) == doc["text"][start:end]


@pytest.mark.parametrize("kind", ["quotes", "rhetoric", "dates", "ambiguous"])
def test_item_links_point_at_the_sentence_holding_the_item(dossier, page, kind):
    docs = {d["id"]: d for d in dossier["documents"]}
    for rec in dossier[kind]:
        sentences = docs[rec["doc"]]["sentences"]
        n = max(i for i, (s, _) in enumerate(sentences) if s <= rec["start"]) if sentences else None
        assert n is not None
        target = sentence_anchor(rec["doc"], n)
        assert rec["text"][:12] in page.text_of(target)


def test_timeline_links_reach_every_report_sentence(dossier, page_html, page):
    section = _section(page_html, "timeline")
    for event in dossier["events"]:
        for report in event["reports"]:
            doc = next(d for d in dossier["documents"] if d["id"] == report["doc"])
            n = max(i for i, (s, _) in enumerate(doc["sentences"]) if s <= report["start"])
            target = sentence_anchor(report["doc"], n)
            assert f'href="#{target}"' in section
            assert report["text"] in page.text_of(target)


@pytest.mark.parametrize(
    "value, granularity, mod, end, expected",
    [
        ("2024-03", "month", None, None, "2024-03"),
        ("2023", "year", "START", None, "2023 (early)"),
        ("2023", "year", "END", None, "2023 (late)"),
        ("2022-07-23", "day", None, "2022-07-24", "2022-07-23 \u2013 2022-07-24"),
        ("2019-FA", "season", None, None, "2019-FA (autumn)"),
        ("198X", "decade", None, None, "1980s"),
        ("2024-03-14", "day", None, "2024-03-14", "2024-03-14"),
        (None, "unknown", None, None, "undated"),
    ],
)
def test_date_label_keeps_granularity(value, granularity, mod, end, expected):
    assert date_label(value, granularity, mod, end) == expected


def test_timeline_shows_month_event_as_month(page_html):
    section = _section(page_html, "timeline")
    assert '<td class="date when">2024-03<br><span class="gran">month</span></td>' in section
    assert "2024-03-01" not in section
    assert '<td class="date when">2023 (early)<br>' in section


def _table(page_html: str, table_id: str) -> str:
    return re.search(rf'<table[^>]* id="{table_id}"[^>]*>(.*?)</table>', page_html, re.S).group(1)


def test_timeline_is_ordered_by_date(page_html):
    shown = re.findall(r'<td class="date when">([^<]*)<br>', _table(page_html, "timeline-table"))
    assert shown == ["2023 (early)", "2023", "2024-03", "2024-07-23 \u2013 2024-07-24"]


def test_dated_sentences_ordered_and_unresolved_counted(page_html):
    table = _table(page_html, "dates-table")
    shown = re.findall(r'<td class="date when">([^<]*)<br>', table)
    assert shown == ["2023 (early)", "2023", "2024-03", "2024-03-14", "2024-03-15", "2024-04-01",
                     "2024-07-23 \u2013 2024-07-24"]
    assert "from 2024-04-01" in table  # "Monday" shows the anchor it was resolved from
    assert "1 expressions could not be resolved" in _section(page_html, "timeline")


@pytest.mark.parametrize("events, opened", [(True, False), (False, True)])
def test_dated_sentences_open_when_there_are_no_events(dossier, events, opened):
    variant = copy.deepcopy(dossier)
    if not events:
        variant["events"] = []
    text = render(variant)
    assert ('<details id="dated-sentences" open>' in text) is opened
    assert Page(text).errors == []


@pytest.mark.parametrize(
    "date, expected_cells",
    [
        ("2024-03", ['<td class="num">3</td>', 'class="badge b-conf"', "crowd 2,000 vs 200"]),
        ("2024-07-23 \u2013 2024-07-24", ['<td class="num">1</td>', '<span class="badge b-sched">scheduled</span>']),
    ],
)
def test_timeline_row_shows_sources_status_and_conflict(page_html, date, expected_cells):
    section = _section(page_html, "timeline")
    row = next(r for r in section.split("<tr ")[1:] if f'<td class="date when">{date}<br>' in r)
    for cell in expected_cells:
        assert cell in row


def _matrix(page_html: str) -> dict[str, dict[str, str]]:
    section = _section(page_html, "labels")
    head = re.search(r"<thead>(.*?)</thead>", section, re.S).group(1)
    entities = re.findall(r'<th class="ent"><a href="#ent-[^"]+">([^<]*)</a></th>', head)
    out = {}
    for row in re.findall(r"<tr><th>([^<]*)</th>(.*?)</tr>", section, re.S):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row[1], re.S)
        out[html.unescape(row[0])] = {
            html.unescape(e): html.unescape(re.sub(r"<[^>]+>", "|", c)) for e, c in zip(entities, cells)
        }
    return out


@pytest.mark.parametrize(
    "outlet, entity, expected, absent",
    [
        ("Valley Courier", "Coastal Renewal Front", ["eco-extremists", "×2", "Radicals", "The Front's dark money"], []),
        ("The Northern Ledger", "Coastal Renewal Front", ["the group"], ["eco-extremists"]),
        ("Free Voice Daily", "Arben Kola", ["The mayor's cronies"], []),
        ("The Northern Ledger", "Arben Kola", ["\u2014"], ["cronies"]),
        ("Kanal Ora", "Coastal Renewal Front", ["\u2014"], []),
    ],
)
def test_label_matrix_cells(page_html, outlet, entity, expected, absent):
    cell = _matrix(page_html)[outlet][entity]
    for text in expected:
        assert text in cell
    for text in absent:
        assert text not in cell


def test_entities_table_counts_mentions_per_outlet(page_html):
    section = _section(page_html, "entities")
    row = re.search(r'<tr id="ent-ent-crf">(.*?)</tr>', section, re.S).group(1)
    assert "<b>Coastal Renewal Front</b>" in row
    assert "CRF, Renewal Front" in row
    assert '<span class="lbl">Valley Courier: 6</span>' in row
    assert '<span class="lbl">The Northern Ledger: 5</span>' in row
    kola = re.search(r'<tr id="ent-ent-kola">(.*?)</tr>', section, re.S).group(1)
    assert '<a href="#speaker-ent-kola">1 quote</a>' in kola


def test_ambiguous_mentions_list_their_candidates(page_html):
    section = _section(page_html, "entities")
    table = section.split('<h3 id="ambiguous-mentions">')[1]
    assert table.count('<a href="#ent-ent-petra">Petra Lind</a> or <a href="#ent-ent-jonas">Jonas Lind</a>') == 2


@pytest.mark.parametrize(
    "group_id, count, contains",
    [
        ("speaker-ent-petra", 1, "We will not let a private firm own our shoreline"),
        ("speaker-ent-kola", 1, "that the tender had followed every rule"),
        ("unattributed-quotes", 4, "speaker given as “the port authority”"),
    ],
)
def test_quotes_grouped_by_speaker(page_html, group_id, count, contains):
    section = _section(page_html, "quotes")
    group = section.split(f'<h3 id="{group_id}">')[1].split("<h3")[0]
    assert f'<span class="muted">({count})</span>' in group
    assert group.count("<tr>") == count + 1  # header row + one row per quote
    assert html.escape(contains, quote=True) in group


def test_non_english_document_flagged_not_analysed(page_html):
    section = _section(page_html, "documents")
    row = next(r for r in section.split("<tr>") if "Kanal Ora" in r)
    assert "not analysed (sq)" in row


def _rows(table: str) -> dict[str, list[str]]:
    out = {}
    for row in re.findall(r"<tr>(.*?)</tr>", table, re.S):
        cells = re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)
        out[html.unescape(re.sub(r"<[^>]+>", "", cells[0]))] = cells[1:]
    return out


@pytest.mark.parametrize(
    "technique, outlet, expected",
    [
        ("All techniques", "Valley Courier", 10),
        ("Name Calling, Labeling", "Valley Courier", 3),
        ("Doubt", "Free Voice Daily", 1),
        ("Doubt", "The Northern Ledger", 0),
    ],
)
def test_rhetoric_density_per_outlet(page_html, dossier, technique, outlet, expected):
    table = _table(page_html, "rhetoric-outlets")
    rows = _rows(table)
    outlets = [html.unescape(c) for c in rows["Technique"]]
    words = sum(len(d["text"].split()) for d in dossier["documents"] if d["outlet"] == outlet)
    column = outlets.index(outlet)
    assert rows["words"][column] == str(words)
    shown = re.sub(r"<[^>]+>", "", rows[technique][column])
    assert shown == (f"{expected} ({1000 * expected / words:.1f})" if expected else "0")


@pytest.mark.parametrize(
    "spans",
    [
        # (start, end, kind) over TEXT; crossing, nested, identical, and sentence-crossing spans.
        [(0, 20, "quote"), (10, 30, "rhetoric"), (15, 25, "mention")],
        [(5, 40, "quote"), (5, 40, "rhetoric"), (5, 40, "mention")],
        [(0, len("One sentence here. Another one follows, and ends.")), ],
        [(12, 26, "rhetoric"), (14, 16, "mention"), (25, 30, "quote"), (2, 45, "rhetoric")],
        [(-5, 3, "quote"), (45, 999, "rhetoric"), (10, 10, "mention"), (30, 20, "quote")],
    ],
)
def test_overlapping_spans_nest_well(spans):
    text = "One sentence here. Another one follows, and ends."
    doc = {"id": "d1", "text": text, "title": "t", "outlet": "o", "published": None, "lang": "en",
           "analysed": True, "sentences": [[0, 18], [19, len(text)]]}
    dossier = {"documents": [doc], "quotes": [], "rhetoric": [], "entities": [
        {"id": "e1", "name": "E", "type": "ORG", "aliases": [], "labels": [], "mentions": []}]}
    for span in spans:
        start, end = span[0], span[1]
        kind = span[2] if len(span) > 2 else "quote"
        rec = {"doc": "d1", "start": start, "end": end, "text": text[max(start, 0):end]}
        if kind == "quote":
            dossier["quotes"].append({**rec, "speaker": None, "speaker_text": None, "cue": None, "direct": True})
        elif kind == "rhetoric":
            dossier["rhetoric"].append({**rec, "technique": "Doubt", "explanation": "x"})
        else:
            dossier["entities"][0]["mentions"].append(rec)
    page = Page(render(dossier))
    assert page.errors == []
    assert page.text_of("doc-d1").endswith(text)
    assert page.text_of("s-d1-0") == text[:18]
    assert page.text_of("s-d1-1") == text[19:]


def _payload_paths():
    """(field description, function putting a payload into exactly that field)."""

    def doc(key):
        return lambda d, p: d["documents"][1].__setitem__(key, p)

    return [
        ("document title", doc("title")),
        ("document outlet", doc("outlet")),
        ("document author", doc("author")),
        ("document url", doc("url")),
        ("document published", doc("published")),
        ("document lang", doc("lang")),
        ("document text", lambda d, p: d["documents"][1].__setitem__("text", d["documents"][1]["text"] + p)),
        ("skip source", lambda d, p: d["meta"]["skipped"].append({"source": p, "reason": "x"})),
        ("skip reason", lambda d, p: d["meta"]["skipped"].append({"source": "x", "reason": p})),
        ("override", lambda d, p: d["meta"]["overrides"].append(p)),
        ("generator", lambda d, p: d["meta"].__setitem__("generator", p)),
        ("entity name", lambda d, p: d["entities"][0].__setitem__("name", p)),
        ("entity type", lambda d, p: d["entities"][0].__setitem__("type", p)),
        ("entity alias", lambda d, p: d["entities"][0]["aliases"].append(p)),
        ("entity id", lambda d, p: d["entities"][0].__setitem__("id", p)),
        ("label text", lambda d, p: d["entities"][0]["labels"].append({"text": p, "doc": d["documents"][0]["id"]})),
        ("label outlet", lambda d, p: d["entities"][0]["labels"].append(
            {"text": "x", "doc": d["documents"][0]["id"], "outlet": p})),
        ("outlet count key", lambda d, p: d["entities"][0]["outlets"].__setitem__(p, 1)),
        ("event text", lambda d, p: d["events"][0].__setitem__("text", p)),
        ("event conflict", lambda d, p: d["events"][0].__setitem__("conflict", p)),
        ("event status", lambda d, p: d["events"][0].__setitem__("status", p)),
        ("event date", lambda d, p: d["events"][0].__setitem__("date", p)),
        ("event report text", lambda d, p: d["events"][0]["reports"][0].__setitem__("text", p)),
        ("quote text", lambda d, p: d["quotes"][0].__setitem__("text", p)),
        ("quote cue", lambda d, p: d["quotes"][0].__setitem__("cue", p)),
        ("quote channel", lambda d, p: d["quotes"][0].__setitem__("channel", p)),
        ("quote speaker_text", lambda d, p: d["quotes"][2].__setitem__("speaker_text", p)),
        ("rhetoric technique", lambda d, p: d["rhetoric"][0].__setitem__("technique", p)),
        ("rhetoric explanation", lambda d, p: d["rhetoric"][0].__setitem__("explanation", p)),
        ("date value", lambda d, p: d["dates"][0].__setitem__("value", p)),
        ("claim text", lambda d, p: d["claims"][0].__setitem__("text", p)),
        ("document id", lambda d, p: [d["documents"][0].__setitem__("id", p)]),
    ]


def _assert_inert(text: str, payload: str) -> Page:
    page = Page(text)
    assert page.errors == []
    scripts = [t for t, _ in page.tags if t == "script"]
    assert scripts == ["script"], "only the page's own script may exist"
    assert [t for t, _ in page.tags if t in {"img", "svg", "iframe", "object", "embed", "textarea", "base"}] == []
    handlers = [(t, k) for t, attrs in page.tags for k in attrs if k.lower().startswith("on")]
    assert handlers == []
    bad_links = [h for h in page.hrefs if not h.startswith(("#", "https://", "http://"))]
    assert bad_links == []
    assert payload not in text
    return page


@pytest.mark.parametrize("payload", HOSTILE)
@pytest.mark.parametrize("field, inject", _payload_paths(), ids=[p[0] for p in _payload_paths()])
def test_payload_in_each_field_is_escaped(dossier, field, inject, payload):
    hostile = copy.deepcopy(dossier)
    inject(hostile, payload)
    text = render(hostile)
    page = _assert_inert(text, payload)
    if field not in {"document id", "entity id", "document url", "event report text"}:
        # The payload is shown to the reader as text, not dropped.
        shown = payload.replace("_", " ").replace(",", ", ") if field == "rhetoric technique" else payload
        assert any(shown in chunk for chunk in page.data), field
    if field == "document text":
        assert html.escape(payload, quote=False) in text


@pytest.mark.parametrize("payload", HOSTILE)
def test_payload_everywhere_at_once_is_inert(payload):
    text = render(hostile_dossier(payload))
    page = _assert_inert(text, payload)
    assert sorted({h[1:] for h in page.hrefs if h.startswith("#")} - set(page.ids)) == []


@pytest.mark.parametrize(
    "url, linked",
    [
        ("https://example.org/a?b=1&c=2", True),
        ("http://example.org/", True),
        ("javascript:alert(1)", False),
        ("JaVaScRiPt:alert(1)", False),
        ("java\tscript:alert(1)", False),
        ("data:text/html,<script>alert(1)</script>", False),
        ("https://example.org/\"onmouseover=\"alert(1)", False),
        ("//evil.example/x", False),
        ("vbscript:msgbox(1)", False),
    ],
)
def test_only_http_urls_become_links(dossier, url, linked):
    hostile = copy.deepcopy(dossier)
    hostile["documents"][0]["url"] = url
    page = Page(render(hostile))
    assert (url in page.hrefs) is linked
    assert any(url in chunk for chunk in page.data)


def _csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def test_csp_forbids_external_loads_and_pins_inline_code(page):
    metas = [a for t, a in page.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    assert [m["content"] for m in metas] == [CSP]
    assert "default-src 'none'" in CSP
    assert "'unsafe-inline'" not in CSP
    assert f"script-src {_csp_hash(''.join(page.raw_blocks['script']))}" in CSP
    assert f"style-src {_csp_hash(''.join(page.raw_blocks['style']))}" in CSP
    external = [a for t, a in page.tags if t in {"link", "img", "script", "iframe"} and (a.get("src") or a.get("href"))]
    assert external == []


def test_item_in_missing_document_renders_without_broken_link(dossier):
    hostile = copy.deepcopy(dossier)
    hostile["quotes"].append({"id": "q-x", "doc": "0000deadbeef0000", "start": 0, "end": 4, "text": "gone",
                              "speaker": None, "speaker_text": None, "cue": None, "direct": False})
    page = Page(render(hostile))
    assert sorted({h[1:] for h in page.hrefs if h.startswith("#")} - set(page.ids)) == []
    assert any("document not in dossier" in chunk for chunk in page.data)


def test_empty_dossier_renders():
    page = Page(render({}))
    assert page.errors == []
    assert "timeline" in page.ids


def test_write_round_trips_and_survives_lone_surrogates(tmp_path, dossier):
    odd = copy.deepcopy(dossier)
    odd["documents"][0]["title"] = "broken \udc80 bytes"
    path = tmp_path / "dossier.html"
    write(odd, path)
    assert path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    write(dossier, path)
    assert path.read_text(encoding="utf-8") == render(dossier)


def test_output_grows_linearly_with_documents():
    small, big = render(large_dossier(150)), render(large_dossier(600))
    assert 3.6 < len(big) / len(small) < 4.4


def test_thousand_documents_render_quickly():
    dossier = large_dossier(1000)
    started = time.perf_counter()
    text = render(dossier)
    assert time.perf_counter() - started < 10
    assert text.count('<article class="doc"') == 1000


@pytest.mark.parametrize(
    "sentences, expected",
    [
        ([[0, 18], [19, 49]], {"s-d1-0": (0, 18), "s-d1-1": (19, 49)}),
        ([[19, 49], [0, 18]], {"s-d1-1": (0, 18), "s-d1-0": (19, 49)}),  # unsorted: ids keep list positions
        ([[0, 18], ["x"], [5, 10], [19, 999]], {"s-d1-0": (0, 18), "s-d1-3": (19, 49)}),  # bad, overlapping, long
        ([], {}),
    ],
)
def test_sentence_ids_follow_export_positions(sentences, expected):
    text = "One sentence here. Another one follows, and ends."
    doc = {"id": "d1", "text": text, "lang": "en", "analysed": True, "sentences": sentences}
    page = Page(render({"documents": [doc]}))
    assert page.errors == []
    assert {i: page.text_of(i) for i in page.ids if i.startswith("s-")} == {
        i: text[a:b] for i, (a, b) in expected.items()
    }


@pytest.mark.parametrize(
    "doc_id, entity_id",
    [("table", "unknown"), ("documents-table", "speaker-x"), ("s-1", "ent-1"), ("a b#c", "<b>")],
)
def test_odd_ids_never_duplicate_or_break_links(dossier, doc_id, entity_id):
    odd = copy.deepcopy(dossier)
    old_doc, old_ent = odd["documents"][0]["id"], odd["entities"][0]["id"]
    odd["documents"][0]["id"] = doc_id
    odd["entities"][0]["id"] = entity_id
    for rec in odd["quotes"] + odd["rhetoric"] + odd["dates"] + odd["events"]:
        if rec["doc"] == old_doc:
            rec["doc"] = doc_id
        if rec.get("speaker") == old_ent:
            rec["speaker"] = entity_id
    page = Page(render(odd))
    assert page.errors == []
    assert len(page.ids) == len(set(page.ids))
    assert sorted({h[1:] for h in page.hrefs if h.startswith("#")} - set(page.ids)) == []
    assert all(re.fullmatch(r"[A-Za-z0-9_.-]+", i) for i in page.ids)


@pytest.mark.parametrize("count", ["many", None, -3, 2.5, True])
def test_odd_counts_do_not_crash(dossier, count):
    odd = copy.deepcopy(dossier)
    odd["entities"][0]["mention_count"] = count
    odd["entities"][1]["outlets"] = {"X": count}
    assert Page(render(odd)).errors == []
