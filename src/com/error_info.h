/*
 * Failures with a readable message: every method that fails returns through com_error(), which
 * sets the thread's IErrorInfo (source, interface, description) so that C++ callers,
 * ITypeInfo::Invoke and script engines can show the reason. Objects answer ISupportErrorInfo
 * through the shared error_support part below.
 */
#ifndef OPENFSI_COM_ERROR_INFO_H
#define OPENFSI_COM_ERROR_INFO_H

#include "module.h"
#include "openfsi/status.h"

/*
 * Sets IErrorInfo for `hr` raised by interface `iid` and returns `hr`. `message` may be NULL:
 * then the text of Microsoft's error table for `hr` is used.
 */
HRESULT com_error(HRESULT hr, REFIID iid, const WCHAR *message);

/* E_NOTIMPL with a message naming the method, e.g. L"IFileSystemImage::CreateResultImage". */
HRESULT com_not_implemented(REFIID iid, const WCHAR *method);

/* Maps an engine status to Microsoft's HRESULT and sets IErrorInfo from the engine's message. */
HRESULT com_error_from_status(enum fsi_status status, REFIID iid);
HRESULT hresult_from_status(enum fsi_status status);

/*
 * ISupportErrorInfo as a part embedded in an object: `outer` is the object's IUnknown (its
 * QueryInterface, AddRef and Release serve this part too) and `iids` the NULL-terminated list of
 * interfaces that set error information.
 */
struct error_support {
    ISupportErrorInfo ISupportErrorInfo_iface;
    IUnknown *outer;
    const IID *const *iids;
};

void error_support_init(struct error_support *support, IUnknown *outer, const IID *const *iids);

#endif
