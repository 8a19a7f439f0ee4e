"""Anonymous statistics of what people search: per normalised query and day, no user kept."""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone

from search.analysis import MAX_QUERY_LENGTH, fold
from search.models import QueryStat


def normalise(query: str) -> str:
    return " ".join(fold(query).split())[:MAX_QUERY_LENGTH]


def record(query: str, total: int) -> None:
    text = normalise(query)
    if not text:
        return
    today, missed = timezone.localdate(), 0 if total else 1
    counted = {"searches": F("searches") + 1, "without_results": F("without_results") + missed}
    # One UPDATE for a query already typed today (the usual case); else the day's first row.
    if QueryStat.objects.filter(query=text, day=today).update(**counted):
        return
    try:
        with transaction.atomic():
            QueryStat.objects.create(query=text, day=today, searches=1, without_results=missed)
    except IntegrityError:  # typed at the same moment by someone else
        QueryStat.objects.filter(query=text, day=today).update(**counted)


def _since(days: int):
    return QueryStat.objects.filter(day__gte=timezone.localdate() - datetime.timedelta(days=days))


def frequent_queries(limit: int = 20, days: int = 90) -> list[tuple[str, int]]:
    rows = (
        _since(days)
        .values("query")
        .annotate(n=Sum("searches"))
        .order_by("-n", "query")
        .values_list("query", "n")
    )
    return list(rows[:limit])


def zero_result_queries(limit: int = 20, days: int = 90) -> list[tuple[str, int]]:
    rows = (
        _since(days)
        .filter(without_results__gt=0)
        .values("query")
        .annotate(n=Sum("without_results"))
        .order_by("-n", "query")
        .values_list("query", "n")
    )
    return list(rows[:limit])
