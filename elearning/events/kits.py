"""Escape-game kits: who is a facilitator, the materials offered, loan requests (overlapping
dates refused, under a lock on the kit's row), staff decisions, the availability calendar, and
the establishments' session reports."""

import calendar
import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from elearning.events.models import (
    HOLDING_STATUSES,
    KitLoan,
    KitMaterial,
    KitPage,
    LoanStatus,
    SessionReport,
)
from elearning.events.services import is_organiser
from portal.access import Role, can_view, membership_of

MAX_LOAN_DAYS = 31
BOOKABLE_MONTHS = 12
CALENDAR_MONTHS = 3


class LoanError(Exception):
    """A refusal, with the French message shown to the member."""


def is_facilitator(user, kit) -> bool:
    """GCS facilitators (role) and the members staff listed on the kit."""
    member = membership_of(user)
    if member.is_superuser:
        return True
    if not member.approved:
        return False
    if member.roles & {Role.EDITOR, Role.REGIONAL_ADMIN}:
        return True
    return kit.facilitators.filter(pk=user.pk).exists()


def may_download(user, kit, material) -> bool:
    member = membership_of(user)
    if not (member.approved or member.is_superuser) or not can_view(user, kit):
        return False
    return not material.facilitators_only or is_facilitator(user, kit)


def materials_for(user, kit) -> list:
    member = membership_of(user)
    if not (member.approved or member.is_superuser):
        return []
    materials = KitMaterial.objects.filter(kit=kit).order_by("sort_order", "pk")
    if not is_facilitator(user, kit):
        materials = materials.filter(facilitators_only=False)
    return list(materials)


def can_request(user) -> bool:
    """An approved member of an establishment asks on its behalf (the establishment comes from
    the membership, never from the form)."""
    member = membership_of(user)
    return member.approved and member.establishment_id is not None


def overlapping(kit, starts_on, ends_on, exclude=None):
    loans = KitLoan.objects.filter(
        kit=kit, status__in=HOLDING_STATUSES, starts_on__lte=ends_on, ends_on__gte=starts_on
    )
    if exclude is not None:
        loans = loans.exclude(pk=exclude.pk)
    return loans


def _overlap_message(loan) -> str:
    return _("The kit is already booked from %(start)s to %(end)s: choose other dates.") % {
        "start": date_format(loan.starts_on),
        "end": date_format(loan.ends_on),
    }


def request_loan(user, kit, starts_on, ends_on, note: str = "", today=None) -> KitLoan:
    from elearning.events import notifications  # it imports this module (a cycle)

    today = today or timezone.localdate()
    if not can_request(user) or not can_view(user, kit):
        raise LoanError(_("Loan requests are made by approved members of an establishment."))
    if starts_on < today:
        raise LoanError(_("The loan cannot start in the past."))
    if ends_on < starts_on:
        raise LoanError(_("The end date is before the start date."))
    if (ends_on - starts_on).days + 1 > MAX_LOAN_DAYS:
        raise LoanError(_("A loan lasts %(days)s days at most.") % {"days": MAX_LOAN_DAYS})
    if starts_on > today + datetime.timedelta(days=BOOKABLE_MONTHS * 31):
        raise LoanError(_("The kit can be booked up to one year ahead."))
    with transaction.atomic():
        KitPage.objects.select_for_update().filter(pk=kit.pk).first()  # one request at a time
        clash = overlapping(kit, starts_on, ends_on).order_by("starts_on").first()
        if clash is not None:
            raise LoanError(_overlap_message(clash))
        loan = KitLoan.objects.create(
            kit=kit,
            establishment_id=membership_of(user).establishment_id,
            requested_by=user,
            starts_on=starts_on,
            ends_on=ends_on,
            note=note.strip()[:2000],
        )
    notifications.loan_requested(loan)
    return loan


def decide(staff, loan, approve: bool, note: str = "") -> KitLoan:
    from elearning.events import notifications  # it imports this module (a cycle)

    if not is_organiser(staff):
        raise LoanError(_("Only GCS staff decide on loans."))
    with transaction.atomic():
        KitPage.objects.select_for_update().filter(pk=loan.kit_id).first()
        loan = KitLoan.objects.select_for_update().get(pk=loan.pk)
        if loan.status != LoanStatus.PENDING:
            raise LoanError(_("This request has already been decided."))
        if approve:
            clash = overlapping(loan.kit, loan.starts_on, loan.ends_on, exclude=loan)
            clash = clash.filter(status=LoanStatus.APPROVED).first()
            if clash is not None:
                raise LoanError(_overlap_message(clash))
        loan.status = LoanStatus.APPROVED if approve else LoanStatus.DECLINED
        loan.decided_by = staff
        loan.decided_at = timezone.now()
        loan.decision_note = note.strip()[:2000]
        loan.save()
    notifications.loan_decided(loan)
    return loan


def loans_for(user):
    """Staff see every loan; members their establishment's."""
    loans = KitLoan.objects.select_related("kit", "establishment", "requested_by").order_by(
        "-starts_on", "-pk"
    )
    if is_organiser(user):
        return loans
    member = membership_of(user)
    if not member.approved or member.establishment_id is None:
        return loans.none()
    return loans.filter(establishment_id=member.establishment_id)


def reportable_loan(user, loan_id):
    """An approved loan of the member's establishment whose first day has come, else None."""
    loan = loans_for(user).filter(pk=loan_id, status=LoanStatus.APPROVED).first()
    if loan is None or loan.starts_on > timezone.localdate():
        return None
    return loan


def file_report(user, loan, played_on, players, roles, duration_minutes, debrief) -> SessionReport:
    today = timezone.localdate()
    if not (loan.starts_on <= played_on <= min(loan.ends_on, today)):
        raise LoanError(
            _("The session must have been played during the loan, and not in the future.")
        )
    return SessionReport.objects.create(
        loan=loan,
        played_on=played_on,
        players=players,
        roles=set(roles),
        duration_minutes=duration_minutes,
        debrief=debrief.strip(),
        filed_by=user,
    )


# --- Availability calendar --------------------------------------------------------------------


@dataclass(frozen=True)
class Day:
    date: datetime.date
    in_month: bool
    booked: bool
    past: bool


@dataclass(frozen=True)
class Month:
    first: datetime.date
    weeks: list


def availability(kit, today=None, months: int = CALENDAR_MONTHS) -> list[Month]:
    """The next months, day by day: booked (a pending or approved loan) or free. One query."""
    today = today or timezone.localdate()
    first = today.replace(day=1)
    year, month = first.year, first.month + months - 1
    year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    last = datetime.date(year, month, calendar.monthrange(year, month)[1])
    booked = set()
    for start, end in overlapping(kit, first, last).values_list("starts_on", "ends_on"):
        day = max(start, first)
        while day <= min(end, last):
            booked.add(day)
            day += datetime.timedelta(days=1)
    grid = calendar.Calendar(firstweekday=0)
    result = []
    current = first
    for _index in range(months):
        weeks = [
            [Day(d, d.month == current.month, d in booked, d < today) for d in week]
            for week in grid.monthdatescalendar(current.year, current.month)
        ]
        result.append(Month(current, weeks))
        current = (current + datetime.timedelta(days=32)).replace(day=1)
    return result


def kit_context(user, kit) -> dict:
    member = membership_of(user)
    own = KitLoan.objects.none()
    if member.establishment_id is not None:
        own = (
            KitLoan.objects.filter(kit=kit, establishment_id=member.establishment_id)
            .prefetch_related("reports")
            .order_by("-starts_on")
        )
    return {
        "materials": materials_for(user, kit),
        "is_member": member.approved or member.is_superuser,
        "is_facilitator": is_facilitator(user, kit),
        "can_request": can_request(user),
        "months": availability(kit),
        "own_loans": list(own),
        "weekdays": [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")],
    }
