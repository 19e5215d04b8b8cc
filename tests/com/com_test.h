/*
 * Shared by the Windows test programs that run under Wine: CMocka, the generated IMAPI2 headers,
 * and small helpers. Each program is one CMocka group whose setup initialises COM.
 */
#ifndef OPENFSI_TESTS_COM_TEST_H
#define OPENFSI_TESTS_COM_TEST_H

#define COBJMACROS
#define CONST_VTABLE
#include <windows.h>
#include <ole2.h>
#include <olectl.h>

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(array) (sizeof(array) / sizeof((array)[0]))
#endif
#include <oleauto.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

/* Our names for the member DISPIDs, whose values Microsoft fixes but does not name. */
#define OPENFSI_IMAPI2FS_MEMBER_DISPIDS
#include "imapi2.h"
#include "imapi2fs.h"
#include "imapi2fserror.h"
#include "imapi2error.h"

/* Group setup and teardown: COM in a single-threaded apartment, as scripts and most apps use. */
static inline int com_test_setup_sta(void **state)
{
    (void)state;
    return FAILED(CoInitializeEx(NULL, COINIT_APARTMENTTHREADED)) ? -1 : 0;
}

static inline int com_test_teardown(void **state)
{
    (void)state;
    CoUninitialize();
    return 0;
}

/* Asserts an HRESULT, printing both values in hex on failure. */
#define assert_hr(expected, actual) \
    assert_int_equal((unsigned long)(HRESULT)(expected), (unsigned long)(HRESULT)(actual))

/* Creates an in-process object by CLSID and asserts that it worked. */
static inline void *com_test_create(REFCLSID clsid, REFIID riid)
{
    void *object = NULL;
    assert_hr(S_OK, CoCreateInstance(clsid, NULL, CLSCTX_INPROC_SERVER, riid, &object));
    assert_non_null(object);
    return object;
}

/* The description of the calling thread's IErrorInfo, or NULL; free with SysFreeString. */
static inline BSTR com_test_error_description(void)
{
    IErrorInfo *info = NULL;
    BSTR text = NULL;
    if (GetErrorInfo(0, &info) != S_OK || !info)
        return NULL;
    IErrorInfo_GetDescription(info, &text);
    IErrorInfo_Release(info);
    return text;
}

#endif
