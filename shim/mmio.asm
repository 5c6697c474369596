; mmio.asm - memory-mapped I/O accesses as single instructions, so the compiler can neither merge, reorder nor
; drop them (device registers are not memory). ABI: Microsoft x64, see port_io.asm.

bits 64
default rel
section .text

global mmio_read32, mmio_write32

; uint mmio_read32(ulong address)
mmio_read32:
    mov eax, [rcx]
    ret

; void mmio_write32(ulong address, uint value)
mmio_write32:
    mov [rcx], edx
    ret
