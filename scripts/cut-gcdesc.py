#!/usr/bin/env python3
# Cuts MethodTables with their GCDesc out of a built kernel image, for the host tests' golden data
# (tests/Kernel.HostTests/Gc/ImageGcDescData.cs). For each type named, prints the bytes from the start of its GCDesc
# (in front of the MethodTable) to 16 bytes into the MethodTable (flags, base size, related type), as hex, and how
# many of those bytes precede the MethodTable. Run after ./build.sh --target=BuildTestKernel:
#   scripts/cut-gcdesc.py artifacts/esp/test/EFI/BOOT/BOOTX64.EFI artifacts/native/test/BOOTX64.map \
#       Kernel_Testing_Kernel_Testing_GcTests_Holder '__Array<Object>' ...
# A MethodTable is the map's vtable symbol ??_7<name>@@6B@. The layout read here is ILC 10.0's (RUNTIME-NOTES A3):
# flags at +0 (0x01000000: has pointers), MT[-1] the series count; a positive count has 16-byte series below it,
# a negative count (arrays of structs with references) an 8-byte start offset and 8-byte items below it.
import struct
import sys

HAS_POINTERS = 0x01000000


def sections(image):
    pe = struct.unpack_from('<I', image, 0x3C)[0]
    count = struct.unpack_from('<H', image, pe + 6)[0]
    optional_size = struct.unpack_from('<H', image, pe + 20)[0]
    base = struct.unpack_from('<Q', image, pe + 24 + 24)[0]
    table = pe + 24 + optional_size
    result = []
    for i in range(count):
        entry = table + 40 * i
        virtual_size, rva, raw_size, raw_offset = struct.unpack_from('<IIII', image, entry + 8)
        result.append((rva, max(virtual_size, raw_size), raw_offset))
    return base, result


def read(image, base, secs, va, length):
    rva = va - base
    for start, size, offset in secs:
        if start <= rva and rva + length <= start + size:
            return image[offset + rva - start: offset + rva - start + length]
    raise SystemExit('address 0x%x (length %d) is in no section' % (va, length))


def main():
    if len(sys.argv) < 4:
        raise SystemExit(__doc__ or 'usage: cut-gcdesc.py IMAGE MAP TYPE...')
    image = open(sys.argv[1], 'rb').read()
    symbols = {}
    for line in open(sys.argv[2], encoding='latin-1'):
        parts = line.split()
        if len(parts) >= 3 and parts[1].startswith('??_7') and parts[1].endswith('@@6B@'):
            symbols[parts[1][4:-5]] = int(parts[2], 16)
    base, secs = sections(image)
    for name in sys.argv[3:]:
        if name not in symbols:
            raise SystemExit('no MethodTable symbol ??_7%s@@6B@ in the map' % name)
        mt = symbols[name]
        flags = struct.unpack('<I', read(image, base, secs, mt, 4))[0]
        before = 0
        if flags & HAS_POINTERS:
            series = struct.unpack('<q', read(image, base, secs, mt - 8, 8))[0]
            before = 8 + 16 * series if series > 0 else 16 + 8 * -series
        blob = read(image, base, secs, mt - before, before + 16)
        print('%s: %d bytes before the MethodTable: %s' % (name, before, blob.hex()))


if __name__ == '__main__':
    main()
