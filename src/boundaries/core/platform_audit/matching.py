"""Matching people in a platform's lists against the client register, explainably.

The register is indexed once by normalised keys (handles per platform, profile
URLs, emails, phones, folded names and their variants), so each person costs a
few dictionary look-ups whatever the size of the register: a list of 50,000 is
checked in well under a second.

Identifiers the practice holds (a handle, a profile URL, an email, a phone)
are certain. Names never are: a name match is reported as *possible*, with a
confidence and a reason in plain words, and a name shared by several clients
says so rather than picking one.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from boundaries.core.contacts import ContactError, normalise_phone
from boundaries.core.platform_audit.model import MatchBasis, Person, Platform
from boundaries.core.platform_audit.text import (
    fold,
    handle_from_url,
    name_tokens,
    normalise_handle_for,
)

__all__ = ["ClientIndex", "Match", "RegisterClient"]

HANDLE_CONFIDENCE = 1.0
UNPLATFORMED_HANDLE_CONFIDENCE = 0.9
FULL_NAME_CONFIDENCE = 0.8
NICKNAME_CONFIDENCE = 0.7
NAME_VARIANT_CONFIDENCE = 0.6
HANDLE_SPELLS_NAME_CONFIDENCE = 0.5
NAMESAKE_CAP = 0.5
INITIAL_CONFIDENCE = 0.4

NAME_CAUTION = "A name alone may belong to someone else: check the profile before acting."


@dataclass(frozen=True, slots=True)
class RegisterClient:
    """A present or past client, as plain data: what the practice holds to recognise them."""

    id: int
    first_name: str
    last_name: str
    status: str = "present"
    nicknames: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()  # E.164
    handles: tuple[tuple[str, str], ...] = ()  # (platform, handle or profile URL)


@dataclass(frozen=True, slots=True)
class Match:
    client_id: int
    confidence: float
    basis: MatchBasis
    reason: str


@dataclass(frozen=True, slots=True)
class _NameEntry:
    client_id: int
    basis: MatchBasis
    confidence: float
    reason: str


_LETTERS = re.compile(r"[^\W\d_]+")


def _key(tokens: Iterable[str]) -> str:
    return "".join(tokens)


class ClientIndex:
    """The register indexed by every key a person in an export can be matched on."""

    def __init__(self, clients: Iterable[RegisterClient], *, default_region: str = "GB") -> None:
        self.region = default_region
        self.size = 0
        self._handles: dict[tuple[str, str], list[int]] = defaultdict(list)
        self._emails: dict[str, list[int]] = defaultdict(list)
        self._phones: dict[str, list[int]] = defaultdict(list)
        self._names: dict[str, list[_NameEntry]] = defaultdict(list)
        self._full_names: dict[str, list[int]] = defaultdict(list)
        self._first_and_initial: dict[tuple[str, str], list[int]] = defaultdict(list)
        self._initial_and_last: dict[tuple[str, str], list[int]] = defaultdict(list)
        for client in clients:
            self._add(client)

    def _add(self, client: RegisterClient) -> None:
        self.size += 1
        for platform, raw in client.handles:
            key = normalise_handle_for(platform, raw)
            if key[1] and client.id not in self._handles[key]:
                self._handles[key].append(client.id)
        for email in client.emails:
            self._emails[email.strip().lower()].append(client.id)
        for phone in client.phones:
            self._phones[phone.strip()].append(client.id)
        first, last = name_tokens(client.first_name), name_tokens(client.last_name)
        if not first or not last:
            return
        full = _key(first + last)
        self._full_names[full].append(client.id)
        self._name(full, client.id, MatchBasis.FULL_NAME, FULL_NAME_CONFIDENCE, "Full name")
        for nickname in client.nicknames:
            nick = name_tokens(nickname)
            if not nick:
                continue
            reason = f"uses “{nickname.strip()}”, a nickname the practice lists for this client"
            self._name(
                _key(nick + last), client.id, MatchBasis.NICKNAME, NICKNAME_CONFIDENCE, reason
            )
            if len(nick) > 1:
                self._name(_key(nick), client.id, MatchBasis.NICKNAME, NICKNAME_CONFIDENCE, reason)
        if len(last) > 1:
            reason = "has this client's first name and one part of their double surname"
            for part in last:
                self._name(
                    _key((*first, part)),
                    client.id,
                    MatchBasis.NAME_VARIANT,
                    NAME_VARIANT_CONFIDENCE,
                    reason,
                )
        self._first_and_initial[(_key(first), last[0][0])].append(client.id)
        self._initial_and_last[(first[0][0], _key(last))].append(client.id)

    def _name(
        self, key: str, client_id: int, basis: MatchBasis, confidence: float, reason: str
    ) -> None:
        entries = self._names[key]
        if not any(e.client_id == client_id for e in entries):
            entries.append(_NameEntry(client_id, basis, confidence, reason))

    # -- matching ---------------------------------------------------------------------------

    def match(self, person: Person, platform: Platform) -> list[Match]:
        """Every client this person may be, best reason per client, strongest first."""
        best: dict[int, Match] = {}

        def keep(match: Match) -> None:
            current = best.get(match.client_id)
            if current is None or match.confidence > current.confidence:
                best[match.client_id] = match

        for match in self._by_identifiers(person, platform):
            keep(match)
        for match in self._by_name(person):
            keep(match)
        return sorted(best.values(), key=lambda m: (-m.confidence, m.client_id))

    def _by_identifiers(self, person: Person, platform: Platform) -> Iterable[Match]:
        label = platform.label
        if person.handle:
            key = normalise_handle_for(platform.value, person.handle)
            for client_id in self._handles.get(key, ()):
                yield Match(
                    client_id,
                    HANDLE_CONFIDENCE,
                    MatchBasis.HANDLE,
                    f"{label} handle @{key[1]} is on this client's record",
                )
            for client_id in self._handles.get(("", key[1]), ()):
                yield Match(
                    client_id,
                    UNPLATFORMED_HANDLE_CONFIDENCE,
                    MatchBasis.HANDLE,
                    f"Handle @{key[1]} is on this client's record (no platform recorded)",
                )
        if person.url:
            url_key = handle_from_url(person.url)
            for client_id in self._handles.get(url_key, ()) if url_key[1] else ():
                yield Match(
                    client_id,
                    HANDLE_CONFIDENCE,
                    MatchBasis.PROFILE_URL,
                    f"{label} profile link /{url_key[1]} is on this client's record",
                )
        if person.email:
            for client_id in self._emails.get(person.email.strip().lower(), ()):
                yield Match(
                    client_id,
                    HANDLE_CONFIDENCE,
                    MatchBasis.EMAIL,
                    "Email address is on this client's record",
                )
        if person.phone:
            try:
                phone = normalise_phone(person.phone, self.region)
            except ContactError:
                phone = ""
            for client_id in self._phones.get(phone, ()) if phone else ():
                yield Match(
                    client_id,
                    HANDLE_CONFIDENCE,
                    MatchBasis.PHONE,
                    "Phone number is on this client's record",
                )

    def _by_name(self, person: Person) -> list[Match]:
        found: list[Match] = []
        tokens = name_tokens(person.name) if person.name else ()
        if len(tokens) >= 2:
            shown = f"“{person.name.strip()}”"
            found.extend(
                Match(e.client_id, e.confidence, e.basis, f"Name {shown} {e.reason}")
                if e.basis != MatchBasis.FULL_NAME
                else Match(
                    e.client_id, e.confidence, e.basis, f"Full name {shown} is this client's name"
                )
                for e in self._names.get(_key(tokens), ())
            )
            # (client ids, confidence, basis, how the name fits)
            lookups: list[tuple[Iterable[int], float, MatchBasis, str]] = [
                (
                    self._full_names.get(_key(reversed(tokens)), ()),
                    NAME_VARIANT_CONFIDENCE,
                    MatchBasis.NAME_VARIANT,
                    "has this client's names in the other order",
                )
            ]
            if len(tokens) >= 3:
                lookups.append(
                    (
                        self._full_names.get(_key((tokens[0], tokens[-1])), ()),
                        NAME_VARIANT_CONFIDENCE,
                        MatchBasis.NAME_VARIANT,
                        "has this client's first and last names (a middle name differs)",
                    )
                )
            if len(tokens[-1]) == 1:
                lookups.append(
                    (
                        self._first_and_initial.get((_key(tokens[:-1]), tokens[-1]), ()),
                        INITIAL_CONFIDENCE,
                        MatchBasis.INITIAL,
                        "has this client's first name and last initial",
                    )
                )
            if len(tokens[0]) == 1:
                lookups.append(
                    (
                        self._initial_and_last.get((tokens[0], _key(tokens[1:])), ()),
                        INITIAL_CONFIDENCE,
                        MatchBasis.INITIAL,
                        "has this client's first initial and last name",
                    )
                )
            found.extend(
                Match(client_id, confidence, basis, f"Name {shown} {how}")
                for ids, confidence, basis, how in lookups
                for client_id in ids
            )
        if person.handle:
            found.extend(self._handle_spells_name(person.handle))
        return self._caution(found)

    def _handle_spells_name(self, handle: str) -> Iterable[Match]:
        words = _LETTERS.findall(fold(handle))
        candidates = {_key(words)}
        if len(words) > 2:
            candidates.add(_key(words[:2]))
        if len(words) == 2:
            candidates.add(_key(reversed(words)))
        for key in candidates:
            if len(key) < 6:  # "annlee" at least; shorter is too common to mean anything
                continue
            for client_id in self._full_names.get(key, ()):
                yield Match(
                    client_id,
                    HANDLE_SPELLS_NAME_CONFIDENCE,
                    MatchBasis.HANDLE_SPELLS_NAME,
                    f"Handle @{handle.lstrip('@')} spells this client's name",
                )

    @staticmethod
    def _caution(found: list[Match]) -> list[Match]:
        """Names are never certain; a name that fits several clients says so."""
        clients = {m.client_id for m in found}
        shared = len(clients) > 1
        out = []
        for m in found:
            confidence, reason = m.confidence, m.reason
            if shared:
                confidence = min(confidence, NAMESAKE_CAP)
                reason += (
                    f". {len(clients)} clients in the register fit this name,"
                    " so it cannot tell which (namesakes)"
                )
            out.append(Match(m.client_id, confidence, m.basis, f"{reason}. {NAME_CAUTION}"))
        return out
