#!/bin/sh
# Boots a real systemd as PID 1 of private PID/mount/UTS/IPC/net namespaces (platform notes §5),
# starts trio2o.service from this folder with the single executable, and checks: the unit becomes
# active (Type=notify readiness), /healthcheck answers, `systemctl reload` keeps it active, and
# `systemctl stop` stops it cleanly (SIGTERM → exit 0). Nothing on the host is written: /run,
# /usr/local/bin, /etc/trio2o, /var/lib/private and /var/cache/private are tmpfs in the namespace.
#   systemd/boot-test.sh [path/to/trio2o]       (root needed; prints "boot-test: PASS" on success)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
trio2o=$(realpath "${1:-$(dirname "$here")/dist/trio2o}")
[ -x "$trio2o" ] || { echo "boot-test: $trio2o missing: run npm run build" >&2; exit 2; }
work=$(mktemp -d /tmp/trio2o-boot.XXXXXX)
# systemd as PID 1 ignores SIGTERM (it re-executes itself): only SIGKILL ends the namespace.
sd=""
trap 'rc=$?; if [ -n "$sd" ]; then kill -KILL "$sd" 2>/dev/null || true; fi; rm -rf "$work"; exit $rc' EXIT

cat > "$work/inner.sh" <<INNER
#!/bin/sh
set -eu
mount -t tmpfs tmpfs /run
mount -t tmpfs tmpfs /usr/local/bin
mount -t tmpfs tmpfs /var/lib/private
mount -t tmpfs tmpfs /var/cache/private
mkdir -p /etc/trio2o && mount -t tmpfs tmpfs /etc/trio2o
chmod 700 /var/lib/private /var/cache/private
touch /usr/local/bin/trio2o && mount --bind "$trio2o" /usr/local/bin/trio2o
ip link set lo up 2>/dev/null || true
mkdir -p /run/systemd/system/trio2o.service.d
cp "$here/trio2o.service" /run/systemd/system/
cat > /run/systemd/system/trio2o.service.d/test.conf <<CONF
[Unit]
DefaultDependencies=no
After=
Wants=
[Service]
Environment=TRIO2O_DEFAULT_AUTH_STRATEGY=noauth
CONF
exec env container=unshare /lib/systemd/systemd --system --unit=trio2o.service --log-target=console --log-level=warning
INNER
chmod +x "$work/inner.sh"
setsid unshare --fork --pid --mount --uts --ipc --net --propagation private --mount-proc "$work/inner.sh" > "$work/console.log" 2>&1 &
launcher=$!
# The systemd process is the child of unshare (PID 1 inside).
for _ in $(seq 100); do sd=$(pgrep -P "$launcher" -x systemd || true); [ -n "$sd" ] && break; sleep 0.05; done
[ -n "$sd" ] || { cat "$work/console.log"; echo "boot-test: systemd did not start" >&2; exit 1; }
ns() { nsenter -t "$sd" -m -p -n -u -i "$@"; }
state=""
for _ in $(seq 400); do
  state=$(ns systemctl is-active trio2o.service 2>/dev/null || true)
  [ "$state" = active ] || [ "$state" = failed ] && break
  sleep 0.05
done
ns systemctl status --no-pager trio2o.service || true
[ "$state" = active ] || { cat "$work/console.log"; echo "boot-test: unit is $state" >&2; exit 1; }
ns curl -fsS http://127.0.0.1:19998/healthcheck; echo
ns curl -fsS http://127.0.0.1:19996/metrics | grep -c '^trio2o_' | sed 's/^/metrics lines: /'
ns systemctl reload trio2o.service
# RELOADING=1 … READY=1 (sent by the SIGHUP handler) may still be in flight.
for _ in $(seq 100); do state=$(ns systemctl is-active trio2o.service || true); [ "$state" = active ] && break; sleep 0.05; done
echo "after reload: $state"
[ "$state" = active ]
ns curl -fsS http://127.0.0.1:19996/healthcheck; echo
ns systemctl stop trio2o.service
result=$(ns systemctl show -p Result -p ExecMainStatus trio2o.service | tr '\n' ' ')
echo "after stop: $result"
ns systemctl poweroff 2>/dev/null || true
wait "$launcher" 2>/dev/null || true
case "$result" in *"Result=success"*"ExecMainStatus=0"*|*"ExecMainStatus=0"*"Result=success"*) echo "boot-test: PASS";; *) echo "boot-test: FAIL" >&2; exit 1;; esac
