// The firmware phase: everything the kernel asks of UEFI boot services (UEFI 2.10 §7) before it leaves them
// with ExitBootServices. Nothing here may be called afterwards.
using System;
using Efi;
using Kernel.Diagnostics;

namespace Kernel.Firmware;

/// <summary>Calls into UEFI boot services while they exist.</summary>
public static class BootServices
{
    private const ulong PageSize = 4096;
    private const int MaxConfigFileBytes = 64 * 1024;
    private const int MaxSymbolFileBytes = 4 * 1024 * 1024;
    private const int ExitBootServicesAttempts = 4;
    private const ulong MemoryAttributesHeaderBytes = 16;
    private const ulong MemoryAttributesMaxBytes = 64 * 1024;

    private static IntPtr s_imageHandle;
    private static unsafe EfiSystemTable* s_systemTable;
    private static unsafe EfiBootServices* s_bootServices;
    private static BootInfo s_info;

    /// <summary>Remembers the firmware's handles.</summary>
    /// <remarks>Safety: systemTable must be the pointer the firmware passed to the entry point, boot services still on.</remarks>
    public static unsafe void Initialize(IntPtr imageHandle, IntPtr systemTable)
    {
        s_imageHandle = imageHandle;
        s_systemTable = (EfiSystemTable*)systemTable;
        s_bootServices = s_systemTable->BootServices;
        // The boot manager arms a 5-minute watchdog for boot applications; a kernel never returns to it.
        s_bootServices->SetWatchdogTimer(0, 0, 0, null);
    }

    /// <summary>Whether boot services still run (before ExitBootServices succeeded).</summary>
    public static unsafe bool IsActive => s_bootServices != null;

    /// <summary>Allocates whole pages as loader data (kept by the kernel after ExitBootServices), or null.</summary>
    /// <remarks>Safety: only while boot services run (before CollectAndExit); the pages are identity-mapped loader data the kernel keeps.</remarks>
    public static unsafe void* AllocatePages(ulong sizeInBytes, out EfiStatus status)
    {
        ulong address = 0;
        status = s_bootServices->AllocatePages(EfiAllocateType.AllocateAnyPages, EfiMemoryType.LoaderData, (sizeInBytes + PageSize - 1) / PageSize, &address);
        return status.IsSuccess ? (void*)address : null;
    }

    /// <summary>
    /// Gathers what the kernel needs, then calls ExitBootServices. Problems are noted in info.Notes, not fatal.
    /// earlyHeapNeeded says, from info with the memory map and framebuffer filled in, how many bytes the early heap
    /// must hold for the kernel until its own heap exists (the firmware cannot give more afterwards).
    /// </summary>
    /// <remarks>Safety: call once, after Initialize and ReadBootFiles; afterwards nothing in this class may be called.</remarks>
    public static unsafe void CollectAndExit(BootInfo info, int maxScreenWidth, int maxScreenHeight, Func<BootInfo, ulong> earlyHeapNeeded)
    {
        s_info = info;
        FirmwareRuntime.Initialize(s_systemTable->RuntimeServices);
        info.FirmwareVendor = new string(s_systemTable->FirmwareVendor);
        info.FirmwareRevision = s_systemTable->FirmwareRevision;
        info.AcpiRsdp = FindAcpiRsdp();
        info.MemoryAttributesTable = CopyMemoryAttributesTable(info);
        ReadLoadedImage(info);
        BootTimeline.Mark("firmware tables");
        info.Framebuffer = SetUpGraphics(maxScreenWidth, maxScreenHeight);
        BootTimeline.Mark("screen mode");
        info.ApTrampolinePage = AllocateTrampolinePage();
        ExitBootServices(info, earlyHeapNeeded);
        BootTimeline.Mark("exit boot services");
    }

    /// <summary>Reads boot.cfg and LoadOptions: the boot options must be known before the screen mode is chosen.</summary>
    /// <remarks>Safety: only while boot services run (after Initialize, before CollectAndExit).</remarks>
    public static unsafe void ReadBootFiles(BootInfo info)
    {
        s_info = info;
        EfiLoadedImageProtocol* image = LoadedImage();
        if (image == null)
            return;
        info.BootConfig = ReadFile(image->DeviceHandle, "\\boot.cfg", MaxConfigFileBytes);
        info.SymbolTable = ReadFile(image->DeviceHandle, "\\kernel.sym", MaxSymbolFileBytes);
        ReadLoadOptions(image, info);
    }

    private static unsafe void ReadLoadedImage(BootInfo info)
    {
        EfiLoadedImageProtocol* image = LoadedImage();
        if (image == null)
            return;
        info.ImageBase = (ulong)image->ImageBase;
        info.ImageSize = image->ImageSize;
    }

    private static unsafe EfiLoadedImageProtocol* LoadedImage()
    {
        EfiGuid guid = EfiGuid.LoadedImageProtocol;
        EfiLoadedImageProtocol* image;
        EfiStatus status = s_bootServices->HandleProtocol(s_imageHandle, &guid, (void**)&image);
        if (status.IsError)
        {
            Note("firmware: no loaded-image protocol: " + status.ToString());
            return null;
        }
        return image;
    }

    // LoadOptions are whatever the starter passed: the UEFI shell passes the command line as UCS-2 text, but a
    // boot manager entry may pass binary data (EDK2's auto-created entries pass a GUID), so accept only text.
    private static unsafe void ReadLoadOptions(EfiLoadedImageProtocol* image, BootInfo info)
    {
        uint size = image->LoadOptionsSize;
        if (size == 0 || image->LoadOptions == null)
            return;
        if ((size & 1) != 0)
        {
            info.LoadOptionsProblem = "load options ignored: odd byte count, not UCS-2 text";
            return;
        }
        char* text = (char*)image->LoadOptions;
        int length = (int)(size / 2);
        while (length > 0 && text[length - 1] == '\0')
            length--;
        for (int i = 0; i < length; i++)
        {
            char c = text[i];
            if (c != '\t' && (c < ' ' || c > '~'))
            {
                info.LoadOptionsProblem = "load options ignored: binary data, not text (" + ((uint)size).ToString() + " bytes)";
                return;
            }
        }
        info.LoadOptions = new string(new ReadOnlySpan<char>(text, length));
    }

    private static unsafe byte[] ReadFile(IntPtr device, string path, int maxBytes)
    {
        EfiGuid fsGuid = EfiGuid.SimpleFileSystemProtocol;
        EfiSimpleFileSystemProtocol* fileSystem;
        if (s_bootServices->HandleProtocol(device, &fsGuid, (void**)&fileSystem).IsError)
            return null;
        EfiFileProtocol* root;
        EfiStatus status = fileSystem->OpenVolume(fileSystem, &root);
        if (status.IsError)
        {
            Note("firmware: cannot open the boot volume: " + status.ToString());
            return null;
        }
        EfiFileProtocol* file;
        fixed (char* name = path)
            status = root->Open(root, &file, name, EfiFileMode.Read, 0);
        if (status.IsError)
        {
            root->Close(root);
            if (status != EfiStatus.NotFound)
                Note("firmware: cannot open " + path + ": " + status.ToString());
            return null;
        }
        byte[] contents = ReadWholeFile(file, path, maxBytes);
        file->Close(file);
        root->Close(root);
        return contents;
    }

    private static unsafe byte[] ReadWholeFile(EfiFileProtocol* file, string path, int maxBytes)
    {
        // EFI_FILE_INFO is followed by the file name; 512 bytes is plenty for our names.
        byte* infoBuffer = stackalloc byte[512];
        ulong infoSize = 512;
        EfiGuid infoGuid = EfiGuid.FileInfo;
        EfiStatus status = file->GetInfo(file, &infoGuid, &infoSize, infoBuffer);
        if (status.IsError)
        {
            Note("firmware: cannot stat " + path + ": " + status.ToString());
            return null;
        }
        ulong fileSize = ((EfiFileInfo*)infoBuffer)->FileSize;
        if (fileSize > (ulong)maxBytes)
        {
            Note("firmware: " + path + " is too large, ignored; bytes: " + fileSize.ToString());
            return null;
        }
        byte[] contents = new byte[(int)fileSize];
        ulong read = fileSize;
        fixed (byte* target = contents)
            status = file->Read(file, &read, target);
        if (status.IsError || read != fileSize)
        {
            Note("firmware: cannot read " + path + ": " + status.ToString());
            return null;
        }
        return contents;
    }

    private static unsafe ulong FindAcpiRsdp()
    {
        EfiGuid acpi20 = EfiGuid.Acpi20Table;
        void* table = s_systemTable->FindConfigurationTable(acpi20);
        if (table == null)
        {
            EfiGuid acpi10 = EfiGuid.Acpi10Table;
            table = s_systemTable->FindConfigurationTable(acpi10);
        }
        return (ulong)table;
    }

    // The table's memory type is the firmware's choice (boot-services data in some builds), so it is copied while
    // boot services still run. Only the header's sizes are trusted here, and only up to a bound: the kernel
    // validates the copy later, against the final memory map.
    private static unsafe byte[] CopyMemoryAttributesTable(BootInfo info)
    {
        EfiGuid guid = EfiGuid.MemoryAttributesTable;
        byte* table = (byte*)s_systemTable->FindConfigurationTable(guid);
        if (table == null)
            return null;
        // EFI_MEMORY_ATTRIBUTES_TABLE header: UINT32 Version, NumberOfEntries, DescriptorSize, Flags.
        ulong size = MemoryAttributesHeaderBytes + (ulong)((uint*)table)[1] * ((uint*)table)[2];
        if (size > MemoryAttributesMaxBytes)
        {
            info.Notes.Add("firmware: memory attributes table claims " + size.ToString() + " bytes; only its header is kept");
            size = MemoryAttributesHeaderBytes;
        }
        byte[] copy = new byte[(int)size];
        new ReadOnlySpan<byte>(table, (int)size).CopyTo(copy);
        return copy;
    }

    private static unsafe FramebufferInfo SetUpGraphics(int maxWidth, int maxHeight)
    {
        FramebufferInfo result = default;
        EfiGuid guid = EfiGuid.GraphicsOutputProtocol;
        EfiGraphicsOutputProtocol* gop;
        EfiStatus status = s_bootServices->LocateProtocol(&guid, null, (void**)&gop);
        if (status.IsError)
        {
            Note("firmware: no graphics output protocol (serial console only): " + status.ToString());
            return result;
        }
        uint modeCount = gop->Mode->MaxMode;
        var modes = new DisplayMode[modeCount];
        for (uint i = 0; i < modeCount; i++)
        {
            ulong infoSize;
            EfiGraphicsOutputModeInformation* modeInfo;
            if (gop->QueryMode(gop, i, &infoSize, &modeInfo).IsError)
            {
                modes[i] = new DisplayMode(i, 0, 0, 0, PixelFormat.Rgb, false);
                continue;
            }
            modes[i] = new DisplayMode(i, (int)modeInfo->HorizontalResolution, (int)modeInfo->VerticalResolution,
                (int)modeInfo->PixelsPerScanLine, FormatOf(modeInfo->PixelFormat), IsDrawable(modeInfo->PixelFormat));
        }
        int chosen = DisplayModeSelector.Choose(modes, maxWidth, maxHeight);
        if (chosen < 0)
        {
            Note("firmware: no graphics mode with a drawable framebuffer (serial console only)");
            return result;
        }
        if (gop->Mode->Mode != modes[chosen].Number)
        {
            status = gop->SetMode(gop, modes[chosen].Number);
            if (status.IsError)
                Note("firmware: cannot set the graphics mode, keeping the current one: " + status.ToString());
        }
        EfiGraphicsOutputModeInformation* current = gop->Mode->Info;
        result.Base = gop->Mode->FrameBufferBase;
        result.SizeInBytes = gop->Mode->FrameBufferSize;
        result.Width = (int)current->HorizontalResolution;
        result.Height = (int)current->VerticalResolution;
        result.PixelsPerScanLine = (int)current->PixelsPerScanLine;
        result.Format = FormatOf(current->PixelFormat);
        result.ModeNumber = gop->Mode->Mode;
        if (!IsDrawable(current->PixelFormat))
            result.Base = 0;
        return result;
    }

    private static bool IsDrawable(EfiGraphicsPixelFormat format) =>
        format == EfiGraphicsPixelFormat.PixelRedGreenBlueReserved8BitPerColor
        || format == EfiGraphicsPixelFormat.PixelBlueGreenRedReserved8BitPerColor;

    private static PixelFormat FormatOf(EfiGraphicsPixelFormat format) =>
        format == EfiGraphicsPixelFormat.PixelBlueGreenRedReserved8BitPerColor ? PixelFormat.Bgr : PixelFormat.Rgb;

    // This layer does not print: what went wrong is kept for the boot log, which Boot prints once the console is up.
    private static void Note(string line) => s_info.Notes.Add(line);

    // A STARTUP IPI names a 4 KiB page below 1 MiB by its number (Intel SDM Vol. 3A §9.4.4.1); below 0xA0000 is
    // conventional memory (above it: video memory and ROMs). The kernel leaves its first 32 KiB unmapped (null
    // guard), so a page there is kept allocated but not used, and the firmware is asked again.
    private const ulong TrampolineMaxAddress = 0x9FFFF;
    private const ulong TrampolineMinAddress = 0x8000;
    private const int TrampolineAttempts = 8;

    private static unsafe ulong AllocateTrampolinePage()
    {
        EfiStatus status = default;
        for (int attempt = 0; attempt < TrampolineAttempts; attempt++)
        {
            ulong address = TrampolineMaxAddress;
            status = s_bootServices->AllocatePages(EfiAllocateType.AllocateMaxAddress, EfiMemoryType.LoaderData, 1, &address);
            if (!status.IsSuccess)
                break;
            if (address >= TrampolineMinAddress)
                return address;
        }
        Note("firmware: no page below 1 MiB for the application processors' start-up code ("
            + (status.IsSuccess ? "only pages under 32 KiB" : EfiStatus.Name(status.Value)) + "); only the boot CPU will run");
        return 0;
    }

    // The kernel's allocations before its heap exists scale with the machine (the frame allocator's bitmaps, the
    // text grid), so the estimate needs the map as it is now; the top-up itself changes the map, which is fetched
    // again for the exit.
    private static unsafe void TopUpEarlyHeap(BootInfo info, byte* buffer, ulong capacity, Func<BootInfo, ulong> earlyHeapNeeded)
    {
        ulong mapSize = capacity;
        ulong mapKey;
        ulong descriptorSize;
        uint descriptorVersion;
        EfiStatus status = s_bootServices->GetMemoryMap(&mapSize, buffer, &mapKey, &descriptorSize, &descriptorVersion);
        if (status.IsError)
            Panic.Halt("GetMemoryMap failed: " + status.ToString());
        info.MemoryMap.Buffer = buffer;
        info.MemoryMap.SizeInBytes = (int)mapSize;
        info.MemoryMap.DescriptorSize = (int)descriptorSize;
        info.MemoryMap.DescriptorVersion = descriptorVersion;
        ulong needed = earlyHeapNeeded(info);
        if (!RuntimeStartup.EnsureEarlyHeapFree(needed, out status))
            Panic.Halt("cannot reserve " + (needed / 1024).ToString() + " KiB of early heap for the kernel's start: " + status.ToString());
    }

    // The map key must come from the last GetMemoryMap before ExitBootServices. If anything allocates in
    // between (firmware events can), ExitBootServices fails with EFI_INVALID_PARAMETER and the map must be
    // fetched again, into the buffer already allocated: allocating would change the map once more (§7.4.6).
    private static unsafe void ExitBootServices(BootInfo info, Func<BootInfo, ulong> earlyHeapNeeded)
    {
        ulong mapSize = 0;
        ulong mapKey;
        ulong descriptorSize;
        uint descriptorVersion;
        s_bootServices->GetMemoryMap(&mapSize, null, &mapKey, &descriptorSize, &descriptorVersion);
        // Room for the entries the pool allocation itself may add, and some to spare.
        ulong capacity = mapSize + 16 * descriptorSize;
        byte* buffer;
        EfiStatus status = s_bootServices->AllocatePool(EfiMemoryType.LoaderData, capacity, (void**)&buffer);
        if (status.IsError)
            Panic.Halt("cannot allocate the memory map buffer: " + status.ToString());
        TopUpEarlyHeap(info, buffer, capacity, earlyHeapNeeded);
        for (int attempt = 0; attempt < ExitBootServicesAttempts; attempt++)
        {
            mapSize = capacity;
            status = s_bootServices->GetMemoryMap(&mapSize, buffer, &mapKey, &descriptorSize, &descriptorVersion);
            if (status.IsError)
                Panic.Halt("GetMemoryMap failed: " + status.ToString());
            status = s_bootServices->ExitBootServices(s_imageHandle, mapKey);
            if (status.IsSuccess)
            {
                s_bootServices = null;
                info.MemoryMap.Buffer = buffer;
                info.MemoryMap.SizeInBytes = (int)mapSize;
                info.MemoryMap.DescriptorSize = (int)descriptorSize;
                info.MemoryMap.DescriptorVersion = descriptorVersion;
                info.ExitBootServicesRetries = attempt;
                return;
            }
            if (status != EfiStatus.InvalidParameter)
                break;
        }
        Panic.Halt("ExitBootServices failed: " + status.ToString());
    }
}
