#!/usr/bin/env bash
# Start a private, throw-away PostGIS server for the store's contract tests.
#
#   eval "$(scripts/start_postgis.sh)"      # exports MARSAD_TEST_PG_URL and MARSAD_TEST_PG_DIR
#   .venv/bin/pytest tests/unit/test_store.py
#   scripts/start_postgis.sh --stop "$MARSAD_TEST_PG_DIR"
#
# The cluster lives in a fresh temporary folder owned by the postgres user, listens
# on 127.0.0.1 only, on a free port, with trust authentication (nothing but this
# machine can reach it). Needs Debian's postgresql-15-postgis-3. Only the export
# lines go to stdout; progress goes to stderr.
set -euo pipefail

if [[ "${1:-}" == "--stop" ]]; then
    dir="${2:?usage: start_postgis.sh --stop DIR}"
    [[ -f "$dir/data/PG_VERSION" ]] || { echo "no cluster in $dir" >&2; exit 1; }
    bin="$(cat "$dir/bindir")"
    runuser -u postgres -- "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >&2
    rm -rf "$dir"
    exit 0
fi

bin=""
for candidate in /usr/lib/postgresql/*/bin; do
    [[ -x "$candidate/initdb" ]] && bin="$candidate"
done
[[ -n "$bin" ]] || { echo "PostgreSQL is not installed (apt-get install -y postgresql-15-postgis-3)" >&2; exit 1; }

as_pg() {
    if [[ "$(id -un)" == postgres ]]; then "$@"; else runuser -u postgres -- "$@"; fi
}

port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
dir="$(mktemp -d /tmp/marsad-pg.XXXXXX)"
chmod 755 "$dir"
echo "$bin" > "$dir/bindir"
mkdir "$dir/data" "$dir/sock"
chown postgres: "$dir/data" "$dir/sock" 2>/dev/null || true

as_pg "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >&2
as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/data/server.log" -w -t 60 \
    -o "-p $port -k $dir/sock -c listen_addresses=127.0.0.1 -c fsync=off" start >&2
as_pg "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres marsad_test
as_pg "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -d marsad_test -q -v ON_ERROR_STOP=1 \
    -c "CREATE EXTENSION postgis" >&2

echo "export MARSAD_TEST_PG_URL=postgresql://postgres@127.0.0.1:$port/marsad_test"
echo "export MARSAD_TEST_PG_DIR=$dir"
