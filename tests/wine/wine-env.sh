# Sourced by the Wine test scripts: a private 64-bit prefix, no debug output, and no offer to
# install Mono or Gecko (they are never needed and would block a headless run).
# Usage: . wine-env.sh PREFIX
export WINEPREFIX="$1"
export WINEARCH=win64
export WINEDEBUG=-all
export WINEDLLOVERRIDES="mscoree,mshtml="
export DISPLAY=
command -v wine >/dev/null || { echo "wine is not installed (run scripts/install-deps)" >&2; exit 2; }
