"""Check-worthy claims: the sentences of a document that state something a fact-checker could verify.

A pure function of one parsed spaCy ``Doc`` and the records already extracted
from it (quotes, entity mentions, dates). Each sentence is scored in the
manner of ClaimBuster's check-worthiness (Hassan et al. 2017): features that
make a statement verifiable raise the score (numbers, dates, named actors,
a concrete action verb in the past tense, an attributed source), features of
opinion, exhortation and boilerplate lower it or rule the sentence out.

Choices, so a reader of the dossier knows what ``claims`` holds:

* One claim per sentence. A sentence inside (or mostly made of) an attributed
  quotation is the speaker's claim (``speaker_text``); any other sentence is
  the outlet's own voice (``speaker_text`` is None). ``content_start`` and
  ``content_end`` give the asserted part (the reported clause of "X said
  that ..."), which is what the cross-document pass compares.
* Ruled out: questions, headings and captions (no sentence-final mark),
  imperatives and slogans, web boilerplate, sentences of fewer than five
  words or without a verb.
* ``polarity`` is ``negative`` when the asserted clause is negated ("no one
  had been charged"); ``denial`` is True when it denies or rejects something
  ("denied any wrongdoing", "fabricated from beginning to end").
* ``numbers`` lists each stated quantity with its unit (the counted noun,
  or ``hour`` for durations) and its qualifier ("about", "more than",
  "up to", ...), so the cross-document pass can tell 20 from "more than 30".
  Calendar dates are not numbers: they are in ``date_values``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from storyline.extract.dates import NUMBER_WORDS
from storyline.records import Claim, ClaimNumber, DateExpr, Mention, Quote

#: Claims scoring below this are dropped.
MIN_SCORE = 0.45

#: Attribution cues (lemmas) that make a quote a report of speech or writing.
REPORTING_LEMMAS = frozenset(
    """say tell write state add announce claim report confirm deny reject insist explain argue note
    warn allege accuse assert declare reveal post testify recall acknowledge admit suggest estimate
    describe conclude according""".split()
)
#: Lemmas of verbs that report a concrete, checkable happening.
ACTION_LEMMAS = frozenset(
    """raid detain arrest question release seize charge sever cut break expel attack hack cripple kill
    die found host live lead elect rule order return file hold search take storm drag shut close
    launch sign vote pass ban sentence convict fine pay transfer receive send publish claim
    announce agree establish trace block leave expect gather meet appoint resign win lose
    increase rise fall grow kill injure destroy build open""".split()
)
#: Verbs and adjectives of belief and evaluation: signs of opinion rather than fact.
OPINION_LEMMAS = frozenset(
    """believe think feel hope fear seem deserve wish want love hate suppose guess doubt
    shameful disgraceful chilling shadowy brainwashed proud simple obvious clear terrible
    great wonderful outrageous ridiculous absurd pathetic heroic evil""".split()
)
_DEONTIC = frozenset({"should", "must", "ought", "shall"})
_HEDGES = frozenset({"may", "might", "could", "would", "maybe", "perhaps", "possibly"})
_NEGATORS = frozenset({"not", "n't", "never", "no", "nobody", "none", "nothing", "neither", "nor", "nowhere"})
_DENIAL_LEMMAS = frozenset({"deny", "reject", "refute", "dismiss", "fabricate", "invent", "disprove", "debunk"})
_DENIAL_WORDS = re.compile(
    r"\b(?:false|untrue|baseless|groundless|fabricated|fabrication|invented|made[- ]up|lies?|a lie|"
    r"never happened|did not happen|no evidence|fake news|hoax)\b",
    re.IGNORECASE,
)
_BOILERPLATE = re.compile(
    r"\b(?:share this|subscribe|newsletter|leave a comment|you may also like|related posts|all rights reserved|"
    r"click here|sign up|cookies?|read more|follow us|privacy policy|terms of use)\b",
    re.IGNORECASE,
)
#: A news dateline opening a lead ("TERVALA, 14 March 2024 (Trans-Adria Wire) - ", "DASHTABAD - ").
_DATELINE = re.compile(r"[A-Z][A-Z .'-]{2,40}(?:,[^\n–—]{0,60}?)?\s+[-–—]\s+")
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*\s*$|[\"”’]\s*$")
_NAMED = frozenset({"PERSON", "ORG", "GPE", "NORP", "FAC", "LOC", "EVENT", "LAW"})
_NUMERIC = frozenset({"CARDINAL", "QUANTITY", "MONEY", "PERCENT"})

#: Counted nouns that all count people.
_PEOPLE = frozenset(
    """people person member members refugee refugees defector defectors detainee detainees suspect suspects
    man men woman women resident residents protester protesters participant participants citizen citizens
    zarvanis zarvani korvenians korvenian official officials officer officers student students prisoner prisoners
    delegate delegates guest guests victim victims hostage hostages agent agents worker workers docker dockers""".split()
)
_WORD_NUMBERS = {**NUMBER_WORDS, "thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000}
#: Vague plurals read as ranges (value = the low end; ``approx`` says it is vague).
_VAGUE = {"dozens": 24, "hundreds": 200, "thousands": 2000, "millions": 2_000_000}
_QUALIFIERS = (
    ("more than", "more than"), ("over", "more than"), ("at least", "at least"), ("up to", "up to"),
    ("as many as", "up to"), ("almost", "almost"), ("nearly", "almost"), ("about", "about"),
    ("around", "about"), ("roughly", "about"), ("some", "about"), ("approximately", "about"),
    ("fewer than", "less than"), ("less than", "less than"), ("under", "less than"),
)
_DURATION_UNIT_HOURS = {"H": 1, "D": 24, "W": 168, "M": 720, "Y": 8760}


def claims(
    doc,  # noqa: ANN001 - spaCy Doc
    doc_id: str,
    quotes: Sequence[Quote] = (),
    mentions: Sequence[Mention] = (),
    dates: Sequence[DateExpr] = (),
) -> list[Claim]:
    """Return the check-worthy claims of one parsed document, in text order.

    Args:
        doc: the spaCy ``Doc`` of the document text.
        doc_id: the document id written into every record.
        quotes: the document's quotes (speakers come from them).
        mentions: the document's entity mentions (named actors of a claim).
        dates: the document's temporal expressions (dates and durations).

    Returns:
        One :class:`~storyline.records.Claim` per kept sentence.
    """
    text = doc.text
    reported = [q for q in quotes if _is_report(q)]
    found: list[Claim] = []
    for sent in doc.sents:
        for span in _segments(doc, sent):
            start, end = _strip(text, span.start_char, span.end_char)
            if end - start < 20:
                continue
            claim = _claim(doc, span, start, end, doc_id, reported, mentions, dates)
            if claim is not None:
                found.append(claim)
    return found


def _segments(doc, sent) -> list:  # noqa: ANN001 - spaCy Doc and Span
    """Split a parser sentence at line breaks: a heading or caption glued to the next sentence is its own segment."""
    if "\n" not in sent.text.strip():
        return [sent]
    spans, first = [], sent.start
    for tok in sent:
        if tok.is_space and "\n" in tok.text or (tok.i > sent.start and "\n" in doc[tok.i - 1].whitespace_ + (doc[tok.i - 1].text if doc[tok.i - 1].is_space else "")):
            if tok.i > first:
                spans.append(doc[first:tok.i])
            first = tok.i + 1 if tok.is_space else tok.i
    if first < sent.end:
        spans.append(doc[first:sent.end])
    return [s for s in spans if s.text.strip()]


def _is_report(quote: Quote) -> bool:
    """True for a quote whose cue reports speech or writing ("said", "according to"), not "believe" or "call"."""
    if not quote.cue or not quote.speaker_text:
        return False
    words = quote.cue.lower().split()
    return any(_lemma_of(w) in REPORTING_LEMMAS for w in words)


def _lemma_of(word: str) -> str:
    irregular = {"said": "say", "told": "tell", "wrote": "write", "written": "write", "says": "say", "tells": "tell"}
    if word in irregular:
        return irregular[word]
    for suffix, repl in (("ied", "y"), ("ies", "y"), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            stem = word[: -len(suffix)] + repl
            return stem if stem in REPORTING_LEMMAS else (stem + "e" if stem + "e" in REPORTING_LEMMAS else stem)
    return word


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _claim(doc, sent, start: int, end: int, doc_id: str, quotes: Sequence[Quote], mentions: Sequence[Mention], dates: Sequence[DateExpr]) -> Claim | None:  # noqa: ANN001
    text = doc.text[start:end]
    words = [t for t in sent if not t.is_punct and not t.is_space]
    if len(words) < 5 or text.rstrip("”\"'’) ").endswith("?"):
        return None
    if not _SENTENCE_END.search(text) or _BOILERPLATE.search(text):
        return None
    if not any(t.pos_ in ("VERB", "AUX") for t in sent):
        return None
    root = sent.root
    if root.tag_ == "VB" and not any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in root.children):
        return None  # imperative: an exhortation, not an assertion

    quote = _quote_for(quotes, start, end)
    c_start, c_end = (max(start, quote.start), min(end, quote.end)) if quote else (start, end)
    if quote and (c_end - c_start) < 0.3 * (end - start):
        c_start, c_end = start, end
    dateline = _DATELINE.match(doc.text, c_start, c_end)
    if dateline:
        c_start = dateline.end()
    content = [t for t in sent if c_start <= t.idx < c_end] or list(sent)

    date_spans = [d for d in dates if d.start < end and start < d.end]
    numbers = _numbers(doc, sent, date_spans)
    date_values = tuple(sorted({d.value[:10] for d in date_spans if d.type in ("DATE", "TIME") and d.value and re.match(r"\d{4}-\d\d-\d\d", d.value)}))
    names = tuple(sorted({m.name for m in mentions if m.kind == "name" and m.start < end and start < m.end}))
    ents = [e for e in sent.ents if e.label_ in _NAMED]

    score, why = 0.2, []
    if numbers:
        score += 0.25
        why.append("states " + ", ".join(n.text for n in numbers[:3]))
    if date_spans:
        kinds = {d.type for d in date_spans}
        score += 0.15 if kinds & {"DATE", "TIME"} else 0.1
        why.append("dated" if kinds & {"DATE", "TIME"} else "a duration")
    n_named = len({e.text for e in ents} | set(names))
    if n_named:
        score += min(0.3, 0.1 * n_named)
        why.append(f"{n_named} named actor{'s' if n_named > 1 else ''}")
    action = next((t for t in content if t.pos_ == "VERB" and t.lemma_.lower() in ACTION_LEMMAS), None)
    if action is not None:
        score += 0.15
        why.append(f"action verb '{action.text}'")
    elif any(t.tag_ in ("VBD", "VBN") and t.pos_ == "VERB" for t in content):
        score += 0.05
    if quote is not None:
        score += 0.05
        why.append(f"attributed to {quote.speaker_text}")

    lowered = {t.lower_ for t in content}
    opinion = [t for t in content if t.lemma_.lower() in OPINION_LEMMAS]
    if opinion:
        score -= 0.2
        why.append(f"opinion word '{opinion[0].text}'")
    if lowered & _DEONTIC:
        score -= 0.25
        why.append("says what should be")
    hedges = lowered & _HEDGES
    if hedges:
        score -= 0.1
        why.append(f"hedged ('{sorted(hedges)[0]}')")
    if quote is None and lowered & {"we", "our", "us", "you", "your", "i", "my"}:
        score -= 0.15
        why.append("the outlet speaks in the first or second person")
    if text.rstrip("”\"'’) ").endswith("!"):
        score -= 0.3
        why.append("exclamation")
    if root.lemma_ == "be" and not numbers and not date_spans and not ents:
        score -= 0.1
    score = round(max(0.0, min(1.0, score)), 3)
    if score < MIN_SCORE:
        return None

    negative = _negated(content)
    denial = bool(_DENIAL_WORDS.search(doc.text[c_start:c_end])) or any(t.lemma_.lower() in _DENIAL_LEMMAS for t in content)
    if quote is not None and quote.cue and any(_lemma_of(w) in ("deny", "reject") for w in quote.cue.lower().split()):
        denial = True
    return Claim(
        doc=doc_id, start=start, end=end, text=text, checkworthy=score, why="; ".join(why) or "factual statement",
        speaker=quote.speaker if quote else None, speaker_text=quote.speaker_text if quote else None,
        speaker_start=quote.speaker_start if quote else None, speaker_end=quote.speaker_end if quote else None,
        via=quote.via if quote else None, cue=quote.cue if quote else None,
        content_start=c_start, content_end=c_end, polarity="negative" if negative else "positive", denial=denial,
        numbers=tuple(numbers), date_values=date_values, entity_names=names,
    )


def _quote_for(quotes: Sequence[Quote], start: int, end: int) -> Quote | None:
    """Return the reported quote that covers most of the sentence (or contains it), if any."""
    best, best_overlap = None, 0
    for q in quotes:
        overlap = min(end, q.end) - max(start, q.start)
        if overlap <= 0:
            continue
        if overlap > best_overlap:
            best, best_overlap = q, overlap
    if best is None:
        return None
    if best_overlap >= 0.3 * (end - start) or (best.start <= start and best.end >= end):
        return best
    return None


def _negated(tokens: Iterable) -> bool:  # noqa: ANN001 - spaCy tokens
    """True when the main assertion is negated ("was not charged", "no one had been charged", "never attacked")."""
    for t in tokens:
        low = t.lower_
        if low not in _NEGATORS:
            continue
        if t.dep_ == "neg" or t.dep_ in ("det", "nsubj", "nsubjpass", "dobj", "advmod", "npadvmod", "preconj"):
            if t.dep_ == "det" and t.head.dep_ in ("pobj", "npadvmod", "attr") and t.head.head.pos_ != "VERB":
                continue  # "with no lawyer", "of no importance": not the main clause
            return True
    return False


def _numbers(doc, sent, date_spans: Sequence[DateExpr]) -> list[ClaimNumber]:  # noqa: ANN001
    """Quantities in a sentence: cardinals with their counted noun, and durations in hours."""
    found: list[ClaimNumber] = []
    in_date = [(d.start, d.end) for d in date_spans]
    text = doc.text
    for d in date_spans:
        if d.type != "DURATION" or not d.value:
            continue
        m = re.fullmatch(r"PT?(\d+(?:\.\d+)?)([HDWMY])", d.value)
        if not m:
            continue
        hours = float(m.group(1)) * _DURATION_UNIT_HOURS[m.group(2)] if m.group(2) != "M" or "T" not in d.value else float(m.group(1)) / 60
        found.append(ClaimNumber(value=hours, text=d.text, unit="hour", approx=_qualifier(text, d.start)))
    i = 0
    tokens = list(sent)
    while i < len(tokens):
        tok = tokens[i]
        if any(a <= tok.idx < b for a, b in in_date):
            i += 1
            continue
        low = tok.lower_
        value = None
        if low in _VAGUE:
            value, approx = float(_VAGUE[low]), "vague"
        elif tok.like_num or low in _WORD_NUMBERS:
            value, approx = _value(tok), None
        if value is None or (tok.ent_type_ and tok.ent_type_ not in _NUMERIC and low not in _VAGUE) or low in ("one", "1") and tok.dep_ != "nummod":
            i += 1
            continue
        j = i + 1
        while j < len(tokens) and (tokens[j].like_num or tokens[j].lower_ in ("hundred", "thousand", "million")):
            more = _value(tokens[j])
            if more and more >= 100:
                value *= more
            j += 1
        unit = _unit(tokens[j - 1])
        qualifier = approx or _qualifier(text, tok.idx)
        if not (1000 < value < 2100 and unit is None and re.fullmatch(r"\d{4}", tok.text)):  # a bare year
            found.append(ClaimNumber(value=value, text=text[tok.idx:tokens[j - 1].idx + len(tokens[j - 1].text)], unit=unit, approx=qualifier))
        i = j
    return found


def _value(tok) -> float | None:  # noqa: ANN001
    low = tok.lower_.replace(",", "")
    if low in _WORD_NUMBERS:
        return float(_WORD_NUMBERS[low])
    try:
        return float(low)
    except ValueError:
        return None


def _unit(tok) -> str | None:  # noqa: ANN001
    """The counted noun of a number token ("20 people", "twenty of its members" -> people; "ten hours" -> hour)."""
    head = None
    if tok.dep_ in ("nummod", "quantmod", "amod", "compound") and tok.head.pos_ in ("NOUN", "PROPN") and tok.head.i > tok.i:
        head = tok.head
    if head is None:
        for child in tok.children:
            if child.dep_ == "prep" and child.lower_ == "of":
                head = next((g for g in child.children if g.dep_ == "pobj" and g.pos_ in ("NOUN", "PROPN")), None)
    if head is None and tok.i + 1 < len(tok.doc):
        nxt = tok.nbor(1)
        while nxt.pos_ == "ADJ" and nxt.i + 1 < len(tok.doc):
            nxt = nxt.nbor(1)
        if nxt.pos_ in ("NOUN",):
            head = nxt
    if head is None:
        return None
    lemma = head.lemma_.lower()
    if head.lower_ in _PEOPLE or lemma in _PEOPLE:
        return "people"
    return lemma


def _qualifier(text: str, at: int) -> str | None:
    before = text[max(0, at - 16):at].lower()
    for phrase, name in _QUALIFIERS:
        if re.search(r"\b" + phrase + r"\s*$", before):
            return name
    return None
