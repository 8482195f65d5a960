#!/usr/bin/env bash
# Builds GridCert for the OS it runs on (what `make dist` runs), into dist/:
#   all:     dist/GridCert/  (onedir bundle; GridCert = wizard, the console CLI beside it)
#   Linux:   dist/gridcert.desktop, dist/GridCert-<version>-linux-<arch>.tar.gz
#   Windows: dist/GridCert-<version>-Setup.exe (NSIS; run from Git Bash, makensis on PATH)
#   macOS:   dist/GridCert.app and dist/GridCert-<version>-macos-<arch>.zip
# Optional code signing (never required): GRIDCERT_SIGN_COMMAND names a command that
# signs the file given as its last argument, e.g.
#   GRIDCERT_SIGN_COMMAND='signtool sign /fd SHA256 /tr http://timestamp.digicert.com /td SHA256 /a'
# It signs both executables, the uninstaller and the installer (Windows). On macOS set
# GRIDCERT_CODESIGN_IDENTITY for PyInstaller's codesign step instead.
set -euo pipefail
cd "$(dirname "$0")/.."

case "$(uname -s)" in
  Linux*) os=linux ;;
  Darwin*) os=macos ;;
  MINGW*|MSYS*|CYGWIN*) os=windows ;;
  *) echo "build.sh: unsupported system $(uname -s)" >&2; exit 2 ;;
esac

# shellcheck source=installer/python.sh
source installer/python.sh

version=$("$python" -c 'from app.__version__ import VERSION; print(VERSION)')
arch=$(uname -m)
case "$arch" in amd64) arch=x86_64 ;; aarch64) arch=arm64 ;; esac
echo "build.sh: GridCert $version for $os-$arch with $python" >&2

rm -rf dist/GridCert dist/GridCert.app build/pyinstaller
"$python" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath dist --workpath build/pyinstaller installer/gridcert.spec

sign() {
  if [[ -n "${GRIDCERT_SIGN_COMMAND:-}" ]]; then
    echo "build.sh: signing $1" >&2
    eval "$GRIDCERT_SIGN_COMMAND \"\$1\""
  fi
}

case "$os" in
linux)
  # A desktop entry for /opt/GridCert; install-desktop-entry.sh rewrites it for wherever
  # the user unpacked the tarball.
  cat > dist/gridcert.desktop <<EOF
[Desktop Entry]
Type=Application
Version=1.5
Name=GridCert
GenericName=Certificate Installer
Comment=Install, check, renew and move grid-operator certificates
Exec=/opt/GridCert/GridCert %F
TryExec=/opt/GridCert/GridCert
Icon=gridcert
Terminal=false
Categories=Utility;System;Security;
Keywords=certificate;pfx;p12;ERCOT;CAISO;
MimeType=application/x-pkcs12;application/pkix-cert;application/x-x509-ca-cert;application/x-pkcs7-certificates;application/x-pem-file;
StartupWMClass=GridCert
EOF
  cp dist/gridcert.desktop dist/GridCert/gridcert.desktop
  cat > dist/GridCert/install-desktop-entry.sh <<'EOF'
#!/bin/sh
# Adds GridCert to this user's application menu (and `gridcert` to ~/.local/bin),
# pointing at the folder this script is in. Undo: remove the files it names.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
data=${XDG_DATA_HOME:-$HOME/.local/share}
mkdir -p "$data/applications" "$HOME/.local/bin"
for size in 16 22 24 32 48 64 128 256 512; do
  icon="$here/_internal/resources/icons/app/gridcert-$size.png"
  [ -f "$icon" ] || continue
  mkdir -p "$data/icons/hicolor/${size}x${size}/apps"
  cp "$icon" "$data/icons/hicolor/${size}x${size}/apps/gridcert.png"
done
sed "s#/opt/GridCert#$here#g" "$here/gridcert.desktop" > "$data/applications/gridcert.desktop"
ln -sf "$here/gridcert" "$HOME/.local/bin/gridcert"
echo "GridCert added to the menu: $data/applications/gridcert.desktop"
echo "Command line: $HOME/.local/bin/gridcert"
EOF
  chmod 755 dist/GridCert/install-desktop-entry.sh
  tarball="dist/GridCert-$version-linux-$arch.tar.gz"
  tar -C dist --owner=0 --group=0 -czf "$tarball" GridCert
  echo "build.sh: wrote dist/GridCert/, dist/gridcert.desktop, $tarball" >&2
  ;;
windows)
  # See app/core/programs.py: GridCert.exe and gridcert.exe cannot share a folder on a
  # case-insensitive file system, so the CLI is built as gridcert-console.exe and renamed
  # gridcert.com (found first when one types `gridcert`).
  { read -r gui; read -r cli; read -r cli_build; } < <("$python" -m app.core.programs win32 | tr -d '\r')
  mv "dist/GridCert/$cli_build" "dist/GridCert/$cli"
  sign "dist/GridCert/$gui"
  sign "dist/GridCert/$cli"
  # The same script the Wine test compiles with (installer/windows/makensis.sh: the
  # defines, names and signing in one place).
  PYTHON=$python bash installer/windows/makensis.sh "$PWD/dist/GridCert" \
    "$PWD/dist/GridCert-$version-Setup.exe"
  echo "build.sh: wrote dist/GridCert/ and dist/GridCert-$version-Setup.exe" >&2
  ;;
macos)
  archive="dist/GridCert-$version-macos-$arch.zip"
  rm -f "$archive"
  ditto -c -k --sequesterRsrc --keepParent dist/GridCert.app "$archive"
  echo "build.sh: wrote dist/GridCert/, dist/GridCert.app and $archive" >&2
  ;;
esac
