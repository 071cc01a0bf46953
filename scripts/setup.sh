#!/usr/bin/env bash
# Installs every Debian package tandem needs to build, test and benchmark. Idempotent: installs only
# what is missing, with apt-get only. Runs apt-get through sudo when not root.
#
#   scripts/setup.sh            build + test dependencies (including the Lucene peer for compat tests)
#   scripts/setup.sh --minimal  only what building the tool needs
#   scripts/setup.sh --python   build + test dependencies, then build the Python module `tandem`
#                               (build/release) and install it where /usr/bin/python3 imports it
#                               (cmake --install --component python; PREFIX=/usr/local by default)
set -euo pipefail

build_packages=(
  g++ cmake ninja-build pkg-config
  libsimdjson-dev nlohmann-json3-dev libcli11-dev libfmt-dev
  libzstd-dev libxxhash-dev libicu-dev zlib1g-dev
  # sgemm for batched exact dense search and the BERT encoder, QR and SVD for LSA
  # (OpenBLAS 0.3.21 bundles LAPACK).
  libopenblas-dev
  # The Python module `tandem` (apps/python, docs/python.md) for Debian's python3, with numpy.
  pybind11-dev python3-dev python3-numpy
  # `tandem serve`: cpp-httplib 0.11 (a compiled library; its pkg-config file brings TLS/zlib/brotli).
  libcpp-httplib-dev
)
test_packages=(
  libgtest-dev libgmock-dev libbenchmark-dev
  # Baseline codec for bench/micro/posting_codec_bench (Stream VByte 0.4.1).
  libstreamvbyte-dev
  clang clang-format clang-tidy libclang-rt-14-dev
  python3 python3-numpy
  # Dense peers of bench/macro/dense_vs_peers.py (FAISS 1.7.3, hnswlib 0.6.2)
  python3-faiss python3-hnswlib
  # The Lucene 8.8 peer (Anserini's BM25 setup) that the compatibility tests compare against.
  openjdk-17-jdk-headless liblucene8-java libjackson2-core-java
  # The Python module's tests, and `tandem report`'s page rendered in headless Chromium.
  python3-pytest chromium fonts-dejavu-core
  # HTTP load generator of bench/macro/http_load.py.
  wrk
)

packages=("${build_packages[@]}")
if [[ "${1:-}" != "--minimal" ]]; then packages+=("${test_packages[@]}"); fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
sudo=()
if [[ $(id -u) -ne 0 ]]; then sudo=(sudo); fi
if ((${#missing[@]} == 0)); then
  echo "setup: all ${#packages[@]} packages are installed"
else
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq
  # --no-upgrade: never change the version of a package that is already there (e.g. the JDK).
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends --no-upgrade "${missing[@]}"
  echo "setup: done"
fi

if [[ "${1:-}" == "--python" ]]; then
  cd "$(dirname "$0")/.."
  cmake --preset release -DTANDEM_BUILD_PYTHON=ON >/dev/null
  cmake --build build/release -j "$(nproc)" --target tandem_python
  "${sudo[@]}" cmake --install build/release --component python
  /usr/bin/python3 -c 'import tandem; print("setup: Python module", tandem.__version__, "at", tandem.__file__)'
fi
