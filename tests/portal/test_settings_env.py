"""One settings module reads the environment: each variable switches its part."""

import runpy
from pathlib import Path

import pytest

SETTINGS_FILE = Path(__file__).resolve().parents[2] / "portal" / "settings.py"
VARIABLES = [
    "DATABASE_URL",
    "REDIS_URL",
    "ELASTICSEARCH_URL",
    "EMAIL_URL",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DEBUG",
    "HTTPS",
    "DEMO_MODE",
    "REGION",
    "REGION_NAME",
    "REGION_DEPARTMENTS",
    "REGION_CONTACT_EMAIL",
    "REGION_ARS_NAME",
    "REGION_GCS_NAME",
    "REGION_ONCALL_PHONE",
    "ALERTS_REMINDER_DAYS",
    "PORTAL_NAME",
    "TASKS_BACKEND",
    "TASKS_REDIS_URL",
]


@pytest.fixture
def load(monkeypatch, tmp_path):
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("VAR_DIR", str(tmp_path))

    def _load(**env):
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        return runpy.run_path(str(SETTINGS_FILE))

    return _load


def test_embedded_default(load, tmp_path):
    s = load()
    db = s["DATABASES"]["default"]
    assert db["ENGINE"] == "django.db.backends.sqlite3"
    assert db["NAME"] == str(tmp_path / "portal.sqlite3")
    assert "journal_mode=WAL" in db["OPTIONS"]["init_command"]
    assert s["CACHES"]["default"]["BACKEND"].endswith("LocMemCache")
    assert s["SESSION_ENGINE"] == "django.contrib.sessions.backends.db"
    assert s["SEARCH_BACKEND"] == "database"
    assert s["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"
    assert s["TASKS"]["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"
    assert s["DEBUG"] is False and s["DEMO_MODE"] is False
    assert s["REGION"]["name"] == "Auvergne-Rhône-Alpes"
    assert len(s["REGION"]["departments"]) == 12


def test_secret_key_generated_once_and_kept(load, tmp_path):
    first = load()["SECRET_KEY"]
    assert len(first) >= 50
    assert load()["SECRET_KEY"] == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
    assert load(SECRET_KEY="from-the-environment")["SECRET_KEY"] == "from-the-environment"


def test_database_url_switches_to_postgresql(load):
    db = load(DATABASE_URL="postgres://portal:pw@db.internal:5432/portal")["DATABASES"]["default"]
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["HOST"], db["NAME"], db["USER"]) == ("db.internal", "portal", "portal")
    assert "init_command" not in db.get("OPTIONS", {})


def test_redis_url_switches_cache_and_sessions(load):
    s = load(REDIS_URL="redis://cache.internal:6379/2")
    assert s["CACHES"]["default"]["BACKEND"] == "portal.cache.RedisCache"
    assert s["CACHES"]["default"]["LOCATION"] == "redis://cache.internal:6379/2"
    # cached_db, reading the signed-in user's cached copy in the same round trip.
    assert s["SESSION_ENGINE"] == "portal.accounts.session_store"


def test_redis_url_switches_the_task_queue_to_rq(load):
    s = load(REDIS_URL="redis://cache.example:6379/0")
    assert s["TASKS"]["default"]["BACKEND"] == "django_tasks_rq.RQBackend"
    assert s["RQ_QUEUES"]["default"]["URL"] == "redis://cache.example:6379/0"
    s = load(REDIS_URL="redis://cache.example:6379/0", TASKS_REDIS_URL="redis://q.example:6379/1")
    assert s["RQ_QUEUES"]["default"]["URL"] == "redis://q.example:6379/1"
    s = load(REDIS_URL="redis://cache.example:6379/0", TASKS_BACKEND="database")
    assert s["TASKS"]["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"


def test_elasticsearch_url_switches_search(load):
    s = load(ELASTICSEARCH_URL="http://es.internal:9200")
    assert (s["SEARCH_BACKEND"], s["ELASTICSEARCH_URL"]) == (
        "elasticsearch",
        "http://es.internal:9200",
    )


def test_email_url_switches_to_smtp(load):
    s = load(EMAIL_URL="smtp+tls://mailer:secret@smtp.internal:587")
    assert s["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (s["EMAIL_HOST"], s["EMAIL_PORT"], s["EMAIL_USE_TLS"]) == ("smtp.internal", 587, True)


def test_allowed_hosts_and_https(load):
    s = load(ALLOWED_HOSTS="cyber.example.fr,www.cyber.example.fr", HTTPS="1")
    assert s["ALLOWED_HOSTS"] == ["cyber.example.fr", "www.cyber.example.fr"]
    assert s["SESSION_COOKIE_SECURE"] and s["CSRF_COOKIE_SECURE"]
    assert s["SESSION_COOKIE_NAME"].startswith("__Host-")
    assert s["SECURE_HSTS_SECONDS"] >= 31_536_000 and s["SECURE_HSTS_INCLUDE_SUBDOMAINS"]
    plain = load(HTTPS="0")
    assert plain["SESSION_COOKIE_SECURE"] is False and plain["SESSION_COOKIE_NAME"] == "sessionid"


def test_debug_and_demo_mode(load):
    s = load(DEBUG="1", DEMO_MODE="1")
    assert s["DEBUG"] is True and s["DEMO_MODE"] is True
    assert s["HTTPS"] is False  # debug runs default to plain HTTP


def test_region_is_configuration(load):
    s = load(REGION="PDL")
    assert s["REGION"]["name"] == "Pays de la Loire"
    assert set(s["REGION"]["departments"]) == {"44", "49", "53", "72", "85"}
    custom = load(
        REGION_NAME="Région test",
        REGION_DEPARTMENTS="2A:Corse-du-Sud,2B:Haute-Corse",
        REGION_CONTACT_EMAIL="contact@test.example",
        REGION_ARS_NAME="ARS test",
        REGION_GCS_NAME="GCS test",
        REGION_ONCALL_PHONE="01 23 45 67 89",
    )["REGION"]
    assert custom["name"] == "Région test"
    assert custom["departments"] == {"2A": "Corse-du-Sud", "2B": "Haute-Corse"}
    assert (custom["ars_name"], custom["gcs_name"]) == ("ARS test", "GCS test")
    assert custom["contact_email"] == "contact@test.example"
    assert custom["oncall_phone"] == "01 23 45 67 89"
    assert s["REGION"]["oncall_phone"] == "02 40 00 00 00"


def test_bad_region_values_are_refused(load, monkeypatch):
    with pytest.raises(ValueError, match="unknown preset"):
        load(REGION="XYZ")
    monkeypatch.delenv("REGION")
    with pytest.raises(ValueError, match="CODE:Name"):
        load(REGION_DEPARTMENTS="44")


def test_alert_reminder_days(load):
    assert load()["ALERTS_REMINDER_DAYS"] == 3
    assert load(ALERTS_REMINDER_DAYS="7")["ALERTS_REMINDER_DAYS"] == 7
