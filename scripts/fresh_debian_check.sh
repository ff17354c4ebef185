#!/usr/bin/env bash
# README's first two commands, run exactly as written in a fresh Debian (bookworm, minbase,
# with only python3-venv and git added), in a clone of this repository with nothing beside it.
#
#   sudo scripts/fresh_debian_check.sh [REPOSITORY] [COMMIT]
#
# REPOSITORY: a path to a git repository (default: the one this script is in); COMMIT: what
# to check out (default: that repository's HEAD; uncommitted changes are not checked).
# The chroot is built once under $DEBROOT (default /tmp/debroot) with debootstrap and reused
# afterwards; the clone is made anew every run.  Prints each command's exit code; exits 0
# when both ran and the second (the tests) passed.  README says the first ends with 1 on the
# examples by design (two tasks in the 天桥区 sheet hold only a number), so 1 there is expected.
set -euo pipefail

REPO=$(cd "${1:-$(dirname "$0")/..}" && pwd)
COMMIT=$(git -C "$REPO" rev-parse "${2:-HEAD}")
ROOT=${DEBROOT:-/tmp/debroot}
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
WORK=/root/check/xltools                # inside the chroot: nothing beside it (no ../shared)

[ "$(id -u)" = 0 ] || { echo "run as root (debootstrap and chroot need it)" >&2; exit 2; }
case "$ROOT" in /|/tmp|/tmp/|"") echo "DEBROOT=$ROOT: give a folder of its own" >&2; exit 2;; esac

# ---- the chroot: built once, reused
if [ ! -x "$ROOT/usr/bin/python3" ] || [ ! -x "$ROOT/usr/bin/git" ]; then
  if ! command -v debootstrap >/dev/null 2>&1; then
    echo "== installing debootstrap"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
  fi
  echo "== debootstrap bookworm (minbase + python3-venv, git) into $ROOT"
  rm -rf "$ROOT"
  debootstrap --variant=minbase --include=python3-venv,git bookworm "$ROOT" "$MIRROR" >"$ROOT.log" 2>&1 \
    || { echo "debootstrap failed: see $ROOT.log" >&2; exit 2; }
else
  echo "== reusing the chroot in $ROOT"
fi
cp -L /etc/resolv.conf "$ROOT/etc/resolv.conf"          # pip reaches the package index
# On a network whose proxy signs TLS with its own authority (trusted by the host through
# /usr/local/share/ca-certificates), the chroot trusts it too, as a container there would.
if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
  mkdir -p "$ROOT/usr/local/share/ca-certificates"
  cp /usr/local/share/ca-certificates/*.crt "$ROOT/usr/local/share/ca-certificates/"
  chroot "$ROOT" /usr/sbin/update-ca-certificates >/dev/null 2>&1 || true
fi

# ---- /proc, /dev and /dev/shm for the processes inside, undone on every exit
mounted=()
cleanup() {
  local i
  for (( i=${#mounted[@]}-1; i>=0; i-- )); do umount -l "${mounted[$i]}" 2>/dev/null || true; done
}
trap cleanup EXIT
mount -t proc proc "$ROOT/proc" && mounted+=("$ROOT/proc")
mount --bind /dev "$ROOT/dev" && mounted+=("$ROOT/dev")
mount -t tmpfs shm "$ROOT/dev/shm" && mounted+=("$ROOT/dev/shm")

# ---- a fresh clone of the commit, made by the chroot's own git
rm -rf "$ROOT/root/check" "$ROOT/root/repo.git"
mkdir -p "$ROOT/root/check"
git clone --quiet --bare --no-local "$REPO" "$ROOT/root/repo.git"
git -C "$ROOT/root/repo.git" fetch --quiet "$REPO" "$COMMIT" 2>/dev/null || true   # a commit on no branch
chroot "$ROOT" /usr/bin/env -i HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  sh -c "git clone --quiet /root/repo.git $WORK && cd $WORK && git -c advice.detachedHead=false checkout --quiet $COMMIT"
rm -rf "$ROOT/root/repo.git"
echo "== $(cat "$ROOT/etc/debian_version") · $(chroot "$ROOT" python3 --version) · commit $(git -C "$REPO" log -1 --format='%h %s' "$COMMIT" | cut -c1-70)"

# ---- README's first two commands: the first code block's first two command lines, as written
mapfile -t commands < <(awk '/^```/ { if (inside) exit; inside = 1; next }
                             inside && NF && $1 !~ /^#/ { print }' "$ROOT$WORK/README.md" | head -n 2)
[ ${#commands[@]} = 2 ] || { echo "README.md: no two commands in its first code block" >&2; exit 2; }

codes=()
for i in 0 1; do
  echo "== command $((i + 1)): ${commands[$i]}"
  set +e
  # a login-less shell with the environment of a fresh container: HOME and PATH only
  chroot "$ROOT" /usr/bin/env -i HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    bash -c "cd $WORK && ${commands[$i]}" 2>&1 | tail -n "${TAIL:-25}"
  codes+=("${PIPESTATUS[0]}")
  set -e
  echo "== command $((i + 1)) exit code: ${codes[$i]}"
done

echo "== exit codes: first ${codes[0]} (README: 1 on the examples, by design), second ${codes[1]}"
[ "${codes[0]}" -le 1 ] && [ "${codes[1]}" = 0 ]
