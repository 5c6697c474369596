; exceptions.asm - the machine half of C# exceptions: the throw entry points ILC's code calls (RhpThrowEx,
; RhpRethrow), the entry a hardware fault is redirected to (RhpThrowHwEx), and the thunks that call a method's
; catch, finally and filter funclets. The dispatcher itself is C# (kernel/Platform/Exceptions/ExceptionDispatcher.cs).
;
; Each entry point saves the thrower's registers in a RegisterContext (kernel/Platform/Diagnostics/RegisterContext.cs;
; keep the CONTEXT_* offsets in step) and hands it to C#. Every routine that can be on the stack while managed code
; runs or unwinds has a hand-written .pdata/.xdata record (Microsoft PE/COFF "x64 exception handling"), so the
; unwinder walks across it like across a compiled method.
;
; Funclet contract (ILC 10 on x64): a funclet reaches its method's frame through the method's rbp; a catch funclet
; takes the exception in rcx and returns the address to resume at in rax; a filter returns nonzero in eax to catch;
; funclets save no callee-saved register, so the thunks save them all (xmm6-xmm15 included).
; ABI: Microsoft x64, see port_io.asm.

bits 64
default rel

extern RhThrowEx, RhRethrow, RhThrowHwEx

; RegisterContext: rax..r15 in encoding order, rip, padding, xmm6..xmm15.
%define CONTEXT_RBX 0x18
%define CONTEXT_RSP 0x20
%define CONTEXT_RBP 0x28
%define CONTEXT_RSI 0x30
%define CONTEXT_RDI 0x38
%define CONTEXT_R12 0x60
%define CONTEXT_R13 0x68
%define CONTEXT_R14 0x70
%define CONTEXT_R15 0x78
%define CONTEXT_RIP 0x80
%define CONTEXT_XMM6 0x90
%define CONTEXT_SIZE 0x130

; UNWIND_CODE operations and register numbers (PE/COFF "Unwind operation code").
%define UWOP_PUSH_NONVOL 0
%define UWOP_ALLOC_LARGE 1
%define UWOP_ALLOC_SMALL 2
%define UWOP_SET_FPREG 3
%define UWOP_SAVE_XMM128 8
%define REG_RCX 1
%define REG_RDX 2
%define REG_RBX 3
%define REG_RBP 5
%define REG_RSI 6
%define REG_RDI 7
%define REG_R8 8
%define REG_R9 9
%define REG_R12 12
%define REG_R13 13
%define REG_R14 14
%define REG_R15 15

; One unwind code: (end of the prolog instruction relative to the function, operation, info).
%macro UNWIND_CODE 4
    db (%2) - (%1), (%3) | ((%4) << 4)
%endmacro

; .pdata entry: function start, end, unwind record.
%macro PDATA 3
section .pdata rdata align=4
    dd %1 wrt ..imagebase, %2 wrt ..imagebase, %3 wrt ..imagebase
%endmacro

; ---------------------------------------------------------------------------------------------------------------
; The throw entry points share one frame: push rbp; mov rbp, rsp (the caller's return address at [rbp + 8], its
; stack pointer rbp + 16), then an aligned area holding the shadow space and the RegisterContext. Aligning by hand
; lets a fault redirected here from any stack alignment work; the frame register makes it unwindable anyway.
; THROW_FRAME_BYTES covers 32 bytes of shadow space and the context.
%define THROW_FRAME_BYTES (32 + CONTEXT_SIZE)

; Fills the context at [rsp + 32] with the caller's state.
%macro CAPTURE_CALLER 0
    mov rax, [rbp]
    mov [rsp + 32 + CONTEXT_RBP], rax
    mov rax, [rbp + 8]
    mov [rsp + 32 + CONTEXT_RIP], rax
    lea rax, [rbp + 16]
    mov [rsp + 32 + CONTEXT_RSP], rax
    mov [rsp + 32 + CONTEXT_RBX], rbx
    mov [rsp + 32 + CONTEXT_RSI], rsi
    mov [rsp + 32 + CONTEXT_RDI], rdi
    mov [rsp + 32 + CONTEXT_R12], r12
    mov [rsp + 32 + CONTEXT_R13], r13
    mov [rsp + 32 + CONTEXT_R14], r14
    mov [rsp + 32 + CONTEXT_R15], r15
%assign x 0
%rep 10
    movdqa [rsp + 32 + CONTEXT_XMM6 + x * 16], xmm %+ %eval(6 + x)
%assign x x + 1
%endrep
%endmacro

; The body of a throw entry point: frame, context, call C# with the context as the argument in register %1.
%macro THROW_ENTRY 3 ; name, context argument register, C# target
%1:
    push rbp
%1_pushed:
    mov rbp, rsp
%1_framed:
    and rsp, -16
    sub rsp, THROW_FRAME_BYTES
    CAPTURE_CALLER
    lea %2, [rsp + 32]
    call %3
    int3                          ; the dispatcher never returns: it resumes in a catch or panics
%1_end:
%endmacro

; Unwind record of a throw entry point: rbp is the frame register (offset 0).
%macro THROW_UNWIND 1
section .xdata rdata align=4
%1_unwind:
    db 1, %1_framed - %1, 2, REG_RBP
    UNWIND_CODE %1, %1_framed, UWOP_SET_FPREG, 0
    UNWIND_CODE %1, %1_pushed, UWOP_PUSH_NONVOL, REG_RBP
    PDATA %1, %1_end, %1_unwind
section .text
%endmacro

section .text
global RhpThrowEx, RhpRethrow, RhpThrowHwEx, RhpThrowHwExFrame
global RhpCallCatchFunclet, RhpCallFinallyFunclet, RhpCallFilterFunclet
global RhpCallCatchFunclet_ReturnAddress, RhpCallFinallyFunclet_ReturnAddress, RhpCallFilterFunclet_ReturnAddress
global unwind_capture_context, exception_thunk_addresses

; void RhpThrowEx(Exception exception) - `throw exception;` from ILC's code
THROW_ENTRY RhpThrowEx, rdx, RhThrowEx
THROW_UNWIND RhpThrowEx

; void RhpRethrow(void) - `throw;` inside a catch
THROW_ENTRY RhpRethrow, rcx, RhRethrow
THROW_UNWIND RhpRethrow

; Entered by iretq from a fault in managed code (kernel/Platform/Exceptions/HardwareFaults.cs sets the frame up):
; rsp is the faulting code's, rcx the fault kind, rdx the faulting instruction's address. Pushing that address
; makes the fault look like a call from the faulting instruction, so the frame below unwinds like RhpThrowEx's.
RhpThrowHwEx:
    push rdx
THROW_ENTRY RhpThrowHwExFrame, rdx, RhThrowHwEx
THROW_UNWIND RhpThrowHwExFrame

; ---------------------------------------------------------------------------------------------------------------
; The funclet thunks share one frame: the eight callee-saved registers pushed, then shadow space, xmm6-xmm15 and
; three slots for the thunk's arguments. The unwinder crosses it like a compiled frame; the dispatcher recognises
; a funclet's return into a thunk by the *_ReturnAddress labels (a collided unwind: an exception leaving a funclet).
%define FUNCLET_XMM 32
%define FUNCLET_SLOT0 (FUNCLET_XMM + 160)
%define FUNCLET_FRAME_BYTES (FUNCLET_SLOT0 + 24)   ; 8 pushes + this keep rsp 16-byte aligned at the call
%define FUNCLET_FIFTH_ARGUMENT (FUNCLET_FRAME_BYTES + 8 * 8 + 8 + 32)

%macro FUNCLET_PROLOG 1
%1:
    push rbx
%1_p1:
    push rbp
%1_p2:
    push rsi
%1_p3:
    push rdi
%1_p4:
    push r12
%1_p5:
    push r13
%1_p6:
    push r14
%1_p7:
    push r15
%1_p8:
    sub rsp, FUNCLET_FRAME_BYTES
%1_alloc:
%assign x 0
%rep 10
    movdqa [rsp + FUNCLET_XMM + x * 16], xmm %+ %eval(6 + x)
%1_x %+ x:
%assign x x + 1
%endrep
%endmacro

%macro FUNCLET_EPILOG 0
%assign x 0
%rep 10
    movdqa xmm %+ %eval(6 + x), [rsp + FUNCLET_XMM + x * 16]
%assign x x + 1
%endrep
    add rsp, FUNCLET_FRAME_BYTES
    pop r15
    pop r14
    pop r13
    pop r12
    pop rdi
    pop rsi
    pop rbp
    pop rbx
    ret
%endmacro

; Loads the method frame's callee-saved registers from the context at register %1 (the funclet needs its rbp).
%macro LOAD_FRAME_REGISTERS 1
    mov rbx, [%1 + CONTEXT_RBX]
    mov rbp, [%1 + CONTEXT_RBP]
    mov rsi, [%1 + CONTEXT_RSI]
    mov rdi, [%1 + CONTEXT_RDI]
    mov r12, [%1 + CONTEXT_R12]
    mov r13, [%1 + CONTEXT_R13]
    mov r14, [%1 + CONTEXT_R14]
    mov r15, [%1 + CONTEXT_R15]
%endmacro

%macro FUNCLET_UNWIND 2 ; name, end label
section .xdata rdata align=4
%1_unwind:
    db 1, %1_x9 - %1, 30, 0
%assign x 9
%rep 10
    UNWIND_CODE %1, %1_x %+ x, UWOP_SAVE_XMM128, 6 + x
    dw (FUNCLET_XMM + x * 16) / 16
%assign x x - 1
%endrep
    UNWIND_CODE %1, %1_alloc, UWOP_ALLOC_LARGE, 0
    dw FUNCLET_FRAME_BYTES / 8
    UNWIND_CODE %1, %1_p8, UWOP_PUSH_NONVOL, REG_R15
    UNWIND_CODE %1, %1_p7, UWOP_PUSH_NONVOL, REG_R14
    UNWIND_CODE %1, %1_p6, UWOP_PUSH_NONVOL, REG_R13
    UNWIND_CODE %1, %1_p5, UWOP_PUSH_NONVOL, REG_R12
    UNWIND_CODE %1, %1_p4, UWOP_PUSH_NONVOL, REG_RDI
    UNWIND_CODE %1, %1_p3, UWOP_PUSH_NONVOL, REG_RSI
    UNWIND_CODE %1, %1_p2, UWOP_PUSH_NONVOL, REG_RBP
    UNWIND_CODE %1, %1_p1, UWOP_PUSH_NONVOL, REG_RBX
    PDATA %1, %2, %1_unwind
section .text
%endmacro

; void RhpCallFinallyFunclet(void* funclet, RegisterContext* frame) - runs a finally or fault funclet of the
; method whose registers frame holds
FUNCLET_PROLOG RhpCallFinallyFunclet
    mov [rsp + FUNCLET_SLOT0], rdx
    LOAD_FRAME_REGISTERS rdx
    call rcx
RhpCallFinallyFunclet_ReturnAddress:
    FUNCLET_EPILOG
RhpCallFinallyFunclet_end:
FUNCLET_UNWIND RhpCallFinallyFunclet, RhpCallFinallyFunclet_end

; bool RhpCallFilterFunclet(Exception exception, void* funclet, RegisterContext* frame) - runs a filter; true to catch
FUNCLET_PROLOG RhpCallFilterFunclet
    mov [rsp + FUNCLET_SLOT0], r8
    LOAD_FRAME_REGISTERS r8
    call rdx
RhpCallFilterFunclet_ReturnAddress:
    test eax, eax
    setnz al
    movzx eax, al
    FUNCLET_EPILOG
RhpCallFilterFunclet_end:
FUNCLET_UNWIND RhpCallFilterFunclet, RhpCallFilterFunclet_end

; void RhpCallCatchFunclet(Exception exception, void* funclet, RegisterContext* frame, void** chainHead,
;                          void* chainAfterCatch) - runs a catch funclet, then sets *chainHead (the dispatcher's
; list of exceptions in flight) to chainAfterCatch and resumes the method at the address the funclet returned,
; with the frame's callee-saved registers and stack pointer. Never returns.
FUNCLET_PROLOG RhpCallCatchFunclet
    mov [rsp + FUNCLET_SLOT0], r8
    mov [rsp + FUNCLET_SLOT0 + 8], r9
    mov rax, [rsp + FUNCLET_FIFTH_ARGUMENT]
    mov [rsp + FUNCLET_SLOT0 + 16], rax
    LOAD_FRAME_REGISTERS r8
    call rdx
RhpCallCatchFunclet_ReturnAddress:
    mov r8, [rsp + FUNCLET_SLOT0]
    mov r9, [rsp + FUNCLET_SLOT0 + 8]
    mov r10, [rsp + FUNCLET_SLOT0 + 16]
    mov [r9], r10
    LOAD_FRAME_REGISTERS r8
%assign x 0
%rep 10
    movdqu xmm %+ %eval(6 + x), [r8 + CONTEXT_XMM6 + x * 16]
%assign x x + 1
%endrep
    mov rsp, [r8 + CONTEXT_RSP]
    jmp rax
RhpCallCatchFunclet_end:
FUNCLET_UNWIND RhpCallCatchFunclet, RhpCallCatchFunclet_end

; void unwind_capture_context(RegisterContext* context) - the caller's registers as they are at the call (its
; return address as RIP): where a stack walk of the running code starts. A leaf: it needs no unwind record.
unwind_capture_context:
    mov rax, [rsp]
    mov [rcx + CONTEXT_RIP], rax
    lea rax, [rsp + 8]
    mov [rcx + CONTEXT_RSP], rax
    mov [rcx + CONTEXT_RBX], rbx
    mov [rcx + CONTEXT_RBP], rbp
    mov [rcx + CONTEXT_RSI], rsi
    mov [rcx + CONTEXT_RDI], rdi
    mov [rcx + CONTEXT_R12], r12
    mov [rcx + CONTEXT_R13], r13
    mov [rcx + CONTEXT_R14], r14
    mov [rcx + CONTEXT_R15], r15
%assign x 0
%rep 10
    movdqu [rcx + CONTEXT_XMM6 + x * 16], xmm %+ %eval(6 + x)
%assign x x + 1
%endrep
    ret

; void exception_thunk_addresses(ulong* catchReturn, ulong* finallyReturn, ulong* hardwareThrow) - where a catch
; or finally funclet returns into its thunk (how the dispatcher recognises a collided unwind), and the entry a
; fault is redirected to
exception_thunk_addresses:
    lea rax, [RhpCallCatchFunclet_ReturnAddress]
    mov [rcx], rax
    lea rax, [RhpCallFinallyFunclet_ReturnAddress]
    mov [rdx], rax
    lea rax, [RhpThrowHwEx]
    mov [r8], rax
    ret
