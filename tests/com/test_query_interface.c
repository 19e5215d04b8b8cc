/*
 * QueryInterface on every object we can reach: each answers its interfaces with Microsoft's
 * IIDs, refuses an unrelated IID with E_NOINTERFACE and a NULL pointer, and keeps COM identity
 * (IUnknown is the same pointer whichever interface it is asked from).
 */
#include "com_test.h"

struct object_interfaces {
    const char *name;
    const CLSID *clsid;
    const IID *const *iids;     /* NULL-terminated */
};

static const IID *const file_system_image_iids[] = {
    &IID_IUnknown, &IID_IDispatch, &IID_IFileSystemImage, &IID_IFileSystemImage2,
    &IID_IFileSystemImage3, &IID_IConnectionPointContainer, &IID_ISupportErrorInfo, NULL
};
static const IID *const iso_image_manager_iids[] = {
    &IID_IUnknown, &IID_IDispatch, &IID_IIsoImageManager, &IID_ISupportErrorInfo, NULL
};
static const IID *const boot_options_iids[] = {
    &IID_IUnknown, &IID_IDispatch, &IID_IBootOptions, &IID_ISupportErrorInfo, NULL
};

static const struct object_interfaces objects[] = {
    { "MsftFileSystemImage", &CLSID_MsftFileSystemImage, file_system_image_iids },
    { "MsftIsoImageManager", &CLSID_MsftIsoImageManager, iso_image_manager_iids },
    { "BootOptions", &CLSID_BootOptions, boot_options_iids },
};

/* Interfaces no object of ours implements. */
static const IID *const unrelated_iids[] = {
    &IID_IStream, &IID_IPersist, &IID_IClassFactory, &IID_IFsiItem, &IID_IBlockRangeList, NULL
};

static void test_each_object_answers_each_of_its_interfaces(void **state)
{
    size_t i, j;
    (void)state;
    for (i = 0; i < ARRAY_SIZE(objects); i++) {
        IUnknown *object = com_test_create(objects[i].clsid, &IID_IUnknown);
        for (j = 0; objects[i].iids[j]; j++) {
            IUnknown *iface = NULL;
            print_message("%s: interface %u\n", objects[i].name, (unsigned)j);
            assert_hr(S_OK, IUnknown_QueryInterface(object, objects[i].iids[j], (void **)&iface));
            assert_non_null(iface);
            IUnknown_Release(iface);
        }
        IUnknown_Release(object);
    }
}

static void test_unrelated_interfaces_are_refused(void **state)
{
    size_t i, j;
    (void)state;
    for (i = 0; i < ARRAY_SIZE(objects); i++) {
        IUnknown *object = com_test_create(objects[i].clsid, &IID_IUnknown);
        for (j = 0; unrelated_iids[j]; j++) {
            IUnknown *iface = (IUnknown *)0xdeadbeef;
            assert_hr(E_NOINTERFACE, IUnknown_QueryInterface(object, unrelated_iids[j],
                                                             (void **)&iface));
            assert_null(iface);
        }
        assert_hr(E_POINTER, IUnknown_QueryInterface(object, &IID_IUnknown, NULL));
        IUnknown_Release(object);
    }
}

static void test_identity_is_the_same_from_every_interface(void **state)
{
    size_t i, j;
    (void)state;
    for (i = 0; i < ARRAY_SIZE(objects); i++) {
        IUnknown *object = com_test_create(objects[i].clsid, &IID_IUnknown);
        for (j = 0; objects[i].iids[j]; j++) {
            IUnknown *iface = NULL, *identity = NULL;
            assert_hr(S_OK, IUnknown_QueryInterface(object, objects[i].iids[j], (void **)&iface));
            assert_hr(S_OK, IUnknown_QueryInterface(iface, &IID_IUnknown, (void **)&identity));
            assert_ptr_equal(identity, object);
            IUnknown_Release(identity);
            IUnknown_Release(iface);
        }
        IUnknown_Release(object);
    }
}

static void test_reference_counts_are_shared_by_all_interfaces(void **state)
{
    IFileSystemImage *image = com_test_create(&CLSID_MsftFileSystemImage, &IID_IFileSystemImage);
    ISupportErrorInfo *support = NULL;
    IConnectionPointContainer *container = NULL;
    (void)state;

    assert_hr(S_OK, IFileSystemImage_QueryInterface(image, &IID_ISupportErrorInfo,
                                                    (void **)&support));
    assert_hr(S_OK, IFileSystemImage_QueryInterface(image, &IID_IConnectionPointContainer,
                                                    (void **)&container));
    assert_int_equal(IFileSystemImage_Release(image), 2);
    assert_int_equal(ISupportErrorInfo_Release(support), 1);
    assert_int_equal(IConnectionPointContainer_Release(container), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_each_object_answers_each_of_its_interfaces),
        cmocka_unit_test(test_unrelated_interfaces_are_refused),
        cmocka_unit_test(test_identity_is_the_same_from_every_interface),
        cmocka_unit_test(test_reference_counts_are_shared_by_all_interfaces),
    };
    return cmocka_run_group_tests(tests, com_test_setup_sta, com_test_teardown);
}
