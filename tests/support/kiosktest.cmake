# kiosk_add_qtest(NAME source... [TIMEOUT s] [LIBS lib...])
# One QtTest executable registered with ctest, run headless, with the shared test helpers on the
# include path.
function(kiosk_add_qtest name)
    cmake_parse_arguments(arg "" "TIMEOUT" "LIBS" ${ARGN})
    if(NOT arg_TIMEOUT)
        set(arg_TIMEOUT 120)
    endif()
    qt_add_executable(${name} ${arg_UNPARSED_ARGUMENTS})
    target_include_directories(${name} PRIVATE ${CMAKE_CURRENT_FUNCTION_LIST_DIR})
    target_link_libraries(${name} PRIVATE kiosk-backend Qt6::Test ${arg_LIBS})
    add_dependencies(${name} kiosk-plugins) # file and camera sources are loaded from them
    add_test(NAME ${name} COMMAND ${name})
    set_tests_properties(${name} PROPERTIES
        ENVIRONMENT "QT_QPA_PLATFORM=offscreen"
        TIMEOUT ${arg_TIMEOUT})
endfunction()
