"""Deriving a framework from one source, or blending several, with lineage on every item."""

import re
from dataclasses import dataclass, field

from django.db import transaction

from cmc.core.actors import person
from cmc.core.errors import InvalidInput, Problem

from .. import selectors
from ..models import (
    BlendChoice,
    Competency,
    Framework,
    FrameworkSource,
    FrameworkVersion,
    KeyBehavior,
    Kind,
    LikelyDuplicate,
    Origin,
    Status,
    Tier,
    Visibility,
)
from ..names import name_key, similarity
from ..trees import OCCUPATION_ENTRY, FrameworkTree, default_group
from .indexing import index_framework
from .saving import unique_slug


def normalize(text: str) -> str:
    """Text compared for sameness: case, spacing and punctuation do not count."""
    return re.sub(r"[\W_]+", " ", text).strip().casefold()


@dataclass
class _Taken:
    """One source item as it enters the derived framework."""

    source: Framework
    version: FrameworkVersion | None
    identifier: object


@dataclass
class _Behavior:
    title: str
    text: str
    taken: _Taken
    also: list = field(default_factory=list)


@dataclass
class _Competency:
    name: str
    definition: str
    taken: _Taken
    behaviors: list[_Behavior] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)
    definitions: dict[str, str] = field(default_factory=dict)
    also: list = field(default_factory=list)
    # The sources merged into it (their pks): a name matches only across sources.
    sources: set = field(default_factory=set)

    def gives_text(self) -> bool:
        return bool(self.definition or self.behaviors)


@dataclass
class _Tier:
    number: int
    name: str
    group: str
    note: str
    competencies: list[_Competency] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)
    # Pairs of its competencies from different sources whose names are alike: (a, b, score).
    duplicates: list[tuple[_Competency, _Competency, float]] = field(default_factory=list)


# How alike two names of different sources must be (names.similarity) to be offered as
# likely the same competency.
DUPLICATE_SCORE = 0.6


def blend(sources: list[tuple[Framework, FrameworkVersion | None, FrameworkTree]]) -> list[_Tier]:
    """Merge the sources' trees tier by tier. Two competencies are the same when they share
    lineage, or when two sources give them the same name in the same tier (names.same_name:
    "&"/"and", word order and inflections do not count); their behaviors are united, and where
    the sources disagree (names, definitions) every reading is kept for the user to choose.
    Names of different sources that are only alike are offered as likely duplicates."""
    tiers: dict[int, _Tier] = {}
    by_root: dict[object, _Competency] = {}
    by_name: dict[tuple[int, tuple], _Competency] = {}
    for framework, version, tree in sources:
        for tier in tree.tiers:
            target = tiers.setdefault(
                tier.number,
                # A source's tier note is its own (a transcription's): never the new model's.
                _Tier(tier.number, tier.name, tier.group or default_group(tier.number), note=""),
            )
            target.names.setdefault(framework.name, tier.name)
            for competency in tier.competencies:
                if competency.extensions.get(OCCUPATION_ENTRY):
                    continue  # an occupation the source names, not a competency to copy
                key = (tier.number, name_key(competency.name) or (normalize(competency.name),))
                merged = by_root.get(competency.root_identifier())
                named = by_name.get(key)
                if merged is None and named is not None and framework.pk not in named.sources:
                    merged = named
                if merged is None:
                    merged = _Competency(
                        competency.name,
                        competency.definition,
                        _Taken(framework, version, competency.identifier),
                    )
                    target.competencies.append(merged)
                elif competency.identifier != merged.taken.identifier:
                    _attribute(merged, framework, version, competency)
                by_root.setdefault(competency.root_identifier(), merged)
                by_name.setdefault(key, merged)
                merged.sources.add(framework.pk)
                _merge(merged, framework, version, competency)
    for planned in tiers.values():
        planned.duplicates = _likely_duplicates(planned.competencies)
    return [tiers[n] for n in sorted(tiers)]


def _attribute(merged: _Competency, framework, version, competency) -> None:
    """A source merged into a competency: named as where it came from if the competency had no
    text yet and this source gives it (the lineage names the source whose text is taken)."""
    if not merged.gives_text() and (competency.definition or competency.behaviors):
        merged.also.append(merged.taken.identifier)
        merged.taken = _Taken(framework, version, competency.identifier)
    else:
        merged.also.append(competency.identifier)


def _likely_duplicates(competencies: list[_Competency]) -> list:
    found = []
    for i, first in enumerate(competencies):
        for second in competencies[i + 1 :]:
            if first.sources & second.sources:
                continue
            score = similarity(first.name, second.name)
            if score >= DUPLICATE_SCORE:
                found.append((first, second, score))
    return sorted(found, key=lambda pair: -pair[2])


def _merge(merged: _Competency, framework, version, competency) -> None:
    merged.names.setdefault(framework.name, competency.name)
    if competency.definition:
        merged.definitions.setdefault(framework.name, competency.definition)
    if not merged.definition and competency.definition:
        merged.definition = competency.definition
    seen = {normalize(b.text): b for b in merged.behaviors}
    for behavior in competency.behaviors:
        same = seen.get(normalize(behavior.text))
        if same is not None:
            if behavior.identifier != same.taken.identifier:
                same.also.append(behavior.identifier)
            continue
        merged.behaviors.append(
            _Behavior(
                behavior.title, behavior.text, _Taken(framework, version, behavior.identifier)
            )
        )
        seen[normalize(behavior.text)] = merged.behaviors[-1]


def _disagreements(merged: _Competency) -> list[tuple[str, list[dict]]]:
    """The fields whose readings differ between sources: names as written, definitions in
    substance (not in spacing or punctuation)."""
    out = []
    if len(set(merged.names.values())) > 1:
        out.append(("name", merged.names))
    if len({normalize(v) for v in merged.definitions.values()}) > 1:
        out.append(("definition", merged.definitions))
    return [
        (name, [{"source": source, "value": value} for source, value in readings.items()])
        for name, readings in out
    ]


def derive_framework(
    *,
    actor,
    sources: list,
    name: str,
    visibility: str = Visibility.PRIVATE,
    description: str = "",
) -> Framework:
    """A new draft framework owned by the actor, built from `sources` (slugs, or frameworks
    standing for their slugs), in that order (their latest published versions where they have one, else their
    current content). A source that does not exist, that the actor may not see, or that has no
    competencies is refused, the same way on every door."""
    problems = []
    if not name.strip():
        problems.append(Problem("new model", "name", "is empty; name the new model"))
    found = _sources(actor, sources, problems)
    if visibility not in (Visibility.PRIVATE, Visibility.PUBLIC):
        problems.append(Problem("new model", "visibility", "must be private or public"))
    if problems:
        raise InvalidInput(problems)
    sources = found
    loaded = [_as_taken(actor, s) for s in sources]
    plan = blend(loaded)
    with transaction.atomic():
        framework = Framework.objects.create(
            slug=unique_slug(name),
            name=name.strip()[:200],
            kind=Kind.ORGANIZATION,
            status=Status.DRAFT,
            description=description.strip()
            or _default_description([source for source, _, _ in loaded]),
            language=loaded[0][0].language,
            based_on=sources[0] if len(sources) == 1 else None,
            owner=person(actor),
            visibility=visibility,
            build_step=plan[0].number if plan else None,
        )
        FrameworkSource.objects.bulk_create(
            FrameworkSource(
                framework=framework,
                source=source,
                source_version=version,
                source_name=source.name,
                position=position,
            )
            for position, (source, version, _) in enumerate(loaded, start=1)
        )
        _write_plan(framework, plan)
        index_framework(framework=framework)
    return framework


def _default_description(sources: list[Framework]) -> str:
    """What a new model says of itself: its sources, naming only the public ones (the text
    goes wherever the model is shared; a private source is not named to its readers)."""
    names = [
        s.name if s.visibility == Visibility.PUBLIC else selectors.PRIVATE_SOURCE for s in sources
    ]
    return "Built from " + ", ".join(dict.fromkeys(names)) + "."


def _sources(actor, slugs: list, problems: list[Problem]) -> list[Framework]:
    """The frameworks named, in order; each one that cannot be used is a problem."""
    slugs = [s.slug if isinstance(s, Framework) else s for s in slugs]
    slugs = list(dict.fromkeys(s.strip() for s in slugs if s and s.strip()))
    if not slugs:
        problems.append(
            Problem("new model", "sources", "choose at least one framework to start from")
        )
        return []
    visible = {f.slug: f for f in Framework.objects.visible_to(actor).filter(slug__in=slugs)}
    missing = [s for s in slugs if s not in visible]
    if missing:
        names = ", ".join(repr(s) for s in missing)
        problems.append(
            Problem("new model", "sources", f"there is no framework {names} you may use")
        )
    empty = [
        visible[s].name for s in slugs if s in visible and not visible[s].competencies.exists()
    ]
    if empty:
        names = ", ".join(repr(s) for s in empty)
        problems.append(
            Problem("new model", "sources", f"{names} has no competencies to build from yet")
        )
    return [visible[s] for s in slugs if s in visible]


def _as_taken(actor, source: Framework) -> tuple[Framework, FrameworkVersion | None, FrameworkTree]:
    """The source as it will be taken: the tree of its latest version (which the lineage
    names), else of its current content."""
    version = selectors.latest_version(source)
    if version is not None:
        return source, version, selectors.version_tree(source, version, reader=actor)
    loaded = selectors.framework_tree(user=actor, slug=source.slug)
    return source, None, selectors.tree_of(loaded, reader=actor)


def _lineage(taken: _Taken) -> dict:
    return {
        "origin": Origin.COPIED,
        "source_identifier": taken.identifier,
        "source_framework": taken.source,
        "source_version": taken.version,
    }


def _write_plan(framework: Framework, plan: list[_Tier]) -> None:
    behaviors, choices, duplicates = [], [], []
    for tier_position, planned in enumerate(plan, start=1):
        tier = Tier.objects.create(
            framework=framework,
            number=planned.number,
            name=planned.name,
            group=planned.group,
            note=planned.note,
            position=tier_position,
        )
        if len(set(planned.names.values())) > 1:
            readings = [{"source": src, "value": value} for src, value in planned.names.items()]
            choices.append(BlendChoice(tier=tier, field="name", options=readings))
        made = {}
        for position, merged in enumerate(planned.competencies, start=1):
            competency = made[id(merged)] = Competency.objects.create(
                framework=framework,
                tier=tier,
                code=f"{planned.number}.{position}",
                name=merged.name,
                definition=merged.definition,
                position=position,
                merged_from=[str(i) for i in merged.also],
                **_lineage(merged.taken),
            )
            behaviors += [
                KeyBehavior(
                    competency=competency,
                    title=b.title,
                    text=b.text,
                    position=n,
                    merged_from=[str(i) for i in b.also],
                    **_lineage(b.taken),
                )
                for n, b in enumerate(merged.behaviors, start=1)
            ]
            choices += [
                BlendChoice(competency=competency, field=name, options=options)
                for name, options in _disagreements(merged)
            ]
        duplicates += [
            LikelyDuplicate(
                framework=framework,
                tier=tier,
                first=made[id(first)],
                second=made[id(second)],
                first_name=first.name,
                second_name=second.name,
                score=score,
            )
            for first, second, score in planned.duplicates
        ]
    KeyBehavior.objects.bulk_create(behaviors)
    BlendChoice.objects.bulk_create(choices)
    LikelyDuplicate.objects.bulk_create(duplicates)
