"""Exports of a framework in every format: the exchange formats (JSON, CSV, XLSX) and the
readable documents (PDF, Word, the pyramid as SVG or PNG), of the draft or of a version."""

from cmc.frameworks import documents
from cmc.frameworks.models import Framework
from cmc.frameworks.selectors import tree_of, version_framework

from . import formats

CONTENT_TYPES = {**formats.CONTENT_TYPES, **documents.READABLE}
EXPORT_FORMATS = tuple(CONTENT_TYPES)


def export(framework: Framework, fmt: str) -> bytes:
    """`framework` (its tree loaded) in any export format; ValueError for an unknown one."""
    if fmt in formats.CONTENT_TYPES:
        return formats.write(tree_of(framework), fmt)
    if fmt in documents.READABLE:
        return documents.render(framework, fmt)
    raise ValueError(f"unknown format '{fmt}'; use one of {', '.join(EXPORT_FORMATS)}")


def ready_export(framework: Framework, fmt: str, *, tree=None, version=None) -> bytes:
    """`export` for a download, of the draft or of a published `version`. The formats slow to
    make (PDF, Word, PNG) come ready-made when the model has not changed since they were
    rendered (see cmc.frameworks.documents.renders). `framework` may be a light one
    (selectors.visible_framework); `tree()` loads the whole tree when needed."""
    if version is not None:
        load = tree or (lambda: version_framework(framework, version))
    else:
        load = tree or (lambda: framework)
    if fmt in documents.AHEAD:
        return documents.readable(framework, fmt, tree=load, version=version)
    return export(load(), fmt)


filename = documents.filename
