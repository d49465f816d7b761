"""The dictionary-scale lexicon on parley's own sentences, parsed by the real model.

Each sentence exercises a family of CAMEO codes the trigger lexicon alone used to miss
(material aid, diplomatic relations, force posture, reduced relations, easing
restrictions, international involvement) or a use of a listed verb that is no event.
The whole enrichment runs (entities, actors, coding), as in production.
"""

from __future__ import annotations

import pytest

from tests.model.sentences import code
from workers.coding.lexicon import pattern_lexicon
from workers.core import Enricher

pytestmark = pytest.mark.model

# (sentence, expected CAMEO code prefix, expected source country, expected PLOVER type)
CODED = [
    ("Japan extended a loan of two billion dollars to Indonesia.", "07", "JPN", "AID"),
    ("Qatar donated ten million dollars to the Palestinian Authority.", "07", "QAT", "AID"),
    ("Moscow upgraded its ties with Tehran.", "05", "RUS", "SUPPORT"),
    ("Brazil restored diplomatic relations with Cuba.", "05", "BRA", "SUPPORT"),
    ("Syria admitted UN weapons inspectors.", "0862", "SYR", "RETREAT"),
    ("India put its army on high alert.", "152", "IND", "MOBILIZE"),
    ("France recalled its ambassador from Italy.", "161", "FRA", "SANCTION"),
    ("Washington suspended military aid to Egypt.", "162", "USA", "SANCTION"),
    ("Ethiopia withdrew its troops from Somalia.", "0874", "ETH", "RETREAT"),
    ("The United States imposed sanctions on Venezuela.", "163", "USA", "SANCTION"),
    ("Spain granted asylum to a Venezuelan opposition leader.", "075", "ESP", "AID"),
    ("Iran resumed talks with the European Union.", "046", "IRN", "CONSULT"),
    # hyphenated event words kept one token (workers/nlp/hyphens.py), AP spelling
    ("The Armenian opposition staged a sit-in on Monday in Yerevan.", "141", "ARM", "PROTEST"),
    ("Pakistan ordered a troop build-up along the Afghan frontier.", "154", "PAK", "MOBILIZE"),
    ("Sudan declared a cease-fire in Darfur on Friday.", "0871", "SDN", "RETREAT"),
    # an event noun after a span of time ("a week of ...")
    ("Greek and Egyptian frigates began a week of joint naval drills.", "062", "GRC", "COOPERATE"),
    ("Hungary voiced its backing for the Serbian candidate.", "051", "HUN", "SUPPORT"),
    ("Ethiopia's government shut down the internet in the Tigray region.", "1721", "ETH", "COERCE"),
    ("Libya returned the seized tanker to its Maltese owners.", "084", "LBY", "RETREAT"),
    ("Turkey dropped its demand for a new vote in the assembly.", "080", "TUR", "CONCEDE"),
    ("Tehran permitted international inspectors at the reactor site.", "0862", "IRN", "RETREAT"),
    # "allow X to V": the parser's infinitive subject is the verb's object for the pattern
    ("Belarus allowed foreign observers to monitor the referendum.", "0862", "BLR", "RETREAT"),
    ("Uruguay turned down an invitation to the summit in Caracas.", "125", "URY", "REJECT"),
    ("Kenya sent two planeloads of medicine to flood-hit Mozambique.", "073", "KEN", "AID"),
    ("Tunisia's government accepted the union's demand for a pay rise.", "080", "TUN", "CONCEDE"),
    ("Armenia placed its forces on combat readiness along the border.", "152", "ARM", "MOBILIZE"),
    ("Colombian and Ecuadorian police conducted a joint operation.", "060", "COL", "COOPERATE"),
    ("Colombian rebels handed over their weapons to UN monitors.", "0873", "COL", "RETREAT"),
    # easing administrative restrictions is CONCEDE (081), economic ones RETREAT (085)
    ("Togo's government lifted the ban on opposition marches.", "081", "TGO", "CONCEDE"),
    ("Cuba eased restrictions on private farming.", "081", "CUB", "CONCEDE"),
    ("Japan eased restrictions on rice imports from Vietnam.", "085", "JPN", "RETREAT"),
    ("Lebanon's cabinet scrapped the planned tax on messaging calls.", "080", "LBN", "CONCEDE"),
    ("Under pressure from unions, Argentina backed down on pension cuts.", "080", "ARG", "CONCEDE"),
    ("Morocco's king made concessions to the protest movement.", "080", "MAR", "CONCEDE"),
    ("Thailand lifted martial law in three southern provinces.", "0814", "THA", "CONCEDE"),
    ("Georgian protesters gathered outside parliament in Tbilisi.", "141", "GEO", "PROTEST"),
    ("Norway supplied Poland with missile defence systems.", "072", "NOR", "AID"),
    ("The Slovak parliament voted down the plan to raise fuel taxes.", "120", "SVK", "REJECT"),
    ("Jordan's government gave in to the teachers and raised their pay.", "080", "JOR", "CONCEDE"),
    ("Russia cut off gas supplies to Moldova.", "162", "RUS", "SANCTION"),
    ("Warsaw summoned the Belarusian ambassador over the border incident.", "114", "POL", "ACCUSE"),
    ("Seoul imposed export controls on chips bound for North Korea.", "163", "KOR", "SANCTION"),
    # sector role nouns of the CAMEO actor codebook (roles.yaml), with their country
    ("Chilean students went on strike over tuition fees.", "143", "CHL", "PROTEST"),
    ("Doctors in Kenya began a nationwide strike over unpaid wages.", "143", "KEN", "PROTEST"),
    # an unnamed crowd: the country of its own phrase, of the act's place, or the sentence's
    ("Hundreds of nurses marched through central Lisbon on Friday.", "141", "PRT", "PROTEST"),
    ("Textile workers in the Bangladeshi city of Gazipur went on strike.", "143", "BGD", "PROTEST"),
    ("Protests erupted in Caracas on Sunday night.", "14", "VEN", "PROTEST"),
    # "his country" is the speaker's state
    (
        "Egypt's foreign minister said his country would expel the Israeli ambassador.",
        "13",
        "EGY",
        "THREATEN",
    ),
    # sums of money and rations are looked through to what they pay for or carry
    ("Britain withheld 20 million pounds in aid to Rwanda.", "162", "GBR", "SANCTION"),
    ("Jordan delivered food rations to refugees in southern Syria.", "073", "JOR", "AID"),
    ("Rebels in Mali vowed to resume attacks on army posts.", "138", "MLI", "THREATEN"),
    (
        "The Indian prime minister spoke by phone with the Japanese premier.",
        "041",
        "IND",
        "CONSULT",
    ),
    ("Niger ordered the French ambassador to leave within two days.", "166", "NER", "SANCTION"),
    ("Armenia froze its participation in the Russian-led security bloc.", "160", "ARM", "SANCTION"),
    ("Bolivia and Peru exchanged intelligence on smuggling gangs.", "064", "BOL", "COOPERATE"),
    ("Malian rebels accepted a truce proposed by Algeria.", "0871", "MLI", "RETREAT"),
    ("Thailand's junta restored civilian rule in March.", "0834", "THA", "CONCEDE"),
    ("The African Development Bank halted its lending to Guinea.", "162", "IGO", "SANCTION"),
    ("Venezuela's opposition pulled out of the negotiations in Oslo.", "164", "VEN", "SANCTION"),
    ("Eritrea allowed aid convoys into the border region.", "0863", "ERI", "RETREAT"),
    ("Albania's opposition boycotted the local elections.", "143", "ALB", "PROTEST"),
    ("A roadside bomb exploded near a market in Kandahar.", "183", "AFG", "ASSAULT"),
    (
        "Egyptian police raided the offices of a human rights group in Cairo.",
        "170",
        "EGY",
        "COERCE",
    ),
    ("Turkey handed over three suspected militants to Belgium.", "063", "TUR", "COOPERATE"),
    ("The UAE deposited two billion dollars in Egypt's central bank.", "071", "ARE", "AID"),
    ("Chinese medics arrived in Serbia to help fight the epidemic.", "073", "CHN", "AID"),
    ("Nigeria's government cancelled a planned rise in petrol prices.", "080", "NGA", "CONCEDE"),
    ("Bangladesh withdrew its ban on the opposition newspaper.", "081", "BGD", "CONCEDE"),
    ("Armenia returned two captured Azerbaijani soldiers.", "084", "ARM", "RETREAT"),
    ("The Italian senate voted against the reform plan.", "120", "ITA", "REJECT"),
    ("Mali's army sent reinforcements to the town of Menaka.", "154", "MLI", "MOBILIZE"),
    ("Islamist militants in Mozambique beheaded several villagers.", "1823", "MOZ", "ASSAULT"),
    ("Nurses across Scotland walked out over pay on Thursday.", "143", "GBR", "PROTEST"),
    ("Mali suspended cooperation with the French army.", "160", "MLI", "SANCTION"),
    ("Azerbaijan sent troops and artillery to its border with Iran.", "154", "AZE", "MOBILIZE"),
    ("Japan raised the alert level of its air defence units.", "152", "JPN", "MOBILIZE"),
    ("The Ugandan army handed over 30 child soldiers to UNICEF.", "0841", "UGA", "RETREAT"),
    ("Sierra Leone abolished the death penalty in July.", "0833", "SLE", "CONCEDE"),
    ("Indian engineers arrived in Sri Lanka to help repair the railway.", "073", "IND", "AID"),
    (
        "Opposition lawyers in Uganda filed a lawsuit against the electoral commission.",
        "115",
        "UGA",
        "ACCUSE",
    ),
    (
        "The Estonian prime minister lashed out at Moscow over the airspace violation.",
        "111",
        "EST",
        "ACCUSE",
    ),
    (
        "Kuwait's government legalised political parties in a landmark reform.",
        "0812",
        "KWT",
        "CONCEDE",
    ),
    (
        "The Ethiopian authorities allowed opposition rallies in Addis Ababa.",
        "082",
        "ETH",
        "CONCEDE",
    ),
    ("Vietnam relaxed its restrictions on foreign journalists.", "081", "VNM", "CONCEDE"),
    ("Rebels in Darfur laid down their arms at a United Nations camp.", "0873", "SDN", "RETREAT"),
    ("The Burmese junta denied a request by the UN to visit Rakhine.", "120", "MMR", "REJECT"),
    ("Police in Dhaka placed the opposition leader under house arrest.", "173", "BGD", "COERCE"),
    ("Armenia put its forces on full combat readiness.", "152", "ARM", "MOBILIZE"),
    ("Chad's junta ordered the German ambassador to leave the country.", "166", "TCD", "SANCTION"),
    ("Israeli troops pulled back from the Lebanese border village.", "087", "ISR", "RETREAT"),
    ("Madrid was ready to grant more autonomy to Catalonia.", "0834", "ESP", "AGREE"),
    ("Malawi's president thanked Zambia for its support.", "051", "MWI", "SUPPORT"),
    (
        "The Iraqi army and Kurdish forces coordinated an operation near Mosul.",
        "060",
        "IRQ",
        "COOPERATE",
    ),
    ("Egypt delivered fuel to hospitals in Gaza.", "070", "EGY", "AID"),
    ("Belarus accepted the results of the local elections.", "083", "BLR", "CONCEDE"),
    ("Ghana's government scrapped the new land law.", "080", "GHA", "CONCEDE"),
    ("Farmers in Poland blocked roads near the Ukrainian border.", "144", "POL", "PROTEST"),
    ("The United States withheld funds from the Palestinian Authority.", "162", "USA", "SANCTION"),
    ("Chinese bombers flew patrols near Japanese islands.", "150", "CHN", "MOBILIZE"),
    (
        "Canadian firefighters arrived in Australia to help battle the bushfires.",
        "073",
        "CAN",
        "AID",
    ),
    ("Jordan's king voiced solidarity with the Palestinian Authority.", "051", "JOR", "SUPPORT"),
    ("Germany released 30 million euros in aid for flood victims in Libya.", "070", "DEU", "AID"),
    ("Japan handed over two patrol vessels to the Vietnamese coast guard.", "070", "JPN", "AID"),
    ("Argentina granted humanitarian visas to Syrian families.", "075", "ARG", "AID"),
    (
        "Peru's government withdrew the labour reform after a week of strikes.",
        "080",
        "PER",
        "CONCEDE",
    ),
    (
        "The Russian authorities dissolved the country's oldest human rights group.",
        "172",
        "RUS",
        "COERCE",
    ),
    ("Ukrainian drones hit an airfield in the Russian region of Kursk.", "190", "UKR", "ASSAULT"),
    ("Chad offered to send troops to the regional force in Mali.", "0312", "TCD", "AGREE"),
    (
        "Thai and Lao police jointly arrested five traffickers near the Mekong.",
        "06",
        "THA",
        "COOPERATE",
    ),
    ("Sudan's junta pledged to hand power to a civilian government.", "03", "SDN", "AGREE"),
    ("Venezuela signalled it was ready to return to the negotiating table.", "046", "VEN", "AGREE"),
    ("The IMF disbursed 700 million dollars to Egypt.", "071", "IGO", "AID"),
    ("Under union pressure, Chile's government dropped its pension plan.", "080", "CHL", "CONCEDE"),
    ("Denmark suspended arms exports to Turkey.", "1622", "DNK", "SANCTION"),
    ("Taiwan scrambled fighter jets to warn off Chinese aircraft.", "150", "TWN", "MOBILIZE"),
    ("Ethiopia's government shut down social media in the Amhara region.", "1721", "ETH", "COERCE"),
    ("A bomb blast rocked a market in the Afghan city of Kunduz.", "183", "AFG", "ASSAULT"),
    ("Amnesty International accused Israel of apartheid.", "112", "IGO", "ACCUSE"),
    # an organised group whose own phrase names its country acts as that country
    (
        "Opposition parties in Nepal demanded the resignation of the prime minister.",
        "10",
        "NPL",
        "REQUEST",
    ),
    # the small parser makes a sentence-opening country an adverbial; it is the subject
    ("Turkey deployed warships off the Libyan coast.", "15", "TUR", "MOBILIZE"),
]
UNCODED = [
    "The president lifted the trophy after the match.",
    # an unnamed group's acts other than protests need its own phrase's country
    "Voters went to the polls across the country on Sunday.",
    # a word of an organisation's name is no act
    "The Shanghai Cooperation Organisation opened its new headquarters on Monday.",
    # a body meeting for its session is no consultation
    "The Senegalese parliament met for its first session on Monday.",
    # opening a bridge or a school is no PLOVER event
    "The Kenyan president opened a new hospital in Mombasa.",
    # appointments and dismissals are no PLOVER event
    "Peru's president appointed a new interior minister on Monday.",
    "The team launched a new website.",
    "Officials held a press conference on Tuesday.",
    "The bank imposed a fee on transfers.",
    # an election is no PLOVER event (P2 reads "hold election" as 0341, P1 "hold poll" 0831)
    "Zambia will hold its general election in August.",
    # a deployment is of forces or arms, not of an oil rig
    "The deployment of a Chinese oil rig near the shoal began on Monday.",
    # a modal perfect tells what did not happen
    "Uganda would have sent troops if the council had agreed.",
    "Critics said the army could have prevented the massacre.",
]


@pytest.mark.parametrize(("text", "prefix", "source", "plover"), CODED)
def test_dictionary_families_are_coded(
    enricher: Enricher, text: str, prefix: str, source: str, plover: str
) -> None:
    events = code(enricher, text)
    found = [
        e
        for e in events
        if e.cameo.code.startswith(prefix) and e.source is not None and e.source.country == source
    ]
    assert found, f"{text!r}: {[(e.cameo.code, e.source) for e in events]}"
    assert found[0].plover.type == plover


@pytest.mark.parametrize("text", UNCODED)
def test_listed_verbs_with_other_objects_code_nothing(enricher: Enricher, text: str) -> None:
    assert code(enricher, text) == []


# Inflected forms the dictionaries list under their verbs: the model's lemma must be the
# lexicon's key, or the pattern never matches.
INFLECTED = [
    ("Rebels fled the town.", "fled"),
    ("Troops withdrew from the border.", "withdrew"),
    ("The bank froze the accounts.", "froze"),
    # a verb whose rule form is a word of another part of speech ("discus", "pas")
    ("The envoys discussed the truce by telephone.", "discussed"),
    ("Parliament passed the bill.", "passed"),
    ("Police seized the weapons.", "seized"),
    ("Jets struck the depot.", "struck"),
    ("The envoy sought talks.", "sought"),
    ("The army shelled the village.", "shelled"),
    ("The rebels kidnapped two engineers.", "kidnapped"),
]


@pytest.mark.parametrize(("text", "form"), INFLECTED)
def test_the_model_lemma_of_an_inflected_verb_is_a_lexicon_key(
    enricher: Enricher, text: str, form: str
) -> None:
    doc = enricher.nlp(text)
    token = next(t for t in doc if t.text == form)
    assert token.lemma_.lower() in pattern_lexicon().verbs, (form, token.lemma_)


# (sentence, the reported act's PLOVER type, the background act's type that is not coded)
BACKGROUND = [
    (
        "Fiji's prime minister resigned as the opposition threatened a general strike.",
        "RETREAT",
        "THREATEN",
    ),
    (
        "Chile recalled its ambassador from Bolivia after Bolivian troops attacked a border post.",
        "SANCTION",
        "ASSAULT",
    ),
    (
        "Norway froze its aid to Eritrea following the arrest of two Norwegian journalists.",
        "SANCTION",
        "COERCE",
    ),
    # a past participle describing a noun tells of an earlier act
    (
        "Sudanese troops withdrew from the town under an accord brokered by Ethiopia.",
        "RETREAT",
        "CONSULT",
    ),
]


@pytest.mark.parametrize(("text", "kept", "dropped"), BACKGROUND)
def test_background_clause_acts_are_not_coded_beside_the_reported_act(
    enricher: Enricher, text: str, kept: str, dropped: str
) -> None:
    types = {e.plover.type for e in code(enricher, text)}
    assert kept in types and dropped not in types, f"{text!r}: {types}"


def test_a_background_act_alone_is_still_coded(enricher: Enricher) -> None:
    events = code(enricher, "After Indian troops shelled the village, residents fled.")
    assert {e.plover.type for e in events} == {"ASSAULT"}


@pytest.mark.parametrize(
    ("text", "kept", "restated"),
    [
        ("Switzerland offered to host a new round of talks on Cyprus.", "AGREE", "CONSULT"),
        ("Qatar said it was ready to host talks between Chad's rebels.", "AGREE", "CONSULT"),
        # the purpose of a light verb's event noun, what an appeal asks for, and the act a
        # defence answers are not events of their own
        (
            "Jailed Bahraini activists began a hunger strike to demand their release.",
            "PROTEST",
            "REQUEST",
        ),
        (
            "France urged Iran to use its influence to end the fighting in Lebanon.",
            "REQUEST",
            "RETREAT",
        ),
        (
            "Moscow defended Damascus against Western accusations of chemical attacks.",
            "SUPPORT",
            "ACCUSE",
        ),
        # a condition inside a threat, and what a permission allows, are not reported acts
        (
            "Hungary threatened to block the budget if Brussels froze its funds.",
            "THREATEN",
            "SANCTION",
        ),
        ("Syria allowed relief agencies to distribute food in Idlib.", "RETREAT", "AID"),
        # what a lawsuit, a condemnation or a rejection reacts to is not reported again
        ("Activists in Kenya filed a lawsuit over the eviction of farmers.", "ACCUSE", "COERCE"),
        ("The EU condemned Belarus for the arrest of three journalists.", "ACCUSE", "COERCE"),
        # an arrest over an attack, a demand's that-clause, a threat's condition
        ("Police in Lahore arrested two men over the bombing of a church.", "COERCE", "ASSAULT"),
        ("The UN demanded that both sides respect the arms embargo.", "REQUEST", "COERCE"),
        (
            "The army warned strikers they would be fired on if they continued to march.",
            "THREATEN",
            "PROTEST",
        ),
        # fighting an epidemic is no assault
        ("Chinese medics arrived in Serbia to help fight the epidemic.", "AID", "ASSAULT"),
    ],
)
def test_an_event_noun_restating_its_verb_is_not_a_second_event(
    enricher: Enricher, text: str, kept: str, restated: str
) -> None:
    types = [e.plover.type for e in code(enricher, text)]
    assert kept in types and restated not in types, f"{text!r}: {types}"
