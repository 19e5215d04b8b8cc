# The Windows test programs (tests/com/NAME.c), shared by the mingw build that compiles them and
# the native build whose ctest runs them under Wine, each with the 64-bit and the 32-bit build.
# test_unregistered runs last, after regsvr32 /u, and test_wow64_views (both DLLs in one prefix)
# takes the stage of registration as its argument: both are listed apart.
set(OPENFSI_COM_TESTS
    test_class_registration
    test_query_interface
    test_dispatch
    test_idl_conformance
    test_error_info
    test_file_system_image
    test_connection_points
    test_boot_options
    test_eltorito_image
    test_iso_image_manager
    test_engine_host_file
    test_fsi_items
    test_image_result
    test_stream_writer
    test_event_connector
    test_udf_image
    test_named_streams
    test_recorder_double
    test_multisession
    test_image_file_media
    test_import_surface
    test_large_images)
set(OPENFSI_COM_CLEANUP_TEST test_unregistered)
set(OPENFSI_COM_WOW64_TEST test_wow64_views)
