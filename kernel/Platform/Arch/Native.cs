// Every routine the kernel calls in shim/, grouped by asm file. Each is a direct call (RuntimeImport): no
// marshalling, no GC transition. The class is internal to kernel/Platform, so the compiler keeps every other
// project on the typed wrappers (IoPort, ModelSpecificRegister, MmioRegion, Cpu, ...).
using System.Runtime;
using System.Runtime.CompilerServices;

namespace Kernel.Arch;

/// <summary>Bindings to the native leaf routines in shim/*.asm (Microsoft x64 ABI).</summary>
internal static unsafe class Native
{
    // shim/port_io.asm
    [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("port_read8")]
    internal static extern byte PortRead8(ushort port);

    [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("port_write8")]
    internal static extern void PortWrite8(ushort port, byte value);

    [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("port_read16")]
    internal static extern ushort PortRead16(ushort port);

    [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("port_write16")]
    internal static extern void PortWrite16(ushort port, ushort value);

    [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("port_read32")]
    internal static extern uint PortRead32(ushort port);

    [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("port_write32")]
    internal static extern void PortWrite32(ushort port, uint value);

    // shim/cpu.asm
    [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("cpu_halt")]
    internal static extern void Halt();

    [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("cpu_halt_forever")]
    internal static extern void HaltForever();

    [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("cpu_disable_interrupts")]
    internal static extern void DisableInterrupts();

    [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("cpu_enable_interrupts")]
    internal static extern void EnableInterrupts();

    [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("cpu_enable_interrupts_and_halt")]
    internal static extern void EnableInterruptsAndHalt();

    [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("cpu_read_flags")]
    internal static extern ulong ReadFlags();

    [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("cpu_read_cr0")]
    internal static extern ulong ReadCr0();

    [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("cpu_read_cr2")]
    internal static extern ulong ReadCr2();

    [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("cpu_read_cr3")]
    internal static extern ulong ReadCr3();

    [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("cpu_read_cr4")]
    internal static extern ulong ReadCr4();

    [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("cpu_write_cr0")]
    internal static extern void WriteCr0(ulong value);

    [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("cpu_write_cr3")]
    internal static extern void WriteCr3(ulong value);

    [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("cpu_invalidate_page")]
    internal static extern void InvalidatePage(ulong virtualAddress);

    [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("cpu_read_xcr0")]
    internal static extern ulong ReadXcr0();

    [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("cpu_read_gs64")]
    internal static extern ulong ReadGs64(ulong offset);

    [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("cpu_read_msr")]
    internal static extern ulong ReadMsr(uint msr);

    [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("cpu_write_msr")]
    internal static extern void WriteMsr(uint msr, ulong value);

    [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("cpu_cpuid")]
    internal static extern void CpuId(uint leaf, uint subleaf, uint* eaxEbxEcxEdx);

    [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("cpu_load_gdt")]
    internal static extern void LoadGdt(void* descriptorTablePointer, ushort codeSelector, ushort dataSelector);

    [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("cpu_load_task_register")]
    internal static extern void LoadTaskRegister(ushort selector);

    [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("cpu_raise_vector_64")]
    internal static extern void RaiseVector64();

    [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("cpu_load_data_segment")]
    internal static extern void LoadDataSegment(ushort selector);

    [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("cpu_run_on_stack")]
    internal static extern void RunOnStack(ulong stackTop, delegate*<void> entry);

    [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("cpu_read_cs")]
    internal static extern ushort ReadCs();

    [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("cpu_load_idt")]
    internal static extern void LoadIdt(void* descriptorTablePointer);

    [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("cpu_store_idt")]
    internal static extern void StoreIdt(void* descriptorTablePointer);

    [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("cpu_read_tsc")]
    internal static extern ulong ReadTimeStampCounter();

    [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("cpu_breakpoint")]
    internal static extern void Breakpoint();

    [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("cpu_pause")]
    internal static extern void Pause();

    [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("cpu_invalid_opcode")]
    internal static extern void InvalidOpcode();

    // shim/mmio.asm
    [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("mmio_read8")]
    internal static extern byte MmioRead8(ulong address);

    [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("mmio_read16")]
    internal static extern ushort MmioRead16(ulong address);

    [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("mmio_write16")]
    internal static extern void MmioWrite16(ulong address, ushort value);

    [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("mmio_read32")]
    internal static extern uint MmioRead32(ulong address);

    [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("mmio_write32")]
    internal static extern void MmioWrite32(ulong address, uint value);

    // shim/runtime_support.asm
    [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("runtime_seed_security_cookie")]
    internal static extern void SeedSecurityCookie(ulong value);

    [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("runtime_module_bounds")]
    internal static extern void ModuleBounds(void*** start, void*** end);

    // shim/interrupt_stubs.asm
    [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("interrupt_stub_table")]
    internal static extern ulong* InterruptStubTable();

    // shim/exceptions.asm (the throw entry points are called by ILC's code and the dispatcher, not from here)
    [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("unwind_capture_context")]
    internal static extern void CaptureContext(void* context);

    [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("exception_thunk_addresses")]
    internal static extern void ExceptionThunkAddresses(ulong* catchReturn, ulong* finallyReturn, ulong* hardwareThrow);

    [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("RhpCallCatchFunclet")]
    internal static extern void CallCatchFunclet(object exception, ulong funclet, void* frame, void* chainHead, void* chainAfterCatch);

    [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("RhpCallFinallyFunclet")]
    internal static extern void CallFinallyFunclet(ulong funclet, void* frame);

    [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("RhpCallFilterFunclet")]
    internal static extern int CallFilterFunclet(object exception, ulong funclet, void* frame);

    // shim/console_font.asm
    [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("console_font_data")]
    internal static extern byte* ConsoleFontData(int* sizeInBytes);

    // shim/gc.asm
    [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("gc_spill_registers")]
    internal static extern ulong SpillRegisters(ulong* buffer);

    // shim/ap_trampoline.asm
    [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("ap_trampoline_bounds")]
    internal static extern void ApTrampolineBounds(ulong* start, ulong* end);

    // shim/atomic.asm
    [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("atomic_exchange32")]
    internal static extern int AtomicExchange32(int* location, int value);

    [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("atomic_compare_exchange32")]
    internal static extern int AtomicCompareExchange32(int* location, int value, int comparand);

    [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("atomic_compare_exchange64")]
    internal static extern long AtomicCompareExchange64(long* location, long value, long comparand);

    [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("atomic_fetch_add32")]
    internal static extern int AtomicFetchAdd32(int* location, int value);

    [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("atomic_fetch_add64")]
    internal static extern long AtomicFetchAdd64(long* location, long value);
}
