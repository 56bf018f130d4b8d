"""id_prefix: a row's address is the prefix and its id, the same as reverse() gives."""

import pytest
from django.urls import reverse

from apps.core.addresses import id_prefix


def test_the_prefix_and_an_id_make_the_reversed_address():
    assert id_prefix("people:person-detail", 7) + "42/" == reverse(
        "people:person-detail", args=[7, 42]
    )


def test_it_refuses_a_route_that_does_not_end_with_the_id():
    with pytest.raises(ValueError, match="not the last part"):
        id_prefix("people:person-list")
