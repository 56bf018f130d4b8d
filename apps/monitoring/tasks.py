"""Monitoring summaries recomputed in the background (`manage.py db_worker`)."""

from django_tasks import task

from apps.orgs.models import Organisation


@task()
def recompute_summary(org_id: int, year: str, form: str) -> None:
    from apps.monitoring.queries import recompute

    org = Organisation.objects.filter(pk=org_id).first()
    if org is not None:
        recompute(org, year, form)
