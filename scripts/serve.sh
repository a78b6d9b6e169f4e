#!/usr/bin/env bash
# Start the action server and the Rasa server; stop both on Ctrl-C or SIGTERM.
#   ASSISTANT_PROFILE=production  PostgreSQL + Redis (endpoints.production.yml); default SQLite
#   ASSISTANT_TOKEN               token of the HTTP API and the agent API (else var/api-token, generated once)
#   ASSISTANT_SESSION_KEY         signs merchants' session tokens (else var/session-key, generated once)
#   ASSISTANT_SESSION_ISSUER      "demo": POST /web/session issues tokens (default; off in production)
#   ASSISTANT_ALLOWED_ORIGINS     origins the widget may be served from (comma-separated)
set -euo pipefail
umask 077  # the conversations, the token and the logs: readable by this user only
export RASA_TELEMETRY_ENABLED=false TF_CPP_MIN_LOG_LEVEL=2
cd "$(dirname "$0")/.."
model=${1:-models/assistant.tar.gz}
port=${RASA_PORT:-5005}
export ACTIONS_PORT=${ACTIONS_PORT:-5055}
export ASSISTANT_SQLITE_PATH=${ASSISTANT_SQLITE_PATH:-var/conversations.db}
export ASSISTANT_ALLOWED_ORIGINS=${ASSISTANT_ALLOWED_ORIGINS:-http://localhost:$port,http://127.0.0.1:$port}
export ACTIONS_URL=${ACTIONS_URL:-http://127.0.0.1:$ACTIONS_PORT/webhook}  # an address: resolving "localhost" costs each action call ~4 ms
mkdir -p var
chmod -R go-rwx var  # also what an earlier version left readable
# A secret from the environment, else from its file in var/, generated there once.
secret() { [ -s "var/$1" ] || .venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(32))' > "var/$1"; cat "var/$1"; }
ASSISTANT_TOKEN=${ASSISTANT_TOKEN:-$(secret api-token)}
ASSISTANT_SESSION_KEY=${ASSISTANT_SESSION_KEY:-$(secret session-key)}
export ASSISTANT_TOKEN ASSISTANT_SESSION_KEY
case "${ASSISTANT_PROFILE:-default}" in
  production) endpoints=endpoints.production.yml; export ASSISTANT_SESSION_ISSUER=${ASSISTANT_SESSION_ISSUER:-} ;;
  default) endpoints=endpoints.yml; export ASSISTANT_SESSION_ISSUER=${ASSISTANT_SESSION_ISSUER-demo} ;;
  *) echo "ASSISTANT_PROFILE must be 'default' or 'production', not '$ASSISTANT_PROFILE'" >&2; exit 2 ;;
esac
# shellcheck disable=SC2086
cors=$(echo "$ASSISTANT_ALLOWED_ORIGINS" | tr ',' ' ')

.venv/bin/rasa run actions --actions actions --port "$ACTIONS_PORT" &
actions_pid=$!
# shellcheck disable=SC2086
# The token reaches Rasa through the environment (scripts/rasa_server.py), not the process list.
.venv/bin/python -m scripts.rasa_server --model "$model" --port "$port" --enable-api \
  --cors $cors --credentials credentials.yml --endpoints "$endpoints" &
rasa_pid=$!

stop() {
  trap - INT TERM EXIT
  kill "$actions_pid" "$rasa_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  echo "stopped"
}
trap 'stop; exit 0' INT TERM
trap stop EXIT

up() { .venv/bin/python -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' "$1" >/dev/null 2>&1; }
until up "http://localhost:$port/"; do  # Python, not curl: a clean machine may lack curl
  if ! kill -0 "$rasa_pid" 2>/dev/null; then
    wait "$rasa_pid" || status=$?
    echo "The Rasa server did not start (exit ${status:-1}); see the messages above." >&2
    exit "${status:-1}"
  fi
  sleep 1
done
cat <<MSG

The assistant is ready (profile ${ASSISTANT_PROFILE:-default}, endpoints $endpoints):
  REST channel:   POST http://localhost:$port/webhooks/rest/webhook  {"sender": "...", "message": "..."}
                  with Authorization: Bearer <the merchant's session token, or the API token>
  socket.io:      http://localhost:$port/socket.io  (auth: {"token": ...})
  Sessions:       POST http://localhost:$port/web/session  (demo issuer: ${ASSISTANT_SESSION_ISSUER:-off})
  HTTP API:       http://localhost:$port/status?token=...  (token in \$ASSISTANT_TOKEN or var/api-token)
  Action server:  http://localhost:$ACTIONS_PORT/health
  Chat widget:    http://localhost:$port/web/demo
  Agent console:  http://localhost:$port/web/console  (token: \$ASSISTANT_TOKEN or var/api-token)
Press Ctrl-C to stop.
MSG
wait -n "$actions_pid" "$rasa_pid"
