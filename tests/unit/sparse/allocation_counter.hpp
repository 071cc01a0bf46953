// Counts heap allocations of the whole test binary while counting is on (replaces global operator
// new in allocation_counter.cpp, its own translation unit so that no caller inlines it).
#pragma once

namespace tandem::test {

void start_counting_allocations();
/// Stops counting and returns the number of allocations since start_counting_allocations().
long stop_counting_allocations();

}  // namespace tandem::test
