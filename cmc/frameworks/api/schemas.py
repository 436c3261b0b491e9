"""API schemas in and out for frameworks."""

from datetime import datetime
from typing import Literal
from uuid import UUID

from ninja import Field

from cmc.core.api import InSchema, Schema

KindName = Literal["building_blocks", "industry", "sector", "occupation", "organization"]
StatusName = Literal["draft", "approved", "archived"]
VisibilityName = Literal["private", "organization", "public"]
GroupName = Literal["foundational", "industry_related", "occupation_related"]


class SourceOut(Schema):
    citation: str
    url: str
    section: str


class BehaviorOut(Schema):
    identifier: UUID
    position: int
    title: str
    text: str
    revision: int = Field(description="send it back with an edit (PATCH)")


class CompetencyOut(Schema):
    identifier: UUID
    code: str
    name: str
    definition: str
    revision: int = Field(description="send it back with an edit (PATCH)")
    behaviors: list[BehaviorOut]


class TierOut(Schema):
    identifier: UUID
    number: int
    name: str
    group: GroupName
    note: str
    competencies: list[CompetencyOut]


class FrameworkHead(Schema):
    """The fields that name a framework, first in every answer about one."""

    identifier: UUID
    slug: str
    name: str
    kind: KindName
    status: StatusName
    industry: str
    naics: str


class FrameworkSummaryOut(FrameworkHead):
    version_label: str
    language: str
    visibility: VisibilityName
    is_reference: bool
    content_included: bool
    competency_count: int
    behavior_count: int
    url: str


class FrameworkPageOut(Schema):
    count: int
    page: int
    page_size: int
    items: list[FrameworkSummaryOut]


class BuiltFromOut(Schema):
    """A source a model was built from, and the version of it taken."""

    slug: str | None = Field(description="null where the reader may not see the source")
    name: str = Field(description='the source\'s name, or "a private model"')
    version: int | None = Field(description="the published version taken; null: taken as it was")
    version_name: str | None = Field(
        description='that version as the pages name it ("2015" for the Building Blocks model)'
    )
    published_at: datetime | None


class FrameworkFields(FrameworkHead):
    """A framework's own fields: what every whole answer about one holds before its tiers."""

    description: str
    version_label: str
    language: str
    visibility: VisibilityName
    is_reference: bool
    based_on: str | None
    content_included: bool
    content_note: str
    source: SourceOut
    built_from: list[BuiltFromOut] = Field(description="the sources a model was built from")
    url: str


class FrameworkOut(FrameworkFields):
    tiers: list[TierOut]


class FrameworkTreeOut(FrameworkOut):
    next: str | None = Field(
        None,
        description=(
            "where the rest of the tree is: the address of the next part, present only when "
            "this answer holds part of it (see the route's description)"
        ),
    )


class TierCountsOut(Schema):
    identifier: UUID
    number: int
    name: str
    group: GroupName
    note: str
    competency_count: int
    behavior_count: int
    url: str


class FrameworkOverviewOut(FrameworkFields):
    competency_count: int
    behavior_count: int
    tiers: list[TierCountsOut] = Field(description="each tier with its counts, not its content")


class FrameworkRef(Schema):
    identifier: UUID
    slug: str
    name: str


class TierRef(Schema):
    number: int
    name: str
    group: GroupName


class CompetencyDetailOut(Schema):
    identifier: UUID
    code: str
    name: str
    definition: str
    revision: int = Field(description="send it back with an edit (PATCH)")
    url: str
    framework: FrameworkRef
    tier: TierRef
    behaviors: list[BehaviorOut]


class SearchHitOut(Schema):
    kind: Literal["framework", "tier", "competency", "behavior"]
    title: str
    context: str
    url: str
    snippet: str
    framework_id: int
    tier_number: int | None


class FacetOut(Schema):
    value: int
    label: str
    count: int


class SearchOut(Schema):
    query: str
    total: int
    hits: list[SearchHitOut]
    frameworks: list[FacetOut]
    tiers: list[FacetOut]


class BehaviorIn(InSchema):
    title: str = Field("", max_length=300)
    text: str = Field(..., min_length=1, max_length=10_000)


class CompetencyIn(InSchema):
    code: str = Field(..., min_length=1, max_length=20)
    name: str = Field(..., min_length=1, max_length=300)
    definition: str = Field("", max_length=10_000)
    behaviors: list[BehaviorIn] = Field(default_factory=list, max_length=1000)


class TierIn(InSchema):
    number: int = Field(..., ge=1, le=99)
    name: str = Field(..., min_length=1, max_length=200)
    group: GroupName | None = None
    competencies: list[CompetencyIn] = Field(default_factory=list, max_length=500)


class FrameworkIn(InSchema):
    name: str = Field(..., min_length=1, max_length=200)
    slug: str | None = Field(None, max_length=120, pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
    kind: KindName = "organization"
    status: StatusName = "draft"
    industry: str = Field("", max_length=200)
    naics: str = Field("", max_length=6, pattern=r"^[0-9]*$")
    description: str = Field("", max_length=20_000)
    version_label: str = Field("", max_length=50)
    language: str = Field("en", min_length=2, max_length=35)
    visibility: Literal["private", "public"] = "private"
    tiers: list[TierIn] = Field(default_factory=list, max_length=99)


class FrameworkPatch(InSchema):
    name: str | None = Field(None, min_length=1, max_length=200)
    status: StatusName | None = None
    industry: str | None = Field(None, max_length=200)
    naics: str | None = Field(None, max_length=6, pattern=r"^[0-9]*$")
    description: str | None = Field(None, max_length=20_000)
    version_label: str | None = Field(None, max_length=50)
    visibility: Literal["private", "public"] | None = None
