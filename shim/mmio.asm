; mmio.asm - memory-mapped I/O accesses as single instructions, so the compiler can neither merge, reorder nor
; drop them (device registers are not memory). ABI: Microsoft x64, see port_io.asm.

bits 64
default rel
section .text

global mmio_read8, mmio_read16, mmio_read32, mmio_write16, mmio_write32

; byte mmio_read8(ulong address)
mmio_read8:
    movzx eax, byte [rcx]
    ret

; ushort mmio_read16(ulong address)
mmio_read16:
    movzx eax, word [rcx]
    ret

; uint mmio_read32(ulong address)
mmio_read32:
    mov eax, [rcx]
    ret

; void mmio_write16(ulong address, ushort value)
mmio_write16:
    mov [rcx], dx
    ret

; void mmio_write32(ulong address, uint value)
mmio_write32:
    mov [rcx], edx
    ret
