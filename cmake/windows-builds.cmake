# The mingw cross-builds of this same tree, driven from the native build: the x86_64 and the i686
# DLL with their test programs. Wine runs both, in one WoW64 prefix (tests/wine: the 64-bit
# programs under the labels wine and script, the 32-bit ones under wine32 and script32).
include(ExternalProject)

set(OPENFSI_CMOCKA_SOURCE "" CACHE PATH "CMocka source tree for the mingw test programs")
if(NOT OPENFSI_CMOCKA_SOURCE)
    file(GLOB _cmocka_dirs "${PROJECT_SOURCE_DIR}/.deps/cmocka-*/src/cmocka.c")
    list(SORT _cmocka_dirs)
    list(POP_BACK _cmocka_dirs _cmocka_c)
    if(NOT _cmocka_c)
        message(FATAL_ERROR "CMocka's source is missing: run scripts/install-deps (it unpacks "
                            "Debian's source package into .deps/)")
    endif()
    get_filename_component(_cmocka_src "${_cmocka_c}" DIRECTORY)
    get_filename_component(_cmocka_src "${_cmocka_src}" DIRECTORY)
    set(OPENFSI_CMOCKA_SOURCE "${_cmocka_src}" CACHE PATH "" FORCE)
endif()

foreach(arch x86_64 i686)
    ExternalProject_Add(windows-${arch}
        SOURCE_DIR "${PROJECT_SOURCE_DIR}"
        BINARY_DIR "${PROJECT_BINARY_DIR}/windows-${arch}"
        CMAKE_ARGS
            "-DCMAKE_TOOLCHAIN_FILE=${PROJECT_SOURCE_DIR}/cmake/mingw-${arch}.cmake"
            "-DCMAKE_BUILD_TYPE=${CMAKE_BUILD_TYPE}"
            "-DOPENFSI_CMOCKA_SOURCE=${OPENFSI_CMOCKA_SOURCE}"
        BUILD_ALWAYS ON
        INSTALL_COMMAND ""
        USES_TERMINAL_BUILD ON)
endforeach()

set(OPENFSI_WIN64_DIR "${PROJECT_BINARY_DIR}/windows-x86_64")
set(OPENFSI_WIN32_DIR "${PROJECT_BINARY_DIR}/windows-i686")

# The DLLs, where Wine keeps its own PE builds: lib/openfsi/x86_64-windows and i386-windows.
# They come from the external projects, so they are installed as files, not as targets.
install(FILES "${PROJECT_BINARY_DIR}/windows-x86_64/src/com/imapi2fs.dll"
        DESTINATION "${CMAKE_INSTALL_LIBDIR}/openfsi/x86_64-windows")
install(FILES "${PROJECT_BINARY_DIR}/windows-i686/src/com/imapi2fs.dll"
        DESTINATION "${CMAKE_INSTALL_LIBDIR}/openfsi/i386-windows")
