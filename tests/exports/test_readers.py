"""Reading each platform's download, current and previous layouts, and damaged ones."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from boundaries.core.platform_audit import (
    Person,
    Platform,
    Section,
    read_export,
    repair_mojibake,
)
from tests.exports.support import DATA, corrupt_member, zip_folder, zip_members


def people(export: object, platform: Platform, section: Section) -> list[Person]:
    return [
        p
        for s in export.sections  # type: ignore[attr-defined]
        if s.platform == platform and s.section == section
        for p in s.people
    ]


def names(export: object, platform: Platform, section: Section) -> list[str]:
    return [p.name or p.handle for p in people(export, platform, section)]


@pytest.mark.parametrize(
    ("mangled", "repaired"),
    [
        ("JosÃ© GarcÃ\xada", "José García"),
        ("SiobhÃ¡n", "Siobhán"),
        ("ZoÃ«", "Zoë"),
        ("Ã\x85sa Ã\x98stergaard", "Åsa Østergaard"),
        ("æ\x9d\x8e", "李"),
    ],
)
def test_it_repairs_text_that_facebook_escaped_as_latin_1(mangled: str, repaired: str) -> None:
    assert repair_mojibake(mangled) == repaired


@pytest.mark.parametrize("correct", ["José García", "Zoë", "Ãlvaro", "plain ascii", "李", "Åsa"])
def test_it_leaves_correct_text_alone(correct: str) -> None:
    assert repair_mojibake(correct) == correct


def test_it_reads_every_list_of_facebooks_current_layout() -> None:
    export = read_export(zip_folder("facebook_current"))
    assert export.unreadable == ()
    assert export.platforms == (Platform.FACEBOOK,)
    friends = names(export, Platform.FACEBOOK, Section.CONNECTIONS)
    assert friends[:3] == ["José García", "Priya Raman", "Tomasz Wójcik"]
    assert len(friends) == 6
    received = names(export, Platform.FACEBOOK, Section.REQUESTS_RECEIVED)
    assert received == ["Siobhán O'Connell", "Marek Nowak"]
    assert names(export, Platform.FACEBOOK, Section.REQUESTS_SENT) == ["Hannah Fairweather"]
    assert names(export, Platform.FACEBOOK, Section.FOLLOWING) == [
        "Zizi Adeyemi",
        "Riverside Community Garden",
    ]
    assert names(export, Platform.FACEBOOK, Section.FOLLOWERS) == ["Zoë Lindqvist", "Arjun Mehta"]


def test_it_skips_facebooks_other_files_unread() -> None:
    export = read_export(zip_folder("facebook_current"))
    # posts, the media placeholder and removed_friends.json are not lists the audit reads
    assert export.files_skipped == 3
    assert "Ngozi Adeyemi" not in {p.name for s in export.sections for p in s.people}


def test_it_reads_facebooks_previous_layout() -> None:
    export = read_export(zip_folder("facebook_previous"))
    assert export.unreadable == ()
    assert names(export, Platform.FACEBOOK, Section.CONNECTIONS) == [
        "Priya Raman",
        "Pepe García",
        "Oliver Grant",
    ]
    assert names(export, Platform.FACEBOOK, Section.REQUESTS_RECEIVED) == ["Ngozi Adeyemi"]
    assert names(export, Platform.FACEBOOK, Section.REQUESTS_SENT) == ["Marek Nowak"]
    assert names(export, Platform.FACEBOOK, Section.FOLLOWING) == ["Siobhán O'Connell"]
    assert names(export, Platform.FACEBOOK, Section.FOLLOWERS) == ["Léa Martin"]


def test_it_reads_instagrams_current_layout_including_handles_only_in_the_title() -> None:
    export = read_export(zip_folder("instagram_current"))
    assert export.unreadable == ()
    assert export.platforms == (Platform.INSTAGRAM,)
    followers = people(export, Platform.INSTAGRAM, Section.FOLLOWERS)
    assert [p.handle for p in followers] == ["pepe.garcia", "river.walks", "siobhan_oc"]
    assert followers[0].url == "https://www.instagram.com/pepe.garcia"
    assert names(export, Platform.INSTAGRAM, Section.FOLLOWING) == [
        "zoelindqvist",
        "bakery_on_bridge",
    ]
    assert names(export, Platform.INSTAGRAM, Section.REQUESTS_SENT) == ["marek.nowak"]
    assert names(export, Platform.INSTAGRAM, Section.REQUESTS_RECEIVED) == ["ngozi.adeyemi.92"]


def test_it_reads_instagrams_previous_connections_json() -> None:
    export = read_export(zip_folder("instagram_previous"))
    assert export.unreadable == ()
    assert names(export, Platform.INSTAGRAM, Section.FOLLOWERS) == ["river.walks", "siobhan_oc"]
    assert names(export, Platform.INSTAGRAM, Section.FOLLOWING) == [
        "bakery_on_bridge",
        "josegarcia",
    ]
    assert names(export, Platform.INSTAGRAM, Section.REQUESTS_SENT) == ["marek.nowak"]


def test_it_reads_linkedin_connections_after_their_notes_and_invitations_by_direction() -> None:
    export = read_export(zip_folder("linkedin_current"))
    assert export.unreadable == ()
    connections = people(export, Platform.LINKEDIN, Section.CONNECTIONS)
    assert [p.name for p in connections] == [
        "José García",
        "Priya Raman",
        "Zoe Lindqvist",
        "Sam T.",
    ]
    assert connections[0].url == "https://www.linkedin.com/in/jose-garcia-4b2a1c"
    assert connections[2].email == "zoe.lindqvist@example.org"
    assert names(export, Platform.LINKEDIN, Section.REQUESTS_RECEIVED) == ["Ngozi Adeyemi"]
    assert names(export, Platform.LINKEDIN, Section.REQUESTS_SENT) == ["Arjun Mehta"]


def test_it_reads_linkedins_previous_connections_without_a_url_column() -> None:
    export = read_export(zip_folder("linkedin_previous"))
    assert export.unreadable == ()
    assert names(export, Platform.LINKEDIN, Section.CONNECTIONS) == [
        "Siobhan O'Connell",
        "Oliver Grant",
    ]


def test_it_reads_a_download_inside_a_top_level_folder_with_extra_files() -> None:
    archive = zip_folder(
        "instagram_current",
        prefix="instagram-morgan.vale-2025-03-01/",
        extra={
            "instagram-morgan.vale-2025-03-01/media/posts/202503/photo.jpg": b"\xff\xd8\xff\xe0",
            "instagram-morgan.vale-2025-03-01/index.html": b"<html></html>",
            "__MACOSX/._following.json": b"\x00\x05\x16\x07",
        },
    )
    export = read_export(archive)
    assert export.unreadable == ()
    assert len(people(export, Platform.INSTAGRAM, Section.FOLLOWERS)) == 3


def test_it_reads_a_combined_meta_download_with_both_platforms() -> None:
    facebook = zip_folder("facebook_current")
    instagram = zip_folder("instagram_previous")
    members = {}
    for prefix, blob in (("facebook/", facebook), ("instagram/", instagram)):
        with zipfile.ZipFile(io.BytesIO(blob)) as archive:
            members.update({prefix + n: archive.read(n) for n in archive.namelist()})
    export = read_export(zip_members(members))
    assert export.unreadable == ()
    assert export.platforms == (Platform.FACEBOOK, Platform.INSTAGRAM)


# -- damage: every problem is named, nothing is silently skipped ----------------------------


def test_it_names_a_truncated_archive_as_unreadable() -> None:
    archive = zip_folder("facebook_current")
    export = read_export(archive[: len(archive) // 2])
    assert export.sections == ()
    assert len(export.unreadable) == 1
    assert "cut short" in export.unreadable[0].problem


def test_it_names_a_file_that_is_not_a_zip_at_all() -> None:
    export = read_export(b"%PDF-1.7 not a zip")
    assert export.sections == ()
    assert "not a zip file" in export.unreadable[0].problem


def test_it_names_a_member_damaged_inside_the_archive() -> None:
    path = "connections/friends/your_friends.json"
    archive = corrupt_member(zip_folder("facebook_current"), path)
    export = read_export(archive)
    assert [u.source for u in export.unreadable] == [path]
    assert "damaged" in export.unreadable[0].problem
    # the other lists are still read
    assert names(export, Platform.FACEBOOK, Section.REQUESTS_RECEIVED)


def test_it_names_malformed_json_with_its_line() -> None:
    path = "connections/friends/your_friends.json"
    text = (DATA / "facebook_current" / path).read_bytes()
    export = read_export(zip_folder("facebook_current", replace={path: text[: len(text) // 2]}))
    assert [u.source for u in export.unreadable] == [path]
    assert "malformed JSON (line" in export.unreadable[0].problem


def test_it_names_a_list_file_in_a_layout_it_does_not_know() -> None:
    path = "connections/friends/your_friends.json"
    doc = json.dumps({"friends_v9000": {"unexpected": True}}).encode()
    export = read_export(zip_folder("facebook_current", replace={path: doc}))
    assert [u.source for u in export.unreadable] == [path]
    assert "known layout" in export.unreadable[0].problem


def test_it_counts_entries_it_cannot_read_instead_of_dropping_them() -> None:
    path = "connections/friends/your_friends.json"
    doc = json.dumps({"friends_v2": [{"name": "Priya Raman"}, {"timestamp": 1}, "x"]}).encode()
    export = read_export(zip_folder("facebook_current", replace={path: doc}))
    assert [u.problem for u in export.unreadable] == [
        "2 of 3 entries have no name or handle we can read"
    ]
    assert names(export, Platform.FACEBOOK, Section.CONNECTIONS) == ["Priya Raman"]


def test_it_names_a_linkedin_csv_without_its_header_or_with_broken_rows() -> None:
    no_header = b"Notes:\nsomething\n\nJose,Garcia,,,\n"
    broken = b"First Name,Last Name,URL,Email Address,Company,Position,Connected On\nA,B\n"
    export = read_export(zip_members({"Connections.csv": no_header}))
    assert "no header row" in export.unreadable[0].problem
    export = read_export(zip_members({"Connections.csv": broken}))
    assert export.unreadable[0].problem == "1 rows could not be read"


def test_it_asks_for_json_when_the_download_is_in_html() -> None:
    archive = zip_members(
        {"connections/followers_and_following/followers_1.html": b"<html>...</html>"}
    )
    export = read_export(archive)
    assert "request the download again as JSON" in export.unreadable[0].problem


def test_it_does_not_open_an_archive_inside_the_archive() -> None:
    inner = zip_folder("linkedin_current")
    export = read_export(zip_members({"Basic_LinkedInDataExport.zip": inner}))
    assert export.sections == ()
    assert "upload it on its own" in export.unreadable[0].problem
