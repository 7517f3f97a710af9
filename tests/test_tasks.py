"""Background tasks (django-tasks): queued in the database in production and run by the worker
(`manage.py db_worker`); run at once in development and tests."""

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django_tasks import task_backends
from django_tasks_db.models import DBTaskResult

from tests.appserver_support import manage, run_manage, server_env
from tests.images_support import make_image

BACKEND_NAME = (
    "from django_tasks import task_backends; print(type(task_backends['default']).__name__)"
)


def task_backend_of(**env: str) -> str:
    return manage("shell", "--no-imports", "-c", BACKEND_NAME, env=server_env(**env)).strip()


def test_tests_and_development_run_tasks_at_once():
    assert type(task_backends["default"]).__name__ == "ImmediateBackend"
    assert task_backend_of() == "ImmediateBackend"


def test_production_queues_tasks_in_the_database():
    production = {"DEBUG": "0", "SECRET_KEY": "a-production-secret-" * 3}

    assert task_backend_of(**production) == "DatabaseBackend"
    assert task_backend_of(**production, NEWSROOM_TASK_BACKEND="immediate") == "ImmediateBackend"


# Committed for real, as the worker expects: it closes a connection left inside a transaction.
# serialized_rollback restores the rows data migrations made (the roles) after the flush.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_task_queued_in_the_database_is_run_by_the_worker(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    image = make_image()
    stored = image.file.name

    image.delete()

    queued = DBTaskResult.objects.get()
    assert queued.task_path == "images.tasks.delete_stored_files"
    assert queued.status == "READY"
    assert default_storage.exists(stored)  # waiting for the worker

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    queued.refresh_from_db()
    assert queued.status == "SUCCESSFUL"
    assert not default_storage.exists(stored)


def test_an_unknown_task_backend_is_refused():
    result = run_manage("check", env=server_env(NEWSROOM_TASK_BACKEND="celery"))

    assert result.returncode != 0
    assert "NEWSROOM_TASK_BACKEND" in result.stderr
