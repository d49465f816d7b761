"""Language identification with py3langid (its model ships in the wheel)."""

from __future__ import annotations

from functools import cache

from py3langid.langid import MODEL_FILE, LanguageIdentifier

DEFAULT_LANGUAGE = "en"
# Below this normalized probability the guess is noise (short English titles
# score as Dutch or Latin): keep the feed's default rather than misroute.
_MIN_PROBABILITY = 0.7
# Enough characters for a stable guess (about 150 words; langid.py is near its
# full accuracy past a few hundred characters): the rest of a long body adds
# nothing but time, and this runs in the worker's main process for every article.
_SAMPLE_CHARS = 1000


@cache
def _identifier() -> LanguageIdentifier:
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def warm_up() -> None:
    """Load the model now (about a second of CPU) rather than on the first article."""
    _identifier()


def detect_language(text: str, default: str = DEFAULT_LANGUAGE) -> str:
    """ISO 639-1 code of ``text``; ``default`` when the text is too short or unclear."""
    sample = text[:_SAMPLE_CHARS]
    if len(sample.strip()) < 20:
        return default
    code, probability = _identifier().classify(sample)
    return str(code) if probability >= _MIN_PROBABILITY else default
