// leadkit C++ API, umbrella header. Header-only over the C API in leadkit.h.
#pragma once

#include "leadkit/engagement.hpp"
#include "leadkit/error.hpp"
#include "leadkit/exec_options.hpp"
#include "leadkit/grader.hpp"
#include "leadkit/leadkit.h"
#include "leadkit/logistic_model.hpp"
#include "leadkit/persona.hpp"
#include "leadkit/points_model.hpp"
#include "leadkit/schema.hpp"
#include "leadkit/scorecard.hpp"
