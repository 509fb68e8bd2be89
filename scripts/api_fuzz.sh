#!/usr/bin/env bash
# Schemathesis against a live Evac API: a fresh database with the demo loaded, gunicorn on a
# local port, and a coordinator's token. It fails on any server error and on any answer
# that contradicts the OpenAPI schema (all of Schemathesis's checks; see
# scripts/schemathesis*.toml for the one that is widened, and why).
#
#   scripts/api_fuzz.sh                      # on a throw-away SQLite database
#   EVAC_FUZZ_DATABASE_URL=postgres://…/db scripts/api_fuzz.sh    # an EMPTY database
#
# EVAC_FUZZ_EXAMPLES (default 8) bounds the test cases per API operation and phase;
# EVAC_FUZZ_SEED fixes Hypothesis's choices so a failure can be replayed.
set -euo pipefail

cd "$(dirname "$0")/.."
root=$PWD
BIN=.venv/bin
PORT=${EVAC_FUZZ_PORT:-8765}
EXAMPLES=${EVAC_FUZZ_EXAMPLES:-8}
SEED=${EVAC_FUZZ_SEED:-20220109}

work=$(mktemp -d "${TMPDIR:-/tmp}/evac-api-fuzz.XXXXXX")
server_pid=""
finish() {
    if [[ -n $server_pid ]]; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap finish EXIT

# Production-like: DEBUG off, so a 500 is a 500 and not a debug page.
export DEBUG=0 SECRET_KEY=api-fuzz-only EVAC_VAR_DIR="$work/var"
export DATABASE_URL=${EVAC_FUZZ_DATABASE_URL:-sqlite:///$work/evac.sqlite3}
# No worker runs here: tasks queued by the services stay in this process's memory.
export CELERY_BROKER_URL=memory://
unset CELERY_RESULT_BACKEND
# The fuzzer sends thousands of requests with one token; throttling is tested elsewhere.
export EVAC_API_TOKEN_RATE=1000000/minute

$BIN/python manage.py migrate --noinput -v 0
# As in production, pages name their static files through the collected manifest.
$BIN/python manage.py collectstatic --noinput -v 0
$BIN/python manage.py seed_demo >/dev/null
fixture=$($BIN/python manage.py shell -v 0 <scripts/api_fuzz_fixture.py)
while IFS='=' read -r name value; do
    [[ $name == EVAC_FUZZ_* ]] && export "$name=$value"
done <<<"$fixture"

$BIN/gunicorn evac.wsgi --workers 2 --bind "127.0.0.1:$PORT" --log-level warning \
    >"$work/server.log" 2>&1 &
server_pid=$!

fuzz() {  # fuzz CONFIG [schemathesis options]: one pass; its failures fail the script
    local config=$1
    shift
    # Run from the scratch folder: Schemathesis and Hypothesis keep their caches where they run.
    (cd "$work" && "$root/$BIN/schemathesis" --config-file "$root/scripts/$config" --no-color \
        run "http://127.0.0.1:$PORT/api/schema/" \
        --wait-for-schema 60 \
        --header "Authorization: Bearer $EVAC_FUZZ_TOKEN" \
        --checks all \
        --max-examples "$EXAMPLES" \
        --seed "$SEED" \
        --request-timeout 30 \
        "$@") || status=1
}

status=0
# 1. Valid requests at real records: the services' rules answer, never a 500.
fuzz schemathesis-records.toml --mode positive
# 2. Valid and invalid requests: every answer matches the schema, bad input is refused.
#    Without DELETE /tokens/{id}/: with ids drawn at random it would revoke the token this
#    run uses (pass 1 fuzzes it, aimed at a spare token).
fuzz schemathesis.toml --mode all --exclude-operation-id tokens_destroy

if grep -q "Traceback" "$work/server.log"; then
    echo "The server logged errors:" >&2
    cat "$work/server.log" >&2
    status=1
fi
exit $status
