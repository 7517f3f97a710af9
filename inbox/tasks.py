"""Work the inbox does after the response, by the task worker (`manage.py db_worker`) in
production: sending notification emails."""

from django_tasks import task

from .models import EmailDelivery


@task()
def send_email(delivery_id: int) -> str:
    """Send one notification's email. A failed send is tried again later, queued with a delay,
    where the task backend can wait (the database queue); the delivery records each attempt."""
    waiting = [EmailDelivery.Status.QUEUED, EmailDelivery.Status.RETRYING]
    delivery = (
        EmailDelivery.objects.select_related("notification")
        .filter(pk=delivery_id, status__in=waiting)
        .first()
    )
    if delivery is None:
        return "nothing to send"  # sent already, given up on, or deleted with its recipient
    may_retry = send_email.get_backend().supports_defer
    if not delivery.attempt(may_retry) and delivery.status == EmailDelivery.Status.RETRYING:
        send_email.using(run_after=delivery.next_attempt_at).enqueue(delivery.pk)
    return delivery.status
