# shellcheck shell=bash
# Throw-away PostgreSQL server for the tests. Source it, don't run it.
#
#   source scripts/lib/pg.sh
#   pg_ensure_installed   # apt-get install postgresql if no server binaries
#   pg_start              # initdb + start on a free loopback port, createdb veza_test
#   ...                   # VEZA_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:PORT/veza_test
#   pg_stop               # stop the server and delete its directory (idempotent)
#
# The server runs as the `postgres` OS user when we are root (initdb refuses
# root), as the current user otherwise. Authentication is `trust`: user
# `postgres` is a superuser without password, so tests may CREATE DATABASE /
# CREATE SCHEMA / CREATE EXTENSION (pg_trgm, unaccent, ... ship with the
# Debian server package). Durability is switched off (fsync, synchronous_commit,
# full_page_writes): the data is thrown away anyway.
#
# If VEZA_TEST_POSTGRES_URL is already set when pg_start runs, that server is
# used as is and nothing is started (handy to point the tests at your own DB).
#
# Variables set by pg_start:
#   VEZA_TEST_POSTGRES_URL  exported; what the Rust tests read
#   VEZA_PG_BINDIR          server binaries (initdb, pg_ctl, psql, ...)
#   VEZA_PG_BASE            temp dir: data/, unix socket, postgres.log
#   VEZA_PG_PORT            TCP port on 127.0.0.1

# shellcheck source=scripts/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

# Print the bin dir of the newest installed PostgreSQL server
# (/usr/lib/postgresql/<ver>/bin on Debian), or fail.
pg_bindir() {
    local d best=""
    best=$(
        for d in /usr/lib/postgresql/*/bin; do
            [[ -x $d/initdb && -x $d/pg_ctl && -x $d/postgres ]] && printf '%s\n' "$d"
        done | sort -V | tail -n 1
    )
    if [[ -z $best ]] && command -v pg_config >/dev/null 2>&1; then
        d=$(pg_config --bindir 2>/dev/null || true)
        [[ -n $d && -x $d/initdb && -x $d/pg_ctl ]] && best=$d
    fi
    if [[ -z $best ]] && command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
        best=$(dirname "$(command -v initdb)")
    fi
    [[ -n $best ]] || return 1
    printf '%s\n' "$best"
}

pg_ensure_installed() {
    local bindir
    if bindir=$(pg_bindir); then
        veza_info "postgresql: $bindir ($("$bindir/postgres" --version 2>/dev/null || echo '?'))"
        return 0
    fi
    veza_info "postgresql server not found, installing"
    veza_apt_install postgresql || return 1
    bindir=$(pg_bindir) || {
        veza_err "postgresql installed but no server binaries found under /usr/lib/postgresql/*/bin"
        return 1
    }
    veza_info "postgresql: $bindir ($("$bindir/postgres" --version 2>/dev/null || echo '?'))"
}

# Run "$@" as the server's OS user, from / (the postgres user may not be
# allowed into the current directory).
_pg_as() {
    if ((EUID == 0)); then
        (cd / && runuser -u postgres -- "$@")
    else
        (cd / && "$@")
    fi
}

pg_start() {
    if [[ -n ${VEZA_PG_BASE:-} ]]; then
        veza_info "postgres already started by this shell: $VEZA_TEST_POSTGRES_URL"
        return 0
    fi
    if [[ -n ${VEZA_TEST_POSTGRES_URL:-} ]]; then
        veza_info "VEZA_TEST_POSTGRES_URL is set, using that server: $VEZA_TEST_POSTGRES_URL"
        export VEZA_TEST_POSTGRES_URL
        return 0
    fi

    local bindir
    bindir=$(pg_bindir) || {
        veza_err "no PostgreSQL server binaries (run pg_ensure_installed)"
        return 1
    }
    VEZA_PG_BINDIR=$bindir

    if ((EUID == 0)) && ! id postgres >/dev/null 2>&1; then
        veza_err "running as root but there is no 'postgres' OS user to run the server"
        return 1
    fi

    # Short path under /tmp: the unix socket path must stay < 108 bytes and
    # the postgres user must be able to reach it (not under /root).
    local base
    base=$(mktemp -d /tmp/veza-pg.XXXXXX) || return 1
    VEZA_PG_BASE=$base
    chmod 700 "$base"
    if ((EUID == 0)); then
        chown postgres:postgres "$base"
    fi
    local data=$base/data

    # initdb, C.UTF-8 locale when available, plain C otherwise.
    local locale=C
    if locale -a 2>/dev/null | grep -qixE 'c\.utf-?8'; then
        locale=C.UTF-8
    fi
    if ! _pg_as "$bindir/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --no-sync \
        --locale="$locale" >"$base/initdb.log" 2>&1; then
        if [[ $locale != C ]]; then
            veza_info "initdb with --locale=$locale failed, retrying with --locale=C"
            _pg_as rm -rf "$data"
            locale=C
            _pg_as "$bindir/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --no-sync \
                --locale=C >"$base/initdb.log" 2>&1 || {
                cat "$base/initdb.log" >&2
                veza_err "initdb failed"
                return 1
            }
        else
            cat "$base/initdb.log" >&2
            veza_err "initdb failed"
            return 1
        fi
    fi

    # Start; retry on another port if someone grabbed ours in between.
    local attempt port="" start_port=${VEZA_PG_PORT_BASE:-55432} started=""
    for attempt in 1 2 3 4 5; do
        port=$(veza_free_port "$start_port") || return 1
        if _pg_as "$bindir/pg_ctl" -D "$data" -l "$base/postgres.log" -w -t 60 \
            -o "-p $port -k $base -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
            start >/dev/null 2>&1; then
            started=1
            break
        fi
        veza_info "pg_ctl start on port $port failed (attempt $attempt)"
        _pg_as "$bindir/pg_ctl" -D "$data" -m immediate -w stop >/dev/null 2>&1 || true
        start_port=$((port + 1 + RANDOM % 50))
    done
    if [[ -z $started ]]; then
        tail -n 30 "$base/postgres.log" >&2 || true
        veza_err "could not start PostgreSQL (log above)"
        return 1
    fi
    # shellcheck disable=SC2034 # for callers
    VEZA_PG_PORT=$port

    if ! "$bindir/createdb" -h 127.0.0.1 -p "$port" -U postgres veza_test; then
        veza_err "createdb veza_test failed"
        return 1
    fi

    export VEZA_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$port/veza_test"
    veza_info "postgres $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (locale $locale, dir $base)"
    veza_info "VEZA_TEST_POSTGRES_URL=$VEZA_TEST_POSTGRES_URL"
}

# Stop the server started by pg_start and delete its directory. Safe to call
# any number of times, and when pg_start failed half-way.
pg_stop() {
    local base=${VEZA_PG_BASE:-}
    [[ -n $base ]] || return 0
    local data=$base/data bindir=${VEZA_PG_BINDIR:-}
    if [[ -f $data/postmaster.pid ]]; then
        if [[ -z $bindir ]] ||
            ! _pg_as "$bindir/pg_ctl" -D "$data" -m immediate -w -t 30 stop >/dev/null 2>&1; then
            local pid
            pid=$(head -n 1 "$data/postmaster.pid" 2>/dev/null || true)
            if [[ $pid =~ ^[0-9]+$ ]]; then
                kill -KILL "$pid" 2>/dev/null || true
            fi
        fi
    fi
    rm -rf "$base"
    unset VEZA_PG_BASE VEZA_PG_PORT VEZA_TEST_POSTGRES_URL
}
