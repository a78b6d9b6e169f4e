#!/usr/bin/env bash
# Start the action server and the Rasa server; stop both on Ctrl-C or SIGTERM.
set -euo pipefail
cd "$(dirname "$0")/.."
model=${1:-models/assistant.tar.gz}
port=${RASA_PORT:-5005}
actions_port=${ACTIONS_PORT:-5055}

.venv/bin/rasa run actions --actions actions --port "$actions_port" &
actions_pid=$!
.venv/bin/rasa run --model "$model" --port "$port" --enable-api --cors "*" \
  --credentials credentials.yml --endpoints endpoints.yml &
rasa_pid=$!

stop() {
  trap - INT TERM EXIT
  kill "$actions_pid" "$rasa_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  echo "stopped"
}
trap stop INT TERM EXIT

until curl -fsS "http://localhost:$port/status" >/dev/null 2>&1; do
  kill -0 "$rasa_pid" 2>/dev/null || { echo "the Rasa server did not start" >&2; exit 1; }
  sleep 1
done
cat <<MSG

The assistant is ready:
  REST channel:   POST http://localhost:$port/webhooks/rest/webhook  {"sender": "...", "message": "..."}
  socket.io:      http://localhost:$port/socket.io
  HTTP API:       http://localhost:$port/status
  Action server:  http://localhost:$actions_port/health
Press Ctrl-C to stop.
MSG
wait -n "$actions_pid" "$rasa_pid"
