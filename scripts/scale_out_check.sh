#!/usr/bin/env bash
# Scale-out, proven on one machine: two gunicorn instances (each with its own files, as on two
# machines), two worker nodes and one beat on one PostgreSQL and one Redis
# (deploy/Procfile.scale-out). scripts/scale_out_check.py then shows that sessions, login
# lockouts and the portal's rate limits hold across the instances, that bookings through
# both never oversell, and that one beat schedules the dispatcher once per interval.
# Everything started is stopped at the end. Same settings as scripts/prod_local.sh; give it
# a fresh database (EVAC_PROD_DATABASE_URL): the bookings use up the demo's waiting list.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export EVAC_VAR_DIR=${EVAC_VAR_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/evac-scale-out.XXXXXX")}
export EVAC_BIND_A=${EVAC_BIND_A:-127.0.0.1:8011} EVAC_BIND_B=${EVAC_BIND_B:-127.0.0.1:8012}
export EVAC_BIND=$EVAC_BIND_A EVAC_PROCFILE=deploy/Procfile.scale-out
log=$EVAC_VAR_DIR/scale-out.log

setsid scripts/prod_local.sh >"$log" 2>&1 &
group=$!
finish() {
    kill -TERM -- "-$group" 2>/dev/null || true
    for _ in $(seq 30); do kill -0 -- "-$group" 2>/dev/null || break; sleep 1; done
    kill -KILL -- "-$group" 2>/dev/null || true
}
trap finish EXIT

for bind in "$EVAC_BIND_A" "$EVAC_BIND_B"; do
    for ((waited = 0; waited < 120; waited++)); do
        if curl -fsS "http://$bind/healthz" >/dev/null 2>&1; then break; fi
        if ! kill -0 "$group" 2>/dev/null; then
            tail -n 60 "$log" >&2
            exit 1
        fi
        sleep 1
    done
done

set -a
# shellcheck disable=SC1091
. "$EVAC_VAR_DIR/env"
set +a
# A run before this one on the same database and cache may have left its lockout and counts.
$BIN/python manage.py axes_reset >/dev/null
$BIN/python manage.py shell -v 0 -c "from django.core.cache import cache; cache.clear()"
if ! $BIN/python scripts/scale_out_check.py "$log"; then
    tail -n 60 "$log" >&2
    exit 1
fi
