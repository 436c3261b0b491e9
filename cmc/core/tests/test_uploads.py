"""What every upload imported in the background shares: the progress on its row, how its run
ends, and forgetting old uploads."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from cmc.core import uploads
from cmc.core.errors import InvalidInput, Problem
from cmc.factories import UserFactory
from cmc.interchange.models import PendingImport

pytestmark = pytest.mark.django_db


@pytest.fixture
def held():
    return PendingImport.objects.create(
        owner=UserFactory(), format="csv", filename="model.csv", data=b"rows", state="queued"
    )


def stored(upload) -> tuple:
    row = PendingImport.objects.get(pk=upload.pk)
    return row.stage, row.done, row.total


def test_progress_tells_a_new_stage_at_once_and_rows_now_and_then(held, monkeypatch):
    clock = [100.0]
    monkeypatch.setattr(uploads.time, "monotonic", lambda: clock[0])
    progress = uploads.RowProgress(held, every=1.0)
    progress("Checking the rows", 0, 10)
    assert stored(held) == ("Checking the rows", 0, 10)
    clock[0] += 0.5
    progress("Checking the rows", 4, 10)
    assert stored(held) == ("Checking the rows", 0, 10)  # within the second: not written
    clock[0] += 0.6
    progress("Checking the rows", 7, 10)
    assert stored(held) == ("Checking the rows", 7, 10)
    progress("Checking the rows", 10, 10)  # the last row is always told
    assert stored(held) == ("Checking the rows", 10, 10)
    progress("Writing 10 resources")  # a new stage: at once
    assert stored(held) == ("Writing 10 resources", 0, None)
    assert held.progress_text == "Writing 10 resources"


def test_the_progress_in_words_and_as_a_share(held):
    held.stage, held.done, held.total = "Checking the rows", 3200, 10000
    assert (held.progress_text, held.percent) == ("Checking the rows: 3,200 of 10,000", 32)
    held.total = None
    assert (held.progress_text, held.percent) == ("Checking the rows: 3,200 so far", None)


def test_a_run_that_writes_ends_done_without_the_file(held):
    def work(progress):
        progress("Writing")
        held.summary = "written"

    uploads.run(held, work)
    held.refresh_from_db()
    assert (held.state, held.data, held.stage, held.summary) == ("done", b"", "", "written")


def test_a_run_refused_ends_failed_with_every_problem(held):
    def work(progress):
        raise InvalidInput([Problem("model.csv, row 3", "title", "is required"),
                            Problem("model.csv, row 9", "url", "is not a web address")])  # fmt: skip

    uploads.run(held, work)
    held.refresh_from_db()
    assert held.state == "failed" and bytes(held.data) == b"rows"
    assert held.problem_list() == [
        Problem("model.csv, row 3", "title", "is required"),
        Problem("model.csv, row 9", "url", "is not a web address"),
    ]
    assert uploads.problems_of(held)[1] == {
        "where": "model.csv, row 9",
        "field": "url",
        "message": "is not a web address",
    }


def test_a_run_not_allowed_names_the_subject(held):
    def work(progress):
        raise PermissionDenied("Only staff may import resources.")

    uploads.run(held, work, subject="resources")
    held.refresh_from_db()
    assert held.problems == [["model.csv", "resources", "Only staff may import resources."]]


def test_an_unexpected_error_leaves_the_upload_failed_and_is_raised_for_the_log(held):
    def work(progress):
        raise ZeroDivisionError

    with pytest.raises(ZeroDivisionError):
        uploads.run(held, work)
    held.refresh_from_db()
    assert held.state == "failed"
    assert held.problems == [["model.csv", "file", uploads.STOPPED]]


def test_uploads_older_than_a_day_are_forgotten(held):
    old = PendingImport.objects.create(owner=held.owner, format="csv", filename="old.csv",
                                       data=b"")  # fmt: skip
    PendingImport.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - uploads.KEEP_FOR - timedelta(minutes=1)
    )
    uploads.forget_old(PendingImport)
    assert list(PendingImport.objects.all()) == [held]


def test_progress_inside_the_imports_own_transaction_is_left_out(held):
    from django.db import transaction

    progress = uploads.RowProgress(held)
    progress("Writing 3 resources")
    with transaction.atomic():
        progress("Writing 3 resources", 2, 3)  # seen by no one until the end: not written
        assert stored(held) == ("Writing 3 resources", 0, None)
