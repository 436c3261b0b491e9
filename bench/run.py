"""Benchmarks for the foundation: prints ratios measured in one run, never part of the tests.

    .venv/bin/python bench/run.py [--frameworks 100] [--behaviors 100000] [--seconds 5]

It builds a synthetic corpus in a scratch SQLite database (or DATABASE_URL if set), then measures:
  1. framework page requests/second under the production app server (gunicorn, as `cmc serve`
     runs it) against a static file of the same size served by the same server (whitenoise);
  2. search latency p50/p95 through the search interface against the raw full-text query that
     it wraps, on the same data;
  3. queries per framework page for frameworks of growing size (must not grow).
"""

import argparse
import http.client
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
_VOCABULARY = (
    "plan organize schedule team safety quality inspect measure record report communicate "
    "listen write read calculate solve decide lead coach train monitor maintain repair install "
    "operate equipment materials customer service ethics integrity adapt learn budget contract "
    "process system tool machine energy power grid line cable meter valve pump pressure sensor "
    "control data network security risk compliance regulation standard procedure document"
)
WORDS = _VOCABULARY.split()


def sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def make_tree(index: int, behaviors: int, rng: random.Random):
    from cmc.frameworks.trees import BehaviorNode, CompetencyNode, FrameworkTree, TierNode

    per_competency = 10
    competencies = max(1, behaviors // per_competency)
    tiers = [TierNode(number=n, name=f"Tier {n} {rng.choice(WORDS)}") for n in range(1, 10)]
    for c in range(competencies):
        tier = tiers[c % 9]
        count = min(per_competency, behaviors - c * per_competency)
        tier.competencies.append(
            CompetencyNode(
                code=f"{tier.number}.{len(tier.competencies) + 1}",
                name=sentence(rng, 3)[:-1],
                definition=sentence(rng, 14),
                behaviors=[
                    BehaviorNode(title=sentence(rng, 2)[:-1], text=sentence(rng, 18))
                    for _ in range(max(count, 0))
                ],
            )
        )
    return FrameworkTree(
        name=f"Synthetic model {index}",
        slug=f"synthetic-{index}",
        kind="industry",
        status="approved",
        industry=rng.choice(["Energy", "Manufacturing", "Health", "Retail"]),
        description=sentence(rng, 20),
        tiers=tiers,
    )


def build_corpus(frameworks: int, behaviors: int) -> list[str]:
    from cmc.frameworks.services import save_framework_tree

    rng = random.Random(20261123)
    per = behaviors // frameworks
    slugs = []
    started = time.perf_counter()
    for i in range(frameworks):
        tree = make_tree(i, per, rng)
        save_framework_tree(tree=tree, where="bench", visibility="public")
        slugs.append(tree.slug)
    for size in (10, 100, 1000, 3000):
        tree = make_tree(10_000 + size, size, rng)
        tree.slug = f"size-{size}"
        save_framework_tree(tree=tree, where="bench", visibility="public")
    took = time.perf_counter() - started
    print(f"corpus: {frameworks} frameworks, {behaviors:,} key behaviors in {took:.1f}s")
    return slugs


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def bench_search(rounds: int) -> None:
    from django.db import connection

    from cmc.core import search

    rng = random.Random(7)
    queries = [" ".join(rng.sample(WORDS, rng.choice([1, 2]))) for _ in range(rounds)]
    ours, raw = [], []
    engine_sql = (
        "SELECT rowid, bm25(core_search_fts, 4.0, 1.0) AS r FROM core_search_fts "
        "WHERE core_search_fts MATCH %s ORDER BY r LIMIT 20"
        if connection.vendor == "sqlite"
        else "SELECT id, ts_rank(document, q) AS r FROM core_searchentry, "
        "to_tsquery('english', %s) q WHERE document @@ q ORDER BY r DESC LIMIT 20"
    )
    for query in queries:
        words = search.terms(query)
        expression = (
            " ".join(f'"{w}"*' for w in words)
            if connection.vendor == "sqlite"
            else " & ".join(f"{w}:*" for w in words)
        )
        t0 = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(engine_sql, [expression])
            cursor.fetchall()
        raw.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        search.search(query, user=None, limit=20)
        ours.append(time.perf_counter() - t0)
    p50, p95 = percentile(ours, 50), percentile(ours, 95)
    r50, r95 = percentile(raw, 50), percentile(raw, 95)
    print(
        f"search ({rounds} queries, {connection.vendor}): interface p50 {p50 * 1000:.1f} ms, "
        f"p95 {p95 * 1000:.1f} ms; raw full-text query p50 {r50 * 1000:.1f} ms, "
        f"p95 {r95 * 1000:.1f} ms"
    )
    print(f"  ratio p50 {p50 / r50:.2f}x, p95 {p95 / r95:.2f}x  (aim: p95 within 3x)")


def bench_query_counts() -> None:
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    rows = []
    for size in (10, 100, 1000, 3000):
        counts = []
        for label in ("cold", "warm"):
            if label == "cold":
                cache.clear()
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(f"/frameworks/size-{size}/")
            assert response.status_code == 200, response.status_code
            counts.append(len(ctx.captured_queries))
        rows.append((size, *counts))
    print("queries per framework page (behaviors: cold cache / warm cache):")
    for size, cold, warm in rows:
        print(f"  {size:>5}: {cold} / {warm}")
    # Grows: a bigger model takes more queries than the smallest one did.
    grows = any(cold > rows[0][1] or warm > rows[0][2] for _, cold, warm in rows)
    print(f"  {'GROWS with size' if grows else 'constant: does not grow with size'}")


def load(url_path: str, port: int, seconds: float, threads: int) -> float:
    """Requests per second from `threads` clients, each on its own connection per request."""
    done = [0] * threads
    stop = time.perf_counter() + seconds

    def worker(slot: int) -> None:
        while time.perf_counter() < stop:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            conn.request("GET", url_path)
            response = conn.getresponse()
            response.read()
            conn.close()
            if response.status != 200:
                raise SystemExit(f"{url_path} answered {response.status}")
            done[slot] += 1

    pool = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    started = time.perf_counter()
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return sum(done) / (time.perf_counter() - started)


@contextmanager
def serving(port: int, env: dict, *, wait: float = 120.0):
    """`cmc serve` on `port` (two gunicorn workers, no task worker: it would render the
    corpus's documents while the load runs), once it answers; stopped at the end. A server
    that stops or does not answer in `wait` seconds ends the benchmark with what it said."""
    command = [sys.executable, "-m", "cmc.cli", "serve", "--port", str(port), "--workers", "2",
               "--no-worker"]  # fmt: skip
    with tempfile.NamedTemporaryFile(prefix="cmc-bench-serve-", suffix=".log") as log:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            _wait_for(server, port, wait, log.name)
            yield server
        finally:
            server.terminate()
            try:
                server.wait(30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def _wait_for(server: subprocess.Popen, port: int, wait: float, log: str) -> None:
    deadline = time.monotonic() + wait
    while True:
        if server.poll() is not None:
            raise SystemExit(f"the server stopped (exit {server.returncode}):\n{_tail(log)}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/")
            if conn.getresponse().status < 500:
                return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise SystemExit(f"the server did not answer in {wait:.0f} s:\n{_tail(log)}")
        time.sleep(0.2)


def _tail(path: str, lines: int = 20) -> str:
    return "\n".join(Path(path).read_text(errors="replace").splitlines()[-lines:])


def bench_throughput(slug: str, seconds: float, env: dict) -> None:
    from django.conf import settings
    from django.test import Client

    page = Client().get(f"/frameworks/{slug}/").content
    static_root = Path(settings.STATIC_ROOT)
    (static_root / "bench").mkdir(exist_ok=True)
    (static_root / "bench" / "page.html").write_bytes(page)
    port = 18800 + os.getpid() % 100
    with serving(port, env):
        path = f"/frameworks/{slug}/"
        load(path, port, 1, 4)  # warm both workers' caches
        load("/static/bench/page.html", port, 1, 4)
        page_rps = load(path, port, seconds, 4)
        static_rps = load("/static/bench/page.html", port, seconds, 4)
    print(
        f"framework page ({len(page):,} bytes) under gunicorn: {page_rps:.0f} req/s; "
        f"static file of the same size: {static_rps:.0f} req/s"
    )
    print(f"  ratio {page_rps / static_rps:.2f}  (aim: >= 0.5)")


def run_probe(code: str, *args: str) -> str:
    """Run `code` in a Python process of its own (a memory probe: its peak is its own), from
    the project's folder with this environment; its standard output, or the last line it
    said before it failed, raised."""
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=os.environ.copy(),
    )
    if done.returncode != 0:
        raise RuntimeError(done.stderr.strip().splitlines()[-1])
    return done.stdout


def step(name: str, work, *args) -> None:
    """Run one benchmark; a failure is printed and the others still run."""
    try:
        work(*args)
    except Exception:  # noqa: BLE001 - a benchmark never crashes the run
        print(f"  {name} failed:")
        print("    " + traceback.format_exc().strip().splitlines()[-1])


def timed(work, rounds: int) -> float:
    """The median wall time of `rounds` runs of `work`, in seconds."""
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def scratch_django(prefix: str) -> Path:
    """Set Django up on a scratch database (SQLite in a new folder, unless DATABASE_URL says
    otherwise), migrated; returns the folder, for the caller to remove."""
    scratch = Path(tempfile.mkdtemp(prefix=prefix))
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "CMC_DATA_DIR": str(scratch),
            "SECRET_KEY": "bench-only",
            "DEBUG": "0",
            "ALLOWED_HOSTS": "127.0.0.1",
        }
    )
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{scratch / 'bench.sqlite3'}")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return scratch


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frameworks", type=int, default=100)
    parser.add_argument("--behaviors", type=int, default=100_000)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--searches", type=int, default=300)
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="cmc-bench-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "CMC_DATA_DIR": str(scratch),
        "STATIC_ROOT": str(scratch / "static"),
        "SECRET_KEY": "bench-only",
        "DEBUG": "0",
    }
    env.setdefault("DATABASE_URL", f"sqlite:///{scratch / 'bench.sqlite3'}")
    os.environ.update(env)
    try:
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        slugs = build_corpus(args.frameworks, args.behaviors)
        bench_query_counts()
        bench_search(args.searches)
        bench_throughput(slugs[0], args.seconds, env)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
