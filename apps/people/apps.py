from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "apps.people"
    verbose_name = "Кадры и согласия"

    def ready(self) -> None:
        from apps.audit.register import track
        from apps.orgs.signals import role_granted
        from apps.people.accounts import link_by_email
        from apps.people.choices import DistributionItem
        from apps.people.models import Person

        def link_account(sender, membership, **kwargs) -> None:
            link_by_email(user=membership.user, org=membership.organisation)

        role_granted.connect(link_account, weak=False, dispatch_uid="people.link_account")

        def person_org(person_id: int) -> int | None:
            return (
                Person.objects.filter(pk=person_id)
                .values_list("organisation_id", flat=True)
                .first()
            )

        track("people.person", lambda o: o.organisation_id, lambda o: o.pk, lambda o: o.full_name)
        track(
            "people.consent",
            lambda o: person_org(o.person_id),
            lambda o: o.person_id,
            lambda o: f"{o.get_kind_display()} (сотрудник № {o.person_id})",
            choices={"allowed_items": DistributionItem.choices},
        )
