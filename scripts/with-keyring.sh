#!/usr/bin/env bash
# Runs a command inside a private D-Bus session with an unlocked gnome-keyring, so that
# `keyring` talks to a real Secret Service. Without those tools it runs the command as is.
set -euo pipefail
if command -v dbus-run-session >/dev/null 2>&1 && command -v gnome-keyring-daemon >/dev/null 2>&1 \
   && [[ -z "${GRIDCERT_IN_KEYRING_SESSION:-}" ]]; then
  exec dbus-run-session -- env GRIDCERT_IN_KEYRING_SESSION=1 bash -c '
    eval "$(printf "\n" | gnome-keyring-daemon --unlock --components=secrets 2>/dev/null)"
    export GNOME_KEYRING_CONTROL SSH_AUTH_SOCK 2>/dev/null || true
    exec "$@"' bash "$@" 2> >(grep -v "Failed to set fd limit" >&2)
fi
exec "$@"
