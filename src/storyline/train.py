"""Train storyline's statistical components from annotated data.

``storyline train rhetoric PATH --out DIR`` trains the persuasion-technique
model (``storyline.rhetoric.model.v1``) on PTC-format data and writes a model
directory that :class:`~storyline.extract.rhetoric.model.ModelDetector` loads.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any


def train(path: str, out: str, epochs: int = 6, seed: int = 0, limit: int | None = None, nlp: Any = None,
          folds: int = 5) -> dict[str, Any]:
    """Train the rhetoric model on a PTC-format folder and save it to ``out``.

    Stages:
        1. read the articles and gold spans (``articles/``, ``labels/``);
        2. parse them with the packaged spaCy pipeline;
        3. fit the token tagger and the technique classifier, and choose the
           decoding thresholds, confidence calibration and admitted rules by
           ``folds``-fold cross-validation over the articles (a tagger trained
           without each fold scores it; settings are picked on those scores);
        4. write ``weights.npz`` and ``config.json`` into ``out``.

    Args:
        path: PTC folder holding ``articles/`` and ``labels/``.
        out: directory to write the model into (created if missing).
        epochs: passes over the data.
        seed: shuffling seed; the same data and seed give the same weights.
        limit: train on the first ``limit`` articles only.
        nlp: a loaded spaCy pipeline; ``storyline.nlp.load()`` when ``None``.
        folds: folds for choosing the decoding settings (< 2: fixed defaults).

    Returns:
        A summary: ``out``, ``articles``, ``spans``, ``tokens``, ``seconds``, ``size_bytes``.

    Notes:
        Hashed-feature logistic regression (Weinberger et al. 2009) trained
        with AdaGrad; see ``storyline.extract.rhetoric.model``.
    """
    from storyline.eval.rhetoric import fold_of, read_ptc
    from storyline.extract.rhetoric.model import train_model

    started = time.perf_counter()
    # 1. read
    articles = read_ptc(path, limit=limit)
    # 2. parse
    if nlp is None:
        from storyline.nlp import load

        nlp = load()
    docs = list(nlp.pipe((a.text for a in articles), batch_size=16))
    # 3. fit; decoding thresholds, calibration and the default detector's rules by
    #    cross-validation over the same five folds `storyline eval rhetoric` uses
    groups = [fold_of(a.id, folds) for a in articles] if folds >= 2 else None
    weights = train_model(docs, [a.spans for a in articles], epochs=epochs, seed=seed, groups=groups,
                          keys=[a.id for a in articles])
    weights.meta["data"] = Path(path).name
    # 4. save
    weights.save(out)
    size = sum(f.stat().st_size for f in Path(out).iterdir() if f.is_file())
    return {
        "out": str(out),
        "articles": len(articles),
        "spans": weights.meta["spans"],
        "tokens": weights.meta["tokens"],
        "seconds": round(time.perf_counter() - started, 1),
        "size_bytes": size,
        "threshold": weights.threshold,
        "low": weights.low,
        "trim": weights.trim,
        "min_score": weights.min_score,
        "rules_kept": len(weights.rules_kept) if weights.rules_kept is not None else None,
        "tuning": weights.tuning,
    }


def main_train(path: str, out: str) -> int:
    """Train the rhetoric model on ``path``, save it to ``out``, print a summary; return 0."""
    summary = train(path, out)
    print(
        f"trained storyline.rhetoric.model.v1 on {summary['articles']} articles "
        f"({summary['spans']} spans, {summary['tokens']} tokens) in {summary['seconds']} s; "
        f"wrote {summary['out']} ({summary['size_bytes'] / 1e6:.1f} MB)\n"
        f"decoding chosen by cross-validation: threshold {summary['threshold']} low {summary['low']} "
        f"trim {summary['trim']} min_score {summary['min_score']}; rules admitted {summary['rules_kept']}; "
        f"out-of-fold {summary['tuning']}"
    )
    return 0
