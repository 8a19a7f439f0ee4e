import pytest


@pytest.fixture(autouse=True)
def _scorm_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
