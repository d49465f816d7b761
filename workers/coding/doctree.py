"""One Doc's parse as plain Python objects, read once for all the coder's tree walks.

The coder walks the dependency tree hundreds of times per article (heads, children,
subjects, conjuncts, subtrees). Each ``token.head``, ``token.children`` or ``doc[i]`` on
a spaCy ``Doc`` builds a new ``Token`` object, and every ``token.dep_`` looks its string
up again: about 3,000 Token objects per article, most of the coder's time. ``doc_tree``
instead reads the document's columns once (``Doc.to_array``, one call), builds one
``Node`` per token with its strings as plain attributes, and links heads and children
as Nodes, so that a walk is attribute reads only.

A ``Node`` answers the Token attributes the coder reads, under the same names and with
the same values (``head``, ``children``, ``subtree``, ``conjuncts``, ``dep_``, ``lemma_``,
...); the order of ``children``, ``subtree`` and ``conjuncts`` is spaCy's. Nodes of one
tree are unique per token, so identity is token equality.

The coder works on one document at a time, so one tree is kept: the last document asked
about, held by reference (compared with ``is``, so a later document at the same address
can never be mistaken for it).
"""

from __future__ import annotations

import operator
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from itertools import compress, repeat

import numpy
from spacy.attrs import (
    DEP,
    ENT_IOB,
    ENT_TYPE,
    HEAD,
    IDX,
    LEMMA,
    LOWER,
    ORTH,
    POS,
    SENT_START,
    SPACY,
    TAG,
)
from spacy.parts_of_speech import NAMES as POS_NAMES
from spacy.strings import StringStore
from spacy.tokens import Doc, Span

_POS_NAMES: dict[int, str] = {int(key): name for key, name in POS_NAMES.items()}
_MISSING_DEP = 0  # spaCy's MISSING_DEP: a token without a dependency label has no head
_HASHED = [LEMMA, LOWER, ORTH, TAG, DEP, POS, SPACY, IDX, ENT_IOB, ENT_TYPE]
_ENT_BEGIN, _ENT_INSIDE = 3, 1  # ENT_IOB values
_TRAILING = ("", " ")  # a token's trailing whitespace, by its SPACY flag
_SIGNED = [HEAD, SENT_START]
_COLUMNS = _HASHED + _SIGNED


class Node:
    """One token of a parsed Doc: the attributes the coder reads, as plain values."""

    __slots__ = (
        "children",
        "dep_",
        "head",
        "i",
        "idx",
        "lemma_",
        "lower_",
        "pos_",
        "tag_",
        "text",
    )

    i: int
    idx: int  # character offset in the document, as ``Token.idx``
    text: str
    lower_: str
    lemma_: str
    pos_: str
    tag_: str
    dep_: str
    head: Node
    children: tuple[Node, ...]

    def __init__(
        self,
        i: int,
        idx: int,
        text: str,
        lower: str,
        lemma: str,
        pos: str,
        tag: str,
        dep: str,
    ) -> None:
        self.i = i
        self.idx = idx
        self.text = text
        self.lower_ = lower
        self.lemma_ = lemma
        self.pos_ = pos
        self.tag_ = tag
        self.dep_ = dep
        self.children = ()  # a leaf's; the tree sets the others'

    def __repr__(self) -> str:
        return self.text

    @property
    def lefts(self) -> Iterator[Node]:
        return (child for child in self.children if child.i < self.i)

    @property
    def rights(self) -> Iterator[Node]:
        return (child for child in self.children if child.i > self.i)

    @property
    def subtree(self) -> Iterator[Node]:
        """The token and its descendants, in spaCy's order (left subtrees, the token,
        right subtrees)."""
        for child in self.lefts:
            yield from child.subtree
        yield self
        for child in self.rights:
            yield from child.subtree

    @property
    def conjuncts(self) -> tuple[Node, ...]:
        """The tokens coordinated with this one, not itself, as ``Token.conjuncts``: up
        the "conj" chain to its first member, then every "conj" on the right below it."""
        start = self
        while start.dep_ == "conj" and start.head is not start:
            start = start.head
        queue = [start]
        for word in queue:  # (plain loops: most tokens have no conjunct at all)
            for child in word.children:
                if child.dep_ == "conj" and child.i > word.i:
                    queue.append(child)
        if len(queue) == 1:
            return () if start is self else (start,)
        return tuple(word for word in queue if word is not self)


class _Strings(dict[int, str]):
    """Strings by hash, shared by the documents a process codes: the words of a stream
    recur, and a dictionary read (in C, through ``map``) is cheaper than the
    StringStore's. Bounded: once full it starts again."""

    def __init__(self, store: StringStore) -> None:
        super().__init__()
        self.store = store

    def __missing__(self, key: int) -> str:
        if len(self) >= _STRINGS_KEPT:
            self.clear()
        found: str = self.store[key]
        self[key] = found
        return found


_STRINGS: list[_Strings] = []
_STRINGS_KEPT = 100_000


def _strings(store: StringStore) -> _Strings:
    if not _STRINGS or _STRINGS[0].store is not store:
        _STRINGS[:] = [_Strings(store)]
    return _STRINGS[0]


class DocTree:
    """The Nodes of one Doc, its sentence starts and its lemma/lower-case hash columns.

    A tree links its Nodes both ways (heads and children): ``release`` breaks the links
    once the document is coded, so that reference counting frees it at once instead of
    leaving hundreds of cyclic objects per article to the garbage collector."""

    __slots__ = (
        "_ent_types",
        "_found",
        "_iob",
        "_lemma_set",
        "_own_heads",
        "_parents",
        "_roots",
        "doc",
        "lemma_hashes",
        "lower_hashes",
        "nodes",
        "sentence_starts",
        "text",
    )

    def __init__(self, doc: Doc, text: str | None = None) -> None:
        self.doc = doc
        # Column-wise, so that no per-token list is made: (lemma, lower, orth, tag, dep,
        # pos) hashes, trailing space, character offset, entity IOB and type, then (head
        # offset, sentence start), which are signed.
        hashed = doc.to_array(_COLUMNS)  # every column in one read
        lemmas, lowers, orths, tags, deps, pos, spaces, starts_at = hashed[:, :8].T.tolist()
        self._iob, self._ent_types = hashed[:, 8], hashed[:, 9]
        signed = hashed[:, len(_HASHED) :].astype(numpy.int64)  # uint64 back to signed
        strings = _strings(doc.vocab.strings).__getitem__
        texts = list(map(strings, orths))
        if text is None:
            # ``Doc.text``: each token's text and its trailing whitespace
            text = "".join(map(operator.add, texts, map(_TRAILING.__getitem__, spaces)))
        self.text = text
        nodes = list(
            map(
                Node,
                range(len(lemmas)),
                starts_at,
                texts,
                map(strings, lowers),
                map(strings, lemmas),
                map(_POS_NAMES.__getitem__, pos),
                map(strings, tags),
                map(strings, deps),
            )
        )
        # Heads and children in one pass (a plain loop: cheaper here than numpy's grouping
        # calls for a few hundred tokens). As ``Token.head``, a token without a dependency
        # label, or with a head offset of 0, is its own head; a token's children are the
        # tokens headed by it, in document order.
        kids: dict[int, list[Node]] = {}
        own_heads: list[Node] = []
        for node, offset, dep in zip(nodes, signed[:, 0].tolist(), deps, strict=True):
            if offset == 0 or dep == _MISSING_DEP:
                node.head = node
                own_heads.append(node)
            else:
                head = node.i + offset
                node.head = nodes[head]
                siblings = kids.get(head)
                if siblings is None:
                    kids[head] = [node]
                else:
                    siblings.append(node)
        parents = list(map(nodes.__getitem__, kids))
        list(map(setattr, parents, repeat("children"), map(tuple, kids.values())))  # in C
        self._parents = parents
        self._own_heads = own_heads
        self.nodes = nodes
        self.lemma_hashes: list[int] = lemmas
        self.lower_hashes: list[int] = lowers
        self.sentence_starts: list[int] = numpy.flatnonzero(signed[:, 1] == 1).tolist()
        self._roots: dict[tuple[int, int], Node] = {}
        self._found: dict[tuple[frozenset[int], bool], list[int]] = {}
        self._lemma_set: frozenset[int] | None = None

    def with_hashes(self, hashes: frozenset[int], span: Span, lower_too: bool) -> list[Node]:
        """The span's Nodes whose lemma hash (or, ``lower_too``, lower-case hash) is in
        ``hashes``: the document is scanned once per hash set, each span then bisected."""
        key = (hashes, lower_too)
        indices = self._found.get(key)
        if indices is None:
            indices = self._found[key] = self._indices_with(hashes, lower_too)
        if not indices:
            return []
        found = indices[bisect_left(indices, span.start) : bisect_left(indices, span.end)]
        return list(map(self.nodes.__getitem__, found))

    def _indices_with(self, hashes: frozenset[int], lower_too: bool) -> list[int]:
        if not lower_too and len(hashes) <= _FEW_HASHES:
            # a short word list (obligation verbs, willingness adjectives): most documents
            # have none of its words, seen from the document's set of lemmas at once
            if self._lemma_set is None:
                self._lemma_set = frozenset(self.lemma_hashes)
            if hashes.isdisjoint(self._lemma_set):
                return []
        # (C-level passes: ``map`` over the columns, ``compress`` over the indices)
        fits: Iterable[bool] = map(hashes.__contains__, self.lemma_hashes)
        if lower_too:
            fits = map(operator.or_, fits, map(hashes.__contains__, self.lower_hashes))
        return list(compress(range(len(self.nodes)), fits))

    def sentences(self) -> list[Span]:
        """``list(doc.sents)`` read from the sentence-start column (for a document whose
        sentences come from its annotation, not from a ``user_hooks["sents"]``). Spans
        are made as ``doc[start:end]`` makes them, less its slice normalising (Python)."""
        spans: list[Span] = []
        start = 0
        for boundary in self.sentence_starts:
            if boundary > 0:
                spans.append(Span(self.doc, start, boundary))
                start = boundary
        if start != len(self.doc):
            spans.append(Span(self.doc, start, len(self.doc)))
        return spans

    def entities(self, label: str) -> list[tuple[int, int]]:
        """(start, end) token offsets of the entities labelled ``label``, as ``doc.ents``
        delimits them (a labelled B starts one, which runs to the first token not I)."""
        iob, kinds = self._iob, self._ent_types
        # the label compared as the ENT_TYPE column holds it: its id in the StringStore (a
        # symbol's for spaCy's own labels, "DATE" is 391; else the string's hash), never 0
        label_id = numpy.uint64(self.doc.vocab.strings[label])
        begins = numpy.flatnonzero((iob == _ENT_BEGIN) & (kinds == label_id))
        if not len(begins):
            return []
        ends = numpy.flatnonzero(iob != _ENT_INSIDE).tolist()
        found: list[tuple[int, int]] = []
        for start in begins.tolist():
            after = bisect_right(ends, start)
            found.append((start, ends[after] if after < len(ends) else len(iob)))
        return found

    def span_text(self, start: int, end: int) -> str:
        """``doc[start:end].text``: the tokens and the spaces between them."""
        last = self.nodes[end - 1]
        return self.text[self.nodes[start].idx : last.idx + len(last.text)]

    def release(self) -> None:
        """Unlink the Nodes: they keep their own attributes, not their children, and a
        root not its head (reading it raises AttributeError)."""
        # no link down, so the tree is links up only; and a root is its own head: a cycle
        list(map(setattr, self._parents, repeat("children"), repeat(())))
        list(map(delattr, self._own_heads, repeat("head")))
        self.nodes = []
        self._roots.clear()
        self._found.clear()

    def root(self, start: int, end: int) -> Node:
        """``doc[start:end].root`` as a Node (spaCy's choice, read once per span)."""
        found = self._roots.get((start, end))
        if found is None:
            found = self._roots[(start, end)] = self.nodes[Span(self.doc, start, end).root.i]
        return found

    def span_nodes(self, span: Span) -> list[Node]:
        return self.nodes[span.start : span.end]


_FEW_HASHES = 64  # a word list short enough to test against the document's lemma set


_LAST: list[DocTree] = []


def doc_tree(doc: Doc, text: str | None = None) -> DocTree:
    """The tree of ``doc``, built on the first call for it. ``text``, where the caller has
    it (``ResolvedDoc.text``), must be ``doc.text``: it is not joined again."""
    if _LAST and _LAST[0].doc is doc:
        return _LAST[0]
    tree = DocTree(doc, text)
    _LAST[:] = [tree]
    return tree


def release_tree(doc: Doc) -> None:
    """Free the tree of ``doc`` now, if it is the one kept (the coder calls it once an
    article is coded; its Nodes must not be walked after)."""
    if _LAST and _LAST[0].doc is doc:
        _LAST.pop().release()
