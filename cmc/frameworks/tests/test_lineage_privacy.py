"""A model built from a private model, shared with an organization: whoever may not see the
source reads "a private model", on every page, in the API and in every file; whoever may see
it reads its name."""

import io
import json

import pytest
from docx import Document
from pypdf import PdfReader

from cmc.accounts.services import create_api_token
from cmc.frameworks.documents import document_of, writers
from cmc.frameworks.models import Framework, RenderedExport
from cmc.frameworks.services import derive_framework, share_framework
from cmc.frameworks.tests.builders import welding

pytestmark = pytest.mark.django_db
SECRET = "Welding Model"


@pytest.fixture
def shared(who):
    """The owner's private welding model, and "Our Welding" built from it, shared with the
    owner's organization (whose viewer may not see the source)."""
    source = welding(who["owner"])
    Framework.objects.filter(pk=source.pk).update(visibility="private")
    model = derive_framework(actor=who["owner"], sources=["welding"], name="Our Welding")
    Framework.objects.filter(pk=model.pk).update(
        organization=who["organization"], visibility="organization"
    )
    Framework.objects.filter(pk=model.pk).update(based_on=source)
    return Framework.objects.get(pk=model.pk)


def _as(client, user):
    client.force_login(user)
    return client


def test_the_framework_page_names_no_private_source(client, who, shared):
    page = _as(client, who["org viewer"]).get("/frameworks/our-welding/").content.decode()

    assert "a private model" in page
    assert SECRET not in page and "/frameworks/welding/" not in page


def test_the_competency_page_names_the_source_to_its_owner_only(client, who, shared):
    path = "/frameworks/our-welding/competencies/1.1/"
    viewer = _as(client, who["org viewer"]).get(path).content.decode()
    owner = _as(client, who["owner"]).get(path).content.decode()

    assert SECRET not in viewer and "copied from a private model" in viewer
    assert f'copied from <a href="/frameworks/welding/">{SECRET}</a>' in owner


def test_the_builder_shows_an_editor_who_may_not_see_the_source_a_private_model(
    client, who, shared
):
    page = _as(client, who["org editor"]).get("/frameworks/our-welding/build/tiers/1/")

    assert page.status_code == 200
    text = page.content.decode()
    assert "Built from a private model." in " ".join(text.split())
    assert SECRET not in text


def test_the_api_names_the_framework_it_is_based_on_only_to_those_who_see_it(client, who, shared):
    headers = {}
    for role, expected in (("org viewer", None), ("owner", "welding")):
        _, token = create_api_token(user=who[role], name="t")
        headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
        answer = client.get("/api/v1/frameworks/our-welding", **headers)
        assert (role, answer.json()["based_on"]) == (role, expected)


def test_the_json_export_names_no_private_source(client, who, shared):
    data = _as(client, who["org viewer"]).get("/frameworks/our-welding/download.json")

    document = json.loads(data.content)
    assert document["framework"]["based_on"] == ""
    assert SECRET not in data.content.decode()


def test_the_pdf_and_word_files_kept_for_every_reader_name_no_private_source(shared):
    readable = document_of(shared)
    cover = PdfReader(io.BytesIO(writers.pdf(readable))).pages[0].extract_text()
    word = "\n".join(p.text for p in Document(io.BytesIO(writers.docx(readable))).paragraphs)

    assert readable.facts.sources == ["a private model"]
    assert "Built from" in cover and "a private model" in cover and SECRET not in cover
    assert "Built from: a private model" in word and SECRET not in word


def test_a_private_model_of_its_owner_names_its_owners_own_sources(who, shared):
    Framework.objects.filter(pk=shared.pk).update(visibility="private", organization=None)

    readable = document_of(Framework.objects.get(pk=shared.pk))

    assert readable.facts.sources == [f"{SECRET}, version 1"] or readable.facts.sources == [SECRET]


def test_a_source_that_becomes_private_is_no_longer_named_in_kept_files(client, who, shared):
    source = Framework.objects.get(slug="welding")
    share_framework(framework=source, actor=who["owner"], visibility="public")
    model = Framework.objects.get(pk=shared.pk)
    assert document_of(model).facts.sources[0].startswith(SECRET)
    _as(client, who["org viewer"]).get("/frameworks/our-welding/download.pdf")  # kept
    kept_before = RenderedExport.objects.get(framework=model, format="pdf").stamp

    share_framework(framework=source, actor=who["owner"], visibility="private")

    model.refresh_from_db()
    pdf = _as(client, who["org viewer"]).get("/frameworks/our-welding/download.pdf").content
    cover = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert RenderedExport.objects.get(framework=model, format="pdf").stamp != kept_before
    assert SECRET not in cover and "a private model" in cover


@pytest.mark.parametrize("reader", ["owner", "org viewer", "system"])
def test_the_draft_read_as_values_is_the_tree_read_as_rows(who, shared, reader):
    """Exports read a model as plain values (draft_tree): the same tree, lineage and names of
    sources included, as the model instances give."""
    from cmc.core.actors import SYSTEM
    from cmc.frameworks.selectors import draft_tree, framework_tree, tree_of

    user = SYSTEM if reader == "system" else who[reader]
    loaded = framework_tree(user=user, slug="our-welding")
    assert draft_tree(shared, reader=user) == tree_of(loaded, reader=user)
    lineages = [c.lineage for t in draft_tree(shared, reader=user).tiers for c in t.competencies]
    assert lineages and all(line.source_identifier for line in lineages)


def test_the_outline_gives_the_same_table(who, shared):
    """CSV reads the draft as a stream (no lineage, no extensions): the table is the same as
    from the whole tree."""
    from cmc.frameworks.selectors import draft_stream, framework_tree, tree_of
    from cmc.interchange import exports, formats

    whole = tree_of(framework_tree(user=who["owner"], slug="our-welding"), reader=who["owner"])
    outline = draft_stream(shared, reader=who["owner"], extensions=False)
    tiers = [(tier, list(competencies)) for tier, competencies in outline.tiers]
    assert all(c.lineage is None for _, competencies in tiers for c in competencies)
    assert formats.write(whole, "csv") == exports.export(shared, "csv", reader=who["owner"])
