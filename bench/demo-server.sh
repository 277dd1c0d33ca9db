# SPDX-License-Identifier: GPL-3.0-or-later
# Sourced by bench/fanout and bench/sync: builds the release build, starts
# turnout-server with the demo community on a fresh database under the
# build directory (CPU 0 when there are two CPUs or more) and signs in as
# the demo organizer. Sets: url, token, client_cpus (a taskset prefix for
# the measuring program, empty on one CPU). Stops the server on exit.

demo_server_start() {
  local build=$1 name=$2
  shift 2
  command -v curl >/dev/null || { echo "bench/$name: curl is missing (tools/install-deps)" >&2; exit 1; }
  if [ ! -d "$build" ]; then
    meson setup "$build" "$root" -Dbuildtype=release -Dgtk=disabled -Dtui=disabled -Dpostgres=disabled >/dev/null
  fi
  ninja -C "$build" server/turnout-server "$@" >/dev/null

  demo_tmp=$(mktemp -d "$build/$name.XXXXXX")
  demo_pid=
  trap 'if [ -n "$demo_pid" ]; then kill "$demo_pid" 2>/dev/null; wait "$demo_pid" 2>/dev/null; fi; rm -rf "$demo_tmp"' EXIT

  local server_cpus=()
  client_cpus=()
  if [ "$(nproc)" -ge 2 ] && command -v taskset >/dev/null; then
    server_cpus=(taskset -c 0)
    client_cpus=(taskset -c "1-$(($(nproc) - 1))")
  fi
  ulimit -n 4096 2>/dev/null || true
  "${server_cpus[@]}" "$build/server/turnout-server" serve --listen 127.0.0.1:0 --demo \
    --database "sqlite:$demo_tmp/demo.db" >"$demo_tmp/server.out" 2>"$demo_tmp/server.err" &
  demo_pid=$!
  url=
  for _ in $(seq 100); do
    url=$(sed -n 's/^Listening on \(http:[^ ]*\).*/\1/p' "$demo_tmp/server.out")
    [ -n "$url" ] && break
    sleep 0.1
  done
  [ -n "$url" ] || { cat "$demo_tmp/server.err" >&2; echo "bench/$name: the server did not start" >&2; exit 1; }

  token=$(curl -fsS -X POST -H 'Content-Type: application/json' \
    --data '{"email": "olivia@example.org", "password": "turnout-demo"}' "$url/api/v1/auth/login" |
    sed -n 's/.*"token" *: *"\([^"]*\)".*/\1/p')
  [ -n "$token" ] || { echo "bench/$name: cannot sign in as the demo organizer" >&2; exit 1; }
}
