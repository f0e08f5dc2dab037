# Run by `cmake --install` and cpack: places the systemd units and the /etc files for the
# prefix in effect now, with the program's path in ExecStart made to match it.
set(_root "$ENV{DESTDIR}")
set(_prefix "${CMAKE_INSTALL_PREFIX}")
if(_prefix STREQUAL "/usr")
    set(_etc /etc)
else()
    set(_etc ${_prefix}/etc)
endif()

function(kiosk_install_file source destination)
    file(READ ${source} text)
    string(REPLACE "/usr/bin/mjpeg-kiosk" "${_prefix}/bin/mjpeg-kiosk" text "${text}")
    string(REPLACE "EnvironmentFile=-/etc/" "EnvironmentFile=-${_etc}/" text "${text}")
    string(REPLACE "_CONFIG=/etc/" "_CONFIG=${_etc}/" text "${text}")
    get_filename_component(dir ${_root}${destination} DIRECTORY)
    file(MAKE_DIRECTORY ${dir})
    message(STATUS "Installing: ${_root}${destination}")
    file(WRITE ${_root}${destination} "${text}")
endfunction()

foreach(unit mjpeg-kiosk mjpeg-kiosk-cage mjpeg-kiosk-headless)
    kiosk_install_file(${KIOSK_DEPLOY_DIR}/systemd/${unit}.service
                       ${_prefix}/lib/systemd/system/${unit}.service)
endforeach()
kiosk_install_file(${KIOSK_DEPLOY_DIR}/hls/mjpeg-kiosk-hls.service
                   ${_prefix}/lib/systemd/system/mjpeg-kiosk-hls.service)
kiosk_install_file(${KIOSK_DEPLOY_DIR}/systemd/mjpeg-kiosk.sysusers
                   ${_prefix}/lib/sysusers.d/mjpeg-kiosk.conf)
kiosk_install_file(${KIOSK_DEPLOY_DIR}/systemd/mjpeg-kiosk-backlight.rules
                   ${_prefix}/lib/udev/rules.d/70-mjpeg-kiosk-backlight.rules)
kiosk_install_file(${KIOSK_DEPLOY_DIR}/mjpeg-kiosk.conf ${_etc}/mjpeg-kiosk.conf)
kiosk_install_file(${KIOSK_DEPLOY_DIR}/systemd/mjpeg-kiosk.env ${_etc}/default/mjpeg-kiosk)
kiosk_install_file(${KIOSK_DEPLOY_DIR}/systemd/eglfs-kms.json ${_etc}/mjpeg-kiosk/eglfs-kms.json)
