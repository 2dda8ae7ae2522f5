"""The default detector: the statistical model's spans, explained by rules where they agree."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import replace
from typing import Any

from storyline.records import Rhetoric

from .model import ModelDetector
from .rules import RuleDetector


class CombinedDetector:
    """Detector ``storyline.rhetoric.default.v1``: rules and model together.

    Rule hits are kept as they are (they carry the clearest explanation);
    model spans are added too, and a model span that a rule hit overlaps
    carries that rule's explanation ("rule agrees: ..."). With
    ``mode="rules_first"`` model spans overlapping a rule hit are dropped.
    To label a given span, the rule hit with the best overlap-weighted
    confidence wins when that beats the model's technique probability;
    otherwise the model decides.

    Args:
        rules: the rule detector (a new :class:`RuleDetector` when ``None``).
        model: the statistical detector (the shipped model when ``None``).
    """

    name = "storyline.rhetoric.default.v1"

    def __init__(self, rules: RuleDetector | None = None, model: ModelDetector | None = None,
                 mode: str = "union") -> None:
        self.rules = rules or RuleDetector()
        self.model = model or ModelDetector()
        self.mode = mode

    def detect(self, doc: Any, doc_id: str) -> Iterator[Rhetoric]:
        """Yield model spans and rule hits, in text order (see the class docstring for ``mode``)."""
        ruled = list(self.rules.detect(doc, doc_id))
        modelled = list(self.model.detect(doc, doc_id))
        out = []
        for r in modelled:
            agree = [q for q in ruled if min(r.end, q.end) > max(r.start, q.start)]
            if agree:
                if self.mode == "rules_first":
                    continue
                best = max(agree, key=lambda q: q.confidence)
                r = replace(r, explanation=f"{r.explanation}; rule agrees: {best.explanation}")
            out.append(replace(r, detector=self.name))
        for q in ruled:
            if self.mode == "model_first" and any(min(r.end, q.end) > max(r.start, q.start) for r in modelled):
                continue
            out.append(replace(q, detector=self.name))
        yield from sorted(out, key=lambda r: (r.start, r.end, r.technique))

    def classify(self, doc: Any, spans: Sequence[tuple[int, int]]) -> list[tuple[str, float]]:
        """Return one ``(technique, confidence)`` per character span."""
        model = self.model.classify(doc, spans)
        rules = self.rules.classify(doc, spans)
        out = []
        for (m_tech, m_conf), (r_tech, r_conf) in zip(model, rules):
            out.append((r_tech, r_conf) if r_conf > m_conf else (m_tech, m_conf))
        return out
