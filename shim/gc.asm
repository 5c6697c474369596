; gc.asm - what the garbage collector needs from native code: the callee-saved registers spilled where a
; conservative stack scan sees them. ABI: Microsoft x64, see port_io.asm. The C# half is kernel/Platform/Gc.

bits 64
default rel

section .text

global gc_spill_registers

; ulong gc_spill_registers(ulong* buffer) - stores rbx, rbp, rsi, rdi, r12-r15 (in that order) into buffer[0..7]
; and returns the caller's rsp after the return. Volatile registers are dead across this call by the ABI, so these
; eight and the stack from the returned rsp up hold every reference the callers keep (RUNTIME-NOTES A2).
gc_spill_registers:
    mov [rcx], rbx
    mov [rcx + 8], rbp
    mov [rcx + 16], rsi
    mov [rcx + 24], rdi
    mov [rcx + 32], r12
    mov [rcx + 40], r13
    mov [rcx + 48], r14
    mov [rcx + 56], r15
    lea rax, [rsp + 8]
    ret
