/*
 * IProvideClassInfo and IProvideClassInfo2 as a part embedded in an object (in the style of
 * error_support in error_info.h): the coclass's type information from our type library and the
 * IID of its default source interface. Windows Script Host needs them for WScript.ConnectObject
 * and WScript.CreateObject with a prefix. The part holds no reference of its own: `outer`
 * answers QueryInterface, AddRef and Release.
 */
#ifndef OPENFSI_COM_PROVIDE_CLASS_INFO_H
#define OPENFSI_COM_PROVIDE_CLASS_INFO_H

#include "module.h"

struct provide_class_info {
    IProvideClassInfo2 IProvideClassInfo2_iface;
    IUnknown *outer;
    const CLSID *clsid;
    const IID *source_iid;      /* default source interface, or NULL if the class has none */
};

void provide_class_info_init(struct provide_class_info *info, IUnknown *outer,
                             const CLSID *clsid, const IID *source_iid);

/* TRUE if `riid` is IProvideClassInfo or IProvideClassInfo2 (for the owner's QueryInterface). */
BOOL provide_class_info_is_iid(REFIID riid);

#endif
