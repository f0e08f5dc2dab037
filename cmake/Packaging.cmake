# Install layout and the Debian package (cpack -G DEB). The QML module and the web page are
# compiled into the binary (Qt resources); the rest goes where Debian expects it:
#   bin/mjpeg-kiosk, lib/mjpeg-kiosk/ (the core library, plugins/ for the GUI and the OpenCV
#   and Qt Multimedia sources), bin/mjpeg-kiosk-hls, share/man/man1/mjpeg-kiosk.1.gz,
#   share/doc/mjpeg-kiosk/examples/ (nginx), lib/systemd/system/, lib/sysusers.d/,
#   /etc/mjpeg-kiosk.conf, /etc/default/mjpeg-kiosk, /etc/mjpeg-kiosk/eglfs-kms.json
# (etc/ under the prefix unless the prefix is /usr, as GNUInstallDirs does).

set(KIOSK_DEPLOY_DIR ${PROJECT_SOURCE_DIR}/deploy)

# The man page, made from --help so that it never disagrees with the program.
find_program(HELP2MAN_EXECUTABLE help2man)
if(HELP2MAN_EXECUTABLE)
    set(_man ${PROJECT_BINARY_DIR}/mjpeg-kiosk.1)
    add_custom_command(OUTPUT ${_man}.gz
        # Run through PATH so that the usage line shows the bare name, not the build directory.
        COMMAND ${CMAKE_COMMAND} -E env "PATH=$<TARGET_FILE_DIR:mjpeg-kiosk>:$ENV{PATH}"
                ${HELP2MAN_EXECUTABLE} --no-info --section 1
                --name "camera kiosk that serves its picture as an HTTP MJPEG stream"
                --version-string ${PROJECT_VERSION}
                --include ${KIOSK_DEPLOY_DIR}/mjpeg-kiosk.h2m
                --output ${_man} mjpeg-kiosk
        COMMAND gzip -9nf ${_man}
        DEPENDS mjpeg-kiosk ${KIOSK_DEPLOY_DIR}/mjpeg-kiosk.h2m
        COMMENT "Generating the man page mjpeg-kiosk.1 with help2man"
        VERBATIM)
    add_custom_target(man-page ALL DEPENDS ${_man}.gz)
    install(FILES ${_man}.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
else()
    message(WARNING "help2man not found: no man page is built or installed "
                    "(deploy/install-deps.sh installs it)")
endif()

install(PROGRAMS ${KIOSK_DEPLOY_DIR}/hls/mjpeg-kiosk-hls DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${KIOSK_DEPLOY_DIR}/nginx/mjpeg-kiosk.conf ${KIOSK_DEPLOY_DIR}/hls/nginx-hls.conf
        DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples/nginx)
# Units and /etc files depend on the prefix given at install time (cmake --install --prefix,
# or /usr when cpack builds the package), so they are placed by a script run then.
install(CODE "set(KIOSK_DEPLOY_DIR \"${KIOSK_DEPLOY_DIR}\")")
install(SCRIPT ${CMAKE_CURRENT_LIST_DIR}/InstallDeploy.cmake)

# The Debian package. Its Depends are the runtime list of deploy/install-deps.sh, the one
# list of what the installed program needs (tests/deploy checks it against what it loads).
file(READ ${KIOSK_DEPLOY_DIR}/install-deps.sh _install_deps)
string(REGEX MATCH "\nruntime=\\(([^)]*)\\)" _ "${_install_deps}")
string(REGEX REPLACE "[ \t\r\n]+" ";" _runtime "${CMAKE_MATCH_1}")
list(REMOVE_ITEM _runtime "")
if(NOT _runtime)
    message(FATAL_ERROR "no runtime=( ... ) package list found in deploy/install-deps.sh")
endif()
list(JOIN _runtime ", " CPACK_DEBIAN_PACKAGE_DEPENDS)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${KIOSK_DEPLOY_DIR}/install-deps.sh)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME mjpeg-kiosk)
set(CPACK_PACKAGE_VENDOR "MJPEG Kiosk")
set(CPACK_PACKAGE_CONTACT "MJPEG Kiosk maintainers <mjpeg-kiosk@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
string(CONCAT CPACK_PACKAGE_DESCRIPTION
    "Shows a camera full screen on a touch screen (Qt Quick, eglfs or Wayland) and serves it to "
    "browsers, ffmpeg, VLC and OpenCV as multipart/x-mixed-replace MJPEG over HTTP, with /status "
    "and Prometheus /metrics. Includes systemd units (eglfs kiosk, cage kiosk, headless), an "
    "nginx TLS front end example and an HLS restream script.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION video)
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "cage, nginx, ffmpeg")
set(CPACK_STRIP_FILES ON)
configure_file(${CMAKE_CURRENT_LIST_DIR}/debian/postinst ${PROJECT_BINARY_DIR}/debian/postinst
               COPYONLY)
configure_file(${CMAKE_CURRENT_LIST_DIR}/debian/conffiles ${PROJECT_BINARY_DIR}/debian/conffiles
               COPYONLY)
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${PROJECT_BINARY_DIR}/debian/postinst ${PROJECT_BINARY_DIR}/debian/conffiles)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
