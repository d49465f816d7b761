"""The dictionary-scale verb-pattern lexicon on hand-built parses: no model, no broker."""

from __future__ import annotations

from pathlib import Path

from spacy.tokens import Doc

from tests.unit.coding.docs import nodes
from tests.unit.coding.docs import parse as _parse
from workers.coding.events.triggers import _uncodable_verbs, match_verb
from workers.coding.lexicon import (
    DEFAULT_POLICY,
    MatchPolicy,
    PatternLexicon,
    VerbPattern,
    pattern_lexicon,
)
from workers.coding.lexicon_build import build_patterns, crosswalk_rows
from workers.coding.petrarch_reader import pattern_tail, phrase_facts, tail_consumed
from workers.coding.tables import CODING_DATA_DIR, cameo, cameo_codes, lexicon
from workers.nlp.types import ResolvedDoc


def parse(rows: list[tuple[str, str, int, str, str]]) -> Doc:
    """rows: (word, lemma, head index, dep, pos); no sentence boundaries set."""
    return _parse(rows, one_sentence=False)


def verb_object(
    verb: str, verb_lemma: str, obj: str, obj_lemma: str, modifier: tuple[str, str] | None = None
) -> Doc:
    """ "The council <verb> [the] [<modifier>] <obj>." with the verb at index 2."""
    rows = [
        ("The", "the", 1, "det", "DET"),
        ("council", "council", 2, "nsubj", "NOUN"),
        (verb, verb_lemma, 2, "ROOT", "VERB"),
        ("the", "the", 4, "det", "DET"),
    ]
    if modifier:
        rows[3] = ("the", "the", 5, "det", "DET")
        rows.append((modifier[0], modifier[1], 5, "amod", "ADJ"))
        rows.append((obj, obj_lemma, 2, "dobj", "NOUN"))
    else:
        rows.append((obj, obj_lemma, 2, "dobj", "NOUN"))
    return parse(rows)


def test_the_object_refines_the_verb_lift_sanctions_and_lift_a_curfew() -> None:
    lex = pattern_lexicon()
    sanctions = verb_object("lifted", "lift", "sanctions", "sanction")
    curfew = verb_object("lifted", "lift", "curfew", "curfew")
    first = lex.match_verb(nodes(sanctions)[2])
    second = lex.match_verb(nodes(curfew)[2])
    assert first is not None and first.code == "085"
    assert first.obj is not None and first.obj.text == "sanctions"
    assert second is not None and second.code == "0813"
    assert cameo("0813").plover_type == "CONCEDE"  # the manual's reading, see plover_overrides


def test_a_bare_verb_the_dictionary_leaves_uncoded_gives_no_code() -> None:
    doc = parse(
        [
            ("They", "they", 1, "nsubj", "PRON"),
            ("lifted", "lift", 1, "ROOT", "VERB"),
            ("it", "it", 1, "dobj", "PRON"),
        ]
    )
    match = pattern_lexicon().match_verb(nodes(doc)[1])
    assert match is not None and match.code is None and not match.constrained


def test_modifiers_on_the_object_must_all_be_present() -> None:
    synthetic = PatternLexicon(
        verbs={
            "impose": {
                ("", "law", "", ""): (
                    VerbPattern(
                        "impose", "", "law", frozenset({"martial"}), "", "", "1724", "P1+P2"
                    ),
                ),
            }
        },
        nouns={},
    )
    plain = verb_object("imposed", "impose", "law", "law")
    martial = verb_object("imposed", "impose", "law", "law", modifier=("martial", "martial"))
    assert synthetic.match_verb(nodes(plain)[2]) is None
    match = synthetic.match_verb(nodes(martial)[2])
    assert match is not None and match.code == "1724" and match.specificity == 9


def test_the_first_pattern_whose_modifiers_are_all_present_wins_else_the_bare_one() -> None:
    def law(modifiers: set[str], code: str) -> VerbPattern:
        return VerbPattern("impose", "", "law", frozenset(modifiers), "", "", code, "P1+P2")

    # in the lexicon's order: most modifiers first, the bare pattern last
    patterns = (
        law({"martial", "strict"}, "1724"),
        law({"emergency"}, "1721"),
        law({"martial"}, "1723"),
        law(set(), "172"),
    )
    synthetic = PatternLexicon(verbs={"impose": {("", "law", "", ""): patterns}}, nouns={})
    codes = {
        modifier: synthetic.match_verb(
            nodes(verb_object("imposed", "impose", "law", "law", modifier=(modifier, modifier)))[2]
        )
        for modifier in ("martial", "emergency", "strict")
    }
    assert {m: (c.code, c.specificity) if c else None for m, c in codes.items()} == {
        "martial": ("1723", 9),  # the two-word pattern needs "strict" too
        "emergency": ("1721", 9),
        "strict": ("172", 8),  # no pattern has all of its words: the bare one
    }
    plain = synthetic.match_verb(nodes(verb_object("imposed", "impose", "law", "law"))[2])
    assert plain is not None and plain.code == "172"


def _pattern(
    particle: str = "",
    obj: str = "",
    prep: str = "",
    pobj: str = "",
    code: str = "160",
    origin: str = "P1+P2",
) -> VerbPattern:
    return VerbPattern("pull", particle, obj, frozenset(), prep, pobj, code, origin)


def test_the_more_specific_pattern_wins() -> None:
    synthetic = PatternLexicon(
        verbs={
            "pull": {
                p.key: (p,)
                for p in [
                    _pattern(code="---"),
                    _pattern(particle="out", code="080"),
                    _pattern(obj="troop", code="0874"),
                    _pattern(particle="out", obj="ambassador", code="161"),
                    _pattern(prep="from", code="087"),
                    _pattern(prep="from", pobj="treaty", code="166"),
                ]
            }
        },
        nouns={},
    )
    # "Spain pulled out its ambassador from Rome."
    doc = parse(
        [
            ("Spain", "Spain", 1, "nsubj", "PROPN"),
            ("pulled", "pull", 1, "ROOT", "VERB"),
            ("out", "out", 1, "prt", "ADP"),
            ("its", "its", 4, "poss", "PRON"),
            ("ambassador", "ambassador", 1, "dobj", "NOUN"),
            ("from", "from", 1, "prep", "ADP"),
            ("Rome", "Rome", 5, "pobj", "PROPN"),
        ]
    )
    best = synthetic.match_verb(nodes(doc)[1])
    assert best is not None and best.code == "161"
    assert best.particle is not None and best.particle.text == "out"
    # "Spain pulled troops from the region": object beats preposition
    doc = parse(
        [
            ("Spain", "Spain", 1, "nsubj", "PROPN"),
            ("pulled", "pull", 1, "ROOT", "VERB"),
            ("troops", "troop", 1, "dobj", "NOUN"),
            ("from", "from", 1, "prep", "ADP"),
            ("the", "the", 5, "det", "DET"),
            ("region", "region", 3, "pobj", "NOUN"),
        ]
    )
    best = synthetic.match_verb(nodes(doc)[1])
    assert best is not None and best.code == "0874"
    # "Spain pulled out of the talks" has no pattern but the particle one
    doc = parse(
        [
            ("Spain", "Spain", 1, "nsubj", "PROPN"),
            ("pulled", "pull", 1, "ROOT", "VERB"),
            ("out", "out", 1, "prt", "ADP"),
            ("of", "of", 1, "prep", "ADP"),
            ("talks", "talk", 3, "pobj", "NOUN"),
        ]
    )
    best = synthetic.match_verb(nodes(doc)[1])
    assert best is not None and best.code == "080"
    # "Spain pulled from the treaty": preposition and its object
    doc = parse(
        [
            ("Spain", "Spain", 1, "nsubj", "PROPN"),
            ("pulled", "pull", 1, "ROOT", "VERB"),
            ("from", "from", 1, "prep", "ADP"),
            ("the", "the", 4, "det", "DET"),
            ("treaty", "treaty", 2, "pobj", "NOUN"),
        ]
    )
    best = synthetic.match_verb(nodes(doc)[1])
    assert best is not None and best.code == "166" and best.prep_object is not None


def test_policy_drops_bare_verbs_statements_and_weak_single_source_patterns() -> None:
    weak = PatternLexicon(
        verbs={
            "pull": {
                ("", "", "", ""): (_pattern(code="087"),),
                ("out", "", "", ""): (_pattern(particle="out", code="080", origin="P2"),),
            }
        },
        nouns={},
    )
    bare = parse([("Troops", "troop", 1, "nsubj", "NOUN"), ("pulled", "pull", 1, "ROOT", "VERB")])
    particle = parse(
        [
            ("Troops", "troop", 1, "nsubj", "NOUN"),
            ("pulled", "pull", 1, "ROOT", "VERB"),
            ("out", "out", 1, "prt", "ADP"),
        ]
    )
    assert weak.match_verb(nodes(bare)[1]) is not None
    assert weak.match_verb(nodes(bare)[1], policy=DEFAULT_POLICY) is None
    assert weak.match_verb(nodes(bare)[1], policy=MatchPolicy(bare_verbs=True)) is not None
    # the most specific reading is untrusted (one dictionary, a particle only): no fallback
    assert weak.match_verb(nodes(particle)[1], policy=DEFAULT_POLICY) is None
    said = PatternLexicon(
        verbs={
            "say": {
                ("", "concern", "", ""): (
                    VerbPattern("say", "", "concern", frozenset(), "", "", "012", "P1+P2"),
                )
            }
        },
        nouns={},
    )
    doc = verb_object("expressed", "say", "concern", "concern")
    assert said.match_verb(nodes(doc)[2]) is not None
    assert said.match_verb(nodes(doc)[2], policy=DEFAULT_POLICY) is None


def test_event_nouns_need_a_light_verb_or_an_argument() -> None:
    lex = pattern_lexicon()
    light = lexicon().light_verbs
    # "The navy imposed a blockade."
    doc = parse(
        [
            ("The", "the", 1, "det", "DET"),
            ("navy", "navy", 2, "nsubj", "NOUN"),
            ("imposed", "impose", 2, "ROOT", "VERB"),
            ("a", "a", 4, "det", "DET"),
            ("blockade", "blockade", 2, "dobj", "NOUN"),
        ]
    )
    noun = lex.match_noun(nodes(doc)[4], light_verbs=light)
    assert noun is not None and noun.code == "191" and noun.origin == "parley"
    # "A blockade of the port began."
    doc = parse(
        [
            ("A", "a", 1, "det", "DET"),
            ("blockade", "blockade", 5, "nsubj", "NOUN"),
            ("of", "of", 1, "prep", "ADP"),
            ("the", "the", 4, "det", "DET"),
            ("port", "port", 2, "pobj", "NOUN"),
            ("began", "begin", 5, "ROOT", "VERB"),
        ]
    )
    assert lex.match_noun(nodes(doc)[1], light_verbs=light) is not None
    # "They rejected a blockade": the theme of another word, not an event of its own
    doc = parse(
        [
            ("They", "they", 1, "nsubj", "PRON"),
            ("rejected", "reject", 1, "ROOT", "VERB"),
            ("a", "a", 3, "det", "DET"),
            ("blockade", "blockade", 1, "dobj", "NOUN"),
        ]
    )
    assert lex.match_noun(nodes(doc)[3], light_verbs=light) is None
    # "The blockade began." has no argument
    doc = parse(
        [
            ("The", "the", 1, "det", "DET"),
            ("blockade", "blockade", 2, "nsubj", "NOUN"),
            ("began", "begin", 2, "ROOT", "VERB"),
        ]
    )
    assert lex.match_noun(nodes(doc)[1], light_verbs=light) is None


def test_the_lexicon_covers_every_three_digit_cameo_code() -> None:
    lex = pattern_lexicon()
    own = lexicon()
    covered = {c[:3] for c in lex.codes()}
    covered |= {n.code[:3] for n in lex.nouns.values()}
    covered |= {t.code[:3] for ts in [*own.verbs.values(), *own.nouns.values()] for t in ts}
    three = {c for c in cameo_codes() if len(c) == 3}
    # 135 "threaten to halt mediation" is a threat *to do* 165: it has no verb of its own and
    # comes from composing "threaten" with its complement (composition.yaml), not a pattern.
    assert three - covered == {"135"}
    assert lex.codes() >= {"108", "200", "204", "2041"}  # parley's own rows
    four = {c for c in cameo_codes() if len(c) == 4}
    assert len(lex.codes() & four) >= 100  # the dictionaries' 4-digit codes carried over


def test_the_lexicon_is_loaded_once_and_is_dictionary_scale() -> None:
    assert pattern_lexicon() is pattern_lexicon()
    lex = pattern_lexicon()
    assert len(lex) > 20_000 and len(lex.verbs) > 1_000
    every_code_known = all(
        p.code == "---" or p.code in cameo_codes()
        for keyed in lex.verbs.values()
        for ps in keyed.values()
        for p in ps
    )
    assert every_code_known


def test_build_reads_the_pattern_syntax() -> None:
    assert pattern_tail(["SAID", "*", "X"]) is None  # words before the verb: not kept
    assert pattern_tail(["$", "*", "SANCTIONS", "AGAINST", "+"]) == ["SANCTIONS", "AGAINST", "|"]
    facts = list(phrase_facts(["OFF", "TALKS"], {}))
    assert facts == [("off", ["talks"], "", [])]
    facts = list(phrase_facts(["(", "WITH", "REBELS"], {}))
    assert facts == [("", [], "with", ["rebels"])]
    assert list(phrase_facts(["AID", "TO", "|"], {})) == [("", ["aid"], "", [])]
    # a clause after the noun phrase would lose its words: not kept
    assert list(phrase_facts(["PROTEST", "IN", "SUPPORT", "OF", "|"], {})) == []
    assert list(phrase_facts(["&FOOD"], {"FOOD": ["FOOD", "GRAIN"]})) == [
        ("", ["food"], "", []),
        ("", ["grain"], "", []),
    ]
    assert tail_consumed([]) and tail_consumed(["|"]) and not tail_consumed(["FOR", "PEACE"])


def test_crosswalk_file_parses_every_row(tmp_path: Path) -> None:
    sample = tmp_path / "table.txt"
    sample.write_text(
        "# header\n08: CONCEDE\n081: CONCEDE,   ,   legal # Ease\n"
        "08: RETREAT\n0871: RETREAT, ceasefire, military # Truce\n",
        encoding="utf-8",
    )
    assert crosswalk_rows(sample) == [
        ("08", "CONCEDE", "", ""),
        ("081", "CONCEDE", "", "legal"),
        ("0871", "RETREAT", "ceasefire", "military"),
    ]
    assert (CODING_DATA_DIR / "plover_crosswalk.tsv").exists()


def _resolved(doc: Doc) -> ResolvedDoc:
    return ResolvedDoc(doc=doc, mentions=[])


def test_triggers_fall_back_on_the_dictionary_and_keep_parley_entries_first() -> None:
    lex = lexicon()
    # "The council cancelled the visit": no parley entry fits, the dictionary's object does
    doc = verb_object("cancelled", "cancel", "visit", "visit")
    match = match_verb(nodes(doc)[2], lex, _resolved(doc))
    assert match is not None and match.code.startswith("16")
    assert match.theme is not None and match.theme.text == "visit"
    assert match.trigger.constrained and match.trigger.objects == frozenset({"visit"})
    # parley's own entry wins; the dictionary refines its code for the same object
    doc = verb_object("withdrew", "withdraw", "troops", "troop")
    match = match_verb(nodes(doc)[2], lex, _resolved(doc))
    assert match is not None and match.trigger in lex.verbs["withdraw"] and match.code == "0874"
    # where no parley entry fits the object, the dictionary's own pattern answers
    doc = verb_object("lifted", "lift", "curfew", "curfew")
    match = match_verb(nodes(doc)[2], lex, _resolved(doc))
    assert match is not None and match.code == "0813"
    doc = verb_object("lifted", "lift", "sanctions", "sanction")
    match = match_verb(nodes(doc)[2], lex, _resolved(doc))
    assert match is not None and match.code == "085"


def test_a_light_verb_with_a_preposition_governs_an_event_noun() -> None:
    # "Militias engaged in ethnic cleansing."
    doc = parse(
        [
            ("Militias", "militia", 1, "nsubj", "NOUN"),
            ("engaged", "engage", 1, "ROOT", "VERB"),
            ("in", "in", 1, "prep", "ADP"),
            ("ethnic", "ethnic", 4, "amod", "ADJ"),
            ("cleansing", "cleansing", 2, "pobj", "NOUN"),
        ]
    )
    noun = pattern_lexicon().match_noun(nodes(doc)[4])
    assert noun is not None and noun.code == "203"
    assert ("engage", "in") in lexicon().prep_light_verbs
    assert "wage" in lexicon().light_verbs  # light_verbs.tsv joins triggers.yaml's list
    # "Militias believed in cleansing" is no light verb
    doc = parse(
        [
            ("Militias", "militia", 1, "nsubj", "NOUN"),
            ("believed", "believe", 1, "ROOT", "VERB"),
            ("in", "in", 1, "prep", "ADP"),
            ("cleansing", "cleansing", 2, "pobj", "NOUN"),
        ]
    )
    assert pattern_lexicon().match_noun(nodes(doc)[3]) is None


def test_a_bare_parley_verb_takes_the_dictionary_kind_within_its_root() -> None:
    # "Germany pledged humanitarian aid": parley's bare "pledge" is 030, the dictionary's 0333
    doc = parse(
        [
            ("Germany", "Germany", 1, "nsubj", "PROPN"),
            ("pledged", "pledge", 1, "ROOT", "VERB"),
            ("humanitarian", "humanitarian", 3, "amod", "ADJ"),
            ("aid", "aid", 1, "dobj", "NOUN"),
        ]
    )
    match = match_verb(nodes(doc)[1], lexicon(), _resolved(doc))
    assert match is not None and match.trigger in lexicon().verbs["pledge"]
    assert match.code == "0333"
    assert match.theme is not None and match.theme.text == "aid"


def test_a_refinement_keeps_the_plover_type_parley_gave() -> None:
    # "The king pardoned the prisoners": the manual codes a pardon CONCEDE, the release it may
    # bring RETREAT; the dictionary's "pardon prisoner" (0841, a release) must not re-type it
    doc = parse(
        [
            ("The", "the", 1, "det", "DET"),
            ("king", "king", 2, "nsubj", "NOUN"),
            ("pardoned", "pardon", 2, "ROOT", "VERB"),
            ("the", "the", 4, "det", "DET"),
            ("prisoners", "prisoner", 2, "dobj", "NOUN"),
        ]
    )
    match = match_verb(nodes(doc)[2], lexicon(), _resolved(doc))
    assert match is not None and match.code == "080"
    assert cameo(match.code).plover_type == "CONCEDE"


def test_a_particle_parsed_as_a_preposition_is_also_read_as_particle_and_object() -> None:
    # "Volunteers handed over medicine": the small model makes "over" a preposition
    doc = parse(
        [
            ("Volunteers", "volunteer", 1, "nsubj", "NOUN"),
            ("handed", "hand", 1, "ROOT", "VERB"),
            ("over", "over", 1, "prep", "ADP"),
            ("medicine", "medicine", 2, "pobj", "NOUN"),
        ]
    )
    match = pattern_lexicon().match_verb(nodes(doc)[1], policy=DEFAULT_POLICY)
    assert match is not None and match.code == "073" and match.pattern.origin == "parley"
    assert match.particle is not None and match.obj is not None and match.obj.text == "medicine"


def test_a_preposition_and_its_object_code_a_force_posture() -> None:
    # "The army remained on alert."
    doc = parse(
        [
            ("The", "the", 1, "det", "DET"),
            ("army", "army", 2, "nsubj", "NOUN"),
            ("remained", "remain", 2, "ROOT", "VERB"),
            ("on", "on", 2, "prep", "ADP"),
            ("alert", "alert", 3, "pobj", "NOUN"),
        ]
    )
    match = pattern_lexicon().match_verb(nodes(doc)[2], policy=DEFAULT_POLICY)
    assert match is not None and match.code == "152" and cameo("152").plover_type == "MOBILIZE"
    # "The army remained in barracks." is no event (the dictionary's bare "remain" says so)
    doc = parse(
        [
            ("The", "the", 1, "det", "DET"),
            ("army", "army", 2, "nsubj", "NOUN"),
            ("remained", "remain", 2, "ROOT", "VERB"),
            ("in", "in", 2, "prep", "ADP"),
            ("barracks", "barrack", 3, "pobj", "NOUN"),
        ]
    )
    match = pattern_lexicon().match_verb(nodes(doc)[2], policy=DEFAULT_POLICY)
    assert match is not None and match.code is None


def test_a_specific_no_event_pattern_vetoes_a_bare_parley_verb() -> None:
    # both dictionaries code "fight" + "plane" as no event: more specific than parley's bare
    # "fight", so "The council fought the plane" codes nothing; "fought the rebels" still does
    lex = lexicon()
    assert any(not t.constrained for t in lex.verbs.get("fight", ()))
    doc = verb_object("fought", "fight", "plane", "plane")
    assert pattern_lexicon().match_verb(nodes(doc)[2], policy=DEFAULT_POLICY) is not None
    assert match_verb(nodes(doc)[2], lex, _resolved(doc)) is None
    doc = verb_object("fought", "fight", "rebels", "rebel")
    assert match_verb(nodes(doc)[2], lex, _resolved(doc)) is not None


def test_a_verb_the_dictionary_can_code_no_event_for_is_no_trigger_without_an_entry() -> None:
    # every "wait" pattern is a statement (01, left to reporting verbs) or "no event"
    uncodable = _uncodable_verbs(pattern_lexicon(), DEFAULT_POLICY)
    assert "wait" in uncodable and "lift" not in uncodable and "say" not in uncodable
    assert all(
        p.code == "---" or p.code[:2] == "01"
        for patterns in pattern_lexicon().verbs["wait"].values()
        for p in patterns
    )
    lex = lexicon()
    assert "wait" not in lex.verbs
    doc = verb_object("awaited", "wait", "talks", "talk")
    assert match_verb(nodes(doc)[2], lex, _resolved(doc)) is None
    doc = verb_object("lifted", "lift", "sanctions", "sanction")
    found = match_verb(nodes(doc)[2], lex, _resolved(doc))
    assert found is not None and found.code == "085"


def test_build_reads_a_dictionary_end_to_end(tmp_path: Path) -> None:
    sample = tmp_path / "verbs.txt"
    sample.write_text(
        "&ARMY\n+TROOPS\n+SOLDIERS\n\n####### VERB PATTERNS #######\n\n"
        "--- WITHDRAW [087] ---\nWITHDRAW {WITHDREW WITHDRAWN}\nPULL [---]\n+PULL_OUT\n"
        "- * &ARMY [0874]  # WITHDRAW\n"
        "- * AMBASSADOR FROM + [161]  # WITHDRAW\n"
        "- SAID * [---]  # WITHDRAW\n"
        "- * FROM TALKS [164]  # PULL\n",
        encoding="utf-8",
    )
    valid = frozenset({"087", "0874", "161", "164"})
    patterns = build_patterns(sample, valid, lambda word, _pos: word.rstrip("s"))
    facts = {(p.lemma, p.particle, p.obj, p.prep, p.prep_object, p.code) for p in patterns}
    assert ("withdraw", "", "", "", "", "087") in facts
    assert ("pull", "", "", "", "", "---") in facts
    assert ("pull", "out", "", "", "", "087") in facts  # the multi-word verb
    assert ("withdraw", "", "troop", "", "", "0874") in facts  # through the synonym set
    assert ("withdraw", "", "soldier", "", "", "0874") in facts
    assert ("withdraw", "", "ambassador", "", "", "161") in facts
    assert ("pull", "", "", "from", "talk", "164") in facts  # attached to the named verb only
    assert not any(p.lemma == "withdraw" and p.prep == "from" for p in patterns)


def test_a_quantity_object_is_read_through_to_what_it_counts() -> None:
    # "Volunteers handed over 300 boxes of medicine."
    doc = parse(
        [
            ("Volunteers", "volunteer", 1, "nsubj", "NOUN"),
            ("handed", "hand", 1, "ROOT", "VERB"),
            ("over", "over", 1, "prt", "ADP"),
            ("300", "300", 4, "nummod", "NUM"),
            ("boxes", "box", 1, "dobj", "NOUN"),
            ("of", "of", 4, "prep", "ADP"),
            ("medicine", "medicine", 5, "pobj", "NOUN"),
        ]
    )
    lex = pattern_lexicon()
    assert lex.match_verb(nodes(doc)[1], policy=DEFAULT_POLICY) is None
    match = lex.match_verb(
        nodes(doc)[1], policy=DEFAULT_POLICY, quantity_nouns=lexicon().quantity_nouns
    )
    assert match is not None and match.code == "073" and match.obj is not None
    assert match.obj.text == "medicine"
    trigger = match_verb(nodes(doc)[1], lexicon(), _resolved(doc))
    assert trigger is not None and trigger.code == "073"


def test_parley_removes_derived_nouns_that_name_no_act() -> None:
    nouns = pattern_lexicon().nouns
    assert "tie" not in nouns and "war" not in nouns  # a relation, a state
    assert nouns["offensive"].origin == "dictionary" and nouns["blockade"].origin == "parley"


def test_a_carrier_noun_object_is_read_as_what_it_carries() -> None:
    # "The agency suspended aid deliveries."
    doc = parse(
        [
            ("The", "the", 1, "det", "DET"),
            ("agency", "agency", 2, "nsubj", "NOUN"),
            ("suspended", "suspend", 2, "ROOT", "VERB"),
            ("aid", "aid", 4, "compound", "NOUN"),
            ("deliveries", "delivery", 2, "dobj", "NOUN"),
        ]
    )
    lex = lexicon()
    assert "delivery" in lex.carrier_nouns
    match = match_verb(nodes(doc)[2], lex, _resolved(doc))
    assert match is not None and match.code == "162"
    assert match.theme is not None and match.theme.text == "aid"


def test_a_verb_with_bare_patterns_only_matches_bare_whatever_its_dependents() -> None:
    """Its dependents are not walked (no key can use them): the bare pattern, as a full
    walk finds it, with no dependent token attached."""
    only_bare = PatternLexicon(
        verbs={"pull": {("", "", "", ""): (_pattern(code="080"),)}}, nouns={}
    )
    both = PatternLexicon(
        verbs={
            "pull": {
                ("", "", "", ""): (_pattern(code="080"),),
                ("", "troop", "", ""): (_pattern(obj="troop", code="0874"),),
            }
        },
        nouns={},
    )
    doc = parse(
        [
            ("Spain", "Spain", 1, "nsubj", "PROPN"),
            ("pulled", "pull", 1, "ROOT", "VERB"),
            ("out", "out", 1, "prt", "ADP"),
            ("ships", "ship", 1, "dobj", "NOUN"),
            ("from", "from", 1, "prep", "ADP"),
            ("Rome", "Rome", 4, "pobj", "PROPN"),
        ]
    )
    verb = nodes(doc)[1]
    bare = only_bare.match_verb(verb)
    walked = both.match_verb(verb)  # "ships" is no "troop": the walk ends at the bare key
    assert bare is not None and walked is not None
    assert (bare.code, bare.specificity, bare.particle, bare.obj, bare.prep) == (
        walked.code,
        walked.specificity,
        None,
        None,
        None,
    )
    assert bare.code == "080" and not bare.constrained
    assert only_bare.match_verb(verb, policy=DEFAULT_POLICY) is None  # bare verbs are off


def test_built_lexicon_keeps_singular_words_ending_in_s() -> None:
    # The build lemmatizes dictionary words without a tag; "access" must stay "access"
    # (as the tagged model lemmatizes it in text), not lose its final "s".
    from workers.coding.tables import CODING_DATA_DIR

    rows = [
        line.split("\t")
        for line in (CODING_DATA_DIR / "verb_patterns.tsv").read_text().splitlines()
        if not line.startswith("#")
    ]
    objects = {row[2] for row in rows}
    assert {"access", "press", "brass"} <= objects | {row[0] for row in rows} | {
        m for row in rows for m in row[3].split(",")
    }
    assert not {"acces", "bras", "pres"} & objects
