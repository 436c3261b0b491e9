"""Benchmark of the resources search: prints ratios measured in one run, never part of the tests.

    .venv/bin/python bench/resources.py [--resources 100000] [--rounds 200]

In a scratch database (SQLite, or DATABASE_URL if set) it generates `--resources` published
resources (kinds, one to three industries and states each, one or two alignments to a
framework of 9 tiers and 90 competencies) with their search entries, then times, over the same
random queries:
  1. the faceted search (`selectors.search_resources`: a text query and three facets, with the
     counts of every facet value, one page of hits with highlighted snippets, their rows and
     the facet labels), and
  2. the raw full-text query it wraps (the match of the resources collection, best 20 by rank),
and prints p50/p95 of each and their ratio, once with the kind as the first facet (narrowed
inside the match) and once with an industry (narrowed only once the match meets the
resources). Aim: p95 within 3x the raw query. It also prints
how many SQL statements one faceted search takes (facet counts are one statement, never one
per facet value).
"""

import argparse
import importlib.util
import random
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
_spec = importlib.util.spec_from_file_location("bench_run", Path(__file__).with_name("run.py"))
bench_run = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench_run)
WORDS, sentence, percentile = bench_run.WORDS, bench_run.sentence, bench_run.percentile

STATES = ["WA", "OR", "CA", "TX", "NY", "FL", "OH", "MI", "KY", "PA"]


def build_framework():
    from cmc.core.actors import SYSTEM
    from cmc.frameworks.services import save_framework_tree
    from cmc.frameworks.trees import CompetencyNode, FrameworkTree, TierNode

    tiers = [
        TierNode(
            number=n,
            name=f"Tier {n}",
            competencies=[
                CompetencyNode(code=f"{n}.{c}", name=f"Competency {n}.{c}") for c in range(1, 11)
            ],
        )  # fmt: skip
        for n in range(1, 10)
    ]
    tree = FrameworkTree(name="Bench Model", slug="bench-model", kind="industry", tiers=tiers)
    save_framework_tree(tree=tree, where="bench", actor=SYSTEM, visibility="public")
    from cmc.frameworks.models import Competency, Framework

    framework = Framework.objects.get(slug="bench-model")
    return framework, list(Competency.objects.filter(framework=framework).select_related("tier"))


def build(count: int, rng: random.Random) -> None:
    """The resources, their tags, alignments and search entries, written in bulk (the
    services write one at a time; the search reads the same rows either way)."""
    from django.db import transaction
    from django.utils import timezone

    from cmc.core.models import SearchEntry
    from cmc.frameworks.models import Alignment
    from cmc.resources.industries import INDUSTRIES
    from cmc.resources.models import Resource, ResourceTag
    from cmc.resources.vocab import KINDS

    framework, competencies = build_framework()
    kinds, now = list(KINDS), timezone.now()
    started = time.perf_counter()
    for start in range(0, count, 5000):
        with transaction.atomic():
            rows = Resource.objects.bulk_create(
                Resource(
                    kind=rng.choice(kinds),
                    title=sentence(rng, 6)[:-1],
                    organization=f"Organization {rng.randrange(2000)}",
                    description=" ".join(sentence(rng, 12) for _ in range(3)),
                    status="published",
                    decided_at=now,
                )  # fmt: skip
                for _ in range(start, min(count, start + 5000))
            )
            tags, links, entries = [], [], []
            for r in rows:
                for value in rng.sample(INDUSTRIES, rng.randint(1, 2)):
                    tags.append(ResourceTag(resource=r, name="industry", value=value))
                for value in rng.sample(STATES, rng.randint(1, 3)):
                    tags.append(ResourceTag(resource=r, name="state", value=value))
                for c in rng.sample(competencies, rng.randint(1, 2)):
                    links.append(Alignment(framework=framework, tier=c.tier, competency=c,
                                           scheme="resource", code=r.identifier, text=r.title))  # fmt: skip
                entries.append(SearchEntry(collection="resources", scope_id=r.pk, kind=r.kind,
                                           object_id=r.pk, title=r.title, url=r.get_absolute_url(),
                                           body=f"{r.organization}\n{r.description}"))  # fmt: skip
            ResourceTag.objects.bulk_create(tags, batch_size=5000)
            Alignment.objects.bulk_create(links, batch_size=5000)
            SearchEntry.objects.bulk_create(entries, batch_size=2000)
        print(f"\r  built {min(count, start + 5000):,} resources", end="", file=sys.stderr)
    print(
        f"\r  built {count:,} resources in {time.perf_counter() - started:.0f} s", file=sys.stderr
    )


def queries(rounds: int, rng: random.Random, first: str = "kind") -> list[dict]:
    """A word and three facets: the kind (narrowed inside the match), or an industry (narrowed
    only once the match is joined to the resources), a state and a tier."""
    from cmc.resources.industries import INDUSTRIES
    from cmc.resources.vocab import KINDS

    choices = {"kind": list(KINDS), "industry": INDUSTRIES}[first]
    return [
        {
            "q": rng.choice(WORDS),
            first: rng.choice(choices),
            "state": rng.choice(STATES),
            "tier": str(rng.randint(1, 9)),
        }
        for _ in range(rounds)
    ]


def raw_query(q: str) -> None:
    from django.db import connection

    from cmc.core.search import match_sql

    sql, params = match_sql(q, collection="resources")
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT object_id, score FROM ({sql}) m ORDER BY score DESC LIMIT 20", params
        )
        cursor.fetchall()


def bench(rounds: int, rng: random.Random, first: str) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cmc.resources.selectors import search_resources

    ours, raw = [], []
    for raw_params in queries(rounds, rng, first):
        t0 = time.perf_counter()
        raw_query(raw_params["q"])
        raw.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        search_resources(user=None, raw=raw_params)
        ours.append(time.perf_counter() - t0)
    with CaptureQueriesContext(connection) as ctx:
        page = search_resources(user=None, raw=queries(1, rng)[0])
    p50, p95 = percentile(ours, 50), percentile(ours, 95)
    r50, r95 = percentile(raw, 50), percentile(raw, 95)
    print(
        f"faceted resource search ({rounds} queries, text + {first} + state + tier, "
        f"{connection.vendor}): p50 {p50 * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms; raw full-text "
        f"query p50 {r50 * 1000:.1f} ms, p95 {r95 * 1000:.1f} ms"
    )
    print(f"  ratio p50 {p50 / r50:.2f}x, p95 {p95 / r95:.2f}x  (aim: p95 within 3x)")
    print(
        f"  SQL statements per search: {len(ctx.captured_queries)} (facet counts and the page "
        f"in one; {sum(len(g.links) for g in page.facets)} facet values counted)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resources", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    scratch = bench_run.scratch_django("cmc-bench-resources-")
    try:
        rng = random.Random(14)
        build(args.resources, rng)
        bench(args.rounds, rng, "kind")
        bench(args.rounds, rng, "industry")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
