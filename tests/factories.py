"""factory_boy factories shared by all test suites."""

import datetime

import factory

from apps.orgs.choices import OrgKind
from apps.orgs.models import Membership, Organisation, User
from apps.people.choices import ConsentKind
from apps.people.models import Consent, Person


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = OrgKind.SCHOOL
    name = factory.Sequence(
        lambda n: f"Муниципальное бюджетное общеобразовательное учреждение «Школа № {n}»"
    )
    short_name = factory.Sequence(lambda n: f"Школа № {n}")
    slug = factory.Sequence(lambda n: f"school-{n}")
    city = "г. Энск"
    head_name = "Петрова Анна Сергеевна"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Пользователь {n}")
    password = factory.PostGenerationMethodCall("set_password", "pass-1234")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = "curator"


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    organisation = factory.SubFactory(OrganisationFactory)
    last_name = factory.Sequence(lambda n: f"Иванова{n}")
    first_name = "Мария"
    middle_name = "Петровна"
    birth_date = datetime.date(1990, 5, 17)
    position = "Учитель"
    teaching_experience = 10


class ConsentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consent

    person = factory.SubFactory(PersonFactory)
    kind = ConsentKind.PROCESSING
    purpose = "Участие в системе наставничества педагогических работников"
    data_list = "ФИО, должность, стаж, предметы, контактные данные"
    given_on = datetime.date(2026, 9, 1)
