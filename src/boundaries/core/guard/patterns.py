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
    "CLIENT_DID_BEFORE",
    "CLIENT_STORY",
    "CLINICAL_TERM",
    "CONNECTION_OFFER",
    "DONE_BEFORE",
    "ENDORSEMENT_REQUEST",
    "FOLLOWED",
    "FOLLOWED_CLIENTS",
    "LOCK_SCREEN_WORDS",
    "LOOK_BEHIND",
    "NEGATED_BEFORE",
    "REVIEW_REPLY",
    "SEARCHED",
    "SEARCHED_CLIENTS",
    "SESSION_CONTENT",
    "STREET_ADDRESS",
    "THANKED_BEFORE",
    "TYPOGRAPHIC",
    "WHEREABOUTS",
]

_FLAGS = re.IGNORECASE

#: Curly quotes and dashes to their plain forms, one character for one, so spans still line up.
TYPOGRAPHIC = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-"})


def _words(*alternatives: str) -> str:
    return "(?:" + "|".join(alternatives) + ")"


def _either(alternatives: list[str]) -> str:
    """The alternatives as one expression, those that start at a word boundary tried together.

    ``\\b(?:a|b|c)`` costs one test at a position inside a word where ``\\ba|\\bb|\\bc``
    costs one per alternative: the guard runs on every draft as it is typed.
    """
    bounded = [alt[2:] for alt in alternatives if alt.startswith(r"\b")]
    others = [alt for alt in alternatives if not alt.startswith(r"\b")]
    return "|".join(([r"\b(?:" + "|".join(bounded) + ")"] if bounded else []) + others)


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
    "intakes?",
    "assessments?",
    "call",
)
#: Networks that both the review platforms and a person's own online life name.
_SMALLER_NETWORKS = ("threads", "bluesky", "mastodon", "reddit", "strava", "substack")
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
    "insta",
    "snapchat",
    "whatsapp",
    *_SMALLER_NETWORKS,
    "x",
)
#: Where a person's own online life happens: what a therapist would have to go and look at.
_SOCIAL = _words(
    "facebook",
    "fb",
    "instagram",
    "insta",
    "ig",
    "linkedin",
    "tiktok",
    "youtube",
    "twitter",
    "snapchat",
    *_SMALLER_NETWORKS,
    "pinterest",
    "twitch",
    "socials",
    r"social\s+media",
)
#: What a person puts online: the things the therapist does not read, watch or follow.
_CONTENT = _words(
    "posts?",
    "photos?",
    "pics?",
    "pictures?",
    "selfies?",
    "stor(?:y|ies)",
    "reels?",
    "tweets?",
    "videos?",
    "vlogs?",
    "blogs?",
    r"blog\s+posts?",
    "snaps?",
    "clips?",
    "articles?",
    "interviews?",
    "appearances?",
    "performances?",
    "gigs?",
    "tiktoks?",
    "livestreams?",
    "podcasts?",
    "podcast\\s+episodes?",
    "channel",
    "newsletter",
    r"profile\s+(?:picture|pic|photo)",
    r"cover\s+photo",
)
#: One word and the space after it: gaps between words are counted in these, never unbounded.
_W = r"(?:[\w'-]+\s+)"

# ------------------------------------------------------------------ no-social-business
#: Appointment business: booking, moving, cancelling, confirming, lateness, availability.
APPOINTMENT = re.compile(
    _either(
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
                # A date ("on the 14th", "at 3"), never a phone number ("available on 116 123").
                rf"(?:{_DAY}|{_TIME}|week|morning|afternoon|evening|\d{{1,2}}(?:st|nd|rd|th)?\b(?![\s.-]?\d))"
            ),
            r"\b(?:can|could|shall)\s+(?:we|i|you)\s+(?:do|make\s+it|meet|move|switch|swap|change)\b",
            rf"\brunning\s+{_W}{{0,3}}?late\b",
            (
                r"\b(?:dm|message|text|inbox|pm|email)\s+(?:me|us)\s+(?:to|for)\s+(?:book|"
                r"an?\s+(?:appointment|place|slot|space|session)|a\s+place)"
            ),
            r"\b(?:to\s+book|book\s+(?:in|a|an|your)\b|book\s+(?:you|him|her|them)\s+(?:in|for)\b)",
            r"\b(?:now\s+booking|booking\s+(?:now\s+)?(?:for|into|open))\b",
            r"\b(?:get|got|have|had)\s+(?:you|them|him|her)\s+booked\b|\bbooked\s+in\b",
            rf"{_TIME}\s+(?:openings?|spaces?|spots?|{_MEETING})\b",
            rf"\b{_DAY}\s+at\s+\d{{1,2}}\b",
            r"\b(?:move|moving|put|putting|fit|squeeze|slot|switch)\s+you\s+(?:in|into|to|for)\b",
            rf"\bcome\s+in\s+(?:earlier|later|on\s+{_DAY}|at\s+\d|tomorrow|today|this|next)\b",
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
    _either(
        [
            (
                r"\b(?:thank(?:s|\s+you|\s+u)|thx|ty|cheers)\b[^.!?\n]{0,60}?\b(?:reviews?|ratings?|testimonial|"
                r"\d[- ]?stars?|(?:five|four|three|two|one)[- ]stars?)\b"
            ),
            (
                r"\b(?:read|saw|seen|seeing|reading|noticed|came\s+across)\s+(?:your|the|this|that)\s+"
                r"(?:\w+\s+){0,3}?(?:reviews?|ratings?)\b"
            ),
            r"\b(?:reviews?|ratings?|comments?)\s+(?:you\s+)?(?:left|wrote|posted|gave|shared)\b",
            (
                r"\b(?:you|someone|somebody|whoever|anyone\s+who|people\s+who|the\s+person\s+who)\s+"
                r"(?:have\s+|has\s+)?(?:left|wrote|written|posted|gave|given)\s+(?:(?:me|us)\s+)?"
                r"(?:a|an|the|this|that|such\s+a)\s+(?:\w+\s+){0,2}?(?:reviews?|ratings?)\b"
            ),
            # What a reviewer wrote, named without the word "review".
            (
                r"\b(?:words|comments?|things|feedback|post)\s+you\s+(?:wrote|left|posted|made|shared|"
                r"gave)\s+(?:about\s+(?:me|us|my\s+(?:work|practice)|our\s+(?:work|practice)|"
                rf"the\s+practice)|on\s+{_PLATFORM}|on\s+(?:my|our|the)\s+(?:profile|listing|page))\b"
            ),
            rf"\b(?:thank(?:s|\s+you)|cheers)\b[^.!?\n]{{0,40}}?\bshout-?outs?\s+on\s+{_PLATFORM}\b",
            (
                r"\b(?:response|reply|responding|replying|respond)\s+to\s+(?:your|the|this|a|that)\s+"
                r"(?:\w+\s+){0,2}?(?:reviews?|ratings?)\b"
            ),
            rf"\bsorry\b[^.!?\n]{{0,40}}?\b(?:your|the|this)\s+{_W}{{0,2}}?(?:reviews?|ratings?)\b",
            # "you'd given me five stars"
            (
                r"\b(?:you|you'd|you've|someone|somebody|whoever)\s+(?:had\s+|have\s+|has\s+)?"
                r"(?:gave|given|left|rated)\s+(?:me|us|the\s+practice)\s+(?:\w+\s+)?"
                r"(?:\d|five|four|three|two|one|full)[- ]?(?:stars?|marks)\b"
            ),
            (
                r"\b(?:your|the)\s+(?:\w+\s+){0,2}?(?:review|rating)\s+(?:of|about)\s+"
                r"(?:us|me|the\s+practice|my\s+practice|our\s+practice)\b"
            ),
        ]
    ),
    _FLAGS,
)

# ------------------------------------------------------------------- no-endorsements
#: The platforms one may be asked to like, review or follow the practice on.
_ENDORSED_ON = ("instagram", "facebook", "tiktok", "twitter", "linkedin", "youtube", "substack")
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
    *_ENDORSED_ON,
)
#: What one follows on a platform (a feed of posts is what the policy offers instead).
_FOLLOWABLE = _words("page", "profile", "account", "channel", *_ENDORSED_ON)
_REVIEW_NOUN = _words(
    "reviews?", "ratings?", "testimonials?", "recommendations?", "endorsements?", "stars?"
)
#: Asking for likes, follows, shares, reviews, ratings, testimonials, tags, referrals.
ENDORSEMENT_REQUEST = re.compile(
    _either(
        [
            # likes
            rf"\b(?:like|heart)\s+(?:(?:our|my|the|this)\s+(?:\w+\s+){{0,2}}?{_PAGE}|us\s+on)\b",
            (
                r"\bgiv(?:e|ing)\s+(?:us|me|it|(?:the|my|our|this)\s+(?:\w+\s+)?(?:page|post|video|"
                r"channel|account|profile|article|reel|practice|business))\s+a\s+(?:quick\s+|little\s+)?"
                r"(?:like|follow|share|thumbs\s+up|shout-?out|mention|plug|boost|heart|star)s?\b"
            ),
            r"\b(?:leave|drop|hit|tap)\s+(?:us\s+|me\s+)?(?:a|the|that)\s+(?:quick\s+)?(?:like|heart)\b",
            r"\bdouble[- ]tap\b",
            # rate, endorse or star anything on a review site or platform ("review" is a noun
            # too often: "the review you left on Google" answers one)
            rf"(?<![-\d])\b(?:rate|endorse|star|vote\s+for)\s+{_W}{{0,4}}?on\s+{_PLATFORM}\b",
            (
                r"\b(?:leave|give|post|write|drop|add)\s+(?:us\s+|me\s+)?(?:some\s+|your\s+|a\s+)?"
                r"(?:feedback|comments?|words|thoughts)\s+(?:on|at)\s+(?:my\s+|our\s+|the\s+)?"
                rf"(?:{_PLATFORM}|listing|profile|page|website)\b"
            ),
            # a client's own words for the practice's marketing
            (
                rf"\b(?:use|quote|feature|include|publish|put|post|share)\s+{_W}{{0,4}}?your\s+{_W}{{0,2}}?"
                r"(?:words|card|message|feedback|story|comments?|quote|note|letter|email|review|"
                rf"experience)\s+{_W}{{0,2}}?(?:on|in)\s+(?:my|our|the)\s+{_W}?(?:website|site|brochure|"
                r"leaflet|marketing|profile|listing|page)\b"
            ),
            r"\b(?:hit|smash|tap|click)\s+(?:the\s+|that\s+)?(?:like|heart|follow|subscribe)\b",
            r"\blikes?\s*(?:and|&|,)\s*(?:shares?|follows?|comments?)\b",
            # follows
            r"\bfollow\s+(?:us|me|the\s+practice)\s*(?:on\b|at\b|over\b|for\b|@|!|\.|$)",
            rf"\bfollow(?:ing)?\s+(?:our|my|the\s+practice'?s?)\s+(?:\w+\s+){{0,2}}?{_FOLLOWABLE}\b",
            r"\bfollow\s+@\w+",
            (
                r"\bfollow\s+(?:us\s+|me\s+|along\s+)?for\s+(?:more|daily|weekly|regular|tips|updates|"
                r"advice)\b"
            ),
            r"\bfollow\s+(?:the|this)\s+(?:page|account|channel|profile)\b",
            r"\bsubscribe\s+to\s+(?:my|our|the)\s+(?:\w+\s+)?(?:channel|youtube|podcast|page)\b",
            (
                r"\bhelp\s+(?:us|me)\s+(?:reach|get\s+to|hit)\s+[\d,.]+k?\s+"
                r"(?:followers|likes|subscribers|fans|reviews)\b"
            ),
            r"\bvote\s+for\s+(?:us|me|the\s+practice|our|my)\b",
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
                r"\b(?:review|reviewing|rate|rating|star|endorse|endorsing)\s+(?:us|me|the\s+practice|"
                r"my\s+(?:work|practice|services)|"
                r"our\s+(?:work|practice|services))\b"
            ),
            # A review that does not exist yet: "a 5-star review on Psychology Today would help".
            # Not "your review means a lot", which answers one (clause reviews).
            (
                r"\b(?:a|an|some|any)\s+(?:[\w-]+\s+){0,3}?(?:reviews?|ratings?|testimonials?|"
                r"recommendations?|endorsements?|shout-?outs?|write-?ups?|follows?|likes?|shares?)\s+"
                r"(?:(?:on|at|for|from\s+you)\s+(?:[\w'-]+\s+){0,3}?)?(?:would|could|will|might|"
                r"helps?|goes|is\s+(?:always\s+|so\s+)?(?:welcome|appreciated|helpful))\b"
            ),
            (
                r"\b(?:reviews?|ratings?|testimonials?)\s+(?:really\s+|honestly\s+)?(?:help|are\s+how|"
                r"is\s+how|make\s+(?:a|such|all)|mean\s+(?:a|so))\b"
            ),
            r"\byours\s+would\s+(?:mean|help|make)\b",
            (
                r"\bask(?:ing)?\s+(?:you|clients?|people|everyone|anyone)\s+(?:for|to\s+(?:leave|write|"
                r"give))\s+(?:an?\s+)?(?:\w+\s+)?(?:reviews?|ratings?|testimonials?|likes?|follows?|"
                r"recommendations?)\b"
            ),
            # Clients' words for the practice's marketing: quotes, stories, a sentence or two.
            (
                r"\b(?:quoted|quote\s+you|stories|story|words|sentence\s+or\s+two|experiences?),?\s+"
                r"(?:[\w',-]+\s+){0,4}?(?:on|for|in)\s+(?:my|our|the)\s+(?:new\s+)?(?:\w+\s+)?"
                r"(?:website|site|brochure|leaflet|marketing|profile|listing|page)\b"
            ),
            r"\bfrom\s+(?:past|former|previous|current|existing)\s+clients\s+(?:about|on|for)\b",
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
            (
                r"\bpass(?:ed|ing)?\s+(?:our|my|the\s+practice'?s?)\s+(?:details|name|number|card|"
                r"website|info)\s+on\b"
            ),
            r"\bfollow\s+along\b",
            (
                r"\btell(?:ing)?\s+(?:others|other\s+people|people|friends|your\s+friends|everyone|"
                r"the\s+world)\s+about\s+(?:your\s+experience|us|me|it|working|the\s+practice|"
                r"my\s+work|our\s+work)"
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
    _either(
        [
            rf"\b(?:add|connect\s+with|friend)\s+(?:me|us)\s+on\s+{_PLATFORM}\b",
            rf"\b(?:connect|be\s+friends|link\s+up)\s+(?:with\s+(?:me|us|you)\s+)?on\s+{_PLATFORM}\b",
            (
                r"\b(?:accepted|approved|sent|i'?ll\s+accept|i\s+will\s+accept|send\s+you)\s+"
                r"(?:you\s+|me\s+)?(?:your\s+|a\s+|my\s+)?"
                r"(?:friend|follow|connection)\s+requests?\b"
            ),
            r"\blet'?s\s+(?:connect|be\s+friends)\s+on\b",
            (
                r"\b(?:accepted|approved|accept|approve)\s+(?:your|the|their|his|her)\s+(?:\w+\s+){0,2}?"
                r"(?:requests?|invites?|invitations?)\b"
            ),
            r"\brequests?\s*[-,:!]*\s*(?:accepted|approved)\b",
            (
                r"\b(?:stay|keep|get)\s+(?:connected|in\s+touch)\s+(?:on|via|through|over)\s+"
                rf"{_PLATFORM}\b"
            ),
            (
                r"\b(?:added|adding|add)\s+you\s+(?:as\s+an?\s+(?:friend|contact|connection)\b|"
                rf"on\s+{_PLATFORM}\b)"
            ),
            # Following a client's account is a connection (and, under no-following, reading it).
            rf"\bfollow(?:ing|ed)?\s+you\s+(?:back\b|on\s+{_PLATFORM}\b)",
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
    r"waiting\s+room",
    "reception",
)
_UK_POSTCODE = r"(?-i:\b[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}\b)"
_US_ZIP = r"(?-i:\b[A-Z]{2})\s+\d{5}(?:-\d{4})?\b|\bzip(?:\s+code)?\s*:?\s*\d{5}\b"
#: A street address, a street name next to the practice, or a postcode/ZIP with the practice.
STREET_ADDRESS = re.compile(
    _either(
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
            r"(?-i:\b(?:Unit|Suite)\s+\d{1,4}[A-Z]?\b)",
            rf"\b{_PLACE_WORD}\b.{{0,60}}?(?:{_UK_POSTCODE}|{_US_ZIP})",
            rf"(?:{_UK_POSTCODE}|{_US_ZIP}).{{0,60}}?\b{_PLACE_WORD}\b",
        ]
    ),
    _FLAGS,
)
#: Check-ins and "I'm at the clinic": where someone is, right now.
CHECK_IN = re.compile(
    _either(
        [
            r"\b(?:checked|checking|check)[- ]?in\s+(?:at|to|from|@)\b",
            r"\bchecked[- ]?in\s*[:@]",
            r"\bcheck-?in\b.{0,30}?\b(?:clinic|practice|office|rooms)\b",
            r"📍",
            r"\b(?:live|current|pinned|my)\s+location\b",
            r"\blocation\s*:",
            r"\bfind\s+(?:us|me)\s+at\b",
            r"\btagged\s+(?:at|in)\b",
            r"#check(?:ed)?-?in\b",
            r"\bgeo-?tag(?:ged|ging|s)?\b",
            (
                r"\b(?:pinn?(?:ed|ing)?|shar(?:e|ed|ing)|drop(?:ped|ping)?|sen(?:d|t|ding))\s+"
                r"(?:our|my|the|a)\s+(?:live\s+|current\s+|exact\s+)?(?:location|pin)\b"
            ),
        ]
    ),
    _FLAGS,
)

#: Where the therapist is right now: harmless in a private text, a check-in on social media.
WHEREABOUTS = re.compile(
    _either(
        [
            (
                r"\b(?:i'?m|i\s+am|we'?re|we\s+are|currently|sitting|working|here|back|arrived|live)\s+"
                rf"(?:here\s+)?(?:at|in|from)\s+(?:the|my|our)\s+{_W}{{0,3}}?{_PLACE_WORD}\b"
            ),
            (
                r"\b(?:morning|afternoon|evening|hello|greetings|hi|view|views)\s+from\s+(?:the|my|our)\s+"
                rf"{_W}{{0,3}}?{_PLACE_WORD}\b"
            ),
            # A named place of work: "at our Islington office", "in the Maple Grove suite".
            rf"\b(?:at|in|from)\s+(?:our|my|the)\s+(?:(?-i:[A-Z][\w'-]*)\s+){{1,3}}{_PLACE_WORD}\b",
            # A full postcode or state and ZIP, alone: in public that is enough to find the door.
            _UK_POSTCODE,
            r"(?-i:\b[A-Z]{2})\s+\d{5}(?:-\d{4})?\b",
            (
                rf"\b(?:at|in)\s+(?:the|my|our)\s+{_PLACE_WORD}\s+(?:all\s+day|today|tonight|now|"
                r"right\s+now|until|till|this\s+(?:morning|afternoon|evening))\b"
            ),
        ]
    ),
    _FLAGS,
)

# ---------------------------------------------------------- no-searching, no-following
#: Where a search for someone happens.
_SEARCH_WHERE = (
    rf"(?:online|on\s+(?:the\s+)?(?:internet|web|google|here)|on\s+{_SOCIAL}|on\s+{_PLATFORM})\b"
)
#: The therapist looked a client up: "I googled you", "I found your LinkedIn", "searched your name".
_SEARCHED_YOU = [
    r"\bgoogl(?:e|ed|ing)\s+(?:you|your)\b",
    r"\bgoogle\s+(?:search\s+)?(?:of|for|on)\s+(?:you|your)\b",
    r"\b(?:look(?:ed|ing|s)?|search(?:ed|ing)?)\s+(?:you|him|her|them)\s+up\b",
    r"\blook(?:ed|ing)?\s+up\s+(?:you|your)\b",
    r"\bsearch(?:ed|ing)?\s+(?:for\s+)?(?:you\b|your\s+(?:full\s+)?name\b)",
    (
        r"\b(?:search(?:ed|ing)?|look(?:ed|ing)?|hunt(?:ed|ing)?|dig(?:ging)?|dug)\s+(?:around\s+)?"
        rf"for\s+(?:you|your\s+{_W}{{0,2}}?\w+)\s+{_W}{{0,2}}?{_SEARCH_WHERE}"
    ),
    (
        r"\b(?:search(?:ed|ing)?|look(?:ed|ing)?|hunt(?:ed|ing)?|dig(?:ging)?|dug)\s+(?:around\s+)?"
        rf"{_SEARCH_WHERE}\s+for\s+(?:you\b|your\s+\w+)"
    ),
    r"\b(?:internet|online|google|web|social\s+media)\s+search\s+(?:on|for|of)\s+(?:you|your)\b",
    (
        r"\byour\s+(?:full\s+)?name\s+(?:\w+\s+){0,2}?(?:into|through|in|on)\s+"
        rf"(?:google|bing|a\s+search|the\s+search|{_SOCIAL})\b"
    ),
    (
        r"\b(?:came|popped|showed|turned)\s+up\s+(?:when|while)\s+i\s+(?:was\s+)?"
        r"(?:search|googl|look)\w*"
    ),
    (
        r"\b(?:found|find|finding|came\s+across|come\s+across|stumbled\s+(?:on|across|upon)|"
        r"tracked\s+down|track\s+down|dug\s+up)\s+"
        rf"(?:your\s+(?:\w+\s+)?(?:{_SOCIAL}|profile|account|page|website|blog|channel|handle|"
        rf"username)\b|(?:you|your\s+{_W}{{0,2}}?\w+)\s+{_W}{{0,2}}?{_SEARCH_WHERE})"
    ),
    rf"\bcheck(?:ed|ing)?\s+(?:out\s+)?your\s+(?:\w+\s+)?{_SOCIAL}\b",
    r"\b(?:digging|dug|dig)\s+(?:\w+\s+){0,2}?(?:about|into|on)\s+(?:you|your)\b",
]
#: The therapist looked up clients, said of clients in general (a post can say it too).
_SEARCHED_CLIENTS = [
    r"\bgoogl(?:e|ed|ing)\s+(?:\w+\s+)?clients?\b",
    (
        r"\b(?:look(?:ed|ing)?\s+up|search(?:ed|ing)?\s+(?:for\s+)?|check(?:ed|ing)?\s+out)\s+"
        r"(?:\w+\s+){0,2}?clients?\b"
    ),
    r"\blook(?:ed|ing)?\s+(?:\w+\s+)?clients?\s+up\b",
]
#: A client's own content seen by the therapist: "loved your Instagram post", "saw your TikTok".
_FOLLOWED_YOU = [
    (
        r"\b(?:saw|seen|see|seeing|read|reading|watched|watching|watch|loved|love|liked|like|enjoyed|"
        r"enjoying|noticed|spotted|caught|listened\s+to|heard)\s+(?:\w+\s+)?your\s+(?:\w+\s+){0,2}?"
        rf"(?:{_CONTENT}|{_SOCIAL})\b"
    ),
    r"\b(?:saw|seen|seeing|watched)\s+your\s+(?:\w+\s+)?stor(?:y|ies)\b",
    (
        r"\b(?:saw|seen|see|noticed|spotted|read|gather|gathered)\s+(?:it\s+)?(?:on|from|in)\s+"
        rf"your\s+(?:\w+\s+)?(?:{_SOCIAL}|{_CONTENT}|page|profile|feed|account|updates?)\b"
    ),
    rf"\b(?:saw|seen|noticed|spotted|read)\s+(?:it\s+)?on\s+{_SOCIAL}\s+that\s+you\b",
    (
        r"\b(?:saw|seen|spotted|noticed|read)\s+(?:the|your|that|this)\s+(?!reviews?\b|ratings?\b)"
        rf"(?:\w+\s+){{0,2}}?on\s+{_SOCIAL}\b"
    ),
    (rf"\byour\s+{_SOCIAL}\s+(?:{_CONTENT}|run|ride|activity|piece|article|thread|update)\b"),
    rf"\byour\s+(?:latest|new|last|recent)\s+(?:{_CONTENT})\b",
    rf"\byour\s+{_W}{{0,2}}?(?:{_CONTENT})\s+(?:on|from)\s+{_SOCIAL}\b",
    (
        r"\b(?:following|followed|follow|watching|watched|tracking)\s+(?:you|your\s+"
        rf"{_W}{{0,2}}?\w+)\s+on\s+{_SOCIAL}\b"
    ),
    r"\byour\s+(?:new\s+)?(?:profile\s+(?:picture|pic|photo)|pfp|avatar|cover\s+photo|bio)\b",
    r"\byour\s+(?:podcast|vlog|livestream|youtube|tiktok|blog|reel|substack|newsletter)\b",
    (
        r"\b(?:love|loved|like|liked|great|nice|lovely|cute|fab|gorgeous)\s+(?:the|your)\s+(?:new\s+)?"
        r"(?:profile\s+(?:picture|pic|photo)|pfp|avatar|cover\s+photo|header\s+photo)\b"
    ),
    (
        r"\b(?:photos?|pics?|pictures?|videos?|posts?|reels?|stor(?:y|ies)|tweets?|clips?|updates?|"
        r"selfies?)\s+(?:that\s+)?you\s+(?:posted|put\s+up|uploaded|tweeted|shared\s+on|shared\s+to|"
        r"live-?streamed)\b"
    ),
    (
        r"\bfollow(?:ing|ed)?\s+(?:you\b(?!\s+up\b)|your\b(?!\s+(?:lead|advice|example|instructions?|"
        r"wishes|suggestions?|plan|progress|guidance|requests?|preferences?|thinking|story)\b))"
    ),
    r"\bsubscrib(?:e|ed|ing)\s+to\s+your\b",
    (
        r"\b(?:keep|kept|keeping)\s+(?:an\s+)?eye\s+on\s+your\s+(?:\w+\s+)?"
        rf"(?:{_SOCIAL}|{_CONTENT}|page|profile|feed|account)\b"
    ),
    r"\bkeep\s+(?:up\s+)?(?:the|those|your)\s+(?:\w+\s+)?(?:posts|videos|reels|stories|tweets|vlogs)\b",
    r"\b(?:popped|came|showed)\s+up\s+(?:in|on)\s+my\s+(?:feed|timeline|for\s+you\s+page|fyp)\b",
    (
        rf"\bcomments?\s+on\s+(?:the\s+)?{_W}{{0,3}}?(?:forum|group|thread|subreddit|"
        rf"{_SOCIAL})\b"
    ),
    (
        r"\b(?:great|lovely|nice|beautiful|gorgeous|amazing|cute|fab|stunning)\s+(?:photos?|pics?|"
        r"pictures?|snaps?|shots?|videos?|posts?)\s+(?:from|of)\s+your\b"
    ),
]
#: A client's content, said of a client: "one of my clients posted ..."
_FOLLOWED_CLIENTS = [
    (
        rf"\b(?:a|one\s+of\s+my|my|our)\s+(?:\w+\s+){{0,2}}?clients?(?:'s?)?\s+{_W}{{0,4}}?"
        rf"(?:posted|tweeted|uploaded|went\s+live|shared\s+{_W}{{0,3}}?(?:{_CONTENT})|{_SOCIAL}|"
        rf"{_CONTENT}|profile|feed)\b"
    ),
    r"\bfollow(?:ing|s|ed)?\s+(?:[\w'-]+\s+){0,3}?clients?\b",
]
#: Revealing a search for a client (clause no-searching), on channels written to one person.
SEARCHED = re.compile(_either(_SEARCHED_YOU + _SEARCHED_CLIENTS), _FLAGS)
#: In a public post "you" is every reader: only what is said of clients counts there.
SEARCHED_CLIENTS = re.compile(_either(_SEARCHED_CLIENTS), _FLAGS)
#: Revealing that the therapist saw or follows a client's content (clause no-following).
FOLLOWED = re.compile(_either(_FOLLOWED_YOU + _FOLLOWED_CLIENTS), _FLAGS)
FOLLOWED_CLIENTS = re.compile(_either(_FOLLOWED_CLIENTS), _FLAGS)

# ------------------------------------------------------------------------- negation
#: Read just before a match: a request or an admission that the sentence denies
#: ("I won't follow you", "don't worry about leaving a review", "we never ask for
#: reviews"). Reminders are not denials: "don't forget to", "don't hesitate to".
_NOT_A_TURN = r"(?!(?:but|though|although|yet|so|and|then|because|until)\b)[\w'-]+\s+"
NEGATED_BEFORE = re.compile(
    r"(?:\b(?:not|never|no\s+need\s+to|without)|n't)\s+(?!(?:forget|hesitate|miss|mind)\b)"
    # "I won't search for you online or follow you": the denial carries over "or".
    rf"(?:{_NOT_A_TURN}){{0,4}}(?:n?or\s+(?:{_NOT_A_TURN}){{0,3}})?$",
    _FLAGS,
)
#: "Thank you for rating us": the words answer a review (clause reviews), they ask for nothing.
THANKED_BEFORE = re.compile(
    r"\b(?:thank(?:s|\s+you)|grateful)(?:\s+(?:so|very)\s+much)?\s+for\s+(?:[\w'-]+\s+){0,2}$",
    _FLAGS,
)
#: "you'd given me five stars on Google", "a request to follow my account": the words
#: tell of something done, they ask for nothing.
DONE_BEFORE = re.compile(
    r"(?:\b(?:you|you'd|you've|someone|somebody|whoever|who)\s+(?:had\s+|have\s+|has\s+)?(?:gave|given|"
    r"left|wrote|written|posted)\s+(?:(?:me|us)\s+)?(?:[\w'-]+\s+){0,3}|\brequests?\s+to\s+)$",
    _FLAGS,
)
#: "Have you googled your symptoms?": the client searched or looked, not the therapist.
CLIENT_DID_BEFORE = re.compile(
    r"\b(?:you|you've|you'd|have\s+you|did\s+you|do\s+you|if\s+you)\s+(?:ever\s+|just\s+|already\s+|"
    r"also\s+|recently\s+)?$",
    _FLAGS,
)
#: How far before a match the four above look (a few words, within one sentence).
LOOK_BEHIND = 60

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
    r"recovery",
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
    r"mood\s+(?:diary|tracker|log|chart)",
    r"sleep\s+diary",
    r"exposure\s+(?:tasks?|exercises?|hierarch\w+|work|practice|homework|plan)",
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
    r"inner\s+(?:child|critic|voice)",
    r"(?:sleep|bedtime|wind-?down|breathing|relaxation|self-?care|eating|meal)\s+(?:routine|plan|schedule)",
    (
        r"(?:anxiety|depression|mood|wellbeing|well-being|trauma|outcome|symptom)\s+"
        r"(?:questionnaires?|scales?|measures?|screening|inventory|scores?)"
    ),
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
    "in-laws",
    r"(?:mother|father|sister|brother)-in-law",
    "step(?:mum|mom|dad|mother|father)",
    "gran",
    "nan",
    "grandma",
    "grandad",
    "grandmother",
    "grandfather",
    "kids",
    "children",
    "spouse",
)
#: A client's story told by the therapist: in a post, to anyone, it is never general.
_CLIENT_STORY = (
    r"\b(?:a|one\s+of\s+my|my|our)\s+(?:\w+\s+){0,2}?clients?\s+(?:\w+\s+){0,3}?(?:told|shared|said|"
    r"mentioned|disclosed|described|brought|came\s+in|finally|realised|realized|cried|admitted|"
    r"confessed|opened\s+up|broke\s+down|had\s+(?:a|an|such\s+a)\s+(?:\w+\s+){0,2}?(?:breakthrough|"
    r"realisation|realization|insight|setback|relapse|panic\s+attack|breakdown|cry))\b"
)
#: A client's story in a public post (the personal patterns below read "you" as the public).
CLIENT_STORY = re.compile(_CLIENT_STORY, _FLAGS)
_DISCLOSED = (
    r"(?:said|mentioned|told\s+me|described|shared|talked\s+about|brought\s+up|disclosed|"
    r"spoke\s+about|admitted|explained|opened\s+up)"
)
#: Words after "the ... we talked about" that are practice business, not the client's material.
_ADMIN = _words(
    "times?", "dates?", "days?", "slots?", "appointments?", "fees?", "invoices?", "forms?",
    "paperwork", "links?", "payments?",
)  # fmt: skip
#: Session material addressed to one person: their symptoms, their homework, what they shared.
SESSION_CONTENT = re.compile(
    _either(
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
                r"hard|difficult|tough|painful|awful|rough|scary|frightening|upsetting|unbearable|"
                r"grave|ashes|memorial|anniversary|"
                rf"passed|funeral|hospital|cancer|dementia|ill|struggl\w*|{_ANY_CLINICAL})\b"
            ),
            (
                rf"\b(?:the|those|these|that)\s+(?:\w+\s+)?{_ANY_CLINICAL}\s+(?:is|are|was|were|has|have|"
                r"seem|sound|came|come|comes|got|getting|returned|back|before|after|around|since|over|"
                r"hits?|strikes?|kicks\s+in|starts?|rises|builds|spikes)\b"
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
            _CLIENT_STORY,
            # A past session as the source: "the exercise you started in our last session"
            (
                rf"\b(?:in|from|during|at)\s+(?:our|the|your)\s+(?:last|previous|recent|first|{_DAY}'?s?)\s+"
                r"(?:session|appointment|meeting)\b"
            ),
            rf"\b(?:in|from|during)\s+(?:today|yesterday|last\s+week|{_DAY})'s\s+(?:session|appointment)\b",
            r"\bwhat\s+we\s+(?:said|discussed|talked\s+about|spoke\s+about|explored|covered|agreed)\b",
            # Talking about what happened: "talking about the accident was a lot"
            (
                r"\b(?:talking|talked|speaking|spoke|thinking|thought)\s+about\s+(?:the|your|that)\s+"
                rf"{_W}{{0,2}}?(?:accident|incident|attack|assault|abuse|loss|death|break-?up|miscarriage|"
                r"diagnosis|affair|divorce|memory|memories|crash|fire|fall|bullying|redundancy|arrest)\b"
            ),
            # Something the client said, placed in time: "last week you mentioned ..."
            (
                rf"\b(?:last\s+(?:week|time|session)|on\s+{_DAY}|yesterday|earlier(?:\s+today)?|today|"
                rf"this\s+morning),?\s+you\s+{_DISCLOSED}\b"
            ),
            # "the guilt you carry", "the panic you described"
            (
                rf"\b(?:the|that|this)\s+{_ANY_CLINICAL}\s+you\s+(?:carry|carried|feel|felt|have|had|"
                rf"describe|described|named|{_DISCLOSED})\b"
            ),
            # "the breathing app we talked about", "the letter to your dad that we discussed"
            (
                rf"\b(?:the|that|those|these)\s+(?!{_ADMIN}\b){_W}{{0,6}}?(?:that\s+)?we\s+"
                r"(?:talked\s+about|spoke\s+about|chatted\s+about|discussed|practi[sc]ed|worked\s+on|"
                r"went\s+over|agreed\s+on|explored)\b"
            ),
            # A painful event, then the relative: "the court hearing with your ex"
            (
                r"\b(?:hospital|funeral|diagnosis|illness|court|hearing|divorce|custody|argument|row|"
                rf"fight|hospice|inquest|grave)\b.{{0,40}}?\byour\s+{_RELATIVE}\b"
            ),
            # Something the client did with or said to a relative: "telling your partner"
            (
                r"\b(?:telling|told|tell|talking\s+to|talked\s+to|confronting|confronted|standing\s+up\s+to|"
                r"stood\s+up\s+to|boundaries\s+with|forgiving|forgave|opening\s+up\s+to|opened\s+up\s+to|"
                rf"writing\s+to|wrote\s+to|write\s+to|letter\s+to)\s+your\s+{_RELATIVE}\b"
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
