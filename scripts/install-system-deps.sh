#!/usr/bin/env bash
# Installs the Debian packages GridCert's tests and wizard need, when any is missing.
# On other systems (or without root and sudo) it prints what to install and carries on.
set -euo pipefail

packages=(libnss3-tools openjdk-17-jre-headless xvfb xauth libxcb-icccm4 libxcb-keysyms1
  libxcb-cursor0 libxkbcommon-x11-0 libxcb-shape0 libxcb-randr0 libxcb-render-util0
  libxcb-image0 libxcb-xkb1 libegl1 libgl1 libfontconfig1 libdbus-1-3 gnome-keyring
  dbus-x11 nsis curl openssl binutils
  # The Windows installer run under Wine (tests/integration/test_installer_wine.py): the
  # NSIS stub is 32-bit (wine32, from the i386 architecture); mingw builds the stand-ins.
  wine wine64 wine32:i386 gcc-mingw-w64-x86-64)

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
  echo "install-system-deps: not a Debian-family system; install the equivalents of:" >&2
  echo "  ${packages[*]}" >&2
  exit 0
fi

missing=()
for package in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$package")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

if [[ $(id -u) -eq 0 ]]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  sudo=(sudo -n)
else
  echo "install-system-deps: please install: ${missing[*]}" >&2
  exit 0
fi
echo "install-system-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
if [[ " ${missing[*]} " == *":i386 "* ]] && ! dpkg --print-foreign-architectures | grep -qx i386; then
  "${sudo[@]}" dpkg --add-architecture i386
fi
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
