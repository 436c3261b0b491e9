"""The account pages as a person reads them: sign-up refuses the GOV.UK way, and actions that
remove something look destructive."""

import pytest

from cmc.factories import MembershipFactory
from cmc.frameworks.tests.html import by_id, described_by_what_exists, parse, text, with_class

pytestmark = pytest.mark.django_db


def test_sign_up_names_each_problem_beside_its_field_and_shows_the_password_rules(client):
    page = parse(client.get("/accounts/signup/"))
    rules = by_id(page, "id_password1_helptext")
    assert "at least 8 characters" in text(rules)
    assert by_id(page, "id_password1").get("aria-describedby") == "id_password1_helptext"
    described_by_what_exists(page)

    answer = client.post(
        "/accounts/signup/",
        {"username": "maria", "email": "not an address", "password1": "123", "password2": "123"},
    )
    tree = parse(answer)
    (summary,) = with_class(tree, "error-summary")
    assert summary.get("role") == "alert"
    assert text(summary.xpath(".//h2")[0]) == "There is a problem"
    assert [a.get("href") for a in summary.xpath(".//li/a")] == [
        "#id_email",
        "#id_password1",
        "#id_password1",
        "#id_password1",
    ]
    password = by_id(tree, "id_password1")
    assert password.get("aria-invalid") == "true"
    assert password.get("aria-describedby") == "id_password1_helptext id_password1_error"
    assert text(by_id(tree, "id_password1_error")).startswith("Error: This password is too short.")
    assert by_id(tree, "id_password2").get("aria-invalid") is None
    email = by_id(tree, "id_email")
    assert (email.get("aria-invalid"), email.get("value")) == ("true", "not an address")
    assert by_id(tree, "id_username").get("value") == "maria"
    label = by_id(tree, "id_email").getparent().xpath("label")[0]
    assert text(label) == "Email"  # the message beside it, never run into it
    described_by_what_exists(tree)


def test_leaving_removing_and_revoking_look_destructive(client):
    owner = MembershipFactory(role="owner")
    member = MembershipFactory(organization=owner.organization, role="viewer")
    client.force_login(owner.user)
    tree = parse(client.get(f"/accounts/organizations/{owner.organization.slug}/"))
    buttons = {text(b): b.get("class") for b in tree.xpath("//main//button")}
    assert buttons[f"Remove {member.user.username}"] == "destructive"
    assert buttons[f"Leave {owner.organization.name}"] == "destructive"
    client.post("/accounts/tokens/", {"name": "Laptop"})
    profile = parse(client.get("/accounts/profile/"))
    assert [b.get("class") for b in profile.xpath('//button[text()="Revoke"]')] == ["destructive"]
