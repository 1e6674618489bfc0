# Sourced by scripts/test and Benchmarks/run: starts a throw-away PostgreSQL cluster on 127.0.0.1 in a temp folder,
# as a non-root user, exports KVOTA_TEST_POSTGRES_URL, and removes the cluster when the calling shell exits.
# Installs PostgreSQL from Debian's packages when it is missing (needs root, as on CI).

kvota_pg_bin() {
    ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

kvota_start_postgres() {
    local bin
    bin=$(kvota_pg_bin)
    if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
        if [ "$(id -u)" -ne 0 ]; then
            echo "scripts: PostgreSQL is not installed; run as root once, or: apt-get install postgresql" >&2
            return 1
        fi
        echo "scripts: installing PostgreSQL from Debian's packages" >&2
        DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
        bin=$(kvota_pg_bin)
    fi

    # PostgreSQL refuses to run as root: use the package's postgres user (or make one).
    local run_as=()
    if [ "$(id -u)" -eq 0 ]; then
        id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
        run_as=(runuser -u postgres --)
    fi

    KVOTA_PG_DIR=$(mktemp -d /tmp/kvota-pg.XXXXXX)
    chmod 755 "$KVOTA_PG_DIR"
    [ "$(id -u)" -eq 0 ] && chown postgres "$KVOTA_PG_DIR"
    local port
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

    "${run_as[@]}" "$bin/initdb" -D "$KVOTA_PG_DIR/data" -U kvota --auth=trust -E UTF8 --locale=C.UTF-8 >"$KVOTA_PG_DIR/initdb.log" 2>&1 \
        || { cat "$KVOTA_PG_DIR/initdb.log" >&2; return 1; }
    # For tests durability is off (the cluster lives for one run); `kvota_start_postgres durable` keeps the defaults,
    # so benchmarks measure what a real server does.
    # The whole suite runs at once: its test databases held up to 291 connections on this 2-core machine, and a pool
    # that is refused one retries for ever, so a full server can leave a run waiting on itself until CI stops it.
    local options="-h 127.0.0.1 -p $port -k $KVOTA_PG_DIR -c max_connections=1000"
    [ "${1:-}" = durable ] || options="$options -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    "${run_as[@]}" "$bin/pg_ctl" -D "$KVOTA_PG_DIR/data" -l "$KVOTA_PG_DIR/server.log" -w -t 60 \
        -o "$options" \
        start >/dev/null || { cat "$KVOTA_PG_DIR/server.log" >&2; return 1; }

    KVOTA_PG_STOP=("${run_as[@]}" "$bin/pg_ctl" -D "$KVOTA_PG_DIR/data" -m immediate stop)
    trap 'kvota_stop_postgres' EXIT
    export KVOTA_TEST_POSTGRES_URL="postgres://kvota@127.0.0.1:$port/postgres"
    echo "scripts: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port" >&2
}

kvota_stop_postgres() {
    if [ -n "${KVOTA_PG_DIR:-}" ]; then
        "${KVOTA_PG_STOP[@]}" >/dev/null 2>&1 || true
        rm -rf "$KVOTA_PG_DIR"
        KVOTA_PG_DIR=""
    fi
}
