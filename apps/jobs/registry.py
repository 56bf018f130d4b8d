"""Kinds of long jobs. The app that owns a kind registers it in its AppConfig.ready(); the jobs
app, lower in the layers, runs whatever is registered without knowing it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, Protocol


class Progress(Protocol):
    def __call__(self, done: int, total: int, stage: str = "") -> None: ...


@dataclass(frozen=True)
class Result:
    filename: str
    content: bytes | IO[bytes]
    content_type: str


class JobRefused(Exception):
    """The job cannot produce its result for a reason the person can act on (Russian text)."""


@dataclass(frozen=True)
class JobKind:
    code: str
    # Builds the result from the job's organisation and params; reports progress as it goes.
    run: Callable[..., Result]


_KINDS: dict[str, JobKind] = {}


def register(code: str, run: Callable[..., Result]) -> None:
    _KINDS[code] = JobKind(code, run)


def kind(code: str) -> JobKind:
    return _KINDS[code]
