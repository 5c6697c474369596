#if KERNEL_TESTS
// Every in-kernel test, by name. Names are group.test; the host's boot tests run groups and single tests by these
// (tests/Kernel.BootTests reads this file). Where each chapter's tests live:
//   runtime.*     RuntimeTests.cs    the corelib and runtime (objects, casts, interfaces, delegates, statics)
//   boot.*        BootTests.cs       what the firmware phase gathered (memory map, options, symbols, ACPI, image)
//   console.*     ConsoleTests.cs    kernel/Console (screen mode, font, drawn pixels, the text grid)
//   interrupts.*  ExceptionTests.cs  kernel/Interrupts exceptions, and InterruptTests.cs for controllers and timer
//   heap.*        HeapTests.cs       kernel/Platform/Heap (run once per heap= design)
//   gc.*          GcTests.cs         kernel/Platform/Gc (run per heap design and gc= mode, and under gcstress)
//   tasks.*       TaskTests.cs       kernel/Tasks (executor, results, wakes, delays, allocation per await, faults)
//   acpi.*        AcpiTests.cs       kernel/Acpi
//   memory.*      MemoryTests.cs     kernel/Platform/Memory (own page tables, W^X, direct map, frame allocator),
//                 FirmwareSpaceTests.cs  no W+X page, runtime services in their own address space
//   exceptions.*  ManagedExceptionTests(.Faults).cs  C# exceptions: try/catch/finally/when, faults as exceptions, traces
//   gcroots.*     GcRootTests.cs     kernel/Platform/Gc precise stack roots from GC info (no collector involved)
//   smp.*         SmpTests.cs        kernel/Smp and kernel/Platform/Cpus (run with 1 to 8 CPUs)
//   pci.*         PciTests.cs        kernel/Platform/Pci (config access, enumeration, BARs, capabilities; q35 and pc)
//   usb.*         UsbTests.cs        kernel/Usb, each in its own boot with QEMU's xHCI and keyboard (ownBoot: true)
//   panic.*       each in its own boot (should-panic): ExceptionTests, HeapTests and MemoryTests
// The host tests of the same chapters' pure logic are in tests/Kernel.HostTests/<Chapter>/; the benchmarks, which
// measure and cannot fail, are in BenchmarkCatalog.cs.

namespace Kernel.Testing;

public static class TestCatalog
{
    public static KernelTest[] All() => new[]
    {
        new KernelTest("runtime.objects", RuntimeTests.ObjectsAndFields),
        new KernelTest("runtime.arrays", RuntimeTests.ArraysAndBoundsOfLength),
        new KernelTest("runtime.virtual_calls", RuntimeTests.VirtualCalls),
        new KernelTest("runtime.interface_calls", RuntimeTests.InterfaceCalls),
        new KernelTest("runtime.generics_and_structs", RuntimeTests.GenericsAndStructs),
        new KernelTest("runtime.delegates", RuntimeTests.Delegates),
        new KernelTest("runtime.static_constructors", RuntimeTests.StaticConstructors),
        new KernelTest("runtime.boxing_and_casts", RuntimeTests.BoxingAndCasts),
        new KernelTest("runtime.strings", RuntimeTests.StringsAndFormatting),
        new KernelTest("runtime.memory_copy", RuntimeTests.MemoryCopyCopiesEveryLength),
        new KernelTest("boot.memory_map", BootTests.MemoryMapParsed),
        new KernelTest("boot.options", BootTests.OptionsSayTestMode),
        new KernelTest("boot.symbols", BootTests.SymbolTableNamesThisMethod),
        new KernelTest("boot.exception_type_names", BootTests.ExceptionTypeNamesComeFromSymbols),
        new KernelTest("boot.acpi_rsdp", BootTests.AcpiRsdpFound),
        new KernelTest("boot.image_bounds", BootTests.ImageBoundsKnown),
        new KernelTest("console.screen", ConsoleTests.ScreenAttached),
        new KernelTest("console.font", ConsoleTests.FontIsEmbedded),
        new KernelTest("console.drawn_pixels", ConsoleTests.DrawnTextMatchesTheFont),
        new KernelTest("console.grid", ConsoleTests.GridWrapsAndScrolls),
        new KernelTest("interrupts.breakpoint", ExceptionTests.BreakpointResumes),
        new KernelTest("interrupts.interrupt_stacks", ExceptionTests.CriticalVectorsUseInterruptStacks),
        new KernelTest("interrupts.controller", InterruptTests.ControllerMatchesBootOption),
        new KernelTest("interrupts.ticks_while_halting", InterruptTests.TicksAdvanceWhileHalting),
        new KernelTest("interrupts.tick_rate", InterruptTests.TickRateMatchesCalibratedClock),
        new KernelTest("interrupts.ticks_caught_up", InterruptTests.TicksMissedWithInterruptsOffAreCaughtUp),
        new KernelTest("interrupts.uptime", InterruptTests.UptimeFollowsTicks),
        new KernelTest("interrupts.no_console_deadlock", InterruptTests.PrintingFromAnInterruptDoesNotDeadlock),
        new KernelTest("interrupts.counters", InterruptTests.CountersSummaryNamesSources),
        new KernelTest("interrupts.nmi_wiring", InterruptTests.Lint1DeliversNmis),
        new KernelTest("heap.design", HeapTests.DesignIsTheOneAskedFor),
        new KernelTest("heap.boxed_value", HeapTests.BoxedValue),
        new KernelTest("heap.list_of_1000", HeapTests.ListOfAThousand),
        new KernelTest("heap.reuse", HeapTests.ShortLivedAllocationsReuseMemory),
        new KernelTest("heap.long_lived", HeapTests.ManyLongLivedObjects),
        new KernelTest("heap.strings", HeapTests.StringBuilding),
        new KernelTest("heap.growth", HeapTests.GrowsPastTheFirstChunk),
        new KernelTest("heap.bad_frees", HeapTests.BadFreesAreRejected),
        new KernelTest("gc.reachable_survive", GcTests.ReachableObjectsSurvive),
        new KernelTest("gc.precise_roots_cross_checked", GcTests.PreciseRootsAreCrossChecked),
        new KernelTest("gc.cyclic_graph_reclaimed", GcTests.CyclicGraphIsReclaimed),
        new KernelTest("gc.collect_in_handlers", GcTests.CollectionsInsideHandlersKeepEverything),
        new KernelTest("gc.faulted_frame_scanned_alone", GcTests.FaultedFrameIsScannedAlone),
        new KernelTest("gc.garbage_ten_times_the_heap", GcTests.GarbageTenTimesTheHeapFits),
        new KernelTest("heap.new_out_of_memory_throws", HeapTests.NewOutOfMemoryThrowsACatchableException),
        new KernelTest("tasks.yield", TaskTests.YieldingTaskRunsToCompletion),
        new KernelTest("tasks.results", TaskTests.ResultsPropagateToTheAwaiter),
        new KernelTest("tasks.woken_twice_runs_once", TaskTests.TaskWokenTwiceRunsOnce),
        new KernelTest("tasks.delay", TaskTests.DelayWaitsForTicks),
        new KernelTest("tasks.no_allocation_per_await", TaskTests.AwaitsDoNotAllocate),
        new KernelTest("tasks.idle_clock_heap_flat", TaskTests.IdleClockKeepsHeapFlat),
        new KernelTest("tasks.faulted_task_reported", TaskTests.FaultedTaskIsReportedByName),
        new KernelTest("tasks.await_rethrows", TaskTests.AwaitRethrowsTheSameException),
        new KernelTest("acpi.tables", AcpiTests.TablesFound),
        new KernelTest("acpi.madt", AcpiTests.MadtDescribesTheMachine),
        new KernelTest("memory.own_page_tables", MemoryTests.RunsOnOwnPageTables),
        new KernelTest("memory.code_rx", MemoryTests.KernelCodeIsExecutableAndReadOnly),
        new KernelTest("memory.data_rw_nx", MemoryTests.KernelDataIsWritableAndNotExecutable),
        new KernelTest("memory.kernel_stack", MemoryTests.StackIsTheKernelStack),
        new KernelTest("memory.framebuffer", MemoryTests.FramebufferIsMappedWriteCombining),
        new KernelTest("memory.null_page", MemoryTests.NullPageIsUnmapped),
        new KernelTest("memory.direct_map", MemoryTests.DirectMapReachesPhysicalMemory),
        new KernelTest("memory.map_write_read_unmap", MemoryTests.MapWriteReadUnmap),
        new KernelTest("memory.bad_frees", MemoryTests.FrameAllocatorRejectsBadFrees),
        new KernelTest("memory.boot_services_reclaimed", MemoryTests.BootServicesMemoryWasReclaimed),
        new KernelTest("memory.dma_buffer", MemoryTests.DmaBufferIsContiguousAlignedZeroedAndFreedOnce),
        new KernelTest("memory.no_writable_executable", FirmwareSpaceTests.NoPageIsWritableAndExecutable),
        new KernelTest("memory.runtime_only_in_firmware_space", FirmwareSpaceTests.RuntimeRegionsAreOnlyInTheFirmwareSpace),
        new KernelTest("memory.firmware_space_maps_interrupt_paths", FirmwareSpaceTests.FirmwareSpaceMapsWhatInterruptsNeed),
        new KernelTest("usb.controller_recovers", UsbTests.ControllerRecoversFromAHalt, ownBoot: true),
        new KernelTest("pci.host_bridge", PciTests.HostBridgeIsIntel),
        new KernelTest("pci.ecam_when_mcfg", PciTests.EcamIsUsedExactlyWhenThereIsAnMcfg),
        new KernelTest("pci.lanes", PciTests.BytesAndWordsAreTheLanesOfTheDword),
        new KernelTest("pci.ecam_matches_ports", PciTests.EcamAndLegacyPortsReadTheSameHeader),
        new KernelTest("pci.writes", PciTests.WritesAreSeenThroughBothMechanisms),
        new KernelTest("pci.absent_function", PciTests.AbsentFunctionsReadAllOnes),
        new KernelTest("pci.enumeration_host_bridge", PciTests.EnumerationFoundTheHostBridge),
        new KernelTest("pci.qemu_device_bars", PciTests.QemuDevicesHavePlausibleBars),
        new KernelTest("pci.capability_lists_end", PciTests.EveryCapabilityListEnds),
        new KernelTest("pci.bar_sizing_restores", PciTests.BarSizingRestoresTheRegisters),
        new KernelTest("exceptions.catch_exact_type", ManagedExceptionTests.CatchesByExactType),
        new KernelTest("exceptions.catch_base_type", ManagedExceptionTests.CatchesByBaseType),
        new KernelTest("exceptions.unmatched_goes_outward", ManagedExceptionTests.UnmatchedGoesToOuterHandler),
        new KernelTest("exceptions.finally_on_every_exit", ManagedExceptionTests.FinallyRunsOnEveryExit),
        new KernelTest("exceptions.nested_try", ManagedExceptionTests.NestedTryBlocks),
        new KernelTest("exceptions.throw_in_catch", ManagedExceptionTests.ThrowInCatchGoesOutward),
        new KernelTest("exceptions.throw_in_finally", ManagedExceptionTests.ThrowInFinallyReplacesTheException),
        new KernelTest("exceptions.filters", ManagedExceptionTests.FiltersDecideInTheFirstPass),
        new KernelTest("exceptions.rethrow", ManagedExceptionTests.RethrowKeepsTheExceptionAndTrace),
        new KernelTest("exceptions.unwind_releases_scopes", ManagedExceptionTests.UnwindReleasesEveryScope),
        new KernelTest("exceptions.nested_in_handlers", ManagedExceptionTests.NestedExceptionsInsideHandlers),
        new KernelTest("exceptions.runtime_helpers", ManagedExceptionTests.RuntimeHelpersThrowTheUsualTypes),
        new KernelTest("exceptions.null_reference", ManagedExceptionTests.NullDereferenceIsNullReferenceException),
        new KernelTest("exceptions.division", ManagedExceptionTests.DivisionFaultsBecomeExceptions),
        new KernelTest("exceptions.stack_trace", ManagedExceptionTests.StackTraceNamesTheFrames),
        new KernelTest("gcroots.locals", GcRootTests.LocalsOfCallersAreReported),
        new KernelTest("gcroots.register_across_call", GcRootTests.RegisterAcrossCallIsReported),
        new KernelTest("gcroots.subset_of_conservative", GcRootTests.PreciseRootsAreAmongConservativeOnes),
        new KernelTest("smp.start.boot_cpu_block", SmpTests.BootCpuFindsItsBlockThroughGs),
        new KernelTest("smp.start.planned_cpus_online", SmpTests.PlannedCpusAreOnlineAndAreWhoTheMadtSays),
        new KernelTest("smp.start.own_timers", SmpTests.EveryCpuHasItsOwnTimer),
        new KernelTest("smp.work.posted", SmpTests.PostedWorkRunsOnItsCpu),
        new KernelTest("smp.work.lock_torture", SmpTests.LockKeepsCountsExactUnderContention),
        new KernelTest("smp.work.allocate_during_collections", SmpTests.AllocationOnEveryCpuSurvivesCollections),
        new KernelTest("smp.work.tlb_shootdown", SmpTests.UnmappedPageLeavesEveryTlb),
        new KernelTest("smp.tasks.stealing", SmpTests.TasksMadeOnOneCpuAreStolenByTheOthers),
        new KernelTest("smp.tasks.cross_cpu_wake", SmpTests.ATaskWokenByAnotherCpusInterruptRunsAtHome),
        new KernelTest("panic.explicit", ExceptionTests.ExplicitPanic, shouldPanic: true),
        new KernelTest("panic.unhandled_exception", ExceptionTests.UnhandledExceptionPanics, shouldPanic: true),
        new KernelTest("panic.divide_by_zero", ExceptionTests.DivideByZeroPanics, shouldPanic: true),
        new KernelTest("panic.invalid_opcode", ExceptionTests.InvalidOpcodePanics, shouldPanic: true),
        new KernelTest("panic.general_protection", ExceptionTests.NonCanonicalAddressPanics, shouldPanic: true),
        new KernelTest("panic.stack_overflow", ExceptionTests.StackOverflowPanics, shouldPanic: true),
        new KernelTest("panic.bad_selector", ExceptionTests.BadSelectorPanics, shouldPanic: true),
        new KernelTest("panic.unexpected_vector", ExceptionTests.UnexpectedVectorPanics, shouldPanic: true),
        new KernelTest("panic.out_of_memory", HeapTests.RawAllocationOfOneGibibytePanics, shouldPanic: true),
        new KernelTest("panic.unhandled_out_of_memory", HeapTests.UnhandledOutOfMemoryPanics, shouldPanic: true),
        new KernelTest("panic.null_reference", MemoryTests.NullReadPanics, shouldPanic: true),
        new KernelTest("panic.write_to_code", MemoryTests.WriteToCodePanics, shouldPanic: true),
        new KernelTest("panic.execute_data", MemoryTests.ExecuteDataPanics, shouldPanic: true),
        new KernelTest("panic.unmapped_address", MemoryTests.UnmappedAddressPanics, shouldPanic: true),
        new KernelTest("panic.pci_misaligned_offset", PciTests.MisalignedOffsetPanics, shouldPanic: true),
        new KernelTest("panic.on_other_cpu", SmpTests.PanicOnAnotherCpu, shouldPanic: true),
    };
}
#endif
