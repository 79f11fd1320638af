# Every third-party library hashlake links, in one place.
find_package(Threads REQUIRED)
find_package(PkgConfig REQUIRED)
find_package(fmt REQUIRED)
find_package(spdlog REQUIRED)
find_package(simdjson REQUIRED)
find_package(tomlplusplus REQUIRED)
find_package(CLI11 REQUIRED)
find_package(TBB REQUIRED)
find_package(ICU REQUIRED COMPONENTS uc i18n data)
find_package(ZLIB REQUIRED)
find_package(OpenSSL REQUIRED)
find_package(Boost 1.74 REQUIRED)
if(HASHLAKE_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()
if(HASHLAKE_BUILD_BENCH)
  find_package(benchmark REQUIRED)
endif()

# Arrow and Parquet C++: a system install when there is one, else the headers and
# shared libraries that the pyarrow wheel in the project venv ships.
find_package(Arrow QUIET)
find_package(Parquet QUIET)
if(Arrow_FOUND AND Parquet_FOUND)
  message(STATUS "Arrow ${Arrow_VERSION} from the system")
  add_library(hashlake_arrow INTERFACE)
  target_link_libraries(hashlake_arrow INTERFACE Arrow::arrow_shared Parquet::parquet_shared)
else()
  set(HASHLAKE_PYTHON "${CMAKE_SOURCE_DIR}/.venv/bin/python" CACHE FILEPATH
      "Python whose pyarrow provides Arrow C++")
  if(NOT EXISTS "${HASHLAKE_PYTHON}")
    message(FATAL_ERROR "Arrow C++ not found: run scripts/setup.sh first (it creates .venv with pyarrow)")
  endif()
  execute_process(
    COMMAND "${HASHLAKE_PYTHON}" -c
      "import pyarrow as pa; pa.create_library_symlinks(); print(pa.get_include()); print(pa.get_library_dirs()[0]); print(pa.__version__)"
    OUTPUT_VARIABLE _pa_out RESULT_VARIABLE _pa_rc OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(NOT _pa_rc EQUAL 0)
    message(FATAL_ERROR "pyarrow in ${HASHLAKE_PYTHON} could not be imported")
  endif()
  string(REPLACE "\n" ";" _pa_lines "${_pa_out}")
  list(GET _pa_lines 0 PYARROW_INCLUDE_DIR)
  list(GET _pa_lines 1 PYARROW_LIBRARY_DIR)
  list(GET _pa_lines 2 PYARROW_VERSION)
  message(STATUS "Arrow ${PYARROW_VERSION} from the pyarrow wheel: ${PYARROW_LIBRARY_DIR}")
  add_library(hashlake_arrow INTERFACE)
  # SYSTEM: Arrow's headers are not ours to keep warning-free.
  target_include_directories(hashlake_arrow SYSTEM INTERFACE ${PYARROW_INCLUDE_DIR})
  # libarrow/libparquet export the symbols of their own vendored simdjson and OpenSSL. The
  # dynamic linker binds each symbol to the first library that has it, in NEEDED order, so
  # Debian's libsimdjson, libssl and libcrypto must be NEEDED before libparquet: otherwise
  # our calls (compiled against Debian's headers) land in the wheel's copies and crash.
  # Link options come before every object and library on the link line, and
  # --no-as-needed keeps the linker from dropping them as "already provided".
  add_link_options("LINKER:--push-state,--no-as-needed"
                   "$<TARGET_LINKER_FILE:simdjson::simdjson>"
                   "$<TARGET_LINKER_FILE:OpenSSL::SSL>" "$<TARGET_LINKER_FILE:OpenSSL::Crypto>"
                   "LINKER:--pop-state")
  target_link_libraries(hashlake_arrow INTERFACE simdjson::simdjson OpenSSL::SSL OpenSSL::Crypto
    ${PYARROW_LIBRARY_DIR}/libparquet.so ${PYARROW_LIBRARY_DIR}/libarrow.so)
  # The wheel's libraries live in the venv: record where, so the binary runs from anywhere.
  set(CMAKE_BUILD_RPATH "${PYARROW_LIBRARY_DIR}")
  set(CMAKE_INSTALL_RPATH "${PYARROW_LIBRARY_DIR}")
endif()
