#!/usr/bin/env bash
# The shared SQS-compatible server (ElasticMQ) of the tests and benches: prints its endpoint,
# starting it when none is running. One server serves every test file and bench of a run, each on
# queues of its own (test/helpers/sqs.ts); starting ElasticMQ takes about 6 s, so it is started once.
#
# It lives as long as it is used: every user touches test/sqs/.cache/server/lease (the helper does
# so every 20 s while it runs), and a watchdog stops the server once the lease is 10 minutes old.
# A lock makes parallel test files wait for one start. Loopback only.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
state="$root/test/sqs/.cache/server"
mkdir -p "$state"
exec 8>"$state/.lock"
flock 8
touch "$state/lease"
alive() {
  [[ -f "$state/endpoint" ]] || return 1
  curl -fsS -m 2 "$(cat "$state/endpoint")/?Action=ListQueues" >/dev/null 2>&1
}
if alive; then cat "$state/endpoint"; exit 0; fi
lib="$(bash "$root/scripts/fetch-elasticmq.sh")"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')"
cat >"$state/elasticmq.conf" <<CONF
include classpath("application.conf")
node-address { protocol = http, host = 127.0.0.1, port = $port, context-path = "" }
rest-sqs { enabled = true, bind-port = $port, bind-hostname = "127.0.0.1", sqs-limits = strict }
rest-stats { enabled = false }
CONF
endpoint="http://127.0.0.1:$port"
rm -f "$state/endpoint"
# Detached from the caller (setsid): the server outlives the test file that started it, and the
# watchdog, not the caller, decides when it goes.
setsid bash -c '
  state="$1"; lib="$2"
  java -Xmx256m -Dconfig.file="$state/elasticmq.conf" -cp "$lib/*" org.elasticmq.server.Main </dev/null >"$state/server.log" 2>&1 &
  server=$!
  echo "$server" >"$state/pid"
  while kill -0 "$server" 2>/dev/null; do
    sleep 15
    if [[ -z "$(find "$state/lease" -mmin -10 2>/dev/null)" ]]; then
      kill -TERM "$server" 2>/dev/null
      for _ in $(seq 50); do kill -0 "$server" 2>/dev/null || break; sleep 0.2; done
      kill -KILL "$server" 2>/dev/null || true
    fi
  done
  rm -f "$state/endpoint" "$state/pid"
' sqs-watchdog "$state" "$lib" </dev/null >/dev/null 2>&1 8>&- &
for _ in $(seq 600); do
  if curl -fsS -m 2 "$endpoint/?Action=ListQueues" >/dev/null 2>&1; then
    echo "$endpoint" >"$state/endpoint"
    echo "$endpoint"
    exit 0
  fi
  sleep 0.1
done
echo "sqs-server: ElasticMQ did not answer at $endpoint within 60 s; its log:" >&2
tail -30 "$state/server.log" >&2 || true
exit 1
