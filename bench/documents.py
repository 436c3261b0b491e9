"""Benchmarks for the readable documents of big models: prints times and peak memory beside
floors measured in the same run, never part of the tests.

    .venv/bin/python bench/documents.py [--rounds 3] [--big-rounds 1] [--behaviors 30000]
                                        [--weasyprint] [--growth-only]

In a scratch database (SQLite, or DATABASE_URL if set) it saves a model of 3,000 competencies
and 30,000 key behaviors, one of 300 competencies and one of 300 key behaviors, then prints:
  1. reading the big model as its documents read it (`document_of`);
  2. its PDF, Word file and PNG: the time of each (median of `--big-rounds` runs) and the peak
     memory of a process that makes it, against one that only reads the model (and, for the
     PDF, one that makes its floor); beside the PDF, Typst setting the same text as plain
     paragraphs and headings in one document (tagged, as ours is), and with `--weasyprint`
     WeasyPrint doing the same (what the PDF was set with before); beside the Word file,
     python-docx writing the same text as plain paragraphs; beside the PNG, the PNG of the
     300-competency model (the picture is bounded: the same size, the same time);
  3. the PDF of the 300-behavior model against the same floor (median of `--rounds` runs).
  4. the PDF's peak memory and CPU time for the model of a tenth of the key behaviors against
     the whole one's, each in a process of its own: how much it grows with the model.
Aims: the files of the 3,000-competency model made without error, its PDF in seconds and in
memory that a part bounds (less than the floor's, which lays the whole out at once; well under
300 MiB, hardly more than for a tenth of the model); the PDF of 300 key behaviors under 2 s.
"""

import argparse
import importlib.util
import io
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

# Run in a process of its own: the peak resident memory of making one document, in MiB.
_MEMORY_PROBE = """
import importlib.util, sys
import django
django.setup()
spec = importlib.util.spec_from_file_location("bench_documents", sys.argv[3])
bench = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench)
bench.probe(sys.argv[1], sys.argv[2])
"""

timed, step = bench_run.timed, bench_run.step
PAGE_STYLE = (
    '@page { size: Letter; margin: 2cm } body { font: 10.5pt/1.45 "DejaVu Sans", sans-serif }'
)
# Typst setting (kind, line) pairs as headings and plain paragraphs, in one document.
PLAIN_TYPST = b"""
#set page(paper: "us-letter", margin: 2cm)
#set text(font: "DejaVu Sans", size: 10.5pt, lang: "en")
#for (kind, line) in json(bytes(sys.inputs.lines)) {
  if kind == "p" { par(line) } else { heading(level: int(kind.at(1)), line) }
}
"""


def lines_of(tree) -> list[tuple[str, str]]:
    """The document's text, (kind, line): what a floor sets, in the order ours prints it."""
    lines = [("h1", tree.name)]
    for tier in sorted(tree.tiers, key=lambda t: t.number):
        lines.append(("h2", f"Tier {tier.number}: {tier.name}"))
        for competency in tier.competencies:
            lines.append(("h3", f"{competency.code} {competency.name}"))
            if competency.definition:
                lines.append(("p", competency.definition))
            for behavior in competency.behaviors:
                title = f"{behavior.title}: " if behavior.title else ""
                lines.append(("p", f"• {title}{behavior.text}"))
    return lines


def floor_pdf(lines: list[tuple[str, str]]) -> bytes:
    """Typst setting the same text as headings and plain paragraphs, tagged, in one part."""
    import json

    from cmc.core.typesetting import compile_pdf

    return compile_pdf(PLAIN_TYPST, {"lines": json.dumps(lines)})


def floor_weasyprint(lines: list[tuple[str, str]]) -> bytes:
    """WeasyPrint setting the same text as plain paragraphs, tagged, the collector held."""
    from django.utils.html import escape
    from weasyprint import HTML

    from cmc.core.bulk import collecting_later

    body = "".join(f"<{kind}>{escape(text)}</{kind}>" for kind, text in lines)
    html = f'<html lang="en"><head><style>{PAGE_STYLE}</style></head><body>{body}</body></html>'
    with collecting_later():
        return HTML(string=html).write_pdf(pdf_tags=True)


def floor_docx(lines: list[tuple[str, str]]) -> bytes:
    """python-docx writing the same text as plain paragraphs, each appended in constant time."""
    from docx import Document
    from docx.oxml import OxmlElement

    document = Document()
    end = document.element.body.sectPr
    for _kind, text in lines:
        paragraph, run, words = OxmlElement("w:p"), OxmlElement("w:r"), OxmlElement("w:t")
        words.text = text
        run.append(words)
        paragraph.append(run)
        end.addprevious(paragraph)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def probe(slug: str, what: str) -> None:
    """In a process of its own: read the model, make `what` (a format, "floor-pdf" or
    "weasyprint" for the PDF's floors, "-" for nothing), and print the process's peak resident
    memory in MiB and the CPU time it took to make it (user and system, in seconds)."""
    import resource

    from cmc.frameworks.documents import document_of, writers
    from cmc.frameworks.models import Framework

    document = document_of(Framework.objects.get(slug=slug))
    used = resource.getrusage(resource.RUSAGE_SELF)
    if what == "floor-pdf":
        floor_pdf(lines_of(document.tree))
    elif what == "weasyprint":
        floor_weasyprint(lines_of(document.tree))
    elif what != "-":
        writers.render(document, what)
    # VmHWM starts afresh with the process (ru_maxrss would keep its parent's through exec).
    status = Path("/proc/self/status").read_text().splitlines()
    hwm = next(int(line.split()[1]) / 1024 for line in status if line.startswith("VmHWM:"))
    done = resource.getrusage(resource.RUSAGE_SELF)
    cpu = done.ru_utime + done.ru_stime - used.ru_utime - used.ru_stime
    print(hwm, cpu)


def peak(slug: str, fmt: str) -> float:
    return peak_and_cpu(slug, fmt)[0]


def peak_and_cpu(slug: str, fmt: str) -> tuple[float, float]:
    """The peak resident memory (MiB) of a process that reads the model and makes `fmt`, and
    the CPU time (s) making it took: a measure the other work on the machine leaves alone."""
    said = bench_run.run_probe(_MEMORY_PROBE, slug, fmt, __file__)
    hwm, cpu = said.strip().splitlines()[-1].split()
    return float(hwm), float(cpu)


def bench_big(slug: str, small_slug: str, rounds: int, weasyprint: bool) -> None:
    from cmc.frameworks.documents import document_of, writers
    from cmc.frameworks.models import Framework

    framework = Framework.objects.get(slug=slug)
    started = time.perf_counter()
    document = document_of(framework)
    tree = document.tree
    print(
        f"The model of {tree.competency_count():,} competencies, "
        f"{tree.behavior_count():,} key behaviors (read in {time.perf_counter() - started:.1f} s)"
    )
    lines = lines_of(tree)
    small = document_of(Framework.objects.get(slug=small_slug))
    floors = {
        "pdf": ("Typst, plain paragraphs, whole", lambda: floor_pdf(lines)),
        "docx": ("python-docx, plain paragraphs", lambda: floor_docx(lines)),
        "png": (
            f"the PNG of {small.tree.competency_count():,} competencies",
            lambda: writers.render(small, "png"),
        ),
    }
    base = peak(slug, "-")
    print(f"  peak memory of reading the model alone: {base:6.0f} MiB")
    for fmt, (floor_name, floor) in floors.items():
        step(fmt, bench_format, document, fmt, floor_name, floor, rounds)
        step(f"{fmt} memory", bench_peak, slug, fmt, base)
    step("pdf growth", bench_pdf_growth, small_slug, slug)
    if weasyprint:
        step("weasyprint", bench_weasyprint, slug, lines, base)


def bench_weasyprint(slug: str, lines, base: float) -> None:
    """What the PDF was set with before: WeasyPrint's floor, its time and memory."""
    started = time.perf_counter()
    floor_weasyprint(lines)
    took = time.perf_counter() - started
    used = peak(slug, "weasyprint")
    print(f"  pdf   WeasyPrint, plain paragraphs: {took:7.2f} s, peak memory {used:6.0f} MiB "
          f"({used - base:+.0f} MiB over reading the model)")  # fmt: skip


def bench_format(document, fmt: str, floor_name: str, floor, rounds: int) -> None:
    from cmc.frameworks.documents import writers

    sizes = {}

    def ours():
        sizes["ours"] = len(writers.render(document, fmt))

    def plain():
        sizes["floor"] = len(floor())

    floor_s, ours_s = timed(plain, rounds), timed(ours, rounds)
    print(
        f"  {fmt:4}  floor ({floor_name}) {floor_s:7.2f} s   ours {ours_s:7.2f} s   "
        f"ratio {ours_s / floor_s:5.2f}x   {sizes['ours'] / 1e6:6.2f} MB"
    )


def bench_peak(slug: str, fmt: str, base: float) -> None:
    used = peak(slug, fmt)
    line = f"  {fmt:4}  peak memory {used:6.0f} MiB ({used - base:+.0f} MiB over reading the model"
    if fmt == "pdf":
        floor = peak(slug, "floor-pdf")
        line += f"; the floor {floor - base:+.0f} MiB"
    print(line + ")")


def bench_pdf_growth(small_slug: str, slug: str) -> None:
    """The PDF's peak memory and CPU time for a tenth of the model and for the whole: a part
    bounds the memory, so it should hardly grow (the model read grows, the PDF's parts not)."""
    from cmc.frameworks.documents import document_of
    from cmc.frameworks.models import Framework

    said = []
    for each in (small_slug, slug):
        behaviors = document_of(Framework.objects.get(slug=each)).tree.behavior_count()
        hwm, cpu = peak_and_cpu(each, "pdf")
        said.append((behaviors, hwm, cpu, peak(each, "-")))
    (few, few_hwm, few_cpu, few_base), (many, hwm, cpu, base) = said
    print(
        f"  pdf   peak memory for {few:,} key behaviors {few_hwm:4.0f} MiB "
        f"({few_hwm - few_base:+.0f} over reading it; CPU {few_cpu:.1f} s), for {many:,} "
        f"{hwm:4.0f} MiB ({hwm - base:+.0f}; CPU {cpu:.1f} s): grown {hwm - few_hwm:+.0f} MiB "
        f"for {many / few:.0f} times the key behaviors  (aim: well under 300 MiB, hardly grown)"
    )


def bench_small_pdf(slug: str, rounds: int) -> None:
    from cmc.frameworks.documents import document_of, writers
    from cmc.frameworks.models import Framework

    document = document_of(Framework.objects.get(slug=slug))
    lines = lines_of(document.tree)
    writers.pdf(document)  # the first one finds the fonts
    floor_s = timed(lambda: floor_pdf(lines), rounds)
    ours_s = timed(lambda: writers.pdf(document), rounds)
    print(
        f"PDF of {document.tree.behavior_count():,} key behaviors: floor (Typst, plain "
        f"paragraphs) {floor_s:5.2f} s   ours {ours_s:5.2f} s   ratio {ours_s / floor_s:4.2f}x  "
        "(aim: under 2 s)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--big-rounds", type=int, default=1)
    parser.add_argument("--behaviors", type=int, default=30_000)
    parser.add_argument("--weasyprint", action="store_true", help="time WeasyPrint's floor too")
    parser.add_argument(
        "--growth-only", action="store_true", help="only the PDF's memory for a tenth and whole"
    )
    args = parser.parse_args()
    scratch = bench_run.scratch_django("cmc-bench-documents-")
    try:
        from cmc.frameworks.services import save_framework_tree

        slugs = {}
        for behaviors in (args.behaviors, args.behaviors // 10, 300):
            tree = bench_run.make_tree(behaviors, behaviors, random.Random(behaviors))
            save_framework_tree(tree=tree, where="bench", visibility="public")
            slugs[behaviors] = tree.slug
        big, tenth = slugs[args.behaviors], slugs[args.behaviors // 10]
        if args.growth_only:
            step("pdf growth", bench_pdf_growth, tenth, big)
            return
        step("small pdf", bench_small_pdf, slugs[300], args.rounds)
        step("big", bench_big, big, tenth, args.big_rounds, args.weasyprint)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
