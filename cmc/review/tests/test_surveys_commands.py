"""`cmc survey open|results|close`."""

import io
import json

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from cmc.cli import usage
from cmc.review.models import Survey

from .survey_builders import behaviors, opened, people, published, survey_state

pytestmark = pytest.mark.django_db


@pytest.fixture
def who():
    return people()


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("survey", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_open_prints_each_personal_link(who, django_capture_on_commit_callbacks):
    published(who)
    with django_capture_on_commit_callbacks(execute=True):
        out, err = run(
            "open", "our-welding", "--version", "1", "--invite", "ann@example.org", "bob@example.org",
            "--as", "ed", "--deadline", "2099-06-30", "--segment", "Shipyards", "Pipelines",
        )  # fmt: skip
    survey = Survey.objects.get()
    lines = out.splitlines()
    assert [line.split("\t")[0] for line in lines] == ["ann@example.org", "bob@example.org"]
    assert all(
        line.split("\t")[1].startswith("http://127.0.0.1:8000/surveys/respond/") for line in lines
    )
    assert err == (
        f"Opened survey {survey.pk} of Our Welding version 1, until 2099-06-30 23:59 UTC; "
        "emailed 2 personal link(s):\n"
    )
    assert survey.groups["segment"] == ["Shipyards", "Pipelines"]
    assert survey.groups["role"] == ["Employer", "Worker", "Educator or trainer", "Other"]
    assert survey.opened_by == who["org editor"]
    assert len(mail.outbox) == 2


def test_open_refuses_a_reader_and_bad_input_writing_nothing(who):
    published(who)
    before = survey_state()
    with pytest.raises(CommandError, match=r"^You may not change the framework 'our-welding'\.$"):
        run("open", "our-welding", "--version", "1", "--invite", "a@example.org", "--as", "vic")
    with pytest.raises(CommandError, match=r"^otto sees no framework with the slug 'our-welding'$"):
        run("open", "our-welding", "--version", "1", "--invite", "a@example.org", "--as", "otto")
    with pytest.raises(CommandError, match=r"^no user named 'zed'$"):
        run("open", "our-welding", "--version", "1", "--invite", "a@example.org", "--as", "zed")
    err = io.StringIO()
    with pytest.raises(CommandError, match=r"^2 problem\(s\); nothing was written$"):
        call_command(
            "survey", "open", "our-welding", "--version", "3", "--invite", "nobody",
            "--as", "olga", stderr=err,
        )  # fmt: skip
    assert err.getvalue().splitlines() == [
        "survey, version: Our Welding has no published version 3",
        "survey, invite: 'nobody' is not an email address",
    ]
    with pytest.raises(CommandError, match=r"^--deadline soon: give a date as YYYY-MM-DD$"):
        run("open", "our-welding", "--version", "1", "--invite", "a@example.org",
            "--as", "olga", "--deadline", "soon")  # fmt: skip
    assert survey_state() == before


def test_results_as_json_csv_and_xlsx(who, tmp_path):
    framework, survey, tokens = opened(who)
    from cmc.review.services.surveys import save_response

    first = behaviors(survey)[0]
    for email, score in [("ann", 3), ("bob", 4), ("cy", 5)]:
        save_response(
            token=tokens[f"{email}@example.org"], ratings=[{"behavior": first, "importance": score}]
        )
    out, _ = run("results", str(survey.pk))
    document = json.loads(out)
    assert document["respondents"] == 3
    assert document["behaviors"][0]["ci95"] == [1.5159, 6.4841]
    csv_out, _ = run("results", str(survey.pk), "--format", "csv")
    assert csv_out.splitlines()[0].startswith("respondent,submitted,Industry segment,")
    assert len(csv_out.splitlines()) == 4
    target = tmp_path / "results.xlsx"
    _, err = run("results", str(survey.pk), "--format", "xlsx", "-o", str(target))
    assert err == f"Wrote the results of survey {survey.pk} to {target}\n"
    assert load_workbook(target).sheetnames == ["Results", "Responses"]
    with pytest.raises(CommandError, match=r"^XLSX is binary: give a file with -o FILE$"):
        run("results", str(survey.pk), "--format", "xlsx", "-o", "-")
    with pytest.raises(CommandError, match=r"^no survey 999$"):
        run("results", "999")


def test_close_is_final(who):
    framework, survey, tokens = opened(who)
    out, _ = run("close", str(survey.pk), "--as", "olga")
    survey.refresh_from_db()
    assert out == f"Closed survey {survey.pk} at {survey.closed_at:%Y-%m-%d %H:%M UTC}\n"
    assert survey.closed_by == who["owner"]
    with pytest.raises(CommandError, match=r"^This survey was closed already, on "):
        run("close", str(survey.pk))


def test_close_without_a_user_records_the_time_only(who):
    framework, survey, tokens = opened(who)
    run("close", str(survey.pk))
    survey.refresh_from_db()
    assert survey.closed_at is not None and survey.closed_by is None


def test_the_console_command_lists_survey():
    line = next(line for line in usage().splitlines() if line.strip().startswith("survey "))
    assert line.split(maxsplit=1)[1] == (
        "Validation surveys: open one (prints the personal links), its results, close it."
    )
