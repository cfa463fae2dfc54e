#!/usr/bin/env bash
# Consumer tests: install leadkit into a temporary prefix and build real
# consumers against it, as products and packagers would.
#   run.sh BUILD_DIR SOURCE_DIR WORK_DIR
set -euo pipefail
BUILD_DIR=$(cd "$1" && pwd)
SOURCE_DIR=$(cd "$2" && pwd)
WORK=$3
rm -rf "$WORK"
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
PREFIX="$WORK/prefix"

CMAKE_ARGS=(-DCMAKE_BUILD_TYPE=Release)
if command -v ccache >/dev/null; then
  CMAKE_ARGS+=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi
passed=0
failed=0
stage() {  # stage NAME COMMAND...: runs one stage, logs to $WORK/NAME.log
  local name=$1
  shift
  local log="$WORK/${name// /_}.log"
  if "$@" >"$log" 2>&1; then
    echo "consumer: $name ... ok"
    passed=$((passed + 1))
  else
    echo "consumer: $name ... FAILED (log: $log)"
    tail -30 "$log" | sed 's/^/    /'
    failed=$((failed + 1))
  fi
}
libdir_of() { if [[ -d "$1/lib64" && ! -d "$1/lib" ]]; then echo "$1/lib64"; else echo "$1/lib"; fi; }

cmake_project() {  # cmake_project SRC BIN PREFIX [extra args]: configure + build
  local src=$1 bin=$2 prefix=$3
  shift 3
  cmake -S "$src" -B "$bin" "${CMAKE_ARGS[@]}" -DCMAKE_PREFIX_PATH="$prefix" "$@" &&
    cmake --build "$bin" -j2
}

# 1. install the shared build that ctest is testing
stage "install" cmake --install "$BUILD_DIR" --prefix "$PREFIX"
LIBDIR=$(libdir_of "$PREFIX")

# 2. find_package from C and C++
fp() {
  cmake_project "$SOURCE_DIR/tests/consumer/find_package" "$WORK/find_package" "$PREFIX" &&
    "$WORK/find_package/consumer_c" && "$WORK/find_package/consumer_cpp"
}
stage "find_package C and C++" fp

# 3. a version the package must refuse (SameMajorVersion)
refuse() {
  mkdir -p "$WORK/refuse"
  printf 'cmake_minimum_required(VERSION 3.20)\nproject(r LANGUAGES C)\nfind_package(leadkit 99 CONFIG REQUIRED)\n' \
    >"$WORK/refuse/CMakeLists.txt"
  ! cmake -S "$WORK/refuse" -B "$WORK/refuse/build" -DCMAKE_PREFIX_PATH="$PREFIX"
}
stage "find_package refuses another major version" refuse

# 4. add_subdirectory of the source tree
sub() {
  cmake_project "$SOURCE_DIR/tests/consumer/add_subdirectory" "$WORK/add_subdirectory" "" \
    -DLEADKIT_SOURCE_DIR="$SOURCE_DIR" && "$WORK/add_subdirectory/consumer_sub"
}
stage "add_subdirectory" sub

# 5. pkg-config only
pc() {
  local flags
  flags=$(PKG_CONFIG_PATH="$LIBDIR/pkgconfig" pkg-config --cflags --libs leadkit)
  # shellcheck disable=SC2086
  cc -std=c11 -Wall -Werror "$SOURCE_DIR/tests/consumer/find_package/consumer.c" $flags -lm \
    -o "$WORK/pkgconfig_consumer" &&
    LD_LIBRARY_PATH="$LIBDIR" "$WORK/pkgconfig_consumer"
}
stage "pkg-config" pc

# 6. the examples, standalone against the installed package
ex() {
  cmake_project "$SOURCE_DIR/examples" "$WORK/examples" "$PREFIX" &&
    (cd "$WORK/examples" && ctest --output-on-failure)
}
stage "examples against the installed package" ex

# 7. the Conan test package's CMake project (conan itself is not installable here)
conan_tp() {
  cmake_project "$SOURCE_DIR/conan/test_package" "$WORK/conan_test_package" "$PREFIX" &&
    "$WORK/conan_test_package/test_package"
}
stage "conan test_package" conan_tp

# 8. a static build, installed and consumed through find_package
static() {
  cmake -S "$SOURCE_DIR" -B "$WORK/static-build" "${CMAKE_ARGS[@]}" -DBUILD_SHARED_LIBS=OFF \
    -DLEADKIT_BUILD_TESTS=OFF -DLEADKIT_BUILD_BENCHMARKS=OFF -DLEADKIT_BUILD_PYTHON=OFF \
    -DLEADKIT_BUILD_EXAMPLES=OFF &&
    cmake --build "$WORK/static-build" -j2 &&
    cmake --install "$WORK/static-build" --prefix "$WORK/static-prefix" &&
    cmake_project "$SOURCE_DIR/tests/consumer/find_package" "$WORK/find_package_static" \
      "$WORK/static-prefix" &&
    "$WORK/find_package_static/consumer_c" && "$WORK/find_package_static/consumer_cpp" &&
    ! ldd "$WORK/find_package_static/consumer_cpp" | grep -q libleadkit
}
stage "static library via find_package" static

echo "consumers: ${passed} passed, ${failed} failed"
[[ $failed -eq 0 ]]
