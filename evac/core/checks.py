"""`manage.py check --deploy`: warnings about a production setup that would misbehave."""

from django.conf import settings
from django.core.checks import Tags, Warning, register

SHARED_CACHES = {
    "django.core.cache.backends.redis.RedisCache",
    "evac.core.cache.BoundedRedisCache",
    "django_redis.cache.RedisCache",
}


@register(Tags.caches, deploy=True)
def shared_cache_for_several_web_processes(app_configs=None, **kwargs) -> list[Warning]:
    """On PostgreSQL (several web processes, maybe on several machines) the cache must be
    shared, or the portal's rate limits and the API's throttle count per machine."""
    on_postgres = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    if on_postgres and settings.CACHES["default"]["BACKEND"] not in SHARED_CACHES:
        return [
            Warning(
                "The cache is not shared between machines: rate limits would count per machine.",
                hint="Set CACHE_URL=redis://… (docs/operations.md, Processes).",
                id="evac.W001",
            )
        ]
    return []
