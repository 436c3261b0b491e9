"""Benchmarks for building a model: prints ratios measured in one run, never part of the tests.

    .venv/bin/python bench/build.py [--behaviors 300] [--rounds 5]

In a scratch database (SQLite, or DATABASE_URL if set) it makes three synthetic source models of
300 key behaviors each and measures, each against a baseline taken in the same run:
  1. the PDF export of a 300-behavior model against rendering the same model's HTML page
     (uncached); aim: within 10x the page and under 2 seconds. Measured twice: the rendering
     itself (which the background worker does a few seconds after a change), and the download
     of a model just changed once the worker has rendered it (what a person waits for);
  2. deriving a model from the three sources (lineage, blending) against saving the same
     900 behaviors as a plain new framework;
  3. the diff of two versions of the derived model (edits, removals, additions, moves) against
     loading the two versions it compares.
"""

import argparse
import importlib.util
import random
import shutil
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
_spec = importlib.util.spec_from_file_location("bench_run", Path(__file__).with_name("run.py"))
bench_run = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench_run)


timed = bench_run.timed


def bench_pdf(slug: str, rounds: int) -> None:
    from django.core.cache import cache
    from django.test import Client

    from cmc.frameworks.documents import document_of, renders, writers
    from cmc.frameworks.models import Framework
    from cmc.frameworks.services import index_framework

    client = Client()

    def get(path):
        def request():
            response = client.get(path, HTTP_HOST="127.0.0.1")
            assert response.status_code == 200, response.status_code

        return request

    def page():
        cache.clear()
        get(f"/frameworks/{slug}/")()

    def pdf():
        writers.pdf(document_of(Framework.objects.get(slug=slug)))

    page()  # warm the template loader
    html_s, pdf_s = timed(page, rounds), timed(pdf, rounds)
    print("PDF of a 300-behavior model vs its HTML page, both made anew")
    print(f"  HTML page {html_s * 1000:8.1f} ms   PDF {pdf_s * 1000:8.1f} ms")
    print(f"  ratio {pdf_s / html_s:.1f}x;  PDF under 2 s: {pdf_s < 2}")
    print("  (this is the rendering itself, which the background worker does after a change)")

    framework = Framework.objects.get(slug=slug)
    downloads, pages, worker = [], [], []
    for _ in range(rounds):
        index_framework(framework=framework)  # a change: the kept files no longer show it
        started = time.perf_counter()
        renders.render_ahead.call(framework.pk, renders.stamp_of(framework))
        worker.append(time.perf_counter() - started)
        cache.clear()
        downloads.append(timed(get(f"/frameworks/{slug}/download.pdf"), 1))
        pages.append(timed(page, 1))
    download_s, page_s = statistics.median(downloads), statistics.median(pages)
    print("PDF download of the model just changed, once the worker rendered it, vs its HTML page")
    print(f"  HTML page {page_s * 1000:8.1f} ms   PDF download {download_s * 1000:8.1f} ms")
    print(f"  ratio {download_s / page_s:.1f}x  (aim: within 10x)")
    print(
        f"  the worker's rendering of PDF, Word and PNG: {statistics.median(worker) * 1000:.0f} ms"
    )
    get(f"/frameworks/{slug}/")()
    warm_html = timed(get(f"/frameworks/{slug}/"), rounds * 20)
    warm_pdf = timed(get(f"/frameworks/{slug}/download.pdf"), rounds * 20)
    print("The same two requested again (the page from the cache, the PDF kept)")
    print(f"  HTML page {warm_html * 1000:8.2f} ms   PDF {warm_pdf * 1000:8.2f} ms")
    print(f"  ratio {warm_pdf / warm_html:.1f}x")


def bench_derive(slugs: list[str], rounds: int) -> str:
    from django.db import transaction

    from cmc.core.actors import SYSTEM
    from cmc.frameworks.models import Framework
    from cmc.frameworks.selectors import framework_tree, tree_of
    from cmc.frameworks.services import derive_framework, save_framework_tree

    sources = [Framework.objects.get(slug=s) for s in slugs]
    trees = [tree_of(framework_tree(user=SYSTEM, slug=s)) for s in slugs]

    class Undo(Exception):
        pass

    def plain():
        try:
            with transaction.atomic():
                for n, tree in enumerate(trees):
                    tree.slug, tree.identifier = f"plain-{n}", None
                    for tier in tree.tiers:
                        tier.identifier = None
                        for c in tier.competencies:
                            c.identifier = None
                            for b in c.behaviors:
                                b.identifier = None
                    save_framework_tree(tree=tree, where="bench", visibility="public")
                raise Undo
        except Undo:
            pass

    def derive():
        try:
            with transaction.atomic():
                derive_framework(actor=SYSTEM, sources=sources, name="Blended bench model")
                raise Undo
        except Undo:
            pass

    plain_s, derive_s = timed(plain, rounds), timed(derive, rounds)
    print("Deriving a model from three sources of 300 behaviors each vs saving them plainly")
    print(f"  plain save {plain_s * 1000:8.1f} ms   derive+blend {derive_s * 1000:8.1f} ms")
    print(f"  ratio {derive_s / plain_s:.2f}x")
    from django.contrib.auth import get_user_model

    owner = get_user_model().objects.create(username="bench")
    return derive_framework(actor=owner, sources=sources, name="Bench model").slug


def bench_diff(slug: str, rounds: int) -> None:
    from cmc.core.actors import SYSTEM
    from cmc.frameworks import diffs
    from cmc.frameworks.models import Framework, KeyBehavior
    from cmc.frameworks.services import editing, publish_version

    framework = Framework.objects.get(slug=slug)
    owner = framework.owner
    publish_version(framework=framework, actor=owner, note="first")
    rng = random.Random(7)
    behaviors = list(KeyBehavior.objects.filter(competency__framework=framework))
    rng.shuffle(behaviors)
    for behavior in behaviors[:40]:  # edited in place
        behavior.text = behavior.text.replace("e", "E", 2) + " Also documented."
        behavior.save(update_fields=["text"])
    for behavior in behaviors[40:55]:  # removed
        behavior.delete()
    competencies = list(framework.competencies.all())
    for n, competency in enumerate(competencies[:10]):  # added
        editing.add_behavior(actor=owner, competency=competency, text=f"New behavior {n}")
    for competency in competencies[10:15]:  # moved
        first = competency.behaviors.order_by("position").first()
        if first is not None:
            editing.move_behavior(actor=owner, behavior=first, offset=1)
    publish_version(framework=framework, actor=owner, note="second")

    def load():
        diffs.resolve_side(user=SYSTEM, slug=slug, ref="1")
        diffs.resolve_side(user=SYSTEM, slug=slug, ref="2")

    def diff():
        result = diffs.compare(
            diffs.resolve_side(user=SYSTEM, slug=slug, ref="1"),
            diffs.resolve_side(user=SYSTEM, slug=slug, ref="2"),
        )
        assert result.changes

    load_s, diff_s = timed(load, rounds), timed(diff, rounds)
    summary = diffs.compare(
        diffs.resolve_side(user=SYSTEM, slug=slug, ref="1"),
        diffs.resolve_side(user=SYSTEM, slug=slug, ref="2"),
    ).summary
    print("Diff of two versions of a 900-behavior model vs loading the two versions")
    print(f"  changes found: {summary}")
    print(f"  load both {load_s * 1000:8.1f} ms   diff {diff_s * 1000:8.1f} ms")
    print(f"  ratio {diff_s / load_s:.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--behaviors", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    scratch = bench_run.scratch_django("cmc-bench-build-")
    try:
        from cmc.frameworks.services import save_framework_tree

        rng = random.Random(20261123)
        slugs = []
        for n in range(3):
            tree = bench_run.make_tree(20_000 + n, args.behaviors, rng)
            save_framework_tree(tree=tree, where="bench", visibility="public")
            slugs.append(tree.slug)
        print(f"three source models of {args.behaviors} key behaviors each")
        bench_pdf(slugs[0], args.rounds)
        derived = bench_derive(slugs, args.rounds)
        bench_diff(derived, args.rounds)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
