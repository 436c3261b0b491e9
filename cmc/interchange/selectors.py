"""Reads for the CASE provider (/ims/case/v1p1/): which frameworks a client may see as CASE
documents, their packages (made once per change of the framework and kept in the cache), and
the items, associations and definitions in them."""

import hashlib
import json
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max
from django.http import Http404

from cmc.core.actors import is_system
from cmc.frameworks.models import Alignment, Competency, Framework, KeyBehavior, Tier
from cmc.frameworks.selectors import tree_of

from . import exports
from .formats import case
from .models import PendingImport

# CFDocuments may be sorted by these (the spec's field names) and the columns behind them.
SORTS = {"title": "name", "lastChangeDateTime": "updated_at", "identifier": "identifier",
         "creator": "source_citation", "version": "version_label"}  # fmt: skip
LIGHT = ("id", "slug", "name", "identifier", "updated_at")


@dataclass
class Made:
    """A framework's package as served: its JSON bytes, and what names this state of it."""

    framework: Framework
    data: bytes
    etag: str

    def parsed(self) -> dict:
        return json.loads(self.data)


def visible(reader):
    """The frameworks a CASE client may read: public ones, or all a signed-in person (or a
    bearer token's) may see."""
    return Framework.objects.visible_to(reader)


def documents(*, reader, sort: str, descending: bool, limit: int, offset: int):
    """One page of the CASE documents the reader may see, and how many there are in all."""
    rows = visible(reader).order_by(("-" if descending else "") + SORTS[sort], "pk")
    total = rows.count()
    page = list(rows[offset : offset + limit])
    return [_document(framework, reader) for framework in page], total


def _document(framework: Framework, reader) -> dict:
    framework.tier_list = []  # the document alone: no tree
    tree = tree_of(framework, reader=reader)
    changed = framework.updated_at.isoformat()
    return case.Writer(tree, base=settings.CMC_SITE_URL, changed=changed).document()


def framework_of(*, identifier: str, reader) -> Framework:
    """The framework whose CASE document has this identifier, if the reader may see it."""
    found = visible(reader).filter(identifier=_uuid(identifier)).first()
    if found is None:
        raise Http404(f"No CASE document with the identifier {identifier}.")
    return found


def _uuid(identifier: str) -> uuid.UUID:
    try:
        return uuid.UUID(identifier)
    except ValueError:
        raise Http404(f"'{identifier}' is not a UUID.") from None


def package(*, framework: Framework, reader) -> Made:
    """The framework's CFPackage as the reader may see it, made again only when the framework
    or its alignments changed since it was last made (cached by that state)."""
    links = Alignment.objects.filter(framework=framework).aggregate(
        n=Count("id"), last=Max("id"), at=Max("created_at")
    )
    scope = "all" if is_system(reader) else getattr(reader, "pk", None) or "public"
    state = f"{framework.pk}:{framework.updated_at.timestamp()}:{links}:{scope}"
    key = "case-package:" + hashlib.sha1(state.encode()).hexdigest()
    data = cache.get(key)
    if data is None:
        data = exports.export(framework, "case", reader=reader)
        cache.set(key, data, 3600)
    return Made(framework, data, hashlib.sha1(state.encode()).hexdigest()[:20])


def item_framework(*, identifier: str, reader) -> Framework:
    """The visible framework that has a tier, competency or key behavior with this identifier."""
    wanted = _uuid(identifier)
    frameworks = visible(reader)
    for model, path in ((Competency, "framework"), (KeyBehavior, "competency__framework"),
                        (Tier, "framework")):  # fmt: skip
        found = model.objects.filter(identifier=wanted, **{f"{path}__in": frameworks})
        pk = found.values_list(f"{path}_id" if path == "framework" else "competency__framework_id",
                               flat=True).first()  # fmt: skip
        if pk is not None:
            return frameworks.get(pk=pk)
    raise Http404(f"No CASE item with the identifier {identifier}.")


def find_in_packages(*, identifier: str, reader, finder):
    """The first thing `finder(package dict)` finds for the identifier in the packages of the
    frameworks the reader may see, most recently changed first, with its framework."""
    _uuid(identifier)
    for framework in visible(reader).order_by("-updated_at"):
        found = finder(package(framework=framework, reader=reader).parsed())
        if found is not None:
            return framework, found
    raise Http404(f"Nothing in a CASE package here has the identifier {identifier}.")


def pending_upload(*, user, identifier: str) -> PendingImport:
    """One of the user's uploads, whatever its state (waiting for its preview to be
    confirmed, importing, imported or not)."""
    found = PendingImport.objects.filter(
        owner_id=getattr(user, "pk", None), identifier=_uuid(identifier)
    ).first()
    if found is None:
        raise Http404("No such upload of yours: an upload is kept for a day.")
    return found
