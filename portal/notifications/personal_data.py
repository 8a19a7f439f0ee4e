"""What the service holds about a member: in their data export, erased with their account."""

from portal.accounts import personal_data
from portal.notifications import services
from portal.notifications.models import Notification, Preference


def export(user) -> dict:
    return {
        "preferences": {
            kind.key: {"channel": channel, "chosen": chosen}
            for kind, channel, chosen in services.preferences(user)
        },
        "notifications": [
            {
                "kind": n.kind,
                "reference": n.reference,
                "title": n.title,
                "created_at": n.created_at.isoformat(),
                "read_at": n.read_at and n.read_at.isoformat(),
            }
            for n in Notification.objects.filter(user=user)
        ],
    }


def erase(user) -> None:
    Notification.objects.filter(user=user).delete()
    Preference.objects.filter(user=user).delete()


def register_section() -> None:
    personal_data.register(personal_data.Section("notifications", export, erase))
