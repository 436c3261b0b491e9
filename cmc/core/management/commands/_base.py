"""What every cmc command shares: a one-line reason and a non-zero exit on failure."""

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from cmc.core.errors import Conflict, InvalidInput


class CmcCommand(BaseCommand):
    def execute(self, *args, **options):
        try:
            return super().execute(*args, **options)
        except InvalidInput as error:
            for problem in error.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"{len(error.problems)} problem(s); nothing was written") from None
        except (PermissionDenied, Conflict) as error:
            raise CommandError(str(error)) from None
        except DatabaseError as error:
            if options.get("traceback"):
                raise
            first_line = str(error).splitlines()[0] if str(error) else type(error).__name__
            raise CommandError(
                f"the database could not do it ({first_line}); is it migrated? (cmc migrate)"
            ) from None
