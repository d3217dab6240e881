# Dear ImGui 1.86's OpenGL3 backend uploads each draw list by orphaning the buffers and then
# calling glBufferSubData. Upstream went back to one plain glBufferData per list in 1.88/1.89
# after display corruption and "WebGL context lost on Chromium" reports (ocornut/imgui#4737,
# #4468). The build compiles a copy of the backend with that one change; ImGui's sources are
# never committed. A backend that already uploads without glBufferSubData is used as it is.
#
# The copy also skips RenderDrawData's read-back of the GL state it restores afterwards: each of its
# ~15 glGetIntegerv is a WebGL getParameter, a synchronous round trip to the browser's GPU process
# that waits for every command queued before it. That was the largest part of the 1,000-host
# overview's drawn frame (1.4 ms of a 4.8 ms median, 7-10 ms of the slowest frames: a profile of
# the scale bench, issue 13). Vigil draws nothing else in its context, so the state to restore is
# known: GL's defaults (no program, buffer, texture or VAO bound, no blending, scissor or depth
# test), which is what the restore then sets, as before but from constants.
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
  vigil_imgui_opengl3_no_readback("${patched}" patched readback)
  file(WRITE ${out} "${patched}")
  set(${status} "patched: one glBufferData per draw list instead of orphaning + glBufferSubData; ${readback}" PARENT_SCOPE)
endfunction()

# RenderDrawData's state backup (1.86: from GL_ACTIVE_TEXTURE to glIsEnabled(GL_SCISSOR_TEST)) by
# the known state between Vigil's frames. A backend without that block is left as it is (the
# read-back only costs time).
function(vigil_imgui_opengl3_no_readback text out status)
  set(block "GLenum last_active_texture; glGetIntegerv\\(GL_ACTIVE_TEXTURE[^@]*glIsEnabled\\(GL_SCISSOR_TEST\\);")
  set(known "// Vigil: the state between frames, not read back (imgui_opengl3_upload.cmake)
    GLenum last_active_texture = GL_TEXTURE0;
    glActiveTexture(GL_TEXTURE0);
    GLuint last_program = 0;
    GLuint last_texture = 0;
#ifdef IMGUI_IMPL_OPENGL_MAY_HAVE_BIND_SAMPLER
    GLuint last_sampler = 0;
#endif
    GLuint last_array_buffer = 0;
#ifdef IMGUI_IMPL_OPENGL_USE_VERTEX_ARRAY
    GLuint last_vertex_array_object = 0;
#endif
#ifdef IMGUI_IMPL_HAS_POLYGON_MODE
    GLint last_polygon_mode[2] = {GL_FILL, GL_FILL};
#endif
    GLint last_viewport[4] = {0, 0, fb_width, fb_height};
    GLint last_scissor_box[4] = {0, 0, fb_width, fb_height};
    GLenum last_blend_src_rgb = GL_ONE, last_blend_dst_rgb = GL_ZERO, last_blend_src_alpha = GL_ONE, last_blend_dst_alpha = GL_ZERO;
    GLenum last_blend_equation_rgb = GL_FUNC_ADD, last_blend_equation_alpha = GL_FUNC_ADD;
    GLboolean last_enable_blend = GL_FALSE, last_enable_cull_face = GL_FALSE, last_enable_depth_test = GL_FALSE;
    GLboolean last_enable_stencil_test = GL_FALSE, last_enable_scissor_test = GL_FALSE;")
  string(REGEX REPLACE "${block}" "${known}" replaced "${text}")
  if(replaced STREQUAL text)
    set(${status} "its GL state read-back left as it is (not the 1.86 block)" PARENT_SCOPE)
  else()
    set(${status} "no GL state read-back per frame" PARENT_SCOPE)
  endif()
  set(${out} "${replaced}" PARENT_SCOPE)
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
