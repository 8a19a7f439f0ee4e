"""``{% kept "name" key… [published] %}…{% endkept %}``: a part of the layout rendered once per
process for each key and kept (``page_cache.kept``), e.g. the header's navigation per audience
and path.

What the part shows must follow from its keys and the language alone (in every key), and, for a
part marked ``published``, the published pages: ``page_cache.current_version`` (bumped by any
publication, move, deletion, privacy or site change) is then in its key too. A part that is not
marked reads nothing from the shared cache (the error pages render it when the cache may be
down). A part holds nothing personal beyond its keys, and no form with a CSRF token.
"""

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from portal import page_cache

register = template.Library()


class KeptNode(template.Node):
    def __init__(self, nodelist, name, keys, published):
        self.nodelist, self.name, self.keys, self.published = nodelist, name, keys, published

    def render(self, context):
        key = (
            self.name,
            get_language(),
            page_cache.current_version() if self.published else None,
            *(str(key.resolve(context)) for key in self.keys),
        )
        html = page_cache.kept(
            context.get("request"),
            page_cache.layout_parts,
            key,
            lambda: self.nodelist.render(context),
        )
        return mark_safe(html)  # noqa: S308 (rendered by the template, escaped there)


@register.tag
def kept(parser, token):
    """``{% kept "name" key… [published] %}``: the name (a literal), what else the part depends
    on, and whether it shows published pages."""
    bits = token.split_contents()
    published = bits[-1] == "published"
    if published:
        bits.pop()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("{% kept %} needs a name")
    nodelist = parser.parse(("endkept",))
    parser.delete_first_token()
    name = template.Variable(bits[1]).resolve({})
    keys = [parser.compile_filter(bit) for bit in bits[2:]]
    return KeptNode(nodelist, name, keys, published)
