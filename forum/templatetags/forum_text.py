"""Poll questions and options as safe inline HTML (``forum.markup.render_inline``)."""

from django import template
from django.utils.safestring import mark_safe

from forum.markup import render_inline

register = template.Library()


@register.filter
def inline_markdown(text) -> str:
    return mark_safe(render_inline(text))  # noqa: S308 (sanitised by nh3 with an allow-list)
