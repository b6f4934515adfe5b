"""Curated expressions of risk to life, with negation, history and figures of speech.

Written by us, in UK and US phrasing, for messages a client sends a therapist.
A statistical model trained on someone else's data misses what it never saw
("took all my pills", "I'm standing on the bridge"), so these expressions
stand next to it and the classifier raises a crisis when either says so.

Three things keep the expressions from crying wolf without muting a real signal:

- **Negation** governs a match only when it sits right in front of it in the
  same clause ("I would never hurt myself", "no thoughts of harming myself").
  A new subject, "but" or "just" between the two ends the negation, and
  expressions whose meaning *is* a negation ("I don't want to live", "I can't
  promise I won't hurt myself", "I'm not ok, I want to die") are never negated.
- **History** ("I used to self-harm as a teenager", "years ago I took an
  overdose") suppresses a match unless the same clause says it is happening
  again or now.
- **Figures of speech** ("this commute is killing me", "dying to see the film",
  "I could kill for a coffee") never match a risk expression in the first place;
  they, negations and history are reported as reassurance so the model needs
  more certainty before it raises a crisis on its own.

Every reason is a plain description of what was found; none quotes the message.
"""

# Regular-expression fragments read better whole than split mid-alternative to fit 100 columns.
# ruff: noqa: E501

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from boundaries.core.types import RiskLevel

__all__ = ["RiskAssessment", "about_attending", "assess", "reassures"]


@dataclass(frozen=True, slots=True)
class RiskAssessment:
    """What the expressions found in one message.

    ``reasons`` are plain words for each kind of risk found (empty when none);
    ``level`` is the most severe level they show (docs/risk-levels.md): a wish
    to die is a ``concern``, the same wish with intent or a time ("tonight") is
    ``urgent``. ``suppressed`` is true when an expression matched but was
    negated, placed in the past or was the subject of a film or article: the
    message talks about risk without reporting it, so the model alone should not
    be trusted at its usual threshold (see also ``reassures``).
    """

    reasons: tuple[str, ...]
    suppressed: bool
    level: RiskLevel = RiskLevel.NONE

    @property
    def risk(self) -> bool:
        return bool(self.reasons)


# --------------------------------------------------------------------------- text
_APOSTROPHES = str.maketrans({"'": None, "\u2019": None, "\u2018": None, "`": None})
# Clause boundaries survive as " | " so that no expression reaches across them.
_CLAUSE_PUNCTUATION = re.compile(r"\s*(?:[.!?;,:\n\u2014\u2013]+|\s-\s|\bbut\b|\bthough\b)\s*")
_NON_WORD = re.compile(r"[^a-z0-9&|]+")

#: Spellings and shorthand people text, folded to the words the expressions use.
_TYPOS = {
    "wanna": "want to",
    "wana": "want to",
    "wnat": "want",
    "wan": "want",
    "watn": "want",
    "gonna": "going to",
    "gunna": "going to",
    "goin": "going",
    "tryna": "trying to",
    "kms": "kill myself",
    "kys": "kill yourself",
    "unalive": "kill",
    "unaliving": "killing",
    "myslef": "myself",
    "mysefl": "myself",
    "myelf": "myself",
    "mysef": "myself",
    "meself": "myself",
    "tonite": "tonight",
    "suicial": "suicidal",
    "sucial": "suicidal",
    "2nite": "tonight",
    "tmrw": "tomorrow",
    "2moro": "tomorrow",
    "pils": "pills",
    "tabs": "tablets",
    "u": "you",
    "ur": "your",
    "r": "are",
    "cnt": "cant",
    "dnt": "dont",
    "rn": "right now",
    "idk": "dont know",
}
# (a substring that must be present, the expression, its replacement): the
# substring test spares most messages the substitution.
_SPACED = (
    ("my self", re.compile(r"\bmy self\b"), "myself"),
    ("for ever", re.compile(r"\bfor ever\b"), "forever"),
    (" 2", re.compile(r"\b(want|going|have|got|need) 2\b"), r"\1 to"),
    ("od", re.compile(r"\b(i|ive|i have|she|he|they|just) od(?:d|ed|ing)?\b"), r"\1 overdosed"),
    ("any more", re.compile(r"\bany more\b"), "anymore"),
    ("lie", re.compile(r"\bnot going to lie\b"), " "),
    ("can not", re.compile(r"\bcan not\b"), "cannot"),
    ("do not", re.compile(r"\bdo not\b"), "dont"),
    ("will not", re.compile(r"\bwill not\b"), "wont"),
    ("was not", re.compile(r"\bwas not\b"), "wasnt"),
    ("were not", re.compile(r"\bwere not\b"), "werent"),
    ("ngl", re.compile(r"\bngl\b"), " "),
)


@functools.lru_cache(maxsize=16)  # assess and reassures read the same message in turn
def _clean(text: str) -> str:
    lowered = text.lower().translate(_APOSTROPHES)
    clauses = _CLAUSE_PUNCTUATION.sub(" | ", lowered)
    words = " ".join([_TYPOS.get(word, word) for word in _NON_WORD.sub(" ", clauses).split()])
    for needle, pattern, replacement in _SPACED:
        if needle in words:
            words = pattern.sub(replacement, words)
    return words


# ------------------------------------------------------------------ vocabulary
_SELF = r"(?:myself|me self)"
_SUICID = r"s[uoa]{1,3}i?[cs]{1,2}[iy]?d"
_SUICIDAL = (
    _SUICID
    + r"(?:i?al|el|le|l)\b(?! (?:tactic|tactics|move|moves|strategy|mission|missions|pace|policy"
    r"|decision|run|charge|attack|dive|pass|squad|bid|gamble|idea for the|business|manoeuvre"
    r"|maneuver|driving|overtaking|speed))"
)
_SUICIDE = (
    _SUICID
    + r"e\b(?! (?:prevention|awareness|rates?|training|charity|hotline|helpline|line|statistics"
    r"|squad|bomb\w*|forest|watch))"
)
#: Medicines by name or kind; ``_DRUG`` adds the ways people point at them.
_MEDICINE = (
    r"(?:pills|pill|tablets|tablet|meds|medication|medicine|paracetamol|tylenol|acetaminophen"
    r"|ibuprofen|aspirin|painkillers|co codamol|cocodamol|codeine|sertraline|fluoxetine"
    r"|citalopram|mirtazapine|diazepam|xanax|valium|insulin|antidepressants|sleeping \w+"
    r"|quetiapine|amitriptyline|lithium|zopiclone|propranolol|venlafaxine|pregabalin"
    r"|gabapentin|tramadol|morphine|oxycodone|fentanyl|lamotrigine|olanzapine)"
)
_DRUG = (
    r"(?:" + _MEDICINE[3:-1] + r"|of my \w+|of her \w+|of his \w+|in the (?:medicine )?cabinet"
    r"|bottle)"
)
_AMOUNT = (
    r"(?:all|a whole|the whole|a load|loads|lots|a lot|a bunch|a handful|handfuls|a bottle"
    r"|a packet|packets|a box|boxes|a strip|strips|too many|everything|\d{2,}|twenty|thirty"
    r"|forty|fifty|sixty|a hundred|a month s worth|a months worth)"
)
_PEOPLE = (
    r"(?:family|kids|children|partner|wife|husband|mum|mom|mam|dad|parents|sister|brother"
    r"|son|daughter|everyone|friends|boyfriend|girlfriend|flatmate|roommate)"
)
_ABUSER = (
    r"(?:he|she|they|partner|husband|wife|boyfriend|girlfriend|ex|dad|father|stepdad|mum|mother"
    r"|brother|son|someone|somebody)"
)

# Places to fall or jump from, and softer places that are dangerous only with a sign near them.
_PLACE = (
    r"(?:bridge|footbridge|viaduct|roof|rooftop|roofs|cliff|cliffs|cliff edge|ledge|window ledge"
    r"|train tracks|railway tracks|tracks|railway line|overpass|platform edge)"
)
#: What makes a place word ordinary ("the roof terrace", "the roof of the shed").
_NOT_A_PLACE = (
    r"(?! (?:terrace|garden|bar|restaurant|rack|box|of (?:the|a|his|her|my) (?:shed|garage|car"
    r"|porch)|fixing|repairing|clearing|cleaning|working|sorting|painting|getting|fetching"
    r"|playing|top (?:cafe|car park)|cafe|club|committee|team|game))"
)
_SOFT_PLACE = (
    r"(?:river|canal|canal lock|sea|beach|pier|harbour wall|sea wall|reservoir|lake|quarry"
    r"|balcony|platform|station|dam|weir|motorway|car park|multistorey|hill|woods|forest|railway)"
)
_DANGER_CUE = (
    r"(?:wrong side|over the edge|(?:feet|legs) over|leaning over|lean over|not (?:coming|walking"
    r"|going|driving) back|its deep|deep here|the drop|(?:going to|want to|could|should|ill|i)"
    r" jump|fast (?:one|ones|train|trains) (?:comes?|goes|through)|the express|cant make myself"
    r" (?:go|walk|come) back|(?:going to|want to|about to) walk in(?: \||$))\b"
)
#: A large amount of a drug, the way people say they have kept it.
_HOARD = (
    r"(?:all|a whole|the whole|whole|enough|\d{2,}|(?:\w+ )?months? of|(?:\w+ )?weeks of"
    r"|packets|boxes|strips|bottles|everything)"
)
#: Someone who cannot be reached after a sign of risk.
_UNREACHABLE = (
    r"(?:not answering|isnt answering|wont answer|cant reach|cant get hold|phones off|phone is off"
    r"|no answer|missing|not picking up)"
)
_WEAPON = r"(?:knife|knives|gun|weapon|bat|hammer|machete|axe|crowbar|blade)"

_FAREWELL = "writes as if saying a final goodbye"

# (reason, expression, negatable). A negatable expression is dropped when a negator
# governs it ("never hurt myself"); the others carry their own negation.
_RISK: tuple[tuple[str, str, bool], ...] = (
    # Suicidal thoughts and intent.
    ("talks of suicide or suicidal thoughts", _SUICIDAL, True),
    (
        "talks of suicide or suicidal thoughts",
        r"\b(?:thinking|thought|thoughts|think|considering|consider|contemplating|contemplate"
        r"|planning|plan|commit|committing|about|of)(?: about| of)? " + _SUICIDE,
        True,
    ),
    ("talks of suicide or suicidal thoughts", _SUICIDE + r" (?:note|letter|plan|pact)", True),
    ("talks of killing themselves", r"\b(?:kill|killing|killed) " + _SELF, True),
    (
        "talks of ending their life",
        (
            r"\b(?:end|ending|take|taking|took) (?:my|my own) life\b|\bend(?:ing)? it all\b"
            r"|\bend(?:ing)? everything\b|\bend(?:ing)? (?:it|things)\b(?! (?:with|between|off|there|"
            r"early|here|at|on|for today|now with))"
        ),
        True,
    ),
    (
        "says they want to die",
        (
            r"\b(?:want|wants|wanted|wanting|wish|wishing|longing|ready|deserve|prefer|like) to "
            r"(?:die|dye(?! (?:my|her|his|it|the|your)))\b"
        ),
        True,
    ),
    (
        "says they want to die",
        (
            r"\b(?:wish|wishing|wished) (?:i was|i were|i was just|to be|i could be) dead\b"
            r"|\b(?:better off|rather be|might as well be|should be|want to be|id be better) dead\b"
            r"|\b(?:if|when|once) im dead\b|\b(?:until|till|til) i (?:die|am dead|m dead)\b"
            r"|\bdie in my sleep\b|\bmy (?:own )?funeral\b"
        ),
        True,
    ),
    (
        "says they do not want to live",
        (
            r"\b(?:dont|do not|no longer|really dont|dont really|never) (?:want|wish|wanna) "
            r"(?:to )?(?:live|be alive|be here|exist|wake up|be around|go on|carry on|keep going"
            r"|keep living|stay alive|be on this earth)\b"
        ),
        False,
    ),
    (
        "says they do not want to live",
        (
            r"\b(?:want|wish|wishing|hope|hoping|like) (?:i could |to |that )?(?:i )?(?:just )?"
            r"(?:not exist|stop existing|cease to exist|never wake up|dont wake up|do not wake up"
            r"|wont wake up|go to sleep forever|sleep forever|disappear (?:forever|for good|"
            r"permanently)|be gone (?:forever|for good))\b|\b(?:and|&) (?:not|never) wake up\b"
        ),
        False,
    ),
    (
        "says they may not be alive soon",
        (
            r"\b(?:wont|will not|not going to|not) (?:be |still be )?alive\b"
            r"|\b(?:wont|will not) be (?:here|around) (?:by then|much longer|for (?:much|very) long"
            r"|anymore|after tonight|by the weekend|by tomorrow|tomorrow|where im going)\b"
            r"|\bnot going to be (?:here|around) (?:anymore|much longer|for (?:much|very) long)\b"
            r"|\b(?:if|whether) (?:ill|i will|im going to) still be (?:alive|here (?:next week|tomorrow"
            r"|by then|much longer|by the weekend|for (?:our|the|my) next session))\b"
            r"|\b(?:dont think|not sure) (?:ill|i will|i can|i am going to|im going to) "
            r"(?:still )?(?:be here|be around|be alive|make it|last|survive|stay safe"
            r"|keep myself safe)\b|\bwont have to worry about me\b|\bwhere im going\b|\btonights the night\b"
        ),
        False,
    ),
    (
        "says they are not afraid of dying",
        (
            r"\b(?:not|no longer|stopped being) (?:afraid|scared|frightened) (?:of dying|to die"
            r"|of death)\b|\blooking forward to (?:dying|death|being dead)\b"
        ),
        False,
    ),
    # Hopelessness about going on living.
    (
        "hopeless about going on living",
        (
            r"\b(?:no|not any|isnt any|isnt a|is no|theres no|dont see (?:a|any|the)|cant see (?:a|any"
            r"|the)|without any|whats the|what is the|whats even the) (?:point|reason|sense|use) "
            r"(?:in |of |to )?(?:going on|carrying on|living|being alive|being here|staying alive|life"
            r"|keep(?:ing)? (?:going|living)|anything anymore|anything|me being here|trying anymore"
            r"|live|go on|carry on|stay alive|keep going|keep living|be here|existing|exist)\b"
        ),
        False,
    ),
    (
        "hopeless about going on living",
        (
            r"\b(?:life|living) (?:isnt|is not|aint|is no longer|no longer|doesnt feel|dont feel) "
            r"worth (?:living|it)\b|\bnot worth living\b|\bno reason (?:for me )?to (?:live|go on|carry on"
            r"|keep going|stay|be alive|be here|keep living)\b|\bno way out (?:except|but|other than)\b"
            r"|\bcant see a way out\b|\b(?:cant|cannot|dont) see (?:a|any) future (?:for myself|for me)\b"
            r"|\bwhy (?:do )?i (?:bother|keep) (?:staying alive|living|going on"
            r"|being alive|existing)\b"
        ),
        False,
    ),
    (
        "hopeless about going on living",
        (
            r"\b(?:cant|cannot|can not|unable to) (?:go on|carry on|keep going)\b(?! (?:with|at|in|"
            r"like this (?:at|with|in)))|\b(?:cant|cannot|can not) (?:do this|do it|cope|take it|"
            r"take this|live like this|live with this|keep doing this|face another day) anymore\b"
        ),
        False,
    ),
    (
        "tired of living",
        (
            r"\b(?:tired|sick|exhausted|weary) of (?:living|being alive|life|existing|being here)\b"
            r"|\bhad enough of (?:life|living|everything|it all|being alive)\b"
            r"|\bdone with (?:life|living|it all|everything|being alive)\b"
            r"|\b(?:done|finished) trying to live\b|\bgiv\w* up on (?:life|living)\b"
            r"|\b(?:want|need) (?:it all|everything|the pain|this|it|all of it|all this) (?:to )?"
            r"(?:stop|end|be over)(?: for good| forever| permanently)\b"
            r"|\b(?:want|need) (?:it all|everything|all of it) to (?:stop|end|be over)\b"
        ),
        True,
    ),
    # A burden; others better off without them.
    (
        "feels others would be better off without them",
        (
            r"\bbetter off without me\b|\bbetter off if i (?:was|were|wasnt|werent|died|was gone"
            r"|wasnt here|wasnt around)\b|\bif i (?:wasnt|werent|was not|were not) (?:here|around"
            r"|alive)\b|\bif i (?:was|were) (?:gone|dead)\b|\bif i died\b"
            r"|\bim (?:just )?a burden (?:to|on) (?:everyone|everybody|my \w+|them|you|all)\b"
            r"|\b(?:no one|nobody|noone|no body) (?:would|will|is going to|would even|will even) "
            r"(?:miss|notice|care)\b"
        ),
        False,
    ),
    # Plans, means and method.
    (
        "describes a plan or method",
        (
            r"\bplan (?:to (?:die|end|kill|do it|jump|overdose|hang)|for (?:how|when)|and (?:i know )?"
            r"(?:when|how))\b|\b(?:have|got|made) (?:a|the) plan\b[a-z ]{0,35}\b(?:when|how|where|means"
            r"|need|ready)\b|\b(?:know|worked out|decided|figured out|planned|planning|picked) "
            r"(?:exactly )?(?:how|when|where) (?:i|id|ill|im going to|to) ?(?:would |will |am going "
            r"to |going to )?(?:do it|kill|end|die)\b|(?<!thought about )(?<!thinking about )(?<!think about )(?<!thoughts about )\bhow id do it\b"
        ),
        False,
    ),
    (
        "has looked up a method",
        (
            r"\b(?:googl\w*|search\w*|look\w* up|research\w*|reading about|read about) (?:for )?"
            r"(?:ways|how|the best way|methods?) (?:to )?(?:die|kill|end|overdose|hang|commit)\b"
            r"|\bhow many (?:pills|tablets|paracetamol|of my \w+) (?:it would|would|it takes|does it"
            r"|to)\b|\bhow much \w+ (?:would|it would) (?:take to|kill)\b"
        ),
        False,
    ),
    (
        "has the means to harm themselves",
        (
            r"\b(?:stockpil\w*|saving up|saved up|collecting|collected|hoarding|hoarded|been saving"
            r"|stashed|stashing) (?:my |some |enough |all my |up my |up )?(?:sleeping |sleep )?(?:pills"
            r"|tablets|meds|medication|paracetamol|painkillers|antidepressants|insulin)\b|\bnoose\b"
            r"|\b(?:bought|buy|got|have|tied|holding|ready|made)\b[a-z ]{0,12}\b(?:rope|gun|razor|"
            r"razor blades?|blades?|pills to|tablets to)\b"
            r"|\b(?:pills|tablets|meds|medication|knife|razor|blade|gun) (?:in front of me|next to me"
            r"|in my hand|lined up|counted out|ready|out)\b|\bgot my (?:pills|tablets|meds) out\b"
            r"|\bknife\b[a-z ]{0,30}\b(?:myself|on myself|my wrists?|my arms?)\b"
            r"|\b(?:use|using) (?:it|them|that|this) on myself\b|\bengine running\b[a-z ]{0,20}\bgarage\b"
        ),
        False,
    ),
    # Overdose and poisoning.
    (
        "mentions an overdose",
        (
            r"\boverdos(?:e|ed|es|ing)\b(?! on (?:chocolate|caffeine|coffee|sugar|"
            r"netflix|tv|cake|sweets|christmas|social))"
        ),
        True,
    ),
    (
        "mentions an overdose",
        r"\b(?:took|taken|taking|swallowed|downed|necked|had) "
        + _AMOUNT
        + r"\b[a-z ]{0,25}?"
        + _DRUG
        + r"\b|\b(?:swallowed|downed|necked) (?:some |her |his |my |"
        r"the )?(?:pills|tablets|meds)\b|\b(?:taken|took) (?:some |her |his |their )?(?:pills"
        r"|tablets) and\b",
        True,
    ),
    (
        "says they will take an overdose",
        (
            r"\b(?:going to|about to|will|ill|want to|planning to|plan to|ready to) (?:take|swallow"
            r"|down|neck) (?:them all|all of them|the lot|everything|all (?:my|the|of my|of the|of"
            r" them) ?(?:pills|tablets|meds|medication)?|every (?:pill|tablet)|the whole (?:box"
            r"|packet|bottle|lot))\b|\b(?:take|swallow|down|neck) (?:them|the pills|the tablets"
            r"|my pills|my tablets|my meds) all\b"
        ),
        True,
    ),
    (
        "mentions swallowing poison",
        (
            # The writer swallowing it ("the dog ate rat poison" is not), and never the figure
            # of speech ("I'd rather drink bleach", "it makes me want to drink bleach").
            r"(?:^|\| |\b(?:i|ive|i have|i just|ive just|just|to|of|about|and) )"
            r"(?<!rather )(?<!sooner )(?<!makes me want to )(?<!made me want to )"
            r"(?:drank|drunk|drink|drinking|swallowed|swallow|took|taken"
            r"|downed|necked|ate|eaten)"
            r" (?:some |a lot of |a bottle of |a cup of |a glass of |half a bottle of |the )?"
            r"(?:bleach|antifreeze|anti freeze|weedkiller|weed killer|rat poison|poison|drain cleaner"
            r"|pesticide|paraquat|lighter fluid|white spirit|methanol|screenwash)\b(?! ivy| oak)"
        ),
        True,
    ),
    # Self-harm.
    (
        "mentions self-harm",
        (
            r"\bself ?harm\w*(?! (?:free|clean|awareness|charity|training|course|support group"
            r"|recovery|prevention))|\bself ?injur\w*"
        ),
        True,
    ),
    (
        "describes hurting themselves",
        r"\b(?:cut|cutting|cuts|burn|burning|burned|burnt|scratch\w*|hit|hitting|punch\w*|harm"
        r"\w*|hurt\w*|starv\w*|bite|biting|bit|strangl\w*|suffocat\w*|poison\w*|drown\w*|hang"
        r"|hanging|hanged|shoot|shooting|stab|stabbing|stabbed) "
        + _SELF
        + r"\b(?! (?:playing|at the gym|cooking|lifting|running|falling|on a|on the|in the|by "
        r"accident|accidentally|skiing|at work|training|laughing))",
        True,
    ),
    (
        "mentions self-harm",
        (
            r"\b(?:cut|cutting|slit|slitting|slash\w*) (?:my|both|her|his) (?:wrists?|arms?|legs?"
            r"|thighs?|skin|stomach)\b|\bcutting again\b|\b(?:until|till) (?:i|it) bled\b"
        ),
        True,
    ),
    ("mentions self-harm", r"\burges? to (?:cut|self)\b|\bto feel (?:pain|the pain)\b", True),
    # Attempts.
    (
        "mentions a suicide attempt",
        (
            r"\b(?:tried|try|trying|attempted|attempt) (?:to )?(?:kill|end|hang|drown|overdose|take "
            r"my)\b|\battempted (?:again|suicide)\b|\battempt on my life\b"
        ),
        True,
    ),
    # Dangerous places and acts.
    (
        "at or near a dangerous place",
        (
            r"\b(?:im|i am|standing|stood|sat|sitting|stuck|waiting|here|up|parked)"
            r"(?: (?:in the car|in my car|right|still|now|alone|just|outside|here))? (?:on|at|by"
            r"|near|under|on top of|over) (?:the |a |this |that )?(?:edge of (?:the )?)?"
            r"(?:(?:suspension|railway|motorway|window|multistorey|multi storey|car park) )?"
            r"(?:bridge|roof\w*|cliff\w*|railway\w*|train tracks|tracks|ledge|car park roof"
            r"|overpass|top of (?:the|a) (?:cliff\w*|building|car park|multistorey|tower|bridge"
            r"|stairwell|quarry)|platform edge)\b" + _NOT_A_PLACE
        ),
        True,
    ),
    (
        "talks of jumping or crashing",
        (
            r"\bjump(?:ing)? (?:off|from|in front of|under|into the (?:river|sea|water|canal))\b"
            r"|\b(?:throw|throwing|threw|fling|hurl) myself (?:off|from|in front of|under|into (?:the "
            r"(?:river|sea|water|canal|traffic)|traffic))\b"
            r"|\b(?:going to|want to|planning to|about to|thinking of|thinking about|will|ll) jump"
            r"(?:ing)?(?: \||$)|\b(?:drive|driving|crash\w*|steer\w*|swerv\w*) (?:my car |the car )?"
            r"(?:into|off) (?:a |the )?(?:wall|tree|bridge|road|cliff|lorry|truck|oncoming|river"
            r"|sea|canal|reservoir)\b"
            r"|\bcrash\w* (?:my|the) car on purpose\b|\bon purpose\b"
        ),
        True,
    ),
    # Cannot keep themselves safe.
    (
        "says they cannot keep themselves safe",
        (
            r"\b(?:cant|cannot|can not|dont think i can|unable to|not able to|struggling to|dont know"
            r" if i can) (?:keep|stay) (?:myself )?safe\b|\bnot safe (?:right now|tonight|from myself"
            r"|anymore|around myself|on my own|alone)\b|\b(?:dont|do not) feel safe (?:from|with|around)"
            r" myself\b|\b(?:cant|cannot|can not|wont|will not|unable to|not able to) (?:promise|"
            r"guarantee|say)(?: you)?(?: that)? (?:i|ill|im)(?: will| wont| will not| can| cant| am|"
            r" be| stay| keep| not| myself| going to| do)* ?(?:safe|hurt|harm|do anything|do something"
            r"|kill|act on)\b"
        ),
        False,
    ),
    (
        "afraid of what they might do to themselves",
        (
            r"\b(?:scared|afraid|frightened|terrified|worried) (?:of what i might do|ill hurt|i will "
            r"hurt|i might hurt|im going to hurt|of hurting myself|i might do something|im going to "
            r"do something|i ll do something|ill do something)\b|\bdo something (?:stupid|silly"
            r"|drastic)\b(?! (?:at|with|in|like|to my))|\bmake it through (?:tonight|the night)\b"
        ),
        True,
    ),
    (
        "afraid of what they might do to themselves",
        (
            r"\b(?:dont|do not|cant|cannot|no longer) trust myself (?:around|with|near) (?:my |the |a "
            r"|any )?(?:pills|tablets|meds|medication|knife|knives|blades?|razors?|rope|car)\b"
            r"|\b(?:dont|do not|cant|cannot|no longer) trust myself (?:tonight|right now|not to "
            r"(?:hurt|harm|do|act|use))\b"
        ),
        False,
    ),
    # Goodbyes and preparations.
    (
        _FAREWELL,
        r"\b(?:this is|consider this|saying) (?:my )?(?:goodbye|my last message|the last time)\b"
        r"|\bmy last (?:message|text|email)\b|\bsaid (?:my )?goodbyes\b"
        r"|\b(?:wont|will not|never) (?:ever )?hear from me (?:again|ever again)\b(?! (?:until|till"
        r"|til|before|for a|this|over|after|in|during))"
        r"|\b(?:written|wrote|left|writing|leaving) (?:a |my |some )?(?:(?:suicide |goodbye |final "
        r"|last )(?:note|letter)s?|notes|letters|note|letter)\b[a-z ]{0,20}\b"
        + _PEOPLE
        + r"\b|\bby the time you (?:read|see|get) "
        r"this\b|\b(?:tell|say to) (?:my )?" + _PEOPLE + r"(?: that)? (?:im sorry|i love|sorry)\b"
        r"|\bbefore i go\b(?! (?:on|to|away|abroad|into|in|out|back|home))",
        False,
    ),
    (
        "putting their affairs in order",
        (
            r"\b(?:given|giving|gave|give) (?:away )?(?:my|all my) (?:things|stuff|belongings"
            r"|possessions)\b|\bgiving (?:my |all my )?(?:things|stuff|belongings) away\b"
            r"|\b(?:sorted|sorting|written|made|wrote|updated|writing) (?:out )?my will\b"
        ),
        False,
    ),
    # Acts and intentions in the words clients use by text (found in our examples).
    (
        "mentions an overdose",
        (
            r"\b(?:taken|took|swallowed|downed|necked) (?:the lot|everything|all of (?:them|it)"
            r"|the whole (?:box|packet|bottle|lot))\b|\b(?:im|i am|i m) taking (?:them|it|the lot"
            r"|the pills|the tablets|my pills|my tablets|my meds) (?:tonight|now|today|all|when"
            r"|after|once)\b"
        ),
        True,
    ),
    (
        "describes hurting themselves",
        (
            r"\bcut (?:deep|deeply|too deep|really deep)\b|\b(?:tied|tying|put) (?:something|a \w+"
            r"|it|the \w+) (?:round|around) my neck\b|\bself ?harmed (?:about |just )?(?:an hour"
            r"|a few hours|minutes|two hours|2 hours) ago\b"
        ),
        True,
    ),
    (
        "has the means to harm themselves",
        (
            r"\b(?:bought|got|brought|with) (?:a |the |my )?(?:hose|hosepipe)\b[a-z ]{0,30}\b"
            r"(?:exhaust|car)\b|\bgarage\b[a-z ]{0,30}\bengine (?:running|on)\b"
            r"|\b(?:drove|driven|walked|went|gone) (?:\w+ ){0,4}with (?:a|the|my) (?:rope|gun"
            r"|knife|pills|tablets|blade|hose)\b|\b" + _DRUG + r"\b[a-z ]{0,40}\blined up\b"
        ),
        False,
    ),
    (
        "describes a plan or method",
        (
            r"\bknow (?:exactly )?(?:when and how|how and when|where and how|when and where"
            r"|where and when)\b|\b(?:im|i am) doing it (?:tonight|today|tomorrow|this weekend"
            r"|on \w+day|soon|now)\b|\b(?:planned|booked|set) it for (?:tonight|tomorrow|this"
            r"|next|\w+day)\b|\bwalk (?:out )?into the (?:sea|river|water|lake|canal)\b"
            r"|\b(?:ending|end|doing) it (?:after i send this|when (?:i|im) (?:done|finished)"
            r"|once this is sent)\b"
        ),
        False,
    ),
    (
        "says they may not be alive soon",
        (
            r"\b(?:wont|will not|not going to) be (?:here|around|alive) (?:by (?:the )?(?:morning"
            r"|tonight|the end of the (?:day|week)|then)|to (?:pay|see|read|come|get))\b"
            r"|\b(?:ill|i will) be dead (?:before|by)\b|\bwont need to see me\b"
        ),
        False,
    ),
    (
        "says they cannot keep themselves safe",
        (
            r"\b(?:cant|cannot|dont think i can|not sure i can|unable to) stop myself\b"
            r"|\b(?:dont|do not|cant|cannot) trust myself (?:to be|being) (?:alone|on my own)\b"
        ),
        False,
    ),
    (
        "in danger from another person",
        (
            r"\b(?:shouting|screaming|yelling|texted|messaged|saying|said) (?:that )?(?:he|she"
            r"|they)(?:ll| will|s going to| is going to)? (?:kill|hurt|stab|finish) me\b"
            r"|\bcoming (?:round|over|back) to (?:finish|kill|hurt) me\b"
            r"|\b(?:hands?|arm) (?:round|around) my (?:neck|throat)\b"
        ),
        False,
    ),
    (
        "says they will harm someone else",
        (
            r"\b(?:going to|about to|gonna|will|ill) (?:kill|stab|shoot|murder|hurt) (?:him|her"
            r"|them|my \w+)\b[a-z |]{0,60}\b(?:knife|gun|hammer|weapon|blade|tonight|ready"
            r"|when (?:he|she|they) (?:gets|get|comes|come))\b"
        ),
        False,
    ),
    (
        "someone else may be at risk right now",
        (
            r"\b(?:she|he|they)(?:s| has| have|ve) (?:taken|swallowed|took) (?:something|some pills"
            r"|pills|tablets|an overdose|everything|the lot|all (?:her|his|their) \w+)\b"
            r"|\b(?:wont|cant|will not|cannot) wake (?:her|him|them)? ?up\b"
            r"|\bleft a note saying (?:sorry|goodbye)\b"
            r"|\b(?:going to|about to|gonna) (?:drive|crash) (?:his|her|their) car (?:into|off)\b"
        ),
        False,
    ),
    # Voices.
    (
        "hears voices telling them to harm themselves",
        (
            r"\bvoices? (?:is |are |keep |keeps )?(?:telling|tell|told|want|wants|saying|say|says)"
            r"\b[a-z ]{0,20}\b(?:kill|die|hurt|harm|jump|end|cut|stab|drown|hang|throat)\b"
        ),
        False,
    ),
    # Danger from other people.
    (
        "in danger from another person",
        r"\bthreat\w* to (?:kill|hurt|harm|stab|shoot) me\b|\b(?:said|says|told me|threaten\w*) "
        r"(?:that )?(?:he|she|they)(?:ll| will|d| would|s going to| is going to| are going to)? "
        r"(?:kill|hurt|finish|stab|shoot) me\b|\b(?:scared|afraid|frightened|terrified) "
        r"(?:that )?" + _ABUSER + r"(?:ll| will|s going to| is going to| might| may) "
        r"(?:kill|hurt|stab|shoot) me\b|\b(?:he|she|they)(?:ll| will|s going to| is going to"
        r"| are going to)? finish me off\b"
        r"|\b(?:outside|here|coming|at the door|in the house) with a (?:knife|gun|weapon)\b"
        r"|\b" + _ABUSER + r" (?:is|are|s) (?:hitting|beating|strangling|attacking"
        r"|choking) (?:me|my \w+)\b|\bhiding from (?:him|her|them|my \w+)\b",
        False,
    ),
    (
        "reports violence or threats from another person",
        r"\b" + _ABUSER + r" (?:hit|hits|hitting|beat|beats|beating|strangled|choked|choking"
        r"|punched|kicked) me\b|\b" + _ABUSER + r" keeps (?:hitting|beating|strangling"
        r"|attacking|choking) (?:me|my \w+)\b|\b(?:kill|hurt) me if i (?:leave|go|tell)\b",
        False,
    ),
    # Someone else's current risk (a parent, partner or friend writing).
    (
        "someone else may be at risk right now",
        (
            r"\b(?:going|planning|threaten\w*|trying|about|tried|try) to (?:kill|hurt|harm|end"
            r"|hang|drown|overdose) (?:herself|himself|themselves|themself|her life|his life"
            r"|their life)\b|\b(?:killing|cutting|hurting|harming|hanging|starving) (?:herself|"
            r"himself|themselves)\b|\b(?:she|he|they)(?:s| is| are) going to jump\b"
        ),
        True,
    ),
    (
        "someone else talks of wanting to die",
        (
            r"\bwants to die\b|\bwants? to (?:kill|hurt|harm|end) (?:herself|himself|themselves"
            r"|themself|her life|his life|their life)\b"
        ),
        True,
    ),
    # Written the way clients write them (data/examples/urgent_written.jsonl): the
    # kinds of the rubric said indirectly, each kept to words that carry the danger.
    # A dangerous place: a clause that starts there, or a soft place (a river, a
    # balcony) with a sign of danger near it.
    (
        "at or near a dangerous place",
        (
            r"(?:^|\| )(?:(?:im|i am|standing|stood|sat|sitting|still|now|up|out|back|parked"
            r"|here|alone) )*(?:on|at|by|near|under|over|on top of) (?:the |a |this |that )?"
            r"(?:edge of (?:the )?|top of (?:the )?|end of (?:the )?)?(?:(?:suspension|railway|motorway"
            r"|multistorey|car park) (?:bridge|roof)|footbridge|viaduct|roof|rooftop|cliff edge|ledge"
            r"|window ledge|train tracks|railway tracks|tracks|railway line|overpass|platform edge)\b"
            + _NOT_A_PLACE
            + r""
            r"|\bon the wrong side of the (?:fence|railings?|barriers?|yellow line|rail|bridge"
            r"|wall|safety \w+)\b|\b(?:feet|legs) (?:over|dangling over) the (?:edge|side|railings?"
            r"|ledge)\b|\bwith my legs out\b|\b(?:at|on|over) the (?:very )?edge of (?:the|a) (?:quarry|cliff"
            r"|roof|platform|bridge|building|car park|drop|balcony)\b"
            r"|(?:^|\| |\b(?:im|i am|standing|stood|sat|sitting|parked|here|up|out)(?: \w+)? |\b(?:walked"
            r"|went|drove|came|got|ended up)(?: up| down| out)? to )(?:on|at|by|near|in|on top of|the"
            r" top of) (?:the |a |this |that )?(?:edge of (?:the )?|top of (?:the )?"
            r"|end of (?:the )?)?" + _SOFT_PLACE + r"\b[a-z |]{0,80}?\b" + _DANGER_CUE
        ),
        True,
    ),
    (
        "has the means to harm themselves",
        (
            r"\bgarage\b[a-z |]{0,40}\b(?:engines?|car|cars) (?:running|is running|s running"
            r"|on(?: \||$))|\b(?:engines?|car) running\b[a-z |]{0,40}\bgarage\b"
            r"|(?<!rather )\bbath\b[a-z ]{0,30}\b(?:hairdryer|hair dryer|toaster|heater)\b"
            r"|\b(?:hairdryer|hair dryer|toaster|heater)\b[a-z ]{0,30}\bbath\b"
            r"|\b(?:hold|take|bear|support) my weight\b|\b(?:branch|beam|belt|rope|cable|railing"
            r"|bannister|banister|hook)\b[a-z ]{0,25}\b(?:hold|take|bear|support) me\b"
            r"|\b(?:its|is|s) (?:high|tall|deep) enough(?: \||$)"
        ),
        False,
    ),
    (
        "has the means to harm themselves",
        (
            r"\b(?:saved|saving|stockpiled|stockpiling|hoarded|hoarding|stashed|stashing)(?: up)? (?:[a-z0-9]+ ){1,5}?(?:of )?(?:my |his |her |their )?"
            r"(?:sleep )?" + _MEDICINE + r"\b"
        ),
        False,
    ),
    (
        "has the means to harm themselves",
        (
            r"\b(?:got|have|bought|saved|counted|holding|with|theres|there is|there are) "
            + _HOARD
            + r" (?:(?:box|packet|bottle"
            r"|strip|tub|load)s? )?(?:of )?(?:my |her "
            r"|his |my \w+s )?" + _DRUG + r"\b[a-z ]{0,30}?\b(?:here|in front of me|next to me"
            r"|with me|in my (?:bag|room|pocket|hand|car|drawer)|ready|saved|out|right now"
            r"|on the \w+)\b"
            r"|\benough (?:of )?(?:my |his |her )?" + _DRUG + r" (?:saved|stored|hidden|here|to do"
            r"|to die|to end|to kill|to not wake|to never wake)\b"
        ),
        False,
    ),
    (
        "has the means to harm themselves",
        (
            r"\b(?:" + _DRUG + r"|knife|knives|guns?|pistol|shotgun|rifle|razor|blades?|rope"
            r"|noose|bleach)\b[a-z |]{0,50}\b(?:in front of me|next to me|beside me|in my hand"
            r"|on my lap|counting them|lined up)\b"
        ),
        False,
    ),
    (
        "has the means to harm themselves",
        (
            r"\bgot (?:the|my|all (?:the|my|of my)|all of (?:the|my)) (?:\w+ )?(?:"
            + _DRUG
            + r"|knife|razor|blades?|rope|gun) out\b|\b(?:pills|tablets|meds) (?:are|all) (?:out"
            r"|laid out|all out)(?: \||$| in front)"
            r"|\b(?:pills|tablets|meds|prescription|packets?|paracetamol)\b[a-z ]{0,40}\bso (?:id"
            r"|i would|ill|i will|i|i could) (?:have|had) (?:enough|more)\b"
            r"|\b(?:packets?|pills|tablets|paracetamol|shops|chemists|pharmacies)\b[a-z ]{0,40}\bso"
            r" (?:they|nobody|no one) (?:wouldnt|wont|would not|didnt) (?:ask|notice|suspect"
            r"|question)\b"
        ),
        False,
    ),
    (
        "has the means to harm themselves",
        (
            r"\b(?:got|bought|have) (?:the |some )?charcoal\b[a-z ]{0,30}\b(?:tape|car|boot|tent)\b"
            r"|\b(?:keep|kept|got|have|holding|took|taken|found) (?:my |his |her |the |my \w+s )?(?:shotgun|gun"
            r"|rifle|firearm)s? (?:cabinet )?key\b"
            r"|\b(?:packets?|boxes|blister packs?|strips?)\b(?! of (?!"
            + _MEDICINE
            + r"))[a-z ]{0,30}\b(?:all )?(?:opened|popped"
            r" out) (?:on the (?:desk|table|bed|floor|side)|in front of me)\b|\bknife block\b[a-z |]{0,90}\b(?:wrists?|throat|myself)\b"
        ),
        False,
    ),
    (
        "describes a plan or method",
        (
            r"\b(?:picked|chosen|chose|found|know) (?:the|a|my) (?:exact |perfect )?(?:spot|day"
            r"|date)\b(?! (?:for|to|of|we|with))|\bthe exact spot\b|\bknow (?:exactly )?which"
            r" (?:bridge|tree|cliff|building|spot|train)(?: \||$)"
            r"|\bgot it (?:all )?planned\b"
            r"|\b(?:worked out|know|checked) (?:exactly )?where (?:id|i would|ill|i will) (?:stop the"
            r" car|jump|do it|stand|go over)\b|\bknow (?:exactly )?where the fence is\b"
            r"|\b(?:timed|checked|looked up|been looking at|looked at) (?:what )?the (?:level )?crossing"
            r" times?\b|\bthe fast (?:one|ones|train|trains) (?:comes?"
            r"|go|goes|through)\b|\bgoing (?:back )?(?:down )?there (?:later|tonight|tomorrow)\b"
            r"(?! (?:to (?:see|meet|get|pick|buy|eat|watch)|for|with))"
            r"|\b(?:going|go|went|drove|walked|back) (?:to (?:the )?\w+ )?(?:\w+ )?(?:tonight|later"
            r"|tomorrow) to finish it\b"
            r"|\b(?:woods|forest|river|sea|bridge|cliffs?|reservoir|lake|quarry|beach|tracks"
            r"|canal|viaduct)\b[a-z |]{0,40}\b(?:not|never) (?:coming|walking|going|driving)"
            r" (?:back|home)\b(?! (?:until|till|til|for|before|to|on|at|after|with))|\b(?:not|never) (?:coming|walking|going) back from (?:there|it)\b"
        ),
        False,
    ),
    (
        "talks of ending their life",
        (
            r"\bfinish(?:ing)? (?:things|it all|myself off)\b(?! (?:with|off|at|up|for|before|by))"
            r"|\bmake (?:it|it all|everything|the pain) stop (?:for good|forever|permanently)\b"
            r"|\bcheck(?:ing)? out (?:for good|permanently)(?: \||$)"
        ),
        True,
    ),
    (
        "describes a plan or method",
        (
            r"\b(?:do|doing|do it|finish) (?:it|this|things)? ?(?:tonight|today|tomorrow)? ?(?:when"
            r"|after|once|while) (?:everyone|the house|the kids|nobody|no one)(?:s| is| are| goes"
            r"| go)? ?(?:asleep|empty|out|gone|in bed|away|home)\b"
            r"|\b(?:going to|will|ill) do it (?:on the anniversary|tonight after"
            r"|on (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday))\b"
        ),
        False,
    ),
    # An act happening now or just over.
    (
        "mentions a suicide attempt",
        (
            r"\btried\b[a-z |]{0,40}\b(?:rope|belt|cord|ligature|bannister|banister) (?:broke|snapped|came"
            r" loose|gave way)\b|\b(?:tried|try|trying|attempted) to (?:walk|step|jump|throw myself)"
            r" (?:in front of (?:a|the) (?:bus|train|car|lorry|truck|traffic|van)|off (?:the|a)"
            r" (?:bridge|roof|cliff|car park|balcony|building)|into (?:the )?traffic)\b"
            r"|\bjumped (?:in|into|off) (?:the |a )?(?:canal|river|sea|bridge|reservoir|roof"
            r"|car park|balcony)\b[a-z |]{0,60}\b(?:pulled|dragged|got|fished) me out\b"
        ),
        True,
    ),
    (
        "mentions an overdose",
        r"\b(?:taken|took|swallowed) something (?:i shouldnt|i should not|to (?:end|die|sleep))\b",
        True,
    ),
    (
        "describes hurting themselves",
        (
            r"(?<!last )(?<!since i )(?<!since )\bself ?harmed\b(?! (?:as|when|in|at|for|years))"
            r"|\b(?:until|till) (?:i|it) bled\b|\bi (?:cut|burned|burnt) (?:again|deeper)\b"
            r"|\bcutting (?:right now|now)(?: \||$)|\bput my (?:hand|fist|arm) through\b"
        ),
        True,
    ),
    # Cannot keep themselves safe.
    (
        "says they cannot keep themselves safe",
        (
            r"\b(?:cant|cannot|dont think i can|unable to|not able to|dont know if i can|not sure"
            r" i can) (?:keep|stay) (?:myself |herself |himself |themselves )?(?:safe|alive)\b(?! on| with| by"
            r"| doing)"
            r"|\b(?:im|i am) not safe\b(?! (?:to|for|with (?:him|her|them|my)|around (?:him|her"
            r"|them)|at (?:home|work)|there|in (?:the|this|my)))|\bnot safe with myself\b"
            r"|\b(?:dont|do not) feel safe (?:right now|tonight|anymore|at the moment)\b(?! (?:with (?:all"
            r"|the)|in (?:the|this)|around here|at (?:home|work)|because|cos|since|walking|going))"
            r"|\b(?:cant|cannot|wont|will not|unable to) (?:promise|guarantee|say)(?: you)?(?: that)?"
            r" (?:ill|i will|im going to|i am going to) (?:still )?(?:be here|be alive|be around"
            r"|make it|survive)\b"
            r"|\b(?:cant|cannot|dont think i can|not sure i can|dont know if i can) (?:hold on|hang"
            r" on|hold out|survive|last) (?:much longer )?(?:till|until|til|through) (?:the )?"
            r"(?:morning|tonight|the night|tomorrow)\b"
            r"|\b(?:how long|how much longer) (?:i can|i can keep|before i) (?:stop myself|hold (?:on"
            r"|out|off)|resist|keep myself safe)\b"
            r"|\b(?:hold (?:it )?off|resist|fight (?:it|this|the urges?)|stop myself) (?:much|any)"
            r" longer\b(?! (?:before|until|till|without|from))"
        ),
        False,
    ),
    (
        "afraid of what they might do to themselves",
        (
            r"\b(?:scared|afraid|frightened|terrified|worried) (?:of what |that |about what )?(?:ill"
            r"|i will|i might|i may|im going to|i am going to|i could) (?:do(?: it| something)?"
            r"(?: \||$| if| tonight| when| to myself)|act on (?:it|them|the thoughts|the urges?)(?: \||$"
            r"| tonight| if| when)|(?:hurt|harm|kill) (?:myself|someone|somebody|him|her|them|my \w+)"
            r"\b(?! feelings))"
            r"|\b(?:im|i am) going to do something(?: \||$)"
        ),
        True,
    ),
    # Voices commanding harm, however the voice is named.
    (
        "hears voices telling them to harm themselves",
        (
            r"\b(?:voices?|whisper\w*|commands?|hearing (?:them|it|things|him|her)|(?:man|woman"
            r"|someone|voice) in my head)\b"
            r"[a-z |]{0,80}?\b(?:tell\w*|told|say\w*|said|want\w*|order\w*|command\w*|shout\w*"
            r"|scream\w*|whisper\w*|obey)\b[a-z |]{0,50}?\b(?:kill|die|dies|hurt|harm|jump|cutting"
            r"|cut (?:myself|yourself|off|my (?:arms?|wrists?|legs?|skin|hand|throat))"
            r"|stab|drown|hang|burn|poison\w*|bleed|swallow|fire|traffic|in front of|take all"
            r"|(?:all )?the (?:pills|tablets)|obey|punish\w*|do it now|bridge|roof|tracks|edge)\b"
            r"|\b(?:they|it)(?: keeps?| are| is| have| has| s|re|s been)? (?:telling|tell|told"
            r"|saying|say|says|said|ordering|commanding) (?:me )?(?:to |i (?:have|need|must|should)"
            r" (?:to )?)(?:kill|stab|hurt|harm|strangle|drown|hang|burn)(?: \w+)? (?:myself|my \w+"
            r"|him|her|them|someone|the baby|people|everyone|yourself)\b(?! with kindness)"
            r"|\b(?:they|it)(?: keeps?| are| is| have| has| s|re|s been)? (?:telling|told|saying|says"
            r"|said|ordering|commanding) me to cut off my (?!hair|fringe|nails|beard)\w+"
        ),
        False,
    ),
    # Danger from another person, now.
    (
        "in danger from another person",
        (
            r"\b(?:outside|at the door|in the house|downstairs|upstairs|in the garden|on (?:his"
            r"|her|their|the) way)\b[a-z ]{0,25}\bwith (?:a|the|his|her) "
            + _WEAPON.replace("|bat", "")
            + r"\b(?! (?:to cut|for the|to carve|and fork))|\b(?:hes|shes|he has|she has|theyve|they have) got (?:a|the|his|her) "
            + _WEAPON
            + r"\b(?! (?:licen\w+|collection|club|from|for|at|and fork|in (?:his|her)|to (?:cut|carve|open)))"
            r"|\bthreaten\w* (?:me |us )?with (?:a |the |his |her )?"
            + _WEAPON
            + r"|\b(?:held|holding|put|pointed|pointing) (?:a |the |his |her )?(?:knife|gun|blade)"
            r" (?:to|at|against) (?:my (?:throat|neck|chest|face)|our|me|us)\b|\bsharpening (?:the )?knives\b"
            r"|\b(?:said|says|told me|threaten\w*|saying|texted|messaged)(?: that)? (?:if i (?:try to |ever )?"
            r"(?:leave|go|tell|call|report|speak|talk)[a-z ]{0,20} )?"
            r"(?:he|she|they)(?:ll| will|d| would|s going to| is going to| are going to)? (?:kill|finish"
            r"|stab|shoot) (?:me|us)\b"
            r"|\b(?:said|says|told me|saying|texted|messaged)(?: that)? [a-z ]{0,40}\b(?:i wont survive"
            r"|i will not survive|ill be dead|i wont be alive|i never leave"
            r"|the last night ill be alive)\b"
            r"|\bcoming (?:round |over |back |here )?(?:tonight )?to (?:kill|hurt|finish (?:me|this"
            r"|us|the job)|make me pay)\b|\b(?:hell|shell|theyll|he will|she will|they will"
            r"|come back and|come back to) finish the job\b"
            r"|\b(?:restraining order|injunction|non molestation order|protection order)\b[a-z ]{0,40}"
            r"\b(?:outside|across the road|here|right now|on my street|at my)\b"
            r"|\b" + _ABUSER + r"(?:s| has| have)? (?:locked|locking) (?:me|us) (?:in|inside)\b"
            r"|\b(?:he|she|they|hes|shes|theyre) (?:wont|will not|isnt|is not|not) (?:let|letting) (?:me|us)"
            r" (?:leave|out|go)(?: the (?:house|flat|room|bedroom|car))?(?: \||$| and)"
            r"|\b(?:outside|at (?:the|our|my) (?:front |back )?door|downstairs)\b[a-z ]{0,25}\b(?:saying"
            r"|shouting|screaming|threatening)\b[a-z ]{0,20}\b(?:kill|hurt|stab|shoot)\b"
            r"|\bfound out where (?:i|we) (?:live|am|are|m staying)\b[a-z |]{0,30}\b(?:outside|here"
            r"|on (?:his|her|their) way)\b"
            r"|\bfollowed (?:me )?home\b[a-z |]{0,60}\b(?:on my street|outside|behind me)\b"
            r"|\b(?:burn|set fire to) (?:the house|the flat|the place|it)(?: down)? with (?:me|us"
            r"|the kids) in\b"
            r"|\bnever see (?:them|him|her|the kids|my \w+) alive again\b"
            r"|\b(?:hes|shes|theyre|he is|she is|they are|hes been|shes been) (?:smashing|breaking|kicking|banging on|trying) (?:things"
            r"|everything|the door|my door|the windows?|my door handle|the door handle|(?:to )?(?:get"
            r"|break) in)\b"
            r"|\b(?:following|followed) me\b[a-z |]{0,50}\b(?:still behind me|behind me|on my street"
            r" now|outside (?:my|the) (?:house|flat|door))\b"
            r"|\b(?:strangled|choked|hit|beat|punched|kicked|stabbed|pushed) me\b[a-z |]{0,60}\b(?:coming"
            r" back|on (?:his|her|their) way|back (?:tonight|soon|in))\b"
        ),
        False,
    ),
    # Someone else at risk now, reported by a parent, partner, friend or colleague.
    (
        "someone else may be at risk right now",
        (
            r"\b(?:decided|says (?:hes|shes|theyre) going|said (?:hes|shes|theyre|he was|she was)"
            r" going|intends|going) to (?:kill|end|hang|drown|overdose) (?:herself|himself"
            r"|themselves|themself|her life|his life|their life)\b(?! (?:coaching|insurance|story"
            r"|savings|plan))"
            r"|\b(?:just|has just|have just|s just|ve just) (?:cut|burned|burnt|hurt|harmed|stabbed"
            r"|hanged|hung|strangled|poisoned|overdosed) (?:herself|himself|themselves|themself)\b"
            r"(?! (?:playing|at|on|in the|by accident|accidentally|cooking|shaving|falling))"
            r"|\b(?:hes|shes|theyve|he has|she has|they have) (?:cut|slashed) (?:his|her|their)"
            r" (?:wrists?|arms?|legs?|throat|neck)\b(?! (?:on|with a|with the|while|when|by accident"
            r"|accidentally|in the))"
            r"|\b(?:hes|shes|theyre|he is|she is|they are|my \w+s|my \w+ is) (?:on|at|up on|standing on"
            r"|sitting on|on top of|on the edge of) (?:the )?(?:edge of (?:the )?)?(?:roof|bridge"
            r"|cliffs?|ledge|tracks|train tracks|railway line|balcony|viaduct|car park roof)\b"
            + _NOT_A_PLACE
            + r""
            r"|\b(?:locked|shut) (?:herself|himself|themselves) in\b[a-z ]{0,30}\b(?:running"
            r"|engine|rope|pills|knife)\b|\bgarage with the (?:car|engine) running\b"
            r"|\b(?:given|gave|giving) away (?:her|his|their) \w+[a-z ]{0,30}\b(?:written|wrote|left)"
            r" (?:letters|notes|a note)\b"
            r"|\b(?:sent|left|texted|posted) (?:me |us |her \w+ |his \w+ )?(?:a )?(?:goodbye|farewell"
            r"|suicide) (?:message|text|note|letter|post|email|video)\b[a-z |]{0,60}\b"
            + _UNREACHABLE
            + r"|\b(?:pic|picture|photo|video|snap) of (?:his |her |their |some |the )?(?:pills|tablets"
            r"|a rope|a noose|a knife|the bridge|blood)\b[a-z |]{0,40}\b(?:sorry|goodbye|"
            + _UNREACHABLE[3:]
            + r"|\bleft a note\b[a-z |]{0,60}\b(?:cars? (?:is )?gone|not answering|isnt answering|cant reach|cant"
            r" find|missing|phones off|saying sorry|saying goodbye)\b"
            r"|\bempty (?:packets?|box|boxes|bottles?|blister packs?|strips?) of\b[a-z |]{0,60}\b(?:not"
            r" answering|isnt answering|wont wake|cant wake|not responding|unconscious|locked)\b"
        ),
        False,
    ),
    (
        _FAREWELL,
        (
            r"\b(?:this is|its) (?:my |the )?last (?:message|text|email)\b(?!(?: from me)? (?:before|until"
            r"|till|for (?:a|the|now)|of the|this (?:week|year)))|\bafter im gone\b"
            r"|\bwhoever finds (?:me|it|them|this)\b|\b(?:put|putting|sorted|sorting) (?:my|all my)"
            r" affairs (?:in order|out)\b|\bmade my peace\b"
            r"|\b(?:wont|will not) be (?:here|around) (?:to (?:tell|say|explain)|for (?:them|it"
            r"|any of it)|after (?:this|today))\b"
        ),
        False,
    ),
    # Concern: a wish to be dead or gone, thoughts of dying, hopelessness, as written.
    (
        "wishes they were dead or gone",
        (
            r"\bwish(?:ing|ed)? (?:i|id|i had) (?:had )?(?:never been born(?! (?:in|into|to|as|with|here))|died|gone with (?:him|her"
            r"|them)|been the one|not survived|never woken up|not woken up)\b|\bmy heart would"
            r" (?:just )?stop\b|\b(?:wouldnt|would not|dont|do not) (?:mind|care) (?:if i (?:died"
            r"|didnt wake|was gone|never woke)|dying(?! (?:my|her|his|the|it|your))|not waking up)\b|\bif (?:a|the) (?:bus|car"
            r"|lorry|truck|train) (?:hit|killed) me\b|\bcare (?:if|whether) i live or die\b"
            r"|\b(?:fall asleep|sleep|go to sleep) (?:forever|and never wake|and not wake)\b"
            r"|\b(?:disappear|vanish)\b[a-z ]{0,30}\b(?:for good|forever|never come back|face of the"
            r" earth)\b|\b(?:happily|like to|want to|wish i could) (?:just )?(?:not be here(?: anymore"
            r"| at all| any more)?(?: \||$)|fade (?:out|away)\b)|\b(?:rather|want to|wish i could) (?:just )?be gone(?: \||$)"
            r"|\b(?:not|never|wasnt|dont think im|dont think i was) meant to be (?:alive|born)\b|\bwaiting (?:to die|for (?:it all"
            r"|everything|life|it) to end|for death)\b"
        ),
        True,
    ),
    (
        "thinks about dying or a way to die",
        (
            r"\b(?:thoughts?|thinking|think|thought|images?|fantasi[sz](?:e|ed|ing)|fantasies) (?:a lot )?"
            r"(?:about|of)"
            r" (?:jumping|stepping (?:off|out|in front)|crashing (?:the|my) car|driving (?:off|into)"
            r"|walking into|throwing myself|hanging myself|drowning myself|overdosing|taking all"
            r"|not being here|being dead|how (?:id|i would) do it)\b(?! (?:ship|at|into (?:a|the)"
            r" (?:new|job)|in (?:the )?(?:pool|lake)|into (?:the|a) pool|the queue))"
            r"|\b(?:been|ive been) thinking (?:a lot )?about (?:dying|death)\b"
            r"|\b(?:about|of) (?:dying|death) (?:all the time|a lot|constantly|every day|every night)\b"
            r"|\b(?:thoughts|mind|brain)\b[a-z ]{0,25}\b(?:go|goes|going|keep going|turn|turns) to "
            + _SUICIDE
        ),
        True,
    ),
    (
        "hopeless about going on living",
        (
            r"\b(?:whats|what is|whats even) the point (?:of|in) (?:any of (?:it|this)|it all|me"
            r"|anything)(?: anymore)?(?: \||$)|\bno point (?:in|to|of) me(?: \||$| anymore| being| trying| carrying)|\bnothing left (?:for me|to live for)\b"
            r"|\bnothing (?:is )?(?:ever )?(?:going to|will) (?:get better|change|improve)(?: for me)?"
            r"(?: \||$| is it)"
            r"|\bhow (?:much )?longer i can (?:keep going|go on|carry on|hold on|take (?:it|this))(?: like"
            r" this| anymore)?(?: \||$)"
            r"|\b(?:lost|losing) the will to (?:live|keep going|go on|carry on)\b"
            r"|\b(?:my life|life) (?:feels|seems) (?:so |completely |totally )?(?:pointless"
            r"|meaningless)\b|\bmy life is (?:pointless|meaningless)\b"
            r"|\bno future (?:for me|left)\b|\b(?:dont|cant|cannot) see (?:a|any) (?:future|way out"
            r"|way back)(?: for me| for myself| of (?:this|it))?(?: \||$| anymore| at all| worth)|\b(?:struggling|hard|cant|cannot|dont|not|no longer) (?:to )?(?:see|find|have)"
            r" (?:a|any) reason to (?:carry on|go on|keep going|stay alive)\b"
            r"|\b(?:i feel|im|i am|feeling) (?:completely|totally|utterly) hopeless\b|\blost all hope\b"
        ),
        False,
    ),
    (
        "tired of living",
        (
            r"\b(?:hate|fed up of|fed up with) (?:being alive|living|existing)\b(?! (?:with|in|at|here|there"
            r"|on|like|off))|\bwanted to be"
            r" alive\b|\bfighting to stay alive\b|\b(?:not|no) wanting to (?:live|be here|be alive"
            r"|exist|wake up|go on)\b"
        ),
        False,
    ),
    (
        "feels others would be better off without them",
        (
            r"\b(?:easier|better) (?:for everyone )?if i (?:just )?(?:wasnt|werent|was not|were not)"
            r" (?:here|around|alive)\b|\b(?:world|everyone|everybody|they|family|kids) (?:would be"
            r"|d be|will be) (?:lighter|better|easier|happier) without me(?: in it)?(?: \||$)"
            r"|\b(?:feel|feeling|felt) like (?:a|such a|an) burden(?: \||$| to (?:everyone|everybody"
            r"|them|people|you|all|my (?:family|wife|husband|partner|kids|children|parents|friends"
            r"|mum|mom|dad)))|\b(?:doing|do) (?:everyone|them|the world|my family) a"
            r" favou?r\b[a-z ]{0,20}\b(?:not being here|dying|being gone|if i)"
        ),
        False,
    ),
    (
        "has the means to harm themselves",
        (
            r"\bhow (?:many|much)\b[a-z ]{0,40}\b(?:it would|would it|it will|it takes|to take)\b"
            r"[a-z |]{0,40}\b(?:i (?:have|got) (?:that many|that much|enough|them)|ive got (?:that"
            r" many|that much|enough)|(?:he|she|they) wont notice)\b"
        ),
        False,
    ),
    (
        "says they may not be alive soon",
        r"\b(?:nobody|no one|noone|nothing) (?:will|can|is going to) stop me this time\b",
        False,
    ),
    (
        "hopeless about going on living",
        (
            r"\bno point (?:in|to|of) (?:any of (?:it|this)|it all)(?: anymore)?(?: \||$)"
            r"|\b(?:everything|life|it all) (?:feels|seems|is) (?:so |completely |totally )?hopeless\b"
            r"|\bwhy i (?:even )?bother (?:anymore|at all)(?: \||$)|\bno way back(?: \||$)"
            r"|\b(?:cant|cannot|dont) see myself (?:being )?(?:around|here|alive) (?:in|by|next)\b"
            r"|\bdont care (?:what happens to me|if i wake up|about living)(?: anymore| now)?(?: \||$)"
            r"|\b(?:cant|dont) see why (?:id|i would|i should|i) (?:keep going|go on|carry on)\b"
            r"|\bgiv\w* up on everything(?: \||$)|\bcant face another (?:day|week|year|month) (?:of"
            r" this|like this)\b"
        ),
        False,
    ),
    (
        "thinks about dying or a way to die",
        (
            r"\bwhich (?:of my |of the )?(?:meds|pills|tablets|medication|bridge|method)\b[a-z ]{0,20}"
            r"\bwould (?:do it|kill|work)\b"
        ),
        True,
    ),
    (
        "says they may not be alive soon",
        (
            r"\b(?:time|going) (?:for me )?(?:i |to )?check out (?:a bit |a little )?early(?: \||$)"
            r"|\bmy (?:last|final) (?:hours|moments)\b|\bmy (?:last|final) day(?: \||$| alive| on earth)"
            r"|\bif im (?:still )?alive (?:tomorrow|by|in the morning|next|after)\b"
            r"|\b(?:about to|going to|ready to) (?:fall asleep|sleep|go to sleep) (?:forever|and never"
            r" wake up|and not wake up)\b"
        ),
        False,
    ),
    (
        "describes a plan or method",
        (
            r"\b(?:courage|nerve) for when i (?:jump|do it)\b|\bplan and the (?:tools|means|stuff|pills"
            r"|rope)\b|\bthe means to (?:end it|end my life)\b|\bkeeping me from (?:following through"
            r"|doing it|going through with it)\b"
        ),
        True,
    ),
    (
        "talks of killing themselves",
        r"\b(?:drink|drinking|starve|starving) myself to death\b",
        True,
    ),
    (
        "hopeless about going on living",
        r"\bonly reason (?:im|i am) still (?:here|alive)\b",
        False,
    ),
)

_RISK_COMPILED = tuple((reason, re.compile(expr), negatable) for reason, expr, negatable in _RISK)


def _words(*names: str) -> frozenset[str]:
    return frozenset(name for group in names for name in group.split())


#: One gate per expression, in the order of ``_RISK``: a word the expression
#: cannot match without, or a small expression for stems with typos. An expression
#: whose gate is shut is not run, so most messages (scheduling, thanks, billing)
#: cost a set intersection. A test checks the gates never hide a match.
_SUICIDE_GATE = re.compile(_SUICID)
# Stems with typos or inside longer words become these pseudo-words before gating.
_SUICIDE_WORD, _OVERDOSE_WORD, _SELF_WORD = "<suicide>", "<overdose>", "<self>"
_NUMBER_WORD = "<number>"  # a number of two digits or more ("took 30")
_NUMBER = re.compile(r"\b\d\d")
_PLACE_WORDS = (
    "bridge footbridge viaduct roof rooftop roofs cliff cliffs ledge tracks railway level crossing"
    " overpass top deck platform"
)
_SOFT_PLACE_WORDS = (
    "river canal sea beach pier harbour reservoir lake quarry balcony platform station dam weir"
    " motorway car multistorey hill woods forest railway"
)
_Gate = tuple[frozenset[str], ...]  # every set must share a word with the message
_GATES: tuple[_Gate, ...] = (
    (_words(_SUICIDE_WORD),),
    (_words(_SUICIDE_WORD),),
    (_words(_SUICIDE_WORD),),
    (_words("kill killing killed"),),
    (_words("end ending life"),),
    (_words("die dye"),),
    (_words("dead die funeral"),),
    (_words("want wish wanna"), _words("dont longer never")),
    (_words("exist existing wake forever disappear sleep gone"),),
    (_words("alive wont anymore think sure worry tonights where longer long still"),),
    (_words("dying die death dead"),),
    (_words("point reason sense use"),),
    (_words("worth reason way bother future"),),
    (_words("cant cannot unable"),),
    (
        _words(
            "tired sick exhausted weary enough done finished giving give gave given stop end over"
        ),
    ),
    (_words("better wasnt werent gone dead died burden miss notice care"),),
    (_words("plan planned planning know worked decided figured picked id"),),
    (
        _words(
            "ways way method methods googling googled google search searching searched looking",
            "looked look up research researching researched reading read many much",
        ),
    ),
    (
        _words(
            "stockpile stockpiled stockpiling stockpiles saving saved collecting collected hoarding",
            "hoarded stashed stashing noose rope gun razor blade blades pills tablets meds",
            "medication knife engine myself",
        ),
    ),
    (_words(_OVERDOSE_WORD),),
    (
        _words("took taken take taking swallowed swallow downed necked had"),
        _words(
            "all whole load loads lots lot bunch handful handfuls bottle packet packets box boxes",
            "strip strips too everything twenty thirty forty fifty sixty hundred month months pills",
            "tablets meds",
            _NUMBER_WORD,
        ),
    ),
    (_words("take swallow down neck"), _words("all lot everything every whole")),
    (
        _words(
            "bleach antifreeze anti weedkiller weed rat poison drain pesticide paraquat lighter",
            "white methanol screenwash",
        ),
    ),
    (_words(_SELF_WORD),),
    (_words("myself"),),
    (
        _words(
            "wrist wrists arm arms leg legs thigh thighs skin stomach cutting urge urges bled pain"
        ),
    ),
    (_words("urge urges pain"),),
    (_words("tried try trying attempted attempt"),),
    (
        _words(
            "bridge roof rooftop roofs cliff cliffs railway railways tracks ledge top overpass edge"
        ),
    ),
    (
        _words(
            "jump jumping drive driving crash crashing crashed steer steering swerve swerving",
            "purpose throw throwing threw fling hurl",
        ),
    ),
    (
        _words("safe promise guarantee say"),
        _words("safe hurt harm anything something kill act"),
    ),
    (_words("scared afraid frightened terrified worried stupid silly drastic through"),),
    (_words("trust"),),
    (_words("goodbye goodbyes last note notes letter letters time sorry love before hear"),),
    (
        _words("things stuff belongings possessions will"),
        _words("given giving gave give sorted sorting written made wrote updated writing"),
    ),
    (_words("taken took swallowed downed necked taking"),),
    (_words("cut tied tying put harmed selfharmed"),),
    (_words("hose hosepipe garage drove driven walked went gone lined"),),
    (_words("know doing planned booked set walk ending end"),),
    (_words("wont will not ill dead need"),),
    (_words("stop trust"),),
    (_words("shouting screaming yelling texted messaged saying said coming hands hand arm"),),
    (_words("kill stab shoot murder hurt"),),
    (_words("taken swallowed took wake note drive crash"),),
    (_words("voice voices"),),
    (
        _words(
            "threat threats threatened threatening threatens kill hurt finish stab shoot knife gun",
            "weapon hit hits hitting beat beats beating strangled choked choking punched kicked",
            "strangling attacking hiding",
        ),
    ),
    (
        _words(
            "hit hits hitting beat beats beating strangled choked choking punched kicked keeps",
            "kill hurt",
        ),
    ),
    (_words("herself himself themselves themself jump life"),),
    (_words("die herself himself themselves themself life"),),
    # The kinds as clients write them.
    (_words(_PLACE_WORDS, "wrong feet legs edge", _SOFT_PLACE_WORDS),),
    (
        _words(
            "garage bath hairdryer dryer toaster heater weight branch beam belt rope cable",
            "railing bannister banister hook enough",
        ),
    ),
    (
        _words(
            "saved saving stockpiled stockpiling hoarded hoarding collected collecting stashed",
            "stashing kept keeping built held holding",
        ),
    ),
    (
        _words(
            "all whole enough months month weeks packets boxes strips bottles everything",
            _NUMBER_WORD,
        ),
    ),
    (_words("front next beside hand lap counting lined"),),
    (_words("out so"),),
    (_words("charcoal key opened popped block"),),
    (
        _words(
            "spot day date which planned where crossing fast there finish back home",
        ),
    ),
    (_words("finish finishing stop check checking"),),
    (
        _words("do doing finish"),
        _words(
            "everyone house kids nobody one anniversary home tonight monday tuesday wednesday",
            "thursday friday saturday sunday",
        ),
    ),
    (_words("broke snapped loose gave tried try trying attempted jumped"),),
    (_words("something far"),),
    (_words("harmed selfharmed bled again deeper cutting through"),),
    (
        _words(
            "safe alive here around make survive hold hang last longer stopping holding resist stop"
        ),
    ),
    (_words("scared afraid frightened terrified worried something"),),
    (
        _words(
            "voice voices whisper whispers whispering whisperings whispered command commands",
            "hearing head telling tell told saying say says said ordering commanding",
        ),
    ),
    (
        _words(
            "knife knives gun weapon bat hammer machete axe crowbar blade kill finish stab shoot",
            "survive dead alive leave hurt pay restraining injunction molestation protection",
            "locked locking let letting burn fire smashing breaking kicking banging trying",
            "following followed strangled choked hit beat punched kicked stabbed pushed hiding",
            "outside door downstairs found",
        ),
    ),
    (
        _words(
            "herself himself themselves themself life cut slashed roof bridge cliff cliffs ledge",
            "tracks railway balcony viaduct garage goodbye farewell suicide pic picture photo",
            "video snap note empty given gave giving",
        ),
    ),
    (_words("last gone whoever affairs peace here around"),),
    (
        _words(
            "wish wishing wished heart mind care hit killed forever wake disappear vanish here",
            "fade gone meant waiting",
        ),
    ),
    (
        _words(
            "thoughts thought thinking think image images fantasise fantasised fantasising fantasize",
            "fantasized fantasizing fantasies dying death mind brain",
        ),
    ),
    (
        _words(
            "point nothing longer will life future see reason hopeless hope",
        ),
    ),
    (_words("hate fed wanted fighting wanting"),),
    (_words("easier better lighter happier burden favour favor"),),
    (_words("many much"),),
    (_words("stop"),),
    (_words("point hopeless bother way see care giving give gave given face"),),
    (_words("which"),),
    (_words("check last final alive forever wake"),),
    (_words("courage nerve guts plan means keeping stopping"),),
    (_words("death"),),
    (_words("reason"),),
)
if len(_GATES) != len(_RISK_COMPILED):  # pragma: no cover - a mistake when editing the lists
    raise AssertionError("crisis expressions and their gates are out of step")
# The gates inverted: each word to the gate sets it belongs to, and each set to the
# expressions that require it, so a message only visits expressions it can open.
_SETS = tuple(dict.fromkeys(required for gate in _GATES for required in gate))
_SET_INDEX = {required: index for index, required in enumerate(_SETS)}
_REQUIREMENTS = tuple(frozenset(_SET_INDEX[required] for required in gate) for gate in _GATES)
_WORD_SETS: dict[str, tuple[int, ...]] = {}
for _index, _required in enumerate(_SETS):
    for _word in _required:
        _WORD_SETS[_word] = (*_WORD_SETS.get(_word, ()), _index)
_SET_EXPRESSIONS: dict[int, tuple[int, ...]] = {}
for _expression, _needs in enumerate(_REQUIREMENTS):
    for _index in _needs:
        _SET_EXPRESSIONS[_index] = (*_SET_EXPRESSIONS.get(_index, ()), _expression)


def _candidates(words: set[str]) -> list[int]:
    """The expressions, in order, whose every gate set shares a word with ``words``."""
    present: set[int] = set()
    for word in words:
        sets = _WORD_SETS.get(word)
        if sets is not None:
            present.update(sets)
    if not present:
        return []
    touched = {expression for index in present for expression in _SET_EXPRESSIONS[index]}
    return sorted(e for e in touched if _REQUIREMENTS[e] <= present)


_GOODBYE_GATE = _words(
    "thank thanks goodbye bye sorry mean look wont done ready forgive sorted sorting everything",
    "left made written updated closed paid deleted gave given rehomed giving dog cat time whoever",
    "you tomorrows todays tonights tomorrow today fault dealing note goodnight",
)

# Words that, right in front of a match in the same clause, negate it.
_NEGATORS = frozenset(
    {
        "not",
        "never",
        "no",
        "dont",
        "didnt",
        "doesnt",
        "wont",
        "wouldnt",
        "isnt",
        "arent",
        "havent",
        "hasnt",
        "nothing",
        "nor",
        "without",
        "stopped",
        "free",
        "zero",
    }
)
# Words that start a new thought between a negator and a match, ending its reach.
_NEGATION_BREAKERS = frozenset(
    {
        "i",
        "im",
        "ive",
        "id",
        "ill",
        "but",
        "just",
        "and",
        "so",
        "because",
        "cos",
        "yet",
        "still",
        "really",
        "actually",
        "honestly",
        "though",
        "it",
        "its",
        "this",
        "that",
    }
)
_NEGATION_WINDOW = 5

_HISTORY = re.compile(
    r"\bused to\b|\byears ago\b|\b(?:months|years) since\b|\blast year\b|\bback in (?:the (?:day|days"
    r"|old days|\w+ ages|\d+s|\w+ties)|\d{4}|those days|my|school|uni|college|high school|year"
    r"|primary|secondary)\b"
    r"|\bas a (?:teen\w*|kid|child|student)\b|\bin my (?:teens|twenties|thirties|youth)\b"
    r"|\bwhen (?:i|we|she|he|they) (?:was|were) (?:a |at )?(?:teen\w*|kids?|young\w*|child\w*"
    r"|school|uni\w*|little|small|younger)\b|\bat school\b|\bin the past\b|\b(?:a|one|two|three"
    r"|\d+) (?:years?|decades?) ago\b|\bsince my last\b|\bfor (?:over )?(?:a|one"
    r"|two|three|six|\d+) (?:years?|months)\b|\bbefore i was born\b|\bhistory of\b"
)
_RECENT = re.compile(
    r"\b(?:again|tonight|today|now|right now|currently|still|this week|last night|yesterday"
    r"|this morning|recently|relapsed|started|starting)\b"
)

_REASSURANCE = re.compile(
    r"\b(?:im|i am) not (?:suicidal|going to (?:hurt|harm|kill|do)|in (?:any )?danger|at risk"
    r"|unsafe|thinking (?:about|of) (?:suicide|ending|killing|hurting))\b"
    r"|\b(?:never|not) (?:felt|feel|been|am|was|feeling) (?:suicidal|unsafe)\b"
    r"|\bnever (?:hurt|harm|kill|do anything to|do anything) ?(?:myself)?\b"
    r"|\bno (?:thoughts|plans|intention|intent|urges?|risk) (?:of|to|about|that)\b"
    r"|\b(?:dont|do not) have (?:any )?(?:suicidal|thoughts of|plans to)\b"
    r"|\b(?:im|i am|feeling|i feel|i m) (?:safe|not in danger)\b"
    r"|\bnot (?:in (?:any )?danger|at risk)\b|\bdont want to die\b"
    r"|\bnot going to do anything\b|\b(?:isnt|not) something (?:id|i would) (?:ever )?consider"
    r"\b|\b(?:no|free of|without) (?:self ?harm|cutting)\b|\bnever (?:tried|attempted)\b"
    r"|\bsafety plan\b|\bself ?harm free\b|\b(?:days|weeks|months|years) (?:clean|sober"
    r"|self ?harm free)\b|\b(?:clean|sober) (?:for|since)\b"
)
_FIGURATIVE = re.compile(
    r"\bkilling me\b|\bkill for\b|\bcould (?:kill|murder)\b|\bdying (?:to|for)\b"
    r"|\bto die for\b|\bdead (?:tired|on my feet|beat)\b|\b(?:phone|battery|laptop|car|boiler"
    r"|tablet|ipad|computer|charger|plant)s? (?:is |s |was |has |went |just )?(?:dead|died|dying)"
    r"\b|\b(?:killing|killed|smashed|smashing) it\b|\bim dead\b|\b(?:died|dying|die) "
    r"(?:laughing|of (?:embarrassment|shame|laughter|boredom|cringe|happiness|envy|jealousy))\b"
    r"|\bdeath of me\b|\b(?:kill|murder|killed) me (?:lol|haha|when|if im late)\b|\bmurder a\b"
    r"|\bkiller\b|\bgoing to kill me\b.*\b(?:lol|haha|forgot|late)\b|\bdead (?:phone|battery)\b"
    r"|\b(?:career|political|social|professional|commercial|electoral|brand|financial"
    r"|reputational) suicide\b|\bsuicidal (?:tactic|move|strategy|mission|pace|policy|decision"
    r"|business|gamble|bid|run|overtaking|driving)\b"
)


#: Saying one will not attend ("I won't make tonight", "can't be in on Thursday"),
#: with what is missed named. "I won't make it (through) tonight" and "I'm not going to
#: make it to Friday" may be about surviving, so they are not attending.
_ATTENDING = re.compile(
    r"\b(?:wont|cant|cannot|will not|wont be able to|not able to|unable to)"
    r" (?:make(?: it in| it along)?|come(?: in)?|be in|attend|get (?:there|in))"
    r"(?: (?:our|my|the|this|tonights?|todays?|tomorrows?))?"
    r" (?:tonight|today|tomorrow|session|appointment|class|group|this evening|this week|on|at"
    r"|till|until|(?:mon|tues|wednes|thurs|fri|satur|sun)day)\b"
)


def _negated(clean: str, start: int) -> bool:
    """Whether a negator governs the match starting at ``start``."""
    before = clean[:start].rsplit("|", 1)[-1].split()[-_NEGATION_WINDOW:]
    for word in reversed(before):
        if word in _NEGATORS:
            return True
        if word in _NEGATION_BREAKERS:
            return False
    return False


_MEDIA = frozenset(
    {
        "film",
        "movie",
        "documentary",
        "book",
        "novel",
        "article",
        "programme",
        "program",
        "show",
        "podcast",
        "series",
        "news",
        "training",
        "course",
        "leaflet",
        "lecture",
        "talk",
        "episode",
        "story",
        "song",
        "play",
        "poster",
        "campaign",
        "research",
        "study",
        "paper",
    }
)


def _mentioned(clean: str, start: int) -> bool:
    """Whether the match is the subject of some media ("a film about self-harm")."""
    before = clean[:start].rsplit("|", 1)[-1].split()[-4:]
    return bool(before) and before[-1] in {"about", "on"} and not _MEDIA.isdisjoint(before)


def _historical(clean: str, start: int, end: int) -> bool:
    """Whether the clause around a match places it in the past and nothing brings it back."""
    left = clean.rfind("|", 0, start) + 1
    right = clean.find("|", end)
    clause = clean[left : right if right != -1 else len(clean)]
    return _HISTORY.search(clause) is not None and _RECENT.search(clause) is None


# ---------------------------------------------------------------------- levels
#: Reasons that show a wish, thoughts, urges or hopelessness: ``concern`` on their own
#: (docs/risk-levels.md). Every other reason is ``urgent``: intent, a plan, means at
#: hand, preparations, an act now, a dangerous place, cannot keep safe, voices,
#: danger from another person.
_CONCERN_REASONS = frozenset(
    {
        "talks of suicide or suicidal thoughts",
        "talks of killing themselves",
        "talks of ending their life",
        "says they want to die",
        "says they do not want to live",
        "says they are not afraid of dying",
        "hopeless about going on living",
        "tired of living",
        "feels others would be better off without them",
        "has looked up a method",
        "mentions self-harm",
        "reports violence or threats from another person",
        "someone else talks of wanting to die",
        "wishes they were dead or gone",
        "thinks about dying or a way to die",
    }
)
#: Concern reasons that intent or a time in the same clause makes urgent: "I want to
#: kill myself" is a wish, "I'm going to kill myself" and "... tonight" are not.
_LIFTED_BY_INTENT = frozenset(
    {
        "talks of suicide or suicidal thoughts",
        "talks of killing themselves",
        "talks of ending their life",
        "says they want to die",
        "says they do not want to live",
        "mentions self-harm",
    }
)
#: Of those, the ones about ending one's life, which means or a near time anywhere in
#: the message make urgent.
_LIFTED_BY_MEANS = _LIFTED_BY_INTENT - {"mentions self-harm"}
#: A message that already shows suicidal thoughts is urgent when it also names means
#: at hand or a time that is now or close, anywhere in it: thoughts with means or a
#: time are a plan in the making (docs/risk-levels.md).
_MEANS_OR_SOON = re.compile(
    r"\b(?:gun|guns|pistol|rifle|shotgun|firearm|bullets?|noose|rope|razor|blades?|knife"
    r"|helium|charcoal|exhaust|ligature|pills (?:ready|saved|lined up|counted)|tonight"
    r"|in (?:a few|few|two|2|three|3|an|a couple of) (?:more )?hours|this weekend|tomorrow"
    r"|(?:my|the) last (?:day|night|hours|post|message|words)|final (?:goodbye|day|night|hours)"
    r"|goodbye|happening|about to|ready to|decided|made up my mind|wont fail)\b"
)
#: ... in a message of at most this many distinct words: in a long letter or a forum
#: post, "gun" or "tomorrow" is as likely to belong to another thought.
_MEANS_REACH_WORDS = 60
_INTENT = re.compile(
    r"\b(?:going to|about to|ready to|decided|made up my mind|planning to|plan to|intend to"
    r"|intending to|i will|ill|im doing it|tonight|right now|this weekend|tomorrow"
    r"|before (?:the|my) (?:weekend|next session|session))\b"
)
#: Acts (self-harm, an attempt, an overdose) are urgent when the writer did them and
#: nothing puts them days or weeks back; over and recent, or someone else's told as
#: news, they are a ``concern`` (unless the clause says it is happening now).
_DATED_ACTS = frozenset(
    {"describes hurting themselves", "mentions a suicide attempt", "mentions an overdose"}
)
_FIRST_PERSON = re.compile(r"\b(?:i|ive|im|id|ill|me|my|myself|just)\b")
_DAYS_AGO = re.compile(
    r"\b(?:last (?:week|month|weekend|monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
    r"|(?:a|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|few|a few|couple of"
    r"|a couple of|several|\d+) (?:days|weeks|months) ago"
    r"|(?:a|one) (?:week|month) ago|in (?:january|february|march|april|may|june|july|august"
    r"|september|october|november|december)|over the (?:summer|holidays)|earlier this (?:month"
    r"|year))\b"
)


#: ... or tells of a pattern that has come back ("I've been cutting again"): a relapse,
#: unless the clause also says it happened just now.
_RELAPSE = re.compile(
    r"\b(?:been|started|starting|back to) \w+ing(?: myself)? again\b|\bhave been \w+ing\b"
    r"|\bive been \w+ing\b"
)
_JUST_NOW = re.compile(
    r"\b(?:just|right now|tonight|last night|today|this morning|this evening|yesterday"
    r"|an hour ago|(?:a few|two|2|three|3) hours ago|minutes ago)\b"
)


def _clause(clean: str, start: int, end: int) -> str:
    left = clean.rfind("|", 0, start) + 1
    right = clean.find("|", end)
    return clean[left : right if right != -1 else len(clean)]


def _level(reason: str, clean: str, start: int, end: int) -> RiskLevel:
    """The level one match of ``reason`` shows, read with the clause around it."""
    if reason in _DATED_ACTS:
        clause = _clause(clean, start, end)
        if _JUST_NOW.search(clause) is not None:
            return RiskLevel.URGENT
        over = _DAYS_AGO.search(clause) is not None or _RELAPSE.search(clause) is not None
        mine = _FIRST_PERSON.search(clause) is not None
        return RiskLevel.CONCERN if over or not mine else RiskLevel.URGENT
    if reason not in _CONCERN_REASONS:
        return RiskLevel.URGENT
    if reason in _LIFTED_BY_INTENT and _INTENT.search(_clause(clean, start, end)) is not None:
        return RiskLevel.URGENT
    return RiskLevel.CONCERN


_GOODBYE_CUES = re.compile(
    r"\b(?:thank you|thanks) for (?:everything|all you(?:ve)? (?:done|tried)|all your help"
    r"|trying|everything you|all you did|all the time)\b|\bgoodbye\b|\bbye\b"
    r"|\bsorry for everything\b|\bi mean it\b|\blook after yourself\b|\bwont (?:need|be needing)"
    r" (?:any more |anymore )?(?:sessions|appointments|them|it|you)\b|\bim (?:done|ready)(?: \||$)"
    r"|\bforgive me\b"
    # Preparations: each ordinary alone, a farewell with another cue.
    r"|\b(?:sorted|sorting) (?:everything|it all)(?: out)?(?: \||$)|\bsorting out who gets\b|\beverything is (?:done|sorted)\b"
    r"|\bleft (?:instructions|the passwords|my passwords|letters)\b|\bwritten (?:everything|it all)"
    r" down for\b|\b(?:made|written|updated) (?:a|my)"
    r" will\b|\bclosed (?:all )?my (?:bank )?accounts\b|\bpaid off everything\b"
    r"|\bdeleted (?:all )?my (?:socials|accounts|profiles|social media)\b"
    r"|\b(?:gave|given|rehomed|giving) (?:away )?(?:my|the) (?:dog|cat|cats|pets?|rabbits?|bird"
    r"|fish|hamster|guitar|things|stuff)\b|\b(?:the|my) (?:dog|cat) is going to\b"
    r"|\bit was the last time(?: \||$)|\bwhoever finds\b|\byou were one of the few\b"
    r"|\btell (?:her|him|them|my \w+) (?:that )?it (?:wasnt|was not|isnt) (?:her|his|their) fault\b|\b(?:hell|shell|theyll|he will|she will|they will) be dealing with my (?:paperwork"
    r"|things|affairs)\b|\bwon?t be (?:here|around)(?: \||$| anymore| much longer| for (?:them|it|long))|\bthe note\b|\bgoodnight and thank you\b"
)


#: What makes thanks and a goodbye an ordinary ending (therapy finished, a move, a new
#: job, "take care"), not a farewell before death (docs/risk-levels.md, hard cases).
_ORDINARY_ENDING = re.compile(
    r"\b(?:new job|moving|move to|moved|therapy (?:has )?(?:ended|finished)|now that (?:we|therapy)"
    r"|(?:our|my) (?:last|final) session|for now|see you|take care|all the best|best wishes"
    r"|good luck|keep in touch|(?:much|so much|a lot) better|back (?:at|to) work"
    r"|sorted(?! (?:everything|it all|out who))"
    r"|retir\w*|graduat\w*|recommend|holiday|detox|a break from)\b"
)


def assess(text: str, *, prefilter: bool = True) -> RiskAssessment:
    """Find expressions of risk in ``text`` (and reassurance that tempers the model).

    ``prefilter=False`` runs every expression regardless of its gate; only tests
    use it, to prove the gates hide nothing.
    """
    clean = _clean(text)
    words = set(clean.split())
    if "s" in clean and _SUICIDE_GATE.search(clean) is not None:
        words.add(_SUICIDE_WORD)
    if "overdos" in clean:
        words.add(_OVERDOSE_WORD)
    if "self" in clean:
        words.add(_SELF_WORD)
    if _NUMBER.search(clean) is not None:
        words.add(_NUMBER_WORD)
    reasons: list[str] = []
    level = RiskLevel.NONE
    suppressed = False
    chosen = _candidates(words) if prefilter else range(len(_RISK_COMPILED))
    for index in chosen:
        reason, expression, negatable = _RISK_COMPILED[index]
        if reason in reasons and (level is RiskLevel.URGENT or reason not in _LIFTED_BY_INTENT):
            continue
        for match in expression.finditer(clean):
            if negatable and _negated(clean, match.start()):
                suppressed = True
                continue
            if _historical(clean, match.start(), match.end()) or _mentioned(clean, match.start()):
                suppressed = True
                continue
            if reason not in reasons:
                reasons.append(reason)
            level = RiskLevel.worst(level, _level(reason, clean, match.start(), match.end()))
            if level is RiskLevel.URGENT or reason not in _LIFTED_BY_INTENT:
                break
    if (
        not reasons
        and not (prefilter and _GOODBYE_GATE.isdisjoint(words))
        and len(_GOODBYE_CUES.findall(clean)) >= 2
        and _ORDINARY_ENDING.search(clean) is None
    ):
        reasons.append(_FAREWELL)
        level = RiskLevel.URGENT
    if (
        level is RiskLevel.CONCERN
        and not _LIFTED_BY_MEANS.isdisjoint(reasons)
        and len(words) <= _MEANS_REACH_WORDS
        and _MEANS_OR_SOON.search(clean) is not None
    ):
        level = RiskLevel.URGENT
    return RiskAssessment(reasons=tuple(reasons), suppressed=suppressed, level=level)


def reassures(text: str) -> bool:
    """Whether ``text`` denies risk ("I'm safe", "not suicidal") or uses death figuratively.

    Called only when the model alone would raise a crisis, so it costs nothing
    on most messages.
    """
    clean = _clean(text)
    return _REASSURANCE.search(clean) is not None or _FIGURATIVE.search(clean) is not None


def about_attending(text: str) -> bool:
    """Whether ``text`` says the writer will not come to something ("won't make tonight").

    The urgency head reads "won't" and "tonight" as danger; in a message about missing
    a session they are logistics. Only the head's reading is held back by this: an
    expression of risk in the same message still raises its own level.
    """
    return _ATTENDING.search(_clean(text)) is not None
