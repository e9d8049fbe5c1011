#!/usr/bin/env bash
# Builds netsensor-bpf-loader (the kernel attribution helper: netsensor.bpf.c compiled with clang, its
# libbpf skeleton, loader.c) into the capture jar's resources. Run by Maven in generate-resources.
#
# vmlinux.h is generated here from the build machine's BTF and never committed: CO-RE relocates the
# programs to whatever kernel the agent later runs on. Where a tool or the BTF is missing, this says so
# in one line and builds nothing, and the agent falls back to user-space attribution; with CI=true or
# NETSENSOR_REQUIRE_BPF=1 that is a build failure instead, so CI cannot silently lose the kernel path.
set -euo pipefail
SRC="$(cd "$(dirname "$0")" && pwd)"
WORK="${1:?usage: build.sh WORK_DIR RESOURCE_DIR}"
RES="${2:?usage: build.sh WORK_DIR RESOURCE_DIR}"
BTF="${NETSENSOR_BTF:-/sys/kernel/btf/vmlinux}"
ARCH="$(uname -m)"
case "$ARCH" in
  x86_64) TARGET_ARCH=x86 ;;
  aarch64) TARGET_ARCH=arm64 ;;
  *) TARGET_ARCH="" ;;
esac
required() { [[ "${CI:-}" == "true" || "${NETSENSOR_REQUIRE_BPF:-}" == "1" ]]; }
skip() {
  if required; then
    echo "[ERROR] kernel attribution helper: $1 (required: CI=true or NETSENSOR_REQUIRE_BPF=1)" >&2
    exit 1
  fi
  echo "[WARNING] kernel attribution helper not built: $1; the agent will use user-space attribution" >&2
  exit 0
}
[[ "$(uname -s)" == "Linux" ]] || skip "not Linux"
[[ -n "$TARGET_ARCH" ]] || skip "unsupported architecture $ARCH"
for tool in clang bpftool cc llvm-strip; do
  command -v "$tool" >/dev/null 2>&1 || skip "$tool not installed (Debian: clang llvm bpftool libbpf-dev libelf-dev zlib1g-dev)"
done
[[ -f /usr/include/bpf/libbpf.h ]] || skip "libbpf headers missing (Debian: libbpf-dev)"
[[ -r "$BTF" ]] || skip "no kernel BTF at $BTF"

mkdir -p "$WORK" "$RES"
OUT="$RES/netsensor-bpf-loader-$ARCH"
# Rebuild only when a source changed (or the BTF did: another kernel).
if [[ -x "$OUT" && "$OUT" -nt "$SRC/netsensor.bpf.c" && "$OUT" -nt "$SRC/loader.c" && "$OUT" -nt "$SRC/records.h" \
      && "$OUT" -nt "$SRC/build.sh" && -f "$WORK/vmlinux.h" && "$WORK/vmlinux.h" -nt "$BTF" ]]; then
  exit 0
fi
bpftool btf dump file "$BTF" format c > "$WORK/vmlinux.h.tmp" || skip "bpftool cannot read $BTF"
mv "$WORK/vmlinux.h.tmp" "$WORK/vmlinux.h"
clang -g -O2 -Wall -Wno-unused-function -target bpf -D__TARGET_ARCH_"$TARGET_ARCH" -I"$WORK" -I"$SRC" \
  -c "$SRC/netsensor.bpf.c" -o "$WORK/netsensor.bpf.o"
llvm-strip -g "$WORK/netsensor.bpf.o" # DWARF off, BTF kept: a smaller embedded object
bpftool gen skeleton "$WORK/netsensor.bpf.o" name netsensor > "$WORK/netsensor.skel.h"
# libbpf, libelf and zlib linked in: the helper needs only libc where the agent is installed.
LIBDIR="$(dirname "$(cc -print-file-name=libbpf.a)")"
if [[ -f "$LIBDIR/libbpf.a" && -f "$(cc -print-file-name=libelf.a)" && -f "$(cc -print-file-name=libz.a)" ]]; then
  LIBS=(-Wl,-Bstatic -lbpf -lelf -lz -Wl,-Bdynamic)
else
  LIBS=(-lbpf -lelf -lz)
fi
cc -O2 -Wall -Wextra -Wno-missing-field-initializers -Wno-parentheses -I"$WORK" -I"$SRC" "$SRC/loader.c" -o "$OUT.tmp" "${LIBS[@]}"
mv "$OUT.tmp" "$OUT"
echo "[INFO] kernel attribution helper built: $OUT" >&2
