# Compares the dynamic symbols a shared library defines with a committed list.
# Usage: cmake -DLIB=libleadkit.so -DEXPECTED=leadkit.symbols -P check_symbols.cmake
find_program(NM nm REQUIRED)
execute_process(COMMAND "${NM}" -D --defined-only --format=just-symbols "${LIB}"
  OUTPUT_VARIABLE out RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "nm failed on ${LIB}")
endif()
string(REPLACE "\n" ";" syms "${out}")
list(FILTER syms EXCLUDE REGEX "^$")
list(FILTER syms EXCLUDE REGEX "@")  # version nodes such as LK@@... if any
list(SORT syms)
list(REMOVE_DUPLICATES syms)
file(STRINGS "${EXPECTED}" expected REGEX "^[^#]")
list(SORT expected)
if(NOT syms STREQUAL expected)
  string(REPLACE ";" "\n  " a "${syms}")
  string(REPLACE ";" "\n  " e "${expected}")
  message(FATAL_ERROR "Exported symbols changed.\nExported:\n  ${a}\nExpected (${EXPECTED}):\n  ${e}\n"
    "If the change is deliberate, update ${EXPECTED} (an ABI change).")
endif()
foreach(s IN LISTS syms)
  if(NOT s MATCHES "^lk_")
    message(FATAL_ERROR "Exported symbol '${s}' is not in the lk_ namespace")
  endif()
endforeach()
list(LENGTH syms n)
message(STATUS "abi: ${n} exported symbols, all lk_*, matching ${EXPECTED}")
