from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "apps.orgs"
    verbose_name = "Организации и роли"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from apps.orgs.models import Organisation
        from apps.orgs.signals import announce_school
        from apps.orgs.twofactor import forget_required_paths

        post_save.connect(lambda **kwargs: forget_required_paths(), sender=Organisation, weak=False)
        post_save.connect(announce_school, sender=Organisation)
