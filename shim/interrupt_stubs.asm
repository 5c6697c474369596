; interrupt_stubs.asm - entry stubs for the 256 IDT vectors (Intel SDM Vol. 3A §6.12).
;
; Each stub makes the stack uniform (a zero error code where the CPU pushes none, then the vector number)
; and jumps to one common routine, which saves every general-purpose register and the SSE state (ILC's code
; uses xmm registers freely), calls the C# dispatcher with a pointer to the saved frame, and returns with
; iretq. The saved layout is kernel/Platform/Arch/InterruptFrame.cs; keep the two in step.
; ABI towards C#: Microsoft x64, see port_io.asm.

bits 64
default rel

extern KernelInterruptDispatch

section .text

; Vectors for which the CPU pushes an error code (SDM Vol. 3A Table 6-1): #DF, #TS, #NP, #SS, #GP, #PF,
; #AC, #CP, #VC, #SX.
%macro STUB 1
interrupt_stub_%1:
%if %1 = 8 || (%1 >= 10 && %1 <= 14) || %1 = 17 || %1 = 21 || %1 = 29 || %1 = 30
%else
    push 0
%endif
    push %1
    jmp interrupt_common
    align 16
%endmacro

    align 16
%assign vector 0
%rep 256
    STUB vector
%assign vector vector + 1
%endrep

interrupt_common:
    push rax
    push rbx
    push rcx
    push rdx
    push rsi
    push rdi
    push rbp
    push r8
    push r9
    push r10
    push r11
    push r12
    push r13
    push r14
    push r15
    mov rbx, rsp                  ; rbx (preserved by the callee) keeps the frame pointer
    sub rsp, 512
    and rsp, -16                  ; fxsave needs a 16-byte aligned area
    fxsave [rsp]
    sub rsp, 32                   ; shadow space for the callee
    cld                           ; the ABI requires DF clear on calls
    mov rcx, rbx
    call KernelInterruptDispatch
    add rsp, 32
    fxrstor [rsp]
    mov rsp, rbx
    pop r15
    pop r14
    pop r13
    pop r12
    pop r11
    pop r10
    pop r9
    pop r8
    pop rbp
    pop rdi
    pop rsi
    pop rdx
    pop rcx
    pop rbx
    pop rax
    add rsp, 16                   ; vector and error code
    iretq

global interrupt_stub_table

; ulong* interrupt_stub_table(void) - the address of each vector's stub, indexed by vector
interrupt_stub_table:
    lea rax, [stub_addresses]
    ret

section .rdata align=8
stub_addresses:
%assign vector 0
%rep 256
    dq interrupt_stub_%[vector]
%assign vector vector + 1
%endrep
