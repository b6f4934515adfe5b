"""The guard's expressions, compiled once at import.

Every gap between words is bounded (``.{0,40}``, ``(?:\\w+\\s+){0,3}``) and no
quantifier is nested inside another, so each pattern runs in time linear in the
draft. Patterns match lower- and upper-case alike; a few parts that need a
capital letter (street names, postcodes) switch case-sensitivity back on locally.
"""

from __future__ import annotations

import re

__all__ = [
    "APPOINTMENT",
    "CHECK_IN",
    "CLINICAL_TERM",
    "CONNECTION_OFFER",
    "ENDORSEMENT_REQUEST",
    "LOCK_SCREEN_WORDS",
    "REVIEW_REPLY",
    "SESSION_CONTENT",
    "STREET_ADDRESS",
    "TYPOGRAPHIC",
    "WHEREABOUTS",
]

_FLAGS = re.IGNORECASE

#: Curly quotes and dashes to their plain forms, one character for one, so spans still line up.
TYPOGRAPHIC = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-"})


def _words(*alternatives: str) -> str:
    return "(?:" + "|".join(alternatives) + ")"


_DAY = _words(
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "mon",
    "tues?",
    "weds?",
    "thurs?",
    "fri",
)
_TIME = r"(?:\d{1,2}(?:[:.]\d{2})?\s?(?:am|pm|a\.m\.|p\.m\.)|\d{1,2}[:.]\d{2}|noon|midday)"
_MEETING = _words(
    "appointments?",
    "appts?",
    "sessions?",
    "bookings?",
    "consultations?",
    "slots?",
    "meetings?",
    "call",
)
_PLATFORM = _words(
    "google",
    "yelp",
    "trustpilot",
    "psychology today",
    "facebook",
    "instagram",
    "linkedin",
    "healthgrades",
    "zocdoc",
    "counselling directory",
    "counseling directory",
    "therapy den",
    "nextdoor",
    "tiktok",
    "youtube",
    "twitter",
    "x",
)

# ------------------------------------------------------------------ no-social-business
#: Appointment business: booking, moving, cancelling, confirming, lateness, availability.
APPOINTMENT = re.compile(
    "|".join(
        [
            (
                r"\b(?:re-?)?(?:book|schedul|reschedul|cancel|mov|chang|swap|confirm|arrang|postpon)\w*"
                rf"\s+(?:(?:\w+|'s)\s+){{0,3}}?{_MEETING}\b"
            ),
            (
                rf"\b{_MEETING}\s+(?:\w+\s+){{0,3}}?(?:is|was|has\s+been|are)\s+"
                r"(?:moved|cancell?ed|rescheduled|confirmed|booked|changed|still\s+on|on\s+for)\b"
            ),
            (
                rf"\bsee\s+you\s+(?:on\s+|at\s+|next\s+|this\s+|in\s+session|tomorrow|tonight|then\b|"
                rf"{_DAY}\b|\d)"
            ),
            rf"\b{_DAY}\s+(?:at\s+|from\s+)?{_TIME}",
            r"\bpencil\s+(?:you|me)\s+in\b",
            (
                rf"\b(?:your|our|the|next|first)\s+(?:next\s+)?{_MEETING}\s+(?:\w+\s+)?"
                r"(?:is\s+|on\s+|at\s+|for\s+)"
                rf"(?:\w+\s+){{0,2}}?(?:{_DAY}|{_TIME}|tomorrow|today|next\s+week|\d)"
            ),
            r"\b(?:are|is|would)\s+(?:you|\w+day)\s+(?:be\s+)?(?:free|available)\b",
            (
                rf"\b(?:free|available|availability|openings?|space)\s+(?:on|at|this|next)\s+"
                rf"(?:{_DAY}|{_TIME}|week|morning|afternoon|evening|\d)"
            ),
            r"\b(?:can|could|shall)\s+(?:we|i|you)\s+(?:do|make\s+it|meet|move|switch|swap|change)\b",
            r"\brunning\s+(?:(?:a\s+(?:bit|few\s+minutes)|\d+\s+(?:mins?|minutes))\s+)?late\b",
            (
                r"\b(?:dm|message|text|inbox|pm|email)\s+(?:me|us)\s+(?:to|for)\s+(?:book|"
                r"an?\s+(?:appointment|place|slot|space|session)|a\s+place)"
            ),
            r"\b(?:to\s+book|book\s+(?:in|a|an|your)\b)",
            r"\b(?:late\s+)?cancellation\s+(?:fee|policy|charge)\b",
            r"\b(?:fully\s+booked|waiting\s+list|wait-?list)\b",
            rf"\breminder\s*[:-]?\s*(?:of\s+|for\s+|about\s+)?(?:your\s+|our\s+|the\s+)?{_MEETING}\b",
            rf"\breminder\s*:\s*(?:\w+\s+){{0,3}}?(?:tomorrow|today|{_DAY}|{_TIME})",
        ]
    ),
    _FLAGS,
)

# --------------------------------------------------------------------------- reviews
#: Words that answer a review: thanking for it, responding to it, having read it.
REVIEW_REPLY = re.compile(
    "|".join(
        [
            (
                r"\b(?:thank(?:s|\s+you)|cheers)\b[^.!?\n]{0,60}?\b(?:reviews?|ratings?|testimonial|"
                r"\d[- ]?stars?|(?:five|four|three|two|one)[- ]stars?)\b"
            ),
            (
                r"\b(?:read|saw|seen|seeing|reading|noticed|came\s+across)\s+(?:your|the|this|that)\s+"
                r"(?:\w+\s+){0,3}?(?:reviews?|ratings?)\b"
            ),
            r"\b(?:reviews?|ratings?|comments?)\s+(?:you\s+)?(?:left|wrote|posted|gave|shared)\b",
            (
                r"\b(?:you|someone)\s+(?:have\s+|has\s+)?(?:left|wrote|written|posted)\s+(?:(?:me|us)\s+)?"
                r"(?:a|an|the|this|that)\s+(?:\w+\s+){0,2}?(?:reviews?|ratings?)\b"
            ),
            (
                r"\b(?:response|reply|responding|replying|respond)\s+to\s+(?:your|the|this|a|that)\s+"
                r"(?:\w+\s+){0,2}?(?:reviews?|ratings?)\b"
            ),
            r"\bsorry\b[^.!?\n]{0,40}?\b(?:your|the|this)\s+(?:\w+\s+){0,2}?(?:reviews?|ratings?)\b",
            (
                r"\b(?:your|the)\s+(?:\w+\s+){0,2}?(?:review|rating)\s+(?:of|about)\s+"
                r"(?:us|me|the\s+practice|my\s+practice|our\s+practice)\b"
            ),
        ]
    ),
    _FLAGS,
)

# ------------------------------------------------------------------- no-endorsements
_PAGE = _words(
    "page",
    "post",
    "posts",
    "profile",
    "account",
    "channel",
    "video",
    "reel",
    "photo",
    "picture",
    "instagram",
    "facebook",
    "tiktok",
    "twitter",
    "linkedin",
    "youtube",
    "substack",
)
#: What one follows on a platform (a feed of posts is what the policy offers instead).
_FOLLOWABLE = _words(
    "page",
    "profile",
    "account",
    "channel",
    "instagram",
    "facebook",
    "tiktok",
    "twitter",
    "linkedin",
    "youtube",
    "substack",
)
_REVIEW_NOUN = _words(
    "reviews?", "ratings?", "testimonials?", "recommendations?", "endorsements?", "stars?"
)
#: Asking for likes, follows, shares, reviews, ratings, testimonials, tags, referrals.
ENDORSEMENT_REQUEST = re.compile(
    "|".join(
        [
            # likes
            rf"\b(?:like|heart)\s+(?:(?:our|my|the|this)\s+(?:\w+\s+){{0,2}}?{_PAGE}|us\s+on)\b",
            (
                r"\bgiv(?:e|ing)\s+(?:us|me|the\s+page|the\s+post|it)\s+a\s+(?:like|follow|share|"
                r"thumbs\s+up|shout-?out|mention|plug)\b"
            ),
            r"\b(?:hit|smash|tap|click)\s+(?:the\s+|that\s+)?(?:like|heart|follow|subscribe)\b",
            r"\blikes?\s*(?:and|&|,)\s*(?:shares?|follows?|comments?)\b",
            # follows
            r"\bfollow\s+(?:us|me|the\s+practice)\s*(?:on\b|at\b|over\b|for\b|@|!|\.|$)",
            rf"\bfollow(?:ing)?\s+(?:our|my|the\s+practice'?s?)\s+(?:\w+\s+){{0,2}}?{_FOLLOWABLE}\b",
            r"\bfollow\s+@\w+",
            r"\bsubscribe\s+to\s+(?:my|our)\s+(?:\w+\s+)?(?:channel|youtube|podcast|page)\b",
            # shares and referrals
            r"\b(?:please|do|pls|kindly)\s+(?:re)?share\b",
            (
                rf"\bshare\s+(?:it|this|our|my)\s+(?:\w+\s+){{0,2}}?(?:{_PAGE}\s+)?with\s+"
                r"(?:your\s+)?(?:friends|followers|network|family|anyone|everyone|others|someone|somebody)\b"
            ),
            r"\b(?:spread\s+the\s+word|word\s+of\s+mouth|repost|retweet|reshare)\b",
            (
                r"\b(?:recommend|refer)\s+(?:us|me|the\s+practice|your\s+friends|friends|others)"
                r"(?:\s+to\b|\s+on\b)"
            ),
            # reviews, ratings, testimonials, endorsements
            (
                r"\b(?:leav(?:e|ing)|writ(?:e|ing)|post(?:ing)?|giv(?:e|ing)|drop(?:ping)?|"
                r"add(?:ing)?|pop(?:ping)?|put(?:ting)?|submit(?:ting)?|shar(?:e|ing))\s+"
                r"(?:(?:us|me)\s+)?"
                r"(?:an?\s+|your\s+|some\s+)?(?:(?:quick|short|honest|kind|brief|little|google|"
                r"online|positive|good|great|\d[- ]?star|five[- ]star|star|lovely|few)\s+){0,3}"
                rf"{_REVIEW_NOUN}"
            ),
            (
                r"\b(?:review|rate|rating|endorse|endorsing)\s+(?:us|me|the\s+practice|"
                r"my\s+(?:work|practice|services)|"
                r"our\s+(?:work|practice|services))\b"
            ),
            (
                r"\b(?:a|an)\s+(?:(?:quick|short|brief|little|honest|kind|good|positive)\s+)?"
                rf"(?:{_PLATFORM}\s+)?(?:review|rating|testimonial|recommendation|endorsement|"
                r"shout-?out)(?:\s+on\s+(?:my|our|the)\s+\w+)?\s+(?:would|could|really|means?|"
                r"helps?|goes)\b"
            ),
            (
                r"\b(?:share|shared|sharing|post|posting|write|writing|rate|rating|describe|"
                r"describing)\s+(?:about\s+)?(?:your\s+experiences?|a\s+few\s+(?:lines|words)|"
                r"some\s+(?:lines|words))\b.{0,40}?\b(?:on|at|via)\s+"
                rf"(?:{_PLATFORM}|my\s+(?:profile|page|website|listing)|the\s+(?:directory|listing))\b"
            ),
            r"/(?:write-?)?reviews?\b|\bwritereview\b",
            (
                r"\b(?:grateful|appreciate|love|value|welcome)\b.{0,30}?\b(?:an?\s+|your\s+|some\s+)"
                r"(?:\w+\s+){0,2}?(?:reviews?|ratings?|testimonials?|recommendations?)\b"
            ),
            r"\btestimonials?\b",
            r"\bendorse(?:ments?)?\b",
            (
                r"\b(?:leave|write|say|share|post|put)\s+(?:a\s+)?(?:few|couple\s+of|some)\s+"
                r"(?:\w+\s+)?words\b"
            ),
            rf"\b(?:feedback|stars)\s+(?:\w+\s+){{0,2}}?on\s+{_PLATFORM}\b",
            (
                r"\b(?:few|couple\s+of|some)\s+(?:kind\s+|nice\s+|good\s+)?words\s+(?:about|on|for)\s+"
                r"(?:working|our|my|me|us|the\s+practice|your\s+experience)\b"
            ),
            r"\bpass\s+(?:our|my|the\s+practice'?s?)\s+(?:details|name|number|card|website)\s+on\b",
            r"\bfollow\s+along\b",
            (
                r"\btell(?:ing)?\s+(?:others|people|friends|the\s+world)\s+about\s+"
                r"(?:your\s+experience|us|me|working|the\s+practice)"
            ),
            # tags
            r"\btag\s+(?:us|me|the\s+practice|@\w+|(?:a|your)\s+(?:friend|mate|buddy|bestie))\b",
        ]
    ),
    _FLAGS,
)

# -------------------------------------------------------------------- no-connections
#: Offering or accepting a connection on a social platform.
CONNECTION_OFFER = re.compile(
    "|".join(
        [
            rf"\b(?:add|connect\s+with|friend)\s+(?:me|us)\s+on\s+{_PLATFORM}\b",
            rf"\b(?:connect|be\s+friends|link\s+up)\s+(?:with\s+(?:me|us|you)\s+)?on\s+{_PLATFORM}\b",
            (
                r"\b(?:accepted|approved|sent|i'?ll\s+accept|i\s+will\s+accept|send\s+you)\s+"
                r"(?:you\s+|me\s+)?(?:your\s+|a\s+|my\s+)?"
                r"(?:friend|follow|connection)\s+requests?\b"
            ),
            r"\blet'?s\s+(?:connect|be\s+friends)\s+on\b",
        ]
    ),
    _FLAGS,
)

# -------------------------------------------------------------------------- location
#: Street types that are rarely ordinary words, matched in any case after a house number.
_STREET_TYPE_ANY_CASE = _words(
    "street",
    "st",
    "road",
    "rd",
    "avenue",
    "ave",
    "lane",
    "ln",
    "drive",
    "boulevard",
    "blvd",
    "terrace",
    "crescent",
    "gardens",
    "mews",
)
#: All street types, capitalised as in an address ("Baker Street", "Church Row").
_STREET_TYPE_NAME = (
    "(?-i:Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Boulevard|Blvd|Way|Place|Pl|Court|Ct|"
    "Square|Sq|Terrace|Crescent|Close|Row|Gardens|Mews|Parade|Grove|Hill|Walk)"
)
_PLACE_WORD = _words(
    "clinic",
    "practice",
    "office",
    "consulting\\s+rooms?",
    "therapy\\s+rooms?",
    "rooms",
    "surgery",
    "centre",
    "center",
    "suite",
    "building",
    "address",
)
_UK_POSTCODE = r"(?-i:\b[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}\b)"
_US_ZIP = r"(?-i:\b[A-Z]{2})\s+\d{5}(?:-\d{4})?\b|\bzip(?:\s+code)?\s*:?\s*\d{5}\b"
#: A street address, a street name next to the practice, or a postcode/ZIP with the practice.
STREET_ADDRESS = re.compile(
    "|".join(
        [
            rf"\b\d{{1,4}}[a-z]?,?\s+(?:[a-z]+\s+){{1,3}}{_STREET_TYPE_ANY_CASE}\b",
            (
                rf"\b\d{{1,4}}[a-z]?,?\s+(?-i:[A-Z][a-z]+)(?:\s+(?-i:[A-Z][a-z]+)){{0,2}}\s+"
                rf"{_STREET_TYPE_NAME}\b"
            ),
            (
                rf"\b(?:on|in|off|at)\s+(?-i:[A-Z][a-z]+)(?:\s+(?-i:[A-Z][a-z]+))?\s+"
                rf"{_STREET_TYPE_NAME}\b"
            ),
            rf"\b{_PLACE_WORD}\b.{{0,60}}?(?:{_UK_POSTCODE}|{_US_ZIP})",
            rf"(?:{_UK_POSTCODE}|{_US_ZIP}).{{0,60}}?\b{_PLACE_WORD}\b",
        ]
    ),
    _FLAGS,
)
#: Check-ins and "I'm at the clinic": where someone is, right now.
CHECK_IN = re.compile(
    "|".join(
        [
            r"\b(?:checked|checking|check)[- ]?in\s+(?:at|to|from|@)\b",
            r"\bcheck-?in\b.{0,30}?\b(?:clinic|practice|office|rooms)\b",
            r"📍",
            r"\b(?:live|current|pinned|my)\s+location\b",
            r"\blocation\s*:",
            r"\bfind\s+(?:us|me)\s+at\b",
            r"\b(?:tagged|geotagged)\s+(?:at|in)\b",
        ]
    ),
    _FLAGS,
)

#: Where the therapist is right now: harmless in a private text, a check-in on social media.
WHEREABOUTS = re.compile(
    "|".join(
        [
            (
                r"\b(?:i'?m|i\s+am|we'?re|we\s+are|currently|sitting)\s+(?:here\s+)?(?:at|in)\s+"
                rf"(?:the|my|our)\s+{_PLACE_WORD}\b"
            ),
            (
                rf"\b(?:at|in)\s+(?:the|my|our)\s+{_PLACE_WORD}\s+(?:all\s+day|today|tonight|now|"
                r"right\s+now|until|till|this\s+(?:morning|afternoon|evening))\b"
            ),
        ]
    ),
    _FLAGS,
)

# ------------------------------------------------------------- session-content-email
#: Clinical words that on their own, written to one person, are about their treatment.
_CLINICAL = _words(
    r"depress\w*",
    r"panic\s+attacks?",
    r"trauma\w*",
    r"ptsd",
    r"c-?ptsd",
    r"ocd",
    r"bipolar",
    r"psychosis",
    r"psychotic",
    r"hallucinat\w*",
    r"dissociat\w*",
    r"flashbacks?",
    r"nightmares?",
    r"intrusive\s+thoughts?",
    r"self[- ]?harm\w*",
    r"suicid\w*",
    r"overdos\w*",
    r"eating\s+disorder",
    r"anorexia",
    r"bulimia",
    r"bingeing",
    r"binge[- ]eating",
    r"purging",
    r"relaps\w*",
    r"sobriety",
    r"sober",
    r"triggered",
    r"addiction",
    r"diagnos\w*",
    r"medication",
    r"meds",
    r"antidepressants?",
    r"sertraline",
    r"fluoxetine",
    r"citalopram",
    r"grief",
    r"grieving",
    r"bereave\w*",
    r"miscarriage",
    r"abuse[ds]?",
    r"abusive",
    r"assault\w*",
    r"infidelity",
    r"low\s+mood",
    r"insomnia",
    r"phobias?",
    r"burnout",
)
#: Everyday words that are session content only when they are someone's ("your anxiety").
_CLINICAL_SOFT = _words(
    r"anxiety",
    r"anxious\w*",
    r"panic",
    r"stress",
    r"stressed",
    r"feelings?",
    r"emotions?",
    r"moods?",
    r"anger",
    r"guilt",
    r"shame",
    r"loneliness",
    r"symptoms?",
    r"sleep",
    r"worries",
    r"drinking",
    r"alcohol\s+use",
    r"divorce",
    r"affair",
    r"triggers?",
    r"progress",
    r"illness",
    r"fears?",
    r"upset",
    r"self[- ]?esteem",
    r"confidence",
    r"relationship",
    r"marriage",
)
_ANY_CLINICAL = f"(?:{_CLINICAL}|{_CLINICAL_SOFT})"
#: How someone feels, when a therapist writes it about them.
_FEELING = _words(
    "anxious",
    "low",
    "depressed",
    "down",
    "overwhelmed",
    "panicky",
    "stressed",
    "lonely",
    "numb",
    "hopeless",
    "worthless",
    "ashamed",
    "guilty",
    "empty",
    "invisible",
    "unsafe",
    "calmer",
    "triggered",
)
#: Words that only make sense about a particular client's inner life or treatment.
CLINICAL_TERM = re.compile(rf"\b{_CLINICAL}\b", _FLAGS)

_THERAPY_MATERIAL = _words(
    r"homework",
    r"worksheets?",
    r"thought\s+records?",
    r"mood\s+diary",
    r"sleep\s+diary",
    r"exposure\s+(?:task|exercise|hierarchy|work)s?",
    r"grounding\s+(?:exercise|technique)s?",
    r"breathing\s+(?:exercise|technique)s?",
    r"safety\s+plan",
    r"treatment\s+plan",
    r"care\s+plan",
    r"formulation",
    r"session\s+notes",
    r"notes\s+from\s+(?:our|today'?s|the|last)\s+\w*\s*session",
    r"assessment\s+(?:results?|scores?|findings)",
    r"phq-?9",
    r"gad-?7",
    r"core-?10",
    r"emdr",
    r"cbt",
    r"dbt",
    r"inner\s+child",
    r"attachment\s+style",
    r"cognitive\s+distortions?",
    r"catastrophi[sz]ing",
    r"coping\s+(?:strateg\w+|skills?|plan)",
    r"therapy\s+goals?",
)
_RELATIVE = _words(
    "mum",
    "mom",
    "mother",
    "dad",
    "father",
    "parents",
    "partner",
    "husband",
    "wife",
    "ex",
    "boyfriend",
    "girlfriend",
    "boss",
    "sister",
    "brother",
    "son",
    "daughter",
    "childhood",
    "family",
)
#: Session material addressed to one person: their symptoms, their homework, what they shared.
SESSION_CONTENT = re.compile(
    "|".join(
        [
            rf"\byour\s+(?:\w+\s+){{0,2}}?{_ANY_CLINICAL}\b",
            rf"\b{_THERAPY_MATERIAL}\b",
            (
                r"\b(?:in|from|during|after|since)\s+(?:our|today'?s|last\s+week'?s|the|yesterday'?s)\s+"
                r"(?:\w+\s+)?(?:session|work|conversation)s?\s*,?\s*(?:\w+\s+){0,2}?"
                r"(?:we|you|i)\s+(?:\w+\s+)?(?:talked|spoke|discussed|explored|looked|touched|worked|"
                r"mentioned|said|shared|noticed|described|brought|named|felt|realised|realized)\b"
            ),
            (
                r"\b(?:what|everything|something|all\s+that|the\s+things?)\s+you\s+(?:\w+\s+)?"
                r"(?:shared|told\s+me|disclosed|opened\s+up|confided|brought|described|wrote|"
                r"said\s+about)\b"
            ),
            (
                r"\byou\s+(?:said|mentioned|told\s+me|described|shared|wrote)\s+(?:that\s+)?"
                r"(?:you|your|how|it)\b.{0,40}?\b(?:felt|feel|feeling|were|are|been|was|had)\b"
            ),
            (
                rf"\byour\s+{_RELATIVE}\b.{{0,60}}?\b(?:felt|feel|feeling|hurt|angry|argument|"
                r"conflict|died|death|loss|shouted|left|leaving|blamed|criticis\w+|criticiz\w+|"
                rf"passed|funeral|hospital|cancer|dementia|ill|struggl\w*|{_ANY_CLINICAL})\b"
            ),
            (
                rf"\b(?:the|those|these|that)\s+(?:\w+\s+)?{_ANY_CLINICAL}\s+(?:is|are|was|were|has|have|"
                r"seem|sound|came|come|got|getting|returned|back|before|after|around|since|over)\b"
            ),
            (
                r"\b(?:we|you)\s+(?:talked|spoke|discussed|explored|worked)\s+(?:about|on|through)\s+"
                r"(?:your|how\s+you|what\s+happened|the\s+(?:\w+\s+)?(?:incident|memory|memories|loss))"
            ),
            r"\bhow\s+you(?:'re|\s+are|'ve\s+been|\s+have\s+been)\s+(?:coping|managing)\s+with\b",
            r"\bwhat\s+happened\s+(?:with|to|between)\s+(?:you|your)\b",
            (
                r"\b(?:the|that|this|those|these)\s+(?:\w+\s+){0,3}?(?:script|exercise|technique|skill|"
                r"tool|routine|plan|strateg\w+|practice|task|experiment)s?\s+(?:that\s+)?we\s+"
                r"(?:\w+\s+)?(?:practi[sc]ed|worked\s+on|tried|discussed|talked\s+about|went\s+over|"
                r"learned|learnt|agreed|planned|set|made|started|built)\b"
            ),
            rf"\b(?:mild|moderate|severe|clinical|significant)\s+(?:levels?\s+of\s+)?{_ANY_CLINICAL}\b",
            r"(?-i:\b(?:AA|NA|CA|GA)\b)\s+meetings?\b",
            (
                r"\b(?:you(?:'re|\s+are|'ve\s+been|\s+have\s+been|\s+seem|\s+seemed)|you\s+felt)\s+"
                r"(?:feeling\s+)?(?:(?:less|more|so|very|really|a\s+bit|quite)\s+)?"
                rf"(?:{_FEELING}|{_ANY_CLINICAL})\b"
            ),
            (
                r"\b(?:a|one\s+of\s+my|my)\s+clients?\s+(?:\w+\s+){0,3}?(?:told|shared|said|"
                r"mentioned|disclosed|described|brought|came\s+in)\b"
            ),
            (
                r"\b(?:between\s+now\s+and\s+(?:next\s+time|our\s+next\s+\w+)|before\s+"
                r"(?:we\s+meet|next\s+time|our\s+next\s+(?:session|appointment))),?\s+"
                r"(?:\w+\s+){0,3}?(?:notice|try|practi[sc]e|write|jot|keep|track|record|journal)\b"
            ),
        ]
    ),
    _FLAGS,
)

# ------------------------------------------------------------------ discreet reminders
#: Words that tell anyone glancing at a lock screen that the reader is in therapy.
LOCK_SCREEN_WORDS = re.compile(
    r"\b(?:therap\w*|psychotherap\w*|counsell?(?:ing|or|ors)\b|counsel\b|psycholog\w*|"
    r"psychiatr\w*|sessions?|mental\s+health|clinic)\b",
    _FLAGS,
)
