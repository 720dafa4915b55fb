#!/usr/bin/env bash
# Start the test OpenID Connect provider (the oidc-provider-mock package) on 127.0.0.1 and print
# the shell lines that name it:  eval "$(bash scripts/start_oidc.sh)";  stop it with
# bash scripts/start_oidc.sh --stop "$MARSAD_TEST_OIDC_PID".
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ "${1:-}" == "--stop" ]]; then
    kill "$2" 2>/dev/null || true
    exit 0
fi
port=$(.venv/bin/python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
log=$(mktemp -t marsad-oidc.XXXXXX.log)
.venv/bin/python -W ignore -m oidc_provider_mock --host 127.0.0.1 --port "$port" >"$log" 2>&1 &
pid=$!
url="http://127.0.0.1:$port"
for _ in $(seq 1 100); do
    if .venv/bin/python -c "import urllib.request, sys; urllib.request.urlopen(sys.argv[1], timeout=2)" \
            "$url/.well-known/openid-configuration" 2>/dev/null; then
        echo "export MARSAD_TEST_OIDC_URL=$url MARSAD_TEST_OIDC_PID=$pid"
        exit 0
    fi
    if ! kill -0 "$pid" 2>/dev/null; then break; fi
    sleep 0.2
done
echo "the OIDC test provider did not start; its log:" >&2
cat "$log" >&2
kill "$pid" 2>/dev/null || true
exit 1
