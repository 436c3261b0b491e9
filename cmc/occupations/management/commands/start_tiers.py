from django.core.management.base import CommandError
from django.http import Http404

from cmc.core.actors import SYSTEM
from cmc.core.management.commands._base import CmcCommand
from cmc.frameworks.selectors import visible_framework
from cmc.occupations.services import start_tiers_from_occupation


class Command(CmcCommand):
    help = (
        "Start tiers 6 to 9 of a framework from an occupation's O*NET content: knowledge on "
        "tier 6, skills on 7, education/experience/training on 8, resource management skills "
        "on 9, each aligned to its O*NET element."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="the framework's slug")
        parser.add_argument("code", help="an O*NET-SOC code (29-1141.00) or SOC code (29-1141)")
        parser.add_argument("--top", type=int, default=6, help="at most this many per tier")
        parser.add_argument("--min-importance", type=float, default=3.0)

    def handle(self, *args, slug, code, top=6, min_importance=3.0, **options):
        try:
            framework = visible_framework(user=SYSTEM, slug=slug, whole=True)
            started = start_tiers_from_occupation(
                actor=SYSTEM, framework=framework, code=code, top=top, min_importance=min_importance
            )
        except Http404 as error:
            raise CommandError(str(error)) from None
        for number, names in sorted(started.added.items()):
            self.stdout.write(f"tier {number}: {', '.join(names)}")
        self.stdout.write(
            f"{started.count} competencies added, {len(started.skipped)} already there"
        )
        for note in started.notes:
            self.stdout.write(note)
