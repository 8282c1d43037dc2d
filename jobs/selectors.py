"""Reads of background jobs: always through the owner, so nobody opens another person's job."""

from django.db.models import QuerySet

from .models import BackgroundJob

# The list shows this many of the owner's most recent jobs (older ones are purged anyway).
RECENT_JOBS = 50


def jobs_of(user) -> QuerySet[BackgroundJob]:
    """The user's own jobs; anyone else's (staff and admins included) are not found.

    Job files hold whatever their owner was allowed to export when they started it; another
    person's rights may differ (a coordinator's regions), so nobody else reads them.
    """
    if not user.is_authenticated:
        return BackgroundJob.objects.none()
    return BackgroundJob.objects.filter(owner=user)


def recent_jobs_of(user) -> list[BackgroundJob]:
    return list(jobs_of(user).defer("parameters")[:RECENT_JOBS])
