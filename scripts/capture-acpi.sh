#!/usr/bin/env bash
# Captures QEMU's ACPI tables as host test data: boots the test kernel with the acpidump boot option on four
# machine configurations and keeps the "acpidump:" lines it prints on serial (format in kernel/Acpi/AcpiDump.cs).
#
# Usage: scripts/capture-acpi.sh [output directory]   (default tests/Kernel.HostTests/Acpi/Data)
# Needs the test ESP (dotnet build kernel/Boot/Kernel.csproj -c Test), qemu-system-x86_64, OVMF, mtools, dosfstools.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
esp="$repo/artifacts/esp/test"
out="${1:-$repo/tests/Kernel.HostTests/Acpi/Data}"
ovmf_code=/usr/share/OVMF/OVMF_CODE.fd
ovmf_vars=/usr/share/OVMF/OVMF_VARS.fd
timeout_seconds=60
# 64 MiB superfloppy, as tests/Kernel.BootTests/Harness/DiskImages.cs makes it.
image_kibibytes=65536

if [[ ! -f "$esp/EFI/BOOT/BOOTX64.EFI" ]]; then
    echo "capture-acpi: $esp/EFI/BOOT/BOOTX64.EFI is missing; run: dotnet build kernel/Boot/Kernel.csproj -c Test" >&2
    exit 1
fi
for tool in qemu-system-x86_64 mkfs.fat mcopy; do
    command -v "$tool" >/dev/null || { echo "capture-acpi: $tool not found" >&2; exit 1; }
done

work="$(mktemp -d)"
qemu_pid=""
cleanup() {
    if [[ -n "$qemu_pid" ]]; then kill "$qemu_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$out"

# Copy the ESP once so a kernel rebuild during the capture cannot mix files from two builds.
cp -r "$esp" "$work/esp"
printf '\n# added by scripts/capture-acpi.sh\nacpidump\n' >> "$work/esp/boot.cfg"

capture() {
    local machine="$1" cpus="$2" name="$3"
    local image="$work/$name.img" vars="$work/$name-vars.fd" log="$work/$name.log"
    rm -f "$image"
    mkfs.fat -C "$image" "$image_kibibytes" >/dev/null
    MTOOLS_SKIP_CHECK=1 mcopy -s -i "$image" "$work/esp"/* ::/
    cp "$ovmf_vars" "$vars"
    : > "$log"
    qemu-system-x86_64 -nodefaults -machine "$machine" -smp "$cpus" -m 256M -cpu max \
        -drive if=pflash,format=raw,readonly=on,file="$ovmf_code" \
        -drive if=pflash,format=raw,file="$vars" \
        -drive format=raw,file="$image" \
        -vga std -display none -serial stdio -monitor none -net none -no-reboot \
        > "$log" 2>&1 < /dev/null &
    qemu_pid=$!
    local waited=0
    while ! grep -q '^acpidump: end' "$log"; do
        if ! kill -0 "$qemu_pid" 2>/dev/null || (( waited >= timeout_seconds * 2 )); then
            break
        fi
        sleep 0.5
        waited=$((waited + 1))
    done
    kill "$qemu_pid" 2>/dev/null || true
    wait "$qemu_pid" 2>/dev/null || true
    qemu_pid=""
    if ! grep -q '^acpidump: end' "$log"; then
        echo "capture-acpi: $name: no 'acpidump: end' within ${timeout_seconds}s; serial log:" >&2
        tail -n 20 "$log" >&2
        return 1
    fi
    # Serial output ends lines with CR LF; keep only the dump lines, with LF endings.
    tr -d '\r' < "$log" | grep '^acpidump: ' > "$out/$name.txt"
    echo "capture-acpi: $name: $(grep -c '' "$out/$name.txt") lines -> $out/$name.txt"
}

status=0
capture q35 1 q35-1cpu || status=1
capture q35 4 q35-4cpu || status=1
capture pc 1 pc-1cpu || status=1
capture pc 4 pc-4cpu || status=1
exit "$status"
