#!/usr/bin/env bash
# ONNX Runtime's providers on a GPU host, offline, in under 5 minutes: bare-model images/s at batch
# 1…256 for cpu, cuda and tensorrt, and the worker's scoring path (bench/gpu.ts). Prints one JSON
# line; writes gpu.json to $OUT when set, else bench/results/.
#
# Needs, done beforehand: `npm ci` and `npx turbo run build` (bench/gpu.ts runs with tsx), the
# model's model.onnx (shipped under models/), and ONNX Runtime's CUDA 12 providers beside its
# binding, which `npm ci` skips (.npmrc) and which need the network once:
#   (cd node_modules/onnxruntime-node && ONNXRUNTIME_NODE_INSTALL=cuda12 node script/install.js)
# Offline, ORT_PROVIDERS_DIR may name a folder holding libonnxruntime_providers_{shared,cuda,tensorrt}.so
# of the same ONNX Runtime version (1.30), e.g. a Python onnxruntime-gpu 1.30 wheel's onnxruntime/capi/.
# The host needs the NVIDIA driver, CUDA 12 and cuDNN 9 libraries on the loader path; TensorRT 10
# (libnvinfer) for the tensorrt provider. A provider that cannot start is reported unavailable
# with ONNX Runtime's reason, and the others are still measured.
set -euo pipefail
cd "$(dirname "$0")/.."

binding_dir="node_modules/onnxruntime-node/bin/napi-v6/linux/x64"
if [[ -n "${ORT_PROVIDERS_DIR:-}" ]]; then
  for lib in shared cuda tensorrt; do
    [[ -f "$ORT_PROVIDERS_DIR/libonnxruntime_providers_$lib.so" ]] && cp -n "$ORT_PROVIDERS_DIR/libonnxruntime_providers_$lib.so" "$binding_dir/"
  done
fi
if [[ ! -f "$binding_dir/libonnxruntime_providers_cuda.so" ]]; then
  echo "gpu.sh: no CUDA provider in $binding_dir: cuda and tensorrt will be reported unavailable (see the header of bench/gpu.sh)" >&2
fi

export GPU_NAME="${GPU_NAME:-$(nvidia-smi --query-gpu=name --format=csv,noheader 2>/dev/null | head -1 || true)}"
line="$(mktemp)"
if timeout 290 node --import tsx bench/gpu.ts "$@" >"$line"; then
  tail -1 "$line"
else
  # Stopped early (a TensorRT engine build can be slow): print what gpu.json holds so far.
  echo "gpu.sh: stopped before the end; printing the providers measured so far" >&2
  node -e 'console.log(JSON.stringify(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))))' "${OUT:-bench/results}/gpu.json"
fi
rm -f "$line"
