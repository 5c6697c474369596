; ap_trampoline.asm - where an application processor starts after INIT-SIPI-SIPI (Intel SDM Vol. 3A §9.4.4.1, MP
; initialization; §10.8.5, initializing IA-32e mode). The boot CPU copies the bytes between ap_trampoline_start and
; ap_trampoline_end to a page below 1 MiB, fills the parameter block and sends the STARTUP IPI with that page's
; number: the AP begins in real mode at CS = page >> 4, IP = 0. It goes to 32-bit protected mode on the trampoline's
; own GDT, enables PAE, loads the kernel's page tables (the top-level table is below 4 GiB for this) and the boot
; CPU's EFER, CR0 and CR4 bits, enters 64-bit mode, restores PAT and XCR0, switches to its own stack and calls the
; C# entry with one argument - unless it is not the CPU the parameters are for (a late one), which halts. The code is position-independent: it finds its base from CS and patches its far
; pointers itself. ApTrampoline.cs writes the parameter block at the offsets below, and maps the page's identity
; address read-only and executable in the kernel's tables (the instruction fetch after paging is turned on).

bits 64
default rel
section .text

global ap_trampoline_bounds

; Parameter block offsets (keep in step with ApTrampoline.cs).
PARAM_CR3       equ 0x08    ; top-level page table (physical, below 4 GiB)
PARAM_CR4       equ 0x10    ; the boot CPU's CR4
PARAM_EFER      equ 0x18    ; EFER bits to set (LME, NXE)
PARAM_CR0       equ 0x20    ; the boot CPU's CR0 (PE, PG, WP, NE, MP, ...)
PARAM_PAT       equ 0x28    ; the boot CPU's IA32_PAT
PARAM_XCR0      equ 0x30    ; the boot CPU's XCR0 (used when CR4.OSXSAVE is set)
PARAM_STACK     equ 0x38    ; this AP's stack top (16-byte aligned, kernel virtual)
PARAM_ENTRY     equ 0x40    ; void entry(ulong argument), Microsoft x64 ABI
PARAM_ARGUMENT  equ 0x48    ; its argument, also written to GS base (the CPU's per-CPU block)
PARAM_APIC_ID   equ 0x50    ; the initial APIC ID (CPUID leaf 1, EBX 31:24) of the CPU these parameters are for

CR4_PAE         equ 1 << 5
CR4_PCIDE       equ 1 << 17
CR4_OSXSAVE     equ 1 << 18
MSR_EFER        equ 0xC0000080
MSR_PAT         equ 0x277
MSR_GS_BASE     equ 0xC0000101

; void ap_trampoline_bounds(ulong* start, ulong* end)
ap_trampoline_bounds:
    lea rax, [ap_trampoline_start]
    mov [rcx], rax
    lea rax, [ap_trampoline_end]
    mov [rdx], rax
    ret

align 16
ap_trampoline_start:
bits 16
    jmp near real_mode_entry      ; 3 bytes; the parameter block starts at 8
    align 8, db 0
    times 10 dq 0                ; the parameter block, 0x08..0x58

align 8, db 0
trampoline_gdt:                  ; null, 64-bit code (0x08), data (0x10), 32-bit code (0x18)
    dq 0
    dq 0x00AF9A000000FFFF
    dq 0x00CF92000000FFFF
    dq 0x00CF9A000000FFFF
trampoline_gdt_end:
gdt_pointer:
    dw trampoline_gdt_end - trampoline_gdt - 1
    dd 0                         ; base: patched below
far_to_protected:
    dd 0                         ; offset: patched below
    dw 0x18
far_to_long:
    dd 0
    dw 0x08

real_mode_entry:
    cli
    cld
    mov ax, cs
    mov ds, ax
    xor ebx, ebx
    mov bx, ax
    shl ebx, 4                   ; ebx = the trampoline's physical base, kept through the mode switches
    lea eax, [ebx + trampoline_gdt - ap_trampoline_start]
    mov [gdt_pointer - ap_trampoline_start + 2], eax
    lea eax, [ebx + protected_mode_entry - ap_trampoline_start]
    mov [far_to_protected - ap_trampoline_start], eax
    lea eax, [ebx + long_mode_entry - ap_trampoline_start]
    mov [far_to_long - ap_trampoline_start], eax
    o32 lgdt [gdt_pointer - ap_trampoline_start]
    mov eax, cr0
    or eax, 1                    ; PE
    mov cr0, eax
    jmp far dword [far_to_protected - ap_trampoline_start]

bits 32
protected_mode_entry:
    mov ax, 0x10
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov eax, [ebx + PARAM_CR4]
    and eax, ~CR4_PCIDE          ; PCIDE only in long mode
    or eax, CR4_PAE
    mov cr4, eax
    mov eax, [ebx + PARAM_CR3]
    mov cr3, eax
    mov ecx, MSR_EFER
    rdmsr
    or eax, [ebx + PARAM_EFER]   ; LME, and NXE before any NX bit is walked
    wrmsr
    mov eax, [ebx + PARAM_CR0]   ; PG on: IA-32e mode, compatibility submode until the far jump
    mov cr0, eax
    jmp far [ebx + far_to_long - ap_trampoline_start]

bits 64
long_mode_entry:
    mov ax, 0x10
    mov ds, ax
    mov es, ax
    mov ss, ax
    xor eax, eax
    mov fs, ax
    mov gs, ax
    mov ebx, ebx                 ; the upper halves are undefined after the switch
    mov ecx, MSR_PAT
    mov eax, [rbx + PARAM_PAT]
    mov edx, [rbx + PARAM_PAT + 4]
    wrmsr
    mov rax, [rbx + PARAM_CR4]
    mov cr4, rax
    test eax, CR4_OSXSAVE
    jz .no_xsave
    xor ecx, ecx
    mov eax, [rbx + PARAM_XCR0]
    mov edx, [rbx + PARAM_XCR0 + 4]
    xsetbv
.no_xsave:
    ; A CPU that answers after its timeout finds the parameters of the next one: it must not take that stack.
    mov r8, rbx
    mov eax, 1
    cpuid
    shr ebx, 24
    cmp ebx, [r8 + PARAM_APIC_ID]
    mov rbx, r8
    jne .stuck
    mov rsp, [rbx + PARAM_STACK]
    mov ecx, MSR_GS_BASE         ; the argument is the CPU's per-CPU block: GS points there from the first C# line
    mov eax, [rbx + PARAM_ARGUMENT]
    mov edx, [rbx + PARAM_ARGUMENT + 4]
    wrmsr
    xor ebp, ebp
    mov rcx, [rbx + PARAM_ARGUMENT]
    mov rax, [rbx + PARAM_ENTRY]
    sub rsp, 32                  ; shadow space; rsp is 16-byte aligned at the call
    call rax
.stuck:
    cli
    hlt
    jmp .stuck
ap_trampoline_end:
