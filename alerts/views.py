"""The alerts' own views, served as routes of the alert index page (``AlertIndexPage``), and
the context of the alert, index and "Vous êtes attaqué ?" pages. Every object goes through the
access model; what a user may not see answers 404."""

import csv

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from wagtail.models import Page

from alerts import personal, services
from alerts.forms import AcknowledgementForm, SubscriptionForm
from alerts.models import (
    Acknowledgement,
    AcknowledgementStatus,
    AlertIndexPage,
    AlertPage,
    AlertStatus,
    AttackResponsePage,
    WatchCategory,
)
from alerts.severity import Severity
from portal import charts, page_cache, region
from portal.access import (
    Tlp,
    approved_member_required,
    can_view,
    get_visible_or_404,
    membership_of,
    page_access_q,
    refuse,
)
from portal.access.fields import as_role_set
from portal.accounts.models import Establishment

PAGE_SIZE = 20
ESTABLISHMENTS_PAGE = 50  # an alert's dashboard lists the establishments so many at a time
# The largest id a database holds: a longer number in a URL is refused as a missing object
# (SQLite and PostgreSQL would fail on it).
MAX_ID = 2**63 - 1


def _login_or_404(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise Http404


def _choice(value, choices) -> str:
    return value if value in dict(choices) else ""


# --- Pages' context -----------------------------------------------------------------------------


def index_context(request, index) -> dict:
    filters = {
        "severity": _choice(request.GET.get("severity"), Severity.choices),
        "status": _choice(request.GET.get("status"), AlertStatus.choices),
        "tlp": _choice(request.GET.get("tlp"), Tlp.choices),
    }
    alerts = services.alerts_for(request.user).only(
        "title",
        "url_path",
        "slug",
        "reference",
        "tlp",
        "severity",
        "cvss_score",
        "status",
        "summary",
        "first_published_at",
        "establishment_types",
    )
    for name, value in filters.items():
        if value:
            alerts = alerts.filter(**{name: value})
    page = Paginator(alerts, PAGE_SIZE).get_page(request.GET.get("page"))
    return {
        "alerts": page,
        "filters": filters,
        "severity_choices": Severity.choices,
        "status_choices": AlertStatus.choices,
        "tlp_choices": Tlp.choices,
        "to_acknowledge": services.unacknowledged_for(request.user, 10),
        "sees_dashboard": services.is_regional(request.user),
        "sees_history": bool(
            membership_of(request.user).roles & services.ACKNOWLEDGING_ROLES
            and membership_of(request.user).establishment_id
        ),
        "latest_watch": list(services.watch_items_for(request.user)[:5]),
    }


def alert_context(request, alert) -> dict:
    member = membership_of(request.user)
    context = {
        "changes": list(alert.changes.all()[:20]),
        "products": list(alert.products.all()),
        "concerned_types": [
            label
            for code, label in Establishment._meta.get_field("kind").choices
            if code in as_role_set(alert.establishment_types)
        ],
        "index": alert.get_parent().specific,
    }
    context["subscription_argument"] = personal.subscription_argument(alert)
    establishment = None
    if member.approved and member.establishment_id:
        establishment = Establishment.objects.filter(pk=member.establishment_id).first()
    if establishment is not None and services.may_acknowledge(request.user, alert, establishment):
        # Decided by the audience (roles, establishment); the answers are the fragment's.
        url = context["index"].subpage_url(
            "acknowledge", alert.pk, establishment.pk, request=request
        )
        context["answer_argument"] = personal.answer_argument(alert, establishment.pk, url)
    return context


def attack_context(request, page) -> dict:
    sheet_ids = [sheet.document_id for sheet in page.sheets.all()]
    sheets = (
        Page.objects.filter(pk__in=sheet_ids).live().filter(page_access_q(request.user)).specific()
    )
    order = {pk: n for n, pk in enumerate(sheet_ids)}
    return {
        "sheets": sorted(sheets, key=lambda p: order[p.pk]),
        "region": region.current(),
    }


# --- Watch ---------------------------------------------------------------------------------------


def watch_list(request, index):
    category = _choice(request.GET.get("categorie"), WatchCategory.choices)
    items = services.watch_items_for(request.user)
    if category:
        items = items.filter(category=category)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    return TemplateResponse(
        request,
        "alerts/watch_list.html",
        {"page": index, "items": page, "category": category, "categories": WatchCategory.choices},
    )


# --- Subscriptions -------------------------------------------------------------------------------


@approved_member_required
def subscription(request, index):
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    if request.method == "POST":
        form = SubscriptionForm(request.POST)
        if form.is_valid():
            services.save_subscription(request.user, form.cleaned_data)
            messages.success(request, _("Your alert subscription is saved."))
            return redirect(index.subpage_url("subscription", request=request))
    else:
        form = SubscriptionForm(initial=services.subscription_initial(request.user))
    return TemplateResponse(request, "alerts/subscription.html", {"page": index, "form": form})


# --- Acknowledgements ----------------------------------------------------------------------------


def acknowledge(request, index, alert_id, establishment_id):
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    if not request.user.is_authenticated:
        return _login_or_404(request)
    if alert_id > MAX_ID or establishment_id > MAX_ID:
        refuse(request, AlertPage, pk=alert_id)
    alert = get_visible_or_404(request, services.live_alerts(), pk=alert_id)
    member = membership_of(request.user)
    establishment = Establishment.objects.filter(
        pk=establishment_id, pk__in=[member.establishment_id or 0]
    ).first()
    if establishment is None or not services.may_acknowledge(request.user, alert, establishment):
        refuse(request, Establishment, pk=establishment_id)
    if request.method == "POST":
        form = AcknowledgementForm(request.POST)
        if form.is_valid():
            services.record(
                alert,
                establishment,
                request.user,
                form.cleaned_data["status"],
                form.cleaned_data["note"],
            )
            messages.success(request, _("Your establishment's answer is recorded."))
            return redirect(alert.get_url(request))
    else:
        form = AcknowledgementForm()
    return TemplateResponse(
        request,
        "alerts/acknowledge.html",
        {
            "page": index,
            "alert": alert,
            "establishment": establishment,
            "form": form,
            "entries": list(services.history(alert, establishment)),
        },
    )


def history(request, index):
    member = membership_of(request.user)
    if not (
        member.approved and member.establishment_id and member.roles & services.ACKNOWLEDGING_ROLES
    ):
        return _login_or_404(request)
    entries = (
        Acknowledgement.objects.filter(
            establishment_id=member.establishment_id,
            alert__in=services.alerts_for(request.user).values("pk"),
        )
        .select_related("alert", "recorded_by")
        .order_by("-recorded_at", "-pk")
    )
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    return TemplateResponse(
        request,
        "alerts/history.html",
        {
            "page": index,
            "entries": page,
            "to_acknowledge": services.unacknowledged_for(request.user, 50),
            "index": index,
        },
    )


# --- The ARS exposure dashboard ------------------------------------------------------------------


def _regional_or_404(request):
    if not services.is_regional(request.user):
        return _login_or_404(request)
    return None


def dashboard(request, index):
    if (refusal := _regional_or_404(request)) is not None:
        return refusal
    alerts = services.dashboard_alerts(request.user)
    page = Paginator(alerts, PAGE_SIZE).get_page(request.GET.get("page"))
    counts = services.answered_counts(list(page))
    rows = [
        {"alert": alert, "concerned": counts[alert.pk][0], "answered": counts[alert.pk][1]}
        for alert in page
    ]
    return TemplateResponse(
        request,
        "alerts/dashboard.html",
        {
            "page": index,
            "alerts": page,
            "rows": rows,
            "delays": services.median_delays(
                list(
                    alerts.only(
                        "first_published_at", "access_level", "establishment", "establishment_types"
                    )
                )
            ),
        },
    )


def _dashboard_alert(request, alert_id):
    """An alert of the dashboard, else 404 (logged), decided in the lookup's query."""
    alert = None
    if alert_id <= MAX_ID:
        alert = services.dashboard_alerts(request.user).filter(pk=alert_id).first()
    if alert is None:
        refuse(request, AlertPage, pk=alert_id)
    return alert


def alert_dashboard(request, index, alert_id):
    """One alert's figures and its establishments, a page at a time (``ESTABLISHMENTS_PAGE``).

    Kept in the page cache per audience and retired by any acknowledgement or change of an
    establishment, but only when the reader sees the alert on the portal (``can_view``, decided
    by the audience alone): staff who see it through the admin's wider rule get it rendered."""
    if (refusal := _regional_or_404(request)) is not None:
        return refusal
    alert = _dashboard_alert(request, alert_id)
    figures = services.alert_figures(alert)
    columns = services.status_columns()
    labels = dict(columns)
    answer = _choice(request.GET.get("reponse"), columns)
    establishments = Paginator(services.dashboard_rows(alert, answer), ESTABLISHMENTS_PAGE)
    chart_list = [
        charts.bar_chart(
            "status",
            _("Establishments by answer"),
            _("Answer"),
            _("Establishments"),
            [(labels[code], figures.counts.get(code, 0)) for code, _label in columns],
        ),
        charts.bar_chart(
            "department",
            _("Answers by department"),
            _("Department"),
            _("Establishments that answered"),
            [(row.label, row.answered) for row in figures.by_department],
        ),
        charts.bar_chart(
            "type",
            _("Answers by establishment type"),
            _("Establishment type"),
            _("Establishments that answered"),
            [(row.label, row.answered) for row in figures.by_type],
        ),
    ]
    response = TemplateResponse(
        request,
        "alerts/alert_dashboard.html",
        {
            "page": index,
            "alert": alert,
            "figures": figures,
            "columns": columns,
            "labels": labels,
            "charts": chart_list,
            "answer": answer,
            "establishments": establishments.get_page(request.GET.get("page")),
        },
    )
    if can_view(request.user, alert):
        page_cache.mark_cacheable(response, services.DASHBOARD_CACHE_TAGS)
    return response


def alert_dashboard_csv(request, index, alert_id):
    if (refusal := _regional_or_404(request)) is not None:
        return refusal
    alert = _dashboard_alert(request, alert_id)
    statuses = dict(AcknowledgementStatus.choices)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{alert.reference}-exposition.csv"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        [
            _("Establishment"),
            "FINESS",
            _("Department"),
            _("Type"),
            _("Answer"),
            _("Date"),
            _("Note"),
        ]
    )
    kinds = dict(Establishment._meta.get_field("kind").choices)
    rows = services.with_answers(alert).order_by("department", "name")
    for row in rows.values("name", "finess", "department", "kind", "answer", "answered_at",
                           "answer_note").iterator(chunk_size=1000):  # fmt: skip
        answered = row["answer"] != services.NO_ANSWER
        writer.writerow(
            [
                _csv_safe(row["name"]),
                row["finess"],
                row["department"],
                kinds.get(row["kind"], row["kind"]),
                statuses[row["answer"]] if answered else _("No answer"),
                row["answered_at"].isoformat() if answered else "",
                _csv_safe(row["answer_note"] or ""),
            ]
        )
    return response


def _csv_safe(value: str) -> str:
    """No spreadsheet formula from an establishment's text."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


# --- Header entries -------------------------------------------------------------------------------


def index_redirect(request):
    index = AlertIndexPage.objects.live().first()
    if index is None or not (url := index.get_url(request)):
        raise Http404
    return redirect(url)


def attack_redirect(request):
    page = AttackResponsePage.objects.live().first()
    if page is None or not (url := page.get_url(request)):
        raise Http404
    return redirect(url)
