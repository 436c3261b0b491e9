from django.core.management.base import CommandError

from cmc.accounts.selectors import tokens_of
from cmc.accounts.services import create_api_token, find_user, revoke_api_token
from cmc.core.management.commands._base import CmcCommand


class Command(CmcCommand):
    help = "Create, list or revoke API tokens for a user."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["create", "list", "revoke"])
        parser.add_argument("username")
        parser.add_argument("--name", default="command line", help="a label for a new token")
        parser.add_argument("--prefix", help="with revoke: the token's prefix (see list)")

    def handle(self, *args, action, username, name, prefix=None, **options):
        user = find_user(username)
        if user is None:
            raise CommandError(f"no user named '{username}'")
        if action == "create":
            token, raw = create_api_token(user=user, name=name)
            self.stdout.write(raw)
            self.stderr.write(
                f"Token '{token.name}' for {username}: keep it now, it is not shown again."
            )
        elif action == "list":
            for token in tokens_of(user=user):
                used = token.last_used_at.isoformat() if token.last_used_at else "never used"
                self.stdout.write(
                    f"{token.prefix}  {token.name}  {token.created_at:%Y-%m-%d}  {used}"
                )
        else:
            if not prefix:
                raise CommandError("revoke needs --prefix (see `cmc token list USER`)")
            if revoke_api_token(user=user, prefix=prefix) == 0:
                raise CommandError(f"{username} has no token starting with '{prefix}'")
            self.stdout.write(f"Revoked the token {prefix}.")
