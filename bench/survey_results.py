"""Time to render the results page of a campaign with 2 000 respondents (and its queries)."""

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("NASTAVNIK_TESTING", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nastavnik.settings")
tmp = tempfile.mkdtemp(prefix="bench-survey-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

RESPONDENTS = int(os.environ.get("BENCH_RESPONDENTS", "2000"))


def main() -> None:
    call_command("migrate", verbosity=0)
    from apps.orgs.models import Membership, Organisation, User
    from apps.people.models import Person
    from apps.surveys.models import Answer, Campaign, Invitation
    from apps.surveys.services import install_shipped

    region = Organisation.objects.create(kind="region", name="R", short_name="R", slug="r")
    school = Organisation.objects.create(
        kind="school", parent=region, name="S", short_name="S", slug="s"
    )
    template = install_shipped(org=school)[0]
    campaign = Campaign.objects.create(
        organisation=school, template=template, title="Bench", deadline="2099-01-01"
    )
    people = Person.objects.bulk_create(
        [Person(organisation=school, last_name=f"Р{i}", first_name="И", position="Учитель",
                name_key=f"р{i} и") for i in range(RESPONDENTS)]
    )  # fmt: skip
    invitations = Invitation.objects.bulk_create(
        [Invitation(campaign=campaign, person=p) for p in people]
    )
    competencies = [str(c.pk) for c in school.competencies.all()]
    answers = []
    for index, invitation in enumerate(invitations):
        for question in template.questions.all():
            if question.kind == "grid":
                value = dict.fromkeys(competencies, index % 5 + 1)
            elif question.kind == "scale":
                value = index % 10 + 1
            elif question.kind in ("single", "multiple"):
                value = question.choices[index % len(question.choices)]
                value = [value] if question.kind == "multiple" else value
            else:
                value = f"Ответ {index}"
            answers.append(Answer(invitation=invitation, question=question, value=value))
    Answer.objects.bulk_create(answers, batch_size=5000)
    user = User.objects.create_user("c@example.org", "x")
    Membership.objects.create(user=user, organisation=school, role="curator")
    client = Client()
    client.force_login(user)
    url = reverse("surveys:campaign-results", args=[school.pk, campaign.pk])
    settings.DEBUG = True
    settings.ALLOWED_HOSTS = ["testserver"]
    for attempt in range(3):
        reset_queries()
        start = time.perf_counter()
        response = client.get(url)
        elapsed = time.perf_counter() - start
        print(
            f"results page, {RESPONDENTS} respondents, {len(answers)} answers: "
            f"{elapsed * 1000:.0f} ms, {len(connection.queries)} queries, "
            f"status {response.status_code} (run {attempt + 1})"
        )


if __name__ == "__main__":
    main()
