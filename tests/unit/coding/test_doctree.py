"""The coder's per-document tree (workers.coding.doctree) answers as spaCy's Tokens do."""

from __future__ import annotations

import gc

from spacy.attrs import LEMMA, LOWER
from spacy.tokens import Doc

from tests.unit.coding.docs import VOCAB, Rows, nodes, parse
from workers.coding.doctree import doc_tree, release_tree

# "Iran, Iraq and Syria condemned the strike. Talks between them resumed on Monday."
TWO_SENTENCES: Rows = [
    ("Iran", "Iran", 4, "nsubj", "PROPN"),
    (",", ",", 0, "punct", "PUNCT"),
    ("Iraq", "Iraq", 0, "conj", "PROPN"),
    ("and", "and", 2, "cc", "CCONJ"),
    ("condemned", "condemn", 4, "ROOT", "VERB"),
    ("the", "the", 6, "det", "DET"),
    ("strike", "strike", 4, "dobj", "NOUN"),
    (".", ".", 4, "punct", "PUNCT"),
    ("Talks", "talk", 11, "nsubj", "NOUN"),
    ("between", "between", 8, "prep", "ADP"),
    ("them", "they", 9, "pobj", "PRON"),
    ("resumed", "resume", 11, "ROOT", "VERB"),
    ("on", "on", 11, "prep", "ADP"),
    ("Monday", "Monday", 12, "pobj", "PROPN"),
    (".", ".", 11, "punct", "PUNCT"),
]


def _two_sentences() -> Doc:
    return parse(TWO_SENTENCES, one_sentence=False)  # the two roots give two sentences


def test_every_node_answers_as_its_token() -> None:
    doc = _two_sentences()
    tree = doc_tree(doc)
    assert len(tree.nodes) == len(doc)
    for token, node in zip(doc, tree.nodes, strict=True):
        assert (node.i, node.text, node.lower_, node.lemma_) == (
            token.i,
            token.text,
            token.lower_,
            token.lemma_,
        )
        assert (node.pos_, node.tag_, node.dep_, node.idx) == (
            token.pos_,
            token.tag_,
            token.dep_,
            token.idx,
        )
        assert node.head.i == token.head.i
        assert [n.i for n in node.children] == [t.i for t in token.children]
        assert [n.i for n in node.lefts] == [t.i for t in token.lefts]
        assert [n.i for n in node.rights] == [t.i for t in token.rights]
        assert [n.i for n in node.subtree] == [t.i for t in token.subtree]
        assert [n.i for n in node.conjuncts] == [t.i for t in token.conjuncts]


def test_conjuncts_and_heads_are_nodes_of_the_same_tree() -> None:
    tree = doc_tree(_two_sentences())
    iran, iraq, condemned = tree.nodes[0], tree.nodes[2], tree.nodes[4]
    assert iran.conjuncts == (iraq,)
    assert iraq.conjuncts == (iran,)
    assert iran.head is condemned and condemned.head is condemned
    assert [n.text for n in condemned.children] == ["Iran", "strike", "."]


def test_sentence_starts_roots_and_columns() -> None:
    doc = _two_sentences()
    tree = doc_tree(doc)
    assert tree.sentence_starts == [s.start for s in doc.sents] == [0, 8]
    assert tree.root(0, 4) is tree.nodes[0]  # "Iran , Iraq and": the conjunction's head
    assert tree.root(8, 11) is tree.nodes[doc[8:11].root.i]
    assert [tree.lemma_hashes, tree.lower_hashes] == doc.to_array([LEMMA, LOWER]).T.tolist()
    assert tree.text == doc.text
    assert [(s.start, s.end) for s in tree.sentences()] == [(s.start, s.end) for s in doc.sents]


def test_a_token_without_a_dependency_label_is_its_own_head() -> None:
    doc = Doc(VOCAB, words=["no", "parse"])
    tree = doc_tree(doc)
    assert [n.head.i for n in tree.nodes] == [t.head.i for t in doc] == [0, 1]
    assert all(n.children == () for n in tree.nodes)


def test_the_tree_is_built_once_per_document_and_never_reused_for_another() -> None:
    doc = _two_sentences()
    assert doc_tree(doc) is doc_tree(doc)
    assert nodes(doc)[4] is doc_tree(doc).nodes[4]
    other = _two_sentences()
    assert doc_tree(other) is not doc_tree(doc)
    assert doc_tree(other).doc is other


def test_entities_and_their_texts_are_those_of_doc_ents() -> None:
    words = ["Talks", "on", "May", "18", "and", "on", "Monday", "in", "Oslo", "failed"]
    ents = ["O", "O", "B-DATE", "I-DATE", "O", "O", "B-DATE", "O", "B-GPE", "O"]
    doc = Doc(VOCAB, words=words, ents=ents)
    tree = doc_tree(doc)
    for label in ("DATE", "GPE", "ORG"):
        want = [(e.start, e.end, e.text) for e in doc.ents if e.label_ == label]
        assert [(a, b, tree.span_text(a, b)) for a, b in tree.entities(label)] == want
    assert tree.entities("DATE") == [(2, 4), (6, 7)]
    assert tree.span_text(2, 4) == "May 18"


def test_a_released_tree_leaves_no_cycle_to_the_garbage_collector() -> None:
    doc = _two_sentences()
    doc_tree(doc)  # drops the tree an earlier test left unreleased: the collector's to free
    gc.collect()
    for _ in range(3):
        tree = doc_tree(doc)
        root, leaf = tree.nodes[4], tree.nodes[6]
        release_tree(doc)
        assert tree.nodes == [] and root.children == ()
        assert not hasattr(root, "head")  # a root was its own head
        assert leaf.head is root  # links up stay: they make no cycle
    del tree, root, leaf
    assert gc.collect() == 0  # reference counting freed every Node
    assert doc_tree(doc).nodes[4].head.i == 4  # asked again, the tree is built again


def test_with_hashes_finds_a_spans_tokens_by_lemma_or_lower_case_hash() -> None:
    doc = _two_sentences()
    tree = doc_tree(doc)
    strings = doc.vocab.strings
    lemmas = frozenset({strings["condemn"], strings["resume"]})
    first, second = doc[0:8], doc[8:15]
    assert [n.text for n in tree.with_hashes(lemmas, first, lower_too=False)] == ["condemned"]
    assert [n.text for n in tree.with_hashes(lemmas, second, lower_too=False)] == ["resumed"]
    assert [n.i for n in tree.with_hashes(lemmas, doc[:], lower_too=False)] == [4, 11]
    lowers = frozenset({strings["talks"]})  # the lower-case form, not the lemma "talk"
    assert tree.with_hashes(lowers, second, lower_too=False) == []
    assert [n.text for n in tree.with_hashes(lowers, second, lower_too=True)] == ["Talks"]
