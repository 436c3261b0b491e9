"""The one alignment link: who may make it, what it points at, how it is read back."""

import pytest
from django.core.exceptions import PermissionDenied

from cmc.core.actors import SYSTEM
from cmc.core.errors import InvalidInput
from cmc.frameworks.models import Alignment, Competency
from cmc.frameworks.selectors import (
    aligned_codes,
    alignments_by_item,
    alignments_for,
    alignments_of_statement,
)
from cmc.frameworks.services import align, remove_alignment

from .builders import MAY_EDIT, ROLES

pytestmark = pytest.mark.django_db


def _skill(**extra):
    return {
        "scheme": "onet",
        "code": "2.A.1.a",
        "text": "Reading Comprehension",
        "url": "https://www.onetonline.org/find/descriptor/result/2.A.1.a",
        **extra,
    }


@pytest.mark.parametrize("role", ROLES)
def test_only_editors_align_reference_statements(who, ours, role):
    competency = Competency.objects.filter(framework=ours).first()
    if role in MAY_EDIT:
        link = align(actor=who[role], framework=ours, competency=competency, **_skill())
        assert (link.tier, link.made_by) == (competency.tier, who[role])
    else:
        with pytest.raises(PermissionDenied):
            align(actor=who[role], framework=ours, competency=competency, **_skill())
        assert Alignment.objects.count() == 0


@pytest.mark.parametrize(
    ("role", "allowed"),
    [("org viewer", True), ("outsider", False), ("anonymous", False), ("nobody", False)],
)
def test_a_statement_owner_needs_only_to_see_the_framework(who, ours, role, allowed):
    if allowed:
        link = align(actor=who[role], framework=ours, statement_checked=True, **_skill())
        assert (link.competency, link.made_by) == (None, who[role])
    else:
        with pytest.raises(PermissionDenied):
            align(actor=who[role], framework=ours, statement_checked=True, **_skill())
        assert Alignment.objects.count() == 0


def test_aligning_again_updates_the_one_link(who, ours):
    competency = Competency.objects.filter(framework=ours).first()
    align(actor=SYSTEM, framework=ours, competency=competency, strength="minor", **_skill())
    align(
        actor=SYSTEM,
        framework=ours,
        competency=competency,
        strength="exact",
        score=0.9,
        method="similarity",
        **_skill(),
    )
    (link,) = Alignment.objects.all()
    assert (link.strength, link.score, link.method, link.made_by) == (
        "exact",
        0.9,
        "similarity",
        None,
    )


def test_bad_input_is_named_and_nothing_is_written(who, ours):
    with pytest.raises(InvalidInput) as refused:
        align(
            actor=SYSTEM,
            framework=ours,
            scheme="",
            code="x" * 501,
            url="javascript:alert(1)",
            strength="strong",
            score=2,
        )
    assert [(p.field, p.message) for p in refused.value.problems] == [
        ("scheme", "must be 1 to 40 characters"),
        ("code", "must be 1 to 500 characters"),
        ("url", "must be an http or https address"),
        ("strength", "must be one of exact, major, minor, related"),
        ("score", "must be between 0 and 1"),
    ]
    assert Alignment.objects.count() == 0


def test_an_item_of_another_framework_is_refused(who, ours):
    other = Competency.objects.exclude(framework=ours).first()
    with pytest.raises(InvalidInput, match="is not in this framework"):
        align(actor=SYSTEM, framework=ours, competency=other, **_skill())


def test_reads_by_item_and_by_statement_follow_visibility(who, ours):
    competency = Competency.objects.filter(framework=ours).order_by("tier__position").first()
    behavior = competency.behaviors.first()
    align(actor=SYSTEM, framework=ours, competency=competency, **_skill())
    align(actor=SYSTEM, framework=ours, behavior=behavior, **_skill(code="2.A.1.b"))
    by_item = alignments_by_item(framework=ours)
    assert {k: [a.code for a in v] for k, v in by_item.items()} == {
        competency.identifier: ["2.A.1.a"],
        behavior.identifier: ["2.A.1.b"],
    }
    assert [a.code for a in alignments_for(framework=ours, scheme="onet")] == [
        "2.A.1.a",
        "2.A.1.b",
    ]
    seen = alignments_of_statement(scheme="onet", code="2.A.1.a", reader=who["org viewer"])
    assert [a.competency for a in seen] == [competency]
    assert alignments_of_statement(scheme="onet", code="2.A.1.a", reader=who["outsider"]) == []
    assert aligned_codes(scheme="onet", codes=["2.A.1.a", "9.9"], reader=who["owner"]) == {
        "2.A.1.a": 1
    }


def test_removing_is_for_the_maker_or_an_editor(who, ours):
    link = align(actor=who["org viewer"], framework=ours, statement_checked=True, **_skill())
    with pytest.raises(PermissionDenied):
        remove_alignment(actor=who["outsider"], alignment=link)
    remove_alignment(actor=who["org viewer"], alignment=link)
    assert Alignment.objects.count() == 0


def test_a_competency_page_lists_its_alignments_escaped(client, who, ours):
    competency = Competency.objects.filter(framework=ours).order_by("tier__position").first()
    behavior = competency.behaviors.order_by("position").last()
    align(
        actor=SYSTEM,
        framework=ours,
        behavior=behavior,
        method="import of O*NET",
        **_skill(text="<b>Reading</b> Comprehension"),
    )
    client.force_login(who["org viewer"])
    page = client.get(competency.get_absolute_url()).content.decode()
    assert "<h2>Aligned statements</h2>" in page
    assert "&lt;b&gt;Reading&lt;/b&gt; Comprehension" in page
    assert f"key behavior {behavior.position}</td>" in page
    assert "import of O*NET</td>" in page


def test_panels_of_other_apps_show_on_the_pages_and_refresh_the_cache(client, who):
    from cmc.frameworks import panels

    from .builders import welding

    framework = welding(who["owner"])
    said = {"text": "first"}
    panels.register(
        "framework", "test-panel", lambda request, fw, c: f"<p>panel {said['text']}</p>"
    )
    panels.register("tools", "test-tool", lambda request, fw, c: "<li>tool</li>")
    panels.register("competency", "test-empty", lambda request, fw, c: "")
    try:
        assert "<p>panel first</p>" in client.get(framework.get_absolute_url()).content.decode()
        said["text"] = "second"
        cached = client.get(framework.get_absolute_url()).content.decode()
        assert "<p>panel first</p>" in cached
        panels.changed(framework)
        page = client.get(framework.get_absolute_url()).content.decode()
        assert "<p>panel second</p>" in page
        assert "<li>tool</li>" in page
    finally:
        for place, name in [
            ("framework", "test-panel"),
            ("tools", "test-tool"),
            ("competency", "test-empty"),
        ]:
            panels._panels[place].pop(name)
