"""Modality: negation, hypothetical, intent, refusals, and unasserted triggers."""

from __future__ import annotations

from schemas.models import (
    Modality,
)
from workers.coding.doctree import Node
from workers.coding.events.parse import (
    CONDITIONAL_MARKS,
    first_conjunct_chain,
    governors,
    infinitive,
)
from workers.coding.events.rules import composition_rules
from workers.coding.tables import Lexicon

NEGATIONS = frozenset({"not", "n't", "never", "no"})
INTENT_AUX = frozenset({"will", "'ll", "shall"})
_FUTURE_AUX = frozenset({"will", "wo", "'ll", "would", "shall"})
_SPECULATIVE_AUX = frozenset({"could", "might", "may", "should"})
# "would/could/might/should have done": the act was not done ("may have" is a guess, kept)
_COUNTERFACTUAL_AUX = frozenset({"would", "could", "might", "should", "'d"})


def is_unasserted(token: Node, lex: Lexicon) -> bool:
    """Triggers the writer does not report as happening: the content of a report or an
    allegation noun ("reports that Kigali was backing rebels"), a gerund inside a noun
    phrase ("the price for lifting a blockade"), an infinitive
    modifying a noun ("efforts to fight terrorism") and an event noun it governs ("an
    effort to curb attacks"), or a noun in a quoted naming
    ("what it called attacks by Italian leaders"), or a modal perfect: "a draft that would
    have condemned the crackdown", "troops could have stopped the raid" tell what did not
    happen."""
    if token.dep_ == "pcomp" and token.head.head.pos_ in {"NOUN", "PROPN"}:
        return True
    if _modal_perfect(token):
        return True
    purpose = token
    if token.pos_ == "NOUN" and token.dep_ == "dobj" and token.head.pos_ == "VERB":
        purpose = token.head  # "in an effort to curb attacks": the purpose verb's object
    while purpose.dep_ == "xcomp" and purpose.head.i != purpose.i:
        purpose = purpose.head  # "in a bid to force the junta to release": the bid's
    if purpose.dep_ == "acl" and infinitive(purpose) and purpose.head.pos_ in {"NOUN", "PROPN"}:
        return True
    if (
        token.pos_ in {"NOUN", "PROPN"}
        and token.dep_ in {"oprd", "dobj", "attr", "ccomp"}
        and (token.head.lemma_.lower() in lex.naming_verbs)
        and any(c.lower_ == "what" for c in token.head.children)
    ):
        return True
    current = token
    for _ in range(6):
        head = current.head
        if head.i == current.i:
            break
        if (
            current.dep_ in {"acl", "ccomp", "relcl"}
            and head.pos_ in {"NOUN", "PROPN"}
            and head.lemma_.lower() in lex.report_nouns
        ):
            return True
        if current.dep_ == "ccomp" and head.lemma_.lower() in lex.allegation_verbs:
            # "a report alleged that France helped ...": the alleged act is not asserted
            # (a conflict act there becomes the alleger's accusation, in composition)
            return True
        current = head
    return False


def _modal_perfect(token: Node) -> bool:
    """The token's verb is a modal perfect: its own, the verb a conjunct shares auxiliaries
    with ("would have deplored ... and demanded"), or for a noun the verb it is the object of
    ("would have deplored Moscow's invasion")."""
    verb = token
    for _ in range(4):
        if verb.pos_ in {"VERB", "AUX"} and verb.dep_ != "conj":
            break
        if verb.head.i == verb.i or verb.dep_ not in {"conj", "dobj", "pobj", "prep", "nsubjpass"}:
            break
        verb = verb.head
    if verb.dep_ == "xcomp" and verb.head.i != verb.i:
        verb = verb.head  # "would have called on Israel to abandon the plan"
    for candidate in {token, verb}:
        auxiliaries = {c.lower_ for c in candidate.children if c.dep_ == "aux"}
        if "have" in auxiliaries and bool(auxiliaries & _COUNTERFACTUAL_AUX):
            return True
    return False


def trigger_modality(token: Node, lex: Lexicon) -> tuple[Modality, bool]:
    """Modality of the trigger and whether it points to the future."""
    chain = [token, *governors(token)]
    negated = (
        any(c.lower_ in NEGATIONS and c.dep_ == "neg" for t in chain for c in t.children)
        or any(g.lemma_.lower() in composition_rules().failure_governors for g in chain[1:])
        or any(
            # "had handed over no evidence", "sent no troops": the act's object denied
            d.dep_ == "det" and d.lower_ == "no"
            for obj in token.children
            if obj.dep_ in {"dobj", "obj"}
            for d in obj.children
        )
    )
    shared = chain + first_conjunct_chain(token)
    # "will cut ties and impose bans if ...": a conjunct without its own subject shares the
    # first conjunct's auxiliaries and condition (not its negation: "did not attack X but
    # shelled Y")
    aux = {c.lower_ for t in shared for c in t.children if c.dep_ in {"aux", "auxpass"}}
    hypothetical = bool(aux & lex.modal_hypothetical) or _conditional(shared)
    governed_by_plan = any(g.lemma_.lower() in lex.intent_verbs for g in chain[1:])
    intent = governed_by_plan or bool(aux & INTENT_AUX)
    future = intent or "going" in aux
    return modality_of(negated, hypothetical, intent), future


_MODALITIES: dict[tuple[bool, bool, bool], Modality] = {}


def modality_of(negated: bool, hypothetical: bool, intent: bool) -> Modality:
    """The (frozen, shared) Modality of these flags: eight values, each made once."""
    key = (negated, hypothetical, intent)
    found = _MODALITIES.get(key)
    if found is None:
        found = _MODALITIES[key] = Modality(
            negated=negated, hypothetical=hypothetical, intent=intent
        )
    return found


def refusal_code(token: Node, code: str, modality: Modality) -> str | None:
    """The rejection code of a negated future cooperative act ("will not attend", "said it
    would not recognize"), else None. Speculation ("might not", "could not") and
    conditions ("would not ... if") stay negated acts."""
    rules = composition_rules()
    if not modality.negated or code[:2] not in rules.refusal_codes:
        return None
    chain = [token, *governors(token)]
    aux = {c.lower_ for t in chain for c in t.children if c.dep_ in {"aux", "auxpass"}}
    if aux & _FUTURE_AUX and not aux & _SPECULATIVE_AUX and not _conditional(chain):
        return rules.refusal_codes[code[:2]]
    return None


def _conditional(chain: list[Node]) -> bool:
    """An if/unless clause on the trigger (or its governors), or governing it."""
    for t in chain:
        if t.dep_ == "advcl" and any(
            c.dep_ == "mark" and c.lower_ in CONDITIONAL_MARKS for c in t.children
        ):
            return True
        for child in t.children:
            if child.dep_ == "advcl" and any(
                c.dep_ == "mark" and c.lower_ in CONDITIONAL_MARKS for c in child.children
            ):
                return True
    return False
