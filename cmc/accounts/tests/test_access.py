"""Where sign-up leads, what an organization's page lists, and whose address the sign-in
lock-out counts behind a proxy."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, RequestFactory

from cmc.accounts.addresses import client_address
from cmc.factories import FrameworkFactory, MembershipFactory, UserFactory
from config.settings import env_count

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-Pass-phrase-42"


def sign_up(client, query: str = "", **extra):
    return client.post(
        f"/accounts/signup/{query}",
        {
            "username": "maria",
            "email": "maria@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
            **extra,
        },
    )


# Sign-up: next


@pytest.mark.parametrize(
    "next_page",
    [
        "https://evil.example/",
        "//evil.example/",
        "https:evil.example",
        "/\\evil.example/",
        "javascript:alert(1)",
        "http://testserver.evil.example/",
    ],
)
def test_sign_up_never_sends_the_new_user_off_site(client, next_page):
    response = sign_up(client, "?next=" + next_page)

    assert (response.status_code, response["Location"]) == (302, "/accounts/profile/")
    assert list(get_user_model().objects.values_list("username", flat=True)) == ["maria"]


@pytest.mark.parametrize(
    "query, extra, location",
    [
        ("?next=/frameworks/welding/", {}, "/frameworks/welding/"),
        ("", {"next": "/frameworks/build/?from=welding"}, "/frameworks/build/?from=welding"),
        ("?next=http://testserver/search/", {}, "http://testserver/search/"),
        # A word without a slash is an address relative to the sign-up page, as on sign-in.
        ("?next=profile", {}, "profile"),
    ],
)
def test_sign_up_leads_to_the_page_the_person_was_going_to(client, query, extra, location):
    response = sign_up(client, query, **extra)

    assert (response.status_code, response["Location"]) == (302, location)
    assert client.session["_auth_user_id"] == str(get_user_model().objects.get().pk)


def test_sign_in_hands_next_to_sign_up_and_sign_up_keeps_it(client):
    sign_in = client.get("/accounts/login/?next=/frameworks/welding/")
    form = client.get("/accounts/signup/?next=/frameworks/welding/")

    assert 'href="/accounts/signup/?next=/frameworks/welding/"' in sign_in.content.decode()
    page = form.content.decode()
    assert '<input type="hidden" name="next" value="/frameworks/welding/">' in page
    assert 'href="/accounts/login/?next=/frameworks/welding/"' in page


def test_an_unsafe_next_is_not_handed_on(client):
    sign_in = client.get("/accounts/login/?next=https://evil.example/")
    form = client.get("/accounts/signup/?next=https://evil.example/")

    assert 'href="/accounts/signup/">Create an account' in sign_in.content.decode()
    assert "evil.example" not in form.content.decode()


# The organization's page


def test_the_organization_page_lists_what_each_member_may_see(client):
    owner = MembershipFactory(role="owner", user__username="olga")
    organization = owner.organization
    viewer = MembershipFactory(organization=organization, role="viewer", user__username="vic")
    common = {"organization": organization, "owner": owner.user}
    FrameworkFactory(name="Shared Model", visibility="organization", **common)
    FrameworkFactory(name="Public Model", visibility="public", **common)
    FrameworkFactory(name="Set Back To Private", visibility="private", **common)
    FrameworkFactory(
        name="Vic's Own Draft", visibility="private", organization=organization, owner=viewer.user
    )

    listed = {}
    for member in (owner.user, viewer.user):
        client.force_login(member)
        page = client.get(f"/accounts/organizations/{organization.slug}/")
        listed[member.username] = [str(f) for f in page.context["frameworks"]]

    assert listed == {
        "olga": ["Public Model", "Set Back To Private", "Shared Model"],
        "vic": ["Public Model", "Shared Model", "Vic's Own Draft"],
    }
    assert "Set Back To Private" not in page.content.decode()


# The sign-in lock-out behind a proxy


def fail_five_times(client, address_header: str) -> None:
    for _ in range(5):
        client.post(
            "/accounts/login/",
            {"username": "target", "password": "wrong"},
            HTTP_X_FORWARDED_FOR=address_header,
        )


def sign_in(client, address_header: str) -> int:
    response = client.post(
        "/accounts/login/",
        {"username": "target", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR=address_header,
    )
    return response.status_code


@pytest.fixture
def target():
    user = UserFactory(username="target")
    user.set_password(PASSWORD)
    user.save()
    return user


def test_behind_one_proxy_a_stranger_cannot_lock_someone_else_out(settings, target):
    settings.CMC_TRUSTED_PROXIES = 1
    stranger, owner = Client(), Client()

    # The stranger also sends a forged entry; the proxy appends the address it really saw.
    fail_five_times(stranger, "198.51.100.7, 203.0.113.66")

    assert sign_in(stranger, "198.51.100.7, 203.0.113.66") == 429
    assert sign_in(owner, "198.51.100.7") == 302
    assert owner.session["_auth_user_id"] == str(target.pk)


def test_without_the_setting_forwarded_addresses_are_not_believed(settings, target):
    settings.CMC_TRUSTED_PROXIES = 0
    stranger = Client()

    fail_five_times(stranger, "203.0.113.66")

    # A new forwarded address does not get round the lock-out: the connection's address counts.
    assert sign_in(Client(), "198.51.100.7") == 429
    assert "_auth_user_id" not in stranger.session


@pytest.mark.parametrize(
    "proxies, forwarded, address",
    [
        (0, "198.51.100.7", "127.0.0.9"),
        (1, "198.51.100.7", "198.51.100.7"),
        (1, "10.0.0.1, 198.51.100.7", "198.51.100.7"),
        (2, "10.0.0.1, 198.51.100.7, 192.0.2.10", "198.51.100.7"),
        (1, "2001:db8::1", "2001:db8::1"),
        (2, "198.51.100.7", "127.0.0.9"),  # did not come through both proxies
        (1, "", "127.0.0.9"),
        (1, "not-an-address", "127.0.0.9"),
    ],
)
def test_the_client_address(settings, proxies, forwarded, address):
    settings.CMC_TRUSTED_PROXIES = proxies
    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.9", HTTP_X_FORWARDED_FOR=forwarded)

    assert client_address(request) == address


@pytest.mark.parametrize(
    "value, count",
    [(None, 0), ("", 0), ("0", 0), ("1", 1), ("2", 2), ("yes", 1), ("True", 1), ("off", 0)],
)
def test_behind_proxy_is_read_as_a_count(monkeypatch, value, count):
    if value is None:
        monkeypatch.delenv("BEHIND_PROXY", raising=False)
    else:
        monkeypatch.setenv("BEHIND_PROXY", value)

    assert env_count("BEHIND_PROXY") == count


def test_behind_proxy_that_is_not_a_count_is_refused_with_a_reason(monkeypatch):
    monkeypatch.setenv("BEHIND_PROXY", "nginx")

    with pytest.raises(ImproperlyConfigured) as refused:
        env_count("BEHIND_PROXY")

    assert str(refused.value) == "BEHIND_PROXY must be a number (0, 1, 2...), not 'nginx'."
