"""The statistical detector: hashed-feature logistic regression over spaCy tokens.

Two linear models, trained with numpy on CPU from PTC-format data:

1. a token tagger that scores each token as inside/outside a technique span
   (features of the token, its neighbours, its dependency head, its sentence's
   words, how often it recurs in the article, which rule lexicons cover it,
   and the pipeline's 96-d tok2vec vector); runs of tokens above a low
   threshold that reach a high one somewhere become spans (hysteresis; the
   thresholds, a function-word trim and a mean-score floor are chosen by
   nested cross-validation inside the training articles, see
   :func:`tune_decoding`);
2. a multinomial span classifier that gives each span one of the 14 PTC
   techniques (features of the span's words, edges, head, length, context,
   repetition in the article, rule hits, its sentence, mean tok2vec vector).

All sparse features are hashed (the "hashing trick") into fixed-size weight
tables, so the shipped model stores learned weights only: no vocabulary, no
strings from the training text.

Notes:
    Weinberger et al. 2009, feature hashing; logistic regression trained with
    AdaGrad (Duchi et al. 2011) and L2 regularisation; murmur3 finaliser for
    hash mixing. Token I/O tagging for span identification follows the
    SemEval-2020 Task 11 system descriptions (Da San Martino et al. 2020).
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from spacy.attrs import (
    DEP, ENT_TYPE, HEAD, IDX, IS_PUNCT, IS_SPACE, LEMMA, LENGTH, LOWER, POS, SENT_START, SHAPE, SUFFIX, TAG,
)

from storyline.records import Rhetoric

from .base import TECHNIQUES, find_target
from .rules import short_name

MODEL_VERSION = 1
TOKEN_BITS = 20
SPAN_BITS = 18
_ATTRS = [LOWER, LEMMA, SHAPE, TAG, DEP, ENT_TYPE, SUFFIX, HEAD, IS_PUNCT, SENT_START]
_PAD_WORDS = 40  # span and sentence bags are cut / padded to this many tokens
DENSE_DIM = 96  # width of en_core_web_sm's tok2vec output (doc.tensor)


class ModelNotTrained(RuntimeError):
    """No trained model weights were found where the detector looked."""


def _mix(x: np.ndarray) -> np.ndarray:
    """Murmur3 64-bit finaliser, vectorised; wraps modulo 2**64 by design."""
    x = x.astype(np.uint64, copy=True)
    with np.errstate(over="ignore"):
        x ^= x >> np.uint64(33)
        x *= np.uint64(0xFF51AFD7ED558CCD)
        x ^= x >> np.uint64(33)
        x *= np.uint64(0xC4CEB9FE1A85EC53)
        x ^= x >> np.uint64(33)
    return x


def _h(template: int, *values: np.ndarray | int) -> np.ndarray:
    """Hash a feature template id with one or more uint64 value arrays."""
    acc = np.uint64(template * 0x9E3779B97F4A7C15 & 0xFFFFFFFFFFFFFFFF)
    out: np.ndarray | None = None
    for v in values:
        arr = np.asarray(v, dtype=np.uint64)
        out = _mix(arr ^ acc) if out is None else _mix(arr ^ out)
    assert out is not None
    return out


def _bucket(n: np.ndarray, edges: Sequence[int]) -> np.ndarray:
    return np.searchsorted(np.asarray(edges), n, side="right").astype(np.uint64)


@dataclass
class _DocArrays:
    """Per-document token attributes and derived arrays used by both models."""

    lower: np.ndarray
    lemma: np.ndarray
    shape: np.ndarray
    tag: np.ndarray
    dep: np.ndarray
    ent: np.ndarray
    suffix: np.ndarray
    head: np.ndarray
    punct: np.ndarray  # punctuation or whitespace token
    sent_id: np.ndarray
    sent_start: np.ndarray
    sent_end: np.ndarray
    lower_count: np.ndarray
    title: np.ndarray
    idx: np.ndarray
    end_idx: np.ndarray
    rule: np.ndarray  # per token: hash of the rule techniques covering it (0: none)
    vec: np.ndarray  # (n, DENSE_DIM) the pipeline's tok2vec output (doc.tensor), zeros when absent
    func: np.ndarray  # punctuation, whitespace or a function word (determiner, adposition, conjunction, particle)


_RULES: Any = None
_FUNCTION_POS = ("DET", "ADP", "CCONJ", "SCONJ", "PART")


def _rule_codes(doc: Any) -> np.ndarray:
    """Per token, a hash of the techniques of the rule hits covering it (0 when none)."""
    global _RULES
    if _RULES is None:
        from . import get_detector

        # share the registry's rule detector, so its per-document cache serves the default detector too
        _RULES = get_detector("storyline.rhetoric.rules.v1")
    codes = np.zeros(len(doc), dtype=np.uint64)
    for hit in _RULES._hits(doc):
        code = _h(50, np.uint64(zlib.crc32(hit.technique.encode("utf-8"))))
        codes[hit.start:hit.end] = _mix(codes[hit.start:hit.end] ^ code)
    return codes


def _arrays(doc: Any) -> _DocArrays:
    n = len(doc)
    arr = doc.to_array(_ATTRS).astype(np.uint64) if n else np.zeros((0, len(_ATTRS)), dtype=np.uint64)
    lower, lemma, shape, tag, dep, ent, suffix, head_rel, punct, sstart = (arr[:, k] for k in range(len(_ATTRS)))
    head = np.arange(n, dtype=np.int64) + head_rel.astype(np.int64)
    starts = sstart.astype(np.int64) == 1
    if n:
        starts[0] = True
    sent_id = np.cumsum(starts) - 1
    first = np.flatnonzero(starts)
    last = np.append(first[1:], n)
    sent_start = first[sent_id] if n else np.zeros(0, dtype=np.int64)
    sent_end = last[sent_id] if n else np.zeros(0, dtype=np.int64)
    _, inverse, counts = np.unique(lower, return_inverse=True, return_counts=True)
    offsets = doc.to_array([IDX, LENGTH, IS_SPACE, POS]).astype(np.int64) if n else np.zeros((0, 4), dtype=np.int64)
    idx, lens = offsets[:, 0], offsets[:, 1]
    # spans never start or end on punctuation or whitespace tokens
    space = offsets[:, 2].astype(bool)
    func_pos = np.array([doc.vocab.strings[p] for p in _FUNCTION_POS], dtype=np.int64)
    func = np.isin(offsets[:, 3], func_pos) | punct.astype(bool) | space
    first_newline = doc.text.find("\n")
    title = (idx < first_newline) if first_newline >= 0 else np.zeros(n, dtype=bool)
    return _DocArrays(
        lower, lemma, shape, tag, dep, ent, suffix, head, punct.astype(bool) | space, sent_id, sent_start, sent_end,
        counts[inverse] if n else np.zeros(0, dtype=np.int64), title, idx, idx + lens, _rule_codes(doc),
        _dense(doc), func,
    )


def _dense(doc: Any) -> np.ndarray:
    """Return ``doc.tensor`` when the pipeline filled it with the expected width, else zeros."""
    tensor = getattr(doc, "tensor", None)
    if tensor is not None and getattr(tensor, "shape", (0, 0)) == (len(doc), DENSE_DIM):
        return np.asarray(tensor, dtype=np.float32)
    return np.zeros((len(doc), DENSE_DIM), dtype=np.float32)


def _shift(a: np.ndarray, k: int, fill: int) -> np.ndarray:
    """Return ``a`` shifted so that out[i] = a[i + k], padded with ``fill``."""
    out = np.full_like(a, fill)
    if k > 0:
        out[:-k] = a[k:] if k < len(a) else out[:-k]
    elif k < 0:
        out[-k:] = a[:k] if -k < len(a) else out[-k:]
    else:
        out[:] = a
    return out


def token_features(d: _DocArrays, bits: int = TOKEN_BITS) -> np.ndarray:
    """Return an ``(n_tokens, n_features)`` array of hashed feature indices for the tagger."""
    n = len(d.lower)
    bos = 0x42
    l = d.lower
    lm1, lp1, lm2, lp2 = _shift(l, -1, bos), _shift(l, 1, bos), _shift(l, -2, bos), _shift(l, 2, bos)
    lm3, lp3 = _shift(l, -3, bos), _shift(l, 3, bos)
    tm1, tp1 = _shift(d.tag, -1, bos), _shift(d.tag, 1, bos)
    head = np.clip(d.head, 0, max(n - 1, 0))
    pos_in_sent = np.arange(n) - d.sent_start
    sent_len = d.sent_end - d.sent_start
    rel = (pos_in_sent * 4 // np.maximum(sent_len, 1)).astype(np.uint64)
    count_b = _bucket(d.lower_count, [2, 3, 5, 9])
    sb = _bucket(sent_len, [6, 12, 20, 30, 45])
    first_lower = d.lower[d.sent_start] if n else d.lower
    root_lemma = np.zeros(n, dtype=np.uint64)
    if n:
        roots = np.flatnonzero(d.head == np.arange(n))
        root_of_sent = np.zeros(d.sent_id.max() + 1, dtype=np.uint64)
        root_of_sent[d.sent_id[roots]] = d.lemma[roots]
        root_lemma = root_of_sent[d.sent_id]
    title = d.title.astype(np.uint64)
    cols = [
        _h(1, np.zeros(n, dtype=np.uint64)),
        _h(2, l), _h(3, d.lemma), _h(4, d.shape), _h(5, d.tag), _h(6, d.dep), _h(7, d.suffix), _h(8, d.ent),
        _h(9, lm1), _h(10, lp1), _h(11, lm2), _h(12, lp2), _h(13, lm3), _h(14, lp3),
        _h(15, lm1, l), _h(16, l, lp1), _h(17, tm1, d.tag, tp1),
        _h(18, d.lemma[head] if n else l), _h(19, d.dep, d.lemma[head] if n else l),
        _h(20, rel, sb), _h(21, count_b, d.tag), _h(22, title), _h(23, first_lower), _h(24, root_lemma),
        _h(25, d.tag, d.dep), _h(26, lm2, lm1, l), _h(27, l, lp1, lp2), _h(28, title, d.tag),
        _h(29, d.rule), _h(30, _shift(d.rule, -1, 0), d.rule, _shift(d.rule, 1, 0)),
    ]
    local = (np.stack(cols, axis=1) & np.uint64((1 << bits) - 1)).astype(np.int64)
    # The sentence's words as an unordered bag shared by its tokens: the context
    # that makes a whole clause Doubt or Appeal to fear.
    n_sents = int(d.sent_id.max()) + 1 if n else 0
    bag = np.full((n_sents, _PAD_WORDS), 1 << bits, dtype=np.int64)
    hashed = (_h(40, d.lemma) & np.uint64((1 << bits) - 1)).astype(np.int64)
    pos = np.arange(n) - d.sent_start
    keep = pos < _PAD_WORDS
    bag[d.sent_id[keep], pos[keep]] = hashed[keep]
    return np.concatenate([local, bag[d.sent_id]], axis=1)


def span_features(d: _DocArrays, doc_lower: str, text: str, spans: Sequence[tuple[int, int]], bits: int = SPAN_BITS
                  ) -> np.ndarray:
    """Return ``(n_spans, n_features)`` hashed feature indices for the technique classifier.

    ``spans`` are token ranges ``[start, end)``; padded slots point at the
    all-zero row ``2**bits``.
    """
    pad = 1 << bits
    mask = np.uint64(pad - 1)
    rows = []
    n = len(d.lower)
    bos = np.uint64(0x42)
    for a, b in spans:
        b = max(b, a + 1)
        words = d.lower[a:b][:_PAD_WORDS]
        lemmas = d.lemma[a:b][:_PAD_WORDS]
        tags = d.tag[a:b][:_PAD_WORDS]
        s0, s1 = int(d.sent_start[a]), int(d.sent_end[a])
        sent = np.concatenate([d.lower[s0:a], d.lower[b:s1]])[:_PAD_WORDS]
        heads = d.head[a:b]
        inside = (heads >= a) & (heads < b)
        root = a + int(np.flatnonzero(~inside)[0]) if (~inside).any() else a
        chunk = doc_lower[int(d.idx[a]):int(d.end_idx[b - 1])]
        occurrences = doc_lower.count(chunk) if chunk.strip() else 1
        length = b - a
        left1 = d.lower[a - 1] if a > 0 else bos
        left2 = d.lower[a - 2] if a > 1 else bos
        right1 = d.lower[b] if b < n else bos
        right2 = d.lower[b + 1] if b + 1 < n else bos
        surface = text[int(d.idx[a]):int(d.end_idx[b - 1])]
        flags = np.array([
            "!" in surface, "?" in surface, '"' in surface or "“" in surface or "”" in surface,
            surface.isupper() and any(c.isalpha() for c in surface), bool(d.title[a]),
            (s1 - s0) <= length + 2,
        ], dtype=np.uint64)
        fixed = np.array([
            _h(1, 0), _h(2, words[0]), _h(3, words[-1]), _h(4, tags[0]), _h(5, tags[-1]),
            _h(6, _bucket(np.array([length]), [2, 3, 4, 6, 9, 13, 21, 31])[0]),
            _h(7, d.lemma[root]), _h(8, d.dep[root]), _h(9, d.tag[root]),
            _h(10, left1), _h(11, left2), _h(12, right1), _h(13, right2),
            _h(14, _bucket(np.array([occurrences]), [2, 3, 4, 6])[0]),
            _h(15, _bucket(np.array([d.lower_count[root]]), [2, 3, 5, 9])[0], d.tag[root]),
            _h(16, left1, words[0]), _h(17, words[-1], right1),
            _h(18, _bucket(np.array([occurrences]), [2, 3])[0], _bucket(np.array([length]), [2, 3, 5])[0]),
            _h(19, _bucket(np.array([length * 10 // max(s1 - s0, 1)]), [2, 4, 6, 8, 10])[0]),
            _h(20, d.ent[root]), _h(22, d.rule[a]), _h(23, d.rule[b - 1]), _h(24, d.rule[root]),
        ], dtype=np.uint64)
        flag_f = _h(21, np.arange(len(flags), dtype=np.uint64), flags)
        bag = np.concatenate([_h(30, words), _h(31, lemmas), _h(32, tags),
                              _h(33, words[:-1], words[1:]) if len(words) > 1 else np.zeros(0, np.uint64)])
        sbag = _h(34, sent)
        idx = np.concatenate([fixed, flag_f, bag, sbag]) & mask
        row = np.full(len(fixed) + len(flags) + 4 * _PAD_WORDS + _PAD_WORDS, pad, dtype=np.int64)
        row[:len(idx)] = idx.astype(np.int64)
        rows.append(row)
    width = 29 + 5 * _PAD_WORDS
    return np.stack(rows) if rows else np.zeros((0, width), dtype=np.int64)


def span_dense(d: _DocArrays, spans: Sequence[tuple[int, int]]) -> np.ndarray:
    """Return the mean tok2vec vector of each token range, ``(n_spans, DENSE_DIM)``."""
    if not spans:
        return np.zeros((0, DENSE_DIM), dtype=np.float32)
    return np.stack([d.vec[a:max(b, a + 1)].mean(axis=0) for a, b in spans]).astype(np.float32)


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def train_logreg(
    X: np.ndarray, y: np.ndarray, n_classes: int, dim: int, epochs: int = 6, lr: float = 0.2,
    l2: float = 1e-6, batch: int = 512, seed: int = 0, class_weight: np.ndarray | None = None,
    dense: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray | None]:
    """Train multinomial logistic regression over hashed indices with sparse AdaGrad.

    Args:
        X: ``(n, k)`` feature indices in ``[0, dim]``; index ``dim`` is padding (weight fixed at 0).
        y: ``(n,)`` class ids, or ``(n, n_classes)`` soft targets (rows summing to 1).
        n_classes: number of classes (2 for the binary tagger).
        dim: hashed feature space size.
        class_weight: optional per-class example weights.
        dense: optional ``(n, d)`` real-valued features (e.g. tok2vec vectors).

    Returns:
        The ``(dim + 1, n_classes)`` float32 hashed weight table and the
        ``(d, n_classes)`` dense weights (``None`` without ``dense``).
    """
    rng = np.random.default_rng(seed)
    W = np.zeros((dim + 1, n_classes), dtype=np.float32)
    G2 = np.full((dim + 1, n_classes), 1e-8, dtype=np.float32)
    n, k = X.shape
    soft = y.ndim == 2
    V = np.zeros((dense.shape[1], n_classes), dtype=np.float32) if dense is not None else None
    GV = np.full_like(V, 1e-8) if V is not None else None
    onehot = np.eye(n_classes, dtype=np.float32)
    cw = np.ones(n_classes, dtype=np.float32) if class_weight is None else class_weight.astype(np.float32)
    for _ in range(epochs):
        order = rng.permutation(n)
        for s in range(0, n, batch):
            rows = order[s:s + batch]
            xb = X[rows]
            z = W[xb].sum(axis=1)
            if V is not None:
                z = z + dense[rows] @ V
            p = _softmax(z)
            g = p - y[rows] if soft else (p - onehot[y[rows]]) * cw[y[rows]][:, None]
            uniq, inv = np.unique(xb.ravel(), return_inverse=True)
            flat_g = np.repeat(g, k, axis=0)
            grad = np.zeros((len(uniq), n_classes), dtype=np.float32)
            for c in range(n_classes):
                grad[:, c] = np.bincount(inv, weights=flat_g[:, c], minlength=len(uniq))
            grad /= len(rows)
            grad += l2 * W[uniq]
            G2[uniq] += grad * grad
            W[uniq] -= lr * grad / np.sqrt(G2[uniq])
            W[dim] = 0.0
            if V is not None:
                gv = dense[rows].T @ g / len(rows) + l2 * V
                GV += gv * gv
                V -= lr * gv / np.sqrt(GV)
    return W, V


@dataclass
class RhetoricWeights:
    """The learned weights of the statistical detector and its decoding settings.

    ``threshold``/``low``/``trim``/``min_score`` drive :func:`decode`;
    ``calibration`` maps a span's mean token score to the share of it that
    lay inside annotated spans on held-out training articles; ``rules_kept``
    lists the rules the default detector may add spans from (``None``: all).
    """

    tagger: np.ndarray  # (2**TOKEN_BITS + 1, 2)
    classifier: np.ndarray  # (2**SPAN_BITS + 1, n_techniques)
    techniques: tuple[str, ...] = TECHNIQUES
    threshold: float = 0.5
    low: float | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    tagger_dense: np.ndarray | None = None  # (DENSE_DIM, 2)
    classifier_dense: np.ndarray | None = None  # (DENSE_DIM, n_techniques)
    trim: bool = False
    min_score: float = 0.0
    calibration: tuple[list[float], list[float]] | None = None
    rule_precision: dict[str, list[float]] | None = None  # rule -> [precision, hits] on training articles
    rules_kept: tuple[str, ...] | None = None
    tuning: dict[str, Any] = field(default_factory=dict)

    def save(self, directory: str | Path) -> None:
        """Write ``weights.npz`` (float16) and ``config.json`` into ``directory``."""
        out = Path(directory)
        out.mkdir(parents=True, exist_ok=True)
        arrays = {"tagger": self.tagger.astype(np.float16), "classifier": self.classifier.astype(np.float16)}
        for name in ("tagger_dense", "classifier_dense"):
            if getattr(self, name) is not None:
                arrays[name] = getattr(self, name).astype(np.float32)
        np.savez_compressed(out / "weights.npz", **arrays)
        config = {"version": MODEL_VERSION, "token_bits": TOKEN_BITS, "span_bits": SPAN_BITS,
                  "techniques": list(self.techniques), "threshold": self.threshold, "low": self.low,
                  "trim": self.trim, "min_score": self.min_score,
                  "calibration": [list(c) for c in self.calibration] if self.calibration else None,
                  "rule_precision": self.rule_precision,
                  "rules_kept": list(self.rules_kept) if self.rules_kept is not None else None,
                  "tuning": self.tuning, "meta": self.meta}
        (out / "config.json").write_text(json.dumps(config, indent=2, sort_keys=True) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, directory: str | Path) -> "RhetoricWeights":
        """Read weights written by :meth:`save`.

        Raises:
            ModelNotTrained: when ``directory`` has no ``weights.npz``/``config.json``.
        """
        src = Path(directory)
        if not (src / "weights.npz").exists() or not (src / "config.json").exists():
            raise ModelNotTrained(
                f"No trained rhetoric model in {src} (expected weights.npz and config.json). "
                "Train one with: storyline train rhetoric PATH/TO/PTC --out DIR"
            )
        config = json.loads((src / "config.json").read_text(encoding="utf-8"))
        if config.get("version") != MODEL_VERSION or config.get("token_bits") != TOKEN_BITS \
                or config.get("span_bits") != SPAN_BITS:
            raise ModelNotTrained(
                f"The rhetoric model in {src} has format version {config.get('version')} "
                f"(bits {config.get('token_bits')}/{config.get('span_bits')}); this storyline reads version "
                f"{MODEL_VERSION} ({TOKEN_BITS}/{SPAN_BITS}). Retrain it with: storyline train rhetoric PATH --out DIR"
            )
        with np.load(src / "weights.npz") as data:
            tagger = data["tagger"].astype(np.float32)
            classifier = data["classifier"].astype(np.float32)
            dense = {k: data[k].astype(np.float32) for k in ("tagger_dense", "classifier_dense") if k in data.files}
        calibration = config.get("calibration")
        kept = config.get("rules_kept")
        return cls(tagger, classifier, tuple(config["techniques"]), float(config["threshold"]),
                   config.get("low"), config.get("meta", {}), **dense, trim=bool(config.get("trim", False)),
                   min_score=float(config.get("min_score", 0.0)),
                   calibration=(list(calibration[0]), list(calibration[1])) if calibration else None,
                   rule_precision=config.get("rule_precision"),
                   rules_kept=tuple(kept) if kept is not None else None, tuning=config.get("tuning", {}))


# -- decoding ----------------------------------------------------------------------------------


def _runs(probs: np.ndarray, arrays: _DocArrays, low: float, trim: bool) -> list[tuple[int, int]]:
    """Token runs scoring >= ``low`` within one sentence, edge tokens trimmed (see :func:`decode`)."""
    n = len(probs)
    if n == 0:
        return []
    on = probs >= low
    new_sent = np.ones(n, dtype=bool)
    new_sent[1:] = arrays.sent_id[1:] != arrays.sent_id[:-1]
    first = on.copy()
    first[1:] &= ~on[:-1] | new_sent[1:]
    last = on.copy()
    last[:-1] &= ~on[1:] | new_sent[1:]
    skip = arrays.func if trim else arrays.punct
    out = []
    for a, b in zip(np.flatnonzero(first).tolist(), (np.flatnonzero(last) + 1).tolist()):
        while a < b and skip[a]:
            a += 1
        while b > a and skip[b - 1]:
            b -= 1
        if a < b:
            out.append((a, b))
    return out


def decode(probs: np.ndarray, arrays: _DocArrays, threshold: float, low: float | None = None, trim: bool = False,
           min_score: float = 0.0) -> list[tuple[int, int, float]]:
    """Turn token scores into spans ``(start, end, mean score)`` by hysteresis.

    A run of tokens scoring at least ``low`` inside one sentence (spans never
    cross a sentence boundary) becomes a span when one of its tokens scores at
    least ``threshold`` and its mean score is at least ``min_score``. Edge
    punctuation is trimmed; with ``trim`` leading and trailing function words
    (determiners, adpositions, conjunctions, particles) are trimmed too.

    Notes:
        Hysteresis thresholding as in Canny 1986; the thresholds are chosen by
        nested cross-validation inside the training articles (:func:`tune_decoding`).
    """
    low = threshold if low is None else low
    out = []
    for a, b in _runs(probs, arrays, low, trim):
        seg = probs[a:b]
        mean = float(seg.mean())
        if seg.max() >= threshold and mean >= min_score:
            out.append((a, b, mean))
    return out


class _SIScorer:
    """Fast SemEval-2020 partial-overlap SI scoring of many candidate span sets on fixed documents.

    The documents are laid end to end (one gap character apart); overlapping
    or touching spans are merged, as in ``storyline.eval.rhetoric.span_scores``.
    """

    def __init__(self, lengths: Sequence[int], gold: Sequence[Sequence[tuple[int, int]]]) -> None:
        self.offsets = np.concatenate([[0], np.cumsum(np.asarray(lengths, dtype=np.int64) + 1)])[:-1]
        self.total = int(self.offsets[-1] + lengths[-1] + 1) if len(lengths) else 1
        starts = [self.offsets[k] + s for k, spans in enumerate(gold) for s, _ in spans]
        ends = [self.offsets[k] + e for k, spans in enumerate(gold) for _, e in spans]
        self.gold_mask = self._mask(np.asarray(starts, dtype=np.int64), np.asarray(ends, dtype=np.int64))
        self.gold_cs = np.concatenate([[0], np.cumsum(self.gold_mask)])
        self.gs, self.ge = self._runs(self.gold_mask)

    def _mask(self, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
        diff = np.zeros(self.total + 1, dtype=np.int64)
        np.add.at(diff, starts, 1)
        np.add.at(diff, ends, -1)
        return np.cumsum(diff[:-1]) > 0

    @staticmethod
    def _runs(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        m = np.concatenate([[False], mask, [False]]).astype(np.int8)
        d = np.diff(m)
        return np.flatnonzero(d == 1), np.flatnonzero(d == -1)

    def to_global(self, doc_index: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Shift per-document character offsets into the concatenated space."""
        return self.offsets[doc_index] + starts, self.offsets[doc_index] + ends

    def overlap(self, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
        """Share of each (global) span that lies inside gold spans."""
        return (self.gold_cs[ends] - self.gold_cs[starts]) / np.maximum(ends - starts, 1)

    def score(self, starts: np.ndarray, ends: np.ndarray) -> tuple[float, float, float]:
        """Return SI precision, recall and F1 for global spans ``[starts, ends)``."""
        if len(starts) == 0 or len(self.gs) == 0:
            return 0.0, 0.0, 0.0
        mask = self._mask(starts, ends)
        ps, pe = self._runs(mask)
        pcs = np.concatenate([[0], np.cumsum(mask)])
        p = float(((self.gold_cs[pe] - self.gold_cs[ps]) / (pe - ps)).sum() / len(ps))
        r = float(((pcs[self.ge] - pcs[self.gs]) / (self.ge - self.gs)).sum() / len(self.gs))
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _isotonic(x: np.ndarray, y: np.ndarray, bins: int = 10) -> tuple[list[float], list[float]]:
    """Binned isotonic regression (pool adjacent violators) of ``y`` on ``x``; returns breakpoints."""
    order = np.argsort(x)
    x, y = x[order], y[order]
    groups = [g for g in np.array_split(np.arange(len(x)), min(bins, len(x))) if len(g)]
    blocks = [[float(x[g].mean()), float(y[g].mean()), len(g)] for g in groups]
    merged: list[list[float]] = []
    for b in blocks:
        merged.append(b)
        while len(merged) > 1 and merged[-2][1] > merged[-1][1]:
            b2 = merged.pop()
            b1 = merged.pop()
            w = b1[2] + b2[2]
            merged.append([(b1[0] * b1[2] + b2[0] * b2[2]) / w, (b1[1] * b1[2] + b2[1] * b2[2]) / w, w])
    return [round(b[0], 4) for b in merged], [round(b[1], 4) for b in merged]


_LOWS = (0.04, 0.06, 0.08, 0.1, 0.12, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4)
_HIGHS = (0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6)
_MIN_SCORES = (0.0, 0.15, 0.2, 0.25, 0.3, 0.35)
_RULE_CUTS = (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 2.0)
MIN_RULE_HITS = 5
"""A rule needs this many hits on the training articles before the default detector may add its spans."""


def tune_decoding(
    probs: Sequence[np.ndarray], arrays: Sequence[_DocArrays], lengths: Sequence[int],
    gold: Sequence[Sequence[tuple[int, int]]], rule_hits: Sequence[Sequence[tuple[int, int, str]]] | None = None,
) -> dict[str, Any]:
    """Choose decoding settings, a confidence calibration and the default detector's rules.

    Call it with *out-of-fold* token scores (each article scored by a tagger
    that did not see it), so nothing is chosen on the articles being scored.

    Args:
        probs: per article, the token scores.
        arrays: per article, its token arrays.
        lengths: per article, the text length in characters.
        gold: per article, gold ``(start, end)`` character spans.
        rule_hits: per article, rule hits ``(start, end, rule)`` in characters.

    Returns:
        ``threshold``, ``low``, ``trim``, ``min_score`` (the grid point with the
        best partial-overlap SI F1; ties go to higher precision), ``calibration``
        (mean span score -> expected share inside gold spans), ``rule_precision``
        (rule -> [partial-overlap precision, hits]), ``rules_kept`` (rules whose
        spans, where the model found none, raised SI F1 best) and ``tuning`` (the
        out-of-fold figures).

    Notes:
        Nested cross-validation (Varma & Simon 2006); SI scored with the
        SemEval-2020 Task 11 partial-overlap formula; calibration by isotonic
        regression (Zadrozny & Elkan 2002).
    """
    scorer = _SIScorer(lengths, gold)
    best: tuple[tuple[float, float], dict[str, Any]] | None = None
    chosen_spans = None
    for trim in (False, True):
        for low in _LOWS:
            doc_i, s_c, e_c, mx, mean = [], [], [], [], []
            for k, (p, arr) in enumerate(zip(probs, arrays)):
                for a, b in _runs(p, arr, low, trim):
                    doc_i.append(k)
                    s_c.append(arr.idx[a])
                    e_c.append(arr.end_idx[b - 1])
                    mx.append(p[a:b].max())
                    mean.append(p[a:b].mean())
            gs, ge = scorer.to_global(np.asarray(doc_i, dtype=np.int64), np.asarray(s_c, dtype=np.int64),
                                      np.asarray(e_c, dtype=np.int64))
            mx_a, mean_a = np.asarray(mx), np.asarray(mean)
            for high in _HIGHS:
                if high < low:
                    continue
                for min_score in _MIN_SCORES:
                    keep = (mx_a >= high) & (mean_a >= min_score)
                    prec, rec, f1 = scorer.score(gs[keep], ge[keep])
                    key = (round(f1, 6), prec)
                    if best is None or key > best[0]:
                        best = (key, {"threshold": high, "low": low, "trim": trim, "min_score": min_score,
                                      "precision": prec, "recall": rec, "f1": f1})
                        chosen_spans = (gs[keep], ge[keep], mean_a[keep])
    assert best is not None and chosen_spans is not None
    settings = best[1]
    ms, me, mscore = chosen_spans
    calibration = _isotonic(mscore, scorer.overlap(ms, me)) if len(ms) else None
    out: dict[str, Any] = {k: settings[k] for k in ("threshold", "low", "trim", "min_score")}
    out["calibration"] = calibration
    out["tuning"] = {"model_oof": {k: round(settings[k], 4) for k in ("precision", "recall", "f1")},
                     "articles": len(probs)}
    out["rule_precision"], out["rules_kept"] = None, None
    if rule_hits is not None:
        rd, rs, re_, names = [], [], [], []
        for k, hits in enumerate(rule_hits):
            for s, e, rule in hits:
                rd.append(k)
                rs.append(s)
                re_.append(e)
                names.append(rule)
        rgs, rge = scorer.to_global(np.asarray(rd, dtype=np.int64), np.asarray(rs, dtype=np.int64),
                                    np.asarray(re_, dtype=np.int64))
        names_a = np.asarray(names, dtype=object)
        share = scorer.overlap(rgs, rge) if len(rgs) else np.zeros(0)
        precision = {r: [round(float(share[names_a == r].mean()), 4), int((names_a == r).sum())]
                     for r in sorted(set(names))}
        model_mask = scorer._mask(ms, me) if len(ms) else np.zeros(scorer.total, dtype=bool)
        model_cs = np.concatenate([[0], np.cumsum(model_mask)])
        uncovered = (model_cs[rge] - model_cs[rgs]) == 0 if len(rgs) else np.zeros(0, dtype=bool)
        best_rules: tuple[tuple[float, float], float, list[str], tuple[float, float, float]] | None = None
        for cut in _RULE_CUTS:
            kept = [r for r, (p, n) in precision.items() if p >= cut and n >= MIN_RULE_HITS]
            add = uncovered & np.isin(names_a, kept) if len(rgs) else np.zeros(0, dtype=bool)
            scores = scorer.score(np.concatenate([ms, rgs[add]]), np.concatenate([me, rge[add]]))
            key = (round(scores[2], 6), cut)
            if best_rules is None or key > best_rules[0]:
                best_rules = (key, cut, kept, scores)
        assert best_rules is not None
        out["rule_precision"] = precision
        out["rules_kept"] = best_rules[2]
        out["tuning"]["rule_cut"] = best_rules[1]
        out["tuning"]["default_oof"] = dict(zip(("precision", "recall", "f1"), (round(v, 4) for v in best_rules[3])))
    return out


# -- training ----------------------------------------------------------------------------------


def _token_range(doc: Any, start: int, end: int) -> tuple[int, int] | None:
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    return span.start, span.end


def _tokens_and_labels(doc: Any, spans: Sequence[tuple[str, int, int]]) -> np.ndarray:
    inside = np.zeros(len(doc), dtype=np.int64)
    for _, s, e in spans:
        rng = _token_range(doc, s, e)
        if rng:
            inside[rng[0]:rng[1]] = 1
    return inside


@dataclass
class _DocData:
    """Everything training needs from one article, computed once."""

    arrays: _DocArrays
    X: np.ndarray
    y: np.ndarray
    ranges: list[tuple[int, int]]
    labels: list[int]
    length: int
    gold: list[tuple[int, int]]
    rule_hits: list[tuple[int, int, str]]


def _prepare(doc: Any, spans: Sequence[tuple[str, int, int]]) -> _DocData:
    arrays = _arrays(doc)
    tech_id = {t: i for i, t in enumerate(TECHNIQUES)}
    ranges, labels = [], []
    for tech, s, e in spans:
        rng = _token_range(doc, s, e)
        if rng and tech in tech_id:
            ranges.append(rng)
            labels.append(tech_id[tech])
    hits = [(int(arrays.idx[h.start]), int(arrays.end_idx[h.end - 1]), h.rule or h.technique)
            for h in _RULES._hits(doc) if h.end > h.start]
    return _DocData(arrays, token_features(arrays), _tokens_and_labels(doc, spans), ranges, labels, len(doc.text),
                    [(s, e) for _, s, e in spans], hits)


class TrainingCache:
    """Per-article features and trained taggers shared by (nested) cross-validation runs.

    Keys are article ids: a tagger trained on the same set of articles with the
    same settings is reused (in 5-fold nested cross-validation each tagger on
    three folds serves two outer folds).
    """

    def __init__(self) -> None:
        self.data: dict[str, _DocData] = {}
        self.taggers: dict[tuple[Any, ...], tuple[np.ndarray, np.ndarray | None]] = {}


def _tagger_probs(W: np.ndarray, V: np.ndarray | None, d: _DocData) -> np.ndarray:
    z = W[d.X].sum(axis=1)
    if V is not None:
        z = z + d.arrays.vec @ V
    return 1.0 / (1.0 + np.exp(-(z[:, 1] - z[:, 0])))


def train_model(
    docs: Sequence[Any], gold: Sequence[Sequence[tuple[str, int, int]]], epochs: int = 6, seed: int = 0,
    threshold: float | None = None, tagger_lr: float = 0.01, tagger_l2: float = 1e-6, tagger_epochs: int | None = None,
    use_dense: bool = True, groups: Sequence[int] | None = None, keys: Sequence[str] | None = None,
    cache: TrainingCache | None = None,
) -> RhetoricWeights:
    """Train the token tagger and the technique classifier on parsed docs with gold spans.

    With ``groups`` (an inner fold id per article, at least two distinct), the
    decoding thresholds, the confidence calibration and the default
    detector's rule selection are chosen by nested cross-validation: a tagger
    is trained without each group and scores it, and :func:`tune_decoding`
    picks the settings on those out-of-fold scores. Without ``groups`` the
    fixed defaults (threshold 0.2, low 0.08) are used.

    Args:
        docs: parsed spaCy docs.
        gold: per doc, ``(technique, start, end)`` character spans.
        epochs: passes over the data for each model.
        seed: shuffling seed (training is deterministic for a given seed).
        threshold: force the tagger's high threshold (``None``: tuned or default).
        groups: inner cross-validation fold of each doc (e.g. ``fold_of(article_id)``).
        keys: a stable id per doc (article id), to share ``cache`` across calls.
        cache: features and taggers reused across calls (needs ``keys``).

    Returns:
        The learned :class:`RhetoricWeights`.
    """
    cache = cache if (cache is not None and keys is not None) else None
    data: list[_DocData] = []
    for i, (doc, spans) in enumerate(zip(docs, gold)):
        if cache is not None and keys is not None and keys[i] in cache.data:
            data.append(cache.data[keys[i]])
            continue
        d = _prepare(doc, spans)
        if cache is not None and keys is not None:
            cache.data[keys[i]] = d
        data.append(d)
    t_epochs = tagger_epochs or epochs
    settings = (t_epochs, tagger_lr, tagger_l2, seed, use_dense)

    def fit_tagger(idx: list[int]) -> tuple[np.ndarray, np.ndarray | None]:
        key = (frozenset(keys[i] for i in idx), *settings) if cache is not None and keys is not None else None
        if key is not None and key in cache.taggers:  # type: ignore[union-attr]
            return cache.taggers[key]  # type: ignore[union-attr]
        chosen = [data[i] for i in idx if len(data[i].y)]
        X = np.concatenate([d.X for d in chosen])
        y = np.concatenate([d.y for d in chosen])
        dense = np.concatenate([d.arrays.vec for d in chosen]) if use_dense else None
        fitted = train_logreg(X, y, 2, 1 << TOKEN_BITS, epochs=t_epochs, lr=tagger_lr, l2=tagger_l2, seed=seed,
                              dense=dense)
        if key is not None:
            cache.taggers[key] = fitted  # type: ignore[union-attr]
        return fitted

    everything = list(range(len(data)))
    tagger, tagger_dense = fit_tagger(everything)
    with_spans = [d for d in data if d.ranges]
    span_X = [span_features(d.arrays, doc.text.lower(), doc.text, d.ranges)
              for d, doc in zip(data, docs) if d.ranges]
    span_D = [span_dense(d.arrays, d.ranges) for d in with_spans]
    span_y = [label for d in with_spans for label in d.labels]
    classifier, classifier_dense = train_logreg(
        np.concatenate(span_X), np.asarray(span_y), len(TECHNIQUES), 1 << SPAN_BITS, epochs=epochs * 2, lr=0.2,
        l2=1e-6, batch=64, seed=seed, dense=np.concatenate(span_D) if use_dense else None,
    )
    weights = RhetoricWeights(tagger, classifier, TECHNIQUES, 0.2, 0.08,
                              tagger_dense=tagger_dense, classifier_dense=classifier_dense)
    if groups is not None and len(set(groups)) >= 2:
        oof: list[np.ndarray] = [np.zeros(0)] * len(data)
        for g in sorted(set(groups)):
            inner = [i for i in everything if groups[i] != g]
            W, V = fit_tagger(inner)
            for i in everything:
                if groups[i] == g:
                    oof[i] = _tagger_probs(W, V, data[i])
        tuned = tune_decoding(oof, [d.arrays for d in data], [d.length for d in data], [d.gold for d in data],
                              [d.rule_hits for d in data])
        weights.threshold, weights.low = tuned["threshold"], tuned["low"]
        weights.trim, weights.min_score = tuned["trim"], tuned["min_score"]
        weights.calibration = tuned["calibration"]
        weights.rule_precision, weights.rules_kept = tuned["rule_precision"], tuned["rules_kept"]
        weights.tuning = dict(tuned["tuning"], inner_folds=len(set(groups)))
    if threshold is not None:
        weights.threshold = threshold
    from .rules import lexicon_fingerprint

    weights.meta = {"documents": len(docs), "tokens": int(sum(len(d.y) for d in data)), "spans": len(span_y),
                    "epochs": epochs, "seed": seed, "dense": use_dense, "lexicons": lexicon_fingerprint()}
    return weights


DEFAULT_MODEL_DIR = Path(__file__).resolve().parent.parent / "rhetoric_model"


class ModelDetector:
    """Statistical detector ``storyline.rhetoric.model.v1`` (hashed logistic regression).

    Args:
        weights: learned weights, or ``None`` to load the model shipped in
            ``storyline/extract/rhetoric_model``.
        path: a model directory written by ``storyline train rhetoric`` (used when ``weights`` is ``None``).
    """

    name = "storyline.rhetoric.model.v1"

    def __init__(self, weights: RhetoricWeights | None = None, path: str | Path | None = None) -> None:
        self.weights = weights if weights is not None else RhetoricWeights.load(path or DEFAULT_MODEL_DIR)

    def token_probs(self, doc: Any, arrays: _DocArrays | None = None) -> np.ndarray:
        """Return each token's probability of lying inside a technique span."""
        if len(doc) == 0:
            return np.zeros(0)
        arrays = arrays or _arrays(doc)
        z = self.weights.tagger[token_features(arrays)].sum(axis=1)
        if self.weights.tagger_dense is not None:
            z = z + arrays.vec @ self.weights.tagger_dense
        return 1.0 / (1.0 + np.exp(-(z[:, 1] - z[:, 0])))

    def spans(self, doc: Any, arrays: _DocArrays | None = None, probs: np.ndarray | None = None
              ) -> list[tuple[int, int, float]]:
        """Return token ranges ``(start, end, mean probability)`` the tagger puts inside a span.

        Decoded by :func:`decode` with the thresholds stored in the weights.
        """
        arrays = arrays or _arrays(doc)
        probs = self.token_probs(doc, arrays) if probs is None else probs
        w = self.weights
        return decode(probs, arrays, w.threshold, w.low, w.trim, w.min_score)

    def span_confidence(self, score: float) -> float:
        """Map a span's mean token score to the expected share of it inside an annotated span.

        Uses the isotonic calibration fitted on out-of-fold training scores;
        without one, the score itself.
        """
        cal = self.weights.calibration
        if not cal:
            return score
        return float(np.interp(score, cal[0], cal[1]))

    def _classify_ranges(self, doc: Any, arrays: _DocArrays, ranges: Sequence[tuple[int, int]]) -> np.ndarray:
        if not ranges:
            return np.zeros((0, len(self.weights.techniques)))
        X = span_features(arrays, doc.text.lower(), doc.text, ranges)
        z = self.weights.classifier[X].sum(axis=1)
        if self.weights.classifier_dense is not None:
            z = z + span_dense(arrays, ranges) @ self.weights.classifier_dense
        return _softmax(z)

    def classify(self, doc: Any, spans: Sequence[tuple[int, int]]) -> list[tuple[str, float]]:
        """Return the most likely technique and its probability for each character span."""
        arrays = _arrays(doc)
        ranges = [(_token_range(doc, s, e) or (0, 1)) for s, e in spans]
        if len(doc) == 0:
            return [(self.weights.techniques[0], 0.0) for _ in spans]
        probs = self._classify_ranges(doc, arrays, ranges)
        return [(self.weights.techniques[int(p.argmax())], float(p.max())) for p in probs]

    def detect(self, doc: Any, doc_id: str) -> Iterator[Rhetoric]:
        """Yield technique spans found by the tagger, labelled by the classifier."""
        if len(doc) == 0:
            return
        arrays = _arrays(doc)
        token_p = self.token_probs(doc, arrays)
        found = self.spans(doc, arrays, token_p)
        probs = self._classify_ranges(doc, arrays, [(a, b) for a, b, _ in found])
        for (a, b, p_span), p_tech in zip(found, probs):
            tech = self.weights.techniques[int(p_tech.argmax())]
            span = doc[a:b]
            cue = max(span, key=lambda t: token_p[t.i] if not t.is_punct else -1.0)
            expected = self.span_confidence(p_span)
            explanation = (
                f"{short_name(tech)}: statistical model, span score {p_span:.2f} "
                f"(expected overlap with annotated spans {expected:.2f}), "
                f"technique probability {p_tech.max():.2f}; strongest cue '{cue.text}'"
            )
            yield Rhetoric(
                doc=doc_id, start=span.start_char, end=span.end_char, technique=tech, text=span.text,
                explanation=explanation, confidence=round(expected * float(p_tech.max()), 4),
                target=find_target(span), detector=self.name,
            )
