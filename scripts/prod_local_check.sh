#!/usr/bin/env bash
# Start `make prod-local` (scripts/prod_local.sh) in the background, check it end to end
# (scripts/prod_local_check.py), and stop every process it started, pass or fail.
# Takes the same EVAC_PROD_* / EVAC_BIND / EVAC_VAR_DIR settings as prod_local.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export EVAC_VAR_DIR=${EVAC_VAR_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/evac-prod-local.XXXXXX")}
export EVAC_BIND=${EVAC_BIND:-127.0.0.1:8001}
log=$EVAC_VAR_DIR/prod-local.log

# Its own session (setsid), so all of it (honcho, gunicorn, workers, beat) stops together.
setsid scripts/prod_local.sh >"$log" 2>&1 &
group=$!
finish() {
    kill -TERM -- "-$group" 2>/dev/null || true
    for _ in $(seq 30); do kill -0 -- "-$group" 2>/dev/null || break; sleep 1; done
    kill -KILL -- "-$group" 2>/dev/null || true
}
trap finish EXIT

for ((waited = 0; waited < 120; waited++)); do
    if curl -fsS "http://$EVAC_BIND/healthz" >/dev/null 2>&1; then break; fi
    if ! kill -0 "$group" 2>/dev/null; then
        echo "prod-local exited before answering; its log:" >&2
        tail -n 60 "$log" >&2
        exit 1
    fi
    sleep 1
done

set -a
# shellcheck disable=SC1091
. "$EVAC_VAR_DIR/env"
set +a
if ! $BIN/python scripts/prod_local_check.py; then
    echo "prod-local log (last lines):" >&2
    tail -n 60 "$log" >&2
    exit 1
fi
