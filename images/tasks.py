"""Work done after the response, by the task worker (`manage.py db_worker`) in production."""

from django.core.files.storage import storages
from django_tasks import task


@task()
def delete_stored_files(names: list[str]) -> None:
    """Delete files from the media storage: a deleted or replaced picture's file and renditions
    (in object storage, a request each, so not while the editor waits)."""
    storage = storages["default"]
    for name in names:
        storage.delete(name)
