#!/usr/bin/env bash
# make-image.sh ESP_DIR OUTPUT.img [SIZE_MIB]
# Builds a GPT disk image with one FAT32 EFI System Partition holding ESP_DIR, using Debian's gdisk
# (sgdisk), dosfstools (mkfs.fat) and mtools (mcopy). The result boots in QEMU+OVMF as a raw disk and can
# be written to a USB stick with dd.
set -euo pipefail

esp=${1:?usage: make-image.sh ESP_DIR OUTPUT.img [SIZE_MIB]}
out=${2:?usage: make-image.sh ESP_DIR OUTPUT.img [SIZE_MIB]}
size_mib=${3:-64}

[ -f "$esp/EFI/BOOT/BOOTX64.EFI" ] || { echo "make-image: $esp/EFI/BOOT/BOOTX64.EFI not found (build first)" >&2; exit 1; }

sector=512
first_sector=2048                      # the partition starts at 1 MiB, aligned for any medium
rm -f "$out"
truncate -s "${size_mib}M" "$out"
sgdisk --clear --new=1:${first_sector}:0 --typecode=1:ef00 --change-name=1:"EFI System Partition" "$out" >/dev/null
last_sector=$(sgdisk --info=1 "$out" | awk '/^Last sector:/ {print $3}')
sectors=$(( last_sector - first_sector + 1 ))

# The file system is made in a file of exactly the partition's size, filled, then placed at its offset.
partition=$(mktemp)
trap 'rm -f "$partition"' EXIT
truncate -s $(( sectors * sector )) "$partition"
# One sector per cluster keeps a small partition above FAT32's minimum cluster count.
mkfs.fat -F 32 -s 1 -n ESP "$partition" >/dev/null
mcopy -s -i "$partition" "$esp"/* ::/
dd if="$partition" of="$out" bs="$sector" seek="$first_sector" conv=notrunc status=none
echo "make-image: $out (${size_mib} MiB, GPT + FAT32 ESP)"
