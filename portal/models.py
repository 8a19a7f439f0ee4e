"""The portal's own pages: the home page and standard content pages."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from portal import modules, page_cache
from portal.access import refuse, visible_pages, visible_to
from portal.access.models import AccessControlled
from portal.blocks import body_blocks
from portal.panels import ACCESS_PANEL


class PortalPage(Page):
    """Base of every portal page: anonymous hits are served from the page cache."""

    # Page-cache tags besides publications (see ``page_cache.mark_cacheable``).
    cache_tags: tuple[str, ...] = ()
    # The key of the module whose index this page is: the header marks that entry current.
    module_key: str = ""

    class Meta:
        abstract = True

    def serve(self, request, *args, **kwargs):
        return page_cache.mark_cacheable(super().serve(request, *args, **kwargs), self.cache_tags)

    def route(self, request, path_components):
        """Wagtail's routing, with the access model in the query that finds each child: a
        restricted slug and a missing one are refused on the same path (one query, 404)."""
        if not path_components:
            return super().route(request, path_components)
        slug = path_components[0]
        subpage = visible_pages(request).child_of(self).filter(slug=slug).first()
        if subpage is None:
            refuse(request, Page, parent=self.pk, slug=slug)
        subpage._cached_parent_obj = self
        remainder = path_components[1:]
        # A page on the way only routes (its class, no query); the page served is loaded once.
        return (subpage.specific_deferred if remainder else subpage.specific).route(
            request, remainder
        )


class HomePage(PortalPage):
    hero_title = models.CharField(_("hero title"), max_length=200)
    intro = RichTextField(_("introduction"), features=["bold", "italic", "link"])
    body = StreamField(body_blocks(), verbose_name=_("body"), blank=True)

    # Right under the tree's root: served only as its site's root, so its menu is the header's
    # (``header_menu_pages``, kept per host).
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1
    cache_tags = (page_cache.HOME,)
    search_fields = Page.search_fields + [index.SearchField("intro")]
    content_panels = Page.content_panels + [
        FieldPanel("hero_title"),
        FieldPanel("intro"),
        FieldPanel("body"),
    ]

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["sections"] = [
            (module, module.latest(request.user, 4)) for module in modules.home_sections()
        ]
        return context


class StandardPage(AccessControlled, PortalPage):
    intro = models.TextField(_("introduction"), blank=True)
    body = StreamField(body_blocks(), verbose_name=_("body"), blank=True)

    parent_page_types = ["portal.HomePage", "portal.StandardPage"]
    subpage_types = ["portal.StandardPage"]
    search_fields = Page.search_fields + [
        index.SearchField("intro"),
        index.SearchField("body"),
        index.FilterField("access_level"),
        index.FilterField("allowed_roles"),
        index.FilterField("establishment"),
    ]
    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    settings_panels = Page.settings_panels + [ACCESS_PANEL]

    class Meta:
        verbose_name = _("standard page")
        verbose_name_plural = _("standard pages")

    @property
    def search_summary(self) -> str:
        return self.intro

    @classmethod
    def in_menu_of(cls, home):
        """The live pages right under ``home`` flagged for menus (before the access check)."""
        return cls.objects.child_of(home).live().public().in_menu()

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["subpages"] = visible_to(
            request.user, StandardPage.objects.child_of(self).live().public()
        )
        return context
