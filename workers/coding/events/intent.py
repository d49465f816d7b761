"""Intent as PLOVER's and CAMEO's authors code it: an expressed commitment to act.

An intended or future cooperative act (CONSULT, SUPPORT, COOPERATE, AID, and the 08x
yields) is AGREE / CAMEO 03x, coded by what is intended ("will provide aid" -> 033,
"is ready to talk" -> 036, "agreed to re-open the border" -> 035); an intended hostile
act is THREATEN / CAMEO 13x ("vowed to strike back" -> 138, "will boycott the vote" ->
1312). What was promised or threatened goes in the PLOVER mode. For cooperation the record's
PLOVER type and mode come from the 03x code while its CAMEO code stays the act (CAMEO's
own gold codes "will meet" 040); threats are 13x in both. Conventions and their
sources: ``workers/data/coding/composition.yaml``. Negated future acts are refusals
(``modality.refusal_code``), not intents.
"""

from __future__ import annotations

from dataclasses import dataclass

from workers.coding.doctree import Node
from workers.coding.events.parse import first_conjunct_chain
from workers.coding.events.rules import composition_rules
from workers.coding.tables import Lexicon, plover_type_of

_HOSTILE_ROOTS = frozenset({"14", "16", "17", "18", "19", "20"})


@dataclass(frozen=True, slots=True)
class Commitment:
    code: str  # the 03x / 13x code of the expressed intent
    mode: str | None  # what is promised (AGREE) or threatened (THREATEN)
    stated: bool = True  # by a verb or adjective of commitment, not by future tense alone


def committed_code(act_code: str) -> Commitment | None:
    """The intent code of an act: 03x for cooperation and yielding, 13x for hostile acts,
    None for acts that stay as they are when intended (statements, demands, rejections)."""
    rules = composition_rules()
    for prefix in (act_code[:4], act_code[:3], act_code[:2]):
        if len(prefix) >= 2 and prefix in rules.threat_codes:
            code, mode = rules.threat_codes[prefix]
            return Commitment(code, mode)
    intent = rules.intent_codes.get(act_code[:2])
    if intent is None:
        return None
    promised = plover_type_of(act_code)
    return Commitment(intent, promised.lower() if promised else None)


def expressed_commitment(
    token: Node, code: str, lex: Lexicon, has_target: bool = True
) -> Commitment | None:
    """The commitment this trigger states, if any: a future auxiliary on the act or its
    governing chain ("will provide", "said it would send"), or a governor of commitment
    ("agreed to", "is prepared to", "has sworn to"); a future yield needs a party it is
    made to (``has_target``). Speculation ("could", "might") is not
    a commitment; a hostile act needs the actor's own commitment (future auxiliary or a
    threat governor), not a forecast ("expected to attack") or an attempt ("tried to")."""
    rules = composition_rules()
    chain = _governing_chain(token)
    # "will cut ties and impose bans": the conjunct shares the first one's auxiliaries
    shared = chain + first_conjunct_chain(token)
    aux = {c.lower_ for t in shared for c in t.children if c.dep_ in {"aux", "auxpass"}}
    if aux & rules.speculative_aux:
        return None
    governing = {g.lemma_.lower() for g in chain[1:]} | {g.lower_ for g in chain[1:]}
    future = bool(aux & rules.future_aux) or "going" in aux
    willing = not (
        governing.isdisjoint(lex.intent_verbs) and governing.isdisjoint(rules.commitment_governors)
    )
    if code[:2] in _HOSTILE_ROOTS:
        committed = future or bool(governing & rules.threat_governors)
    elif code[:2] == "08":
        # PLOVER_MANUAL, AGREE: "RETREAT + future and CONCEDE + future should be left as they
        # are" ("the minister will resign"); a yield committed to another party ("will
        # return the weapons to the UN", "agreed to lift the ban") is an agreement (035).
        committed = willing or (future and has_target)
    else:
        committed = future or willing
    if not committed:
        return None
    found = committed_code(code)
    if found is None:
        return None
    stated = willing or bool(governing & rules.threat_governors)
    return Commitment(found.code, found.mode, stated)


def _governing_chain(token: Node) -> list[Node]:
    """The act and the verbs governing it through infinitive complements: xcomp, and
    the advcl the small parser often gives an infinitive ("have sworn to fight")."""
    chain = [token]
    current = token
    for _ in range(4):
        head = current.head
        if head.i == current.i:
            break
        if current.dep_ == "xcomp" or (
            current.dep_ == "advcl"
            and any(c.dep_ == "aux" and c.lower_ == "to" for c in current.children)
        ):
            chain.append(head)
            current = head
            continue
        break
    return chain
