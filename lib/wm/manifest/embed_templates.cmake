# Embeds templates/manifest/* into wm_manifest as a generated .cpp of raw string literals, so
# `wm init` finds its templates from any working directory after install.
file(GLOB WM_MANIFEST_TEMPLATES CONFIGURE_DEPENDS "${WM_TEMPLATES_DIR}/manifest/*")
set(WM_MANIFEST_TEMPLATES_CPP "${CMAKE_CURRENT_BINARY_DIR}/embedded_manifest_templates.cpp")
add_custom_command(
  OUTPUT "${WM_MANIFEST_TEMPLATES_CPP}"
  COMMAND "${CMAKE_COMMAND}" -DROOT=${WM_TEMPLATES_DIR}/manifest -DOUT=${WM_MANIFEST_TEMPLATES_CPP}
          -P "${CMAKE_CURRENT_LIST_DIR}/embed_templates_generate.cmake"
  DEPENDS ${WM_MANIFEST_TEMPLATES} "${CMAKE_CURRENT_LIST_DIR}/embed_templates_generate.cmake"
  COMMENT "Embedding templates/manifest")
target_sources(wm_manifest PRIVATE "${WM_MANIFEST_TEMPLATES_CPP}")
