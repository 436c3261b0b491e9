from django.core.management.base import CommandError

from cmc.accounts.services import find_user
from cmc.core.actors import SYSTEM
from cmc.core.management.commands._base import CmcCommand
from cmc.frameworks.selectors import blend_choices
from cmc.frameworks.services import derive_framework


class Command(CmcCommand):
    help = "Build a new model from one framework, or blend several, with lineage."

    def add_arguments(self, parser):
        parser.add_argument("sources", nargs="+", help="slugs of the frameworks to start from")
        parser.add_argument("--name", required=True, help="the new model's name")
        parser.add_argument("--owner", help="user name of the owner (the model is private to them)")
        parser.add_argument("--public", action="store_true", help="make the new model public")

    def handle(self, *args, sources, name, owner=None, public=False, **options):
        if not owner and not public:
            raise CommandError("give --owner USER (a private model needs an owner) or --public")
        user = find_user(owner) if owner else SYSTEM
        if owner and user is None:
            raise CommandError(f"no user named '{owner}'")
        framework = derive_framework(
            actor=user,
            sources=sources,
            name=name,
            visibility="public" if public else "private",
        )
        blends = len(blend_choices(framework))
        self.stdout.write(
            f"Created {framework.name} ({framework.slug}): {framework.tiers.count()} tiers, "
            f"{framework.competencies.count()} competencies"
            + (
                f", {blends} place(s) where the sources differ, to choose on its page"
                if blends
                else ""
            )
        )
