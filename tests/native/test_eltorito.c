/*
 * The El Torito writer (src/core/eltorito.c): the boot record, the catalog and the boot images'
 * bytes, checked field by field against El Torito 1.0 (2.0 to 2.4) through the image reader.
 */
#include "image_test_util.h"

#include "eltorito.h"
#include "openfsi/import.h"
#include "openfsi/media.h"

static uint8_t bios_image[2500];
static uint8_t efi_image[8192];
static uint8_t floppy_image[1474560];

static void fill(uint8_t *data, size_t size, unsigned seed)
{
    size_t i;
    for (i = 0; i < size; i++)
        data[i] = (uint8_t)(i * 7 + seed + (i >> 8));
}

static struct fsi_boot_entry entry(enum fsi_boot_platform platform,
                                   enum fsi_boot_emulation emulation, const void *data,
                                   size_t size, const char *manufacturer)
{
    struct fsi_boot_entry e;
    memset(&e, 0, sizeof(e));
    e.platform = platform;
    e.emulation = emulation;
    e.manufacturer = manufacturer;
    e.size = size;
    e.source = fsi_source_memory(data, size);
    return e;
}

static struct fsi_tree *small_tree(void)
{
    static const char text[] = "hello";
    struct fsi_tree *tree = fsi_tree_create();
    assert_non_null(tree);
    add_memory_file(tree, fsi_tree_root(tree), "README.TXT", text, 5);
    return tree;
}

static enum fsi_status create(struct fsi_tree *tree, const struct fsi_boot_entry *entries,
                              size_t count, int joliet, struct fsi_image **image)
{
    struct fsi_image_options options;
    fsi_image_options_init(&options, TEST_TIME);
    options.joliet = joliet;
    options.boot_entries = entries;
    options.boot_entry_count = count;
    return fsi_image_create(tree, &options, image);
}

static uint32_t catalog_sector(struct fsi_image *image, uint32_t boot_record)
{
    uint8_t sector[FSI_SECTOR_SIZE];
    read_sector(image, boot_record, sector);
    assert_int_equal(sector[0], 0);
    assert_memory_equal(sector + 1, "CD001", 5);
    assert_int_equal(sector[6], 1);
    assert_memory_equal(sector + 7, "EL TORITO SPECIFICATION", 23);
    assert_int_equal(sector[7 + 23], 0);
    return get_le32(sector + 0x47);
}

static void check_validation_entry(const uint8_t *catalog, uint8_t platform, const char *id)
{
    uint16_t sum = 0;
    size_t i;
    uint8_t expected_id[24] = { 0 };

    assert_int_equal(catalog[0], 1);
    assert_int_equal(catalog[1], platform);
    assert_int_equal(catalog[30], 0x55);
    assert_int_equal(catalog[31], 0xAA);
    memcpy(expected_id, id, strlen(id));
    assert_memory_equal(catalog + 4, expected_id, 24);
    for (i = 0; i < 32; i += 2)
        sum = (uint16_t)(sum + get_le16(catalog + i));
    assert_int_equal(sum, 0);
}

/* Checks a 2.2/2.4 entry and returns its load RBA. */
static uint32_t check_entry(const uint8_t *p, uint8_t media, uint16_t segment, uint16_t count)
{
    assert_int_equal(p[0], 0x88);
    assert_int_equal(p[1], media);
    assert_int_equal(get_le16(p + 2), segment);
    assert_int_equal(get_le16(p + 6), count);
    return get_le32(p + 8);
}

static void check_bytes(struct fsi_image *image, uint32_t lba, const uint8_t *data, size_t size)
{
    struct fsi_reader *reader;
    size_t padded = (size + FSI_SECTOR_SIZE - 1) / FSI_SECTOR_SIZE * FSI_SECTOR_SIZE, i;
    uint8_t *buffer = malloc(padded);

    assert_non_null(buffer);
    assert_int_equal(fsi_reader_create(image, &reader), FSI_OK);
    assert_int_equal(fsi_reader_read(reader, (uint64_t)lba * FSI_SECTOR_SIZE, buffer, padded),
                     FSI_OK);
    fsi_reader_destroy(reader);
    assert_memory_equal(buffer, data, size);
    for (i = size; i < padded; i++)
        assert_int_equal(buffer[i], 0);
    free(buffer);
}

/* The image's extents of `part`, counted; *first gets the first one's sector. */
static size_t count_parts(struct fsi_image *image, enum fsi_extent_part part, uint32_t *first)
{
    struct fsi_extent_info info;
    size_t i, n = 0;
    for (i = 0; i < fsi_image_extent_count(image); i++) {
        fsi_image_extent(image, i, &info);
        if (info.part == part) {
            if (!n && first)
                *first = info.first_sector;
            if (part == FSI_PART_BOOT_IMAGE) {
                assert_int_equal(info.kind, FSI_EXTENT_FILE);
                assert_null(info.file);
            }
            n++;
        }
    }
    return n;
}

static void test_bios_no_emulation(void **state)
{
    struct fsi_tree *tree = small_tree();
    struct fsi_boot_entry e = entry(FSI_BOOT_PLATFORM_X86, FSI_BOOT_EMULATION_NONE, bios_image,
                                    sizeof(bios_image), "OPENFSI TEST");
    struct fsi_image *image = NULL;
    uint8_t catalog[FSI_SECTOR_SIZE], sector[FSI_SECTOR_SIZE];
    struct test_record records[8];
    uint32_t cat, lba, first, root, root_size;
    (void)state;

    fill(bios_image, sizeof(bios_image), 1);
    assert_int_equal(create(tree, &e, 1, 1, &image), FSI_OK);
    /* Primary at 16, boot record at 17, Joliet at 18, terminator at 19 (as genisoimage). */
    read_sector(image, 16, sector);
    assert_int_equal(sector[0], 1);
    cat = catalog_sector(image, 17);
    read_sector(image, 18, sector);
    assert_int_equal(sector[0], 2);
    read_sector(image, 19, sector);
    assert_int_equal(sector[0], 255);

    read_sector(image, cat, catalog);
    check_validation_entry(catalog, 0, "OPENFSI TEST");
    /* 2500 bytes: 5 virtual sectors, the whole image. */
    lba = check_entry(catalog + 32, 0, 0, 5);
    assert_int_equal(catalog[64], 0);   /* no section follows */
    check_bytes(image, lba, bios_image, sizeof(bios_image));

    assert_int_equal(count_parts(image, FSI_PART_BOOT_CATALOG, &first), 1);
    assert_int_equal(first, cat);
    assert_int_equal(count_parts(image, FSI_PART_BOOT_IMAGE, &first), 1);
    assert_int_equal(first, lba);

    /* Neither the catalog nor the image is a file of the tree. */
    read_root(image, 16, &root, &root_size);
    assert_int_equal(read_directory(image, root, root_size, records, 8), 3);
    fsi_image_destroy(image);
    fsi_tree_destroy(tree);
}

static void test_bios_and_uefi_pair(void **state)
{
    struct fsi_tree *tree = small_tree();
    struct fsi_boot_entry e[2];
    struct fsi_image *image = NULL;
    uint8_t catalog[FSI_SECTOR_SIZE];
    uint32_t cat, bios_lba, efi_lba;
    (void)state;

    fill(bios_image, sizeof(bios_image), 2);
    fill(efi_image, sizeof(efi_image), 3);
    e[0] = entry(FSI_BOOT_PLATFORM_X86, FSI_BOOT_EMULATION_NONE, bios_image, 2048, "");
    e[0].load_sectors = 4;
    e[0].load_segment = 0x7C0;
    e[1] = entry(FSI_BOOT_PLATFORM_EFI, FSI_BOOT_EMULATION_NONE, efi_image, sizeof(efi_image),
                 "UEFI");
    assert_int_equal(create(tree, e, 2, 0, &image), FSI_OK);
    cat = catalog_sector(image, 17);
    read_sector(image, 18, catalog);
    assert_int_equal(catalog[0], 255);      /* no Joliet: the terminator follows */
    read_sector(image, cat, catalog);
    check_validation_entry(catalog, 0, "");
    bios_lba = check_entry(catalog + 32, 0, 0x7C0, 4);
    assert_int_equal(catalog[64], 0x91);    /* the last section header */
    assert_int_equal(catalog[65], 0xEF);
    assert_int_equal(get_le16(catalog + 66), 1);
    assert_memory_equal(catalog + 68, "UEFI", 5);
    efi_lba = check_entry(catalog + 96, 0, 0, 16);
    assert_int_equal(catalog[96 + 12], 0);  /* no selection criteria */
    assert_int_equal(catalog[128], 0);
    assert_int_not_equal(bios_lba, efi_lba);
    check_bytes(image, bios_lba, bios_image, 2048);
    check_bytes(image, efi_lba, efi_image, sizeof(efi_image));
    assert_int_equal(count_parts(image, FSI_PART_BOOT_IMAGE, NULL), 2);
    fsi_image_destroy(image);
    fsi_tree_destroy(tree);
}

static void test_three_entries_have_sections_in_order(void **state)
{
    struct fsi_tree *tree = small_tree();
    struct fsi_boot_entry e[3];
    struct fsi_image *image = NULL;
    uint8_t catalog[FSI_SECTOR_SIZE];
    (void)state;

    e[0] = entry(FSI_BOOT_PLATFORM_X86, FSI_BOOT_EMULATION_NONE, bios_image, 100, NULL);
    e[1] = entry(FSI_BOOT_PLATFORM_POWERPC, FSI_BOOT_EMULATION_NONE, bios_image, 600, NULL);
    e[2] = entry(FSI_BOOT_PLATFORM_EFI, FSI_BOOT_EMULATION_NONE, efi_image, 513, NULL);
    assert_int_equal(create(tree, e, 3, 1, &image), FSI_OK);
    read_sector(image, catalog_sector(image, 17), catalog);
    check_validation_entry(catalog, 0, "");
    check_entry(catalog + 32, 0, 0, 1);
    assert_int_equal(catalog[64], 0x90);
    assert_int_equal(catalog[65], 1);
    check_entry(catalog + 96, 0, 0, 2);
    assert_int_equal(catalog[128], 0x91);
    assert_int_equal(catalog[129], 0xEF);
    check_entry(catalog + 160, 0, 0, 2);
    fsi_image_destroy(image);
    fsi_tree_destroy(tree);
}

static void test_floppy_emulation_loads_one_sector(void **state)
{
    struct fsi_tree *tree = small_tree();
    struct fsi_boot_entry e = entry(FSI_BOOT_PLATFORM_X86, FSI_BOOT_EMULATION_FLOPPY_1_44M,
                                    floppy_image, sizeof(floppy_image), NULL);
    struct fsi_image *image = NULL;
    uint8_t catalog[FSI_SECTOR_SIZE];
    uint32_t lba;
    (void)state;

    fill(floppy_image, sizeof(floppy_image), 4);
    assert_int_equal(create(tree, &e, 1, 1, &image), FSI_OK);
    read_sector(image, catalog_sector(image, 17), catalog);
    lba = check_entry(catalog + 32, 2, 0, 1);
    check_bytes(image, lba, floppy_image, sizeof(floppy_image));
    fsi_image_destroy(image);

    e.size = sizeof(floppy_image) - 512;    /* not a 1.44 MB floppy */
    assert_int_equal(create(tree, &e, 1, 1, &image), FSI_E_INVALID_ARGUMENT);
    assert_null(image);
    fsi_tree_destroy(tree);
}

static void test_hard_disk_emulation_records_the_partition_type(void **state)
{
    static uint8_t disk[64 * 1024];
    struct fsi_tree *tree = small_tree();
    struct fsi_boot_entry e = entry(FSI_BOOT_PLATFORM_X86, FSI_BOOT_EMULATION_HARD_DISK, disk,
                                    sizeof(disk), NULL);
    struct fsi_image *image = NULL;
    uint8_t catalog[FSI_SECTOR_SIZE];
    (void)state;

    disk[0x1C2] = 0x06;
    disk[510] = 0x55;
    disk[511] = 0xAA;
    assert_int_equal(create(tree, &e, 1, 1, &image), FSI_OK);
    read_sector(image, catalog_sector(image, 17), catalog);
    check_entry(catalog + 32, 4, 0, 1);
    assert_int_equal(catalog[32 + 4], 0x06);
    fsi_image_destroy(image);
    fsi_tree_destroy(tree);
}

static void test_bad_entries_are_refused(void **state)
{
    struct fsi_tree *tree = small_tree();
    struct fsi_boot_entry e = entry(FSI_BOOT_PLATFORM_X86, FSI_BOOT_EMULATION_NONE, bios_image,
                                    512, NULL), many[FSI_BOOT_ENTRY_MAX + 1];
    struct fsi_image_options options;
    struct fsi_image *image = NULL;
    size_t i;
    (void)state;

    e.manufacturer = "0123456789012345678901234";   /* 25 characters */
    assert_int_equal(create(tree, &e, 1, 1, &image), FSI_E_INVALID_ARGUMENT);
    e.manufacturer = "caf\xc3\xa9";
    assert_int_equal(create(tree, &e, 1, 1, &image), FSI_E_INVALID_ARGUMENT);
    e.manufacturer = NULL;
    e.platform = (enum fsi_boot_platform)3;
    assert_int_equal(create(tree, &e, 1, 1, &image), FSI_E_INVALID_ARGUMENT);
    e.platform = FSI_BOOT_PLATFORM_X86;
    e.size = 0;
    assert_int_equal(create(tree, &e, 1, 1, &image), FSI_E_INVALID_ARGUMENT);
    e.size = 512;
    assert_int_equal(create(tree, NULL, 1, 1, &image), FSI_E_INVALID_ARGUMENT);
    for (i = 0; i <= FSI_BOOT_ENTRY_MAX; i++)
        many[i] = e;
    assert_int_equal(create(tree, many, FSI_BOOT_ENTRY_MAX + 1, 1, &image),
                     FSI_E_INVALID_ARGUMENT);
    assert_int_equal(create(tree, many, FSI_BOOT_ENTRY_MAX, 1, &image), FSI_OK);
    fsi_image_destroy(image);
    image = NULL;

    /* El Torito lives in ISO 9660's descriptor set. */
    fsi_image_options_init(&options, TEST_TIME);
    options.iso9660 = 0;
    options.joliet = 0;
    options.udf_revision = FSI_UDF_REVISION_1_02;
    options.boot_entries = &e;
    options.boot_entry_count = 1;
    assert_int_equal(fsi_image_create(tree, &options, &image), FSI_E_INVALID_ARGUMENT);
    assert_null(image);
    fsi_tree_destroy(tree);
}

static void test_short_source_fails_the_read_and_says_so(void **state)
{
    struct fsi_tree *tree = small_tree();
    struct fsi_boot_entry e = entry(FSI_BOOT_PLATFORM_X86, FSI_BOOT_EMULATION_NONE, bios_image,
                                    1000, NULL);
    struct fsi_image *image = NULL;
    struct fsi_reader *reader;
    uint8_t catalog[FSI_SECTOR_SIZE];
    uint32_t lba;
    (void)state;

    e.source = fsi_source_memory(bios_image, 900);  /* shorter than declared */
    assert_int_equal(create(tree, &e, 1, 1, &image), FSI_OK);
    read_sector(image, catalog_sector(image, 17), catalog);
    lba = check_entry(catalog + 32, 0, 0, 2);
    assert_int_equal(fsi_reader_create(image, &reader), FSI_OK);
    assert_int_equal(fsi_reader_read(reader, (uint64_t)lba * FSI_SECTOR_SIZE, catalog,
                                     FSI_SECTOR_SIZE),
                     FSI_E_SOURCE_SHORT);
    assert_non_null(strstr(fsi_reader_error(reader), "El Torito boot image"));
    fsi_reader_destroy(reader);
    fsi_image_destroy(image);
    fsi_tree_destroy(tree);
}

static int holds;

static enum fsi_status read_pattern(void *context, uint64_t offset, void *buffer, size_t length,
                                    size_t *done)
{
    size_t i, size = *(const size_t *)context;
    *done = offset < size ? (size - offset < length ? (size_t)(size - offset) : length) : 0;
    for (i = 0; i < *done; i++)
        ((uint8_t *)buffer)[i] = (uint8_t)(offset + i);
    return FSI_OK;
}
static void retain_pattern(void *context) { (void)context; holds++; }
static void release_pattern(void *context) { (void)context; holds--; }

static void test_callback_sources_are_held_by_the_image(void **state)
{
    static const struct fsi_source_callbacks callbacks = { read_pattern, release_pattern,
                                                           retain_pattern };
    static size_t size = 3000;
    struct fsi_tree *tree = small_tree();
    struct fsi_boot_entry e = entry(FSI_BOOT_PLATFORM_EFI, FSI_BOOT_EMULATION_NONE, NULL, size,
                                    NULL);
    struct fsi_image_options options;
    struct fsi_image *image = NULL;
    uint8_t catalog[FSI_SECTOR_SIZE], expected[3000];
    size_t i;
    (void)state;

    e.source = fsi_source_callback(&callbacks, &size);
    holds = 0;
    assert_int_equal(create(tree, &e, 1, 1, &image), FSI_OK);
    assert_int_equal(holds, 1);
    for (i = 0; i < sizeof(expected); i++)
        expected[i] = (uint8_t)i;
    read_sector(image, catalog_sector(image, 17), catalog);
    assert_int_equal(catalog[1], 0xEF);
    check_bytes(image, check_entry(catalog + 32, 0, 0, 6), expected, sizeof(expected));
    fsi_image_destroy(image);
    assert_int_equal(holds, 0);

    /* A layout that fails lets go too. */
    fsi_image_options_init(&options, TEST_TIME);
    options.max_sectors = 20;
    options.boot_entries = &e;
    options.boot_entry_count = 1;
    image = NULL;
    assert_int_equal(fsi_image_create(tree, &options, &image), FSI_E_IMAGE_TOO_LARGE);
    assert_int_equal(holds, 0);
    fsi_tree_destroy(tree);
}

static enum fsi_status read_from_image(void *context, uint32_t first, uint32_t count,
                                       void *buffer)
{
    struct fsi_reader *reader = context;
    return fsi_reader_read(reader, (uint64_t)first * FSI_SECTOR_SIZE, buffer,
                           (size_t)count * FSI_SECTOR_SIZE);
}

/* The engine's own readers (Validate, import) walk a bootable image: the boot record between
   the primary and the Joliet descriptor is skipped. */
static void test_bootable_image_validates(void **state)
{
    struct fsi_tree *tree = small_tree();
    struct fsi_boot_entry e[2];
    struct fsi_image *image = NULL;
    struct fsi_reader *reader = NULL;
    struct fsi_import_info info;
    struct fsi_disc disc;
    (void)state;

    e[0] = entry(FSI_BOOT_PLATFORM_X86, FSI_BOOT_EMULATION_NONE, bios_image, 2048, NULL);
    e[1] = entry(FSI_BOOT_PLATFORM_EFI, FSI_BOOT_EMULATION_NONE, efi_image, sizeof(efi_image),
                 NULL);
    assert_int_equal(create(tree, e, 2, 1, &image), FSI_OK);
    assert_int_equal(fsi_reader_create(image, &reader), FSI_OK);
    disc.read = read_from_image;
    disc.context = reader;
    disc.sector_count = fsi_image_sector_count(image);
    memset(&info, 0, sizeof(info));
    assert_int_equal(fsi_disc_validate(&disc, &info), FSI_OK);
    assert_int_equal(info.file_system, FSI_FILE_SYSTEM_JOLIET);
    assert_int_equal(info.files, 1);
    fsi_reader_destroy(reader);
    fsi_image_destroy(image);
    fsi_tree_destroy(tree);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bios_no_emulation),
        cmocka_unit_test(test_bios_and_uefi_pair),
        cmocka_unit_test(test_three_entries_have_sections_in_order),
        cmocka_unit_test(test_floppy_emulation_loads_one_sector),
        cmocka_unit_test(test_hard_disk_emulation_records_the_partition_type),
        cmocka_unit_test(test_bad_entries_are_refused),
        cmocka_unit_test(test_short_source_fails_the_read_and_says_so),
        cmocka_unit_test(test_callback_sources_are_held_by_the_image),
        cmocka_unit_test(test_bootable_image_validates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
