# The page's ImGui OpenGL3 backend is the patched copy (src/platform/web/imgui_opengl3_upload.cmake):
# the wasm build compiles it instead of Dear ImGui's own file, and it has no glBufferSubData upload.
# cmake -DWASM_BUILD=<build/wasm> -P imgui_upload_check.cmake
if(NOT EXISTS ${WASM_BUILD}/build.ninja)
  message(FATAL_ERROR "no wasm build at ${WASM_BUILD} (shell/build.sh wasm)")
endif()
file(READ ${WASM_BUILD}/build.ninja ninja)
set(copy ${WASM_BUILD}/src/platform/web/imgui-backends/imgui_impl_opengl3.cpp)
string(FIND "${ninja}" "imgui-backends/imgui_impl_opengl3.cpp" at)
if(at EQUAL -1 OR NOT EXISTS ${copy})
  message(FATAL_ERROR "the page is built from ImGui's own imgui_impl_opengl3.cpp, not the patched copy")
endif()
file(READ ${copy} text)
if(text MATCHES "glBufferSubData\\(GL_")
  message(FATAL_ERROR "${copy} still uploads with glBufferSubData")
endif()
message(STATUS "the page's OpenGL3 backend uploads with glBufferData only")
