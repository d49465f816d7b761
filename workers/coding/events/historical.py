"""Historical references: an event named by a noun phrase that carries a past year.

"the country's 2014 annexation of the peninsula", "the 1988 bombing", "the invasion of
Kuwait in 1990" in a later story recall an old event; the event is coded, flagged
``temporal.historical`` (PLOVER manual, "Auxiliary modes": historical), so that it never
alerts as current. Only the trigger noun's own phrase counts: a year elsewhere in the
sentence dates some other clause.
"""

from __future__ import annotations

from datetime import date

from schemas.models import Temporal
from workers.coding.doctree import Node

YEAR_DEPS = frozenset({"nummod", "compound", "amod", "npadvmod", "nmod"})
_EARLIEST_YEAR = 1800


def _year(token: Node) -> int | None:
    text = token.text.rstrip("'s")
    if len(text) == 4 and text.isdigit() and int(text) >= _EARLIEST_YEAR:
        return int(text)
    return None


def noun_phrase_year(trigger: Node) -> int | None:
    """The year in the trigger noun's own phrase: a modifier ("2014 annexation") or an
    "in" phrase ("the annexation in 2014")."""
    if trigger.pos_ not in {"NOUN", "PROPN"} and trigger.tag_ != "VBG":
        return None
    for child in trigger.children:
        if child.dep_ in YEAR_DEPS and (year := _year(child)) is not None:
            return year
        if child.dep_ == "prep" and child.lower_ == "in":
            for pobj in child.children:
                if pobj.dep_ == "pobj" and (year := _year(pobj)) is not None:
                    return year
    return None


def historical_reference(trigger: Node, published: date) -> Temporal | None:
    """A historical Temporal when the trigger's noun phrase names a year before the
    story's, else None (the sentence-level rules of ``workers.coding.temporal`` apply)."""
    year = noun_phrase_year(trigger)
    if year is None or year >= published.year:
        return None
    return Temporal(event_date=None, historical=True, date_text=str(year))
