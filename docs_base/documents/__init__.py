"""The document base: catalogue, life cycle, reader features and downloads.

``register()`` is called from ``DocsBaseConfig.ready``: navigation entry and home section,
search source and facets, the watchers' e-mail on publication, the Wagtail admin hooks.
"""


def register() -> None:
    from docs_base.documents import setup

    setup.register()
