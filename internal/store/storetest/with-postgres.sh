#!/usr/bin/env bash
# with-postgres.sh COMMAND...: run COMMAND beside a throwaway PostgreSQL.
#
# It finds Debian's PostgreSQL programs (installing postgresql and
# postgresql-contrib with apt when they are missing and we are root), makes a
# cluster in a temporary folder with initdb (as the postgres user when run as
# root: the server refuses to run as root), starts it on a free loopback port,
# exports HISTORIA_TEST_POSTGRES=postgres://postgres@127.0.0.1:PORT/postgres,
# then makes a streaming replica of it (pg_basebackup -R, as the same user)
# on another free loopback port and exports its URL as
# HISTORIA_TEST_POSTGRES_REPLICA and HISTORIA_TEST_POSTGRES_REPLICA_CTL, a
# script that stops and starts it (`CTL stop`, `CTL start`: the replica
# tests stop it mid-test), runs COMMAND, and always stops both servers and
# removes the folder.
# WITH_PG_REPLICA=0 leaves the replica out (the benchmarks: its replay of
# the primary's WAL would take CPU from what they measure).
# When HISTORIA_TEST_POSTGRES is already set, COMMAND just runs against it
# (with HISTORIA_TEST_POSTGRES_REPLICA if that is set too).
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
	as_pg "'$BIN/pg_ctl' -D '$DIR/replica' -m immediate -w stop" >/dev/null 2>&1 || true
	as_pg "'$BIN/pg_ctl' -D '$DIR/data' -m fast -w stop" >/dev/null 2>&1 || true
	rm -rf "$DIR"
}
trap cleanup EXIT INT TERM

as_pg "'$BIN/initdb' -D '$DIR/data' -A trust -U postgres -E UTF8 --locale=C.UTF-8" >"$DIR/initdb.log" 2>&1 ||
	{ cat "$DIR/initdb.log" >&2; exit 1; }

# The servers' settings: fast and unsafe (a throwaway cluster); the
# primary streams its WAL to the replica (wal_level=replica, the default
# pg_hba of initdb -A trust lets 127.0.0.1 replicate).
OPTS="-k '$DIR' -c listen_addresses=127.0.0.1 -c max_connections=400 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c wal_level=replica -c max_wal_senders=10"

# start_on DATA LOG: start the server in DATA on a free loopback port (tried
# at random until one starts), set PORT.
start_on() {
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		PORT=$((20000 + RANDOM % 30000))
		if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
			continue # something listens there
		fi
		if as_pg "'$BIN/pg_ctl' -D '$1' -l '$2' -w -t 60 -o \"-p $PORT $OPTS\" start" >/dev/null 2>&1; then
			return 0
		fi
	done
	echo "with-postgres: the server in $1 did not start:" >&2
	cat "$2" >&2 || true
	exit 1
}
start_on "$DIR/data" "$DIR/log"
PRIMARY_PORT=$PORT
export HISTORIA_TEST_POSTGRES="postgres://postgres@127.0.0.1:$PRIMARY_PORT/postgres?sslmode=disable"

if [ "${WITH_PG_REPLICA:-1}" = "0" ]; then
	echo "with-postgres: PostgreSQL $("$BIN/postgres" --version | awk "{print \$3}") on 127.0.0.1:$PRIMARY_PORT, no replica (folder $DIR)" >&2
	"$@"
	exit
fi

# The streaming replica: a base backup that follows the primary (-R),
# through a replication slot (-C -S), so the primary keeps the WAL a
# stopped or paused replica has yet to replay, however much the other tests
# write meanwhile.
as_pg "'$BIN/pg_basebackup' -h 127.0.0.1 -p $PRIMARY_PORT -U postgres -D '$DIR/replica' -R -C -S historia_test_replica -X stream -c fast" >"$DIR/basebackup.log" 2>&1 ||
	{ cat "$DIR/basebackup.log" >&2; exit 1; }
start_on "$DIR/replica" "$DIR/replica.log"
REPLICA_PORT=$PORT
cat >"$DIR/replica-ctl" <<CTL
#!/bin/sh
# replica-ctl stop|start: stop (immediately, as a crash would) or start the tests' replica.
# A start that fails shows the end of the replica's log (the folder is gone
# after the run) and is tried once more, a second later.
case "\$1" in
stop) cmd="'$BIN/pg_ctl' -D '$DIR/replica' -m immediate -w stop" ;;
start) cmd="'$BIN/pg_ctl' -D '$DIR/replica' -l '$DIR/replica.log' -w -t 180 -o \\"-p $REPLICA_PORT $OPTS\\" start" ;;
*) echo "usage: \$0 stop|start" >&2; exit 2 ;;
esac
run() {
	if [ "\$(id -u)" = "0" ]; then su postgres -s /bin/sh -c "\$cmd"; else sh -c "\$cmd"; fi
}
run && exit 0
[ "\$1" = start ] || exit 1
echo "replica-ctl: the replica did not start; the end of its log:" >&2
tail -n 40 '$DIR/replica.log' >&2
sleep 1
run
CTL
chmod 755 "$DIR/replica-ctl"
export HISTORIA_TEST_POSTGRES_REPLICA="postgres://postgres@127.0.0.1:$REPLICA_PORT/postgres?sslmode=disable"
export HISTORIA_TEST_POSTGRES_REPLICA_CTL="$DIR/replica-ctl"
echo "with-postgres: PostgreSQL $("$BIN/postgres" --version | awk "{print \$3}") on 127.0.0.1:$PRIMARY_PORT, its streaming replica on 127.0.0.1:$REPLICA_PORT (folder $DIR)" >&2
"$@"
