# Starts a throwaway PostgreSQL cluster on loopback for the tests and exports TEST_POSTGRES_URL.
# Sourced by scripts/test; the cluster is stopped and deleted when the calling shell exits.

pg_bin() {
    local candidate
    for candidate in /usr/lib/postgresql/*/bin; do
        [ -x "$candidate/initdb" ] && { echo "$candidate"; return; }
    done
    command -v initdb >/dev/null && dirname "$(command -v initdb)"
}

start_test_postgres() {
    local bin dir port runner=()
    bin="$(pg_bin)"
    [ -n "$bin" ] || { echo "PostgreSQL is not installed (scripts/setup-test-deps installs it)" >&2; return 1; }
    dir="$(mktemp -d /tmp/chatbot-pg.XXXXXX)"
    # initdb refuses to run as root: use the postgres account Debian's package creates.
    if [ "$(id -u)" = 0 ]; then
        chown postgres "$dir"
        runner=(runuser -u postgres --)
    fi
    port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
    "${runner[@]}" "$bin/initdb" -D "$dir/data" -A trust -U postgres --no-sync >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; return 1; }
    "${runner[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=300" start >/dev/null \
        || { cat "$dir/server.log" >&2; return 1; }
    export TEST_POSTGRES_URL="postgresql://postgres@127.0.0.1:$port/postgres?sslmode=disable"
    export TEST_POSTGRES_BIN="$bin" TEST_POSTGRES_DIR="$dir"
    TEST_POSTGRES_RUNNER="${runner[*]}"
    export TEST_POSTGRES_RUNNER
    trap stop_test_postgres EXIT
    echo "PostgreSQL test cluster on 127.0.0.1:$port"
}

stop_test_postgres() {
    [ -n "${TEST_POSTGRES_DIR:-}" ] || return 0
    $TEST_POSTGRES_RUNNER "$TEST_POSTGRES_BIN/pg_ctl" -D "$TEST_POSTGRES_DIR/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$TEST_POSTGRES_DIR"
    TEST_POSTGRES_DIR=""
}
