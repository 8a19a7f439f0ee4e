"""``{% rex_url "mine" %}`` and ``{% documents_url "favourite" page.pk %}``: the document
base's routes, reversed through ``docs_base.routes`` (one index look-up per request).

With no live index page the route does not exist: the tag gives "" (test it with ``as``)."""

from django import template
from django.urls import NoReverseMatch

from docs_base import routes

register = template.Library()


@register.simple_tag(takes_context=True)
def rex_url(context, name, *args):
    try:
        return routes.rex_url(name, *args, request=context.get("request"))
    except NoReverseMatch:
        return ""


@register.simple_tag(takes_context=True)
def documents_url(context, name, *args):
    try:
        return routes.documents_url(name, *args, request=context.get("request"))
    except NoReverseMatch:
        return ""
