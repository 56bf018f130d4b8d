from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    NONE = "none", _("Без категории")
    CONFORMITY = "conformity", _("Соответствие занимаемой должности")
    FIRST = "first", _("Первая")
    HIGHEST = "highest", _("Высшая")


class Level(models.TextChoices):
    # Education stages a teacher works at; stored as comma-joined codes on Person.levels.
    PRESCHOOL = "preschool", _("Дошкольное")
    PRIMARY = "primary", _("НОО (1–4 классы)")
    BASIC = "basic", _("ООО (5–9 классы)")
    SECONDARY = "secondary", _("СОО (10–11 классы)")
    ADDITIONAL = "additional", _("Дополнительное")


class Gender(models.TextChoices):
    # From the register (never guessed in documents): names in orders are declined by it.
    MALE = "male", _("Мужской")
    FEMALE = "female", _("Женский")


class PersonStatus(models.TextChoices):
    ACTIVE = "active", _("Работает")
    LEAVE = "leave", _("Длительный отпуск")
    ARCHIVED = "archived", _("В архиве")


class ConsentKind(models.TextChoices):
    PROCESSING = "processing", _("Обработка персональных данных")
    DISTRIBUTION = "distribution", _("Распространение персональных данных")
    DUTIES_MENTOR = "duties_mentor", _("Возложение дополнительных обязанностей (наставник)")
    DUTIES_MENTEE = "duties_mentee", _("Участие в программе наставничества (наставляемый)")


class ConsentMethod(models.TextChoices):
    PAPER = "paper", _("Бумажная форма с подписью")
    ELECTRONIC = "electronic", _("Электронная форма")


class DistributionItem(models.TextChoices):
    # Categories a person may allow for publication (ст. 10.1 152-ФЗ); everything else is forbidden.
    NAME = "name", _("Фамилия, имя, отчество")
    POSITION = "position", _("Должность")
    SUBJECTS = "subjects", _("Преподаваемые предметы")
    CATEGORY = "category", _("Квалификационная категория")
    EXPERIENCE = "experience", _("Педагогический стаж")
    PHOTO = "photo", _("Фотография")
    ACHIEVEMENTS = "achievements", _("Профессиональные достижения")
