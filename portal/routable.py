"""A module's own views hang off its index page (``RoutablePageMixin``, as bakerydemo does).

``ModuleIndexMixin`` goes before ``PortalPage`` in an index page's bases. Its routes are the
index page's path remainder (``/retours-experience/mes-retours/``); precedence:

1. the index page itself (no remainder) is served as any portal page (page cache included);
2. a live child page the reader may view whose slug is the remainder's first segment wins over
   a route: a page is never shadowed by a feature (``tests/docs_base/test_routing.py``);
3. otherwise a route that matches the remainder is served, by the method it names, which
   delegates to the module's view function (decorators, CSRF and access checks included);
4. otherwise ``PortalPage.route`` applies the access model per child (one query, 404 and a
   security event for a restricted or missing slug).

A child page the reader may not view does not hide a route from them (nor tell them it exists).
Reverse a route with ``page.reverse_subpage(name, args=...)`` appended to the page's URL, or
through the module's one helper (``docs_base.routes``).
"""

from django.conf import settings
from django.http import Http404
from django.utils import translation
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.url_routing import RouteResult

from portal.access import visible_pages


class ModuleIndexMixin(RoutablePageMixin):
    def route(self, request, path_components):
        if path_components and self.live:
            try:
                match = self.resolve_subpage("/" + "/".join(path_components) + "/")
            except Http404:
                match = None
            if match is not None and not self.has_visible_child(request, path_components[0]):
                request.routable_resolver_match = match
                request.routable_page = self  # the index its views' links are reversed from
                view, args, kwargs = match
                return RouteResult(self, args=(view, args, kwargs))
        # RoutablePageMixin's own route() would put routes before children: skip it.
        return super(RoutablePageMixin, self).route(request, path_components)

    def has_visible_child(self, request, slug: str) -> bool:
        return visible_pages(request).child_of(self).live().filter(slug=slug).exists()

    @classmethod
    def route_segments(cls) -> set[str]:
        """The first path segment of every route, in every language, e.g. to keep generated
        slugs off them."""
        segments = set()
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                for pattern in cls.get_resolver().url_patterns:
                    first = str(pattern.pattern).split("/", 1)[0]
                    if first and "<" not in first:
                        segments.add(first)
        return segments

    def subpage_url(self, name: str, *args, request=None) -> str:
        """The full URL path of one of this page's routes."""
        base = self.get_url(request) or "/"
        return base.rstrip("/") + "/" + self.reverse_subpage(name, args=args)
