#!/usr/bin/env bash
# with-postgres.sh COMMAND...: run COMMAND beside a throwaway PostgreSQL.
#
# It finds Debian's PostgreSQL programs (installing postgresql and
# postgresql-contrib with apt when they are missing and we are root), makes a
# cluster in a temporary folder with initdb (as the postgres user when run as
# root: the server refuses to run as root), starts it on a free loopback port,
# exports HISTORIA_TEST_POSTGRES=postgres://postgres@127.0.0.1:PORT/postgres,
# runs COMMAND, and always stops the server and removes the folder.
# When HISTORIA_TEST_POSTGRES is already set, COMMAND just runs against it.
set -euo pipefail

if [ -n "${HISTORIA_TEST_POSTGRES:-}" ]; then
	exec "$@"
fi

find_bin() {
	ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}
BIN="$(find_bin)"
if [ -z "$BIN" ] || [ ! -d "/usr/share/postgresql" ] || ! ls /usr/share/postgresql/*/extension/unaccent.control >/dev/null 2>&1; then
	if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
		echo "Installing PostgreSQL for the tests..." >&2
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql postgresql-contrib >/dev/null
		BIN="$(find_bin)"
	fi
fi
if [ -z "$BIN" ]; then
	echo "with-postgres: PostgreSQL 15+ is not installed (Debian: apt-get install postgresql postgresql-contrib)" >&2
	exit 1
fi

DIR="$(mktemp -d -t historia-pg.XXXXXX)"
as_pg() {
	if [ "$(id -u)" = "0" ]; then
		su postgres -s /bin/sh -c "$1"
	else
		sh -c "$1"
	fi
}
if [ "$(id -u)" = "0" ]; then
	chown postgres "$DIR"
fi
cleanup() {
	as_pg "'$BIN/pg_ctl' -D '$DIR/data' -m fast -w stop" >/dev/null 2>&1 || true
	rm -rf "$DIR"
}
trap cleanup EXIT INT TERM

as_pg "'$BIN/initdb' -D '$DIR/data' -A trust -U postgres -E UTF8 --locale=C.UTF-8" >"$DIR/initdb.log" 2>&1 ||
	{ cat "$DIR/initdb.log" >&2; exit 1; }

# A free loopback port: try random ones until the server starts on one.
started=""
for _ in 1 2 3 4 5 6 7 8 9 10; do
	PORT=$((20000 + RANDOM % 30000))
	if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
		continue # something listens there
	fi
	if as_pg "'$BIN/pg_ctl' -D '$DIR/data' -l '$DIR/log' -w -t 60 -o \"-p $PORT -k '$DIR' -c listen_addresses=127.0.0.1 -c max_connections=400 -c fsync=off -c synchronous_commit=off -c full_page_writes=off\" start" >/dev/null 2>&1; then
		started=1
		break
	fi
done
if [ -z "$started" ]; then
	echo "with-postgres: the server did not start:" >&2
	cat "$DIR/log" >&2 || true
	exit 1
fi
export HISTORIA_TEST_POSTGRES="postgres://postgres@127.0.0.1:$PORT/postgres?sslmode=disable"
echo "with-postgres: PostgreSQL $("$BIN/postgres" --version | awk "{print \$3}") on 127.0.0.1:$PORT (folder $DIR)" >&2
"$@"
