"""Email the review app sends, through Django's email backend (the console in development,
SMTP in production: see EMAIL_* in config/settings.py). Sent once the write commits, so that
nobody is told about something that was rolled back."""

from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string


def send_later(*, template: str, context: dict, to: list[str], subject: str) -> None:
    """Send a plain-text email from `review/email/<template>.txt` after the commit."""
    body = render_to_string(f"review/email/{template}.txt", context)

    def send():
        send_mail(subject, body, None, to, fail_silently=False)

    # A mail server that refuses is logged, never a failed request: the round is open and the
    # editor has every link in the answer already.
    transaction.on_commit(send, robust=True)
