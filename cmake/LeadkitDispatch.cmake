# Runtime ISA dispatch (see src/kernels/isa.hpp): every hot kernel is compiled
# once per target ISA and the best one the CPU supports is chosen at run time,
# so one binary runs on any x86-64 and still uses AVX2+FMA or AVX-512.
#
# leadkit_add_kernel_variants(<target>) adds the per-ISA translation units.
set(LEADKIT_KERNEL_DIR "${PROJECT_SOURCE_DIR}/src/kernels")

if(CMAKE_SYSTEM_PROCESSOR MATCHES "^(x86_64|AMD64|amd64)$")
  set(LEADKIT_X86 ON)
else()
  set(LEADKIT_X86 OFF)
endif()

function(leadkit_add_kernel_variants target)
  target_sources(${target} PRIVATE
    "${LEADKIT_KERNEL_DIR}/dispatch.cpp"
    "${LEADKIT_KERNEL_DIR}/kernels_baseline.cpp")
  if(LEADKIT_X86)
    target_sources(${target} PRIVATE
      "${LEADKIT_KERNEL_DIR}/kernels_avx2.cpp"
      "${LEADKIT_KERNEL_DIR}/kernels_avx512.cpp")
    set_source_files_properties("${LEADKIT_KERNEL_DIR}/kernels_avx2.cpp" PROPERTIES
      COMPILE_OPTIONS "-mavx2;-mfma")
    set_source_files_properties("${LEADKIT_KERNEL_DIR}/kernels_avx512.cpp" PROPERTIES
      # GCC 12's AVX-512 intrinsic headers initialise registers with `x = x`,
      # which -W(maybe-)uninitialized reports at -O2+ once they are inlined into
      # our code: a false positive in the compiler's headers, silenced here only.
      COMPILE_OPTIONS "-mavx2;-mfma;-mavx512f;-mavx512bw;-mavx512dq;-mavx512vl;-Wno-maybe-uninitialized;-Wno-uninitialized")
    target_compile_definitions(${target} PRIVATE LEADKIT_HAVE_X86_VARIANTS)
  endif()
endfunction()
