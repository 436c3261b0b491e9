# Shared by the project's scripts: where things are, and a virtualenv kept in step with
# pyproject.toml and constraints.txt (reinstalled only when either changes).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${CMC_VENV:-$ROOT/.venv}"
PY="${PYTHON:-python3}"
cd "$ROOT"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

ensure_venv() {
  local extras="$1" stamp="$VENV/.cmc-installed-$1"
  if [ ! -x "$VENV/bin/python" ]; then
    say "Creating the virtualenv in $VENV"
    "$PY" -m venv "$VENV"
  fi
  local want
  want="$(cat pyproject.toml constraints.txt | sha256sum | cut -c1-16)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    say "Installing Python packages ($extras)"
    "$VENV/bin/python" -m pip install -q --upgrade pip
    if [ "$extras" = "dev" ]; then
      "$VENV/bin/python" -m pip install -q -c constraints.txt -e ".[dev]"
    else
      "$VENV/bin/python" -m pip install -q -c constraints.txt -e .
    fi
    echo "$want" > "$stamp"
  fi
}

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "Needs root to run: $*" >&2; return 1; fi
}

ensure_debian_packages() {
  # The app needs fonts, Pango (WeasyPrint's PDF) and Cairo (the PNG pyramid); the tests also
  # need PostgreSQL, Chromium and poppler's pdftoppm (export pages looked at as pictures).
  local missing=()
  [ -d /usr/share/fonts/truetype/dejavu ] || missing+=(fonts-dejavu-core)
  ldconfig -p | grep -q 'libpangoft2-1.0.so.0' || missing+=(libpango-1.0-0 libpangoft2-1.0-0)
  ldconfig -p | grep -q 'libcairo.so.2' || missing+=(libcairo2)
  if [ "${1:-}" = "dev" ]; then
    ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
    command -v chromium >/dev/null 2>&1 || missing+=(chromium)
    command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
  fi
  if [ ${#missing[@]} -gt 0 ]; then
    say "Installing Debian packages: ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}
