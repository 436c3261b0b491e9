"""How frameworks are found: the collection of kinds this app registers with core's search
(a framework, its competencies and key behaviors, scoped by the framework and faceted by tier
number), registered when the app is ready."""

from cmc.core.search import Collection, register

from .models import Framework

COLLECTION = "frameworks"


def visible(user):
    """The frameworks whose entries the user may find."""
    return Framework.objects.visible_to(user)


def framework_names(user, ids) -> dict[int, str]:
    """The names of the frameworks among `ids` that the user may see."""
    return dict(visible(user).filter(pk__in=ids).values_list("pk", "name"))


FRAMEWORKS = Collection(
    name=COLLECTION,
    kinds={
        "framework": "Framework",
        "tier": "Tier",
        "competency": "Competency",
        "behavior": "Key behavior",
    },
    visible=visible,
    scope_labels=framework_names,
    scope_param="framework",
    scope_heading="Frameworks",
    facet_param="tier",
    facet_heading="Tiers",
    facet_label="Tier {}",
)


def register_collection() -> None:
    register(FRAMEWORKS)
