; atomic.asm - the locked read-modify-write instructions C# cannot emit without the BCL's Interlocked intrinsics
; (this kernel's corelib has none). Each is a full barrier on x86 (Intel SDM Vol. 3A §9.2.3.8: locked instructions
; are not reordered with loads or stores). ABI: Microsoft x64, see port_io.asm.

bits 64
default rel
section .text

global atomic_exchange32, atomic_compare_exchange32, atomic_fetch_add32, atomic_fetch_add64, atomic_compare_exchange64

; int atomic_exchange32(int* location, int value) - stores value, returns the old value
atomic_exchange32:
    mov eax, edx
    xchg [rcx], eax
    ret

; int atomic_compare_exchange32(int* location, int value, int comparand) - stores value if *location == comparand;
; returns the old value either way
atomic_compare_exchange32:
    mov eax, r8d
    lock cmpxchg [rcx], edx
    ret

; long atomic_compare_exchange64(long* location, long value, long comparand)
atomic_compare_exchange64:
    mov rax, r8
    lock cmpxchg [rcx], rdx
    ret

; int atomic_fetch_add32(int* location, int value) - adds, returns the old value
atomic_fetch_add32:
    mov eax, edx
    lock xadd [rcx], eax
    ret

; long atomic_fetch_add64(long* location, long value) - adds, returns the old value
atomic_fetch_add64:
    mov rax, rdx
    lock xadd [rcx], rax
    ret
