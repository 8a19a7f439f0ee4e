"""The path converter for database ids: ``<id:pk>`` in every route, Django's or a routable
page's. At most 18 digits, so a number beyond the database's integers does not match the route
and the request gets the 404 of a missing object instead of failing in the database."""

from django.urls import register_converter


class IdConverter:
    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(int(value))


def register() -> None:
    register_converter(IdConverter, "id")
