#!/usr/bin/env bash
# Installs the servers and tools kiln's tests use, when they are missing: the Debian
# packages listed in .ci/debian-packages.sh (apt-get) and moto_server (pip, in a venv).
# `npm test` runs it first (the `pretest` script), and so does .ci/run. With everything
# present it only checks and prints nothing. As root on Debian it installs what is
# missing; otherwise it prints one line saying what to install and exits 1.
# KILN_SKIP_TEST_DEPS=1 skips the check (the tests that need a missing tool then fail).
set -euo pipefail
cd "$(dirname "$0")/.."

[[ "${KILN_SKIP_TEST_DEPS:-}" == 1 ]] && exit 0

# shellcheck source=../.ci/debian-packages.sh
source .ci/debian-packages.sh

# Where the moto venv goes; test/support/moto.ts looks for moto_server there too.
MOTO_VENV=/opt/kiln-moto
MOTO_REQUIREMENT='moto[server]==5.2.1'

# The packages of "$@" that dpkg does not list as installed, one per line.
not_installed() {
  local installed
  installed=$(dpkg-query -W -f='${Package} ${Status}\n' "$@" 2>/dev/null | awk '/install ok installed$/ { print $1 }' || true)
  for pkg in "$@"; do grep -qxF "$pkg" <<<"$installed" || echo "$pkg"; done
}

missing=()
if command -v dpkg-query >/dev/null; then
  mapfile -t missing < <(not_installed "${DEBIAN_PACKAGES[@]}")
else
  missing=("${DEBIAN_PACKAGES[@]}")
fi

have_moto() {
  command -v moto_server >/dev/null ||
    [[ -x "${PYENV_ROOT:-$HOME/.pyenv}/shims/moto_server" || -x "$MOTO_VENV/bin/moto_server" ]]
}
need_moto=0
have_moto || need_moto=1

((${#missing[@]} == 0 && need_moto == 0)) && exit 0

if [[ "$(id -u)" != 0 ]] || ! command -v apt-get >/dev/null; then
  todo=()
  ((${#missing[@]} > 0)) && todo+=("apt-get install ${missing[*]}")
  ((need_moto == 1)) && todo+=("pip install '$MOTO_REQUIREMENT'")
  todo_text=$(printf '%s; ' "${todo[@]}")
  echo "kiln tests: missing test dependencies: ${todo_text%; } (or run scripts/install-test-deps.sh as root on Debian 12; KILN_SKIP_TEST_DEPS=1 runs the tests without them)" >&2
  exit 1
fi

if ((need_moto == 1)); then
  # The venv needs python3-venv; install it with the rest.
  mapfile -t -O "${#missing[@]}" missing < <(not_installed python3 python3-venv)
fi
if ((${#missing[@]} > 0)); then
  echo "kiln tests: installing ${missing[*]} with apt-get" >&2
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
fi
if ((need_moto == 1)); then
  echo "kiln tests: installing $MOTO_REQUIREMENT with pip into $MOTO_VENV" >&2
  python3 -m venv "$MOTO_VENV"
  "$MOTO_VENV/bin/pip" install --quiet "$MOTO_REQUIREMENT"
fi
