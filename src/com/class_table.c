/* The creatable coclasses with Microsoft's CLSIDs, names and ProgIDs, then openfsi's own
   extension classes (class_table.h). */
#include "class_table.h"

const struct coclass_info creatable_classes[] = {
    { &CLSID_BootOptions, L"Boot options",
      L"IMAPI2FS.BootOptions.1", L"IMAPI2FS.BootOptions", boot_options_create },
    { &CLSID_MsftFileSystemImage, L"Microsoft IMAPIv2 File System Image",
      L"IMAPI2FS.MsftFileSystemImage.1", L"IMAPI2FS.MsftFileSystemImage",
      file_system_image_create },
    { &CLSID_MsftIsoImageManager, L"Microsoft IMAPIv2 Iso Image Manager",
      L"IMAPI2FS.MsftIsoImageManager.1", L"IMAPI2FS.MsftIsoImageManager",
      iso_image_manager_create },
    /* openfsi's own extensions: our CLSIDs and ProgIDs, in the same type library. */
    { &CLSID_OpenFsiStreamWriter, L"openfsi stream writer (extension)",
      L"OpenFsi.StreamWriter.1", L"OpenFsi.StreamWriter", stream_writer_create },
    { &CLSID_OpenFsiEventConnector, L"openfsi event connector (extension)",
      L"OpenFsi.EventConnector.1", L"OpenFsi.EventConnector", event_connector_create },
    { &CLSID_OpenFsiImageFileMedia, L"openfsi image file media (extension)",
      L"OpenFsi.ImageFileMedia.1", L"OpenFsi.ImageFileMedia", image_file_media_create },
};

const size_t creatable_class_count = sizeof(creatable_classes) / sizeof(creatable_classes[0]);

const struct coclass_info *creatable_class_find(REFCLSID clsid)
{
    size_t i;
    for (i = 0; i < creatable_class_count; i++)
        if (IsEqualCLSID(clsid, creatable_classes[i].clsid))
            return &creatable_classes[i];
    return NULL;
}
