"""Persuasion techniques: spans, why they fired, and whom they target.

Detectors sit behind one small Protocol (:class:`RhetoricDetector`) and a
registry of versioned names:

* ``storyline.rhetoric.rules.v1``: spaCy matcher patterns and the team's lexicons;
* ``storyline.rhetoric.model.v1``: hashed-feature logistic regression trained on
  PTC-format data (``storyline train rhetoric PATH --out DIR``);
* ``storyline.rhetoric.default.v1``: both together.

Example:
    >>> from storyline.nlp import load
    >>> doc = load()("Critics call the group a terrorist cult.")
    >>> [r.technique for r in rhetoric(doc, "d1", "storyline.rhetoric.rules.v1")]
    ['Name_Calling,Labeling']
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from storyline.records import Rhetoric

from .base import TECHNIQUES, RhetoricDetector, find_target

__all__ = [
    "TECHNIQUES",
    "RhetoricDetector",
    "UnknownDetector",
    "detectors",
    "find_target",
    "get_detector",
    "register",
    "rhetoric",
    "technique_stats",
]

DEFAULT = "storyline.rhetoric.default.v1"

_FACTORIES: dict[str, Callable[[], RhetoricDetector]] = {}
_INSTANCES: dict[str, RhetoricDetector] = {}


class UnknownDetector(KeyError):
    """No detector is registered under the requested name."""

    def __str__(self) -> str:  # KeyError would quote the whole message
        return str(self.args[0])


def register(name: str) -> Callable[[Callable[[], RhetoricDetector]], Callable[[], RhetoricDetector]]:
    """Register a zero-argument detector factory under a versioned name (``storyline.rhetoric.x.v1``)."""

    def wrap(factory: Callable[[], RhetoricDetector]) -> Callable[[], RhetoricDetector]:
        _FACTORIES[name] = factory
        _INSTANCES.pop(name, None)
        return factory

    return wrap


@register("storyline.rhetoric.rules.v1")
def _rules() -> RhetoricDetector:
    from .rules import RuleDetector

    return RuleDetector()


@register("storyline.rhetoric.model.v1")
def _model() -> RhetoricDetector:
    from .model import ModelDetector

    return ModelDetector()


@register("storyline.rhetoric.default.v1")
def _default() -> RhetoricDetector:
    from .combined import CombinedDetector

    return CombinedDetector(_get("storyline.rhetoric.rules.v1"), _get("storyline.rhetoric.model.v1"))  # type: ignore[arg-type]


def detectors() -> list[str]:
    """Return the registered detector names, sorted."""
    return sorted(_FACTORIES)


def _get(name: str) -> RhetoricDetector:
    if name not in _INSTANCES:
        _INSTANCES[name] = _FACTORIES[name]()
    return _INSTANCES[name]


def get_detector(name: str = DEFAULT) -> RhetoricDetector:
    """Return the (cached) detector registered as ``name``.

    Raises:
        UnknownDetector: when ``name`` is not registered; the message lists the available names.
    """
    if name not in _FACTORIES:
        raise UnknownDetector(
            f"No rhetoric detector named {name!r}. Available names: {', '.join(detectors())}."
        )
    return _get(name)


def rhetoric(doc: Any, doc_id: str = "", detector: str | RhetoricDetector | None = None) -> Iterator[Rhetoric]:
    """Yield the persuasion-technique spans of a parsed document (the pipeline entry).

    Args:
        doc: a spaCy ``Doc`` parsed by ``storyline.nlp.load()``.
        doc_id: the document id written into each record.
        detector: a registered name, a detector object, or ``None`` for the default.

    Returns:
        An iterator of :class:`~storyline.records.Rhetoric`, in text order;
        ``doc.text[r.start:r.end] == r.text`` holds for each.
    """
    det = get_detector(detector or DEFAULT) if detector is None or isinstance(detector, str) else detector
    yield from det.detect(doc, doc_id)


def technique_stats(records: Iterable[Rhetoric], n_words: int) -> dict[str, Any]:
    """Count spans per technique and their density per 1,000 words.

    Args:
        records: rhetoric records (of one document, or of all an outlet's documents).
        n_words: number of words in the text they come from.

    Returns:
        ``{"total", "words", "density", "techniques": {technique: {"count", "per_1k_words"}}}``;
        techniques are sorted by decreasing count.
    """
    counts = Counter(r.technique for r in records)
    scale = 1000.0 / n_words if n_words > 0 else 0.0
    total = sum(counts.values())
    return {
        "total": total,
        "words": n_words,
        "density": round(total * scale, 3),
        "techniques": {
            tech: {"count": n, "per_1k_words": round(n * scale, 3)}
            for tech, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        },
    }
