/*
 * imapi2fs_dispids.h - dispatch identifiers (DISPIDs) of the IMAPI2FS
 * (imapi2fs.dll) interfaces.
 *
 * This file contains only preprocessor definitions, so that it can be
 * #included both by imapi2fs.idl (for the [id(...)] attributes) and by C
 * code (through the widl-generated imapi2fs.h, which emits an #include of
 * this file).  See idl/SOURCES-imapi2fs.md for how every value was checked.
 *
 * Part 1 holds the only two DISPID macros that Microsoft's imapi2fs.h
 * defines.  They are always visible, exactly as in Microsoft's header.
 *
 * Part 2 gives names to the DISPIDs of every other IMAPI2FS member.  The
 * VALUES are Microsoft's (they are fixed by Microsoft's type library and
 * by clients that call IDispatch::Invoke with them), but Microsoft's
 * imapi2fs.h has NO macros for them: its IDL writes them some other way and
 * does not export names.  The names below are openfsi's own, formed the way
 * Microsoft's imapi2.h names its DISPIDs (DISPID_<INTERFACE>_<MEMBER>).  So
 * that the generated public imapi2fs.h declares no names Microsoft's header
 * lacks, part 2 is visible only to widl and to C code that defines
 * OPENFSI_IMAPI2FS_MEMBER_DISPIDS before the first inclusion of this file
 * (or of the generated imapi2fs.h).
 *
 * Members that Microsoft gives the standard dispatch identifiers use
 * DISPID_VALUE (0) and DISPID_NEWENUM (-4) from oaidl directly and have no
 * name here: the Item properties, the _NewEnum properties.
 */

#ifndef OPENFSI_IMAPI2FS_DISPIDS_H
#define OPENFSI_IMAPI2FS_DISPIDS_H

/* ------------------------------------------------------------------------ */
/* Part 1: the DISPID macros of Microsoft's imapi2fs.h                      */
/* ------------------------------------------------------------------------ */

#define DISPID_DFILESYSTEMIMAGEEVENTS_UPDATE             0x100
#define DISPID_DFILESYSTEMIMAGEIMPORTEVENTS_UPDATEIMPORT 0x101

/* ------------------------------------------------------------------------ */
/* Part 2: openfsi names for the other member DISPIDs (values: Microsoft's) */
/* ------------------------------------------------------------------------ */

#if defined(__WIDL__) || defined(OPENFSI_IMAPI2FS_MEMBER_DISPIDS)

/* IBootOptions */
#define DISPID_IBOOTOPTIONS_BOOTIMAGE                         1
#define DISPID_IBOOTOPTIONS_MANUFACTURER                      2
#define DISPID_IBOOTOPTIONS_PLATFORMID                        3
#define DISPID_IBOOTOPTIONS_EMULATION                         4
#define DISPID_IBOOTOPTIONS_IMAGESIZE                         5
#define DISPID_IBOOTOPTIONS_ASSIGNBOOTIMAGE                   20

/* IProgressItem */
#define DISPID_IPROGRESSITEM_DESCRIPTION                      1
#define DISPID_IPROGRESSITEM_FIRSTBLOCK                       2
#define DISPID_IPROGRESSITEM_LASTBLOCK                        3
#define DISPID_IPROGRESSITEM_BLOCKCOUNT                       4

/* IProgressItems (_NewEnum: DISPID_NEWENUM, Item: DISPID_VALUE) */
#define DISPID_IPROGRESSITEMS_COUNT                           1
#define DISPID_IPROGRESSITEMS_PROGRESSITEMFROMBLOCK           2
#define DISPID_IPROGRESSITEMS_PROGRESSITEMFROMDESCRIPTION     3
#define DISPID_IPROGRESSITEMS_ENUMPROGRESSITEMS               4

/* IFileSystemImageResult */
#define DISPID_IFILESYSTEMIMAGERESULT_IMAGESTREAM             1
#define DISPID_IFILESYSTEMIMAGERESULT_PROGRESSITEMS           2
#define DISPID_IFILESYSTEMIMAGERESULT_TOTALBLOCKS             3
#define DISPID_IFILESYSTEMIMAGERESULT_BLOCKSIZE               4
#define DISPID_IFILESYSTEMIMAGERESULT_DISCID                  5

/* IFileSystemImageResult2 */
#define DISPID_IFILESYSTEMIMAGERESULT2_MODIFIEDBLOCKS         6

/* IFsiItem */
#define DISPID_IFSIITEM_NAME                                  11
#define DISPID_IFSIITEM_FULLPATH                              12
#define DISPID_IFSIITEM_CREATIONTIME                          13
#define DISPID_IFSIITEM_LASTACCESSEDTIME                      14
#define DISPID_IFSIITEM_LASTMODIFIEDTIME                      15
#define DISPID_IFSIITEM_ISHIDDEN                              16
#define DISPID_IFSIITEM_FILESYSTEMNAME                        17
#define DISPID_IFSIITEM_FILESYSTEMPATH                        18

/* IFsiFileItem */
#define DISPID_IFSIFILEITEM_DATASIZE                          41
#define DISPID_IFSIFILEITEM_DATASIZE32BITLOW                  42
#define DISPID_IFSIFILEITEM_DATASIZE32BITHIGH                 43
#define DISPID_IFSIFILEITEM_DATA                              44

/* IFsiFileItem2 */
#define DISPID_IFSIFILEITEM2_FSINAMEDSTREAMS                  45
#define DISPID_IFSIFILEITEM2_ISNAMEDSTREAM                    46
#define DISPID_IFSIFILEITEM2_ADDSTREAM                        47
#define DISPID_IFSIFILEITEM2_REMOVESTREAM                     48
#define DISPID_IFSIFILEITEM2_ISREALTIME                       49

/* IFsiNamedStreams (_NewEnum: DISPID_NEWENUM, Item: DISPID_VALUE) */
#define DISPID_IFSINAMEDSTREAMS_COUNT                         81
#define DISPID_IFSINAMEDSTREAMS_ENUMNAMEDSTREAMS              82

/* IFsiDirectoryItem (_NewEnum: DISPID_NEWENUM, Item: DISPID_VALUE) */
#define DISPID_IFSIDIRECTORYITEM_COUNT                        1
#define DISPID_IFSIDIRECTORYITEM_ENUMFSIITEMS                 2
#define DISPID_IFSIDIRECTORYITEM_ADDDIRECTORY                 30
#define DISPID_IFSIDIRECTORYITEM_ADDFILE                      31
#define DISPID_IFSIDIRECTORYITEM_ADDTREE                      32
#define DISPID_IFSIDIRECTORYITEM_ADD                          33
#define DISPID_IFSIDIRECTORYITEM_REMOVE                       34
#define DISPID_IFSIDIRECTORYITEM_REMOVETREE                   35

/* IFsiDirectoryItem2 */
#define DISPID_IFSIDIRECTORYITEM2_ADDTREEWITHNAMEDSTREAMS     36

/* IFileSystemImage (Root is the default member: DISPID_VALUE) */
#define DISPID_IFILESYSTEMIMAGE_ROOT                          DISPID_VALUE
#define DISPID_IFILESYSTEMIMAGE_SESSIONSTARTBLOCK             1
#define DISPID_IFILESYSTEMIMAGE_FREEMEDIABLOCKS               2
#define DISPID_IFILESYSTEMIMAGE_USEDBLOCKS                    3
#define DISPID_IFILESYSTEMIMAGE_VOLUMENAME                    4
#define DISPID_IFILESYSTEMIMAGE_IMPORTEDVOLUMENAME            5
#define DISPID_IFILESYSTEMIMAGE_BOOTIMAGEOPTIONS              6
#define DISPID_IFILESYSTEMIMAGE_FILECOUNT                     7
#define DISPID_IFILESYSTEMIMAGE_DIRECTORYCOUNT                8
#define DISPID_IFILESYSTEMIMAGE_WORKINGDIRECTORY              9
#define DISPID_IFILESYSTEMIMAGE_CHANGEPOINT                   10
#define DISPID_IFILESYSTEMIMAGE_STRICTFILESYSTEMCOMPLIANCE    11
#define DISPID_IFILESYSTEMIMAGE_USERESTRICTEDCHARACTERSET     12
#define DISPID_IFILESYSTEMIMAGE_FILESYSTEMSTOCREATE           13
#define DISPID_IFILESYSTEMIMAGE_FILESYSTEMSSUPPORTED          14
#define DISPID_IFILESYSTEMIMAGE_CREATERESULTIMAGE             15
#define DISPID_IFILESYSTEMIMAGE_EXISTS                        16
#define DISPID_IFILESYSTEMIMAGE_CALCULATEDISCIDENTIFIER       18
#define DISPID_IFILESYSTEMIMAGE_IDENTIFYFILESYSTEMSONDISC     19
#define DISPID_IFILESYSTEMIMAGE_GETDEFAULTFILESYSTEMFORIMPORT 20
#define DISPID_IFILESYSTEMIMAGE_IMPORTFILESYSTEM              21
#define DISPID_IFILESYSTEMIMAGE_IMPORTSPECIFICFILESYSTEM      22
#define DISPID_IFILESYSTEMIMAGE_ROLLBACKTOCHANGEPOINT         23
#define DISPID_IFILESYSTEMIMAGE_LOCKINCHANGEPOINT             24
#define DISPID_IFILESYSTEMIMAGE_CREATEDIRECTORYITEM           25
#define DISPID_IFILESYSTEMIMAGE_CREATEFILEITEM                26
#define DISPID_IFILESYSTEMIMAGE_VOLUMENAMEUDF                 27
#define DISPID_IFILESYSTEMIMAGE_VOLUMENAMEJOLIET              28
#define DISPID_IFILESYSTEMIMAGE_VOLUMENAMEISO9660             29
#define DISPID_IFILESYSTEMIMAGE_STAGEFILES                    30
#define DISPID_IFILESYSTEMIMAGE_UDFREVISIONSSUPPORTED         31
#define DISPID_IFILESYSTEMIMAGE_CHOOSEIMAGEDEFAULTS           32
#define DISPID_IFILESYSTEMIMAGE_CHOOSEIMAGEDEFAULTSFORMEDIATYPE 33
#define DISPID_IFILESYSTEMIMAGE_ISO9660INTERCHANGELEVEL       34
#define DISPID_IFILESYSTEMIMAGE_SETMAXMEDIABLOCKSFROMDEVICE   36
#define DISPID_IFILESYSTEMIMAGE_UDFREVISION                   37
#define DISPID_IFILESYSTEMIMAGE_ISO9660INTERCHANGELEVELSSUPPORTED 38
#define DISPID_IFILESYSTEMIMAGE_MULTISESSIONINTERFACES        40

/* IFileSystemImage2 */
#define DISPID_IFILESYSTEMIMAGE2_BOOTIMAGEOPTIONSARRAY        60

/* IFileSystemImage3 */
#define DISPID_IFILESYSTEMIMAGE3_CREATEREDUNDANTUDFMETADATAFILES 61
#define DISPID_IFILESYSTEMIMAGE3_PROBESPECIFICFILESYSTEM      70

/* IIsoImageManager */
#define DISPID_IISOIMAGEMANAGER_PATH                          0x100
#define DISPID_IISOIMAGEMANAGER_STREAM                        0x101
#define DISPID_IISOIMAGEMANAGER_SETPATH                       0x200
#define DISPID_IISOIMAGEMANAGER_SETSTREAM                     0x201
#define DISPID_IISOIMAGEMANAGER_VALIDATE                      0x202

#endif /* __WIDL__ || OPENFSI_IMAPI2FS_MEMBER_DISPIDS */

#endif /* OPENFSI_IMAPI2FS_DISPIDS_H */
