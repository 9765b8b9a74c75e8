#!/bin/sh
# Writes into player/ the asciinema-player that lockviz publish embeds in
# its web pages: the bundle's script and style sheet, its licence, and the
# version, from the npm registry. The argument picks a version (3.18.0);
# without one it is the newest the registry serves. Run it through
# go generate ./assets, from anywhere.
set -eu
cd "$(dirname "$0")"
version=${1:-latest}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
tgz=$(cd "$tmp" && npm pack --silent "asciinema-player@$version")
tar -xzf "$tmp/$tgz" -C "$tmp"
mkdir -p player
cp "$tmp/package/dist/bundle/asciinema-player.min.js" "$tmp/package/dist/bundle/asciinema-player.css" "$tmp/package/LICENSE" player/
chmod 644 player/*
# The tarball is named asciinema-player-VERSION.tgz.
v=${tgz#asciinema-player-}
echo "${v%.tgz}" >player/VERSION
