import pytest

from tests.portal.factories import home_page


@pytest.fixture
def run_tasks(django_capture_on_commit_callbacks):
    """Commit callbacks (the queued tasks, run by the immediate backend) run at the block's end."""

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run


@pytest.fixture
def index():
    from tests.alerts.factories import alert_index

    home_page()
    return alert_index()
