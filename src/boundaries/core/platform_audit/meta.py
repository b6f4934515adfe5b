"""Facebook and Instagram "Download your information" lists, in JSON.

Files are recognised by name first (so photos and messages are never parsed)
and then by their structure, which tells the platform and the list apart:

Facebook, current (``connections/friends/your_friends.json`` ...) and previous
(``friends/friends.json``, ``following_and_followers/following.json``) layouts::

    {"friends_v2": [{"name": "...", "timestamp": 1700000000}]}
    {"received_requests_v2": [...]}, {"sent_requests_v2": [...]},
    {"following_v3": [...]}, {"followers_v2": [...]}    (and the un-versioned keys)

Instagram, current (``connections/followers_and_following/``)::

    followers_1.json: [{"title": "", "string_list_data": [{"href": ..., "value": ...}]}]
    following.json:   {"relationships_following": [...]}   (2024+: handle in "title")
    pending_follow_requests.json: {"relationships_follow_requests_sent": [...]}
    follow_requests_you've_received.json: {"relationships_follow_requests_received": [...]}

and previous (``connections.json``)::

    {"followers": {"handle": "2019-03-02T10:00:00+00:00"}, "following": {...},
     "follow_requests_sent": {...}}

Both platforms write non-ASCII text as Latin-1 escapes of UTF-8 bytes; every
string is repaired with ``repair_mojibake``.
"""

from __future__ import annotations

import json
import re
from pathlib import PurePosixPath
from typing import Any

from boundaries.core.platform_audit.model import Person, Platform, Section, SectionData, Unreadable
from boundaries.core.platform_audit.text import handle_from_url, repair_strings

__all__ = ["is_meta_html", "is_meta_list", "read_meta_json"]

_NAMES = {
    # Facebook, current and previous
    "friends",
    "your_friends",
    "received_friend_requests",
    "sent_friend_requests",
    "who_youve_followed",
    "who_you_follow",
    "people_who_followed_you",
    "people_who_follow_you",
    # Both (Facebook's previous layout, Instagram's)
    "following",
    "followers",
    # Instagram, current and previous
    "pending_follow_requests",
    "recent_follow_requests",
    "follow_requests_youve_received",
    "connections",
}
_NUMBERED = re.compile(r"(followers|following)_\d+")

_FACEBOOK_KEY = re.compile(
    r"(?P<list>friends|received_requests|sent_requests|following|followers)(?:_v\d+)?"
)
_FACEBOOK_SECTIONS = {
    "friends": Section.CONNECTIONS,
    "received_requests": Section.REQUESTS_RECEIVED,
    "sent_requests": Section.REQUESTS_SENT,
    "following": Section.FOLLOWING,
    "followers": Section.FOLLOWERS,
}
_INSTAGRAM_KEYS = {
    "relationships_followers": Section.FOLLOWERS,
    "relationships_following": Section.FOLLOWING,
    "relationships_follow_requests_sent": Section.REQUESTS_SENT,
    "relationships_permanent_follow_requests": Section.REQUESTS_SENT,
    "relationships_follow_requests_received": Section.REQUESTS_RECEIVED,
}
_INSTAGRAM_PREVIOUS_KEYS = {
    "followers": Section.FOLLOWERS,
    "following": Section.FOLLOWING,
    "follow_requests_sent": Section.REQUESTS_SENT,
    "follow_requests_received": Section.REQUESTS_RECEIVED,
}


def _stem(path: str) -> tuple[str, str]:
    name = PurePosixPath(path).name.lower().replace("'", "").replace("’", "")
    stem, _, ext = name.rpartition(".")
    return stem, ext


def _known_stem(stem: str) -> bool:
    return stem in _NAMES or _NUMBERED.fullmatch(stem) is not None


def is_meta_list(path: str) -> bool:
    """A JSON file that may hold friends, followers, following or requests."""
    stem, ext = _stem(path)
    return ext == "json" and _known_stem(stem)


def is_meta_html(path: str) -> bool:
    """The same lists downloaded in HTML, which the audit cannot read reliably."""
    stem, ext = _stem(path)
    return ext in {"html", "htm"} and _known_stem(stem) and stem != "connections"


def _facebook_person(item: Any) -> Person | None:
    if not isinstance(item, dict):
        return None
    name = item.get("name")
    if not isinstance(name, str) or not name.strip():
        return None
    contact = item.get("contact_info")
    email = phone = ""
    if isinstance(contact, str) and contact.strip():
        if "@" in contact:
            email = contact.strip()
        else:
            phone = contact.strip()
    return Person(name=name.strip(), email=email, phone=phone)


def _instagram_person(item: Any) -> Person | None:
    if not isinstance(item, dict):
        return None
    title = item.get("title")
    entries = item.get("string_list_data")
    first = entries[0] if isinstance(entries, list) and entries else {}
    if not isinstance(first, dict):
        return None
    value, href = first.get("value"), first.get("href")
    value = value.strip() if isinstance(value, str) else ""
    href = href.strip() if isinstance(href, str) else ""
    handle = value or (title.strip() if isinstance(title, str) else "") or handle_from_url(href)[1]
    if not handle:
        return None
    return Person(handle=handle.lstrip("@"), url=href)


def _people(
    items: list[Any], parse: Any, source: str, unreadable: list[Unreadable]
) -> tuple[Person, ...]:
    people = [parse(item) for item in items]
    bad = sum(1 for p in people if p is None)
    if bad:
        unreadable.append(
            Unreadable(source, f"{bad} of {len(items)} entries have no name or handle we can read")
        )
    return tuple(p for p in people if p is not None)


def _classify(
    doc: Any, source: str, unreadable: list[Unreadable]
) -> list[tuple[Platform, Section, tuple[Person, ...]]]:
    stem, _ = _stem(source)
    found: list[tuple[Platform, Section, tuple[Person, ...]]] = []
    if isinstance(doc, list):
        # Instagram's followers_1.json is a bare list; the file name says which list.
        section = Section.FOLLOWERS if stem.startswith("followers") else None
        section = Section.FOLLOWING if stem.startswith("following") else section
        if section is not None:
            found.append(
                (Platform.INSTAGRAM, section, _people(doc, _instagram_person, source, unreadable))
            )
        return found
    if not isinstance(doc, dict):
        return found
    for key, value in doc.items():
        if key in _INSTAGRAM_KEYS and isinstance(value, list):
            people = _people(value, _instagram_person, source, unreadable)
            found.append((Platform.INSTAGRAM, _INSTAGRAM_KEYS[key], people))
        elif key in _INSTAGRAM_PREVIOUS_KEYS and isinstance(value, dict):
            # Instagram's previous connections.json: {"handle": "when"}.
            people = tuple(Person(handle=str(h).strip().lstrip("@")) for h in value if str(h))
            found.append((Platform.INSTAGRAM, _INSTAGRAM_PREVIOUS_KEYS[key], people))
        elif (match := _FACEBOOK_KEY.fullmatch(key)) and isinstance(value, list):
            people = _people(value, _facebook_person, source, unreadable)
            found.append((Platform.FACEBOOK, _FACEBOOK_SECTIONS[match["list"]], people))
    return found


def read_meta_json(source: str, data: bytes) -> tuple[list[SectionData], list[Unreadable]]:
    """Read one Facebook or Instagram list file; problems become ``Unreadable`` entries."""
    unreadable: list[Unreadable] = []
    try:
        doc = repair_strings(json.loads(data.decode("utf-8-sig")))
    except UnicodeDecodeError:
        return [], [Unreadable(source, "not UTF-8 text, so not a JSON download")]
    except json.JSONDecodeError as error:
        return [], [Unreadable(source, f"malformed JSON (line {error.lineno}): cut short?")]
    except RecursionError:
        return [], [Unreadable(source, "JSON nested too deeply to be a download")]
    found = _classify(doc, source, unreadable)
    if not found:
        unreadable.append(
            Unreadable(source, "not a list of friends, followers or requests in a known layout")
        )
    sections = [
        SectionData(platform, section, source, people) for platform, section, people in found
    ]
    return sections, unreadable
