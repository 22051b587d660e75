# Embeds templates/buildpacks (contents and file modes) into wm_build as a generated .cpp, so the
# built-in buildpacks are found at run time from any working directory.
file(GLOB_RECURSE WM_BUILDPACK_FILES CONFIGURE_DEPENDS "${WM_TEMPLATES_DIR}/buildpacks/*")
set(WM_EMBEDDED_BUILDPACKS_CPP "${CMAKE_CURRENT_BINARY_DIR}/embedded_buildpacks.cpp")
add_custom_command(
  OUTPUT "${WM_EMBEDDED_BUILDPACKS_CPP}"
  COMMAND "${CMAKE_COMMAND}" -DROOT=${WM_TEMPLATES_DIR}/buildpacks
          -DOUT=${WM_EMBEDDED_BUILDPACKS_CPP}
          -P "${CMAKE_CURRENT_LIST_DIR}/embed_generate.cmake"
  DEPENDS ${WM_BUILDPACK_FILES} "${CMAKE_CURRENT_LIST_DIR}/embed_generate.cmake"
  COMMENT "Embedding templates/buildpacks")
target_sources(wm_build PRIVATE "${WM_EMBEDDED_BUILDPACKS_CPP}")
