#!/usr/bin/env bash
# Start or stop the project's throwaway PostgreSQL cluster (.run/postgres).
# Does nothing when PGHOST points at a server of your own.
# The server refuses to run as root, so as root it runs as the `postgres` user.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cmd="${1:-start}"
[ "$NIKKI_OWN_PG" = 1 ] || { log "Using PostgreSQL at $PGHOST:$PGPORT"; exit 0; }

bindir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
[ -n "$bindir" ] || bindir="$(dirname "$(command -v pg_ctl || true)")"
[ -x "$bindir/pg_ctl" ] || die "PostgreSQL server binaries (initdb, pg_ctl) not found"

pgdir="$RUN_DIR/postgres"
as_owner() { "$@"; }
if [ "$(id -u)" = 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
  # postgres must be able to reach the data directory; fall back to /tmp when
  # the checkout lives below a directory it cannot enter.
  mkdir -p "$pgdir"
  if ! su postgres -s /bin/sh -c "test -x '$pgdir'"; then
    pgdir="/tmp/nikki_dunning-pg-$PGPORT"
  fi
  mkdir -p "$pgdir"
  chown postgres "$pgdir"
  as_owner() { su postgres -s /bin/sh -c "$(printf '%q ' "$@")"; }
fi
data="$pgdir/data"

case "$cmd" in
  start)
    if [ ! -f "$data/PG_VERSION" ]; then
      log "Creating PostgreSQL cluster in $data"
      as_owner "$bindir/initdb" -D "$data" -U odoo --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
      cat >> "$data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PGPORT
unix_socket_directories = '$pgdir'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
CONF
    fi
    if as_owner "$bindir/pg_ctl" -D "$data" status >/dev/null 2>&1; then
      exit 0
    fi
    log "Starting PostgreSQL on $PGHOST:$PGPORT"
    as_owner "$bindir/pg_ctl" -D "$data" -l "$pgdir/server.log" -w start >/dev/null
    ;;
  stop)
    [ -f "$data/PG_VERSION" ] && as_owner "$bindir/pg_ctl" -D "$data" -m fast stop >/dev/null || true
    ;;
  *) die "usage: pg.sh start|stop" ;;
esac
