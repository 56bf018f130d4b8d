from django.core.management.base import BaseCommand

from apps.demo.demo import DEMO_LOGINS, DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Load (or refresh) the demo region, municipality, three schools, staff and roles."

    def handle(self, *args, **options):
        counts = load_demo()
        self.stdout.write(
            "Демо-данные загружены: "
            + ", ".join(f"{name} — {value}" for name, value in counts.items())
        )
        self.stdout.write(f"Пароль всех демо-пользователей: {DEMO_PASSWORD}")
        for role, email in DEMO_LOGINS:
            self.stdout.write(f"  {role:<36} {email}")
