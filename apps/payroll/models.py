"""Extra pay of mentors: the school's pay rules (from its Положение об оплате труда) and the
monthly registers made from the signed orders for the payroll office (1С:ЗКГУ)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from apps.orgs.models import Organisation
from apps.orgs.tenancy import OrgQuerySet

MONTHS = ("январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь",
          "октябрь", "ноябрь", "декабрь")  # fmt: skip


class PayBasis(models.TextChoices):
    SUM = "sum", _("Сумма, руб. в месяц")
    COEFFICIENT = "coefficient", _("Коэффициент к должностному окладу (ставке)")


class PayRule(models.Model):
    """How much a mentor gets a month, from `valid_from` (to `valid_to`, inclusive)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="pay_rules"
    )
    valid_from = models.DateField(_("действует с"))
    valid_to = models.DateField(_("действует по"), null=True, blank=True)
    basis = models.CharField(
        _("размер задан как"), max_length=12, choices=PayBasis.choices, default=PayBasis.SUM
    )
    per_mentee = models.DecimalField(
        _("за одного наставляемого в месяц"), max_digits=10, decimal_places=4
    )
    per_group = models.DecimalField(
        _("за группу в месяц"), max_digits=10, decimal_places=4, null=True, blank=True,
        help_text=_("Пусто — группа оплачивается за каждого наставляемого."),
    )  # fmt: skip
    max_mentees = models.PositiveSmallIntegerField(
        _("оплачивается наставляемых у одного наставника, не больше"), null=True, blank=True
    )
    cap = models.DecimalField(
        _("доплата одному наставнику в месяц, не больше"), max_digits=10, decimal_places=4,
        null=True, blank=True,
    )  # fmt: skip
    pay_code = models.CharField(
        _("вид начисления в 1С"), max_length=100, default="Доплата за наставничество"
    )
    source = models.CharField(
        _("основание в Положении об оплате труда"), max_length=300, blank=True,
        help_text=_("Например: «Положение об оплате труда, п. 5.3»."),
    )  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = OrgQuerySet.as_manager()

    class Meta:
        verbose_name = _("правило оплаты наставничества")
        verbose_name_plural = _("правила оплаты наставничества")
        ordering = ["-valid_from", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(per_mentee__gte=0)
                & (Q(per_group__isnull=True) | Q(per_group__gte=0))
                & (Q(cap__isnull=True) | Q(cap__gte=0)),
                name="payrule_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="payrule_dates_order",
            ),
        ]

    def __str__(self) -> str:
        until = f" по {self.valid_to:%d.%m.%Y}" if self.valid_to else ""
        return f"Правило оплаты с {self.valid_from:%d.%m.%Y}{until}"


class PayRegister(models.Model):
    """The register of one month as formed (a snapshot: rows do not change with later edits)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="pay_registers"
    )
    year = models.PositiveSmallIntegerField(_("год"))
    month = models.PositiveSmallIntegerField(_("месяц"))
    basis = models.CharField(max_length=12, choices=PayBasis.choices)
    norm = models.PositiveSmallIntegerField(_("рабочих дней в месяце"))
    rows = models.JSONField(default=list)
    skipped = models.JSONField(default=list)  # [{"who", "reason"}]
    formed_at = models.DateTimeField(auto_now=True)
    formed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = OrgQuerySet.as_manager()

    class Meta:
        verbose_name = _("реестр доплат наставникам")
        verbose_name_plural = _("реестры доплат наставникам")
        ordering = ["-year", "-month"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year", "month"], name="payregister_once_a_month"
            ),
            models.CheckConstraint(
                condition=Q(month__gte=1) & Q(month__lte=12), name="payregister_month"
            ),
        ]

    def __str__(self) -> str:
        return f"Реестр доплат за {self.period_label}"

    @property
    def period_label(self) -> str:
        return f"{MONTHS[self.month - 1]} {self.year} г."
