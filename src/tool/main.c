/*
 * openfsi, the command-line tool over the engine:
 *
 *   openfsi create -o OUT.iso [--volume NAME] [--iso-level 1|2|3] [--no-joliet]
 *                  [--udf REV [--no-iso] [--no-udf-mirror]]
 *                  [--boot FILE [--boot-emulation none|floppy|hd]] [--efi FILE] PATH...
 *   (-b FILE and --no-emul / --floppy / --hard-disk are the same, as mkisofs users write them)
 *
 * REV is a UDF revision (1.02, 1.50, 2.00, 2.01, 2.50, 2.60): --udf adds UDF to the ISO 9660 and
 * Joliet file systems (a bridge image), --no-iso leaves them out. From 2.50 the metadata mirror is
 * a second copy unless --no-udf-mirror.
 *
 * --boot makes the image bootable by El Torito from FILE on a PC BIOS: without emulation (the
 * default, the whole file is loaded), as a floppy (FILE must be a 1.2, 1.44 or 2.88 MB diskette
 * image) or as a hard disk. --efi adds FILE as a UEFI boot image (platform 0xEF, no emulation),
 * after the BIOS entry when both are given. Neither file becomes part of the directory tree.
 *
 *   openfsi append IMAGE [--sequential] [--replace] [--remove PATH]... [--volume NAME]
 *                  [--iso-level 1|2|3] [--no-joliet] [PATH...]      (append.c)
 *
 * append grows IMAGE in place by default (only the sectors that change are written, and listed);
 * --sequential writes the whole session after the image's end. --remove takes an item of the
 * image out first; a PATH item that would replace one of the image's is refused unless --replace
 * (directories merge).
 *   openfsi ls IMAGE [--iso9660 | --joliet | --udf]     (list.c)
 *
 * Each PATH that is a directory contributes its contents to the image root, a file goes into the
 * root. Exit status: 0 done, 1 failed (the reason is on stderr), 2 wrong usage.
 */
#define _POSIX_C_SOURCE 200809L
#define _FILE_OFFSET_BITS 64

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "openfsi/image.h"
#include "openfsi/tree.h"
#include "openfsi/utf.h"
#include "append.h"
#include "host_copy.h"
#include "image_file.h"
#include "list.h"
#include "progress.h"
#include "scan.h"

/* Small enough to stay in the CPU cache between the read and the write. */
#define WRITE_CHUNK (256u * 1024)

static int usage(void)
{
    fprintf(stderr,
            "usage: openfsi create -o OUT.iso [--volume NAME] [--iso-level 1|2|3] [--no-joliet]\n"
            "                      [--udf 1.02|1.50|2.00|2.01|2.50|2.60 [--no-iso] "
            "[--no-udf-mirror]]\n"
            "                      [--boot|-b FILE [--boot-emulation none|floppy|hd | --no-emul |\n"
            "                       --floppy | --hard-disk]] [--efi FILE] "
            "PATH...\n"
            "       openfsi append IMAGE [--sequential] [--replace] [--remove PATH]... "
            "[--volume NAME]\n"
            "                      [--iso-level 1|2|3] [--no-joliet] [PATH...]\n"
            "       openfsi ls IMAGE [--iso9660 | --joliet | --udf]\n");
    return 2;
}

static int write_all(int fd, const uint8_t *data, size_t length)
{
    while (length) {
        ssize_t n = write(fd, data, length);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        data += n;
        length -= (size_t)n;
    }
    return 0;
}

/*
 * Streams the whole image into `fd`: big host files from a mapping of them (host_copy.h), the
 * rest through the engine's reader. Plain reads and writes of a cache-sized buffer measured
 * faster here than copy_file_range.
 */
static int write_image(struct fsi_image *image, int fd, const char *output)
{
    uint64_t size = fsi_image_size(image), done = 0;
    struct fsi_reader *reader;
    struct progress progress;
    struct host_copy copy;
    struct stat st;
    uint8_t *buffer;
    int result = 0, regular = fstat(fd, &st) == 0 && S_ISREG(st.st_mode);

    /* Reserving the whole image up front fails early when the disk is too small, and spares the
       file system allocating as it goes (measured faster on ext4). */
    if (regular && posix_fallocate(fd, 0, (off_t)size) == ENOSPC) {
        fprintf(stderr, "openfsi: not enough space for %s (%llu bytes)\n", output,
                (unsigned long long)size);
        return -1;
    }
    buffer = malloc(WRITE_CHUNK);
    if (!buffer || fsi_reader_create(image, &reader) != FSI_OK) {
        free(buffer);
        fprintf(stderr, "openfsi: out of memory\n");
        return -1;
    }
    host_copy_init(&copy);
    progress_start(&progress, size);
    while (done < size && result == 0) {
        size_t chunk = size - done < WRITE_CHUNK ? (size_t)(size - done) : WRITE_CHUNK;
        const char *path = NULL;
        uint64_t file_offset = 0, file_size = 0,
                 run = fsi_image_host_run(image, done, &path, &file_offset, &file_size);
        if (run >= HOST_COPY_MIN) {
            char message[1024];
            long long n;
            /* A run met mid-page of the output (after another file's end and the reader's
               chunk that followed it): one short write first, so that the writes after it fill
               whole pages of the output. */
            if (done % 4096)
                run = 4096 - done % 4096;
            n = host_copy_write(&copy, fd, path, file_offset, run, file_size, message,
                                sizeof(message));
            if (n < 0) {
                fprintf(stderr, "\nopenfsi: %s\n", message);
                result = -1;
            } else {
                done += (uint64_t)n;
                progress_update(&progress, done);
            }
        } else if (fsi_reader_read(reader, done, buffer, chunk) != FSI_OK) {
            fprintf(stderr, "\nopenfsi: %s\n", fsi_reader_error(reader));
            result = -1;
        } else if (write_all(fd, buffer, chunk) != 0) {
            fprintf(stderr, "\nopenfsi: cannot write %s: %s\n", output, strerror(errno));
            result = -1;
        } else {
            done += chunk;
            progress_update(&progress, done);
        }
    }
    /* An older, longer file at the path loses its tail. */
    if (result == 0 && regular && ftruncate(fd, (off_t)size) != 0) {
        fprintf(stderr, "\nopenfsi: cannot write %s: %s\n", output, strerror(errno));
        result = -1;
    }
    if (result == 0)
        progress_finish(&progress, done);
    host_copy_close(&copy);
    fsi_reader_destroy(reader);
    free(buffer);
    return result;
}

/* "2.01" as 0x0201; 0 when it is not a revision the writer knows. */
static uint32_t parse_udf_revision(const char *text)
{
    uint32_t value;

    if (strlen(text) != 4 || text[1] != '.' || text[0] < '0' || text[0] > '9' || text[2] < '0' ||
        text[2] > '9' || text[3] < '0' || text[3] > '9')
        return 0;
    value = (uint32_t)((text[0] - '0') << 8 | (text[2] - '0') << 4 | (text[3] - '0'));
    return fsi_udf_revision_is_supported(value) ? value : 0;
}

/* Adds an El Torito entry for `path` to `entries`; 0, or 1 after saying why not. */
static int add_boot_entry(struct fsi_boot_entry *entries, size_t *count, const char *path,
                          enum fsi_boot_platform platform, const char *emulation)
{
    struct fsi_boot_entry *entry = &entries[*count];
    struct stat st;

    if (stat(path, &st) != 0) {
        fprintf(stderr, "openfsi: cannot use %s as a boot image: %s\n", path, strerror(errno));
        return 1;
    }
    if (!S_ISREG(st.st_mode)) {
        fprintf(stderr, "openfsi: cannot use %s as a boot image: not a regular file\n", path);
        return 1;
    }
    memset(entry, 0, sizeof(*entry));
    entry->platform = platform;
    entry->size = (uint64_t)st.st_size;
    entry->source = fsi_source_host_file(path);
    entry->emulation = FSI_BOOT_EMULATION_NONE;
    if (!strcmp(emulation, "floppy")) {
        entry->emulation = fsi_boot_emulation_for_size(entry->size, FSI_BOOT_EMULATION_NONE);
        if (entry->emulation == FSI_BOOT_EMULATION_NONE) {
            fprintf(stderr, "openfsi: floppy emulation needs a 1.2 MB (1228800 bytes), 1.44 MB "
                            "(1474560) or 2.88 MB (2949120) image; %s has %llu bytes\n",
                    path, (unsigned long long)entry->size);
            return 1;
        }
    } else if (!strcmp(emulation, "hd")) {
        entry->emulation = FSI_BOOT_EMULATION_HARD_DISK;
    }
    if (!entry->size) {
        fprintf(stderr, "openfsi: the boot image %s is empty\n", path);
        return 1;
    }
    if (entry->size > 0xFFFFF800u) {
        fprintf(stderr, "openfsi: the boot image %s is 4 GiB or larger\n", path);
        return 1;
    }
    (*count)++;
    return 0;
}

static int command_create(int argc, char **argv)
{
    const char *output = NULL, *volume = NULL, *boot = NULL, *efi = NULL;
    const char *boot_emulation = "none";
    struct fsi_boot_entry boot_entries[2];
    size_t boot_count = 0;
    struct fsi_image_options options;
    struct scan_totals totals = { SCAN_REFUSE, 0, 0, 0, 0, 0 };
    uint16_t volume_units[64];
    struct fsi_image *image = NULL;
    struct fsi_tree *tree;
    enum fsi_status status;
    int i, first_path = 0, fd, result;

    fsi_image_options_init(&options, tool_creation_time());
    for (i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "-o") && i + 1 < argc) {
            output = argv[++i];
        } else if (!strcmp(argv[i], "--volume") && i + 1 < argc) {
            volume = argv[++i];
        } else if (!strcmp(argv[i], "--iso-level") && i + 1 < argc) {
            const char *level = argv[++i];
            if (strlen(level) != 1 || level[0] < '1' || level[0] > '3')
                return usage();
            options.iso9660_level = level[0] - '0';
        } else if (!strcmp(argv[i], "--no-joliet")) {
            options.joliet = 0;
        } else if (!strcmp(argv[i], "--udf") && i + 1 < argc) {
            options.udf_revision = parse_udf_revision(argv[++i]);
            if (!options.udf_revision) {
                fprintf(stderr, "openfsi: unknown UDF revision %s (1.02, 1.50, 2.00, 2.01, 2.50 "
                                "or 2.60)\n", argv[i]);
                return 2;
            }
        } else if (!strcmp(argv[i], "--no-iso")) {
            options.iso9660 = 0;
            options.joliet = 0;
        } else if (!strcmp(argv[i], "--no-udf-mirror")) {
            options.udf_redundant_metadata = 0;
        } else if ((!strcmp(argv[i], "--boot") || !strcmp(argv[i], "-b")) && i + 1 < argc) {
            boot = argv[++i];
        } else if (!strcmp(argv[i], "--no-emul") || !strcmp(argv[i], "--floppy") ||
                   !strcmp(argv[i], "--hard-disk")) {
            /* mkisofs users' spellings of --boot-emulation none, floppy and hd */
            boot_emulation = argv[i][2] == 'n' ? "none" : argv[i][2] == 'f' ? "floppy" : "hd";
        } else if (!strcmp(argv[i], "--efi") && i + 1 < argc) {
            efi = argv[++i];
        } else if (!strcmp(argv[i], "--boot-emulation") && i + 1 < argc) {
            boot_emulation = argv[++i];
            if (strcmp(boot_emulation, "none") && strcmp(boot_emulation, "floppy") &&
                strcmp(boot_emulation, "hd")) {
                fprintf(stderr, "openfsi: unknown boot emulation %s (none, floppy or hd)\n",
                        boot_emulation);
                return 2;
            }
        } else if (!strcmp(argv[i], "--")) {
            first_path = i + 1;
            break;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            return usage();
        } else {
            first_path = i;
            break;
        }
    }
    if (!output || !first_path || first_path >= argc)
        return usage();
    if (!options.iso9660 && !options.udf_revision) {
        fprintf(stderr, "openfsi: --no-iso needs --udf: an image needs a file system\n");
        return 2;
    }
    if ((boot || efi) && !options.iso9660) {
        fprintf(stderr, "openfsi: --boot and --efi need ISO 9660 (El Torito is recorded in its "
                        "volume descriptors): drop --no-iso\n");
        return 2;
    }
    if (boot && add_boot_entry(boot_entries, &boot_count, boot, FSI_BOOT_PLATFORM_X86,
                               boot_emulation) != 0)
        return 1;
    if (efi && add_boot_entry(boot_entries, &boot_count, efi, FSI_BOOT_PLATFORM_EFI, "none") != 0)
        return 1;
    options.boot_entries = boot_entries;
    options.boot_entry_count = boot_count;
    if (volume) {
        size_t n = fsi_utf8_to_utf16(volume, strlen(volume), volume_units, 64);
        if (n > 32) {
            fprintf(stderr, "openfsi: the volume name is longer than 32 characters\n");
            return 2;
        }
        options.volume_name = volume_units;
        options.volume_name_length = n;
    }

    tree = fsi_tree_create();
    if (!tree) {
        fprintf(stderr, "openfsi: out of memory\n");
        return 1;
    }
    for (i = first_path; i < argc; i++)
        if (scan_path(tree, argv[i], &totals) != 0) {
            fsi_tree_destroy(tree);
            return 1;
        }
    status = fsi_image_create(tree, &options, &image);
    if (status != FSI_OK) {
        fprintf(stderr, "openfsi: %s\n", fsi_status_message(status));
        fsi_tree_destroy(tree);
        return 1;
    }
    /* No O_TRUNC: ext4 writes a file truncated to nothing back to disk as it is closed
       (auto_da_alloc), which made overwriting a 2 GiB image take 1.9 s instead of 0.6 s.
       write_image overwrites and then cuts the file to the image's size. */
    fd = open(output, O_WRONLY | O_CREAT, 0666);
    if (fd < 0) {
        fprintf(stderr, "openfsi: cannot create %s: %s\n", output, strerror(errno));
        result = 1;
    } else {
        result = write_image(image, fd, output) == 0 ? 0 : 1;
        if (close(fd) != 0 && result == 0) {
            fprintf(stderr, "openfsi: cannot write %s: %s\n", output, strerror(errno));
            result = 1;
        }
        if (result != 0)
            unlink(output);
    }
    fsi_image_destroy(image);
    fsi_tree_destroy(tree);
    return result;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return usage();
    if (!strcmp(argv[1], "create"))
        return command_create(argc - 2, argv + 2);
    if (!strcmp(argv[1], "append")) {
        int status = command_append(argc - 2, argv + 2);
        return status == 2 ? usage() : status;
    }
    if (!strcmp(argv[1], "ls")) {
        int status = command_list(argc - 2, argv + 2);
        return status == 2 ? usage() : status;
    }
    return usage();
}
