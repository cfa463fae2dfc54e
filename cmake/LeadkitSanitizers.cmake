# LEADKIT_SANITIZE=address -> ASan + UBSan; LEADKIT_SANITIZE=thread -> TSan.
# Applied to every leadkit target and test so the whole process is instrumented.
if(LEADKIT_SANITIZE STREQUAL "address")
  set(LEADKIT_SANITIZER_FLAGS -fsanitize=address,undefined -fno-sanitize-recover=all
      -fno-omit-frame-pointer)
elseif(LEADKIT_SANITIZE STREQUAL "thread")
  set(LEADKIT_SANITIZER_FLAGS -fsanitize=thread -fno-omit-frame-pointer)
elseif(NOT LEADKIT_SANITIZE STREQUAL "")
  message(FATAL_ERROR "LEADKIT_SANITIZE must be '', 'address' or 'thread', got '${LEADKIT_SANITIZE}'")
endif()

function(leadkit_set_sanitizers target)
  if(LEADKIT_SANITIZER_FLAGS)
    target_compile_options(${target} PRIVATE ${LEADKIT_SANITIZER_FLAGS})
    target_link_options(${target} PRIVATE ${LEADKIT_SANITIZER_FLAGS})
  endif()
endfunction()
