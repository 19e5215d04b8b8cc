/*
 * What every COM object of the DLL shares: the module handle, the count of live objects and
 * server locks behind DllCanUnloadNow, and the constructors the class table points to.
 *
 * Objects call module_lock() when created and module_unlock() when destroyed.
 */
#ifndef OPENFSI_COM_MODULE_H
#define OPENFSI_COM_MODULE_H

#define COBJMACROS
#define CONST_VTABLE
#include <windows.h>
#include <ole2.h>
#include <olectl.h>

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(array) (sizeof(array) / sizeof((array)[0]))
#endif

#include "imapi2fs.h"
#include "openfsi_ext.h"     /* openfsi's own extension classes (OpenFsi.*) */

extern HINSTANCE module_instance;

void module_lock(void);
void module_unlock(void);

/* The file name of this DLL, for registration and for loading our own type library. */
const WCHAR *module_path(void);

/* Constructors of the creatable classes: each makes an object and queries it for `riid`. */
HRESULT file_system_image_create(REFIID riid, void **out);
HRESULT iso_image_manager_create(REFIID riid, void **out);
HRESULT boot_options_create(REFIID riid, void **out);
/* openfsi extensions (idl/openfsi_ext_defs.idl). */
HRESULT stream_writer_create(REFIID riid, void **out);
HRESULT event_connector_create(REFIID riid, void **out);
HRESULT image_file_media_create(REFIID riid, void **out);

/* A class factory for one entry of the class table. */
struct coclass_info;
HRESULT class_factory_create(const struct coclass_info *info, REFIID riid, void **out);

#endif
