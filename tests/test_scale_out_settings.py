"""Settings for several application servers: a shared Redis cache and S3-compatible media."""

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import storages
default_storage = storages["default"]
result = {"cache": settings.CACHES["default"]["BACKEND"], "storage": type(default_storage).__name__}
if "redis" in result["cache"]:
    cache.set("nastavnik-probe", {"ok": 1}, 30)
    result["roundtrip"] = cache.get("nastavnik-probe")
    cache.delete("nastavnik-probe")
else:
    result["bucket"] = default_storage.bucket_name
print(json.dumps(result))
"""


def run_probe(**extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "NASTAVNIK_TESTING"}
    env.update(DJANGO_SETTINGS_MODULE="nastavnik.settings", DEBUG="1", **extra)
    done = subprocess.run(  # noqa: S603 - our own interpreter and probe
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=60, check=True,
    )  # fmt: skip
    return json.loads(done.stdout.strip().splitlines()[-1])


def redis_is_up() -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex(("127.0.0.1", 6379)) == 0


@pytest.mark.skipif(not redis_is_up(), reason="no Redis on 127.0.0.1:6379")
def test_redis_cache_is_shared_when_configured():
    result = run_probe(REDIS_URL="redis://127.0.0.1:6379/15")
    assert result["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert result["roundtrip"] == {"ok": 1}


def test_media_goes_to_s3_compatible_storage_when_configured():
    result = run_probe(
        MEDIA_S3_BUCKET="nastavnik-media",
        MEDIA_S3_ENDPOINT_URL="http://127.0.0.1:9000",
        MEDIA_S3_ACCESS_KEY="key",
        MEDIA_S3_SECRET_KEY="secret",
    )
    assert result == {
        "cache": "django.core.cache.backends.filebased.FileBasedCache",
        "storage": "S3Storage",
        "bucket": "nastavnik-media",
    }
