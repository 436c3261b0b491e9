"""How resources are found on the site's search page: the collection this app registers with
core's search (one entry per resource, scoped by the resource itself so that the resource's
own visibility decides who finds it). The faceted search of the resources page is `finding`."""

from cmc.core.search import Collection, Entry, index, register

from .models import Resource
from .vocab import KINDS

COLLECTION = "resources"


def visible(user):
    """The resources whose entries the user may find."""
    return Resource.objects.visible_to(user)


def resource_titles(user, ids) -> dict[int, str]:
    """The titles of the resources among `ids` that the user may see."""
    return dict(visible(user).filter(pk__in=ids).values_list("pk", "title"))


RESOURCES = Collection(
    name=COLLECTION,
    kinds=KINDS,
    visible=visible,
    scope_labels=resource_titles,
    scope_param="resource",
    scope_heading="Resources",
)


def register_collection() -> None:
    register(RESOURCES)


def entry(resource: Resource) -> Entry:
    """The one search entry of a resource: its title, and its organization and description as
    the words found beside it."""
    body = "\n".join(part for part in (resource.organization, resource.description) if part)
    return Entry(
        kind=resource.kind,
        object_id=resource.pk,
        title=resource.title,
        url=resource.get_absolute_url(),
        body=body,
        context=resource.organization[:500],
    )


def index_resource(resource: Resource) -> None:
    index(collection=COLLECTION, scope_id=resource.pk, entries=[entry(resource)])
