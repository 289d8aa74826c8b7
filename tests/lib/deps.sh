#!/bin/sh
# Installs the Debian packages dagtop needs to build, test, demo and bench,
# when missing.  As root it runs apt-get; otherwise it prints the exact
# command to run.  Then it checks that every command the tests, the demo and
# the bench call is there: a minimal Debian (debootstrap --variant=minbase)
# has only the essential packages, so a command from any other package must
# come from one named here.
set -eu

PACKAGES="build-essential pkg-config libpq-dev libjansson-dev libinih-dev
zlib1g-dev libcmocka-dev libncurses-dev libreadline-dev libcurl4-openssl-dev
libssl-dev postgresql postgresql-client tmux tzdata clang libclang-rt-14-dev
mandoc locales python3 python3-psycopg2 python3-yaml python3-jsonschema openssl
curl procps cmark-gfm iproute2 prometheus"

# The commands the scripts under tests/ run, each with the package that has
# it on Debian 12 (the essential ones too, so a trimmed image is caught).
# A new command in a script belongs here and its package above.
COMMANDS="cc:build-essential make:build-essential pkg-config:pkg-config
clang:clang psql:postgresql-client createdb:postgresql-client
dropdb:postgresql-client tmux:tmux mandoc:mandoc python3:python3
openssl:openssl curl:curl pgrep:procps runuser:util-linux ss:iproute2
getconf:libc-bin locale:libc-bin awk:mawk sed:sed grep:grep find:findutils
od:coreutils stat:coreutils mktemp:coreutils date:coreutils
timeout:coreutils cmark-gfm:cmark-gfm promtool:prometheus
localedef:libc-bin"

missing=""
for p in $PACKAGES; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
	    grep -q 'install ok installed'; then
		missing="$missing $p"
	fi
done

if [ -n "$missing" ]; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "dagtop needs these Debian packages:$missing" >&2
		echo "install them with:  sudo apt-get install -y$missing" >&2
		exit 1
	fi
	echo "deps: installing$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

# PostgreSQL's server binaries are not on PATH: pg.sh finds them.
lost=""
for cp in $COMMANDS; do
	command -v "${cp%%:*}" >/dev/null 2>&1 || lost="$lost ${cp%%:*} (${cp#*:})"
done
if [ -n "$lost" ]; then
	echo "deps: commands the tests need are missing:$lost" >&2
	exit 1
fi
