; port_io.asm - x86 port I/O leaf routines (Intel SDM Vol. 1 §19.3).
;
; Every file in shim/ follows the Microsoft x64 calling convention, which is both the UEFI ABI and what ILC
; emits for --targetos:windows: arguments in rcx, rdx, r8, r9; result in rax; rax, rcx, rdx, r8-r11 and
; xmm0-xmm5 are scratch; everything else is preserved. The C# side of each routine is in kernel/Platform/Arch/Native.cs.

bits 64
default rel
section .text

global port_read8, port_write8, port_read16, port_write16, port_read32, port_write32

; byte port_read8(ushort port)
port_read8:
    mov dx, cx
    xor eax, eax
    in al, dx
    ret

; void port_write8(ushort port, byte value)
port_write8:
    mov eax, edx
    mov dx, cx
    out dx, al
    ret

; ushort port_read16(ushort port)
port_read16:
    mov dx, cx
    xor eax, eax
    in ax, dx
    ret

; void port_write16(ushort port, ushort value)
port_write16:
    mov eax, edx
    mov dx, cx
    out dx, ax
    ret

; uint port_read32(ushort port)
port_read32:
    mov dx, cx
    in eax, dx
    ret

; void port_write32(ushort port, uint value)
port_write32:
    mov eax, edx
    mov dx, cx
    out dx, eax
    ret
