"""Open the rendered dossier in a real headless Chromium and check what a person sees.

Uses Debian's chromium (/usr/bin/chromium, package ``chromium``) driven by the
Python ``playwright`` package; playwright never downloads a browser here.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from fixtures_dossier import HOSTILE, build_dossier, hostile_dossier
from storyline.report.html import write

pytestmark = pytest.mark.slow

CHROMIUM = os.environ.get("STORYLINE_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
TARGET_BACKGROUND = "rgb(255, 226, 122)"  # --target in the page's CSS


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM}: install Debian's chromium (apt-get install -y chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed in the venv")
    with sync_api.sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),
            executable_path=CHROMIUM, headless=True, args=ARGS, viewport={"width": 1280, "height": 800},
        )
        yield context
        context.close()


def _open(browser, tmp_path: Path, dossier: dict):
    path = tmp_path / "dossier.html"
    write(dossier, path)
    page = browser.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(path.as_uri())
    return page, dialogs


def test_entity_and_timeline_sections_are_visible(browser, tmp_path):
    page, _ = _open(browser, tmp_path, build_dossier())
    entities = page.locator("#entities")
    assert entities.locator("h2").inner_text() == "Entities"
    assert entities.locator("#entities-table tbody tr").count() == 6
    assert entities.get_by_text("Coastal Renewal Front", exact=True).first.is_visible()
    timeline = page.locator("#timeline")
    assert timeline.locator("h2").is_visible()
    dates = timeline.locator("#timeline-table td.when").all_inner_texts()
    assert [d.splitlines()[0] for d in dates] == ["2023 (early)", "2023", "2024-03", "2024-07-23 \u2013 2024-07-24"]
    assert timeline.locator(".b-sched").first.is_visible()
    page.close()


def test_timeline_link_jumps_to_its_sentence(browser, tmp_path):
    page, _ = _open(browser, tmp_path, build_dossier())
    link = page.locator("#timeline-table td.srcs a", has_text="Valley Courier, 2024-03-15")
    href = link.get_attribute("href")
    assert href and href.startswith("#s-")
    link.click()
    page.wait_for_function("h => location.hash === h", arg=href)
    state = page.evaluate(
        """h => { const el = document.getElementById(h.slice(1));
                 const r = el.getBoundingClientRect();
                 return {target: el.matches(':target'), top: r.top, bottom: r.bottom,
                         height: innerHeight, bg: getComputedStyle(el).backgroundColor,
                         text: el.textContent}; }""",
        href,
    )
    assert state["target"] is True
    assert 0 <= state["top"] and state["bottom"] <= state["height"]
    assert state["bg"] == TARGET_BACKGROUND
    assert state["text"].endswith("stormed the harbour office in Velana on March 14, 2024.")
    page.close()


def test_own_filter_script_runs_under_the_csp(browser, tmp_path):
    page, _ = _open(browser, tmp_path, build_dossier())
    page.fill("#entities input.filter", "lind")
    visible = page.locator("#entities-table tbody tr:visible").all_inner_texts()
    assert sorted(row.split("\t")[0] for row in visible) == ["Jonas Lind", "Petra Lind"]
    page.close()


def test_hostile_article_never_runs_code(browser, tmp_path):
    page, dialogs = _open(browser, tmp_path, hostile_dossier("".join(HOSTILE)))
    # Give any injected handler a chance to fire: hover and click inside every article.
    for article in page.locator("article.doc").all()[:8]:
        article.hover()
    page.locator("#texts .s").first.click()
    page.wait_for_timeout(300)
    state = page.evaluate(
        """() => ({pwned: typeof window.__pwned, title: document.title,
                  scripts: document.querySelectorAll('script').length,
                  injected: document.querySelectorAll('img, svg, iframe, textarea').length,
                  shown: document.body.textContent.includes('<script>window.__pwned=1')})"""
    )
    assert dialogs == []
    assert state == {"pwned": "undefined", "title": state["title"], "scripts": 1, "injected": 0, "shown": True}
    assert "PWNED" not in state["title"]
    page.close()


def test_pipeline_dossier_in_the_browser(browser, tmp_path):
    """The dossier that `analyze` writes, with a hostile article in the corpus."""
    from storyline.pipeline import analyze

    corpus = tmp_path / "in"
    corpus.mkdir()
    (corpus / "a.txt").write_text(
        "Velmora dockers walk out <script>window.__pwned = 1</script>\n\n"
        "Dock workers in Velmora walked out on Tuesday, March 5, 2024, the union said. "
        "<img src=x onerror=\"window.__pwned = 1\">\n\n"
        "\u201cWe will not load a single ship,\u201d said Mira Kallas, the head of the dockers' union.\n",
        encoding="utf-8",
    )
    (corpus / "a.meta.json").write_text('{"outlet": "Harbour Post <svg onload=window.__pwned=1>", "published": "2024-03-06"}', encoding="utf-8")
    (corpus / "b.txt").write_text(
        "Port strike enters second day\n\n"
        "The strike in Velmora continued on Wednesday, March 6, 2024, and Mira Kallas met port managers.\n",
        encoding="utf-8",
    )
    analyze([str(corpus)], tmp_path / "out")
    page = browser.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto((tmp_path / "out" / "dossier.html").as_uri())
    assert page.locator("#entities").get_by_text("Mira Kallas", exact=True).first.is_visible()
    assert page.locator("#timeline h2").is_visible()
    link = page.locator("#timeline-table td.srcs a").first
    href = link.get_attribute("href")
    link.click()
    page.wait_for_function("h => location.hash === h", arg=href)
    assert page.evaluate("h => document.getElementById(h.slice(1)).matches(':target')", href)
    assert page.evaluate("() => window.__pwned") is None
    assert dialogs == []
    assert page.locator("img, svg").count() == 0
    page.close()
