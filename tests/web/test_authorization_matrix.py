"""Every URL, every persona: exactly the allowed set answers 2xx; everything else is 404/302.

Personas (healthchecks-style): Alice owns the practice, Bob is a therapist in
it who sees only his own clients, Charlie is a therapist of another practice,
and an anonymous visitor. A URL pattern missing from the table fails the test,
so new pages must declare who may see them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client as HttpClient
from django.urls import URLPattern, URLResolver, get_resolver

from boundaries.practices import actions
from tests.web.signin import reauthenticate, sign_in

pytestmark = pytest.mark.django_db

PUBLIC = {"anonymous", "alice", "bob", "charlie", "client", "other_client"}
THERAPISTS = {"alice", "bob", "charlie"}
CLIENTS = {"client", "other_client"}


def all_patterns(resolver: Any = None, prefix: str = "") -> list[str]:
    found: list[str] = []
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            found += all_patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            found.append(prefix + str(entry.pattern))
    return found


@pytest.fixture
def world(practice: Any, alice: Any, bob: Any, charlie: Any) -> dict[str, Any]:
    from boundaries.inbox.models import Alert, Message

    alices_client = actions.do_add_client(
        practice, first_name="Ana", last_name="A", therapist=alice
    )
    bobs_client = actions.do_add_client(practice, first_name="Ben", last_name="B", therapist=bob)
    for client in (alices_client, bobs_client):
        actions.do_set_agreement(client, channels=["email"])
    messages = {
        name: Message.objects.create(
            practice=practice,
            channel="sms",
            client=client,
            sender_status="present_client",
            content_hash=name * 8,
            received_at=dt.datetime.now(dt.UTC),
            sealed=b"",
            risk="urgent",
            crisis=True,
            actions=["urgent_alert", "crisis_resources_reply"],
        )
        for name, client in (("alice", alices_client), ("bob", bobs_client))
    }
    for message in messages.values():  # urgent, so the "who to call" screen exists
        Alert.objects.create(practice=practice, message=message)
    from boundaries.vault.files import store_file
    from boundaries.welfare.actions import ContactAttempt, do_open_welfare_check

    check = do_open_welfare_check(
        alices_client,
        alice,
        reason="missed session, unreachable",
        attempts=[ContactAttempt("phone", dt.datetime.now(dt.UTC), "no answer")],
    )
    return {
        "alice_client": alices_client,
        "bob_client": bobs_client,
        "messages": messages,
        "check": check,
        "file": store_file(
            client=alices_client,
            data=b"notes for our next session\n",
            filename="notes.txt",
            direction="from_client",
        ),
    }


def table(world: dict[str, Any], slug: str) -> dict[str, list[tuple[str, set[str]]]]:
    """Pattern -> concrete URLs and the personas allowed a 2xx on each."""
    a, b = world["alice_client"].pk, world["bob_client"].pk
    ma, mb = world["messages"]["alice"].pk, world["messages"]["bob"].pk
    wc = world["check"].pk
    fo = world["file"].object_id
    therapists_here = {"alice", "bob"}
    return {
        "account/login/": [("/account/login/", PUBLIC)],
        "healthz": [("/healthz", PUBLIC)],
        "readyz": [("/readyz", PUBLIC)],
        "account/login/code/": [("/account/login/code/", set())],  # redirects when signed in
        # Clients may add the optional second step; therapists are enrolled already.
        "account/setup/authenticator/": [("/account/setup/authenticator/", CLIENTS)],
        # Shown once, right after enrolment (the test sign-in has just enrolled therapists).
        "account/setup/recovery-codes/": [("/account/setup/recovery-codes/", THERAPISTS)],
        "account/confirm/": [("/account/confirm/", THERAPISTS)],
        "account/logout/": [("/account/logout/", set())],  # POST only
        # Forgotten password: public pages that hold nothing; a link with a bad token
        # answers "this link no longer works" (200) to anyone.
        "account/password/forgotten/": [("/account/password/forgotten/", PUBLIC)],
        "account/password/sent/": [("/account/password/sent/", PUBLIC)],
        "account/password/new/<uidb64>/<token>/": [
            ("/account/password/new/MQ/not-a-token/", PUBLIC)
        ],
        "account/password/changed/": [("/account/password/changed/", PUBLIC)],
        "dashboard/": [("/dashboard/", THERAPISTS)],
        "dashboard/messages/<int:message_id>/": [
            (f"/dashboard/messages/{ma}/", {"alice"}),
            (f"/dashboard/messages/{mb}/", {"alice", "bob"}),
        ],
        "dashboard/messages/<int:message_id>/content/": [
            # Sealed content is not readable here (an empty test blob): allowed means "not 404".
        ],
        "dashboard/messages/<int:message_id>/attachments/<int:number>/": [
            # As above: tests/channels/test_attachments.py reads real ones.
        ],
        "dashboard/messages/<int:message_id>/acknowledge/": [
            (f"/dashboard/messages/{ma}/acknowledge/", set()),  # POST only
        ],
        # An urgent message's "who to call" screen: client data, after re-authentication.
        "dashboard/messages/<int:message_id>/act/": [
            (f"/dashboard/messages/{ma}/act/", {"alice"}),
            (f"/dashboard/messages/{mb}/act/", {"alice", "bob"}),
        ],
        "dashboard/messages/<int:message_id>/reviewed/": [
            (f"/dashboard/messages/{ma}/reviewed/", set()),  # POST only
        ],
        "dashboard/clients/": [("/dashboard/clients/", THERAPISTS)],
        "dashboard/clients/<int:client_id>/portal-link/": [
            (f"/dashboard/clients/{a}/portal-link/", set())  # POST only
        ],
        "dashboard/clients/<int:client_id>/messages/": [
            (f"/dashboard/clients/{a}/messages/", {"alice"}),
            (f"/dashboard/clients/{b}/messages/", therapists_here),
        ],
        "portal/": [("/portal/", CLIENTS)],
        "portal/files/": [("/portal/files/", CLIENTS)],
        "portal/files/<str:object_id>/": [(f"/portal/files/{fo}/", {"client"})],
        "dashboard/clients/<int:client_id>/files/": [
            (f"/dashboard/clients/{a}/files/", {"alice"}),
            (f"/dashboard/clients/{b}/files/", therapists_here),
        ],
        # A client's own data (right of access): after re-authentication, like welfare exports.
        "dashboard/clients/<int:client_id>/export.zip": [
            (f"/dashboard/clients/{a}/export.zip", {"alice"}),
            (f"/dashboard/clients/{b}/export.zip", therapists_here),
        ],
        "dashboard/clients/<int:client_id>/files/<str:object_id>/": [
            (f"/dashboard/clients/{a}/files/{fo}/", {"alice"}),
            (f"/dashboard/clients/{b}/files/{fo}/", set()),  # not Ben's file
        ],
        "portal/signin/<str:token>/": [("/portal/signin/some-token/", PUBLIC)],  # a button only
        "portal/send/": [("/portal/send/", set())],  # POST only
        "portal/preferences/": [("/portal/preferences/", CLIENTS)],
        "portal/agenda/": [("/portal/agenda/", set())],  # POST only
        "portal/acknowledge/": [("/portal/acknowledge/", set())],  # POST only
        "portal/reminders/<int:reminder_id>/": [("/portal/reminders/1/", set())],  # POST only
        # A reminder's email link: a bad or unknown token answers 404 to anyone.
        "r/<str:token>/": [("/r/not-a-token/", set())],
        "dashboard/notices/<int:notice_id>/seen/": [("/dashboard/notices/1/seen/", set())],
        "dashboard/clients/<int:client_id>/": [
            (f"/dashboard/clients/{a}/", {"alice"}),
            (f"/dashboard/clients/{b}/", therapists_here),
        ],
        # The client screens (tests/web/test_client_screens.py drives each action).
        "dashboard/clients/new/": [("/dashboard/clients/new/", THERAPISTS)],
        "dashboard/clients/import/": [("/dashboard/clients/import/", THERAPISTS)],
        "dashboard/clients/<int:client_id>/edit/": [
            (f"/dashboard/clients/{a}/edit/", {"alice"}),
            (f"/dashboard/clients/{b}/edit/", therapists_here),
        ],
        "dashboard/clients/<int:client_id>/status/": [
            (f"/dashboard/clients/{a}/status/", set())  # POST only
        ],
        # Opening it is audited; one tap from the client's page, no second sign-in.
        "dashboard/clients/<int:client_id>/emergency-contact/": [
            (f"/dashboard/clients/{a}/emergency-contact/", {"alice"}),
            (f"/dashboard/clients/{b}/emergency-contact/", therapists_here),
        ],
        "dashboard/clients/<int:client_id>/reply/": [
            (f"/dashboard/clients/{a}/reply/", set())  # POST only
        ],
        "dashboard/clients/<int:client_id>/agreement/": [
            (f"/dashboard/clients/{a}/agreement/", {"alice"}),
            (f"/dashboard/clients/{b}/agreement/", therapists_here),
        ],
        "dashboard/clients/<int:client_id>/next-session/": [
            (f"/dashboard/clients/{a}/next-session/", {"alice"}),
            (f"/dashboard/clients/{b}/next-session/", therapists_here),
        ],
        "dashboard/clients/<int:client_id>/agenda/<int:item_id>/discussed/": [
            (f"/dashboard/clients/{a}/agenda/1/discussed/", set())  # POST only
        ],
        "dashboard/next-sessions/": [("/dashboard/next-sessions/", THERAPISTS)],
        "dashboard/policy/": [("/dashboard/policy/", THERAPISTS)],
        "dashboard/compose/": [("/dashboard/compose/", THERAPISTS)],
        "dashboard/compose/check/": [("/dashboard/compose/check/", set())],  # POST only
        "dashboard/insights/": [("/dashboard/insights/", THERAPISTS)],
        "dashboard/calendar/": [("/dashboard/calendar/", THERAPISTS)],
        # Changes to a therapist's own calendar: POST only (tests/web/test_calendar_subscription).
        "dashboard/calendar/subscribe/": [("/dashboard/calendar/subscribe/", set())],
        "dashboard/calendar/subscriptions/<int:subscription_id>/refresh/": [
            ("/dashboard/calendar/subscriptions/1/refresh/", set())
        ],
        "dashboard/calendar/subscriptions/<int:subscription_id>/remove/": [
            ("/dashboard/calendar/subscriptions/1/remove/", set())
        ],
        "dashboard/calendar/import/": [("/dashboard/calendar/import/", set())],
        "dashboard/calendar/events/<int:event_id>/match/": [
            ("/dashboard/calendar/events/1/match/", set())
        ],
        "dashboard/calendar/events/<int:event_id>/ignore/": [
            ("/dashboard/calendar/events/1/ignore/", set())
        ],
        # The policy is edited, and acknowledgements followed, by the practice's owners.
        "dashboard/policy/edit/": [("/dashboard/policy/edit/", {"alice"})],
        "dashboard/policy/check/": [("/dashboard/policy/check/", set())],  # POST only
        "dashboard/policy/versions/<int:number>/diff/": [
            ("/dashboard/policy/versions/1/diff/", set())  # nothing published here
        ],
        "dashboard/policy/acknowledgements/": [("/dashboard/policy/acknowledgements/", {"alice"})],
        "dashboard/policy/remind/": [("/dashboard/policy/remind/", set())],  # POST only
        # The practice's audit log: its owners only; the export after re-authentication.
        "dashboard/audit/": [("/dashboard/audit/", {"alice"})],
        "dashboard/audit/verify/": [("/dashboard/audit/verify/", set())],  # POST only
        "dashboard/audit/export.csv": [("/dashboard/audit/export.csv", {"alice"})],
        "calendar/<str:token>.ics": [("/calendar/not-a-real-token.ics", set())],
        "dashboard/welfare/": [("/dashboard/welfare/", THERAPISTS)],
        "dashboard/welfare/open/": [("/dashboard/welfare/open/", THERAPISTS)],
        "dashboard/welfare/<int:check_id>/": [(f"/dashboard/welfare/{wc}/", {"alice"})],
        "dashboard/welfare/<int:check_id>/add/<str:kind>/": [
            (f"/dashboard/welfare/{wc}/add/search/", set())  # POST only
        ],
        "dashboard/welfare/<int:check_id>/export.<str:fmt>": [
            (f"/dashboard/welfare/{wc}/export.json", {"alice"}),
            (f"/dashboard/welfare/{wc}/export.pdf", {"alice"}),
        ],
        "dashboard/exports/": [("/dashboard/exports/", THERAPISTS)],
        # Export audits are the therapist's own: other therapists get a 404.
        "dashboard/exports/<int:audit_id>/": [],
        "dashboard/exports/<int:audit_id>/report.<str:fmt>": [],
        # Webhooks answer only signed POSTs from the platform (tests/channels test those).
        "hooks/twilio/sms": [("/hooks/twilio/sms", set())],
        "hooks/meta": [("/hooks/meta", set())],  # GET without the verify token: 403
        "": [("/", set())],  # two practices, no default: 404 for everyone
        "versions/": [("/versions/", set())],
        "versions/<int:number>/": [("/versions/1/", set())],
        # The root's posts and feeds, like its policy page: no practice for this host here.
        "posts/": [("/posts/", set())],
        "posts/<slug:post_slug>/": [("/posts/none/", set())],
        "feeds/posts.atom": [("/feeds/posts.atom", set())],
        "feeds/posts.rss": [("/feeds/posts.rss", set())],
        "feeds/policy.atom": [("/feeds/policy.atom", set())],
        "feeds/policy.rss": [("/feeds/policy.rss", set())],
        "p/<slug:slug>/": [(f"/p/{slug}/", set())],  # no policy published: 404
        "p/<slug:slug>/versions/": [(f"/p/{slug}/versions/", PUBLIC)],
        "p/<slug:slug>/versions/<int:number>/": [(f"/p/{slug}/versions/1/", set())],
        "p/<slug:slug>/posts/": [(f"/p/{slug}/posts/", PUBLIC)],
        "p/<slug:slug>/posts/<slug:post_slug>/": [(f"/p/{slug}/posts/none/", set())],
        "p/<slug:slug>/feeds/posts.atom": [(f"/p/{slug}/feeds/posts.atom", PUBLIC)],
        "p/<slug:slug>/feeds/posts.rss": [(f"/p/{slug}/feeds/posts.rss", PUBLIC)],
        "p/<slug:slug>/feeds/policy.atom": [(f"/p/{slug}/feeds/policy.atom", PUBLIC)],
        "p/<slug:slug>/feeds/policy.rss": [(f"/p/{slug}/feeds/policy.rss", PUBLIC)],
        # The first-run setup: this installation has practices, and none of them is being
        # set up, so it sends everyone elsewhere (or 404s); its check is POST only.
        **{
            f"dashboard/setup/{step}": [(f"/dashboard/setup/{step}", set())]
            for step in (
                "",
                "account/",
                "practice/",
                "policy/",
                "policy/check/",
                "addresses/",
                "alerts/",
                "publish/",
            )
        },
        "dashboard/settings/": [("/dashboard/settings/", THERAPISTS)],
        "dashboard/settings/authenticator/": [("/dashboard/settings/authenticator/", THERAPISTS)],
        # The settings page's changes are POST only (tests/setup/test_settings_web.py).
        **{
            f"dashboard/settings/{path}": [(f"/dashboard/settings/{path}", set())]
            for path in (
                "practice/",
                "addresses/",
                "alerts/",
                "alerts/test/",
                "recovery-codes/",
                "sessions/",
                "team/",
            )
        },
        "dashboard/settings/addresses/<int:route_id>/remove/": [
            ("/dashboard/settings/addresses/1/remove/", set())
        ],
        "dashboard/settings/team/<int:therapist_id>/role/": [
            ("/dashboard/settings/team/1/role/", set())
        ],
    }


def test_it_answers_2xx_only_to_the_allowed_personas_on_every_url(
    world: dict[str, Any], practice: Any, alice: Any, bob: Any, charlie: Any
) -> None:
    expected = table(world, practice.slug)
    missing = [p for p in all_patterns() if p not in expected and not p.startswith("static")]
    assert not missing, f"declare who may see these URLs: {missing}"
    from boundaries.portal.actions import do_issue_magic_link

    clients = {"anonymous": HttpClient()}
    for persona in (alice, bob, charlie):
        http = HttpClient()
        sign_in(http, persona.user)
        reauthenticate(http, persona.user)
        clients[persona.user.username] = http
    for name, client in (("client", world["alice_client"]), ("other_client", world["bob_client"])):
        http = HttpClient()
        assert http.post(f"/portal/signin/{do_issue_magic_link(client)}/").status_code == 302
        clients[name] = http
    unauthorized: list[str] = []
    wrongly_refused: list[str] = []
    for urls in expected.values():
        for url, allowed in urls:
            for persona, http in clients.items():
                status = http.get(url).status_code
                if 200 <= status < 300 and persona not in allowed:
                    unauthorized.append(f"{persona} got {status} on {url}")
                if persona in allowed and not 200 <= status < 300:
                    wrongly_refused.append(f"{persona} got {status} on {url}")
                if persona not in allowed and persona != "anonymous":
                    assert status in {302, 403, 404, 405}, f"{persona} got {status} on {url}"
    assert unauthorized == []
    assert wrongly_refused == []


def test_it_never_reveals_another_practices_message_content(
    world: dict[str, Any], charlie: Any, bob: Any
) -> None:
    for persona, message in (
        (charlie, world["messages"]["alice"]),
        (bob, world["messages"]["alice"]),
    ):
        http = HttpClient()
        sign_in(http, persona.user)
        reauthenticate(http, persona.user)
        assert http.get(f"/dashboard/messages/{message.pk}/content/").status_code == 404
        assert http.get(f"/dashboard/messages/{message.pk}/attachments/1/").status_code == 404
