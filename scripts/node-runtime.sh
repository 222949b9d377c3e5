#!/usr/bin/env bash
# Puts a Node of the major in .nvmrc first on PATH, without touching the system's Node: when the
# machine's own `node` is older, the official build is fetched once from the npm registry (package
# node-<os>-<arch>) into .leukoflow/runtime/. Source it (`. scripts/node-runtime.sh`) to change the
# current shell's PATH, or run `scripts/node-runtime.sh <command…>` to run one command under it.

leukoflow_node_runtime() {
  local root major current os arch package dir tarball
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  major="$(tr -dc '0-9' <"$root/.nvmrc")"
  current="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
  ((current >= major)) && return 0

  case "$(uname -s)" in Linux) os=linux ;; Darwin) os=darwin ;; *) os=unsupported ;; esac
  case "$(uname -m)" in x86_64 | amd64) arch=x64 ;; aarch64 | arm64) arch=arm64 ;; *) arch=unsupported ;; esac
  if [[ "$os" == unsupported || "$arch" == unsupported ]]; then
    echo "node-runtime: Node $major is needed (this machine has $(node --version 2>/dev/null || echo none)) and there is no npm build of it for $(uname -sm); install Node $major" >&2
    return 1
  fi
  package="node-$os-$arch"
  dir="$root/.leukoflow/runtime/node-$major-$os-$arch"
  if [[ ! -x "$dir/bin/node" ]]; then
    echo "node-runtime: this machine has Node $current; fetching Node $major ($package@$major) from the npm registry into ${dir#"$root"/}" >&2
    local staging
    staging="$(mktemp -d)"
    tarball="$(cd "$staging" && npm pack --silent "$package@$major")" &&
      tar -xzf "$staging/$tarball" -C "$staging" &&
      mkdir -p "$(dirname "$dir")" && rm -rf "$dir" && mv "$staging/package" "$dir"
    local status=$?
    rm -rf "$staging"
    if ((status != 0)); then
      echo "node-runtime: could not fetch $package@$major from the npm registry; install Node $major and run again" >&2
      return 1
    fi
  fi
  export PATH="$dir/bin:$PATH"
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  set -euo pipefail
  leukoflow_node_runtime
  exec "$@"
else
  leukoflow_node_runtime
fi
