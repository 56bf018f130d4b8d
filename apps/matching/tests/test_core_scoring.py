"""Criterion values and the Russian sentences that explain them."""

import pytest

from apps.matching.core.criteria import check_pair, plural, score_pair
from apps.matching.core.model import DEFAULT_WEIGHTS, Mentee, Mentor, Settings


@pytest.mark.parametrize(
    ("n", "word"),
    [(1, "год"), (2, "года"), (4, "года"), (5, "лет"), (11, "лет"), (14, "лет"), (21, "год"),
     (22, "года"), (25, "лет"), (111, "лет")],
)  # fmt: skip
def test_plural(n, word):
    assert plural(n, "год", "года", "лет") == word


def parts(mentee, mentor, **settings):
    score = score_pair(mentee, mentor, Settings(**settings), {"fgos": "ФГОС"})
    return score, {p.key: p for p in score.parts}


def test_each_criterion_says_why():
    mentee = Mentee(
        1, "Н", 1, needs={"fgos": 5, "Оценивание": 4, "Родители": 3, "Дисциплина": 2},
        subjects=frozenset({"Математика"}), stages=frozenset({"ООО"}),
        forms=frozenset({"Групповое"}), availability=frozenset({"До уроков", "Онлайн"}),
        experience_years=1,
    )  # fmt: skip
    mentor = Mentor(
        2, "М", 1, strengths={"fgos": 5, "Оценивание": 4, "Родители": 3},
        subjects=frozenset({"Физика"}), stages=frozenset({"ООО", "СОО"}),
        forms=frozenset({"Традиционное"}), availability=frozenset({"Онлайн"}),
        experience_years=22, capacity=3, load=1,
    )  # fmt: skip
    score, p = parts(mentee, mentor)
    assert p["coverage"].text == "покрывает 2 из 3 запросов: ФГОС, Оценивание"
    assert p["coverage"].value == pytest.approx(9 / 12)
    assert p["subject"].text == "у наставляемого — Математика, у наставника — Физика"
    assert p["subject"].value == 0
    assert p["stage"].text == "оба работают на: ООО"
    assert p["experience"].text == "стаж наставника 22 года, наставляемого 1 год (разница 21 год)"
    assert p["experience"].value == 1
    assert p["form"].value == 0
    assert p["availability"].text == "общее время: Онлайн"
    assert p["availability"].value == 0.5
    assert p["workload"].text == "сейчас ведёт 1 из 3"
    assert score.points == sum(x.points for x in score.parts)
    assert score.percent == round(100 * score.points / (1000 * sum(DEFAULT_WEIGHTS.values())))


def test_unknown_answers_are_neutral_and_network_ignores_the_school():
    mentee, mentor = Mentee(1, "Н", 1), Mentor(2, "М", 2, experience_years=5)
    _, p = parts(mentee, mentor)
    assert p["subject"].value == 0.5
    assert p["subject"].text == "предметы не указаны"
    assert p["coverage"].text == "у наставляемого нет запросов выше 2 баллов"
    assert p["same_school"].points == 0
    assert check_pair(mentee, mentor, Settings()) == ("other_school",)
    _, p = parts(mentee, mentor, network=True)
    assert p["same_school"].weight == 0
    assert check_pair(mentee, mentor, Settings(network=True)) == ()


def test_hard_rules_are_listed_in_order():
    mentee = Mentee(1, "Н", 1, consent=False)
    mentor = Mentor(1, "М", 1, capacity=1, load=1, active=False, experience_years=1)
    rules = check_pair(mentee, mentor, Settings(min_mentor_experience=3,
                                                forbidden=frozenset({(1, 1)})))  # fmt: skip
    assert rules == ("mentee_consent", "self", "mentor_inactive", "experience", "capacity",
                     "forbidden")  # fmt: skip
