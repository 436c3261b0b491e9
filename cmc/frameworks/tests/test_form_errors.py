"""The forms of a model's pages refuse the GOV.UK way: an error summary at the top linking to
each field, the field marked invalid with its message beside it, what was chosen kept."""

import pytest

from cmc.factories import MembershipFactory, OrganizationFactory, UserFactory
from cmc.frameworks.models import Framework
from cmc.frameworks.services import derive_framework

from .html import by_id, described_by_what_exists, parse, text, with_class

pytestmark = pytest.mark.django_db


@pytest.fixture
def builder(client):
    user = UserFactory()
    client.force_login(user)
    return user


def _summary(tree) -> list[tuple[str, str]]:
    """The error summary's entries: (the field linked to, the words)."""
    (summary,) = with_class(tree, "error-summary")
    assert summary.get("role") == "alert"
    assert text(summary.xpath(".//h2")[0]) == "There is a problem"
    return [(a.get("href"), text(a)) for a in summary.xpath(".//li/a")]


def test_the_build_form_names_each_problem_beside_its_field(client, reference, builder):
    answer = client.post("/frameworks/build/", {"name": "  ", "visibility": "public"})
    assert answer.status_code == 422
    tree = parse(answer)
    first = tree.xpath('//input[@name="sources"]')[0].get("id")
    assert _summary(tree) == [
        ("#id_name", "Name is empty; name the new model."),
        (f"#{first}", "Choose at least one framework to start from."),
    ]
    assert text(by_id(tree, "sources-error")) == (
        "Error: Choose at least one framework to start from."
    )
    assert by_id(tree, "sources-error").getparent().tag == "fieldset"
    assert text(by_id(tree, "sources-error").getparent().xpath("legend")[0]) == "Start from"
    name = by_id(tree, "id_name")
    assert (name.get("aria-invalid"), name.get("aria-describedby")) == ("true", "id_name-error")
    assert text(by_id(tree, "id_name-error")) == "Error: Name is empty; name the new model."
    assert tree.xpath('//select[@id="id_visibility"]/option[@selected]/@value') == ["public"]
    described_by_what_exists(tree)
    assert not Framework.objects.filter(owner=builder).exists()

    chosen = parse(client.post("/frameworks/build/", {"sources": ["building-blocks"], "name": ""}))
    assert by_id(chosen, "source-building-blocks").get("checked") is not None


def test_the_sharing_form_keeps_the_choice_and_shows_the_error_beside_it(
    client, reference, builder
):
    model = derive_framework(actor=builder, sources=["building-blocks"], name="Ours")
    page = parse(client.get(f"/frameworks/{model.slug}/versions/"))
    hint = by_id(page, "id_organization-hint")
    assert hint.xpath(".//a/@href") == ["/accounts/profile/#orgs-heading"]
    assert by_id(page, "id_organization").get("aria-describedby") == "id_organization-hint"

    answer = client.post(f"/frameworks/{model.slug}/sharing", {"visibility": "organization"})
    assert answer.status_code == 422
    tree = parse(answer)
    message = "Choose the organization to share it with."
    assert text(by_id(tree, "id_organization-error")) == f"Error: {message}"
    assert not with_class(tree, "messages")  # not in the banner that says what was saved
    assert tree.xpath('//input[@name="visibility"][@checked]/@value') == ["organization"]
    select = by_id(tree, "id_organization")
    assert select.get("aria-invalid") == "true"
    assert select.get("aria-describedby") == "id_organization-hint id_organization-error"
    described_by_what_exists(tree)
    model.refresh_from_db()
    assert model.visibility == "private"


def test_the_sharing_form_keeps_the_organization_chosen(client, reference, builder):
    model = derive_framework(actor=builder, sources=["building-blocks"], name="Ours")
    mine = MembershipFactory(user=builder, role="editor").organization
    answer = client.post(
        f"/frameworks/{model.slug}/sharing",
        {"visibility": "everyone", "organization": mine.slug},
    )
    tree = parse(answer)
    assert _summary(tree) == [
        (
            "#visibility-private",
            "Visibility: 'everyone' is not one of private, organization, public.",
        ),
    ]
    assert tree.xpath('//select[@id="id_organization"]/option[@selected]/@value') == [mine.slug]
    assert not tree.xpath('//*[@id="id_organization-hint"]')
    assert OrganizationFactory._meta.model.objects.count() == 1
