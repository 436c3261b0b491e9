"""One name for a version everywhere: reference content is called by its source document's
version (the Building Blocks' guide of 2015), whichever of the site's copies is meant; a
user's model by its number."""

import re

import pytest

from cmc.factories import UserFactory
from cmc.frameworks.models import Framework
from cmc.frameworks.services import derive_framework, publish_version

from .html import parse, text

pytestmark = pytest.mark.django_db


def test_the_building_blocks_is_version_2015_on_its_page_and_in_the_builder(client, reference):
    owner = UserFactory()
    client.force_login(owner)
    blocks = Framework.objects.get(slug="building-blocks")
    assert blocks.versions.get().number == 1  # the site's copy, which no page names
    ours = derive_framework(actor=owner, sources=[blocks], name="Ours")
    publish_version(framework=ours, actor=owner, note="First")

    own = text(parse(client.get("/frameworks/building-blocks/")))
    assert "Reference content, as its source publishes it · version 2015" in own

    start = parse(client.get("/frameworks/build/"))
    hints = {h.get("id"): text(h) for h in start.xpath('//*[@class="hint"]')}
    assert hints["source-building-blocks-version"].startswith("Takes version 2015 of ")
    assert hints["source-ours-version"].startswith("Takes version 1 of ")

    builder = text(parse(client.get(f"/frameworks/{ours.slug}/build/tiers/1/")))
    assert "Built from Building Blocks Competency Model version 2015." in builder
    assert "copied from Building Blocks Competency Model version 2015" in builder

    page = text(parse(client.get(f"/frameworks/{ours.slug}/")))
    assert "Building Blocks Competency Model, version 2015 · compare with it" in page
    assert not re.search(r"Building Blocks Competency Model,? version 1\b", builder + page)
