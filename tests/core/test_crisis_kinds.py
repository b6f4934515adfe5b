"""The urgent kinds of the rubric as clients write them, and the lookalikes that are not.

Each kind of docs/risk-levels.md said indirectly (means at hand, a dangerous place,
preparations, an act now, cannot keep safe, voices, another person, a third party),
with ordinary messages that share its words. The sentences are written for these
tests, not copied from the examples the expressions were written against.
"""

from __future__ import annotations

import pytest

from boundaries.core.classifier import crisis as expressions
from boundaries.core.types import RiskLevel

URGENT_BY_KIND = {
    "means at hand": [
        "I've been saving up two months of my sertraline, it's all in a shoebox",
        "there's a whole packet of paracetamol and some gin on the table here",
        "the razor is next to me on the sink",
        "I got all the tablets out and lined them up",
        "went to three chemists so they wouldn't ask questions",
        "found a beam in the loft that will take my weight",
    ],
    "a dangerous place": [
        "on the motorway bridge. cars going so fast underneath",
        "I'm on the wrong side of the railings at the multistorey",
        "sitting on the harbour wall with my legs over the edge",
        "at the reservoir, it's really deep here and nobody around",
        "parked at the edge of the quarry with the lights off",
        "the car is in the garage and the engine is running",
    ],
    "a plan": [
        "I've picked the spot on the cliffs",
        "I know exactly which bridge. I've checked where I'd stand",
        "going to finish things tonight when everyone is asleep",
        "I read how many of my pills it would take and I have enough",
        "no one is going to stop me this time",
        "I think it's time for me to check out early",
        "I have a plan and the pills, I just need the house empty",
    ],
    "may not be alive soon": [
        "if I'm still alive tomorrow I'll ring the GP",
        "these are my last hours and I wanted to thank you",
        "about to go to sleep forever, it's ok",
    ],
    "preparations and goodbyes": [
        "I've sorted everything out and left my passwords for my sister. Thanks for everything",
        "rehomed the cat today. I've closed my bank accounts too",
        "whoever finds me, please call my brother first",
        "It was never your fault. This is the last message from me.",
    ],
    "an act now": [
        "I tried tonight but the belt snapped and I'm on the floor",
        "i've taken something i shouldn't have and I feel really sleepy",
        "self harmed an hour ago and it's still bleeding",
    ],
    "cannot keep safe": [
        "not sure I can keep myself alive till Monday",
        "idk how long i can stop myself tonight",
        "I'm not safe. Please ring me",
        "I can't guarantee I'll still be here by the weekend",
        "I'm terrified I'll act on it if I'm alone tonight",
    ],
    "command voices": [
        "the voices won't stop saying I need to jump off the roof",
        "the whispering is telling me to burn myself",
        "hearing them again, they're ordering me to hurt my dad",
    ],
    "danger from another person": [
        "he's downstairs with a hammer and he's shouting",
        "my ex has found out where we are staying and he's outside",
        "he held a knife to my neck last night and he's coming back tonight",
        "she's locked me in the bedroom and says I'm next",
        "he's banging on the door again and I'm upstairs with the kids",
    ],
    "a third party": [
        "my husband has just cut himself and won't let me see",
        "my daughter is on the roof of the flats and won't come down",
        "our son's sent us a goodbye message and his phone is off",
        "found an empty box of her tablets and she isn't answering",
        "my friend says he's decided to end his life this weekend",
    ],
}

NOT_URGENT_LOOKALIKES = [
    # places, on an ordinary day
    "I'm at the beach with the kids, back on Monday",
    "sat by the river having lunch, feeling calmer",
    "I'm on the balcony having a coffee before work",
    "we walked up to the top of the hill for the view, it was lovely",
    "the roofers are on the roof today so it's noisy",
    "he's on the roof fixing the gutter",
    # means, ordinary
    "I've got a box of paracetamol in my bag if you need one",
    "I've started taking them and they help",
    "I saved up for months for the holiday",
    "The knife block was a wedding present",
    "my dad keeps his shotgun locked away for clay shooting",
    # plans and goodbyes, ordinary
    "I'm going to finish things with him tonight",
    "we've picked the date for the wedding!",
    "I'll do it when I get home, it's only a short form",
    "Thanks for everything, I'm moving to Leeds, take care",
    "Goodbye and thank you, I'll send a postcard",
    "I made a will after the baby was born, very grown up",
    "The rope snapped on the swing so we bought a new one",
    # voices and other people, ordinary
    "my parents keep telling me to cut down on sugar",
    "the kids are locked out, can we move to 5?",
    "my boss won't let me leave early on Fridays",
    "my anxiety won't let me leave the house some days",
    "he's outside waiting in the car to drive me to the session",
    "the stress is going to finish me off",
    "on the bridge now, be there in 5",
    "sat on the top deck of the bus, running late",
    "going to the beach for the week and not coming back till Sunday",
    "the waves are so high at the beach today",
    "The tablets are all out on the counter for my dad's dosette box",
    "going to check out tonight from the hotel",
    "it's the last message from me before my holiday, see you in two weeks",
    "I sorted everything out with the bank, thanks for all your help",
    "she sent me a goodbye message when she moved to Australia",
    "he left a note saying he'd gone to the shops",
    "he sent me a photo of the pills he's been prescribed",
    "she's cut her arm on the broken glass, we're at A&E",
    "he found out where I live from the council and he's coming to fix the boiler",
    "I keep hearing the song in my head telling me to jump around",
    "I don't feel safe at the moment with all the burglaries around here",
    "I won't be around for the session on the 12th, sorry. Bye!",
    "The last time I saw her was at Christmas. Thank you for everything you did for us",
    "I've been keeping my tablets in the fridge like the pharmacist said",
    "the packets of crisps all opened on the table",
    "the rope broke on the tent, total disaster",
    "I'm worried I'll kill the conversation if I bring it up",
    "he's outside with a bat, playing cricket with the kids",
    "he said if I'm late he'll kill me",
    "the kids locked me in the garden for a laugh",
    "she's on the bridge club committee",
    "she's decided to end her life coaching business",
    "I'll check out early from the hotel on Sunday",
    "my last day at work is Friday, then a new job",
    "it took some nerve to jump into the cold lake",
    "I finally found the courage to end it with him",
    "nothing is keeping me from following my dreams now",
    # history and negation
    "I used to self harm but I haven't self harmed in two years",
    "I'm not safe to drive after my new medication, can we do video?",
    "the hospital said I'm safe to go home",
]

CONCERN = [
    "I wish I'd never been born",
    "if a car hit me I honestly wouldn't mind",
    "my life feels meaningless",
    "I keep having thoughts about stepping in front of a train",
    "I've lost the will to live",
    "I'm fed up of being alive",
    "everyone would be happier without me",
    "I'd happily not be here anymore",
    "I just want to disappear forever",
    "I can't see myself being around by next summer",
    "I don't care what happens to me anymore",
    "I keep wondering which of my tablets would do it",
    "there's no point to any of this",
    "I've thought about how I'd do it, but I won't",
]

NOT_CONCERN_LOOKALIKES = [
    "Sometimes I wish I could disappear for a week",
    "I'm thinking about jumping ship to a new job",
    "there's always a reason to carry on, my gran used to say",
    "I'm hopeless at keeping plants alive",
    "what's the point of the homework sheet?",
    "I'm fed up with the noise from next door",
    "no one can stop me now, three promotions this year!",
    "we can't see a future for the shop on the high street",
    "which of the trains would work best for Tuesday?",
]


@pytest.mark.parametrize(
    "text", [text for texts in URGENT_BY_KIND.values() for text in texts], ids=str
)
def test_it_finds_each_urgent_kind_as_clients_write_it(text: str) -> None:
    found = expressions.assess(text)
    assert found.level is RiskLevel.URGENT, (text, found)


@pytest.mark.parametrize("text", NOT_URGENT_LOOKALIKES, ids=str)
def test_lookalikes_of_the_urgent_kinds_do_not_page(text: str) -> None:
    found = expressions.assess(text)
    assert found.level is not RiskLevel.URGENT, (text, found)


@pytest.mark.parametrize("text", CONCERN, ids=str)
def test_it_finds_wishes_thoughts_and_hopelessness_at_concern(text: str) -> None:
    assert expressions.assess(text).level is RiskLevel.CONCERN


@pytest.mark.parametrize("text", NOT_CONCERN_LOOKALIKES, ids=str)
def test_lookalikes_of_concern_find_nothing(text: str) -> None:
    assert expressions.assess(text).level is RiskLevel.NONE


def test_reasons_are_plain_words_and_the_gates_hide_none_of_these() -> None:
    texts = [
        *(text for texts in URGENT_BY_KIND.values() for text in texts),
        *NOT_URGENT_LOOKALIKES,
        *CONCERN,
        *NOT_CONCERN_LOOKALIKES,
    ]
    for text in texts:
        found = expressions.assess(text)
        assert found == expressions.assess(text, prefilter=False), text
        for reason in found.reasons:
            assert reason.replace(" ", "").replace("-", "").isalpha(), reason
            assert reason not in text.lower()
