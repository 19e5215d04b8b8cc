/*
 * Independent check that openfsi's IDL (idl/imapi2fs.idl, idl/imapi2.idl and the hand-written
 * DISPID and error headers) matches Microsoft's SDK and Microsoft's imapi2fs.dll type library:
 * interface, class and library IDs, the vtable slot of every method, the DISPID of every member,
 * the type flags and default interfaces in the type library, enumeration values and HRESULTs.
 *
 * Every expected value below is a literal copied from public sources other than our IDL:
 *
 *  [MIDL] A MIDL-generated copy of Microsoft's imapi2fs.h (PellesC header extension, 2016):
 *         the IFooVtbl structs, hence every imapi2fs vtable slot and method count, the enums,
 *         IMAPI2FS_BOOT_ENTRY_COUNT_MAX, IMAPI2FS_Major/MinorVersion and the two DISPID macros.
 *  [TFX]  terrafx/terrafx.interop.windows, sources/Interop/Windows/Windows/um/imapi2fs/IID.cs,
 *         CLSID.cs, DISPID.cs (ported from the Windows SDK 10.0.22621/20348 imapi2fs.h) and
 *         um/imapi2/IBlockRange.cs, IBlockRangeList.cs, IMultisession.cs,
 *         IMultisessionSequential2.cs, IMultisessionRandomWrite.cs ([Guid] and [VtblIndex]).
 *  [AHK]  holy-tao/AhkWin32Projection, Windows/Win32/Storage/Imapi/: IFileSystemImage.ahk,
 *         IDiscRecorder2.ahk, IDiscRecorder2Ex.ahk (IID and Vtbl member order), Apis.ahk
 *         (DISPID_* constants of imapi2.h/imapi2fs.h) and the win32metadata HRESULT constants
 *         of imapi2error.h/imapi2fserror.h (AddressBook constants file, decimal; converted).
 *  [TLB]  IMAPI2FS_TLB.pas, a Delphi import generated on 2017-06-13 from the type library in
 *         C:\Windows\system32\imapi2fs.dll: LIBID, every IID/CLSID, type flags, the dispid of
 *         every member of every dual interface, IDiscRecorder2's dispids, the coclasses'
 *         default interfaces and MsftFileSystemImage's event interface.
 *  [TLB2] IMAPI2_TLB.pas, a Delphi import of the imapi2.dll type library: IMultisession*
 *         dispids and IIDs.
 *  [CS]   microsoft/Windows-classic-samples, Samples/Win7Samples/winbase/imapi/interop/
 *         IMAPIv2FS.cs ([Guid] and [DispId]): IIsoImageManager's DISPIDs (0x100..0x202), which
 *         the [TLB] import does not list because the interface is not dual.
 *  [DLPH] Delphi-style constant list found next to other IMAPI2 bindings:
 *         IID_IMultisessionSequential = 27354151 (agrees with [TFX] and [TLB2]).
 *
 * Disagreements between the sources, resolved in favour of Microsoft's own header/type library:
 *  - [CS] lists a separate "RemoteNext" vtable entry in IEnumFsiItems/IEnumProgressItems; [MIDL]
 *    has Next/Skip/Reset/Clone only ([call_as] shares the slot), so Next is slot 3, size 7.
 *  - [CS] names IIsoImageManager's last method "IsValid"; [MIDL] and [TLB] call it "Validate".
 *  - [CS] marks IFileSystemImage nonextensible; [TLB] shows flags 4416 (dual, oleautomation,
 *    dispatchable, NOT nonextensible). [TLB] is used.
 *  - An older Delphi import of imapi2fs.dll (Vista era) gives MsftFileSystemImage the default
 *    interface IFileSystemImage; the 2017 [TLB] gives IFileSystemImage3 (current Windows). 2017.
 *  - One third-party header declares IID_IMultisessionSequential as 0x27354122, which is
 *    CLSID_MsftMultisessionSequential; [TFX], [TLB2] and [DLPH] agree on 27354151.
 *  - The sdk-api page for put_VolumeName prints IMAPI_E_INVALID_VOLUME_NAME as 0xC0AAB101
 *    (that is IMAPI_E_INVALID_PARAM); the metadata constants give 0xC0AAB104, used here.
 *  - Microsoft's headers declare the event interfaces as IDispatch-derived interfaces with
 *    IID_DFileSystemImageEvents / IID_DFileSystemImageImportEvents (no DIID_ symbols) and an
 *    Update/UpdateImport vtable slot ([MIDL], [TFX], [TLB] flags 4480); that is what is checked.
 */
#define OPENFSI_IMAPI2FS_MEMBER_DISPIDS /* also check openfsi's own names for the member DISPIDs */
#include "com_test.h"

#include <stdio.h>
#include <string.h>

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define WSTR_(s) L##s
#define WSTR(s) WSTR_(s)

static void guid_to_text(const GUID *g, char out[40])
{
    snprintf(out, 40, "{%08lX-%04X-%04X-%02X%02X-%02X%02X%02X%02X%02X%02X}", (unsigned long)g->Data1,
             g->Data2, g->Data3, g->Data4[0], g->Data4[1], g->Data4[2], g->Data4[3], g->Data4[4],
             g->Data4[5], g->Data4[6], g->Data4[7]);
}

static GUID parse_guid(const WCHAR *text)
{
    GUID g;
    memset(&g, 0, sizeof(g));
    assert_hr(S_OK, IIDFromString((LPCOLESTR)text, &g));
    return g;
}

/* ------------------------------------------------------------------------------------------ */
/* 1. GUIDs                                                                                    */
/* ------------------------------------------------------------------------------------------ */

struct guid_case {
    const char *symbol;
    const GUID *linked;
    const WCHAR *expected;
};
#define G(sym, text) { #sym, &sym, text }

/* [TFX] IID.cs (imapi2fs.h, SDK 10.0.22621), [TFX]/[AHK]/[TLB2] for the imapi2.h ones; all
 * cross-checked against the [TLB] GUID list. */
static const struct guid_case interface_ids[] = {
    G(IID_IBootOptions, L"{2C941FD4-975B-59BE-A960-9A2A262853A5}"),
    G(IID_IProgressItem, L"{2C941FD5-975B-59BE-A960-9A2A262853A5}"),
    G(IID_IEnumProgressItems, L"{2C941FD6-975B-59BE-A960-9A2A262853A5}"),
    G(IID_IProgressItems, L"{2C941FD7-975B-59BE-A960-9A2A262853A5}"),
    G(IID_IFileSystemImageResult, L"{2C941FD8-975B-59BE-A960-9A2A262853A5}"),
    G(IID_IFileSystemImageResult2, L"{B507CA29-2204-11DD-966A-001AA01BBC58}"),
    G(IID_IFsiItem, L"{2C941FD9-975B-59BE-A960-9A2A262853A5}"),
    G(IID_IEnumFsiItems, L"{2C941FDA-975B-59BE-A960-9A2A262853A5}"),
    G(IID_IFsiFileItem, L"{2C941FDB-975B-59BE-A960-9A2A262853A5}"),
    G(IID_IFsiFileItem2, L"{199D0C19-11E1-40EB-8EC2-C8C822A07792}"),
    G(IID_IFsiNamedStreams, L"{ED79BA56-5294-4250-8D46-F9AECEE23459}"),
    G(IID_IFsiDirectoryItem, L"{2C941FDC-975B-59BE-A960-9A2A262853A5}"),
    G(IID_IFsiDirectoryItem2, L"{F7FB4B9B-6D96-4D7B-9115-201B144811EF}"),
    G(IID_IFileSystemImage, L"{2C941FE1-975B-59BE-A960-9A2A262853A5}"),
    G(IID_IFileSystemImage2, L"{D7644B2C-1537-4767-B62F-F1387B02DDFD}"),
    G(IID_IFileSystemImage3, L"{7CFF842C-7E97-4807-8304-910DD8F7C051}"),
    G(IID_IIsoImageManager, L"{6CA38BE5-FBBB-4800-95A1-A438865EB0D4}"),
    G(IID_DFileSystemImageEvents, L"{2C941FDF-975B-59BE-A960-9A2A262853A5}"),
    G(IID_DFileSystemImageImportEvents, L"{D25C30F9-4087-4366-9E24-E55BE286424B}"),
    G(IID_IBlockRange, L"{B507CA25-2204-11DD-966A-001AA01BBC58}"),
    G(IID_IBlockRangeList, L"{B507CA26-2204-11DD-966A-001AA01BBC58}"),
    G(IID_IMultisession, L"{27354150-7F64-5B0F-8F00-5D77AFBE261E}"),
    G(IID_IMultisessionSequential, L"{27354151-7F64-5B0F-8F00-5D77AFBE261E}"),
    G(IID_IMultisessionSequential2, L"{B507CA22-2204-11DD-966A-001AA01BBC58}"),
    G(IID_IMultisessionRandomWrite, L"{B507CA23-2204-11DD-966A-001AA01BBC58}"),
    G(IID_IDiscRecorder2, L"{27354133-7F64-5B0F-8F00-5D77AFBE261E}"),
    G(IID_IDiscRecorder2Ex, L"{27354132-7F64-5B0F-8F00-5D77AFBE261E}"),
};

/* [TFX] CLSID.cs, cross-checked against the CLASS_* list of [TLB]. */
static const struct guid_case class_ids[] = {
    G(CLSID_MsftFileSystemImage, L"{2C941FC5-975B-59BE-A960-9A2A262853A5}"),
    G(CLSID_MsftIsoImageManager, L"{CEEE3B62-8F56-4056-869B-EF16917E3EFC}"),
    G(CLSID_BootOptions, L"{2C941FCE-975B-59BE-A960-9A2A262853A5}"),
    G(CLSID_FsiStream, L"{2C941FCD-975B-59BE-A960-9A2A262853A5}"),
    G(CLSID_FileSystemImageResult, L"{2C941FCC-975B-59BE-A960-9A2A262853A5}"),
    G(CLSID_ProgressItem, L"{2C941FCB-975B-59BE-A960-9A2A262853A5}"),
    G(CLSID_EnumProgressItems, L"{2C941FCA-975B-59BE-A960-9A2A262853A5}"),
    G(CLSID_ProgressItems, L"{2C941FC9-975B-59BE-A960-9A2A262853A5}"),
    G(CLSID_FsiDirectoryItem, L"{2C941FC8-975B-59BE-A960-9A2A262853A5}"),
    G(CLSID_FsiFileItem, L"{2C941FC7-975B-59BE-A960-9A2A262853A5}"),
    G(CLSID_EnumFsiItems, L"{2C941FC6-975B-59BE-A960-9A2A262853A5}"),
    G(CLSID_FsiNamedStreams, L"{C6B6F8ED-6D19-44B4-B539-B159B793A32D}"),
    G(CLSID_BlockRange, L"{B507CA27-2204-11DD-966A-001AA01BBC58}"),
    G(CLSID_BlockRangeList, L"{B507CA28-2204-11DD-966A-001AA01BBC58}"),
};

/* [TLB] header ("LIBID: {2C941FD0-...}"), also the LIBID_IMAPI2FS constant of a Delphi binding. */
static const struct guid_case library_ids[] = {
    G(LIBID_IMAPI2FS, L"{2C941FD0-975B-59BE-A960-9A2A262853A5}"),
};

static int count_guid_mismatches(const struct guid_case *cases, size_t n)
{
    int bad = 0;
    for (size_t i = 0; i < n; i++) {
        GUID expected = parse_guid(cases[i].expected);
        if (!IsEqualGUID(&expected, cases[i].linked)) {
            char have[40], want[40];
            guid_to_text(cases[i].linked, have);
            guid_to_text(&expected, want);
            print_error("%s is %s, Microsoft's is %s\n", cases[i].symbol, have, want);
            bad++;
        }
    }
    return bad;
}

static void test_interface_ids_match_microsoft(void **state)
{
    (void)state;
    assert_int_equal(0, count_guid_mismatches(interface_ids, COUNT(interface_ids)));
}

static void test_class_ids_match_microsoft(void **state)
{
    (void)state;
    assert_int_equal(0, count_guid_mismatches(class_ids, COUNT(class_ids)));
}

static void test_library_id_matches_microsoft(void **state)
{
    (void)state;
    assert_int_equal(0, count_guid_mismatches(library_ids, COUNT(library_ids)));
}

/* ------------------------------------------------------------------------------------------ */
/* 2. Vtable layout                                                                            */
/* ------------------------------------------------------------------------------------------ */

struct slot_case {
    const char *iface;
    const char *method;
    size_t slot;
    size_t expected;
};
#define SLOT(iface, method, index) \
    { #iface, #method, offsetof(iface##Vtbl, method) / sizeof(void *), index }
#define UNKNOWN_SLOTS(iface) \
    SLOT(iface, QueryInterface, 0), SLOT(iface, AddRef, 1), SLOT(iface, Release, 2)
#define DISPATCH_SLOTS(iface)                                                     \
    UNKNOWN_SLOTS(iface), SLOT(iface, GetTypeInfoCount, 3), SLOT(iface, GetTypeInfo, 4), \
        SLOT(iface, GetIDsOfNames, 5), SLOT(iface, Invoke, 6)
/* IFsiItem's members, which IFsiFileItem(2) and IFsiDirectoryItem(2) repeat at the same slots. */
#define FSI_ITEM_SLOTS(iface)                                                               \
    DISPATCH_SLOTS(iface), SLOT(iface, get_Name, 7), SLOT(iface, get_FullPath, 8),          \
        SLOT(iface, get_CreationTime, 9), SLOT(iface, put_CreationTime, 10),                \
        SLOT(iface, get_LastAccessedTime, 11), SLOT(iface, put_LastAccessedTime, 12),       \
        SLOT(iface, get_LastModifiedTime, 13), SLOT(iface, put_LastModifiedTime, 14),       \
        SLOT(iface, get_IsHidden, 15), SLOT(iface, put_IsHidden, 16),                       \
        SLOT(iface, FileSystemName, 17), SLOT(iface, FileSystemPath, 18)
#define FSI_FILE_ITEM_SLOTS(iface)                                                          \
    FSI_ITEM_SLOTS(iface), SLOT(iface, get_DataSize, 19), SLOT(iface, get_DataSize32BitLow, 20), \
        SLOT(iface, get_DataSize32BitHigh, 21), SLOT(iface, get_Data, 22), SLOT(iface, put_Data, 23)
#define FSI_DIRECTORY_ITEM_SLOTS(iface)                                                     \
    FSI_ITEM_SLOTS(iface), SLOT(iface, get__NewEnum, 19), SLOT(iface, get_Item, 20),        \
        SLOT(iface, get_Count, 21), SLOT(iface, get_EnumFsiItems, 22),                      \
        SLOT(iface, AddDirectory, 23), SLOT(iface, AddFile, 24), SLOT(iface, AddTree, 25),  \
        SLOT(iface, Add, 26), SLOT(iface, Remove, 27), SLOT(iface, RemoveTree, 28)
#define FILE_SYSTEM_IMAGE_SLOTS(iface)                                                           \
    DISPATCH_SLOTS(iface), SLOT(iface, get_Root, 7), SLOT(iface, get_SessionStartBlock, 8),      \
        SLOT(iface, put_SessionStartBlock, 9), SLOT(iface, get_FreeMediaBlocks, 10),             \
        SLOT(iface, put_FreeMediaBlocks, 11), SLOT(iface, SetMaxMediaBlocksFromDevice, 12),      \
        SLOT(iface, get_UsedBlocks, 13), SLOT(iface, get_VolumeName, 14),                        \
        SLOT(iface, put_VolumeName, 15), SLOT(iface, get_ImportedVolumeName, 16),                \
        SLOT(iface, get_BootImageOptions, 17), SLOT(iface, put_BootImageOptions, 18),            \
        SLOT(iface, get_FileCount, 19), SLOT(iface, get_DirectoryCount, 20),                     \
        SLOT(iface, get_WorkingDirectory, 21), SLOT(iface, put_WorkingDirectory, 22),            \
        SLOT(iface, get_ChangePoint, 23), SLOT(iface, get_StrictFileSystemCompliance, 24),       \
        SLOT(iface, put_StrictFileSystemCompliance, 25),                                         \
        SLOT(iface, get_UseRestrictedCharacterSet, 26),                                          \
        SLOT(iface, put_UseRestrictedCharacterSet, 27), SLOT(iface, get_FileSystemsToCreate, 28), \
        SLOT(iface, put_FileSystemsToCreate, 29), SLOT(iface, get_FileSystemsSupported, 30),     \
        SLOT(iface, put_UDFRevision, 31), SLOT(iface, get_UDFRevision, 32),                      \
        SLOT(iface, get_UDFRevisionsSupported, 33), SLOT(iface, ChooseImageDefaults, 34),        \
        SLOT(iface, ChooseImageDefaultsForMediaType, 35),                                        \
        SLOT(iface, put_ISO9660InterchangeLevel, 36),                                            \
        SLOT(iface, get_ISO9660InterchangeLevel, 37),                                            \
        SLOT(iface, get_ISO9660InterchangeLevelsSupported, 38),                                  \
        SLOT(iface, CreateResultImage, 39), SLOT(iface, Exists, 40),                             \
        SLOT(iface, CalculateDiscIdentifier, 41), SLOT(iface, IdentifyFileSystemsOnDisc, 42),    \
        SLOT(iface, GetDefaultFileSystemForImport, 43), SLOT(iface, ImportFileSystem, 44),       \
        SLOT(iface, ImportSpecificFileSystem, 45), SLOT(iface, RollbackToChangePoint, 46),       \
        SLOT(iface, LockInChangePoint, 47), SLOT(iface, CreateDirectoryItem, 48),                \
        SLOT(iface, CreateFileItem, 49), SLOT(iface, get_VolumeNameUDF, 50),                     \
        SLOT(iface, get_VolumeNameJoliet, 51), SLOT(iface, get_VolumeNameISO9660, 52),           \
        SLOT(iface, get_StageFiles, 53), SLOT(iface, put_StageFiles, 54),                        \
        SLOT(iface, get_MultisessionInterfaces, 55), SLOT(iface, put_MultisessionInterfaces, 56)
#define MULTISESSION_SLOTS(iface)                                                           \
    DISPATCH_SLOTS(iface), SLOT(iface, get_IsSupportedOnCurrentMediaState, 7),              \
        SLOT(iface, put_InUse, 8), SLOT(iface, get_InUse, 9), SLOT(iface, get_ImportRecorder, 10)
#define MULTISESSION_SEQUENTIAL_SLOTS(iface)                                                \
    MULTISESSION_SLOTS(iface), SLOT(iface, get_IsFirstDataSession, 11),                     \
        SLOT(iface, get_StartAddressOfPreviousSession, 12),                                 \
        SLOT(iface, get_LastWrittenAddressOfPreviousSession, 13),                           \
        SLOT(iface, get_NextWritableAddress, 14), SLOT(iface, get_FreeSectorsOnMedia, 15)

/* Slots: [MIDL] Vtbl structs for imapi2fs.h (IFileSystemImage also [AHK] ComCall indices),
 * [TFX] [VtblIndex] for IBlockRange(List) and IMultisession*, [AHK] Vtbl for IDiscRecorder2(Ex). */
static const struct slot_case vtable_slots[] = {
    DISPATCH_SLOTS(IBootOptions),
    SLOT(IBootOptions, get_BootImage, 7),
    SLOT(IBootOptions, get_Manufacturer, 8),
    SLOT(IBootOptions, put_Manufacturer, 9),
    SLOT(IBootOptions, get_PlatformId, 10),
    SLOT(IBootOptions, put_PlatformId, 11),
    SLOT(IBootOptions, get_Emulation, 12),
    SLOT(IBootOptions, put_Emulation, 13),
    SLOT(IBootOptions, get_ImageSize, 14),
    SLOT(IBootOptions, AssignBootImage, 15),

    DISPATCH_SLOTS(IProgressItem),
    SLOT(IProgressItem, get_Description, 7),
    SLOT(IProgressItem, get_FirstBlock, 8),
    SLOT(IProgressItem, get_LastBlock, 9),
    SLOT(IProgressItem, get_BlockCount, 10),

    UNKNOWN_SLOTS(IEnumProgressItems),
    SLOT(IEnumProgressItems, Next, 3),
    SLOT(IEnumProgressItems, Skip, 4),
    SLOT(IEnumProgressItems, Reset, 5),
    SLOT(IEnumProgressItems, Clone, 6),

    DISPATCH_SLOTS(IProgressItems),
    SLOT(IProgressItems, get__NewEnum, 7),
    SLOT(IProgressItems, get_Item, 8),
    SLOT(IProgressItems, get_Count, 9),
    SLOT(IProgressItems, ProgressItemFromBlock, 10),
    SLOT(IProgressItems, ProgressItemFromDescription, 11),
    SLOT(IProgressItems, get_EnumProgressItems, 12),

    DISPATCH_SLOTS(IFileSystemImageResult),
    SLOT(IFileSystemImageResult, get_ImageStream, 7),
    SLOT(IFileSystemImageResult, get_ProgressItems, 8),
    SLOT(IFileSystemImageResult, get_TotalBlocks, 9),
    SLOT(IFileSystemImageResult, get_BlockSize, 10),
    SLOT(IFileSystemImageResult, get_DiscId, 11),

    DISPATCH_SLOTS(IFileSystemImageResult2),
    SLOT(IFileSystemImageResult2, get_ImageStream, 7),
    SLOT(IFileSystemImageResult2, get_ProgressItems, 8),
    SLOT(IFileSystemImageResult2, get_TotalBlocks, 9),
    SLOT(IFileSystemImageResult2, get_BlockSize, 10),
    SLOT(IFileSystemImageResult2, get_DiscId, 11),
    SLOT(IFileSystemImageResult2, get_ModifiedBlocks, 12),

    FSI_ITEM_SLOTS(IFsiItem),

    UNKNOWN_SLOTS(IEnumFsiItems),
    SLOT(IEnumFsiItems, Next, 3),
    SLOT(IEnumFsiItems, Skip, 4),
    SLOT(IEnumFsiItems, Reset, 5),
    SLOT(IEnumFsiItems, Clone, 6),

    FSI_FILE_ITEM_SLOTS(IFsiFileItem),

    FSI_FILE_ITEM_SLOTS(IFsiFileItem2),
    SLOT(IFsiFileItem2, get_FsiNamedStreams, 24),
    SLOT(IFsiFileItem2, get_IsNamedStream, 25),
    SLOT(IFsiFileItem2, AddStream, 26),
    SLOT(IFsiFileItem2, RemoveStream, 27),
    SLOT(IFsiFileItem2, get_IsRealTime, 28),
    SLOT(IFsiFileItem2, put_IsRealTime, 29),

    DISPATCH_SLOTS(IFsiNamedStreams),
    SLOT(IFsiNamedStreams, get__NewEnum, 7),
    SLOT(IFsiNamedStreams, get_Item, 8),
    SLOT(IFsiNamedStreams, get_Count, 9),
    SLOT(IFsiNamedStreams, get_EnumNamedStreams, 10),

    FSI_DIRECTORY_ITEM_SLOTS(IFsiDirectoryItem),

    FSI_DIRECTORY_ITEM_SLOTS(IFsiDirectoryItem2),
    SLOT(IFsiDirectoryItem2, AddTreeWithNamedStreams, 29),

    FILE_SYSTEM_IMAGE_SLOTS(IFileSystemImage),

    FILE_SYSTEM_IMAGE_SLOTS(IFileSystemImage2),
    SLOT(IFileSystemImage2, get_BootImageOptionsArray, 57),
    SLOT(IFileSystemImage2, put_BootImageOptionsArray, 58),

    FILE_SYSTEM_IMAGE_SLOTS(IFileSystemImage3),
    SLOT(IFileSystemImage3, get_BootImageOptionsArray, 57),
    SLOT(IFileSystemImage3, put_BootImageOptionsArray, 58),
    SLOT(IFileSystemImage3, get_CreateRedundantUdfMetadataFiles, 59),
    SLOT(IFileSystemImage3, put_CreateRedundantUdfMetadataFiles, 60),
    SLOT(IFileSystemImage3, ProbeSpecificFileSystem, 61),

    DISPATCH_SLOTS(DFileSystemImageEvents),
    SLOT(DFileSystemImageEvents, Update, 7),

    DISPATCH_SLOTS(DFileSystemImageImportEvents),
    SLOT(DFileSystemImageImportEvents, UpdateImport, 7),

    DISPATCH_SLOTS(IIsoImageManager),
    SLOT(IIsoImageManager, get_Path, 7),
    SLOT(IIsoImageManager, get_Stream, 8),
    SLOT(IIsoImageManager, SetPath, 9),
    SLOT(IIsoImageManager, SetStream, 10),
    SLOT(IIsoImageManager, Validate, 11),

    DISPATCH_SLOTS(IBlockRange),
    SLOT(IBlockRange, get_StartLba, 7),
    SLOT(IBlockRange, get_EndLba, 8),

    DISPATCH_SLOTS(IBlockRangeList),
    SLOT(IBlockRangeList, get_BlockRanges, 7),

    MULTISESSION_SLOTS(IMultisession),

    MULTISESSION_SEQUENTIAL_SLOTS(IMultisessionSequential),

    MULTISESSION_SEQUENTIAL_SLOTS(IMultisessionSequential2),
    SLOT(IMultisessionSequential2, get_WriteUnitSize, 16),

    MULTISESSION_SLOTS(IMultisessionRandomWrite),
    SLOT(IMultisessionRandomWrite, get_WriteUnitSize, 11),
    SLOT(IMultisessionRandomWrite, get_LastWrittenAddress, 12),
    SLOT(IMultisessionRandomWrite, get_TotalSectorsOnMedia, 13),

    DISPATCH_SLOTS(IDiscRecorder2),
    SLOT(IDiscRecorder2, EjectMedia, 7),
    SLOT(IDiscRecorder2, CloseTray, 8),
    SLOT(IDiscRecorder2, AcquireExclusiveAccess, 9),
    SLOT(IDiscRecorder2, ReleaseExclusiveAccess, 10),
    SLOT(IDiscRecorder2, DisableMcn, 11),
    SLOT(IDiscRecorder2, EnableMcn, 12),
    SLOT(IDiscRecorder2, InitializeDiscRecorder, 13),
    SLOT(IDiscRecorder2, get_ActiveDiscRecorder, 14),
    SLOT(IDiscRecorder2, get_VendorId, 15),
    SLOT(IDiscRecorder2, get_ProductId, 16),
    SLOT(IDiscRecorder2, get_ProductRevision, 17),
    SLOT(IDiscRecorder2, get_VolumeName, 18),
    SLOT(IDiscRecorder2, get_VolumePathNames, 19),
    SLOT(IDiscRecorder2, get_DeviceCanLoadMedia, 20),
    SLOT(IDiscRecorder2, get_LegacyDeviceNumber, 21),
    SLOT(IDiscRecorder2, get_SupportedFeaturePages, 22),
    SLOT(IDiscRecorder2, get_CurrentFeaturePages, 23),
    SLOT(IDiscRecorder2, get_SupportedProfiles, 24),
    SLOT(IDiscRecorder2, get_CurrentProfiles, 25),
    SLOT(IDiscRecorder2, get_SupportedModePages, 26),
    SLOT(IDiscRecorder2, get_ExclusiveAccessOwner, 27),

    UNKNOWN_SLOTS(IDiscRecorder2Ex),
    SLOT(IDiscRecorder2Ex, SendCommandNoData, 3),
    SLOT(IDiscRecorder2Ex, SendCommandSendDataToDevice, 4),
    SLOT(IDiscRecorder2Ex, SendCommandGetDataFromDevice, 5),
    SLOT(IDiscRecorder2Ex, ReadDvdStructure, 6),
    SLOT(IDiscRecorder2Ex, SendDvdStructure, 7),
    SLOT(IDiscRecorder2Ex, GetAdapterDescriptor, 8),
    SLOT(IDiscRecorder2Ex, GetDeviceDescriptor, 9),
    SLOT(IDiscRecorder2Ex, GetDiscInformation, 10),
    SLOT(IDiscRecorder2Ex, GetTrackInformation, 11),
    SLOT(IDiscRecorder2Ex, GetFeaturePage, 12),
    SLOT(IDiscRecorder2Ex, GetModePage, 13),
    SLOT(IDiscRecorder2Ex, SetModePage, 14),
    SLOT(IDiscRecorder2Ex, GetSupportedFeaturePages, 15),
    SLOT(IDiscRecorder2Ex, GetSupportedProfiles, 16),
    SLOT(IDiscRecorder2Ex, GetSupportedModePages, 17),
    SLOT(IDiscRecorder2Ex, GetByteAlignmentMask, 18),
    SLOT(IDiscRecorder2Ex, GetMaximumNonPageAlignedTransferSize, 19),
    SLOT(IDiscRecorder2Ex, GetMaximumPageAlignedTransferSize, 20),
};

struct size_case {
    const char *iface;
    size_t slots;
    size_t expected;
};
#define VTBL_SIZE(iface, count) { #iface, sizeof(iface##Vtbl) / sizeof(void *), count }

/* Total number of vtable entries (IUnknown and IDispatch included), same sources as above:
 * a missing or extra trailing method changes the size. */
static const struct size_case vtable_sizes[] = {
    VTBL_SIZE(IBootOptions, 16),
    VTBL_SIZE(IProgressItem, 11),
    VTBL_SIZE(IEnumProgressItems, 7),
    VTBL_SIZE(IProgressItems, 13),
    VTBL_SIZE(IFileSystemImageResult, 12),
    VTBL_SIZE(IFileSystemImageResult2, 13),
    VTBL_SIZE(IFsiItem, 19),
    VTBL_SIZE(IEnumFsiItems, 7),
    VTBL_SIZE(IFsiFileItem, 24),
    VTBL_SIZE(IFsiFileItem2, 30),
    VTBL_SIZE(IFsiNamedStreams, 11),
    VTBL_SIZE(IFsiDirectoryItem, 29),
    VTBL_SIZE(IFsiDirectoryItem2, 30),
    VTBL_SIZE(IFileSystemImage, 57),
    VTBL_SIZE(IFileSystemImage2, 59),
    VTBL_SIZE(IFileSystemImage3, 62),
    VTBL_SIZE(DFileSystemImageEvents, 8),
    VTBL_SIZE(DFileSystemImageImportEvents, 8),
    VTBL_SIZE(IIsoImageManager, 12),
    VTBL_SIZE(IBlockRange, 9),
    VTBL_SIZE(IBlockRangeList, 8),
    VTBL_SIZE(IMultisession, 11),
    VTBL_SIZE(IMultisessionSequential, 16),
    VTBL_SIZE(IMultisessionSequential2, 17),
    VTBL_SIZE(IMultisessionRandomWrite, 14),
    VTBL_SIZE(IDiscRecorder2, 28),
    VTBL_SIZE(IDiscRecorder2Ex, 21),
};

static void test_vtable_slots_match_microsoft(void **state)
{
    int bad = 0;
    (void)state;
    for (size_t i = 0; i < COUNT(vtable_slots); i++) {
        const struct slot_case *c = &vtable_slots[i];
        if (c->slot != c->expected) {
            print_error("%s::%s is in vtable slot %u, Microsoft's is %u\n", c->iface, c->method,
                        (unsigned)c->slot, (unsigned)c->expected);
            bad++;
        }
    }
    assert_int_equal(0, bad);
}

static void test_vtable_sizes_match_microsoft_method_counts(void **state)
{
    int bad = 0;
    (void)state;
    for (size_t i = 0; i < COUNT(vtable_sizes); i++) {
        const struct size_case *c = &vtable_sizes[i];
        if (c->slots != c->expected) {
            print_error("%sVtbl has %u entries, Microsoft's has %u\n", c->iface,
                        (unsigned)c->slots, (unsigned)c->expected);
            bad++;
        }
    }
    assert_int_equal(0, bad);
}

/* ------------------------------------------------------------------------------------------ */
/* 3. The type library: DISPIDs, type flags, coclasses                                        */
/* ------------------------------------------------------------------------------------------ */

struct member_dispid {
    const WCHAR *wname;
    const char *name;
    DISPID id;
};
#define M(name, id) { WSTR(#name), #name, id }
#define END_MEMBERS { NULL, NULL, 0 }

/* Dispids: [TLB] (the "dispinterface ... dispid N" blocks) unless noted. */
static const struct member_dispid boot_options_ids[] = {
    M(BootImage, 1), M(Manufacturer, 2), M(PlatformId, 3), M(Emulation, 4), M(ImageSize, 5),
    M(AssignBootImage, 20), END_MEMBERS,
};
static const struct member_dispid progress_item_ids[] = {
    M(Description, 1), M(FirstBlock, 2), M(LastBlock, 3), M(BlockCount, 4), END_MEMBERS,
};
static const struct member_dispid progress_items_ids[] = {
    M(_NewEnum, DISPID_NEWENUM), M(Item, DISPID_VALUE), M(Count, 1), M(ProgressItemFromBlock, 2),
    M(ProgressItemFromDescription, 3), M(EnumProgressItems, 4), END_MEMBERS,
};
static const struct member_dispid result_ids[] = {
    M(ImageStream, 1), M(ProgressItems, 2), M(TotalBlocks, 3), M(BlockSize, 4), M(DiscId, 5),
    END_MEMBERS,
};
static const struct member_dispid result2_ids[] = {
    M(ModifiedBlocks, 6), END_MEMBERS,
};
static const struct member_dispid fsi_item_ids[] = {
    M(Name, 11), M(FullPath, 12), M(CreationTime, 13), M(LastAccessedTime, 14),
    M(LastModifiedTime, 15), M(IsHidden, 16), M(FileSystemName, 17), M(FileSystemPath, 18),
    END_MEMBERS,
};
static const struct member_dispid fsi_file_item_ids[] = {
    M(DataSize, 41), M(DataSize32BitLow, 42), M(DataSize32BitHigh, 43), M(Data, 44), END_MEMBERS,
};
static const struct member_dispid fsi_file_item2_ids[] = {
    M(FsiNamedStreams, 45), M(IsNamedStream, 46), M(AddStream, 47), M(RemoveStream, 48),
    M(IsRealTime, 49), END_MEMBERS,
};
static const struct member_dispid named_streams_ids[] = {
    M(_NewEnum, DISPID_NEWENUM), M(Item, DISPID_VALUE), M(Count, 81), M(EnumNamedStreams, 82),
    END_MEMBERS,
};
static const struct member_dispid fsi_directory_item_ids[] = {
    M(_NewEnum, DISPID_NEWENUM), M(Item, DISPID_VALUE), M(Count, 1), M(EnumFsiItems, 2),
    M(AddDirectory, 30), M(AddFile, 31), M(AddTree, 32), M(Add, 33), M(Remove, 34),
    M(RemoveTree, 35), END_MEMBERS,
};
static const struct member_dispid fsi_directory_item2_ids[] = {
    M(AddTreeWithNamedStreams, 36), END_MEMBERS,
};
static const struct member_dispid image_ids[] = {
    M(Root, DISPID_VALUE), M(SessionStartBlock, 1), M(FreeMediaBlocks, 2),
    M(SetMaxMediaBlocksFromDevice, 36), M(UsedBlocks, 3), M(VolumeName, 4),
    M(ImportedVolumeName, 5), M(BootImageOptions, 6), M(FileCount, 7), M(DirectoryCount, 8),
    M(WorkingDirectory, 9), M(ChangePoint, 10), M(StrictFileSystemCompliance, 11),
    M(UseRestrictedCharacterSet, 12), M(FileSystemsToCreate, 13), M(FileSystemsSupported, 14),
    M(UDFRevision, 37), M(UDFRevisionsSupported, 31), M(ChooseImageDefaults, 32),
    M(ChooseImageDefaultsForMediaType, 33), M(ISO9660InterchangeLevel, 34),
    M(ISO9660InterchangeLevelsSupported, 38), M(CreateResultImage, 15), M(Exists, 16),
    M(CalculateDiscIdentifier, 18), M(IdentifyFileSystemsOnDisc, 19),
    M(GetDefaultFileSystemForImport, 20), M(ImportFileSystem, 21),
    M(ImportSpecificFileSystem, 22), M(RollbackToChangePoint, 23), M(LockInChangePoint, 24),
    M(CreateDirectoryItem, 25), M(CreateFileItem, 26), M(VolumeNameUDF, 27),
    M(VolumeNameJoliet, 28), M(VolumeNameISO9660, 29), M(StageFiles, 30),
    M(MultisessionInterfaces, 40), END_MEMBERS,
};
static const struct member_dispid image2_ids[] = {
    M(BootImageOptionsArray, 60), END_MEMBERS,
};
static const struct member_dispid image3_ids[] = {
    M(CreateRedundantUdfMetadataFiles, 61), M(ProbeSpecificFileSystem, 70), END_MEMBERS,
};
/* IIsoImageManager: [CS] [DispId] values (not dual, so [TLB] has no dispinterface block). */
static const struct member_dispid iso_manager_ids[] = {
    M(Path, 0x100), M(Stream, 0x101), M(SetPath, 0x200), M(SetStream, 0x201), M(Validate, 0x202),
    END_MEMBERS,
};
/* Event DISPIDs: [MIDL]/[TFX] DISPID_DFILESYSTEMIMAGE(IMPORT)EVENTS_* and [CS]. */
static const struct member_dispid events_ids[] = {
    M(Update, 0x100), END_MEMBERS,
};
static const struct member_dispid import_events_ids[] = {
    M(UpdateImport, 0x101), END_MEMBERS,
};
static const struct member_dispid block_range_ids[] = {
    M(StartLba, 0x100), M(EndLba, 0x101), END_MEMBERS,
};
static const struct member_dispid block_range_list_ids[] = {
    M(BlockRanges, 0x100), END_MEMBERS,
};
static const struct member_dispid disc_recorder2_ids[] = {
    M(EjectMedia, 0x100), M(CloseTray, 0x101), M(AcquireExclusiveAccess, 0x102),
    M(ReleaseExclusiveAccess, 0x103), M(DisableMcn, 0x104), M(EnableMcn, 0x105),
    M(InitializeDiscRecorder, 0x106), M(ActiveDiscRecorder, DISPID_VALUE), M(VendorId, 0x201),
    M(ProductId, 0x202), M(ProductRevision, 0x203), M(VolumeName, 0x204),
    M(VolumePathNames, 0x205), M(DeviceCanLoadMedia, 0x206), M(LegacyDeviceNumber, 0x207),
    M(SupportedFeaturePages, 0x208), M(CurrentFeaturePages, 0x209), M(SupportedProfiles, 0x20A),
    M(CurrentProfiles, 0x20B), M(SupportedModePages, 0x20C), M(ExclusiveAccessOwner, 0x20D),
    END_MEMBERS,
};
/* IMultisession*: [TLB2]. */
static const struct member_dispid multisession_ids[] = {
    M(IsSupportedOnCurrentMediaState, 0x100), M(InUse, 0x101), M(ImportRecorder, 0x102),
    END_MEMBERS,
};
static const struct member_dispid multisession_sequential_ids[] = {
    M(IsFirstDataSession, 0x200), M(StartAddressOfPreviousSession, 0x201),
    M(LastWrittenAddressOfPreviousSession, 0x202), M(NextWritableAddress, 0x203),
    M(FreeSectorsOnMedia, 0x204), END_MEMBERS,
};
static const struct member_dispid multisession_sequential2_ids[] = {
    M(WriteUnitSize, 0x205), END_MEMBERS,
};
static const struct member_dispid multisession_random_write_ids[] = {
    M(WriteUnitSize, 0x205), M(LastWrittenAddress, 0x206), M(TotalSectorsOnMedia, 0x207),
    END_MEMBERS,
};

/* Type flags as [TLB] prints them: 4544 = dual|nonextensible|oleautomation|dispatchable,
 * 4416 = dual|oleautomation|dispatchable, 4480 = nonextensible|oleautomation|dispatchable,
 * 4096 = dispatchable. Only these four bits are compared. For a dual interface they are the
 * flags of the vtable (TKIND_INTERFACE) half: MIDL leaves oleautomation off the TKIND_DISPATCH
 * half (Wine's oleaut32 typelib test dumps a MIDL-built IDualIface dispatch half as 0x1040 and
 * expects 0x1140 on its interface half), so 4416 cannot describe the dispatch half. */
#define FLAGS_MASK (TYPEFLAG_FDUAL | TYPEFLAG_FNONEXTENSIBLE | TYPEFLAG_FOLEAUTOMATION | TYPEFLAG_FDISPATCHABLE)
#define NO_FLAG_CHECK 0xFFFF

struct typelib_iface {
    const char *name;
    const WCHAR *iid;
    WORD flags;    /* expected (wTypeFlags & FLAGS_MASK), or NO_FLAG_CHECK */
    BOOL required; /* Microsoft's imapi2fs type library describes it */
    const struct member_dispid *members[4];
};

static const struct typelib_iface typelib_ifaces[] = {
    { "IBootOptions", L"{2C941FD4-975B-59BE-A960-9A2A262853A5}", 4544, TRUE,
      { boot_options_ids } },
    { "IProgressItem", L"{2C941FD5-975B-59BE-A960-9A2A262853A5}", 4544, TRUE,
      { progress_item_ids } },
    { "IProgressItems", L"{2C941FD7-975B-59BE-A960-9A2A262853A5}", 4544, TRUE,
      { progress_items_ids } },
    { "IFileSystemImageResult", L"{2C941FD8-975B-59BE-A960-9A2A262853A5}", 4416, TRUE,
      { result_ids } },
    { "IFileSystemImageResult2", L"{B507CA29-2204-11DD-966A-001AA01BBC58}", 4416, TRUE,
      { result_ids, result2_ids } },
    { "IFsiItem", L"{2C941FD9-975B-59BE-A960-9A2A262853A5}", 4416, TRUE, { fsi_item_ids } },
    { "IFsiFileItem", L"{2C941FDB-975B-59BE-A960-9A2A262853A5}", 4416, TRUE,
      { fsi_item_ids, fsi_file_item_ids } },
    { "IFsiFileItem2", L"{199D0C19-11E1-40EB-8EC2-C8C822A07792}", 4416, TRUE,
      { fsi_item_ids, fsi_file_item_ids, fsi_file_item2_ids } },
    { "IFsiNamedStreams", L"{ED79BA56-5294-4250-8D46-F9AECEE23459}", 4544, TRUE,
      { named_streams_ids } },
    { "IFsiDirectoryItem", L"{2C941FDC-975B-59BE-A960-9A2A262853A5}", 4416, TRUE,
      { fsi_item_ids, fsi_directory_item_ids } },
    { "IFsiDirectoryItem2", L"{F7FB4B9B-6D96-4D7B-9115-201B144811EF}", 4416, TRUE,
      { fsi_item_ids, fsi_directory_item_ids, fsi_directory_item2_ids } },
    { "IFileSystemImage", L"{2C941FE1-975B-59BE-A960-9A2A262853A5}", 4416, TRUE, { image_ids } },
    { "IFileSystemImage2", L"{D7644B2C-1537-4767-B62F-F1387B02DDFD}", 4416, TRUE,
      { image_ids, image2_ids } },
    { "IFileSystemImage3", L"{7CFF842C-7E97-4807-8304-910DD8F7C051}", 4416, TRUE,
      { image_ids, image2_ids, image3_ids } },
    { "IIsoImageManager", L"{6CA38BE5-FBBB-4800-95A1-A438865EB0D4}", 4096, TRUE,
      { iso_manager_ids } },
    { "DFileSystemImageEvents", L"{2C941FDF-975B-59BE-A960-9A2A262853A5}", 4480, TRUE,
      { events_ids } },
    { "DFileSystemImageImportEvents", L"{D25C30F9-4087-4366-9E24-E55BE286424B}", 4480, TRUE,
      { import_events_ids } },
    { "IBlockRange", L"{B507CA25-2204-11DD-966A-001AA01BBC58}", 4416, TRUE,
      { block_range_ids } },
    { "IBlockRangeList", L"{B507CA26-2204-11DD-966A-001AA01BBC58}", 4416, TRUE,
      { block_range_list_ids } },
    { "IDiscRecorder2", L"{27354133-7F64-5B0F-8F00-5D77AFBE261E}", 4544, TRUE,
      { disc_recorder2_ids } },
    /* Not in Microsoft's imapi2fs type library (they live in imapi2's): checked if present. */
    { "IMultisession", L"{27354150-7F64-5B0F-8F00-5D77AFBE261E}", NO_FLAG_CHECK, FALSE,
      { multisession_ids } },
    { "IMultisessionSequential", L"{27354151-7F64-5B0F-8F00-5D77AFBE261E}", NO_FLAG_CHECK, FALSE,
      { multisession_ids, multisession_sequential_ids } },
    { "IMultisessionSequential2", L"{B507CA22-2204-11DD-966A-001AA01BBC58}", NO_FLAG_CHECK, FALSE,
      { multisession_ids, multisession_sequential_ids, multisession_sequential2_ids } },
    { "IMultisessionRandomWrite", L"{B507CA23-2204-11DD-966A-001AA01BBC58}", NO_FLAG_CHECK, FALSE,
      { multisession_ids, multisession_random_write_ids } },
};

/* The type library of the registered openfsi server (the harness registers the DLL first). */
static ITypeLib *load_imapi2fs_typelib(void)
{
    ITypeLib *tl = NULL;
    assert_hr(S_OK, LoadRegTypeLib(&LIBID_IMAPI2FS, 1, 0, LOCALE_NEUTRAL, &tl));
    assert_non_null(tl);
    return tl;
}

static ITypeInfo *find_type_info(ITypeLib *tl, const WCHAR *guid_text, HRESULT *hr_out)
{
    GUID guid = parse_guid(guid_text);
    ITypeInfo *ti = NULL;
    *hr_out = ITypeLib_GetTypeInfoOfGuid(tl, &guid, &ti);
    return SUCCEEDED(*hr_out) ? ti : NULL;
}

static void test_typelib_dispids_match_microsoft(void **state)
{
    ITypeLib *tl = load_imapi2fs_typelib();
    int bad = 0, checked = 0;
    (void)state;
    for (size_t i = 0; i < COUNT(typelib_ifaces); i++) {
        const struct typelib_iface *c = &typelib_ifaces[i];
        HRESULT hr;
        ITypeInfo *ti = find_type_info(tl, c->iid, &hr);
        if (!ti) {
            if (c->required) {
                print_error("%s: not in the type library (0x%08lX); Microsoft's has it\n",
                            c->name, (unsigned long)hr);
                bad++;
            }
            continue;
        }
        for (size_t part = 0; part < COUNT(c->members) && c->members[part]; part++) {
            for (const struct member_dispid *m = c->members[part]; m->wname; m++) {
                LPOLESTR names[1] = { (LPOLESTR)m->wname };
                MEMBERID id = MEMBERID_NIL;
                hr = ITypeInfo_GetIDsOfNames(ti, names, 1, &id);
                checked++;
                if (hr != S_OK) {
                    print_error("%s.%s: GetIDsOfNames failed (0x%08lX); Microsoft's DISPID is %ld\n",
                                c->name, m->name, (unsigned long)hr, (long)m->id);
                    bad++;
                } else if (id != m->id) {
                    print_error("%s.%s has DISPID %ld (0x%lX), Microsoft's is %ld (0x%lX)\n",
                                c->name, m->name, (long)id, (unsigned long)id, (long)m->id,
                                (unsigned long)m->id);
                    bad++;
                }
            }
        }
        ITypeInfo_Release(ti);
    }
    ITypeLib_Release(tl);
    assert_true(checked > 0);
    assert_int_equal(0, bad);
}

static void test_typelib_type_flags_match_microsoft(void **state)
{
    ITypeLib *tl = load_imapi2fs_typelib();
    int bad = 0;
    (void)state;
    for (size_t i = 0; i < COUNT(typelib_ifaces); i++) {
        const struct typelib_iface *c = &typelib_ifaces[i];
        TYPEATTR *attr = NULL;
        HRESULT hr;
        ITypeInfo *ti;
        if (c->flags == NO_FLAG_CHECK)
            continue;
        ti = find_type_info(tl, c->iid, &hr);
        if (!ti) {
            print_error("%s: not in the type library (0x%08lX)\n", c->name, (unsigned long)hr);
            bad++;
            continue;
        }
        assert_hr(S_OK, ITypeInfo_GetTypeAttr(ti, &attr));
        if (attr->typekind == TKIND_DISPATCH && (attr->wTypeFlags & TYPEFLAG_FDUAL)) {
            /* A dual interface: compare the flags of its vtable half. */
            HREFTYPE ref;
            ITypeInfo *vtable_half = NULL;
            ITypeInfo_ReleaseTypeAttr(ti, attr);
            assert_hr(S_OK, ITypeInfo_GetRefTypeOfImplType(ti, -1, &ref));
            assert_hr(S_OK, ITypeInfo_GetRefTypeInfo(ti, ref, &vtable_half));
            ITypeInfo_Release(ti);
            ti = vtable_half;
            assert_hr(S_OK, ITypeInfo_GetTypeAttr(ti, &attr));
        }
        if ((attr->wTypeFlags & FLAGS_MASK) != c->flags) {
            print_error("%s: type flags 0x%04X (dual/nonextensible/oleautomation/dispatchable "
                        "bits), Microsoft's are 0x%04X\n",
                        c->name, attr->wTypeFlags & FLAGS_MASK, c->flags);
            bad++;
        }
        ITypeInfo_ReleaseTypeAttr(ti, attr);
        ITypeInfo_Release(ti);
    }
    ITypeLib_Release(tl);
    assert_int_equal(0, bad);
}

struct coclass_case {
    const char *name;
    const WCHAR *clsid;
    const WCHAR *default_iid; /* [TLB] "Default Interface" */
    const WCHAR *source_iid;  /* [TLB] "Event Interface", or NULL */
};

static const struct coclass_case coclasses[] = {
    { "BootOptions", L"{2C941FCE-975B-59BE-A960-9A2A262853A5}",
      L"{2C941FD4-975B-59BE-A960-9A2A262853A5}" /* IBootOptions */, NULL },
    { "FsiStream", L"{2C941FCD-975B-59BE-A960-9A2A262853A5}",
      L"{0000000C-0000-0000-C000-000000000046}" /* IStream */, NULL },
    { "FileSystemImageResult", L"{2C941FCC-975B-59BE-A960-9A2A262853A5}",
      L"{B507CA29-2204-11DD-966A-001AA01BBC58}" /* IFileSystemImageResult2 */, NULL },
    { "ProgressItem", L"{2C941FCB-975B-59BE-A960-9A2A262853A5}",
      L"{2C941FD5-975B-59BE-A960-9A2A262853A5}" /* IProgressItem */, NULL },
    { "EnumProgressItems", L"{2C941FCA-975B-59BE-A960-9A2A262853A5}",
      L"{2C941FD6-975B-59BE-A960-9A2A262853A5}" /* IEnumProgressItems */, NULL },
    { "ProgressItems", L"{2C941FC9-975B-59BE-A960-9A2A262853A5}",
      L"{2C941FD7-975B-59BE-A960-9A2A262853A5}" /* IProgressItems */, NULL },
    { "FsiDirectoryItem", L"{2C941FC8-975B-59BE-A960-9A2A262853A5}",
      L"{F7FB4B9B-6D96-4D7B-9115-201B144811EF}" /* IFsiDirectoryItem2 */, NULL },
    { "FsiFileItem", L"{2C941FC7-975B-59BE-A960-9A2A262853A5}",
      L"{199D0C19-11E1-40EB-8EC2-C8C822A07792}" /* IFsiFileItem2 */, NULL },
    { "EnumFsiItems", L"{2C941FC6-975B-59BE-A960-9A2A262853A5}",
      L"{2C941FDA-975B-59BE-A960-9A2A262853A5}" /* IEnumFsiItems */, NULL },
    { "FsiNamedStreams", L"{C6B6F8ED-6D19-44B4-B539-B159B793A32D}",
      L"{ED79BA56-5294-4250-8D46-F9AECEE23459}" /* IFsiNamedStreams */, NULL },
    { "MsftFileSystemImage", L"{2C941FC5-975B-59BE-A960-9A2A262853A5}",
      L"{7CFF842C-7E97-4807-8304-910DD8F7C051}" /* IFileSystemImage3 */,
      L"{2C941FDF-975B-59BE-A960-9A2A262853A5}" /* DFileSystemImageEvents */ },
    { "MsftIsoImageManager", L"{CEEE3B62-8F56-4056-869B-EF16917E3EFC}",
      L"{6CA38BE5-FBBB-4800-95A1-A438865EB0D4}" /* IIsoImageManager */, NULL },
    { "BlockRange", L"{B507CA27-2204-11DD-966A-001AA01BBC58}",
      L"{B507CA25-2204-11DD-966A-001AA01BBC58}" /* IBlockRange */, NULL },
    { "BlockRangeList", L"{B507CA28-2204-11DD-966A-001AA01BBC58}",
      L"{B507CA26-2204-11DD-966A-001AA01BBC58}" /* IBlockRangeList */, NULL },
};

/* The IID of the coclass's implemented interface that has exactly the wanted default/source
 * flags, or GUID_NULL. */
static GUID coclass_interface(ITypeInfo *ti, UINT count, BOOL source)
{
    for (UINT k = 0; k < count; k++) {
        INT flags = 0;
        HREFTYPE ref;
        ITypeInfo *iti = NULL;
        TYPEATTR *attr = NULL;
        GUID iid;
        if (FAILED(ITypeInfo_GetImplTypeFlags(ti, k, &flags)))
            continue;
        if (!(flags & IMPLTYPEFLAG_FDEFAULT) || !!(flags & IMPLTYPEFLAG_FSOURCE) != !!source)
            continue;
        if (FAILED(ITypeInfo_GetRefTypeOfImplType(ti, k, &ref)) ||
            FAILED(ITypeInfo_GetRefTypeInfo(ti, ref, &iti)))
            continue;
        assert_hr(S_OK, ITypeInfo_GetTypeAttr(iti, &attr));
        iid = attr->guid;
        ITypeInfo_ReleaseTypeAttr(iti, attr);
        ITypeInfo_Release(iti);
        return iid;
    }
    return GUID_NULL;
}

static void test_typelib_coclass_default_interfaces_match_microsoft(void **state)
{
    ITypeLib *tl = load_imapi2fs_typelib();
    int bad = 0;
    (void)state;
    for (size_t i = 0; i < COUNT(coclasses); i++) {
        const struct coclass_case *c = &coclasses[i];
        TYPEATTR *attr = NULL;
        HRESULT hr;
        UINT count;
        ITypeInfo *ti = find_type_info(tl, c->clsid, &hr);
        if (!ti) {
            print_error("coclass %s: not in the type library (0x%08lX)\n", c->name,
                        (unsigned long)hr);
            bad++;
            continue;
        }
        assert_hr(S_OK, ITypeInfo_GetTypeAttr(ti, &attr));
        count = attr->cImplTypes;
        if (attr->typekind != TKIND_COCLASS) {
            print_error("%s: typekind %d, expected TKIND_COCLASS\n", c->name, (int)attr->typekind);
            bad++;
        }
        ITypeInfo_ReleaseTypeAttr(ti, attr);
        for (int source = 0; source <= 1; source++) {
            const WCHAR *want_text = source ? c->source_iid : c->default_iid;
            GUID have = coclass_interface(ti, count, source);
            GUID want = want_text ? parse_guid(want_text) : GUID_NULL;
            if (!IsEqualGUID(&have, &want)) {
                char h[40], w[40];
                guid_to_text(&have, h);
                guid_to_text(&want, w);
                print_error("coclass %s: default %s interface %s, Microsoft's is %s\n", c->name,
                            source ? "source" : "", h, w);
                bad++;
            }
        }
        ITypeInfo_Release(ti);
    }
    ITypeLib_Release(tl);
    assert_int_equal(0, bad);
}

/* DISPID_* macros of our headers. Microsoft's names: [MIDL]/[TFX] DISPID.cs for imapi2fs.h,
 * [AHK] Apis.ahk for imapi2.h. openfsi's own names (imapi2fs_dispids.h part 2) are compared
 * with the [TLB] values when that header provides them. */
struct macro_case {
    const char *name;
    long long value;
    long long expected;
};
#define D(name, value) { #name, (long long)(name), (long long)(value) }

static const struct macro_case dispid_macros[] = {
    D(DISPID_DFILESYSTEMIMAGEEVENTS_UPDATE, 0x100),
    D(DISPID_DFILESYSTEMIMAGEIMPORTEVENTS_UPDATEIMPORT, 0x101),
    D(DISPID_IDISCRECORDER2_EJECTMEDIA, 256),
    D(DISPID_IDISCRECORDER2_CLOSETRAY, 257),
    D(DISPID_IDISCRECORDER2_ACQUIREEXCLUSIVEACCESS, 258),
    D(DISPID_IDISCRECORDER2_RELEASEEXCLUSIVEACCESS, 259),
    D(DISPID_IDISCRECORDER2_DISABLEMCN, 260),
    D(DISPID_IDISCRECORDER2_ENABLEMCN, 261),
    D(DISPID_IDISCRECORDER2_INITIALIZEDISCRECORDER, 262),
    D(DISPID_IDISCRECORDER2_ACTIVEDISCRECORDER, 0),
    D(DISPID_IDISCRECORDER2_VENDORID, 513),
    D(DISPID_IDISCRECORDER2_PRODUCTID, 514),
    D(DISPID_IDISCRECORDER2_PRODUCTREVISION, 515),
    D(DISPID_IDISCRECORDER2_VOLUMENAME, 516),
    D(DISPID_IDISCRECORDER2_VOLUMEPATHNAMES, 517),
    D(DISPID_IDISCRECORDER2_DEVICECANLOADMEDIA, 518),
    D(DISPID_IDISCRECORDER2_LEGACYDEVICENUMBER, 519),
    D(DISPID_IDISCRECORDER2_SUPPORTEDFEATUREPAGES, 520),
    D(DISPID_IDISCRECORDER2_CURRENTFEATUREPAGES, 521),
    D(DISPID_IDISCRECORDER2_SUPPORTEDPROFILES, 522),
    D(DISPID_IDISCRECORDER2_CURRENTPROFILES, 523),
    D(DISPID_IDISCRECORDER2_SUPPORTEDMODEPAGES, 524),
    D(DISPID_IDISCRECORDER2_EXCLUSIVEACCESSOWNER, 525),
    D(DISPID_IMULTISESSION_SUPPORTEDONCURRENTMEDIA, 256),
    D(DISPID_IMULTISESSION_INUSE, 257),
    D(DISPID_IMULTISESSION_IMPORTRECORDER, 258),
    D(DISPID_IMULTISESSION_FIRSTDATASESSION, 512),
    D(DISPID_IMULTISESSION_STARTSECTOROFPREVIOUSSESSION, 513),
    D(DISPID_IMULTISESSION_LASTSECTOROFPREVIOUSSESSION, 514),
    D(DISPID_IMULTISESSION_NEXTWRITABLEADDRESS, 515),
    D(DISPID_IMULTISESSION_FREESECTORS, 516),
    D(DISPID_IMULTISESSION_WRITEUNITSIZE, 517),
    D(DISPID_IMULTISESSION_LASTWRITTENADDRESS, 518),
    D(DISPID_IMULTISESSION_SECTORSONMEDIA, 519),
    D(DISPID_IBLOCKRANGE_STARTLBA, 256),
    D(DISPID_IBLOCKRANGE_ENDLBA, 257),
    D(DISPID_IBLOCKRANGELIST_BLOCKRANGES, 256),
#if defined(DISPID_IFILESYSTEMIMAGE_VOLUMENAME) /* openfsi's names for the member DISPIDs */
    D(DISPID_IBOOTOPTIONS_BOOTIMAGE, 1),
    D(DISPID_IBOOTOPTIONS_MANUFACTURER, 2),
    D(DISPID_IBOOTOPTIONS_PLATFORMID, 3),
    D(DISPID_IBOOTOPTIONS_EMULATION, 4),
    D(DISPID_IBOOTOPTIONS_IMAGESIZE, 5),
    D(DISPID_IBOOTOPTIONS_ASSIGNBOOTIMAGE, 20),
    D(DISPID_IPROGRESSITEM_DESCRIPTION, 1),
    D(DISPID_IPROGRESSITEM_FIRSTBLOCK, 2),
    D(DISPID_IPROGRESSITEM_LASTBLOCK, 3),
    D(DISPID_IPROGRESSITEM_BLOCKCOUNT, 4),
    D(DISPID_IPROGRESSITEMS_COUNT, 1),
    D(DISPID_IPROGRESSITEMS_PROGRESSITEMFROMBLOCK, 2),
    D(DISPID_IPROGRESSITEMS_PROGRESSITEMFROMDESCRIPTION, 3),
    D(DISPID_IPROGRESSITEMS_ENUMPROGRESSITEMS, 4),
    D(DISPID_IFILESYSTEMIMAGERESULT_IMAGESTREAM, 1),
    D(DISPID_IFILESYSTEMIMAGERESULT_PROGRESSITEMS, 2),
    D(DISPID_IFILESYSTEMIMAGERESULT_TOTALBLOCKS, 3),
    D(DISPID_IFILESYSTEMIMAGERESULT_BLOCKSIZE, 4),
    D(DISPID_IFILESYSTEMIMAGERESULT_DISCID, 5),
    D(DISPID_IFILESYSTEMIMAGERESULT2_MODIFIEDBLOCKS, 6),
    D(DISPID_IFSIITEM_NAME, 11),
    D(DISPID_IFSIITEM_FULLPATH, 12),
    D(DISPID_IFSIITEM_CREATIONTIME, 13),
    D(DISPID_IFSIITEM_LASTACCESSEDTIME, 14),
    D(DISPID_IFSIITEM_LASTMODIFIEDTIME, 15),
    D(DISPID_IFSIITEM_ISHIDDEN, 16),
    D(DISPID_IFSIITEM_FILESYSTEMNAME, 17),
    D(DISPID_IFSIITEM_FILESYSTEMPATH, 18),
    D(DISPID_IFSIFILEITEM_DATASIZE, 41),
    D(DISPID_IFSIFILEITEM_DATASIZE32BITLOW, 42),
    D(DISPID_IFSIFILEITEM_DATASIZE32BITHIGH, 43),
    D(DISPID_IFSIFILEITEM_DATA, 44),
    D(DISPID_IFSIFILEITEM2_FSINAMEDSTREAMS, 45),
    D(DISPID_IFSIFILEITEM2_ISNAMEDSTREAM, 46),
    D(DISPID_IFSIFILEITEM2_ADDSTREAM, 47),
    D(DISPID_IFSIFILEITEM2_REMOVESTREAM, 48),
    D(DISPID_IFSIFILEITEM2_ISREALTIME, 49),
    D(DISPID_IFSINAMEDSTREAMS_COUNT, 81),
    D(DISPID_IFSINAMEDSTREAMS_ENUMNAMEDSTREAMS, 82),
    D(DISPID_IFSIDIRECTORYITEM_COUNT, 1),
    D(DISPID_IFSIDIRECTORYITEM_ENUMFSIITEMS, 2),
    D(DISPID_IFSIDIRECTORYITEM_ADDDIRECTORY, 30),
    D(DISPID_IFSIDIRECTORYITEM_ADDFILE, 31),
    D(DISPID_IFSIDIRECTORYITEM_ADDTREE, 32),
    D(DISPID_IFSIDIRECTORYITEM_ADD, 33),
    D(DISPID_IFSIDIRECTORYITEM_REMOVE, 34),
    D(DISPID_IFSIDIRECTORYITEM_REMOVETREE, 35),
    D(DISPID_IFSIDIRECTORYITEM2_ADDTREEWITHNAMEDSTREAMS, 36),
    D(DISPID_IFILESYSTEMIMAGE_ROOT, 0),
    D(DISPID_IFILESYSTEMIMAGE_SESSIONSTARTBLOCK, 1),
    D(DISPID_IFILESYSTEMIMAGE_FREEMEDIABLOCKS, 2),
    D(DISPID_IFILESYSTEMIMAGE_USEDBLOCKS, 3),
    D(DISPID_IFILESYSTEMIMAGE_VOLUMENAME, 4),
    D(DISPID_IFILESYSTEMIMAGE_IMPORTEDVOLUMENAME, 5),
    D(DISPID_IFILESYSTEMIMAGE_BOOTIMAGEOPTIONS, 6),
    D(DISPID_IFILESYSTEMIMAGE_FILECOUNT, 7),
    D(DISPID_IFILESYSTEMIMAGE_DIRECTORYCOUNT, 8),
    D(DISPID_IFILESYSTEMIMAGE_WORKINGDIRECTORY, 9),
    D(DISPID_IFILESYSTEMIMAGE_CHANGEPOINT, 10),
    D(DISPID_IFILESYSTEMIMAGE_STRICTFILESYSTEMCOMPLIANCE, 11),
    D(DISPID_IFILESYSTEMIMAGE_USERESTRICTEDCHARACTERSET, 12),
    D(DISPID_IFILESYSTEMIMAGE_FILESYSTEMSTOCREATE, 13),
    D(DISPID_IFILESYSTEMIMAGE_FILESYSTEMSSUPPORTED, 14),
    D(DISPID_IFILESYSTEMIMAGE_CREATERESULTIMAGE, 15),
    D(DISPID_IFILESYSTEMIMAGE_EXISTS, 16),
    D(DISPID_IFILESYSTEMIMAGE_CALCULATEDISCIDENTIFIER, 18),
    D(DISPID_IFILESYSTEMIMAGE_IDENTIFYFILESYSTEMSONDISC, 19),
    D(DISPID_IFILESYSTEMIMAGE_GETDEFAULTFILESYSTEMFORIMPORT, 20),
    D(DISPID_IFILESYSTEMIMAGE_IMPORTFILESYSTEM, 21),
    D(DISPID_IFILESYSTEMIMAGE_IMPORTSPECIFICFILESYSTEM, 22),
    D(DISPID_IFILESYSTEMIMAGE_ROLLBACKTOCHANGEPOINT, 23),
    D(DISPID_IFILESYSTEMIMAGE_LOCKINCHANGEPOINT, 24),
    D(DISPID_IFILESYSTEMIMAGE_CREATEDIRECTORYITEM, 25),
    D(DISPID_IFILESYSTEMIMAGE_CREATEFILEITEM, 26),
    D(DISPID_IFILESYSTEMIMAGE_VOLUMENAMEUDF, 27),
    D(DISPID_IFILESYSTEMIMAGE_VOLUMENAMEJOLIET, 28),
    D(DISPID_IFILESYSTEMIMAGE_VOLUMENAMEISO9660, 29),
    D(DISPID_IFILESYSTEMIMAGE_STAGEFILES, 30),
    D(DISPID_IFILESYSTEMIMAGE_UDFREVISIONSSUPPORTED, 31),
    D(DISPID_IFILESYSTEMIMAGE_CHOOSEIMAGEDEFAULTS, 32),
    D(DISPID_IFILESYSTEMIMAGE_CHOOSEIMAGEDEFAULTSFORMEDIATYPE, 33),
    D(DISPID_IFILESYSTEMIMAGE_ISO9660INTERCHANGELEVEL, 34),
    D(DISPID_IFILESYSTEMIMAGE_SETMAXMEDIABLOCKSFROMDEVICE, 36),
    D(DISPID_IFILESYSTEMIMAGE_UDFREVISION, 37),
    D(DISPID_IFILESYSTEMIMAGE_ISO9660INTERCHANGELEVELSSUPPORTED, 38),
    D(DISPID_IFILESYSTEMIMAGE_MULTISESSIONINTERFACES, 40),
    D(DISPID_IFILESYSTEMIMAGE2_BOOTIMAGEOPTIONSARRAY, 60),
    D(DISPID_IFILESYSTEMIMAGE3_CREATEREDUNDANTUDFMETADATAFILES, 61),
    D(DISPID_IFILESYSTEMIMAGE3_PROBESPECIFICFILESYSTEM, 70),
    D(DISPID_IISOIMAGEMANAGER_PATH, 0x100),
    D(DISPID_IISOIMAGEMANAGER_STREAM, 0x101),
    D(DISPID_IISOIMAGEMANAGER_SETPATH, 0x200),
    D(DISPID_IISOIMAGEMANAGER_SETSTREAM, 0x201),
    D(DISPID_IISOIMAGEMANAGER_VALIDATE, 0x202),
#endif
};

static int count_macro_mismatches(const struct macro_case *cases, size_t n, const char *what)
{
    int bad = 0;
    for (size_t i = 0; i < n; i++) {
        if (cases[i].value != cases[i].expected) {
            print_error("%s %s is 0x%llX, Microsoft's is 0x%llX\n", what, cases[i].name,
                        (unsigned long long)cases[i].value, (unsigned long long)cases[i].expected);
            bad++;
        }
    }
    return bad;
}

static void test_dispid_macros_match_microsoft(void **state)
{
    (void)state;
    assert_int_equal(0, count_macro_mismatches(dispid_macros, COUNT(dispid_macros), "macro"));
}

/* ------------------------------------------------------------------------------------------ */
/* 4. Enumerations, constants, HRESULTs                                                        */
/* ------------------------------------------------------------------------------------------ */

#define E(name, value) { #name, (long long)(name), (long long)(value) }

/* [MIDL] enums and #defines of imapi2fs.h, [TLB] enum constants, [AHK] Apis.ahk for
 * IMAPI_SECTOR_SIZE and IMAPI2_DEFAULT_COMMAND_TIMEOUT. */
static const struct macro_case enum_values[] = {
    E(FsiItemNotFound, 0),
    E(FsiItemDirectory, 1),
    E(FsiItemFile, 2),
    E(FsiFileSystemNone, 0),
    E(FsiFileSystemISO9660, 1),
    E(FsiFileSystemJoliet, 2),
    E(FsiFileSystemUDF, 4),
    E(FsiFileSystemUnknown, 0x40000000),
    E(EmulationNone, 0),
    E(Emulation12MFloppy, 1),
    E(Emulation144MFloppy, 2),
    E(Emulation288MFloppy, 3),
    E(EmulationHardDisk, 4),
    E(PlatformX86, 0),
    E(PlatformPowerPC, 1),
    E(PlatformMac, 2),
    E(PlatformEFI, 0xEF),
    E(IMAPI_MEDIA_TYPE_UNKNOWN, 0x00),
    E(IMAPI_MEDIA_TYPE_CDROM, 0x01),
    E(IMAPI_MEDIA_TYPE_CDR, 0x02),
    E(IMAPI_MEDIA_TYPE_CDRW, 0x03),
    E(IMAPI_MEDIA_TYPE_DVDROM, 0x04),
    E(IMAPI_MEDIA_TYPE_DVDRAM, 0x05),
    E(IMAPI_MEDIA_TYPE_DVDPLUSR, 0x06),
    E(IMAPI_MEDIA_TYPE_DVDPLUSRW, 0x07),
    E(IMAPI_MEDIA_TYPE_DVDPLUSR_DUALLAYER, 0x08),
    E(IMAPI_MEDIA_TYPE_DVDDASHR, 0x09),
    E(IMAPI_MEDIA_TYPE_DVDDASHRW, 0x0A),
    E(IMAPI_MEDIA_TYPE_DVDDASHR_DUALLAYER, 0x0B),
    E(IMAPI_MEDIA_TYPE_DISK, 0x0C),
    E(IMAPI_MEDIA_TYPE_DVDPLUSRW_DUALLAYER, 0x0D),
    E(IMAPI_MEDIA_TYPE_HDDVDROM, 0x0E),
    E(IMAPI_MEDIA_TYPE_HDDVDR, 0x0F),
    E(IMAPI_MEDIA_TYPE_HDDVDRAM, 0x10),
    E(IMAPI_MEDIA_TYPE_BDROM, 0x11),
    E(IMAPI_MEDIA_TYPE_BDR, 0x12),
    E(IMAPI_MEDIA_TYPE_BDRE, 0x13),
    E(IMAPI_MEDIA_TYPE_MAX, 0x13),
    E(IMAPI2FS_BOOT_ENTRY_COUNT_MAX, 32),
    E(IMAPI2FS_MajorVersion, 1),
    E(IMAPI2FS_MinorVersion, 0),
    E(IMAPI_SECTOR_SIZE, 2048),
    E(IMAPI2_DEFAULT_COMMAND_TIMEOUT, 10),
};

static void test_enum_values_match_microsoft(void **state)
{
    (void)state;
    assert_int_equal(0, count_macro_mismatches(enum_values, COUNT(enum_values), "constant"));
    /* Microsoft's enums are 32-bit ([MIDL]); an enum compiled to another size breaks the ABI. */
    assert_int_equal(4, sizeof(FsiFileSystems));
    assert_int_equal(4, sizeof(IMAPI_MEDIA_PHYSICAL_TYPE));
}

#define HR(name, value) { #name, (long long)(ULONG)(name), (long long)(ULONG)(value) }

/* imapi2fserror.h: win32metadata constants as [AHK] exports them (decimal, written here in hex);
 * spot-checked against the sdk-api return-value tables (e.g. IMAPI_E_IMAGE_TOO_BIG 0xC0AAB121). */
static const struct macro_case fs_hresults[] = {
    HR(IMAPI_E_FSI_INTERNAL_ERROR, 0xC0AAB100),
    HR(IMAPI_E_INVALID_PARAM, 0xC0AAB101),
    HR(IMAPI_E_READONLY, 0xC0AAB102),
    HR(IMAPI_E_NO_OUTPUT, 0xC0AAB103),
    HR(IMAPI_E_INVALID_VOLUME_NAME, 0xC0AAB104),
    HR(IMAPI_E_INVALID_DATE, 0xC0AAB105),
    HR(IMAPI_E_FILE_SYSTEM_NOT_EMPTY, 0xC0AAB106),
    HR(IMAPI_E_NOT_FILE, 0xC0AAB108),
    HR(IMAPI_E_NOT_DIR, 0xC0AAB109),
    HR(IMAPI_E_DIR_NOT_EMPTY, 0xC0AAB10A),
    HR(IMAPI_E_NOT_IN_FILE_SYSTEM, 0xC0AAB10B),
    HR(IMAPI_E_INVALID_PATH, 0xC0AAB110),
    HR(IMAPI_E_RESTRICTED_NAME_VIOLATION, 0xC0AAB111),
    HR(IMAPI_E_DUP_NAME, 0xC0AAB112),
    HR(IMAPI_E_NO_UNIQUE_NAME, 0xC0AAB113),
    HR(IMAPI_E_ITEM_NOT_FOUND, 0xC0AAB118),
    HR(IMAPI_E_FILE_NOT_FOUND, 0xC0AAB119),
    HR(IMAPI_E_DIR_NOT_FOUND, 0xC0AAB11A),
    HR(IMAPI_E_IMAGE_SIZE_LIMIT, 0xC0AAB120),
    HR(IMAPI_E_IMAGE_TOO_BIG, 0xC0AAB121),
    HR(IMAPI_E_DATA_STREAM_INCONSISTENCY, 0xC0AAB128),
    HR(IMAPI_E_DATA_STREAM_READ_FAILURE, 0xC0AAB129),
    HR(IMAPI_E_DATA_STREAM_CREATE_FAILURE, 0xC0AAB12A),
    HR(IMAPI_E_DIRECTORY_READ_FAILURE, 0xC0AAB12B),
    HR(IMAPI_E_TOO_MANY_DIRS, 0xC0AAB130),
    HR(IMAPI_E_ISO9660_LEVELS, 0xC0AAB131),
    HR(IMAPI_E_DATA_TOO_BIG, 0xC0AAB132),
    HR(IMAPI_E_INCOMPATIBLE_PREVIOUS_SESSION, 0xC0AAB133),
    HR(IMAPI_E_STASHFILE_OPEN_FAILURE, 0xC0AAB138),
    HR(IMAPI_E_STASHFILE_SEEK_FAILURE, 0xC0AAB139),
    HR(IMAPI_E_STASHFILE_WRITE_FAILURE, 0xC0AAB13A),
    HR(IMAPI_E_STASHFILE_READ_FAILURE, 0xC0AAB13B),
    HR(IMAPI_E_INVALID_WORKING_DIRECTORY, 0xC0AAB140),
    HR(IMAPI_E_WORKING_DIRECTORY_SPACE, 0xC0AAB141),
    HR(IMAPI_E_STASHFILE_MOVE, 0xC0AAB142),
    HR(IMAPI_E_BOOT_IMAGE_DATA, 0xC0AAB148),
    HR(IMAPI_E_BOOT_OBJECT_CONFLICT, 0xC0AAB149),
    HR(IMAPI_E_BOOT_EMULATION_IMAGE_SIZE_MISMATCH, 0xC0AAB14A),
    HR(IMAPI_E_EMPTY_DISC, 0xC0AAB150),
    HR(IMAPI_E_NO_SUPPORTED_FILE_SYSTEM, 0xC0AAB151),
    HR(IMAPI_E_FILE_SYSTEM_NOT_FOUND, 0xC0AAB152),
    HR(IMAPI_E_FILE_SYSTEM_READ_CONSISTENCY_ERROR, 0xC0AAB153),
    HR(IMAPI_E_FILE_SYSTEM_FEATURE_NOT_SUPPORTED, 0xC0AAB154),
    HR(IMAPI_E_IMPORT_TYPE_COLLISION_FILE_EXISTS_AS_DIRECTORY, 0xC0AAB155),
    HR(IMAPI_E_IMPORT_SEEK_FAILURE, 0xC0AAB156),
    HR(IMAPI_E_IMPORT_READ_FAILURE, 0xC0AAB157),
    HR(IMAPI_E_DISC_MISMATCH, 0xC0AAB158),
    HR(IMAPI_E_IMPORT_MEDIA_NOT_ALLOWED, 0xC0AAB159),
    HR(IMAPI_E_UDF_NOT_WRITE_COMPATIBLE, 0xC0AAB15A),
    HR(IMAPI_E_INCOMPATIBLE_MULTISESSION_TYPE, 0xC0AAB15B),
    HR(IMAPI_E_NO_COMPATIBLE_MULTISESSION_TYPE, 0xC0AAB15C),
    HR(IMAPI_E_MULTISESSION_NOT_SET, 0xC0AAB15D),
    HR(IMAPI_E_IMPORT_TYPE_COLLISION_DIRECTORY_EXISTS_AS_FILE, 0xC0AAB15E),
    HR(IMAPI_S_IMAGE_FEATURE_NOT_SUPPORTED, 0x00AAB15F),
    HR(IMAPI_E_PROPERTY_NOT_ACCESSIBLE, 0xC0AAB160),
    HR(IMAPI_E_UDF_REVISION_CHANGE_NOT_ALLOWED, 0xC0AAB161),
    HR(IMAPI_E_BAD_MULTISESSION_PARAMETER, 0xC0AAB162),
    HR(IMAPI_E_FILE_SYSTEM_CHANGE_NOT_ALLOWED, 0xC0AAB163),
    HR(IMAPI_E_IMAGEMANAGER_IMAGE_NOT_ALIGNED, 0xC0AAB200),
    HR(IMAPI_E_IMAGEMANAGER_NO_VALID_VD_FOUND, 0xC0AAB201),
    HR(IMAPI_E_IMAGEMANAGER_NO_IMAGE, 0xC0AAB202),
    HR(IMAPI_E_IMAGEMANAGER_IMAGE_TOO_BIG, 0xC0AAB203),
};

/* imapi2error.h: same source; the E_IMAPI_RECORDER_* values also appear in [AHK]
 * IDiscRecorder2.ahk's return-value tables (e.g. E_IMAPI_RECORDER_MEDIA_NO_MEDIA 0xC0AA0202). */
static const struct macro_case imapi2_hresults[] = {
    HR(E_IMAPI_REQUEST_CANCELLED, 0xC0AA0002),
    HR(E_IMAPI_RECORDER_REQUIRED, 0xC0AA0003),
    HR(S_IMAPI_SPEEDADJUSTED, 0x00AA0004),
    HR(S_IMAPI_ROTATIONADJUSTED, 0x00AA0005),
    HR(S_IMAPI_BOTHADJUSTED, 0x00AA0006),
    HR(E_IMAPI_BURN_VERIFICATION_FAILED, 0xC0AA0007),
    HR(S_IMAPI_COMMAND_HAS_SENSE_DATA, 0x00AA0200),
    HR(E_IMAPI_RECORDER_NO_SUCH_MODE_PAGE, 0xC0AA0201),
    HR(E_IMAPI_RECORDER_MEDIA_NO_MEDIA, 0xC0AA0202),
    HR(E_IMAPI_RECORDER_MEDIA_INCOMPATIBLE, 0xC0AA0203),
    HR(E_IMAPI_RECORDER_MEDIA_UPSIDE_DOWN, 0xC0AA0204),
    HR(E_IMAPI_RECORDER_MEDIA_BECOMING_READY, 0xC0AA0205),
    HR(E_IMAPI_RECORDER_MEDIA_FORMAT_IN_PROGRESS, 0xC0AA0206),
    HR(E_IMAPI_RECORDER_MEDIA_BUSY, 0xC0AA0207),
    HR(E_IMAPI_RECORDER_INVALID_MODE_PARAMETERS, 0xC0AA0208),
    HR(E_IMAPI_RECORDER_MEDIA_WRITE_PROTECTED, 0xC0AA0209),
    HR(E_IMAPI_RECORDER_NO_SUCH_FEATURE, 0xC0AA020A),
    HR(E_IMAPI_RECORDER_FEATURE_IS_NOT_CURRENT, 0xC0AA020B),
    HR(E_IMAPI_RECORDER_GET_CONFIGURATION_NOT_SUPPORTED, 0xC0AA020C),
    HR(E_IMAPI_RECORDER_COMMAND_TIMEOUT, 0xC0AA020D),
    HR(E_IMAPI_RECORDER_DVD_STRUCTURE_NOT_PRESENT, 0xC0AA020E),
    HR(E_IMAPI_RECORDER_MEDIA_SPEED_MISMATCH, 0xC0AA020F),
    HR(E_IMAPI_RECORDER_LOCKED, 0xC0AA0210),
    HR(E_IMAPI_RECORDER_CLIENT_NAME_IS_NOT_VALID, 0xC0AA0211),
    HR(E_IMAPI_RECORDER_MEDIA_NOT_FORMATTED, 0xC0AA0212),
    HR(E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE, 0xC0AA02FF),
    HR(E_IMAPI_LOSS_OF_STREAMING, 0xC0AA0300),
    HR(E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE, 0xC0AA0301),
    HR(S_IMAPI_WRITE_NOT_IN_PROGRESS, 0x00AA0302),
    HR(E_IMAPI_DF2DATA_WRITE_IN_PROGRESS, 0xC0AA0400),
    HR(E_IMAPI_DF2DATA_WRITE_NOT_IN_PROGRESS, 0xC0AA0401),
    HR(E_IMAPI_DF2DATA_INVALID_MEDIA_STATE, 0xC0AA0402),
    HR(E_IMAPI_DF2DATA_STREAM_NOT_SUPPORTED, 0xC0AA0403),
    HR(E_IMAPI_DF2DATA_STREAM_TOO_LARGE_FOR_CURRENT_MEDIA, 0xC0AA0404),
    HR(E_IMAPI_DF2DATA_MEDIA_NOT_BLANK, 0xC0AA0405),
    HR(E_IMAPI_DF2DATA_MEDIA_IS_NOT_SUPPORTED, 0xC0AA0406),
    HR(E_IMAPI_DF2DATA_RECORDER_NOT_SUPPORTED, 0xC0AA0407),
    HR(E_IMAPI_DF2DATA_CLIENT_NAME_IS_NOT_VALID, 0xC0AA0408),
    HR(E_IMAPI_DF2TAO_WRITE_IN_PROGRESS, 0xC0AA0500),
    HR(E_IMAPI_DF2TAO_WRITE_NOT_IN_PROGRESS, 0xC0AA0501),
    HR(E_IMAPI_DF2TAO_MEDIA_IS_NOT_PREPARED, 0xC0AA0502),
    HR(E_IMAPI_DF2TAO_MEDIA_IS_PREPARED, 0xC0AA0503),
    HR(E_IMAPI_DF2TAO_PROPERTY_FOR_BLANK_MEDIA_ONLY, 0xC0AA0504),
    HR(E_IMAPI_DF2TAO_TABLE_OF_CONTENTS_EMPTY_DISC, 0xC0AA0505),
    HR(E_IMAPI_DF2TAO_MEDIA_IS_NOT_BLANK, 0xC0AA0506),
    HR(E_IMAPI_DF2TAO_MEDIA_IS_NOT_SUPPORTED, 0xC0AA0507),
    HR(E_IMAPI_DF2TAO_TRACK_LIMIT_REACHED, 0xC0AA0508),
    HR(E_IMAPI_DF2TAO_NOT_ENOUGH_SPACE, 0xC0AA0509),
    HR(E_IMAPI_DF2TAO_NO_RECORDER_SPECIFIED, 0xC0AA050A),
    HR(E_IMAPI_DF2TAO_INVALID_ISRC, 0xC0AA050B),
    HR(E_IMAPI_DF2TAO_INVALID_MCN, 0xC0AA050C),
    HR(E_IMAPI_DF2TAO_STREAM_NOT_SUPPORTED, 0xC0AA050D),
    HR(E_IMAPI_DF2TAO_RECORDER_NOT_SUPPORTED, 0xC0AA050E),
    HR(E_IMAPI_DF2TAO_CLIENT_NAME_IS_NOT_VALID, 0xC0AA050F),
    HR(E_IMAPI_DF2RAW_WRITE_IN_PROGRESS, 0xC0AA0600),
    HR(E_IMAPI_DF2RAW_WRITE_NOT_IN_PROGRESS, 0xC0AA0601),
    HR(E_IMAPI_DF2RAW_MEDIA_IS_NOT_PREPARED, 0xC0AA0602),
    HR(E_IMAPI_DF2RAW_MEDIA_IS_PREPARED, 0xC0AA0603),
    HR(E_IMAPI_DF2RAW_CLIENT_NAME_IS_NOT_VALID, 0xC0AA0604),
    HR(E_IMAPI_DF2RAW_MEDIA_IS_NOT_BLANK, 0xC0AA0606),
    HR(E_IMAPI_DF2RAW_MEDIA_IS_NOT_SUPPORTED, 0xC0AA0607),
    HR(E_IMAPI_DF2RAW_NOT_ENOUGH_SPACE, 0xC0AA0609),
    HR(E_IMAPI_DF2RAW_NO_RECORDER_SPECIFIED, 0xC0AA060A),
    HR(E_IMAPI_DF2RAW_STREAM_NOT_SUPPORTED, 0xC0AA060D),
    HR(E_IMAPI_DF2RAW_DATA_BLOCK_TYPE_NOT_SUPPORTED, 0xC0AA060E),
    HR(E_IMAPI_DF2RAW_STREAM_LEADIN_TOO_SHORT, 0xC0AA060F),
    HR(E_IMAPI_DF2RAW_RECORDER_NOT_SUPPORTED, 0xC0AA0610),
    HR(E_IMAPI_ERASE_RECORDER_IN_USE, 0x80AA0900),
    HR(E_IMAPI_ERASE_ONLY_ONE_RECORDER_SUPPORTED, 0x80AA0901),
    HR(E_IMAPI_ERASE_DISC_INFORMATION_TOO_SMALL, 0x80AA0902),
    HR(E_IMAPI_ERASE_MODE_PAGE_2A_TOO_SMALL, 0x80AA0903),
    HR(E_IMAPI_ERASE_MEDIA_IS_NOT_ERASABLE, 0x80AA0904),
    HR(E_IMAPI_ERASE_DRIVE_FAILED_ERASE_COMMAND, 0x80AA0905),
    HR(E_IMAPI_ERASE_TOOK_LONGER_THAN_ONE_HOUR, 0x80AA0906),
    HR(E_IMAPI_ERASE_UNEXPECTED_DRIVE_RESPONSE_DURING_ERASE, 0x80AA0907),
    HR(E_IMAPI_ERASE_DRIVE_FAILED_SPINUP_COMMAND, 0x80AA0908),
    HR(E_IMAPI_ERASE_MEDIA_IS_NOT_SUPPORTED, 0xC0AA0909),
    HR(E_IMAPI_ERASE_RECORDER_NOT_SUPPORTED, 0xC0AA090A),
    HR(E_IMAPI_ERASE_CLIENT_NAME_IS_NOT_VALID, 0xC0AA090B),
    HR(E_IMAPI_RAW_IMAGE_IS_READ_ONLY, 0x80AA0A00),
    HR(E_IMAPI_RAW_IMAGE_TOO_MANY_TRACKS, 0x80AA0A01),
    HR(E_IMAPI_RAW_IMAGE_SECTOR_TYPE_NOT_SUPPORTED, 0x80AA0A02),
    HR(E_IMAPI_RAW_IMAGE_NO_TRACKS, 0x80AA0A03),
    HR(E_IMAPI_RAW_IMAGE_TRACKS_ALREADY_ADDED, 0x80AA0A04),
    HR(E_IMAPI_RAW_IMAGE_INSUFFICIENT_SPACE, 0x80AA0A05),
    HR(E_IMAPI_RAW_IMAGE_TOO_MANY_TRACK_INDEXES, 0x80AA0A06),
    HR(E_IMAPI_RAW_IMAGE_TRACK_INDEX_NOT_FOUND, 0x80AA0A07),
    HR(S_IMAPI_RAW_IMAGE_TRACK_INDEX_ALREADY_EXISTS, 0x00AA0A08),
    HR(E_IMAPI_RAW_IMAGE_TRACK_INDEX_OFFSET_ZERO_CANNOT_BE_CLEARED, 0x80AA0A09),
    HR(E_IMAPI_RAW_IMAGE_TRACK_INDEX_TOO_CLOSE_TO_OTHER_INDEX, 0x80AA0A0A),
};

static void test_file_system_hresults_match_microsoft(void **state)
{
    (void)state;
    assert_int_equal(0, count_macro_mismatches(fs_hresults, COUNT(fs_hresults), "HRESULT"));
}

static void test_imapi2_hresults_match_microsoft(void **state)
{
    (void)state;
    assert_int_equal(0, count_macro_mismatches(imapi2_hresults, COUNT(imapi2_hresults), "HRESULT"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_interface_ids_match_microsoft),
        cmocka_unit_test(test_class_ids_match_microsoft),
        cmocka_unit_test(test_library_id_matches_microsoft),
        cmocka_unit_test(test_vtable_slots_match_microsoft),
        cmocka_unit_test(test_vtable_sizes_match_microsoft_method_counts),
        cmocka_unit_test(test_typelib_dispids_match_microsoft),
        cmocka_unit_test(test_typelib_type_flags_match_microsoft),
        cmocka_unit_test(test_typelib_coclass_default_interfaces_match_microsoft),
        cmocka_unit_test(test_dispid_macros_match_microsoft),
        cmocka_unit_test(test_enum_values_match_microsoft),
        cmocka_unit_test(test_file_system_hresults_match_microsoft),
        cmocka_unit_test(test_imapi2_hresults_match_microsoft),
    };
    return cmocka_run_group_tests(tests, com_test_setup_sta, com_test_teardown);
}
