#!/bin/sh
# Installs the Debian packages dagtop needs to build and test, when missing.
# As root it runs apt-get; otherwise it prints the exact command to run.
set -eu

PACKAGES="build-essential pkg-config libpq-dev libjansson-dev libinih-dev
zlib1g-dev libcmocka-dev libncurses-dev libreadline-dev libcurl4-openssl-dev
libssl-dev postgresql postgresql-client tmux tzdata clang libclang-rt-14-dev
mandoc locales python3 python3-psycopg2 openssl curl"

missing=""
for p in $PACKAGES; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
	    grep -q 'install ok installed'; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

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
