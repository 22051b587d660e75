#!/bin/sh
# The first minute: install dependencies, build wm, copy an example app into a fresh git repo,
# `wm init` (when it has no widemesh.yaml) and `wm deploy` to the embedded local rack, then
# curl the URL wm printed (http://<app>-production.localhost:7480).
# Usage: scripts/quickstart.sh [example]   (default: node)
set -eu
cd "$(dirname "$0")/.."
ROOT="$PWD"
EXAMPLE="${1:-node}"
sh scripts/install-deps.sh
cmake -S . -B build -G Ninja
cmake --build build
WM="$ROOT/build/cli/wm"
"$WM" --version

APP=$(mktemp -d /tmp/wm-quickstart.XXXXXX)
cp -r "examples/$EXAMPLE/." "$APP/"
cd "$APP"
git init -q .
[ -f widemesh.yaml ] || "$WM" init
git add -A
git -c user.name=Quickstart -c user.email=quickstart@example.test commit -qm "quickstart"
"$WM" deploy | tee deploy.out
URL=$(grep -o 'http://[^ ]*' deploy.out | head -n 1)
echo "curl $URL"
curl -fsS "$URL/"
echo "The app runs from $APP; redeploy after a commit with: cd $APP && $WM deploy"
