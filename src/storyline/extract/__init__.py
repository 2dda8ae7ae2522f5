"""Per-document extraction: a pure function from a parsed document to records.

Nothing here reads or writes the store, the network or global state: the same
:class:`~storyline.records.Document` and model always give the same
:class:`~storyline.records.Extraction`, so the stage can run in worker
processes today and on a distributed engine later.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ..records import Document, Extraction, Sentence

#: The rhetoric detector used unless another is named.
DEFAULT_RHETORIC = "storyline.rhetoric.default.v1"
#: Languages analysed with the English pipeline; others are stored and flagged.
ANALYSED_LANGUAGES = frozenset({"en"})


@dataclass(frozen=True)
class Options:
    """What the per-document stage runs.

    Attributes:
        rhetoric: name of the rhetoric detector (see
            :func:`storyline.extract.rhetoric.detectors`), or ``None`` to skip.
    """

    rhetoric: str | None = DEFAULT_RHETORIC


def should_analyse(document: Document) -> bool:
    """Return True when a document is in a language the pipeline analyses."""
    return document.lang is None or document.lang in ANALYSED_LANGUAGES


def extract(doc, document: Document, options: Options = Options()) -> Extraction:  # noqa: ANN001 - spaCy Doc
    """Run every extractor over one parsed document.

    The stages, in order:

    1. sentences (for linking every item to its sentence);
    2. entity mentions, acronym definitions and labels;
    3. temporal expressions, normalized against the publication date;
    4. quotes and attributions with their speakers;
    5. dated events, using the dates and mentions above;
    6. persuasion-technique spans;
    7. check-worthy claims, with speakers from the quotes above.

    Args:
        doc: the spaCy ``Doc`` parsed from ``document.text``.
        document: the ingested document.
        options: which optional extractors to run.

    Returns:
        The document's records, every offset into ``document.text``.
    """
    from .claims import claims as find_claims
    from .dates import find_dates
    from .entities import mentions as find_mentions
    from .events import events as find_events
    from .quotes import quotes as find_quotes

    doc_id = document.id
    # 1.
    sentences = [Sentence(doc_id, s.start_char, s.end_char) for s in doc.sents]
    # 2.
    mentions, acronyms = find_mentions(doc, doc_id)
    # 3.
    dates = find_dates(document.text, doc=doc_id, published=document.published, parse=doc)
    # 4.
    quotes = list(find_quotes(doc, doc_id))
    # 5.
    events = list(find_events(doc, doc_id, dates, mentions, published=document.published))
    # 6.
    rhetoric = []
    if options.rhetoric:
        from .rhetoric import rhetoric as find_rhetoric

        rhetoric = list(find_rhetoric(doc, doc_id, detector=options.rhetoric))
    # 7.
    claims = find_claims(doc, doc_id, quotes, mentions, dates)
    return Extraction(
        document=document,
        sentences=sentences,
        mentions=list(mentions),
        acronyms=list(acronyms),
        dates=list(dates),
        quotes=quotes,
        events=events,
        rhetoric=rhetoric,
        claims=claims,
    )


def unanalysed(document: Document) -> Extraction:
    """Return the record set of a document that is stored but not analysed (e.g. not English)."""
    return Extraction(document=document, analysed=False)


def extract_batch(documents: list[Document], options: Options = Options(), batch_size: int = 16) -> list[Extraction]:
    """Parse and extract a batch of documents in this process with ``nlp.pipe``."""
    from ..nlp import load

    nlp = load()
    todo = [d for d in documents if should_analyse(d)]
    done: dict[str, Extraction] = {}
    for doc, document in zip(nlp.pipe((d.text for d in todo), batch_size=batch_size), todo):
        done[document.id] = extract(doc, document, options)
    return [done.get(d.id) or unanalysed(d) for d in documents]


def iter_extractions(documents: Iterable[Document], options: Options = Options(), *, processes: int = 1, batch_size: int = 16) -> Iterator[Extraction]:
    """Extract documents in order, in ``processes`` worker processes.

    Work is handed out in batches of ``batch_size`` documents with at most
    two batches in flight per worker, so memory stays flat however large the
    corpus is (``Pool.imap`` would read the whole input ahead).
    """
    batches = _batched(documents, batch_size)
    if processes <= 1:
        for batch in batches:
            yield from extract_batch(batch, options, batch_size)
        return
    import multiprocessing as mp
    from collections import deque

    from ..nlp import load

    load()  # load once in the parent: forked workers share the weights copy-on-write
    ctx = mp.get_context("fork")
    with ctx.Pool(processes) as pool:
        pending: deque = deque()
        for batch in batches:
            pending.append(pool.apply_async(extract_batch, (batch, options, batch_size)))
            if len(pending) >= 2 * processes:
                yield from pending.popleft().get()
        while pending:
            yield from pending.popleft().get()


def _batched(items: Iterable[Document], size: int) -> Iterator[list[Document]]:
    batch: list[Document] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
