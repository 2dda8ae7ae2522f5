"""``storyline bench``: throughput and peak memory, full analysis next to bare ``nlp.pipe``.

Each measurement runs in a fresh Python process, so the peak resident memory
it reports (its own and its worker processes') belongs to that measurement
alone. Both measurements read the same generated corpus.
"""

from __future__ import annotations

import json
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

_SHIFT_NAMES = ("Northern", "Eastern", "Western", "Southern", "Central", "Upper", "Lower", "Greater")


def generate_corpus(n_docs: int, path: Path, seed: int = 13) -> dict[str, int]:
    """Write ``n_docs`` articles derived from the demo corpus to a JSONL file.

    Each generated article is a demo article with its paragraphs shuffled and
    a numbered dateline added, so every document has distinct content (and so
    a distinct content hash) while keeping realistic language.

    Returns:
        ``{"docs": n, "words": total words}``.
    """
    from .cli import demo_path
    from .ingest.files import iter_documents
    from .records import Document

    base = [d for d in iter_documents([demo_path()]) if isinstance(d, Document)]
    if not base:
        raise RuntimeError(f"the demo corpus at {demo_path()} holds no readable article")
    rng = random.Random(seed)
    words = 0
    with path.open("w", encoding="utf-8") as handle:
        for i in range(n_docs):
            source = base[i % len(base)]
            paragraphs = [p for p in re.split(r"\n\s*\n|\n", source.text) if p.strip()]
            head, body = paragraphs[0], paragraphs[1:]
            rng.shuffle(body)
            dateline = f"{rng.choice(_SHIFT_NAMES)} bureau, dispatch {i + 1}."
            text = "\n\n".join([head, dateline, *body])
            words += len(text.split())
            record = {"id": f"bench-{i}", "title": head, "outlet": source.outlet, "published": source.published, "text": text}
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return {"docs": n_docs, "words": words}


def _peak_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024.0


def _run_full(corpus: Path, out: Path, processes: int, batch_size: int) -> dict[str, Any]:
    from .nlp import load
    from .pipeline import analyze

    load()  # the bare run loads the model before its clock starts; so does this one
    t0 = time.perf_counter()
    summary = analyze([str(corpus)], out, processes=processes, batch_size=batch_size, html=False)
    return {"seconds": time.perf_counter() - t0, "stages": summary.seconds, "docs": summary.added, "peak_mb": _peak_mb()}


def _run_bare(corpus: Path, processes: int, batch_size: int) -> dict[str, Any]:
    from .nlp import load

    nlp = load()
    t0 = time.perf_counter()
    texts = (json.loads(line)["text"] for line in corpus.open(encoding="utf-8"))
    n = sum(1 for _ in nlp.pipe(texts, batch_size=batch_size, n_process=processes))
    return {"seconds": time.perf_counter() - t0, "docs": n, "peak_mb": _peak_mb()}


def _run_rhetoric(corpus: Path, batch_size: int) -> dict[str, Any]:
    from .extract.rhetoric import get_detector
    from .nlp import load

    nlp = load()
    detector = get_detector()
    texts = [json.loads(line)["text"] for line in corpus.open(encoding="utf-8")]
    docs = list(nlp.pipe(texts, batch_size=batch_size))
    t0 = time.perf_counter()
    spans = sum(1 for doc in docs for _ in detector.detect(doc, ""))
    return {"seconds": time.perf_counter() - t0, "docs": len(docs), "spans": spans, "peak_mb": _peak_mb()}


def _measure(kind: str, corpus: Path, out: Path, processes: int, batch_size: int) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "storyline.bench", kind, str(corpus), str(out), str(processes), str(batch_size)]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"benchmark step {kind!r} failed: {done.stderr.strip().splitlines()[-1:] or done.returncode}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(docs: int, processes: int = 1, batch_size: int = 16, rhetoric_only: bool = False, bare: bool = True, work: str | None = None) -> int:
    """Generate a corpus of ``docs`` documents, measure, and print the figures."""
    with tempfile.TemporaryDirectory(prefix="storyline-bench-") as tmp:
        root = Path(work) if work else Path(tmp)
        root.mkdir(parents=True, exist_ok=True)
        corpus = root / "bench-corpus.jsonl"
        size = generate_corpus(docs, corpus)
        words = size["words"]
        print(f"corpus: {size['docs']} documents, {words} words (generated from the demo corpus)")
        if rhetoric_only:
            r = _measure("rhetoric", corpus, root, 1, batch_size)
            print(f"rhetoric detector alone, one core: {words / r['seconds']:,.0f} words/s, {r['docs'] / r['seconds']:,.1f} docs/s, {r['spans']} spans, {r['seconds']:.1f} s")
            return 0
        out = root / "out"
        if out.exists():
            import shutil

            shutil.rmtree(out)
        full = _measure("full", corpus, out, processes, batch_size)
        baseline = _measure("bare", corpus, out, processes, batch_size) if bare else None
    _print_row("storyline analyze", words, full)
    if baseline:
        _print_row("bare nlp.pipe", words, baseline)
        print(f"ratio (full / bare throughput): {baseline['seconds'] / full['seconds']:.2f}  (time ratio {full['seconds'] / baseline['seconds']:.2f}x)")
    stages = full.get("stages") or {}
    total = stages.get("total") or full["seconds"]

    def part(key: str) -> str:
        return f"{key} {stages.get(key, 0.0):.1f} s ({100 * stages.get(key, 0.0) / total:.1f}%)"

    print(f"stages of the full run: {part('extract')}, {part('resolve')} [{part('entities')}, {part('timeline')}, {part('claims')}], {part('export')}")
    print(f"processes {processes}, batch size {batch_size}; the full run writes storyline.db and dossier.json (no HTML)")
    return 0


def _print_row(name: str, words: int, r: dict[str, Any]) -> None:
    print(f"{name:18s} {words / r['seconds']:10,.0f} words/s {r['docs'] / r['seconds']:8,.1f} docs/s  {r['seconds']:8.1f} s  peak RSS {r['peak_mb']:,.0f} MB")


if __name__ == "__main__":
    kind, corpus_arg, out_arg, proc_arg, batch_arg = sys.argv[1:6]
    corpus_path, out_path = Path(corpus_arg), Path(out_arg)
    if kind == "full":
        result = _run_full(corpus_path, out_path, int(proc_arg), int(batch_arg))
    elif kind == "bare":
        result = _run_bare(corpus_path, int(proc_arg), int(batch_arg))
    else:
        result = _run_rhetoric(corpus_path, int(batch_arg))
    print(json.dumps(result))
