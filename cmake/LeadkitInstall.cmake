# Installation and packaging: headers, the library, a CMake package
# (leadkitConfig.cmake + version file, SameMajorVersion), a build-tree export
# and a pkg-config file.
set(LEADKIT_CMAKE_DIR "${CMAKE_INSTALL_LIBDIR}/cmake/leadkit")

install(TARGETS leadkit
  EXPORT leadkitTargets
  RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}"
  LIBRARY DESTINATION "${CMAKE_INSTALL_LIBDIR}" NAMELINK_COMPONENT devel
  ARCHIVE DESTINATION "${CMAKE_INSTALL_LIBDIR}"
  INCLUDES DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}")
install(DIRECTORY "${PROJECT_SOURCE_DIR}/include/leadkit"
  DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}")
install(FILES "${PROJECT_BINARY_DIR}/include/leadkit/version.h"
  DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}/leadkit")

install(EXPORT leadkitTargets
  NAMESPACE leadkit::
  DESTINATION "${LEADKIT_CMAKE_DIR}")
export(EXPORT leadkitTargets
  NAMESPACE leadkit::
  FILE "${PROJECT_BINARY_DIR}/leadkitTargets.cmake")

configure_package_config_file(cmake/leadkitConfig.cmake.in
  "${PROJECT_BINARY_DIR}/leadkitConfig.cmake"
  INSTALL_DESTINATION "${LEADKIT_CMAKE_DIR}")
write_basic_package_version_file(
  "${PROJECT_BINARY_DIR}/leadkitConfigVersion.cmake"
  VERSION ${PROJECT_VERSION}
  COMPATIBILITY SameMajorVersion)
install(FILES
  "${PROJECT_BINARY_DIR}/leadkitConfig.cmake"
  "${PROJECT_BINARY_DIR}/leadkitConfigVersion.cmake"
  DESTINATION "${LEADKIT_CMAKE_DIR}")

# pkg-config. The prefix is only known at install time (cmake --install
# --prefix), so the file is generated then, not at configure time.
if(BUILD_SHARED_LIBS)
  set(LEADKIT_PC_CFLAGS "")
else()
  set(LEADKIT_PC_CFLAGS "-DLEADKIT_STATIC")
endif()
install(CODE "
  set(PROJECT_DESCRIPTION \"${PROJECT_DESCRIPTION}\")
  set(PROJECT_VERSION \"${PROJECT_VERSION}\")
  set(LEADKIT_LIBDIR \"${CMAKE_INSTALL_LIBDIR}\")
  set(LEADKIT_INCLUDEDIR \"${CMAKE_INSTALL_INCLUDEDIR}\")
  set(LEADKIT_PC_CFLAGS \"${LEADKIT_PC_CFLAGS}\")
  configure_file(\"${PROJECT_SOURCE_DIR}/cmake/leadkit.pc.in\"
    \"${PROJECT_BINARY_DIR}/pkgconfig-install/leadkit.pc\" @ONLY)
  file(INSTALL \"${PROJECT_BINARY_DIR}/pkgconfig-install/leadkit.pc\"
    DESTINATION \"\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_LIBDIR}/pkgconfig\")
")
