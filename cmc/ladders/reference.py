"""The ladders app's shipped reference content: a worked example lattice of real advanced
manufacturing occupations (reference/ladders/), loaded by `cmc load-reference` after the
frameworks and the occupations (order 30). Public, owned by nobody, marked as reference."""

from cmc.core import reference
from cmc.core.actors import SYSTEM
from cmc.frameworks.reference import reference_dir

from . import documents
from .models import Lattice
from .selectors import lattice_view
from .services import import_lattice

FILES = ("ladders/advanced-manufacturing.yaml",)


def _same(lattice: Lattice, document: dict) -> bool:
    """Whether the lattice already holds what the file says (then loading changes nothing)."""
    have = documents.to_document(lattice_view(lattice, reader=SYSTEM))
    want = {**document, "format": documents.FORMAT, "version": 1}
    keys = ("name", "description", "framework", "sources")
    if any(str(have[k]) != " ".join(str(want.get(k) or "").split()) for k in keys):
        return False
    return _shape(have) == _shape(want)


def _shape(document: dict):
    positions = [
        (p["key"], p.get("occupation", ""), p["level"], p["track"], tuple(p.get("credentials", [])))
        for p in document.get("positions", [])
    ]
    moves = [
        (
            t["from"],
            t["to"],
            t.get("kind", "promotion"),
            tuple((e["kind"], e["text"], e.get("months")) for e in t.get("experiences", [])),
        )
        for t in document.get("transitions", [])
    ]
    return sorted(positions), sorted(moves)


def load(*, dry_run: bool = False) -> reference.Loaded:
    """Create or update the example lattices; running it again changes nothing."""
    lines = []
    for name in FILES:
        path = reference_dir() / name
        document = documents.parse(path.name, path.read_bytes())
        existing = Lattice.objects.filter(slug=document["slug"]).first()
        if existing is not None and _same(existing, document):
            continue
        lines.append(f"{'updated' if existing else 'created'} the lattice {document['slug']}")
        if not dry_run:
            lattice, _ = import_lattice(
                document=document, where=name, actor=SYSTEM, public=True, reference=True
            )
    return reference.Loaded(f"ladders: {len(lines)} lattice(s) changed, {len(FILES)} in all", lines)


def register_loader() -> None:
    reference.register("ladders", load, order=30)
