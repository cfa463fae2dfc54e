// The avx512 variant of every hot kernel. CMake compiles this file with the
// avx512 target flags (cmake/LeadkitDispatch.cmake); nothing else is in it.
#define LEADKIT_ISA_NS avx512
#include "kernels/isa.hpp"
#include "kernels/linear_impl.hpp"
#include "kernels/engagement_impl.hpp"
#include "kernels/persona_impl.hpp"
#include "kernels/points_impl.hpp"
#include "kernels/scorecard_impl.hpp"

namespace leadkit::kernels::avx512 {

const KernelTable table = {Isa::avx512, &linear_rows, &multi_dot_rows, &top_contributions,
                           &combine_rows, &sigmoid_inplace, &engagement_screen, &engagement_weights,
                           &engagement_checked_weights,
                           &persona_rows, &persona_accumulate, Vec::width,
                           &transpose_rows, &lanes_block, &points_lanes, &finish_tile};

}  // namespace leadkit::kernels::avx512
