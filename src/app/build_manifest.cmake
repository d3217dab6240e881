# Writes the site's build.json: the build id and, per file of the page, its size and SHA-256.
# Run with cmake -P after every build (-DSITE=<site folder> -DBASE_ID=<VIGIL_BUILD_ID>).
# A wall reads it to notice a new build and checks the new files against it before reloading
# (web/vigil_loader.js). The id is BASE_ID plus a digest of the files: every rebuild that changes
# what the browser loads gets a new id, without anyone bumping a version. config.json is the
# site's own, not the build's: it is left out.
set(files index.html vigil_loader.js style.css favicon.svg index.js index.wasm fonts/vigil-sc.otf)
set(entries "")
set(digests "")
foreach(f IN LISTS files)
  if(EXISTS "${SITE}/${f}")
    file(SHA256 "${SITE}/${f}" h)
    file(SIZE "${SITE}/${f}" n)
    if(entries)
      string(APPEND entries ",\n")
    endif()
    string(APPEND entries "    \"${f}\": {\"bytes\": ${n}, \"sha256\": \"${h}\"}")
    string(APPEND digests "${f}:${h}\n")
  endif()
endforeach()
string(SHA256 all "${digests}")
string(SUBSTRING "${all}" 0 12 short)
set(text "{\n  \"build\": \"${BASE_ID}+${short}\",\n  \"files\": {\n${entries}\n  }\n}\n")
# Rewritten only when it changes: an unchanged build keeps its file (and its time stamp).
set(out "${SITE}/build.json")
set(old "")
if(EXISTS "${out}")
  file(READ "${out}" old)
endif()
if(NOT old STREQUAL text)
  file(WRITE "${out}" "${text}")
endif()
