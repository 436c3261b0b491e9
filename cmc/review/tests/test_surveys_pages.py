"""The survey pages: the editor's list and open form, the results with their charts and files,
closing, the respondent's page tier by tier (with and without HTMX), and the model's page."""

import csv
import io
import re

import pytest
from django.core import mail
from django.utils import timezone
from openpyxl import load_workbook

from cmc.review.models import Survey, SurveyResponse
from cmc.review.selectors.surveys import validated_statement

from .survey_builders import (
    MAY_EDIT,
    ROLES,
    behaviors,
    opened,
    people,
    published,
    survey_state,
    token_of,
)

pytestmark = pytest.mark.django_db
REFUSED = {"org viewer": 403, "outsider": 404}


@pytest.fixture
def who():
    return people()


def as_(client, who, role):
    if role != "anonymous":
        client.force_login(who[role])
    return client


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_the_editor_opens_a_survey_and_sees_the_links_once(
    client, who, django_capture_on_commit_callbacks
):
    published(who)
    client.force_login(who["owner"])
    page = client.get("/frameworks/our-welding/surveys/")
    assert page.status_code == 200
    assert '<option value="1">Version 1</option>' in text(page)
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(
            "/frameworks/our-welding/surveys/",
            {
                "version": "1", "invite": "ann@example.org\nbob@example.org, cy@example.org",
                "deadline": "2099-01-31", "min_mean_importance": "3.5", "min_share_percent": "60",
                "segment": "Shipyards\nPipelines", "region": "", "role": "Employer\nWorker",
                "employer_roles": "Employer",
            },
        )  # fmt: skip
    assert answer.status_code == 201
    survey = Survey.objects.get()
    assert survey.groups == {"segment": ["Shipyards", "Pipelines"], "role": ["Employer", "Worker"]}
    assert (survey.min_mean_importance, survey.min_share_important) == (3.5, 0.6)
    links = re.findall(r'<code class="link">([^<]+)</code>', answer.content.decode())
    assert len(links) == 3 and len(mail.outbox) == 3
    assert client.get(links[0].replace("http://127.0.0.1:8000", "")).status_code == 200
    listed = text(client.get("/frameworks/our-welding/surveys/"))
    assert f'<a href="/surveys/{survey.pk}/">Survey {survey.pk}' in listed


def test_bad_input_shows_every_problem_and_keeps_what_was_typed(client, who):
    published(who)
    client.force_login(who["owner"])
    answer = client.post(
        "/frameworks/our-welding/surveys/",
        {"version": "1", "invite": "ann", "min_mean_importance": "high",
         "min_share_percent": "50"},
    )  # fmt: skip
    assert answer.status_code == 422
    assert "<li>min_mean_importance: give a number from 1 to 5</li>" in text(answer)
    answer = client.post(
        "/frameworks/our-welding/surveys/",
        {"version": "1", "invite": "ann", "min_mean_importance": "3", "min_share_percent": "50"},
    )
    assert "<li>invite: &#x27;ann&#x27; is not an email address</li>" in text(answer)
    assert ">ann</textarea>" in text(answer)
    assert Survey.objects.count() == 0


def test_a_model_without_a_version_asks_to_publish_one(client, who):
    from cmc.frameworks.tests.builders import shared_derived

    shared_derived(who)
    client.force_login(who["owner"])
    page = text(client.get("/frameworks/our-welding/surveys/"))
    assert "A survey rates a published version: <a href=" in page


@pytest.mark.parametrize("role", ROLES)
def test_who_may_open_from_the_page(client, who, role):
    published(who)
    before = survey_state()
    answer = as_(client, who, role).post(
        "/frameworks/our-welding/surveys/",
        {"version": "1", "invite": "ann@example.org", "min_mean_importance": "3",
         "min_share_percent": "50"},
    )  # fmt: skip
    if role in MAY_EDIT:
        assert answer.status_code == 201
    elif role == "anonymous":
        assert answer.status_code == 302 and answer["Location"].startswith("/accounts/login/")
    else:
        assert answer.status_code == REFUSED[role]
    if role not in MAY_EDIT:
        assert survey_state() == before


def answered(who):
    framework, survey, tokens = opened(who, min_mean_importance=3.5)
    ids = behaviors(survey)
    from cmc.review.services.surveys import save_response

    for email, scores, role in [
        ("ann", [3, 5, 2, 4], "Employer"), ("bob", [4, 5, 2, 4], "Employer"),
        ("cy", [5, 5, 3, 4], "Worker"),
    ]:  # fmt: skip
        save_response(
            token=tokens[f"{email}@example.org"], group={"role": role},
            ratings=[{"behavior": b, "importance": s} for b, s in zip(ids, scores, strict=True)],
        )  # fmt: skip
    return framework, survey, tokens


def test_the_results_page_shows_tables_charts_and_flags(client, who):
    framework, survey, tokens = answered(who)
    client.force_login(who["owner"])
    page = client.get(f"/surveys/{survey.pk}/")
    assert page.status_code == 200
    body = text(page)
    assert "<dd>3 (everyone who saved a rating, submitted or not)</dd>" in body
    assert (
        '<th scope="row">Sharing tools with the crew</th> <td class="num">3</td> '
        '<td class="num">4.00</td> <td class="num">1.00</td> '
        '<td class="num">1.52 – 6.48</td> <td class="num">67%</td>'
    ) in body
    assert '<h2 id="flagged-heading">Flagged for removal (1)</h2>' in body
    assert "mean importance 2.33 is below 3.5; 0% rate it important or higher, below 50%" in body
    assert (
        '<title id="chart-' in body
        and "3 ratings: 0 rated 1 (not important); 0 rated 2 (slightly important); "
        "1 rated 3 (moderately important); 1 rated 4 (important); 1 rated 5 (very important)."
    ) in body
    assert "Kruskal-Wallis p-value" in body
    assert "By role: Kruskal-Wallis p 0.221, largest gap between means 1.50" in body
    workers = text(client.get(f"/surveys/{survey.pk}/?role=Worker"))
    assert (
        "<dd>1 in the chosen groups (everyone who saved a rating, submitted or not)</dd>" in workers
    )
    assert "<option selected>Worker</option>" in workers


@pytest.mark.parametrize("role", ROLES)
def test_who_may_see_the_results_and_files(client, who, role):
    framework, survey, tokens = answered(who)
    client = as_(client, who, role)
    for url in (f"/surveys/{survey.pk}/", f"/surveys/{survey.pk}/results.csv"):
        answer = client.get(url)
        if role in MAY_EDIT:
            assert answer.status_code == 200
        elif role == "anonymous":
            assert answer.status_code == 302
        else:
            assert answer.status_code == REFUSED[role]


def test_the_xlsx_has_results_and_raw_responses(client, who):
    framework, survey, tokens = answered(who)
    client.force_login(who["owner"])
    answer = client.get(f"/surveys/{survey.pk}/results.xlsx")
    assert answer["Content-Disposition"] == (
        f'attachment; filename="our-welding-v1-survey-{survey.pk}.xlsx"'
    )
    book = load_workbook(io.BytesIO(answer.content))
    assert book.sheetnames == ["Results", "Responses"]
    results, raw = book["Results"], book["Responses"]
    assert (results.freeze_panes, raw.freeze_panes) == ("E2", "B2")
    assert results["A1"].font.bold and results["A1"].fill.fgColor.rgb == "001D4ED8"
    assert results.column_dimensions["D"].width == 60
    assert (results["G2"].number_format, results["K2"].number_format) == ("0.00", "0%")
    first = [c.value for c in results[2]]
    assert first[:13] == [
        "behavior", 1, "1.1", "Sharing tools with the crew", str(behaviors(survey)[0]), 3, 4,
        1, 1.5159, 6.4841, 0.6667, None, None,
    ]  # fmt: skip
    assert results.max_row == 1 + 4 + 3  # four behaviors, three competencies
    assert raw.max_row == 1 + 12
    assert [c.value for c in raw[2]][:5] == ["R1", None, None, None, "Employer"]


def test_the_csv_has_one_row_per_rating(client, who):
    framework, survey, tokens = answered(who)
    client.force_login(who["owner"])
    answer = client.get(f"/surveys/{survey.pk}/results.csv")
    assert answer["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert rows[0] == [
        "respondent", "submitted", "Industry segment", "Region", "Role", "tier",
        "competency code", "competency", "behavior identifier", "key behavior", "importance",
        "frequency", "needed at entry",
    ]  # fmt: skip
    assert rows[1] == [
        "R1", "", "", "", "Employer", "1", "1.1", "Teamwork", str(behaviors(survey)[0]),
        "Sharing tools with the crew", "3", "", "",
    ]  # fmt: skip
    assert len(rows) == 13
    assert "example.org" not in answer.content.decode()  # respondents are never named


def test_closing_from_the_page_shows_on_the_models_page(client, who):
    framework, survey, tokens = answered(who)
    client.force_login(who["org editor"])
    answer = client.post(f"/surveys/{survey.pk}/close")
    assert answer.status_code == 302 and answer["Location"] == f"/surveys/{survey.pk}/"
    page = text(client.get(f"/surveys/{survey.pk}/"))
    assert "The survey is closed; its links take no more answers." in page
    assert "by ed; final." in page
    assert "Close the survey</button>" not in page
    again = client.post(f"/surveys/{survey.pk}/close", follow=True)
    assert "This survey was closed already, on " in text(again)
    statement = validated_statement(framework)
    assert statement.startswith("Validated with 2 employers on ")
    model = text(client.get("/frameworks/our-welding/"))
    assert f'<p class="validated">{statement}.</p>' in model
    assert '<li><a href="/frameworks/our-welding/surveys/">Validation surveys</a></li>' in model
    closed = text(client.get(f"/surveys/respond/{tokens['ann@example.org']}/"))
    assert "; it takes no more answers.</p>" in closed
    assert '<form method="post" class="respond-form"' not in closed


@pytest.mark.parametrize("role", ROLES)
def test_who_may_close_from_the_page(client, who, role):
    framework, survey, tokens = opened(who)
    before = survey_state()
    answer = as_(client, who, role).post(f"/surveys/{survey.pk}/close")
    if role in MAY_EDIT:
        assert Survey.objects.get().closed_by == who[role]
    else:
        assert answer.status_code == {"anonymous": 302, **REFUSED}[role]
        assert survey_state() == before


def test_the_tools_link_is_for_editors_only(client, who):
    published(who)
    client.force_login(who["org viewer"])
    assert "Validation surveys</a>" not in text(client.get("/frameworks/our-welding/"))


def test_a_respondent_goes_tier_by_tier_without_javascript(client, who):
    framework, survey, tokens = opened(who)
    url = f"/surveys/respond/{tokens['ann@example.org']}/"
    first, second, third, fourth = behaviors(survey)
    about = text(client.get(url))
    assert '<h2 id="step-heading">About you <span class="muted">(step 1 of 4)</span></h2>' in about
    assert (
        '<label class="tap"><input type="radio" name="group-role" value="Employer"> Employer</label>'
        in about
    )
    moved = client.post(
        url, {"step": "0", "go": "next", "group-role": "Employer", "group-region": ""}
    )
    assert moved.status_code == 302 and moved["Location"] == f"{url}?step=1"
    tier = text(client.get(f"{url}?step=1"))
    assert "Tier 1: Personal Effectiveness" in tier
    assert f'name="imp-{first}" value="4"' in tier
    saved = client.post(url, {
        "step": "1", "go": "save", f"imp-{first}": "4", f"freq-{first}": "2",
        f"entry-{first}": "yes", f"imp-{third}": "5",
    })  # fmt: skip
    assert saved.status_code == 200
    assert "Saved at " in text(saved)
    assert f'name="imp-{first}" value="4" checked' in text(saved)
    response = SurveyResponse.objects.get()
    assert response.group == {"role": "Employer"}
    assert sorted(response.ratings.values_list("importance", "frequency", "needed_at_entry")) == [
        (4, 2, True), (5, None, None),
    ]  # fmt: skip
    check = text(client.get(f"{url}?step=3"))
    assert "You rated the importance of 2 of 4 key behaviors." in check
    submitted = client.post(url, {"step": "3", "go": "submit"})
    assert submitted.status_code == 302
    done = text(client.get(submitted["Location"]))
    assert "You submitted your answers already; thank you." in done
    replay = client.post(url, {"step": "1", "go": "save", f"imp-{first}": "1"})
    assert replay.status_code == 200
    assert SurveyResponse.objects.get().ratings.get(behavior=first).importance == 4


def test_htmx_saves_in_place_and_moves_by_redirect(client, who):
    framework, survey, tokens = opened(who)
    url = f"/surveys/respond/{tokens['ann@example.org']}/"
    first = behaviors(survey)[0]
    saved = client.post(
        url, {"step": "1", "go": "save", f"imp-{first}": "3"}, HTTP_HX_REQUEST="true"
    )
    assert saved.status_code == 200
    assert saved.content.decode().startswith(f"Saved at {timezone.localtime():%H:}")
    moved = client.post(url, {"step": "1", "go": "next"}, HTTP_HX_REQUEST="true")
    assert moved.status_code == 204 and moved["HX-Redirect"] == f"{url}?step=2"
    bad = client.post(url, {"step": "3", "go": "submit"}, HTTP_HX_REQUEST="true")
    assert bad.status_code == 200  # kept so that HTMX swaps it into the status line
    assert "<li>rate the importance of at least one key behavior</li>" in bad.content.decode()


def test_a_wrong_or_expired_link(client, who):
    framework, survey, tokens = opened(who)
    wrong = client.get("/surveys/respond/not-a-token/")
    assert wrong.status_code == 404
    assert "This survey link is not valid" in text(wrong)
    past = timezone.make_aware(timezone.datetime(2026, 3, 4, 12, 0))
    Survey.objects.filter(pk=survey.pk).update(deadline=past)
    url = f"/surveys/respond/{tokens['ann@example.org']}/"
    page = text(client.get(url))
    assert "This survey&#x27;s deadline passed on March 4, 2026; it takes no more answers." in page
    posted = client.post(url, {"step": "1", "go": "save"})
    assert posted.status_code == 200
    assert SurveyResponse.objects.count() == 0


def test_links_from_the_email_open_the_respondent_page(client, who):
    framework, survey, tokens = opened(who)
    link = re.search(r"http://\S+/surveys/respond/\S+/", mail.outbox[0].body).group(0)
    assert token_of(link) == tokens[mail.outbox[0].to[0]]


def test_an_anonymous_visitors_cached_page_learns_of_the_close(client, who):
    from cmc.frameworks.services import publish_version
    from cmc.frameworks.tests.builders import welding
    from cmc.review.services.surveys import close_survey, save_response

    framework = welding(who["owner"])
    publish_version(framework=framework, actor=who["owner"])
    framework, survey, tokens = opened(who, framework=framework)
    save_response(
        token=tokens["ann@example.org"], group={"role": "Employer"},
        ratings=[{"behavior": behaviors(survey)[0], "importance": 5}],
    )  # fmt: skip
    assert "Validated with" not in text(client.get("/frameworks/welding/"))  # now cached
    close_survey(survey=survey, actor=who["owner"])
    day = timezone.localtime(Survey.objects.get().closed_at)
    page = text(client.get("/frameworks/welding/"))
    assert (
        f'<p class="validated">Validated with 1 employer on {day:%B} {day.day}, {day.year}.</p>'
        in page
    )
    assert "Validation surveys</a>" not in page


def test_results_before_any_answer(client, who):
    framework, survey, tokens = opened(who)
    client.force_login(who["owner"])
    page = text(client.get(f"/surveys/{survey.pk}/"))
    assert "<dd>0 (everyone who saved a rating, submitted or not)</dd>" in page
    assert (
        '<th scope="row">Sharing tools with the crew</th> <td class="num">0</td> '
        '<td class="num">–</td> <td class="num">–</td> <td class="num">–</td>'
    ) in page
    assert "Flagged for removal" not in page
    assert "0 ratings: 0 rated 1 (not important);" in page
