"""The staff bar per role, and ``/staff/users`` and ``/staff/providers``: coordinators create, change and
deactivate accounts and add and change providers through the API's own rules and audit entries; nobody
else may."""

from __future__ import annotations

import re
from typing import Any

import httpx

from tests.scheduler.staff_pages.pages import browser, csrf_of, post_form, sign_in, text_of
from tests.support.config import ADMIN_EMAIL, ADMIN_PASSWORD
from tests.support.factories import PASSWORD, make_provider, make_session, make_user
from tests.support.servers import ThreadedServer

USERS, PROVIDERS = "/staff/users", "/staff/providers"
NEW_PASSWORD = "a first pass phrase"


def _bar(page: httpx.Response) -> list[str]:
    """The links of the staff navigation, in order."""
    found = re.search(r'<nav class="staff-nav"[^>]*>(.*?)</nav>', page.text, flags=re.S)
    assert found, page.text[:300]
    return re.findall(r'href="([^"]+)"', found.group(1))


def _audited(api: httpx.Client, action: str, **targets: str) -> bool:
    entries = api.get("/api/v1/audit", params={"action": action}).json()["entries"]
    return any(all(e["targets"].get(k) == v for k, v in targets.items()) for e in entries)


def _account(api: httpx.Client, email: str) -> dict[str, Any]:
    return next(u for u in api.get("/api/v1/users").json() if u["email"] == email)


def test_each_role_sees_its_own_pages_in_the_bar_on_every_staff_page(
    server: ThreadedServer, api: httpx.Client, staffed: dict[str, Any]
) -> None:
    settings = server.app.state.runtime.settings
    reports, messages = (
        f"{settings.feedback_public_url}/staff/reports",
        f"{settings.notifier_public_url}/staff/deliveries",
    )
    everything = ["/staff", "/staff/sessions/new", "/staff/venues", "/staff/hours", USERS, PROVIDERS]
    with browser(server) as coordinator:
        sign_in(coordinator, ADMIN_EMAIL, ADMIN_PASSWORD)
        tools = ["/staff/audit", "/staff/erasure", "/staff/dead-letters"]
        for path in ("/staff", "/staff/venues", "/staff/hours", "/staff/password", USERS, PROVIDERS, *tools):
            page = coordinator.get(path)
            assert page.status_code == 200, path
            assert _bar(page) == [*everything, reports, messages, *tools, "/staff/password"], path
            current = re.findall(r'<a href="([^"]+)" aria-current="page"', page.text)
            assert current == [path], path
    ambassador = ["/staff", "/staff/sessions/new", "/staff/venues", "/staff/hours", "/staff/password"]
    assert _bar(staffed["mine"].get(f"/staff/sessions/{staffed['session']['id']}")) == ambassador
    assert _bar(staffed["mine"].get("/staff/hours")) == ambassador
    with browser(server) as provider_staff:
        sign_in(provider_staff, make_user(api, role="provider_staff")["email"])
        assert _bar(provider_staff.get("/staff")) == ["/staff", "/staff/venues", reports, "/staff/password"]


def test_only_coordinators_open_or_send_the_users_and_providers_pages(
    api: httpx.Client, staffed: dict[str, Any]
) -> None:
    mine, other = staffed["mine"], staffed["other"]
    for path, words in ((USERS, "manage staff accounts"), (PROVIDERS, "manage providers")):
        refused = mine.get(path)
        assert refused.status_code == 403 and words in text_of(refused, "message-text")
    csrf = csrf_of(mine.get("/staff/password"))
    taken = {"csrf": csrf, "display_name": "Not allowed", "role": "coordinator", "password": NEW_PASSWORD}
    assert mine.post(USERS, data={**taken, "email": "sneaky@example.org"}).status_code == 403
    assert mine.post(PROVIDERS, data={"csrf": csrf, "name": "Not a provider"}).status_code == 403
    provider = make_provider(api)
    assert mine.post(f"{PROVIDERS}/{provider['id']}", data={"csrf": csrf, "name": "Renamed"}).status_code == 403
    assert api.get(f"/api/v1/providers/{provider['id']}").json()["name"] == provider["name"]
    assert mine.post(f"{USERS}/{other['id']}", data={"csrf": csrf, "display_name": "Renamed"}).status_code == 403
    assert mine.post(f"{USERS}/{other['id']}/deactivate", data={"csrf": csrf}).status_code == 403
    accounts = api.get("/api/v1/users").json()
    assert not [u for u in accounts if u["email"] == "sneaky@example.org"]
    untouched = _account(api, other["email"])
    assert (untouched["display_name"], untouched["active"]) == (other["display_name"], True)
    assert "Not a provider" not in [p["name"] for p in api.get("/api/v1/providers").json()]


def test_a_coordinator_makes_an_account_with_clear_errors_and_it_is_audited(
    server: ThreadedServer, api: httpx.Client
) -> None:
    email = "new.ambassador@example.org"
    fields = {"display_name": "Amal", "email": email, "role": "ambassador", "languages": [], "password": NEW_PASSWORD}
    with browser(server) as coordinator:
        sign_in(coordinator, ADMIN_EMAIL, ADMIN_PASSWORD)
        without_csrf = coordinator.post(USERS, data=fields)
        assert without_csrf.status_code == 403
        no_languages = post_form(coordinator, USERS, USERS, **fields)
        assert no_languages.status_code == 422
        assert text_of(no_languages, "languages-error").startswith("An ambassador needs the languages they speak")
        assert 'aria-describedby="languages-error"' in no_languages.text
        assert NEW_PASSWORD not in no_languages.text and 'value="Amal"' in no_languages.text
        # each language a checkbox named in its own script (not a code typed by hand)
        assert re.search(
            r'id="language-ti" name="languages" value="ti"> <span lang="ti" dir="ltr">ትግርኛ</span>', no_languages.text
        )
        # a code no checkbox offers (a tampered form) is refused by the API's own check
        bad = post_form(
            coordinator, USERS, USERS, **{**fields, "languages": ["Arabic"], "email": "no", "password": "x"}
        )
        assert bad.status_code == 422
        assert text_of(bad, "languages-error").startswith("Give one or more language codes")
        assert text_of(bad, "email-error") == "Give an e-mail address, like name@example.org."
        assert text_of(bad, "password-error").startswith("The first password needs more characters")
        no_provider = post_form(coordinator, USERS, USERS, **{**fields, "role": "provider_staff"})
        assert text_of(no_provider, "provider_id-error") == "Provider staff work for a provider: choose it."
        assert not [u for u in api.get("/api/v1/users").json() if u["email"] == email]

        ticked = post_form(coordinator, USERS, USERS, **{**fields, "languages": ["ar", "fa-AF"], "email": "no"})
        assert 'id="language-ar" name="languages" value="ar" checked>' in ticked.text  # kept as ticked
        assert 'id="language-fa-AF" name="languages" value="fa-AF" checked>' in ticked.text
        made = post_form(coordinator, USERS, USERS, **{**fields, "languages": ["ar", "fa-AF"]})
        assert made.status_code == 303
        account = _account(api, email)
        assert made.headers["location"].startswith(f"{USERS}?added={account['id']}&page=")
        assert made.headers["location"].endswith(f"#user-{account['id']}")
        assert (account["role"], account["languages"], account["display_name"]) == (
            "ambassador",
            ["ar", "fa-AF"],
            "Amal",
        )
        assert "The account is made" in text_of(coordinator.get(made.headers["location"]), "user-done")
        assert _audited(api, "account.created", account_id=account["id"], role="ambassador")
        again = post_form(coordinator, USERS, USERS, **{**fields, "languages": ["ar"], "email": email.upper()})
        assert again.status_code == 409
        assert text_of(again, "email-error") == "There is already an account with this e-mail address."
    with browser(server) as amal:
        assert sign_in(amal, email, NEW_PASSWORD).status_code == 303


def test_a_coordinator_changes_and_deactivates_an_account_and_cannot_lock_everyone_out(
    server: ThreadedServer, api: httpx.Client
) -> None:
    someone = make_user(api)
    me = api.get("/api/v1/auth/me").json()
    with browser(server) as coordinator:
        sign_in(coordinator, ADMIN_EMAIL, ADMIN_PASSWORD)
        listed = coordinator.get(USERS)
        assert f'action="{USERS}/{someone["id"]}/deactivate"' in listed.text
        assert f'action="{USERS}/{me["id"]}/deactivate"' not in listed.text  # not on one's own card
        target = f"{USERS}/{someone['id']}"
        wrong = post_form(coordinator, USERS, target, display_name="", languages=[])
        assert wrong.status_code == 422
        assert text_of(wrong, "languages-error").startswith("An ambassador needs the languages")
        assert re.search(r'<details class="card-fold" open>\s*<summary>Edit', wrong.text)
        changed = post_form(coordinator, USERS, target, display_name="Sara", languages=["ti", "nl"])
        assert changed.status_code == 303 and changed.headers["location"].endswith(f"#user-{someone['id']}")
        account = api.get(f"/api/v1/users/{someone['id']}").json()
        assert (account["display_name"], account["languages"]) == ("Sara", ["ti", "nl"])
        assert _audited(api, "account.updated", account_id=someone["id"])

        only_one = post_form(coordinator, USERS, f"{USERS}/{me['id']}/deactivate")
        assert only_one.status_code == 409 and "only active coordinator" in text_of(only_one, "message-text")
        gone = post_form(coordinator, USERS, f"{target}/deactivate")
        assert gone.status_code == 303
        assert "signs in nowhere" in text_of(coordinator.get(gone.headers["location"]), "user-done")
        assert api.get(f"/api/v1/users/{someone['id']}").json()["active"] is False
        assert _audited(api, "account.deactivated", account_id=someone["id"])
    with browser(server) as sara:
        assert sign_in(sara, someone["email"], PASSWORD).status_code != 303


def test_a_coordinator_adds_and_changes_a_provider_and_its_staff_show_on_its_card(
    server: ThreadedServer, api: httpx.Client
) -> None:
    existing = make_provider(api)
    with browser(server) as coordinator:
        sign_in(coordinator, ADMIN_EMAIL, ADMIN_PASSWORD)
        empty = post_form(coordinator, PROVIDERS, PROVIDERS, name=" ", languages=["nl"])
        assert empty.status_code == 422 and text_of(empty, "name-error") == "Fill this in."
        taken = post_form(coordinator, PROVIDERS, PROVIDERS, name=existing["name"].upper())
        assert taken.status_code == 409
        assert text_of(taken, "name-error") == "There is already a provider with this name."
        fields = {"name": "Centrum Seksueel Geweld Oost", "contact": "030 123 45 67", "languages": ["nl", "en", "ar"]}
        added = post_form(coordinator, PROVIDERS, PROVIDERS, **fields)
        assert added.status_code == 303
        provider = next(p for p in api.get("/api/v1/providers").json() if p["name"] == fields["name"])
        assert (provider["contact"], provider["languages"]) == ("030 123 45 67", ["nl", "en", "ar"])
        assert _audited(api, "provider.created", provider_id=provider["id"])
        card = coordinator.get(added.headers["location"])
        assert "No staff accounts yet." in card.text and "The provider is added." in text_of(card, "provider-done")

        staff = {"display_name": "Noor", "email": "noor@csg.example.org", "role": "provider_staff"}
        made = post_form(coordinator, USERS, USERS, **staff, provider_id=provider["id"], password=NEW_PASSWORD)
        assert made.status_code == 303
        assert _account(api, staff["email"])["provider_id"] == provider["id"]
        card = coordinator.get(PROVIDERS)
        assert re.search(rf'id="provider-{provider["id"]}".*?Staff: Noor</p>', card.text, flags=re.S)

        target = f"{PROVIDERS}/{provider['id']}"
        clash = post_form(coordinator, PROVIDERS, target, name=existing["name"], contact="", languages=["nl"])
        assert clash.status_code == 409
        assert text_of(clash, "name-error") == "There is already a provider with this name."
        assert f'id="name-{provider["id"]}" name="name" maxlength="200" value="{existing["name"]}"' in clash.text
        bad = post_form(coordinator, PROVIDERS, target, name="CSG Oost", contact="", languages=["Dutch"])
        assert bad.status_code == 422 and text_of(bad, "languages-error").startswith("Give one or more language codes")
        renamed = post_form(coordinator, PROVIDERS, target, name="CSG Oost", contact="", languages=["nl", "ti"])
        assert renamed.status_code == 303 and renamed.headers["location"].endswith(f"#provider-{provider['id']}")
        after = api.get(f"/api/v1/providers/{provider['id']}").json()
        assert (after["name"], after["contact"], after["languages"]) == ("CSG Oost", "", ["nl", "ti"])
        assert "The provider is changed." in text_of(coordinator.get(renamed.headers["location"]), "provider-done")
        assert _audited(api, "provider.updated", provider_id=provider["id"])
        assert post_form(coordinator, PROVIDERS, f"{PROVIDERS}/nope", name="X").status_code == 404


def _cards(page: httpx.Response, kind: str) -> list[str]:
    return re.findall(rf'<li class="card account-card" id="{kind}-([0-9a-f]+)"', page.text)


def test_the_users_and_providers_lists_come_twenty_to_a_page_and_a_change_returns_to_its_card(
    server: ThreadedServer, api: httpx.Client
) -> None:
    made = [make_user(api)["id"] for _ in range(21)]
    for _ in range(21):
        make_provider(api)
    on_page: dict[str, int] = {}
    with browser(server) as coordinator:
        sign_in(coordinator, ADMIN_EMAIL, ADMIN_PASSWORD)
        for path, kind, every in (
            (USERS, "user", [u["id"] for u in api.get("/api/v1/users").json()]),
            (PROVIDERS, "provider", [p["id"] for p in api.get("/api/v1/providers").json()]),
        ):
            seen: list[str] = []
            number = 1
            while True:
                page = coordinator.get(f"{path}?page={number}")
                assert page.status_code == 200
                cards = _cards(page, kind)
                assert 0 < len(cards) <= 20
                seen += cards
                on_page |= dict.fromkeys(cards, number)
                if f'href="{path}?page={number + 1}" rel="next"' not in page.text:
                    break
                assert len(cards) == 20
                number += 1
            assert number >= 2 and f'href="{path}?page={number - 1}" rel="prev"' in page.text
            assert sorted(seen) == sorted(every)  # each exactly once
            assert coordinator.get(f"{path}?page=0").status_code == 422

        last = max(made, key=lambda user_id: on_page[user_id])  # an active ambassador past the first page
        assert on_page[last] >= 2
        renamed = post_form(coordinator, USERS, f"{USERS}/{last}", display_name="", languages=["ar"])
        assert renamed.status_code == 422  # the card with its error, on the page that holds it
        assert re.search(rf'id="user-{last}".*?<details class="card-fold" open>', renamed.text, flags=re.S)
        assert f"<span>Page {on_page[last]}</span>" in renamed.text
        name = api.get(f"/api/v1/users/{last}").json()["display_name"]  # kept: its place in the list stays
        done = post_form(coordinator, USERS, f"{USERS}/{last}", display_name=name, languages=["ar", "ti"])
        target = done.headers["location"]
        assert target.endswith(f"&page={on_page[last]}#user-{last}")
        assert f'id="user-{last}"' in coordinator.get(target).text


def test_a_coordinator_deactivates_a_provider_once_its_sessions_ahead_are_moved_or_called_off(
    server: ThreadedServer, api: httpx.Client
) -> None:
    provider = make_provider(api)
    staff = make_user(api, "provider_staff", provider_id=provider["id"])
    ahead = make_session(api, provider_id=provider["id"])
    target = f"{PROVIDERS}/{provider['id']}/deactivate"
    with browser(server) as coordinator:
        sign_in(coordinator, ADMIN_EMAIL, ADMIN_PASSWORD)
        refused = post_form(coordinator, PROVIDERS, target)
        assert refused.status_code == 409 and "still co-runs 1 session(s) ahead" in refused.text
        assert api.post(f"/api/v1/sessions/{ahead['id']}/cancel", json={"reason_code": "illness"}).status_code == 200
        done = post_form(coordinator, PROVIDERS, target)
        assert done.status_code == 303 and done.headers["location"].endswith(f"#provider-{provider['id']}")
        card = coordinator.get(done.headers["location"])
        assert "The provider is deactivated" in text_of(card, "provider-done")
        assert re.search(
            rf'id="provider-{provider["id"]}">\s*<h2>[^<]+</h2>\s*<p><span class="pill warn">Deactivated', card.text
        )
        assert f'action="{target}"' not in card.text  # nothing more to do on its card
        assert api.get(f"/api/v1/users/{staff['id']}").json()["active"] is False
        # no new staff or sessions for it: it is not offered on the forms any more
        assert f'<option value="{provider["id"]}"' not in coordinator.get(USERS).text
        assert f'<option value="{provider["id"]}"' not in coordinator.get("/staff/sessions/new").text
