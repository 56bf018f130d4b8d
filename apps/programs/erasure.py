"""Destroying a person's data in pairs and groups: the programme and the diary stay (they
carry out orders that are archival documents), the person's name leaves their texts; support
results and the evidence of the person's own tasks go."""

from django.db.models import Q
from django.dispatch import receiver

from apps.people.erasure import (
    Erased,
    counted,
    delete_file_on_commit,
    person_data_destroyed,
    redact_json,
    scrub_texts,
)
from apps.programs.models import (
    Meeting,
    MentorChange,
    MentoringUnit,
    Programme,
    ProgrammeVersion,
    SupportAction,
    Task,
)


@receiver(person_data_destroyed)
def destroy_programme_data(sender, person, forms, **kwargs) -> Erased:
    support = SupportAction.objects.filter(mentee=person).exclude(result="").update(result="")
    evidence = 0
    for task in Task.objects.filter(mentee=person).exclude(evidence_file="", evidence_link=""):
        delete_file_on_commit(task.evidence_file)
        Task.objects.filter(pk=task.pk).update(evidence_file="", evidence_link="")
        evidence += 1
    # The person's own units, wherever they are, and every unit of their school (a diary may
    # mention a colleague).
    units = MentoringUnit.objects.filter(
        MentoringUnit.objects.q_of(person.organisation_id)
        | Q(mentor=person)
        | Q(co_mentor=person)
        | Q(members__mentee=person)
    ).distinct()
    texts = (
        scrub_texts(units, ["end_reason"], forms)
        + scrub_texts(MentorChange.objects.filter(unit__in=units), ["reason"], forms)
        + scrub_texts(Programme.objects.filter(unit__in=units), ["goal", "difficulties"], forms)
        + scrub_texts(
            Task.objects.filter(programme__unit__in=units),
            ["direction", "title", "expected_result", "work_form"],
            forms,
        )
        + scrub_texts(
            Meeting.objects.filter(unit__in=units), ["topic", "outcome", "next_steps"], forms
        )
        + scrub_texts(SupportAction.objects.of(person.organisation_id), ["result"], forms)
    )
    for version in ProgrammeVersion.objects.filter(programme__unit__in=units):
        snapshot = redact_json(version.snapshot, forms)
        if snapshot != version.snapshot:
            ProgrammeVersion.objects.filter(pk=version.pk).update(snapshot=snapshot)
            texts += 1
    took_part = units.filter(
        Q(mentor=person) | Q(co_mentor=person) | Q(members__mentee=person)
    ).exists()
    return Erased(
        destroyed=(
            *counted("результаты мер психолого-педагогической поддержки", support),
            *counted("подтверждения выполнения личных задач ПНП — файлы и ссылки", evidence),
            *counted(
                "ФИО в текстах пар и групп, ПНП, задач, дневника встреч и мер поддержки", texts
            ),
        ),
        kept=(
            ("пары и группы, ПНП, задачи и дневник встреч с обезличенными текстами — сведения "
             "о реализации программ наставничества, закреплённых приказами",)
            if took_part else ()
        ),
    )  # fmt: skip
