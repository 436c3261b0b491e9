"""Credentials: checking every field, sharing, and aligning through the one alignment link."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from cmc.core.actors import SYSTEM
from cmc.core.errors import InvalidInput, Problem
from cmc.credentials import selectors, services
from cmc.credentials.models import Credential
from cmc.frameworks.models import Alignment

from .conftest import MAY_CHANGE, ROLES


def test_a_credential_keeps_every_field(who):
    made = services.create_credential(
        actor=who["owner"],
        data={
            "name": " Certified Welding Inspector ",
            "kind": "certification",
            "issuer": "American Welding Society",
            "accreditation_body": "ANSI",
            "accreditation_standard": "ISO/IEC 17024",
            "national_portability": "yes",
            "third_party_validation": "no",
            "assessment_type": "Written and practical exam",
            "renewal": "Every three years",
            "typical_hours": "80",
            "typical_cost": "$1,150.50",
            "url": "https://www.aws.org/certification/cwi",
            "description": "Inspects welds.",
        },
    )
    assert (made.slug, made.name, made.owner, made.visibility) == (
        "certified-welding-inspector", "Certified Welding Inspector", who["owner"], "private",
    )  # fmt: skip
    assert (made.national_portability, made.third_party_validation) == (True, False)
    assert (made.typical_hours, made.typical_cost) == (80, Decimal("1150.50"))
    assert made.accreditation_standard == "ISO/IEC 17024"


def test_every_bad_field_is_named_and_nothing_is_written(who):
    with pytest.raises(InvalidInput) as refused:
        services.create_credential(
            actor=who["owner"],
            data={
                "name": "",
                "kind": "diploma",
                "national_portability": "maybe",
                "typical_hours": "-3",
                "typical_cost": "a lot",
                "url": "ftp://example.org/x",
                "visibility": "organization",
                "organization": "someone-elses",
            },
        )
    assert refused.value.problems == [
        Problem("credential", "name", "is required"),
        Problem(
            "credential",
            "kind",
            "must be one of certification, license, certificate, degree, digital_badge, "
            "apprenticeship_certificate",
        ),
        Problem("credential", "national_portability", "must be yes, no or left empty"),
        Problem("credential", "typical_hours", "must be a whole number 0 to 100000"),
        Problem("credential", "typical_cost", "must be an amount in dollars from 0 to 99999999.99"),
        Problem("credential", "url", "must be an http or https address"),
        Problem("credential", "organization", "'someone-elses' is not one of yours"),
    ]
    assert refused.value.detail == "The credential is not valid; nothing was written."
    assert Credential.objects.count() == 0


def test_a_taken_slug_is_refused(credential, who):
    with pytest.raises(InvalidInput) as refused:
        services.create_credential(
            actor=who["owner"],
            data={"name": "Another", "kind": "license", "slug": "certified-welder"},
        )
    assert refused.value.problems == [
        Problem("credential", "slug", "'certified-welder' is taken; choose another")
    ]


def test_nobody_signed_in_adds_nothing(who):
    with pytest.raises(PermissionDenied, match="Sign in to add a credential."):
        services.create_credential(actor=who["anonymous"], data={"name": "X", "kind": "degree"})


@pytest.mark.parametrize("role", ROLES)
def test_who_may_change_a_credential(credential, who, role):
    def change():
        services.update_credential(
            actor=who[role], credential=credential, data={"issuer": "Someone else"}
        )

    if role in MAY_CHANGE:
        change()
        assert Credential.objects.get(pk=credential.pk).issuer == "Someone else"
    else:
        with pytest.raises(PermissionDenied):
            change()
        assert Credential.objects.get(pk=credential.pk).issuer == "American Welding Society (AWS)"


@pytest.mark.parametrize(
    ("role", "sees"),
    [("owner", True), ("org editor", True), ("org viewer", True), ("outsider", False),
     ("anonymous", False)],
)  # fmt: skip
def test_who_sees_a_shared_credential(credential, who, role, sees):
    listed = selectors.credential_list(user=who[role], filters=selectors.CredentialFilters())
    assert [c.slug for c in listed] == (["certified-welder"] if sees else [])


def test_aligning_writes_the_one_alignment_link(credential, welding, who):
    teamwork = welding.competencies.get(code="1.1")
    link = services.align_credential(
        actor=who["org editor"], credential=credential, framework=welding, competency=teamwork,
        strength="minor",
    )  # fmt: skip
    stored = Alignment.objects.get()
    assert stored == link
    assert (stored.scheme, stored.code, stored.text) == (
        "credential", str(credential.identifier), "Certified Welder",
    )  # fmt: skip
    assert stored.url == f"http://127.0.0.1:8000/credentials/{credential.slug}/"
    assert (stored.competency, stored.tier.number, stored.strength, stored.made_by) == (
        teamwork, 1, "minor", who["org editor"],
    )  # fmt: skip
    found = selectors.credential_alignments(credential=credential, reader=who["org viewer"])
    assert found == [stored]


@pytest.mark.parametrize("role", ROLES)
def test_who_may_align_a_credential(credential, welding, who, role):
    tier = welding.tiers.get(number=2)

    def align():
        services.align_credential(
            actor=who[role], credential=credential, framework=welding, tier=tier
        )

    if role in MAY_CHANGE:
        align()
        assert Alignment.objects.filter(scheme="credential").count() == 1
    else:
        with pytest.raises(PermissionDenied):
            align()
        assert Alignment.objects.count() == 0


def test_renaming_carries_over_to_the_alignments(credential, welding, who):
    services.align_credential(actor=SYSTEM, credential=credential, framework=welding)
    services.update_credential(actor=who["owner"], credential=credential, data={"name": "CW"})
    assert Alignment.objects.get().text == "CW"


def test_removing_an_alignment_of_another_statement_is_refused(credential, welding, who):
    other = services.create_credential(actor=who["owner"], data={"name": "O", "kind": "degree"})
    link = services.align_credential(actor=who["owner"], credential=other, framework=welding)
    with pytest.raises(PermissionDenied, match="That alignment is not this credential's."):
        services.remove_credential_alignment(
            actor=who["owner"], credential=credential, alignment=link
        )
    assert Alignment.objects.count() == 1


def test_deleting_a_credential_takes_its_alignments(credential, welding, who):
    services.align_credential(actor=who["owner"], credential=credential, framework=welding)
    services.delete_credential(actor=who["owner"], credential=credential)
    assert (Credential.objects.count(), Alignment.objects.count()) == (0, 0)


def test_filters_by_kind_framework_and_words(credential, welding, who):
    services.create_credential(
        actor=who["owner"], data={"name": "Plumbing license", "kind": "license"}
    )
    services.align_credential(actor=who["owner"], credential=credential, framework=welding)

    def slugs(**wanted):
        filters = selectors.CredentialFilters(**wanted)
        return [c.slug for c in selectors.credential_list(user=who["owner"], filters=filters)]

    assert slugs() == ["certified-welder", "plumbing-license"]
    assert slugs(kind="license") == ["plumbing-license"]
    assert slugs(framework="welding") == ["certified-welder"]
    assert slugs(q="AWS") == ["certified-welder"]


def test_credentials_are_found_by_those_who_may_see_them(credential, who):
    from cmc.core import search

    found = search.search("welder", user=who["org viewer"], collections=["credentials"])
    assert [(h.kind, h.title, h.url) for h in found.hits] == [
        ("credential", "Certified Welder", "/credentials/certified-welder/")
    ]
    assert search.search("welder", user=who["outsider"], collections=["credentials"]).total == 0
