; cpu.asm - single-instruction CPU routines: halting, interrupt flag, control registers, descriptor tables,
; time stamp counter (Intel SDM Vol. 2). ABI: Microsoft x64, see port_io.asm.

bits 64
default rel
section .text

global cpu_halt, cpu_halt_forever, cpu_disable_interrupts, cpu_enable_interrupts, cpu_enable_interrupts_and_halt
global cpu_read_flags, cpu_read_cr0, cpu_read_cr2, cpu_read_cr3, cpu_read_cr4, cpu_read_cs
global cpu_load_idt, cpu_store_idt, cpu_read_tsc, cpu_breakpoint, cpu_pause, cpu_invalid_opcode
global cpu_write_cr0, cpu_write_cr3, cpu_invalidate_page, cpu_read_msr, cpu_write_msr, cpu_cpuid
global cpu_load_gdt, cpu_run_on_stack, cpu_load_task_register, cpu_raise_vector_64, cpu_load_data_segment
global cpu_read_xcr0, cpu_read_gs64

; void cpu_halt(void) - sleep until the next interrupt
cpu_halt:
    hlt
    ret

; void cpu_halt_forever(void) - interrupts off, then halt for good (NMIs resume the loop)
cpu_halt_forever:
    cli
.again:
    hlt
    jmp .again

; void cpu_disable_interrupts(void)
cpu_disable_interrupts:
    cli
    ret

; void cpu_enable_interrupts(void)
cpu_enable_interrupts:
    sti
    ret

; void cpu_enable_interrupts_and_halt(void) - sti takes effect after the next instruction, so no interrupt
; can slip in between enabling and halting
cpu_enable_interrupts_and_halt:
    sti
    hlt
    ret

; ulong cpu_read_flags(void) - RFLAGS
cpu_read_flags:
    pushfq
    pop rax
    ret

; ulong cpu_read_cr0(void)
cpu_read_cr0:
    mov rax, cr0
    ret

; ulong cpu_read_cr2(void) - the faulting address of the last page fault
cpu_read_cr2:
    mov rax, cr2
    ret

; ulong cpu_read_cr3(void)
cpu_read_cr3:
    mov rax, cr3
    ret

; void cpu_write_cr0(ulong value)
cpu_write_cr0:
    mov cr0, rcx
    ret

; void cpu_write_cr3(ulong value) - switch address space (flushes non-global TLB entries)
cpu_write_cr3:
    mov cr3, rcx
    ret

; void cpu_invalidate_page(ulong virtualAddress) - invlpg
cpu_invalidate_page:
    invlpg [rcx]
    ret

; ulong cpu_read_msr(uint msr)
cpu_read_msr:
    rdmsr
    shl rdx, 32
    or rax, rdx
    ret

; void cpu_write_msr(uint msr, ulong value)
cpu_write_msr:
    mov rax, rdx
    shr rdx, 32
    wrmsr
    ret

; void cpu_cpuid(uint leaf, uint subleaf, uint* eaxEbxEcxEdx) - rbx is callee-saved, so keep it
cpu_cpuid:
    push rbx
    mov r9, r8
    mov eax, ecx
    mov ecx, edx
    cpuid
    mov [r9], eax
    mov [r9 + 4], ebx
    mov [r9 + 8], ecx
    mov [r9 + 12], edx
    pop rbx
    ret

; void cpu_load_gdt(DescriptorTablePointer* pointer, ushort codeSelector, ushort dataSelector)
; Loads the GDT, reloads CS with a far return and the data segment registers with dataSelector.
cpu_load_gdt:
    lgdt [rcx]
    mov ax, r8w
    mov ds, ax
    mov es, ax
    mov ss, ax
    xor eax, eax
    mov fs, ax
    mov gs, ax
    pop rax                      ; our return address
    movzx rdx, dx
    push rdx                     ; new CS
    push rax                     ; return to the caller through the new CS
    retfq

; void cpu_load_task_register(ushort selector) - ltr: the TSS, and with it the IST stacks
cpu_load_task_register:
    ltr cx
    ret

; void cpu_raise_vector_64(void) - int 0x40, a vector nothing handles, for tests of the unexpected-vector panic
cpu_raise_vector_64:
    int 0x40
    ret

; void cpu_load_data_segment(ushort selector) - mov ds: with a selector past the GDT this raises #GP(selector),
; for tests of the selector error-code decoding
cpu_load_data_segment:
    mov ds, cx
    ret

; void cpu_run_on_stack(ulong stackTop, void (*entry)(void)) - switch rsp to a fresh stack and call entry,
; which must never return (there is nothing to return to)
cpu_run_on_stack:
    mov rsp, rcx
    and rsp, -16
    xor ebp, ebp
    sub rsp, 32                  ; shadow space; rsp stays 16-byte aligned at the call
    call rdx
.stuck:
    cli
    hlt
    jmp .stuck

; ulong cpu_read_cr4(void)
cpu_read_cr4:
    mov rax, cr4
    ret

; ulong cpu_read_xcr0(void) - the enabled XSAVE state components (only when CR4.OSXSAVE is set)
cpu_read_xcr0:
    xor ecx, ecx
    xgetbv
    shl rdx, 32
    or rax, rdx
    ret

; ulong cpu_read_gs64(ulong offset) - the quadword at offset in this CPU's GS segment (its per-CPU block)
cpu_read_gs64:
    mov rax, gs:[rcx]
    ret

; ushort cpu_read_cs(void) - the current code segment selector
cpu_read_cs:
    xor eax, eax
    mov ax, cs
    ret

; void cpu_load_idt(DescriptorTablePointer* pointer)
cpu_load_idt:
    lidt [rcx]
    ret

; void cpu_store_idt(DescriptorTablePointer* pointer)
cpu_store_idt:
    sidt [rcx]
    ret

; ulong cpu_read_tsc(void)
cpu_read_tsc:
    rdtsc
    shl rdx, 32
    or rax, rdx
    ret

; void cpu_breakpoint(void) - int3, for tests of the breakpoint handler
cpu_breakpoint:
    int3
    ret

; void cpu_pause(void) - spin-wait hint
cpu_pause:
    pause
    ret

; void cpu_invalid_opcode(void) - ud2, for tests of the invalid-opcode handler
cpu_invalid_opcode:
    ud2
    ret
