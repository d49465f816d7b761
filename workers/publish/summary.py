"""One-line human summaries of events, shared by alerts and ``parley tail``.

The shape is ``RUS -> USA  SANCTION (expel diplomats)  Goldstein -7.0  Moscow  2024-03-02``:
who, to whom, the PLOVER type, what was said or done (the trigger, else the
CAMEO label), the intensity, where and when. Parts that are unknown are left
out rather than printed as placeholders, except a missing actor, shown as ``?``
so the arrow keeps its meaning.
"""

from __future__ import annotations

from schemas.models import Actor, Event

MISSING_ACTOR = "?"


def actor_label(actor: Actor | None) -> str:
    """The shortest name an operator recognises: country code, else actor code, else name."""
    if actor is None:
        return MISSING_ACTOR
    return actor.country or actor.code or actor.canonical or actor.text or MISSING_ACTOR


def event_summary(event: Event) -> str:
    what = event.evidence.trigger.strip() or event.cameo.label
    parts = [
        f"{actor_label(event.source)} -> {actor_label(event.target)}",
        f"{event.plover.type} ({what})",
        f"Goldstein {event.goldstein:.1f}",
    ]
    if event.location is not None:
        parts.append(event.location.name)
    when = event.temporal.event_date or (
        event.published_at.date() if event.published_at is not None else None
    )
    if when is not None:
        parts.append(when.isoformat())
    flags = [
        name
        for name, is_set in (
            ("negated", event.modality.negated),
            ("hypothetical", event.modality.hypothetical),
            ("intent", event.modality.intent),
            ("historical", event.temporal.historical),
        )
        if is_set
    ]
    if flags:
        parts.append("[" + ", ".join(flags) + "]")
    return "  ".join(parts)
