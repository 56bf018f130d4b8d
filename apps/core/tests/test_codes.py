"""One-time codes: the digits, their keyed hash bound to what they confirm, the refusals."""

import datetime

import pytest
from django.test import override_settings
from django.utils.crypto import salted_hmac

from apps.core.codes import CodeRules, code_hash, matches, minutes_text, new_code

NOW = datetime.datetime(2026, 12, 1, 9, 0, tzinfo=datetime.UTC)
LIVE = NOW + datetime.timedelta(minutes=5)
RULES = CodeRules(
    salt="tests.code",
    expired="Код устарел.",
    exhausted="Попыток больше нет.",
    wrong="Неверный код.",
    none_left="Запросите новый код.",
)


def refusal(value="123456", *, stored=None, parts=(7,), **state):
    stored = RULES.hash("123456", 7) if stored is None else stored
    state = {"expires_at": LIVE, "attempts": 0, "limit": 3, "now": NOW} | state
    return RULES.refusal(stored=stored, value=value, parts=parts, **state)


def test_a_new_code_is_six_ascii_digits_with_its_leading_zeros():
    codes = {new_code() for _ in range(200)}
    assert all(len(code) == 6 and code.isascii() and code.isdigit() for code in codes)
    assert len(codes) > 190  # random, not a counter or a constant


def test_the_hash_is_hmac_sha256_of_the_parts_and_the_value():
    # Stored hashes depend on this message format: changing it ends every unexpired code.
    expected = salted_hmac("tests.code", "7:abc:123456", algorithm="sha256").hexdigest()
    assert code_hash("123456", 7, "abc", salt="tests.code") == expected
    assert RULES.hash("123456", 7, "abc") == expected
    assert len(expected) == 64
    assert "123456" not in expected


def test_the_hash_is_bound_to_the_parts_the_salt_and_the_secret():
    one = code_hash("123456", 7, "sign", salt="a")
    assert code_hash("123456", 8, "sign", salt="a") != one
    assert code_hash("123456", 7, "acknowledge", salt="a") != one
    assert code_hash("123456", 7, "sign", salt="b") != one
    assert code_hash("123457", 7, "sign", salt="a") != one
    with override_settings(SECRET_KEY="another secret key of the same length and more"):
        assert code_hash("123456", 7, "sign", salt="a") != one


@pytest.mark.parametrize(
    "value", ["", "12345", "1234567", "12 456", "١٢٣٤٥٦", "123456\x00", "12345a"]
)
def test_only_six_ascii_digits_can_match(value):
    stored = code_hash(value, 7, salt="a")  # even the hash of the very same text
    assert not matches(stored, value, 7, salt="a")


def test_it_matches_only_the_code_with_the_same_parts():
    stored = code_hash("042917", 7, salt="a")
    assert matches(stored, "042917", 7, salt="a")
    assert not matches(stored, "042917", 8, salt="a")
    assert not matches(stored, "042917", 7, salt="b")
    assert not matches("", "042917", 7, salt="a")  # no code was sent


def test_the_right_code_is_not_refused():
    assert refusal("123456") == (None, False)


def test_a_wrong_code_is_counted_and_says_how_many_attempts_are_left():
    assert refusal("000000") == ("Неверный код. Осталось попыток: 2.", True)
    assert refusal("000000", attempts=1) == ("Неверный код. Осталось попыток: 1.", True)
    assert refusal("000000", attempts=2) == ("Неверный код. Запросите новый код.", True)
    assert refusal("12", parts=(7,)) == ("Неверный код. Осталось попыток: 2.", True)
    assert refusal("123456", parts=(8,)) == ("Неверный код. Осталось попыток: 2.", True)


def test_a_code_past_its_time_is_refused_even_when_right():
    assert refusal(expires_at=NOW) == ("Код устарел.", False)
    assert refusal(expires_at=NOW - datetime.timedelta(seconds=1)) == ("Код устарел.", False)
    assert refusal(expires_at=None) == ("Код устарел.", False)


def test_used_up_attempts_end_the_code_even_when_right():
    assert refusal(attempts=3) == ("Попыток больше нет.", False)
    assert refusal("000000", attempts=4) == ("Попыток больше нет.", False)


def test_the_callers_own_reason_comes_after_expiry_and_attempts_and_before_the_code():
    also = "Документ изменился."
    assert refusal("000000", also=also) == (also, False)  # not counted as a guess
    assert refusal(also=also) == (also, False)
    assert refusal(attempts=3, also=also) == ("Попыток больше нет.", False)
    assert refusal(expires_at=NOW, attempts=3, also=also) == ("Код устарел.", False)


def test_the_lifetime_reads_in_the_right_form():
    assert [minutes_text(n) for n in (1, 3, 10, 21)] == [
        "1 минуту", "3 минуты", "10 минут", "21 минуту",
    ]  # fmt: skip
