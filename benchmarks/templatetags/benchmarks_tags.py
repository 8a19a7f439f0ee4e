from django import template

from benchmarks.services import format_score

register = template.Library()


@register.filter
def lookup(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def score(value):
    return format_score(value)


@register.filter
def percent(value):
    return "—" if value is None else f"{round(100 * value)} %"
