import re
import secrets
import subprocess
import sys
import urllib.error
import urllib.request

import pytest
from cryptography.fernet import Fernet

from recovery_support.devstack import free_port
from tests.compose import PROJECT_DIR, compose, service_command
from tests.conftest import subprocess_env, wait_until


def production_env(**overrides: str) -> dict[str, str]:
    return subprocess_env(
        DJANGO_PRODUCTION="true",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        MFA_ENCRYPTION_KEY=Fernet.generate_key().decode(),
        DJANGO_ALLOWED_HOSTS="recovery.example.org,127.0.0.1",
        EMAIL_HOST="smtp.example.org",
        SITE_URL="https://recovery.example.org",
        **overrides,
    )


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.django_db
def test_the_deploy_check_passes_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_settings_take_the_database_address_compose_gives():
    """An address with no options of its own (docker-compose.yml's), as well as the
    embedded server's, which names its socket folder: prepared statements either way."""
    address = "postgres://recovery:secret@db:5432/recovery"
    script = "from django.conf import settings; print(settings.DATABASES['default']['OPTIONS'])"
    result = manage("shell", "-c", script, env=production_env(DATABASE_URL=address))
    assert result.returncode == 0, result.stderr
    assert "'server_side_binding': True" in result.stdout
    assert "'options': '-c random_page_cost=1.1'" in result.stdout


def test_an_address_s_own_connection_options_are_kept_and_win():
    """random_page_cost comes first in libpq's options, where a later -c wins: an
    operator's own, in the address, is kept and has the last word."""
    address = "postgres://recovery:secret@db:5432/recovery?options=-c%20random_page_cost%3D2"
    script = "from django.conf import settings; print(settings.DATABASES['default']['OPTIONS'])"
    result = manage("shell", "-c", script, env=production_env(DATABASE_URL=address))
    assert result.returncode == 0, result.stderr
    assert "'options': '-c random_page_cost=1.1 -c random_page_cost=2'" in result.stdout


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("DJANGO_SECRET_KEY", None, "Set the environment variable DJANGO_SECRET_KEY"),
        ("DJANGO_SECRET_KEY", "short", "DJANGO_SECRET_KEY must be a long random string"),
        ("DJANGO_ALLOWED_HOSTS", "", "Set DJANGO_ALLOWED_HOSTS"),
        ("DJANGO_DEBUG", "sometimes", "DJANGO_DEBUG must be true or false"),
        ("DJANGO_DEBUG", "true", "DJANGO_DEBUG must be off"),
        ("EMAIL_PORT", "twenty-five", "EMAIL_PORT must be a whole number"),
        ("DEFAULT_MEMBER_TIME_ZONE", "Mars/Olympus", "must be an IANA time zone"),
        ("REDIS_URL", None, "Set the environment variable REDIS_URL"),
        ("MFA_ENCRYPTION_KEY", None, "Set the environment variable MFA_ENCRYPTION_KEY"),
        ("MFA_ENCRYPTION_KEY", "not-a-key", "MFA_ENCRYPTION_KEY must be Fernet keys"),
        ("SITE_URL", "http://recovery.example.org", "SITE_URL must be the https:// address"),
    ],
)
def test_production_refuses_to_start_on_a_bad_setting(variable, value, message):
    env = production_env()
    if value is None:
        env.pop(variable)
    else:
        env[variable] = value
    result = manage("check", env=env)
    assert result.returncode != 0
    assert message in result.stderr


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_gunicorn_serves_real_responses_with_the_security_headers(tmp_path, start_process):
    port = free_port()
    env = production_env(
        DJANGO_STATIC_ROOT=str(tmp_path / "static"),
        HOST="127.0.0.1",
        PORT=str(port),
        WEB_CONCURRENCY="2",
    )
    collected = manage("collectstatic", "--noinput", env=env)
    assert collected.returncode == 0, collected.stderr
    gunicorn = start_process(service_command("web"), env=env)
    base = f"http://127.0.0.1:{port}"

    def get(path: str, **headers: str):
        request = urllib.request.Request(base + path, headers=headers)
        opener = urllib.request.build_opener(_NoRedirect)
        try:
            return opener.open(request, timeout=5)
        except urllib.error.HTTPError as response:
            return response

    def healthy():
        assert gunicorn.poll() is None, gunicorn.log_path.read_text()
        try:
            return get("/healthz").status == 200
        except OSError:
            return False

    wait_until(healthy, timeout=60, message="gunicorn did not become healthy")

    plain = get("/accounts/signup/")
    assert plain.status == 301
    assert plain.headers["Location"] == f"https://127.0.0.1:{port}/accounts/signup/"

    response = get("/accounts/signup/", **{"X-Forwarded-Proto": "https"})
    assert response.status == 200
    headers = response.headers
    assert headers["Strict-Transport-Security"] == ("max-age=31536000; includeSubDomains; preload")
    csp = headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp
    nonce = re.search(r"script-src 'self' 'nonce-([^']+)'", csp).group(1)
    body = response.read().decode()
    assert f'nonce="{nonce}"' in body
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    # allauth marks its own pages never_cache; the header must come from us on ours.
    help_page = get("/help/", **{"X-Forwarded-Proto": "https"})
    assert help_page.status == 200
    assert "no-store" in help_page.headers["Cache-Control"]
    cookie = headers["Set-Cookie"]
    assert cookie.startswith("__Host-csrftoken=")
    assert "Secure" in cookie and "Path=/" in cookie and "Domain" not in cookie

    stylesheet = re.search(r'href="(/static/css/app\.[0-9a-f]+\.css)"', body).group(1)
    static = get(stylesheet, **{"X-Forwarded-Proto": "https", "Accept-Encoding": "gzip"})
    assert static.status == 200
    assert "max-age=315360000" in static.headers["Cache-Control"]
    assert static.headers["Content-Encoding"] == "gzip"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_compose_runs_web_worker_beat_postgres_and_redis_from_one_definition():
    services = compose()["services"]
    assert {"web", "worker", "beat", "db", "redis", "migrate"} <= set(services)
    for name in ("web", "worker", "beat", "migrate"):
        assert services[name]["image"] == "recovery-support:latest"
        assert services[name]["environment"]["DJANGO_PRODUCTION"] == "true"
    for name in ("web", "worker", "db", "redis"):
        assert "healthcheck" in services[name], name
    assert services["db"]["volumes"] == ["pgdata:/var/lib/postgresql/data"]
    assert services["redis"]["volumes"] == ["redisdata:/data"]
