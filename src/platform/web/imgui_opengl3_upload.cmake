# Dear ImGui 1.86's OpenGL3 backend uploads each draw list by orphaning the buffers and then
# calling glBufferSubData. Upstream went back to one plain glBufferData per list in 1.88/1.89
# after display corruption and "WebGL context lost on Chromium" reports (ocornut/imgui#4737,
# #4468). The build compiles a copy of the backend with that one change; ImGui's sources are
# never committed. A backend that already uploads without glBufferSubData is used as it is.
#
# Included: vigil_imgui_opengl3_source(<out var> <imgui backends dir> <build dir>)
# Script (the native test): cmake -DIN=<file> -DOUT=<file> -P imgui_opengl3_upload.cmake

# Reads `in`, writes the patched copy to `out`; `status` says what was done.
function(vigil_imgui_opengl3_patch in out status)
  file(READ ${in} text)
  if(NOT text MATCHES "glBufferSubData\\(GL_")
    file(WRITE ${out} "${text}")
    set(${status} "unchanged: this backend uploads without glBufferSubData" PARENT_SCOPE)
    return()
  endif()
  # The 1.86 block: grow-only orphaning of both buffers, then two glBufferSubData uploads.
  set(block "if \\(bd->VertexBufferSize < vtx_buffer_size\\)[^@]*IdxBuffer\\.Data\\);")
  set(plain "glBufferData(GL_ARRAY_BUFFER, vtx_buffer_size, (const GLvoid*)cmd_list->VtxBuffer.Data, GL_STREAM_DRAW);\n        glBufferData(GL_ELEMENT_ARRAY_BUFFER, idx_buffer_size, (const GLvoid*)cmd_list->IdxBuffer.Data, GL_STREAM_DRAW);  // Vigil: upstream 1.89's upload (imgui#4737)")
  string(REGEX REPLACE "${block}" "${plain}" patched "${text}")
  string(REGEX MATCHALL "glBufferSubData\\(GL_" left "${patched}")
  if(patched STREQUAL text OR left)
    message(FATAL_ERROR "${in}: its glBufferSubData upload is not the 1.86 one this build knows how to replace; "
                        "use Dear ImGui 1.86 (Debian's) or >= 1.89, or extend src/platform/web/imgui_opengl3_upload.cmake")
  endif()
  file(WRITE ${out} "${patched}")
  set(${status} "patched: one glBufferData per draw list instead of orphaning + glBufferSubData" PARENT_SCOPE)
endfunction()

function(vigil_imgui_opengl3_source out backends_dir build_dir)
  set(in ${backends_dir}/imgui_impl_opengl3.cpp)
  set(copy ${build_dir}/imgui-backends/imgui_impl_opengl3.cpp)
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${in})
  vigil_imgui_opengl3_patch(${in} ${copy} status)
  message(STATUS "ImGui OpenGL3 backend: ${status}")
  set(${out} ${copy} PARENT_SCOPE)
endfunction()

if(CMAKE_SCRIPT_MODE_FILE AND IN AND OUT)
  vigil_imgui_opengl3_patch(${IN} ${OUT} status)
  message(STATUS "${status}")
endif()
