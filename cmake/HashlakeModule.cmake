# hashlake_add_module(NAME SOURCES a.cc b.cc DEPS other::libs)
#   One static library per folder of src/hashlake/, named hashlake_<NAME>.
# hashlake_add_test(NAME SOURCES a_test.cc DEPS hashlake_x)
#   One GoogleTest executable, registered with ctest under the label <NAME>.
function(hashlake_add_module name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(hashlake_${name} STATIC ${ARG_SOURCES})
  target_link_libraries(hashlake_${name} PUBLIC ${ARG_DEPS})
  target_include_directories(hashlake_${name} PUBLIC ${CMAKE_SOURCE_DIR}/src
                                                     ${CMAKE_BINARY_DIR}/generated)
endfunction()

function(hashlake_add_test name)
  if(NOT HASHLAKE_BUILD_TESTS)
    return()
  endif()
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gtest_main)
  target_compile_definitions(${name} PRIVATE
    HASHLAKE_SHARED_DATA="${CMAKE_SOURCE_DIR}/../shared/data"
    HASHLAKE_SOURCE_DIR="${CMAKE_SOURCE_DIR}")
  gtest_discover_tests(${name} PROPERTIES LABELS unit DISCOVERY_TIMEOUT 60)
endfunction()
