#!/usr/bin/env bash
# Checks a built Linux bundle (dist/GridCert/, from `make dist`); `.ci/run` runs it.
#  1. `gridcert --version` from the bundle says the source's version;
#  2. `gridcert inspect --json` (PEM, DER, a password-protected .pfx, a .zip) and
#     `gridcert targets --json` print the same JSON from the bundle as from source, and
#     `gridcert install` into a real NSS database works from the bundle (`list` agrees),
#     and the bundle's keyring reaches a real Secret Service;
#  3. `GridCert --smoke` paints the first wizard page and exits 0, offscreen and, when
#     xvfb-run is there, on a real X server through the xcb plugin;
#  4. the NSIS script compiles (installer/windows/makensis.sh, -WX) against this bundle's
#     layout (running it is tests/integration/test_installer_wine.py's job);
#  5. the bundle is within its size budget (onedir <= 130 MB).
# Any failure exits non-zero with a line saying which check failed.
set -euo pipefail
cd "$(dirname "$0")/.."

bundle=dist/GridCert
python=${PYTHON:-.venv/bin/python}
# Absolute, without resolving the venv's symlink (that would leave the venv).
[[ $python == */* ]] && python=$(cd "$(dirname "$python")" && pwd)/$(basename "$python")
budget_mb=130
fail() { echo "check_dist: FAILED: $*" >&2; exit 1; }
ok() { echo "check_dist: ok: $*" >&2; }

[[ -x $bundle/gridcert && -x $bundle/GridCert ]] || fail "$bundle/gridcert and $bundle/GridCert must exist (run make dist)"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Nothing here may touch the real user's stores or data.
export HOME=$work/home XDG_CONFIG_HOME=$work/home/.config XDG_DATA_HOME=$work/home/.local/share
export XDG_CACHE_HOME=$work/home/.cache GRIDCERT_DATA_DIR=$work/data GRIDCERT_LINUX_ROOT=$work/root
mkdir -p "$HOME" "$GRIDCERT_DATA_DIR" "$GRIDCERT_LINUX_ROOT"

# 1. version ------------------------------------------------------------------------
expected=$("$python" -m app --version)
actual=$("$bundle/gridcert" --version 2>"$work/stderr") || fail "gridcert --version exited $?: $(cat "$work/stderr")"
[[ "$actual" == "$expected" ]] || fail "bundle says '$actual', source says '$expected'"
[[ ! -s "$work/stderr" ]] || fail "gridcert --version wrote to stderr: $(cat "$work/stderr")"
ok "gridcert --version: $actual"

# 2. the same JSON from bundle and source ---------------------------------------------
command -v openssl >/dev/null || fail "openssl is needed to make the fixtures"
fixtures=$work/fixtures
mkdir -p "$fixtures"
(
  cd "$fixtures"
  openssl req -x509 -newkey rsa:2048 -nodes -keyout root.key -out root.pem -days 3650 \
    -subj "/O=GridCert CI/CN=GridCert CI Root" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -keyout leaf.key -out leaf.csr \
    -subj "/O=GridCert CI/CN=Jane Operator" 2>/dev/null
  printf 'basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth\n' > leaf.ext
  openssl x509 -req -in leaf.csr -CA root.pem -CAkey root.key -CAcreateserial -days 365 \
    -extfile leaf.ext -out leaf.pem 2>/dev/null
  openssl x509 -in root.pem -outform DER -out root.der
  GRIDCERT_CI_PW=ci-Pa55word openssl pkcs12 -export -inkey leaf.key -in leaf.pem \
    -certfile root.pem -out leaf.pfx -passout env:GRIDCERT_CI_PW
  "$python" -c 'import zipfile; z = zipfile.ZipFile("roots.zip", "w"); z.write("root.pem"); z.writestr("README.txt", "install me"); z.close()'
) || fail "could not make the openssl fixtures"
export GRIDCERT_CI_PW=ci-Pa55word
inspect_args=(inspect "$fixtures/root.pem" "$fixtures/root.der" "$fixtures/leaf.pfx"
              "$fixtures/roots.zip" --password-env GRIDCERT_CI_PW --json)
"$python" -m app "${inspect_args[@]}" > "$work/source.json" || fail "inspect from source exited $?"
"$bundle/gridcert" "${inspect_args[@]}" > "$work/bundle.json" || fail "inspect from the bundle exited $?"
"$python" - "$work/source.json" <<'EOF' || fail "inspect --json from source is not the expected document"
import json, sys
doc = json.load(open(sys.argv[1]))
roles = sorted(item["role"] for item in doc["items"])
assert doc["errors"] == [], doc["errors"]
assert roles.count("root") >= 3 and "end-entity" in roles, roles
assert any(item["has_private_key"] for item in doc["items"])
EOF
cmp -s "$work/source.json" "$work/bundle.json" || {
  diff -u "$work/source.json" "$work/bundle.json" >&2 || true
  fail "gridcert inspect --json differs between the bundle and source"
}
ok "gridcert inspect --json: identical from bundle and source ($(grep -c '"sha256"' "$work/bundle.json") certificates)"

"$python" -m app targets --json > "$work/targets-source.json" || fail "targets from source exited $?"
"$bundle/gridcert" targets --json > "$work/targets-bundle.json" || fail "targets from the bundle exited $?"
cmp -s "$work/targets-source.json" "$work/targets-bundle.json" || {
  diff -u "$work/targets-source.json" "$work/targets-bundle.json" >&2 || true
  fail "gridcert targets --json differs between the bundle and source"
}
ok "gridcert targets --json: identical from bundle and source"

# A real store change from the bundle: the frozen CLI drives the system's certutil (which
# must not pick up the bundle's libraries) and the result reads back the same from source.
if command -v certutil >/dev/null; then
  nssdb=$work/nssdb
  mkdir -p "$nssdb"
  certutil -N -d "sql:$nssdb" --empty-password || fail "certutil could not create a test database"
  "$bundle/gridcert" install "$fixtures/root.pem" --target "nss:$nssdb" --yes --json \
    > "$work/install.json" 2>"$work/install.err" \
    || fail "gridcert install into an NSS database from the bundle exited $?: $(cat "$work/install.err")"
  certutil -L -d "sql:$nssdb" | grep -q "GridCert CI Root" \
    || fail "the root installed from the bundle is not in the NSS database"
  "$python" -m app list --target "nss:$nssdb" --json > "$work/list-source.json" \
    || fail "list from source exited $?"
  "$bundle/gridcert" list --target "nss:$nssdb" --json > "$work/list-bundle.json" \
    || fail "list from the bundle exited $?"
  cmp -s "$work/list-source.json" "$work/list-bundle.json" || {
    diff -u "$work/list-source.json" "$work/list-bundle.json" >&2 || true
    fail "gridcert list --json differs between the bundle and source"
  }
  ok "gridcert install/list with a real NSS database from the bundle"
elif [[ "${CI:-}" == true ]]; then
  fail "certutil is not installed (Debian package libnss3-tools)"
fi

# keyring inside the bundle: its backends are found through package metadata, which a
# frozen program only has if the spec collected it. A real Secret Service (gnome-keyring in
# a private D-Bus session) must take the new request's key passphrase.
if command -v dbus-run-session >/dev/null && command -v gnome-keyring-daemon >/dev/null; then
  bash scripts/with-keyring.sh "$bundle/gridcert" request --subject "CN=GridCert CI,O=GridCert" \
    --out "$work/ci.csr" --json > "$work/request.json" 2>"$work/request.err" \
    || fail "gridcert request from the bundle exited $?: $(cat "$work/request.err")"
  grep -q '"passphrase_in_keyring": true' "$work/request.json" \
    || fail "the bundle's keyring did not reach the Secret Service: $(cat "$work/request.json")"
  ok "gridcert request from the bundle kept its key passphrase in a real Secret Service"
elif [[ "${CI:-}" == true ]]; then
  fail "dbus-run-session and gnome-keyring-daemon are needed (Debian packages dbus, gnome-keyring)"
fi

# 3. the wizard starts and paints its first page ---------------------------------------
QT_QPA_PLATFORM=offscreen timeout 60 "$bundle/GridCert" --smoke 2>"$work/smoke.err" \
  || fail "GridCert --smoke (offscreen) exited $?: $(cat "$work/smoke.err")"
ok "GridCert --smoke (offscreen) exited 0"
if command -v xvfb-run >/dev/null; then
  # The real X11 path: proves the bundled xcb plugin and its libraries load.
  timeout 90 xvfb-run -a -s "-screen 0 1280x800x24" env QT_QPA_PLATFORM=xcb \
    "$bundle/GridCert" --smoke 2>"$work/xcb.err" \
    || fail "GridCert --smoke under Xvfb (xcb) exited $?: $(cat "$work/xcb.err")"
  ok "GridCert --smoke under Xvfb (xcb) exited 0"
elif [[ "${CI:-}" == true ]]; then
  fail "xvfb-run is not installed (Debian package xvfb)"
fi

# 4. the Windows installer script compiles against this layout --------------------------
if command -v makensis >/dev/null; then
  # The same script installer/build.sh uses on Windows, with this bundle's (Linux) names.
  GRIDCERT_NSIS_PROGRAMS=linux PYTHON=$python bash installer/windows/makensis.sh \
    "$PWD/$bundle" "$work/GridCert-check-Setup.exe" > "$work/nsis.log" 2>&1 \
    || { cat "$work/nsis.log" >&2; fail "makensis could not compile installer/windows/gridcert.nsi"; }
  ok "makensis compiled installer/windows/gridcert.nsi ($(du -h "$work/GridCert-check-Setup.exe" | cut -f1))"
elif [[ "${CI:-}" == true ]]; then
  fail "makensis is not installed (Debian package nsis)"
fi

# 5. size budget ---------------------------------------------------------------------------
size_mb=$(du -sm "$bundle" | cut -f1)
(( size_mb <= budget_mb )) || fail "the bundle is $size_mb MB, over the $budget_mb MB budget"
ok "bundle size $size_mb MB (budget $budget_mb MB), $(find "$bundle" -type f | wc -l) files"
ok "Qt modules: $(cd "$bundle/_internal/PySide6" && ls Qt*.so 2>/dev/null | sed 's/\..*//' | tr '\n' ' ')"
ok "Qt plugins: $(cd "$bundle/_internal/PySide6/Qt/plugins" && find . -type f | sed 's|^\./||' | sort | tr '\n' ' ')"
[[ -f dist/gridcert.desktop ]] || fail "dist/gridcert.desktop is missing"
ls dist/GridCert-*-linux-*.tar.gz >/dev/null 2>&1 || fail "the Linux tarball is missing"
ok "dist/gridcert.desktop and $(ls dist/GridCert-*-linux-*.tar.gz) present"
