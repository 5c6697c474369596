; runtime_support.asm - what ILC-generated code expects from native code: the module list brackets, the
; interface dispatch stub, a by-ref reference copy with its special register contract, and the stack cookie.
; ABI: Microsoft x64, see port_io.asm. The C# halves live in corelib/Runtime.

bits 64
default rel

; ILC places a pointer to each module's ReadyToRun header in .modules$I; the linker sorts grouped sections
; by the text after '$', so these two land before and after it.
section .modules$A rdata align=8
global __modules_a
__modules_a: dq 0

section .modules$Z rdata align=8
global __modules_z
__modules_z: dq 0

section .data
; The stack-protector cookie ILC's prologues read. EfiMain stores a boot-time random value into it first
; thing (kernel/Boot/EfiEntry.cs) before any frame that uses it is entered.
global __security_cookie
__security_cookie: dq 0x2B992DDFA232

section .text
global RhpInitialDynamicInterfaceDispatch, RhpByRefAssignRef, runtime_module_bounds, runtime_seed_security_cookie
extern RuntimeResolveInterfaceDispatch

; void runtime_seed_security_cookie(ulong value) - call before entering any frame that checks the cookie
runtime_seed_security_cookie:
    mov [__security_cookie], rcx
    ret

; void runtime_module_bounds(void*** start, void*** end)
runtime_module_bounds:
    lea rax, [__modules_a]
    mov [rcx], rax
    lea rax, [__modules_z]
    mov [rdx], rax
    ret

; Interface call stub. Entered from `lea r11, [cell]; call [r11]` with the receiver in rcx and the call's
; arguments in rcx, rdx, r8, r9, xmm0-xmm3. Fast path: the cell caches (receiver MethodTable, target) once
; resolved (corelib/Runtime/InterfaceDispatch.cs, CacheEntry); otherwise ask the resolver, keeping arguments.
RhpInitialDynamicInterfaceDispatch:
    mov rax, [r11 + 8]
    test al, 3
    jnz .resolve
    mov r10, [rcx]
    cmp r10, [rax]
    jne .resolve
    jmp [rax + 8]
.resolve:
    push rcx
.pushed_rcx:
    push rdx
.pushed_rdx:
    push r8
.pushed_r8:
    push r9
.pushed_r9:
    sub rsp, 0x68                      ; 32 shadow + 64 for xmm0-3 + 8 to realign to 16
.allocated:
    movdqu [rsp + 0x20], xmm0
    movdqu [rsp + 0x30], xmm1
    movdqu [rsp + 0x40], xmm2
    movdqu [rsp + 0x50], xmm3
    mov rdx, r11
    call RuntimeResolveInterfaceDispatch
    movdqu xmm0, [rsp + 0x20]
    movdqu xmm1, [rsp + 0x30]
    movdqu xmm2, [rsp + 0x40]
    movdqu xmm3, [rsp + 0x50]
    add rsp, 0x68
    pop r9
    pop r8
    pop rdx
    pop rcx
    jmp rax
.end:

; The resolve path has a frame: its unwind record lets a stack walk (a panic's trace, an exception) cross it. The
; fast path above moves nothing and needs none. Format: Microsoft PE/COFF "x64 exception handling".
section .xdata rdata align=4
dispatch_resolve_unwind:
    db 1, RhpInitialDynamicInterfaceDispatch.allocated - RhpInitialDynamicInterfaceDispatch.resolve, 5, 0
    db RhpInitialDynamicInterfaceDispatch.allocated - RhpInitialDynamicInterfaceDispatch.resolve, 2 | (((0x68 - 8) / 8) << 4)  ; ALLOC_SMALL 0x68
    db RhpInitialDynamicInterfaceDispatch.pushed_r9 - RhpInitialDynamicInterfaceDispatch.resolve, 0 | (9 << 4)   ; PUSH_NONVOL r9
    db RhpInitialDynamicInterfaceDispatch.pushed_r8 - RhpInitialDynamicInterfaceDispatch.resolve, 0 | (8 << 4)   ; PUSH_NONVOL r8
    db RhpInitialDynamicInterfaceDispatch.pushed_rdx - RhpInitialDynamicInterfaceDispatch.resolve, 0 | (2 << 4)  ; PUSH_NONVOL rdx
    db RhpInitialDynamicInterfaceDispatch.pushed_rcx - RhpInitialDynamicInterfaceDispatch.resolve, 0 | (1 << 4)  ; PUSH_NONVOL rcx
section .pdata rdata align=4
    dd RhpInitialDynamicInterfaceDispatch.resolve wrt ..imagebase, RhpInitialDynamicInterfaceDispatch.end wrt ..imagebase, dispatch_resolve_unwind wrt ..imagebase
section .text

; Copies one object reference from [rsi] to [rdi] and advances both by 8 (used for struct copies).
; Its contract differs from the ABI: only rdi, rsi (advanced) and rcx (scratch) may change.
RhpByRefAssignRef:
    mov rcx, [rsi]
    mov [rdi], rcx
    add rdi, 8
    add rsi, 8
    ret
