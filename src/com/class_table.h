/*
 * The coclasses of imapi2fs.dll: one table that DllGetClassObject and the registration code both
 * read, so what is registered is exactly what can be created.
 */
#ifndef OPENFSI_COM_CLASS_TABLE_H
#define OPENFSI_COM_CLASS_TABLE_H

#include "module.h"

struct coclass_info {
    const CLSID *clsid;
    const WCHAR *description;   /* default value of the CLSID and ProgID keys */
    const WCHAR *progid;        /* e.g. IMAPI2FS.MsftFileSystemImage.1 */
    const WCHAR *vi_progid;     /* e.g. IMAPI2FS.MsftFileSystemImage */
    HRESULT (*create)(REFIID riid, void **out);
};

/* The creatable classes, in the type library's order. */
extern const struct coclass_info creatable_classes[];
extern const size_t creatable_class_count;

const struct coclass_info *creatable_class_find(REFCLSID clsid);

#endif
