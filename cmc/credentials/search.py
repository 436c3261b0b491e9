"""How credentials and pathways are found: two collections registered with core's search, each
credential and each pathway its own scope (its visibility decides who finds it)."""

from cmc.core import search
from cmc.core.search import Collection, Entry, register
from cmc.frameworks.models import Framework

from .models import Credential, Pathway

CREDENTIALS = "credentials"
PATHWAYS = "pathways"


def visible_credentials(user):
    return Credential.objects.visible_to(user)


def visible_pathways(user):
    return Pathway.objects.visible_to(user).filter(framework__in=Framework.objects.visible_to(user))


def _names(rows):
    def names(user, ids) -> dict[int, str]:
        return dict(rows(user).filter(pk__in=ids).values_list("pk", "name"))

    return names


COLLECTIONS = (
    Collection(
        name=CREDENTIALS,
        kinds={"credential": "Credential"},
        visible=visible_credentials,
        scope_labels=_names(visible_credentials),
        scope_param="credential",
        scope_heading="Credentials",
    ),
    Collection(
        name=PATHWAYS,
        kinds={"pathway": "Stackable pathway"},
        visible=visible_pathways,
        scope_labels=_names(visible_pathways),
        scope_param="pathway",
        scope_heading="Pathways",
    ),
)


def register_collections() -> None:
    for collection in COLLECTIONS:
        register(collection)


def index_credential(credential: Credential) -> None:
    """The credential's one entry: its name, and its issuer, kind and description."""
    body = " ".join(
        part
        for part in (credential.issuer, credential.accreditation_body, credential.description)
        if part
    )
    search.index(
        collection=CREDENTIALS,
        scope_id=credential.pk,
        entries=[
            Entry(
                kind="credential",
                object_id=credential.pk,
                title=credential.name,
                url=credential.get_absolute_url(),
                body=body,
                context=credential.get_kind_display(),
            )  # fmt: skip
        ],
    )


def index_pathway(pathway: Pathway) -> None:
    search.index(
        collection=PATHWAYS,
        scope_id=pathway.pk,
        entries=[
            Entry(
                kind="pathway",
                object_id=pathway.pk,
                title=pathway.name,
                url=pathway.get_absolute_url(),
                body=pathway.description,
                context=f"On {pathway.framework.name}",
            )  # fmt: skip
        ],
    )


def remove_credential(pk: int) -> None:
    search.remove(collection=CREDENTIALS, scope_id=pk)
