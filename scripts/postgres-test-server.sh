#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster for the test suite: a temporary folder, a free port on the loopback, trust
# authentication there only. Source it, then `start_postgres_test_server` (exports TRENDMIX_TEST_POSTGRES) and
# `stop_postgres_test_server` (removes the cluster); `pause_postgres_test_server` and `resume_postgres_test_server`
# stop it and start it again on the same port, data kept (the fault tests). By hand:
#     source scripts/postgres-test-server.sh && start_postgres_test_server && swift test; stop_postgres_test_server

postgres_bin() {
    local bin
    bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
    [ -n "$bin" ] || { echo "PostgreSQL is not installed (apt-get install postgresql)" >&2; return 1; }
    echo "$bin"
}

start_postgres_test_server() {
    local bin port
    bin=$(postgres_bin) || return 1
    POSTGRES_TEST_DIR=$(mktemp -d /tmp/trendmix-pg.XXXXXX)
    # A free port: the kernel's choice for a socket bound to port 0.
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    local run=()
    # initdb and postgres refuse to run as root: as root, run them as the postgres user.
    if [ "$(id -u)" = 0 ]; then
        chown postgres:postgres "$POSTGRES_TEST_DIR"
        run=(su postgres -s /bin/sh -c)
    else
        run=(sh -c)
    fi
    "${run[@]}" "$bin/initdb -D $POSTGRES_TEST_DIR/data -U postgres --auth=trust -E UTF8 --no-sync >/dev/null" || return 1
    echo "$port" >"$POSTGRES_TEST_DIR/port"
    export POSTGRES_TEST_DIR
    resume_postgres_test_server || { cat "$POSTGRES_TEST_DIR/log.txt" >&2; return 1; }
    export TRENDMIX_TEST_POSTGRES="postgres://postgres@127.0.0.1:$port/postgres"
    echo "PostgreSQL test server at $TRENDMIX_TEST_POSTGRES"
}

stop_postgres_test_server() {
    [ -n "${POSTGRES_TEST_DIR:-}" ] && [ -d "$POSTGRES_TEST_DIR" ] || return 0
    local bin
    bin=$(postgres_bin) || return 0
    if [ "$(id -u)" = 0 ]; then
        su postgres -s /bin/sh -c "$bin/pg_ctl -D $POSTGRES_TEST_DIR/data -m fast -w stop >/dev/null" || true
    else
        "$bin/pg_ctl" -D "$POSTGRES_TEST_DIR/data" -m fast -w stop >/dev/null || true
    fi
    rm -rf "$POSTGRES_TEST_DIR"
}

# Starts the cluster of $POSTGRES_TEST_DIR (again) on its port.
resume_postgres_test_server() {
    local bin port
    bin=$(postgres_bin) || return 1
    port=$(cat "$POSTGRES_TEST_DIR/port")
    local command="$bin/pg_ctl -D $POSTGRES_TEST_DIR/data -l $POSTGRES_TEST_DIR/log.txt -w \
        -o '-p $port -k $POSTGRES_TEST_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200' \
        start >/dev/null"
    if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$command"; else sh -c "$command"; fi
}

# Stops the cluster of $POSTGRES_TEST_DIR, keeping its data.
pause_postgres_test_server() {
    local bin
    bin=$(postgres_bin) || return 1
    local command="$bin/pg_ctl -D $POSTGRES_TEST_DIR/data -m fast -w stop >/dev/null"
    if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$command"; else sh -c "$command"; fi
}
