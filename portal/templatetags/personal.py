"""``{% personal_fragment "name" argument %}``: a part of a cached page rendered for each reader
(``portal.page_cache.register_fragment``)."""

from django import template

from portal import page_cache

register = template.Library()


@register.simple_tag(takes_context=True)
def personal_fragment(context, name, argument=""):
    return page_cache.fragment(context["request"], name, str(argument))
