import os
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "a-real-production-secret-of-sufficient-length-and-randomness-9c1f7e2b",
    "ALLOWED_HOSTS": "news.example.com",
    "DATABASE_URL": "sqlite:///:memory:",
}


# Set by some test tools, and refused by the deploy check; a real deployment doesn't have it.
TEST_ONLY_ENV = {"DJANGO_ALLOW_ASYNC_UNSAFE"}


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in PRODUCTION_ENV and key not in TEST_ONLY_ENV
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT,
        env=environment | env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_check_is_clean_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_missing_secret_key_refuses_to_start_in_production():
    env = PRODUCTION_ENV | {"SECRET_KEY": ""}
    result = manage("check", **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY" in result.stderr


def test_embed_providers_that_are_not_json_are_refused_by_name():
    result = manage("check", NEWSROOM_EMBED_PROVIDERS='[{"name": "Vimeo",')
    assert result.returncode != 0
    assert "ImproperlyConfigured: NEWSROOM_EMBED_PROVIDERS is not valid JSON" in result.stderr


def test_development_defaults_need_no_configuration():
    result = manage("check", DATABASE_URL="sqlite:///:memory:")
    assert result.returncode == 0, result.stderr
