/*
 * IDispatch for every object, from the type library embedded in this DLL (resource TYPELIB 1).
 * No object writes Invoke by hand: each declares its IDispatch methods with
 * DISPATCH_METHODS(prefix, interface, type id), which forward to the functions below.
 */
#ifndef OPENFSI_COM_DISPATCH_H
#define OPENFSI_COM_DISPATCH_H

#include "module.h"

/* The dual interfaces whose type information objects hand out. */
enum type_id {
    TID_IBootOptions,
    TID_IProgressItem,
    TID_IProgressItems,
    TID_IFileSystemImageResult2,
    TID_IFsiFileItem2,
    TID_IFsiNamedStreams,
    TID_IFsiDirectoryItem2,
    TID_IFileSystemImage3,
    TID_IIsoImageManager,
    TID_IBlockRange,
    TID_IBlockRangeList,
    TID_IOpenFsiStreamWriter,   /* openfsi extensions */
    TID_IOpenFsiEventConnector,
    TID_IOpenFsiImageFileMedia,
    TID_IDiscRecorder2,         /* the image file media's recorder and multisession objects */
    TID_IMultisessionSequential2,
    TID_IMultisessionRandomWrite,
    TID_COUNT
};

/* Our own type library, loaded once (the caller must release it). */
HRESULT dispatch_get_type_lib(ITypeLib **typelib);
HRESULT dispatch_get_type_info(enum type_id tid, ITypeInfo **info);

/* DllMain calls these at process attach and detach. */
void dispatch_startup(void);
void dispatch_shutdown(BOOL process_exiting);

HRESULT dispatch_type_info_count(UINT *count);
HRESULT dispatch_type_info(enum type_id tid, UINT index, ITypeInfo **info);
HRESULT dispatch_ids_of_names(enum type_id tid, REFIID riid, LPOLESTR *names, UINT count,
                              DISPID *ids);
HRESULT dispatch_invoke(enum type_id tid, void *iface, DISPID member, REFIID riid, WORD flags,
                        DISPPARAMS *params, VARIANT *result, EXCEPINFO *excep, UINT *arg_err);

/* The four IDispatch methods of a dual interface `type`, named prefix_GetTypeInfoCount etc. */
#define DISPATCH_METHODS(prefix, type, tid)                                                     \
    static HRESULT WINAPI prefix##_GetTypeInfoCount(type *iface, UINT *count)                   \
    {                                                                                           \
        (void)iface;                                                                            \
        return dispatch_type_info_count(count);                                                 \
    }                                                                                           \
    static HRESULT WINAPI prefix##_GetTypeInfo(type *iface, UINT index, LCID lcid,              \
                                               ITypeInfo **info)                                \
    {                                                                                           \
        (void)iface; (void)lcid;                                                                \
        return dispatch_type_info(tid, index, info);                                            \
    }                                                                                           \
    static HRESULT WINAPI prefix##_GetIDsOfNames(type *iface, REFIID riid, LPOLESTR *names,     \
                                                 UINT count, LCID lcid, DISPID *ids)            \
    {                                                                                           \
        (void)iface; (void)lcid;                                                                \
        return dispatch_ids_of_names(tid, riid, names, count, ids);                             \
    }                                                                                           \
    static HRESULT WINAPI prefix##_Invoke(type *iface, DISPID member, REFIID riid, LCID lcid,   \
                                          WORD flags, DISPPARAMS *params, VARIANT *result,      \
                                          EXCEPINFO *excep, UINT *arg_err)                      \
    {                                                                                           \
        (void)lcid;                                                                             \
        return dispatch_invoke(tid, iface, member, riid, flags, params, result, excep, arg_err);\
    }

#endif
