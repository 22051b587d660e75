#!/bin/sh
# Installs every build, test and runtime dependency of wm on Debian 12 (idempotent, non-interactive).
set -eu
export DEBIAN_FRONTEND=noninteractive
PKGS="cmake g++ ninja-build pkg-config git ca-certificates curl
  libcli11-dev libyaml-cpp-dev libfmt-dev libgit2-dev libssh2-1-dev catch2
  libarchive-dev libssl-dev libseccomp-dev nlohmann-json3-dev zstd
  openssh-server openssh-client runit caddy bubblewrap iproute2 util-linux procps
  python3 python3-venv python3-pip python3-setuptools python3-wheel nodejs npm yarnpkg golang-go ruby ruby-webrick php-cli openjdk-17-jdk-headless
  wrk hyperfine jq clang-format clang libclang-rt-14-dev
  debootstrap apt-cacher-ng systemd-container"
# The ssh testbed starts its own apt-cacher-ng on its bridge address: no question at install time,
# and the package's own daemon (on every address, port 3142) must not run.
echo 'apt-cacher-ng apt-cacher-ng/tunnelenable boolean false' | debconf-set-selections
missing=""
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done
# nodejs may come from another origin (nodesource) and already provide npm
if command -v node >/dev/null 2>&1; then missing=$(echo "$missing" | tr ' ' '\n' | grep -vx -e nodejs -e npm | tr '\n' ' '); fi
if [ -n "$(echo "$missing" | tr -d ' ')" ]; then
  echo "install-deps: installing$missing"
  apt-get update -qq
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends $missing
else
  echo "install-deps: everything present"
fi
if [ -d /run/systemd/system ] && systemctl is-enabled --quiet apt-cacher-ng 2>/dev/null; then
  systemctl disable --now apt-cacher-ng
fi
