"""Addresses of a list's rows without one reverse() per row."""

from django.urls import reverse


def id_prefix(url_name: str, *args) -> str:
    """The address of `url_name` for `args` and an object's id, without the id: a row's link is
    the prefix, the id and «/». The route must end with the id."""
    probe = reverse(url_name, args=[*args, 0])
    if not probe.endswith("/0/"):
        raise ValueError(f"{url_name}: the id is not the last part of the address")
    return probe.removesuffix("0/")
