"""Reads of background jobs: a user sees their own jobs only."""

from tuopin.accounts.models import User
from tuopin.jobs.models import Job


def jobs_for(user: User):
    return Job.objects.filter(owner_id=user.pk)


def latest_job(*, kinds, subject_id: int) -> Job | None:
    """The most recent job about one object (e.g. an import batch), whoever started it."""
    return Job.objects.about(kinds, subject_id).order_by("-created_at", "-id").first()
