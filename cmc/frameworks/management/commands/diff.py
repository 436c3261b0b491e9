from django.core.management.base import CommandError
from django.http import Http404

from cmc.core.management.commands._base import CmcCommand
from cmc.frameworks.diffs import compare, side_for_reference


class Command(CmcCommand):
    help = "Show what changed between two models or versions (SLUG, SLUG@N or SLUG@draft)."

    def add_arguments(self, parser):
        parser.add_argument("before", help="e.g. my-model@1, or a source such as building-blocks")
        parser.add_argument("after", help="e.g. my-model (the current draft) or my-model@2")

    def handle(self, *args, before, after, **options):
        try:
            diff = compare(side_for_reference(before, after), side_for_reference(after))
        except Http404 as error:
            raise CommandError(str(error)) from None
        summary = ", ".join(f"{n} {name}" for name, n in diff.summary.items())
        self.stdout.write(f"{diff.before} → {diff.after}: {summary}")
        for change in diff.changes:
            place = change.place_after or change.place_before
            self.stdout.write(
                f"  {change.change:8} {change.kind:10} {change.label}"
                + (f"  ({place})" if place else "")
            )
            for name, runs in change.fields.items():
                text = "".join(
                    t if op == "equal" else (f"[-{t}-]" if op == "delete" else f"{{+{t}+}}")
                    for op, t in runs
                )
                self.stdout.write(f"             {name}: {text}")
