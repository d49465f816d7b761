"""The coding data tables (CAMEO codes, PLOVER mapping, trigger lexicon), loaded once.

The data and their sources live in ``workers/data/coding/``; this module only
parses them into typed, immutable structures.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from workers.nlp.spelling import american, american_text

CODING_DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "coding"


@dataclass(frozen=True, slots=True)
class PloverMapping:
    """The PLOVER reading of a CAMEO code: type, mode and context (None where none)."""

    type: str | None
    mode: str | None
    context: str | None
    source: str  # "crosswalk" (the authors' table), "override" (parley's), "none"


@dataclass(frozen=True, slots=True)
class CameoCode:
    code: str
    name: str
    quad_class: int
    goldstein: float
    plover_type: str | None
    plover_mode: str | None
    plover_context: str | None = None

    @property
    def root(self) -> str:
        return self.code[:2]


@dataclass(frozen=True, slots=True)
class Trigger:
    lemma: str
    code: str
    pos: str = "VERB"
    objects: frozenset[str] = frozenset()
    objects_label: frozenset[str] = frozenset()
    prep: str | None = None
    prep_objects: frozenset[str] = frozenset()
    particle: str | None = None
    subjects: frozenset[str] = frozenset()
    target_preps: tuple[str, ...] = ("with", "to", "against", "on")
    general: bool = False
    complement: bool = False  # matches only with a clausal complement ("claimed that ...")
    inverse: bool = False  # subject is the target, "from"/"by" the source ("received aid from")
    modifiers: frozenset[str] = frozenset()  # a noun needs one of these modifiers ("air strike")
    # the CAMEO code whose PLOVER reading the act takes where PLOVER's manual splits a CAMEO
    # code ("indicted": CAMEO 173, PLOVER ACCUSE 'allege' as 115)
    plover_code: str | None = None
    # a threat formula ("X would pay a heavy price"): its subject is the one threatened, the
    # speaker who says it the source
    speaker_threat: bool = False

    @property
    def constrained(self) -> bool:
        return bool(
            self.objects
            or self.objects_label
            or self.prep
            or self.particle
            or self.subjects
            or self.modifiers
        )


@dataclass(frozen=True)
class Lexicon:
    verbs: dict[str, tuple[Trigger, ...]]
    nouns: dict[str, tuple[Trigger, ...]]
    light_verbs: frozenset[str]
    intent_verbs: frozenset[str]
    reject_verbs: frozenset[str]
    speech_verbs: frozenset[str]
    modal_hypothetical: frozenset[str]
    allegation_verbs: frozenset[str] = frozenset()
    desire_verbs: frozenset[str] = frozenset()
    lemma_fixes: dict[str, str] | None = None
    quantity_nouns: frozenset[str] = frozenset()
    report_nouns: frozenset[str] = frozenset()
    unreal_modifiers: frozenset[str] = frozenset()
    naming_verbs: frozenset[str] = frozenset()
    joint_modifiers: frozenset[str] = frozenset()
    # light verbs with a preposition ("engaged *in* ethnic cleansing"): (lemma, preposition)
    prep_light_verbs: frozenset[tuple[str, str]] = frozenset()
    # nouns whose compound names what they carry ("aid deliveries", "arms shipments")
    carrier_nouns: frozenset[str] = frozenset()
    money_nouns: frozenset[str] = frozenset()
    # times a preposition can date an act with ("on Monday")
    time_nouns: frozenset[str] = frozenset()
    # act nouns of intransitive verbs: their "of" object is who acts ("the resignation of
    # the minister"), not the patient
    agentive_of_nouns: frozenset[str] = frozenset()

    def lemma(self, word: str) -> str:
        """A lemma with the small model's known lemmatizer slips corrected ("staged" -> stag)."""
        return (self.lemma_fixes or {}).get(word, word)


def _tsv_rows(path: Path, width: int) -> list[list[str]]:
    rows: list[list[str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            rows.append((line.split("\t") + [""] * width)[:width])
    return rows


@cache
def _crosswalk_table(
    path: Path = CODING_DATA_DIR / "plover_crosswalk.tsv",
) -> dict[str, PloverMapping]:
    return {
        code: PloverMapping(type or None, mode or None, context or None, "crosswalk")
        for code, type, mode, context in _tsv_rows(path, 4)
    }


@cache
def _overrides(path: Path = CODING_DATA_DIR / "plover_overrides.tsv") -> dict[str, PloverMapping]:
    return {
        code: PloverMapping(type or None, mode or None, context or None, "override")
        for code, type, mode, context, _reason in _tsv_rows(path, 5)
    }


def crosswalk(code: str) -> PloverMapping:
    """The PLOVER authors' own answer for a CAMEO code: its row, else its 3-digit parent's,
    else its root's; no type where the table has none (01x, 02x)."""
    table = _crosswalk_table()
    for prefix in (code, code[:3], code[:2]):
        if prefix in table:
            return table[prefix]
    return PloverMapping(None, None, None, "none")


def plover_mapping(code: str) -> PloverMapping:
    """The PLOVER reading parley uses: the crosswalk with parley's documented overrides
    (plover_overrides.tsv; the longest matching code prefix wins)."""
    overrides = _overrides()
    for length in range(len(code), 1, -1):
        if code[:length] in overrides:
            return overrides[code[:length]]
    return crosswalk(code)


@cache
def cameo_codes(path: Path = CODING_DATA_DIR / "cameo_codes.tsv") -> dict[str, CameoCode]:
    codes: dict[str, CameoCode] = {}
    for code, name, quad, goldstein in _tsv_rows(path, 4):
        plover = plover_mapping(code)
        codes[code] = CameoCode(
            code=code,
            name=name,
            quad_class=int(quad),
            goldstein=float(goldstein),
            plover_type=plover.type,
            plover_mode=plover.mode,
            plover_context=plover.context,
        )
    return codes


def cameo(code: str) -> CameoCode:
    """The table row of a code; a 4-digit code falls back to its 3-digit parent."""
    table = cameo_codes()
    if code in table:
        return table[code]
    if len(code) == 4 and code[:3] in table:
        return table[code[:3]]
    raise KeyError(f"unknown CAMEO code {code!r}")


def plover_type_of(code: str) -> str | None:
    """The PLOVER type of a CAMEO code (any length), None when PLOVER does not code it.
    Read once per code (a few hundred codes; the coder asks about 45 times an article)."""
    try:
        return _PLOVER_TYPES[code]
    except KeyError:
        kind = _PLOVER_TYPES[code] = plover_mapping(code).type
        return kind


_PLOVER_TYPES: dict[str, str | None] = {}


def _no_yaml_booleans(entry: dict[str, object]) -> None:
    """YAML 1.1 reads bare on/off/yes/no as booleans: prepositions must be quoted ("on")."""
    for key, value in entry.items():
        values = value if isinstance(value, list) else [value]
        if key not in {"general", "complement", "inverse", "speaker_threat"} and any(
            isinstance(v, bool) for v in values
        ):
            raise ValueError(f"trigger {entry.get('lemma')!r}: quote the words in {key!r}")


def _trigger(entry: dict[str, object], pos: str) -> Trigger:
    _no_yaml_booleans(entry)

    def words(key: str) -> frozenset[str]:
        value = entry.get(key) or []
        assert isinstance(value, list)
        return frozenset(str(v) for v in value)

    target_preps = entry.get("target_preps")
    return Trigger(
        lemma=str(entry["lemma"]),
        code=str(entry["code"]),
        pos=pos,
        objects=words("objects"),
        objects_label=words("objects_label"),
        prep=str(entry["prep"]) if entry.get("prep") else None,
        prep_objects=words("prep_objects"),
        particle=str(entry["particle"]) if entry.get("particle") else None,
        subjects=words("subjects"),
        target_preps=(
            tuple(str(p) for p in target_preps)
            if isinstance(target_preps, list)
            else ("with", "to", "against", "on")
        ),
        general=bool(entry.get("general", False)),
        complement=bool(entry.get("complement", False)),
        inverse=bool(entry.get("inverse", False)),
        modifiers=words("modifiers"),
        plover_code=cameo(str(entry["plover_code"])).code if entry.get("plover_code") else None,
        speaker_threat=bool(entry.get("speaker_threat", False)),
    )


@cache
def lexicon(path: Path = CODING_DATA_DIR / "triggers.yaml") -> Lexicon:
    """parley's own lexicon; its light verbs are triggers.yaml's plus light_verbs.tsv's."""
    # American spelling, as parley_american_spelling gives the Doc's lemmas.
    raw = yaml.safe_load(american_text(path.read_text(encoding="utf-8")))
    light_path = path.parent / "light_verbs.tsv"
    extra_light = (
        [(american(v), prep) for v, prep in _tsv_rows(light_path, 2)] if light_path.exists() else []
    )
    verbs: dict[str, list[Trigger]] = {}
    for entry in raw["verbs"]:
        trigger = _trigger(entry, "VERB")
        cameo(trigger.code)  # fail at load time on a typo, not mid-stream
        verbs.setdefault(trigger.lemma, []).append(trigger)
    nouns: dict[str, list[Trigger]] = {}
    for entry in raw["nouns"]:
        trigger = _trigger(entry, "NOUN")
        cameo(trigger.code)
        nouns.setdefault(trigger.lemma, []).append(trigger)
    return Lexicon(
        # The more specific entry wins: one whose objects the verb's object must fit is
        # tried before the verb's entries of a preposition or particle alone ("flew food to
        # the region" is aid, 073, before "flew to" a visit, 042); otherwise in file order.
        verbs={
            lemma: tuple(sorted(triggers, key=lambda t: not t.objects))
            for lemma, triggers in verbs.items()
        },
        nouns={lemma: tuple(triggers) for lemma, triggers in nouns.items()},
        light_verbs=frozenset(raw["light_verbs"]) | {v for v, prep in extra_light if not prep},
        prep_light_verbs=frozenset((v, prep) for v, prep in extra_light if prep),
        intent_verbs=frozenset(raw["intent_verbs"]),
        reject_verbs=frozenset(raw["reject_verbs"]),
        speech_verbs=frozenset(raw["speech_verbs"]),
        modal_hypothetical=frozenset(raw["modal_hypothetical"]),
        allegation_verbs=frozenset(raw.get("allegation_verbs") or []),
        desire_verbs=frozenset(raw.get("desire_verbs") or []),
        lemma_fixes={
            str(k): str(v)
            for k, v in {
                **(raw.get("lemma_fixes") or {}),
                **(raw.get("verb_synonyms") or {}),
            }.items()
        },
        quantity_nouns=frozenset(raw.get("quantity_nouns") or []),
        carrier_nouns=frozenset(raw.get("carrier_nouns") or []),
        money_nouns=frozenset(raw.get("money_nouns") or []),
        time_nouns=frozenset(raw.get("time_nouns") or []),
        report_nouns=frozenset(raw.get("report_nouns") or []),
        agentive_of_nouns=frozenset(raw.get("agentive_of_nouns") or []),
        unreal_modifiers=frozenset(raw.get("unreal_modifiers") or []),
        naming_verbs=frozenset(raw.get("naming_verbs") or []),
        joint_modifiers=frozenset(raw.get("joint_modifiers") or []),
    )
