"""Matching against the register: identifiers are certain, names explained, never silent."""

from __future__ import annotations

import pytest

from boundaries.core.platform_audit import (
    ClientIndex,
    ExportReport,
    Finding,
    MatchBasis,
    Person,
    Platform,
    Recommendation,
    RegisterClient,
    Section,
    audit,
    read_export,
)
from boundaries.core.types import ClauseId
from tests.exports.support import (
    HANNAH,
    JOSE,
    MAREK,
    NGOZI,
    REGISTER,
    SAM_PAST,
    SAM_PRESENT,
    SIOBHAN,
    ZOE,
    corrupt_member,
    zip_folder,
    zip_members,
)

INDEX = ClientIndex(REGISTER)


def report_for(folder: str) -> ExportReport:
    return audit(read_export(zip_folder(folder)), REGISTER)


def found(report: ExportReport, section: Section) -> dict[int, Finding]:
    return {f.client_id: f for f in report.findings if f.section == section}


def best(name: str = "", *, handle: str = "", platform: Platform = Platform.FACEBOOK) -> list:
    return INDEX.match(Person(name=name, handle=handle), platform)


# -- names -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "shown", ["José García", "Jose Garcia", "JOSÉ GARCÍA", "josé  garcía", "Jose-Garcia"]
)
def test_it_matches_names_ignoring_accents_case_and_punctuation(shown: str) -> None:
    [match] = best(shown)
    assert (match.client_id, match.confidence, match.basis) == (JOSE, 0.8, MatchBasis.FULL_NAME)
    assert "is this client's name" in match.reason


def test_it_matches_names_with_apostrophes_and_accents_either_way() -> None:
    [match] = best("Siobhan OConnell")
    assert match.client_id == SIOBHAN
    [match] = best("SIOBHÁN O’CONNELL")
    assert match.client_id == SIOBHAN


def test_it_matches_a_nickname_the_practice_listed_with_a_lower_confidence() -> None:
    [match] = best("Pepe García")
    assert (match.client_id, match.confidence, match.basis) == (JOSE, 0.7, MatchBasis.NICKNAME)
    assert "“Pepe”, a nickname the practice lists for this client" in match.reason


def test_it_does_not_invent_nicknames_the_practice_did_not_list() -> None:
    assert best("Joe García") == []


def test_it_reports_namesakes_as_possible_matches_with_the_reason() -> None:
    matches = best("Sam Taylor")
    assert [m.client_id for m in matches] == [SAM_PRESENT, SAM_PAST]
    for match in matches:
        assert match.confidence == 0.5
        assert "2 clients in the register fit this name" in match.reason
        assert "namesakes" in match.reason


def test_it_always_says_a_name_alone_may_be_someone_else() -> None:
    [match] = best("Hannah Fairweather")
    assert match.confidence < 1.0
    assert "may belong to someone else" in match.reason


@pytest.mark.parametrize(
    ("shown", "confidence", "words"),
    [
        ("José Luis García", 0.6, "a middle name differs"),
        ("García José", 0.6, "names in the other order"),
        ("José G.", 0.4, "first name and last initial"),
        ("J. García", 0.4, "first initial and last name"),
    ],
)
def test_it_scores_weaker_name_variants_lower(shown: str, confidence: float, words: str) -> None:
    [match] = best(shown)
    assert (match.client_id, match.confidence) == (JOSE, confidence)
    assert words in match.reason


def test_it_matches_part_of_a_double_surname() -> None:
    index = ClientIndex([RegisterClient(40, "Lucía", "Fernández López")])
    [match] = index.match(Person(name="Lucia Lopez"), Platform.FACEBOOK)
    assert (match.confidence, match.basis) == (0.6, MatchBasis.NAME_VARIANT)


def test_it_does_not_match_a_first_name_alone_or_a_different_surname() -> None:
    assert best("José") == []
    assert best("José Martínez") == []
    assert best("Hannah B") == []  # a last initial that is not the client's


# -- identifiers -----------------------------------------------------------------------------


def test_it_matches_a_handle_on_the_clients_record_with_certainty() -> None:
    [match] = best(handle="@Pepe.Garcia", platform=Platform.INSTAGRAM)
    assert (match.client_id, match.confidence, match.basis) == (JOSE, 1.0, MatchBasis.HANDLE)
    assert match.reason == "Instagram handle @pepe.garcia is on this client's record"


def test_it_does_not_match_a_handle_recorded_for_another_platform() -> None:
    assert best(handle="pepe.garcia", platform=Platform.FACEBOOK) == []


def test_it_matches_a_profile_url_recorded_as_a_link_or_handle() -> None:
    person = Person(name="J G", url="https://www.linkedin.com/in/Jose-Garcia-4b2a1c")
    [match] = INDEX.match(person, Platform.LINKEDIN)
    assert (match.client_id, match.basis, match.confidence) == (JOSE, MatchBasis.PROFILE_URL, 1.0)


def test_it_matches_email_and_phone_with_certainty() -> None:
    [match] = INDEX.match(Person(email=" Zoe.Lindqvist@Example.org"), Platform.LINKEDIN)
    assert (match.client_id, match.basis, match.confidence) == (ZOE, MatchBasis.EMAIL, 1.0)
    [match] = INDEX.match(Person(phone="0161 496 0123"), Platform.FACEBOOK)
    assert (match.client_id, match.basis) == (NGOZI, MatchBasis.PHONE)


def test_it_notices_a_handle_that_spells_a_clients_name_but_only_as_possible() -> None:
    [match] = best(handle="ngozi.adeyemi.92", platform=Platform.INSTAGRAM)
    assert (match.client_id, match.confidence) == (NGOZI, 0.5)
    assert "spells this client's name" in match.reason


def test_it_keeps_the_strongest_reason_when_several_apply() -> None:
    person = Person(name="Zoë Lindqvist", email="zoe.lindqvist@example.org")
    [match] = INDEX.match(person, Platform.LINKEDIN)
    assert match.basis == MatchBasis.EMAIL


# -- reports ---------------------------------------------------------------------------------


def test_it_reports_facebook_friends_to_remove_and_requests_to_decline() -> None:
    report = report_for("facebook_current")
    assert report.complete
    assert not report.all_clear
    friends = found(report, Section.CONNECTIONS)
    assert set(friends) == {JOSE, SAM_PRESENT, SAM_PAST}
    assert friends[JOSE].shown_as == "José García"  # repaired from Facebook's escaping
    assert friends[JOSE].recommendation == Recommendation.REMOVE
    assert friends[JOSE].clause == ClauseId.NO_CONNECTIONS
    received = found(report, Section.REQUESTS_RECEIVED)
    assert set(received) == {SIOBHAN, MAREK}
    assert received[SIOBHAN].recommendation == Recommendation.DECLINE
    assert set(found(report, Section.REQUESTS_SENT)) == {HANNAH}
    following = found(report, Section.FOLLOWING)
    assert following[NGOZI].basis == MatchBasis.NICKNAME
    assert following[NGOZI].recommendation == Recommendation.UNFOLLOW
    assert following[NGOZI].clause == ClauseId.NO_FOLLOWING
    assert set(found(report, Section.FOLLOWERS)) == {ZOE}
    assert report.people_checked == 13


def test_it_reports_facebooks_previous_layout_too() -> None:
    report = report_for("facebook_previous")
    assert report.complete
    assert found(report, Section.CONNECTIONS)[JOSE].basis == MatchBasis.NICKNAME
    assert set(found(report, Section.REQUESTS_RECEIVED)) == {NGOZI}
    assert set(found(report, Section.FOLLOWING)) == {SIOBHAN}


def test_it_reports_instagram_followers_following_and_requests() -> None:
    report = report_for("instagram_current")
    assert report.complete
    followers = found(report, Section.FOLLOWERS)
    assert set(followers) == {JOSE, SIOBHAN}
    assert followers[SIOBHAN].certain  # recorded as "ig: @siobhan_oc"
    assert found(report, Section.FOLLOWING)[ZOE].basis == MatchBasis.HANDLE
    assert found(report, Section.REQUESTS_SENT)[MAREK].recommendation == Recommendation.WITHDRAW
    received = found(report, Section.REQUESTS_RECEIVED)[NGOZI]
    assert (received.basis, received.certain) == (MatchBasis.HANDLE_SPELLS_NAME, False)
    assert [f.client_id for f in report.following_clients] == [ZOE, JOSE, SIOBHAN]


def test_it_reports_instagrams_previous_layout_too() -> None:
    report = report_for("instagram_previous")
    assert report.complete
    assert set(found(report, Section.FOLLOWING)) == {JOSE}
    assert set(found(report, Section.FOLLOWERS)) == {SIOBHAN}


def test_it_reports_linkedin_connections_and_invitations() -> None:
    report = report_for("linkedin_current")
    assert report.complete
    connections = found(report, Section.CONNECTIONS)
    assert connections[JOSE].basis == MatchBasis.PROFILE_URL
    assert connections[ZOE].basis == MatchBasis.EMAIL
    # "Sam T." fits both Sam Taylors, weakly, and says so
    assert connections[SAM_PRESENT].confidence == connections[SAM_PAST].confidence == 0.4
    assert "namesakes" in connections[SAM_PAST].reason
    assert set(found(report, Section.REQUESTS_RECEIVED)) == {NGOZI}
    assert report.to_decline[0].client_id == NGOZI


def test_it_is_all_clear_only_when_complete_and_no_client_is_found() -> None:
    archive = zip_members({"Connections.csv": b"First Name,Last Name\nOliver,Grant\n"})
    report = audit(read_export(archive), REGISTER)
    assert report.complete
    assert report.all_clear


@pytest.mark.parametrize(
    "damage",
    ["truncated", "not_a_zip", "member", "malformed_json", "unknown_layout", "empty", "html"],
)
def test_it_never_gives_an_all_clear_for_a_download_it_could_not_read(damage: str) -> None:
    path = "connections/friends/your_friends.json"
    archive = zip_folder("facebook_current")
    blob = {
        "truncated": archive[:-200],
        "not_a_zip": b"<html>download expired</html>",
        "member": corrupt_member(archive, path),
        "malformed_json": zip_folder("facebook_current", replace={path: b'{"friends_v2": [{'}),
        "unknown_layout": zip_folder("facebook_current", replace={path: b'{"x": 1}'}),
        "empty": zip_members({"README.txt": b"nothing here"}),
        "html": zip_members({"your_friends.html": b"<html></html>"}),
    }[damage]
    report = audit(read_export(blob), REGISTER)
    assert not report.complete
    assert not report.all_clear
    assert report.problems()


def test_it_is_incomplete_when_a_list_the_audit_needs_is_missing() -> None:
    only_followers = zip_members(
        {"followers_1.json": b'[{"string_list_data": [{"value": "river.walks"}]}]'}
    )
    report = audit(read_export(only_followers), REGISTER)
    assert not report.complete
    assert report.problems() == ["Instagram: no list of accounts you follow in this download"]


def test_it_survives_a_round_trip_through_json() -> None:
    report = report_for("linkedin_current")
    assert ExportReport.from_dict(report.to_dict()) == report


def test_its_stored_form_holds_no_one_who_is_not_a_possible_client() -> None:
    stored = str(report_for("facebook_current").to_dict())
    for stranger in ("Priya", "Tomasz", "Oliver", "Léa", "Arjun", "Riverside"):
        assert stranger not in stored
