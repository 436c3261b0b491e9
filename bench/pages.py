"""Benchmarks for the pages and API of a big model: prints ratios measured in one run, never
part of the tests.

    .venv/bin/python bench/pages.py [--rounds 3] [--behaviors 30000]

In a scratch database (SQLite, or DATABASE_URL if set) it builds a framework of 3,000
competencies and 30,000 key behaviors, then prints, each against a floor measured in the same
run (medians of `--rounds` runs, every run cold: the page cache emptied first):
  1. the framework page against reading the model's text in one SQL join (tiers, competencies,
     key behaviors) and escaping it for HTML, with the page's size;
  2. a tier's page, and a part of a tier opened on the framework page (HTMX), against the same
     join and escaping for the competencies they show;
  3. the API's tree (its first part, and every part walked in turn) and its summary against the
     same join written with json.dumps.
Aims: the framework page within 3x its floor and under 1 MB of HTML.
"""

import argparse
import html
import importlib.util
import json
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
timed = bench_run.timed

# The model's text in its order; `extra` narrows it to a tier and a run of its competencies.
_JOIN = """
SELECT t.number, t.name, c.code, c.name, c.definition, b.title, b.text, b.identifier
FROM frameworks_framework f
JOIN frameworks_tier t ON t.framework_id = f.id
JOIN frameworks_competency c ON c.tier_id = t.id
LEFT JOIN frameworks_keybehavior b ON b.competency_id = c.id
WHERE f.slug = %s {extra}
ORDER BY t.position, c.position, b.position
"""


def rows(slug: str, extra: str = "", params: tuple = ()) -> list[tuple]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(_JOIN.format(extra=extra), [slug, *params])
        return cursor.fetchall()


def escaped(found: list[tuple]) -> str:
    return "".join(html.escape(str(value)) for row in found for value in row)


def dumped(found: list[tuple]) -> str:
    return json.dumps([[str(value) for value in row] for row in found])


def cold(client, url: str, **headers):
    """One request with the page cache emptied first."""
    from django.core.cache import cache

    cache.clear()
    response = client.get(url, **headers)
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}")
    return response


def line(label: str, floor_s: float, ours_s: float, size: int, aim: str = "") -> None:
    print(
        f"  {label:34} floor {floor_s * 1000:7.0f} ms   ours {ours_s * 1000:7.0f} ms   "
        f"ratio {ours_s / floor_s:5.2f}x   {size:>10,} bytes{aim}"
    )


def bench_pages(client, slug: str, rounds: int) -> None:
    from cmc.frameworks.selectors import TIER_PAGE_SIZE

    print("Pages, cold, vs one SQL join + escaping the same text for HTML")
    size = len(cold(client, f"/frameworks/{slug}/").content)
    line(
        "framework page (whole model's text)",
        timed(lambda: escaped(rows(slug)), rounds),
        timed(lambda: cold(client, f"/frameworks/{slug}/"), rounds),
        size,
        f"   (aim: at most 3x, under 1 MB: {'yes' if size < 1_000_000 else 'NO'})",
    )
    # The second page of tier 5: its competencies 51 to 100.
    narrowed = (
        " AND t.number = 5 AND c.position IN "
        "(SELECT position FROM frameworks_competency WHERE tier_id = t.id "
        "ORDER BY position LIMIT %s OFFSET %s)"
    )
    page_floor = timed(
        lambda: escaped(rows(slug, narrowed, (TIER_PAGE_SIZE, TIER_PAGE_SIZE))), rounds
    )
    url = f"/frameworks/{slug}/tiers/5/?page=2"
    for label, headers in (("tier page 5, page 2", {}), ("part opened (HTMX)", {"HTTP_HX_REQUEST": "true"})):  # fmt: skip
        size = len(cold(client, url, **headers).content)
        line(label, page_floor, timed(lambda h=headers: cold(client, url, **h), rounds), size)


def walk(client, address: str) -> int:
    """Every part of a tree, in turn; their size together."""
    size = 0
    while address:
        response = client.get(address)
        size += len(response.content)
        address = response.json().get("next")
    return size


def bench_api(client, slug: str, rounds: int) -> None:
    print("API, vs one SQL join + json.dumps of the same rows")
    whole_floor = timed(lambda: dumped(rows(slug)), rounds)
    base = f"/api/v1/frameworks/{slug}"
    first = client.get(base)
    parts = sum(1 for _ in iter_parts(client, f"{base}?limit=1000"))
    line(
        f"every part ({parts}, limit=1000)",
        whole_floor,
        timed(lambda: walk(client, f"{base}?limit=1000"), rounds),
        walk(client, f"{base}?limit=1000"),
    )
    line(
        "first part (500 competencies)",
        whole_floor,
        timed(lambda: client.get(base), rounds),
        len(first.content),
        "   (floor: the whole model)",
    )
    summary = client.get(f"{base}/summary")
    line(
        "summary",
        whole_floor,
        timed(lambda: client.get(f"{base}/summary"), rounds),
        len(summary.content),
        "   (floor: the whole model)",
    )


def iter_parts(client, address: str):
    while address:
        body = client.get(address).json()
        yield body
        address = body.get("next")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--behaviors", type=int, default=30_000)
    args = parser.parse_args()
    scratch = bench_run.scratch_django("cmc-bench-pages-")
    try:
        from django.test import Client

        from cmc.frameworks.services import save_framework_tree

        tree = bench_run.make_tree(args.behaviors, args.behaviors, random.Random(args.behaviors))
        started = time.perf_counter()
        save_framework_tree(tree=tree, where="bench", visibility="public")
        competencies = sum(len(tier.competencies) for tier in tree.tiers)
        print(
            f"framework of {competencies:,} competencies, {args.behaviors:,} key behaviors "
            f"saved in {time.perf_counter() - started:.1f} s"
        )
        client = Client(HTTP_HOST="127.0.0.1")
        for name, work in (("pages", bench_pages), ("api", bench_api)):
            try:
                work(client, tree.slug, args.rounds)
            except Exception as error:  # noqa: BLE001 - a benchmark never crashes the run
                print(f"  {name} failed: {error!r}")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
