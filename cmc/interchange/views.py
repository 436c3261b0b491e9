"""Downloads: a model, or one of its published versions, in every export format."""

from django.http import Http404
from django.views.decorators.http import require_GET

from cmc.core.http import attachment
from cmc.frameworks.selectors import visible_framework, visible_version

from . import exports


@require_GET
def framework_download(request, slug: str, fmt: str):
    if fmt not in exports.CONTENT_TYPES:
        raise Http404("No such format.")
    framework = visible_framework(user=request.user, slug=slug)
    data = exports.export(framework, fmt, reader=request.user)
    return attachment(data, exports.CONTENT_TYPES[fmt], exports.filename(framework, fmt))


@require_GET
def version_download(request, slug: str, number: int, fmt: str):
    """A published version as it was frozen, in any export format."""
    if fmt not in exports.CONTENT_TYPES:
        raise Http404("No such format.")
    framework, version = visible_version(user=request.user, slug=slug, number=number)
    data = exports.export(framework, fmt, reader=request.user, version=version)
    return attachment(data, exports.CONTENT_TYPES[fmt], exports.filename(framework, fmt, version))
