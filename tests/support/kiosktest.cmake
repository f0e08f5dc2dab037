# How tests are registered: see the top of tests/CMakeLists.txt.

# The labels a test may carry (`ctest -L <label>`); a folder tests/<label>/ uses its own by default.
set(KIOSK_TEST_LABELS unit integration capture qml security deploy e2e soak)
set(KIOSK_TEST_SUPPORT_DIR ${CMAKE_CURRENT_LIST_DIR})

# kiosk_add_test(NAME name LABEL label COMMAND command [args...]
#                [TIMEOUT s] [ENVIRONMENT var=value...] [SKIP_RETURN_CODE n]
#                [WORKING_DIRECTORY dir] [RUN_SERIAL])
# Registers one ctest entry with its label, headless (QT_QPA_PLATFORM=offscreen; ENVIRONMENT adds
# to it). Every test goes through here: tests/CMakeLists.txt refuses any that did not.
function(kiosk_add_test)
    cmake_parse_arguments(arg "RUN_SERIAL" "NAME;LABEL;TIMEOUT;SKIP_RETURN_CODE;WORKING_DIRECTORY"
                          "COMMAND;ENVIRONMENT" ${ARGN})
    if(NOT arg_NAME OR NOT arg_COMMAND)
        message(FATAL_ERROR "kiosk_add_test: NAME and COMMAND are required")
    endif()
    if(NOT arg_LABEL IN_LIST KIOSK_TEST_LABELS)
        message(FATAL_ERROR "kiosk_add_test(${arg_NAME}): LABEL '${arg_LABEL}' is not one of "
                            "${KIOSK_TEST_LABELS}")
    endif()
    if(NOT arg_TIMEOUT)
        set(arg_TIMEOUT 120)
    endif()
    set(where)
    if(arg_WORKING_DIRECTORY)
        set(where WORKING_DIRECTORY ${arg_WORKING_DIRECTORY})
    endif()
    set(environment QT_QPA_PLATFORM=offscreen ${arg_ENVIRONMENT})
    add_test(NAME ${arg_NAME} COMMAND ${arg_COMMAND} ${where})
    set_tests_properties(${arg_NAME} PROPERTIES
        LABELS ${arg_LABEL}
        TIMEOUT ${arg_TIMEOUT}
        ENVIRONMENT "${environment}")
    if(arg_SKIP_RETURN_CODE)
        set_tests_properties(${arg_NAME} PROPERTIES SKIP_RETURN_CODE ${arg_SKIP_RETURN_CODE})
    endif()
    if(arg_RUN_SERIAL)
        set_tests_properties(${arg_NAME} PROPERTIES RUN_SERIAL TRUE)
    endif()
    set_property(GLOBAL APPEND PROPERTY KIOSK_REGISTERED_TESTS ${arg_NAME})
endfunction()

# kiosk_add_qtest(target sources... [LABEL label] [TEST_NAME name] [ARGS args...] [APP]
#                 [LIBS lib...] [TIMEOUT s] [ENVIRONMENT var=value...] [SKIP_RETURN_CODE n])
# One C++ test program (QtTest, or any program that exits 0 on success) built with the backend,
# QtTest and tests/support on its include path, registered with kiosk_add_test: as `target`
# unless TEST_NAME is given, run with ARGS, labelled after its folder unless LABEL is given.
# APP: it launches the app (support/appprocess.h): KIOSK_APP is defined and the app built first.
function(kiosk_add_qtest target)
    cmake_parse_arguments(arg "APP" "LABEL;TEST_NAME;TIMEOUT;SKIP_RETURN_CODE"
                          "LIBS;ARGS;ENVIRONMENT" ${ARGN})
    if(NOT arg_LABEL)
        get_filename_component(arg_LABEL ${CMAKE_CURRENT_SOURCE_DIR} NAME)
    endif()
    if(NOT arg_TEST_NAME)
        set(arg_TEST_NAME ${target})
    endif()
    qt_add_executable(${target} ${arg_UNPARSED_ARGUMENTS})
    target_include_directories(${target} PRIVATE ${KIOSK_TEST_SUPPORT_DIR})
    target_link_libraries(${target} PRIVATE kiosk-backend Qt6::Test ${arg_LIBS})
    add_dependencies(${target} kiosk-plugins) # file and camera sources are loaded from them
    if(arg_APP)
        target_compile_definitions(${target} PRIVATE KIOSK_APP="$<TARGET_FILE:mjpeg-kiosk>")
        add_dependencies(${target} mjpeg-kiosk)
    endif()
    set(options)
    foreach(option TIMEOUT SKIP_RETURN_CODE)
        if(arg_${option})
            list(APPEND options ${option} ${arg_${option}})
        endif()
    endforeach()
    kiosk_add_test(NAME ${arg_TEST_NAME} LABEL ${arg_LABEL} COMMAND ${target} ${arg_ARGS}
                   ENVIRONMENT ${arg_ENVIRONMENT} ${options})
endfunction()

# Fails the configuration when a test in `directory` or below was not registered through
# kiosk_add_test (it would have no label, and `ctest -L` would miss it).
function(kiosk_check_tests_registered directory)
    get_property(registered GLOBAL PROPERTY KIOSK_REGISTERED_TESTS)
    get_property(tests DIRECTORY ${directory} PROPERTY TESTS)
    foreach(test IN LISTS tests)
        if(NOT test IN_LIST registered)
            file(RELATIVE_PATH folder ${PROJECT_SOURCE_DIR} ${directory})
            message(FATAL_ERROR "test '${test}' in ${folder} has no label: register it with "
                                "kiosk_add_qtest() or kiosk_add_test() (tests/CMakeLists.txt)")
        endif()
    endforeach()
    get_property(subdirectories DIRECTORY ${directory} PROPERTY SUBDIRECTORIES)
    foreach(subdirectory IN LISTS subdirectories)
        kiosk_check_tests_registered(${subdirectory})
    endforeach()
endfunction()
