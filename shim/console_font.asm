; console_font.asm - the console font, embedded at build time. The build decompresses a PSF font from
; Debian's console-setup-linux and passes its path as CONSOLE_FONT_FILE (kernel/NativeLink.targets);
; kernel/Console/PsfFont.cs parses and validates it. ABI: Microsoft x64, see port_io.asm.

bits 64
default rel

section .rdata align=16
font_start:
    incbin CONSOLE_FONT_FILE
font_end:

section .text
global console_font_data

; byte* console_font_data(int* sizeInBytes)
console_font_data:
    mov dword [rcx], font_end - font_start
    lea rax, [font_start]
    ret
