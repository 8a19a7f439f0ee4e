"""What the alerts hold about a member: their subscription and the acknowledgements they
recorded (which belong to their establishment and stay, without their name, after erasure)."""

from alerts.models import Acknowledgement, Subscription


def export(user) -> dict:
    subscription = Subscription.objects.filter(user=user).first()
    return {
        "subscription": None
        if subscription is None
        else {
            "product_families": sorted(subscription.product_families),
            "topics": sorted(subscription.topics),
            "min_severity": subscription.min_severity,
            "establishment_types": sorted(subscription.establishment_types),
        },
        "acknowledgements": [
            {
                "alert": ack.alert.reference,
                "status": ack.status,
                "note": ack.note,
                "recorded_at": ack.recorded_at.isoformat(),
            }
            for ack in Acknowledgement.objects.filter(recorded_by=user).select_related("alert")
        ],
    }


def erase(user) -> None:
    Subscription.objects.filter(user=user).delete()
    Acknowledgement.objects.filter(recorded_by=user).update(recorded_by=None)
