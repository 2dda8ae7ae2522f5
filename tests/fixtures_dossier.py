"""Build realistic synthetic dossier dicts for the HTML report tests.

All article text here is fiction written for these tests: an invented affair
about the "Coastal Renewal Front" and a harbour contract in the invented town
of Vëlana, told by four invented outlets with opposed slants and one
non-English outlet. Offsets are computed with ``str.find``, so
``text[start:end] == span text`` holds for every record, as in the export.
"""

from __future__ import annotations

import re
from typing import Any

from storyline.records import content_id

HOSTILE = (
    "<script>window.__pwned=1;document.title='PWNED'</script>",
    "<img src=x onerror=\"window.__pwned=2;alert(2)\">",
    "</textarea><script>window.__pwned=3</script>",
    "\"><svg onload=\"window.__pwned=4\">",
    "'><iframe srcdoc=\"<script>parent.__pwned=5</script>\"></iframe>",
)

_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+[\"”’]?|$)", re.MULTILINE)


def split_sentences(text: str) -> list[list[int]]:
    """Return [start, end] pairs for each sentence (a plain punctuation splitter)."""
    out = []
    for match in _SENTENCE.finditer(text):
        start, end = match.start(), match.end()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            out.append([start, end])
    return out


class DossierBuilder:
    """Accumulate documents and records, then :meth:`build` the dossier dict."""

    def __init__(self) -> None:
        self.documents: list[dict[str, Any]] = []
        self.entities: dict[str, dict[str, Any]] = {}
        self.ambiguous: list[dict[str, Any]] = []
        self.dates: list[dict[str, Any]] = []
        self.events: list[dict[str, Any]] = []
        self.quotes: list[dict[str, Any]] = []
        self.claims: list[dict[str, Any]] = []
        self.rhetoric: list[dict[str, Any]] = []
        self.skipped: list[dict[str, str]] = []
        self._docs: dict[str, dict[str, Any]] = {}

    def doc(self, text: str, title: str, outlet: str | None, published: str | None, *,
            lang: str = "en", url: str | None = None, author: str | None = None,
            doc_id: str | None = None) -> str:
        doc_id = doc_id or content_id(text)
        record = {
            "id": doc_id, "path": f"corpus/{doc_id}.txt", "url": url, "title": title, "outlet": outlet,
            "published": published, "text": text, "lang": lang, "analysed": lang == "en",
            "author": author, "sentences": split_sentences(text) if lang == "en" else [],
        }
        self.documents.append(record)
        self._docs[doc_id] = record
        return doc_id

    def span(self, doc_id: str, needle: str, occurrence: int = 1) -> dict[str, Any]:
        text = self._docs[doc_id]["text"]
        start = -1
        for _ in range(occurrence):
            start = text.find(needle, start + 1)
            if start < 0:
                raise ValueError(f"{needle!r} (occurrence {occurrence}) not in document {doc_id}")
        return {"doc": doc_id, "start": start, "end": start + len(needle), "text": needle}

    def entity(self, eid: str, name: str, etype: str, aliases: tuple[str, ...] = ()) -> str:
        self.entities[eid] = {"id": eid, "name": name, "type": etype, "aliases": list(aliases),
                              "labels": [], "mentions": []}
        return eid

    def mention(self, eid: str, doc_id: str, needle: str, occurrence: int = 1) -> None:
        self.entities[eid]["mentions"].append(self.span(doc_id, needle, occurrence))

    def label(self, eid: str, doc_id: str, needle: str) -> None:
        self.span(doc_id, needle)  # the label must occur in the text
        outlet = self._docs[doc_id]["outlet"]
        self.entities[eid]["labels"].append({"text": needle, "doc": doc_id, "outlet": outlet})
        self.mention(eid, doc_id, needle)

    def date(self, doc_id: str, needle: str, value: str | None, granularity: str, **extra: Any) -> None:
        rec = self.span(doc_id, needle)
        rec.update({"id": f"date-{len(self.dates)}", "value": value, "granularity": granularity,
                    "anchor": extra.get("anchor"), "type": extra.get("type", "DATE"),
                    "mod": extra.get("mod"), "end_value": extra.get("end_value")})
        self.dates.append(rec)

    def event(self, date: str | None, granularity: str, reports: list[tuple[str, str, str | None]], *,
              trigger: str, category: str, actors: tuple[str, ...] = (), status: str = "happened",
              conflict: str | None = None, date_end: str | None = None, mod: str | None = None) -> None:
        spans = []
        for doc_id, needle, report_date in reports:
            rec = self.span(doc_id, needle)
            rec["date"] = report_date
            spans.append(rec)
        first = spans[0]
        self.events.append({
            "id": f"event-{len(self.events)}", "date": date, "date_end": date_end, "granularity": granularity,
            "mod": mod, "text": first["text"], "trigger": trigger, "category": category, "actors": list(actors),
            "doc": first["doc"], "start": first["start"], "end": first["end"],
            "sources": list(dict.fromkeys(s["doc"] for s in spans)), "status": status,
            "reports": spans, "conflict": conflict,
        })

    def quote(self, doc_id: str, needle: str, speaker: str | None, speaker_text: str | None, cue: str | None,
              direct: bool, channel: str | None = None, via: str | None = None) -> None:
        rec = self.span(doc_id, needle)
        rec.update({"id": f"quote-{len(self.quotes)}", "speaker": speaker, "speaker_text": speaker_text,
                    "cue": cue, "direct": direct, "channel": channel, "via": via})
        self.quotes.append(rec)

    def technique(self, doc_id: str, needle: str, technique: str, explanation: str,
                  target: str | None = None, confidence: float = 0.8) -> None:
        rec = self.span(doc_id, needle)
        rec.update({"id": f"rhetoric-{len(self.rhetoric)}", "technique": technique,
                    "explanation": explanation, "target": target, "confidence": confidence})
        self.rhetoric.append(rec)

    def build(self) -> dict[str, Any]:
        outlet_of = {d["id"]: d["outlet"] or "unknown outlet" for d in self.documents}
        entities = []
        for e in self.entities.values():
            outlets: dict[str, int] = {}
            for m in e["mentions"]:
                outlets[outlet_of[m["doc"]]] = outlets.get(outlet_of[m["doc"]], 0) + 1
            entities.append({**e, "mention_count": len(e["mentions"]), "outlets": outlets})
        return {
            "meta": {
                "generator": "storyline 0.1.0", "created": "2024-04-02T09:00:00+00:00",
                "counts": {"documents": len(self.documents), "entities": len(entities),
                           "dates": len(self.dates), "events": len(self.events),
                           "quotes": len(self.quotes), "rhetoric": len(self.rhetoric)},
                "skipped": list(self.skipped), "overrides": ["merge: CRF = Coastal Renewal Front"],
            },
            "documents": self.documents, "entities": entities, "ambiguous": self.ambiguous,
            "dates": self.dates, "events": self.events, "quotes": self.quotes, "claims": self.claims,
            "rhetoric": self.rhetoric,
        }


LEDGER_1 = (
    "Harbour contract vote set for July\n\n"
    "The Vëlana town council will vote on the harbour dredging contract on July 23-24, 2024, "
    "officials said on Monday. The Coastal Renewal Front (CRF) has campaigned against the deal since early 2023. "
    "\u201cWe will not let a private firm own our shoreline,\u201d Petra Lind, the group's spokeswoman, told reporters. "
    "Mayor Arben Kola said that the tender had followed every rule. "
    "According to the port authority, 40 jobs depend on the project."
)
COURIER_1 = (
    "Radicals storm the harbour office\n\n"
    "The so-called Renewal Front stormed the harbour office in Velana on March 14, 2024. "
    "These eco-extremists will stop at nothing. "
    "Police said about 200 people took part. "
    "Lind claimed the protest was peaceful. "
    "Every decent citizen knows the truth: the harbour belongs to the workers, and the harbour belongs to the town."
)
VOICE_1 = (
    "Thousands defend Velana's coast\n\n"
    "In March 2024, more than 2,000 residents gathered outside the harbour office. "
    "The protest was peaceful, organisers said. "
    "\"The mayor's cronies want to sell the sea,\" Jonas Lind wrote on Facebook. "
    "It is not known whether the council ever read the environmental report. "
    "Kola's administration has refused to publish the tender documents."
)
LEDGER_2 = (
    "Council delays harbour tender\n\n"
    "The council postponed the tender in 2023, after the Coastal Renewal Front filed a complaint. "
    "The CRF's complaint named Mayor Kola. "
    "Lind said the delay proved the group right. "
    "The dredging firm, Northsea Works, declined to comment."
)
COURIER_2 = (
    "The Front's dark money\n\n"
    "Who pays the Renewal Front? Nobody knows. "
    "The eco-extremists took foreign cash, critics say, and the town will pay the price. "
    "If the contract fails, then the harbour will close and every family will suffer. "
    "The protest on March 15, 2024 drew a crowd of 200, police said."
)
KANAL_1 = (
    "Protesta në Vëlanë\n\n"
    "Banorët protestuan në mars 2024 kundër kontratës së portit."
)


def build_dossier(hostile: str | None = None) -> dict[str, Any]:
    """Return the realistic synthetic dossier; with ``hostile``, put it in every field."""
    b = DossierBuilder()
    h = hostile or ""
    ledger1 = b.doc(LEDGER_1 + (f" {h}" if h else ""), "Harbour contract vote set for July" + h,
                    "The Northern Ledger" + h, "2024-04-01", url="https://ledger.example/harbour-vote",
                    author="M. Dervishi" + h)
    courier1 = b.doc(COURIER_1, "Radicals storm the harbour office", "Valley Courier", "2024-03-15",
                     url="javascript:window.__pwned=9" if h else "https://courier.example/storm",
                     author="Staff")
    voice1 = b.doc(VOICE_1, "Thousands defend Velana's coast", "Free Voice Daily", "2024-03-16",
                   url="https://voice.example/thousands")
    ledger2 = b.doc(LEDGER_2, "Council delays harbour tender", "The Northern Ledger", "2023-11-20",
                    url="https://ledger.example/delay")
    courier2 = b.doc(COURIER_2, "The Front's dark money", "Valley Courier", "2024-03-20")
    b.doc(KANAL_1, "Protesta në Vëlanë", "Kanal Ora", "2024-03-17", lang="sq")
    noout = b.doc("Note from a reader\n\nThe harbour office was closed on Friday.", "Note from a reader",
                  None, None)
    b.skipped.append({"source": "inbox/empty.txt", "reason": "empty file: nothing to analyse"})
    b.skipped.append({"source": "inbox/photo.jpg" + h, "reason": "binary file, not text" + h})

    crf = b.entity("ent-crf", "Coastal Renewal Front" + h, "ORG" + h, ("CRF", "Renewal Front", h) if h else
                   ("CRF", "Renewal Front"))
    petra = b.entity("ent-petra", "Petra Lind", "PERSON")
    jonas = b.entity("ent-jonas", "Jonas Lind", "PERSON")
    kola = b.entity("ent-kola", "Arben Kola", "PERSON", ("Mayor Kola", "Kola"))
    velana = b.entity("ent-velana", "Vëlana", "GPE", ("Velana",))
    police = b.entity("ent-police", "Vëlana police", "ORG")
    b.mention(crf, ledger1, "Coastal Renewal Front")
    b.mention(crf, ledger1, "CRF")
    b.mention(crf, ledger2, "Coastal Renewal Front")
    b.mention(crf, ledger2, "CRF")
    b.mention(crf, courier1, "Renewal Front")
    b.mention(crf, courier2, "Renewal Front")
    b.label(crf, courier1, "eco-extremists")
    b.label(crf, courier2, "eco-extremists")
    b.label(crf, courier1, "Radicals")
    b.label(crf, courier2, "The Front's dark money")
    b.label(kola, voice1, "The mayor's cronies")
    b.label(crf, ledger1, "the group")
    if h:
        b.label(crf, ledger1, h)
    b.mention(petra, ledger1, "Petra Lind")
    b.mention(jonas, voice1, "Jonas Lind")
    b.mention(kola, ledger1, "Arben Kola")
    b.mention(kola, voice1, "Kola")
    b.mention(kola, ledger2, "Kola")
    b.mention(velana, ledger1, "Vëlana")
    b.mention(velana, courier1, "Velana")
    b.mention(velana, voice1, "Velana")
    b.mention(police, courier1, "Police")
    b.mention(police, courier2, "police")
    for doc_id, needle in ((courier1, "Lind"), (ledger2, "Lind")):
        rec = b.span(doc_id, needle)
        rec["candidates"] = [petra, jonas]
        b.ambiguous.append(rec)

    b.date(ledger1, "July 23-24, 2024", "2024-07-23", "day", end_value="2024-07-24")
    b.date(ledger1, "Monday", "2024-04-01", "day", anchor="2024-04-01")
    b.date(ledger1, "early 2023", "2023", "year", mod="START")
    b.date(courier1, "March 14, 2024", "2024-03-14", "day")
    b.date(voice1, "March 2024", "2024-03", "month")
    b.date(ledger2, "2023", "2023", "year")
    b.date(courier2, "March 15, 2024", "2024-03-15", "day")
    b.date(noout, "Friday", None, "unknown")

    b.event("2024-07-23", "day", [(ledger1, "The Vëlana town council will vote on the harbour dredging contract "
                                   "on July 23-24, 2024, officials said on Monday.", "2024-07-23")],
            trigger="vote", category="CONSULT", status="scheduled", date_end="2024-07-24")
    b.event("2023", "year", [(ledger1, "The Coastal Renewal Front (CRF) has campaigned against the deal since "
                              "early 2023.", "2023")], trigger="campaign", category="PROTEST", actors=(crf,),
            mod="START")
    b.event("2024-03", "month", [
        (voice1, "In March 2024, more than 2,000 residents gathered outside the harbour office.", "2024-03"),
        (courier1, "The so-called Renewal Front stormed the harbour office in Velana on March 14, 2024.",
         "2024-03-14"),
        (courier2, "The protest on March 15, 2024 drew a crowd of 200, police said.", "2024-03-15"),
    ], trigger="gather", category="PROTEST", actors=(crf, velana),
        conflict="sources give 2024-03-14 and 2024-03-15; crowd 2,000 vs 200" + h)
    b.event("2023", "year", [(ledger2, "The council postponed the tender in 2023, after the Coastal Renewal Front "
                              "filed a complaint.", "2023")], trigger="postpone", category="OTHER", actors=(crf,))

    b.quote(ledger1, "\u201cWe will not let a private firm own our shoreline,\u201d", petra, "Petra Lind", "told",
            True, channel="told reporters")
    b.quote(ledger1, "that the tender had followed every rule", kola, "Mayor Arben Kola", "said", False)
    b.quote(ledger1, "40 jobs depend on the project", None, "the port authority", "according to", False)
    b.quote(voice1, "\"The mayor's cronies want to sell the sea,\"", jonas, "Jonas Lind", "wrote", True,
            channel="on Facebook")
    b.quote(voice1, "The protest was peaceful", None, "organisers", "said", False)
    b.quote(courier1, "the protest was peaceful", None, "Lind", "claimed", False)
    b.quote(courier1, "about 200 people took part", police, "Police", "said", False)
    b.quote(ledger2, "the delay proved the group right", None, "Lind" + h, "said" + h, False, channel=h or None,
            via=h or None)

    b.technique(courier1, "Radicals", "Name_Calling,Labeling", "name-calling: 'Radicals' applied to CRF" + h, crf)
    b.technique(courier1, "These eco-extremists will stop at nothing.", "Appeal_to_fear-prejudice",
                "fear: 'will stop at nothing' suggests an unbounded threat")
    b.technique(courier1, "eco-extremists", "Name_Calling,Labeling",
                "name-calling: 'eco-extremists' applied to CRF", crf)
    b.technique(courier1, "stormed", "Loaded_Language", "loaded language: 'stormed' for entering a building")
    b.technique(courier1, "Every decent citizen knows the truth", "Bandwagon,Reductio_ad_hitlerum",
                "bandwagon: appeals to what 'every decent citizen' knows")
    b.technique(courier1, "the harbour belongs to the workers, and the harbour belongs to the town",
                "Repetition", "repetition: 'the harbour belongs to' repeated")
    b.technique(courier1, "so-called", "Doubt", "doubt: 'so-called' questions the group's name")
    b.technique(courier2, "Nobody knows.", "Doubt", "doubt: unanswered question presented as suspicion")
    b.technique(courier2, "eco-extremists", "Name_Calling,Labeling",
                "name-calling: 'eco-extremists' applied to CRF", crf)
    b.technique(courier2, "If the contract fails, then the harbour will close and every family will suffer.",
                "Causal_Oversimplification", "if-then chain: one cause for many outcomes")
    b.technique(voice1, "The mayor's cronies", "Name_Calling,Labeling",
                "name-calling: 'cronies' applied to Arben Kola's circle", kola)
    b.technique(voice1, "It is not known whether the council ever read the environmental report.", "Doubt",
                "doubt: 'it is not known whether'")

    b.claims.append({"id": "claim-0", "cluster": "protest-size", "text": "about 200 people took part",
                     "speaker": police, **{k: v for k, v in b.span(courier1, "about 200 people took part").items()
                                          if k != "text"},
                     "support": [courier2], "contradict": [voice1]})
    return b.build()


def hostile_dossier(payload: str) -> dict[str, Any]:
    """Return the synthetic dossier with ``payload`` injected into every text field and id."""
    d = build_dossier(hostile=payload)
    d["meta"]["generator"] += payload
    d["meta"]["created"] += payload
    d["meta"]["overrides"].append(payload)
    d["meta"]["counts"]["documents" + payload] = payload
    for doc in d["documents"]:
        doc["lang"] = doc["lang"] if doc["lang"] == "en" else doc["lang"] + payload
    d["events"][0]["category"] += payload
    d["events"][0]["trigger"] += payload
    d["events"][0]["text"] += payload
    d["events"][0]["status"] = "scheduled" + payload
    d["quotes"][0]["text"] += payload
    d["quotes"][0]["cue"] += payload
    d["rhetoric"][0]["technique"] += payload
    d["claims"][0]["cluster"] += payload
    d["ambiguous"][0]["candidates"].append("ent-missing" + payload)
    # A hostile document id (e.g. taken from a JSONL `id` field) must not break ids or hrefs.
    bad = "doc" + payload
    extra = {**d["documents"][2], "id": bad, "title": payload, "text": "Plain text. " + payload,
             "sentences": [[0, 11], [12, 12 + len(payload)]]}
    d["documents"].append(extra)
    d["quotes"].append({"id": "quote" + payload, "doc": bad, "start": 12, "end": 12 + len(payload),
                        "text": payload, "speaker": None, "speaker_text": payload, "cue": payload,
                        "direct": True, "channel": payload, "via": payload})
    return d


def large_dossier(n_docs: int) -> dict[str, Any]:
    """Return a dossier with ``n_docs`` documents (copies of the synthetic ones) for scaling checks."""
    base = build_dossier()
    out = {k: (v if k == "meta" else []) for k, v in base.items()}
    for i in range(n_docs // len(base["documents"]) + 1):
        rename = {d["id"]: f"{d['id'][:10]}{i:06d}" for d in base["documents"]}
        for d in base["documents"]:
            out["documents"].append({**d, "id": rename[d["id"]]})
        for key in ("dates", "events", "quotes", "rhetoric", "ambiguous"):
            for rec in base[key]:
                new = {**rec, "doc": rename[rec["doc"]], "id": f"{rec.get('id')}-{i}"}
                for field in ("speaker", "target"):
                    if rec.get(field):
                        new[field] = f"{rec[field]}-{i}"
                for field in ("actors", "candidates"):
                    if field in rec:
                        new[field] = [f"{x}-{i}" for x in rec[field]]
                if "reports" in rec:
                    new["reports"] = [{**r, "doc": rename[r["doc"]]} for r in rec["reports"]]
                    new["sources"] = [rename[s] for s in rec["sources"]]
                out[key].append(new)
        for e in base["entities"]:
            out["entities"].append({
                **e, "id": f"{e['id']}-{i}",
                "mentions": [{**m, "doc": rename[m["doc"]]} for m in e["mentions"]],
                "labels": [{**lab, "doc": rename[lab["doc"]]} for lab in e["labels"]],
            })
    out["documents"] = out["documents"][:n_docs]
    return out
