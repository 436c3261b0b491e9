"""What the pages share: sending people to sign in, and the record numbers of forms."""

from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse

from cmc.accounts.selectors import organizations_of


def to_sign_in(request):
    return redirect(f"{reverse('accounts:login')}?next={request.path}")


def record(value) -> int:
    """A record number from a form or address; anything else is no such record."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    if not 0 < number < 2**63:
        raise Http404("No such record.")
    return number


def organizations(request):
    return organizations_of(user=request.user) if request.user.is_authenticated else []
