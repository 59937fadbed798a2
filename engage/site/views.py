"""The public site: open to everyone, never shows personal data."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.db.utils import DatabaseError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from engage.conversations.models import Channel, QuoteConsentSource
from engage.conversations.services import conversation_record
from engage.core.errors import InvalidInput, NotFound
from engage.core.exports import csv_text
from engage.core.http import int_param
from engage.core.pagination import paginate
from engage.core.ratelimit import RateLimit, client_key, rate_limit_check, rate_limit_hit
from engage.decisions import public
from engage.decisions.feedback.emails import stop_token_person_id
from engage.decisions.feedback.services import feedback_opt_out
from engage.decisions.models import OptOutMethod
from engage.decisions.open_data import data_dictionary_rows, open_data_tables
from engage.evaluation import services as evaluation_services
from engage.evaluation.forms import ParticipantAnswerForm
from engage.evaluation.selectors import evaluation_by_token
from engage.evaluation.self_assessment import services as self_assessment_services
from engage.evaluation.self_assessment.forms import ScoreSheetForm
from engage.partners.models import ConsentMethod
from engage.partners.selectors import organisation_list, partnership_summary
from engage.reports import selectors as report_selectors
from engage.reports.document import report_document
from engage.reports.files import report_file_response
from engage.reports.models import Report, ReportKind
from engage.retention.selectors import retention_rule_list
from engage.site import answers, feedback


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "site/home.html", {"summary": partnership_summary()})


@require_GET
def open_data(request: HttpRequest) -> HttpResponse:
    """The published figures as files anyone may download, with what each column means."""
    return render(request, "site/open_data.html", {"tables": open_data_tables()})


@require_GET
def open_data_file(request: HttpRequest, file: str) -> HttpResponse:
    tables = open_data_tables()
    name = file
    if name == "data-dictionary":
        text = csv_text(("file", "column", "meaning"), data_dictionary_rows(tables))
    else:
        table = next((table for table in tables if table.name == name), None)
        if table is None:
            raise Http404("There is no such file of open data.")
        text = csv_text([column.name for column in table.columns], table.rows)
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


@require_GET
def partners(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()[:100]
    organisations = organisation_list(search=search, active_only=True)
    return render(request, "site/partners.html", {"organisations": organisations, "search": search})


@require_GET
def reports(request: HttpRequest) -> HttpResponse:
    """The partnership's published reports for the public: its Local Accounts and the
    reports of activities, each with its Easy Read version."""
    search = request.GET.get("q", "").strip()[:100]
    kind = request.GET.get("kind", "")
    return render(
        request,
        "site/reports.html",
        {
            "page": paginate(request, report_selectors.published_reports(kind=kind, search=search), 20),
            "search": search,
            "kind": kind if kind in (ReportKind.LOCAL_ACCOUNT, ReportKind.ACTIVITY) else "",
        },
    )


def _published(report_id: int) -> Report:
    report = report_selectors.published_report(report_id=report_id)
    if report is None:
        raise Http404("There is no such published report.")
    return report


@require_GET
def report(request: HttpRequest, report_id: int) -> HttpResponse:
    published = _published(report_id)
    return render(request, "site/report.html", {"report": published, "doc": report_document(published)})


@require_GET
def report_easy_read(request: HttpRequest, report_id: int) -> HttpResponse:
    published = _published(report_id)
    return render(
        request,
        "site/report_easy_read.html",
        {"report": published, "doc": report_document(published, with_easy_read=True)},
    )


# A PDF costs a second or more to make the first time (files.py keeps it after), so a
# client may ask for only so many in a window, whichever files they are.
FILES_LIMIT = 30
FILES_WINDOW = dt.timedelta(minutes=10)


@require_GET
def report_file(request: HttpRequest, report_id: int, version: str, extension: str) -> HttpResponse:
    published = _published(report_id)
    key = client_key(request, scope="report-files")
    limit = rate_limit_check(scope="report-files", key=key, limit=FILES_LIMIT, window=FILES_WINDOW)
    if not limit.allowed:
        response = render(
            request,
            "site/error.html",
            {"title": "Too many downloads: please wait a few minutes, then try again", "status": 429},
            status=429,
        )
        response["Retry-After"] = str(limit.retry_after_seconds)
        return response
    rate_limit_hit(scope="report-files", key=key, window=FILES_WINDOW)
    return report_file_response(published, version=version, extension=extension)


@require_GET
def you_said_we_did(request: HttpRequest) -> HttpResponse:
    """Every published activity: what people said and what was done, searchable and
    filtered by topic and area."""
    search = request.GET.get("q", "").strip()[:100]
    topic = request.GET.get("topic", "")[:200]
    area_id = int_param(request.GET.get("area"), field="area")
    activities = public.published_activities(search=search, topic=topic, area_id=area_id)
    return render(
        request,
        "site/you_said_we_did.html",
        {
            "page": paginate(request, activities, 20),
            "search": search,
            "topic": topic,
            "topics": public.published_topics(),
            "area_id": area_id,
            "areas": public.published_areas(),
        },
    )


@require_GET
def you_said_we_did_activity(request: HttpRequest, activity_id: int) -> HttpResponse:
    page = public.public_page(activity_id=activity_id)
    if page is None:
        raise Http404("This activity has no public page.")
    return render(request, "site/you_said_we_did_activity.html", {"page": page})


@never_cache
# RFC 8058 one-click: a mail program posts here with no form and no cookie. The signed
# token is the authority, and all it can do is stop emails to the person it names.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def emails_stop(request: HttpRequest, token: str) -> HttpResponse:
    """Stop "You said, we did" emails: the link in each one leads here, to one button."""
    person_id = stop_token_person_id(token)
    if person_id is None:
        return render(request, "site/emails_stop.html", {"state": "invalid"}, status=404)
    if request.method == "POST":
        one_click = request.POST.get("List-Unsubscribe") == "One-Click"
        try:
            feedback_opt_out(
                person_id=person_id, method=OptOutMethod.MAIL_CLIENT if one_click else OptOutMethod.EMAIL_LINK
            )
        except NotFound:
            return render(request, "site/emails_stop.html", {"state": "invalid"}, status=404)
        return render(request, "site/emails_stop.html", {"state": "stopped"})
    return render(request, "site/emails_stop.html", {"state": "ask"})


@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "site/accessibility.html")


@require_GET
def privacy(request: HttpRequest) -> HttpResponse:
    # How long each kind is kept, as the partnership's rules say now (engage/retention).
    kept = {rule.kind: rule.period for rule in retention_rule_list()}
    return render(request, "site/privacy.html", {"kept": kept})


@never_cache
@require_http_methods(["GET", "POST"])
def give_feedback(request: HttpRequest) -> HttpResponse:
    """The public feedback form: no account needed. The checks against bots and floods
    are in `engage.site.feedback`."""
    if request.method == "GET":
        return render(request, "site/feedback.html", {"form": feedback.FeedbackForm()})
    key, limit = feedback.feedback_rate_limit(request)
    if not limit.allowed:
        response = render(
            request,
            "site/feedback.html",
            {"too_many": True, "retry_time": feedback.retry_time_text(limit)},
            status=429,
        )
        response["Retry-After"] = str(limit.retry_after_seconds)
        return response
    form = feedback.FeedbackForm(request.POST)
    if form.is_from_a_bot():
        # Answered as if it were sent, so a bot learns nothing; nothing is saved.
        feedback.feedback_count(key)
        return redirect("site:feedback-thanks")
    if form.is_valid():
        try:
            conversation_record(
                actor=None,
                organisation=form.cleaned_data["organisation"],
                text=form.cleaned_data["text"],
                channel=Channel.WEB_FORM,
                occurred_on=timezone.localdate(),
                question=feedback.QUESTION,
                postcode=form.cleaned_data["postcode"],
                consent_to_quote=form.cleaned_data["consent_to_quote"],
                consent_source=QuoteConsentSource.FORM,
                consent_method=ConsentMethod.ONLINE_FORM,
            )
        except InvalidInput as error:
            form.add_service_errors(error)
        else:
            feedback.feedback_count(key)
            return redirect("site:feedback-thanks")
    if form.token_problem is not None:
        feedback.feedback_count(key)
    form.refresh_token()
    return render(request, "site/feedback.html", {"form": form})


@require_GET
def feedback_thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "site/feedback_thanks.html")


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 once the database answers and is migrated, 503 before."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM django_migrations LIMIT 1")
    except DatabaseError:
        return JsonResponse({"status": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(
        request,
        "site/error.html",
        {"status": 400, "title": "Sorry, there is a problem with your request"},
        status=400,
    )


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(
        request,
        "site/error.html",
        {"status": 403, "title": "You do not have access to this page"},
        status=403,
    )


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        # An address no route matches (an id out of range, a word where a number goes):
        # the API answers in its own shape, as its document says, never with a page.
        return JsonResponse(
            {"detail": "There is no such record that you may see, or no such address in the API."}, status=404
        )
    return render(request, "site/error.html", {"status": 404, "title": "Page not found"}, status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "site/error.html",
        {"status": 500, "title": "Sorry, there is a problem with the service"},
        status=500,
    )


def _too_many(request: HttpRequest, template: str, limit: RateLimit, **context: object) -> HttpResponse:
    response = render(
        request,
        template,
        {"too_many": True, "retry_time": feedback.retry_time_text(limit), **context},
        status=429,
    )
    response["Retry-After"] = str(limit.retry_after_seconds)
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def evaluate(request: HttpRequest, token: str) -> HttpResponse:
    """A participant's view of an activity they took part in: by the link or QR code
    its team handed out, no account, one answer a browser."""
    evaluation = evaluation_by_token(token)
    if evaluation is None:
        return render(request, "site/evaluate.html", {"state": "invalid"}, status=404)
    context = {"evaluation": evaluation, "activity": evaluation.activity}
    if evaluation.participants_closed_at is not None:
        return render(request, "site/evaluate.html", {**context, "state": "closed"})
    if evaluation.pk in answers.answered(request):
        return render(request, "site/evaluate.html", {**context, "state": "answered"})
    form = ParticipantAnswerForm(request.POST or None)
    if request.method == "POST":
        key, limit = answers.limit_check(request, answers.EVALUATE_SCOPE)
        if not limit.allowed:
            return _too_many(request, "site/evaluate.html", limit, **context, state="form")
        answers.limit_count(key, answers.EVALUATE_SCOPE)
        if str(request.POST.get("website", "")).strip():
            return redirect("site:evaluate-thanks")  # a bot: answered as if sent, nothing saved
        if form.is_valid():
            try:
                evaluation_services.participant_answer_record(
                    token=token, ratings=form.ratings(), comment=form.cleaned_data["comment"]
                )
            except InvalidInput as error:
                for name, message in error.errors.items():
                    form.add_error(name if name in form.fields else None, message)
            except NotFound:
                return render(request, "site/evaluate.html", {"state": "invalid"}, status=404)
            else:
                response = redirect("site:evaluate-thanks")
                answers.mark_answered(request, response, evaluation.pk)
                return response
    return render(
        request,
        "site/evaluate.html",
        {**context, "state": "form", "form": form},
        status=400 if form.errors else 200,
    )


@require_GET
def evaluate_thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "site/evaluate.html", {"state": "thanks"})


@never_cache
@require_http_methods(["GET", "POST"])
def score(request: HttpRequest, token: str) -> HttpResponse:
    """A partner scores the partnership against its statements, by a single-use link.
    Nothing here records who they are or when they answered."""
    try:
        scoring, group = self_assessment_services.scoring_link_round(token)
    except NotFound as error:
        return render(request, "site/score.html", {"state": "invalid", "message": error.message}, status=404)
    statements = list(scoring.statements.order_by("position", "text"))
    form = ScoreSheetForm(request.POST or None, statements=statements)
    context = {"round": scoring, "group": group}
    if request.method == "POST":
        key, limit = answers.limit_check(request, answers.SCORE_SCOPE)
        if not limit.allowed:
            return _too_many(request, "site/score.html", limit, **context, state="form", form=form)
        answers.limit_count(key, answers.SCORE_SCOPE)
        if str(request.POST.get("website", "")).strip():
            return redirect("site:score-thanks")  # a bot: answered as if sent, nothing saved
        if form.is_valid():
            try:
                self_assessment_services.score_sheet_record(
                    token=token, scores=form.scores(), comments=form.comments()
                )
            except InvalidInput as error:
                for name, message in error.errors.items():
                    form.add_error(name if name in form.fields else None, message)
            except NotFound as error:
                return render(
                    request, "site/score.html", {"state": "invalid", "message": error.message}, status=404
                )
            else:
                return redirect("site:score-thanks")
    return render(
        request,
        "site/score.html",
        {**context, "state": "form", "form": form},
        status=400 if form.errors else 200,
    )


@require_GET
def score_thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "site/score.html", {"state": "thanks"})
