/* Messages for the engine's result codes (include/openfsi/status.h). */
#include "openfsi/status.h"

static const char *const status_messages[FSI_STATUS_COUNT] = {
    [FSI_OK] = "The operation succeeded.",
    [FSI_E_OUT_OF_MEMORY] = "Not enough memory to complete the operation.",
    [FSI_E_INVALID_ARGUMENT] = "An argument is not valid.",
    [FSI_E_INVALID_VOLUME_NAME] =
        "The volume name is not valid: it must be at most 32 characters, without control "
        "characters.",
    [FSI_E_DUPLICATE_NAME] =
        "An item with this name already exists in the directory (names are compared without "
        "regard to case).",
    [FSI_E_NOT_DIRECTORY] = "The item is not a directory.",
    [FSI_E_SOURCE_READ] = "A file's data could not be read from its source.",
    [FSI_E_SOURCE_SHORT] = "A file's source ended before the size it declared: the file shrank.",
    [FSI_E_SOURCE_LONG] = "A file's source holds more data than the size it declared: the file grew.",
    [FSI_E_FILE_TOO_LARGE] =
        "A file of 4 GiB or more needs ISO 9660 interchange level 3 (multi-extent files).",
    [FSI_E_IMAGE_TOO_LARGE] = "The image would be larger than the media or the format allows.",
    [FSI_E_DIRECTORY_TOO_DEEP] =
        "The directory tree is deeper than ISO 9660 allows (8 levels) in strict mode.",
    [FSI_E_INVALID_NAME] =
        "The name is not valid: it must be 1 to 255 characters, not \".\" or \"..\", without "
        "control characters or any of \\ / : * ? \" < > |.",
    [FSI_E_TOO_MANY_NAMES] =
        "Too many names in one directory map to the same disc identifier to make them unique.",
    [FSI_E_NOT_FOUND] = "No item has this path in the image.",
    [FSI_E_DIRECTORY_NOT_EMPTY] = "The directory is not empty.",
    [FSI_E_INVALID_PATH] =
        "The path is not valid: it must name at least one item, each part a valid name "
        "separated by \\ or /.",
    [FSI_E_NOT_IMPLEMENTED] = "This feature is not implemented yet.",
    [FSI_E_CORRUPT_FILE_SYSTEM] = "The file system on the disc is damaged or not as its standard "
                                  "describes it.",
    [FSI_E_DISC_READ] = "Sectors of the disc could not be read.",
    [FSI_E_IMPORT_FILE_IS_DIRECTORY] = "A file on the disc has the path of a directory already in "
                                       "the image.",
    [FSI_E_INCOMPATIBLE_SESSION] = "The disc's previous session is laid out in a way the new "
                                   "session cannot be written over in place.",
    [FSI_E_IMPORT_DIRECTORY_IS_FILE] = "A directory on the disc has the path of a file already in "
                                       "the image.",
};

const char *fsi_status_message(enum fsi_status status)
{
    if ((unsigned)status >= FSI_STATUS_COUNT || !status_messages[status])
        return "Unknown error.";
    return status_messages[status];
}
