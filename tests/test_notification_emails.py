"""Notification emails through a real SMTP conversation (a fake server on 127.0.0.1): sent by
the task worker, never blocking or undoing the action when the mail server fails, tried
again later, and visible to admins when they fail."""

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult
from pytest_django.asserts import assertContains, assertNotContains

from articles import workflow
from articles.models import Article
from inbox.models import MAX_ATTEMPTS, RETRY_DELAYS, EmailDelivery, Notification

from .admin_forms import admin_url, edit_form
from .conftest import make_article, make_staff
from .mail_support import FakeSMTPServer

Status = Article.Status
Delivery = EmailDelivery.Status
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def smtp(settings):
    with FakeSMTPServer() as server:
        for name, value in server.settings().items():
            setattr(settings, name, value)
        yield server


@pytest.fixture
def desk():
    reporter = make_staff("Reporter", "jens", author_name="Jens Kiffmeier")
    editor = make_staff("Editor", "dora")
    editor.email = "dora@newsroom.test"
    editor.save()
    article = make_article(
        headline="Defector reaches Berlin",
        status=Status.DRAFT,
        published_at=None,
        created_by=reporter,
        authors=[reporter.author_profile],
    )
    return reporter, editor, article


def run_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


# In development and tests the task runs at once, after the action commits.


@pytest.mark.django_db
def test_a_refusing_mail_server_neither_blocks_nor_undoes_the_submission(
    client, clock, smtp, desk, django_capture_on_commit_callbacks
):
    reporter, editor, article = desk
    smtp.refuse = True
    client.force_login(reporter)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            admin_url(article), edit_form(article, _transition="submit"), follow=True
        )

    assertContains(response, "is now in review")
    assert Article.objects.get(pk=article.pk).status == Status.IN_REVIEW
    assert Notification.objects.get().recipient == editor
    delivery = EmailDelivery.objects.get()
    assert smtp.refused == 1
    # The immediate backend cannot wait to try again: the failure is left for admins.
    assert (delivery.status, delivery.attempts) == (Delivery.FAILED, 1)
    assert "SMTPSenderRefused" in delivery.last_error


@pytest.mark.django_db
def test_an_unreachable_mail_server_neither_blocks_nor_undoes_the_step(
    clock, settings, desk, django_capture_on_commit_callbacks
):
    reporter, editor, article = desk
    with FakeSMTPServer() as closed:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", closed.port
    # The server has stopped: nothing listens on its port any more.

    with django_capture_on_commit_callbacks(execute=True):
        workflow.apply(article, "submit", reporter)

    assert Article.objects.get(pk=article.pk).status == Status.IN_REVIEW
    assert EmailDelivery.objects.get().status == Delivery.FAILED
    assert "ConnectionRefusedError" in EmailDelivery.objects.get().last_error


# In production the worker sends them, and tries again while the mail server fails.


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_worker_sends_the_email_queued_by_the_action(settings, smtp, desk):
    settings.TASKS = DATABASE_QUEUE
    reporter, editor, article = desk

    workflow.apply(article, "submit", reporter)

    assert EmailDelivery.objects.get().status == Delivery.QUEUED
    assert smtp.messages == []  # waiting for the worker
    run_worker()

    [message] = smtp.messages
    assert message["To"] == "dora@newsroom.test"
    assert message["Subject"] == "Submitted for review: Defector reaches Berlin"
    delivery = EmailDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == (Delivery.SENT, 1)
    assert delivery.sent_at is not None


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_failed_email_is_tried_again_later_until_it_is_sent(settings, clock, smtp, desk):
    settings.TASKS = DATABASE_QUEUE
    reporter, editor, article = desk
    smtp.refuse = True
    workflow.apply(article, "submit", reporter)

    run_worker()

    delivery = EmailDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == (Delivery.RETRYING, 1)
    assert delivery.next_attempt_at == clock.now + RETRY_DELAYS[0]
    assert "SMTPSenderRefused" in delivery.last_error
    run_worker()  # too early: the retry waits for its time
    assert EmailDelivery.objects.get().attempts == 1

    smtp.refuse = False
    clock.advance(minutes=1)
    run_worker()

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Delivery.SENT, 2)
    assert len(smtp.messages) == 1
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == 2


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_email_that_keeps_failing_is_given_up_and_shown_to_admins(
    client, settings, clock, smtp, desk
):
    settings.TASKS = DATABASE_QUEUE
    reporter, editor, article = desk
    smtp.refuse = True
    workflow.apply(article, "submit", reporter)

    for delay in [*RETRY_DELAYS, None]:
        run_worker()
        if delay:
            clock.advance(seconds=delay.total_seconds())

    delivery = EmailDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == (Delivery.FAILED, MAX_ATTEMPTS)
    assert smtp.refused == MAX_ATTEMPTS
    assert DBTaskResult.objects.ready().count() == 0  # nothing more is queued

    client.force_login(make_staff("Admin", "chief"))
    listing = client.get("/admin/inbox/emaildelivery/?status__exact=failed")
    assertContains(listing, "dora@newsroom.test")
    assertContains(listing, "SMTPSenderRefused")
    client.force_login(editor)
    assert client.get("/admin/inbox/emaildelivery/").status_code == 403


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_admins_can_send_a_failed_email_again(client, settings, smtp, desk):
    settings.TASKS = DATABASE_QUEUE
    reporter, editor, article = desk
    smtp.refuse = True
    workflow.apply(article, "submit", reporter)
    delivery = EmailDelivery.objects.get()
    delivery.status, delivery.attempts = Delivery.FAILED, MAX_ATTEMPTS
    delivery.save()
    sent = make_staff("Editor", "emil")
    other = EmailDelivery.objects.create(
        notification=Notification.objects.create(
            recipient=sent, kind="submitted", subject="Sent already", message="…", url="/"
        ),
        to="emil@newsroom.test",
        status=Delivery.SENT,
    )
    smtp.refuse = False
    client.force_login(make_staff("Admin", "chief"))

    response = client.post(
        "/admin/inbox/emaildelivery/",
        {"action": "send_again", "_selected_action": [delivery.pk, other.pk]},
        follow=True,
    )
    assertContains(response, "1 failed email(s) queued to be sent again.")
    run_worker()

    delivery.refresh_from_db()
    assert delivery.status == Delivery.SENT
    assert [message["To"] for message in smtp.messages] == ["dora@newsroom.test"]


@pytest.mark.django_db
def test_editors_are_not_offered_the_email_record(client, desk):
    reporter, editor, article = desk
    client.force_login(editor)

    assertNotContains(client.get("/admin/"), "/admin/inbox/emaildelivery/")
