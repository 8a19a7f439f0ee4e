"""Browser tests: Debian's Chromium, driven by Playwright, against the demo portal on loopback.

The portal runs in a subprocess with its own settings (`portal.settings`, DEMO_MODE) and a
throw-away VAR_DIR; the tests never touch the pytest-django test database. Its e-mails are
written to files in `mail_dir`, one file per connection.
"""

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
E2E_DIR = Path(__file__).resolve().parent
ROOT = E2E_DIR.parent.parent
AXE_JS = E2E_DIR / "node_modules" / "axe-core" / "axe.min.js"
VIEWPORT = {"width": 1280, "height": 900}
SERVER_START_TIMEOUT = 30


def _skip_or_fail(reason: str) -> None:
    """Skip where the browser tools are absent; in CI (E2E_REQUIRED=1) that is a failure."""
    if os.environ.get("E2E_REQUIRED") == "1":
        pytest.fail(reason)
    pytest.skip(reason)


def _require_chromium():
    if not CHROMIUM.exists():
        _skip_or_fail("Chromium is not installed: apt-get install -y chromium")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for_health(url: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            break
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    server.terminate()
    pytest.fail(f"The portal did not answer {url}/healthz:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="session")
def mail_dir(tmp_path_factory) -> Path:
    """Where the portal writes the e-mails it sends (Django's file-based e-mail backend)."""
    return tmp_path_factory.mktemp("e2e_mail")


@pytest.fixture(scope="session")
def _portal(tmp_path_factory, mail_dir):
    """The demo portal served by `runserver` on a free loopback port: its URL and demo password."""
    _require_chromium()
    var_dir = tmp_path_factory.mktemp("e2e_var")
    env = os.environ.copy()
    for name in ("DATABASE_URL", "REDIS_URL", "ELASTICSEARCH_URL", "MEDIA_ROOT", "ALLOWED_HOSTS"):
        env.pop(name, None)
    env.update(
        VAR_DIR=str(var_dir),
        STATIC_ROOT=str(var_dir / "static"),
        DEMO_MODE="1",
        HTTPS="0",
        DEBUG="0",
        DJANGO_SETTINGS_MODULE="portal.settings",
        PYTHONUNBUFFERED="1",
        # django-environ takes the path after "scheme://" minus its first "/": hence "////".
        EMAIL_URL=f"filemail:///{mail_dir}",
        # Tasks (e-mails, notifications) run in process, so that a test reads an e-mail as soon
        # as the page answered; tests/notifications/test_queue.py runs the real workers.
        TASKS_BACKEND="immediate",
    )
    bin_dir = Path(sys.executable).parent
    pybabel = bin_dir / "pybabel"
    if pybabel.exists():  # `make e2e` compiles too; a broken catalogue only loses translations
        compile_ = [str(pybabel), "-q", "compile", "-d", "locale", "-D", "django"]
        subprocess.run(compile_, cwd=ROOT, env=env, capture_output=True, check=False)
    setup = [
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        [sys.executable, "manage.py", "load_demo"],
    ]
    for command in setup:
        result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
        if result.returncode:
            pytest.fail(f"{' '.join(command[1:3])} failed:\n{result.stdout}\n{result.stderr}")
    # The last command, load_demo, ends with the password it gave the demo accounts.
    demo_password = re.search(r"Mot de passe commun : (.+)", result.stdout)
    if demo_password is None:
        pytest.fail(f"load_demo printed no demo password:\n{result.stdout}")

    url = f"http://127.0.0.1:{_free_port()}"
    log = var_dir / "server.log"
    with log.open("w") as log_file:
        server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", "--noreload", url.removeprefix("http://")],
            cwd=ROOT,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_for_health(url, server, log)
        yield {"url": url, "demo_password": demo_password[1].strip(), "env": env}
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


@pytest.fixture(scope="session")
def portal_url(_portal) -> str:
    """Base URL of the demo portal."""
    return _portal["url"]


@pytest.fixture(scope="session")
def demo_password(_portal) -> str:
    """The password load_demo gave every demo account."""
    return _portal["demo_password"]


@pytest.fixture(scope="session")
def manage(_portal):
    """Run a management command against the served portal (its database and settings)."""

    def run(*args: str) -> str:
        command = [sys.executable, "manage.py", *args]
        env = _portal["env"]
        result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
        if result.returncode:
            pytest.fail(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
        return result.stdout

    return run


@pytest.fixture(scope="session")
def browser():
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _new_page(browser, portal_url, **options):
    context = browser.new_context(base_url=portal_url, viewport=VIEWPORT, locale="fr-FR", **options)
    context.set_default_timeout(10_000)
    return context, context.new_page()


@pytest.fixture
def page(browser, portal_url):
    """A fresh page, with the portal's Content-Security-Policy enforced."""
    context, page = _new_page(browser, portal_url)
    yield page
    context.close()


@pytest.fixture
def second_page(browser, portal_url):
    """A page in another browser context: a second person, with their own session."""
    context, page = _new_page(browser, portal_url)
    yield page
    context.close()


@pytest.fixture(scope="session")
def axe_script() -> Path:
    """axe-core's browser bundle, installed from tests/e2e/package-lock.json on first use."""
    if not AXE_JS.exists() and shutil.which("npm"):
        command = "ci" if (E2E_DIR / "package-lock.json").exists() else "install"
        subprocess.run(
            ["npm", command, "--no-audit", "--no-fund"],
            cwd=E2E_DIR,
            capture_output=True,
            timeout=180,
            check=False,
        )
    if not AXE_JS.exists():
        _skip_or_fail("axe-core is not installed: cd tests/e2e && npm ci")
    return AXE_JS


@pytest.fixture
def axe_page(browser, portal_url, axe_script):
    """A fresh page that ignores the CSP, so that axe-core can be injected inline."""
    context, page = _new_page(browser, portal_url, bypass_csp=True)
    yield page
    context.close()
