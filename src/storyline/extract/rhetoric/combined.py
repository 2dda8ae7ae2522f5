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

    Model spans are kept; a model span that a rule hit overlaps carries that
    rule's explanation ("rule agrees: ..."). In the default ``mode="selected"``
    a rule hit the model does not cover is added only when its rule is in the
    model's ``rules_kept``: rules whose partial-overlap precision on the
    training articles was high enough to raise SI F1 there (chosen by nested
    cross-validation in :func:`~storyline.extract.rhetoric.model.train_model`;
    a model without that selection admits every rule). A rule hit that names
    the entity it labels or attacks (a ``target``) is always admitted, since
    who is labelled how is what the dossier's users read it for, even where a
    model span covers it (that model span also takes the target). ``mode="union"`` adds
    every rule hit, ``mode="model_first"`` every uncovered hit, and
    ``mode="rules_first"`` drops model spans a rule hit overlaps. To label a
    given span, the rule hit with the best overlap-weighted confidence wins
    when that beats the model's technique probability; otherwise the model
    decides.

    Args:
        rules: the rule detector (a new :class:`RuleDetector` when ``None``).
        model: the statistical detector (the shipped model when ``None``).
        mode: ``"selected"``, ``"model_first"``, ``"union"`` or ``"rules_first"``.
    """

    name = "storyline.rhetoric.default.v1"
    MODES = ("selected", "model_first", "union", "rules_first")

    def __init__(self, rules: RuleDetector | None = None, model: ModelDetector | None = None,
                 mode: str = "selected") -> None:
        if mode not in self.MODES:
            raise ValueError(f"Unknown combination mode {mode!r}; use one of {', '.join(self.MODES)}.")
        self.rules = rules or RuleDetector()
        self.model = model or ModelDetector()
        self.mode = mode

    def detect(self, doc: Any, doc_id: str) -> Iterator[Rhetoric]:
        """Yield model spans and admitted rule hits, in text order (see the class docstring for ``mode``)."""
        ruled = list(self.rules.detect(doc, doc_id))
        rule_ids = [h.rule for h in self.rules._hits(doc)]
        modelled = list(self.model.detect(doc, doc_id))
        kept = getattr(self.model.weights, "rules_kept", None)
        out = []
        for r in modelled:
            agree = [q for q in ruled if min(r.end, q.end) > max(r.start, q.start)]
            if agree:
                if self.mode == "rules_first":
                    continue
                best = max(agree, key=lambda q: q.confidence)
                r = replace(r, explanation=f"{r.explanation}; rule agrees: {best.explanation}", target=r.target or best.target)
            out.append(replace(r, detector=self.name))
        for q, rule in zip(ruled, rule_ids):
            covered = any(min(r.end, q.end) > max(r.start, q.start) for r in modelled)
            if self.mode in ("selected", "model_first") and covered and not (self.mode == "selected" and q.target):
                continue
            if self.mode == "selected" and kept is not None and rule not in kept and not q.target:
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
