#!/usr/bin/env bash
# `make prod-local`: Evac with its production settings on this machine's PostgreSQL and Redis:
# DEBUG off, gunicorn (deploy/gunicorn.conf.py), two Celery worker nodes and beat, static
# files collected and served by whitenoise, JSON logs, /metrics on. Plain HTTP (EVAC_HTTPS
# off), for a laptop; a real deployment sets EVAC_HTTPS=1 behind TLS (docs/security.md).
#
# Where it runs, each overridable:
#   EVAC_PROD_DATABASE_URL  postgres://postgres@127.0.0.1:5432/evac_prod_local (made if absent)
#   EVAC_PROD_BROKER_URL    redis://127.0.0.1:6379/13
#   EVAC_PROD_CACHE_URL     redis://127.0.0.1:6379/14
#   EVAC_BIND               127.0.0.1:8001
#   EVAC_VAR_DIR            var/prod-local
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin

export DEBUG=0 EVAC_HTTPS=0 PYTHONUNBUFFERED=1
export DATABASE_URL=${EVAC_PROD_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/evac_prod_local}
export CELERY_BROKER_URL=${EVAC_PROD_BROKER_URL:-redis://127.0.0.1:6379/13}
export CACHE_URL=${EVAC_PROD_CACHE_URL:-redis://127.0.0.1:6379/14}
export EVAC_BIND=${EVAC_BIND:-127.0.0.1:8001}
export EVAC_VAR_DIR=${EVAC_VAR_DIR:-$PWD/var/prod-local}
export STATIC_ROOT=$EVAC_VAR_DIR/static
export ALLOWED_HOSTS=${ALLOWED_HOSTS:-127.0.0.1,localhost}
export CELERY_DB_REUSE_MAX=100 DATABASE_CONN_MAX_AGE=60
export GUNICORN_WORKERS=${GUNICORN_WORKERS:-2}
export PROMETHEUS_MULTIPROC_DIR=$EVAC_VAR_DIR/metrics
mkdir -p "$EVAC_VAR_DIR" "$EVAC_VAR_DIR/a" "$EVAC_VAR_DIR/b"
# A secret kept for this machine's runs, so sessions survive a restart.
if [[ ! -s $EVAC_VAR_DIR/secret_key ]]; then
    $BIN/python -c 'import secrets; print(secrets.token_urlsafe(50))' >"$EVAC_VAR_DIR/secret_key"
fi
SECRET_KEY=$(cat "$EVAC_VAR_DIR/secret_key")
export SECRET_KEY
export EVAC_METRICS_TOKEN=${EVAC_METRICS_TOKEN:-$SECRET_KEY}
rm -rf "$PROMETHEUS_MULTIPROC_DIR" && mkdir -p "$PROMETHEUS_MULTIPROC_DIR"

# The database, made if it isn't there (the server must be running).
database=${DATABASE_URL##*/}
server=${DATABASE_URL%/*}
if ! psql "$server/postgres" -tAq -c "SELECT 1 FROM pg_database WHERE datname = '$database'" |
    grep -q 1; then
    psql "$server/postgres" -q -c "CREATE DATABASE \"$database\""
fi

# For other commands against this instance: `set -a; . var/prod-local/env; set +a`.
export -p | grep -E ' (DEBUG|EVAC_[A-Z_]+|DATABASE_[A-Z_]+|CELERY_[A-Z_]+|CACHE_URL|STATIC_ROOT|ALLOWED_HOSTS|SECRET_KEY|PROMETHEUS_MULTIPROC_DIR|GUNICORN_WORKERS)=' \
    >"$EVAC_VAR_DIR/env"
chmod 600 "$EVAC_VAR_DIR/env" "$EVAC_VAR_DIR/secret_key"

$BIN/python manage.py migrate --noinput -v 0
$BIN/python manage.py collectstatic --noinput -v 0
$BIN/python manage.py seed_demo

printf '\nEvac (production settings): http://%s/  (demo logins above)\n' "$EVAC_BIND"
printf 'Second step: %s manage.py demo_code coordinator, with this environment.\n' "$BIN/python"
printf 'Metrics: curl -H "Authorization: Bearer $EVAC_METRICS_TOKEN" http://%s/metrics\n\n' \
    "$EVAC_BIND"
# EVAC_PROCFILE: another set of processes on the same setup (scripts/scale_out_check.sh).
PATH="$PWD/$BIN:$PATH" exec $BIN/honcho start \
    --procfile "${EVAC_PROCFILE:-deploy/Procfile.prod-local}" --env /dev/null
