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

from collections.abc import Iterator

from spacy.attrs import DEP, HEAD, LEMMA, LOWER, ORTH, POS, SENT_START, TAG
from spacy.parts_of_speech import NAMES as POS_NAMES
from spacy.tokens import Doc, Span

_POS_NAMES: dict[int, str] = {int(key): name for key, name in POS_NAMES.items()}
_MISSING_DEP = 0  # spaCy's MISSING_DEP: a token without a dependency label has no head
_HASHED = [LEMMA, LOWER, ORTH, TAG, DEP, POS]
_SIGNED = [HEAD, SENT_START]
# Strings by hash, shared by the documents a process codes: the words of a stream recur,
# and a dictionary read is cheaper than the StringStore's. Bounded: once full, a document
# looks its strings up without keeping them.
_STRINGS: dict[int, str] = {}
_STRINGS_KEPT = 100_000


class Node:
    """One token of a parsed Doc: the attributes the coder reads, as plain values."""

    __slots__ = (
        "children",
        "dep_",
        "head",
        "i",
        "lemma_",
        "lower_",
        "pos_",
        "tag_",
        "text",
        "tree",
    )

    tree: DocTree
    i: int
    text: str
    lower_: str
    lemma_: str
    pos_: str
    tag_: str
    dep_: str
    head: Node
    children: tuple[Node, ...]

    def __repr__(self) -> str:
        return self.text

    @property
    def idx(self) -> int:
        """Character offset in the document (read from spaCy: only recorded triggers ask)."""
        return int(self.tree.doc[self.i].idx)

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
        """The tokens coordinated with this one, not itself, as ``Token.conjuncts``."""
        start = self
        while start.head is not start and start.dep_ == "conj":
            start = start.head
        queue = [start]
        for word in queue:
            queue.extend(child for child in word.rights if child.dep_ == "conj")
        return tuple(word for word in queue if word is not self)


class DocTree:
    """The Nodes of one Doc, its sentence starts and its lemma/lower-case hash columns."""

    __slots__ = ("_roots", "columns", "doc", "nodes", "sentence_starts")

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        hashed: list[list[int]] = doc.to_array(_HASHED).tolist()
        signed: list[list[int]] = doc.to_array(_SIGNED).view("int64").tolist()
        strings = doc.vocab.strings
        known = _STRINGS if len(_STRINGS) < _STRINGS_KEPT else {}
        nodes: list[Node] = []
        for i, row in enumerate(hashed):
            values = []
            for key in row[:5]:
                found = known.get(key)
                if found is None:
                    found = known[key] = strings[key]
                values.append(found)
            node = Node()
            node.tree = self
            node.i = i
            node.lemma_, node.lower_, node.text, node.tag_, node.dep_ = values
            node.pos_ = _POS_NAMES[row[5]]
            nodes.append(node)
        children: list[list[Node]] = [[] for _ in nodes]
        for node, row, (offset, _) in zip(nodes, hashed, signed, strict=True):
            # as ``Token.head``: a token without a dependency label is its own head
            head = node.i if row[4] == _MISSING_DEP else node.i + offset
            node.head = nodes[head]
            if head != node.i:
                children[head].append(node)
        for node, kids in zip(nodes, children, strict=True):
            node.children = tuple(kids)
        self.nodes = nodes
        self.columns = [row[:2] for row in hashed]
        self.sentence_starts = [i for i, row in enumerate(signed) if row[1] == 1]
        self._roots: dict[tuple[int, int], Node] = {}

    def root(self, start: int, end: int) -> Node:
        """``doc[start:end].root`` as a Node (spaCy's choice, read once per span)."""
        found = self._roots.get((start, end))
        if found is None:
            found = self._roots[(start, end)] = self.nodes[self.doc[start:end].root.i]
        return found

    def span_nodes(self, span: Span) -> list[Node]:
        return self.nodes[span.start : span.end]


_LAST: list[DocTree] = []


def doc_tree(doc: Doc) -> DocTree:
    """The tree of ``doc``, built on the first call for it."""
    if _LAST and _LAST[0].doc is doc:
        return _LAST[0]
    tree = DocTree(doc)
    _LAST[:] = [tree]
    return tree


def doc_columns(doc: Doc) -> list[list[int]]:
    """(lemma hash, lower-case hash) of every token of ``doc``."""
    return doc_tree(doc).columns


def span_columns(span: Span) -> list[list[int]]:
    """(lemma hash, lower-case hash) of each token of the span."""
    return doc_columns(span.doc)[span.start : span.end]
