"""The document base: catalogue, life cycle, reader features and downloads (declared in
``module.py``, its admin hooks in ``docs_base/wagtail_hooks.py``)."""
