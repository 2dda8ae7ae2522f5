import json

import pytest

from storyline.ingest import document_from_text, iter_documents, parse_published, strip_boilerplate
from storyline.records import Document, Skip

ARTICLE = (
    "Home » World » Harbour strike\n"
    "Harbour workers strike for a third day\n\n"
    "Dock workers in the port city of Velmora stayed off the job on Tuesday, the union said.\n"
    "Share this:\n"
    "The port authority said talks would resume next week.\n\n"
    "You may also like\n\n"
    "Another headline about something else\n"
    "Leave a Comment\n"
)


def _only(items):
    items = list(items)
    assert len(items) == 1, items
    return items[0]


@pytest.mark.parametrize(
    "line, dropped",
    [
        ("Home » Politics » A headline", True),
        ("Share this:", True),
        ("Subscribe to our newsletter", True),
        ("Click to share on Twitter (Opens in new window)", True),
        ("The minister said the home front was calm.", False),
        ("Subscribers to the theory argue otherwise, he said.", False),
    ],
)
def test_boilerplate_lines(line, dropped):
    cleaned = strip_boilerplate(f"Title line\n{line}\nLast line of the article.")
    assert (line not in cleaned) is dropped


def test_footer_marker_ends_article():
    cleaned = strip_boilerplate(ARTICLE)
    assert cleaned.startswith("Harbour workers strike for a third day")
    assert "talks would resume" in cleaned
    assert "Another headline" not in cleaned and "Leave a Comment" not in cleaned and "Share this" not in cleaned


def test_txt_title_sidecar_and_language(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "a.meta.json").write_text(json.dumps({"outlet": "Port Gazette", "published": "2024-02-06T08:00:00Z", "url": "https://gazette.example/strike"}))
    doc = _only(iter_documents([tmp_path]))
    assert isinstance(doc, Document)
    assert doc.title == "Harbour workers strike for a third day"
    assert doc.outlet == "Port Gazette" and doc.published == "2024-02-06" and doc.url == "https://gazette.example/strike"
    assert doc.lang == "en"
    assert len(doc.id) == 16


def test_outlet_option_fills_only_missing_outlet(tmp_path):
    (tmp_path / "a.txt").write_text("A title\n\nSome text about the harbour strike in Velmora today.", encoding="utf-8")
    assert _only(iter_documents([tmp_path], outlet="Given Outlet")).outlet == "Given Outlet"


def test_markdown_headings(tmp_path):
    (tmp_path / "a.md").write_text("# Harbour strike ends\n\nThe union said the strike ended on Friday.", encoding="utf-8")
    doc = _only(iter_documents([tmp_path / "a.md"]))
    assert doc.title == "Harbour strike ends" and not doc.text.startswith("#")


def test_html_main_text_and_metadata(tmp_path):
    html = """<html><head><title>Strike ends | Port Gazette</title>
    <meta name="author" content="Lena Ostrova"><meta property="og:site_name" content="Port Gazette">
    <meta property="article:published_time" content="2024-02-09T10:00:00Z"></head>
    <body><nav>Home News Sport Weather</nav><article><h1>Strike ends after four days</h1>
    <p>The dock workers of Velmora returned to work on Friday after the port authority agreed to review the shift rota.</p>
    <p>Union leaders said the agreement was a first step and that they would watch closely how it is applied.</p></article>
    <script>document.title = "pwned"</script><footer>Copyright Port Gazette</footer></body></html>"""
    (tmp_path / "a.html").write_text(html, encoding="utf-8")
    doc = _only(iter_documents([tmp_path]))
    assert isinstance(doc, Document)
    assert doc.title == "Strike ends after four days"
    assert doc.author == "Lena Ostrova" and doc.outlet == "Port Gazette" and doc.published == "2024-02-09"
    assert "returned to work on Friday" in doc.text and "pwned" not in doc.text and "Weather" not in doc.text


def test_jsonl_lines(tmp_path):
    lines = [
        json.dumps({"id": "x1", "title": "Strike", "outlet": "Wire", "published": "2024-02-07", "text": "Dock workers struck again on Wednesday in Velmora, the union said."}),
        "{not json",
        json.dumps({"title": "No text here"}),
        json.dumps(["a", "list"]),
        "",
        json.dumps({"text": "A second article about the port of Velmora and its workers."}),
    ]
    (tmp_path / "c.jsonl").write_text("\n".join(lines), encoding="utf-8")
    items = list(iter_documents([tmp_path / "c.jsonl"]))
    docs = [i for i in items if isinstance(i, Document)]
    skips = {i.source.rsplit(":", 1)[1]: i.reason for i in items if isinstance(i, Skip)}
    assert [d.outlet for d in docs] == ["Wire", None]
    assert docs[0].published == "2024-02-07" and docs[0].title == "Strike"
    assert skips["2"].startswith("not valid JSON")
    assert skips["3"] == 'no "text" field (a non-empty string is required)'
    assert skips["4"].startswith("not a JSON object")


@pytest.mark.parametrize(
    "name, content, reason",
    [
        ("empty.txt", b"", "empty file"),
        ("binary.txt", bytes(range(256)) * 8, "binary file, not text"),
        ("latin.txt", "Caf\u00e9 society in Velmora".encode("latin-1"), "invalid utf-8 at byte 3; re-save the file as UTF-8 or pass --encoding"),
        ("scripts.html", b"<html><head><script>var a = 1;</script></head><body><script>alert(1)</script></body></html>", "no article text found in HTML (only markup or scripts)"),
        ("blank.txt", b"Share this:\nYou may also like\n", "no text left after removing boilerplate"),
        ("notes.pdf", b"%PDF-1.4", "unsupported file type '.pdf'; expected one of .htm, .html, .jsonl, .markdown, .md, .ndjson, .text, .txt, .xhtml"),
    ],
)
def test_bad_inputs_are_skipped_with_a_reason(tmp_path, name, content, reason):
    path = tmp_path / name
    path.write_bytes(content)
    item = _only(iter_documents([path]))
    assert isinstance(item, Skip)
    assert item.reason == reason
    assert item.source == str(path)


def test_oversized_file_is_skipped(tmp_path):
    path = tmp_path / "big.txt"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
        handle.seek(0)
        handle.write(b"Title\n")
    item = _only(iter_documents([path]))
    assert item.reason == "file too large (50.0 MB > 20.0 MB limit; raise it with --max-bytes)"


def test_missing_path_is_a_skip_in_the_library(tmp_path):
    assert _only(iter_documents([tmp_path / "nope.txt"])).reason == "path does not exist"


def test_non_english_is_flagged(tmp_path):
    text = "La police a perquisitionné les bureaux de l'association jeudi matin, selon plusieurs témoins présents sur place."
    doc = document_from_text("Perquisition\n\n" + text)
    assert doc.lang == "fr"


def test_bad_sidecar(tmp_path):
    (tmp_path / "a.txt").write_text("Title\n\nText of an article about a strike.", encoding="utf-8")
    (tmp_path / "a.meta.json").write_text("{oops", encoding="utf-8")
    item = _only(iter_documents([tmp_path / "a.txt"]))
    assert isinstance(item, Skip) and item.reason.startswith("sidecar a.meta.json is not valid JSON")


@pytest.mark.parametrize(
    "value, expected",
    [("2024-03-14", "2024-03-14"), ("2024-03-14T22:10:00+01:00", "2024-03-14"), ("14 March 2024", "2024-03-14"),
     ("March 14, 2024", "2024-03-14"), ("2024-02-30", None), ("yesterday", None), (None, None)],
)
def test_parse_published(value, expected):
    assert parse_published(value) == expected


def test_identical_content_has_identical_id(tmp_path):
    (tmp_path / "a.txt").write_text("Title\n\nSame words in both files about Velmora.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Title\r\n\r\nSame words in both files about Velmora.\r\n", encoding="utf-8")
    a, b = iter_documents([tmp_path])
    assert a.id == b.id


def test_folder_notes_are_not_articles(tmp_path):
    (tmp_path / "README.md").write_text("# About this folder\n\nArticles collected in March.", encoding="utf-8")
    (tmp_path / "LICENSE").write_text("All rights reserved.", encoding="utf-8")
    (tmp_path / "a.txt").write_text("Title\n\nThe article about Velmora harbour.", encoding="utf-8")
    assert [d.title for d in iter_documents([tmp_path])] == ["Title"]
    assert _only(iter_documents([tmp_path / "README.md"])).title == "About this folder"
