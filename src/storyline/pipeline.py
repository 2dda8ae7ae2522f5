"""The end-to-end run: from files, folders and URLs to a store, a JSON dossier and an HTML dossier."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .extract import DEFAULT_RHETORIC, Options, iter_extractions
from .records import Document, Skip
from .store.db import Store

DB_NAME = "storyline.db"
JSON_NAME = "dossier.json"
HTML_NAME = "dossier.html"
#: Largest corpus ``analyze`` writes the HTML dossier for by default (the page is built in memory).
HTML_MAX_DOCS = 2000


@dataclass
class Summary:
    """What one run did, for the one-line report and for tests."""

    read: int = 0
    added: int = 0
    unchanged: int = 0
    duplicates: int = 0
    not_analysed: int = 0
    skipped: list[Skip] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    overrides: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    outputs: dict[str, str] = field(default_factory=dict)

    def line(self) -> str:
        """Return the one-line summary printed at the end of a run."""
        parts = [f"{self.read} documents read", f"{self.added} new", f"{self.unchanged} already stored"]
        if self.duplicates:
            parts.append(f"{self.duplicates} duplicate")
        if self.not_analysed:
            parts.append(f"{self.not_analysed} not English (stored, not analysed)")
        parts.append(f"{len(self.skipped)} skipped")
        for key in ("entities", "dates", "events", "quotes", "claims", "rhetoric"):
            if key in self.counts:
                parts.append(f"{self.counts[key]} {key}")
        return "; ".join(parts)

    def skip_lines(self) -> list[str]:
        """Return one line per skipped input: ``skipped SOURCE: REASON``."""
        return [f"skipped {s.source}: {s.reason}" for s in self.skipped]


def iter_inputs(
    inputs: Iterable[str],
    *,
    outlet: str | None = None,
    max_bytes: int | None = None,
    encoding: str = "utf-8",
    allow_private: bool = False,
) -> Iterator[Document | Skip]:
    """Yield Documents and Skips for a mix of paths and http(s) URLs, in order."""
    from .ingest.files import MAX_BYTES, iter_documents
    from .ingest.url import is_url, iter_urls

    limit = max_bytes or MAX_BYTES
    for item in inputs:
        if is_url(item):
            yield from iter_urls([item], outlet=outlet, allow_private=allow_private, max_bytes=limit)
        else:
            yield from iter_documents([item], outlet=outlet, max_bytes=limit, encoding=encoding)


def analyze(
    inputs: Iterable[str],
    out_dir: str | Path,
    *,
    outlet: str | None = None,
    processes: int = 1,
    batch_size: int = 16,
    aliases: str | Path | None = None,
    rhetoric: str | None = DEFAULT_RHETORIC,
    max_bytes: int | None = None,
    encoding: str = "utf-8",
    allow_private: bool = False,
    html: bool = True,
    html_max_docs: int = HTML_MAX_DOCS,
    progress: Callable[[int], None] | None = None,
) -> Summary:
    """Analyse a corpus into ``out_dir``.

    The stages, in order:

    1. ingest: stream Documents (or Skips with a reason) from files, folders, URLs;
    2. extract: parse and extract each document not yet stored, in worker processes;
    3. store: write each batch of documents with all their records in one transaction;
    4. resolve: the cross-document pass over the whole store (entities and
       aliases, labels, the merged timeline);
    5. export: ``dossier.json`` (the data contract) and ``dossier.html``.

    A re-run over the same inputs adds nothing; a run killed part-way resumes
    where the last committed batch ended.

    Args:
        inputs: paths of files or folders, or http(s) URLs.
        out_dir: the output folder (created when missing).
        outlet: outlet name for inputs whose metadata names none.
        processes: worker processes for parsing and extraction.
        batch_size: documents per ``nlp.pipe`` batch and per transaction.
        aliases: a YAML file of manual entity corrections.
        rhetoric: rhetoric detector name, or None to skip that stage.
        max_bytes: largest accepted file (or JSONL line).
        encoding: encoding of text inputs.
        allow_private: let the URL fetcher reach private and loopback addresses.
        html: write ``dossier.html`` as well as the JSON.
        html_max_docs: largest corpus the HTML dossier is written for: the
            page holds every text and is built in memory, while the store and
            the JSON are written record by record, in flat memory, at any size.
        progress: called with the number of documents handled after each one.

    Returns:
        The run's :class:`Summary`.
    """
    from .export.dossier import build_dossier, write_dossier
    from .resolve import resolve_store

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    summary = Summary()
    run_id = uuid.uuid4().hex[:8]
    t0 = time.perf_counter()
    with Store(out / DB_NAME) as store:
        known = store.known_ids()
        seen: set[str] = set()

        # 1.
        def new_documents() -> Iterator[Document]:
            for item in iter_inputs(inputs, outlet=outlet, max_bytes=max_bytes, encoding=encoding, allow_private=allow_private):
                if isinstance(item, Skip):
                    summary.skipped.append(item)
                    continue
                summary.read += 1
                if item.id in known:
                    summary.unchanged += 1
                    if progress:
                        progress(1)
                    continue
                if item.id in seen:
                    summary.duplicates += 1
                    if progress:
                        progress(1)
                    continue
                seen.add(item.id)
                yield item

        # 2. and 3.
        pending = []
        for extraction in iter_extractions(new_documents(), Options(rhetoric=rhetoric), processes=processes, batch_size=batch_size):
            pending.append(extraction)
            if not extraction.analysed:
                summary.not_analysed += 1
            if len(pending) >= batch_size:
                summary.added += store.add_extractions(pending)
                if progress:
                    progress(len(pending))
                pending = []
        if pending:
            summary.added += store.add_extractions(pending)
            if progress:
                progress(len(pending))
        store.add_skips(summary.skipped, run_id)
        summary.seconds["extract"] = time.perf_counter() - t0

        # 4.
        t1 = time.perf_counter()
        resolved = resolve_store(store, aliases=aliases, seconds=summary.seconds)
        summary.overrides = resolved["overrides"]
        summary.notes = resolved["notes"]
        summary.seconds["resolve"] = time.perf_counter() - t1

        # 5.
        t2 = time.perf_counter()
        n_documents = store.count("documents")
        too_many = html and n_documents > html_max_docs
        if too_many:
            summary.notes.append(
                f"{HTML_NAME} not written: {n_documents:,} documents is more than the HTML limit of "
                f"{html_max_docs:,} (--html-max-docs); {DB_NAME} and {JSON_NAME} hold everything"
            )
        context = {"skipped": summary.skipped, "overrides": summary.overrides, "notes": summary.notes}
        counts = write_dossier(store, out / JSON_NAME, **context)
        summary.outputs["db"] = str(out / DB_NAME)
        summary.outputs["json"] = str(out / JSON_NAME)
        if html and not too_many:
            from .report.html import write as write_html

            write_html(build_dossier(store, **context), out / HTML_NAME)
            summary.outputs["html"] = str(out / HTML_NAME)
        summary.counts = {k: counts[k] for k in ("documents", "entities", "dates", "events", "quotes", "claims", "rhetoric")}
        summary.seconds["export"] = time.perf_counter() - t2
    summary.seconds["total"] = time.perf_counter() - t0
    return summary
