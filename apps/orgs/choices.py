from django.db import models
from django.utils.translation import gettext_lazy as _


class OrgKind(models.TextChoices):
    REGION = "region", _("Регион")
    MUNICIPALITY = "municipality", _("Муниципалитет")
    SCHOOL = "school", _("Образовательная организация")


class Role(models.TextChoices):
    CURATOR = "curator", _("Куратор наставничества")
    HEAD = "head", _("Руководитель ОО")
    MENTOR = "mentor", _("Наставник")
    MENTEE = "mentee", _("Наставляемый")
    METHODIST = "methodist", _("Методист")
    ADMIN = "admin", _("Администратор системы")
