from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    """Hashed file names for long caching, but file contents left byte for byte.

    The stock storage rewrites ``url()`` references inside CSS, which breaks the DSFR's
    subresource-integrity checksums: the browser would then refuse its stylesheet and script.
    Relative references still resolve, to the unhashed copies collectstatic keeps beside them.
    """

    patterns = ()
