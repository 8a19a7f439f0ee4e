"""Accessibility statement, legal notice and contact: filled from the region configuration."""

from django.shortcuts import render
from django.utils.translation import get_language

from portal.page_cache import mark_cacheable


def legal_page(request, name):
    language = "en" if get_language() == "en" else "fr"
    template = f"portal/legal/{name}.{language}.html"
    return mark_cacheable(render(request, template))
