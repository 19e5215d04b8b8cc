/*
 * openfsi_ext_dispids.h - dispatch identifiers of openfsi's own extension interfaces
 * (idl/openfsi_ext_defs.idl). Preprocessor definitions only, so that the IDL can use them in
 * [id(...)] and C code gets them through the generated openfsi_ext.h. Nothing here belongs to
 * Microsoft's IMAPI2FS.
 */
#ifndef OPENFSI_EXT_DISPIDS_H
#define OPENFSI_EXT_DISPIDS_H

#define DISPID_IOPENFSISTREAMWRITER_WRITETOFILE          0x100
#define DISPID_IOPENFSISTREAMWRITER_BYTESWRITTEN         0x101

#define DISPID_DOPENFSISTREAMWRITEREVENTS_UPDATE         0x100

#define DISPID_IOPENFSIEVENTCONNECTOR_CONNECTOBJECT      0x100
#define DISPID_IOPENFSIEVENTCONNECTOR_DISCONNECTOBJECT   0x101

#endif
