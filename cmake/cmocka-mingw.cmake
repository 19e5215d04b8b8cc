# CMocka for the Windows test programs, compiled from Debian's source package (unpacked by
# scripts/install-deps) as the single file src/cmocka.c. Nothing of it is kept in this repository.
if(NOT OPENFSI_CMOCKA_SOURCE OR NOT EXISTS "${OPENFSI_CMOCKA_SOURCE}/src/cmocka.c")
    message(FATAL_ERROR "OPENFSI_CMOCKA_SOURCE must name an unpacked CMocka source tree")
endif()
add_library(cmocka_mingw STATIC "${OPENFSI_CMOCKA_SOURCE}/src/cmocka.c")
target_include_directories(cmocka_mingw SYSTEM PUBLIC "${OPENFSI_CMOCKA_SOURCE}/include")
target_compile_definitions(cmocka_mingw PRIVATE
    HAVE_SIGNAL_H HAVE_INTTYPES_H HAVE_MALLOC_H HAVE_STRUCT_TIMESPEC
    HAVE_GCC_THREAD_LOCAL_STORAGE)
target_compile_options(cmocka_mingw PRIVATE -w)
