"""Reading the PETRARCH CAMEO verb dictionaries' pattern syntax into facts.

``--- NAME [code] ---`` opens a verb block; the lines below it are the block's verbs (a
``+`` marks the verb word of a multi-word verb, ``{...}`` irregular forms, ``[code]`` a
verb's own code); ``- pattern [code]`` lines refine the code by the words around the verb
(``*`` the verb, ``$`` source, ``+`` target, ``&SET`` a synonym set, ``%`` / ``^`` other
slots, ``{}`` a noun phrase and ``()`` a prepositional phrase in the PETRARCH-2 file).
Used at build time by ``lexicon_build``; the coder never reads these files.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

PARTICLES = frozenset(
    {"up", "down", "out", "off", "back", "away", "aside", "apart", "forth", "ahead", "over"}
)
PREPOSITIONS = frozenset(
    {
        "with",
        "on",
        "against",
        "to",
        "for",
        "from",
        "in",
        "into",
        "over",
        "about",
        "at",
        "of",
        "by",
        "under",
        "toward",
        "towards",
        "across",
        "through",
        "onto",
        "upon",
        "between",
        "among",
        "after",
        "before",
        "within",
        "without",
        "around",
        "near",
        "amid",
        "behind",
        "beyond",
        "along",
        "as",
        "like",
        "despite",
        "during",
    }
)
FUNCTION_WORDS = frozenset(
    {
        "the",
        "a",
        "an",
        "his",
        "her",
        "its",
        "their",
        "our",
        "my",
        "your",
        "this",
        "that",
        "these",
        "those",
        "some",
        "any",
        "all",
        "it",
        "them",
        "him",
        "they",
        "he",
        "she",
        "we",
        "i",
        "you",
        "us",
        "itself",
        "themselves",
        "own",
        "and",
        "or",
        "not",
        "no",
        "s",
        "'s",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "will",
        "would",
        "has",
        "have",
        "had",
        "to",
        "than",
        "more",
        "other",
        "such",
        "which",
        "who",
        "whom",
        "what",
        "whether",
        "if",
    }
)
NO_EVENT = "---"
_WORD = re.compile(r"^[a-z][a-z'-]*$")
_CODE = re.compile(r"\[([^\]]*)\]")
_BLOCK = re.compile(r"^---\s*([A-Z0-9_'-]+)\s*\[([^\]]*)\]")


@dataclass(frozen=True, slots=True)
class Pattern:
    """One fact: a verb lemma, the words around it and the code they give."""

    lemma: str
    particle: str = ""
    obj: str = ""
    modifiers: tuple[str, ...] = ()
    prep: str = ""
    prep_object: str = ""
    code: str = NO_EVENT

    @property
    def key(self) -> tuple[str, str, str, tuple[str, ...], str, str]:
        return (self.lemma, self.particle, self.obj, self.modifiers, self.prep, self.prep_object)


@dataclass
class _Block:
    code: str
    verbs: dict[str, str] = field(default_factory=dict)  # dictionary word -> code
    multiword: list[tuple[str, list[str], str]] = field(default_factory=list)
    patterns: list[tuple[list[str], str, set[str]]] = field(default_factory=list)


def _clean_code(raw: str, fallback: str, valid: frozenset[str]) -> str:
    code = raw.split(":")[0].strip()
    if code.startswith("-"):
        return NO_EVENT
    if code in valid:
        return code
    return fallback if fallback in valid or fallback == NO_EVENT else NO_EVENT


_KNOWN_WORDS: list[str] = []  # sorted English words, see set_known_words()


def set_known_words(words: Iterable[str]) -> None:
    """The English words (the lemmatizer's index) that tell a word from a stem."""
    _KNOWN_WORDS[:] = sorted(set(words))


def is_stem(word: str) -> bool:
    """A PETRARCH-1 prefix stem ("negotiat", "collaps"): not an English word itself but the
    start of a longer one. The coder matches whole lemmas, so a stem would never match."""
    i = bisect.bisect_left(_KNOWN_WORDS, word)
    if i < len(_KNOWN_WORDS) and _KNOWN_WORDS[i] == word:
        return False
    return i < len(_KNOWN_WORDS) and _KNOWN_WORDS[i].startswith(word)


def _synonym_sets(lines: list[str]) -> dict[str, list[str]]:
    sets: dict[str, list[str]] = {}
    current: str | None = None
    for line in lines:
        text = line.split("#")[0].strip()
        if text.startswith("&"):
            current = text[1:].rstrip("_").upper()
            sets[current] = []
        elif text.startswith("+") and current is not None:
            sets[current].append(text[1:])
        elif not text:
            continue
        else:
            current = None
    return sets


def dictionary_words(raw: str) -> list[str]:
    """Dictionary words: underscores join a phrase, a trailing underscore marks an exact form."""
    parts = (w.strip("_+$%^").lower() for w in raw.split("_"))
    return [w for w in parts if w]


def read_dictionary(path: Path, valid: frozenset[str]) -> tuple[list[_Block], dict[str, list[str]]]:
    lines = path.read_text(encoding="latin-1").splitlines()
    start = next(i for i, line in enumerate(lines) if "VERB PATTERNS" in line)
    synsets = _synonym_sets(lines[:start])
    blocks: list[_Block] = []
    block: _Block | None = None
    for line in lines[start + 1 :]:
        header = _BLOCK.match(line)
        if header:
            block = _Block(code=_clean_code(header.group(2), NO_EVENT, valid))
            blocks.append(block)
            continue
        if line.startswith("---"):  # a block header without a code: no event by default
            block = _Block(code=NO_EVENT)
            blocks.append(block)
            continue
        if block is None:
            continue
        text, _, comment = line.partition("#")
        text = text.strip()
        if not text:
            continue
        code_match = _CODE.search(text)
        if text.startswith("-"):
            if code_match is None:
                continue
            body = text[1 : code_match.start()].strip()
            code = _clean_code(code_match.group(1), block.code, valid)
            named = set(re.findall(r"\b([A-Z][A-Z_-]+)\b", comment))
            block.patterns.append((body.split(), code, named))
            continue
        code = _clean_code(code_match.group(1), block.code, valid) if code_match else block.code
        head = text.split()[0].split("{")[0]
        if "+" in head:  # a multi-word verb: "+" marks the verb word ("+CARRY_OUT", "RE_+OPEN")
            before, _, after = head.partition("+")
            parts = dictionary_words(after)
            if not parts:
                continue
            verb = "".join(dictionary_words(before)) + parts[0]
            block.multiword.append((verb, parts[1:], code))
        else:
            parts = dictionary_words(head)
            if len(parts) == 1:
                block.verbs[parts[0]] = code
    return blocks, synsets


def _expand(token: str, synsets: dict[str, list[str]]) -> list[list[str]]:
    """A pattern word as word lists: a synonym set gives each member's words."""
    if token.startswith("&"):
        members = synsets.get(token[1:].strip("_").upper(), [])
        return [dictionary_words(m) for m in members if dictionary_words(m)]
    return [dictionary_words(token)] if dictionary_words(token) else []


def pattern_tail(body: list[str]) -> list[str] | None:
    """The pattern's words after the verb with markers dropped; None if words precede it."""
    if "*" not in body:
        return None
    star = body.index("*")
    if any(t not in {"+", "$", "%", "^"} for t in body[:star]):
        return None
    tail: list[str] = []
    for raw in body[star + 1 :]:
        token = raw.replace("{", " ").replace("}", " ").replace("(", " ( ").replace(")", " ")
        for t in token.split():
            if t in {"+", "$", "%", "^"} or t.startswith(("+", "$", "%", "^")):
                t = t.lstrip("+$%^")
                if not t:
                    if tail and tail[-1] != "|":
                        tail.append("|")  # an actor slot ends a noun phrase
                    continue
            tail.append(t)
    return tail


def phrase_facts(
    tail: list[str], synsets: dict[str, list[str]]
) -> Iterable[tuple[str, list[str], str, list[str]]]:
    """(particle, object words, prep, prep-object words) readings of a pattern tail."""
    words = [t for t in tail if t != "("]
    if not words:
        yield "", [], "", []
        return
    particle = ""
    if words[0].lower() in PARTICLES and (len(words) == 1 or words[1] != "|"):
        particle, words = words[0].lower(), words[1:]

    def run(start: int) -> tuple[list[str], int]:
        out: list[str] = []
        i = start
        while i < len(words) and words[i] != "|" and words[i].lower() not in PREPOSITIONS:
            if words[i].lower() in PARTICLES:
                break  # "pull troops out": the particle after the object
            out.append(words[i])
            i += 1
        return out, i

    if words and words[0].lower() in PREPOSITIONS:
        prep = words[0].lower()
        objs, end = run(1)
        if tail_consumed(words[end:]):
            for expanded in _runs(objs, synsets):
                yield particle, [], prep, expanded
        return
    objs, end = run(0)
    if not particle and end < len(words) and words[end].lower() in PARTICLES:
        particle = words[end].lower()
        end += 1
    if tail_consumed(words[end:]):
        for expanded in _runs(objs, synsets):
            yield particle, expanded, "", []


def tail_consumed(rest: list[str]) -> bool:
    """Whether what follows the kept words adds no constraint the parse reading lacks: nothing,
    an actor slot, or a preposition introducing an actor ("* SANCTIONS AGAINST +"). A pattern
    with more words ("stage a protest in support of") would lose them and be too general."""
    words = [w for w in rest if w != "|"]
    return not words or (len(words) == 1 and words[0].lower() in PREPOSITIONS and rest[-1] == "|")


def _runs(words: list[str], synsets: dict[str, list[str]]) -> Iterable[list[str]]:
    if not words:
        yield []
        return
    if len(words) > 2:
        return  # a longer word string is a clause ("meeting following the attack"), not a noun
    options: list[list[list[str]]] = [_expand(w, synsets) for w in words]
    if any(not o for o in options):
        return
    combos: list[list[str]] = [[]]
    for choice in options:
        combos = [c + w for c in combos for w in choice][:200]
    for combo in combos:
        # a phrase with a preposition ("state of emergency") has its head before it; the
        # words after it qualify the head like a modifier does
        cut = next((i for i, w in enumerate(combo) if w in PREPOSITIONS and i > 0), len(combo))
        content = [w for w in combo[:cut] if w not in FUNCTION_WORDS]
        content = [w for w in combo[cut + 1 :] if w not in FUNCTION_WORDS] + content
        if content and len(content) <= 4 and all(_WORD.match(w) for w in content):
            yield content
